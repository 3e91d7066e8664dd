//! Where things are in the workspace.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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

/// Whether the file at `path` holds `wanted`, line endings aside (a
/// checkout may turn LF into CRLF). A missing or unreadable file is not
/// current. `generate --check`, `generate` and the freshness test all ask
/// this one question.
pub fn is_current(path: &Path, wanted: &str) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|current| current.replace("\r\n", "\n") == wanted.replace("\r\n", "\n"))
}

/// Replaces the file at `path` with `contents` through a temporary file in
/// the same directory, renamed into place: a failure never leaves half a
/// file behind.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no parent directory", path.display()))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    std::io::Write::write_all(&mut temp, contents)
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_means_the_same_text_line_endings_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        assert!(!is_current(&path, "a\n"), "a missing file is not current");
        std::fs::write(&path, "a\r\nb\r\n").unwrap();
        assert!(is_current(&path, "a\nb\n"));
        assert!(!is_current(&path, "a\nc\n"));
    }

    #[test]
    fn atomic_writes_replace_the_file_and_leave_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let missing = dir.path().join("no/such/dir/a.txt");
        let err = write_atomically(&missing, b"x").unwrap_err();
        assert!(format!("{err:#}").contains("no/such/dir"), "{err:#}");
    }
}
