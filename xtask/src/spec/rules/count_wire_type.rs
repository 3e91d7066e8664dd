//! Rule `count-wire-type`: a count typed as a string is the `Count` wire type.
//!
//! Image generation documents `metadata.success_count` and `failed_count` as
//! decimal strings, where a JSON number would be the usual encoding; a
//! server that sends the number instead would make a `String` field fail
//! the whole response, images and all. String-typed properties named
//! `*_count` become `$ref: Count`, which `minimax-api` maps onto
//! `minimax_api::Count`: it decodes a string or a number and keeps the text.
//! Counts the specs type as integers are left as they are.

use serde_json::Value;

use super::shared_types;
use crate::spec::normalize::{Context, Rule};
use crate::spec::SpecError;

/// See the module documentation.
pub struct CountWireType;

impl Rule for CountWireType {
    fn name(&self) -> &'static str {
        "count-wire-type"
    }

    fn describe(&self) -> &'static str {
        "string-typed *_count properties → the Count wire type: decodes a decimal string or a number"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        shared_types::refer_where(doc, "Count", shared_types::count, |schema, site| {
            let is_string = schema.get("type").and_then(Value::as_str) == Some("string");
            site.property.is_some_and(|name| name.ends_with("_count"))
                && is_string
                && schema.get("enum").is_none()
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::rules::testing::{apply, doc};

    #[test]
    fn string_counts_become_the_count_type_and_integer_counts_stay() {
        let mut spec = doc(
            json!({}),
            json!({
                "Metadata": {"type": "object", "properties": {
                    "success_count": {"type": "string", "description": "images made"},
                    "failed_count": {"type": "string"},
                    "word_count": {"type": "integer", "format": "int64"},
                    "count": {"type": "string"},
                    "mode_count": {"type": "string", "enum": ["one", "many"]}
                }}
            }),
        );
        let fired = apply(&CountWireType, &mut spec);
        assert_eq!(fired.len(), 2, "{fired:?}");
        let properties = &spec["components"]["schemas"]["Metadata"]["properties"];
        assert_eq!(
            properties["success_count"],
            json!({"$ref": "#/components/schemas/Count", "description": "images made"})
        );
        assert_eq!(
            properties["failed_count"],
            json!({"$ref": "#/components/schemas/Count"})
        );
        assert_eq!(
            properties["word_count"],
            json!({"type": "integer", "format": "int64"})
        );
        assert_eq!(properties["count"], json!({"type": "string"}));
        assert_eq!(properties["mode_count"]["enum"], json!(["one", "many"]));
        assert_eq!(
            spec["components"]["schemas"]["Count"]["x-minimax-rust-type"],
            "crate::Count"
        );
    }

    #[test]
    fn without_string_counts_nothing_is_defined() {
        let mut spec = doc(
            json!({}),
            json!({"Audio": {"type": "object", "properties": {"word_count": {"type": "integer"}}}}),
        );
        assert!(apply(&CountWireType, &mut spec).is_empty());
        assert!(spec["components"]["schemas"].get("Count").is_none());
    }
}
