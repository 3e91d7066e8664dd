//! Every operation has examples, and every example validates against its
//! schemas with a real JSON Schema validator.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use minimax_contract_tests::check::{check_schema, Verdict};
use minimax_contract_tests::contract;
use serde_json::json;

#[test]
fn the_examples_read_back_cleanly_from_the_spec() {
    let problems = &contract().problems;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_operation_has_a_success_and_an_error_example() {
    let mut missing = Vec::new();
    for op in &contract().operations {
        if !op.cases.iter().any(|case| !case.response.is_error()) {
            missing.push(format!("{}: no success example", op.id));
        }
        if !op.cases.iter().any(|case| case.response.is_error()) {
            missing.push(format!("{}: no error example", op.id));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert_eq!(contract().operations.len(), 23);
}

#[test]
fn every_example_validates_against_its_schemas() {
    let contract = contract();
    let mut failures = Vec::new();
    let mut n_checked = 0;
    for op in &contract.operations {
        for case in &op.cases {
            n_checked += 1;
            if let Verdict::Fail(why) = check_schema(op, case) {
                failures.push(format!(
                    "{} ({}):\n  {why}",
                    case.label(),
                    case.response.pointer
                ));
            }
        }
        for (name, schema, value) in &op.stream_examples {
            n_checked += 1;
            for error in contract.schema_errors(schema, value) {
                failures.push(format!("{}/{name} (event stream) at {error}", op.id));
            }
        }
    }
    assert!(n_checked > 60, "only {n_checked} examples found");
    assert!(
        failures.is_empty(),
        "{} invalid examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_schema_level_example_validates_against_its_schema() {
    let contract = contract();
    let mut failures = Vec::new();
    let examples = contract.component_examples();
    assert!(
        examples.len() > 20,
        "only {} schema examples",
        examples.len()
    );
    for (name, pointer, value) in &examples {
        for error in contract.schema_errors(pointer, value) {
            failures.push(format!("{name} ({pointer}/example) at {error}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The check cannot pass silently: a broken copy of a real case fails it,
/// and the message names the operation, the example and the JSON pointer.
#[test]
fn the_validator_rejects_a_broken_example() {
    let contract = contract();
    let op = contract.operation("retrieveFile").unwrap();
    let case = op
        .cases
        .iter()
        .find(|case| case.name == "video-file")
        .unwrap();
    assert_eq!(check_schema(op, case), Verdict::Pass);

    let mut broken = case.clone();
    broken.response.body["file"]["bytes"] = json!("5896337");
    broken.response.body["file"]
        .as_object_mut()
        .unwrap()
        .remove("filename");
    broken.request.query[0].1 = json!("not-a-number");
    let Verdict::Fail(why) = check_schema(op, &broken) else {
        panic!("the broken example passed");
    };
    assert!(why.contains("/file/bytes"), "{why}");
    assert!(
        why.contains("\"5896337\" is not of type \"integer\""),
        "{why}"
    );
    assert!(why.contains("\"filename\" is a required property"), "{why}");
    assert!(why.contains("query parameter file_id"), "{why}");
    assert_eq!(broken.label(), "retrieveFile/video-file");

    // A nullable collection accepts null; a non-nullable object does not.
    let mut with_null = case.clone();
    with_null.response.body["file"] = json!(null);
    assert!(check_schema(op, &with_null).is_failure());
    let list = contract.case("listFiles", "rate-limited").unwrap();
    assert_eq!(list.response.body["files"], json!(null));
    assert_eq!(
        check_schema(contract.operation("listFiles").unwrap(), list),
        Verdict::Pass
    );
}
