//! Loading the pipeline's inputs: the vendored upstreams listed in
//! `openapi/sources.toml`, the project's fragments in `openapi/additions/`
//! and its examples in `openapi/examples/`.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;
use spec_compat::Downconversion;

use super::SpecError;
use crate::sources::{self, Region};

/// Precedence of project-authored fragments: above every upstream.
pub const ADDITIONS_PRECEDENCE: u32 = 1000;

/// One input document, down-converted to OpenAPI 3.0.3.
#[derive(Debug, Clone)]
pub struct Input {
    /// `x-minimax-source` name: the manifest name, or `additions/<file stem>`.
    pub name: String,
    /// Path relative to the workspace root, for messages.
    pub file: String,
    /// Higher wins in the merge.
    pub precedence: u32,
    /// The region an upstream describes; `None` for additions.
    pub region: Option<Region>,
    /// The document.
    pub doc: Value,
    /// What down-conversion rewrote.
    pub downconversion: Downconversion,
}

/// The directory of example files, relative to the workspace root.
pub const EXAMPLES_DIR: &str = "openapi/examples";

/// Everything the pipeline reads.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The specs: upstreams first (in manifest order), then additions (in file-name order).
    pub inputs: Vec<Input>,
    /// The example files, in file-name order.
    pub examples: Vec<ExampleFile>,
}

/// Loads every input of the workspace at `root`: upstreams first (in
/// manifest order), then additions (in file-name order), then examples.
pub fn load(root: &Path) -> Result<Loaded> {
    let openapi_dir = crate::project::openapi_dir(root);
    let manifest = sources::load(&openapi_dir)?;
    sources::verify_hashes(&openapi_dir, &manifest)?;
    let mut inputs = Vec::new();
    for source in &manifest.sources {
        let path = openapi_dir.join(&source.file);
        inputs.push(read(
            root,
            &path,
            source.name.clone(),
            source.precedence,
            Some(source.region),
        )?);
    }
    let additions_dir = openapi_dir.join("additions");
    if additions_dir.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(&additions_dir)
            .with_context(|| format!("cannot list {}", additions_dir.display()))?
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("cannot list {}", additions_dir.display()))?
            .into_iter()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        for path in files {
            let stem = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            inputs.push(read(
                root,
                &path,
                format!("additions/{stem}"),
                ADDITIONS_PRECEDENCE,
                None,
            )?);
        }
    }
    let examples = load_examples(root)?;
    Ok(Loaded { inputs, examples })
}

/// One example file, read but not yet checked.
#[derive(Debug, Clone)]
pub struct ExampleFile {
    /// Path relative to the workspace root, for messages.
    pub file: String,
    /// The operation the file is for: its file stem.
    pub operation_id: String,
    /// The parsed file.
    pub doc: Value,
}

/// Reads every `*.json` file of `openapi/examples/` under `root` (for rule
/// `attach-examples`), in file-name order.
/// A missing directory means no examples.
pub fn load_examples(root: &Path) -> Result<Vec<ExampleFile>, SpecError> {
    let dir = root.join(EXAMPLES_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let listing_error = |err: std::io::Error| {
        SpecError::new(
            EXAMPLES_DIR,
            "",
            format!("cannot list the directory: {err}"),
        )
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(listing_error)? {
        let path = entry.map_err(listing_error)?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = format!("{EXAMPLES_DIR}/{name}");
        let text = std::fs::read_to_string(&path)
            .map_err(|err| SpecError::new(&file, "", format!("cannot read the file: {err}")))?;
        let doc: Value = serde_json::from_str(&text)
            .map_err(|err| SpecError::new(&file, "", format!("not valid JSON: {err}")))?;
        let operation_id = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(ExampleFile {
            file,
            operation_id,
            doc,
        });
    }
    Ok(files)
}

/// Reads and down-converts one document.
pub fn read(
    root: &Path,
    path: &Path,
    name: String,
    precedence: u32,
    region: Option<Region>,
) -> Result<Input> {
    let file = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    let mut doc = spec_compat::load(path)
        .map_err(|err| anyhow::anyhow!("{file}: {}", strip_origin(&err.to_string())))?;
    let downconversion = spec_compat::downconvert(&mut doc, &file)?;
    Ok(Input {
        name,
        file,
        precedence,
        region,
        doc,
        downconversion,
    })
}

/// `spec_compat` prefixes errors with the absolute path; we name files relative to the root.
fn strip_origin(message: &str) -> &str {
    message.split_once(": ").map_or(message, |(_, rest)| rest)
}
