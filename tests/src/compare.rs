//! Comparing what a client decoded (and re-encoded) with the example it was given.
//!
//! The generated types are a projection of the spec's schemas, so a decode
//! followed by an encode does not give back the example byte for byte. Both
//! sides go through [`normalize`] before they are compared as JSON values;
//! it applies exactly these rules, each a documented property of the
//! generated code, and nothing else:
//!
//! 1. **Undefined properties.** For an object schema that lists `properties`
//!    and does not allow additional ones, properties it does not define are
//!    dropped: progenitor generates a struct, which ignores unknown fields.
//! 2. **Ids.** A numeric string where the schema is the `Id` wire type
//!    (`x-minimax-rust-type: crate::Id`) becomes the integer it spells:
//!    `minimax_api::Id` decodes both forms and always encodes an integer.
//! 3. **`null` is absent.** An optional property whose value is `null` is
//!    dropped: it decodes to `None`, which is not encoded. So is an optional
//!    `Id` property holding its zero value (`""` or `0`): MiniMax sends that
//!    for an id it does not have yet, and `minimax_api` decodes it as `None`.
//! 4. **Defaults.** An optional property equal to its schema's `default` is
//!    dropped: progenitor fills the default in when it is missing and always
//!    encodes it.
//! 5. **Numbers.** Where the schema says `type: number`, the value becomes a
//!    float: the field is an `f64`, which encodes `0` as `0.0`.
//!
//! Everything else (a changed number, a lost array item, a renamed enum
//! value, a dropped property the schema does define) is a difference.

use serde_json::{Map, Value};

use crate::spec::Contract;

/// The Rust type name the normaliser maps the `Id` schema onto.
const ID_RUST_TYPE: &str = "crate::Id";

/// `value` normalised against `schema` (see the module documentation).
pub fn normalize(contract: &Contract, schema: &Value, value: &Value) -> Value {
    normalize_at(contract, schema, value, 0)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether `schema` (resolved) accepts the JSON type of `value`, judging by
/// its `type` alone.
fn type_fits(contract: &Contract, schema: &Value, value: &Value) -> bool {
    let schema = contract.resolve(schema);
    match schema.get("type").and_then(Value::as_str) {
        Some("number") => matches!(json_type(value), "number" | "integer"),
        Some(kind) => kind == json_type(value),
        None => true,
    }
}

/// Whether `schema` (resolved) is the `Id` wire type.
fn is_id(schema: &Value) -> bool {
    schema.get("x-minimax-rust-type").and_then(Value::as_str) == Some(ID_RUST_TYPE)
}

/// Whether `value` is the zero value of an `Id` property (`""`, `0` or
/// `"0"`), which decodes as no id.
fn is_zero_id(contract: &Contract, schema: &Value, value: &Value) -> bool {
    is_id(contract.resolve(schema))
        && (value.as_i64() == Some(0) || matches!(value.as_str(), Some("" | "0")))
}

fn normalize_at(contract: &Contract, schema: &Value, value: &Value, depth: usize) -> Value {
    if depth > 64 {
        return value.clone();
    }
    let resolved = contract.resolve(schema);
    if is_id(resolved) {
        if let Some(id) = value.as_str().and_then(|text| text.parse::<i64>().ok()) {
            return Value::from(id);
        }
        return value.clone();
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(branches) = resolved.get(keyword).and_then(Value::as_array) {
            return match branches
                .iter()
                .find(|branch| type_fits(contract, branch, value))
            {
                Some(branch) => normalize_at(contract, branch, value, depth + 1),
                None => value.clone(),
            };
        }
    }
    match value {
        Value::Array(items) => {
            let item_schema = resolved.get("items").cloned().unwrap_or(Value::Null);
            Value::Array(
                items
                    .iter()
                    .map(|item| normalize_at(contract, &item_schema, item, depth + 1))
                    .collect(),
            )
        }
        Value::Object(object) => {
            let properties = resolved.get("properties").and_then(Value::as_object);
            let additional = resolved.get("additionalProperties");
            let required: Vec<&str> = resolved
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let keeps_unknown = properties.is_none()
                || matches!(additional, Some(Value::Bool(true)) | Some(Value::Object(_)));
            let mut out = Map::new();
            for (name, child) in object {
                match properties.and_then(|properties| properties.get(name)) {
                    Some(property_schema) => {
                        let optional = !required.contains(&name.as_str());
                        if optional
                            && (child.is_null() || is_zero_id(contract, property_schema, child))
                        {
                            continue;
                        }
                        let default = contract.resolve(property_schema).get("default");
                        if optional && default == Some(child) {
                            continue;
                        }
                        out.insert(
                            name.clone(),
                            normalize_at(contract, property_schema, child, depth + 1),
                        );
                    }
                    None if keeps_unknown => {
                        let schema = match additional {
                            Some(schema @ Value::Object(_)) => schema.clone(),
                            _ => Value::Null,
                        };
                        out.insert(
                            name.clone(),
                            normalize_at(contract, &schema, child, depth + 1),
                        );
                    }
                    None => {}
                }
            }
            Value::Object(out)
        }
        Value::Number(number) if resolved.get("type").and_then(Value::as_str) == Some("number") => {
            number
                .as_f64()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| value.clone(), Value::Number)
        }
        other => other.clone(),
    }
}

/// A compact, line-by-line description of how `actual` differs from
/// `expected` (both normalised); empty when they are equal.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut found = Vec::new();
    diff("", expected, actual, &mut found);
    found
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

fn diff(at: &str, expected: &Value, actual: &Value, found: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(left), Value::Object(right)) => {
            for (key, left_value) in left {
                let child_at = crate::spec::push(at, key);
                match right.get(key) {
                    Some(right_value) => diff(&child_at, left_value, right_value, found),
                    None => found.push(format!(
                        "{child_at}: missing after the round trip (was {})",
                        short(left_value)
                    )),
                }
            }
            for (key, right_value) in right {
                if !left.contains_key(key) {
                    found.push(format!(
                        "{}: added by the round trip ({})",
                        crate::spec::push(at, key),
                        short(right_value)
                    ));
                }
            }
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => {
            for (index, (left_item, right_item)) in left.iter().zip(right).enumerate() {
                diff(&format!("{at}/{index}"), left_item, right_item, found);
            }
        }
        _ if expected == actual => {}
        _ => found.push(format!(
            "{}: expected {}, got {}",
            if at.is_empty() { "/" } else { at },
            short(expected),
            short(actual)
        )),
    }
}
