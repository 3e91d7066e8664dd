//! [`Response`]: a successful result together with the MiniMax trace id.
//!
//! Every resource method that makes one request returns
//! `Result<Response<T>, Error>`. `Response<T>` dereferences to `T`, so
//! fields and methods of the value are reached directly
//! (`speech.audio`, `files.len()`), and it adds what the HTTP exchange
//! says about the call:
//!
//! - [`Response::trace_id`]: the `Trace-Id` response header, or the body's
//!   `trace_id` when the header is absent. Quote it to MiniMax support; an
//!   error carries the same id in [`crate::ApiError::trace_id`];
//! - [`Response::http_status`] and [`Response::headers`] of the final attempt.
//!
//! Streams (chat and speech streams, file content)
//! expose the trace id of their response with a `trace_id()` method; the
//! one-call flows that make several requests (create, wait, download)
//! return a report whose parts keep their own trace ids.
//!
//! ```no_run
//! # async fn run(client: minimax_sdk::Client) -> Result<(), minimax_sdk::Error> {
//! use minimax_sdk::FilePurpose;
//!
//! let files = client.files().list(FilePurpose::VoiceClone).await?;
//! println!("{} files (trace id {:?})", files.len(), files.trace_id());
//! for file in files.into_inner() {
//!     println!("{} {}", file.file_id, file.filename);
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::ops::{Deref, DerefMut};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;

/// A trace id as it arrived: the value of a response header (shared with
/// the response's headers, not copied), or text (from a JSON body).
#[derive(Clone)]
pub(crate) enum TraceId {
    /// A header value, checked to be visible ASCII without surrounding space.
    Header(HeaderValue),
    /// Text from elsewhere.
    Text(String),
}

impl TraceId {
    /// The trace id of a header value: `None` for an empty one or one that
    /// is not visible ASCII; kept as the value when it needs no trimming.
    pub(crate) fn of_header(value: &HeaderValue) -> Option<TraceId> {
        let text = value.to_str().ok()?;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            None
        } else if trimmed.len() == text.len() {
            Some(TraceId::Header(value.clone()))
        } else {
            Some(TraceId::Text(trimmed.to_owned()))
        }
    }

    /// The trace id.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Checked by `of_header`.
            TraceId::Header(value) => value.to_str().unwrap_or_default(),
            TraceId::Text(text) => text,
        }
    }

    /// The trace id as an owned string.
    pub(crate) fn into_string(self) -> String {
        match self {
            TraceId::Header(_) => self.as_str().to_owned(),
            TraceId::Text(text) => text,
        }
    }
}

impl fmt::Debug for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A successful result with the trace id, HTTP status and headers of the
/// response it came from. Dereferences to the value.
#[derive(Clone)]
pub struct Response<T> {
    value: T,
    trace_id: Option<TraceId>,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> Response<T> {
    /// Wraps a value (for tests and for code that builds results itself).
    pub fn new(value: T, trace_id: Option<String>, status: StatusCode, headers: HeaderMap) -> Self {
        Self::with_trace_id(value, trace_id.map(TraceId::Text), status, headers)
    }

    /// [`Response::new`] with the trace id as the executor recorded it.
    pub(crate) fn with_trace_id(
        value: T,
        trace_id: Option<TraceId>,
        status: StatusCode,
        headers: HeaderMap,
    ) -> Self {
        Self {
            value,
            trace_id,
            status,
            headers,
        }
    }

    /// The MiniMax trace id: the `Trace-Id` header, else the body's `trace_id`.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_ref().map(TraceId::as_str)
    }

    /// The HTTP status of the response (named so that it cannot be
    /// confused with the `status` field of a task).
    pub fn http_status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (rate-limit headers, `Content-Type`, …).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value, dropping the response metadata.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The value and the trace id.
    pub fn into_parts(self) -> (T, Option<String>) {
        (self.value, self.trace_id.map(TraceId::into_string))
    }

    /// The same response carrying `f(value)`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            trace_id: self.trace_id,
            status: self.status,
            headers: self.headers,
        }
    }

    /// The same response carrying `f(value)`, or `f`'s error.
    pub fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Response<U>, E> {
        Ok(Response {
            value: f(self.value)?,
            trace_id: self.trace_id,
            status: self.status,
            headers: self.headers,
        })
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("value", &self.value)
            .field("trace_id", &self.trace_id)
            .field("http_status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Reads the JSON success body of a hand-written request (one sent with
/// [`crate::Client::send`], which has already turned error statuses and a
/// non-zero `base_resp` into errors) into a [`Response`].
pub(crate) async fn read_json<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    mut response: reqwest::Response,
) -> Result<Response<T>, crate::Error> {
    let status = response.status();
    // Moved out: reading the body does not need them.
    let headers = std::mem::take(response.headers_mut());
    let body = response
        .bytes()
        .await
        .map_err(|error| crate::error::from_reqwest(operation, error, None))?;
    let value = serde_json::from_slice(&body).map_err(|error| {
        let what = match error.classify() {
            serde_json::error::Category::Data => "the body does not match the expected type",
            _ => "the body is not JSON",
        };
        crate::Error::decode(operation, what, Some(error), &body)
    })?;
    let trace_id = crate::error::trace_id_of_bytes(&headers, &body);
    Ok(Response::new(value, trace_id, status, headers))
}

/// The error for a success response that lacks something the API always
/// sends on success (`file`, `task_id`, …): an [`crate::Error::Decode`]
/// naming the field and the trace id, with the body as decoded.
pub(crate) fn missing<T: serde::Serialize>(
    operation: &'static str,
    what: &str,
    response: &Response<T>,
) -> crate::Error {
    let trace = response
        .trace_id()
        .map(|trace_id| format!(" [trace-id {trace_id}]"))
        .unwrap_or_default();
    let body = serde_json::to_vec(&response.value).unwrap_or_default();
    crate::Error::decode(
        operation,
        format!("the success response has no {what}{trace}"),
        None,
        &body,
    )
}

/// The `status_msg` of a `base_resp` when it says something.
pub(crate) fn status_message(base_resp: Option<&minimax_api::BaseResp>) -> Option<String> {
    base_resp
        .map(|base| base.status_msg.trim())
        .filter(|message| !message.is_empty() && !message.eq_ignore_ascii_case("success"))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct File {
        file_id: i64,
    }

    fn response(headers: &[(&str, &str)], body: &'static str) -> reqwest::Response {
        let mut builder = http::Response::builder().status(200);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        reqwest::Response::from(builder.body(body).unwrap())
    }

    fn decode_reason(error: crate::Error) -> String {
        match error {
            crate::Error::Decode { reason, .. } => reason,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn the_value_keeps_the_trace_id_status_and_headers() {
        let body = r#"{"file_id":7,"trace_id":"from-body","base_resp":{"status_code":0}}"#;
        let read = read_json::<File>("op", response(&[("x-extra", "1")], body))
            .await
            .unwrap();
        assert_eq!(read.file_id, 7);
        assert_eq!(read.trace_id(), Some("from-body"));
        assert_eq!(read.http_status(), 200);
        assert_eq!(read.headers()["x-extra"], "1");

        let headed = read_json::<File>("op", response(&[("trace-id", "from-header")], body))
            .await
            .unwrap();
        assert_eq!(headed.trace_id(), Some("from-header"));

        let untraced = read_json::<File>("op", response(&[], r#"{"file_id":7}"#))
            .await
            .unwrap();
        assert_eq!(untraced.trace_id(), None);
    }

    #[tokio::test]
    async fn a_body_that_is_not_json_or_not_the_type_is_a_decode_error() {
        let error = read_json::<File>("op", response(&[], "<html>oops</html>"))
            .await
            .unwrap_err();
        assert_eq!(decode_reason(error), "the body is not JSON");
        let error = read_json::<File>("op", response(&[], r#"{"file_id":"seven"}"#))
            .await
            .unwrap_err();
        assert_eq!(
            decode_reason(error),
            "the body does not match the expected type"
        );
        let error = read_json::<File>("op", response(&[], r#"{"file_id":7"#))
            .await
            .unwrap_err();
        assert_eq!(decode_reason(error), "the body is not JSON");
    }

    #[test]
    fn header_trace_ids_are_shared_when_clean_trimmed_when_padded_and_dropped_when_unusable() {
        let shared = TraceId::of_header(&HeaderValue::from_static("04a1b2")).unwrap();
        assert!(matches!(shared, TraceId::Header(_)));
        assert_eq!(shared.as_str(), "04a1b2");
        assert_eq!(format!("{shared:?}"), "\"04a1b2\"");

        let padded = HeaderValue::from_bytes(b" 04a1b2\t").unwrap();
        let trimmed = TraceId::of_header(&padded).unwrap();
        assert!(matches!(trimmed, TraceId::Text(_)));
        assert_eq!(trimmed.into_string(), "04a1b2");

        assert!(TraceId::of_header(&HeaderValue::from_static("  ")).is_none());
        let binary = HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap();
        assert!(TraceId::of_header(&binary).is_none());

        let response = Response::with_trace_id(1, Some(shared), StatusCode::OK, HeaderMap::new());
        assert_eq!(response.trace_id(), Some("04a1b2"));
        let cloned = response.clone();
        assert_eq!(cloned.into_parts(), (1, Some("04a1b2".to_owned())));
    }
}
