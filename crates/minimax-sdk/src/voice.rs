//! Voices ([`Client::voice`]): clone a voice from a recording, design one
//! from a description, list the voices available to the account, and
//! delete cloned or designed ones.
//!
//! Cloning starts with an upload: the recording (10 s to 5 min, mp3, m4a
//! or wav, at most 20 MB) is uploaded with purpose `voice_clone`, and its
//! `file_id` goes into the clone request with the new voice's id.
//!
//! ```no_run
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! use minimax_sdk::{types, Client, FilePurpose, UploadSource};
//!
//! let client = Client::from_env()?;
//! let file = client
//!     .files()
//!     .upload(UploadSource::from_path("narrator.wav"), FilePurpose::VoiceClone)
//!     .await?;
//! let request = types::VoiceCloneReq::builder()
//!     .file_id(file.file_id)
//!     .voice_id("MyNarrator01");
//! let voice = client.voice().clone(request).await?;
//! println!("cloned {}", voice.voice_id);
//! # Ok(()) }
//! ```

use std::fmt::{self, Display};

use minimax_api::types;

use crate::audio::Audio;
use crate::client::Client;
use crate::error::Error;
use crate::response::{missing, Response};

impl Client {
    /// Voices: clone, design, list, delete.
    pub fn voice(&self) -> Voice<'_> {
        Voice { client: self }
    }
}

/// Voices, from [`Client::voice`].
#[derive(Debug, Clone, Copy)]
pub struct Voice<'a> {
    client: &'a Client,
}

/// Which voices [`Voice::list`] returns, and which kind [`Voice::delete`]
/// removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoiceType {
    /// Every voice: system, cloned and designed (`all`).
    All,
    /// The built-in voices (`system`).
    System,
    /// Voices cloned by the account (`voice_cloning`).
    VoiceCloning,
    /// Voices designed by the account (`voice_generation`).
    VoiceGeneration,
}

impl VoiceType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceType::All => "all",
            VoiceType::System => "system",
            VoiceType::VoiceCloning => "voice_cloning",
            VoiceType::VoiceGeneration => "voice_generation",
        }
    }
}

impl fmt::Display for VoiceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of [`Voice::clone`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ClonedVoice {
    /// The new voice's id (the one given in the request), for speech
    /// synthesis.
    pub voice_id: String,
    /// The demo audio (when the request had `text`): a URL or hex-decoded bytes.
    pub demo_audio: Option<Audio>,
    /// Whether the recording was flagged by moderation.
    pub input_sensitive: Option<types::VoiceCloneRespInputSensitive>,
    /// The moderation category, when flagged.
    pub input_sensitive_type: Option<i64>,
    /// Metadata of the demo audio.
    pub extra_info: Option<types::T2aExtraInfo>,
}

/// The result of [`Voice::design`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DesignedVoice {
    /// The designed voice's id (`ttv-voice-…`), for speech synthesis.
    pub voice_id: String,
    /// The preview of the voice reading the `preview_text`, hex-decoded.
    pub trial_audio: Option<Audio>,
}

/// The voices [`Voice::list`] returned, by kind.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct VoiceList {
    /// Built-in voices.
    pub system: Vec<types::VoiceInfo>,
    /// Voices cloned by the account.
    pub cloned: Vec<types::VoiceInfo>,
    /// Voices designed by the account.
    pub designed: Vec<types::VoiceInfo>,
}

impl VoiceList {
    /// Every voice, system ones first.
    pub fn iter(&self) -> impl Iterator<Item = &types::VoiceInfo> {
        self.system.iter().chain(&self.cloned).chain(&self.designed)
    }

    /// The number of voices.
    pub fn len(&self) -> usize {
        self.system.len() + self.cloned.len() + self.designed.len()
    }

    /// Whether there are no voices.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> Voice<'a> {
    /// Clones a voice from an uploaded recording: `POST /v1/voice_clone`
    /// with the recording's `file_id` (uploaded with purpose
    /// `voice_clone`) and the new `voice_id` (8 to 256 characters, starting
    /// with a letter). A paid request (billed when the voice is first used).
    ///
    /// Returns the voice id and, when the request had `text`, a demo
    /// audio. Errors: [`Error::InvalidArgument`], [`Error::Api`] (2013 for a
    /// duplicate or invalid voice id, 1026 for a flagged recording, …),
    /// [`Error::Decode`] for a demo audio that is neither a URL nor hex.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/voice-cloning-clone>
    // `clone` is the API's verb; `Voice` is `Copy`, so `Clone::clone` is never needed on it.
    #[allow(clippy::should_implement_trait)]
    pub async fn clone<R>(&self, request: R) -> Result<Response<ClonedVoice>, Error>
    where
        R: TryInto<types::VoiceCloneReq>,
        R::Error: Display,
    {
        const OPERATION: &str = "voice_clone";
        let request: types::VoiceCloneReq = crate::error::into_request(OPERATION, request)?;
        let voice_id = request.voice_id.clone();
        let response = self
            .client
            .call_traced(
                OPERATION,
                self.client.raw().voice_clone().body(request).send(),
            )
            .await?;
        let demo_audio = Audio::from_optional_wire(OPERATION, response.demo_audio.as_deref())?;
        Ok(response.map(|body| ClonedVoice {
            voice_id,
            demo_audio,
            input_sensitive: body.input_sensitive,
            input_sensitive_type: body.input_sensitive_type,
            extra_info: body.extra_info,
        }))
    }

    /// Designs a voice from a description: `POST /v1/voice_design` with a
    /// `prompt` describing the voice and a `preview_text` it reads. A paid
    /// request.
    ///
    /// Returns the new voice id and the trial audio (hex-decoded). Errors:
    /// [`Error::InvalidArgument`], [`Error::Api`], [`Error::Decode`] when
    /// a success body has no `voice_id` or the trial audio is not hex.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/voice-design-design>
    pub async fn design<R>(&self, request: R) -> Result<Response<DesignedVoice>, Error>
    where
        R: TryInto<types::T2vReq>,
        R::Error: Display,
    {
        const OPERATION: &str = "voice_design";
        let response = self
            .client
            .call_traced(
                OPERATION,
                self.client.raw().voice_design().body(request).send(),
            )
            .await?;
        let Some(voice_id) = response
            .voice_id
            .clone()
            .filter(|voice_id| !voice_id.trim().is_empty())
        else {
            return Err(missing(OPERATION, "`voice_id`", &response));
        };
        let trial_audio = Audio::from_optional_wire(OPERATION, response.trial_audio.as_deref())?;
        Ok(response.map(|_| DesignedVoice {
            voice_id,
            trial_audio,
        }))
    }

    /// Lists the voices available to the account: `POST /v1/get_voice`
    /// with `voice_type`.
    ///
    /// Returns the system, cloned and designed voices (the kinds not asked
    /// for are empty). Errors: [`Error::Api`].
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/voice-management-get>
    pub async fn list(&self, voice_type: VoiceType) -> Result<Response<VoiceList>, Error> {
        let voice_type = match voice_type {
            VoiceType::All => types::GetVoiceReqVoiceType::All,
            VoiceType::System => types::GetVoiceReqVoiceType::System,
            VoiceType::VoiceCloning => types::GetVoiceReqVoiceType::VoiceCloning,
            VoiceType::VoiceGeneration => types::GetVoiceReqVoiceType::VoiceGeneration,
        };
        let response = self
            .client
            .call_traced(
                "get_voice",
                self.client
                    .raw()
                    .get_voice()
                    .body(types::GetVoiceReq { voice_type })
                    .send(),
            )
            .await?;
        Ok(response.map(|body| VoiceList {
            system: body.system_voice.unwrap_or_default(),
            cloned: body.voice_cloning.unwrap_or_default(),
            designed: body.voice_generation.unwrap_or_default(),
        }))
    }

    /// Deletes a cloned or designed voice: `POST /v1/delete_voice` with
    /// `voice_id` and `voice_type`.
    ///
    /// Errors: [`Error::InvalidArgument`] for [`VoiceType::All`] or
    /// [`VoiceType::System`] (system voices cannot be deleted),
    /// [`Error::Api`] (an unknown voice, …).
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/voice-management-delete>
    pub async fn delete(
        &self,
        voice_id: impl Into<String>,
        voice_type: VoiceType,
    ) -> Result<Response<()>, Error> {
        let voice_type = match voice_type {
            VoiceType::VoiceCloning => types::DeleteVoiceReqVoiceType::VoiceCloning,
            VoiceType::VoiceGeneration => types::DeleteVoiceReqVoiceType::VoiceGeneration,
            other => {
                return Err(Error::InvalidArgument(format!(
                    "delete_voice: only cloned (voice_cloning) and designed (voice_generation) voices can be deleted, not {other}"
                )))
            }
        };
        let body = types::DeleteVoiceReq {
            voice_id: voice_id.into(),
            voice_type,
        };
        let response = self
            .client
            .call_traced(
                "delete_voice",
                self.client.raw().delete_voice().body(body).send(),
            )
            .await?;
        Ok(response.map(|_| ()))
    }
}
