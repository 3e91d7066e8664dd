//! Every way the API reports an error becomes the right `Error`, through
//! both a generated call (`Client::call`) and a hand-written one
//! (`Client::send`).

use httpmock::prelude::*;
use minimax_sdk::{Client, Error, ErrorCode, RequestOptions};

use crate::common::{api, call_retrieve, client, FILE_BODY};

struct Case {
    status: u16,
    content_type: &'static str,
    body: &'static str,
    code: ErrorCode,
    raw: Option<i64>,
    message: &'static str,
}

const fn case(
    status: u16,
    content_type: &'static str,
    body: &'static str,
    code: ErrorCode,
    raw: Option<i64>,
    message: &'static str,
) -> Case {
    Case {
        status,
        content_type,
        body,
        code,
        raw,
        message,
    }
}

const JSON: &str = "application/json";

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    // HTTP 200 with a non-zero base_resp, for every documented code.
    for (code, expected) in [
        (1000, ErrorCode::Internal),
        (1001, ErrorCode::Timeout),
        (1002, ErrorCode::RateLimited),
        (1004, ErrorCode::Auth),
        (1008, ErrorCode::InsufficientBalance),
        (1013, ErrorCode::Internal),
        (1024, ErrorCode::Internal),
        (1026, ErrorCode::SensitiveInput),
        (1027, ErrorCode::SensitiveOutput),
        (1039, ErrorCode::RateLimited),
        (2013, ErrorCode::InvalidInput),
        (2049, ErrorCode::Auth),
        (2038, ErrorCode::Other(2038)),
    ] {
        let body: &'static str = Box::leak(
            format!(r#"{{"base_resp":{{"status_code":{code},"status_msg":"message {code}"}}}}"#)
                .into_boxed_str(),
        );
        let message: &'static str = Box::leak(format!("message {code}").into_boxed_str());
        cases.push(case(200, JSON, body, expected, Some(code), message));
    }
    cases.extend([
        case(500, JSON, r#"{"base_resp":{"status_code":1000,"status_msg":"unknown error"}}"#, ErrorCode::Internal, Some(1000), "unknown error"),
        case(401, JSON, r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#, ErrorCode::Auth, None, "invalid x-api-key"),
        case(500, JSON, r#"{"type":"error","error":{"type":"api_error","message":"system error (1033)"}}"#, ErrorCode::Other(1033), Some(1033), "system error (1033)"),
        case(401, JSON, r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#, ErrorCode::Auth, None, "Incorrect API key provided"),
        case(429, JSON, r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#, ErrorCode::RateLimited, None, "Rate limit reached"),
        case(503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", ErrorCode::Internal, None, "service unavailable"),
        case(429, "text/plain", "", ErrorCode::RateLimited, None, "too many requests"),
        case(403, "text/plain", "forbidden by gateway", ErrorCode::Auth, None, "forbidden by gateway"),
        case(408, "text/plain", "", ErrorCode::Timeout, None, "request timeout"),
        case(504, "text/html", "<html>gateway timeout</html>", ErrorCode::Timeout, None, "gateway timeout"),
        case(404, "text/plain", "no such route", ErrorCode::Other(404), None, "no such route"),
    ]);
    cases
}

#[tokio::test]
async fn every_error_shape_maps_to_its_code_through_call_and_send() {
    let server = MockServer::start_async().await;
    let client = client(&server).with_options(RequestOptions::new().max_retries(0));
    for case in cases() {
        server.reset_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/files/retrieve");
                then.status(case.status)
                    .header("content-type", case.content_type)
                    .header("Trace-Id", "trace-123")
                    .body(case.body);
            })
            .await;
        let label = format!("{} {}", case.status, case.body);

        let generated = client
            .call(
                "retrieve_file",
                client.raw().retrieve_file().file_id(42_i64).send(),
            )
            .await;
        let handwritten = client
            .send(
                "retrieve_file",
                client
                    .request(reqwest::Method::GET, "/v1/files/retrieve")
                    .unwrap()
                    .query(&[("file_id", "42")]),
            )
            .await;
        for (path, result) in [
            ("call", generated.map(|_| ())),
            ("send", handwritten.map(|_| ())),
        ] {
            let error = result.expect_err(&label);
            let api = api(error);
            assert_eq!(api.code, case.code, "{path}: {label}");
            assert_eq!(api.status_code, case.raw, "{path}: {label}");
            assert_eq!(api.message, case.message, "{path}: {label}");
            assert_eq!(api.http_status, Some(case.status), "{path}: {label}");
            assert_eq!(
                api.trace_id.as_deref(),
                Some("trace-123"),
                "{path}: {label}"
            );
            assert_eq!(api.operation, "retrieve_file");
            assert_eq!(api.attempts, 1);
        }
    }
}

#[tokio::test]
async fn display_names_the_operation_code_message_and_trace_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", "application/json")
                .header("Trace-Id", "0a1b2c3d")
                .body(r#"{"base_resp":{"status_code":1004,"status_msg":"invalid api key"}}"#);
        })
        .await;
    let client = client(&server);
    let error = call_retrieve(&client).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "retrieve_file failed: MiniMax error 1004 (auth): invalid api key [trace-id 0a1b2c3d]"
    );
    assert!(error.is_auth() && !error.is_retryable() && !error.is_rate_limited());
    assert_eq!(error.trace_id(), Some("0a1b2c3d"));
}

#[tokio::test]
async fn trace_id_falls_back_to_the_body() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"base_resp":{"status_code":2013,"status_msg":"bad file_id"},"trace_id":"from-body"}"#);
        })
        .await;
    let client = client(&server);
    let error = call_retrieve(&client).await.unwrap_err();
    assert_eq!(error.trace_id(), Some("from-body"));
    assert_eq!(api(error).code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn success_returns_the_decoded_value() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve").query_param("file_id", "42");
            then.status(200)
                .header("content-type", "application/json")
                .body(FILE_BODY);
        })
        .await;
    let client = client(&server);
    let response = client
        .call(
            "retrieve_file",
            client.raw().retrieve_file().file_id(42_i64).send(),
        )
        .await
        .unwrap();
    let file = response.file.unwrap();
    assert_eq!(file.file_id.get(), 42);
}

#[tokio::test]
async fn documented_error_responses_are_classified() {
    let server = MockServer::start_async().await;
    let client = client(&server).with_options(RequestOptions::new().max_retries(0));
    // A documented 4xx with a MiniMax body decodes as `ErrorResponse`.
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/get_voice");
            then.status(400)
                .header("content-type", "application/json")
                .body(r#"{"base_resp":{"status_code":2013,"status_msg":"invalid voice_type"}}"#);
        })
        .await;
    let body = minimax_sdk::raw::types::GetVoiceReq {
        voice_type: minimax_sdk::raw::types::GetVoiceReqVoiceType::All,
    };
    let error = client
        .call(
            "get_voice",
            client.raw().get_voice().body(body.clone()).send(),
        )
        .await
        .unwrap_err();
    let first = api(error);
    assert_eq!(
        (first.code, first.status_code, first.http_status),
        (ErrorCode::InvalidInput, Some(2013), Some(400))
    );
    mock.delete_async().await;

    // A documented 5xx whose body is an HTML page cannot decode as
    // `ErrorResponse`; the status recorded by the executor still classifies it.
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/get_voice");
            then.status(503)
                .header("content-type", "text/html")
                .body("<html>down</html>");
        })
        .await;
    let error = client
        .call("get_voice", client.raw().get_voice().body(body).send())
        .await
        .unwrap_err();
    let second = api(error);
    assert_eq!(
        (second.code, second.status_code, second.http_status),
        (ErrorCode::Internal, None, Some(503))
    );
}

#[tokio::test]
async fn malformed_success_bodies_are_decode_errors_with_an_excerpt() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"file":"not an object","padding":"{}"}}"#,
                    "x".repeat(2000)
                ));
        })
        .await;
    let client = client(&server);
    match call_retrieve(&client).await {
        Err(Error::Decode {
            operation,
            body_excerpt,
            source,
            ..
        }) => {
            assert_eq!(operation, "retrieve_file");
            assert!(body_excerpt.starts_with(r#"{"file":"not an object""#));
            assert!(body_excerpt.len() <= 512);
            assert!(source.is_some());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_request_parameters_are_invalid_arguments() {
    let server = MockServer::start_async().await;
    let client = Client::builder()
        .api_key("k")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let result = client
        .call(
            "retrieve_file",
            client.raw().retrieve_file().file_id("not a number").send(),
        )
        .await;
    assert!(
        matches!(result, Err(Error::InvalidArgument(_))),
        "{result:?}"
    );
}
