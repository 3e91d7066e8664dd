//! `minimax speech …`

use httpmock::prelude::*;

use crate::common::*;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn mock_say<'a>(server: &'a MockServer, audio: &[u8], format: &str) -> httpmock::Mock<'a> {
    let body = format!(
        r#"{{"data":{{"audio":"{}","status":2}},"extra_info":{{"audio_length":1500,"audio_format":"{format}","audio_size":{}}},"trace_id":"trace-say","base_resp":{}}}"#,
        hex(audio),
        audio.len(),
        ok()
    );
    let format = format.to_owned();
    server.mock(move |when, then| {
        when.method(POST).path("/v1/t2a_v2").json_body_includes(format!(
            r#"{{"model":"speech-2.8-hd","text":"Hello there","voice_setting":{{"voice_id":"Calm_Woman"}},"audio_setting":{{"format":"{format}"}}}}"#
        ));
        then.status(200).header("content-type", JSON).body(body);
    })
}

#[test]
fn say_writes_the_decoded_audio() {
    let server = MockServer::start();
    let audio: Vec<u8> = (0..400u32).map(|n| (n % 256) as u8).collect();
    let mock = mock_say(&server, &audio, "mp3");
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("hello.mp3");

    let output = run(
        minimax(&server)
            .args([
                "speech",
                "say",
                "Hello there",
                "--voice",
                "Calm_Woman",
                "-o",
            ])
            .arg(&target),
        0,
    );
    assert_eq!(std::fs::read(&target).unwrap(), audio);
    assert!(stderr(&output).contains("1.5 s"), "{}", stderr(&output));
    mock.assert();

    // An existing file is refused before anything is paid for.
    run(
        minimax(&server)
            .args([
                "speech",
                "say",
                "Hello there",
                "--voice",
                "Calm_Woman",
                "-o",
            ])
            .arg(&target),
        9,
    );
    mock.assert_calls(1);
}

#[test]
fn say_json_omits_the_audio_and_still_writes_it() {
    let server = MockServer::start();
    let audio = vec![9u8; 600];
    mock_say(&server, &audio, "wav");
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("hello.wav");
    let output = run(
        minimax(&server)
            .args([
                "--json",
                "speech",
                "say",
                "Hello there",
                "--voice",
                "Calm_Woman",
                "-o",
            ])
            .arg(&target),
        0,
    );
    let report = json(&output);
    assert_eq!(report["bytes"], 600);
    assert_eq!(report["extra_info"]["audio_format"], "wav");
    assert_eq!(report["trace_id"], "trace-say");
    assert!(!stdout(&output).contains(&hex(&audio)[..64]));
    assert_eq!(std::fs::read(&target).unwrap(), audio);
}

#[test]
fn say_sensitive_text_exits_5() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/t2a_v2");
        then.status(200)
            .header("content-type", JSON)
            .body(error_body(1026, "input new_sensitive"));
    });
    let directory = tempfile::tempdir().unwrap();
    run(
        minimax(&server)
            .args(["speech", "say", "Hello there", "-o"])
            .arg(directory.path().join("x.mp3")),
        5,
    );
    assert!(entries(directory.path()).is_empty());
}

const TASK: &str = "95157322514444";

#[test]
fn async_from_a_file_waits_and_downloads() {
    let server = MockServer::start();
    let directory = tempfile::tempdir().unwrap();
    let text_file = directory.path().join("book.txt");
    std::fs::write(&text_file, "Chapter one. It was a dark and stormy night.").unwrap();
    let create = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/t2a_async_v2")
            .json_body_includes(r#"{"text":"Chapter one. It was a dark and stormy night.","model":"speech-2.8-hd"}"#);
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"task_id":{TASK},"file_id":555,"task_token":"tok","usage_characters":44,"base_resp":{}}}"#,
            ok()
        ));
    });
    for (index, status) in ["Processing", "Success"].iter().enumerate() {
        let body = format!(
            r#"{{"task_id":{TASK},"status":"{status}","file_id":555,"base_resp":{}}}"#,
            ok()
        );
        server.mock(move |when, then| {
            when.method(GET)
                .path("/v1/query/t2a_async_query_v2")
                .query_param("task_id", TASK);
            let then = then.status(200).header("content-type", JSON).body(body);
            if index == 0 {
                then.up_to_n_times(1);
            }
        });
    }
    let url = server.url("/cdn/speech.mp3");
    server.mock(move |when, then| {
        when.path("/v1/files/retrieve")
            .query_param("file_id", "555");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"file":{},"base_resp":{}}}"#,
            file_json(555, 12, "speech.mp3", "t2a_async", Some(&url)),
            ok()
        ));
    });
    server.mock(|when, then| {
        when.path("/cdn/speech.mp3");
        then.status(200)
            .header("content-type", "audio/mpeg")
            .body("stormy audio");
    });
    let target = directory.path().join("book.mp3");

    let output = run(
        minimax(&server)
            .args(["speech", "async", "--wait", "--text-file"])
            .arg(&text_file)
            .arg("-o")
            .arg(&target),
        0,
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"stormy audio");
    let err = stderr(&output);
    assert!(
        err.contains(&format!("started speech task {TASK}")),
        "{err}"
    );
    assert!(err.contains("saved"), "{err}");
    create.assert();

    let output = run(
        minimax(&server).args(["speech", "status", TASK, "--json"]),
        0,
    );
    assert_eq!(json(&output)["file_id"], 555);
}

#[test]
fn async_without_wait_prints_the_task_id() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST)
            .path("/v1/t2a_async_v2")
            .json_body_includes(r#"{"text_file_id":777}"#);
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"task_id":{TASK},"file_id":555,"base_resp":{}}}"#,
            ok()
        ));
    });
    let output = run(
        minimax(&server).args(["speech", "async", "--text-file-id", "777"]),
        0,
    );
    assert_eq!(stdout(&output), format!("{TASK}\n"));
}

#[test]
fn async_needs_some_text() {
    let server = MockServer::start();
    run(minimax(&server).args(["speech", "async", "--wait"]), 2);
    run(
        minimax(&server).args(["speech", "async", "--text-file", "/definitely/not/here.txt"]),
        9,
    );
}

#[test]
fn async_task_failure_exits_6() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/t2a_async_v2");
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"task_id":{TASK},"base_resp":{}}}"#, ok()));
    });
    server.mock(|when, then| {
        when.path("/v1/query/t2a_async_query_v2");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"task_id":{TASK},"status":"Expired","base_resp":{}}}"#,
            ok()
        ));
    });
    let output = run(
        minimax(&server).args(["speech", "async", "--text", "hi", "--wait"]),
        6,
    );
    assert!(stderr(&output).contains("Expired"), "{}", stderr(&output));
}
