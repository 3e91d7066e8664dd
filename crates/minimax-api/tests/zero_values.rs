//! Every response type decodes the bodies MiniMax's servers really send.
//!
//! MiniMax serialises its responses without omitting empty fields: a field
//! with no value arrives as its zero value (`""`, `0`, `false`), an empty
//! list or object as `null`, and a failed request as the success shape
//! emptied out. A video task still running, for example, answers
//! `{"status": "Processing", "file_id": "", "video_width": 0, …}`. A
//! response type that rejects such a body fails every caller before its
//! `base_resp` can be read, so each response schema in the merged spec is
//! filled in every such way and decoded with its generated type. The fills
//! vary the optional fields; a field the spec requires (a `status_code`, an
//! event's tag, a file's id) is always sent, at least as its zero value.

// Tests may unwrap: a panic is a test failure with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

/// How to fill a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Every field its zero value: `""`, `0`, `false`; ids as `""`; objects
    /// filled the same way; arrays with one zero element; maps `{}`.
    Zero,
    /// As [`Fill::Zero`], but ids as `0` and arrays and maps `null` (an
    /// empty list as a server written in Go sends it).
    NilCollections,
    /// Every field `null`.
    Null,
    /// Every field absent.
    Absent,
    /// Objects and arrays as in [`Fill::Zero`], every scalar inside `null`.
    LeavesNull,
    /// Objects and arrays as in [`Fill::Zero`], every scalar inside absent
    /// (a streamed delta carries only what changed).
    LeavesAbsent,
}

const FILLS: [Fill; 6] = [
    Fill::Zero,
    Fill::NilCollections,
    Fill::Null,
    Fill::Absent,
    Fill::LeavesNull,
    Fill::LeavesAbsent,
];

/// Decodes `body` with the generated type named like the schema.
macro_rules! decoders {
    ($($schema:literal => $ty:ident,)*) => {
        /// The schema names with a decoder.
        const DECODED: &[&str] = &[$($schema),*];

        fn decode(schema: &str, body: &Value) -> Result<(), String> {
            match schema {
                $($schema => serde_json::from_value::<minimax_api::types::$ty>(body.clone())
                    .map(drop)
                    .map_err(|error| error.to_string()),)*
                other => Err(format!("no decoder for response schema {other}")),
            }
        }
    };
}

decoders! {
    "AnthropicErrorResponse" => AnthropicErrorResponse,
    "AnthropicMessage" => AnthropicMessage,
    "AnthropicStreamEvent" => AnthropicStreamEvent,
    "ChatCompletionResp" => ChatCompletionResp,
    "DeleteFileResp" => DeleteFileResp,
    "DeleteVoiceResp" => DeleteVoiceResp,
    "ErrorResponse" => ErrorResponse,
    "GenerateMusicResp" => GenerateMusicResp,
    "GetVoiceResp" => GetVoiceResp,
    "ImageGenerationResp" => ImageGenerationResp,
    "ListFileResp" => ListFileResp,
    "OpenAiChatCompletion" => OpenAiChatCompletion,
    "OpenAiChatCompletionChunk" => OpenAiChatCompletionChunk,
    "OpenAiErrorResponse" => OpenAiErrorResponse,
    "QueryVideoGenerationTaskResp" => QueryVideoGenerationTaskResp,
    "QueryVideoGenerationV2Resp" => QueryVideoGenerationV2Resp,
    "QueryVideoTemplateGenerationTaskResp" => QueryVideoTemplateGenerationTaskResp,
    "RetrieveFileResp" => RetrieveFileResp,
    "T2AAsyncV2QueryResp" => T2aAsyncV2QueryResp,
    "T2AAsyncV2Resp" => T2aAsyncV2Resp,
    "T2VResp" => T2vResp,
    "T2aV2Resp" => T2aV2Resp,
    "UploadFileResp" => UploadFileResp,
    "VideoGenerationResp" => VideoGenerationResp,
    "VideoGenerationV2Resp" => VideoGenerationV2Resp,
    "VideoTemplateGenerationResp" => VideoTemplateGenerationResp,
    "VideoV2ErrorResponse" => VideoV2ErrorResponse,
    "VoiceCloneResp" => VoiceCloneResp,
}

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/minimax.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The component schemas the spec's JSON and event-stream responses name.
fn response_schemas(spec: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for operations in spec["paths"].as_object().unwrap().values() {
        for operation in operations.as_object().unwrap().values() {
            let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for response in responses.values() {
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for media in content.values() {
                    if let Some(name) = media["schema"]["$ref"]
                        .as_str()
                        .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
                    {
                        names.insert(name.to_owned());
                    }
                }
            }
        }
    }
    names
}

/// The component `name` refers to, with the name.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> (Option<&'a str>, &'a Value) {
    match schema["$ref"]
        .as_str()
        .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
    {
        Some(name) => (Some(name), &spec["components"]["schemas"][name]),
        None => (None, schema),
    }
}

/// A value for `schema` filled as `how` says, `depth` levels down, or
/// `None` to leave it out; a `required` id gets a real one, since a body
/// without it is not a success.
fn fill(spec: &Value, schema: &Value, how: Fill, required: bool, depth: usize) -> Option<Value> {
    let (name, schema) = resolve(spec, schema);
    // A scalar: its zero value, or as the leaf fills say.
    let leaf = |zero: Value| match how {
        Fill::LeavesNull => Some(Value::Null),
        Fill::LeavesAbsent => None,
        _ => Some(zero),
    };
    if name == Some("Id") {
        return match how {
            _ if required => Some(json!("176844028768320")),
            Fill::NilCollections => Some(json!(0)),
            _ => leaf(json!("")),
        };
    }
    if let Some(first) = schema["enum"].as_array().and_then(|values| values.first()) {
        // A closed enum has no zero value of its own; its first value is
        // what the server would send.
        return leaf(first.clone());
    }
    if depth > 8 {
        return Some(Value::Null);
    }
    for union in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = schema[union]
            .as_array()
            .and_then(|branches| branches.first())
        {
            return fill(spec, first, how, required, depth + 1);
        }
    }
    match schema["type"].as_str() {
        Some("string") => leaf(json!("")),
        Some("integer") | Some("number") => leaf(json!(0)),
        Some("boolean") => leaf(json!(false)),
        Some("array") => match how {
            Fill::NilCollections => Some(Value::Null),
            // A list holds values, never `null`s: a list of scalars whose
            // leaves are left out is empty.
            _ => Some(Value::Array(
                fill(spec, &schema["items"], how, false, depth + 1)
                    .filter(|item| !item.is_null())
                    .into_iter()
                    .collect(),
            )),
        },
        _ if schema.get("properties").is_some() => Some(object(spec, schema, how, depth)),
        _ => match how {
            Fill::NilCollections => Some(Value::Null),
            _ => Some(json!({})),
        },
    }
}

/// An object for `schema` with every property filled as `how` says.
fn object(spec: &Value, schema: &Value, how: Fill, depth: usize) -> Value {
    let required = |field: &str| {
        schema["required"]
            .as_array()
            .is_some_and(|required| required.iter().any(|item| item == field))
    };
    let mut body = Map::new();
    for (field, property) in schema["properties"].as_object().into_iter().flatten() {
        // A field the spec requires (a `base_resp`'s `status_code`, the tag
        // of an event, a file's id) is always sent, at least as its zero
        // value; every fill applies to the optional ones.
        let required = required(field);
        let how = match how {
            Fill::Null | Fill::Absent | Fill::LeavesNull | Fill::LeavesAbsent if required => {
                Fill::Zero
            }
            how => how,
        };
        let value = match how {
            Fill::Absent => None,
            Fill::Null => Some(Value::Null),
            _ => fill(spec, property, how, required, depth + 1),
        };
        if let Some(value) = value {
            body.insert(field.clone(), value);
        }
    }
    Value::Object(body)
}

#[test]
fn every_response_schema_has_a_decoder_here() {
    let spec = spec();
    let missing: Vec<String> = response_schemas(&spec)
        .into_iter()
        .filter(|name| !DECODED.contains(&name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "add these response schemas to `decoders!`: {missing:?}"
    );
}

#[test]
fn every_response_type_decodes_zero_null_and_absent_fields() {
    let spec = spec();
    let mut failures = Vec::new();
    for name in response_schemas(&spec) {
        let schema = &spec["components"]["schemas"][&name];
        for how in FILLS {
            let body = object(&spec, schema, how, 0);
            if let Err(error) = decode(&name, &body) {
                failures.push(format!("{name} ({how:?}): {error}\n    body: {body}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} bodies failed to decode:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
