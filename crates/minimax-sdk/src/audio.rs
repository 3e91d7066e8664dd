//! Audio as the speech, music and voice APIs return it: [`Audio`] (bytes
//! decoded from the API's hex, or a URL), and [`AudioStream`], the chunks
//! of a streamed synthesis.
//!
//! The API sends audio as a hex string by default, or as a URL valid for
//! 24 hours (9 hours for asynchronous speech) with `output_format: "url"`.
//! Streamed responses send one event per chunk (`data.status` 1) and a
//! final event (`data.status` 2) that, for speech, repeats the whole audio
//! together with `extra_info`; [`AudioStream`] yields the final event's
//! audio only where it goes beyond what was already streamed, so the
//! concatenated chunks are the audio exactly once.

use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt};
use minimax_api::types;

use crate::client::Client;
use crate::download::{host_of, save_bytes, write_atomically};
use crate::error::Error;

/// Audio returned by the API: the decoded bytes, or a URL to fetch them from.
#[derive(Clone, PartialEq, Eq)]
pub enum Audio {
    /// The audio itself, decoded from the API's hex string.
    Bytes(Bytes),
    /// A URL serving the audio (with `output_format: "url"`); it expires
    /// (24 hours for synchronous speech and music).
    Url(String),
}

impl fmt::Debug for Audio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audio::Bytes(bytes) => write!(f, "Audio::Bytes({} bytes)", bytes.len()),
            // A pre-signed URL grants access to the file; show its host only.
            Audio::Url(url) => write!(f, "Audio::Url(https://{}/…)", host_of(url)),
        }
    }
}

impl Audio {
    /// The decoded bytes, when the audio came inline.
    pub fn bytes(&self) -> Option<&Bytes> {
        match self {
            Audio::Bytes(bytes) => Some(bytes),
            Audio::Url(_) => None,
        }
    }

    /// The URL, when the audio came as one.
    pub fn url(&self) -> Option<&str> {
        match self {
            Audio::Url(url) => Some(url),
            Audio::Bytes(_) => None,
        }
    }

    /// Writes the audio to `path` atomically (a temporary file renamed into
    /// place): inline bytes directly, a URL by downloading it through
    /// `client` (without the API key). Returns the number of bytes written.
    pub async fn save(&self, client: &Client, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        match self {
            Audio::Bytes(bytes) => save_bytes("save_audio", bytes, path).await,
            Audio::Url(url) => {
                client
                    .download(url)
                    .operation("download_audio")
                    .to_path(path)
                    .await
            }
        }
    }

    /// Reads an optional audio field of a response: `None` when absent or
    /// blank, else as [`Audio::from_wire`].
    pub(crate) fn from_optional_wire(
        operation: &'static str,
        text: Option<&str>,
    ) -> Result<Option<Audio>, Error> {
        match text.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => Audio::from_wire(operation, text).map(Some),
        }
    }

    /// Reads the API's audio field: a URL as is, anything else as hex.
    pub(crate) fn from_wire(operation: &'static str, text: &str) -> Result<Audio, Error> {
        let text = text.trim();
        if text.starts_with("https://") || text.starts_with("http://") {
            return Ok(Audio::Url(text.to_owned()));
        }
        decode_hex(operation, text).map(Audio::Bytes)
    }
}

/// Decodes a hex string (either case), with a decode error naming the operation.
pub(crate) fn decode_hex(operation: &'static str, text: &str) -> Result<Bytes, Error> {
    hex::decode(text.trim()).map(Bytes::from).map_err(|error| {
        Error::decode(
            operation,
            format!("the audio is not valid hex: {error}"),
            None,
            text.as_bytes(),
        )
    })
}

/// One chunk of a streamed synthesis ([`AudioStream`]).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct AudioChunk<X> {
    /// New audio bytes (decoded from hex); never a repeat of earlier chunks,
    /// and possibly empty for the final chunk.
    pub audio: Bytes,
    /// Whether this is the final event (`data.status` 2).
    pub is_final: bool,
    /// Metadata the event carried (sizes, duration, usage); usually only on
    /// the final chunk.
    pub extra_info: Option<X>,
}

impl<X: fmt::Debug> fmt::Debug for AudioChunk<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AudioChunk")
            .field("audio", &format_args!("{} bytes", self.audio.len()))
            .field("is_final", &self.is_final)
            .field("extra_info", &self.extra_info)
            .finish()
    }
}

/// A stream of [`AudioChunk`]s from a streamed synthesis: speech
/// ([`crate::Speech::synthesize_stream`], `X` = [`types::T2aExtraInfo`]) or
/// music ([`crate::Music::generate_stream`], `X` = [`types::MusicExtraInfo`]).
///
/// An error event, or a connection lost mid-stream, is an error item and
/// ends the stream. Dropping the stream closes the connection.
pub struct AudioStream<X> {
    inner: BoxStream<'static, Result<AudioChunk<X>, Error>>,
    trace_id: Option<String>,
}

impl<X> fmt::Debug for AudioStream<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AudioStream")
            .field("trace_id", &self.trace_id)
            .finish_non_exhaustive()
    }
}

impl<X: Send + 'static> AudioStream<X> {
    /// The trace id of the response.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// Reads the whole stream and returns the audio.
    pub async fn collect_audio(mut self) -> Result<Bytes, Error> {
        let mut audio = Vec::new();
        while let Some(chunk) = self.inner.next().await {
            audio.extend_from_slice(&chunk?.audio);
        }
        Ok(Bytes::from(audio))
    }

    /// Writes the streamed audio to `path` atomically as it arrives (a
    /// temporary file renamed into place once the stream has ended without
    /// error). Returns the number of bytes written.
    pub async fn save(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let body = self.inner.map(|chunk| chunk.map(|chunk| chunk.audio));
        write_atomically("save_audio", body, path.as_ref(), None, None, None).await
    }
}

impl<X> Stream for AudioStream<X> {
    type Item = Result<AudioChunk<X>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// An event of a streamed synthesis.
pub(crate) trait AudioEvent: Send + 'static {
    /// Its `extra_info` type.
    type Extra: Send + 'static;
    /// `(data.status, data.audio, extra_info)`.
    fn into_parts(self) -> (Option<i64>, Option<String>, Option<Self::Extra>);
}

impl AudioEvent for types::T2aV2Resp {
    type Extra = types::T2aExtraInfo;

    fn into_parts(self) -> (Option<i64>, Option<String>, Option<Self::Extra>) {
        let (status, audio) = self
            .data
            .map(|data| (data.status, data.audio))
            .unwrap_or_default();
        (status, audio, self.extra_info)
    }
}

impl AudioEvent for types::GenerateMusicResp {
    type Extra = types::MusicExtraInfo;

    fn into_parts(self) -> (Option<i64>, Option<String>, Option<Self::Extra>) {
        let (status, audio) = self
            .data
            .map(|data| (data.status, data.audio))
            .unwrap_or_default();
        (status, audio, self.extra_info)
    }
}

/// The `data.status` of the final event.
const FINAL: i64 = 2;

/// Turns a stream of events into audio chunks, yielding the final event's
/// audio only beyond what the earlier chunks already carried.
pub(crate) fn audio_stream<E: AudioEvent>(
    operation: &'static str,
    events: BoxStream<'static, Result<E, Error>>,
    trace_id: Option<String>,
) -> AudioStream<E::Extra> {
    struct State<E> {
        events: BoxStream<'static, Result<E, Error>>,
        /// The chunks yielded so far (cheap `Bytes` clones), to recognise a
        /// final event that repeats them.
        streamed: Vec<Bytes>,
        streamed_len: usize,
        done: bool,
    }
    let state = State {
        events,
        streamed: Vec::new(),
        streamed_len: 0,
        done: false,
    };
    let inner = futures::stream::unfold(state, move |mut state| async move {
        if state.done {
            return None;
        }
        let event = match state.events.next().await? {
            Ok(event) => event,
            Err(error) => {
                state.done = true;
                return Some((Err(error), state));
            }
        };
        let (status, audio, extra_info) = event.into_parts();
        let audio = match audio.as_deref().map(str::trim) {
            None | Some("") => Bytes::new(),
            Some(text) => match decode_hex(operation, text) {
                Ok(audio) => audio,
                Err(error) => {
                    state.done = true;
                    return Some((Err(error), state));
                }
            },
        };
        let is_final = status == Some(FINAL);
        let audio = if is_final {
            new_part(&state.streamed, state.streamed_len, audio)
        } else {
            if !audio.is_empty() {
                state.streamed_len += audio.len();
                state.streamed.push(audio.clone());
            }
            audio
        };
        let chunk = AudioChunk {
            audio,
            is_final,
            extra_info,
        };
        Some((Ok(chunk), state))
    })
    .boxed();
    AudioStream { inner, trace_id }
}

/// The part of a final event's `audio` that the streamed chunks did not
/// already carry: all of it, unless it starts with exactly those bytes.
fn new_part(streamed: &[Bytes], streamed_len: usize, audio: Bytes) -> Bytes {
    if streamed_len == 0 || audio.len() < streamed_len {
        return audio;
    }
    let mut offset = 0;
    for chunk in streamed {
        if audio[offset..offset + chunk.len()] != chunk[..] {
            return audio;
        }
        offset += chunk.len();
    }
    audio.slice(streamed_len..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_event_repeating_the_audio_adds_only_its_tail() {
        let streamed = [Bytes::from_static(b"abc"), Bytes::from_static(b"de")];
        assert_eq!(
            new_part(&streamed, 5, Bytes::from_static(b"abcde")),
            Bytes::new()
        );
        assert_eq!(
            new_part(&streamed, 5, Bytes::from_static(b"abcdefg")),
            Bytes::from_static(b"fg")
        );
        // A final increment (not a repeat) is kept whole.
        assert_eq!(
            new_part(&streamed, 5, Bytes::from_static(b"xy")),
            Bytes::from_static(b"xy")
        );
        assert_eq!(
            new_part(&streamed, 5, Bytes::from_static(b"abXde")),
            Bytes::from_static(b"abXde")
        );
        assert_eq!(
            new_part(&[], 0, Bytes::from_static(b"all")),
            Bytes::from_static(b"all")
        );
    }

    #[test]
    fn wire_audio_is_a_url_or_hex() {
        assert_eq!(
            Audio::from_wire("op", "4944 33".replace(' ', "").as_str()).ok(),
            Some(Audio::Bytes(Bytes::from_static(b"ID3")))
        );
        assert_eq!(
            Audio::from_wire("op", "https://cdn.example/a.mp3?sig=1").ok(),
            Some(Audio::Url("https://cdn.example/a.mp3?sig=1".into()))
        );
        assert!(matches!(
            Audio::from_wire("op", "zz"),
            Err(Error::Decode { .. })
        ));
        let debug = format!(
            "{:?}",
            Audio::Url("https://cdn.example/a.mp3?Signature=secret".into())
        );
        assert!(!debug.contains("secret"), "{debug}");
    }
}
