//! The executor's request handling: authentication only for the API
//! origin, `GroupId`, user agent, extra headers, timeouts and the overall
//! deadline.

use std::time::{Duration, Instant};

use httpmock::prelude::*;
use minimax_sdk::{Client, Error, RequestOptions, RetryPolicy, TimeoutKind};
use reqwest::header::{HeaderName, HeaderValue};

use crate::common::{builder, call_retrieve, client, fast_retries, FILE_BODY, KEY};

#[tokio::test]
async fn api_requests_carry_the_bearer_key_and_no_group_id_by_default() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve")
                .header("authorization", format!("Bearer {KEY}"))
                .header_missing("api-version")
                .query_param("file_id", "7")
                .query_param_missing("GroupId")
                .header_prefix("user-agent", "minimax-sdk-rust/");
            then.status(200)
                .header("content-type", "application/json")
                .body(FILE_BODY);
        })
        .await;
    let client = client(&server);
    client
        .call(
            "retrieve_file",
            client.raw().retrieve_file().file_id(7_i64).send(),
        )
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn group_id_is_sent_when_configured() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve")
                .query_param("file_id", "7")
                .query_param("GroupId", "group-1");
            then.status(200)
                .header("content-type", "application/json")
                .body(FILE_BODY);
        })
        .await;
    let client = builder(&server).group_id("group-1").build().unwrap();
    client
        .call(
            "retrieve_file",
            client.raw().retrieve_file().file_id(7_i64).send(),
        )
        .await
        .unwrap();
    client
        .send(
            "retrieve_file",
            client
                .request(reqwest::Method::GET, "/v1/files/retrieve")
                .unwrap()
                .query(&[("file_id", "7")]),
        )
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn the_key_and_group_id_never_go_to_another_origin() {
    let api = MockServer::start_async().await;
    let other = MockServer::start_async().await;
    let mock = other
        .mock_async(|when, then| {
            when.path("/elsewhere")
                .header_missing("authorization")
                .query_param_missing("GroupId");
            then.status(200).body("ok");
        })
        .await;
    let client = builder(&api).group_id("group-1").build().unwrap();
    client
        .send("other", client.http_client().get(other.url("/elsewhere")))
        .await
        .unwrap();
    // Even a caller that copies the key into a request to another host is
    // stopped.
    client
        .send(
            "other",
            client
                .http_client()
                .get(other.url("/elsewhere"))
                .bearer_auth(KEY),
        )
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn extra_headers_and_user_agent_are_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve")
                .header("mm-api-source", "tests")
                .header("user-agent", "my-app/1.0")
                .header("authorization", format!("Bearer {KEY}"));
            then.status(200)
                .header("content-type", "application/json")
                .body(FILE_BODY);
        })
        .await;
    let client = builder(&server).user_agent("my-app/1.0").build().unwrap();
    let tagged = client.with_options(RequestOptions::new().header(
        HeaderName::from_static("mm-api-source"),
        HeaderValue::from_static("tests"),
    ));
    // An `Authorization` in the extra headers never replaces the key.
    let tagged = tagged.with_options(RequestOptions::new().header(
        reqwest::header::AUTHORIZATION,
        HeaderValue::from_static("Bearer something-else"),
    ));
    call_retrieve(&tagged).await.unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn a_slow_attempt_times_out_and_is_retried() {
    let server = MockServer::start_async().await;
    let mock = serve_slowly(&server, Duration::from_secs(3)).await;
    let client =
        client(&server).with_options(RequestOptions::new().timeout(Duration::from_millis(200)));
    let started = Instant::now();
    let error = call_retrieve(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_attempt_timeout(&error, Duration::from_millis(200), 3);
    assert!(error.is_retryable());
    assert!(error.to_string().contains("per-attempt timeout"), "{error}");
    assert_eq!(mock.calls_async().await, 3);
}

#[tokio::test]
async fn the_client_timeout_bounds_every_attempt() {
    let server = MockServer::start_async().await;
    let mock = serve_slowly(&server, Duration::from_secs(3)).await;
    // Set on the builder, so the SDK builds its HTTP client with it.
    let client = builder(&server)
        .retry_policy(fast_retries().max_retries(1))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.files().retrieve(1_i64).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_attempt_timeout(&error, Duration::from_millis(200), 2);
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn a_per_request_timeout_longer_than_the_clients_applies() {
    let server = MockServer::start_async().await;
    serve_slowly(&server, Duration::from_millis(600)).await;
    let client = builder(&server)
        .retry_policy(fast_retries().max_retries(0))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let patient = client.with_options(RequestOptions::new().timeout(Duration::from_secs(10)));
    let file = patient.files().retrieve(1_i64).await.unwrap();
    assert_eq!(i64::from(file.file_id), 42);
    // The client's own default still applies without the override.
    assert!(matches!(
        client.files().retrieve(1_i64).await,
        Err(Error::Timeout { .. })
    ));
}

#[tokio::test]
async fn the_overall_deadline_cuts_an_attempt_short() {
    let server = MockServer::start_async().await;
    serve_slowly(&server, Duration::from_secs(3)).await;
    let client = builder(&server)
        .retry_policy(fast_retries().overall_deadline(Duration::from_millis(300)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = call_retrieve(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    match &error {
        Error::Timeout { kind, limit, .. } => {
            assert_eq!(*kind, TimeoutKind::Deadline);
            assert_eq!(*limit, Some(Duration::from_millis(300)));
        }
        other => panic!("expected a deadline timeout, got {other:?}"),
    }
    assert!(error.to_string().contains("overall deadline"), "{error}");
}

#[tokio::test]
async fn the_overall_deadline_stops_retrying() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(503);
        })
        .await;
    let client = builder(&server)
        .retry_policy(
            RetryPolicy::default()
                .max_retries(10)
                .jitter(false)
                .initial_backoff(Duration::from_millis(200))
                .max_backoff(Duration::from_millis(200)),
        )
        .build()
        .unwrap()
        .with_options(RequestOptions::new().overall_deadline(Duration::from_millis(500)));
    let started = Instant::now();
    let error = call_retrieve(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    let calls = mock.calls_async().await;
    assert!((2..=3).contains(&calls), "{calls} calls");
    assert_eq!(crate::common::api(error).http_status, Some(503));
}

#[tokio::test]
async fn a_streaming_body_is_sent_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/files/upload");
            then.status(503);
        })
        .await;
    let client = client(&server);
    let body = reqwest::Body::wrap_stream(futures::stream::iter([Ok::<_, std::io::Error>(
        bytes::Bytes::from_static(b"data"),
    )]));
    let error = client
        .send(
            "upload_file",
            client
                .request(reqwest::Method::POST, "/v1/files/upload")
                .unwrap()
                .body(body),
        )
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(crate::common::api(error).http_status, Some(503));
}

#[tokio::test]
async fn debug_output_redacts_the_key() {
    let server = MockServer::start_async().await;
    let client: Client = client(&server);
    let shown = format!("{client:?} {:?}", client.config());
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("api_key: \"[redacted]\""), "{shown}");
}

/// Mocks `files/retrieve` answering the file only after `delay`.
async fn serve_slowly(server: &MockServer, delay: Duration) -> httpmock::Mock<'_> {
    server
        .mock_async(move |when, then| {
            when.path("/v1/files/retrieve");
            then.status(200).delay(delay).body(FILE_BODY);
        })
        .await
}

/// Asserts that `error` is a per-attempt timeout of `limit` after `attempts` attempts.
fn assert_attempt_timeout(error: &Error, limit: Duration, attempts: u32) {
    match error {
        Error::Timeout {
            kind,
            limit: actual,
            attempts: made,
            ..
        } => {
            assert_eq!(*kind, TimeoutKind::Attempt);
            assert_eq!(*actual, Some(limit));
            assert_eq!(*made, attempts);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}
