//! Music generation ([`Client::music`]): songs from a prompt and lyrics,
//! instrumentals, and covers, in one response or streamed.
//!
//! ```no_run
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! use minimax_sdk::{types, Client};
//!
//! let client = Client::from_env()?;
//! let request = types::GenerateMusicReq::builder()
//!     .model("music-2.5")
//!     .prompt("Upbeat synth-pop, bright and hopeful".to_owned())
//!     .lyrics("[Verse]\nCity lights are waking\n[Chorus]\nWe run into the morning".to_owned());
//! let music = client.music().generate(request).await?;
//! music.audio.save(&client, "song.mp3").await?;
//! # Ok(()) }
//! ```

use std::fmt::Display;

use minimax_api::types;

use crate::audio::{audio_stream, Audio, AudioStream};
use crate::client::Client;
use crate::error::Error;
use crate::response::{missing, Response};

impl Client {
    /// Music generation.
    pub fn music(&self) -> Music<'_> {
        Music { client: self }
    }
}

/// Music generation, from [`Client::music`].
#[derive(Debug, Clone, Copy)]
pub struct Music<'a> {
    client: &'a Client,
}

/// The result of [`Music::generate`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GeneratedMusic {
    /// The song: bytes decoded from the API's hex, or a URL with
    /// `output_format: "url"` (valid 24 hours).
    pub audio: Audio,
    /// Duration, sample rate, channels, bitrate and size.
    pub extra_info: Option<types::MusicExtraInfo>,
    /// The analysis of the song (structure, vocals), when the model gives one.
    pub analysis_info: Option<types::MusicAnalysisInfo>,
}

impl<'a> Music<'a> {
    /// Generates music: `POST /v1/music_generation` (without streaming; a
    /// `stream` flag in the request is cleared).
    ///
    /// `request` is a [`types::GenerateMusicReq`] or its builder (model,
    /// `prompt` for the style, `lyrics` with section tags, or
    /// `is_instrumental`; reference audio for covers). A paid request, and
    /// a slow one (up to a few minutes; the default per-attempt timeout is
    /// 10 minutes).
    ///
    /// Returns the audio (hex-decoded, or the URL with
    /// `output_format: "url"`). Errors: [`Error::InvalidArgument`],
    /// [`Error::Api`] (2013 for lyrics too long, 1026 sensitive input, …),
    /// [`Error::Decode`] when the audio is missing or not hex.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/music-generation>
    pub async fn generate<R>(&self, request: R) -> Result<Response<GeneratedMusic>, Error>
    where
        R: TryInto<types::GenerateMusicReq>,
        R::Error: Display,
    {
        const OPERATION: &str = "generate_music";
        let mut request = crate::error::into_request(OPERATION, request)?;
        request.stream = None;
        let response = self
            .client
            .call_traced(
                OPERATION,
                self.client.raw().generate_music().body(request).send(),
            )
            .await?;
        let audio = response
            .data
            .as_ref()
            .and_then(|data| data.audio.as_deref());
        let Some(audio) = Audio::from_optional_wire(OPERATION, audio)? else {
            return Err(missing(OPERATION, "`data.audio`", &response));
        };
        Ok(response.map(|body| GeneratedMusic {
            audio,
            extra_info: body.extra_info,
            analysis_info: body.analysis_info,
        }))
    }

    /// Generates music as a stream: `POST /v1/music_generation` with
    /// `stream: true` (set here; the API streams hex output only).
    ///
    /// Returns once the response has started; each [`crate::AudioChunk`]
    /// carries new audio bytes. A final event that repeats the audio
    /// already streamed adds only what is new, so concatenating the chunks
    /// gives the song exactly once. Errors: as [`Music::generate`], before
    /// the stream starts or as an error item mid-stream.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/music-generation>
    pub async fn generate_stream<R>(
        &self,
        request: R,
    ) -> Result<AudioStream<types::MusicExtraInfo>, Error>
    where
        R: TryInto<types::GenerateMusicReq>,
        R::Error: Display,
    {
        const OPERATION: &str = "generate_music_stream";
        let mut request = crate::error::into_request(OPERATION, request)?;
        request.stream = Some(true);
        let (events, trace_id) = crate::sse::send_json_stream::<types::GenerateMusicResp, _>(
            self.client,
            OPERATION,
            "/v1/music_generation",
            &request,
        )
        .await?;
        Ok(audio_stream(OPERATION, events, trace_id))
    }
}
