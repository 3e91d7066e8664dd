//! Multipart uploads: streamed from disk, received intact, rebuilt for a retry.

use std::sync::Arc;

use httpmock::prelude::*;
use httpmock::HttpMockRequest;
use minimax_sdk::UploadSource;

use crate::common::{api, client};

/// Deterministic pseudo-random bytes (so a corrupted or reordered body is caught).
fn test_bytes(len: usize) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Whether the multipart body has `purpose` and, in the `file` part, exactly
/// `expected` with the given file name and content type.
fn form_matches(body: &[u8], purpose: &str, filename: &str, mime: &str, expected: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]).into_owned();
    let purpose_ok = text.contains(&format!("name=\"purpose\"\r\n\r\n{purpose}\r\n"));
    let header = format!("name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n");
    let Some(at) = find(body, header.as_bytes()) else {
        return false;
    };
    let start = at + header.len();
    let rest = &body[start..];
    purpose_ok
        && rest.len() >= expected.len() + 2
        && &rest[..expected.len()] == expected
        && rest[expected.len()..].starts_with(b"\r\n--")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[tokio::test]
async fn a_multi_megabyte_file_is_streamed_intact_and_rebuilt_for_a_retry() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("narration.mp3");
    let content = Arc::new(test_bytes(6 * 1024 * 1024 + 123));
    std::fs::write(&path, content.as_slice()).unwrap();

    let server = MockServer::start_async().await;
    let matcher = {
        let content = Arc::clone(&content);
        move |request: &HttpMockRequest| {
            form_matches(
                request.body_ref(),
                "voice_clone",
                "narration.mp3",
                "audio/mpeg",
                &content,
            )
        }
    };
    let failing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/files/upload")
                .header_exists("content-length")
                .header_prefix("content-type", "multipart/form-data; boundary=")
                .is_true(matcher.clone());
            then.status(503).up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/files/upload").is_true(matcher);
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"file":{"file_id":99,"bytes":6291579,"filename":"narration.mp3","purpose":"voice_clone"},"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;

    let client = client(&server);
    let response = client
        .send_upload(
            "upload_file",
            "/v1/files/upload",
            "voice_clone",
            &UploadSource::from_path(&path),
        )
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["file"]["file_id"], 99);
    assert_eq!(
        failing.calls_async().await,
        1,
        "the first attempt carried the whole file"
    );
    assert_eq!(
        ok.calls_async().await,
        1,
        "the retry carried the whole file again"
    );
}

#[tokio::test]
async fn bytes_are_uploaded_and_retried_too() {
    let server = MockServer::start_async().await;
    let content = test_bytes(100_000);
    let expected = content.clone();
    let failing = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/files/upload");
            then.status(500).up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/v1/files/upload")
                .is_true(move |request: &HttpMockRequest| {
                    form_matches(
                        request.body_ref(),
                        "t2a_async_input",
                        "book.txt",
                        "text/plain",
                        &expected,
                    )
                });
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = client(&server);
    client
        .send_upload(
            "upload_file",
            "/v1/files/upload",
            "t2a_async_input",
            &UploadSource::from_bytes("book.txt", content),
        )
        .await
        .unwrap();
    assert_eq!(
        (failing.calls_async().await, ok.calls_async().await),
        (1, 1)
    );
}

#[tokio::test]
async fn a_stream_source_is_sent_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/files/upload");
            then.status(503);
        })
        .await;
    let client = client(&server);
    let chunks = futures::stream::iter(vec![
        Ok(bytes::Bytes::from_static(b"hello ")),
        Ok(bytes::Bytes::from_static(b"world")),
    ]);
    let source = UploadSource::from_stream("greeting.txt", 11, chunks);
    let error = client
        .send_upload(
            "upload_file",
            "/v1/files/upload",
            "t2a_async_input",
            &source,
        )
        .await
        .unwrap_err();
    assert_eq!(api(error).http_status, Some(503));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn an_upload_error_in_base_resp_is_typed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/files/upload");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"base_resp":{"status_code":2013,"status_msg":"unsupported format"}}"#);
        })
        .await;
    let client = client(&server);
    let error = client
        .send_upload(
            "upload_file",
            "/v1/files/upload",
            "voice_clone",
            &UploadSource::from_bytes("a.exe", vec![0u8; 10]),
        )
        .await
        .unwrap_err();
    assert_eq!(api(error).code, minimax_sdk::ErrorCode::InvalidInput);
}

#[tokio::test]
async fn upload_progress_counts_every_byte_and_restarts_for_a_retry() {
    use std::sync::Mutex;

    use minimax_sdk::{DownloadProgress, FilePurpose};

    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("prompt.wav");
    let content = test_bytes(1024 * 1024 + 7);
    std::fs::write(&path, &content).unwrap();
    let total = content.len() as u64;

    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/files/upload");
            then.status(502).up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/files/upload");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"file":{"file_id":7,"bytes":1048583,"created_at":1700000000,"filename":"prompt.wav","purpose":"prompt_audio"},"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;

    let seen = Arc::new(Mutex::new(Vec::<DownloadProgress>::new()));
    let recorder = Arc::clone(&seen);
    let source = UploadSource::from_path(&path)
        .with_progress(move |progress: DownloadProgress| recorder.lock().unwrap().push(progress));
    let file = client(&server)
        .files()
        .upload(source, FilePurpose::PromptAudio)
        .await
        .unwrap();
    assert_eq!(file.file_id.get(), 7);
    assert_eq!(
        (failing.calls_async().await, ok.calls_async().await),
        (1, 1)
    );

    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|progress| progress.total == Some(total)));
    // Two attempts, each reporting from zero up to the whole file.
    let starts: Vec<usize> = (0..seen.len())
        .filter(|&index| seen[index].bytes_done == 0)
        .collect();
    assert_eq!(starts.len(), 2, "{seen:?}");
    for attempt in [&seen[starts[0]..starts[1]], &seen[starts[1]..]] {
        assert!(attempt
            .windows(2)
            .all(|pair| pair[0].bytes_done < pair[1].bytes_done));
        assert_eq!(
            attempt.last().map(|progress| progress.bytes_done),
            Some(total)
        );
        assert!(
            attempt.len() > 10,
            "progress moves during the upload: {} updates",
            attempt.len()
        );
    }
}
