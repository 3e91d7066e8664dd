//! The coverage gate: every operation of `openapi/minimax.json` has contract
//! cases that pass every stage that applies. Writes the table to
//! `target/contract-coverage.md` (regenerate it with
//! `cargo test -p minimax-contract-tests --test coverage`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use minimax_contract_tests::adapters;
use minimax_contract_tests::check::{check, check_api, without_sdk_method, Verdict};
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
    // A skipped stage fails the gate: the missing SDK method is a problem.
    assert!(
        problems.iter().any(|p| p.contains(
            "sdk method replay skipped: minimax-sdk has no resource method for retrieveFileV3"
        )),
        "{problems:?}"
    );

    // A real operation's real case passes, so the failures above are the
    // missing pieces, not a broken harness.
    let real = contract.operation("retrieveFile").unwrap();
    assert_eq!(check_api(real, &success).await, Verdict::Pass);
}

/// An operation without an SDK resource method fails the gate unless the
/// explicit allow-list names it with a reason; the lists hold no stale entry.
#[tokio::test]
async fn a_missing_sdk_method_fails_the_gate_unless_allowed_with_a_reason() {
    let contract = contract();
    let op = contract.operation("retrieveFile").unwrap();
    let case = contract.case("retrieveFile", "video-file").unwrap();
    let mut report = check(op, case).await;
    assert_eq!(report.sdk_method, Verdict::Pass);
    assert!(gate_problems(op, std::slice::from_ref(&report))
        .iter()
        .all(|p| !p.contains("video-file")));

    report.sdk_method = without_sdk_method("retrieveFile", &[]);
    assert!(report.sdk_method.is_failure(), "{:?}", report.sdk_method);
    let problems = gate_problems(op, std::slice::from_ref(&report));
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("retrieveFile/video-file sdk method replay skipped")),
        "{problems:?}"
    );

    let why = "served by a hand-written helper";
    report.sdk_method = without_sdk_method("retrieveFile", &[("retrieveFile", why)]);
    assert_eq!(report.sdk_method, Verdict::NotApplicable(why.to_owned()));
    assert!(gate_problems(op, std::slice::from_ref(&report))
        .iter()
        .all(|p| !p.contains("video-file")));

    assert_eq!(report::stale_exemptions(), Vec::<String>::new());
    for (id, _) in adapters::NOT_GENERATED {
        assert!(adapters::api(id).is_none(), "{id}");
    }
    for (id, _) in adapters::NO_SDK_METHOD {
        assert!(adapters::sdk_method(id).is_none(), "{id}");
    }
}
