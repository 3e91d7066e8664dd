//! Speech synthesis ([`Client::speech`]): text to speech in one request,
//! as a stream of audio chunks, or as an asynchronous task for long texts.
//!
//! ```no_run
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! use minimax_sdk::{speech, types, Client};
//!
//! let client = Client::from_env()?;
//! let request = types::T2aV2Req::builder()
//!     .model("speech-2.8-hd")
//!     .text("Hello from Rust.")
//!     .voice_setting(speech::voice("English_expressive_narrator"));
//! let speech = client.speech().synthesize(request).await?;
//! speech.audio.save(&client, "hello.mp3").await?;
//! println!("trace id {:?}", speech.trace_id());
//! # Ok(()) }
//! ```

use std::fmt::Display;
use std::path::Path;

use futures::stream::BoxStream;
use minimax_api::types;
use minimax_api::{Id, TaskState, TaskStatus};

use crate::audio::{audio_stream, Audio, AudioStream};
use crate::client::Client;
use crate::error::Error;
use crate::files::{DownloadReport, FileDownload};
use crate::poll::{self, TaskUpdate, WaitOptions};
use crate::response::{missing, status_message, Response};

impl Client {
    /// Speech synthesis: synchronous, streamed and asynchronous.
    pub fn speech(&self) -> Speech<'_> {
        Speech { client: self }
    }
}

/// Speech synthesis, from [`Client::speech`].
#[derive(Debug, Clone, Copy)]
pub struct Speech<'a> {
    client: &'a Client,
}

/// The result of [`Speech::synthesize`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SynthesizedSpeech {
    /// The audio: bytes decoded from the API's hex, or a URL with
    /// `output_format: "url"` (valid 24 hours).
    pub audio: Audio,
    /// Format, duration, size and billed characters.
    pub extra_info: Option<types::T2aExtraInfo>,
    /// The URL of the subtitle file, with `subtitle_enable`.
    pub subtitle_file: Option<String>,
}

/// An asynchronous speech task as [`Speech::create_async`] returns it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct AsyncSpeechTask {
    /// The task, for [`Speech::query_async`] and [`Speech::wait_async`].
    pub task_id: Id,
    /// The file the audio will be stored in, once the task succeeds.
    pub file_id: Option<Id>,
    /// The task token.
    pub task_token: Option<String>,
    /// Characters billed.
    pub usage_characters: Option<i64>,
}

/// An asynchronous speech task as [`Speech::query_async`] reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct AsyncSpeechStatus {
    /// The task.
    pub task_id: Id,
    /// The status exactly as sent (`Processing`, `Success`, `Failed`,
    /// `Expired`); compare on [`TaskStatus::state`].
    pub status: TaskStatus,
    /// The output file, once the task succeeded; its download URL is valid
    /// for 9 hours.
    pub file_id: Option<Id>,
    /// The API's message about the task, when it says more than "success".
    pub message: Option<String>,
}

impl AsyncSpeechStatus {
    /// What the status means.
    pub fn state(&self) -> TaskState {
        self.status.state()
    }
}

/// What [`Speech::synthesize_async_to`] produced.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AsyncSpeechDownload {
    /// The task as created.
    pub task: AsyncSpeechTask,
    /// The finished task.
    pub status: AsyncSpeechStatus,
    /// The downloaded output file.
    pub download: DownloadReport,
}

/// Voice settings with only the voice chosen (speed, volume, pitch and
/// emotion left to their defaults), for [`types::T2aV2Req`]'s
/// `voice_setting`. Set more fields on the returned value as needed.
pub fn voice(voice_id: impl Into<String>) -> types::T2aVoiceSetting {
    types::T2aVoiceSetting {
        voice_id: voice_id.into(),
        add_silence: None,
        emotion: None,
        english_normalization: None,
        latex_read: None,
        pitch: None,
        speed: None,
        text_normalization: None,
        vol: None,
    }
}

/// Voice settings with only the voice chosen, for
/// [`types::T2aAsyncV2Req`]'s `voice_setting`.
pub fn async_voice(voice_id: impl Into<String>) -> types::T2aAsyncV2VoiceSetting {
    types::T2aAsyncV2VoiceSetting {
        voice_id: voice_id.into(),
        add_silence: None,
        emotion: None,
        english_normalization: None,
        pitch: None,
        speed: None,
        text_normalization: None,
        vol: None,
    }
}

impl<'a> Speech<'a> {
    /// Synthesizes speech: `POST /v1/t2a_v2` (without streaming).
    ///
    /// `request` is a [`types::T2aV2Req`] or its builder (model, text of up
    /// to 10,000 characters, voice and audio settings); a `stream` flag in it
    /// is ignored, use [`Speech::synthesize_stream`] to stream. A paid
    /// request: not retried after a timeout or server error unless
    /// [`crate::RequestOptions::retry_paid_requests`] allows it.
    ///
    /// Returns the audio (hex-decoded, or the URL with
    /// `output_format: "url"`) and its `extra_info`. Errors:
    /// [`Error::InvalidArgument`], [`Error::Api`] (1026 sensitive text,
    /// 2013 invalid parameters, 1008 balance, …), [`Error::Decode`] when
    /// the audio is missing or not hex.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/speech-t2a-http>
    pub async fn synthesize<R>(&self, request: R) -> Result<Response<SynthesizedSpeech>, Error>
    where
        R: TryInto<types::T2aV2Req>,
        R::Error: Display,
    {
        const OPERATION: &str = "t2a_v2";
        let mut request = crate::error::into_request(OPERATION, request)?;
        request.stream = None;
        request.stream_options = None;
        let response = self
            .client
            .call_traced(OPERATION, self.client.raw().t2a_v2().body(request).send())
            .await?;
        let audio = response
            .data
            .as_ref()
            .and_then(|data| data.audio.as_deref());
        let Some(audio) = Audio::from_optional_wire(OPERATION, audio)? else {
            return Err(missing(OPERATION, "`data.audio`", &response));
        };
        Ok(response.map(|body| SynthesizedSpeech {
            audio,
            extra_info: body.extra_info,
            subtitle_file: body
                .data
                .and_then(|data| data.subtitle_file)
                .filter(|url| !url.trim().is_empty()),
        }))
    }

    /// Synthesizes speech as a stream: `POST /v1/t2a_v2` with
    /// `stream: true` (set here), answered with server-sent events.
    ///
    /// Returns once the response has started; each [`crate::AudioChunk`]
    /// carries new audio bytes (hex-decoded). The final event repeats the
    /// whole audio with `extra_info`; its chunk carries only audio not yet
    /// streamed (normally none), so concatenating the chunks gives the
    /// audio exactly once ([`AudioStream::collect_audio`],
    /// [`AudioStream::save`]). Errors: as [`Speech::synthesize`], before
    /// the stream starts or as an error item mid-stream.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/speech-t2a-http>
    pub async fn synthesize_stream<R>(
        &self,
        request: R,
    ) -> Result<AudioStream<types::T2aExtraInfo>, Error>
    where
        R: TryInto<types::T2aV2Req>,
        R::Error: Display,
    {
        const OPERATION: &str = "t2a_v2_stream";
        let mut request = crate::error::into_request(OPERATION, request)?;
        request.stream = Some(true);
        let (events, trace_id) = crate::sse::send_json_stream::<types::T2aV2Resp, _>(
            self.client,
            OPERATION,
            "/v1/t2a_v2",
            &request,
        )
        .await?;
        Ok(audio_stream(OPERATION, events, trace_id))
    }

    /// Starts an asynchronous synthesis of a long text (up to a million
    /// characters, or a `text_file_id` uploaded with purpose
    /// `t2a_async_input`): `POST /v1/t2a_async_v2`. A paid request.
    ///
    /// Returns the task (its `task_id` and the `file_id` the audio will be
    /// stored in). Errors: [`Error::InvalidArgument`], [`Error::Api`],
    /// [`Error::Decode`] when a success body has no `task_id`.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/speech-t2a-async-create>
    pub async fn create_async<R>(&self, request: R) -> Result<Response<AsyncSpeechTask>, Error>
    where
        R: TryInto<types::T2aAsyncV2Req>,
        R::Error: Display,
    {
        const OPERATION: &str = "t2a_async_v2";
        let response = self
            .client
            .call_traced(
                OPERATION,
                self.client.raw().t2a_async_v2().body(request).send(),
            )
            .await?;
        let Some(task_id) = response.task_id else {
            return Err(missing(OPERATION, "`task_id`", &response));
        };
        Ok(response.map(|body| AsyncSpeechTask {
            task_id,
            file_id: body.file_id,
            task_token: body.task_token,
            usage_characters: body.usage_characters,
        }))
    }

    /// Reports an asynchronous task's progress:
    /// `GET /v1/query/t2a_async_query_v2?task_id=` (at most 10 queries per
    /// second per account).
    ///
    /// Returns the [`AsyncSpeechStatus`]. Errors: [`Error::Api`],
    /// [`Error::Decode`] when a success body has no `status`.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/speech-t2a-async-query>
    pub async fn query_async(
        &self,
        task_id: impl Into<Id>,
    ) -> Result<Response<AsyncSpeechStatus>, Error> {
        query_async(self.client, task_id.into()).await
    }

    /// Polls [`Speech::query_async`] until the task finishes (see
    /// [`WaitOptions`]).
    ///
    /// Returns the finished status when the task succeeded. Errors:
    /// [`Error::TaskFailed`] when it failed or expired,
    /// [`Error::WaitTimeout`] at the deadline, or the first non-transient
    /// poll error.
    pub async fn wait_async(
        &self,
        task_id: impl Into<Id>,
        options: &WaitOptions,
    ) -> Result<Response<AsyncSpeechStatus>, Error> {
        let client = self.client;
        poll::wait(task_id.into(), options, |task_id| async move {
            query_async(client, task_id).await.map(TaskUpdate::from)
        })
        .await
    }

    /// Polls like [`Speech::wait_async`] and yields a [`TaskUpdate`] each
    /// time the status changes, ending after the final status. A failed
    /// task is yielded as an update ([`TaskUpdate::outcome`] turns it into
    /// [`Error::TaskFailed`]); the deadline yields [`Error::WaitTimeout`].
    /// Dropping the stream stops polling.
    pub fn watch_async(
        &self,
        task_id: impl Into<Id>,
        options: WaitOptions,
    ) -> BoxStream<'static, Result<TaskUpdate<Response<AsyncSpeechStatus>>, Error>> {
        let client = self.client.clone();
        poll::watch(task_id.into(), options, move |task_id| {
            let client = client.clone();
            async move { query_async(&client, task_id).await.map(TaskUpdate::from) }
        })
    }

    /// Creates an asynchronous synthesis, waits for it and downloads the
    /// output file to `path` (atomically, size-checked): one call for
    /// [`Speech::create_async`], [`Speech::wait_async`] and
    /// [`crate::Files::download_to`].
    ///
    /// Returns the task, its final status and the download report.
    /// Errors: those of the three steps, and [`Error::Decode`] when
    /// neither the task nor its final status names the output `file_id`.
    pub async fn synthesize_async_to<R>(
        &self,
        request: R,
        path: impl AsRef<Path>,
        options: &WaitOptions,
    ) -> Result<AsyncSpeechDownload, Error>
    where
        R: TryInto<types::T2aAsyncV2Req>,
        R::Error: Display,
    {
        let task = self.create_async(request).await?.into_inner();
        tracing::info!(task_id = %task.task_id, "asynchronous speech task created; waiting for it");
        let status = self.wait_async(task.task_id, options).await?;
        let Some(file_id) = status.file_id.or(task.file_id) else {
            return Err(missing("t2a_async_v2_query", "`file_id`", &status));
        };
        let download = FileDownload::new(self.client.clone(), file_id, path.as_ref())
            .send()
            .await?;
        Ok(AsyncSpeechDownload {
            task,
            status: status.into_inner(),
            download,
        })
    }
}

impl crate::poll::TaskReport for AsyncSpeechStatus {
    fn status(&self) -> &TaskStatus {
        &self.status
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

async fn query_async(client: &Client, task_id: Id) -> Result<Response<AsyncSpeechStatus>, Error> {
    const OPERATION: &str = "t2a_async_v2_query";
    let response = client
        .call_traced(
            OPERATION,
            client.raw().t2a_async_v2_query().task_id(task_id).send(),
        )
        .await?;
    let Some(status) = response.status.clone() else {
        return Err(missing(OPERATION, "`status`", &response));
    };
    Ok(response.map(|body| AsyncSpeechStatus {
        task_id: body.task_id.unwrap_or(task_id),
        status,
        file_id: body.file_id,
        message: status_message(body.base_resp.as_ref()),
    }))
}
