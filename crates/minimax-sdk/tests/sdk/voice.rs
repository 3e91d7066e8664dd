//! `client.voice()`: clone, design, list, delete.

use httpmock::prelude::*;
use minimax_sdk::{types, Audio, Error, Id, VoiceType};

use crate::common::{assert_api_error, bearer, client, error_body};

const JSON: &str = "application/json";

#[tokio::test]
async fn clone_sends_the_file_and_voice_ids_and_returns_the_voice() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/voice_clone")
                .header("authorization", bearer())
                .json_body_includes(
                    r#"{"file_id":123456789012345680,"voice_id":"MyNarrator01","text":"Hello there."}"#,
                );
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-clone")
                .body(r#"{"input_sensitive":false,"input_sensitive_type":0,"demo_audio":"https://cdn.example/demo.mp3?Signature=x","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let request = types::VoiceCloneReq::builder()
        .file_id(Id::new(123_456_789_012_345_680))
        .voice_id("MyNarrator01")
        .text("Hello there.".to_owned());
    let voice = client(&server).voice().clone(request).await.unwrap();
    assert_eq!(voice.voice_id, "MyNarrator01");
    assert_eq!(
        voice.demo_audio.as_ref().and_then(Audio::url),
        Some("https://cdn.example/demo.mp3?Signature=x")
    );
    assert_eq!(
        voice.input_sensitive,
        Some(types::VoiceCloneRespInputSensitive::Boolean(false))
    );
    assert_eq!(voice.trace_id(), Some("trace-clone"));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn clone_errors_are_typed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/voice_clone");
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-dup")
                .body(error_body(2013, "voice_id duplicate"));
        })
        .await;
    let request = types::VoiceCloneReq::builder()
        .file_id(Id::new(1))
        .voice_id("MyNarrator01");
    let error = client(&server).voice().clone(request).await.unwrap_err();
    let api = assert_api_error(error, 2013, "trace-dup");
    assert_eq!(api.message, "voice_id duplicate");
    assert_eq!(mock.calls_async().await, 1);

    // A builder missing the voice id never reaches the server.
    let error = client(&server)
        .voice()
        .clone(types::VoiceCloneReq::builder().file_id(Id::new(1)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn design_decodes_the_trial_audio_and_requires_a_voice_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/voice_design")
                .json_body_includes(r#"{"prompt":"A warm, elderly storyteller","preview_text":"Once upon a time."}"#);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"voice_id":"ttv-voice-2025060717322425-xxxxxxxx","trial_audio":"494433","trace_id":"trace-design","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/voice_design")
                .json_body_includes(r#"{"prompt":"no id"}"#);
            then.status(200).header("content-type", JSON).body(
                r#"{"trial_audio":"494433","base_resp":{"status_code":0,"status_msg":"success"}}"#,
            );
        })
        .await;
    let client = client(&server);
    let designed = client
        .voice()
        .design(
            types::T2vReq::builder()
                .prompt("A warm, elderly storyteller")
                .preview_text("Once upon a time."),
        )
        .await
        .unwrap();
    assert_eq!(designed.voice_id, "ttv-voice-2025060717322425-xxxxxxxx");
    assert_eq!(
        designed.trial_audio,
        Some(Audio::Bytes(bytes::Bytes::from_static(b"ID3")))
    );
    assert_eq!(designed.trace_id(), Some("trace-design"));

    let error = client
        .voice()
        .design(types::T2vReq::builder().prompt("no id").preview_text("x"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn list_returns_the_three_kinds_and_tolerates_nulls() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/get_voice")
                .json_body(serde_json::json!({"voice_type": "all"}));
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-voices")
                .body(r#"{
                    "system_voice":[{"voice_id":"English_expressive_narrator","voice_name":"Expressive Narrator","description":["A clear narrator"],"created_time":"1970-01-01"}],
                    "voice_cloning":[{"voice_id":"MyNarrator01","description":[],"created_time":"2025-06-07"}],
                    "voice_generation":null,
                    "base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/get_voice")
                .json_body(serde_json::json!({"voice_type": "voice_generation"}));
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-1004")
                .body(error_body(1004, "invalid api key"));
        })
        .await;
    let client = client(&server);
    let voices = client.voice().list(VoiceType::All).await.unwrap();
    assert_eq!(voices.len(), 2);
    assert_eq!(
        voices.system[0].voice_name.as_deref(),
        Some("Expressive Narrator")
    );
    assert_eq!(voices.cloned[0].voice_id.as_deref(), Some("MyNarrator01"));
    assert!(voices.designed.is_empty());
    assert_eq!(
        voices
            .iter()
            .filter_map(|voice| voice.voice_id.as_deref())
            .collect::<Vec<_>>(),
        ["English_expressive_narrator", "MyNarrator01"]
    );
    assert_eq!(voices.trace_id(), Some("trace-voices"));

    let error = client
        .voice()
        .list(VoiceType::VoiceGeneration)
        .await
        .unwrap_err();
    assert_api_error(error, 1004, "trace-1004");
}

#[tokio::test]
async fn delete_sends_the_kind_and_refuses_system_voices_locally() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/delete_voice")
                .json_body(serde_json::json!({"voice_id": "MyNarrator01", "voice_type": "voice_cloning"}));
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-delete")
                .body(r#"{"voice_id":"MyNarrator01","created_time":"2025-06-07","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/delete_voice").json_body(
                serde_json::json!({"voice_id": "missing", "voice_type": "voice_generation"}),
            );
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-missing")
                .body(error_body(2013, "voice not found"));
        })
        .await;
    let client = client(&server);
    let deleted = client
        .voice()
        .delete("MyNarrator01", VoiceType::VoiceCloning)
        .await
        .unwrap();
    assert_eq!(deleted.trace_id(), Some("trace-delete"));
    assert_eq!(mock.calls_async().await, 1);

    let error = client
        .voice()
        .delete("missing", VoiceType::VoiceGeneration)
        .await
        .unwrap_err();
    assert_api_error(error, 2013, "trace-missing");

    for kind in [VoiceType::System, VoiceType::All] {
        let error = client
            .voice()
            .delete("English_expressive_narrator", kind)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    }
}
