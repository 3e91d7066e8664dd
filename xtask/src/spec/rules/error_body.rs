//! Rule `error-body`: one permissive error body for MiniMax's HTTP errors.
//!
//! The community spec declares `Error {error: int32, message}` for every
//! 4xx/5xx, which is not what the API sends: MiniMax error bodies carry a
//! `base_resp`, gateways answer with their own JSON or none at all. The rule
//! points every error response that uses the community `Error` schema (or no
//! schema) at `ErrorResponse`, whose fields are all optional, so the generated
//! client can decode whatever arrives. Error shapes written on purpose (the
//! OpenAI- and Anthropic-compatible endpoints') are left alone.

use serde_json::{json, Value};

use super::shared_types;
use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct ErrorBody;

/// The permissive error body.
pub fn definition() -> Value {
    json!({
        "description": "Body of an HTTP error response. MiniMax sends base_resp; other fields appear on gateway and compatibility errors. Every field is optional.",
        "type": "object",
        "properties": {
            "base_resp": {"$ref": "#/components/schemas/BaseResp"},
            "error": {"description": "An error code or an error object, depending on who answered."},
            "message": {"type": "string"},
            "type": {"type": "string"}
        }
    })
}

const UPSTREAM_ERROR: &str = "#/components/schemas/Error";
const ERROR_RESPONSE: &str = "#/components/schemas/ErrorResponse";

impl Rule for ErrorBody {
    fn name(&self) -> &'static str {
        "error-body"
    }

    fn describe(&self) -> &'static str {
        "4xx/5xx responses typed with the community Error {error:int32} schema → permissive ErrorResponse {base_resp?, error?, message?, type?}"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        for op in walk::operations(doc) {
            let at = format!("{}/responses", op.pointer());
            let Some(responses) = doc.pointer_mut(&at).and_then(Value::as_object_mut) else {
                continue;
            };
            for (status, response) in responses.iter_mut() {
                if !(status.starts_with('4') || status.starts_with('5') || status == "default") {
                    continue;
                }
                let Some(content) = response.get_mut("content").and_then(Value::as_object_mut)
                else {
                    continue;
                };
                for (media_type, media) in content.iter_mut() {
                    if !super::base_resp::is_json(media_type) {
                        continue;
                    }
                    let reference = media
                        .get("schema")
                        .and_then(|schema| schema.get("$ref"))
                        .and_then(Value::as_str);
                    let untyped = media.get("schema").is_none();
                    if reference == Some(UPSTREAM_ERROR) || untyped {
                        media["schema"] = json!({ "$ref": ERROR_RESPONSE });
                        fired.push(format!(
                            "{at}/{status}/content/{}",
                            spec_compat::pointer::escape(media_type)
                        ));
                    }
                }
            }
        }
        if !fired.is_empty() {
            shared_types::define(doc, "ErrorResponse", definition());
            shared_types::define(doc, "BaseResp", shared_types::base_resp());
        }
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc, json_response};

    #[test]
    fn community_error_schema_becomes_the_permissive_body() {
        let mut spec = doc(
            json!({"/a": {"post": {"responses": {
                "200": json_response(json!({"type": "object"})),
                "400": json_response(json!({"$ref": UPSTREAM_ERROR})),
                "500": json_response(json!({"$ref": UPSTREAM_ERROR})),
                "401": json_response(json!({"$ref": "#/components/schemas/AnthropicError"}))
            }}}}),
            json!({"Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "integer"}}}}),
        );
        let fired = apply(&ErrorBody, &mut spec);
        assert_eq!(fired.len(), 2);
        let responses = &spec["paths"]["/a"]["post"]["responses"];
        assert_eq!(
            responses["400"]["content"]["application/json"]["schema"],
            json!({"$ref": ERROR_RESPONSE})
        );
        assert_eq!(
            responses["401"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/AnthropicError"})
        );
        assert!(spec["components"]["schemas"]["ErrorResponse"]["required"].is_null());
    }
}
