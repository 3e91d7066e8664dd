//! `client.video()`'s version 2 API (MiniMax-H3): content items, generate,
//! query, wait, watch, and generate → wait → download from the task's URL.

use std::time::Duration;

use futures::StreamExt;
use httpmock::prelude::*;
use minimax_sdk::{types, video_v2, Error, ErrorCode, RetryPolicy, TaskState};

use crate::common::{api, bearer, client, entries, mock_download_host, no_deadline, paused_client};

const JSON: &str = "application/json";
const TASK: &str = "381264059183274";
const PROMPT: &str = "A paper boat drifts down a rain-filled gutter.";

fn request() -> types::builder::VideoGenerationV2Req {
    types::VideoGenerationV2Req::builder()
        .model("MiniMax-H3")
        .content(vec![
            video_v2::text(PROMPT),
            video_v2::first_frame("https://images.example.com/boat.jpg"),
        ])
        .duration(Some(5))
        .resolution(Some("768P".to_owned()))
}

/// A query answer for `status`, with `extra` fields inside the task.
fn task_body(status: &str, extra: &str) -> String {
    format!(
        r#"{{"task":{{"id":"{TASK}","status":"{status}","model":"MiniMax-H3","resolution":"768P","duration":5{extra}}},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
    )
}

async fn mock_create(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/video_generation")
                .header("authorization", bearer())
                .json_body_includes(r#"{"model":"MiniMax-H3"}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-create")
                .body(format!(
                    r#"{{"task_id":"{TASK}","base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
                ));
        })
        .await
}

/// Query answers: `bodies[n]` for the n-th query (the last repeats).
async fn mock_queries(server: &MockServer, bodies: Vec<String>) {
    let count = bodies.len();
    for (index, body) in bodies.into_iter().enumerate() {
        server
            .mock_async(move |when, then| {
                when.method(GET)
                    .path(format!("/v2/query/video_generation/{TASK}"))
                    .header("authorization", bearer());
                let then = then
                    .status(200)
                    .header("content-type", JSON)
                    .header("Trace-Id", format!("trace-query-{index}"))
                    .body(body);
                if index + 1 < count {
                    then.up_to_n_times(1);
                }
            })
            .await;
    }
}

#[test]
fn content_helpers_put_each_input_in_its_field_with_its_role() {
    let items = vec![
        video_v2::text("a prompt"),
        video_v2::first_frame("https://x/first.png"),
        video_v2::last_frame("https://x/last.png"),
        video_v2::reference_image("https://x/ref.png"),
        video_v2::reference_video("https://x/ref.mp4"),
        video_v2::reference_audio("mm_file://297990555456011"),
    ];
    assert_eq!(
        serde_json::to_value(&items).unwrap(),
        serde_json::json!([
            {"type": "text", "text": "a prompt"},
            {"type": "image_url", "image_url": {"url": "https://x/first.png"}, "role": "first_frame"},
            {"type": "image_url", "image_url": {"url": "https://x/last.png"}, "role": "last_frame"},
            {"type": "image_url", "image_url": {"url": "https://x/ref.png"}, "role": "reference_image"},
            {"type": "video_url", "video_url": {"url": "https://x/ref.mp4"}, "role": "reference_video"},
            {"type": "audio_url", "audio_url": {"url": "mm_file://297990555456011"}, "role": "reference_audio"},
        ])
    );
}

#[tokio::test]
async fn generate_v2_sends_the_content_items_and_returns_the_string_task_id() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/video_generation")
                .header("authorization", bearer())
                .json_body(serde_json::json!({
                    "model": "MiniMax-H3",
                    "content": [
                        {"type": "text", "text": PROMPT},
                        {"type": "image_url", "image_url": {"url": "https://images.example.com/boat.jpg"}, "role": "first_frame"}
                    ],
                    "duration": 5,
                    "resolution": "768P"
                }));
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-create")
                .body(r#"{"task_id":"h3-task-01","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let task_id = client(&server)
        .video()
        .generate_v2(request())
        .await
        .unwrap();
    assert_eq!(task_id.as_str(), "h3-task-01");
    assert_eq!(task_id.trace_id(), Some("trace-create"));
    assert_eq!(create.calls_async().await, 1);
}

#[tokio::test(start_paused = true)]
async fn generate_v2_and_download_polls_until_succeeded_and_downloads_without_the_key() {
    let api_server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let video: Vec<u8> = (0..300_000u32).map(|n| (n % 251) as u8).collect();
    let download = mock_download_host(&cdn, "/video/boat.mp4", "video/mp4", &video).await;
    let create = mock_create(&api_server).await;
    let url = cdn.url("/video/boat.mp4?Expires=1&Signature=x");
    mock_queries(
        &api_server,
        vec![
            task_body("queued", ""),
            task_body("running", r#","content":null,"usage":null,"error":null"#),
            // Zero values for what a running task lacks.
            task_body(
                "running",
                r#","content":{"url":""},"error":{"code":0,"message":""}"#,
            ),
            task_body(
                "succeeded",
                &format!(
                    r#","content":{{"url":"{url}"}},"usage":{{"total_seconds":5,"input_seconds":0,"output_seconds":5}}"#
                ),
            ),
        ],
    )
    .await;

    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("boat.mp4");
    let result = paused_client(&api_server, RetryPolicy::none())
        .video()
        .generate_v2_and_download(request(), &target, &no_deadline())
        .await
        .unwrap();
    assert_eq!(result.task.task_id, TASK);
    assert_eq!(result.task.state(), TaskState::Success);
    assert_eq!(result.task.video_url.as_deref(), Some(url.as_str()));
    assert_eq!(result.task.duration, Some(5.0));
    assert_eq!(
        result
            .task
            .usage
            .as_ref()
            .and_then(|usage| usage.output_seconds),
        Some(5.0)
    );
    assert_eq!(result.task.message, None);
    assert_eq!(result.bytes, 300_000);
    assert_eq!(result.path, target);
    assert_eq!(std::fs::read(&target).unwrap(), video);
    assert_eq!(entries(directory.path()), ["boat.mp4"]);
    assert_eq!(
        (create.calls_async().await, download.calls_async().await),
        (1, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn an_expired_video_url_is_refreshed_once_by_querying_the_task_again() {
    let api_server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let stale = cdn
        .mock_async(|when, then| {
            when.path("/video/old.mp4");
            then.status(403)
                .body("<Error><Code>AccessDenied</Code></Error>");
        })
        .await;
    let fresh = cdn
        .mock_async(|when, then| {
            when.path("/video/new.mp4");
            then.status(200).body("MP4");
        })
        .await;
    mock_create(&api_server).await;
    let old = cdn.url("/video/old.mp4");
    let new = cdn.url("/video/new.mp4");
    mock_queries(
        &api_server,
        vec![
            task_body("succeeded", &format!(r#","content":{{"url":"{old}"}}"#)),
            task_body("succeeded", &format!(r#","content":{{"url":"{new}"}}"#)),
        ],
    )
    .await;
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("boat.mp4");
    let result = paused_client(&api_server, RetryPolicy::none())
        .video()
        .generate_v2_and_download(request(), &target, &no_deadline())
        .await
        .unwrap();
    assert_eq!(result.bytes, 3);
    assert_eq!(std::fs::read(&target).unwrap(), b"MP4");
    assert_eq!(
        (stale.calls_async().await, fresh.calls_async().await),
        (1, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_or_cancelled_task_ends_the_wait_with_task_failed_and_its_error() {
    for (status, extra, message) in [
        (
            "failed",
            r#","error":{"code":1027,"message":"output video sensitive"}"#,
            Some("output video sensitive (1027)"),
        ),
        ("cancelled", "", None),
        (
            "expired",
            r#","error":{"code":"task_expired","message":""}"#,
            Some("error task_expired"),
        ),
    ] {
        let server = MockServer::start_async().await;
        mock_queries(
            &server,
            vec![task_body("running", ""), task_body(status, extra)],
        )
        .await;
        let error = paused_client(&server, RetryPolicy::none())
            .video()
            .wait_v2(TASK, &no_deadline())
            .await
            .unwrap_err();
        match error {
            Error::TaskFailed {
                task_id,
                status: got,
                message: got_message,
            } => {
                assert_eq!(task_id, TASK);
                assert_eq!(got.as_str(), status);
                assert_eq!(got_message.as_deref(), message, "{status}");
            }
            other => panic!("{status}: expected TaskFailed, got {other:?}"),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn watch_v2_yields_each_status_change_once() {
    let server = MockServer::start_async().await;
    let url = "https://cdn.example.com/video/boat.mp4";
    mock_queries(
        &server,
        vec![
            task_body("queued", ""),
            task_body("queued", ""),
            task_body("running", ""),
            task_body("succeeded", &format!(r#","content":{{"url":"{url}"}}"#)),
        ],
    )
    .await;
    let states: Vec<TaskState> = paused_client(&server, RetryPolicy::none())
        .video()
        .watch_v2(TASK, no_deadline())
        .map(|update| update.unwrap().status.state())
        .collect()
        .await;
    assert_eq!(
        states,
        [
            TaskState::Queueing,
            TaskState::Processing,
            TaskState::Success
        ]
    );
}

#[tokio::test]
async fn version_2_error_envelopes_and_base_resp_errors_are_typed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path(format!("/v2/query/video_generation/{TASK}"));
            then.status(401)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-401")
                .body(r#"{"type":"error","error":{"type":"authentication_error","message":"invalid api key","http_code":401},"request_id":"r1"}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v2/query/video_generation/old-task");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-2013")
                .body(r#"{"base_resp":{"status_code":2013,"status_msg":"invalid task_id"}}"#);
        })
        .await;
    let client = client(&server);
    let unauthorized = api(client.video().query_v2(TASK).await.unwrap_err());
    assert_eq!(unauthorized.code, ErrorCode::Auth, "{unauthorized}");
    assert_eq!(unauthorized.http_status, Some(401));
    assert!(
        unauthorized.message.contains("invalid api key"),
        "{unauthorized}"
    );
    assert_eq!(unauthorized.trace_id.as_deref(), Some("trace-401"));

    let unknown = api(client.video().query_v2("old-task").await.unwrap_err());
    assert_eq!(unknown.code, ErrorCode::InvalidInput, "{unknown}");
    assert_eq!(unknown.status_code, Some(2013));
}

#[tokio::test]
async fn generate_v2_is_paid_so_a_server_error_is_not_retried_by_default() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/video_generation");
            then.status(500)
                .header("content-type", JSON)
                .body(r#"{"type":"error","error":{"type":"api_error","message":"internal error","http_code":500}}"#);
        })
        .await;
    let client = minimax_sdk::Client::builder()
        .api_key(crate::common::KEY)
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::default()
                .max_retries(3)
                .initial_backoff(Duration::from_millis(1))
                .jitter(false),
        )
        .build()
        .unwrap();
    let error = api(client.video().generate_v2(request()).await.unwrap_err());
    assert_eq!(error.http_status, Some(500));
    assert_eq!(create.calls_async().await, 1);
}

#[tokio::test]
async fn a_success_body_without_a_task_status_is_a_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path(format!("/v2/query/video_generation/{TASK}"));
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task":null,"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let error = client(&server).video().query_v2(TASK).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { .. }) && error.to_string().contains("task.status"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_running_task_with_zero_values_has_no_url_and_no_error_message() {
    let server = MockServer::start_async().await;
    mock_queries(
        &server,
        vec![task_body(
            "running",
            r#","content":{"url":""},"usage":{"total_seconds":0},"error":{"code":0,"message":""}"#,
        )],
    )
    .await;
    let task = client(&server).video().query_v2(TASK).await.unwrap();
    assert_eq!(task.state(), TaskState::Processing);
    assert!(!task.is_finished());
    assert_eq!(task.video_url, None);
    assert_eq!(task.message, None);
}
