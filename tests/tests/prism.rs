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
    let server = prism::shared(&spec).unwrap_or_else(|err| panic!("{err}"));
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
    let server = prism::shared(&spec).unwrap_or_else(|err| panic!("{err}"));
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
    // Tests running at the same time share one Prism.
    let again = prism::shared(&spec).unwrap();
    assert!(std::sync::Arc::ptr_eq(&server, &again));
}

/// A port another process took between choosing and binding it is not
/// mistaken for Prism (that process answers HTTP too), and the start is
/// retried once on another port.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_port_is_not_prism_and_the_start_is_retried() {
    use std::io::{Read, Write};
    let squatter = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = squatter.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in squatter.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0_u8; 1024];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }
    });
    assert!(matches!(prism::probe(taken), prism::Probe::Other(_)));
    let free = prism::free_port().unwrap();
    let mut ports = vec![free, taken];
    let spec = workspace_root().join("openapi/minimax.json");
    let server = prism::start_on(&spec, &mut || Ok(ports.pop().unwrap()))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(server.base_url, format!("http://127.0.0.1:{free}"));
    assert_eq!(prism::probe(free), prism::Probe::Prism);
    let first_log = report::target_dir().join(format!("contract-prism-{taken}.log"));
    let first = std::fs::read_to_string(&first_log).unwrap();
    assert!(first.contains("EADDRINUSE"), "{first}");

    // Two taken ports: both attempts are reported, and there is no third.
    let mut calls = 0;
    let err = prism::start_on(&spec, &mut || {
        calls += 1;
        Ok(taken)
    })
    .err()
    .expect("Prism cannot serve on a taken port");
    assert_eq!(calls, 2);
    assert_eq!(err.matches("was taken").count(), 2, "{err}");
}
