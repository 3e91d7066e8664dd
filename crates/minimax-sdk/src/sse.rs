//! Server-sent events: a decoder following the WHATWG HTML rules
//! ([`SseDecoder`], [`decode`]) and a typed layer that turns each event's
//! JSON `data` into a value ([`json_stream`]).
//!
//! # Decoder rules
//!
//! - Lines end in CRLF, LF or CR; a CRLF split across two chunks counts
//!   once. Events may be split across chunks anywhere, including inside a
//!   UTF-8 character (lines are split on bytes and decoded whole).
//! - Fields: `event`, `data` (several lines are joined with `\n`), `id`
//!   (kept for later events, ignored if it contains NUL), `retry` (digits
//!   only). Other fields are ignored. One space after the colon is removed.
//! - Lines starting with `:` are comments (MiniMax sends `: keepalive`) and
//!   are ignored.
//! - A blank line dispatches the event; an event with no `data` line is
//!   not dispatched.
//! - A leading byte-order mark is skipped.
//! - **At end of stream, an event not closed by a blank line is still
//!   dispatched** if it has data. The WHATWG rules discard it, because a
//!   browser reconnects and is sent the event again; an API client does not
//!   reconnect, and a server that ends its last event without the blank
//!   line would otherwise lose it silently (for MiniMax the last event
//!   carries `usage`, the finish reason or the final audio). A stream cut
//!   mid-event normally ends in a transport error instead (HTTP/1.1 chunked
//!   encoding and HTTP/2 both tell the two apart); should a truncated event
//!   reach the end anyway, its JSON does not decode and [`json_stream`]
//!   yields an [`Error::Decode`], so nothing is passed off as complete.
//!
//! [`decode`] adds one rule for bodies that are not event streams at all:
//! a body that ends without a single event but with lines that are neither
//! comments nor SSE fields (a JSON error document sent as `text/plain`, an
//! HTML error page) yields one error, the MiniMax API error it reports or
//! an [`Error::Decode`] with its start, instead of an empty stream.
//!
//! `data: [DONE]` (OpenAI-style end marker) is an ordinary event for the
//! decoder ([`SseEvent::is_done`] recognises it); [`json_stream`] ends the
//! stream there.
//!
//! This module is written by hand rather than with `eventsource-stream`:
//! the decoder is ~100 lines, and owning it lets the typed layer map
//! MiniMax's mid-stream `base_resp` errors and its JSON-instead-of-SSE error
//! answers to [`Error`] without an adapter.

use std::collections::VecDeque;
use std::time::Duration;

use futures::stream::{BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{
    api_error_from_body, error_in_json, from_failed_response, trace_id_of, ApiError, Error,
    ErrorCode,
};

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event type: the `event` field, or `message` when absent.
    pub event: String,
    /// The `data` lines joined with `\n`.
    pub data: String,
    /// The last event id seen in the stream (the `id` field persists).
    pub id: Option<String>,
    /// The reconnection time from a `retry` field in this event's block.
    pub retry: Option<Duration>,
}

impl SseEvent {
    /// Whether this is the `data: [DONE]` end marker.
    pub fn is_done(&self) -> bool {
        self.data == "[DONE]"
    }
}

/// An incremental server-sent-events decoder: feed it chunks as they
/// arrive; it yields complete events.
///
/// ```
/// use minimax_sdk::sse::SseDecoder;
///
/// let mut decoder = SseDecoder::new();
/// let mut events = Vec::new();
/// decoder.feed(b"data: hel", &mut events);
/// decoder.feed(b"lo\r\n\r\n: keep-alive\n", &mut events);
/// assert_eq!(events.len(), 1);
/// assert_eq!(events[0].data, "hello");
/// ```
#[derive(Debug, Default)]
pub struct SseDecoder {
    line: Vec<u8>,
    after_cr: bool,
    first_line_done: bool,
    event: String,
    data: String,
    last_id: Option<String>,
    retry: Option<Duration>,
    /// Whether a line so far was neither a comment nor one of the four SSE
    /// fields (as every line of a JSON document is). Such lines are ignored;
    /// a stream with no event and such lines was not an event stream.
    stray_lines: bool,
}

impl SseDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes `chunk`, appending every event it completes to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut impl Extend<SseEvent>) {
        let mut rest = chunk;
        if rest.is_empty() {
            return;
        }
        if self.after_cr {
            self.after_cr = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
        }
        while let Some(pos) = rest.iter().position(|&byte| byte == b'\r' || byte == b'\n') {
            self.line.extend_from_slice(&rest[..pos]);
            self.end_line(out);
            if rest[pos] == b'\r' {
                match rest.get(pos + 1) {
                    Some(b'\n') => {
                        rest = &rest[pos + 2..];
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        self.after_cr = true;
                        return;
                    }
                }
            }
            rest = &rest[pos + 1..];
        }
        self.line.extend_from_slice(rest);
    }

    /// Ends the stream and returns the event it ended in, if that event has
    /// data but no closing blank line (its last line may lack its line end
    /// too). Fields without data (an `event` line, a comment) give `None`.
    ///
    /// ```
    /// use minimax_sdk::sse::SseDecoder;
    ///
    /// let mut decoder = SseDecoder::new();
    /// let mut events = Vec::new();
    /// decoder.feed(b"data: one\n\ndata: two", &mut events);
    /// assert_eq!(events.len(), 1);
    /// assert_eq!(decoder.finish().map(|event| event.data).as_deref(), Some("two"));
    /// assert_eq!(decoder.finish(), None);
    /// ```
    pub fn finish(&mut self) -> Option<SseEvent> {
        let mut last = Vec::with_capacity(1);
        if !self.line.is_empty() {
            self.end_line(&mut last);
        }
        self.after_cr = false;
        self.dispatch(&mut last);
        self.retry = None;
        last.pop()
    }

    fn end_line(&mut self, out: &mut impl Extend<SseEvent>) {
        let mut bytes = std::mem::take(&mut self.line);
        if !self.first_line_done {
            self.first_line_done = true;
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
        }
        if bytes.is_empty() {
            self.dispatch(out);
            return;
        }
        let line = String::from_utf8_lossy(&bytes);
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.find(':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (&line[..], ""),
        };
        match field {
            "event" => self.event = value.to_owned(),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) => {
                if let Ok(millis) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(millis));
                }
            }
            "id" | "retry" => {}
            _ => self.stray_lines = true,
        }
    }

    fn dispatch(&mut self, out: &mut impl Extend<SseEvent>) {
        if self.data.is_empty() {
            self.event.clear();
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        if data.ends_with('\n') {
            data.pop();
        }
        let event = match std::mem::take(&mut self.event) {
            name if name.is_empty() => "message".to_owned(),
            name => name,
        };
        out.extend(Some(SseEvent {
            event,
            data,
            id: self.last_id.clone(),
            retry: self.retry.take(),
        }));
    }
}

/// An error a byte stream can yield, turned into an [`Error`] naming the
/// operation.
pub trait ChunkError {
    /// Converts the error.
    fn into_error(self, operation: &'static str) -> Error;
}

impl ChunkError for reqwest::Error {
    fn into_error(self, operation: &'static str) -> Error {
        crate::error::from_reqwest(operation, self, None)
    }
}

impl ChunkError for Error {
    fn into_error(self, _operation: &'static str) -> Error {
        self
    }
}

impl ChunkError for std::convert::Infallible {
    fn into_error(self, _operation: &'static str) -> Error {
        match self {}
    }
}

/// Decodes a byte stream into server-sent events. A stream error ends the
/// event stream after being yielded; so does the error for a body that is
/// no event stream (see the module's rules).
pub fn decode<S, B, E>(
    operation: &'static str,
    stream: S,
) -> BoxStream<'static, Result<SseEvent, Error>>
where
    S: Stream<Item = Result<B, E>> + Send + 'static,
    B: AsRef<[u8]>,
    E: ChunkError,
{
    struct State<S> {
        stream: std::pin::Pin<Box<S>>,
        decoder: SseDecoder,
        pending: VecDeque<SseEvent>,
        /// The start of the body, kept until the first event (at most
        /// `HEAD_LIMIT` bytes): the evidence when the body is no event stream.
        head: Option<Vec<u8>>,
        done: bool,
    }
    let state = State {
        stream: Box::pin(stream),
        decoder: SseDecoder::new(),
        pending: VecDeque::new(),
        head: Some(Vec::new()),
        done: false,
    };
    futures::stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(event) = state.pending.pop_front() {
                state.head = None;
                return Some((Ok(event), state));
            }
            if state.done {
                return None;
            }
            match state.stream.next().await {
                Some(Ok(chunk)) => {
                    let chunk = chunk.as_ref();
                    state.decoder.feed(chunk, &mut state.pending);
                    // Kept only while the body has given no event.
                    if let Some(head) = state.head.as_mut().filter(|_| state.pending.is_empty()) {
                        let room = HEAD_LIMIT.saturating_sub(head.len());
                        head.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    }
                }
                Some(Err(error)) => {
                    state.done = true;
                    return Some((Err(error.into_error(operation)), state));
                }
                None => {
                    state.done = true;
                    if let Some(last) = state.decoder.finish() {
                        tracing::debug!(
                            operation,
                            "the stream ended without a blank line after its last event; dispatched it"
                        );
                        state.pending.push_back(last);
                    }
                    if let Some(head) = state.head.take() {
                        if state.pending.is_empty() && state.decoder.stray_lines {
                            return Some((Err(not_an_event_stream(operation, &head)), state));
                        }
                    }
                }
            }
        }
    })
    .boxed()
}

/// How much of a body [`decode`] keeps until its first event.
const HEAD_LIMIT: usize = 64 * 1024;

/// The error for a body that ended without an event and had lines that are
/// not SSE (a JSON document sent with the wrong media type, an HTML page):
/// the API error it reports, if it is a MiniMax error body, else
/// [`Error::Decode`] with its start.
fn not_an_event_stream(operation: &'static str, head: &[u8]) -> Error {
    match api_error_from_body(operation, None, None, head) {
        Some(api) => Error::Api(api),
        None => Error::decode(
            operation,
            "expected an event stream, got a body with no event in it",
            None,
            head,
        ),
    }
}

/// `api`, with the response's trace id when the body named none.
fn with_trace_id(mut api: ApiError, trace_id: Option<&str>) -> ApiError {
    if api.trace_id.is_none() {
        api.trace_id = trace_id.map(str::to_owned);
    }
    api
}

enum Parsed<T> {
    Item(T),
    Skip,
    Done,
    Failed(Error),
}

fn parse_event<T: DeserializeOwned>(
    operation: &'static str,
    event: &SseEvent,
    trace_id: Option<&str>,
) -> Parsed<T> {
    let with_trace = |api| Parsed::Failed(Error::Api(with_trace_id(api, trace_id)));
    if event.is_done() {
        return Parsed::Done;
    }
    if event.data.trim().is_empty() {
        return Parsed::Skip;
    }
    let data = event.data.as_bytes();
    if event.event == "error" {
        return with_trace(
            api_error_from_body(operation, None, None, data).unwrap_or_else(|| {
                ApiError::new(
                    operation,
                    ErrorCode::Other(0),
                    crate::error::excerpt(data, crate::error::BODY_EXCERPT_LIMIT),
                )
            }),
        );
    }
    if let Some(api) = error_in_json(operation, data) {
        return with_trace(api);
    }
    match serde_json::from_str::<T>(&event.data) {
        Ok(value) => Parsed::Item(value),
        Err(error) => Parsed::Failed(Error::decode(
            operation,
            format!("event {:?} does not match the expected type", event.event),
            Some(error),
            event.data.as_bytes(),
        )),
    }
}

/// Decodes an SSE response into a stream of `T`, one per event's JSON `data`.
///
/// - A non-2xx response, or a 2xx answering `application/json` instead of
///   `text/event-stream` (how MiniMax reports errors to streaming
///   requests), becomes a single error item built from the body.
/// - An event whose JSON has a non-zero `base_resp.status_code` or an
///   `error` object, or an `event: error`, becomes an [`Error::Api`] item
///   and ends the stream.
/// - `data: [DONE]` ends the stream; events with empty data are skipped.
/// - A `data` that does not decode as `T` is an [`Error::Decode`] item and
///   ends the stream.
/// - A body with no event in it but other text (a MiniMax error document
///   under another media type, an HTML page) is one error item: the API
///   error it reports, else [`Error::Decode`].
pub fn json_stream<T>(
    operation: &'static str,
    response: reqwest::Response,
) -> BoxStream<'static, Result<T, Error>>
where
    T: DeserializeOwned + Send + 'static,
{
    let status = response.status();
    if !status.is_success() || crate::executor::is_json(response.headers()) {
        return futures::stream::once(async move {
            Err(from_failed_response(
                operation,
                response,
                None,
                "expected an event stream (text/event-stream), got a JSON body",
            )
            .await)
        })
        .boxed();
    }
    let trace_id = trace_id_of(Some(response.headers()), None);
    let events = decode(operation, response.bytes_stream());
    // The state carries the trace id from item to item (no copy per event).
    futures::stream::unfold(
        (events, trace_id, false),
        move |(mut events, trace_id, finished)| async move {
            if finished {
                return None;
            }
            loop {
                match events.next().await {
                    None => return None,
                    Some(Err(error)) => {
                        // A body that was no event stream: its error gets
                        // the response's status and trace id.
                        let error = match error {
                            Error::Api(mut api) => {
                                api.http_status.get_or_insert(status.as_u16());
                                Error::Api(with_trace_id(api, trace_id.as_deref()))
                            }
                            other => other,
                        };
                        return Some((Err(error), (events, trace_id, true)));
                    }
                    Some(Ok(event)) => {
                        match parse_event::<T>(operation, &event, trace_id.as_deref()) {
                            Parsed::Item(value) => {
                                return Some((Ok(value), (events, trace_id, false)))
                            }
                            Parsed::Skip => continue,
                            Parsed::Done => return None,
                            Parsed::Failed(error) => {
                                return Some((Err(error), (events, trace_id, true)))
                            }
                        }
                    }
                }
            }
        },
    )
    .boxed()
}

/// Sends a streaming request (`POST path` with a JSON body, accepting
/// `text/event-stream`) through the executor and returns its events' JSON
/// values ([`json_or_stream`]) and the trace id.
pub(crate) async fn send_json_stream<T, B>(
    client: &Client,
    operation: &'static str,
    path: &str,
    body: &B,
) -> Result<(BoxStream<'static, Result<T, Error>>, Option<String>), Error>
where
    T: DeserializeOwned + Send + 'static,
    B: serde::Serialize + ?Sized,
{
    let response = client
        .send(
            operation,
            client
                .request(reqwest::Method::POST, path)?
                .header(reqwest::header::ACCEPT, "text/event-stream")
                .json(body),
        )
        .await?;
    Ok(crate::sse::json_or_stream::<T>(operation, response))
}

/// The items of a response to a streaming request, with its trace id:
/// the JSON `data` of each event ([`json_stream`]), or, when the server
/// answered with a plain JSON success body instead of an event stream, that
/// one body as the only item.
pub(crate) fn json_or_stream<T>(
    operation: &'static str,
    response: reqwest::Response,
) -> (BoxStream<'static, Result<T, Error>>, Option<String>)
where
    T: DeserializeOwned + Send + 'static,
{
    let trace_id = trace_id_of(Some(response.headers()), None);
    if response.status().is_success() && crate::executor::is_json(response.headers()) {
        let single = futures::stream::once(async move {
            crate::response::read_json::<T>(operation, response)
                .await
                .map(crate::Response::into_inner)
        });
        return (single.boxed(), trace_id);
    }
    (json_stream(operation, response), trace_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// The events `chunks` complete, and the one `finish` returns.
    fn decode_all(chunks: &[&[u8]]) -> (Vec<SseEvent>, Option<SseEvent>) {
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk, &mut events);
        }
        let last = decoder.finish();
        (events, last)
    }

    fn event(name: &str, data: &str) -> SseEvent {
        SseEvent {
            event: name.to_owned(),
            data: data.to_owned(),
            id: None,
            retry: None,
        }
    }

    const STREAM: &str = "\u{FEFF}: keepalive\r\n\
        data: {\"text\":\"héllo 世界\"}\r\n\r\n\
        event: update\ndata: line one\ndata: line two\n\n\
        data:no-space\rid: 7\r\r\
        retry: 1500\ndata\n\n\
        : comment\n\n\
        event: ignored-without-data\n\n\
        data: last\n\n";

    fn expected() -> Vec<SseEvent> {
        vec![
            event("message", "{\"text\":\"héllo 世界\"}"),
            event("update", "line one\nline two"),
            SseEvent {
                id: Some("7".into()),
                ..event("message", "no-space")
            },
            SseEvent {
                id: Some("7".into()),
                retry: Some(Duration::from_millis(1500)),
                ..event("message", "")
            },
            SseEvent {
                id: Some("7".into()),
                ..event("message", "last")
            },
        ]
    }

    #[test]
    fn whole_stream_decodes() {
        let (events, last) = decode_all(&[STREAM.as_bytes()]);
        assert_eq!(events, expected());
        assert_eq!(last, None);
    }

    #[test]
    fn every_split_point_gives_the_same_events() {
        let bytes = STREAM.as_bytes();
        for cut in 0..=bytes.len() {
            let (events, _) = decode_all(&[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(events, expected(), "split at byte {cut}");
        }
        for second in 1..bytes.len() {
            let first = second / 2;
            let (events, _) =
                decode_all(&[&bytes[..first], &bytes[first..second], &bytes[second..]]);
            assert_eq!(events, expected(), "split at {first} and {second}");
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(decode_all(&singles).0, expected());
    }

    #[test]
    fn an_event_the_stream_ends_in_is_returned_by_finish() {
        let with_id = |data: &str| SseEvent {
            id: Some("4".into()),
            ..event("done", data)
        };
        for (stream, last) in [
            // The last line without its line end, or without the blank line.
            (
                "data: one\n\nid: 4\nevent: done\ndata: two",
                Some(with_id("two")),
            ),
            (
                "data: one\n\nid: 4\nevent: done\ndata: two\n",
                Some(with_id("two")),
            ),
            (
                "data: one\n\nid: 4\nevent: done\ndata: two\r",
                Some(with_id("two")),
            ),
            (
                "data: one\n\nid: 4\nevent: done\ndata: a\ndata: b\r\n",
                Some(with_id("a\nb")),
            ),
            // Nothing with data pending.
            ("data: one\n\n", None),
            ("data: one\n\n: keepalive", None),
            ("data: one\n\nevent: done\n", None),
            ("data: one\n\nretry: 10", None),
        ] {
            let (events, finished) = decode_all(&[stream.as_bytes()]);
            assert_eq!(events, vec![event("message", "one")], "{stream:?}");
            assert_eq!(finished, last, "{stream:?}");
        }
        // `finish` leaves nothing behind: a second call returns nothing.
        let mut decoder = SseDecoder::new();
        decoder.feed(b"event: x\ndata: two", &mut Vec::new());
        assert_eq!(decoder.finish().map(|event| event.event), Some("x".into()));
        assert_eq!(decoder.finish(), None);
    }

    #[test]
    fn done_marker_is_recognised() {
        let (events, _) = decode_all(&[b"data: [DONE]\n\n"]);
        assert!(events[0].is_done());
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Chunk {
        text: String,
    }

    #[test]
    fn events_are_parsed_or_turned_into_errors() {
        let ok = parse_event::<Chunk>(
            "op",
            &event("message", r#"{"text":"a","base_resp":{"status_code":0}}"#),
            None,
        );
        assert!(matches!(ok, Parsed::Item(Chunk { ref text }) if text == "a"));
        let failed = parse_event::<Chunk>(
            "op",
            &event(
                "message",
                r#"{"base_resp":{"status_code":1027,"status_msg":"output sensitive"}}"#,
            ),
            Some("t-1"),
        );
        match failed {
            Parsed::Failed(Error::Api(api)) => {
                assert_eq!(api.code, ErrorCode::SensitiveOutput);
                assert_eq!(api.trace_id.as_deref(), Some("t-1"));
            }
            _ => panic!("expected an API error"),
        }
        let anthropic = parse_event::<Chunk>(
            "op",
            &event(
                "error",
                r#"{"type":"error","error":{"type":"overloaded_error","message":"busy"}}"#,
            ),
            None,
        );
        assert!(
            matches!(anthropic, Parsed::Failed(Error::Api(ref api)) if api.code == ErrorCode::Internal)
        );
        // Error shapes in ordinary `data` events, as the whole-body analysis
        // knows them: a quoted code, an error object, a flat error.
        for (data, code) in [
            (
                r#"{"text":"a","base_resp":{"status_code":"1002","status_msg":"rpm"}}"#,
                ErrorCode::RateLimited,
            ),
            (
                r#"{"error":{"type":"rate_limit_error","message":"slow down"}}"#,
                ErrorCode::RateLimited,
            ),
            (
                r#"{"type":"error","message":"invalid params (2013)"}"#,
                ErrorCode::InvalidInput,
            ),
        ] {
            match parse_event::<Chunk>("op", &event("message", data), None) {
                Parsed::Failed(Error::Api(api)) => assert_eq!(api.code, code, "{data}"),
                _ => panic!("expected an API error for {data}"),
            }
        }
        // A null error member and a zero code are no error.
        let clean = parse_event::<Chunk>(
            "op",
            &event(
                "message",
                r#"{"text":"b","error":null,"base_resp":{"status_code":"0"}}"#,
            ),
            None,
        );
        assert!(matches!(clean, Parsed::Item(Chunk { ref text }) if text == "b"));
        let bad = parse_event::<Chunk>("op", &event("message", r#"{"nope":1}"#), None);
        assert!(matches!(bad, Parsed::Failed(Error::Decode { .. })));
        assert!(matches!(
            parse_event::<Chunk>("op", &event("message", "[DONE]"), None),
            Parsed::Done
        ));
        assert!(matches!(
            parse_event::<Chunk>("op", &event("message", " "), None),
            Parsed::Skip
        ));
    }
}
