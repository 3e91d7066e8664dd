//! `minimax voice …`

use httpmock::prelude::*;

use crate::common::*;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn list_prints_every_kind() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/get_voice")
            .json_body(serde_json::json!({"voice_type": "all"}));
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"system_voice":[{{"voice_id":"Calm_Woman","voice_name":"Calm Woman","description":["A calm voice"]}}],"voice_cloning":[{{"voice_id":"MyNarrator01","created_time":"2025-06-07"}}],"voice_generation":null,"base_resp":{}}}"#,
            ok()
        ));
    });
    let output = run(minimax(&server).args(["voice", "list"]), 0);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[1].contains("Calm_Woman")
            && lines[1].contains("system")
            && lines[1].contains("A calm voice")
    );
    assert!(
        lines[2].contains("MyNarrator01")
            && lines[2].contains("voice_cloning")
            && lines[2].contains("2025-06-07")
    );

    let output = run(minimax(&server).args(["voice", "list", "--json"]), 0);
    let voices = json(&output);
    assert_eq!(voices["system_voice"][0]["voice_id"], "Calm_Woman");
    assert_eq!(voices["voice_cloning"][0]["voice_id"], "MyNarrator01");
    assert_eq!(voices["voice_generation"].as_array().map(Vec::len), Some(0));
    mock.assert_calls(2);
}

#[test]
fn list_filters_by_type() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/v1/get_voice")
            .json_body(serde_json::json!({"voice_type": "voice_cloning"}));
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"voice_cloning":[],"base_resp":{}}}"#, ok()));
    });
    let output = run(
        minimax(&server).args(["voice", "list", "--type", "voice_cloning"]),
        0,
    );
    assert!(stdout(&output).is_empty());
    mock.assert();
    run(
        minimax(&server).args(["voice", "list", "--type", "robots"]),
        2,
    );
}

#[test]
fn clone_uploads_a_local_file_then_clones_and_saves_the_demo() {
    let server = MockServer::start();
    let upload = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/files/upload")
            .body_includes("voice_clone");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"file":{},"base_resp":{}}}"#,
            file_json(321, 10, "me.wav", "voice_clone", None),
            ok()
        ));
    });
    let demo = vec![3u8; 300];
    let clone = server.mock(|when, then| {
        when.method(POST).path("/v1/voice_clone").json_body_includes(
            r#"{"file_id":321,"voice_id":"MyNarrator01","text":"Hello","model":"speech-2.8-hd"}"#,
        );
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"demo_audio":"{}","base_resp":{}}}"#,
            hex(&demo),
            ok()
        ));
    });
    let directory = tempfile::tempdir().unwrap();
    let recording = directory.path().join("me.wav");
    std::fs::write(&recording, "RIFF....WAVE").unwrap();
    let target = directory.path().join("demo.mp3");
    let output = run(
        minimax(&server)
            .args([
                "voice",
                "clone",
                "--voice-id",
                "MyNarrator01",
                "--text",
                "Hello",
                "--file",
            ])
            .arg(&recording)
            .arg("-o")
            .arg(&target),
        0,
    );
    assert_eq!(stdout(&output), "MyNarrator01\n");
    assert_eq!(std::fs::read(&target).unwrap(), demo);
    upload.assert();
    clone.assert();
}

#[test]
fn clone_from_a_file_id_prints_json() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/voice_clone")
            .json_body_includes(r#"{"file_id":321,"voice_id":"MyNarrator01"}"#);
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"base_resp":{}}}"#, ok()));
    });
    let output = run(
        minimax(&server).args([
            "--json",
            "voice",
            "clone",
            "--file-id",
            "321",
            "--voice-id",
            "MyNarrator01",
        ]),
        0,
    );
    let voice = json(&output);
    assert_eq!(voice["voice_id"], "MyNarrator01");
    assert_eq!(voice["file_id"], 321);
}

#[test]
fn clone_needs_a_recording_and_reports_a_taken_voice_id() {
    let server = MockServer::start();
    run(
        minimax(&server).args(["voice", "clone", "--voice-id", "MyNarrator01"]),
        2,
    );
    server.mock(|when, then| {
        when.path("/v1/voice_clone");
        then.status(200)
            .header("content-type", JSON)
            .body(error_body(2013, "voice id duplicate"));
    });
    let output = run(
        minimax(&server).args([
            "voice",
            "clone",
            "--file-id",
            "1",
            "--voice-id",
            "MyNarrator01",
        ]),
        5,
    );
    assert!(stderr(&output).contains("voice id duplicate"));
}

#[test]
fn design_prints_the_voice_id_and_saves_the_preview() {
    let server = MockServer::start();
    let preview = vec![5u8; 200];
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/voice_design")
            .json_body_includes(r#"{"prompt":"A warm old storyteller"}"#)
            .body_includes("preview_text");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"voice_id":"ttv-voice-2025060717322425-abc","trial_audio":"{}","base_resp":{}}}"#,
            hex(&preview),
            ok()
        ));
    });
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("preview.mp3");
    let output = run(
        minimax(&server)
            .args(["voice", "design", "A warm old storyteller", "-o"])
            .arg(&target),
        0,
    );
    assert_eq!(stdout(&output), "ttv-voice-2025060717322425-abc\n");
    assert_eq!(std::fs::read(&target).unwrap(), preview);

    let output = run(
        minimax(&server).args(["voice", "design", "A warm old storyteller", "--json"]),
        0,
    );
    assert_eq!(json(&output)["voice_id"], "ttv-voice-2025060717322425-abc");
    mock.assert_calls(2);
}

#[test]
fn delete_infers_the_voice_type() {
    let server = MockServer::start();
    let designed = server.mock(|when, then| {
        when.path("/v1/delete_voice").json_body(serde_json::json!({
            "voice_id": "ttv-voice-1", "voice_type": "voice_generation"
        }));
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"voice_id":"ttv-voice-1","base_resp":{}}}"#,
            ok()
        ));
    });
    let cloned = server.mock(|when, then| {
        when.path("/v1/delete_voice").json_body(serde_json::json!({
            "voice_id": "MyNarrator01", "voice_type": "voice_cloning"
        }));
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"voice_id":"MyNarrator01","base_resp":{}}}"#,
            ok()
        ));
    });
    let output = run(minimax(&server).args(["voice", "delete", "ttv-voice-1"]), 0);
    assert!(stderr(&output).contains("deleted voice ttv-voice-1"));
    let output = run(
        minimax(&server).args(["voice", "delete", "MyNarrator01", "--json"]),
        0,
    );
    assert_eq!(json(&output)["voice_type"], "voice_cloning");
    designed.assert();
    cloned.assert();
    // System voices cannot be deleted: refused before sending.
    run(
        minimax(&server).args(["voice", "delete", "Calm_Woman", "--type", "system"]),
        5,
    );
}
