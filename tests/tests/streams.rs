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
    sse_named_body(path, events.iter().map(|event| (None, event.clone())))
}

/// Like [`sse_body`], with an `event:` name before each payload that has
/// one (the Anthropic-compatible stream names every event).
fn sse_named_body(
    path: &str,
    events: impl IntoIterator<Item = (Option<&'static str>, Value)>,
) -> String {
    let pointer = stream_schema(path);
    let mut body = String::new();
    for (index, (name, event)) in events.into_iter().enumerate() {
        let errors = contract().schema_errors(&pointer, &event);
        assert!(
            errors.is_empty(),
            "event {index} of {path} does not match {pointer}: {errors:?}"
        );
        if let Some(name) = name {
            body.push_str(&format!("event: {name}\n"));
        }
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
const MUSIC: &str = "/v1/music_generation";
const OPENAI: &str = "/v1/chat/completions";
const ANTHROPIC: &str = "/anthropic/v1/messages";

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

/// One event of a speech or music stream: both carry hex audio and a
/// status (1 while streaming, 2 for the final repeat) in `data`.
fn audio_event(audio_hex: &str, status: i64, extra_info: Option<Value>) -> Value {
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
        .map(|part| audio_event(part, 1, None))
        .collect();
    // The final event repeats the whole audio, with the metadata.
    events.push(audio_event(
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
        audio_event("49443304", 1, None),
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

fn music_request() -> types::builder::GenerateMusicReq {
    types::GenerateMusicReq::builder()
        .model("music-2.5")
        .prompt("Upbeat synth-pop".to_owned())
        .lyrics("[Verse]\nCity lights".to_owned())
}

#[tokio::test]
async fn a_music_stream_of_spec_valid_events_decodes_to_the_song_once() {
    let parts = ["fffb9064", "0000", "4c414d45"];
    let mut events: Vec<Value> = parts
        .iter()
        .map(|part| audio_event(part, 1, None))
        .collect();
    // The final event repeats the whole song, with its metadata.
    events.push(audio_event(
        &parts.concat(),
        2,
        Some(json!({"music_duration": 25364, "music_sample_rate": 44100, "music_channel": 2, "bitrate": 256000, "music_size": 10})),
    ));
    let server = MockServer::start_async().await;
    serve_stream(&server, MUSIC, sse_body(MUSIC, &events)).await;
    let client = sdk_client(&server.base_url(), None).unwrap();

    let stream = client
        .music()
        .generate_stream(music_request())
        .await
        .unwrap();
    assert_eq!(stream.trace_id(), Some("stream-trace"));
    let chunks: Vec<_> = stream.map(Result::unwrap).collect().await;
    let audio: Vec<u8> = chunks
        .iter()
        .flat_map(|chunk| chunk.audio.to_vec())
        .collect();
    let expected = [0xff, 0xfb, 0x90, 0x64, 0, 0, 0x4c, 0x41, 0x4d, 0x45];
    assert_eq!(audio, expected, "each part once, in order");
    assert_eq!(chunks.len(), 4);
    let last = chunks.last().unwrap();
    assert!(last.is_final && last.audio.is_empty());
    assert!(chunks[..3].iter().all(|chunk| !chunk.is_final));
    assert_eq!(
        last.extra_info.as_ref().and_then(|info| info.music_size),
        Some(10)
    );
}

fn openai_chunk(delta: Value, finish_reason: Option<&str>) -> Value {
    let mut choice = json!({"index": 0, "delta": delta});
    if let Some(reason) = finish_reason {
        choice["finish_reason"] = json!(reason);
    }
    json!({
        "id": "05b81ba27be2ab2b1e1da8d4a8fb3c1e",
        "object": "chat.completion.chunk",
        "created": 1760359251,
        "model": "MiniMax-M2.7",
        "choices": [choice]
    })
}

#[tokio::test]
async fn an_openai_compatible_stream_ends_at_done() {
    let mut last = openai_chunk(json!({}), Some("stop"));
    last["usage"] = json!({"prompt_tokens": 12, "completion_tokens": 6, "total_tokens": 18});
    let events = [
        openai_chunk(
            json!({"role": "assistant", "content": "Switzerland is "}),
            None,
        ),
        openai_chunk(json!({"content": "in the Schengen Area."}), None),
        last,
    ];
    let mut body = sse_body(OPENAI, &events);
    body.push_str("data: [DONE]\n\n");
    // Nothing after the end marker is read.
    body.push_str("data: {\"not\": \"a chunk\"\n\n");
    let server = MockServer::start_async().await;
    serve_stream(&server, OPENAI, body).await;
    let client = sdk_client(&server.base_url(), None).unwrap();

    let request = types::OpenAiChatCompletionRequest::builder()
        .model("MiniMax-M2.7")
        .messages(vec![serde_json::from_value(
            json!({"role": "user", "content": "Is Switzerland in Schengen?"}),
        )
        .unwrap()]);
    let chunks: Vec<_> = client
        .chat()
        .openai_compatible()
        .stream(request)
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(chunks.len(), 3, "{chunks:?}");
    let text: String = chunks
        .iter()
        .filter_map(|chunk| {
            chunk
                .choices
                .as_ref()?
                .first()?
                .delta
                .as_ref()?
                .content
                .clone()
        })
        .collect();
    assert_eq!(text, "Switzerland is in the Schengen Area.");
    let finish = chunks[2].choices.as_ref().unwrap()[0]
        .finish_reason
        .as_deref();
    assert_eq!(finish, Some("stop"));
    assert_eq!(
        chunks[2]
            .usage
            .as_ref()
            .and_then(|usage| usage.total_tokens),
        Some(18)
    );
}

fn anthropic_events() -> Vec<(Option<&'static str>, Value)> {
    vec![
        (
            Some("message_start"),
            json!({"type": "message_start", "message": {
                "id": "05b8b0c3e6d5f0a1", "type": "message", "role": "assistant", "model": "MiniMax-M2.7",
                "content": [], "usage": {"input_tokens": 14, "output_tokens": 1}
            }}),
        ),
        (
            Some("content_block_start"),
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        (Some("ping"), json!({"type": "ping"})),
        (
            Some("content_block_delta"),
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Yes, the Leipzig "}}),
        ),
        (
            Some("content_block_delta"),
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "branch has it."}}),
        ),
        (
            Some("content_block_stop"),
            json!({"type": "content_block_stop", "index": 0}),
        ),
        (
            Some("message_delta"),
            json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 9}}),
        ),
        (Some("message_stop"), json!({"type": "message_stop"})),
    ]
}

fn anthropic_request() -> types::builder::AnthropicMessagesRequest {
    types::AnthropicMessagesRequest::builder()
        .model("MiniMax-M2.7")
        .max_tokens(256)
        .messages(vec![types::AnthropicMessageParam {
            role: types::AnthropicMessageParamRole::User,
            content: types::AnthropicMessageParamContent::String(
                "Does the Leipzig branch have it?".into(),
            ),
        }])
}

#[tokio::test]
async fn an_anthropic_compatible_stream_yields_every_named_event_in_order() {
    let server = MockServer::start_async().await;
    serve_stream(
        &server,
        ANTHROPIC,
        sse_named_body(ANTHROPIC, anthropic_events()),
    )
    .await;
    let client = sdk_client(&server.base_url(), None).unwrap();

    let events: Vec<_> = client
        .chat()
        .anthropic_compatible()
        .stream(anthropic_request())
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    let kinds: Vec<&str> = events.iter().map(|event| event.type_.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    let text: String = events
        .iter()
        .filter_map(|event| event.delta.as_ref()?.text.clone())
        .collect();
    assert_eq!(text, "Yes, the Leipzig branch has it.");
    assert_eq!(
        events[6]
            .delta
            .as_ref()
            .and_then(|delta| delta.stop_reason.as_deref()),
        Some("end_turn")
    );
}

#[tokio::test]
async fn an_anthropic_error_event_mid_stream_is_a_typed_error() {
    let mut events = anthropic_events();
    events.truncate(4);
    events.push((
        Some("error"),
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
    ));
    let server = MockServer::start_async().await;
    serve_stream(&server, ANTHROPIC, sse_named_body(ANTHROPIC, events)).await;
    let client = sdk_client(&server.base_url(), None).unwrap();

    let items: Vec<_> = client
        .chat()
        .anthropic_compatible()
        .stream(anthropic_request())
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 5, "four events, then the error: {items:?}");
    assert!(items[..4].iter().all(Result::is_ok));
    match &items[4] {
        Err(Error::Api(api)) => {
            assert!(api.message.contains("Overloaded"), "{}", api.message);
            assert!(api.is_retryable(), "an overload is worth retrying: {api:?}");
        }
        other => panic!("expected an overload error, got {other:?}"),
    }
}
