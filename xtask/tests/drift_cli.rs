//! `cargo xtask drift`: argument handling, inputs from files and git
//! revisions, output formats, and exit codes (0 clean, 1 at or above
//! `--fail-on`, 2 unreadable input naming the input).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn spec(id_type: &str) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/files": {"get": {"operationId": "listFiles", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"type": "object", "properties": {
                "id": {"type": id_type},
                "name": {"type": ["string", "null"]}
            }}}}
        }}}}}
    })
}

fn write(dir: &Path, relative: &str, value: &Value) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("drift")
        .args(args)
        .current_dir(dir)
        .env("MINIMAX_XTASK_ROOT", dir)
        .output()
        .unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn files_breaking_change_fails_by_default_and_fail_on_moves_the_bar() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.json", &spec("integer"));
    write(dir.path(), "new.json", &spec("string"));
    let output = xtask(dir.path(), &["old.json", "new.json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("response-property-type-changed"), "{text}");
    assert!(text.contains("GET /files"), "{text}");
    assert!(text.contains("1 breaking, 0 warning, 0 info"), "{text}");
    assert_eq!(
        code(&xtask(
            dir.path(),
            &["old.json", "new.json", "--fail-on", "never"]
        )),
        0
    );
    // Identical APIs (3.1 against itself): nothing at any level.
    assert_eq!(
        code(&xtask(
            dir.path(),
            &["old.json", "old.json", "--fail-on", "info"]
        )),
        0
    );
}

#[test]
fn fail_on_warning_and_info() {
    let dir = tempfile::tempdir().unwrap();
    let old = spec("integer");
    let mut new = old.clone();
    new["info"]["description"] = json!("docs only");
    write(dir.path(), "old.json", &old);
    write(dir.path(), "new.yaml", &new); // JSON is valid YAML
    assert_eq!(code(&xtask(dir.path(), &["old.json", "new.yaml"])), 0);
    assert_eq!(
        code(&xtask(
            dir.path(),
            &["old.json", "new.yaml", "--fail-on", "warning"]
        )),
        0
    );
    assert_eq!(
        code(&xtask(
            dir.path(),
            &["old.json", "new.yaml", "--fail-on", "info"]
        )),
        1
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.json", &spec("integer"));
    write(dir.path(), "new.json", &spec("string"));
    let output = xtask(dir.path(), &["old.json", "new.json", "--format", "json"]);
    let text = stdout(&output);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value["summary"],
        json!({"breaking": 1, "warning": 0, "info": 0})
    );
    let change = &value["changes"][0];
    assert_eq!(change["id"], "response-property-type-changed");
    assert_eq!(change["level"], "breaking");
    assert_eq!(change["operation"], "GET /files");
    assert_eq!(
        change["pointer"],
        "/paths/~1files/get/responses/200/content/application~1json/schema/properties/id"
    );
    let keys: Vec<&str> = [
        "\"id\"",
        "\"level\"",
        "\"operation\"",
        "\"pointer\"",
        "\"message\"",
    ]
    .to_vec();
    let positions: Vec<usize> = keys.iter().map(|key| text.find(key).unwrap()).collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "key order: {text}"
    );
}

#[test]
fn markdown_and_github_formats() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.json", &spec("integer"));
    write(dir.path(), "new.json", &spec("string"));
    let markdown = stdout(&xtask(
        dir.path(),
        &["old.json", "new.json", "--format", "markdown"],
    ));
    assert!(
        markdown.contains("| Level | Operation | Rule |"),
        "{markdown}"
    );
    assert!(markdown.contains("**1 breaking**"), "{markdown}");
    let github = stdout(&xtask(
        dir.path(),
        &["old.json", "new.json", "--format", "github"],
    ));
    assert!(
        github.starts_with(
            "::error file=new.json,title=response-property-type-changed (GET /files)::"
        ),
        "{github}"
    );
}

#[test]
fn unreadable_inputs_exit_2_naming_the_input() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.json", &spec("integer"));
    std::fs::write(dir.path().join("broken.json"), "{\"openapi\": ").unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "openapi: [\n").unwrap();
    write(
        dir.path(),
        "swagger.json",
        &json!({"swagger": "2.0", "paths": {}}),
    );
    write(dir.path(), "list.json", &json!([1, 2]));
    for (input, expected) in [
        ("missing.json", "no such file"),
        ("broken.json", "invalid JSON"),
        ("broken.yaml", "invalid YAML"),
        ("swagger.json", "not an OpenAPI 3.x document"),
        ("list.json", "top level must be an object"),
        ("nosuchrev:ok.json", "git show nosuchrev:ok.json"),
    ] {
        for args in [[input, "ok.json"], ["ok.json", input]] {
            let output = xtask(dir.path(), &args);
            assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
            let message = stderr(&output);
            assert!(
                message.contains(&format!("cannot compare {input}:")),
                "{message}"
            );
            assert!(message.contains(expected), "{message}");
            assert_eq!(
                message.trim().lines().count(),
                1,
                "one paragraph: {message}"
            );
            assert!(stdout(&output).is_empty());
        }
    }
}

#[test]
fn usage_errors_are_clap_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&xtask(dir.path(), &[])), 2);
    assert_eq!(code(&xtask(dir.path(), &["only-one.json"])), 2);
    assert_eq!(
        code(&xtask(dir.path(), &["a.json", "b.json", "--base", "HEAD"])),
        2
    );
    assert_eq!(
        code(&xtask(
            dir.path(),
            &["a.json", "b.json", "--fail-on", "sometimes"]
        )),
        2
    );
}

#[test]
fn git_revisions_and_base_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "openapi/upstream/a.json", &spec("integer"));
    write(root, "openapi/upstream/gone.json", &spec("integer"));
    write(root, "openapi/minimax.json", &spec("integer"));
    std::fs::write(root.join("openapi/upstream/README.txt"), "not a spec").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "base"]);

    // REV:path against the working tree.
    write(root, "openapi/minimax.json", &spec("string"));
    let output = xtask(root, &["HEAD:openapi/minimax.json", "openapi/minimax.json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(stdout(&output).contains("response-property-type-changed"));
    // And two revisions.
    git(root, &["commit", "-q", "-am", "change"]);
    let output = xtask(
        root,
        &[
            "HEAD~1:openapi/minimax.json",
            "HEAD:openapi/minimax.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    // A path that is not in the revision.
    let output = xtask(root, &["HEAD:openapi/nope.json", "openapi/minimax.json"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("cannot compare HEAD:openapi/nope.json"));

    // --base: one report per file plus a total; new and deleted files.
    std::fs::remove_file(root.join("openapi/upstream/gone.json")).unwrap();
    std::fs::write(
        root.join("openapi/upstream/new.yaml"),
        serde_json::to_string(&spec("integer")).unwrap(),
    )
    .unwrap();
    let output = xtask(root, &["--base", "HEAD~1"]);
    let text = stdout(&output);
    assert_eq!(code(&output), 1, "{text}{}", stderr(&output));
    for header in [
        "== openapi/minimax.json (HEAD~1 → working tree) ==",
        "== openapi/upstream/a.json (HEAD~1 → working tree) ==",
        "== openapi/upstream/gone.json (deleted) (HEAD~1 → working tree) ==",
        "== openapi/upstream/new.yaml (new file) (HEAD~1 → working tree) ==",
    ] {
        assert!(text.contains(header), "{header}\n{text}");
    }
    assert!(!text.contains("README"), "{text}");
    assert!(
        text.contains("api-path-removed-without-deprecation"),
        "{text}"
    );
    assert!(text.contains("endpoint-added"), "{text}");
    assert!(
        text.contains("total: 2 breaking, 0 warning, 1 info"),
        "{text}"
    );

    let output = xtask(
        root,
        &["--base", "HEAD~1", "--format", "json", "--fail-on", "never"],
    );
    assert_eq!(code(&output), 0);
    let value: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["files"].as_array().unwrap().len(), 4);
    assert_eq!(value["files"][0]["file"], "openapi/minimax.json");
    assert_eq!(value["files"][0]["report"]["summary"]["breaking"], 1);
    assert_eq!(
        value["summary"],
        json!({"breaking": 2, "warning": 0, "info": 1})
    );

    let markdown = stdout(&xtask(root, &["--base", "HEAD~1", "--format", "markdown"]));
    assert!(
        markdown.starts_with("## Spec drift against `HEAD~1`"),
        "{markdown}"
    );
    assert!(
        markdown.contains("### Spec drift: openapi/upstream/gone.json (deleted)"),
        "{markdown}"
    );

    let output = xtask(root, &["--base", "no-such-branch"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("git revision no-such-branch"),
        "{}",
        stderr(&output)
    );
}
