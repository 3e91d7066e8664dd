//! Helpers for the rules' unit tests: minimal specs and a runner.

use serde_json::{json, Value};

use crate::spec::input::Input;
use crate::spec::normalize::{Context, Rule};

/// A minimal OpenAPI 3.0.3 document with `paths` and `components.schemas`.
pub fn doc(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "test", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// Applies `rule` with no inputs and returns where it fired.
pub fn apply(rule: &dyn Rule, spec: &mut Value) -> Vec<String> {
    apply_with(rule, spec, &[])
}

/// Applies `rule` with `inputs` and returns where it fired.
pub fn apply_with(rule: &dyn Rule, spec: &mut Value, inputs: &[Input]) -> Vec<String> {
    match rule.apply(
        spec,
        &Context {
            inputs,
            examples: &[],
        },
    ) {
        Ok(fired) => fired,
        Err(err) => panic!("rule {} failed: {err}", rule.name()),
    }
}

/// A JSON response with `schema`.
pub fn json_response(schema: Value) -> Value {
    json!({"description": "ok", "content": {"application/json": {"schema": schema}}})
}
