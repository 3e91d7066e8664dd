//! Where things are in the workspace.

use std::path::{Path, PathBuf};

/// Environment variable that points the xtask at another checkout (tests
/// run it against scratch copies of `openapi/`).
pub const ROOT_OVERRIDE: &str = "MINIMAX_XTASK_ROOT";

/// The workspace root: `$MINIMAX_XTASK_ROOT` if set, else the parent of the
/// xtask crate.
pub fn root() -> PathBuf {
    if let Some(root) = std::env::var_os(ROOT_OVERRIDE).filter(|root| !root.is_empty()) {
        return PathBuf::from(root);
    }
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest_dir.to_path_buf())
}

/// `openapi/` under `root`.
pub fn openapi_dir(root: &Path) -> PathBuf {
    root.join("openapi")
}

/// The merged, normalised spec progenitor reads.
pub fn merged_spec(root: &Path) -> PathBuf {
    openapi_dir(root).join("minimax.json")
}

/// The generated client module.
pub fn generated_rs(root: &Path) -> PathBuf {
    root.join("crates/minimax-api/src/generated.rs")
}
