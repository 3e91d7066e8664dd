//! Retry counts, backoff timing (on a paused tokio clock), Retry-After, the
//! paid-request rule and per-request overrides.

use std::time::{Duration, SystemTime};

use httpmock::prelude::*;
use minimax_sdk::{Error, ErrorCode, RequestOptions, RetryPolicy};
use tokio::time::Instant;

use crate::common::{api, call_retrieve, mock_file_retrieve, paused_client};

async fn always<'a>(
    server: &'a MockServer,
    method: httpmock::Method,
    path: &str,
    status: u16,
) -> httpmock::Mock<'a> {
    let path = path.to_owned();
    server
        .mock_async(move |when, then| {
            when.method(method).path(path);
            then.status(status)
                .header("content-type", "text/plain")
                .body("busy");
        })
        .await
}

fn assert_between(elapsed: Duration, low_ms: u64, high_ms: u64) {
    assert!(
        elapsed >= Duration::from_millis(low_ms) && elapsed <= Duration::from_millis(high_ms),
        "elapsed {elapsed:?} not in [{low_ms} ms, {high_ms} ms]"
    );
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried_twice_with_jittered_backoff() {
    let server = MockServer::start_async().await;
    let mock = always(&server, GET, "/v1/files/retrieve", 503).await;
    let client = paused_client(&server, RetryPolicy::default());
    let started = Instant::now();
    let error = call_retrieve(&client).await.unwrap_err();
    // 0.5 s and 1 s, each jittered by a factor in (0.75, 1].
    assert_between(started.elapsed(), 1125, 1500);
    assert_eq!(mock.calls_async().await, 3);
    let api = api(error);
    assert_eq!(
        (api.code, api.http_status, api.attempts),
        (ErrorCode::Internal, Some(503), 3)
    );
}

#[tokio::test(start_paused = true)]
async fn backoff_without_jitter_is_exact() {
    let server = MockServer::start_async().await;
    let mock = always(&server, GET, "/v1/files/retrieve", 502).await;
    let client = paused_client(&server, RetryPolicy::default().jitter(false).max_retries(4));
    let started = Instant::now();
    let _ = call_retrieve(&client).await.unwrap_err();
    // 0.5 + 1 + 2 + 4 s.
    assert_between(started.elapsed(), 7500, 7510);
    assert_eq!(mock.calls_async().await, 5);
}

#[tokio::test(start_paused = true)]
async fn a_transient_failure_then_success_returns_the_value() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(500).up_to_n_times(2);
        })
        .await;
    let ok = mock_file_retrieve(&server).await;
    let client = paused_client(&server, RetryPolicy::default());
    let value = call_retrieve(&client).await.unwrap();
    assert!(value.file.is_some());
    assert_eq!(
        (failing.calls_async().await, ok.calls_async().await),
        (2, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn retryable_base_resp_codes_in_http_200_are_retried() {
    for code in [1000, 1001, 1002, 1013, 1024, 1039] {
        let server = MockServer::start_async().await;
        let failing = server
            .mock_async(|when, then| {
                when.path("/v1/files/retrieve");
                then.status(200)
                    .header("content-type", "application/json")
                    .body(format!(
                        r#"{{"base_resp":{{"status_code":{code},"status_msg":"try again"}}}}"#
                    ))
                    .up_to_n_times(1);
            })
            .await;
        let ok = mock_file_retrieve(&server).await;
        let client = paused_client(&server, RetryPolicy::default());
        call_retrieve(&client)
            .await
            .unwrap_or_else(|error| panic!("{code}: {error}"));
        assert_eq!(
            (failing.calls_async().await, ok.calls_async().await),
            (1, 1),
            "{code}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn permanent_failures_are_not_retried() {
    let bodies = [
        (
            200,
            r#"{"base_resp":{"status_code":1004,"status_msg":"auth"}}"#,
        ),
        (
            200,
            r#"{"base_resp":{"status_code":1008,"status_msg":"balance"}}"#,
        ),
        (
            200,
            r#"{"base_resp":{"status_code":1026,"status_msg":"sensitive"}}"#,
        ),
        (
            200,
            r#"{"base_resp":{"status_code":1027,"status_msg":"sensitive"}}"#,
        ),
        (
            200,
            r#"{"base_resp":{"status_code":2013,"status_msg":"invalid"}}"#,
        ),
        (
            200,
            r#"{"base_resp":{"status_code":2049,"status_msg":"invalid key"}}"#,
        ),
        (
            401,
            r#"{"error":{"message":"no","type":"authentication_error"}}"#,
        ),
        (403, "{}"),
        (400, "{}"),
        (404, "{}"),
    ];
    for (status, body) in bodies {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.path("/v1/files/retrieve");
                then.status(status)
                    .header("content-type", "application/json")
                    .body(body);
            })
            .await;
        let client = paused_client(&server, RetryPolicy::default());
        let started = Instant::now();
        let error = call_retrieve(&client).await.unwrap_err();
        assert_eq!(mock.calls_async().await, 1, "{status} {body}");
        assert_eq!(started.elapsed(), Duration::ZERO, "{status} {body}");
        assert!(!error.is_retryable(), "{status} {body}");
    }
}

#[tokio::test(start_paused = true)]
async fn server_errors_with_an_unknown_code_are_retried_by_their_status() {
    // The Anthropic-compatible endpoint answers "system error (1033)" with
    // HTTP 500; 1033 is not in the documented table, so the status decides.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(500)
                .header("content-type", "application/json")
                .body(r#"{"type":"error","error":{"type":"api_error","message":"system error (1033)"}}"#);
        })
        .await;
    let client = paused_client(&server, RetryPolicy::default());
    let error = call_retrieve(&client).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 3);
    assert!(error.is_retryable());
    let api = api(error);
    assert_eq!(
        (api.code, api.status_code, api.http_status),
        (ErrorCode::Other(1033), Some(1033), Some(500))
    );

    // A known permanent code keeps its meaning whatever the HTTP status.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve");
            then.status(500)
                .header("content-type", "application/json")
                .body(r#"{"base_resp":{"status_code":1004,"status_msg":"token not match group"}}"#);
        })
        .await;
    let client = paused_client(&server, RetryPolicy::default());
    let error = call_retrieve(&client).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 1);
    assert!(!error.is_retryable());
}

async fn rate_limited_then_ok<'a>(
    server: &'a MockServer,
    header: (&'static str, String),
) -> (httpmock::Mock<'a>, httpmock::Mock<'a>) {
    let limited = server
        .mock_async(move |when, then| {
            when.path("/v1/files/retrieve");
            then.status(429).header(header.0, header.1).up_to_n_times(1);
        })
        .await;
    let ok = mock_file_retrieve(server).await;
    (limited, ok)
}

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_honoured() {
    let server = MockServer::start_async().await;
    let (limited, ok) = rate_limited_then_ok(&server, ("Retry-After", "3".into())).await;
    let client = paused_client(&server, RetryPolicy::default());
    let started = Instant::now();
    call_retrieve(&client).await.unwrap();
    assert_between(started.elapsed(), 3000, 3001);
    assert_eq!(
        (limited.calls_async().await, ok.calls_async().await),
        (1, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_ms_is_honoured() {
    let server = MockServer::start_async().await;
    let (_, ok) = rate_limited_then_ok(&server, ("retry-after-ms", "1250".into())).await;
    let client = paused_client(&server, RetryPolicy::default());
    let started = Instant::now();
    call_retrieve(&client).await.unwrap();
    assert_between(started.elapsed(), 1250, 1251);
    assert_eq!(ok.calls_async().await, 1);
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start_async().await;
    // HTTP dates have one-second resolution; the wall clock keeps running.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
    let (_, ok) = rate_limited_then_ok(&server, ("Retry-After", date)).await;
    let client = paused_client(&server, RetryPolicy::default());
    let started = Instant::now();
    call_retrieve(&client).await.unwrap();
    assert_between(started.elapsed(), 8000, 10_001);
    assert_eq!(ok.calls_async().await, 1);
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_the_cap_ends_the_retries() {
    let server = MockServer::start_async().await;
    let (limited, ok) = rate_limited_then_ok(&server, ("Retry-After", "120".into())).await;
    let client = paused_client(&server, RetryPolicy::default());
    let started = Instant::now();
    let error = call_retrieve(&client).await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert!(error.is_rate_limited());
    assert_eq!(api(error).retry_after, Some(Duration::from_secs(120)));
    assert_eq!(
        (limited.calls_async().await, ok.calls_async().await),
        (1, 0)
    );

    // A larger cap waits for it.
    let server = MockServer::start_async().await;
    let (_, ok) = rate_limited_then_ok(&server, ("Retry-After", "120".into())).await;
    let client = paused_client(
        &server,
        RetryPolicy::default().max_retry_after(Duration::from_secs(300)),
    );
    let started = Instant::now();
    call_retrieve(&client).await.unwrap();
    assert_between(started.elapsed(), 120_000, 120_001);
    assert_eq!(ok.calls_async().await, 1);
}

fn t2a_request(client: &minimax_sdk::Client) -> reqwest::RequestBuilder {
    client
        .request(reqwest::Method::POST, "/v1/t2a_v2")
        .unwrap()
        .json(&serde_json::json!({"model": "speech-02-hd", "text": "hello"}))
}

#[tokio::test(start_paused = true)]
async fn paid_requests_are_retried_after_server_errors_only_when_opted_in() {
    let server = MockServer::start_async().await;
    let mock = always(&server, POST, "/v1/t2a_v2", 503).await;

    let client = paused_client(&server, RetryPolicy::default());
    let error = client
        .send("t2a_v2", t2a_request(&client))
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 1, "no retry by default");
    assert_eq!(api(error).attempts, 1);

    let opted_in = client.with_options(RequestOptions::new().retry_paid_requests(true));
    opted_in
        .send("t2a_v2", t2a_request(&opted_in))
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 1 + 3, "per-request opt-in");

    let policy_client = paused_client(&server, RetryPolicy::default().retry_paid_requests(true));
    policy_client
        .send("t2a_v2", t2a_request(&policy_client))
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 1 + 3 + 3, "client-wide opt-in");

    // The path alone identifies paid work, whatever the operation is called.
    client
        .send("custom_name", t2a_request(&client))
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 1 + 3 + 3 + 1);
}

#[tokio::test(start_paused = true)]
async fn paid_requests_are_retried_after_rate_limits() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/t2a_v2");
            then.status(429).up_to_n_times(1);
        })
        .await;
    let code_limited = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/t2a_v2");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"base_resp":{"status_code":1002,"status_msg":"rpm"}}"#)
                .up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/t2a_v2");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"data":{"audio":"00"},"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = paused_client(&server, RetryPolicy::default());
    let response = client.send("t2a_v2", t2a_request(&client)).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["audio"], "00");
    assert_eq!(
        (
            limited.calls_async().await,
            code_limited.calls_async().await,
            ok.calls_async().await
        ),
        (1, 1, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn per_request_overrides_apply_without_rebuilding_the_client() {
    let server = MockServer::start_async().await;
    let mock = always(&server, GET, "/v1/files/retrieve", 503).await;
    let client = paused_client(&server, RetryPolicy::default());

    let none = client.with_options(RequestOptions::new().max_retries(0));
    call_retrieve(&none).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 1);

    let more = client.with_options(RequestOptions::new().max_retries(4));
    call_retrieve(&more).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 1 + 5);

    // The original handle keeps its defaults.
    call_retrieve(&client).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 1 + 5 + 3);

    // A generated call made outside `call` uses the client's defaults.
    let raw = client.raw().retrieve_file().file_id(1_i64).send().await;
    assert!(raw.is_err());
    assert_eq!(mock.calls_async().await, 1 + 5 + 3 + 3);
}

#[tokio::test(start_paused = true)]
async fn connect_errors_are_retried_even_for_paid_requests() {
    // A port that was just free: connecting to it is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = minimax_sdk::Client::builder()
        .api_key("k")
        .base_url(format!("http://127.0.0.1:{port}"))
        .http_client(reqwest::Client::new())
        .no_timeout()
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .send(
            "t2a_v2",
            client
                .request(reqwest::Method::POST, "/v1/t2a_v2")
                .unwrap()
                .body("{}"),
        )
        .await
        .unwrap_err();
    match error {
        Error::Transport {
            attempts,
            ref source,
            ..
        } => {
            assert_eq!(attempts, 3);
            assert!(source.is_connect());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_between(started.elapsed(), 1125, 1500);
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
}
