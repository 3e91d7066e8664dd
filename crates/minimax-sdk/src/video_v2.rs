//! Video generation, version 2 (the MiniMax-H3 models), on [`Client::video`].
//!
//! The version 2 API takes its inputs as a list of content items (the
//! prompt, key frames or reference media), and a finished task carries the
//! video's download URL itself: [`Video::generate_v2`] starts a task,
//! [`Video::query_v2`] reports it (`queued`, `running`, then `succeeded`,
//! `failed`, `cancelled` or `expired`), [`Video::wait_v2`] polls until it
//! ends, [`Video::watch_v2`] streams its status changes and
//! [`Video::generate_v2_and_download`] does all of it. The functions of this
//! module build the content items.
//!
//! ```no_run
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! use minimax_sdk::{types, video_v2, Client, WaitOptions};
//!
//! let client = Client::from_env()?;
//! let request = types::VideoGenerationV2Req::builder()
//!     .model("MiniMax-H3")
//!     .content(vec![
//!         video_v2::text("The lighthouse lamp turns on as dusk falls."),
//!         video_v2::first_frame("https://images.example.com/lighthouse-day.jpg"),
//!     ])
//!     .duration(Some(6))
//!     .resolution(Some("768P".to_owned()));
//! let video = client
//!     .video()
//!     .generate_v2_and_download(request, "lighthouse.mp4", &WaitOptions::default())
//!     .await?;
//! println!("{} bytes in {}", video.bytes, video.path.display());
//! # Ok(()) }
//! ```

use std::fmt::Display;
use std::path::{Path, PathBuf};

use futures::stream::BoxStream;
use minimax_api::types;
use minimax_api::{TaskState, TaskStatus};

use crate::client::Client;
use crate::error::Error;
use crate::poll::{self, TaskUpdate, WaitOptions};
use crate::response::{missing, Response};
use crate::video::Video;

/// The prompt: a `text` content item.
pub fn text(prompt: impl Into<String>) -> types::VideoContentItem {
    types::VideoContentItem {
        text: Some(prompt.into()),
        ..empty_item(types::VideoContentItemType::Text, None)
    }
}

/// The image the video starts from (`image_url`, role `first_frame`): a
/// public URL, a `data:` URI or `mm_file://<file_id>`.
pub fn first_frame(url: impl Into<String>) -> types::VideoContentItem {
    media(types::VideoContentItemRole::FirstFrame, url.into())
}

/// The image the video ends on (`image_url`, role `last_frame`); it needs a
/// first frame.
pub fn last_frame(url: impl Into<String>) -> types::VideoContentItem {
    media(types::VideoContentItemRole::LastFrame, url.into())
}

/// A reference image (`image_url`, role `reference_image`; up to 9).
pub fn reference_image(url: impl Into<String>) -> types::VideoContentItem {
    media(types::VideoContentItemRole::ReferenceImage, url.into())
}

/// A reference video clip (`video_url`, role `reference_video`; up to 3).
pub fn reference_video(url: impl Into<String>) -> types::VideoContentItem {
    media(types::VideoContentItemRole::ReferenceVideo, url.into())
}

/// A reference audio clip (`audio_url`, role `reference_audio`; up to 3,
/// only together with a reference image or video).
pub fn reference_audio(url: impl Into<String>) -> types::VideoContentItem {
    media(types::VideoContentItemRole::ReferenceAudio, url.into())
}

/// A content item of `kind` with `role` and no input yet.
fn empty_item(
    kind: types::VideoContentItemType,
    role: Option<types::VideoContentItemRole>,
) -> types::VideoContentItem {
    types::VideoContentItem {
        type_: kind,
        role,
        text: None,
        image_url: None,
        video_url: None,
        audio_url: None,
    }
}

/// A media item for `role`, its URL in the field of the role's media kind.
fn media(role: types::VideoContentItemRole, url: String) -> types::VideoContentItem {
    use types::VideoContentItemRole as Role;
    use types::VideoContentItemType as Kind;
    let url = Some(types::VideoMediaUrl { url });
    match role {
        Role::ReferenceVideo => types::VideoContentItem {
            video_url: url,
            ..empty_item(Kind::VideoUrl, Some(role))
        },
        Role::ReferenceAudio => types::VideoContentItem {
            audio_url: url,
            ..empty_item(Kind::AudioUrl, Some(role))
        },
        Role::FirstFrame | Role::LastFrame | Role::ReferenceImage => types::VideoContentItem {
            image_url: url,
            ..empty_item(Kind::ImageUrl, Some(role))
        },
    }
}

/// A version 2 video task as [`Video::query_v2`] reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct VideoTaskV2 {
    /// The task.
    pub task_id: String,
    /// The status exactly as sent (`queued`, `running`, `succeeded`, …);
    /// compare on [`TaskStatus::state`].
    pub status: TaskStatus,
    /// The finished video's download URL (with [`TaskState::Success`]); it
    /// expires, so download it soon ([`Client::download`]).
    pub video_url: Option<String>,
    /// The model running the task.
    pub model: Option<String>,
    /// The resolution tier (`768P`, `2K`, …).
    pub resolution: Option<String>,
    /// The aspect ratio.
    pub ratio: Option<String>,
    /// The video's length in seconds.
    pub duration: Option<f64>,
    /// The seconds billed, once known.
    pub usage: Option<types::VideoTaskV2Usage>,
    /// Why the task failed, when it did.
    pub error: Option<types::VideoTaskV2Error>,
    /// The failure in words, with its code ([`VideoTaskV2::error`]), when
    /// the API gave one.
    pub message: Option<String>,
}

impl VideoTaskV2 {
    /// What the status means.
    pub fn state(&self) -> TaskState {
        self.status.state()
    }

    /// Whether the task will not change again (success, failure,
    /// cancellation, expiry).
    pub fn is_finished(&self) -> bool {
        self.status.is_terminal()
    }
}

/// A task error in words, with its code when the API gave one.
fn error_message(error: Option<&types::VideoTaskV2Error>) -> Option<String> {
    let error = error?;
    let message = error
        .message
        .as_deref()
        .map(str::trim)
        .filter(|message| !message.is_empty());
    // A code of 0 (or "") is the zero value of a task without an error.
    let code = match &error.code {
        Some(serde_json::Value::String(code)) => Some(code.trim().to_owned()),
        Some(serde_json::Value::Number(code)) => Some(code.to_string()),
        _ => None,
    }
    .filter(|code| !code.is_empty() && code != "0");
    match (message, code) {
        (Some(message), Some(code)) => Some(format!("{message} ({code})")),
        (Some(message), None) => Some(message.to_owned()),
        (None, Some(code)) => Some(format!("error {code}")),
        (None, None) => None,
    }
}

impl poll::TaskReport for VideoTaskV2 {
    fn status(&self) -> &TaskStatus {
        &self.status
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

/// What [`Video::generate_v2_and_download`] produced.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GeneratedVideoV2 {
    /// The finished task.
    pub task: VideoTaskV2,
    /// Where the video was written.
    pub path: PathBuf,
    /// The number of bytes written.
    pub bytes: u64,
}

impl<'a> Video<'a> {
    /// Starts a version 2 video task (the MiniMax-H3 models):
    /// `POST /v2/video_generation`.
    ///
    /// `request` is a [`types::VideoGenerationV2Req`] or its builder, whose
    /// `content` lists the prompt ([`text`]) and either key frames
    /// ([`first_frame`], [`last_frame`]) or reference media
    /// ([`reference_image`], [`reference_video`], [`reference_audio`]). A
    /// paid request: after a timeout or a server error it is not retried
    /// unless [`crate::RequestOptions::retry_paid_requests`] allows it.
    ///
    /// Returns the task id. Errors: [`Error::InvalidArgument`] for an
    /// incomplete builder, [`Error::Api`] (1008 balance, invalid
    /// parameters, …), [`Error::Decode`] when a success body has no
    /// `task_id`.
    pub async fn generate_v2<R>(&self, request: R) -> Result<Response<String>, Error>
    where
        R: TryInto<types::VideoGenerationV2Req>,
        R::Error: Display,
    {
        const OPERATION: &str = "video_generation_v2";
        let response = self
            .client
            .call_traced(
                OPERATION,
                self.client.raw().video_generation_v2().body(request).send(),
            )
            .await?;
        match response
            .task_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
        {
            Some(task_id) => {
                let task_id = task_id.to_owned();
                Ok(response.map(|_| task_id))
            }
            None => Err(missing(OPERATION, "`task_id`", &response)),
        }
    }

    /// Reports a version 2 task: `GET /v2/query/video_generation/{task_id}`
    /// (tasks of the last seven days).
    ///
    /// Returns the [`VideoTaskV2`]; once it succeeded it carries the
    /// video's URL. Errors: [`Error::Api`] (an unknown task id, …),
    /// [`Error::Decode`] when a success body has no task status.
    pub async fn query_v2(
        &self,
        task_id: impl Into<String>,
    ) -> Result<Response<VideoTaskV2>, Error> {
        query_v2(self.client, task_id.into()).await
    }

    /// Polls [`Video::query_v2`] until the task finishes, like
    /// [`Video::wait`].
    ///
    /// Returns the succeeded task. Errors: [`Error::TaskFailed`] when it
    /// failed, was cancelled or expired (with the task's error message),
    /// [`Error::WaitTimeout`] at the deadline, or the first non-transient
    /// poll error.
    pub async fn wait_v2(
        &self,
        task_id: impl Into<String>,
        options: &WaitOptions,
    ) -> Result<Response<VideoTaskV2>, Error> {
        let client = self.client;
        poll::wait(task_id.into(), options, |task_id| async move {
            query_v2(client, task_id).await.map(TaskUpdate::from)
        })
        .await
    }

    /// Polls like [`Video::wait_v2`] and yields a [`TaskUpdate`] each time
    /// the status changes, ending after the final status (see
    /// [`Video::watch`]).
    pub fn watch_v2(
        &self,
        task_id: impl Into<String>,
        options: WaitOptions,
    ) -> BoxStream<'static, Result<TaskUpdate<Response<VideoTaskV2>>, Error>> {
        let client = self.client.clone();
        poll::watch(task_id.into(), options, move |task_id| {
            let client = client.clone();
            async move { query_v2(&client, task_id).await.map(TaskUpdate::from) }
        })
    }

    /// The download of a succeeded task's video, ready to run with
    /// [`crate::Download::to_path`] (add [`crate::Download::progress`] as
    /// needed): through the executor, the API key never sent to the
    /// download host, nothing left behind on failure, and an expired URL
    /// refreshed once by querying the task again.
    ///
    /// Errors: [`Error::Decode`] when the task has no video URL.
    pub fn download_v2(&self, task: &Response<VideoTaskV2>) -> Result<crate::Download, Error> {
        let url = video_url(task)?;
        let client = self.client.clone();
        let task_id = task.task_id.clone();
        Ok(self
            .client
            .download(url)
            .operation("download_video_v2")
            .on_expired(move || async move { video_url(&query_v2(&client, task_id).await?) }))
    }

    /// Generates a version 2 video, waits for it and downloads it to
    /// `path`: one call for [`Video::generate_v2`], [`Video::wait_v2`] and
    /// [`Video::download_v2`].
    ///
    /// Errors: those of the three steps, and [`Error::Decode`] when the
    /// succeeded task has no video URL.
    pub async fn generate_v2_and_download<R>(
        &self,
        request: R,
        path: impl AsRef<Path>,
        options: &WaitOptions,
    ) -> Result<GeneratedVideoV2, Error>
    where
        R: TryInto<types::VideoGenerationV2Req>,
        R::Error: Display,
    {
        let task_id = self.generate_v2(request).await?.into_inner();
        tracing::info!(%task_id, "video generation task (v2) created; waiting for it");
        let task = self.wait_v2(task_id, options).await?;
        let bytes = self.download_v2(&task)?.to_path(path.as_ref()).await?;
        Ok(GeneratedVideoV2 {
            task: task.into_inner(),
            path: path.as_ref().to_path_buf(),
            bytes,
        })
    }
}

/// The video URL of a (succeeded) task.
fn video_url(task: &Response<VideoTaskV2>) -> Result<String, Error> {
    task.video_url
        .clone()
        .ok_or_else(|| missing(OPERATION_QUERY, "`task.content.url`", task))
}

const OPERATION_QUERY: &str = "query_video_generation_v2";

async fn query_v2(client: &Client, task_id: String) -> Result<Response<VideoTaskV2>, Error> {
    let response = client
        .call_traced(
            OPERATION_QUERY,
            client
                .raw()
                .query_video_generation_v2()
                .task_id(task_id.clone())
                .send(),
        )
        .await?;
    let Some(status) = response.task.as_ref().and_then(|task| task.status.clone()) else {
        return Err(missing(OPERATION_QUERY, "`task.status`", &response));
    };
    Ok(response.map(|body| {
        let task = body.task.unwrap_or_default();
        let non_empty = |text: Option<String>| text.filter(|text| !text.trim().is_empty());
        VideoTaskV2 {
            task_id: non_empty(task.id).unwrap_or(task_id),
            status,
            video_url: non_empty(task.content.and_then(|content| content.url)),
            model: non_empty(task.model),
            resolution: non_empty(task.resolution),
            ratio: non_empty(task.ratio),
            duration: task.duration,
            usage: task.usage,
            message: error_message(task.error.as_ref()),
            error: task.error,
        }
    }))
}
