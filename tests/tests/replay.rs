//! Every example replayed against httpmock through the generated client and
//! through the SDK, and proof that the replay check catches a wrong request
//! or a lossy decode.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use httpmock::MockServer;
use minimax_contract_tests::adapters::{self, Outcome};
use minimax_contract_tests::check::{
    api_client, check_api, check_sdk, expect_api, SdkPath, Verdict,
};
use minimax_contract_tests::contract;
use minimax_contract_tests::mock::{self, Expectation};
use serde_json::json;

fn report(stage: &str, failures: &[String], n_cases: usize) {
    assert!(n_cases > 60, "only {n_cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {n_cases} cases fail the {stage}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_example_replays_through_minimax_api() {
    let mut failures = Vec::new();
    let mut n_cases = 0;
    for op in &contract().operations {
        for case in &op.cases {
            n_cases += 1;
            if let Verdict::Fail(why) = check_api(op, case).await {
                failures.push(format!("{}:\n  {why}", case.label()));
            }
        }
    }
    report("minimax-api replay", &failures, n_cases);
}

#[tokio::test]
async fn every_example_replays_through_the_sdk() {
    let mut failures = Vec::new();
    let mut n_cases = 0;
    for op in &contract().operations {
        for case in &op.cases {
            n_cases += 1;
            for path in [SdkPath::Core, SdkPath::Method] {
                if let Verdict::Fail(why) = check_sdk(op, case, path, None).await {
                    failures.push(format!("{} ({path:?}):\n  {why}", case.label()));
                }
            }
        }
    }
    report("SDK replay", &failures, n_cases);
}

/// The mock refuses a request that differs from the case, and says how.
#[tokio::test]
async fn a_request_that_differs_from_the_example_is_refused() {
    let contract = contract();
    let op = contract.operation("deleteFile").unwrap();
    let case = contract.case("deleteFile", "delete-prompt-audio").unwrap();
    let mut other = case.clone();
    other.request.body = Some(json!({"file_id": 297990555456457_i64, "purpose": "prompt_audio"}));

    let server = MockServer::start_async().await;
    let (mock, log) = mock::serve(&server, case, Expectation::new(op, case, &[])).await;
    let client = api_client(&server.base_url(), &[]).unwrap();
    let outcome = adapters::api("deleteFile").unwrap()(&client, &other.request)
        .await
        .unwrap();
    let problem = mock::verify(&mock, &log)
        .await
        .expect("the mock accepted a wrong body");
    assert!(
        problem.contains("/file_id: expected 297990555456456, got 297990555456457"),
        "{problem}"
    );
    assert!(
        matches!(outcome, Outcome::Other(ref why) if why.contains("404")),
        "{outcome:?}"
    );
    assert!(!expect_api(case, &outcome).is_empty());
}

/// A decoded value that lost or changed a field is a difference.
#[test]
fn a_lossy_round_trip_is_a_difference() {
    let case = contract().case("retrieveFile", "video-file").unwrap();
    let mut body = case.response.body.clone();
    assert!(expect_api(
        case,
        &Outcome::Success {
            status: 200,
            body: body.clone()
        }
    )
    .is_empty());
    body["file"].as_object_mut().unwrap().remove("download_url");
    body["file"]["bytes"] = json!(1);
    let problems = expect_api(case, &Outcome::Success { status: 200, body });
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].contains("/file/bytes: expected 5896337, got 1"),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains("/file/download_url: missing"),
        "{problems:#?}"
    );
    // An error response decoded as a success is wrong too.
    let error = contract().case("getVoice", "server-error").unwrap();
    let problems = expect_api(
        error,
        &Outcome::Success {
            status: 500,
            body: error.response.body.clone(),
        },
    );
    assert!(
        problems[0].contains("expected Error::ErrorResponse"),
        "{problems:?}"
    );
}

/// The SDK checks are not vacuous: a wrong value, trace id or error is caught.
#[test]
fn a_wrong_sdk_value_or_error_is_a_difference() {
    use minimax_contract_tests::adapters::{whole_body, SdkValue};
    use minimax_contract_tests::check::expect_sdk;
    use minimax_sdk::{ApiError, ErrorCode};

    let case = contract().case("retrieveFile", "video-file").unwrap();
    let method = adapters::sdk_method("retrieveFile").unwrap();
    let good = SdkValue::traced(
        json!({"file": case.response.body["file"].clone()}),
        case.response.header("Trace-Id"),
    );
    assert!(expect_sdk(case, &Ok(good.clone()), method.expected, true).is_empty());
    let mut wrong = good;
    wrong.body["file"]["filename"] = json!("other.mp4");
    wrong.trace_id = Some(Some("0000".into()));
    let problems = expect_sdk(case, &Ok(wrong), method.expected, true);
    assert_eq!(problems.len(), 2, "{problems:#?}");

    let error_case = contract().case("retrieveFile", "invalid-api-key").unwrap();
    let mut api = ApiError::new("retrieve_file", ErrorCode::Auth, "invalid api key");
    api.status_code = Some(2049);
    api.http_status = Some(200);
    api.trace_id = error_case.response.header("Trace-Id").map(str::to_owned);
    let right = Err(minimax_sdk::Error::Api(api.clone()));
    assert!(expect_sdk(error_case, &right, whole_body, true).is_empty());
    let mut misread = api;
    misread.code = ErrorCode::Other(2049);
    misread.message = "invalid api key (2049)".into();
    misread.trace_id = None;
    let problems = expect_sdk(
        error_case,
        &Err(minimax_sdk::Error::Api(misread)),
        whole_body,
        true,
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");
    // A success where an error is expected, and the reverse.
    assert!(!expect_sdk(
        error_case,
        &Ok(SdkValue::untraced(json!({}))),
        whole_body,
        true
    )
    .is_empty());
    assert!(!expect_sdk(case, &right, whole_body, true).is_empty());
}
