//! Rules `streaming-responses` and `hand-written-operations`: what progenitor
//! cannot generate stays in the spec, marked for `minimax-sdk`.
//!
//! progenitor rejects `multipart/form-data` request bodies (failing the whole
//! generation) and hands back untyped bytes for `text/event-stream`. Chat,
//! speech and music answer with server-sent events when the request sets
//! `stream: true`, which the upstream specs do not declare. The first rule
//! declares those event streams; the second marks every operation (or the
//! part of it) that the hand-written layer implements with
//! `x-minimax-handwritten`. Generation leaves multipart operations out and
//! strips event-stream content from what progenitor sees; nothing is dropped
//! from `openapi/minimax.json`.

use serde_json::{json, Value};

use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct StreamingResponses;

/// See the module documentation.
pub struct HandWrittenOperations;

/// Reason recorded for multipart requests.
pub const MULTIPART: &str = "multipart/form-data request";
/// Reason recorded for event-stream responses.
pub const EVENT_STREAM: &str = "text/event-stream response";

/// Whether an operation's JSON request body has a boolean `stream` property.
fn streams_on_request(doc: &Value, op_pointer: &str) -> bool {
    let Some(schema) = doc.pointer(&format!(
        "{op_pointer}/requestBody/content/application~1json/schema"
    )) else {
        return false;
    };
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => walk::resolve(doc, reference).unwrap_or(&Value::Null),
        None => schema,
    };
    schema
        .pointer("/properties/stream/type")
        .is_some_and(|kind| kind == "boolean")
}

impl Rule for StreamingResponses {
    fn name(&self) -> &'static str {
        "streaming-responses"
    }

    fn describe(&self) -> &'static str {
        "declare the text/event-stream 200 response of operations whose request has `stream: true`"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        for op in walk::operations(doc) {
            let at = op.pointer();
            if !streams_on_request(doc, &at) {
                continue;
            }
            let content_at = format!("{at}/responses/200/content");
            let Some(content) = doc.pointer_mut(&content_at).and_then(Value::as_object_mut) else {
                continue;
            };
            if content.contains_key("text/event-stream") {
                continue;
            }
            let Some(json_schema) = content
                .get("application/json")
                .and_then(|media| media.get("schema"))
                .cloned()
            else {
                continue;
            };
            content.insert(
                "text/event-stream".into(),
                json!({
                    "schema": json_schema,
                    "x-minimax-event-data": "each `data:` line carries one JSON object of the schema above (a chunk); the stream ends after the final chunk or `data: [DONE]`"
                }),
            );
            fired.push(format!("{content_at}/text~1event-stream"));
        }
        Ok(fired)
    }
}

impl Rule for HandWrittenOperations {
    fn name(&self) -> &'static str {
        "hand-written-operations"
    }

    fn describe(&self) -> &'static str {
        "mark multipart uploads and event-stream responses x-minimax-handwritten (implemented by minimax-sdk, not progenitor)"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        for op in walk::operations(doc) {
            let at = op.pointer();
            let Some(operation) = doc.pointer(&at) else {
                continue;
            };
            let mut reasons = Vec::new();
            if operation
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .is_some_and(|content| content.keys().any(|media| media.starts_with("multipart/")))
            {
                reasons.push(MULTIPART);
            }
            if operation
                .get("responses")
                .and_then(Value::as_object)
                .is_some_and(|responses| {
                    responses.values().any(|response| {
                        response
                            .get("content")
                            .and_then(Value::as_object)
                            .is_some_and(|content| content.contains_key("text/event-stream"))
                    })
                })
            {
                reasons.push(EVENT_STREAM);
            }
            if reasons.is_empty() {
                continue;
            }
            let wanted = json!(reasons);
            if let Some(operation) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
                if operation.get("x-minimax-handwritten") != Some(&wanted) {
                    operation.insert("x-minimax-handwritten".into(), wanted);
                }
                fired.push(at);
            }
        }
        Ok(fired)
    }
}

/// Operations marked hand-written: `(operationId, "METHOD /path", reasons)`.
pub fn marked(doc: &Value) -> Vec<(String, String, Vec<String>)> {
    walk::operations(doc)
        .into_iter()
        .filter_map(|op| {
            let operation = doc.pointer(&op.pointer())?;
            let reasons = operation.get("x-minimax-handwritten")?.as_array()?;
            Some((
                operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                op.label(),
                reasons
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc, json_response};

    fn spec() -> Value {
        doc(
            json!({
                "/v1/t2a_v2": {"post": {"operationId": "t2aV2",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/T2aReq"}}}},
                    "responses": {"200": json_response(json!({"$ref": "#/components/schemas/T2aResp"}))}}},
                "/v1/files/upload": {"post": {"operationId": "uploadFile",
                    "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
                    "responses": {"200": json_response(json!({"type": "object"}))}}},
                "/v1/files/list": {"get": {"operationId": "listFiles", "responses": {"200": json_response(json!({"type": "object"}))}}}
            }),
            json!({
                "T2aReq": {"type": "object", "properties": {"stream": {"type": "boolean"}}},
                "T2aResp": {"type": "object"}
            }),
        )
    }

    #[test]
    fn declares_event_streams_for_streaming_requests() {
        let mut spec = spec();
        let fired = apply(&StreamingResponses, &mut spec);
        assert_eq!(
            fired,
            ["/paths/~1v1~1t2a_v2/post/responses/200/content/text~1event-stream"]
        );
        let content = &spec["paths"]["/v1/t2a_v2"]["post"]["responses"]["200"]["content"];
        assert_eq!(
            content["text/event-stream"]["schema"],
            json!({"$ref": "#/components/schemas/T2aResp"})
        );
        assert!(
            apply(&StreamingResponses, &mut spec).is_empty(),
            "idempotent"
        );
    }

    #[test]
    fn marks_multipart_and_streaming_operations() {
        let mut spec = spec();
        apply(&StreamingResponses, &mut spec);
        let fired = apply(&HandWrittenOperations, &mut spec);
        assert_eq!(fired.len(), 2);
        let marked = marked(&spec);
        assert_eq!(
            marked,
            vec![
                (
                    "uploadFile".to_owned(),
                    "POST /v1/files/upload".to_owned(),
                    vec![MULTIPART.to_owned()]
                ),
                (
                    "t2aV2".to_owned(),
                    "POST /v1/t2a_v2".to_owned(),
                    vec![EVENT_STREAM.to_owned()]
                ),
            ]
        );
    }
}
