//! The independent cross-check: every case sent by the generated client to
//! Stoplight Prism (`prism mock --errors openapi/minimax.json`), which
//! validates each request against the spec on its own and answers with the
//! case's example (`Prefer: code=<status>, example=<name>`).
//!
//! Needs Node.js: the test installs the pinned Prism with `npm ci --ignore-scripts` into
//! `tests/prism/node_modules` when it is missing or stale, and fails (never skips)
//! when node or npm is not on PATH.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use std::fmt::Write as _;

use minimax_contract_tests::check::Verdict;
use minimax_contract_tests::contract;
use minimax_contract_tests::prism::{self, check_prism};
use minimax_contract_tests::report;
use minimax_contract_tests::spec::workspace_root;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_accepts_every_request_and_serves_every_example() {
    let spec = workspace_root().join("openapi/minimax.json");
    let server = prism::start(&spec).unwrap_or_else(|err| panic!("{err}"));
    let mut failures = Vec::new();
    let mut table = String::from("| operation | prism replay |\n|---|---|\n");
    let mut n_cases = 0;
    for op in &contract().operations {
        let (mut passed, mut known, mut total) = (0, 0, 0);
        for case in &op.cases {
            n_cases += 1;
            total += 1;
            match check_prism(op, case, &server.base_url).await {
                Verdict::Pass => passed += 1,
                Verdict::Known(_) => known += 1,
                Verdict::Fail(why) => failures.push(format!("{}: {why}", case.label())),
                other => failures.push(format!("{}: unexpected verdict {other:?}", case.label())),
            }
        }
        let mark = match (passed + known == total, known) {
            (false, _) => "✗",
            (true, 0) => "✓",
            (true, _) => "⚠",
        };
        let known = if known > 0 {
            format!(", {known} known issue")
        } else {
            String::new()
        };
        let _ = writeln!(table, "| `{}` | {mark} {passed}/{total}{known} |", op.id);
    }
    println!("{table}");
    drop(server);
    let path = report::target_dir().join("contract-prism.md");
    let mut text = format!("# Prism cross-check\n\nRegenerate with `cargo test -p minimax-contract-tests --test prism`.\n\n{table}");
    if !failures.is_empty() {
        let _ = writeln!(text, "\n## Failures\n");
        for failure in &failures {
            let _ = writeln!(text, "- {}", failure.replace('\n', " "));
        }
    }
    std::fs::create_dir_all(report::target_dir()).unwrap();
    std::fs::write(&path, text).unwrap();
    assert!(n_cases > 60, "only {n_cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {n_cases} cases fail against Prism:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Prism really validates: a request the spec forbids is rejected with its
/// validation message, so a passing run means something.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_rejects_a_request_the_spec_forbids() {
    let spec = workspace_root().join("openapi/minimax.json");
    let server = prism::start(&spec).unwrap_or_else(|err| panic!("{err}"));
    let contract = contract();
    let op = contract.operation("deleteVoice").unwrap();
    let mut case = contract
        .case("deleteVoice", "delete-cloned-voice")
        .unwrap()
        .clone();
    // voice_type is a closed enum in the spec; the generated type would not
    // even encode this, so send the raw body.
    case.request.body =
        Some(serde_json::json!({"voice_id": "Narrator2024a", "voice_type": "system"}));
    let response = reqwest::Client::new()
        .post(format!("{}/v1/delete_voice", server.base_url))
        .bearer_auth("test")
        .header("prefer", prism::prefer(&case))
        .json(case.request.body.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let violations = response
        .headers()
        .get("sl-violations")
        .and_then(|value| value.to_str().ok())
        .map(prism::describe_violations)
        .unwrap_or_default();
    // deleteVoice declares a 400, so Prism answers with it and lists the
    // violations in a header (an operation without one gets a 422).
    assert_eq!(status, 400, "{violations}");
    assert!(
        violations.contains("request.body.voice_type: Request body property voice_type must be equal to one of the allowed values"),
        "{violations}"
    );
    // And the same operation with the example's own request passes.
    let good = contract.case("deleteVoice", "delete-cloned-voice").unwrap();
    assert_eq!(check_prism(op, good, &server.base_url).await, Verdict::Pass);
}
