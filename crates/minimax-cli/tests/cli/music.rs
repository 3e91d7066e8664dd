//! `minimax music generate`

use httpmock::prelude::*;

use crate::common::*;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn a_song_from_a_lyrics_file_is_saved() {
    let server = MockServer::start();
    let song: Vec<u8> = (0..1000u32).map(|n| (n % 253) as u8).collect();
    let body = format!(
        r#"{{"data":{{"audio":"{}","status":2}},"extra_info":{{"music_duration":25364,"music_size":1000}},"trace_id":"trace-music","base_resp":{}}}"#,
        hex(&song),
        ok()
    );
    let mock = server.mock(move |when, then| {
        when.method(POST)
            .path("/v1/music_generation")
            .json_body_includes(r#"{"model":"music-2.6","prompt":"Upbeat synth-pop","lyrics":"[Verse]\nCity lights\n","audio_setting":{"format":"mp3"}}"#);
        then.status(200).header("content-type", JSON).body(body);
    });
    let directory = tempfile::tempdir().unwrap();
    let lyrics = directory.path().join("lyrics.txt");
    std::fs::write(&lyrics, "[Verse]\nCity lights\n").unwrap();
    let target = directory.path().join("song.mp3");

    let output = run(
        minimax(&server)
            .args([
                "music",
                "generate",
                "--prompt",
                "Upbeat synth-pop",
                "--lyrics-file",
            ])
            .arg(&lyrics)
            .arg("-o")
            .arg(&target),
        0,
    );
    assert_eq!(std::fs::read(&target).unwrap(), song);
    assert!(stderr(&output).contains("25.4 s"), "{}", stderr(&output));

    let output = run(
        minimax(&server)
            .args([
                "--json",
                "music",
                "generate",
                "--force",
                "--prompt",
                "Upbeat synth-pop",
                "--lyrics-file",
            ])
            .arg(&lyrics)
            .arg("-o")
            .arg(&target),
        0,
    );
    let report = json(&output);
    assert_eq!(report["bytes"], 1000);
    assert_eq!(report["extra_info"]["music_duration"], 25364);
    assert_eq!(report["trace_id"], "trace-music");
    mock.assert_calls(2);
}

#[test]
fn an_instrumental_needs_no_lyrics() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/v1/music_generation")
            .json_body_includes(r#"{"is_instrumental":true,"audio_setting":{"format":"wav"}}"#);
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"data":{{"audio":"abcd","status":2}},"base_resp":{}}}"#,
            ok()
        ));
    });
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("calm.wav");
    run(
        minimax(&server)
            .args([
                "music",
                "generate",
                "--prompt",
                "Calm piano",
                "--instrumental",
                "-o",
            ])
            .arg(&target),
        0,
    );
    assert_eq!(std::fs::read(&target).unwrap(), [0xab, 0xcd]);
    mock.assert();
}

#[test]
fn words_and_output_are_required() {
    let server = MockServer::start();
    run(
        minimax(&server).args(["music", "generate", "--prompt", "x", "-o", "a.mp3"]),
        2,
    );
    run(
        minimax(&server).args(["music", "generate", "--prompt", "x", "--instrumental"]),
        2,
    );
    run(
        minimax(&server).args([
            "music",
            "generate",
            "--prompt",
            "x",
            "--lyrics-file",
            "/definitely/not/here.txt",
            "-o",
            "/tmp/never.mp3",
        ]),
        9,
    );
}
