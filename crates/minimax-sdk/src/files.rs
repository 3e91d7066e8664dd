//! Files: upload, list, retrieve, read, delete and download the files
//! stored on the MiniMax platform ([`Client::files`]).
//!
//! Files are uploaded for voice cloning (`voice_clone`, `prompt_audio`),
//! asynchronous speech input (`t2a_async_input`) and video understanding,
//! and are produced by video generation and asynchronous speech synthesis.
//! A file's `download_url` is a pre-signed URL valid for one hour (nine for
//! asynchronous speech output); [`Files::download_to`] resolves it,
//! downloads atomically, checks the size and re-resolves an expired URL once.
//!
//! ```no_run
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! use minimax_sdk::{Client, FilePurpose, UploadSource};
//!
//! let client = Client::from_env()?;
//! let file = client
//!     .files()
//!     .upload(UploadSource::from_path("narrator.mp3"), FilePurpose::VoiceClone)
//!     .await?;
//! println!("uploaded {} as {}", file.filename, file.file_id);
//!
//! let report = client
//!     .files()
//!     .download_to(file.file_id, "copy.mp3")
//!     .progress(|p: minimax_sdk::DownloadProgress| eprintln!("{} bytes", p.bytes_done))
//!     .await?;
//! println!("{} bytes in {}", report.bytes, report.path.display());
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::IntoFuture;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::{BoxStream, Stream, StreamExt};
use minimax_api::types::{self, FileObject};
use minimax_api::{FilePurpose, Id};

use crate::client::Client;
use crate::download::{write_atomically, Progress};
use crate::error::{from_reqwest, Error};
use crate::response::{missing, read_json, Response};
use crate::upload::UploadSource;

impl Client {
    /// File management: upload, list, retrieve, read, delete, download.
    pub fn files(&self) -> Files<'_> {
        Files { client: self }
    }
}

/// File management, from [`Client::files`].
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    client: &'a Client,
}

impl<'a> Files<'a> {
    /// Uploads a file: `POST /v1/files/upload` as `multipart/form-data`
    /// (fields `purpose` and `file`).
    ///
    /// A file given by path is streamed from disk, never held in memory
    /// (the platform accepts up to 512 MB), and reopened when the upload is
    /// retried; a stream source is sent once. Accepted purposes and formats:
    /// `voice_clone` (mp3, m4a, wav; 10 s to 5 min, ≤ 20 MB), `prompt_audio`
    /// (under 8 s), `t2a_async_input` (txt, zip), `video_understanding`
    /// (mp4, avi, mov, mkv).
    ///
    /// Returns the stored [`FileObject`]. Errors: [`Error::Io`] when the
    /// file cannot be read, [`Error::Api`] for a refusal (2013 for an
    /// unsupported format, …), [`Error::Decode`] when a success body has no
    /// `file`.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/file-management-upload>
    pub async fn upload(
        &self,
        source: impl Into<UploadSource>,
        purpose: impl Into<FilePurpose>,
    ) -> Result<Response<FileObject>, Error> {
        const OPERATION: &str = "upload_file";
        let source = source.into();
        let purpose = purpose.into();
        let response = self
            .client
            .send_upload(OPERATION, "/v1/files/upload", purpose.as_str(), &source)
            .await?;
        let response = read_json::<types::UploadFileResp>(OPERATION, response).await?;
        match response.file.clone() {
            Some(file) => Ok(response.map(|_| file)),
            None => Err(missing(OPERATION, "`file`", &response)),
        }
    }

    /// Lists the stored files of one purpose: `GET /v1/files/list?purpose=`.
    ///
    /// The API requires the purpose and does not paginate: every matching
    /// file comes back at once. Returns the files (an absent or `null` list
    /// is empty). Errors: [`Error::Api`].
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/file-management-list>
    pub async fn list(
        &self,
        purpose: impl Into<FilePurpose>,
    ) -> Result<Response<Vec<FileObject>>, Error> {
        let purpose = purpose.into();
        let response = self
            .client
            .call_traced(
                "list_files",
                self.client.raw().list_files().purpose(purpose).send(),
            )
            .await?;
        Ok(response.map(|list| list.files.unwrap_or_default()))
    }

    /// Retrieves a file's metadata and its download URL:
    /// `GET /v1/files/retrieve?file_id=`.
    ///
    /// Accepts the file ids of uploads, video generation and asynchronous
    /// speech. The `download_url` is valid for one hour. Errors:
    /// [`Error::Api`] (an unknown id, …), [`Error::Decode`] when a success
    /// body has no `file`.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/file-management-retrieve>
    pub async fn retrieve(&self, file_id: impl Into<Id>) -> Result<Response<FileObject>, Error> {
        retrieve(self.client, file_id.into()).await
    }

    /// Reads a file's content: `GET /v1/files/retrieve_content?file_id=`,
    /// following redirects (the API key is never sent to another host).
    ///
    /// The call returns once the response headers have arrived; the body is
    /// then read chunk by chunk from the returned [`FileContent`] stream, so
    /// a large file is never held in memory. A JSON error body answering the
    /// request is an [`Error::Api`]; a connection lost mid-body is an error
    /// item of the stream. For a file on disk, [`Files::download_to`] is
    /// usually what you want.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/file-management-retrieve-content>
    pub async fn content(&self, file_id: impl Into<Id>) -> Result<FileContent, Error> {
        content(self.client, file_id.into()).await
    }

    /// Deletes a stored file: `POST /v1/files/delete` with
    /// `{file_id, purpose}`; the API requires the purpose the file was
    /// stored under. Errors: [`Error::Api`].
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/file-management-delete>
    pub async fn delete(
        &self,
        file_id: impl Into<Id>,
        purpose: impl Into<FilePurpose>,
    ) -> Result<Response<()>, Error> {
        let body = types::DeleteFileReq {
            file_id: file_id.into(),
            purpose: purpose.into(),
        };
        let response = self
            .client
            .call_traced(
                "delete_file",
                self.client.raw().delete_file().body(body).send(),
            )
            .await?;
        Ok(response.map(|_| ()))
    }

    /// Downloads a file to `path`; await the returned [`FileDownload`]
    /// (optionally after [`FileDownload::progress`]).
    ///
    /// It retrieves the file (`GET /v1/files/retrieve`) for its
    /// `download_url` and size, streams the body into a temporary file next
    /// to `path`, checks the byte count against the file's `bytes`, and
    /// renames it over `path` only when complete; on any error nothing is
    /// left behind. An expired URL (HTTP 403, 404 or 410) is re-resolved
    /// once. The download host never receives the API key. A file without a
    /// `download_url` is read from `GET /v1/files/retrieve_content` instead.
    /// When `path` is an existing directory, the file is saved in it under
    /// its own file name.
    ///
    /// Returns a [`DownloadReport`]. Errors: those of
    /// [`Files::retrieve`], [`Error::SizeMismatch`], [`Error::Io`],
    /// [`Error::Transport`], [`Error::Api`] for a refused download.
    pub fn download_to(&self, file_id: impl Into<Id>, path: impl AsRef<Path>) -> FileDownload {
        FileDownload::new(self.client.clone(), file_id.into(), path.as_ref())
    }
}

pub(crate) async fn retrieve(client: &Client, file_id: Id) -> Result<Response<FileObject>, Error> {
    const OPERATION: &str = "retrieve_file";
    let mut response = client
        .call_traced(
            OPERATION,
            client.raw().retrieve_file().file_id(file_id).send(),
        )
        .await?;
    match response.file.take() {
        Some(file) => Ok(response.map(|_| file)),
        None => Err(missing(OPERATION, "`file`", &response)),
    }
}

async fn content(client: &Client, file_id: Id) -> Result<FileContent, Error> {
    const OPERATION: &str = "retrieve_file_content";
    let (response, trace_id) = client
        .call_bytes(
            OPERATION,
            client.raw().retrieve_file_content().file_id(file_id).send(),
        )
        .await?;
    let content_length = response.content_length();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let stream = response
        .into_inner_stream()
        .map(|chunk| chunk.map_err(|error| from_reqwest(OPERATION, error, None)))
        .boxed();
    Ok(FileContent {
        stream,
        trace_id,
        content_length,
        content_type,
    })
}

/// The content of a stored file, as a stream of byte chunks
/// ([`Files::content`]).
pub struct FileContent {
    stream: BoxStream<'static, Result<Bytes, Error>>,
    trace_id: Option<String>,
    content_length: Option<u64>,
    content_type: Option<String>,
}

impl fmt::Debug for FileContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileContent")
            .field("trace_id", &self.trace_id)
            .field("content_length", &self.content_length)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl FileContent {
    /// The trace id of the response.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The announced length (`Content-Length`), if any.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The `Content-Type` of the body, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Reads the whole body into memory (for small files).
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let mut body = Vec::new();
        while let Some(chunk) = self.stream.next().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(body))
    }
}

impl Stream for FileContent {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.poll_next_unpin(cx)
    }
}

/// What [`Files::download_to`] (and the one-call generate-and-download
/// flows) produced.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DownloadReport {
    /// Where the file was written.
    pub path: PathBuf,
    /// The number of bytes written.
    pub bytes: u64,
    /// The file's metadata, as retrieved before the download.
    pub file: FileObject,
    /// The trace id of the `files/retrieve` call that resolved the file.
    pub trace_id: Option<String>,
}

/// A file download being configured; `.await` it (or call
/// [`FileDownload::send`]) to run it. From [`Files::download_to`].
#[must_use = "a download does nothing until it is awaited"]
pub struct FileDownload {
    client: Client,
    file_id: Id,
    path: PathBuf,
    progress: Option<Arc<dyn Progress>>,
    overwrite: bool,
}

impl fmt::Debug for FileDownload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileDownload")
            .field("file_id", &self.file_id)
            .field("path", &self.path)
            .field("progress", &self.progress.is_some())
            .field("overwrite", &self.overwrite)
            .finish()
    }
}

impl FileDownload {
    pub(crate) fn new(client: Client, file_id: Id, path: &Path) -> Self {
        FileDownload {
            client,
            file_id,
            path: path.to_path_buf(),
            progress: None,
            overwrite: true,
        }
    }

    /// Whether an existing file at the target is replaced (the default).
    /// With `false`, the download fails with [`Error::Io`] (an
    /// [`std::io::ErrorKind::AlreadyExists`] source) before any byte is
    /// fetched when the target exists; for a directory target, the file
    /// the server's name resolves to is checked.
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// Reports progress to `progress`: a closure taking a
    /// [`crate::DownloadProgress`], or a
    /// `tokio::sync::watch::Sender<DownloadProgress>`.
    pub fn progress(mut self, progress: impl Progress + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Runs the download (the same as awaiting the builder).
    pub async fn send(self) -> Result<DownloadReport, Error> {
        let FileDownload {
            client,
            file_id,
            path,
            progress,
            overwrite,
        } = self;
        let (file, trace_id) = retrieve(&client, file_id).await?.into_parts();
        let is_dir = tokio::fs::metadata(&path)
            .await
            .is_ok_and(|metadata| metadata.is_dir());
        let path = target_path(path, is_dir, &file.filename);
        if !overwrite && tokio::fs::symlink_metadata(&path).await.is_ok() {
            return Err(Error::io(
                "replace the existing file",
                path,
                std::io::ErrorKind::AlreadyExists.into(),
            ));
        }
        let expected = u64::try_from(file.bytes).ok().filter(|bytes| *bytes > 0);
        let bytes = match file.download_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => {
                let resolver = client.clone();
                client
                    .download(url)
                    .operation("download_file")
                    .expected_len(expected)
                    .progress_shared(progress)
                    .on_expired(move || async move { fresh_url(&resolver, file_id).await })
                    .to_path(&path)
                    .await?
            }
            _ => {
                tracing::debug!(%file_id, "the file has no download_url; reading retrieve_content");
                let body = content(&client, file_id).await?;
                let total = expected.or(body.content_length);
                write_atomically(
                    "retrieve_file_content",
                    body,
                    &path,
                    expected,
                    total,
                    progress.as_deref(),
                )
                .await?
            }
        };
        Ok(DownloadReport {
            path,
            bytes,
            file,
            trace_id,
        })
    }
}

impl IntoFuture for FileDownload {
    type Output = Result<DownloadReport, Error>;
    type IntoFuture = BoxFuture<'static, Result<DownloadReport, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A fresh `download_url` for a file whose URL expired.
async fn fresh_url(client: &Client, file_id: Id) -> Result<String, Error> {
    let file = retrieve(client, file_id).await?;
    match file.download_url.as_deref().map(str::trim) {
        Some(url) if !url.is_empty() => Ok(url.to_owned()),
        _ => Err(missing("retrieve_file", "`file.download_url`", &file)),
    }
}

/// `path`, or `path/<filename>` when `path` is an existing directory. Only
/// the last component of the server's file name is used, so a name like
/// `../x` cannot escape the directory.
fn target_path(path: PathBuf, is_dir: bool, filename: &str) -> PathBuf {
    if !is_dir {
        return path;
    }
    let name = Path::new(filename)
        .file_name()
        .filter(|name| !name.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("download.bin"));
    path.join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_target_takes_the_last_component_of_the_file_name() {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let dir = directory.path().to_path_buf();
        assert_eq!(
            target_path(dir.clone(), true, "video.mp4"),
            dir.join("video.mp4")
        );
        assert_eq!(
            target_path(dir.clone(), true, "../../etc/passwd"),
            dir.join("passwd")
        );
        assert_eq!(
            target_path(dir.clone(), true, ".."),
            dir.join("download.bin")
        );
        assert_eq!(target_path(dir.clone(), true, ""), dir.join("download.bin"));
        let file = dir.join("out.mp4");
        assert_eq!(target_path(file.clone(), false, "video.mp4"), file);
    }
}
