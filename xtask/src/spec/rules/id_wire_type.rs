//! Rule `id-wire-type`: every `file_id` / `task_id` is the one `Id` wire type.
//!
//! The specs type the same identifiers as `integer/int64` in one place and
//! `string` in another, and real responses do both. Properties and
//! parameters named `file_id`, `task_id` or `*_file_id` (plus the file ids
//! hidden under other names, listed in [`OTHER_FILE_IDS`]) become
//! `$ref: Id`, which `minimax-api` maps onto `minimax_api::Id`: it decodes a
//! JSON integer or a numeric string, keeps all 64 bits and encodes as an
//! integer. A schema marked `x-minimax-opaque-id: true` (an id the API
//! documents as an arbitrary string) is left as it is.

use serde_json::Value;

use super::shared_types;
use crate::spec::normalize::{Context, Rule};
use crate::spec::SpecError;

/// See the module documentation.
pub struct IdWireType;

/// The extension that keeps an id-named string a plain string.
pub const OPAQUE: &str = "x-minimax-opaque-id";

/// `(schema, property)` pairs that hold a file id under another name.
pub const OTHER_FILE_IDS: &[(&str, &str)] = &[("ClonePrompt", "prompt_audio")];

/// Whether a property or parameter called `name` (inside component schema
/// `schema_name`, if any) holds an id.
pub fn is_id_name(name: &str, schema_name: Option<&str>) -> bool {
    name == "file_id"
        || name == "task_id"
        || name.ends_with("_file_id")
        || OTHER_FILE_IDS
            .iter()
            .any(|(owner, property)| Some(*owner) == schema_name && *property == name)
}

impl Rule for IdWireType {
    fn name(&self) -> &'static str {
        "id-wire-type"
    }

    fn describe(&self) -> &'static str {
        "file_id/task_id (integer or numeric string) → the Id wire type: decodes both, keeps 64 bits, encodes as an integer"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        shared_types::refer_where(doc, "Id", shared_types::id, |schema, site| {
            if !site
                .property
                .is_some_and(|name| is_id_name(name, site.component()))
            {
                return false;
            }
            let is_scalar = matches!(
                schema.get("type").and_then(Value::as_str),
                Some("integer") | Some("string") | Some("number")
            );
            // An identifier the API documents as an opaque string (the
            // version 2 video task id) stays a string.
            let opaque = schema.get(OPAQUE) == Some(&Value::Bool(true));
            is_scalar && !opaque && schema.get("$ref").is_none()
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::rules::testing::{apply, doc};

    #[test]
    fn ids_in_properties_and_parameters_become_the_id_type() {
        let mut spec = doc(
            json!({"/v1/files/retrieve": {"get": {"parameters": [
                {"name": "file_id", "in": "query", "required": true, "schema": {"type": "integer", "format": "int64"}}
            ], "responses": {}}}}),
            json!({
                "VideoResp": {"type": "object", "properties": {"task_id": {"type": "string", "description": "task"}, "id": {"type": "string"}}},
                "VideoV2Resp": {"type": "object", "properties": {"task_id": {"type": "string", "x-minimax-opaque-id": true}}},
                "Req": {"type": "object", "properties": {"text_file_id": {"type": "integer"}, "file": {"type": "object"}}},
                "ClonePrompt": {"type": "object", "properties": {"prompt_audio": {"type": "integer", "format": "int64"}}}
            }),
        );
        let fired = apply(&IdWireType, &mut spec);
        assert_eq!(fired.len(), 4, "{fired:?}");
        let id_ref = json!({"$ref": "#/components/schemas/Id"});
        assert_eq!(
            spec["paths"]["/v1/files/retrieve"]["get"]["parameters"][0]["schema"],
            id_ref
        );
        assert_eq!(
            spec["components"]["schemas"]["VideoResp"]["properties"]["task_id"],
            json!({"$ref": "#/components/schemas/Id", "description": "task"})
        );
        assert_eq!(
            spec["components"]["schemas"]["VideoResp"]["properties"]["id"],
            json!({"type": "string"})
        );
        assert_eq!(
            spec["components"]["schemas"]["VideoV2Resp"]["properties"]["task_id"],
            json!({"type": "string", "x-minimax-opaque-id": true})
        );
        assert_eq!(
            spec["components"]["schemas"]["Req"]["properties"]["text_file_id"],
            id_ref
        );
        assert_eq!(
            spec["components"]["schemas"]["ClonePrompt"]["properties"]["prompt_audio"],
            id_ref
        );
        assert_eq!(
            spec["components"]["schemas"]["Id"]["x-minimax-rust-type"],
            "crate::Id"
        );
    }
}
