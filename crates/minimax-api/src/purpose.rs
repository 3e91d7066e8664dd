//! [`FilePurpose`]: what a stored file is for, as an open enum.
//!
//! The community spec lists OpenAI's purposes (`fine-tune`, `assistants`, …);
//! the real API uses the values below and adds new ones over time, so a value
//! this crate does not know decodes to [`FilePurpose::Other`] instead of
//! failing the whole response.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The purpose a file was uploaded or generated for.
///
/// ```
/// use minimax_api::FilePurpose;
///
/// let purpose: FilePurpose = serde_json::from_str("\"voice_clone\"").unwrap();
/// assert_eq!(purpose, FilePurpose::VoiceClone);
/// let newer: FilePurpose = serde_json::from_str("\"lyrics_input\"").unwrap();
/// assert_eq!(newer.as_str(), "lyrics_input");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FilePurpose {
    /// Source audio for voice cloning (mp3, m4a, wav; 10 s to 5 min, at most 20 MB).
    VoiceClone,
    /// A short example utterance that guides a cloned voice (under 8 s).
    PromptAudio,
    /// Input text for asynchronous speech synthesis (txt or zip).
    T2aAsyncInput,
    /// Audio produced by asynchronous speech synthesis.
    T2aAsync,
    /// A video produced by video generation.
    VideoGeneration,
    /// A video given to a chat model (referenced as `mm_file://{file_id}`).
    VideoUnderstanding,
    /// A purpose this version of the crate does not know, kept verbatim.
    Other(String),
}

impl FilePurpose {
    /// Every purpose this crate knows, in documentation order.
    pub const KNOWN: [FilePurpose; 6] = [
        FilePurpose::VoiceClone,
        FilePurpose::PromptAudio,
        FilePurpose::T2aAsyncInput,
        FilePurpose::T2aAsync,
        FilePurpose::VideoGeneration,
        FilePurpose::VideoUnderstanding,
    ];

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            FilePurpose::VoiceClone => "voice_clone",
            FilePurpose::PromptAudio => "prompt_audio",
            FilePurpose::T2aAsyncInput => "t2a_async_input",
            FilePurpose::T2aAsync => "t2a_async",
            FilePurpose::VideoGeneration => "video_generation",
            FilePurpose::VideoUnderstanding => "video_understanding",
            FilePurpose::Other(other) => other,
        }
    }
}

impl fmt::Display for FilePurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for FilePurpose {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(FilePurpose::KNOWN
            .into_iter()
            .find(|known| known.as_str() == text)
            .unwrap_or_else(|| FilePurpose::Other(text.to_owned())))
    }
}

impl From<&str> for FilePurpose {
    fn from(text: &str) -> Self {
        match text.parse() {
            Ok(purpose) => purpose,
            Err(never) => match never {},
        }
    }
}

impl From<String> for FilePurpose {
    fn from(text: String) -> Self {
        FilePurpose::from(text.as_str())
    }
}

impl Serialize for FilePurpose {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FilePurpose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(FilePurpose::from)
    }
}

impl schemars::JsonSchema for FilePurpose {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FilePurpose".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Purpose of a file: voice_clone, prompt_audio, t2a_async_input, t2a_async, video_generation, video_understanding, or a newer value.",
            "type": "string"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip() {
        for purpose in FilePurpose::KNOWN {
            let wire = serde_json::to_value(&purpose).unwrap();
            assert_eq!(wire, serde_json::json!(purpose.as_str()));
            let back: FilePurpose = serde_json::from_value(wire).unwrap();
            assert_eq!(back, purpose);
        }
    }

    #[test]
    fn unknown_values_are_kept() {
        let purpose: FilePurpose = serde_json::from_str("\"fine-tune\"").unwrap();
        assert_eq!(purpose, FilePurpose::Other("fine-tune".into()));
        assert_eq!(serde_json::to_string(&purpose).unwrap(), "\"fine-tune\"");
    }
    #[test]
    fn display_honours_width_and_alignment() {
        assert_eq!(
            format!("[{:<14}]", FilePurpose::VoiceClone),
            "[voice_clone   ]"
        );
    }
}
