//! `client.speech()`: synthesize (hex and URL), the SSE stream, and the
//! asynchronous task: create, query, wait, create → wait → download.

use futures::StreamExt;
use httpmock::prelude::*;
use httpmock::HttpMockRequest;
use minimax_sdk::speech;
use minimax_sdk::{types, Audio, Error, ErrorCode, Id, RetryPolicy, TaskState, WaitOptions};

use crate::common::{
    api, assert_api_error, bearer, client, client_for, entries, error_body, paused_client,
    piecewise_server, split_every,
};

const JSON: &str = "application/json";
/// "ID3" + 5 bytes, as a real MP3 starts.
const AUDIO_HEX: &str = "4944330400000000";

fn request() -> types::builder::T2aV2Req {
    types::T2aV2Req::builder()
        .model("speech-2.8-hd")
        .text("Hello from Rust.")
        .voice_setting(speech::voice("English_expressive_narrator"))
}

fn json_of(request: &HttpMockRequest) -> serde_json::Value {
    serde_json::from_slice(request.body_ref()).unwrap_or_default()
}

#[tokio::test]
async fn synthesize_decodes_hex_audio_and_takes_the_trace_id_from_the_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/t2a_v2")
                .header("authorization", bearer())
                .json_body_includes(r#"{"model":"speech-2.8-hd","text":"Hello from Rust.","voice_setting":{"voice_id":"English_expressive_narrator"}}"#)
                // Never a stream, whatever the request said.
                .is_true(|request: &HttpMockRequest| json_of(request).get("stream").is_none());
            then.status(200)
                .header("content-type", JSON)
                .body(format!(
                    r#"{{"data":{{"audio":"{AUDIO_HEX}","status":2,"ced":""}},"extra_info":{{"audio_format":"mp3","audio_length":1200,"audio_size":8,"usage_characters":16}},"trace_id":"body-trace","base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
                ));
        })
        .await;
    let speech = client(&server)
        .speech()
        .synthesize(request().stream(Some(true)))
        .await
        .unwrap();
    assert_eq!(
        speech.audio,
        Audio::Bytes(bytes::Bytes::from_static(b"ID3\x04\0\0\0\0"))
    );
    assert_eq!(speech.trace_id(), Some("body-trace"));
    let extra = speech.extra_info.clone().unwrap();
    assert_eq!(
        (extra.audio_length, extra.usage_characters),
        (Some(1200), Some(16))
    );
    assert_eq!(mock.calls_async().await, 1);

    // Saving inline audio writes it atomically.
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("hello.mp3");
    let written = speech.audio.save(&client(&server), &path).await.unwrap();
    assert_eq!(written, 8);
    assert_eq!(std::fs::read(&path).unwrap(), b"ID3\x04\0\0\0\0");
    assert_eq!(entries(directory.path()), ["hello.mp3"]);
}

#[tokio::test]
async fn synthesize_with_url_output_exposes_the_url_and_saves_it_without_the_key() {
    let server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let audio_url = cdn.url("/speech/out.mp3?Signature=abc");
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/v1/t2a_v2")
                .json_body_includes(r#"{"output_format":"url"}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "header-trace")
                .body(format!(
                    r#"{{"data":{{"audio":"{audio_url}","status":2,"subtitle_file":"https://cdn.example/sub.json"}},"trace_id":"body-trace","base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
                ));
        })
        .await;
    let fetched = cdn
        .mock_async(|when, then| {
            when.path("/speech/out.mp3").header_missing("authorization");
            then.status(200).body("mp3 bytes");
        })
        .await;
    let client = client(&server);
    let speech = client
        .speech()
        .synthesize(request().output_format(Some("url".to_owned())))
        .await
        .unwrap();
    assert_eq!(
        speech.audio.url(),
        Some(cdn.url("/speech/out.mp3?Signature=abc").as_str())
    );
    assert_eq!(speech.audio.bytes(), None);
    assert_eq!(
        speech.subtitle_file.as_deref(),
        Some("https://cdn.example/sub.json")
    );
    // The header wins over the body.
    assert_eq!(speech.trace_id(), Some("header-trace"));
    let directory = tempfile::tempdir().unwrap();
    let written = speech
        .audio
        .save(&client, directory.path().join("out.mp3"))
        .await
        .unwrap();
    assert_eq!(written, 9);
    assert_eq!(fetched.calls_async().await, 1);
}

#[tokio::test]
async fn synthesize_errors_are_typed_and_bad_audio_is_a_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/t2a_v2")
                .json_body_includes(r#"{"text":"sensitive"}"#);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"base_resp":{"status_code":1026,"status_msg":"input new_sensitive"},"trace_id":"trace-1026"}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/t2a_v2")
                .json_body_includes(r#"{"text":"no audio"}"#);
            then.status(200).header("content-type", JSON).body(
                r#"{"data":{"status":2},"base_resp":{"status_code":0,"status_msg":"success"}}"#,
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/t2a_v2")
                .json_body_includes(r#"{"text":"bad hex"}"#);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"data":{"audio":"xyz1","status":2},"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = client(&server);
    let error = client
        .speech()
        .synthesize(request().text("sensitive"))
        .await
        .unwrap_err();
    assert_eq!(api(error).code, ErrorCode::SensitiveInput);
    let error = client
        .speech()
        .synthesize(request().text("sensitive"))
        .await
        .unwrap_err();
    assert_api_error(error, 1026, "trace-1026");
    for text in ["no audio", "bad hex"] {
        let error = client
            .speech()
            .synthesize(request().text(text))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{text}: {error:?}");
    }
}

/// The events of a streamed synthesis of `chunks`: one status-1 event per
/// chunk, then a final event repeating the whole audio with `extra_info`.
fn stream_body(chunks: &[&str]) -> String {
    let mut body = String::from(": keepalive\n\n");
    for chunk in chunks {
        body.push_str(&format!(
            "data: {{\"data\":{{\"audio\":\"{chunk}\",\"status\":1}},\"trace_id\":\"t\",\"base_resp\":{{\"status_code\":0,\"status_msg\":\"\"}}}}\n\n"
        ));
    }
    body.push_str(&format!(
        "data: {{\"data\":{{\"audio\":\"{}\",\"status\":2}},\"extra_info\":{{\"audio_length\":3000,\"audio_size\":12}},\"trace_id\":\"t\",\"base_resp\":{{\"status_code\":0,\"status_msg\":\"success\"}}}}\n\n",
        chunks.concat()
    ));
    body
}

#[tokio::test]
async fn a_streamed_synthesis_yields_each_chunk_once_across_split_reads() {
    let chunks = ["49443304", "00000000", "FFFB90C4"];
    let body = stream_body(&chunks);
    // Split every 7 bytes: events, lines and hex digits are all cut.
    let (url, requests) = piecewise_server(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntrace-id: stream-trace",
        split_every(&body, 7),
    )
    .await;
    let stream = client_for(&url)
        .speech()
        .synthesize_stream(request())
        .await
        .unwrap();
    assert_eq!(stream.trace_id(), Some("stream-trace"));
    let items: Vec<_> = stream.collect().await;
    let items: Vec<_> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(items.len(), 4);
    let audio: Vec<u8> = items
        .iter()
        .flat_map(|chunk| chunk.audio.to_vec())
        .collect();
    assert_eq!(audio, hex::decode(chunks.concat()).unwrap());
    assert!(items[..3].iter().all(|chunk| !chunk.is_final));
    let last = &items[3];
    assert!(last.is_final);
    assert!(
        last.audio.is_empty(),
        "the repeated audio is not yielded again"
    );
    assert_eq!(last.extra_info.as_ref().unwrap().audio_size, Some(12));

    let sent = requests.lock().unwrap()[0].clone();
    assert!(sent.starts_with("POST /v1/t2a_v2 "), "{sent}");
    assert!(sent.contains("\"stream\":true"), "{sent}");
    assert!(
        sent.to_ascii_lowercase()
            .contains(&format!("authorization: {}", bearer()).to_ascii_lowercase()),
        "{sent}"
    );

    // collect_audio and save give the same audio.
    let (url, _) = piecewise_server(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream",
        split_every(&body, 11),
    )
    .await;
    let collected = client_for(&url)
        .speech()
        .synthesize_stream(request())
        .await
        .unwrap()
        .collect_audio()
        .await
        .unwrap();
    assert_eq!(collected.to_vec(), hex::decode(chunks.concat()).unwrap());
}

#[tokio::test]
async fn a_final_event_alone_carries_the_audio() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/t2a_v2");
            then.status(200)
                .header("content-type", "text/event-stream")
                .body(
                    stream_body(&[])
                        .replace("\"audio\":\"\"", &format!("\"audio\":\"{AUDIO_HEX}\"")),
                );
        })
        .await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("short.mp3");
    let written = client(&server)
        .speech()
        .synthesize_stream(request())
        .await
        .unwrap()
        .save(&path)
        .await
        .unwrap();
    assert_eq!(written, 8);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        hex::decode(AUDIO_HEX).unwrap()
    );
}

#[tokio::test]
async fn stream_errors_before_and_during_the_stream_are_typed() {
    // HTTP 200 with a JSON error instead of an event stream.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/t2a_v2");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-2013")
                .body(error_body(2013, "invalid voice_id"));
        })
        .await;
    let error = client(&server)
        .speech()
        .synthesize_stream(request())
        .await
        .unwrap_err();
    assert_api_error(error, 2013, "trace-2013");

    // An error event after a chunk: the chunk, then the error, then the end.
    let body = format!(
        "data: {{\"data\":{{\"audio\":\"{AUDIO_HEX}\",\"status\":1}},\"base_resp\":{{\"status_code\":0}}}}\n\n\
         data: {{\"base_resp\":{{\"status_code\":1027,\"status_msg\":\"output new_sensitive\"}}}}\n\n\
         data: {{\"data\":{{\"audio\":\"00\",\"status\":1}}}}\n\n"
    );
    let (url, _) = piecewise_server(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntrace-id: trace-mid",
        split_every(&body, 16),
    )
    .await;
    let items: Vec<_> = client_for(&url)
        .speech()
        .synthesize_stream(request())
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().audio.len(), 8);
    let error = items.into_iter().nth(1).unwrap().unwrap_err();
    let api = api(error);
    assert_eq!(api.code, ErrorCode::SensitiveOutput);
    assert_eq!(api.trace_id.as_deref(), Some("trace-mid"));
}

fn async_request() -> types::builder::T2aAsyncV2Req {
    types::T2aAsyncV2Req::builder()
        .model("speech-2.8-hd")
        .text(Some("A long chapter.".to_owned()))
        .voice_setting(speech::async_voice("English_expressive_narrator"))
}

#[tokio::test(start_paused = true)]
async fn async_synthesis_is_created_waited_for_and_downloaded() {
    let server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/t2a_async_v2")
                .json_body_includes(r#"{"model":"speech-2.8-hd"}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-create")
                .body(r#"{"task_id":95157322514444,"task_token":"tok","file_id":95157322514496,"usage_characters":15,"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/query/t2a_async_query_v2")
                .query_param("task_id", "95157322514444");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":95157322514444,"status":"Processing","file_id":95157322514496,"base_resp":{"status_code":0,"status_msg":"success"}}"#)
                .up_to_n_times(2);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/query/t2a_async_query_v2")
                .query_param("task_id", "95157322514444");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":"95157322514444","status":"success","file_id":"95157322514496","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let url = cdn.url("/t2a/out.mp3");
    server
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/v1/files/retrieve")
                .query_param("file_id", "95157322514496");
            then.status(200)
                .header("content-type", JSON)
                .body(format!(
                    r#"{{"file":{{"file_id":95157322514496,"bytes":10,"created_at":1,"filename":"out.mp3","purpose":"t2a_async","download_url":"{url}"}},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
                ));
        })
        .await;
    cdn.mock_async(|when, then| {
        when.path("/t2a/out.mp3").header_missing("authorization");
        then.status(200).body("0123456789");
    })
    .await;

    let client = paused_client(&server, RetryPolicy::none());
    let task = client.speech().create_async(async_request()).await.unwrap();
    assert_eq!(task.task_id, Id::new(95_157_322_514_444));
    assert_eq!(task.file_id, Some(Id::new(95_157_322_514_496)));
    assert_eq!(task.trace_id(), Some("trace-create"));

    let status = client.speech().query_async(task.task_id).await.unwrap();
    assert_eq!(status.state(), TaskState::Processing);

    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("chapter.mp3");
    let done = client
        .speech()
        .synthesize_async_to(
            async_request(),
            &path,
            &WaitOptions::default().deadline(None),
        )
        .await
        .unwrap();
    assert_eq!(done.status.state(), TaskState::Success);
    assert_eq!(done.download.bytes, 10);
    assert_eq!(std::fs::read(&path).unwrap(), b"0123456789");
    assert_eq!(create.calls_async().await, 2);
}

#[tokio::test(start_paused = true)]
async fn watching_an_async_task_yields_each_status_then_the_outcome() {
    let server = MockServer::start_async().await;
    let processing = server
        .mock_async(|when, then| {
            when.path("/v1/query/t2a_async_query_v2");
            then.status(200)
                .header("content-type", JSON)
                .header("trace-id", "trace-poll")
                .body(r#"{"task_id":7,"status":"Processing","base_resp":{"status_code":0,"status_msg":"success"}}"#)
                .up_to_n_times(2);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v1/query/t2a_async_query_v2");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":7,"status":"Failed","file_id":9,"base_resp":{"status_code":0,"status_msg":"text too long"}}"#);
        })
        .await;
    let updates: Vec<_> = paused_client(&server, RetryPolicy::none())
        .speech()
        .watch_async(7, WaitOptions::default().deadline(None))
        .collect()
        .await;
    processing.assert_calls_async(2).await;
    // Two polls saw Processing: one update for it, one for the final status.
    assert_eq!(updates.len(), 2, "{updates:?}");
    let mut updates = updates.into_iter().map(Result::unwrap);
    let first = updates.next().unwrap();
    assert_eq!(first.status.state(), TaskState::Processing);
    assert_eq!(first.value.trace_id(), Some("trace-poll"));
    assert!(first.outcome(&7).is_none());
    let last = updates.next().unwrap();
    assert_eq!(last.message.as_deref(), Some("text too long"));
    assert_eq!(last.value.file_id.map(i64::from), Some(9));
    match last.outcome(&7) {
        Some(Err(Error::TaskFailed {
            task_id,
            status,
            message,
        })) => {
            assert_eq!(task_id, "7");
            assert_eq!(status.state(), TaskState::Failed);
            assert_eq!(message.as_deref(), Some("text too long"));
        }
        other => panic!("expected a failed outcome, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn an_expired_async_task_is_task_failed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/query/t2a_async_query_v2");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":7,"status":"Processing","base_resp":{"status_code":0,"status_msg":"success"}}"#)
                .up_to_n_times(1);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v1/query/t2a_async_query_v2");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":7,"status":"Expired","base_resp":{"status_code":0,"status_msg":"task expired"}}"#);
        })
        .await;
    let error = paused_client(&server, RetryPolicy::none())
        .speech()
        .wait_async(7, &WaitOptions::default().deadline(None))
        .await
        .unwrap_err();
    match error {
        Error::TaskFailed {
            task_id,
            status,
            message,
        } => {
            assert_eq!(task_id, "7");
            assert_eq!(status.state(), TaskState::Expired);
            assert_eq!(message.as_deref(), Some("task expired"));
        }
        other => panic!("expected TaskFailed, got {other:?}"),
    }

    // A query error is typed.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/query/t2a_async_query_v2");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-q")
                .body(error_body(2013, "invalid task_id"));
        })
        .await;
    let error = paused_client(&server, RetryPolicy::none())
        .speech()
        .query_async(8)
        .await
        .unwrap_err();
    assert_api_error(error, 2013, "trace-q");
}
