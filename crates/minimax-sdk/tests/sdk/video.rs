//! `client.video()`: generate, query, wait, watch, template tasks and the
//! one-call generate → wait → download flow.
//!
//! Waits run on a paused clock without a deadline (a deadline is a timer
//! that a paused clock would jump to while real I/O is in flight); the
//! deadline itself is tested on the real clock with short intervals.

use std::time::Duration;

use futures::StreamExt;
use httpmock::prelude::*;
use minimax_sdk::{types, Error, Id, RetryPolicy, TaskState, TaskStatus, WaitOptions};
use tokio::time::Instant;

use crate::common::{
    assert_api_error, bearer, client, entries, error_body, mock_download_host, no_deadline,
    paused_client,
};

const JSON: &str = "application/json";
const TASK: &str = "106916112212032";
const FILE: &str = "205258526306433";

fn request() -> types::builder::VideoGenerationReq {
    types::VideoGenerationReq::builder()
        .model("MiniMax-Hailuo-02")
        .prompt("A red fox running through fresh snow".to_owned())
}

/// A query answer as the API sends it: a task without its video yet still
/// carries every field, as zero values (`"file_id": ""`).
fn query_body(status: &str, file_id: Option<&str>) -> String {
    let file = match file_id {
        Some(id) => format!(r#","file_id":"{id}","video_width":1366,"video_height":768"#),
        None => r#","file_id":"","video_width":0,"video_height":0"#.to_owned(),
    };
    format!(
        r#"{{"task_id":"{TASK}","status":"{status}"{file},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
    )
}

async fn mock_generate(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/video_generation")
                .header("authorization", bearer())
                .json_body_includes(r#"{"model":"MiniMax-Hailuo-02"}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-create")
                .body(format!(
                    r#"{{"task_id":"{TASK}","base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
                ));
        })
        .await
}

/// Query answers: `statuses[n]` for the n-th query (the last repeats).
async fn mock_queries(server: &MockServer, statuses: &[(&str, Option<&str>)]) {
    for (index, (status, file_id)) in statuses.iter().enumerate() {
        let body = query_body(status, *file_id);
        let last = index + 1 == statuses.len();
        server
            .mock_async(move |when, then| {
                when.method(GET)
                    .path("/v1/query/video_generation")
                    .query_param("task_id", TASK);
                let then = then
                    .status(200)
                    .header("content-type", JSON)
                    .header("Trace-Id", format!("trace-query-{index}"))
                    .body(body);
                if !last {
                    then.up_to_n_times(1);
                }
            })
            .await;
    }
}

#[tokio::test(start_paused = true)]
async fn generate_wait_and_download_writes_the_video() {
    let api = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let video: Vec<u8> = (0..750_000u32).map(|n| (n % 239) as u8).collect();
    let cdn_mock = mock_download_host(&cdn, "/output/fox.mp4", "video/mp4", &video).await;
    let create = mock_generate(&api).await;
    mock_queries(
        &api,
        &[
            ("Queueing", None),
            ("Processing", None),
            ("processing", None),
            ("Success", Some(FILE)),
        ],
    )
    .await;
    let url = cdn.url("/output/fox.mp4?Expires=1&Signature=x");
    let retrieve = api
        .mock_async(move |when, then| {
            when.method(GET)
                .path("/v1/files/retrieve")
                .query_param("file_id", FILE);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-retrieve")
                .body(format!(
                    r#"{{"file":{{"file_id":{FILE},"bytes":750000,"created_at":1,"filename":"output.mp4","purpose":"video_generation","download_url":"{url}"}},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
                ));
        })
        .await;

    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("fox.mp4");
    let started = Instant::now();
    let video_result = paused_client(&api, RetryPolicy::none())
        .video()
        .generate_and_download(request(), &target, &no_deadline())
        .await
        .unwrap();
    // Four polls, three pauses: 5 s, 7.5 s, 11.25 s.
    assert_eq!(started.elapsed(), Duration::from_millis(23_750));
    assert_eq!(video_result.task.task_id, TASK.parse::<Id>().unwrap());
    assert_eq!(video_result.task.state(), TaskState::Success);
    assert_eq!(video_result.task.file_id, Some(FILE.parse().unwrap()));
    assert_eq!(video_result.task.video_width, Some(1366));
    assert_eq!(video_result.download.bytes, 750_000);
    assert_eq!(video_result.download.path, target);
    assert_eq!(
        video_result.download.trace_id.as_deref(),
        Some("trace-retrieve")
    );
    assert_eq!(std::fs::read(&target).unwrap(), video);
    assert_eq!(entries(directory.path()), ["fox.mp4"]);
    assert_eq!(
        (
            create.calls_async().await,
            retrieve.calls_async().await,
            cdn_mock.calls_async().await
        ),
        (1, 1, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_download_leaves_no_partial_file() {
    let api = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    // The host sends fewer bytes than the file has.
    cdn.mock_async(|when, then| {
        when.path("/output/fox.mp4");
        then.status(200).body(vec![0u8; 1000]);
    })
    .await;
    mock_generate(&api).await;
    mock_queries(&api, &[("Success", Some(FILE))]).await;
    let url = cdn.url("/output/fox.mp4");
    api.mock_async(move |when, then| {
        when.path("/v1/files/retrieve");
        then.status(200)
            .header("content-type", JSON)
            .body(format!(
                r#"{{"file":{{"file_id":"{FILE}","bytes":5000,"created_at":1,"filename":"output.mp4","purpose":"video_generation","download_url":"{url}"}},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
            ));
    })
    .await;
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("fox.mp4");
    let error = paused_client(&api, RetryPolicy::none())
        .video()
        .generate_and_download(request(), &target, &no_deadline())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::SizeMismatch { .. }), "{error:?}");
    assert!(entries(directory.path()).is_empty());

    // The host refusing the download (500) leaves nothing behind either.
    let cdn = MockServer::start_async().await;
    cdn.mock_async(|when, then| {
        when.path("/output/fox.mp4");
        then.status(500).body("boom");
    })
    .await;
    let api = MockServer::start_async().await;
    mock_generate(&api).await;
    mock_queries(&api, &[("Success", Some(FILE))]).await;
    let url = cdn.url("/output/fox.mp4");
    api.mock_async(move |when, then| {
        when.path("/v1/files/retrieve");
        then.status(200)
            .header("content-type", JSON)
            .body(format!(
                r#"{{"file":{{"file_id":"{FILE}","bytes":5000,"created_at":1,"filename":"output.mp4","purpose":"video_generation","download_url":"{url}"}},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
            ));
    })
    .await;
    let error = paused_client(&api, RetryPolicy::none())
        .video()
        .generate_and_download(request(), &target, &no_deadline())
        .await
        .unwrap_err();
    assert_eq!(error.api_error().and_then(|api| api.http_status), Some(500));
    assert!(entries(directory.path()).is_empty());
}

#[tokio::test]
async fn generate_and_query_decode_ids_statuses_and_errors() {
    let server = MockServer::start_async().await;
    let create = mock_generate(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/query/video_generation")
                .query_param("task_id", "1");
            // Numeric ids, a lowercase status.
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-q1")
                .body(r#"{"task_id":1,"status":"success","file_id":205258526306433,"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/query/video_generation")
                .query_param("task_id", "2");
            // A status this crate does not know.
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":"2","status":"Rendering","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/query/video_generation")
                .query_param("task_id", "3");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-q3")
                .body(error_body(2013, "invalid task_id"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/query/video_generation")
                .query_param("task_id", "4");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":"4","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = client(&server);

    let task_id = client.video().generate(request()).await.unwrap();
    assert_eq!(*task_id, TASK.parse::<Id>().unwrap());
    assert_eq!(task_id.trace_id(), Some("trace-create"));
    assert_eq!(create.calls_async().await, 1);

    let done = client.video().query(1).await.unwrap();
    assert_eq!(done.state(), TaskState::Success);
    assert_eq!(done.status.as_str(), "success");
    assert_eq!(done.file_id, Some(Id::new(205_258_526_306_433)));
    assert_eq!(done.trace_id(), Some("trace-q1"));

    let unknown = client.video().query(2).await.unwrap();
    assert_eq!(unknown.state(), TaskState::Unknown);
    assert_eq!(unknown.status.as_str(), "Rendering");
    assert!(!unknown.is_finished());

    let error = client.video().query(3).await.unwrap_err();
    assert_api_error(error, 2013, "trace-q3");

    assert!(matches!(
        client.video().query(4).await.unwrap_err(),
        Error::Decode { .. }
    ));
}

#[tokio::test]
async fn generate_errors_are_typed_and_an_incomplete_request_is_refused_locally() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/video_generation");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-1008")
                .body(error_body(1008, "insufficient balance"));
        })
        .await;
    let client = client(&server);
    let error = client.video().generate(request()).await.unwrap_err();
    assert_api_error(error, 1008, "trace-1008");
    assert_eq!(
        mock.calls_async().await,
        1,
        "a balance error is not retried"
    );

    // A builder without the required model never reaches the server.
    let incomplete = types::VideoGenerationReq::builder().prompt("x".to_owned());
    let error = client.video().generate(incomplete).await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert_eq!(mock.calls_async().await, 1);

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/video_generation");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let error = crate::common::client(&server)
        .video()
        .generate(request())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn a_failed_task_ends_the_wait_with_task_failed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/query/video_generation");
            then.status(200)
                .header("content-type", JSON)
                .body(format!(
                    r#"{{"task_id":"{TASK}","status":"Fail","base_resp":{{"status_code":0,"status_msg":"video generation failed: content moderation"}}}}"#
                ));
        })
        .await;
    let error = paused_client(&server, RetryPolicy::none())
        .video()
        .wait(TASK.parse::<Id>().unwrap(), &no_deadline())
        .await
        .unwrap_err();
    match error {
        Error::TaskFailed {
            task_id,
            status,
            message,
        } => {
            assert_eq!(task_id, TASK);
            assert_eq!(status.state(), TaskState::Failed);
            assert_eq!(
                message.as_deref(),
                Some("video generation failed: content moderation")
            );
        }
        other => panic!("expected TaskFailed, got {other:?}"),
    }
}

#[tokio::test]
async fn the_deadline_ends_the_wait_with_wait_timeout() {
    let server = MockServer::start_async().await;
    let polls = server
        .mock_async(|when, then| {
            when.path("/v1/query/video_generation");
            then.status(200)
                .header("content-type", JSON)
                .body(query_body("Processing", None));
        })
        .await;
    let options = WaitOptions::default()
        .interval(Duration::from_millis(20))
        .backoff(1.0)
        .deadline(Some(Duration::from_millis(300)));
    let error = client(&server)
        .video()
        .wait(TASK.parse::<Id>().unwrap(), &options)
        .await
        .unwrap_err();
    match error {
        Error::WaitTimeout {
            task_id,
            last_status,
            waited,
        } => {
            assert_eq!(task_id, TASK);
            assert_eq!(last_status, Some(TaskStatus::new("Processing")));
            assert!(waited >= Duration::from_millis(300), "{waited:?}");
        }
        other => panic!("expected WaitTimeout, got {other:?}"),
    }
    assert!(polls.calls_async().await >= 2);
}

#[tokio::test(start_paused = true)]
async fn watch_yields_each_status_change_once() {
    let server = MockServer::start_async().await;
    mock_queries(
        &server,
        &[
            ("Preparing", None),
            ("Queueing", None),
            ("Queueing", None),
            ("Processing", None),
            ("Processing", None),
            ("Success", Some(FILE)),
        ],
    )
    .await;
    let updates: Vec<_> = paused_client(&server, RetryPolicy::none())
        .video()
        .watch(TASK.parse::<Id>().unwrap(), no_deadline())
        .collect()
        .await;
    let states: Vec<TaskState> = updates
        .iter()
        .map(|update| update.as_ref().unwrap().status.state())
        .collect();
    assert_eq!(
        states,
        [
            TaskState::Preparing,
            TaskState::Queueing,
            TaskState::Processing,
            TaskState::Success
        ]
    );
    let last = updates.last().unwrap().as_ref().unwrap();
    assert_eq!(last.value.file_id, Some(FILE.parse().unwrap()));
    assert_eq!(last.value.trace_id(), Some("trace-query-5"));
}

#[tokio::test(start_paused = true)]
async fn template_tasks_are_created_polled_and_waited_for() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/video_template_generation")
                .json_body_includes(r#"{"template_id":"393769180141805569"}"#);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":"400000000000001","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/query/video_template_generation")
                .query_param("task_id", "400000000000001");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"task_id":"400000000000001","status":"Processing","base_resp":{"status_code":0,"status_msg":"success"}}"#)
                .up_to_n_times(1);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/query/video_template_generation")
                .query_param("task_id", "400000000000001");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-template")
                .body(r#"{"task_id":400000000000001,"status":"Success","video_url":"https://cdn.example/agent.mp4","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = paused_client(&server, RetryPolicy::none());
    let request = types::VideoTemplateGenerationReq::builder()
        .template_id("393769180141805569")
        .text_inputs(vec![types::VideoTemplateTextInput {
            value: "a cat".into(),
        }]);
    let task_id = client.video().template_generate(request).await.unwrap();
    assert_eq!(task_id.get(), 400_000_000_000_001);
    assert_eq!(create.calls_async().await, 1);

    let running = client.video().template_query(*task_id).await.unwrap();
    assert_eq!(running.state(), TaskState::Processing);
    assert_eq!(running.video_url, None);

    let done = client
        .video()
        .template_wait(*task_id, &no_deadline())
        .await
        .unwrap();
    assert_eq!(done.state(), TaskState::Success);
    assert_eq!(
        done.video_url.as_deref(),
        Some("https://cdn.example/agent.mp4")
    );
    assert_eq!(done.trace_id(), Some("trace-template"));
}

#[tokio::test]
async fn a_running_task_reads_its_zero_values_as_unknown() {
    let server = MockServer::start_async().await;
    mock_queries(&server, &[("Processing", None)]).await;
    let task = client(&server)
        .video()
        .query(TASK.parse::<Id>().unwrap())
        .await
        .unwrap();
    assert_eq!(task.state(), TaskState::Processing);
    assert_eq!(
        (task.file_id, task.video_width, task.video_height),
        (None, None, None)
    );
}
