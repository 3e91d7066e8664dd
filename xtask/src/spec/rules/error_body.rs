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
use spec_compat::pointer;

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

    fn apply(&self, doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        for op in walk::operations(doc) {
            let at = format!("{}/responses", op.pointer());
            let Some(responses) = doc.pointer_mut(&at).and_then(Value::as_object_mut) else {
                continue;
            };
            let mut not_an_object = None;
            'responses: for (status, response) in responses.iter_mut() {
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
                    let media_at = pointer::push(
                        &format!("{}/content", pointer::push(&at, status)),
                        media_type,
                    );
                    let Some(media) = media.as_object_mut() else {
                        not_an_object = Some((media_at, walk::kind(media)));
                        break 'responses;
                    };
                    let reference = media
                        .get("schema")
                        .and_then(|schema| schema.get("$ref"))
                        .and_then(Value::as_str);
                    let untyped = !media.contains_key("schema");
                    if reference == Some(UPSTREAM_ERROR) || untyped {
                        media.insert("schema".into(), json!({ "$ref": ERROR_RESPONSE }));
                        fired.push(media_at);
                    }
                }
            }
            if let Some((media_at, kind)) = not_an_object {
                return Err(SpecError::new(
                    context.origin(doc, &media_at),
                    media_at,
                    format!("a media type object must be a JSON object, found {kind}"),
                ));
            }
        }
        if !fired.is_empty() {
            shared_types::define(doc, "ErrorResponse", definition())?;
            shared_types::define(doc, "BaseResp", shared_types::base_resp())?;
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

    #[test]
    fn a_media_type_that_is_not_an_object_is_an_error_naming_its_pointer() {
        let mut spec = doc(
            json!({"/a": {"post": {"responses": {
                "400": {"description": "bad", "content": {"application/json": "oops"}}
            }}}}),
            json!({}),
        );
        let err = ErrorBody
            .apply(
                &mut spec,
                &Context {
                    inputs: &[],
                    examples: &[],
                },
            )
            .unwrap_err();
        assert_eq!(
            err.pointer,
            "/paths/~1a/post/responses/400/content/application~1json"
        );
        assert!(err.message.contains("found a string"), "{err}");
    }
}
