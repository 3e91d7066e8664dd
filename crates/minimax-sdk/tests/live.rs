//! Tests against the real MiniMax API.
//!
//! Every test is `#[ignore]`d, so CI never runs them, and returns early
//! with a message when `MINIMAX_API_KEY` is not set. Run them with a key:
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo test -p minimax-sdk --test live -- --ignored
//! ```
//!
//! `MINIMAX_REGION` (`global`, `china`) or `MINIMAX_BASE_URL` choose the
//! endpoint. They cost at most a few tokens: one file listing, one short
//! chat completion, one voice listing.

// Tests may unwrap: a panic is a test failure with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use minimax_sdk::{ChatRequest, Client, FilePurpose, VoiceType};

/// A client from the environment, or `None` (with a message) without a key.
fn live_client() -> Option<Client> {
    if std::env::var_os("MINIMAX_API_KEY").is_none_or(|key| key.is_empty()) {
        eprintln!("skipped: set MINIMAX_API_KEY to run the live tests against the real API");
        return None;
    }
    match Client::from_env() {
        Ok(client) => Some(client),
        Err(error) => panic!("the live-test configuration is invalid: {error}"),
    }
}

#[tokio::test]
#[ignore = "talks to the real API; needs MINIMAX_API_KEY"]
async fn live_list_files() {
    let Some(client) = live_client() else { return };
    let files = client
        .files()
        .list(FilePurpose::VoiceClone)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    eprintln!(
        "{} voice_clone files (trace id {:?})",
        files.len(),
        files.trace_id()
    );
    for file in files.iter() {
        assert_eq!(file.purpose, FilePurpose::VoiceClone);
    }
}

#[tokio::test]
#[ignore = "talks to the real API; needs MINIMAX_API_KEY"]
async fn live_tiny_chat() {
    let Some(client) = live_client() else { return };
    let request = ChatRequest::new("MiniMax-M2.7")
        .user("Reply with the single word: pong")
        .max_completion_tokens(256);
    let reply = client
        .chat()
        .create(request.clone())
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let text = reply.text().unwrap_or_default().to_ascii_lowercase();
    eprintln!("reply {text:?} (trace id {:?})", reply.trace_id());
    assert!(
        reply.trace_id().is_some(),
        "every response carries a trace id"
    );
    assert!(text.contains("pong"), "{text:?}");

    let streamed = client
        .chat()
        .stream(request)
        .await
        .unwrap_or_else(|error| panic!("{error}"))
        .collect_text()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        streamed.to_ascii_lowercase().contains("pong"),
        "{streamed:?}"
    );
}

#[tokio::test]
#[ignore = "talks to the real API; needs MINIMAX_API_KEY"]
async fn live_get_voice() {
    let Some(client) = live_client() else { return };
    let voices = client
        .voice()
        .list(VoiceType::System)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    eprintln!(
        "{} system voices (trace id {:?})",
        voices.system.len(),
        voices.trace_id()
    );
    assert!(!voices.system.is_empty(), "the platform has system voices");
    assert!(voices.system.iter().all(|voice| voice.voice_id.is_some()));
}
