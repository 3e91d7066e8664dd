//! The SDK's futures are `Send`, so an application can hand them to
//! `tokio::spawn` on a multi-thread runtime: a compile-time check over the
//! main calls, and one spawned call run for real.

use httpmock::prelude::*;
use minimax_sdk::chat::ChatRequest;
use minimax_sdk::Client;

use crate::common::{client, mock_file_retrieve, KEY};

fn assert_send<T: Send>(_: &T) {}

#[test]
fn the_futures_of_the_main_calls_are_send() {
    let client = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let files = client.files();
    assert_send(&files.retrieve(1_i64));
    assert_send(&files.list("voice_clone"));
    assert_send(&files.content(1_i64));
    assert_send(&files.delete(1_i64, "voice_clone"));
    let chat = client.chat();
    assert_send(&chat.create(ChatRequest::new("MiniMax-M2.7").user("hi")));
    assert_send(&chat.stream(ChatRequest::new("MiniMax-M2.7").user("hi")));
    let video = client.video();
    assert_send(&video.query(1_i64));
    let options = minimax_sdk::WaitOptions::default();
    assert_send(&video.wait(1_i64, &options));
    assert_send(&video.watch(1_i64, minimax_sdk::WaitOptions::default()));
    assert_send(&client.call(
        "retrieve_file",
        client.raw().retrieve_file().file_id(1_i64).send(),
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_runs_on_a_spawned_task() {
    let server = MockServer::start_async().await;
    mock_file_retrieve(&server).await;
    let client = client(&server);
    let file = tokio::spawn(async move { client.files().retrieve(42_i64).await })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(i64::from(file.file_id), 42);
    assert_eq!(file.trace_id(), Some("t-file"));
}
