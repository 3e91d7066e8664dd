//! Rules `file-purpose` and `task-status`: open enums for values the server extends.
//!
//! The community spec lists OpenAI's file purposes and closed, single-case
//! task statuses; the real API uses other purposes, adds new ones, and spells
//! statuses `Processing`, `processing`, `Fail` or `failed` depending on the
//! endpoint. Closed Rust enums would fail to decode such responses, so these
//! fields become `FilePurpose` and `TaskStatus`, hand-written open types in
//! `minimax-api` (unknown values decode; statuses compare case-insensitively).

use serde_json::Value;

use super::shared_types;
use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct FilePurpose;

/// See the module documentation.
pub struct TaskStatus;

/// Whether an operation path belongs to the file API.
fn in_file_api(pointer: &str) -> bool {
    pointer.starts_with("/paths/~1v1~1files~1")
}

fn is_string_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string") && schema.get("$ref").is_none()
}

impl Rule for FilePurpose {
    fn name(&self) -> &'static str {
        "file-purpose"
    }

    fn describe(&self) -> &'static str {
        "file purposes (wrongly OpenAI's fine-tune/assistants/…) → the open FilePurpose type with the real values"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        // Component schemas used by the file API, and the file object itself.
        let mut file_roots = Vec::new();
        for op in walk::operations(doc) {
            if in_file_api(&op.pointer()) {
                file_roots.push(op.pointer());
            }
        }
        let mut file_schemas = walk::reachable_schemas(doc, &file_roots);
        file_schemas.insert("FileObject".to_owned());
        shared_types::refer_where(
            doc,
            "FilePurpose",
            shared_types::file_purpose,
            |schema, site| {
                site.property == Some("purpose")
                    && is_string_schema(schema)
                    && (in_file_api(site.pointer)
                        || site
                            .component()
                            .is_some_and(|name| file_schemas.contains(name)))
            },
        )
    }
}

/// Whether an enum's values look like task statuses.
fn is_status_enum(schema: &Value) -> bool {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| {
            values.iter().filter_map(Value::as_str).any(|value| {
                [
                    "success",
                    "fail",
                    "failed",
                    "processing",
                    "queueing",
                    "preparing",
                    "expired",
                ]
                .iter()
                .any(|known| known.eq_ignore_ascii_case(value))
            })
        })
}

impl Rule for TaskStatus {
    fn name(&self) -> &'static str {
        "task-status"
    }

    fn describe(&self) -> &'static str {
        "task status enums (Processing/processing, Fail/failed, …) → the open, case-insensitive TaskStatus type"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        // Named status schemas (VideoProcessStatus) are rewritten where they
        // are referenced, then pruned as unreferenced.
        let named: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .filter(|(_, schema)| is_string_schema(schema) && is_status_enum(schema))
                    .map(|(name, _)| format!("#/components/schemas/{name}"))
                    .collect()
            })
            .unwrap_or_default();
        shared_types::refer_where(
            doc,
            "TaskStatus",
            shared_types::task_status,
            |schema, site| {
                if site.pointer.starts_with("/components/schemas/TaskStatus") {
                    return false;
                }
                match schema.get("$ref").and_then(Value::as_str) {
                    Some(reference) => named.iter().any(|name| name == reference),
                    None => {
                        site.property == Some("status")
                            && is_string_schema(schema)
                            && is_status_enum(schema)
                    }
                }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::rules::testing::{apply, doc, json_response};

    #[test]
    fn file_purposes_become_the_open_type_only_in_the_file_api() {
        let mut spec = doc(
            json!({
                "/v1/files/list": {"get": {"parameters": [{"name": "purpose", "in": "query", "schema": {"type": "string", "enum": ["fine-tune"]}}],
                    "responses": {"200": json_response(json!({"$ref": "#/components/schemas/ListResp"}))}}},
                "/v1/other": {"post": {"responses": {"200": json_response(json!({"$ref": "#/components/schemas/Other"}))}}}
            }),
            json!({
                "ListResp": {"type": "object", "properties": {"files": {"type": "array", "items": {"$ref": "#/components/schemas/FileObject"}}}},
                "FileObject": {"type": "object", "properties": {"purpose": {"type": "string", "enum": ["assistants"]}}},
                "Other": {"type": "object", "properties": {"purpose": {"type": "string"}}}
            }),
        );
        let fired = apply(&FilePurpose, &mut spec);
        assert_eq!(fired.len(), 2, "{fired:?}");
        let purpose = json!({"$ref": "#/components/schemas/FilePurpose"});
        assert_eq!(
            spec["paths"]["/v1/files/list"]["get"]["parameters"][0]["schema"],
            purpose
        );
        assert_eq!(
            spec["components"]["schemas"]["FileObject"]["properties"]["purpose"],
            purpose
        );
        assert_eq!(
            spec["components"]["schemas"]["Other"]["properties"]["purpose"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn status_enums_become_the_case_insensitive_type() {
        let mut spec = doc(
            json!({"/v1/query/video_generation": {"get": {"responses": {"200": json_response(json!({"$ref": "#/components/schemas/Q"}))}}}}),
            json!({
                "Q": {"type": "object", "properties": {
                    "status": {"$ref": "#/components/schemas/VideoProcessStatus"},
                    "other": {"type": "object", "properties": {"status": {"type": "string", "enum": ["success", "failed", "expired", "processing"]}}},
                    "music": {"type": "object", "properties": {"status": {"type": "integer", "enum": [1, 2]}}},
                    "mode": {"type": "string", "enum": ["fast", "slow"]}
                }},
                "VideoProcessStatus": {"type": "string", "enum": ["Preparing", "Queueing", "Processing", "Success", "Fail"]}
            }),
        );
        let fired = apply(&TaskStatus, &mut spec);
        assert_eq!(fired.len(), 2, "{fired:?}");
        let status = json!({"$ref": "#/components/schemas/TaskStatus"});
        let q = &spec["components"]["schemas"]["Q"]["properties"];
        assert_eq!(q["status"], status);
        assert_eq!(q["other"]["properties"]["status"], status);
        assert_eq!(q["music"]["properties"]["status"]["type"], "integer");
        assert_eq!(q["mode"]["enum"], json!(["fast", "slow"]));
    }
}
