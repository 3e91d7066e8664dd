//! [`check`]: every stage of the contract for one case, and what each
//! stage expects.
//!
//! | stage | passes when |
//! |---|---|
//! | [`Stage::Schema`] | every request part and the response body validate against their schemas |
//! | [`Stage::Api`] | the generated client sends exactly the case's request and decodes the response: a 2xx into the success type, a 4xx/5xx into `Error::ErrorResponse`, both re-encoding to the example |
//! | [`Stage::SdkCore`] | the same call through `minimax_sdk::Client::call` returns the value, or for an error case `Error::Api` with the right code, message, HTTP status and trace id |
//! | [`Stage::SdkMethod`] | the same through the SDK's resource method, where one exists |
//!
//! A case listed in [`KNOWN_ISSUES`] for a stage is expected to fail there;
//! it is reported as a known issue, never as passing, and the check fails
//! once it no longer reproduces, so the entry gets removed.

use std::fmt;

use httpmock::MockServer;
use minimax_sdk::{Error, ErrorCode};
use serde_json::Value;

use crate::adapters::{self, Expected, Outcome, SdkCall, SdkResult};
use crate::compare::{differences, normalize};
use crate::mock::{self, Expectation, TEST_KEY};
use crate::spec::{contract, Case, Operation};

/// A stage of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The example validates against its schemas.
    Schema,
    /// Replay through the generated client (`minimax-api`).
    Api,
    /// Replay through the SDK's send path (`Client::call`).
    SdkCore,
    /// Replay through the SDK's resource method.
    SdkMethod,
    /// Replay through the generated client against Prism.
    Prism,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Schema => "schema-valid",
            Stage::Api => "minimax-api replay",
            Stage::SdkCore => "sdk call() replay",
            Stage::SdkMethod => "sdk method replay",
            Stage::Prism => "prism replay",
        })
    }
}

/// The result of one stage for one case.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// It passed.
    Pass,
    /// It failed, and why.
    Fail(String),
    /// It failed as recorded in [`KNOWN_ISSUES`].
    Known(&'static str),
    /// The stage does not apply, and why.
    NotApplicable(String),
    /// What the stage needs does not exist yet (an SDK method) and the
    /// operation is not allowed to go without it: a failure.
    Missing(String),
}

impl Verdict {
    /// Whether the verdict is a failure that should fail the suite: a
    /// failure, or a stage skipped because what it needs is missing.
    pub fn is_failure(&self) -> bool {
        matches!(self, Verdict::Fail(_) | Verdict::Missing(_))
    }

    fn from_problems(problems: Vec<String>) -> Verdict {
        if problems.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail(problems.join("\n  "))
        }
    }
}

/// A case expected to fail at a stage because of a reported, unfixed bug.
#[derive(Debug)]
pub struct KnownIssue {
    /// The operation.
    pub operation: &'static str,
    /// The example name, or `*` for every case of the operation.
    pub example: &'static str,
    /// The stage that fails.
    pub stage: Stage,
    /// A substring of the failure message the bug produces. Only a failure
    /// whose message contains it is the known issue; any other failure of
    /// the same case at the same stage is a new failure and is reported as one.
    pub symptom: &'static str,
    /// The bug, and where it was reported.
    pub reason: &'static str,
}

/// Failures that are bugs outside this package, reported to the lead and
/// not yet fixed. Each entry is checked to still fail.
pub static KNOWN_ISSUES: &[KnownIssue] = &[KnownIssue {
    operation: "retrieveFile",
    example: "file-id-above-2-53",
    stage: Stage::Prism,
    symptom: "Response body property file.file_id must be <= 9007199254740991",
    reason: "Prism checks `format: int64` against JavaScript's safe-integer range (2^53 - 1), so it rejects the real id 123456789012345680 in the response; a limit of the tool, not of the spec",
}];

fn known_issue(case: &Case, stage: Stage) -> Option<&'static KnownIssue> {
    KNOWN_ISSUES.iter().find(|issue| {
        issue.operation == case.operation
            && (issue.example == "*" || issue.example == case.name)
            && issue.stage == stage
    })
}

/// Applies [`KNOWN_ISSUES`] to a stage's verdict: a failure is
/// [`Verdict::Known`] only when its message contains the issue's
/// [`KnownIssue::symptom`]; a pass is a failure (the entry is stale).
pub fn with_known_issues(case: &Case, stage: Stage, verdict: Verdict) -> Verdict {
    match (known_issue(case, stage), verdict) {
        (Some(issue), Verdict::Fail(why)) if !issue.symptom.is_empty() && why.contains(issue.symptom) => {
            Verdict::Known(issue.reason)
        }
        (Some(issue), Verdict::Fail(why)) => Verdict::Fail(format!(
            "{why}\n  (not the known issue of {} at {stage}: its symptom {:?} is not in this failure)",
            case.label(),
            issue.symptom
        )),
        (Some(issue), Verdict::Pass) => Verdict::Fail(format!(
            "{} no longer fails at {stage}; remove its KNOWN_ISSUES entry ({})",
            case.label(),
            issue.reason
        )),
        (_, verdict) => verdict,
    }
}

/// All stages of one case.
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// `operationId/name`.
    pub label: String,
    /// Whether the case is an error case.
    pub is_error: bool,
    /// Whether the case is an HTTP 200 with a non-zero `base_resp`.
    pub is_http_200_error: bool,
    /// [`Stage::Schema`].
    pub schema: Verdict,
    /// [`Stage::Api`].
    pub api: Verdict,
    /// [`Stage::SdkCore`].
    pub sdk_core: Verdict,
    /// [`Stage::SdkMethod`].
    pub sdk_method: Verdict,
}

/// Runs every stage of `case` (except Prism, which needs a server of its own).
pub async fn check(op: &Operation, case: &Case) -> CaseReport {
    CaseReport {
        label: case.label(),
        is_error: case.response.is_error(),
        is_http_200_error: case.response.is_http_200_error(),
        schema: check_schema(op, case),
        api: check_api(op, case).await,
        sdk_core: check_sdk(op, case, SdkPath::Core, None).await,
        sdk_method: check_sdk(op, case, SdkPath::Method, None).await,
    }
}

/// [`Stage::Schema`]: every part of the case validates against its schema.
pub fn check_schema(op: &Operation, case: &Case) -> Verdict {
    let contract = contract();
    let mut problems = Vec::new();
    let request = &case.request;
    let parameters = request
        .path
        .iter()
        .map(|(name, value)| ("path", name, value))
        .chain(
            request
                .query
                .iter()
                .map(|(name, value)| ("query", name, value)),
        )
        .chain(
            request
                .headers
                .iter()
                .map(|(name, value)| ("header", name, value)),
        );
    for (location, name, value) in parameters {
        match op
            .parameters
            .iter()
            .find(|parameter| parameter.location == location && parameter.name == *name)
        {
            Some(parameter) => {
                for error in contract.schema_errors(&parameter.schema, value) {
                    problems.push(format!("{location} parameter {name} at {error}"));
                }
            }
            None => problems.push(format!("{location} parameter {name} is not declared")),
        }
    }
    for parameter in op.parameters.iter().filter(|parameter| parameter.required) {
        let given = match parameter.location.as_str() {
            "path" => request.path.contains_key(&parameter.name),
            "query" => request
                .query
                .iter()
                .any(|(name, _)| *name == parameter.name),
            _ => request
                .headers
                .iter()
                .any(|(name, _)| *name == parameter.name),
        };
        if !given {
            problems.push(format!(
                "required {} parameter {} has no value",
                parameter.location, parameter.name
            ));
        }
    }
    match (&op.request_body, &request.body) {
        (Some(body), Some(value)) => {
            for error in contract.schema_errors(&body.schema, value) {
                problems.push(format!("request body at {error}"));
            }
        }
        (Some(body), None) if body.required => {
            problems.push("the request body is required and the case has none".to_owned())
        }
        (None, Some(_)) => {
            problems.push("a request body for an operation that takes none".to_owned())
        }
        _ => {}
    }
    for error in contract.schema_errors(&case.response.schema, &case.response.body) {
        problems.push(format!(
            "response body ({} {}) at {error}",
            case.response.key, case.response.media_type
        ));
    }
    with_known_issues(case, Stage::Schema, Verdict::from_problems(problems))
}

/// A generated client for `base_url` that authenticates with the test key
/// and sends `extra_headers` with every request.
pub fn api_client(
    base_url: &str,
    extra_headers: &[(&str, String)],
) -> Result<minimax_api::Client, String> {
    api_client_with_hooks(base_url, extra_headers, minimax_api::Hooks::new())
}

/// Like [`api_client`], sending through `hooks`.
pub fn api_client_with_hooks(
    base_url: &str,
    extra_headers: &[(&str, String)],
    hooks: minimax_api::Hooks,
) -> Result<minimax_api::Client, String> {
    let mut headers = reqwest::header::HeaderMap::new();
    let mut insert = |name: &str, value: &str| -> Result<(), String> {
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|err| format!("bad header name {name}: {err}"))?;
        let value = reqwest::header::HeaderValue::from_str(value)
            .map_err(|err| format!("bad header value {value:?}: {err}"))?;
        headers.insert(name, value);
        Ok(())
    };
    insert("authorization", &format!("Bearer {TEST_KEY}"))?;
    for (name, value) in extra_headers {
        insert(name, value)?;
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .map_err(|err| format!("cannot build the HTTP client: {err}"))?;
    Ok(minimax_api::Client::new_with_client(base_url, http, hooks))
}

/// An SDK client for `base_url` with the test key, no retries (an error case
/// must reach the caller after one request), and an optional legacy `GroupId`.
pub fn sdk_client(base_url: &str, group_id: Option<&str>) -> Result<minimax_sdk::Client, String> {
    let mut builder = minimax_sdk::Client::builder()
        .api_key(TEST_KEY)
        .base_url(base_url)
        .max_retries(0);
    if let Some(group_id) = group_id {
        builder = builder.group_id(group_id);
    }
    builder
        .build()
        .map_err(|err| format!("cannot build the SDK client: {err}"))
}

/// What a generated-client replay of `case` should have returned; the
/// differences, empty when it did.
pub fn expect_api(case: &Case, outcome: &Outcome) -> Vec<String> {
    let contract = contract();
    let response = &case.response;
    let schema = contract
        .doc
        .pointer(&response.schema)
        .unwrap_or(&Value::Null);
    let (status, body, wanted) = match (outcome, response.status >= 400) {
        (Outcome::Success { status, body }, false) => (status, body, "the success type"),
        (Outcome::ErrorResponse { status, body }, true) => (status, body, "Error::ErrorResponse"),
        (other, is_error) => {
            return vec![format!(
                "expected {} for HTTP {}, got {other:?}",
                if is_error {
                    "Error::ErrorResponse"
                } else {
                    "a decoded success"
                },
                response.status
            )]
        }
    };
    let mut problems = Vec::new();
    if *status != response.status {
        problems.push(format!("HTTP {status} instead of {}", response.status));
    }
    let expected = normalize(contract, schema, &response.body);
    let actual = normalize(contract, schema, body);
    for difference in differences(&expected, &actual) {
        problems.push(format!(
            "decoded into {wanted} and re-encoded, {difference}"
        ));
    }
    for error in contract.schema_errors(&response.schema, body) {
        problems.push(format!(
            "the re-encoded value violates the schema at {error}"
        ));
    }
    problems
}

/// [`Stage::Api`]: replay through the generated client against httpmock.
pub async fn check_api(op: &Operation, case: &Case) -> Verdict {
    let Some(call) = adapters::api(&op.id) else {
        return match adapters::not_generated(&op.id) {
            Some(why) => Verdict::NotApplicable(why.to_owned()),
            None => Verdict::Fail(format!(
                "no adapter for {} in tests/src/adapters.rs (adapters!)",
                op.id
            )),
        };
    };
    let server = MockServer::start_async().await;
    let (mock, log) = mock::serve(&server, case, Expectation::new(op, case, &[])).await;
    let verdict = match api_client(&server.base_url(), &[]) {
        Err(err) => Verdict::Fail(err),
        Ok(client) => match call(&client, &case.request).await {
            Err(err) => Verdict::Fail(err),
            Ok(outcome) => {
                let mut problems = Vec::new();
                if let Some(problem) = mock::verify(&mock, &log).await {
                    problems.push(problem);
                }
                problems.extend(expect_api(case, &outcome));
                Verdict::from_problems(problems)
            }
        },
    };
    with_known_issues(case, Stage::Api, verdict)
}

/// Which SDK entry point a replay goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkPath {
    /// `Client::call` on `Client::raw` (or `send_upload`).
    Core,
    /// The resource method.
    Method,
}

/// The numeric MiniMax code an error body carries: `base_resp.status_code`,
/// `error.code`, or a code quoted in the message as in `system error (1033)`.
pub fn raw_code(body: &Value) -> Option<i64> {
    if let Some(code) = body
        .pointer("/base_resp/status_code")
        .and_then(Value::as_i64)
        .filter(|code| *code != 0)
    {
        return Some(code);
    }
    let error = body.get("error")?;
    match error.get("code") {
        Some(Value::Number(number)) => return number.as_i64(),
        Some(Value::String(text)) if text.parse::<i64>().is_ok() => return text.parse().ok(),
        _ => {}
    }
    let message = error.get("message")?.as_str()?;
    let open = message.rfind('(')?;
    message[open + 1..].strip_suffix(')')?.parse().ok()
}

/// What an error case means, from the documented code table
/// (`/work/shared/notes/minimax-api.md` §2), independently of the SDK's own table.
pub fn expected_code(case: &Case) -> ErrorCode {
    let body = &case.response.body;
    if let Some(code) = raw_code(body) {
        return match code {
            1002 | 1039 => ErrorCode::RateLimited,
            1004 | 2049 => ErrorCode::Auth,
            1008 => ErrorCode::InsufficientBalance,
            1026 => ErrorCode::SensitiveInput,
            1027 => ErrorCode::SensitiveOutput,
            2013 => ErrorCode::InvalidInput,
            1001 => ErrorCode::Timeout,
            1000 | 1013 | 1024 => ErrorCode::Internal,
            other => ErrorCode::Other(other),
        };
    }
    let kind = body
        .pointer("/error/type")
        .or_else(|| body.pointer("/error/code"))
        .and_then(Value::as_str);
    match (kind, case.response.status) {
        (Some("authentication_error" | "permission_error"), _) => ErrorCode::Auth,
        (Some("rate_limit_error"), _) => ErrorCode::RateLimited,
        (Some("invalid_request_error"), _) => ErrorCode::InvalidInput,
        (Some("api_error" | "server_error" | "overloaded_error"), _) => ErrorCode::Internal,
        (_, 401 | 403) => ErrorCode::Auth,
        (_, 429) => ErrorCode::RateLimited,
        (_, 408 | 504) => ErrorCode::Timeout,
        (_, 500..=599) => ErrorCode::Internal,
        (_, status) => ErrorCode::Other(i64::from(status)),
    }
}

/// The message an error case carries: `base_resp.status_msg` or `error.message`.
pub fn expected_message(case: &Case) -> Option<String> {
    let body = &case.response.body;
    if case.response.base_resp_code().is_some() {
        return body
            .pointer("/base_resp/status_msg")
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    body.pointer("/error/message")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The trace id an error case carries: the `Trace-Id` header, else the body's `trace_id`.
pub fn expected_trace_id(case: &Case) -> Option<String> {
    case.response
        .header("Trace-Id")
        .map(str::to_owned)
        .or_else(|| {
            case.response
                .body
                .get("trace_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
}

/// What an SDK replay of `case` should have returned; the differences.
/// `expected` maps the example's response body to what the entry point
/// returns on success ([`adapters::whole_body`] for the send path).
/// `check_headers: false` skips what comes from the example's response
/// headers (the trace id), for servers that do not send them (Prism).
pub fn expect_sdk(
    case: &Case,
    result: &SdkResult,
    expected: Expected,
    check_headers: bool,
) -> Vec<String> {
    let contract = contract();
    let response = &case.response;
    match (result, response.is_error()) {
        (Ok(value), false) => {
            let schema = contract
                .doc
                .pointer(&response.schema)
                .unwrap_or(&Value::Null);
            let wanted = normalize(contract, schema, &expected(&response.body));
            let actual = normalize(contract, schema, &value.body);
            let mut problems: Vec<String> = differences(&wanted, &actual)
                .into_iter()
                .map(|difference| format!("the SDK's value, re-encoded, {difference}"))
                .collect();
            if let (Some(trace_id), true) = (&value.trace_id, check_headers) {
                let wanted = response.header("Trace-Id").map(str::to_owned);
                if *trace_id != wanted {
                    problems.push(format!("trace_id {trace_id:?} instead of {wanted:?}"));
                }
            }
            problems
        }
        (Err(Error::Api(api)), true) => {
            let mut problems = Vec::new();
            let code = expected_code(case);
            if api.code != code {
                problems.push(format!("code {:?} instead of {code:?}", api.code));
            }
            let raw = raw_code(&response.body);
            if api.status_code != raw {
                problems.push(format!(
                    "status_code {:?} instead of {raw:?}",
                    api.status_code
                ));
            }
            if let Some(message) = expected_message(case) {
                if api.message != message {
                    problems.push(format!("message {:?} instead of {message:?}", api.message));
                }
            }
            if api.http_status != Some(response.status) {
                problems.push(format!(
                    "http_status {:?} instead of {}",
                    api.http_status, response.status
                ));
            }
            let trace_id = expected_trace_id(case);
            if check_headers && api.trace_id != trace_id {
                problems.push(format!(
                    "trace_id {:?} instead of {trace_id:?}",
                    api.trace_id
                ));
            }
            problems
        }
        (Ok(value), true) => vec![format!("expected Error::Api, got Ok({})", value.body)],
        (Err(err), _) => vec![format!("unexpected error: {err} ({err:?})")],
    }
}

/// The [`Stage::SdkMethod`] verdict of an operation without an SDK resource
/// method: not applicable when `allowed` (in practice
/// [`adapters::NO_SDK_METHOD`]) lists it with a reason, else
/// [`Verdict::Missing`], which fails the gate.
pub fn without_sdk_method(operation: &str, allowed: &[(&str, &str)]) -> Verdict {
    match allowed.iter().find(|(id, _)| *id == operation) {
        Some((_, why)) => Verdict::NotApplicable((*why).to_owned()),
        None => Verdict::Missing(format!(
            "minimax-sdk has no resource method for {operation}: add an sdk_method! entry to tests/src/adapters.rs, or list it in NO_SDK_METHOD with a reason"
        )),
    }
}

/// [`Stage::SdkCore`] or [`Stage::SdkMethod`]: replay through the SDK
/// against httpmock, with a legacy `GroupId` configured when `group_id` is given.
pub async fn check_sdk(
    op: &Operation,
    case: &Case,
    path: SdkPath,
    group_id: Option<&str>,
) -> Verdict {
    let whole: Expected = adapters::whole_body;
    let (entry, stage): (Option<(SdkCall, Expected, Expected)>, Stage) = match path {
        SdkPath::Core => (
            adapters::sdk_core(&op.id).map(|call| (call, whole, whole)),
            Stage::SdkCore,
        ),
        SdkPath::Method => (
            adapters::sdk_method(&op.id).map(|method| (method.call, method.expected, method.sends)),
            Stage::SdkMethod,
        ),
    };
    let Some((call, expected, sends)) = entry else {
        return match path {
            SdkPath::Core => Verdict::Fail(format!(
                "no SDK send-path adapter for {} in tests/src/adapters.rs",
                op.id
            )),
            SdkPath::Method => without_sdk_method(&op.id, adapters::NO_SDK_METHOD),
        };
    };
    let extra_query: Vec<(String, String)> = group_id
        .map(|group| vec![("GroupId".to_owned(), group.to_owned())])
        .unwrap_or_default();
    // The request the entry point sends: the example's, as the method rewrites it.
    let mut sent = case.clone();
    sent.request.body = case.request.body.as_ref().map(sends);
    let server = MockServer::start_async().await;
    let (mock, log) = mock::serve(&server, case, Expectation::new(op, &sent, &extra_query)).await;
    let verdict = match sdk_client(&server.base_url(), group_id) {
        Err(err) => Verdict::Fail(err),
        Ok(sdk) => match call(&sdk, &case.request).await {
            Err(err) => Verdict::Fail(err),
            Ok(result) => {
                let mut problems = Vec::new();
                if let Some(problem) = mock::verify(&mock, &log).await {
                    problems.push(problem);
                }
                problems.extend(expect_sdk(case, &result, expected, true));
                Verdict::from_problems(problems)
            }
        },
    };
    with_known_issues(case, stage, verdict)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test
mod tests {
    use super::*;

    fn known_case() -> &'static Case {
        contract()
            .case("retrieveFile", "file-id-above-2-53")
            .expect("the case of the Prism int64 known issue")
    }

    #[test]
    fn every_known_issue_has_a_symptom() {
        for issue in KNOWN_ISSUES {
            assert!(
                !issue.symptom.trim().is_empty(),
                "{}/{} has no symptom, so it would hide every failure",
                issue.operation,
                issue.example
            );
        }
    }

    /// The failure the Prism int64 issue really produces (Prism 5.16.0's
    /// `sl-violations`, as `check_prism` reports it) is the known issue.
    #[test]
    fn a_failure_with_the_symptom_is_known() {
        let real = "Prism answered HTTP 500 with violations: response.body.file.file_id: Response body property file.file_id must be <= 9007199254740991; response.body.file.file_id: Response body property file.file_id must be string";
        assert_eq!(
            with_known_issues(known_case(), Stage::Prism, Verdict::Fail(real.to_owned())),
            Verdict::Known(KNOWN_ISSUES[0].reason)
        );
    }

    /// Any other failure of the same case at the same stage stays a failure,
    /// with its own message.
    #[test]
    fn a_failure_without_the_symptom_stays_a_failure() {
        let other =
            "Prism answered HTTP 422 with violations: request.query.file_id: must be integer";
        match with_known_issues(known_case(), Stage::Prism, Verdict::Fail(other.to_owned())) {
            Verdict::Fail(why) => {
                assert!(why.starts_with(other), "{why}");
                assert!(why.contains("not the known issue"), "{why}");
            }
            verdict => panic!("an unrelated failure was classified as {verdict:?}"),
        }
    }

    /// A known issue that passes fails the check; other stages and cases are untouched.
    #[test]
    fn a_pass_of_a_known_issue_fails_and_other_stages_are_untouched() {
        assert!(matches!(
            with_known_issues(known_case(), Stage::Prism, Verdict::Pass),
            Verdict::Fail(why) if why.contains("no longer fails")
        ));
        let failure = Verdict::Fail(KNOWN_ISSUES[0].symptom.to_owned());
        assert_eq!(
            with_known_issues(known_case(), Stage::Api, failure.clone()),
            failure
        );
        let other = contract().case("retrieveFile", "video-file").unwrap();
        assert_eq!(
            with_known_issues(other, Stage::Prism, failure.clone()),
            failure
        );
    }
}
