//! Server-sent events from a real HTTP response, and the decoder over
//! chunk streams split at every byte.

use futures::StreamExt;
use httpmock::prelude::*;
use minimax_sdk::sse::{decode, json_stream};
use minimax_sdk::{Error, ErrorCode};
use serde::Deserialize;

use crate::common::{api, client};

#[derive(Debug, Deserialize, PartialEq)]
struct Chunk {
    text: String,
}

/// The trace id every [`stream_response`] carries.
const TRACE_ID: &str = "t-sse";

/// A response with `status`, `content_type`, the header trace id
/// [`TRACE_ID`] and `body`, from a mock on `server`.
async fn stream_response(
    server: &MockServer,
    status: u16,
    content_type: &str,
    body: &str,
) -> reqwest::Response {
    let (content_type, body) = (content_type.to_owned(), body.to_owned());
    server
        .mock_async(move |when, then| {
            when.method(POST).path("/v1/text/chatcompletion_v2");
            then.status(status)
                .header("content-type", content_type)
                .header("trace-id", TRACE_ID)
                .body(body);
        })
        .await;
    // Read the raw response (not through `send`) to exercise the typed
    // layer's own handling of error statuses.
    reqwest::Client::new()
        .post(server.url("/v1/text/chatcompletion_v2"))
        .send()
        .await
        .unwrap()
}

/// Every item [`json_stream`] yields for `response`.
async fn json_items(response: reqwest::Response) -> Vec<Result<Chunk, Error>> {
    json_stream("chat_completion_v2", response).collect().await
}

#[tokio::test]
async fn events_decode_into_values_until_done() {
    let server = MockServer::start_async().await;
    let body = ": keepalive\r\n\r\ndata: {\"text\":\"Hel\"}\r\n\r\ndata: {\"text\":\"lo\",\r\ndata:  \"base_resp\":{\"status_code\":0}}\n\n: ping\n\ndata: [DONE]\n\ndata: {\"text\":\"after done\"}\n\n";
    let client = client(&server);
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/text/chatcompletion_v2");
            then.status(200)
                .header("content-type", "text/event-stream")
                .body(body);
        })
        .await;
    let response = client
        .send(
            "chat_completion_v2",
            client
                .request(reqwest::Method::POST, "/v1/text/chatcompletion_v2")
                .unwrap()
                .json(&serde_json::json!({"stream": true})),
        )
        .await
        .unwrap();
    let items = json_items(response).await;
    let texts: Vec<String> = items.into_iter().map(|item| item.unwrap().text).collect();
    assert_eq!(texts, ["Hel", "lo"]);
}

#[tokio::test]
async fn an_error_event_mid_stream_ends_the_stream_with_a_typed_error() {
    let server = MockServer::start_async().await;
    let body = "data: {\"text\":\"ok\"}\n\ndata: {\"base_resp\":{\"status_code\":1027,\"status_msg\":\"output sensitive\"}}\n\ndata: {\"text\":\"never\"}\n\n";
    let response = stream_response(&server, 200, "text/event-stream", body).await;
    let items = json_items(response).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().text, "ok");
    let error = items.into_iter().nth(1).unwrap().unwrap_err();
    assert_eq!(api(error).code, ErrorCode::SensitiveOutput);

    let server = MockServer::start_async().await;
    let body = "data: {\"text\":\"ok\"}\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}\n\n";
    let response = stream_response(&server, 200, "text/event-stream", body).await;
    let items: Vec<Result<Chunk, Error>> = json_stream("create_anthropic_message", response)
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(items[1].as_ref().unwrap_err().is_rate_limited());
}

#[tokio::test]
async fn error_statuses_and_json_answers_become_one_typed_error() {
    let server = MockServer::start_async().await;
    let response = stream_response(
        &server,
        401,
        "application/json",
        r#"{"type":"error","error":{"type":"authentication_error","message":"bad key"}}"#,
    )
    .await;
    let items = json_items(response).await;
    assert_eq!(items.len(), 1);
    let api_error = api(items.into_iter().next().unwrap().unwrap_err());
    assert_eq!(
        (
            api_error.code,
            api_error.http_status,
            api_error.message.as_str()
        ),
        (ErrorCode::Auth, Some(401), "bad key")
    );

    let server = MockServer::start_async().await;
    let response = stream_response(
        &server,
        200,
        "application/json",
        r#"{"base_resp":{"status_code":1004,"status_msg":"invalid api key"}}"#,
    )
    .await;
    let items = json_items(response).await;
    assert_eq!(items.len(), 1);
    assert!(items[0].as_ref().unwrap_err().is_auth());

    // Through `send`, the same answer is already an error.
    let client = client(&server);
    let error = client
        .send(
            "chat_completion_v2",
            client
                .request(reqwest::Method::POST, "/v1/text/chatcompletion_v2")
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(error.is_auth());
}

#[tokio::test]
async fn decoding_is_independent_of_chunk_boundaries() {
    let body =
        "data: {\"text\":\"héllo 世界 🎵\"}\r\n\r\n: keep-alive\r\ndata: {\"text\":\"two\"}\r\r"
            .as_bytes();
    for cut in 0..=body.len() {
        let chunks = vec![
            Ok::<_, std::convert::Infallible>(bytes::Bytes::copy_from_slice(&body[..cut])),
            Ok(bytes::Bytes::copy_from_slice(&body[cut..])),
        ];
        let events: Vec<_> = decode("op", futures::stream::iter(chunks)).collect().await;
        let data: Vec<String> = events
            .into_iter()
            .map(|event| event.unwrap().data)
            .collect();
        assert_eq!(
            data,
            ["{\"text\":\"héllo 世界 🎵\"}", "{\"text\":\"two\"}"],
            "cut at {cut}"
        );
    }
}

#[tokio::test]
async fn a_transport_error_mid_stream_is_yielded_and_ends_the_stream() {
    let chunks = vec![
        Ok(bytes::Bytes::from_static(b"data: {\"text\":\"a\"}\n\n")),
        Err(Error::InvalidArgument("boom".into())),
        Ok(bytes::Bytes::from_static(b"data: {\"text\":\"b\"}\n\n")),
    ];
    let events: Vec<_> = decode("op", futures::stream::iter(chunks)).collect().await;
    assert_eq!(events.len(), 2);
    assert!(events[0].is_ok() && events[1].is_err());
}

#[tokio::test]
async fn a_last_event_without_its_blank_line_is_delivered() {
    for ending in ["", "\n", "\r\n"] {
        let server = MockServer::start_async().await;
        let body = format!(
            "data: {{\"text\":\"Hel\"}}\n\n: keepalive\n\ndata: {{\"text\":\"lo\"}}{ending}"
        );
        let response = stream_response(&server, 200, "text/event-stream", &body).await;
        let items = json_items(response).await;
        let texts: Vec<String> = items.into_iter().map(|item| item.unwrap().text).collect();
        assert_eq!(texts, ["Hel", "lo"], "ending {ending:?}");
    }
}

#[tokio::test]
async fn a_truncated_last_event_is_a_decode_error_not_a_silent_end() {
    let server = MockServer::start_async().await;
    let body = "data: {\"text\":\"Hel\"}\n\ndata: {\"text\":\"l";
    let response = stream_response(&server, 200, "text/event-stream", body).await;
    let items = json_items(response).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().text, "Hel");
    match &items[1] {
        Err(Error::Decode { operation, .. }) => assert_eq!(*operation, "chat_completion_v2"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_with_no_event_is_an_error_not_an_empty_stream() {
    // A MiniMax error body under a media type that is neither JSON nor SSE.
    let server = MockServer::start_async().await;
    let response = stream_response(
        &server,
        200,
        "text/plain; charset=utf-8",
        "{\"base_resp\":{\"status_code\":1004,\"status_msg\":\"login fail\"}}",
    )
    .await;
    let mut items = json_items(response).await;
    assert_eq!(items.len(), 1);
    let error = api(items.remove(0).unwrap_err());
    assert_eq!(error.code, ErrorCode::Auth);
    assert_eq!(error.message, "login fail");
    assert_eq!(error.trace_id.as_deref(), Some(TRACE_ID));
    assert_eq!(error.http_status, Some(200));

    // A page that is no MiniMax error, even under the event-stream type.
    let server = MockServer::start_async().await;
    let page = "<html>\n<body>Bad gateway</body>\n</html>\n";
    let response = stream_response(&server, 200, "text/event-stream", page).await;
    let items = json_items(response).await;
    assert_eq!(items.len(), 1);
    match &items[0] {
        Err(Error::Decode { body_excerpt, .. }) => assert!(body_excerpt.contains("Bad gateway")),
        other => panic!("expected a decode error, got {other:?}"),
    }

    // Only comments and blank lines: an empty stream, not an error.
    let server = MockServer::start_async().await;
    let response = stream_response(
        &server,
        200,
        "text/event-stream",
        ": keepalive\n\n: ping\n\n",
    )
    .await;
    let items = json_items(response).await;
    assert!(items.is_empty(), "{items:?}");
}
