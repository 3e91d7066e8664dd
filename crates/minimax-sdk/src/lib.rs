//! Ergonomic async client for the [MiniMax platform API](https://platform.minimax.io):
//! chat, speech, voice, video, image, music and files.
//!
//! This crate sits on the generated low-level client [`minimax_api`] and adds
//! what a production caller needs, on one send path for every request:
//!
//! - **configuration** from the environment or in code, with regions
//!   ([`Region::Global`], [`Region::China`]) and early, precise errors
//!   ([`config`]);
//! - **authentication** that only ever sends the API key to the configured
//!   API origin, and never prints it ([`ApiKey`]);
//! - **retries** with exponential backoff, jitter and `Retry-After`, that
//!   never repeat billable work without consent ([`RetryPolicy`]);
//! - **timeouts** per attempt and an optional overall deadline;
//! - **typed errors**, including MiniMax's HTTP-200 errors in `base_resp`,
//!   with the trace id to quote to support ([`Error`], [`ApiError`]);
//! - **tracing**: one `minimax.request` span per attempt;
//! - **server-sent events** ([`sse`]), **streamed uploads** ([`UploadSource`]),
//!   **atomic downloads** ([`Client::download`]) and **task polling**
//!   ([`poll`]).
//!
//! # Example
//!
//! ```no_run
//! use std::time::Duration;
//! use minimax_sdk::{Client, RequestOptions, UploadSource};
//!
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! // MINIMAX_API_KEY (required), MINIMAX_REGION=global|china, MINIMAX_BASE_URL, MINIMAX_GROUP_ID.
//! let client = Client::from_env()?;
//!
//! // A generated call, through the SDK's executor; a non-zero base_resp is an error.
//! let retrieved = client
//!     .call("retrieve_file", client.raw().retrieve_file().file_id(205258526306433_i64).send())
//!     .await?;
//! let file = retrieved.file.ok_or_else(|| minimax_sdk::Error::InvalidArgument("no file".into()))?;
//!
//! // Per-request overrides without rebuilding the client.
//! let patient = client.with_options(RequestOptions::new().timeout(Duration::from_secs(1800)));
//!
//! // Download the file atomically, with progress; an expired URL would be re-resolved once.
//! if let Some(url) = file.download_url {
//!     let bytes = patient
//!         .download(url)
//!         .expected_len(Some(file.bytes as u64))
//!         .progress(|progress: minimax_sdk::DownloadProgress| {
//!             eprintln!("{} / {:?} bytes", progress.bytes_done, progress.total)
//!         })
//!         .to_path(&file.filename)
//!         .await?;
//!     println!("saved {bytes} bytes");
//! }
//!
//! // Upload a file, streamed from disk and retried safely.
//! let response = client
//!     .send_upload("upload_file", "/v1/files/upload", "voice_clone", &UploadSource::from_path("voice.mp3"))
//!     .await?;
//! println!("upload answered {}", response.status());
//! # Ok(()) }
//! ```
//!
//! # Errors
//!
//! ```no_run
//! # async fn run(client: minimax_sdk::Client) {
//! match client.call("retrieve_file", client.raw().retrieve_file().file_id(1_i64).send()).await {
//!     Err(error) if error.is_rate_limited() => eprintln!("slow down: {error}"),
//!     Err(error) if error.is_auth() => eprintln!("check MINIMAX_API_KEY: {error}"),
//!     Err(error) => eprintln!("{error} (trace id {:?})", error.trace_id()),
//!     Ok(response) => println!("{:?}", response.file),
//! }
//! # }
//! ```
#![warn(missing_docs)]

pub mod audio;
pub mod chat;
mod client;
pub mod config;
pub mod download;
pub mod error;
mod executor;
pub mod files;
pub mod image;
pub mod music;
pub mod poll;
pub mod response;
pub mod retry;
mod secret;
pub mod speech;
pub mod sse;
pub mod upload;
pub mod video;
pub mod voice;

pub use audio::{Audio, AudioChunk, AudioStream};
pub use chat::{Chat, ChatChunk, ChatCompletion, ChatRequest, ChatStream};
pub use client::Client;
pub use config::{ClientBuilder, Config, Region, RequestOptions};
pub use download::{Download, DownloadProgress, Progress};
pub use error::{ApiError, Error, ErrorCode, Result, TimeoutKind};
pub use files::{DownloadReport, FileContent, FileDownload, Files};
pub use image::{GeneratedImage, GeneratedImages, Image};
pub use music::{GeneratedMusic, Music};
pub use poll::{TaskUpdate, WaitOptions};
pub use response::Response;
pub use retry::RetryPolicy;
pub use secret::ApiKey;
pub use speech::{
    AsyncSpeechDownload, AsyncSpeechStatus, AsyncSpeechTask, Speech, SynthesizedSpeech,
};
pub use sse::SseEvent;
pub use upload::UploadSource;
pub use video::{GeneratedVideo, Video, VideoTask, VideoTemplateTask};
pub use voice::{ClonedVoice, DesignedVoice, Voice, VoiceList, VoiceType};

/// The generated low-level client and the wire types it shares with this crate.
pub use minimax_api as raw;
/// The generated request and response types (`types::VideoGenerationReq`,
/// `types::ChatCompletionReq`, …) and their builders (`types::builder`).
pub use minimax_api::types;
pub use minimax_api::{BaseResp, FilePurpose, Id, TaskState, TaskStatus};
