//! Help, version, verbosity, quiet mode, progress and pipes.

use std::io::Read;
use std::process::Stdio;

use httpmock::prelude::*;

use crate::common::*;

#[test]
fn help_lists_the_exit_codes_and_the_commands() {
    let output = run(bare().arg("--help"), 0);
    let text = stdout(&output);
    for needle in [
        "Exit codes:",
        "  2  usage",
        "  3  authentication",
        "  4  rate limited",
        "  5  invalid input",
        "  6  the task failed",
        "  7  any other API error",
        "  8  network",
        "  9  local file",
        "MINIMAX_API_KEY",
        "files",
        "chat",
        "speech",
        "voice",
        "video",
        "image",
        "music",
        "--poll-interval",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} missing from --help:\n{text}"
        );
    }
}

#[test]
fn version_prints_and_succeeds() {
    let output = run(bare().arg("--version"), 0);
    assert!(stdout(&output).starts_with("minimax "));
}

fn mock_list(server: &MockServer) {
    server.mock(|when, then| {
        when.path("/v1/files/list");
        then.status(200)
            .header("content-type", JSON)
            .header("Trace-Id", "trace-list")
            .body(format!(
                r#"{{"files":[{}],"base_resp":{}}}"#,
                file_json(1, 10, "a.mp3", "voice_clone", None),
                ok()
            ));
    });
}

#[test]
fn verbose_logs_each_request_without_the_key() {
    let server = MockServer::start();
    mock_list(&server);
    let output = run(
        minimax(&server).args(["-v", "files", "list", "--purpose", "voice_clone"]),
        0,
    );
    let err = stderr(&output);
    assert!(err.contains("minimax.request"), "{err}");
    assert!(
        err.contains("list_files") && err.contains("trace-list"),
        "{err}"
    );
    // `run` already checked that the key is nowhere in the output.
    let output = run(
        minimax(&server).args(["-vvv", "files", "list", "--purpose", "voice_clone"]),
        0,
    );
    assert!(!stderr(&output).is_empty());
}

#[test]
fn quiet_prints_only_data() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/files/delete");
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"file_id":1,"base_resp":{}}}"#, ok()));
    });
    let output = run(
        minimax(&server).args(["-q", "files", "delete", "1", "--purpose", "voice_clone"]),
        0,
    );
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    assert!(stdout(&output).is_empty());
}

#[test]
fn a_closed_stdout_exits_0_quietly() {
    let server = MockServer::start();
    mock_list(&server);
    let binary = assert_cmd::cargo::cargo_bin("minimax");
    let mut child = std::process::Command::new(binary)
        .args(["--api-key", KEY, "--base-url", &server.base_url()])
        .args(["files", "list", "--purpose", "voice_clone"])
        .env_remove("MINIMAX_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the command prints anything.
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}
