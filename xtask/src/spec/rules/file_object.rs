//! Rule `file-object`: the real file object everywhere a file is returned.
//!
//! The community spec's `FileObject` is OpenAI's (`id`, `object`, `status`)
//! and the official file-management spec omits `download_url`; the real API
//! returns `{file_id, bytes, created_at, filename, purpose, download_url}`,
//! where `download_url` is only present on some responses and expires after
//! an hour. The rule defines that shape once and points every `file` /
//! `files[]` property of a response at it.

use serde_json::{json, Value};

use super::shared_types;
use crate::spec::normalize::{Context, Rule};
use crate::spec::walk::{self, Place};
use crate::spec::SpecError;

/// See the module documentation.
pub struct FileObject;

/// The real file object.
pub fn definition() -> Value {
    json!({
        "description": "A file stored on the MiniMax platform.",
        "type": "object",
        "required": ["file_id", "bytes", "created_at", "filename", "purpose"],
        "properties": {
            "file_id": {"$ref": "#/components/schemas/Id"},
            "bytes": {"type": "integer", "format": "int64", "description": "Size in bytes."},
            "created_at": {"type": "integer", "format": "int64", "description": "Creation time, Unix seconds."},
            "filename": {"type": "string", "description": "The file's name."},
            "purpose": {"$ref": "#/components/schemas/FilePurpose"},
            "download_url": {"type": "string", "description": "Pre-signed download URL; absent on some responses and valid for one hour after it is issued."}
        }
    })
}

const FILE_REF: &str = "#/components/schemas/FileObject";

impl Rule for FileObject {
    fn name(&self) -> &'static str {
        "file-object"
    }

    fn describe(&self) -> &'static str {
        "one real file object {file_id, bytes, created_at, filename, purpose, download_url?} for every file a response returns"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        let response_schemas: Vec<String> = walk::schema_directions(doc)
            .into_iter()
            .filter(|(_, (_, in_response))| *in_response)
            .map(|(name, _)| name)
            .collect();
        walk::visit_schemas(doc, &mut |schema, site| {
            let in_response = site.place == Place::Response
                || (site.place == Place::Component
                    && response_schemas.iter().any(|name| {
                        site.pointer == format!("/components/schemas/{name}")
                            || site
                                .pointer
                                .starts_with(&format!("/components/schemas/{name}/"))
                    }));
            if !in_response || site.pointer == "/components/schemas/FileObject" {
                return;
            }
            match site.property {
                Some("file") if !is_file_ref(schema) => {
                    *schema = json!({ "$ref": FILE_REF });
                    fired.push(site.pointer.to_owned());
                }
                Some("files")
                    if schema.get("type") == Some(&json!("array"))
                        && !schema.get("items").is_some_and(is_file_ref) =>
                {
                    schema["items"] = json!({ "$ref": FILE_REF });
                    fired.push(format!("{}/items", site.pointer));
                }
                _ => {}
            }
        });
        let existing = doc.pointer("/components/schemas/FileObject").cloned();
        let mut wanted = definition();
        wanted["x-minimax-source"] = json!("normaliser");
        if existing.as_ref() != Some(&wanted) {
            shared_types::define(doc, "FileObject", definition())?;
            fired.push("/components/schemas/FileObject".to_owned());
        }
        shared_types::define(doc, "Id", shared_types::id())?;
        shared_types::define(doc, "FilePurpose", shared_types::file_purpose())?;
        Ok(fired)
    }
}

fn is_file_ref(schema: &Value) -> bool {
    schema.get("$ref").and_then(Value::as_str) == Some(FILE_REF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc, json_response};

    #[test]
    fn replaces_the_file_object_and_points_responses_at_it() {
        let mut spec = doc(
            json!({
                "/v1/files/upload": {"post": {"responses": {"200": json_response(json!({"$ref": "#/components/schemas/UploadFileResp"}))}}},
                "/v1/files/list": {"get": {"responses": {"200": json_response(json!({"type": "object", "properties": {
                    "files": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}
                }}))}}}
            }),
            json!({
                "UploadFileResp": {"type": "object", "properties": {"file": {"type": "object", "properties": {"id": {"type": "string"}}}}},
                "FileObject": {"type": "object", "properties": {"id": {"type": "string"}, "object": {"type": "string"}}}
            }),
        );
        let fired = apply(&FileObject, &mut spec);
        assert_eq!(fired.len(), 3, "{fired:?}");
        assert_eq!(
            spec["components"]["schemas"]["UploadFileResp"]["properties"]["file"],
            json!({"$ref": FILE_REF})
        );
        let list = &spec["paths"]["/v1/files/list"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"];
        assert_eq!(
            list["properties"]["files"]["items"],
            json!({"$ref": FILE_REF})
        );
        let file = &spec["components"]["schemas"]["FileObject"];
        assert!(file["properties"].get("download_url").is_some());
        assert!(!file["required"]
            .as_array()
            .unwrap()
            .contains(&json!("download_url")));
        // A second run changes nothing.
        assert!(apply(&FileObject, &mut spec).is_empty());
    }
}
