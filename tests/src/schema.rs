//! Validating values against the spec's schemas with a real JSON Schema
//! validator (`jsonschema`, draft 4, the dialect OpenAPI 3.0 schemas are
//! closest to: boolean `exclusiveMinimum`, `$ref` siblings ignored).
//!
//! The OpenAPI 3.0 schema dialect differs from JSON Schema in one way that
//! matters here: `nullable: true`. [`to_json_schema`] rewrites it to a type
//! union (`type: [T, "null"]`, plus `null` in an `enum`; an `anyOf` with
//! `{"type": "null"}` when the schema has no `type`), drops the `example`
//! and `examples` annotations, and makes every local `$ref` absolute, so a
//! schema taken out of the document still resolves `#/components/schemas/…`
//! through the registry, which holds the whole converted document.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{json, Map, Value};

/// The URI under which the converted document is registered.
pub const DOC_URI: &str = "https://spec.minimax.local/openapi.json";

/// Converts an OpenAPI 3.0 document (or any part of it) to JSON Schema draft 4.
pub fn to_json_schema(value: &Value) -> Value {
    convert(value, false)
}

fn convert(value: &Value, is_property_map: bool) -> Value {
    match value {
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| convert(item, false)).collect())
        }
        Value::Object(object) => {
            let mut out = Map::new();
            for (key, child) in object {
                if is_property_map {
                    // Keys of `properties` are property names, not keywords.
                    out.insert(key.clone(), convert(child, false));
                    continue;
                }
                match key.as_str() {
                    "example" | "examples" | "nullable" => {}
                    "$ref" => {
                        let target = child.as_str().unwrap_or_default();
                        let absolute = if target.starts_with('#') {
                            format!("{DOC_URI}{target}")
                        } else {
                            target.to_owned()
                        };
                        out.insert(key.clone(), Value::String(absolute));
                    }
                    "properties" => {
                        out.insert(key.clone(), convert(child, true));
                    }
                    _ => {
                        out.insert(key.clone(), convert(child, false));
                    }
                }
            }
            let nullable =
                !is_property_map && object.get("nullable").and_then(Value::as_bool) == Some(true);
            if !nullable {
                return Value::Object(out);
            }
            match out.get("type").cloned() {
                Some(Value::String(kind)) => {
                    out.insert("type".into(), json!([kind, "null"]));
                    if let Some(Value::Array(values)) = out.get_mut("enum") {
                        if !values.contains(&Value::Null) {
                            values.push(Value::Null);
                        }
                    }
                    Value::Object(out)
                }
                _ => json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
            }
        }
        other => other.clone(),
    }
}

/// A JSON pointer as a URI fragment: characters outside the fragment set are
/// percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut out = String::new();
    for byte in pointer.bytes() {
        let ch = byte as char;
        if ch.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(ch) {
            out.push(ch);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Validators for the schemas of one document, built on first use.
pub struct Validators {
    registry: jsonschema::Registry<'static>,
    built: Mutex<HashMap<String, std::sync::Arc<jsonschema::Validator>>>,
}

impl Validators {
    /// Registers the converted `doc`.
    pub fn new(doc: &Value) -> Result<Validators, String> {
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft4)
            .add(DOC_URI, to_json_schema(doc))
            .and_then(|builder| builder.prepare())
            .map_err(|err| format!("cannot register openapi/minimax.json: {err}"))?;
        Ok(Validators {
            registry,
            built: Mutex::new(HashMap::new()),
        })
    }

    /// The validator for the schema at `pointer` of the document.
    pub fn validator(
        &self,
        pointer: &str,
    ) -> Result<std::sync::Arc<jsonschema::Validator>, String> {
        let mut built = self
            .built
            .lock()
            .map_err(|_| "a validator build panicked".to_owned())?;
        if let Some(validator) = built.get(pointer) {
            return Ok(validator.clone());
        }
        let root = json!({ "$ref": format!("{DOC_URI}#{}", fragment(pointer)) });
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .with_registry(&self.registry)
            .should_validate_formats(false)
            .build(&root)
            .map_err(|err| format!("cannot build a validator for {pointer}: {err}"))?;
        let validator = std::sync::Arc::new(validator);
        built.insert(pointer.to_owned(), validator.clone());
        Ok(validator)
    }

    /// Every violation of the schema at `pointer` by `value`, as
    /// `"<instance pointer>: <message>"`; empty when `value` is valid.
    pub fn errors(&self, pointer: &str, value: &Value) -> Vec<String> {
        match self.validator(pointer) {
            Ok(validator) => validator
                .iter_errors(value)
                .map(|error| {
                    let at = error.instance_path().to_string();
                    format!("{}: {error}", if at.is_empty() { "/" } else { &at })
                })
                .collect(),
            Err(err) => vec![err],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_becomes_a_type_union() {
        let schema = json!({"type": "object", "properties": {
            "files": {"type": "array", "nullable": true, "items": {"$ref": "#/components/schemas/F"}},
            "nullable": {"type": "string"},
            "mode": {"type": "string", "enum": ["a"], "nullable": true},
            "any": {"nullable": true, "$ref": "#/components/schemas/F"}
        }, "example": {"files": null}});
        let converted = to_json_schema(&schema);
        assert_eq!(
            converted,
            json!({"type": "object", "properties": {
                "files": {"type": ["array", "null"], "items": {"$ref": format!("{DOC_URI}#/components/schemas/F")}},
                "nullable": {"type": "string"},
                "mode": {"type": ["string", "null"], "enum": ["a", null]},
                "any": {"anyOf": [{"$ref": format!("{DOC_URI}#/components/schemas/F")}, {"type": "null"}]}
            }})
        );
    }

    #[test]
    fn pointers_are_percent_encoded_in_fragments() {
        assert_eq!(
            fragment("/paths/~1v1~1{id}/get"),
            "/paths/~1v1~1%7Bid%7D/get"
        );
    }
}
