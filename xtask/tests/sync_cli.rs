//! `cargo xtask sync --from DIR` on a scratch copy of `openapi/` (the real
//! folder is never touched): extraction, vendored bytes, `sources.toml`
//! updates that keep comments, the international special case, drift
//! reports and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod common;

use std::process::Output;

use common::{code, sha256, workspace, Scratch};

/// A scratch checkout (with the committed merged spec, whose drift `sync`
/// reports) and the `--from DIR` folder the upstream files are offered in.
struct SyncScratch {
    scratch: Scratch,
    from: tempfile::TempDir,
}

impl SyncScratch {
    fn new() -> SyncScratch {
        SyncScratch {
            scratch: Scratch::with_merged_spec(),
            from: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, relative: &str) -> Vec<u8> {
        self.scratch.read(relative)
    }

    fn manifest(&self) -> String {
        String::from_utf8(self.file("openapi/sources.toml")).unwrap()
    }

    fn offer(&self, name: &str, contents: &[u8]) {
        std::fs::write(self.from.path().join(name), contents).unwrap();
    }

    fn sync(&self, extra: &[&str]) -> Output {
        self.scratch
            .command(&["sync"])
            .arg("--from")
            .arg(self.from.path())
            .args(["--date", "2030-01-02"])
            .args(extra)
            .output()
            .unwrap()
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The `[[source]]` table of `name` in a manifest.
fn table<'a>(manifest: &'a str, name: &str) -> &'a str {
    let start = manifest.find(&format!("name = \"{name}\"")).unwrap();
    let end = manifest[start..]
        .find("[[source]]")
        .map_or(manifest.len(), |end| start + end);
    &manifest[start..end]
}

fn real_openapi_fingerprint() -> String {
    let mut all = Vec::new();
    for file in [
        "sources.toml",
        "upstream/international.json",
        "upstream/file-management.yaml",
        "upstream/china-video.yaml",
    ] {
        all.extend(std::fs::read(workspace().join("openapi").join(file)).unwrap());
    }
    sha256(&all)
}

#[test]
fn a_changed_markdown_page_is_extracted_reported_vendored_and_recorded() {
    let before_real = real_openapi_fingerprint();
    let scratch = SyncScratch::new();
    let manifest_before = scratch.manifest();
    let vendored =
        String::from_utf8(scratch.file("openapi/upstream/file-management.yaml")).unwrap();
    // Upstream changes `file_id` to a string and drops `purpose`.
    let changed = vendored
        .replacen(
            "        file_id:\n          type: integer\n          format: int64\n",
            "        file_id:\n          type: string\n",
            1,
        )
        .replacen(
            "        purpose:\n          type: string\n          description: The purpose of the file.\n",
            "",
            1,
        );
    assert_ne!(changed, vendored, "the fixture edit must apply");
    let page = format!(
        "# Retrieve File\n\nSome prose.\n\n````yaml /api-reference/file-management.yaml GET /v1/files/retrieve\n{changed}````\n\nFooter.\n"
    );
    scratch.offer("file-management-retrieve.md", page.as_bytes());

    let output = scratch.sync(&[]);
    let out = text(&output);
    assert_eq!(code(&output), 1, "{out}");
    assert!(out.contains("response-property-type-changed"), "{out}");
    assert!(out.contains("response-optional-property-removed"), "{out}");
    assert!(out.contains("GET /v1/files/retrieve"), "{out}");
    assert!(out.contains("china-video: not in"), "{out}");

    // The vendored file is exactly the fenced block.
    assert_eq!(
        scratch.file("openapi/upstream/file-management.yaml"),
        changed.as_bytes()
    );
    let manifest = scratch.manifest();
    let entry = table(&manifest, "file-management");
    assert!(
        entry.contains(&format!("sha256 = \"{}\"", sha256(changed.as_bytes()))),
        "{entry}"
    );
    assert!(entry.contains("retrieved = \"2030-01-02\""), "{entry}");
    // The other sources, the comments and the order are untouched.
    assert_eq!(
        table(&manifest, "international"),
        table(&manifest_before, "international")
    );
    assert_eq!(
        table(&manifest, "china-video"),
        table(&manifest_before, "china-video")
    );
    let header_end = manifest_before.find("[[source]]").unwrap();
    assert_eq!(manifest[..header_end], manifest_before[..header_end]);
    // Regenerated.
    assert!(
        scratch
            .scratch
            .path("crates/minimax-api/src/generated.rs")
            .is_file(),
        "{out}"
    );

    assert_eq!(
        real_openapi_fingerprint(),
        before_real,
        "the real openapi/ folder was modified"
    );
}

#[test]
fn fail_on_never_and_unchanged_sources() {
    let scratch = SyncScratch::new();
    let vendored = scratch.file("openapi/upstream/china-video.yaml");
    // Offered under the vendored name: used as the spec itself.
    scratch.offer("china-video.yaml", &vendored);
    let output = scratch.sync(&["--no-generate", "--fail-on", "info"]);
    let out = text(&output);
    assert_eq!(code(&output), 0, "{out}");
    assert!(
        out.contains("openapi/upstream/china-video.yaml unchanged"),
        "{out}"
    );
    assert_eq!(scratch.file("openapi/upstream/china-video.yaml"), vendored);
    let manifest = scratch.manifest();
    assert!(table(&manifest, "china-video").contains("retrieved = \"2030-01-02\""));
    assert!(!scratch
        .scratch
        .path("crates/minimax-api/src/generated.rs")
        .exists());
}

#[test]
fn the_international_truncated_prefix_keeps_the_completed_file() {
    let scratch = SyncScratch::new();
    let manifest_before = scratch.manifest();
    let entry = table(&manifest_before, "international");
    let published: usize = entry
        .lines()
        .find_map(|line| line.strip_prefix("published_bytes = "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let vendored = scratch.file("openapi/upstream/international.json");
    scratch.offer("minimax-ai-openapi.json", &vendored[..published]);
    let output = scratch.sync(&["--no-generate"]);
    assert_eq!(code(&output), 0, "{}", text(&output));
    assert_eq!(
        scratch.file("openapi/upstream/international.json"),
        vendored
    );
    let entry = table(&scratch.manifest(), "international").to_owned();
    assert!(
        entry.contains(&format!("published_bytes = {published}")),
        "{entry}"
    );
    assert!(entry.contains("retrieved = \"2030-01-02\""), "{entry}");
}

#[test]
fn a_complete_international_file_replaces_the_whole_file_and_drops_published_bytes() {
    let scratch = SyncScratch::new();
    let vendored = scratch.file("openapi/upstream/international.json");
    // A complete published file (here: ours, with one operation fewer).
    let mut doc: serde_json::Value = serde_json::from_slice(&vendored).unwrap();
    doc["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/v1/files/delete");
    let complete = serde_json::to_vec_pretty(&doc).unwrap();
    scratch.offer("minimax-ai-openapi.json", &complete);
    let output = scratch.sync(&["--no-generate"]);
    let out = text(&output);
    assert_eq!(code(&output), 1, "{out}");
    assert!(
        out.contains("api-path-removed-without-deprecation"),
        "{out}"
    );
    assert!(out.contains("dropped published_bytes"), "{out}");
    assert_eq!(
        scratch.file("openapi/upstream/international.json"),
        complete
    );
    let entry = table(&scratch.manifest(), "international").to_owned();
    assert!(!entry.contains("published_bytes"), "{entry}");
    assert!(
        entry.contains(&format!("sha256 = \"{}\"", sha256(&complete))),
        "{entry}"
    );
}

#[test]
fn unusable_upstream_files_exit_2_and_write_nothing() {
    for (name, contents, expected) in [
        (
            "file-management-retrieve.md",
            &b"# no fence here\n"[..],
            "no ````yaml fence",
        ),
        (
            "file-management-retrieve.md",
            &b"````yaml x\nopenapi: [\n````\n"[..],
            "invalid YAML",
        ),
        (
            "video-generation-download.md",
            &b"````yaml x\nswagger: '2.0'\n````\n"[..],
            "Swagger 2.0",
        ),
        (
            "minimax-ai-openapi.json",
            &b"{\"openapi\": \"3.1.0\", \"paths\": {\"/other\""[..],
            "no longer ends where our copy",
        ),
    ] {
        let scratch = SyncScratch::new();
        let manifest_before = scratch.manifest();
        let files_before: Vec<Vec<u8>> = [
            "international.json",
            "file-management.yaml",
            "china-video.yaml",
        ]
        .iter()
        .map(|file| scratch.file(&format!("openapi/upstream/{file}")))
        .collect();
        scratch.offer(name, contents);
        let output = scratch.sync(&[]);
        let out = text(&output);
        assert_eq!(code(&output), 2, "{name}: {out}");
        assert!(out.contains(expected), "{name}: {out}");
        assert_eq!(scratch.manifest(), manifest_before);
        let files_after: Vec<Vec<u8>> = [
            "international.json",
            "file-management.yaml",
            "china-video.yaml",
        ]
        .iter()
        .map(|file| scratch.file(&format!("openapi/upstream/{file}")))
        .collect();
        assert_eq!(files_after, files_before, "{name}");
    }
}

#[test]
fn a_bad_date_is_refused() {
    let scratch = SyncScratch::new();
    let output = scratch
        .scratch
        .command(&["sync", "--date", "22/11/2026", "--from"])
        .arg(scratch.from.path())
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    assert!(text(&output).contains("YYYY-MM-DD"));
}
