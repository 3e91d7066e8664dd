//! [`UploadSource`]: a file to upload, and the multipart request built from
//! it afresh for every attempt.
//!
//! A source made from a path is streamed from disk (`tokio::fs::File` read
//! in 64 KiB chunks), never loaded into memory, so a 512 MB upload costs a
//! few buffers. Because the form is rebuilt (and the file reopened) for each
//! attempt, uploads from a path or from bytes are retried like any other
//! request; an upload from a caller's stream can only be sent once.
//! [`UploadSource::with_progress`] reports the bytes handed to the
//! connection as the body is sent.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt};
use reqwest::multipart::{Form, Part};
use tokio_util::io::ReaderStream;

use crate::client::Client;
use crate::download::{DownloadProgress, Progress};
use crate::error::Error;

/// The read buffer used when streaming a file from disk.
const READ_CHUNK: usize = 64 * 1024;

/// A file to upload: a path, bytes in memory, or a stream of known length.
#[derive(Clone)]
pub struct UploadSource {
    kind: Kind,
    filename: Option<String>,
    mime_type: Option<String>,
    progress: Option<Arc<dyn Progress>>,
}

type SharedStream = Arc<Mutex<Option<BoxStream<'static, io::Result<Bytes>>>>>;

#[derive(Clone)]
enum Kind {
    Path(PathBuf),
    Bytes(Bytes),
    Stream { length: u64, stream: SharedStream },
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            Kind::Path(path) => format!("path {}", path.display()),
            Kind::Bytes(bytes) => format!("{} bytes in memory", bytes.len()),
            Kind::Stream { length, .. } => format!("stream of {length} bytes"),
        };
        f.debug_struct("UploadSource")
            .field("source", &kind)
            .field("filename", &self.filename())
            .field("mime_type", &self.mime_type())
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl UploadSource {
    /// The file at `path`, streamed from disk; the file name sent is the
    /// path's last component. The file is opened (again) for each attempt.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        Self {
            kind: Kind::Path(path.into()),
            filename: None,
            mime_type: None,
            progress: None,
        }
    }

    /// Bytes in memory, sent under `filename`.
    pub fn from_bytes(filename: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            kind: Kind::Bytes(bytes.into()),
            filename: Some(filename.into()),
            mime_type: None,
            progress: None,
        }
    }

    /// A stream of exactly `length` bytes, sent under `filename`. It can be
    /// sent only once, so an upload from a stream is never retried.
    pub fn from_stream<S>(filename: impl Into<String>, length: u64, stream: S) -> Self
    where
        S: Stream<Item = io::Result<Bytes>> + Send + 'static,
    {
        Self {
            kind: Kind::Stream {
                length,
                stream: Arc::new(Mutex::new(Some(stream.boxed()))),
            },
            filename: Some(filename.into()),
            mime_type: None,
            progress: None,
        }
    }

    /// Sends the file under `filename` instead.
    pub fn with_filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// Reports the upload's progress to `progress` (a closure taking a
    /// [`DownloadProgress`], or a `tokio::sync::watch::Sender`): `(0, total)`
    /// when the body starts, then the bytes handed to the connection after
    /// every chunk. A retried upload reports from zero again.
    pub fn with_progress(mut self, progress: impl Progress + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Sends `mime_type` as the part's `Content-Type` instead of the guess.
    pub fn with_mime_type(mut self, mime_type: impl Into<String>) -> Self {
        self.mime_type = Some(mime_type.into());
        self
    }

    /// The file name sent with the upload, if known.
    pub fn filename(&self) -> Option<&str> {
        self.filename.as_deref().or_else(|| match &self.kind {
            Kind::Path(path) => path.file_name().and_then(|name| name.to_str()),
            _ => None,
        })
    }

    /// The MIME type sent: the one set with [`UploadSource::with_mime_type`],
    /// else a guess from the file name's extension ([`guess_mime_type`]).
    pub fn mime_type(&self) -> &str {
        match &self.mime_type {
            Some(mime) => mime,
            None => guess_mime_type(self.filename().unwrap_or_default()),
        }
    }

    /// Whether the source can be sent again (paths and bytes can; streams cannot).
    pub fn is_replayable(&self) -> bool {
        !matches!(self.kind, Kind::Stream { .. })
    }

    /// A fresh multipart part for the file (reopening a path).
    pub async fn part(&self) -> Result<Part, Error> {
        let filename = self
            .filename()
            .ok_or_else(|| {
                Error::InvalidArgument(
                    "the upload has no file name; use UploadSource::with_filename".to_owned(),
                )
            })?
            .to_owned();
        let progress = self.progress.clone();
        let part = match &self.kind {
            Kind::Path(path) => {
                let (file, length) = open_file(path).await?;
                let chunks = ReaderStream::with_capacity(file, READ_CHUNK);
                Part::stream_with_length(counted(chunks, length, progress), length)
            }
            Kind::Bytes(bytes) => {
                let length = bytes.len() as u64;
                match progress {
                    None => Part::stream_with_length(reqwest::Body::from(bytes.clone()), length),
                    Some(progress) => {
                        // Slices of the shared buffer, so progress moves while it is sent.
                        let slices: Vec<io::Result<Bytes>> = (0..bytes.len())
                            .step_by(READ_CHUNK)
                            .map(
                                |start| Ok(bytes.slice(start..bytes.len().min(start + READ_CHUNK))),
                            )
                            .collect();
                        let chunks = futures::stream::iter(slices);
                        Part::stream_with_length(counted(chunks, length, Some(progress)), length)
                    }
                }
            }
            Kind::Stream { length, stream } => {
                let taken = match stream.lock() {
                    Ok(mut slot) => slot.take(),
                    Err(poisoned) => poisoned.into_inner().take(),
                };
                let stream = taken.ok_or_else(|| {
                    Error::InvalidArgument(format!(
                        "the upload stream for {filename:?} was already sent; a stream can be uploaded only once"
                    ))
                })?;
                Part::stream_with_length(counted(stream, *length, progress), *length)
            }
        };
        part.file_name(filename)
            .mime_str(self.mime_type())
            .map_err(|_| {
                Error::InvalidArgument(format!("invalid MIME type {:?}", self.mime_type()))
            })
    }

    /// A fresh `multipart/form-data` form with the fields `purpose` and `file`.
    pub async fn form(&self, purpose: &str) -> Result<Form, Error> {
        Ok(Form::new()
            .text("purpose", purpose.to_owned())
            .part("file", self.part().await?))
    }
}

impl From<PathBuf> for UploadSource {
    /// The file at the path, streamed from disk ([`UploadSource::from_path`]).
    fn from(path: PathBuf) -> Self {
        UploadSource::from_path(path)
    }
}

impl From<&Path> for UploadSource {
    /// The file at the path, streamed from disk ([`UploadSource::from_path`]).
    fn from(path: &Path) -> Self {
        UploadSource::from_path(path)
    }
}

/// The body for `chunks`, reporting to `progress` (if any) as it is read.
fn counted<S>(chunks: S, total: u64, progress: Option<Arc<dyn Progress>>) -> reqwest::Body
where
    S: Stream<Item = io::Result<Bytes>> + Send + 'static,
{
    let Some(progress) = progress else {
        return reqwest::Body::wrap_stream(chunks);
    };
    progress.update(DownloadProgress {
        bytes_done: 0,
        total: Some(total),
    });
    let mut bytes_done = 0u64;
    reqwest::Body::wrap_stream(chunks.inspect(move |chunk| {
        if let Ok(chunk) = chunk {
            bytes_done += chunk.len() as u64;
            progress.update(DownloadProgress {
                bytes_done,
                total: Some(total),
            });
        }
    }))
}

async fn open_file(path: &Path) -> Result<(tokio::fs::File, u64), Error> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|source| Error::io("open", path, source))?;
    let metadata = file
        .metadata()
        .await
        .map_err(|source| Error::io("read the size of", path, source))?;
    if !metadata.is_file() {
        return Err(Error::InvalidArgument(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    Ok((file, metadata.len()))
}

/// The MIME type for a file name, from its extension (case-insensitive):
/// mp3, m4a, wav, txt, zip, mp4, mov, avi, mkv, pdf, docx, jsonl; anything
/// else is `application/octet-stream`.
pub fn guess_mime_type(filename: &str) -> &'static str {
    let extension = Path::new(filename)
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        "txt" => "text/plain",
        "zip" => "application/zip",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        "mkv" => "video/x-matroska",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "jsonl" => "application/jsonl",
        _ => "application/octet-stream",
    }
}

impl Client {
    /// Uploads `source` as `multipart/form-data` (`purpose` and `file`
    /// fields) with a POST to the API path `path`, through the executor.
    ///
    /// The form is built afresh for every attempt (a path is reopened), so
    /// uploads from a path or bytes are retried per the retry policy; a
    /// stream source is sent once.
    pub async fn send_upload(
        &self,
        operation: &'static str,
        path: &str,
        purpose: &str,
        source: &UploadSource,
    ) -> Result<reqwest::Response, Error> {
        let url = self.url(path)?;
        if source.is_replayable() {
            self.send_with(operation, || async {
                let form = source.form(purpose).await?;
                self.http_client()
                    .post(url.clone())
                    .multipart(form)
                    .build()
                    .map_err(|error| crate::error::from_reqwest(operation, error, None))
            })
            .await
        } else {
            let form = source.form(purpose).await?;
            self.send(operation, self.http_client().post(url).multipart(form))
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types_are_guessed_from_extensions() {
        let cases = [
            ("a.mp3", "audio/mpeg"),
            ("A.MP3", "audio/mpeg"),
            ("voice.m4a", "audio/mp4"),
            ("x.wav", "audio/wav"),
            ("book.txt", "text/plain"),
            ("batch.zip", "application/zip"),
            ("clip.mp4", "video/mp4"),
            ("clip.mov", "video/quicktime"),
            ("clip.avi", "video/x-msvideo"),
            ("clip.mkv", "video/x-matroska"),
            ("doc.pdf", "application/pdf"),
            (
                "doc.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("data.jsonl", "application/jsonl"),
            ("noext", "application/octet-stream"),
            ("weird.xyz", "application/octet-stream"),
        ];
        for (name, mime) in cases {
            assert_eq!(guess_mime_type(name), mime, "{name}");
        }
    }

    #[test]
    fn filenames_and_overrides() {
        let source = UploadSource::from_path("/tmp/dir/voice.wav");
        assert_eq!(source.filename(), Some("voice.wav"));
        assert_eq!(source.mime_type(), "audio/wav");
        assert!(source.is_replayable());
        let source = source
            .with_filename("other.mp3")
            .with_mime_type("audio/x-custom");
        assert_eq!(source.filename(), Some("other.mp3"));
        assert_eq!(source.mime_type(), "audio/x-custom");
        let stream = UploadSource::from_stream("s.txt", 0, futures::stream::empty());
        assert!(!stream.is_replayable());
    }

    #[tokio::test]
    async fn a_stream_source_is_sent_once() {
        let source = UploadSource::from_stream(
            "s.txt",
            1,
            futures::stream::iter([Ok(Bytes::from_static(b"x"))]),
        );
        assert!(source.form("t2a_async_input").await.is_ok());
        assert!(matches!(
            source.form("t2a_async_input").await,
            Err(Error::InvalidArgument(_))
        ));
    }

    #[tokio::test]
    async fn a_missing_file_names_its_path() {
        let source = UploadSource::from_path("/definitely/not/here.mp3");
        match source.form("voice_clone").await {
            Err(Error::Io { path, .. }) => {
                assert_eq!(path, PathBuf::from("/definitely/not/here.mp3"))
            }
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }
}
