//! The component schemas the normaliser defines and maps onto hand-written
//! `minimax-api` types (`x-minimax-rust-type`).

use serde_json::{json, Value};

use crate::spec::walk;
use crate::spec::SpecError;

/// The `Id` wire type (`minimax_api::Id`).
pub fn id() -> Value {
    json!({
        "description": "A MiniMax id (file_id, task_id): a 64-bit integer; responses sometimes carry it as a string of digits. A response field with no id yet holds its zero value, `\"\"` or `0` (a running video task answers `\"file_id\": \"\"`), which decodes as no id.",
        // anyOf, not oneOf: a numeric query string such as "205258526306433"
        // is both an integer and a string of digits to a validator. The
        // empty string is the zero value MiniMax sends for an id not yet
        // known; `minimax_api` decodes it (and 0) as `None`.
        "anyOf": [
            {"type": "integer", "format": "int64"},
            {"type": "string", "pattern": "^(-?[0-9]+)?$"}
        ],
        "x-minimax-rust-type": "crate::Id"
    })
}

/// The `Count` wire type (`minimax_api::Count`).
pub fn count() -> Value {
    json!({
        "description": "A tally MiniMax sends as a decimal string (`\"1\"`); a JSON number is accepted too. `\"\"` is the zero value of a count not filled in.",
        "anyOf": [
            {"type": "string", "pattern": "^[0-9]*$"},
            {"type": "integer", "minimum": 0}
        ],
        "x-minimax-rust-type": "crate::Count"
    })
}

/// The `BaseResp` envelope (`minimax_api::BaseResp`).
pub fn base_resp() -> Value {
    json!({
        "description": "Status envelope on every MiniMax response: status_code 0 means success; any other value is an error, also with HTTP 200.",
        "type": "object",
        "required": ["status_code"],
        "properties": {
            "status_code": {"type": "integer", "format": "int64", "description": "0 on success, otherwise a MiniMax error code (1002 rate limited, 1004 authentication failed, 1008 insufficient balance, 1026/1027 sensitive content, 2013 invalid input, …)."},
            "status_msg": {"type": "string", "description": "Details for status_code."}
        },
        "x-minimax-rust-type": "crate::BaseResp"
    })
}

/// The `FilePurpose` open enum (`minimax_api::FilePurpose`).
pub fn file_purpose() -> Value {
    json!({
        "description": "What a file is for. The server adds purposes over time; unknown values are accepted.",
        "type": "string",
        "x-minimax-known-values": ["voice_clone", "prompt_audio", "t2a_async_input", "t2a_async", "video_generation", "video_understanding"],
        "x-minimax-rust-type": "crate::FilePurpose"
    })
}

/// The `TaskStatus` open, case-insensitive status (`minimax_api::TaskStatus`).
pub fn task_status() -> Value {
    json!({
        "description": "Status of an asynchronous task, in whatever case the endpoint uses (Preparing, Queueing, Processing, Success, Fail/failed, Expired); unknown values are accepted.",
        "type": "string",
        "x-minimax-known-values": ["Preparing", "Queueing", "Processing", "Success", "Fail", "Failed", "Expired", "processing", "success", "failed", "expired"],
        "x-minimax-rust-type": "crate::TaskStatus"
    })
}

/// Replaces every schema `wants` picks (in [`walk::visit_schemas`] order)
/// with a reference to the shared component `name`, keeping the description
/// it had at that place, and then, when any was replaced, defines `name` as
/// `definition()`. Returns the pointers of the schemas replaced: what the
/// rule fired on.
pub fn refer_where(
    doc: &mut Value,
    name: &str,
    definition: fn() -> Value,
    mut wants: impl FnMut(&Value, &walk::SchemaSite<'_>) -> bool,
) -> Result<Vec<String>, SpecError> {
    let mut fired = Vec::new();
    walk::visit_schemas(doc, &mut |schema, site| {
        if wants(schema, site) {
            refer_keeping_description(schema, name);
            fired.push(site.pointer.to_owned());
        }
    });
    if !fired.is_empty() {
        define(doc, name, definition())?;
    }
    Ok(fired)
}

/// Replaces `schema` with a reference to the shared component `name`,
/// keeping its description.
fn refer_keeping_description(schema: &mut Value, name: &str) {
    let mut reference = json!({ "$ref": format!("#/components/schemas/{name}") });
    if let Some(description) = schema.get("description") {
        reference["description"] = description.clone();
    }
    *schema = reference;
}

/// Defines `name` in `components.schemas` as `definition`; returns whether
/// it changed. The merge builds `components`, so a non-object there is the
/// merged document's fault.
pub fn define(doc: &mut Value, name: &str, mut definition: Value) -> Result<bool, SpecError> {
    definition["x-minimax-source"] = json!("normaliser");
    let schemas =
        walk::component_schemas_mut(doc).map_err(|err| err.in_file("openapi/minimax.json"))?;
    if schemas.get(name) == Some(&definition) {
        return Ok(false);
    }
    schemas.insert(name.to_owned(), definition);
    Ok(true)
}
