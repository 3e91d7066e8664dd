//! The quirks the normaliser exists for, beyond the round trip every case
//! already passes: what the decoded values mean, and what undeclared error
//! statuses become.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use httpmock::MockServer;
use minimax_api::{FilePurpose, Id, TaskState};
use minimax_contract_tests::adapters::{self, param};
use minimax_contract_tests::check::{api_client, check_sdk, sdk_client, SdkPath, Verdict};
use minimax_contract_tests::mock::{self, Expectation};
use minimax_contract_tests::{contract, Case};
use minimax_sdk::{Error, ErrorCode};
use serde_json::json;

/// Serves `operation/name` and hands a generated client for it to `call`.
async fn replay<T, F, Fut>(operation: &str, name: &str, call: F) -> T
where
    F: FnOnce(minimax_api::Client, &'static Case) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let contract = contract();
    let op = contract.operation(operation).unwrap();
    let case = contract
        .case(operation, name)
        .unwrap_or_else(|| panic!("no case {operation}/{name} in openapi/minimax.json"));
    let server = MockServer::start_async().await;
    let (mock, log) = mock::serve(&server, case, Expectation::new(op, case, &[])).await;
    let value = call(api_client(&server.base_url(), &[]).unwrap(), case).await;
    if let Some(problem) = mock::verify(&mock, &log).await {
        panic!("{operation}/{name}: {problem}");
    }
    value
}

async fn retrieved_file(name: &str) -> minimax_api::types::FileObject {
    replay("retrieveFile", name, |client, case| async move {
        let file_id: Id = param(&case.request, "file_id").unwrap();
        let response = client
            .retrieve_file()
            .file_id(file_id)
            .send()
            .await
            .unwrap();
        response.into_inner().file.unwrap()
    })
    .await
}

#[tokio::test]
async fn file_ids_decode_from_integers_numeric_strings_and_values_above_2_pow_53() {
    assert_eq!(
        retrieved_file("video-file").await.file_id,
        Id::new(205258526306433)
    );
    assert_eq!(
        retrieved_file("file-id-as-string").await.file_id,
        Id::new(176844028768320)
    );
    let big = retrieved_file("file-id-above-2-53").await.file_id;
    assert_eq!(big.get(), 123_456_789_012_345_680);
    assert!(big.get() > 1 << 53);
    assert_eq!(
        serde_json::to_string(&big).unwrap(),
        "123456789012345680",
        "encoded without going through f64"
    );
}

/// A file id held as a numeric string goes out as a JSON integer (the
/// replay compares ids numerically, so this checks the raw body).
#[tokio::test]
async fn a_numeric_string_file_id_is_sent_as_an_integer() {
    let case = contract().case("deleteFile", "file-id-as-string").unwrap();
    assert_eq!(
        case.request.body.as_ref().unwrap()["file_id"],
        json!("176844028768320")
    );
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/files/delete")
                .json_body(json!({"file_id": 176844028768320_i64, "purpose": "video_generation"}));
            then.status(200)
                .header("content-type", "application/json")
                .json_body(case.response.body.clone());
        })
        .await;
    let client = api_client(&server.base_url(), &[]).unwrap();
    let body: minimax_api::types::DeleteFileReq =
        serde_json::from_value(case.request.body.clone().unwrap()).unwrap();
    let response = client.delete_file().body(body).send().await.unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(
        response.into_inner().file_id,
        Some(Id::new(176844028768320))
    );
}

#[tokio::test]
async fn a_missing_download_url_and_an_unknown_purpose_decode() {
    let text_file = retrieved_file("no-download-url").await;
    assert_eq!(text_file.download_url, None);
    assert_eq!(text_file.purpose, FilePurpose::T2aAsyncInput);
    let newer = retrieved_file("unknown-purpose").await;
    assert_eq!(newer.purpose, FilePurpose::Other("music_reference".into()));
    assert_eq!(newer.purpose.as_str(), "music_reference");
    assert!(retrieved_file("video-file")
        .await
        .download_url
        .unwrap()
        .starts_with("https://"));
}

#[tokio::test]
async fn task_statuses_decode_in_any_case_and_unknown_ones_are_kept() {
    let speech = |name: &'static str| {
        replay("t2aAsyncV2Query", name, |client, case| async move {
            let task_id: Id = param(&case.request, "task_id").unwrap();
            let response = client
                .t2a_async_v2_query()
                .task_id(task_id)
                .send()
                .await
                .unwrap();
            response.into_inner().status.unwrap()
        })
    };
    let video = |name: &'static str| {
        replay("queryVideoGeneration", name, |client, case| async move {
            let task_id: Id = param(&case.request, "task_id").unwrap();
            let response = client
                .query_video_generation()
                .task_id(task_id)
                .send()
                .await
                .unwrap();
            response.into_inner().status.unwrap()
        })
    };
    let cases = [
        (
            speech("upstream").await,
            "Processing",
            TaskState::Processing,
        ),
        (
            speech("processing-lowercase").await,
            "processing",
            TaskState::Processing,
        ),
        (speech("success").await, "Success", TaskState::Success),
        (speech("failed").await, "failed", TaskState::Failed),
        (speech("expired").await, "Expired", TaskState::Expired),
        (
            speech("unknown-status").await,
            "Suspended",
            TaskState::Unknown,
        ),
        (video("queueing").await, "Queueing", TaskState::Queueing),
        (video("fail").await, "Fail", TaskState::Failed),
        (
            video("callback-spelling").await,
            "success",
            TaskState::Success,
        ),
        (
            video("succeeded-spelling").await,
            "succeeded",
            TaskState::Success,
        ),
        (video("upstream").await, "Success", TaskState::Success),
    ];
    for (status, wire, state) in cases {
        assert_eq!(status.as_str(), wire, "the wire spelling is kept");
        assert_eq!(status.state(), state, "{wire}");
    }
}

#[tokio::test]
async fn null_collections_of_failed_responses_decode_as_absent() {
    let files = replay("listFiles", "rate-limited", |client, _| async move {
        client
            .list_files()
            .purpose(FilePurpose::T2aAsyncInput)
            .send()
            .await
            .unwrap()
            .into_inner()
    })
    .await;
    assert_eq!(files.files, None);
    assert_eq!(files.base_resp.unwrap().status_code, 1002);
}

/// A legacy `GroupId` configured in the SDK goes out as a query parameter
/// on every kind of request: a GET, a JSON POST and a multipart upload.
#[tokio::test]
async fn a_legacy_group_id_is_sent_as_a_query_parameter() {
    let contract = contract();
    let group = "1897543210987654321";
    for (operation, name) in [
        ("retrieveFile", "video-file"),
        ("deleteFile", "delete-prompt-audio"),
        ("uploadFile", "voice-clone-recording"),
        ("chatCompletionV2", "rate-limited"),
    ] {
        let op = contract.operation(operation).unwrap();
        let case = contract.case(operation, name).unwrap();
        assert_eq!(
            check_sdk(op, case, SdkPath::Core, Some(group)).await,
            Verdict::Pass,
            "{operation}/{name}"
        );
    }
    // The check is not vacuous: a client without a GroupId does not match.
    let op = contract.operation("retrieveFile").unwrap();
    let case = contract.case("retrieveFile", "video-file").unwrap();
    let server = MockServer::start_async().await;
    let extra = [("GroupId".to_owned(), group.to_owned())];
    let (mock, log) = mock::serve(&server, case, Expectation::new(op, case, &extra)).await;
    let sdk = sdk_client(&server.base_url(), None).unwrap();
    let result = adapters::sdk_core("retrieveFile").unwrap()(&sdk, &case.request)
        .await
        .unwrap();
    assert!(result.is_err(), "{result:?}");
    // httpmock's answer to a request no mock matches: an HTTP 404 without a
    // MiniMax code, which the SDK reports as such after one attempt.
    match &result {
        Err(Error::Api(api)) => {
            assert_eq!(api.code, ErrorCode::Other(404), "{api:?}");
            assert_eq!(api.http_status, Some(404), "{api:?}");
            assert_eq!(api.status_code, None, "{api:?}");
            assert_eq!(api.operation, "retrieve_file", "{api:?}");
            assert_eq!(api.attempts, 1, "{api:?}");
        }
        other => panic!("expected Error::Api for the unmatched request, got {other:?}"),
    }
    let problem = mock::verify(&mock, &log)
        .await
        .expect("a request without GroupId matched an expectation with it");
    assert!(problem.contains("GroupId"), "{problem}");
}

/// The spec can only describe `GET /v1/files/retrieve_content`'s HTTP 200 as
/// binary, so this case is not an example: a JSON `base_resp` error sent with
/// HTTP 200 must still reach the caller as an error, not as file contents.
#[tokio::test]
async fn a_json_error_with_http_200_on_the_binary_endpoint_is_an_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/files/retrieve_content")
                .query_param("file_id", "205258526306434");
            then.status(200)
                .header("content-type", "application/json")
                .header("Trace-Id", "0588c5f405162738495a6b7c8d9eafb1")
                .json_body(json!({"base_resp": {"status_code": 2013, "status_msg": "invalid params, file not found"}}));
        })
        .await;
    let sdk = sdk_client(&server.base_url(), None).unwrap();
    let error = match sdk.files().content(Id::new(205258526306434)).await {
        Ok(content) => panic!(
            "the error body came back as file contents: {:?}",
            content.bytes().await
        ),
        Err(error) => error,
    };
    mock.assert_calls_async(1).await;
    let api = error.api_error().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(api.status_code, Some(2013));
    // 2013 is "invalid params" in the documented code table.
    assert_eq!(api.code, ErrorCode::InvalidInput, "{api:?}");
    assert_eq!(api.http_status, Some(200), "{api:?}");
    assert_eq!(api.message, "invalid params, file not found");
    assert_eq!(
        api.trace_id.as_deref(),
        Some("0588c5f405162738495a6b7c8d9eafb1")
    );
}

/// `retrieveFile` declares only its HTTP 200, so these statuses are not
/// examples: what a gateway or the rate limiter sends in front of the API.
const FILE_ID: i64 = 205258526306433;

/// A mock of `GET /v1/files/retrieve?file_id=FILE_ID` answering `status`
/// with `content_type` and `body`.
async fn undeclared_status<'a>(
    server: &'a MockServer,
    status: u16,
    content_type: &'static str,
    body: &'static str,
) -> httpmock::Mock<'a> {
    server
        .mock_async(move |when, then| {
            when.method(httpmock::Method::GET)
                .path("/v1/files/retrieve")
                .query_param("file_id", FILE_ID.to_string());
            let then = then.status(status);
            let then = if content_type.is_empty() {
                then
            } else {
                then.header("content-type", content_type)
            };
            then.body(body);
        })
        .await
}

async fn retrieve_error(base_url: &str, sdk: Option<minimax_sdk::Client>) -> minimax_sdk::ApiError {
    let sdk = sdk.unwrap_or_else(|| sdk_client(base_url, None).unwrap());
    match sdk.files().retrieve(Id::new(FILE_ID)).await {
        Ok(file) => panic!("an undeclared error status came back as a file: {file:?}"),
        Err(Error::Api(api)) => api,
        Err(other) => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undeclared_429_with_an_empty_body_is_rate_limited() {
    let server = MockServer::start_async().await;
    let mock = undeclared_status(&server, 429, "", "").await;
    let api = retrieve_error(&server.base_url(), None).await;
    mock.assert_calls_async(1).await;
    assert_eq!(api.code, ErrorCode::RateLimited, "{api:?}");
    assert_eq!(api.http_status, Some(429), "{api:?}");
    assert_eq!(api.status_code, None, "{api:?}");
    assert_eq!(api.operation, "retrieve_file", "{api:?}");
    assert!(!api.message.trim().is_empty(), "{api:?}");
    assert!(api.is_retryable(), "{api:?}");
}

#[tokio::test]
async fn an_undeclared_502_with_an_html_page_is_internal_without_the_page() {
    const PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let server = MockServer::start_async().await;
    let mock = undeclared_status(&server, 502, "text/html", PAGE).await;
    let api = retrieve_error(&server.base_url(), None).await;
    mock.assert_calls_async(1).await;
    assert_eq!(api.code, ErrorCode::Internal, "{api:?}");
    assert_eq!(api.http_status, Some(502), "{api:?}");
    assert_eq!(api.status_code, None, "{api:?}");
    assert!(!api.message.trim().is_empty(), "{api:?}");
    for markup in ["<", "html", "nginx", "center"] {
        assert!(
            !api.message.to_lowercase().contains(markup),
            "the message dumps the HTML page ({markup}): {:?}",
            api.message
        );
    }
    assert!(!api.to_string().to_lowercase().contains("<html"), "{api}");
}

/// With `max_retries(1)` a 503 (retryable, and `retrieveFile` starts no paid
/// work) is sent exactly twice, then reported with both attempts.
#[tokio::test]
async fn one_retry_of_an_undeclared_503_means_exactly_two_requests() {
    let server = MockServer::start_async().await;
    let mock = undeclared_status(&server, 503, "text/plain", "").await;
    let sdk = minimax_sdk::Client::builder()
        .api_key(mock::TEST_KEY)
        .base_url(server.base_url())
        .retry_policy(
            minimax_sdk::RetryPolicy::default()
                .initial_backoff(std::time::Duration::from_millis(1))
                .max_backoff(std::time::Duration::from_millis(5))
                .jitter(false),
        )
        .max_retries(1)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let api = retrieve_error(&server.base_url(), Some(sdk)).await;
    assert_eq!(
        mock.calls_async().await,
        2,
        "requests the mock saw for one retry: {api:?}"
    );
    assert_eq!(api.attempts, 2, "{api:?}");
    assert_eq!(api.code, ErrorCode::Internal, "{api:?}");
    assert_eq!(api.http_status, Some(503), "{api:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the fast backoff was not used: {:?}",
        started.elapsed()
    );
}
