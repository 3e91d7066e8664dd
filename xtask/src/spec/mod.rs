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
use input::Input;
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
    let (inputs, _manifest) = input::load(root)?;
    build_from(inputs)
}

/// Runs merge and normalisation on already loaded inputs.
pub fn build_from(inputs: Vec<Input>) -> Result<Built> {
    let merged = merge::merge(&inputs)?;
    let mut doc = merged.doc;
    let firings = normalize::normalize(&mut doc, &normalize::Context { inputs: &inputs })?;
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
