//! Helpers shared by the integration tests.

use std::time::Duration;

use httpmock::{Method::GET, Mock, MockServer};
use minimax_sdk::{Client, Error, RetryPolicy, WaitOptions};

/// The API key every test client uses; it must never appear anywhere but
/// the `Authorization` header sent to the API origin.
pub const KEY: &str = "sk-test-SECRET-0123456789abcdef";

/// A JSON success body with a file, as `/v1/files/retrieve` returns it.
pub const FILE_BODY: &str = r#"{"file":{"file_id":42,"bytes":5,"created_at":1700000000,"filename":"a.mp3","purpose":"voice_clone","download_url":"https://cdn.example/a.mp3"},"base_resp":{"status_code":0,"status_msg":"success"}}"#;

/// Retries without noticeable delays, for tests on the real clock.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
        .jitter(false)
}

/// A client for `server` using the real clock.
pub fn client(server: &MockServer) -> Client {
    builder(server)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// A client builder for `server`.
pub fn builder(server: &MockServer) -> minimax_sdk::ClientBuilder {
    Client::builder().api_key(KEY).base_url(server.base_url())
}

/// A client for tests with a paused tokio clock: no timers may be pending
/// while real I/O is in flight (the paused clock would jump to them), so it
/// has no per-attempt timeout, no connect timeout and no idle pool.
pub fn paused_client(server: &MockServer, policy: RetryPolicy) -> Client {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    builder(server)
        .http_client(http)
        .no_timeout()
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// The API error inside `error`, or a panic naming what it was instead.
pub fn api(error: Error) -> minimax_sdk::ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A JSON body reporting MiniMax error `code` in `base_resp`.
pub fn error_body(code: i64, message: &str) -> String {
    format!(r#"{{"base_resp":{{"status_code":{code},"status_msg":"{message}"}}}}"#)
}

/// Asserts `error` is an API error with the MiniMax `code`, the message and
/// the trace id `trace_id`.
pub fn assert_api_error(error: Error, code: i64, trace_id: &str) -> minimax_sdk::ApiError {
    let api = api(error);
    assert_eq!(api.status_code, Some(code), "{api}");
    assert_eq!(api.code, minimax_sdk::ErrorCode::from_code(code), "{api}");
    assert_eq!(api.trace_id.as_deref(), Some(trace_id), "{api}");
    assert_eq!(api.http_status, Some(200), "{api}");
    api
}

/// The sorted names of the entries of `directory`.
pub fn entries(directory: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `Authorization` header value the API must receive.
pub fn bearer() -> String {
    format!("Bearer {KEY}")
}

/// A one-route HTTP server that answers every request with `head` (status
/// line and headers, without the blank line) and then writes `pieces` one
/// by one with a pause between them, closing the connection at the end; a
/// body split across network reads exactly where the pieces split. Returns
/// its base URL and the raw requests it received.
pub async fn piecewise_server(
    head: &str,
    pieces: Vec<Vec<u8>>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&requests);
    let head = format!("{head}\r\nconnection: close\r\n\r\n");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            // Read the request head and its body (by Content-Length).
            let mut request = Vec::new();
            let mut buffer = [0u8; 8192];
            while let Ok(read) = socket.read(&mut buffer).await {
                if read == 0 {
                    break;
                }
                request.extend_from_slice(&buffer[..read]);
                let text = String::from_utf8_lossy(&request).into_owned();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|line| {
                            let (name, value) = line.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().ok())
                                .flatten()
                        })
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&request).into_owned());
            let _ = socket.write_all(head.as_bytes()).await;
            for piece in &pieces {
                let _ = socket.write_all(piece).await;
                let _ = socket.flush().await;
                tokio::time::sleep(Duration::from_millis(3)).await;
            }
            let _ = socket.shutdown().await;
        }
    });
    (format!("http://{address}"), requests)
}

/// Splits `text` into pieces of `size` bytes (the last may be shorter).
pub fn split_every(text: &str, size: usize) -> Vec<Vec<u8>> {
    text.as_bytes().chunks(size).map(<[u8]>::to_vec).collect()
}

/// A client for a base URL (the piecewise server).
pub fn client_for(base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// Mocks `GET /v1/files/retrieve` answering [`FILE_BODY`] as JSON with the
/// trace id `t-file`, whatever the query: the successful answer that most
/// executor, retry and runtime tests end with.
pub async fn mock_file_retrieve(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", "application/json")
                .header("trace-id", "t-file")
                .body(FILE_BODY);
        })
        .await
}

/// `files/retrieve` of file 1 through [`Client::call`] (the generated
/// client's builder wrapped by the SDK), the call most executor and retry
/// tests make.
pub async fn call_retrieve(client: &Client) -> Result<minimax_sdk::types::RetrieveFileResp, Error> {
    client
        .call(
            "retrieve_file",
            client.raw().retrieve_file().file_id(1_i64).send(),
        )
        .await
}

/// Wait options without a deadline (the paused clock would reach any).
pub fn no_deadline() -> WaitOptions {
    WaitOptions::default().deadline(None)
}

/// A download host serving `body` as `content_type` at `path`, answering
/// only requests that carry no `Authorization` header (the API key must
/// never reach it).
pub async fn mock_download_host<'a>(
    cdn: &'a MockServer,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Mock<'a> {
    let (path, content_type, body) = (path.to_owned(), content_type.to_owned(), body.to_vec());
    cdn.mock_async(move |when, then| {
        when.method(GET).path(path).header_missing("authorization");
        then.status(200)
            .header("content-type", content_type)
            .body(body);
    })
    .await
}
