//! `openapi/sources.toml`: the manifest of vendored upstream specs.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The whole manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// One entry per upstream spec, in file order.
    #[serde(rename = "source")]
    pub sources: Vec<Source>,
}

/// One vendored upstream spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short stable name, used as `x-minimax-source`.
    pub name: String,
    /// Path of the vendored file, relative to `openapi/`.
    pub file: PathBuf,
    /// `json` or `yaml`.
    pub format: String,
    /// `official` (MiniMax's own docs) or `community`.
    #[expect(
        dead_code,
        reason = "documentation for maintainers; precedence encodes what the merge needs"
    )]
    pub authority: Authority,
    /// `global` or `china`.
    pub region: Region,
    /// Higher wins when two sources define the same operation or schema.
    pub precedence: u32,
    /// Where `cargo xtask sync` downloads it from.
    pub url: String,
    /// How the spec is cut out of what `url` serves.
    pub extract: String,
    /// sha256 of the vendored file, lowercase hex.
    pub sha256: String,
    /// Date the file was retrieved (YYYY-MM-DD), checked by [`load`].
    pub retrieved: String,
    /// Length of the published prefix when the project completed a truncated file.
    pub published_bytes: Option<u64>,
    /// Provenance in one line.
    #[expect(dead_code, reason = "documentation for maintainers")]
    pub note: String,
}

/// Who publishes a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Authority {
    /// MiniMax's own documentation.
    Official,
    /// A third party's description of the API.
    Community,
}

/// Which MiniMax deployment a spec describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// `https://api.minimax.io`.
    Global,
    /// `https://api.minimaxi.com`.
    China,
}

impl Region {
    /// The API base URL of the region.
    pub fn server_url(self) -> &'static str {
        match self {
            Region::Global => "https://api.minimax.io",
            Region::China => "https://api.minimaxi.com",
        }
    }
}

/// Path of the manifest under `openapi_dir`.
pub fn manifest_path(openapi_dir: &Path) -> PathBuf {
    openapi_dir.join("sources.toml")
}

/// Reads and validates the manifest.
pub fn load(openapi_dir: &Path) -> Result<Manifest> {
    let path = manifest_path(openapi_dir);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let manifest: Manifest = toml::from_str(&text)
        .with_context(|| format!("{} is not a valid manifest", path.display()))?;
    let mut names = std::collections::BTreeSet::new();
    for source in &manifest.sources {
        if !names.insert(source.name.as_str()) {
            bail!(
                "{}: source name {:?} appears twice",
                path.display(),
                source.name
            );
        }
        if source.name.starts_with("additions") {
            bail!(
                "{}: source name {:?} is reserved for openapi/additions fragments",
                path.display(),
                source.name
            );
        }
        if !is_date(&source.retrieved) {
            bail!(
                "{}: source {:?}: retrieved = {:?} is not a date in the form YYYY-MM-DD",
                path.display(),
                source.name,
                source.retrieved
            );
        }
    }
    Ok(manifest)
}

/// Whether `text` is a date in the form `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts
            .iter()
            .all(|part| part.bytes().all(|b| b.is_ascii_digit()))
        && (1..=12).contains(&parts[1].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&parts[2].parse::<u32>().unwrap_or(0))
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Checks every vendored file against its recorded hash; the error lists
/// every mismatch.
pub fn verify_hashes(openapi_dir: &Path, manifest: &Manifest) -> Result<()> {
    let mut problems = Vec::new();
    for source in &manifest.sources {
        let path = openapi_dir.join(&source.file);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let actual = sha256_hex(&bytes);
                if actual != source.sha256 {
                    problems.push(format!(
                        "{}: sha256 is {actual}, sources.toml records {} for source {:?}",
                        path.display(),
                        source.sha256,
                        source.name
                    ));
                }
            }
            Err(err) => problems.push(format!("{}: cannot read: {err}", path.display())),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!(
            "vendored upstream specs do not match openapi/sources.toml (files under openapi/upstream are only written by `cargo xtask sync`):\n  {}",
            problems.join("\n  ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_files_match_their_recorded_hashes() {
        let openapi_dir = crate::project::openapi_dir(&crate::project::root());
        let manifest = load(&openapi_dir).unwrap();
        assert!(!manifest.sources.is_empty());
        verify_hashes(&openapi_dir, &manifest).unwrap();
    }

    #[test]
    fn dates() {
        assert!(is_date("2026-11-22"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-1-01"));
        assert!(!is_date("22/11/2026"));
        assert!(!is_date("yesterday"));
    }

    #[test]
    fn a_changed_file_is_reported_with_both_hashes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), b"{}").unwrap();
        let manifest = Manifest {
            sources: vec![Source {
                name: "a".into(),
                file: "a.json".into(),
                format: "json".into(),
                authority: Authority::Official,
                region: Region::Global,
                precedence: 1,
                url: "https://example.invalid/a.json".into(),
                extract: "none".into(),
                sha256: sha256_hex(b"{ }"),
                retrieved: "2026-01-01".into(),
                published_bytes: None,
                note: String::new(),
            }],
        };
        let err = verify_hashes(dir.path(), &manifest)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&sha256_hex(b"{}")) && err.contains(&sha256_hex(b"{ }")),
            "{err}"
        );
    }

    #[test]
    fn the_international_prefix_is_recorded() {
        let openapi_dir = crate::project::openapi_dir(&crate::project::root());
        let manifest = load(&openapi_dir).unwrap();
        let international = manifest
            .sources
            .iter()
            .find(|s| s.name == "international")
            .unwrap();
        let bytes = std::fs::read(openapi_dir.join(&international.file)).unwrap();
        let published = international.published_bytes.unwrap() as usize;
        assert!(
            published < bytes.len(),
            "the project-written tail follows the published prefix"
        );
    }
}
