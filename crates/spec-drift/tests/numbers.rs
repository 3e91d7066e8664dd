//! Request constraints compare as exact numbers: int64 bounds one apart
//! are different bounds, although their `f64` values are equal.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use spec_drift::{diff, Level};

/// A document whose query parameter `q` has the schema `schema`.
fn with_parameter(schema: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Fixture", "version": "1"},
        "paths": {"/items": {"get": {
            "operationId": "listItems",
            "parameters": [{"name": "q", "in": "query", "schema": schema}],
            "responses": {"200": {"description": "ok"}}
        }}}
    })
}

/// The (id, message) of every change from `old` to `new`.
fn changes(old: Value, new: Value) -> Vec<(String, Level, String)> {
    diff(&with_parameter(old), &with_parameter(new))
        .unwrap()
        .changes
        .into_iter()
        .map(|change| (change.id, change.level, change.message))
        .collect()
}

#[test]
fn an_int64_maximum_lowered_by_one_is_reported_with_its_exact_values() {
    let found = changes(
        json!({"type": "integer", "format": "int64", "maximum": 9223372036854775807_i64}),
        json!({"type": "integer", "format": "int64", "maximum": 9223372036854775806_i64}),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    let (id, level, message) = &found[0];
    assert_eq!(id, "request-parameter-max-decreased");
    assert_eq!(*level, Level::Breaking);
    assert!(
        message.contains("from 9223372036854775807 to 9223372036854775806"),
        "{message}"
    );
}

#[test]
fn an_int64_minimum_raised_by_one_is_reported() {
    let found = changes(
        json!({"type": "integer", "minimum": -9223372036854775807_i64}),
        json!({"type": "integer", "minimum": -9223372036854775806_i64}),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "request-parameter-min-increased");
    assert!(
        found[0]
            .2
            .contains("from -9223372036854775807 to -9223372036854775806"),
        "{}",
        found[0].2
    );
}

#[test]
fn a_u64_max_length_lowered_by_one_is_reported() {
    let found = changes(
        json!({"type": "string", "maxLength": 18446744073709551615_u64}),
        json!({"type": "string", "maxLength": 18446744073709551614_u64}),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "request-parameter-max-length-decreased");
}

#[test]
fn the_same_bound_written_as_an_integer_or_a_float_is_no_change() {
    assert_eq!(
        changes(
            json!({"type": "number", "maximum": 5, "minimum": 0}),
            json!({"type": "number", "maximum": 5.0, "minimum": -0.0}),
        )
        .into_iter()
        .filter(|(id, ..)| id.contains("-max") || id.contains("-min"))
        .collect::<Vec<_>>(),
        vec![]
    );
}

#[test]
fn fractional_bounds_still_compare_by_value() {
    let found = changes(
        json!({"type": "number", "maximum": 1.5}),
        json!({"type": "number", "maximum": 1}),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "request-parameter-max-decreased");
    assert!(found[0].2.contains("from 1.5 to 1"), "{}", found[0].2);
    assert!(changes(
        json!({"type": "number", "maximum": 1}),
        json!({"type": "number", "maximum": 1.5}),
    )
    .iter()
    .all(|(id, ..)| id != "request-parameter-max-decreased"));
}

#[test]
fn object_and_array_enum_values_compare_their_numbers_by_value() {
    // The same values, numbers written differently: no enum change.
    let same = changes(
        json!({"type": "object", "enum": [{"n": 1, "tags": [2, 3]}]}),
        json!({"type": "object", "enum": [{"tags": [2.0, 3e0], "n": 1.0}]}),
    );
    assert!(same.iter().all(|(id, ..)| !id.contains("enum")), "{same:?}");
    // Integers above 2^53 inside an object stay distinct.
    let changed = changes(
        json!({"type": "object", "enum": [{"id": 9007199254740993_u64}, {"id": 1}]}),
        json!({"type": "object", "enum": [{"id": 9007199254740992_u64}, {"id": 1}]}),
    );
    assert!(
        changed
            .iter()
            .any(|(id, ..)| id == "request-parameter-enum-value-removed"),
        "{changed:?}"
    );
}
