//! `client.chat()`: create, stream (split across reads, `[DONE]`, a
//! repeated final message, a final event without its blank line,
//! mid-stream errors, an error document under another media type), and the
//! OpenAI- and Anthropic-compatible endpoints.

use futures::StreamExt;
use httpmock::prelude::*;
use httpmock::HttpMockRequest;
use minimax_sdk::{types, ChatRequest, ChatStream, Error, ErrorCode};

use crate::common::{
    api, assert_api_error, bearer, client, client_for, error_body, piecewise_server, split_every,
};

const JSON: &str = "application/json";

fn request() -> ChatRequest {
    ChatRequest::new("MiniMax-M2.7")
        .system("You are concise.")
        .user("Name a prime.")
}

/// `chat().stream(request())` against a [`piecewise_server`] answering
/// `head` and then `pieces`.
async fn served_stream(head: &str, pieces: Vec<Vec<u8>>) -> ChatStream {
    let (url, _) = piecewise_server(head, pieces).await;
    client_for(&url).chat().stream(request()).await.unwrap()
}

fn json_of(request: &HttpMockRequest) -> serde_json::Value {
    serde_json::from_slice(request.body_ref()).unwrap_or_default()
}

#[tokio::test]
async fn create_sends_the_messages_and_reads_the_reply() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/text/chatcompletion_v2")
                .header("authorization", bearer())
                .json_body_includes(
                    r#"{"model":"MiniMax-M2.7","messages":[{"role":"system","content":"You are concise."},{"role":"user","content":"Name a prime."}],"temperature":0.5}"#,
                )
                .is_true(|request: &HttpMockRequest| json_of(request)["stream"] == false);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-chat")
                .body(r#"{"id":"0598","object":"chat.completion","created":1760359270,"model":"MiniMax-M2.7","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","name":"MiniMax AI","content":"7","reasoning_content":"Small primes: 2, 3, 5, 7.","audio_content":""}}],"usage":{"total_tokens":30,"prompt_tokens":20,"completion_tokens":10,"completion_tokens_details":{"reasoning_tokens":8}},"input_sensitive":false,"output_sensitive":false,"input_sensitive_type":0,"output_sensitive_type":0,"output_sensitive_int":0,"base_resp":{"status_code":0,"status_msg":""}}"#);
        })
        .await;
    let reply = client(&server)
        .chat()
        .create(request().temperature(0.5))
        .await
        .unwrap();
    assert_eq!(reply.text(), Some("7"));
    assert_eq!(reply.reasoning(), Some("Small primes: 2, 3, 5, 7."));
    assert!(reply.tool_calls().is_empty());
    assert_eq!(reply.finish_reason(), Some("stop"));
    assert_eq!(reply.trace_id(), Some("trace-chat"));
    assert_eq!(reply.usage.as_ref().unwrap().total_tokens, Some(30));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn create_errors_in_base_resp_are_typed_and_only_rate_limits_retried() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/text/chatcompletion_v2")
                .json_body_includes(r#"{"messages":[{"role":"user","content":"busy"}]}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-1002")
                .body(r#"{"id":"x","choices":null,"usage":{"total_tokens":0},"base_resp":{"status_code":1002,"status_msg":"rate limit exceeded(RPM)"}}"#);
        })
        .await;
    let sensitive = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/text/chatcompletion_v2")
                .json_body_includes(r#"{"messages":[{"role":"user","content":"bad"}]}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-1026")
                .body(r#"{"choices":null,"input_sensitive":true,"input_sensitive_type":1,"base_resp":{"status_code":1026,"status_msg":"input new_sensitive"}}"#);
        })
        .await;
    let client = client(&server);

    let error = client
        .chat()
        .create(ChatRequest::new("MiniMax-M2.7").user("busy"))
        .await
        .unwrap_err();
    assert!(error.is_rate_limited());
    let api = assert_api_error(error, 1002, "trace-1002");
    assert_eq!(api.attempts, 3);
    assert_eq!(limited.calls_async().await, 3, "rate limits are retried");

    let error = client
        .chat()
        .create(ChatRequest::new("MiniMax-M2.7").user("bad"))
        .await
        .unwrap_err();
    assert_eq!(api_code(&error), ErrorCode::SensitiveInput);
    assert_api_error(error, 1026, "trace-1026");
    assert_eq!(sensitive.calls_async().await, 1);
}

fn api_code(error: &Error) -> ErrorCode {
    error.api_error().map(|api| api.code).unwrap()
}

/// A native stream: deltas, then the final `chat.completion` object that
/// repeats the whole message with usage, then `[DONE]`.
const STREAM: &str = concat!(
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"Think: \"}}],\"base_resp\":{\"status_code\":0}}\n\n",
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Seven is \"}}]}\n\n",
    ": keepalive\n\n",
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"prime. 素数\"}}]}\r\n\r\n",
    "data: {\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"Seven is prime. 素数\",\"reasoning_content\":\"Think: \"}}],\"usage\":{\"total_tokens\":42},\"base_resp\":{\"status_code\":0,\"status_msg\":\"\"}}\n\n",
    "data: [DONE]\n\n",
    "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"after done\"}}]}\n\n",
);

#[tokio::test]
async fn a_stream_split_across_reads_yields_the_text_once_and_ends_at_done() {
    for size in [3, 17, 64] {
        let (url, requests) = piecewise_server(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntrace-id: trace-stream",
            split_every(STREAM, size),
        )
        .await;
        let stream = client_for(&url).chat().stream(request()).await.unwrap();
        assert_eq!(stream.trace_id(), Some("trace-stream"));
        let chunks: Vec<_> = stream.map(Result::unwrap).collect().await;
        assert_eq!(chunks.len(), 4, "split every {size} bytes");
        let text: String = chunks.iter().map(|chunk| chunk.content.as_str()).collect();
        assert_eq!(text, "Seven is prime. 素数");
        let reasoning: String = chunks
            .iter()
            .map(|chunk| chunk.reasoning_content.as_str())
            .collect();
        assert_eq!(reasoning, "Think: ");
        let last = chunks.last().unwrap();
        assert!(last.is_final);
        assert_eq!(last.finish_reason.as_deref(), Some("stop"));
        assert_eq!(last.usage.as_ref().unwrap().total_tokens, Some(42));
        assert!(chunks[..3].iter().all(|chunk| !chunk.is_final));

        let sent = requests.lock().unwrap()[0].clone();
        assert!(sent.contains("\"stream\":true"), "{sent}");
        assert!(
            sent.starts_with("POST /v1/text/chatcompletion_v2 "),
            "{sent}"
        );
    }

    let text = served_stream(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream",
        split_every(STREAM, 9),
    )
    .await
    .collect_text()
    .await
    .unwrap();
    assert_eq!(text, "Seven is prime. 素数");
}

#[tokio::test]
async fn a_final_chunk_without_its_blank_line_still_arrives_with_its_usage() {
    // The stream as a server that ends its last event with one line end
    // (and sends no `[DONE]`) would write it, closing the connection.
    let body = STREAM
        .split_once("data: [DONE]")
        .map(|(events, _)| events.trim_end_matches('\n').to_owned() + "\n")
        .unwrap();
    let chunks: Vec<_> = served_stream(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream",
        split_every(&body, 11),
    )
    .await
    .map(Result::unwrap)
    .collect()
    .await;
    assert_eq!(chunks.len(), 4);
    let last = chunks.last().unwrap();
    assert!(last.is_final);
    assert_eq!(last.finish_reason.as_deref(), Some("stop"));
    assert_eq!(last.usage.as_ref().unwrap().total_tokens, Some(42));
}

#[tokio::test]
async fn an_error_document_under_another_media_type_is_a_typed_error() {
    let error = served_stream(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ntrace-id: trace-plain",
        vec![error_body(2013, "invalid params, messages empty").into_bytes()],
    )
    .await
    .collect_text()
    .await
    .unwrap_err();
    assert_api_error(error, 2013, "trace-plain");
}

#[tokio::test]
async fn a_mid_stream_error_event_is_a_typed_error_that_ends_the_stream() {
    let body = concat!(
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once upon\"}}]}\n\n",
        "data: {\"id\":\"c2\",\"choices\":null,\"output_sensitive\":true,\"base_resp\":{\"status_code\":1027,\"status_msg\":\"output new_sensitive\"}}\n\n",
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"never\"}}]}\n\n",
    );
    let items: Vec<_> = served_stream(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntrace-id: trace-mid",
        split_every(body, 13),
    )
    .await
    .collect()
    .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().content, "Once upon");
    let api = api(items.into_iter().nth(1).unwrap().unwrap_err());
    assert_eq!(api.code, ErrorCode::SensitiveOutput);
    assert_eq!(api.status_code, Some(1027));
    assert_eq!(api.trace_id.as_deref(), Some("trace-mid"));

    // `collect_text` stops at the error.
    let error = served_stream(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream",
        split_every(body, 13),
    )
    .await
    .collect_text()
    .await
    .unwrap_err();
    assert_eq!(api_code(&error), ErrorCode::SensitiveOutput);
}

#[tokio::test]
async fn errors_before_the_stream_keep_their_body() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/text/chatcompletion_v2")
                .json_body_includes(r#"{"messages":[{"role":"user","content":"401"}]}"#);
            then.status(401)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-401")
                .body(r#"{"base_resp":{"status_code":1004,"status_msg":"login fail: Please carry the API secret key"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/text/chatcompletion_v2")
                .json_body_includes(r#"{"messages":[{"role":"user","content":"200"}]}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-2013")
                .body(error_body(2013, "invalid params, messages empty"));
        })
        .await;
    let client = client(&server);
    let error = client
        .chat()
        .stream(ChatRequest::new("MiniMax-M2.7").user("401"))
        .await
        .unwrap_err();
    let api = api(error);
    assert_eq!(api.code, ErrorCode::Auth);
    assert_eq!(api.http_status, Some(401));
    assert_eq!(api.message, "login fail: Please carry the API secret key");
    assert_eq!(api.trace_id.as_deref(), Some("trace-401"));

    let error = client
        .chat()
        .stream(ChatRequest::new("MiniMax-M2.7").user("200"))
        .await
        .unwrap_err();
    assert_api_error(error, 2013, "trace-2013");
}

#[tokio::test]
async fn the_openai_compatible_endpoint_creates_and_streams() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/chat/completions")
                .header("authorization", bearer())
                .is_true(|request: &HttpMockRequest| {
                    let json = json_of(request);
                    json["stream"] == false && json["model"] == "MiniMax-M2.7"
                });
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-openai")
                .body(r#"{"id":"c","object":"chat.completion","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hi!"}}],"usage":{"total_tokens":3}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/chat/completions")
                .is_true(|request: &HttpMockRequest| json_of(request)["stream"] == true);
            then.status(200)
                .header("content-type", "text/event-stream")
                .body(concat!(
                    "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"H\"}}]}\n\n",
                    "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"i!\"},\"finish_reason\":\"stop\"}]}\n\n",
                    "data: [DONE]\n\n",
                ));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/chat/completions")
                .is_true(|request: &HttpMockRequest| json_of(request)["model"] == "unknown");
            then.status(400)
                .header("content-type", JSON)
                .body(r#"{"error":{"message":"invalid model","type":"invalid_request_error","code":2013}}"#);
        })
        .await;
    let client = client(&server);
    let message = types::OpenAiChatMessage {
        content: Some(types::OpenAiChatMessageContent::String("Hello".into())),
        name: None,
        reasoning_details: Vec::new(),
        role: types::OpenAiChatMessageRole::User,
        tool_call_id: None,
        tool_calls: Vec::new(),
    };
    let request = types::OpenAiChatCompletionRequest::builder()
        .model("MiniMax-M2.7")
        .messages(vec![message.clone()]);

    let reply = client
        .chat()
        .openai_compatible()
        .create(request.clone())
        .await
        .unwrap();
    assert_eq!(reply.text(), Some("Hi!"));
    assert_eq!(reply.trace_id(), Some("trace-openai"));

    let chunks: Vec<_> = client
        .chat()
        .openai_compatible()
        .stream(request)
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
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
    assert_eq!(text, "Hi!");

    let error = client
        .chat()
        .openai_compatible()
        .create(
            types::OpenAiChatCompletionRequest::builder()
                .model("unknown")
                .messages(vec![message]),
        )
        .await
        .unwrap_err();
    let api = api(error);
    assert_eq!(api.code, ErrorCode::InvalidInput);
    assert_eq!(api.message, "invalid model");
}

#[tokio::test]
async fn the_anthropic_compatible_endpoint_creates_and_streams() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/anthropic/v1/messages")
                .header("authorization", bearer())
                .is_true(|request: &HttpMockRequest| json_of(request)["stream"] == false);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"id":"msg","type":"message","role":"assistant","model":"MiniMax-M2.7","content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"Hello"},{"type":"text","text":" there"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":2}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/anthropic/v1/messages")
                .is_true(|request: &HttpMockRequest| json_of(request)["stream"] == true);
            then.status(200)
                .header("content-type", "text/event-stream")
                .header("Trace-Id", "trace-anthropic")
                .body(concat!(
                    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n\n",
                    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n",
                    "event: ping\ndata: {\"type\":\"ping\"}\n\n",
                    "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
                    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"never\"}}\n\n",
                ));
        })
        .await;
    let client = client(&server);
    let request = types::AnthropicMessagesRequest::builder()
        .model("MiniMax-M2.7")
        .max_tokens(256)
        .messages(vec![types::AnthropicMessageParam {
            role: types::AnthropicMessageParamRole::User,
            content: types::AnthropicMessageParamContent::String("Hi".into()),
        }]);
    let message = client
        .chat()
        .anthropic_compatible()
        .create(request.clone())
        .await
        .unwrap();
    assert_eq!(message.text(), "Hello there");

    let stream = client
        .chat()
        .anthropic_compatible()
        .stream(request)
        .await
        .unwrap();
    assert_eq!(stream.trace_id(), Some("trace-anthropic"));
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].as_ref().unwrap().type_, "message_start");
    assert_eq!(
        items[1]
            .as_ref()
            .unwrap()
            .delta
            .as_ref()
            .unwrap()
            .text
            .as_deref(),
        Some("Hel")
    );
    let api = api(items.into_iter().nth(3).unwrap().unwrap_err());
    assert_eq!(api.code, ErrorCode::Internal);
    assert_eq!(api.message, "Overloaded");
    assert_eq!(api.trace_id.as_deref(), Some("trace-anthropic"));
}
