//! Rule `example-placeholders`: template placeholders in upstream examples
//! become concrete values.
//!
//! The official docs print `file_id: ${file_id}` in their examples, which is
//! not a valid value for an int64 field. Instead of skipping such examples,
//! the rule substitutes a fixed, realistic value per placeholder name, so
//! every example still validates against its schema and can be replayed.

use serde_json::{json, Value};

use crate::spec::normalize::{Context, Rule};
use crate::spec::SpecError;

/// See the module documentation.
pub struct ExamplePlaceholders;

/// The value each known placeholder stands for.
pub fn substitute(name: &str) -> Option<Value> {
    Some(match name {
        "file_id" => json!(205258526306433_i64),
        "task_id" => json!(106916112212032_i64),
        "voice_id" => json!("moss_audio_example_voice"),
        _ => return None,
    })
}

fn placeholder_name(text: &str) -> Option<&str> {
    text.strip_prefix("${")?.strip_suffix('}').filter(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
    })
}

/// Replaces placeholders inside an example value; records where.
fn rewrite(
    value: &mut Value,
    at: &str,
    fired: &mut Vec<String>,
    unknown: &mut Option<(String, String)>,
) {
    match value {
        Value::String(text) => {
            if let Some(name) = placeholder_name(text) {
                match substitute(name) {
                    Some(replacement) => {
                        *value = replacement;
                        fired.push(at.to_owned());
                    }
                    None => {
                        unknown.get_or_insert_with(|| (at.to_owned(), text.clone()));
                    }
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                rewrite(item, &format!("{at}/{index}"), fired, unknown);
            }
        }
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                rewrite(child, &spec_compat::pointer::push(at, key), fired, unknown);
            }
        }
        _ => {}
    }
}

/// Visits every example in the document: `example` values and the `value`
/// of every Example object.
fn visit_examples(value: &mut Value, at: &str, visit: &mut dyn FnMut(&mut Value, &str)) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                let child_at = spec_compat::pointer::push(at, key);
                match key.as_str() {
                    "example" => visit(child, &child_at),
                    "examples" => {
                        if let Some(named) = child.as_object_mut() {
                            for (name, example) in named.iter_mut() {
                                if let Some(inner) = example.get_mut("value") {
                                    let inner_at = format!(
                                        "{}/value",
                                        spec_compat::pointer::push(&child_at, name)
                                    );
                                    visit(inner, &inner_at);
                                }
                            }
                        }
                    }
                    _ => visit_examples(child, &child_at, visit),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                visit_examples(item, &format!("{at}/{index}"), visit);
            }
        }
        _ => {}
    }
}

impl Rule for ExamplePlaceholders {
    fn name(&self) -> &'static str {
        "example-placeholders"
    }

    fn describe(&self) -> &'static str {
        "`${file_id}`-style placeholders in upstream examples → concrete values, so the examples validate and replay"
    }

    fn apply(&self, doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        let mut unknown = None;
        visit_examples(doc, "", &mut |example, at| {
            rewrite(example, at, &mut fired, &mut unknown)
        });
        if let Some((at, text)) = unknown {
            return Err(SpecError::new(
                context.origin(doc, &at),
                at,
                format!("example placeholder {text} has no substitute; add one to `substitute` in xtask/src/spec/rules/example_placeholders.rs"),
            ));
        }
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc};

    #[test]
    fn substitutes_placeholders_in_schema_and_media_examples() {
        let mut spec = doc(
            json!({"/v1/files/retrieve": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "examples": {"ok": {"value": {"file": {"file_id": "${file_id}"}}}}
            }}}}}}}),
            json!({"R": {"type": "object", "example": {"file": {"file_id": "${file_id}", "filename": "${file_id}.mp4"}}}}),
        );
        let fired = apply(&ExamplePlaceholders, &mut spec);
        assert_eq!(fired.len(), 2, "{fired:?}");
        assert_eq!(
            spec["components"]["schemas"]["R"]["example"]["file"]["file_id"],
            json!(205258526306433_i64)
        );
        assert_eq!(
            spec["components"]["schemas"]["R"]["example"]["file"]["filename"],
            "${file_id}.mp4"
        );
        let media = &spec["paths"]["/v1/files/retrieve"]["get"]["responses"]["200"]["content"]
            ["application/json"];
        assert_eq!(
            media["examples"]["ok"]["value"]["file"]["file_id"],
            json!(205258526306433_i64)
        );
    }

    #[test]
    fn unknown_placeholders_are_errors() {
        let mut spec = doc(json!({}), json!({"R": {"example": {"id": "${group}"}}}));
        let err = ExamplePlaceholders
            .apply(
                &mut spec,
                &Context {
                    inputs: &[],
                    examples: &[],
                },
            )
            .unwrap_err();
        assert_eq!(err.pointer, "/components/schemas/R/example/id");
    }
}
