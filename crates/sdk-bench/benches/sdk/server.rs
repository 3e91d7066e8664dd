//! The loopback server: plain hyper 1 (HTTP/1.1), run in a child process so
//! its CPU and memory are not the client's.
//!
//! - `GET /v1/files/retrieve?file_id=N` answers a ~250-byte file object
//!   (prebuilt for the benchmark's ids) with `Content-Type:
//!   application/json` and a `Trace-Id` header; `bytes` is the download
//!   size for [`DOWNLOAD_FILE_ID`], so the SDK's size check passes.
//! - `POST /v1/files/upload` reads the multipart body frame by frame,
//!   counting bytes and keeping only the first 4 KiB (part headers) and the
//!   last 256 bytes (closing boundary), and answers the file object with the
//!   exact size of the `file` part.
//! - `GET /download/N` streams the download size from one reused 1 MiB
//!   buffer, with a `Content-Length`.
//!
//! Every API route checks `Authorization: Bearer <API_KEY>`. The server
//! prints `listening <port>` on stdout and exits when its stdin closes
//! (when the benchmark process ends, however it ends).

use std::convert::Infallible;
use std::io::{Read, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;

use crate::{env_u64, API_KEY, BENCH_FILE_ID, DOWNLOAD_FILE_ID, UPLOAD_FILE_ID};

type ResponseBody = BoxBody<Bytes, Infallible>;

/// The size of the buffer a download is streamed from.
const DOWNLOAD_CHUNK: usize = 1024 * 1024;
/// How much of an upload body is kept to read the part headers.
const HEAD_KEEP: usize = 4096;
/// How much of an upload body is kept to check the closing boundary.
const TAIL_KEEP: usize = 256;
const CREATED_AT: i64 = 1_700_469_398;

struct State {
    port: u16,
    download_bytes: u64,
    bearer: Bytes,
    chunk: Bytes,
    trace: AtomicU64,
    bench_file: Bytes,
    download_file: Bytes,
}

/// Runs the server until stdin closes.
pub fn run() -> anyhow::Result<()> {
    let download_bytes = env_u64("SDK_BENCH_DOWNLOAD_BYTES", 1 << 30)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // The parent holds our stdin; when it goes away, so do we.
    std::thread::spawn(|| {
        let mut buffer = [0u8; 64];
        loop {
            match std::io::stdin().read(&mut buffer) {
                Ok(0) | Err(_) => std::process::exit(0),
                Ok(_) => {}
            }
        }
    });
    runtime.block_on(serve(download_bytes))
}

async fn serve(download_bytes: u64) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the loopback server")?;
    let port = listener.local_addr()?.port();
    let state = Arc::new(State {
        port,
        download_bytes,
        bearer: Bytes::from(format!("Bearer {API_KEY}")),
        chunk: Bytes::from(
            (0..DOWNLOAD_CHUNK)
                .map(|index| (index % 251) as u8)
                .collect::<Vec<u8>>(),
        ),
        trace: AtomicU64::new(0),
        bench_file: file_body(port, BENCH_FILE_ID, 5_896_337, "output_aigc.mp4"),
        download_file: file_body(port, DOWNLOAD_FILE_ID, download_bytes, "bench-download.mp4"),
    });
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening {port}")?;
        stdout.flush()?;
    }
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = Arc::clone(&state);
                async move { Ok::<_, Infallible>(handle(request, &state).await) }
            });
            // A client closing its connection is not an error worth reporting.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The retrieve body of a video-generation file.
fn file_body(port: u16, file_id: i64, bytes: u64, filename: &str) -> Bytes {
    let body = json!({
        "file": {
            "file_id": file_id,
            "bytes": bytes,
            "created_at": CREATED_AT,
            "filename": filename,
            "purpose": "video_generation",
            "download_url": format!("http://127.0.0.1:{port}/download/{file_id}"),
        },
        "base_resp": {"status_code": 0, "status_msg": "success"},
    });
    Bytes::from(body.to_string())
}

async fn handle(request: Request<Incoming>, state: &State) -> Response<ResponseBody> {
    let path = request.uri().path();
    let authorized = request
        .headers()
        .get(AUTHORIZATION)
        .is_some_and(|value| value.as_bytes() == state.bearer.as_ref());
    match (request.method(), path) {
        _ if !authorized && !path.starts_with("/download/") => {
            api_error(state, StatusCode::OK, 1004, "authentication failed")
        }
        (&Method::GET, "/v1/files/retrieve") => {
            let file_id = request
                .uri()
                .query()
                .unwrap_or_default()
                .split('&')
                .find_map(|pair| pair.strip_prefix("file_id="))
                .and_then(|id| id.parse::<i64>().ok());
            match file_id {
                Some(BENCH_FILE_ID) => json_response(state, state.bench_file.clone()),
                Some(DOWNLOAD_FILE_ID) => json_response(state, state.download_file.clone()),
                Some(id) => json_response(state, file_body(state.port, id, 1_048_576, "file.mp4")),
                None => api_error(state, StatusCode::OK, 2013, "invalid params, file_id"),
            }
        }
        (&Method::POST, "/v1/files/upload") => upload(request, state).await,
        (&Method::GET, download) if download.starts_with("/download/") => {
            let body = Repeat {
                chunk: state.chunk.clone(),
                remaining: state.download_bytes,
            };
            let mut response = Response::new(body.boxed());
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("video/mp4"));
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(state.download_bytes));
            response
        }
        _ => api_error(state, StatusCode::NOT_FOUND, 1000, "no such route"),
    }
}

/// Reads a multipart upload as it arrives, keeping only its first and last
/// few bytes, and answers with the size of its `file` part.
async fn upload(request: Request<Incoming>, state: &State) -> Response<ResponseBody> {
    let boundary = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split("boundary=").nth(1))
        .map(|boundary| boundary.trim_matches('"').to_owned());
    let Some(boundary) = boundary else {
        return api_error(state, StatusCode::OK, 2013, "not multipart/form-data");
    };
    let mut body = request.into_body();
    let mut total = 0u64;
    let mut head = Vec::with_capacity(HEAD_KEEP);
    let mut tail = Vec::with_capacity(2 * TAIL_KEEP);
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return api_error(state, StatusCode::BAD_REQUEST, 1000, "body read failed");
        };
        let Some(data) = frame.data_ref() else {
            continue;
        };
        total += data.len() as u64;
        if head.len() < HEAD_KEEP {
            let take = data.len().min(HEAD_KEEP - head.len());
            head.extend_from_slice(&data[..take]);
        }
        tail.extend_from_slice(&data[data.len().saturating_sub(TAIL_KEEP)..]);
        if tail.len() > TAIL_KEEP {
            tail.drain(..tail.len() - TAIL_KEEP);
        }
    }
    let closing = format!("\r\n--{boundary}--\r\n");
    let parsed = parse_part_headers(&head).filter(|_| tail.ends_with(closing.as_bytes()));
    let Some((purpose, filename, content_start)) = parsed else {
        return api_error(state, StatusCode::OK, 2013, "invalid multipart body");
    };
    let file_bytes = total.saturating_sub(content_start + closing.len() as u64);
    let body = json!({
        "file": {
            "file_id": UPLOAD_FILE_ID,
            "bytes": file_bytes,
            "created_at": CREATED_AT,
            "filename": filename,
            "purpose": purpose,
        },
        "base_resp": {"status_code": 0, "status_msg": "success"},
    });
    json_response(state, Bytes::from(body.to_string()))
}

/// The `purpose` field, the file name, and where the file's bytes start,
/// from the beginning of a `purpose`-then-`file` multipart body.
fn parse_part_headers(head: &[u8]) -> Option<(String, String, u64)> {
    let text = String::from_utf8_lossy(head);
    let after_purpose = &text[text.find("name=\"purpose\"")?..];
    let value_start = after_purpose.find("\r\n\r\n")? + 4;
    let value_len = after_purpose[value_start..].find("\r\n")?;
    let purpose = after_purpose[value_start..value_start + value_len].to_owned();
    let filename_at = text.find("filename=\"")? + "filename=\"".len();
    let filename_len = text[filename_at..].find('"')?;
    let filename = text[filename_at..filename_at + filename_len].to_owned();
    let content_start = filename_at + text[filename_at..].find("\r\n\r\n")? + 4;
    Some((purpose, filename, content_start as u64))
}

fn json_response(state: &State, body: Bytes) -> Response<ResponseBody> {
    let trace = state.trace.fetch_add(1, Ordering::Relaxed);
    let mut response = Response::new(Full::new(body).boxed());
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(value) = HeaderValue::from_str(&format!("0f3c6a5b9e2d41c8{trace:016x}")) {
        headers.insert("trace-id", value);
    }
    response
}

fn api_error(
    state: &State,
    status: StatusCode,
    code: i64,
    message: &str,
) -> Response<ResponseBody> {
    let body = json!({"base_resp": {"status_code": code, "status_msg": message}});
    let mut response = json_response(state, Bytes::from(body.to_string()));
    *response.status_mut() = status;
    response
}

/// `remaining` bytes served from one shared buffer (no copies).
struct Repeat {
    chunk: Bytes,
    remaining: u64,
}

impl Body for Repeat {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let length = self.remaining.min(self.chunk.len() as u64) as usize;
        self.remaining -= length as u64;
        Poll::Ready(Some(Ok(Frame::data(self.chunk.slice(..length)))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}
