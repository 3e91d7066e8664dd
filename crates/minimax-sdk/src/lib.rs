//! Ergonomic async client for the [MiniMax platform API](https://platform.minimax.io):
//! chat, speech, voice, video, image, music and files.
//!
//! ```no_run
//! use minimax_sdk::{speech, types, ChatRequest, Client, WaitOptions};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), minimax_sdk::Error> {
//!     // MINIMAX_API_KEY (required); MINIMAX_REGION=global|china or MINIMAX_BASE_URL.
//!     let client = Client::from_env()?;
//!
//!     // Write a line with a chat model…
//!     let reply = client
//!         .chat()
//!         .create(ChatRequest::new("MiniMax-M2.7").user("Write a one-line welcome for a Rust podcast."))
//!         .await?;
//!     let line = reply.text().unwrap_or("Welcome to the show.");
//!
//!     // …speak it…
//!     let request = types::T2aV2Req::builder()
//!         .model("speech-2.8-hd")
//!         .text(line)
//!         .voice_setting(speech::voice("English_expressive_narrator"));
//!     let spoken = client.speech().synthesize(request).await?;
//!     spoken.audio.save(&client, "welcome.mp3").await?;
//!
//!     // …and make a video for it: create, wait, download the MP4 atomically.
//!     let request = types::VideoGenerationReq::builder()
//!         .model("MiniMax-Hailuo-02")
//!         .prompt("A microphone in a cosy studio, warm light".to_owned());
//!     let video = client
//!         .video()
//!         .generate_and_download(request, "welcome.mp4", &WaitOptions::default())
//!         .await?;
//!     println!(
//!         "saved welcome.mp3 and {} ({} bytes); speech trace id {:?}",
//!         video.download.path.display(),
//!         video.download.bytes,
//!         spoken.trace_id()
//!     );
//!     Ok(())
//! }
//! ```
//!
//! # Resources
//!
//! [`Client`] hands out cheap borrowed handles, one per resource group;
//! their methods are verbs, and each method's documentation names its HTTP
//! endpoint, links the official page and lists its errors.
//!
//! | handle | methods |
//! |---|---|
//! | [`Client::files`] | [`upload`](Files::upload), [`list`](Files::list), [`retrieve`](Files::retrieve), [`content`](Files::content), [`delete`](Files::delete), [`download_to`](Files::download_to) |
//! | [`Client::chat`] | [`create`](Chat::create), [`stream`](Chat::stream), [`openai_compatible`](Chat::openai_compatible), [`anthropic_compatible`](Chat::anthropic_compatible) |
//! | [`Client::speech`] | [`synthesize`](Speech::synthesize), [`synthesize_stream`](Speech::synthesize_stream), [`create_async`](Speech::create_async), [`query_async`](Speech::query_async), [`wait_async`](Speech::wait_async), [`synthesize_async_to`](Speech::synthesize_async_to) |
//! | [`Client::voice`] | [`clone`](Voice::clone), [`design`](Voice::design), [`list`](Voice::list), [`delete`](Voice::delete) |
//! | [`Client::video`] | [`generate`](Video::generate), [`query`](Video::query), [`wait`](Video::wait), [`watch`](Video::watch), [`generate_and_download`](Video::generate_and_download), [`template_generate`](Video::template_generate), [`template_query`](Video::template_query), [`template_wait`](Video::template_wait); for MiniMax-H3 (the version 2 API, [`video_v2`]): [`generate_v2`](Video::generate_v2), [`query_v2`](Video::query_v2), [`wait_v2`](Video::wait_v2), [`watch_v2`](Video::watch_v2), [`download_v2`](Video::download_v2), [`generate_v2_and_download`](Video::generate_v2_and_download) |
//! | [`Client::image`] | [`generate`](Image::generate), then [`GeneratedImages::save_all`] / [`GeneratedImages::save`] |
//! | [`Client::music`] | [`generate`](Music::generate), [`generate_stream`](Music::generate_stream) |
//!
//! Requests are the generated types in [`types`] or their builders
//! (`types::VideoGenerationReq::builder().model(…)`), except for chat, which
//! has [`ChatRequest`]. Every method that makes one request returns a
//! [`Response`]: the value (it dereferences to it) with the MiniMax trace
//! id, the HTTP status and the headers. Streams expose their trace id with
//! `trace_id()`.
//!
//! # What every request gets
//!
//! Generated and hand-written requests alike take one send path:
//!
//! - **configuration** from the environment or in code, with regions
//!   ([`Region::Global`], [`Region::China`]) and early, precise errors
//!   ([`config`]);
//! - **authentication** that only ever sends the API key to the configured
//!   API origin (never to download hosts), and never prints it ([`ApiKey`]);
//! - **retries** with exponential backoff, jitter and `Retry-After`, that
//!   never repeat billable work without consent ([`RetryPolicy`]);
//! - **timeouts** per attempt and an optional overall deadline;
//! - **typed errors**, including MiniMax's HTTP-200 errors in `base_resp`,
//!   with the trace id to quote to support ([`Error`], [`ApiError`]);
//! - **tracing**: one `minimax.request` span per attempt;
//! - **server-sent events** ([`sse`]), **streamed uploads** ([`UploadSource`]),
//!   **atomic downloads** ([`Client::download`], [`Files::download_to`]) and
//!   **task polling** ([`poll`], [`WaitOptions`]).
//!
//! # Errors
//!
//! ```no_run
//! # async fn run(client: minimax_sdk::Client) {
//! use minimax_sdk::FilePurpose;
//!
//! match client.files().list(FilePurpose::VoiceClone).await {
//!     Err(error) if error.is_rate_limited() => eprintln!("slow down: {error}"),
//!     Err(error) if error.is_auth() => eprintln!("check MINIMAX_API_KEY: {error}"),
//!     Err(error) => eprintln!("{error} (trace id {:?})", error.trace_id()),
//!     Ok(files) => println!("{} files", files.len()),
//! }
//! # }
//! ```
//!
//! # The generated client
//!
//! [`Client::raw`] is the generated [`minimax_api::Client`], sending through
//! the same executor; wrap its calls in [`Client::call`] to apply the
//! per-request options and turn a non-zero `base_resp` into an error:
//!
//! ```no_run
//! # async fn run(client: minimax_sdk::Client) -> Result<(), minimax_sdk::Error> {
//! let file = client
//!     .call("retrieve_file", client.raw().retrieve_file().file_id(205258526306433_i64).send())
//!     .await?;
//! println!("{:?}", file.file);
//! # Ok(()) }
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
pub mod video_v2;
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
pub use video_v2::{GeneratedVideoV2, VideoTaskV2};
pub use voice::{ClonedVoice, DesignedVoice, Voice, VoiceList, VoiceType};

/// The generated low-level client and the wire types it shares with this crate.
pub use minimax_api as raw;
/// The generated request and response types (`types::VideoGenerationReq`,
/// `types::ChatCompletionReq`, …) and their builders (`types::builder`).
pub use minimax_api::types;
pub use minimax_api::{BaseResp, FilePurpose, Id, TaskState, TaskStatus};
