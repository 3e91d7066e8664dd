//! Multi-event streams: server-sent events whose every `data` payload
//! validates against the event-stream schema the spec declares for the
//! operation, replayed through the SDK's streaming methods against a local
//! mock server. The spec's event-stream examples are single events (see
//! `spec.rs`); these cases check that a whole stream of schema-valid events
//! decodes, in order, into what the SDK promises.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use futures::StreamExt;
use httpmock::prelude::*;
use minimax_contract_tests::check::sdk_client;
use minimax_contract_tests::contract;
use minimax_sdk::chat::ChatRequest;
use minimax_sdk::{speech, types, Error, ErrorCode};
use serde_json::{json, Value};

/// The schema the spec declares for `POST path`'s `text/event-stream` 200.
fn stream_schema(path: &str) -> String {
    let escaped = path.replace('~', "~0").replace('/', "~1");
    let pointer = format!("/paths/{escaped}/post/responses/200/content/text~1event-stream/schema");
    assert!(
        contract().doc.pointer(&pointer).is_some(),
        "the spec declares no event stream at {pointer}"
    );
    pointer
}

/// The SSE body for `events`, each checked against the stream schema of
/// `path` first, with a keep-alive comment between events as MiniMax sends.
fn sse_body(path: &str, events: &[Value]) -> String {
    let pointer = stream_schema(path);
    let mut body = String::new();
    for (index, event) in events.iter().enumerate() {
        let errors = contract().schema_errors(&pointer, event);
        assert!(
            errors.is_empty(),
            "event {index} of {path} does not match {pointer}: {errors:?}"
        );
        body.push_str(&format!("data: {event}\n\n: keepalive\n\n"));
    }
    body
}

async fn serve_stream(server: &MockServer, path: &'static str, body: String) {
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path(path)
                .body_includes("\"stream\":true");
            then.status(200)
                .header("content-type", "text/event-stream")
                .header("trace-id", "stream-trace")
                .body(body);
        })
        .await;
}

const CHAT: &str = "/v1/text/chatcompletion_v2";
const SPEECH: &str = "/v1/t2a_v2";

fn chat_chunk(delta: Value, finish_reason: Option<&str>) -> Value {
    let mut choice = json!({"index": 0, "delta": delta});
    if let Some(reason) = finish_reason {
        choice["finish_reason"] = json!(reason);
    }
    json!({
        "id": "0571c3a1f2e94d86",
        "object": "chat.completion.chunk",
        "created": 1760442913,
        "model": "MiniMax-M2.7",
        "choices": [choice],
        "base_resp": {"status_code": 0, "status_msg": ""}
    })
}

fn chat_events() -> Vec<Value> {
    let mut last = chat_chunk(json!({"role": "assistant", "content": "."}), Some("stop"));
    last["usage"] = json!({"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13});
    vec![
        chat_chunk(
            json!({"role": "assistant", "reasoning_content": "Greet back."}),
            None,
        ),
        chat_chunk(json!({"role": "assistant", "content": "Hel"}), None),
        chat_chunk(json!({"role": "assistant", "content": "lo there"}), None),
        last,
    ]
}

#[tokio::test]
async fn a_chat_stream_of_spec_valid_chunks_arrives_in_order() {
    let server = MockServer::start_async().await;
    serve_stream(&server, CHAT, sse_body(CHAT, &chat_events())).await;
    let client = sdk_client(&server.base_url(), None).unwrap();

    let stream = client
        .chat()
        .stream(ChatRequest::new("MiniMax-M2.7").user("Hi"))
        .await
        .unwrap();
    assert_eq!(stream.trace_id(), Some("stream-trace"));
    let chunks: Vec<_> = stream.map(Result::unwrap).collect().await;
    let content: Vec<&str> = chunks.iter().map(|chunk| chunk.content.as_str()).collect();
    assert_eq!(content, ["", "Hel", "lo there", "."]);
    assert_eq!(chunks[0].reasoning_content, "Greet back.");
    assert!(chunks[..3].iter().all(|chunk| !chunk.is_final));
    let last = &chunks[3];
    assert!(last.is_final);
    assert_eq!(last.finish_reason.as_deref(), Some("stop"));
    assert_eq!(
        last.usage.as_ref().and_then(|usage| usage.total_tokens),
        Some(13)
    );

    let text = client
        .chat()
        .stream(ChatRequest::new("MiniMax-M2.7").user("Hi"))
        .await
        .unwrap()
        .collect_text()
        .await
        .unwrap();
    assert_eq!(text, "Hello there.");
}

#[tokio::test]
async fn an_error_event_after_chat_chunks_ends_the_stream_with_a_typed_error() {
    let mut events = chat_events();
    events.truncate(2);
    // A schema-valid event reporting a rate limit mid-stream.
    events.push(json!({
        "id": "0571c3a1f2e94d86",
        "object": "chat.completion.chunk",
        "choices": null,
        "base_resp": {"status_code": 1002, "status_msg": "rate limit exceeded (RPM)"}
    }));
    let server = MockServer::start_async().await;
    serve_stream(&server, CHAT, sse_body(CHAT, &events)).await;
    let client = sdk_client(&server.base_url(), None).unwrap();

    let items: Vec<_> = client
        .chat()
        .stream(ChatRequest::new("MiniMax-M2.7").user("Hi"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 3, "two chunks, then the error: {items:?}");
    assert_eq!(items[1].as_ref().unwrap().content, "Hel");
    match &items[2] {
        Err(Error::Api(api)) => {
            assert_eq!(api.code, ErrorCode::RateLimited);
            assert_eq!(api.status_code, Some(1002));
            assert!(api.message.contains("rate limit"), "{}", api.message);
        }
        other => panic!("expected a rate-limit error, got {other:?}"),
    }
}

fn speech_event(audio_hex: &str, status: i64, extra_info: Option<Value>) -> Value {
    let mut event = json!({
        "data": {"audio": audio_hex, "status": status},
        "trace_id": "0571c3a1f2e94d86",
        "base_resp": {"status_code": 0, "status_msg": ""}
    });
    if let Some(extra_info) = extra_info {
        event["extra_info"] = extra_info;
    }
    event
}

fn speech_request() -> types::builder::T2aV2Req {
    types::T2aV2Req::builder()
        .model("speech-2.8-hd")
        .text("Hello from Rust.")
        .voice_setting(speech::voice("English_expressive_narrator"))
}

#[tokio::test]
async fn a_speech_stream_of_spec_valid_events_decodes_to_the_concatenated_audio() {
    let parts = ["49443304", "00000000", "fffb90c4"];
    let mut events: Vec<Value> = parts
        .iter()
        .map(|part| speech_event(part, 1, None))
        .collect();
    // The final event repeats the whole audio, with the metadata.
    events.push(speech_event(
        &parts.concat(),
        2,
        Some(json!({"audio_length": 3000, "audio_size": 12, "audio_format": "mp3"})),
    ));
    let server = MockServer::start_async().await;
    serve_stream(&server, SPEECH, sse_body(SPEECH, &events)).await;
    let client = sdk_client(&server.base_url(), None).unwrap();

    let chunks: Vec<_> = client
        .speech()
        .synthesize_stream(speech_request())
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    let audio: Vec<u8> = chunks
        .iter()
        .flat_map(|chunk| chunk.audio.to_vec())
        .collect();
    let expected: Vec<u8> = vec![0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0xc4];
    assert_eq!(audio, expected, "each part once, in order");
    let last = chunks.last().unwrap();
    assert!(last.is_final && last.audio.is_empty());
    assert_eq!(
        last.extra_info.as_ref().and_then(|info| info.audio_size),
        Some(12)
    );

    let collected = client
        .speech()
        .synthesize_stream(speech_request())
        .await
        .unwrap()
        .collect_audio()
        .await
        .unwrap();
    assert_eq!(collected.to_vec(), expected);
}

#[tokio::test]
async fn an_error_event_after_audio_ends_the_speech_stream_with_a_typed_error() {
    let events = vec![
        speech_event("49443304", 1, None),
        json!({
            "trace_id": "0571c3a1f2e94d86",
            "base_resp": {"status_code": 1027, "status_msg": "output new_sensitive"}
        }),
    ];
    let server = MockServer::start_async().await;
    serve_stream(&server, SPEECH, sse_body(SPEECH, &events)).await;
    let client = sdk_client(&server.base_url(), None).unwrap();

    let items: Vec<_> = client
        .speech()
        .synthesize_stream(speech_request())
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(
        items[0].as_ref().unwrap().audio.to_vec(),
        [0x49, 0x44, 0x33, 0x04]
    );
    match &items[1] {
        Err(Error::Api(api)) => {
            assert_eq!(api.code, ErrorCode::SensitiveOutput);
            assert_eq!(api.trace_id.as_deref(), Some("0571c3a1f2e94d86"));
        }
        other => panic!("expected a sensitive-output error, got {other:?}"),
    }
}
