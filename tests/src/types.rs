//! Comparing the generated Rust types with the spec's schemas, through the
//! JSON Schema `schemars` derives for them, so a lossy generation or
//! normalisation shows up as a named difference.
//!
//! For each pair of schemas, [`compare`] checks, recursively:
//!
//! - **properties**: the same names on both sides;
//! - **required**: a property the spec requires is required in Rust (a
//!   non-`Option` field), and a property the spec leaves optional is not
//!   (unless the field has a default);
//! - **types**: the same JSON type (`integer`, `number`, `string`, `boolean`,
//!   `array`, `object`), the same enum values, the same number of
//!   `oneOf`/`anyOf` branches, the same item and map value types;
//! - **null**: where the spec accepts `null` (`nullable: true`), the Rust
//!   type accepts it too.
//!
//! Schemas the normaliser maps onto hand-written types (`x-minimax-rust-type`:
//! `Id`, `TaskStatus`, `FilePurpose`, `BaseResp`) are matched by name: the
//! Rust side must be a reference to the definition of that name, and neither
//! side is descended into (the hand-written types have tests of their own).
//! Descriptions, formats and names of generated types are not compared.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::spec::Contract;

/// One side of the comparison: a schema document and how to resolve its refs.
struct Side<'a> {
    root: &'a Value,
    /// The prefix of local refs (`#/components/schemas/` or `#/$defs/`).
    prefix: &'static str,
}

impl<'a> Side<'a> {
    fn definition(&self, reference: &str) -> Option<(&'a Value, String)> {
        let name = reference.strip_prefix(self.prefix)?;
        let pointer = format!(
            "{}/{}",
            self.prefix.trim_start_matches('#').trim_end_matches('/'),
            name.replace('~', "~0").replace('/', "~1")
        );
        self.root
            .pointer(&pointer)
            .map(|schema| (schema, name.to_owned()))
    }
}

/// A schema reduced for comparison: its `$ref` followed (the name of the last
/// definition kept), and whether it accepts `null`.
struct Reduced<'a> {
    schema: &'a Value,
    /// The definition a `$ref` led to, if any.
    name: Option<String>,
    /// Whether it accepts `null`.
    nullable: bool,
    /// Branches of `anyOf`/`oneOf` other than `{"type": "null"}`.
    branches: Vec<&'a Value>,
    /// `type`, without `null`.
    kind: Option<String>,
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

fn reduce<'a>(side: &Side<'a>, schema: &'a Value) -> Reduced<'a> {
    let mut schema = schema;
    let mut name = None;
    let mut nullable = false;
    for _ in 0..8 {
        // schemars wraps an Option<Ref> as anyOf [{$ref}, {type: null}].
        let branches: Vec<&Value> = ["anyOf", "oneOf"]
            .iter()
            .filter_map(|keyword| schema.get(*keyword).and_then(Value::as_array))
            .flatten()
            .collect();
        let non_null: Vec<&Value> = branches
            .iter()
            .copied()
            .filter(|branch| !is_null_schema(branch))
            .collect();
        if branches.len() > non_null.len() {
            nullable = true;
            if non_null.len() == 1 && schema.get("properties").is_none() {
                schema = non_null[0];
                continue;
            }
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match side.definition(reference) {
                Some((target, target_name)) => {
                    schema = target;
                    name = Some(target_name);
                    continue;
                }
                None => break,
            }
        }
        break;
    }
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        nullable = true;
    }
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => Some(kind.clone()),
        Some(Value::Array(kinds)) => {
            if kinds.iter().any(|kind| kind == "null") {
                nullable = true;
            }
            kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|kind| *kind != "null")
                .map(str::to_owned)
        }
        _ => None,
    };
    let branches = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|keyword| schema.get(*keyword).and_then(Value::as_array))
        .flatten()
        .filter(|branch| !is_null_schema(branch))
        .collect();
    Reduced {
        schema,
        name,
        nullable,
        branches,
        kind,
    }
}

fn names(schema: &Value, key: &str) -> BTreeSet<String> {
    match schema.get(key) {
        Some(Value::Object(object)) => object.keys().cloned().collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => BTreeSet::new(),
    }
}

fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    schema.get("enum").and_then(Value::as_array).map(|values| {
        values
            .iter()
            .filter(|value| !value.is_null())
            .map(Value::to_string)
            .collect()
    })
}

/// Every difference between the spec's component schema `spec_name` and the
/// schemars schema `rust` of the type generated for it.
pub fn compare(contract: &Contract, spec_name: &str, rust: &Value) -> Vec<String> {
    let spec_side = Side {
        root: &contract.doc,
        prefix: "#/components/schemas/",
    };
    let rust_side = Side {
        root: rust,
        prefix: "#/$defs/",
    };
    let spec_ref = serde_json::json!({ "$ref": format!("#/components/schemas/{spec_name}") });
    let mut problems = Vec::new();
    let mut visited = BTreeSet::new();
    walk(
        &spec_side,
        &rust_side,
        &spec_ref,
        rust,
        spec_name,
        &mut visited,
        &mut problems,
    );
    problems
}

fn walk(
    spec_side: &Side<'_>,
    rust_side: &Side<'_>,
    spec: &Value,
    rust: &Value,
    at: &str,
    visited: &mut BTreeSet<(String, String)>,
    problems: &mut Vec<String>,
) {
    let spec = reduce(spec_side, spec);
    let rust = reduce(rust_side, rust);
    if spec.nullable && !rust.nullable {
        problems.push(format!(
            "{at}: the spec accepts null, the Rust type does not"
        ));
    }
    if let Some(replacement) = spec
        .schema
        .get("x-minimax-rust-type")
        .and_then(Value::as_str)
    {
        let expected = replacement.rsplit("::").next().unwrap_or(replacement);
        if rust.name.as_deref() != Some(expected) {
            problems.push(format!(
                "{at}: the spec maps this schema to {replacement}, the Rust type is {}",
                rust.name.as_deref().unwrap_or("an inline schema")
            ));
        }
        return;
    }
    if let (Some(spec_name), Some(rust_name)) = (&spec.name, &rust.name) {
        if !visited.insert((spec_name.clone(), rust_name.clone())) {
            return;
        }
    }
    if spec.kind != rust.kind && spec.kind.is_some() {
        problems.push(format!(
            "{at}: type {} in the spec, {} in Rust",
            spec.kind.as_deref().unwrap_or("any"),
            rust.kind.as_deref().unwrap_or("any")
        ));
        return;
    }
    if let Some(values) = enum_values(spec.schema) {
        match enum_values(rust.schema) {
            Some(rust_values) if rust_values == values => {}
            other => problems.push(format!(
                "{at}: enum {values:?} in the spec, {other:?} in Rust"
            )),
        }
    }
    if spec.branches.len() != rust.branches.len() {
        problems.push(format!(
            "{at}: {} oneOf/anyOf branches in the spec, {} in Rust",
            spec.branches.len(),
            rust.branches.len()
        ));
    } else {
        for (index, (spec_branch, rust_branch)) in
            spec.branches.iter().zip(&rust.branches).enumerate()
        {
            walk(
                spec_side,
                rust_side,
                spec_branch,
                rust_branch,
                &format!("{at}|{index}"),
                visited,
                problems,
            );
        }
    }
    if let Some(spec_items) = spec.schema.get("items") {
        match rust.schema.get("items") {
            Some(rust_items) => walk(
                spec_side,
                rust_side,
                spec_items,
                rust_items,
                &format!("{at}[]"),
                visited,
                problems,
            ),
            None => problems.push(format!("{at}: the spec has items, Rust does not")),
        }
    }
    match (
        spec.schema.get("additionalProperties"),
        rust.schema.get("additionalProperties"),
    ) {
        (Some(spec_extra @ Value::Object(_)), Some(rust_extra @ Value::Object(_))) => walk(
            spec_side,
            rust_side,
            spec_extra,
            rust_extra,
            &format!("{at}{{}}"),
            visited,
            problems,
        ),
        (Some(Value::Bool(true)) | Some(Value::Object(_)), None | Some(Value::Bool(false))) => {
            problems.push(format!(
                "{at}: the spec allows any further properties, the Rust type drops them"
            ))
        }
        _ => {}
    }
    let spec_properties = names(spec.schema, "properties");
    if spec_properties.is_empty() && rust.schema.get("properties").is_none() {
        return;
    }
    let rust_properties = names(rust.schema, "properties");
    for missing in spec_properties.difference(&rust_properties) {
        problems.push(format!("{at}.{missing}: in the spec, not in the Rust type"));
    }
    for extra in rust_properties.difference(&spec_properties) {
        problems.push(format!("{at}.{extra}: in the Rust type, not in the spec"));
    }
    let spec_required = names(spec.schema, "required");
    let rust_required = names(rust.schema, "required");
    for name in spec_properties.intersection(&rust_properties) {
        let spec_property = &spec.schema["properties"][name];
        let rust_property = &rust.schema["properties"][name];
        let property_at = format!("{at}.{name}");
        let rust_has_default = rust_property.get("default").is_some();
        match (
            spec_required.contains(name),
            rust_required.contains(name),
        ) {
            (true, false) if !rust_has_default => problems.push(format!(
                "{property_at}: required in the spec, optional in Rust"
            )),
            (false, true) => problems.push(format!(
                "{property_at}: optional in the spec, required in Rust (decoding fails when it is absent)"
            )),
            _ => {}
        }
        walk(
            spec_side,
            rust_side,
            spec_property,
            rust_property,
            &property_at,
            visited,
            problems,
        );
    }
}
