//! `client.files()`: upload, list, retrieve, content, delete, download_to.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use httpmock::prelude::*;
use httpmock::HttpMockRequest;
use minimax_sdk::{DownloadProgress, Error, FilePurpose, Id, UploadSource};

use crate::common::{assert_api_error, bearer, client, entries, error_body, mock_download_host};

const JSON: &str = "application/json";

fn file_body(file_id: &str, bytes: u64, download_url: Option<&str>) -> String {
    let url = download_url
        .map(|url| format!(r#","download_url":"{url}""#))
        .unwrap_or_default();
    format!(
        r#"{{"file":{{"file_id":{file_id},"bytes":{bytes},"created_at":1718005873,"filename":"clip.mp4","purpose":"video_generation"{url}}},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
    )
}

#[tokio::test]
async fn upload_streams_the_file_and_returns_the_file_object() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("narrator.mp3");
    let content: Vec<u8> = (0..300_000u32).map(|n| (n % 253) as u8).collect();
    std::fs::write(&path, &content).unwrap();

    let server = MockServer::start_async().await;
    let expected = content.clone();
    let mock = server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/v1/files/upload")
                .header("authorization", bearer())
                .header_prefix("content-type", "multipart/form-data; boundary=")
                .is_true(move |request: &HttpMockRequest| {
                    let body = request.body_ref();
                    let text = String::from_utf8_lossy(&body[..body.len().min(2048)]).into_owned();
                    text.contains("name=\"purpose\"\r\n\r\nvoice_clone\r\n")
                        && text.contains("filename=\"narrator.mp3\"\r\nContent-Type: audio/mpeg")
                        && body
                            .windows(expected.len().min(4096))
                            .any(|window| window == &expected[..expected.len().min(4096)])
                        && body.len() > expected.len()
                });
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-upload")
                // The id as a numeric string, as the real API sometimes sends it.
                .body(r#"{"file":{"file_id":"297990555456123","bytes":300000,"created_at":1718005873,"filename":"narrator.mp3","purpose":"voice_clone"},"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;

    let file = client(&server)
        .files()
        .upload(UploadSource::from_path(&path), FilePurpose::VoiceClone)
        .await
        .unwrap();
    assert_eq!(file.file_id, Id::new(297_990_555_456_123));
    assert_eq!(file.bytes, 300_000);
    assert_eq!(file.purpose, FilePurpose::VoiceClone);
    assert_eq!(file.download_url, None);
    assert_eq!(file.trace_id(), Some("trace-upload"));
    assert_eq!(file.http_status(), 200);
    assert_eq!(mock.calls_async().await, 1);

    // A path converts into an upload source, a string into a purpose.
    let again = client(&server)
        .files()
        .upload(path.as_path(), "voice_clone")
        .await
        .unwrap();
    assert_eq!(again.file_id, file.file_id);
}

#[tokio::test]
async fn upload_errors_are_typed_and_a_missing_file_is_a_decode_error() {
    let server = MockServer::start_async().await;
    let refused = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/files/upload")
                .body_includes("filename=\"a.exe\"");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-2013")
                .body(error_body(
                    2013,
                    "invalid params, file format not supported",
                ));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/files/upload")
                .body_includes("filename=\"b.txt\"");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-empty")
                .body(r#"{"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = client(&server);

    let error = client
        .files()
        .upload(
            UploadSource::from_bytes("a.exe", vec![0u8; 10]),
            FilePurpose::VoiceClone,
        )
        .await
        .unwrap_err();
    let api = assert_api_error(error, 2013, "trace-2013");
    assert_eq!(api.message, "invalid params, file format not supported");
    assert_eq!(api.operation, "upload_file");
    assert_eq!(refused.calls_async().await, 1, "a refusal is not retried");

    let error = client
        .files()
        .upload(
            UploadSource::from_bytes("b.txt", "text"),
            FilePurpose::T2aAsyncInput,
        )
        .await
        .unwrap_err();
    match error {
        Error::Decode { reason, .. } => {
            assert!(reason.contains("`file`"), "{reason}");
            assert!(reason.contains("trace-empty"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn list_sends_the_purpose_and_decodes_ids_and_unknown_purposes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/files/list")
                .query_param("purpose", "prompt_audio")
                .header("authorization", bearer());
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-list")
                .body(r#"{"files":[
                    {"file_id":123456789012345680,"bytes":1,"created_at":1,"filename":"a.wav","purpose":"prompt_audio"},
                    {"file_id":"205258526306433","bytes":2,"created_at":2,"filename":"b.wav","purpose":"lyrics_input","download_url":"https://cdn.example/b"}
                ],"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/files/list")
                .query_param("purpose", "t2a_async_input");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"files":null,"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/files/list")
                .query_param("purpose", "voice_clone");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-auth")
                .body(error_body(1004, "token not match group"));
        })
        .await;
    let client = client(&server);

    let files = client.files().list(FilePurpose::PromptAudio).await.unwrap();
    assert_eq!(files.trace_id(), Some("trace-list"));
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].file_id.get(), 123_456_789_012_345_680);
    assert_eq!(files[1].file_id.get(), 205_258_526_306_433);
    assert_eq!(files[1].purpose, FilePurpose::Other("lyrics_input".into()));
    assert_eq!(
        files[1].download_url.as_deref(),
        Some("https://cdn.example/b")
    );

    let empty = client
        .files()
        .list(FilePurpose::T2aAsyncInput)
        .await
        .unwrap();
    assert!(empty.is_empty());

    let error = client
        .files()
        .list(FilePurpose::VoiceClone)
        .await
        .unwrap_err();
    assert!(error.is_auth());
    assert_api_error(error, 1004, "trace-auth");
}

#[tokio::test]
async fn retrieve_returns_the_file_and_an_absent_file_is_a_typed_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/files/retrieve")
                .query_param("file_id", "42");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-42")
                .body(file_body("\"42\"", 5, Some("https://cdn.example/a.mp4")));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/files/retrieve")
                .query_param("file_id", "43");
            then.status(200).header("content-type", JSON).body(
                r#"{"base_resp":{"status_code":0,"status_msg":"success"},"trace_id":"body-trace"}"#,
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/files/retrieve")
                .query_param("file_id", "44");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-44")
                .body(error_body(2013, "invalid file_id"));
        })
        .await;
    let client = client(&server);

    let file = client.files().retrieve(42).await.unwrap();
    assert_eq!(file.file_id, Id::new(42));
    assert_eq!(
        file.download_url.as_deref(),
        Some("https://cdn.example/a.mp4")
    );
    assert_eq!(file.trace_id(), Some("trace-42"));

    match client.files().retrieve(43).await.unwrap_err() {
        Error::Decode { reason, .. } => {
            assert!(reason.contains("`file`"), "{reason}");
            assert!(reason.contains("body-trace"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    let error = client.files().retrieve(44).await.unwrap_err();
    assert_api_error(error, 2013, "trace-44");
}

#[tokio::test]
async fn content_streams_bytes_and_follows_a_redirect_without_the_key() {
    let api_server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let content: Vec<u8> = (0..200_000u32).map(|n| (n % 249) as u8).collect();
    let cdn_mock = mock_download_host(&cdn, "/blob/7", "application/octet-stream", &content).await;
    let location = cdn.url("/blob/7");
    api_server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/v1/files/retrieve_content")
                .query_param("file_id", "7")
                .header("authorization", bearer());
            then.status(302)
                .header("location", location)
                .header("Trace-Id", "trace-content");
        })
        .await;

    let mut body = client(&api_server).files().content(7).await.unwrap();
    assert_eq!(body.content_length(), Some(content.len() as u64));
    let mut received = Vec::new();
    while let Some(chunk) = body.next().await {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(received, content);
    assert_eq!(cdn_mock.calls_async().await, 1);
}

#[tokio::test]
async fn content_answered_with_a_json_error_is_a_typed_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/files/retrieve_content");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-1004")
                .body(error_body(1004, "invalid api key"));
        })
        .await;
    let error = client(&server).files().content(9).await.unwrap_err();
    assert_api_error(error, 1004, "trace-1004");

    // A stored JSON document is content, not an error.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/files/retrieve_content");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-doc")
                .body(r#"{"lines":[1,2,3]}"#);
        })
        .await;
    let body = client(&server).files().content(9).await.unwrap();
    assert_eq!(body.trace_id(), Some("trace-doc"));
    assert_eq!(&body.bytes().await.unwrap()[..], br#"{"lines":[1,2,3]}"#);
}

#[tokio::test]
async fn delete_sends_an_integer_id_and_the_purpose() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/files/delete")
                .json_body(serde_json::json!({"file_id": 205258526306433_i64, "purpose": "t2a_async_input"}));
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-del")
                .body(r#"{"file_id":"205258526306433","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = client(&server);
    let id: Id = "205258526306433".parse().unwrap();
    let deleted = client
        .files()
        .delete(id, FilePurpose::T2aAsyncInput)
        .await
        .unwrap();
    assert_eq!(deleted.trace_id(), Some("trace-del"));
    assert_eq!(mock.calls_async().await, 1);

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/files/delete");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-del-err")
                .body(error_body(2013, "file not found"));
        })
        .await;
    let error = crate::common::client(&server)
        .files()
        .delete(1, FilePurpose::VoiceClone)
        .await
        .unwrap_err();
    assert_api_error(error, 2013, "trace-del-err");
}

#[tokio::test]
async fn download_to_checks_the_size_reports_progress_and_keeps_the_key_home() {
    let api_server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let content: Vec<u8> = (0..500_000u32).map(|n| (n % 241) as u8).collect();
    cdn.mock_async({
        let content = content.clone();
        move |when, then| {
            when.method(GET)
                .path("/video.mp4")
                .query_param("Signature", "s1")
                .header_missing("authorization");
            then.status(200).body(content);
        }
    })
    .await;
    let url = cdn.url("/video.mp4?Signature=s1");
    api_server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/v1/files/retrieve")
                .query_param("file_id", "77")
                .header("authorization", bearer());
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-77")
                .body(file_body("77", 500_000, Some(&url)));
        })
        .await;

    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("video.mp4");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&seen);
    let report = client(&api_server)
        .files()
        .download_to(77, &target)
        .progress(move |progress: DownloadProgress| recorder.lock().unwrap().push(progress))
        .await
        .unwrap();
    assert_eq!(report.bytes, 500_000);
    assert_eq!(report.path, target);
    assert_eq!(report.file.file_id, Id::new(77));
    assert_eq!(report.trace_id.as_deref(), Some("trace-77"));
    assert_eq!(std::fs::read(&target).unwrap(), content);
    assert_eq!(entries(directory.path()), ["video.mp4"]);
    let last = seen.lock().unwrap().last().copied();
    assert_eq!(
        last,
        Some(DownloadProgress {
            bytes_done: 500_000,
            total: Some(500_000)
        })
    );

    // A directory as the target: the file keeps its own name.
    let report = client(&api_server)
        .files()
        .download_to(77, directory.path())
        .send()
        .await
        .unwrap();
    assert_eq!(report.path, directory.path().join("clip.mp4"));
    assert_eq!(entries(directory.path()), ["clip.mp4", "video.mp4"]);
}

#[tokio::test]
async fn download_to_with_a_wrong_size_leaves_nothing_behind() {
    let api_server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    cdn.mock_async(|when, then| {
        when.path("/short.mp4");
        then.status(200).body(vec![1u8; 1000]);
    })
    .await;
    let url = cdn.url("/short.mp4");
    api_server
        .mock_async(move |when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", JSON)
                .body(file_body("5", 4000, Some(&url)));
        })
        .await;
    let directory = tempfile::tempdir().unwrap();
    let error = client(&api_server)
        .files()
        .download_to(5, directory.path().join("clip.mp4"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::SizeMismatch {
                expected: 4000,
                received: 1000,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(entries(directory.path()).is_empty());
}

#[tokio::test]
async fn download_to_keeps_an_existing_file_when_asked_not_to_overwrite() {
    let api_server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let fetched = cdn
        .mock_async(|when, then| {
            when.path("/clip.mp4");
            then.status(200).body("fresh");
        })
        .await;
    let url = cdn.url("/clip.mp4");
    api_server
        .mock_async(move |when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", JSON)
                .body(file_body("5", 5, Some(&url)));
        })
        .await;
    let directory = tempfile::tempdir().unwrap();
    let existing = directory.path().join("clip.mp4");
    std::fs::write(&existing, "old").unwrap();
    let client = client(&api_server);

    // A directory target resolves to clip.mp4, which exists.
    for target in [directory.path().to_path_buf(), existing.clone()] {
        let error = client
            .files()
            .download_to(5, &target)
            .overwrite(false)
            .await
            .unwrap_err();
        match &error {
            Error::Io { path, source, .. } => {
                assert_eq!(path, &existing);
                assert_eq!(source.kind(), std::io::ErrorKind::AlreadyExists);
            }
            other => panic!("expected an I/O error, got {other:?}"),
        }
        assert!(error.to_string().contains("clip.mp4"), "{error}");
    }
    fetched.assert_calls_async(0).await;
    assert_eq!(std::fs::read(&existing).unwrap(), b"old");

    // The default replaces it.
    let report = client.files().download_to(5, &existing).await.unwrap();
    assert_eq!(report.bytes, 5);
    assert_eq!(std::fs::read(&existing).unwrap(), b"fresh");
}

#[tokio::test]
async fn download_to_re_resolves_an_expired_url_once() {
    let api_server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    cdn.mock_async(|when, then| {
        when.path("/old.mp4");
        then.status(403)
            .header("content-type", "application/xml")
            .body("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
    })
    .await;
    let fresh = cdn
        .mock_async(|when, then| {
            when.path("/new.mp4").header_missing("authorization");
            then.status(200).body("fresh");
        })
        .await;
    let old_url = cdn.url("/old.mp4");
    let new_url = cdn.url("/new.mp4");
    // The first retrieve hands out the expired URL, the second a fresh one.
    let retrieve = api_server
        .mock_async(move |when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", JSON)
                .body(file_body("8", 5, Some(&old_url)))
                .up_to_n_times(1);
        })
        .await;
    let refreshed = api_server
        .mock_async(move |when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", JSON)
                .body(file_body("8", 5, Some(&new_url)));
        })
        .await;
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("clip.mp4");
    let report = client(&api_server)
        .files()
        .download_to(8, &target)
        .await
        .unwrap();
    assert_eq!(report.bytes, 5);
    assert_eq!(std::fs::read(&target).unwrap(), b"fresh");
    assert_eq!(
        (
            retrieve.calls_async().await,
            refreshed.calls_async().await,
            fresh.calls_async().await
        ),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn download_to_without_a_download_url_reads_retrieve_content() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", JSON)
                .body(file_body("9", 11, None));
        })
        .await;
    let content = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve_content")
                .query_param("file_id", "9")
                .header("authorization", bearer());
            then.status(200)
                .header("content-type", "video/mp4")
                .body("hello video");
        })
        .await;
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("clip.mp4");
    let (sender, receiver) = tokio::sync::watch::channel(DownloadProgress::default());
    let report = client(&server)
        .files()
        .download_to(9, &target)
        .progress(sender)
        .await
        .unwrap();
    assert_eq!(report.bytes, 11);
    assert_eq!(std::fs::read(&target).unwrap(), b"hello video");
    assert_eq!(content.calls_async().await, 1);
    assert_eq!(
        *receiver.borrow(),
        DownloadProgress {
            bytes_done: 11,
            total: Some(11)
        }
    );

    // The fallback checks the size too, and leaves nothing behind.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", JSON)
                .body(file_body("9", 99, None));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve_content");
            then.status(200).body("hello video");
        })
        .await;
    let error = client(&server)
        .files()
        .download_to(9, directory.path().join("other.mp4"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::SizeMismatch { .. }), "{error:?}");
    assert_eq!(entries(directory.path()), ["clip.mp4"]);
}

/// The executor hands a successful response's headers to the resource
/// methods through its call record rather than through the generated
/// value; every way of calling must still see them.
#[tokio::test]
async fn every_call_style_sees_the_response_headers() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/files/retrieve")
                .query_param("file_id", "42");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-42")
                .header("x-ratelimit-remaining", "17")
                .body(file_body("42", 5, None));
        })
        .await;
    let client = client(&server);

    let file = client.files().retrieve(42).await.unwrap();
    assert_eq!(file.headers()["x-ratelimit-remaining"], "17");
    assert_eq!(file.headers()["content-type"], JSON);
    assert_eq!(file.trace_id(), Some("trace-42"));

    let value = client
        .call_response(
            "retrieve_file",
            client.raw().retrieve_file().file_id(42_i64).send(),
        )
        .await
        .unwrap();
    assert_eq!(value.headers()["x-ratelimit-remaining"], "17");

    let raw = client
        .raw()
        .retrieve_file()
        .file_id(42_i64)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["x-ratelimit-remaining"], "17");
    assert_eq!(raw.status(), 200);

    let value = client
        .call(
            "retrieve_file",
            client.raw().retrieve_file().file_id(42_i64).send(),
        )
        .await
        .unwrap();
    assert_eq!(value.file.map(|file| file.file_id), Some(Id::new(42)));
}
