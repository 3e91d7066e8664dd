//! Video generation ([`Client::video`]): create a task, poll it, wait for
//! it, and download the finished MP4.
//!
//! Video generation is asynchronous: [`Video::generate`] returns a task id,
//! [`Video::query`] reports the task's status (`Preparing`, `Queueing`,
//! `Processing`, then `Success` or `Fail`), and the finished task names a
//! `file_id` that the files API turns into a download URL.
//! [`Video::wait`] polls until the task ends, [`Video::watch`] streams its
//! status changes, and [`Video::generate_and_download`] does all of it.
//!
//! ```no_run
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! use std::time::Duration;
//! use minimax_sdk::{types, Client, WaitOptions};
//!
//! let client = Client::from_env()?;
//! let request = types::VideoGenerationReq::builder()
//!     .model("MiniMax-Hailuo-02")
//!     .prompt(Some("A red fox running through fresh snow at dawn".to_owned()));
//! let video = client
//!     .video()
//!     .generate_and_download(request, "fox.mp4", &WaitOptions::default().interval(Duration::from_secs(10)))
//!     .await?;
//! println!("{} bytes in {}", video.download.bytes, video.download.path.display());
//! # Ok(()) }
//! ```

use std::fmt::Display;
use std::path::Path;

use futures::stream::BoxStream;
use minimax_api::types;
use minimax_api::{Id, TaskState, TaskStatus};

use crate::client::Client;
use crate::error::Error;
use crate::files::{DownloadReport, FileDownload};
use crate::poll::{self, TaskUpdate, WaitOptions};
use crate::response::{missing, status_message, Response};

impl Client {
    /// Video generation: create, query, wait, watch, download.
    pub fn video(&self) -> Video<'_> {
        Video { client: self }
    }
}

/// Video generation, from [`Client::video`].
#[derive(Debug, Clone, Copy)]
pub struct Video<'a> {
    pub(crate) client: &'a Client,
}

/// A video generation task as [`Video::query`] reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct VideoTask {
    /// The task.
    pub task_id: Id,
    /// The status exactly as sent (`Processing`, `Success`, `Fail`, …);
    /// compare on [`TaskStatus::state`].
    pub status: TaskStatus,
    /// The finished video's file id (with [`TaskState::Success`]); pass it to
    /// [`crate::Files::download_to`] or [`crate::Files::retrieve`].
    pub file_id: Option<Id>,
    /// The video's width in pixels, once known (a running task's `0` is
    /// `None`).
    pub video_width: Option<i64>,
    /// The video's height in pixels, once known (a running task's `0` is
    /// `None`).
    pub video_height: Option<i64>,
    /// The API's message about the task (`base_resp.status_msg`), when it
    /// says more than "success".
    pub message: Option<String>,
}

impl VideoTask {
    /// What the status means.
    pub fn state(&self) -> TaskState {
        self.status.state()
    }

    /// Whether the task will not change again (success, failure, expiry).
    pub fn is_finished(&self) -> bool {
        self.status.is_terminal()
    }
}

/// A video template (agent) task as [`Video::template_query`] reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct VideoTemplateTask {
    /// The task.
    pub task_id: Id,
    /// The status exactly as sent; compare on [`TaskStatus::state`].
    pub status: TaskStatus,
    /// The finished video's URL (valid for 9 hours), with
    /// [`TaskState::Success`]; download it with [`Client::download`].
    pub video_url: Option<String>,
    /// The API's message about the task, when it says more than "success".
    pub message: Option<String>,
}

impl VideoTemplateTask {
    /// What the status means.
    pub fn state(&self) -> TaskState {
        self.status.state()
    }

    /// Whether the task will not change again.
    pub fn is_finished(&self) -> bool {
        self.status.is_terminal()
    }
}

/// What [`Video::generate_and_download`] produced.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GeneratedVideo {
    /// The finished task.
    pub task: VideoTask,
    /// The downloaded file.
    pub download: DownloadReport,
}

impl<'a> Video<'a> {
    /// Starts a video generation task: `POST /v1/video_generation`.
    ///
    /// `request` is a [`types::VideoGenerationReq`] or its builder
    /// (`types::VideoGenerationReq::builder().model(…).prompt(…)`): text to
    /// video, image to video (`first_frame_image`), first and last frame,
    /// or subject reference. This is a paid request: after a timeout or a
    /// server error it is not retried unless
    /// [`crate::RequestOptions::retry_paid_requests`] allows it.
    ///
    /// Returns the task id. Errors: [`Error::InvalidArgument`] for an
    /// incomplete builder, [`Error::Api`] (1008 balance, 1026 sensitive
    /// prompt, 2013 invalid parameters, …), [`Error::Decode`] when a
    /// success body has no `task_id`.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/video-generation-t2v>
    pub async fn generate<R>(&self, request: R) -> Result<Response<Id>, Error>
    where
        R: TryInto<types::VideoGenerationReq>,
        R::Error: Display,
    {
        const OPERATION: &str = "video_generation";
        let response = self
            .client
            .call_traced(
                OPERATION,
                self.client.raw().video_generation().body(request).send(),
            )
            .await?;
        match response.task_id {
            Some(task_id) => Ok(response.map(|_| task_id)),
            None => Err(missing(OPERATION, "`task_id`", &response)),
        }
    }

    /// Reports a task's progress: `GET /v1/query/video_generation?task_id=`.
    ///
    /// Returns the [`VideoTask`]; once its status is `Success` it names
    /// the video's `file_id`. Errors: [`Error::Api`] (an unknown task id,
    /// …), [`Error::Decode`] when a success body has no `status`.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/video-generation-query>
    pub async fn query(&self, task_id: impl Into<Id>) -> Result<Response<VideoTask>, Error> {
        query(self.client, task_id.into()).await
    }

    /// Polls [`Video::query`] until the task finishes (see [`WaitOptions`]
    /// for the interval, backoff and deadline; transient poll errors are
    /// tolerated until the deadline).
    ///
    /// Returns the finished task when it succeeded. Errors:
    /// [`Error::TaskFailed`] when it failed or expired, [`Error::WaitTimeout`]
    /// at the deadline (the task may still finish: query it later), or the
    /// first non-transient poll error.
    pub async fn wait(
        &self,
        task_id: impl Into<Id>,
        options: &WaitOptions,
    ) -> Result<Response<VideoTask>, Error> {
        let client = self.client;
        poll::wait(task_id.into(), options, |task_id| async move {
            query(client, task_id).await.map(TaskUpdate::from)
        })
        .await
    }

    /// Polls like [`Video::wait`] and yields a [`TaskUpdate`] each time the
    /// status changes, ending after the final status. A failed task is
    /// yielded as an update (check its state), not as an error; the
    /// deadline yields [`Error::WaitTimeout`]. Dropping the stream stops
    /// polling.
    pub fn watch(
        &self,
        task_id: impl Into<Id>,
        options: WaitOptions,
    ) -> BoxStream<'static, Result<TaskUpdate<Response<VideoTask>>, Error>> {
        let client = self.client.clone();
        poll::watch(task_id.into(), options, move |task_id| {
            let client = client.clone();
            async move { query(&client, task_id).await.map(TaskUpdate::from) }
        })
    }

    /// Generates a video, waits for it and downloads it to `path`: one call
    /// for [`Video::generate`], [`Video::wait`] and
    /// [`crate::Files::download_to`] (atomic, size-checked, an expired URL
    /// re-resolved once, nothing left behind on failure).
    ///
    /// Returns the finished task and the download report. Errors: those
    /// of the three steps, and [`Error::Decode`] when the finished task
    /// names no `file_id`.
    pub async fn generate_and_download<R>(
        &self,
        request: R,
        path: impl AsRef<Path>,
        options: &WaitOptions,
    ) -> Result<GeneratedVideo, Error>
    where
        R: TryInto<types::VideoGenerationReq>,
        R::Error: Display,
    {
        let task_id = self.generate(request).await?.into_inner();
        tracing::info!(%task_id, "video generation task created; waiting for it");
        let task = self.wait(task_id, options).await?;
        let Some(file_id) = task.file_id else {
            return Err(missing("query_video_generation", "`file_id`", &task));
        };
        let download = FileDownload::new(self.client.clone(), file_id, path.as_ref())
            .send()
            .await?;
        Ok(GeneratedVideo {
            task: task.into_inner(),
            download,
        })
    }

    /// Starts a video template (video agent) task:
    /// `POST /v1/video_template_generation` with a `template_id` and its
    /// text and media inputs. A paid request.
    ///
    /// Returns the task id. Errors: [`Error::InvalidArgument`],
    /// [`Error::Api`], [`Error::Decode`] when a success body has no
    /// `task_id`.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/video-agent-create>
    pub async fn template_generate<R>(&self, request: R) -> Result<Response<Id>, Error>
    where
        R: TryInto<types::VideoTemplateGenerationReq>,
        R::Error: Display,
    {
        const OPERATION: &str = "video_template_generation";
        let response = self
            .client
            .call_traced(
                OPERATION,
                self.client
                    .raw()
                    .video_template_generation()
                    .body(request)
                    .send(),
            )
            .await?;
        match response.task_id {
            Some(task_id) => Ok(response.map(|_| task_id)),
            None => Err(missing(OPERATION, "`task_id`", &response)),
        }
    }

    /// Reports a template task's progress:
    /// `GET /v1/query/video_template_generation?task_id=`.
    ///
    /// Returns the [`VideoTemplateTask`]; once it succeeded it carries the
    /// `video_url` (valid 9 hours). Errors: [`Error::Api`],
    /// [`Error::Decode`] when a success body has no `status`.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/video-agent-query>
    pub async fn template_query(
        &self,
        task_id: impl Into<Id>,
    ) -> Result<Response<VideoTemplateTask>, Error> {
        template_query(self.client, task_id.into()).await
    }

    /// Polls [`Video::template_query`] until the template task finishes,
    /// like [`Video::wait`].
    pub async fn template_wait(
        &self,
        task_id: impl Into<Id>,
        options: &WaitOptions,
    ) -> Result<Response<VideoTemplateTask>, Error> {
        let client = self.client;
        poll::wait(task_id.into(), options, |task_id| async move {
            template_query(client, task_id).await.map(TaskUpdate::from)
        })
        .await
    }
}

impl crate::poll::TaskReport for VideoTask {
    fn status(&self) -> &TaskStatus {
        &self.status
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl crate::poll::TaskReport for VideoTemplateTask {
    fn status(&self) -> &TaskStatus {
        &self.status
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

async fn query(client: &Client, task_id: Id) -> Result<Response<VideoTask>, Error> {
    const OPERATION: &str = "query_video_generation";
    let response = client
        .call_traced(
            OPERATION,
            client
                .raw()
                .query_video_generation()
                .task_id(task_id)
                .send(),
        )
        .await?;
    let Some(status) = response.status.clone() else {
        return Err(missing(OPERATION, "`status`", &response));
    };
    Ok(response.map(|body| VideoTask {
        task_id: body.task_id.unwrap_or(task_id),
        status,
        file_id: body.file_id,
        video_width: body.video_width.filter(|width| *width > 0),
        video_height: body.video_height.filter(|height| *height > 0),
        message: status_message(body.base_resp.as_ref()),
    }))
}

async fn template_query(
    client: &Client,
    task_id: Id,
) -> Result<Response<VideoTemplateTask>, Error> {
    const OPERATION: &str = "query_video_template_generation_task";
    let response = client
        .call_traced(
            OPERATION,
            client
                .raw()
                .query_video_template_generation_task()
                .task_id(task_id)
                .send(),
        )
        .await?;
    let Some(status) = response.status.clone() else {
        return Err(missing(OPERATION, "`status`", &response));
    };
    Ok(response.map(|body| VideoTemplateTask {
        task_id: body.task_id.unwrap_or(task_id),
        status,
        video_url: body.video_url.filter(|url| !url.trim().is_empty()),
        message: status_message(body.base_resp.as_ref()),
    }))
}
