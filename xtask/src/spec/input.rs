//! Loading the pipeline's inputs: the vendored upstreams listed in
//! `openapi/sources.toml` and the project's fragments in `openapi/additions/`.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;
use spec_compat::Downconversion;

use crate::sources::{self, Manifest, Region};

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

/// Loads every input, upstreams first (in manifest order), then additions
/// (in file-name order).
pub fn load(root: &Path) -> Result<(Vec<Input>, Manifest)> {
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
    Ok((inputs, manifest))
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
