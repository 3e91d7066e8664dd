//! Helpers shared by the end-to-end tests: the `minimax` command pointed at
//! a local mock server, canned bodies, and output checks.

use assert_cmd::Command;
use httpmock::MockServer;

/// The API key every test passes with `--api-key`.
pub const KEY: &str = "test-key";

/// `Content-Type` of JSON answers.
pub const JSON: &str = "application/json";

/// `minimax` with a clean environment, talking to `server` with short
/// polls and no retries.
pub fn minimax(server: &MockServer) -> Command {
    let mut command = bare();
    command.args([
        "--base-url",
        &server.base_url(),
        "--api-key",
        KEY,
        "--poll-interval",
        "0.01",
        "--max-retries",
        "0",
    ]);
    command
}

/// `minimax` with no flags and none of the `MINIMAX_*` variables set.
pub fn bare() -> Command {
    let mut command = Command::cargo_bin("minimax").unwrap();
    for variable in [
        "MINIMAX_API_KEY",
        "MINIMAX_REGION",
        "MINIMAX_BASE_URL",
        "MINIMAX_GROUP_ID",
        "RUST_LOG",
    ] {
        command.env_remove(variable);
    }
    command.timeout(std::time::Duration::from_secs(60));
    command
}

/// `{"base_resp": …}` with MiniMax code `code`.
pub fn base_resp(code: i64, message: &str) -> String {
    format!(r#"{{"status_code":{code},"status_msg":"{message}"}}"#)
}

/// A body reporting only MiniMax error `code`.
pub fn error_body(code: i64, message: &str) -> String {
    format!(r#"{{"base_resp":{}}}"#, base_resp(code, message))
}

/// A success `base_resp` field, to splice into bodies.
pub fn ok() -> String {
    base_resp(0, "success")
}

/// A file object as the files API returns it.
pub fn file_json(
    file_id: u64,
    bytes: usize,
    filename: &str,
    purpose: &str,
    url: Option<&str>,
) -> String {
    let url = url
        .map(|url| format!(r#","download_url":"{url}""#))
        .unwrap_or_default();
    format!(
        r#"{{"file_id":{file_id},"bytes":{bytes},"created_at":1700000000,"filename":"{filename}","purpose":"{purpose}"{url}}}"#
    )
}

/// stdout of a finished command as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// stderr of a finished command as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// stdout parsed as JSON.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {}", stdout(output)))
}

/// Runs `command`, asserts the exit code, and returns the output.
pub fn run(command: &mut Command, code: i32) -> std::process::Output {
    let output = command.output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code\nstdout: {}\nstderr: {}",
        stdout(&output),
        stderr(&output)
    );
    // Progress never draws escape codes into a pipe, and the key never shows.
    let err = stderr(&output);
    assert!(
        !err.contains('\u{1b}'),
        "escape codes on a piped stderr: {err:?}"
    );
    assert!(
        !err.contains(KEY) && !stdout(&output).contains(KEY),
        "the key leaked"
    );
    output
}

/// The sorted names in `directory`.
pub fn entries(directory: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
