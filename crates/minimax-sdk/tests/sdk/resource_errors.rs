//! Every resource method turns an HTTP 200 with a non-zero `base_resp` into
//! `Error::Api` with the code, the message and the trace id, and makes no
//! second request for it (1004 is never retried).

use std::future::Future;

use httpmock::prelude::*;
use minimax_sdk::{
    speech, types, ChatRequest, Error, FilePurpose, Id, RetryPolicy, UploadSource, VoiceType,
    WaitOptions,
};

use crate::common::{assert_api_error, error_body, paused_client};

async fn check<T, F>(name: &str, mock: &httpmock::Mock<'_>, call: F)
where
    F: Future<Output = Result<T, Error>>,
{
    let before = mock.calls_async().await;
    let error = match call.await {
        Ok(_) => panic!("{name}: expected an API error"),
        Err(error) => error,
    };
    let api = assert_api_error(error, 1004, "trace-all");
    assert_eq!(api.message, "invalid api key", "{name}");
    let after = mock.calls_async().await;
    assert_eq!(after - before, 1, "{name}: exactly one request");
}

#[tokio::test(start_paused = true)]
async fn every_method_reports_a_base_resp_error_with_its_trace_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|_when, then| {
            then.status(200)
                .header("content-type", "application/json")
                .header("Trace-Id", "trace-all")
                .body(error_body(1004, "invalid api key"));
        })
        .await;
    let client = paused_client(&server, RetryPolicy::default().jitter(false));
    let wait = WaitOptions::default().deadline(None);
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("out.bin");
    let task = Id::new(1);

    // Files.
    check(
        "upload",
        &mock,
        client.files().upload(
            UploadSource::from_bytes("a.txt", "text"),
            FilePurpose::T2aAsyncInput,
        ),
    )
    .await;
    check("list", &mock, client.files().list(FilePurpose::VoiceClone)).await;
    check("retrieve", &mock, client.files().retrieve(task)).await;
    check("content", &mock, client.files().content(task)).await;
    check(
        "delete",
        &mock,
        client.files().delete(task, FilePurpose::VoiceClone),
    )
    .await;
    check(
        "download_to",
        &mock,
        client.files().download_to(task, &path).send(),
    )
    .await;

    // Chat.
    let chat = || ChatRequest::new("MiniMax-M2.7").user("hi");
    check("chat.create", &mock, client.chat().create(chat())).await;
    check("chat.stream", &mock, client.chat().stream(chat())).await;
    let openai = || {
        types::OpenAiChatCompletionRequest::builder()
            .model("MiniMax-M2.7")
            .messages(Vec::new())
    };
    check(
        "openai.create",
        &mock,
        client.chat().openai_compatible().create(openai()),
    )
    .await;
    check(
        "openai.stream",
        &mock,
        client.chat().openai_compatible().stream(openai()),
    )
    .await;
    let anthropic = || {
        types::AnthropicMessagesRequest::builder()
            .model("MiniMax-M2.7")
            .max_tokens(16)
            .messages(Vec::new())
    };
    check(
        "anthropic.create",
        &mock,
        client.chat().anthropic_compatible().create(anthropic()),
    )
    .await;
    check(
        "anthropic.stream",
        &mock,
        client.chat().anthropic_compatible().stream(anthropic()),
    )
    .await;

    // Speech.
    let t2a = || {
        types::T2aV2Req::builder()
            .model("speech-2.8-hd")
            .text("hi")
            .voice_setting(speech::voice("v"))
    };
    let t2a_async = || {
        types::T2aAsyncV2Req::builder()
            .model("speech-2.8-hd")
            .text("hi".to_owned())
            .voice_setting(speech::async_voice("v"))
    };
    check("synthesize", &mock, client.speech().synthesize(t2a())).await;
    check(
        "synthesize_stream",
        &mock,
        client.speech().synthesize_stream(t2a()),
    )
    .await;
    check(
        "create_async",
        &mock,
        client.speech().create_async(t2a_async()),
    )
    .await;
    check("query_async", &mock, client.speech().query_async(task)).await;
    check("wait_async", &mock, client.speech().wait_async(task, &wait)).await;
    check(
        "synthesize_async_to",
        &mock,
        client
            .speech()
            .synthesize_async_to(t2a_async(), &path, &wait),
    )
    .await;

    // Voice.
    check(
        "voice.clone",
        &mock,
        client.voice().clone(
            types::VoiceCloneReq::builder()
                .file_id(task)
                .voice_id("Voice0001"),
        ),
    )
    .await;
    check(
        "voice.design",
        &mock,
        client.voice().design(
            types::T2vReq::builder()
                .prompt("a voice")
                .preview_text("hello"),
        ),
    )
    .await;
    check("voice.list", &mock, client.voice().list(VoiceType::All)).await;
    check(
        "voice.delete",
        &mock,
        client.voice().delete("Voice0001", VoiceType::VoiceCloning),
    )
    .await;

    // Video.
    let video = || {
        types::VideoGenerationReq::builder()
            .model("MiniMax-Hailuo-02")
            .prompt("a fox".to_owned())
    };
    let template = || types::VideoTemplateGenerationReq::builder().template_id("t");
    check("video.generate", &mock, client.video().generate(video())).await;
    check("video.query", &mock, client.video().query(task)).await;
    check("video.wait", &mock, client.video().wait(task, &wait)).await;
    check(
        "video.generate_and_download",
        &mock,
        client.video().generate_and_download(video(), &path, &wait),
    )
    .await;
    check(
        "video.template_generate",
        &mock,
        client.video().template_generate(template()),
    )
    .await;
    check(
        "video.template_query",
        &mock,
        client.video().template_query(task),
    )
    .await;
    check(
        "video.template_wait",
        &mock,
        client.video().template_wait(task, &wait),
    )
    .await;

    // Image and music.
    check(
        "image.generate",
        &mock,
        client.image().generate(
            types::ImageGenerationReq::builder()
                .model("image-01")
                .prompt("a fox"),
        ),
    )
    .await;
    let music = || types::GenerateMusicReq::builder().model("music-2.5");
    check("music.generate", &mock, client.music().generate(music())).await;
    check(
        "music.generate_stream",
        &mock,
        client.music().generate_stream(music()),
    )
    .await;

    // No file was left behind by the flows that download.
    assert!(crate::common::entries(directory.path()).is_empty());
}

#[tokio::test(start_paused = true)]
async fn watch_yields_a_poll_error_and_ends() {
    use futures::StreamExt;

    let server = MockServer::start_async().await;
    server
        .mock_async(|_when, then| {
            then.status(200)
                .header("content-type", "application/json")
                .header("Trace-Id", "trace-all")
                .body(error_body(1004, "invalid api key"));
        })
        .await;
    let items: Vec<_> = paused_client(&server, RetryPolicy::none())
        .video()
        .watch(Id::new(5), WaitOptions::default().deadline(None))
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    let error = items.into_iter().next().unwrap().unwrap_err();
    assert_api_error(error, 1004, "trace-all");
}
