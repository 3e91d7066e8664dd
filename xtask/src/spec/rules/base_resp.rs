//! Rule `base-resp`: `base_resp {status_code, status_msg}` on every JSON response.
//!
//! Every real MiniMax response carries `base_resp`, and errors usually arrive
//! as HTTP 200 with a non-zero `status_code`; the community spec declares it
//! nowhere and the official specs each name their own copy. The rule adds
//! one shared `BaseResp` (mapped to `minimax_api::BaseResp`) as an optional
//! property of every success JSON response object, replacing local copies,
//! so generated types can report errors and `minimax-sdk` can check them.

use serde_json::{json, Value};

use super::shared_types;
use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct BaseRespEverywhere;

const BASE_RESP_REF: &str = "#/components/schemas/BaseResp";

/// The pointer of the object schema a success JSON response uses: the
/// component it references, or the inline schema.
pub fn success_json_schemas(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for op in walk::operations(doc) {
        let Some(responses) = doc
            .pointer(&format!("{}/responses", op.pointer()))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (status, response) in responses {
            if !status.starts_with('2') {
                continue;
            }
            let Some(content) = response.get("content").and_then(Value::as_object) else {
                continue;
            };
            for (media_type, media) in content {
                if !is_json(media_type) {
                    continue;
                }
                let at = format!(
                    "{}/schema",
                    spec_compat::pointer::join([
                        "paths",
                        &op.path,
                        &op.method,
                        "responses",
                        status,
                        "content",
                        media_type
                    ])
                );
                let target = match media
                    .get("schema")
                    .and_then(|schema| schema.get("$ref"))
                    .and_then(Value::as_str)
                {
                    Some(reference) => reference.trim_start_matches('#').to_owned(),
                    None => at,
                };
                if !found.contains(&target) {
                    found.push(target);
                }
            }
        }
    }
    found
}

/// Whether a media type is JSON (`application/json`, `…+json`, with parameters).
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

impl Rule for BaseRespEverywhere {
    fn name(&self) -> &'static str {
        "base-resp"
    }

    fn describe(&self) -> &'static str {
        "add the shared optional base_resp {status_code, status_msg} to every success JSON response object"
    }

    fn apply(&self, doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        for at in success_json_schemas(doc) {
            let Some(schema) = doc.pointer_mut(&at).and_then(Value::as_object_mut) else {
                continue;
            };
            let is_object = schema.get("type").is_none_or(|kind| kind == "object")
                && schema.get("$ref").is_none();
            if !is_object
                || schema.contains_key("allOf")
                || schema.contains_key("oneOf")
                || schema.contains_key("anyOf")
            {
                continue;
            }
            let properties = match walk::object_entry(schema, "properties", &at) {
                Ok(properties) => properties,
                Err(err) => {
                    let origin = context.origin(doc, &err.pointer);
                    return Err(err.in_file(origin));
                }
            };
            let wanted = json!({ "$ref": BASE_RESP_REF });
            if properties.get("base_resp") != Some(&wanted) {
                properties.insert("base_resp".into(), wanted);
                fired.push(format!("{at}/properties/base_resp"));
            }
            if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
                required.retain(|field| field != "base_resp");
                if required.is_empty() {
                    schema.remove("required");
                }
            }
        }
        shared_types::define(doc, "BaseResp", shared_types::base_resp())?;
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc, json_response};

    #[test]
    fn adds_base_resp_to_referenced_and_inline_success_schemas() {
        let mut spec = doc(
            json!({
                "/a": {"post": {"responses": {"200": json_response(json!({"$ref": "#/components/schemas/AResp"})), "400": json_response(json!({"$ref": "#/components/schemas/Error"}))}}},
                "/b": {"get": {"responses": {"200": json_response(json!({"type": "object", "properties": {"x": {"type": "string"}}}))}}},
                "/c": {"get": {"responses": {"200": {"description": "bytes", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}},
                "/d": {"get": {"responses": {"200": json_response(json!({"$ref": "#/components/schemas/DResp"}))}}}
            }),
            json!({
                "AResp": {"type": "object", "properties": {"id": {"type": "string"}}},
                "DResp": {"type": "object", "required": ["base_resp"], "properties": {"base_resp": {"$ref": "#/components/schemas/LocalBaseResp"}}},
                "Error": {"type": "object"}
            }),
        );
        let fired = apply(&BaseRespEverywhere, &mut spec);
        assert_eq!(fired.len(), 3, "{fired:?}");
        let base = json!({"$ref": BASE_RESP_REF});
        assert_eq!(
            spec["components"]["schemas"]["AResp"]["properties"]["base_resp"],
            base
        );
        assert_eq!(
            spec["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["properties"]["base_resp"],
            base
        );
        assert!(spec["components"]["schemas"]["Error"]
            .get("properties")
            .is_none());
        assert!(spec["components"]["schemas"]["DResp"]
            .get("required")
            .is_none());
        assert_eq!(
            spec["components"]["schemas"]["BaseResp"]["x-minimax-rust-type"],
            "crate::BaseResp"
        );
    }

    #[test]
    fn properties_that_are_not_an_object_are_an_error_not_rewritten() {
        let mut spec = doc(
            json!({"/a": {"get": {"responses": {"200": json_response(json!({"$ref": "#/components/schemas/AResp"}))}}}}),
            json!({"AResp": {"type": "object", "properties": [1]}}),
        );
        let err = BaseRespEverywhere
            .apply(
                &mut spec,
                &Context {
                    inputs: &[],
                    examples: &[],
                },
            )
            .unwrap_err();
        assert_eq!(err.pointer, "/components/schemas/AResp/properties");
        assert!(err.message.contains("found an array"), "{err}");
        assert_eq!(
            spec["components"]["schemas"]["AResp"]["properties"],
            json!([1])
        );
    }
}
