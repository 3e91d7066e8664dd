//! Atomic downloads of generated files (audio, video, images) from their
//! download URLs.
//!
//! [`Client::download`] returns a [`Download`] builder; [`Download::to_path`]
//! streams the body into a temporary file in the target's directory,
//! fsyncs it, checks the byte count, and renames it over the target only
//! when everything arrived. On any error, or when the future is dropped, the
//! temporary file is removed and nothing is left under the target name.
//!
//! The request goes through the client's executor and its `reqwest::Client`
//! (proxies, TLS, timeouts, retries, tracing apply), but download URLs are
//! pre-signed URLs on another host, so the executor does not attach the API
//! key (it only does for the API origin). The per-attempt timeout covers
//! the whole transfer: raise it with [`Client::with_options`] for very large
//! files on slow links.
//!
//! Download URLs expire (a file's `download_url` after 1 hour, async speech
//! output after 9 hours). When the host answers 403, 404 or 410, the
//! resolver given to [`Download::on_expired`] is called once for a fresh URL
//! and the download is tried again.

use bytes::Bytes;
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use futures::future::BoxFuture;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::client::Client;
use crate::error::{from_reqwest, Error};

/// How far a download has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DownloadProgress {
    /// Bytes written so far.
    pub bytes_done: u64,
    /// The total size, when known (the expected length or `Content-Length`).
    pub total: Option<u64>,
}

/// Receives progress updates: after the response arrives and after every
/// chunk written. Implemented for closures and for
/// `tokio::sync::watch::Sender<DownloadProgress>`.
pub trait Progress: Send + Sync {
    /// Called with the current progress.
    fn update(&self, progress: DownloadProgress);
}

impl<F: Fn(DownloadProgress) + Send + Sync> Progress for F {
    fn update(&self, progress: DownloadProgress) {
        self(progress)
    }
}

impl Progress for tokio::sync::watch::Sender<DownloadProgress> {
    fn update(&self, progress: DownloadProgress) {
        self.send_replace(progress);
    }
}

type Resolver = Box<dyn FnOnce() -> BoxFuture<'static, Result<String, Error>> + Send>;

/// A download being configured; run it with [`Download::to_path`].
#[must_use = "a download does nothing until `to_path` is awaited"]
pub struct Download {
    client: Client,
    url: String,
    operation: &'static str,
    expected_len: Option<u64>,
    progress: Option<Arc<dyn Progress>>,
    resolve: Option<Resolver>,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry a signature; show only its host.
        f.debug_struct("Download")
            .field("host", &host_of(&self.url))
            .field("operation", &self.operation)
            .field("expected_len", &self.expected_len)
            .field("progress", &self.progress.is_some())
            .field("on_expired", &self.resolve.is_some())
            .finish()
    }
}

/// The host of `url`, for `Debug` output of pre-signed URLs (which grant
/// access to a file and must not be shown whole).
pub(crate) fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_owned))
        .unwrap_or_else(|| "<invalid URL>".to_owned())
}

impl Client {
    /// Starts a download of `url` (a file's `download_url`, a generated
    /// image or video URL).
    pub fn download(&self, url: impl Into<String>) -> Download {
        Download {
            client: self.clone(),
            url: url.into(),
            operation: "download",
            expected_len: None,
            progress: None,
            resolve: None,
        }
    }
}

impl Download {
    /// The number of bytes the file must have (a file's `bytes`); a
    /// different count is an [`Error::SizeMismatch`] and nothing is kept.
    pub fn expected_len(mut self, expected_len: Option<u64>) -> Self {
        self.expected_len = expected_len;
        self
    }

    /// Reports progress to `progress`.
    pub fn progress(mut self, progress: impl Progress + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Reports progress to an already shared receiver.
    pub(crate) fn progress_shared(mut self, progress: Option<Arc<dyn Progress>>) -> Self {
        self.progress = progress;
        self
    }

    /// When the URL has expired (HTTP 403, 404 or 410), calls `resolve` once
    /// for a fresh URL and tries again.
    pub fn on_expired<F, Fut>(mut self, resolve: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<String, Error>> + Send + 'static,
    {
        self.resolve = Some(Box::new(move || Box::pin(resolve())));
        self
    }

    /// The operation name used in errors and traces (default `download`).
    pub fn operation(mut self, operation: &'static str) -> Self {
        self.operation = operation;
        self
    }

    /// Downloads to `path` atomically; returns the number of bytes written.
    pub async fn to_path(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        // Taken apart so that the future holds no borrow of the
        // (non-`Sync`) resolver and stays `Send`.
        let Download {
            client,
            mut url,
            operation,
            expected_len,
            progress,
            mut resolve,
        } = self;
        let path = path.as_ref();
        loop {
            match fetch(&client, operation, &url).await {
                Err(Error::Api(api))
                    if matches!(api.http_status, Some(403 | 404 | 410)) && resolve.is_some() =>
                {
                    let Some(resolve) = resolve.take() else {
                        return Err(Error::Api(api));
                    };
                    tracing::debug!(
                        operation,
                        status = api.http_status,
                        "download URL expired; resolving a fresh one"
                    );
                    url = resolve().await?;
                }
                Err(error) => return Err(error),
                Ok(response) => {
                    return write(operation, response, path, expected_len, progress.as_deref())
                        .await
                }
            }
        }
    }
}

async fn fetch(
    client: &Client,
    operation: &'static str,
    url: &str,
) -> Result<reqwest::Response, Error> {
    let parsed = reqwest::Url::parse(url).map_err(|error| {
        Error::InvalidArgument(format!(
            "invalid download URL for host {}: {error}",
            host_of(url)
        ))
    })?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(Error::InvalidArgument(format!(
            "a download URL must be http(s), not {}",
            parsed.scheme()
        )));
    }
    client
        .send(operation, client.http_client().get(parsed))
        .await
}

async fn write(
    operation: &'static str,
    response: reqwest::Response,
    path: &Path,
    expected_len: Option<u64>,
    progress: Option<&dyn Progress>,
) -> Result<u64, Error> {
    let announced = response.content_length();
    if let (Some(expected), Some(announced)) = (expected_len, announced) {
        if expected != announced {
            return Err(Error::SizeMismatch {
                operation,
                expected,
                received: announced,
            });
        }
    }
    let total = expected_len.or(announced);
    let body = response
        .bytes_stream()
        .map(move |chunk| chunk.map_err(|error| from_reqwest(operation, error, None)));
    write_atomically(operation, body, path, expected_len, total, progress).await
}

/// Writes bytes already in memory (decoded audio, a base64 image) to `path`
/// atomically, like a download. Returns the number of bytes written.
pub(crate) async fn save_bytes(
    operation: &'static str,
    bytes: &Bytes,
    path: &Path,
) -> Result<u64, Error> {
    let length = bytes.len() as u64;
    let body = futures::stream::once(futures::future::ready(Ok(bytes.clone())));
    write_atomically(operation, body, path, Some(length), Some(length), None).await
}

/// Writes `body` to `path` atomically: into a temporary file in the same
/// directory, flushed and synced, renamed over `path` only when the whole
/// body arrived and (with `expected_len`) has exactly that many bytes. On
/// any error, or when the future is dropped, the temporary file is removed
/// and `path` is untouched. `progress` hears `(0, total)` first and then
/// the count after every chunk. Returns the number of bytes written.
pub(crate) async fn write_atomically<S>(
    operation: &'static str,
    body: S,
    path: &Path,
    expected_len: Option<u64>,
    total: Option<u64>,
    progress: Option<&dyn Progress>,
) -> Result<u64, Error>
where
    S: futures::Stream<Item = Result<bytes::Bytes, Error>>,
{
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let report = |bytes_done: u64| {
        if let Some(progress) = progress {
            progress.update(DownloadProgress { bytes_done, total });
        }
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".minimax-download-").suffix(".part");
    // tempfile creates owner-only (0600) files; a saved download should get
    // the permissions any new file gets (0666 less the umask), as `File::create` does.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temp = builder
        .tempfile_in(directory)
        .map_err(|source| Error::io("create a temporary file in", directory, source))?;
    // From here on, dropping `temp_path` (on any error or cancellation)
    // deletes the temporary file.
    let (file, temp_path) = temp.into_parts();
    let mut file = tokio::fs::File::from_std(file);

    report(0);
    let mut bytes_done = 0u64;
    let mut body = std::pin::pin!(body);
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        bytes_done += chunk.len() as u64;
        if let Some(expected) = expected_len.filter(|expected| bytes_done > *expected) {
            return Err(Error::SizeMismatch {
                operation,
                expected,
                received: bytes_done,
            });
        }
        file.write_all(&chunk)
            .await
            .map_err(|source| Error::io("write", temp_path.to_path_buf(), source))?;
        report(bytes_done);
    }
    file.flush()
        .await
        .map_err(|source| Error::io("write", temp_path.to_path_buf(), source))?;
    file.sync_all()
        .await
        .map_err(|source| Error::io("sync", temp_path.to_path_buf(), source))?;
    drop(file);

    if let Some(expected) = expected_len.filter(|expected| bytes_done != *expected) {
        return Err(Error::SizeMismatch {
            operation,
            expected,
            received: bytes_done,
        });
    }
    temp_path
        .persist(path)
        .map_err(|error| Error::io("move the download into", path, error.error))?;
    Ok(bytes_done)
}
