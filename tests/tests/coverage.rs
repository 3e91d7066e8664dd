//! The coverage gate: every operation of `openapi/minimax.json` has contract
//! cases that pass every stage that applies. Writes the table to
//! `target/contract-coverage.md` (regenerate it with
//! `cargo test -p minimax-contract-tests --test coverage`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use minimax_contract_tests::adapters;
use minimax_contract_tests::check::{check, check_api, without_sdk_method, Verdict};
use minimax_contract_tests::contract;
use minimax_contract_tests::report::{self, gate_problems};
use minimax_contract_tests::spec::workspace_root;
use serde_json::Value;

/// Every operation of `openapi/minimax.json`, read from the raw `paths`
/// object (not through the harness's own loader), as `METHOD /path` and
/// `operationId`.
fn operations_in_raw_spec() -> Vec<(String, String)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let path = workspace_root().join("openapi/minimax.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let paths = doc["paths"]
        .as_object()
        .expect("the spec has a paths object");
    let mut operations = Vec::new();
    for (route, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {route} has no operationId"));
            operations.push((format!("{} {route}", method.to_uppercase()), id.to_owned()));
        }
    }
    operations
}

#[tokio::test]
async fn every_operation_has_passing_contract_cases() {
    let coverage = report::run().await;
    let path = coverage.write().unwrap();
    println!("{}", coverage.markdown());
    let raw = operations_in_raw_spec();
    assert_eq!(coverage.operations.len(), raw.len());
    let mut in_spec: Vec<&str> = raw.iter().map(|(_, id)| id.as_str()).collect();
    let mut in_table: Vec<&str> = coverage
        .operations
        .iter()
        .map(|op| op.id.as_str())
        .collect();
    in_spec.sort_unstable();
    in_table.sort_unstable();
    assert_eq!(
        in_table, in_spec,
        "the table's operations are not the spec's"
    );
    let failures = coverage.failures();
    assert!(
        failures.is_empty(),
        "{} coverage failures (table in {}):\n{}",
        failures.len(),
        path.display(),
        failures.join("\n")
    );
}

/// Every operation in the spec's raw `paths` has a generated-client adapter
/// or an explicit "not generated" entry, an SDK send-path adapter, and an SDK
/// resource method or an explicit "no SDK method" entry.
#[test]
fn every_operation_in_the_raw_spec_has_its_adapters() {
    let raw = operations_in_raw_spec();
    assert!(raw.len() >= 23, "only {} operations in paths", raw.len());
    let mut problems = Vec::new();
    for (route, id) in &raw {
        if adapters::api(id).is_none() && adapters::not_generated(id).is_none() {
            problems.push(format!(
                "{route} ({id}): no generated-client adapter (adapters!) and no NOT_GENERATED entry"
            ));
        }
        if adapters::sdk_core(id).is_none() {
            problems.push(format!("{route} ({id}): no SDK send-path adapter"));
        }
        if adapters::sdk_method(id).is_none() && adapters::no_sdk_method(id).is_none() {
            problems.push(format!(
                "{route} ({id}): no SDK resource method (sdk_method!) and no NO_SDK_METHOD entry"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
