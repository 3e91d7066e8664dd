//! The spec pipeline: load the inputs, down-convert them, merge them by
//! precedence, and normalise the result into `openapi/minimax.json`.

pub mod error;
pub mod input;
pub mod merge;
pub mod normalize;
pub mod rules;
pub mod walk;

use std::path::Path;

use anyhow::Result;
use serde_json::Value;

pub use error::SpecError;
use input::{Input, Loaded};
use merge::MergeReport;
use normalize::Firing;

/// The merged, normalised document and how it was made.
pub struct Built {
    /// The document written to `openapi/minimax.json`.
    pub doc: Value,
    /// The inputs, with their down-conversion reports.
    pub inputs: Vec<Input>,
    /// What the merge decided.
    pub merge: MergeReport,
    /// Which rules fired, in order.
    pub firings: Vec<Firing>,
}

/// Runs the whole pipeline on the workspace at `root`.
pub fn build(root: &Path) -> Result<Built> {
    build_from(input::load(root)?)
}

/// Runs merge and normalisation on already loaded inputs.
pub fn build_from(loaded: Loaded) -> Result<Built> {
    let Loaded { inputs, examples } = loaded;
    let merged = merge::merge(&inputs)?;
    let mut doc = merged.doc;
    let context = normalize::Context {
        inputs: &inputs,
        examples: &examples,
    };
    let firings = normalize::normalize(&mut doc, &context)?;
    if let Some(root) = doc.as_object_mut() {
        root.insert(
            "x-generated-by".into(),
            Value::String("cargo xtask generate (from openapi/sources.toml and openapi/additions); do not edit by hand".into()),
        );
    }
    Ok(Built {
        doc,
        inputs,
        merge: merged.report,
        firings,
    })
}

/// The bytes of `openapi/minimax.json`: sorted keys, two-space indent, final newline.
pub fn render(doc: &Value) -> Result<String> {
    let mut text = serde_json::to_string_pretty(doc)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A workspace with no upstream, one addition defining `getThing`, and
    /// `getThing`'s example file with `body` as the response body.
    fn workspace(body: Value) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let openapi = root.path().join("openapi");
        for dir in ["additions", "examples"] {
            std::fs::create_dir_all(openapi.join(dir)).unwrap();
        }
        std::fs::write(openapi.join("sources.toml"), "source = []\n").unwrap();
        let addition = json!({
            "openapi": "3.0.3",
            "info": {"title": "things", "version": "1"},
            "paths": {"/v1/thing": {"get": {
                "operationId": "getThing",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"name": {"type": "string"}}
                }}}}}
            }}}
        });
        std::fs::write(openapi.join("additions/things.json"), addition.to_string()).unwrap();
        let examples = json!({"examples": {"found": {
            "summary": "A thing",
            "response": {"status": 200, "body": body}
        }}});
        std::fs::write(openapi.join("examples/getThing.json"), examples.to_string()).unwrap();
        root
    }

    #[test]
    fn examples_come_from_the_root_given() {
        let root = workspace(json!({"name": "a thing"}));
        let built = build(root.path()).unwrap();
        assert_eq!(
            built.doc.pointer(
                "/paths/~1v1~1thing/get/responses/200/content/application~1json/examples/found/value/name"
            ),
            Some(&json!("a thing"))
        );

        let root = workspace(json!({"name": 1}));
        let err = build(root.path()).err().unwrap();
        let err = err.downcast_ref::<SpecError>().unwrap();
        assert_eq!(err.file, "openapi/examples/getThing.json", "{err}");
        assert_eq!(err.pointer, "/examples/found/response/body/name");
    }
}
