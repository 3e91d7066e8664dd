//! The API key never appears in logs (captured at TRACE level, including
//! `reqwest`/`hyper` internals), `Debug` or `Display` output.
//!
//! Its own test binary: it installs a global `tracing` subscriber.

// Tests may unwrap: a panic is a test failure with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::prelude::*;
use minimax_sdk::{Client, RetryPolicy, UploadSource};

const KEY: &str = "sk-redaction-TEST-key-9f8e7d6c5b4a";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_key_never_appears_in_logs_or_debug_output() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    tracing_subscriber::fmt()
        // Everything at TRACE except the mock server itself, which receives
        // the key legitimately and logs the requests it gets.
        .with_env_filter("trace,httpmock=off")
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let api = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.path("/v1/files/retrieve");
        then.status(200)
            .header("content-type", "application/json")
            .header("Trace-Id", "trace-xyz")
            .body(r#"{"base_resp":{"status_code":1004,"status_msg":"invalid api key"}}"#);
    })
    .await;
    api.mock_async(|when, then| {
        when.path("/v1/files/upload");
        then.status(503).body("busy");
    })
    .await;
    cdn.mock_async(|when, then| {
        when.path("/file");
        then.status(200).body("bytes");
    })
    .await;

    let client = Client::builder()
        .api_key(KEY)
        .base_url(api.base_url())
        .group_id("group-7")
        .retry_policy(RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5)))
        .build()
        .unwrap();

    let auth_error = client
        .call(
            "retrieve_file",
            client.raw().retrieve_file().file_id(1_i64).send(),
        )
        .await
        .unwrap_err();
    let upload_error = client
        .send_upload(
            "upload_file",
            "/v1/files/upload",
            "voice_clone",
            &UploadSource::from_bytes("a.mp3", vec![1u8; 64]),
        )
        .await
        .unwrap_err();
    let directory = tempfile::tempdir().unwrap();
    client
        .download(cdn.url("/file"))
        .to_path(directory.path().join("file"))
        .await
        .unwrap();

    let mut shown = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // The capture works: the request spans and their fields are there.
    assert!(shown.contains("minimax.request"), "{shown}");
    assert!(
        shown.contains("operation=\"retrieve_file\"") || shown.contains("operation=retrieve_file"),
        "{shown}"
    );
    assert!(
        shown.contains("trace_id=\"trace-xyz\"") || shown.contains("trace_id=trace-xyz"),
        "{shown}"
    );
    assert!(shown.contains("retrying MiniMax request"), "{shown}");
    // ... and so are the HTTP stack's own TRACE logs.
    assert!(
        shown.contains("hyper") || shown.contains("reqwest"),
        "{shown}"
    );

    for text in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.config()),
        format!("{auth_error} {auth_error:?}"),
        format!("{upload_error} {upload_error:?}"),
        format!("{:?}", Client::builder().api_key(KEY)),
    ] {
        shown.push_str(&text);
    }
    assert!(!shown.contains(KEY), "the key leaked:\n{shown}");
    assert!(
        !shown.contains("TEST-key"),
        "part of the key leaked:\n{shown}"
    );
    assert!(format!("{client:?}").contains("api_key: \"[redacted]\""));
}
