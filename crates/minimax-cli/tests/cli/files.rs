//! `minimax files …`

use httpmock::prelude::*;

use crate::common::*;

#[test]
fn upload_prints_the_file_id_and_sends_purpose_and_file() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/files/upload")
            .header("authorization", format!("Bearer {KEY}"))
            .body_includes("name=\"purpose\"")
            .body_includes("voice_clone")
            .body_includes("filename=\"voice.mp3\"")
            .body_includes("ID3-fake-audio");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"file":{},"base_resp":{}}}"#,
            file_json(77, 14, "voice.mp3", "voice_clone", None),
            ok()
        ));
    });
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("voice.mp3");
    std::fs::write(&path, "ID3-fake-audio").unwrap();

    let output = run(
        minimax(&server)
            .args(["files", "upload"])
            .arg(&path)
            .args(["--purpose", "voice_clone"]),
        0,
    );
    assert_eq!(stdout(&output), "77\n");
    let log = stderr(&output);
    assert!(log.contains("uploaded"), "{log}");
    // stderr is a pipe here: upload progress comes as plain lines, no bar.
    assert!(log.contains("uploading voice.mp3: started (14 B)"), "{log}");
    mock.assert();

    let output = run(
        minimax(&server)
            .args(["--json", "files", "upload"])
            .arg(&path)
            .args(["--purpose", "voice_clone"]),
        0,
    );
    assert!(
        !stderr(&output).contains("uploading"),
        "no progress with --json"
    );
    let file = json(&output);
    assert_eq!(file["file_id"], 77);
    assert_eq!(file["filename"], "voice.mp3");
    assert_eq!(file["purpose"], "voice_clone");
}

#[test]
fn upload_of_a_missing_file_is_a_local_io_error() {
    let server = MockServer::start();
    let output = run(
        minimax(&server).args([
            "files",
            "upload",
            "/definitely/not/here.mp3",
            "--purpose",
            "voice_clone",
        ]),
        9,
    );
    assert!(
        stderr(&output).contains("/definitely/not/here.mp3"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn list_prints_a_table_or_json() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path("/v1/files/list")
            .query_param("purpose", "voice_clone");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"files":[{},{}],"base_resp":{}}}"#,
            file_json(1, 1000, "a.mp3", "voice_clone", None),
            file_json(205258526306433, 2_500_000, "b.wav", "voice_clone", None),
            ok()
        ));
    });
    let output = run(
        minimax(&server).args(["files", "list", "--purpose", "voice_clone"]),
        0,
    );
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("FILE_ID"));
    assert!(lines[2].contains("205258526306433") && lines[2].contains("b.wav"));
    assert!(lines[1].contains("2023-11-14 22:13:20"), "{text}");
    // The columns line up.
    assert_eq!(lines[1].find("a.mp3"), lines[0].find("FILENAME"), "{text}");

    let output = run(
        minimax(&server).args(["files", "list", "--purpose", "voice_clone", "--json"]),
        0,
    );
    let files = json(&output);
    assert_eq!(files.as_array().map(Vec::len), Some(2));
    assert_eq!(files[1]["file_id"], 205258526306433_i64);
    mock.assert_calls(2);
}

#[test]
fn list_needs_a_purpose() {
    let server = MockServer::start();
    let output = run(minimax(&server).args(["files", "list"]), 2);
    assert!(stderr(&output).contains("--purpose"));
}

#[test]
fn retrieve_shows_the_metadata() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET)
            .path("/v1/files/retrieve")
            .query_param("file_id", "42");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"file":{},"base_resp":{}}}"#,
            file_json(
                42,
                5,
                "a.mp3",
                "t2a_async",
                Some("https://cdn.example/a.mp3")
            ),
            ok()
        ));
    });
    let output = run(minimax(&server).args(["files", "retrieve", "42"]), 0);
    let text = stdout(&output);
    assert!(text.contains("file_id:      42"), "{text}");
    assert!(
        text.contains("download_url: https://cdn.example/a.mp3"),
        "{text}"
    );

    let output = run(
        minimax(&server).args(["--json", "files", "retrieve", "42"]),
        0,
    );
    assert_eq!(json(&output)["download_url"], "https://cdn.example/a.mp3");
}

#[test]
fn a_non_numeric_file_id_is_a_usage_error() {
    let server = MockServer::start();
    run(minimax(&server).args(["files", "retrieve", "abc"]), 2);
}

/// Mocks `files/retrieve` for file 42 pointing at `/cdn/a.mp3` on `server`.
fn mock_retrieve(server: &MockServer, bytes: usize) {
    let url = server.url("/cdn/a.mp3?signature=x");
    server.mock(move |when, then| {
        when.method(GET)
            .path("/v1/files/retrieve")
            .query_param("file_id", "42");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"file":{},"base_resp":{}}}"#,
            file_json(42, bytes, "a.mp3", "t2a_async", Some(&url)),
            ok()
        ));
    });
}

#[test]
fn download_writes_the_file_and_refuses_to_overwrite() {
    let server = MockServer::start();
    mock_retrieve(&server, 11);
    server.mock(|when, then| {
        when.method(GET).path("/cdn/a.mp3");
        then.status(200)
            .header("content-type", "audio/mpeg")
            .body("hello audio");
    });
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("out.mp3");

    let output = run(
        minimax(&server)
            .args(["files", "download", "42", "-o"])
            .arg(&target),
        0,
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"hello audio");
    assert!(stderr(&output).contains("saved"), "{}", stderr(&output));

    // An existing file is kept unless --force.
    std::fs::write(&target, "keep me").unwrap();
    let output = run(
        minimax(&server)
            .args(["files", "download", "42", "-o"])
            .arg(&target),
        9,
    );
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");

    let output = run(
        minimax(&server)
            .args(["--json", "files", "download", "42", "--force", "-o"])
            .arg(&target),
        0,
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"hello audio");
    let report = json(&output);
    assert_eq!(report["bytes"], 11);
    assert_eq!(report["file"]["file_id"], 42);

    // A directory target takes the file's own name.
    let output = run(
        minimax(&server)
            .args(["files", "download", "42", "-o"])
            .arg(directory.path()),
        0,
    );
    assert_eq!(
        std::fs::read(directory.path().join("a.mp3")).unwrap(),
        b"hello audio"
    );
    assert!(!stderr(&output).contains("error"));
    assert_eq!(entries(directory.path()), ["a.mp3", "out.mp3"]);

    // The name a directory target resolves to is protected too.
    std::fs::write(directory.path().join("a.mp3"), "keep me too").unwrap();
    let output = run(
        minimax(&server)
            .args(["files", "download", "42", "-o"])
            .arg(directory.path()),
        9,
    );
    assert!(stderr(&output).contains("a.mp3"), "{}", stderr(&output));
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(directory.path().join("a.mp3")).unwrap(),
        b"keep me too"
    );
}

#[test]
fn a_failed_download_leaves_no_partial_file() {
    let server = MockServer::start();
    // The file has 5000 bytes; the host sends fewer.
    mock_retrieve(&server, 5000);
    server.mock(|when, then| {
        when.method(GET).path("/cdn/a.mp3");
        then.status(200)
            .header("content-type", "audio/mpeg")
            .body(vec![7u8; 1200]);
    });
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("out.mp3");
    let output = run(
        minimax(&server)
            .args(["files", "download", "42", "-o"])
            .arg(&target),
        8,
    );
    assert!(stderr(&output).contains("5000"), "{}", stderr(&output));
    assert!(
        entries(directory.path()).is_empty(),
        "{:?}",
        entries(directory.path())
    );
}

#[test]
fn an_unwritable_output_path_is_a_local_io_error() {
    let server = MockServer::start();
    mock_retrieve(&server, 11);
    server.mock(|when, then| {
        when.method(GET).path("/cdn/a.mp3");
        then.status(200).body("hello audio");
    });
    let output = run(
        minimax(&server).args([
            "files",
            "download",
            "42",
            "-o",
            "/definitely/not/a/dir/out.mp3",
        ]),
        9,
    );
    assert!(
        stderr(&output).contains("/definitely/not/a/dir"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn delete_sends_id_and_purpose() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/files/delete")
            .json_body(serde_json::json!({"file_id": 42, "purpose": "voice_clone"}));
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"file_id":42,"base_resp":{}}}"#, ok()));
    });
    let output = run(
        minimax(&server).args(["files", "delete", "42", "--purpose", "voice_clone"]),
        0,
    );
    assert!(stderr(&output).contains("deleted file 42"));
    let output = run(
        minimax(&server).args([
            "files",
            "delete",
            "42",
            "--purpose",
            "voice_clone",
            "--json",
        ]),
        0,
    );
    assert_eq!(json(&output)["deleted"], true);
    mock.assert_calls(2);
}

/// A download host that sends the headers and part of the body, then
/// stalls; returns its base URL.
#[cfg(unix)]
fn stalling_host() -> String {
    use std::io::{Read, Write};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ncontent-length: 100000\r\n\r\n",
            );
            let _ = stream.write_all(&[1u8; 20_000]);
            let _ = stream.flush();
            std::thread::sleep(std::time::Duration::from_secs(30));
        }
    });
    format!("http://{address}")
}

#[cfg(unix)]
#[test]
fn an_interrupted_download_leaves_nothing_behind() {
    let server = MockServer::start();
    let url = format!("{}/slow.mp3", stalling_host());
    server.mock(move |when, then| {
        when.path("/v1/files/retrieve");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"file":{},"base_resp":{}}}"#,
            file_json(42, 100_000, "slow.mp3", "t2a_async", Some(&url)),
            ok()
        ));
    });
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("out.mp3");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("minimax"))
        .args(["--api-key", KEY, "--base-url", &server.base_url()])
        .args(["files", "download", "42", "-o"])
        .arg(&target)
        .env_remove("MINIMAX_API_KEY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the temporary file to appear with the first bytes.
    let started = std::time::Instant::now();
    while entries(directory.path()).is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let temporary = entries(directory.path());
    assert!(temporary[0].ends_with(".part"), "{temporary:?}");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(stderr(&output).contains("interrupted"));
    assert!(
        entries(directory.path()).is_empty(),
        "{:?}",
        entries(directory.path())
    );
}
