//! `minimax video …`, including the whole generate → wait → download flow.

use httpmock::prelude::*;

use crate::common::*;

const TASK: &str = "106916112212032";
const FILE: &str = "205258526306433";

fn mock_generate<'a>(server: &'a MockServer, model: &str) -> httpmock::Mock<'a> {
    let model = model.to_owned();
    server.mock(move |when, then| {
        when.method(POST)
            .path("/v1/video_generation")
            .json_body_includes(format!(
                r#"{{"model":"{model}","prompt":"A fox in the snow"}}"#
            ));
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"task_id":"{TASK}","base_resp":{}}}"#, ok()));
    })
}

/// Query answers: the n-th query gets `statuses[n]`; the last repeats.
fn mock_queries(server: &MockServer, statuses: &[&str]) {
    for (index, status) in statuses.iter().enumerate() {
        let file = if status.eq_ignore_ascii_case("success") {
            format!(r#","file_id":"{FILE}","video_width":1366,"video_height":768"#)
        } else {
            String::new()
        };
        let body = format!(
            r#"{{"task_id":"{TASK}","status":"{status}"{file},"base_resp":{}}}"#,
            ok()
        );
        let last = index + 1 == statuses.len();
        server.mock(move |when, then| {
            when.method(GET)
                .path("/v1/query/video_generation")
                .query_param("task_id", TASK);
            let then = then.status(200).header("content-type", JSON).body(body);
            if !last {
                then.up_to_n_times(1);
            }
        });
    }
}

fn mock_file(api: &MockServer, cdn: &MockServer, video: &[u8], bytes: usize) {
    let url = cdn.url("/output/fox.mp4?Expires=1&Signature=x");
    api.mock(move |when, then| {
        when.method(GET)
            .path("/v1/files/retrieve")
            .query_param("file_id", FILE);
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"file":{},"base_resp":{}}}"#,
            file_json(
                FILE.parse().unwrap(),
                bytes,
                "output.mp4",
                "video_generation",
                Some(&url)
            ),
            ok()
        ));
    });
    let video = video.to_vec();
    cdn.mock(move |when, then| {
        // The download host never sees the API key.
        when.method(GET)
            .path("/output/fox.mp4")
            .header_missing("authorization");
        then.status(200)
            .header("content-type", "video/mp4")
            .body(video);
    });
}

#[test]
fn generate_without_wait_prints_the_task_id() {
    let server = MockServer::start();
    let create = mock_generate(&server, "MiniMax-Hailuo-2.3");
    let output = run(
        minimax(&server).args(["video", "generate", "A fox in the snow"]),
        0,
    );
    assert_eq!(stdout(&output), format!("{TASK}\n"));
    assert!(stderr(&output).contains("minimax video status"));
    let output = run(
        minimax(&server).args(["video", "generate", "A fox in the snow", "--json"]),
        0,
    );
    assert_eq!(json(&output)["task_id"], TASK.parse::<i64>().unwrap());
    create.assert_calls(2);
}

#[test]
fn generate_wait_download_writes_the_video() {
    let api = MockServer::start();
    let cdn = MockServer::start();
    let video: Vec<u8> = (0..300_000u32).map(|n| (n % 251) as u8).collect();
    let create = mock_generate(&api, "MiniMax-Hailuo-02");
    mock_queries(&api, &["Queueing", "Processing", "processing", "Success"]);
    mock_file(&api, &cdn, &video, video.len());
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("fox.mp4");

    let output = run(
        minimax(&api)
            .args([
                "video",
                "generate",
                "A fox in the snow",
                "--model",
                "MiniMax-Hailuo-02",
                "--wait",
                "-o",
            ])
            .arg(&target),
        0,
    );
    assert_eq!(std::fs::read(&target).unwrap(), video);
    assert_eq!(entries(directory.path()), ["fox.mp4"]);
    let err = stderr(&output);
    // Plain progress lines on a pipe: each status once, then the save.
    assert!(
        err.contains("Queueing") && err.contains("Processing"),
        "{err}"
    );
    assert!(err.contains("1366x768"), "{err}");
    assert!(err.contains("saved"), "{err}");
    create.assert();
}

#[test]
fn generate_wait_download_json_reports_task_and_file() {
    let api = MockServer::start();
    let cdn = MockServer::start();
    let video = b"tiny video".to_vec();
    mock_generate(&api, "MiniMax-Hailuo-2.3");
    mock_queries(&api, &["Processing", "Success"]);
    mock_file(&api, &cdn, &video, video.len());
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("fox.mp4");

    let output = run(
        minimax(&api)
            .args(["--json", "video", "generate", "A fox in the snow", "-o"])
            .arg(&target),
        0,
    );
    let report = json(&output);
    assert_eq!(report["task_id"], TASK.parse::<i64>().unwrap());
    assert_eq!(report["task"]["status"], "Success");
    assert_eq!(report["task"]["file_id"], FILE.parse::<i64>().unwrap());
    assert_eq!(report["download"]["bytes"], video.len());
    assert_eq!(std::fs::read(&target).unwrap(), video);
    // --json: no progress on stderr.
    let err = stderr(&output);
    assert!(!err.contains("Processing"), "{err}");
}

#[test]
fn a_failed_task_exits_6() {
    let server = MockServer::start();
    mock_generate(&server, "MiniMax-Hailuo-2.3");
    mock_queries(&server, &["Processing", "Fail"]);
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("fox.mp4");
    let output = run(
        minimax(&server)
            .args(["video", "generate", "A fox in the snow", "-o"])
            .arg(&target),
        6,
    );
    let err = stderr(&output);
    assert!(err.contains(TASK) && err.contains("Fail"), "{err}");
    assert!(entries(directory.path()).is_empty());
}

#[test]
fn a_short_download_leaves_no_file_and_exits_8() {
    let api = MockServer::start();
    let cdn = MockServer::start();
    mock_generate(&api, "MiniMax-Hailuo-2.3");
    mock_queries(&api, &["Success"]);
    // The file says 5000 bytes; the host sends 1000.
    mock_file(&api, &cdn, &[1u8; 1000], 5000);
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("fox.mp4");
    run(
        minimax(&api)
            .args(["video", "generate", "A fox in the snow", "-o"])
            .arg(&target),
        8,
    );
    assert!(
        entries(directory.path()).is_empty(),
        "{:?}",
        entries(directory.path())
    );
}

#[test]
fn an_existing_output_is_refused_before_paying() {
    let server = MockServer::start();
    let create = mock_generate(&server, "MiniMax-Hailuo-2.3");
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("fox.mp4");
    std::fs::write(&target, "old").unwrap();
    run(
        minimax(&server)
            .args(["video", "generate", "A fox in the snow", "-o"])
            .arg(&target),
        9,
    );
    create.assert_calls(0);
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
}

#[test]
fn status_shows_the_task() {
    let server = MockServer::start();
    mock_queries(&server, &["Success"]);
    let output = run(minimax(&server).args(["video", "status", TASK]), 0);
    let text = stdout(&output);
    assert!(
        text.contains("status:  Success") && text.contains(FILE),
        "{text}"
    );
    let output = run(
        minimax(&server).args(["video", "status", TASK, "--json"]),
        0,
    );
    assert_eq!(json(&output)["video_width"], 1366);
}

#[test]
fn wait_prints_the_file_id() {
    let server = MockServer::start();
    mock_queries(&server, &["Queueing", "Success"]);
    let output = run(minimax(&server).args(["video", "wait", TASK]), 0);
    assert_eq!(stdout(&output), format!("{FILE}\n"));
}

#[test]
fn status_of_a_running_task_shows_no_zero_size() {
    let server = MockServer::start();
    // A running task as the API sends it: zero values for what it lacks.
    server.mock(|when, then| {
        when.method(GET).path("/v1/query/video_generation");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"task_id":"{TASK}","status":"Processing","file_id":"","video_width":0,"video_height":0,"base_resp":{}}}"#,
            ok()
        ));
    });
    let output = run(minimax(&server).args(["video", "status", TASK]), 0);
    let text = stdout(&output);
    assert!(text.contains("status:  Processing"), "{text}");
    assert!(
        !text.contains("size") && !text.contains("file_id"),
        "{text}"
    );
}

const H3_TASK: &str = "h3-381264059183274";

/// Version 2 query answers: the n-th query gets `statuses[n]` (the last
/// repeats); a succeeded task carries `url`.
fn mock_v2_queries(server: &MockServer, statuses: &[&str], url: &str) {
    for (index, status) in statuses.iter().enumerate() {
        let content = if *status == "succeeded" {
            format!(r#","content":{{"url":"{url}"}}"#)
        } else {
            String::new()
        };
        let body = format!(
            r#"{{"task":{{"id":"{H3_TASK}","status":"{status}","resolution":"768P","ratio":"16:9","duration":5{content}}},"base_resp":{}}}"#,
            ok()
        );
        let last = index + 1 == statuses.len();
        server.mock(move |when, then| {
            when.method(GET)
                .path(format!("/v2/query/video_generation/{H3_TASK}"));
            let then = then.status(200).header("content-type", JSON).body(body);
            if !last {
                then.up_to_n_times(1);
            }
        });
    }
}

#[test]
fn an_h3_model_uses_the_version_2_api_with_content_items() {
    let server = MockServer::start();
    let create = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/video_generation")
            .json_body(serde_json::json!({
                "model": "MiniMax-H3",
                "content": [
                    {"type": "text", "text": "A fox in the snow"},
                    {"type": "image_url", "image_url": {"url": "https://x/first.png"}, "role": "first_frame"},
                    {"type": "image_url", "image_url": {"url": "https://x/last.png"}, "role": "last_frame"}
                ],
                "duration": 6,
                "ratio": "16:9"
            }));
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"task_id":"{H3_TASK}","base_resp":{}}}"#, ok()));
    });
    let output = run(
        minimax(&server).args([
            "video",
            "generate",
            "A fox in the snow",
            "--model",
            "MiniMax-H3",
            "--first-frame",
            "https://x/first.png",
            "--last-frame",
            "https://x/last.png",
            "--duration",
            "6",
            "--ratio",
            "16:9",
        ]),
        0,
    );
    assert_eq!(stdout(&output), format!("{H3_TASK}\n"));
    assert!(stderr(&output).contains("minimax video status --v2"));
    create.assert();
}

#[test]
fn an_h3_generate_waits_and_downloads_from_the_task_url_without_the_key() {
    let api = MockServer::start();
    let cdn = MockServer::start();
    api.mock(|when, then| {
        when.method(POST).path("/v2/video_generation");
        then.status(200)
            .header("content-type", JSON)
            .body(format!(r#"{{"task_id":"{H3_TASK}","base_resp":{}}}"#, ok()));
    });
    let url = cdn.url("/h3/fox.mp4?Expires=1&Signature=x");
    mock_v2_queries(&api, &["queued", "running", "succeeded"], &url);
    let video: Vec<u8> = (0..100_000u32).map(|n| (n % 253) as u8).collect();
    let download = cdn.mock(|when, then| {
        when.method(GET)
            .path("/h3/fox.mp4")
            .header_missing("authorization");
        then.status(200)
            .header("content-type", "video/mp4")
            .body(video.clone());
    });
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("fox.mp4");
    let output = run(
        minimax(&api)
            .args([
                "video",
                "generate",
                "A fox in the snow",
                "-m",
                "MiniMax-H3-Max",
                "-o",
            ])
            .arg(&target),
        0,
    );
    assert_eq!(std::fs::read(&target).unwrap(), video);
    let err = stderr(&output);
    assert!(err.contains("queued") && err.contains("running"), "{err}");
    assert!(err.contains("saved"), "{err}");
    download.assert();

    // --json reports the task and the saved file.
    std::fs::remove_file(&target).unwrap();
    let output = run(
        minimax(&api)
            .args(["--json", "video", "wait", "--v2", H3_TASK, "-o"])
            .arg(&target),
        0,
    );
    let report = json(&output);
    assert_eq!(report["task_id"], H3_TASK);
    assert_eq!(report["task"]["status"], "succeeded");
    assert_eq!(report["download"]["bytes"], video.len());
}

#[test]
fn status_and_wait_of_an_h3_task_need_v2_and_show_the_url() {
    let server = MockServer::start();
    let url = "https://cdn.example.com/h3/fox.mp4";
    mock_v2_queries(&server, &["running", "succeeded"], url);
    let output = run(
        minimax(&server).args(["video", "status", "--v2", H3_TASK]),
        0,
    );
    let text = stdout(&output);
    assert!(
        text.contains("status:  running") && text.contains("768P, 16:9, 5 s"),
        "{text}"
    );
    let output = run(minimax(&server).args(["video", "wait", "--v2", H3_TASK]), 0);
    assert_eq!(stdout(&output), format!("{url}\n"));

    // Without --v2 a string task id is refused before any request.
    let output = run(minimax(&server).args(["video", "status", H3_TASK]), 2);
    assert!(stderr(&output).contains("--v2"), "{}", stderr(&output));
}

#[test]
fn options_of_the_other_api_version_are_refused_before_paying() {
    let server = MockServer::start();
    let create = mock_generate(&server, "MiniMax-Hailuo-2.3");
    let output = run(
        minimax(&server).args(["video", "generate", "A fox in the snow", "--ratio", "9:16"]),
        2,
    );
    assert!(
        stderr(&output).contains("MiniMax-H3"),
        "{}",
        stderr(&output)
    );

    // And a version 1 option with an H3 model.
    let output = run(
        minimax(&server).args([
            "video",
            "generate",
            "A fox in the snow",
            "-m",
            "MiniMax-H3",
            "--no-prompt-optimizer",
        ]),
        2,
    );
    assert!(
        stderr(&output).contains("--no-prompt-optimizer"),
        "{}",
        stderr(&output)
    );
    create.assert_calls(0);
}

#[test]
fn a_failed_h3_task_exits_6_with_its_error() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET)
            .path(format!("/v2/query/video_generation/{H3_TASK}"));
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"task":{{"id":"{H3_TASK}","status":"failed","error":{{"code":1026,"message":"input image sensitive"}}}},"base_resp":{}}}"#,
            ok()
        ));
    });
    let output = run(minimax(&server).args(["video", "wait", "--v2", H3_TASK]), 6);
    let err = stderr(&output);
    assert!(err.contains("input image sensitive (1026)"), "{err}");
}
