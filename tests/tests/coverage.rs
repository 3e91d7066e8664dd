//! The coverage gate: every operation of `openapi/minimax.json` has contract
//! cases that pass every stage that applies. Writes the table to
//! `target/contract-coverage.md` (regenerate it with
//! `cargo test -p minimax-contract-tests --test coverage`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use minimax_contract_tests::check::{check, check_api, Verdict};
use minimax_contract_tests::contract;
use minimax_contract_tests::report::{self, gate_problems};

#[tokio::test]
async fn every_operation_has_passing_contract_cases() {
    let coverage = report::run().await;
    let path = coverage.write().unwrap();
    println!("{}", coverage.markdown());
    assert_eq!(coverage.operations.len(), contract().operations.len());
    let failures = coverage.failures();
    assert!(
        failures.is_empty(),
        "{} coverage failures (table in {}):\n{}",
        failures.len(),
        path.display(),
        failures.join("\n")
    );
}

/// The gate is not vacuous: an operation without cases, without an error
/// case, or without an adapter fails it.
#[tokio::test]
async fn the_gate_catches_missing_cases_and_adapters() {
    let contract = contract();
    let mut op = contract.operation("retrieveFile").unwrap().clone();
    op.id = "retrieveFileV3".into();
    assert!(gate_problems(&op, &[])[0].contains("no contract case"));

    let success = op
        .cases
        .iter()
        .find(|case| case.name == "video-file")
        .unwrap()
        .clone();
    let mut renamed = success.clone();
    renamed.operation = op.id.clone();
    let report = check(&op, &renamed).await;
    assert!(
        matches!(&report.api, Verdict::Fail(why) if why.contains("no adapter for retrieveFileV3")),
        "{:?}",
        report.api
    );
    assert!(matches!(report.sdk_method, Verdict::Missing(_)));
    let problems = gate_problems(&op, &[report]);
    assert!(
        problems.iter().any(|p| p == "no error example"),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("HTTP-200 error")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("minimax-api replay")),
        "{problems:?}"
    );

    // A real operation's real case passes, so the failures above are the
    // missing pieces, not a broken harness.
    let real = contract.operation("retrieveFile").unwrap();
    assert_eq!(check_api(real, &success).await, Verdict::Pass);
}
