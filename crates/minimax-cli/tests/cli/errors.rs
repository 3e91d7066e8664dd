//! Exit codes and error messages, one test per class.

use httpmock::prelude::*;

use crate::common::*;

/// `files list` answered with MiniMax error `code`: returns the output.
fn list_failing_with(code: i64, message: &str, expected_exit: i32) -> std::process::Output {
    let server = MockServer::start();
    let body = error_body(code, message);
    server.mock(|when, then| {
        when.method(GET).path("/v1/files/list");
        then.status(200)
            .header("content-type", JSON)
            .header("Trace-Id", "trace-abc-123")
            .body(body);
    });
    let output = run(
        minimax(&server).args(["files", "list", "--purpose", "voice_clone"]),
        expected_exit,
    );
    let err = stderr(&output);
    // One line naming the operation, the code, the message and the trace id.
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: list_files failed"), "{err}");
    assert!(
        first.contains(&code.to_string()) && first.contains(message),
        "{err}"
    );
    assert!(first.contains("trace-abc-123"), "{err}");
    assert!(stdout(&output).is_empty());
    output
}

#[test]
fn auth_refusal_exits_3_with_a_hint() {
    let output = list_failing_with(1004, "invalid api key", 3);
    assert!(stderr(&output).contains("hint: check the API key in MINIMAX_API_KEY"));
}

#[test]
fn rate_limit_exits_4() {
    let output = list_failing_with(1002, "rate limit exceeded", 4);
    assert!(stderr(&output).contains("hint:"));
}

#[test]
fn invalid_input_exits_5() {
    list_failing_with(2013, "invalid params", 5);
}

#[test]
fn other_api_errors_exit_7() {
    list_failing_with(1008, "insufficient balance", 7);
    list_failing_with(9999, "something new", 7);
}

#[test]
fn an_http_401_without_a_code_exits_3() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/files/list");
        then.status(401).body("Unauthorized");
    });
    run(
        minimax(&server).args(["files", "list", "--purpose", "voice_clone"]),
        3,
    );
}

#[test]
fn connection_refused_exits_8() {
    // Bind a port and release it, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = run(
        bare().args([
            "--api-key",
            KEY,
            "--max-retries",
            "0",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "files",
            "list",
            "--purpose",
            "voice_clone",
        ]),
        8,
    );
    let err = stderr(&output);
    assert!(
        err.starts_with("error: list_files failed: could not connect"),
        "{err}"
    );
    assert!(err.contains("hint: check the network"), "{err}");
}

#[test]
fn a_bad_flag_exits_2() {
    let output = run(
        bare().args(["files", "list", "--purpose", "x", "--frobnicate"]),
        2,
    );
    assert!(stderr(&output).contains("--frobnicate"));
    run(bare().args(["nonsense"]), 2);
    run(
        bare()
            .arg("--timeout=-3")
            .args(["files", "list", "--purpose", "x"]),
        2,
    );
}

#[test]
fn a_missing_api_key_exits_2_and_names_the_variable() {
    let output = run(
        bare().args(["files", "list", "--purpose", "voice_clone"]),
        2,
    );
    let err = stderr(&output);
    assert!(
        err.contains(
            "error: invalid configuration: no API key: set MINIMAX_API_KEY or pass --api-key"
        ),
        "{err}"
    );
    assert!(err.contains("hint: export MINIMAX_API_KEY="), "{err}");
}

#[test]
fn region_and_base_url_together_are_a_usage_error() {
    let output = run(
        bare().args([
            "--api-key",
            KEY,
            "--region",
            "china",
            "--base-url",
            "http://127.0.0.1:9",
            "files",
            "list",
            "--purpose",
            "voice_clone",
        ]),
        2,
    );
    assert!(stderr(&output).contains("--base-url"));
}

#[test]
fn flags_replace_the_environment() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/v1/files/list")
            .header("authorization", "Bearer flag-key")
            .query_param("GroupId", "g-7");
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"files":[],"base_resp":{}}}"#, ok()));
    });
    // The environment names another endpoint and key; the flags win.
    let output = bare()
        .env("MINIMAX_API_KEY", "env-key")
        .env("MINIMAX_REGION", "china")
        .args([
            "--api-key",
            "flag-key",
            "--group-id",
            "g-7",
            "--base-url",
            &server.base_url(),
        ])
        .args(["files", "list", "--purpose", "voice_clone"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    mock.assert();
}

#[test]
fn the_environment_alone_is_enough() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/files/list")
            .header("authorization", "Bearer env-key");
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"files":[],"base_resp":{}}}"#, ok()));
    });
    let output = bare()
        .env("MINIMAX_API_KEY", "env-key")
        .env("MINIMAX_BASE_URL", server.base_url())
        .args(["files", "list", "--purpose", "voice_clone"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn the_per_attempt_timeout_exits_8_and_names_the_flag() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/files/list");
        then.status(200)
            .header("content-type", JSON)
            .delay(std::time::Duration::from_secs(3))
            .body(format!(r#"{{"files":[],"base_resp":{}}}"#, ok()));
    });
    let output = run(
        minimax(&server).args([
            "--timeout",
            "0.3",
            "files",
            "list",
            "--purpose",
            "voice_clone",
        ]),
        8,
    );
    let err = stderr(&output);
    assert!(
        err.contains("timeout") && err.contains("hint: raise the time limit with --timeout"),
        "{err}"
    );
}

#[test]
fn max_retries_repeats_a_rate_limited_request() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/v1/files/list");
        then.status(200)
            .header("content-type", JSON)
            .body(error_body(1002, "rate limit"));
    });
    // `minimax()` passes --max-retries 0; a later flag wins.
    run(
        minimax(&server).args([
            "--max-retries",
            "1",
            "files",
            "list",
            "--purpose",
            "voice_clone",
        ]),
        4,
    );
    mock.assert_calls(2);
}

#[test]
fn giving_up_on_a_task_exits_8() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/query/video_generation");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"task_id":"1","status":"Processing","base_resp":{}}}"#,
            ok()
        ));
    });
    let output = run(
        minimax(&server).args(["--wait-timeout", "0.3", "video", "wait", "1"]),
        8,
    );
    let err = stderr(&output);
    assert!(err.contains("gave up waiting for task 1"), "{err}");
    assert!(err.contains("--wait-timeout"), "{err}");
}
