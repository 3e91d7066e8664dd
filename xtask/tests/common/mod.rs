//! Helpers shared by the xtask's end-to-end tests: scratch copies of the
//! workspace's `openapi/` inputs (the real folder is never touched) and the
//! xtask binary run on them.

#![allow(
    dead_code,
    reason = "every test crate compiles this module and uses a part of it"
)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

/// The workspace root (the parent of the xtask crate).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Lowercase hex sha256 of `bytes`, as `sources.toml` records it.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Copies the directory `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch checkout: a copy of the workspace's `openapi/` inputs and an
/// empty `crates/minimax-api/src/`.
pub struct Scratch {
    /// The scratch workspace root.
    pub root: tempfile::TempDir,
}

impl Scratch {
    /// A copy of the inputs (`upstream/`, `additions/`, `examples/`,
    /// `sources.toml`), not of the generated files.
    pub fn new() -> Scratch {
        let root = tempfile::tempdir().unwrap();
        let openapi = workspace().join("openapi");
        for sub in ["upstream", "additions", "examples"] {
            if openapi.join(sub).is_dir() {
                copy_dir(&openapi.join(sub), &root.path().join("openapi").join(sub));
            }
        }
        std::fs::copy(
            openapi.join("sources.toml"),
            root.path().join("openapi/sources.toml"),
        )
        .unwrap();
        std::fs::create_dir_all(root.path().join("crates/minimax-api/src")).unwrap();
        Scratch { root }
    }

    /// [`Scratch::new`] plus the committed `openapi/minimax.json`.
    pub fn with_merged_spec() -> Scratch {
        let scratch = Scratch::new();
        std::fs::copy(
            workspace().join("openapi/minimax.json"),
            scratch.path("openapi/minimax.json"),
        )
        .unwrap();
        scratch
    }

    /// `relative` inside the scratch root.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.path().join(relative)
    }

    /// The bytes of `relative`.
    pub fn read(&self, relative: &str) -> Vec<u8> {
        std::fs::read(self.path(relative)).unwrap()
    }

    /// Writes `relative`.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        std::fs::write(self.path(relative), contents).unwrap();
    }

    /// Rewrites an upstream file and records its new hash, as `sync` would.
    pub fn replace_upstream(&self, relative: &str, contents: &str) {
        let old = self.read(relative);
        self.write(relative, contents);
        let manifest = String::from_utf8(self.read("openapi/sources.toml")).unwrap();
        let manifest = manifest.replace(&sha256(&old), &sha256(contents.as_bytes()));
        self.write("openapi/sources.toml", manifest);
    }

    /// `cargo xtask <args>` on the scratch root.
    pub fn xtask(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// The command `xtask <args>` on the scratch root, to add to.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args(args)
            .env("MINIMAX_XTASK_ROOT", self.root.path());
        command
    }
}

/// The exit code (-1 when killed by a signal).
pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}
