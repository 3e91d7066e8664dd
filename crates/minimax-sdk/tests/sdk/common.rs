//! Helpers shared by the integration tests.

use std::time::Duration;

use httpmock::MockServer;
use minimax_sdk::{Client, Error, RetryPolicy};

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
