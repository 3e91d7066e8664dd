//! The SDK's one error type, [`Error`], and the mapping of every failure the
//! MiniMax API can produce onto it.
//!
//! MiniMax reports errors in several ways, and all of them end up as
//! [`Error::Api`] with a typed [`ErrorCode`]:
//!
//! - HTTP 200 with a non-zero `base_resp.status_code` (the common case);
//! - a 4xx/5xx with a MiniMax body, an Anthropic-style body
//!   (`{"type":"error","error":{"type":…,"message":…}}`) or an OpenAI-style
//!   body (`{"error":{"message":…,"type":…,"code":…}}`) from the
//!   compatibility endpoints;
//! - a 4xx/5xx with an HTML, plain-text or empty body (gateways), classified
//!   by the HTTP status alone.
//!
//! This module only classifies; the retry decision lives in [`crate::retry`].

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use minimax_api::{HasBaseResp, TaskStatus};
use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde_json::Value;

use crate::executor::CallRecord;
use crate::response::TraceId;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The longest body excerpt an error keeps, in bytes.
pub const BODY_EXCERPT_LIMIT: usize = 512;

/// The most bytes of an error response body read for classification.
const ERROR_BODY_READ_LIMIT: usize = 64 * 1024;

/// Everything that can go wrong when talking to MiniMax through this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error: a non-zero `base_resp.status_code`, an
    /// error body, or an HTTP error status.
    #[error(transparent)]
    Api(#[from] ApiError),

    /// The request could not be sent or the response could not be read
    /// (DNS, connect, TLS, connection reset). The source is the `reqwest`
    /// error, with any query string removed from its URL.
    #[error("{operation} failed: {}{}", transport_phrase(source), attempts_suffix(*attempts))]
    Transport {
        /// The operation that failed (`retrieve_file`, `upload_file`, …).
        operation: &'static str,
        /// How many attempts were made.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },

    /// A time limit expired: the per-attempt timeout or the overall deadline
    /// across retries ([`TimeoutKind`] says which).
    #[error("{operation} failed: the {kind}{} expired{}", limit_phrase(*limit), attempts_suffix(*attempts))]
    Timeout {
        /// The operation that timed out.
        operation: &'static str,
        /// Which limit expired.
        kind: TimeoutKind,
        /// The configured length of that limit, when known.
        limit: Option<Duration>,
        /// How many attempts were made.
        attempts: u32,
        /// The `reqwest` timeout error, when the limit fired inside `reqwest`.
        #[source]
        source: Option<reqwest::Error>,
    },

    /// The response could not be decoded into the expected type.
    #[error(
        "{operation} failed: could not decode the response: {reason}{}",
        excerpt_suffix(body_excerpt)
    )]
    Decode {
        /// The operation whose response was malformed.
        operation: &'static str,
        /// What was wrong.
        reason: String,
        /// The JSON error, when the body was meant to be JSON.
        #[source]
        source: Option<serde_json::Error>,
        /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes, cut at a
        /// UTF-8 character boundary).
        body_excerpt: String,
    },

    /// An asynchronous task finished without output (`Fail`, `failed`,
    /// `expired`, …).
    #[error("task {task_id} ended with status {status}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    TaskFailed {
        /// The task.
        task_id: String,
        /// The terminal status as the API sent it.
        status: TaskStatus,
        /// The API's explanation, when it gave one.
        message: Option<String>,
    },

    /// Waiting for an asynchronous task ran past its deadline. The task may
    /// still finish; poll it again later with the same id.
    #[error("gave up waiting for task {task_id} after {waited:?}{}", last_status.as_ref().map(|s| format!(" (last status: {s})")).unwrap_or_default())]
    WaitTimeout {
        /// The task.
        task_id: String,
        /// How long the wait lasted.
        waited: Duration,
        /// The last status seen, if any poll succeeded.
        last_status: Option<TaskStatus>,
    },

    /// A local file could not be read, written or renamed.
    #[error("could not {action} {}", path.display())]
    Io {
        /// What was being done (`open`, `create a temporary file in`, `rename into`, …).
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system error.
        #[source]
        source: std::io::Error,
    },

    /// A body had a different length than announced or expected (for example
    /// a download cut short).
    #[error("{operation} failed: expected {expected} bytes, received {received}")]
    SizeMismatch {
        /// The operation.
        operation: &'static str,
        /// The expected number of bytes.
        expected: u64,
        /// The number of bytes actually received.
        received: u64,
    },

    /// The client configuration is invalid or incomplete. The message names
    /// the setting or environment variable to fix.
    #[error("invalid configuration: {0}")]
    Config(String),

    /// An argument passed to the SDK is invalid.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

impl From<minimax_api::types::error::ConversionError> for Error {
    /// A generated builder that could not build its value (a required
    /// field unset, a value out of range) is an invalid argument, so
    /// `builder.try_into()?` works in functions returning this crate's
    /// `Result`.
    fn from(error: minimax_api::types::error::ConversionError) -> Self {
        Error::InvalidArgument(error.to_string())
    }
}

/// Which time limit expired in an [`Error::Timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The limit on one attempt (connect, send and receive the whole body).
    Attempt,
    /// The overall deadline across all attempts and backoff delays.
    Deadline,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Attempt => "per-attempt timeout",
            TimeoutKind::Deadline => "overall deadline",
        })
    }
}

fn transport_phrase(source: &reqwest::Error) -> &'static str {
    if source.is_connect() {
        "could not connect to the server"
    } else if source.is_body() || source.is_decode() {
        "the connection failed while reading the response"
    } else if source.is_redirect() {
        "too many redirects"
    } else if source.is_builder() {
        "the request could not be built"
    } else {
        "the connection failed"
    }
}

fn attempts_suffix(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

fn limit_phrase(limit: Option<Duration>) -> String {
    limit.map(|d| format!(" of {d:?}")).unwrap_or_default()
}

fn excerpt_suffix(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(" (body: {excerpt:?})")
    }
}

impl Error {
    /// Whether the failure is transient, so the same request may succeed
    /// later: rate limits, timeouts, server errors, connection failures.
    ///
    /// This ignores the paid-request rule of [`crate::RetryPolicy`]; it says
    /// what kind of failure this is, not whether the SDK retried it.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => api.is_retryable(),
            Error::Transport { source, .. } => {
                crate::retry::should_retry(crate::retry::failure_of(source), false, false)
            }
            Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// Whether the API refused the request because of a rate limit
    /// (MiniMax 1002 or 1039, or HTTP 429).
    pub fn is_rate_limited(&self) -> bool {
        self.api_error()
            .is_some_and(|api| api.code == ErrorCode::RateLimited)
    }

    /// Whether the API refused the credentials (MiniMax 1004 or 2049, HTTP 401 or 403).
    pub fn is_auth(&self) -> bool {
        self.api_error()
            .is_some_and(|api| api.code == ErrorCode::Auth)
    }

    /// The API error, if this is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The MiniMax trace id to quote to support, if the server sent one.
    pub fn trace_id(&self) -> Option<&str> {
        self.api_error().and_then(|api| api.trace_id.as_deref())
    }

    /// The operation that failed, for errors tied to one request.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(api) => Some(api.operation),
            Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Decode { operation, .. }
            | Error::SizeMismatch { operation, .. } => Some(operation),
            _ => None,
        }
    }

    /// An [`Error::Io`] for `path`.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Error {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// A decode error for a body that failed to parse.
    pub(crate) fn decode(
        operation: &'static str,
        reason: impl Into<String>,
        source: Option<serde_json::Error>,
        body: &[u8],
    ) -> Error {
        Error::Decode {
            operation,
            reason: reason.into(),
            source,
            body_excerpt: excerpt(body, BODY_EXCERPT_LIMIT),
        }
    }
}

/// The typed meaning of a MiniMax error code (or of an HTTP status when the
/// response carried no code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Too many requests: MiniMax 1002 (RPM) or 1039 (TPM), HTTP 429.
    RateLimited,
    /// The API key is missing, wrong, or not allowed: MiniMax 1004 or 2049, HTTP 401 or 403.
    Auth,
    /// The account balance is too low: MiniMax 1008.
    InsufficientBalance,
    /// The input was refused by the content filter: MiniMax 1026.
    SensitiveInput,
    /// The generated output was refused by the content filter: MiniMax 1027.
    SensitiveOutput,
    /// The request parameters are invalid: MiniMax 2013.
    InvalidInput,
    /// The server timed out: MiniMax 1001, HTTP 408 or 504.
    Timeout,
    /// A server-side failure worth retrying: MiniMax 1000, 1013 or 1024, HTTP 5xx.
    Internal,
    /// Any other code: the MiniMax code, or the HTTP status when the response
    /// carried no MiniMax code.
    Other(i64),
}

impl ErrorCode {
    /// Maps a MiniMax `status_code` (non-zero) to its meaning.
    pub fn from_code(code: i64) -> ErrorCode {
        match code {
            1002 | 1039 => ErrorCode::RateLimited,
            1004 | 2049 => ErrorCode::Auth,
            1008 => ErrorCode::InsufficientBalance,
            1026 => ErrorCode::SensitiveInput,
            1027 => ErrorCode::SensitiveOutput,
            2013 => ErrorCode::InvalidInput,
            1001 => ErrorCode::Timeout,
            1000 | 1013 | 1024 => ErrorCode::Internal,
            other => ErrorCode::Other(other),
        }
    }

    /// Maps an HTTP error status to a code, for responses without a MiniMax code.
    pub fn from_http_status(status: u16) -> ErrorCode {
        match status {
            401 | 403 => ErrorCode::Auth,
            429 => ErrorCode::RateLimited,
            408 | 504 => ErrorCode::Timeout,
            500..=599 => ErrorCode::Internal,
            other => ErrorCode::Other(i64::from(other)),
        }
    }

    /// Maps the error `type`/`code` strings of the Anthropic- and
    /// OpenAI-compatible endpoints.
    fn from_error_kind(kind: &str) -> Option<ErrorCode> {
        Some(match kind {
            "authentication_error" | "permission_error" | "invalid_api_key" | "unauthorized" => {
                ErrorCode::Auth
            }
            "rate_limit_error" | "rate_limit_exceeded" => ErrorCode::RateLimited,
            "insufficient_quota" | "billing_error" => ErrorCode::InsufficientBalance,
            "invalid_request_error" => ErrorCode::InvalidInput,
            "timeout_error" => ErrorCode::Timeout,
            "api_error" | "overloaded_error" | "server_error" | "internal_error" => {
                ErrorCode::Internal
            }
            _ => return None,
        })
    }

    /// Whether failures with this code are transient (rate limit, timeout,
    /// internal error).
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited | ErrorCode::Timeout | ErrorCode::Internal
        )
    }

    /// A short lowercase name (`auth`, `rate limited`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::RateLimited => "rate limited",
            ErrorCode::Auth => "auth",
            ErrorCode::InsufficientBalance => "insufficient balance",
            ErrorCode::SensitiveInput => "sensitive input",
            ErrorCode::SensitiveOutput => "sensitive output",
            ErrorCode::InvalidInput => "invalid input",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Internal => "internal",
            ErrorCode::Other(_) => "other",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error reported by the MiniMax API.
///
/// `Display` names the operation, the MiniMax code and message and the trace
/// id: `retrieve_file failed: MiniMax error 1004 (auth): invalid api key [trace-id 0a1b…]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that failed (`retrieve_file`, `upload_file`, …).
    pub operation: &'static str,
    /// What the error means.
    pub code: ErrorCode,
    /// The raw MiniMax code (`base_resp.status_code`, or a numeric code of a
    /// compatibility endpoint); `None` when the response carried none and
    /// [`ApiError::code`] was derived from the HTTP status.
    pub status_code: Option<i64>,
    /// The server's message (`base_resp.status_msg`, `error.message`), or the
    /// HTTP reason phrase or a body excerpt when there was none.
    pub message: String,
    /// The HTTP status, when the error came from an HTTP response.
    pub http_status: Option<u16>,
    /// The trace id from the `Trace-Id` response header or the body's `trace_id`.
    pub trace_id: Option<String>,
    /// The server's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
    /// How many attempts the SDK made before giving up (at least 1).
    pub attempts: u32,
}

impl ApiError {
    /// An error for `operation` with the given code and message.
    pub fn new(operation: &'static str, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            operation,
            code,
            status_code: None,
            message: message.into(),
            http_status: None,
            trace_id: None,
            retry_after: None,
            attempts: 1,
        }
    }

    /// Whether the failure is transient (see [`Error::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        // The executor's rule for an unpaid request: a transient HTTP status
        // counts unless the body names a known, permanent MiniMax code (an
        // auth error sent with HTTP 500 stays fatal).
        crate::retry::should_retry(crate::retry::failure_of_api(self), false, false)
    }

    pub(crate) fn with_record(mut self, record: Option<&CallRecord>) -> ApiError {
        if let Some(record) = record {
            self.attempts = self.attempts.max(record.attempts);
            if self.trace_id.is_none() {
                self.trace_id = record
                    .trace_id
                    .as_ref()
                    .map(|trace_id| trace_id.as_str().to_owned());
            }
            if self.retry_after.is_none() {
                self.retry_after = record.retry_after;
            }
            if self.http_status.is_none() {
                self.http_status = record.http_status;
            }
        }
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: ", self.operation)?;
        match (self.status_code, self.http_status) {
            (Some(code), http) => {
                write!(f, "MiniMax error {code} ({}): {}", self.code, self.message)?;
                if let Some(http) = http.filter(|status| !(200..300).contains(status)) {
                    write!(f, " (HTTP {http})")?;
                }
            }
            (None, Some(http)) => write!(f, "HTTP {http} ({}): {}", self.code, self.message)?,
            (None, None) => write!(f, "{}: {}", self.code, self.message)?,
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if let Some(trace_id) = &self.trace_id {
            write!(f, " [trace-id {trace_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Cuts `bytes` to at most `limit` bytes of text, never inside a UTF-8
/// character; invalid UTF-8 is replaced with U+FFFD.
pub(crate) fn excerpt(bytes: &[u8], limit: usize) -> String {
    let prefix = &bytes[..bytes.len().min(limit)];
    let mut text = match std::str::from_utf8(prefix) {
        Ok(text) => text.to_owned(),
        // The cut fell inside a character: drop the partial character.
        Err(err) if err.error_len().is_none() => {
            String::from_utf8_lossy(&prefix[..err.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(prefix).into_owned(),
    };
    if text.len() > limit {
        // Replacement characters can make the text longer than the bytes.
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// What an error body says, in any of the shapes MiniMax uses.
#[derive(Debug, Default, PartialEq)]
struct BodyError {
    code: Option<i64>,
    kind: Option<String>,
    message: Option<String>,
    trace_id: Option<String>,
}

/// Reads an integer that may be sent as a number or a numeric string.
fn lenient_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn non_empty(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// A MiniMax code quoted in a message, as in `"system error (1033)"`.
fn code_in_message(message: &str) -> Option<i64> {
    let open = message.rfind('(')?;
    let close = open + message[open..].find(')')?;
    let digits = &message[open + 1..close];
    if (3..=6).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// Extracts the error a JSON body reports, if any. `None` means the body
/// reports success (or is not an object).
fn body_error(value: &Value) -> Option<BodyError> {
    let object = value.as_object()?;
    let trace_id =
        non_empty(object.get("trace_id")).or_else(|| non_empty(object.get("request_id")));

    if let Some(base_resp) = object.get("base_resp").and_then(Value::as_object) {
        let code = base_resp.get("status_code").and_then(lenient_i64);
        if let Some(code) = code.filter(|code| *code != 0) {
            return Some(BodyError {
                code: Some(code),
                kind: None,
                message: non_empty(base_resp.get("status_msg")),
                trace_id,
            });
        }
    }

    match object.get("error") {
        Some(Value::Object(error)) => {
            let message = non_empty(error.get("message"));
            let numeric_code = error
                .get("code")
                .and_then(lenient_i64)
                .or_else(|| error.get("status_code").and_then(lenient_i64))
                .or_else(|| message.as_deref().and_then(code_in_message));
            let kind = error
                .get("code")
                .and_then(Value::as_str)
                .filter(|code| code.parse::<i64>().is_err())
                .map(str::to_owned)
                .or_else(|| non_empty(error.get("type")));
            Some(BodyError {
                code: numeric_code,
                kind,
                message,
                trace_id,
            })
        }
        Some(Value::String(message)) if !message.trim().is_empty() => Some(BodyError {
            code: None,
            kind: None,
            message: Some(message.trim().to_owned()),
            trace_id,
        }),
        // A flat `{"type":"error","message":…}`.
        _ if object.get("type").and_then(Value::as_str) == Some("error") => {
            let message = non_empty(object.get("message"));
            Some(BodyError {
                code: message.as_deref().and_then(code_in_message),
                kind: None,
                message,
                trace_id,
            })
        }
        _ => None,
    }
}

/// The trace id in the response headers (`Trace-Id`, else one of the
/// other names MiniMax and its proxies use), shared with the headers
/// rather than copied.
pub(crate) fn trace_id_in_headers(headers: &HeaderMap) -> Option<TraceId> {
    use reqwest::header::HeaderName;
    // A `static`, not a `const`: a `const` array is built and dropped on
    // every call.
    static NAMES: [HeaderName; 4] = [
        HeaderName::from_static("trace-id"),
        HeaderName::from_static("x-trace-id"),
        HeaderName::from_static("minimax-request-id"),
        HeaderName::from_static("x-request-id"),
    ];
    NAMES
        .iter()
        .find_map(|name| headers.get(name))
        .and_then(TraceId::of_header)
}

fn trace_id_header(headers: &HeaderMap) -> Option<String> {
    trace_id_in_headers(headers).map(TraceId::into_string)
}

/// [`trace_id_of`] for a body not parsed as a whole: the header, else the
/// top-level `trace_id` found by [`SuccessProbe`].
pub(crate) fn trace_id_of_bytes(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    trace_id_header(headers).or_else(|| SuccessProbe::scan(body).and_then(|probe| probe.trace_id()))
}

/// The trace id of a response: the `Trace-Id` header, falling back to a
/// `trace_id` field of the JSON body.
pub(crate) fn trace_id_of(headers: Option<&HeaderMap>, body: Option<&Value>) -> Option<String> {
    headers
        .and_then(trace_id_header)
        .or_else(|| trace_id_in_json(body))
}

/// The `trace_id` field of a JSON body.
fn trace_id_in_json(body: Option<&Value>) -> Option<String> {
    body.and_then(Value::as_object)
        .and_then(|object| non_empty(object.get("trace_id")))
}

/// Converts a request for `operation` (a generated request type or its
/// builder); a builder that fails its own checks becomes
/// [`Error::InvalidArgument`] naming the operation.
pub(crate) fn into_request<T, R>(operation: &'static str, request: R) -> Result<T, Error>
where
    R: TryInto<T>,
    R::Error: fmt::Display,
{
    request
        .try_into()
        .map_err(|error| Error::InvalidArgument(format!("{operation}: {error}")))
}

/// What a JSON response body says, for the executor.
pub(crate) struct BodyVerdict {
    /// The trace id: the response header, else the body's `trace_id`.
    pub(crate) trace_id: Option<TraceId>,
    /// The error the status or body reports, if any.
    pub(crate) api_error: Option<ApiError>,
    /// Whether the body was taken for JSON (the success fast path does not
    /// validate; the typed decode that follows does).
    pub(crate) is_json: bool,
}

/// Judges a buffered JSON response. Every successful call comes through
/// here, so the common case (a 2xx whose top level certainly reports no
/// error) is decided by [`SuccessProbe`], which finds the few top-level
/// members that matter without tokenizing the rest; anything else gets the
/// full analysis of [`api_error_from_body`], parsing once.
pub(crate) fn judge_json_body(
    operation: &'static str,
    http_status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> BodyVerdict {
    // Looked up once, for every outcome.
    let header_trace_id = trace_id_in_headers(headers);
    if (200..300).contains(&http_status) {
        if header_trace_id.is_some() && no_error_in_bytes(body) {
            return BodyVerdict {
                trace_id: header_trace_id,
                api_error: None,
                is_json: true,
            };
        }
        if let Some(probe) = SuccessProbe::scan(body) {
            if probe.reports_no_error() {
                return BodyVerdict {
                    trace_id: header_trace_id.or_else(|| probe.trace_id().map(TraceId::Text)),
                    api_error: None,
                    is_json: true,
                };
            }
        }
    }
    let json: Option<Value> = serde_json::from_slice(body).ok();
    BodyVerdict {
        trace_id: header_trace_id.or_else(|| trace_id_in_json(json.as_ref()).map(TraceId::Text)),
        api_error: api_error_from_json(
            operation,
            Some(http_status),
            Some(headers),
            json.as_ref(),
            body,
        ),
        is_json: json.is_some(),
    }
}

/// The error a JSON document reports (a non-zero `base_resp`, an `error`
/// member, a `"type": "error"` object), as [`judge_json_body`] decides it
/// for a success response: most documents are cleared by the
/// [`SuccessProbe`] scan without being parsed. Streams use it per event.
pub(crate) fn error_in_json(operation: &'static str, json: &[u8]) -> Option<ApiError> {
    if SuccessProbe::scan(json).is_some_and(|probe| probe.reports_no_error()) {
        return None;
    }
    api_error_from_body(operation, None, None, json)
}

/// Whether the bytes alone prove that a JSON body reports no error: the
/// token `"error"` appears nowhere (so there is no `error` member and no
/// `"type": "error"`), and `"status_code"` appears at most once, as a key
/// whose value is `0`. Inside a JSON string quotes are escaped, so these
/// tokens can only be keys or whole string values; anything else (a second
/// `status_code`, a non-zero code) is left to the scanner.
fn no_error_in_bytes(body: &[u8]) -> bool {
    use std::sync::LazyLock;

    use memchr::memmem::Finder;

    // Built once: constructing a searcher costs more than running it on a
    // typical body.
    static ERROR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"error\""));
    static STATUS_CODE: LazyLock<Finder<'static>> =
        LazyLock::new(|| Finder::new(b"\"status_code\""));
    if ERROR.find(body).is_some() {
        return false;
    }
    let mut codes = STATUS_CODE.find_iter(body);
    let Some(first) = codes.next() else {
        return true;
    };
    if codes.next().is_some() {
        return false;
    }
    let after = skip_space(body, first + b"\"status_code\"".len());
    if body.get(after) != Some(&b':') {
        return false;
    }
    let value = skip_space(body, after + 1);
    body.get(value) == Some(&b'0')
        && !body
            .get(value + 1)
            .is_some_and(|byte| byte.is_ascii_digit() || *byte == b'.')
}

/// The raw text of the top-level members [`body_error`] looks at.
#[derive(Default)]
struct SuccessProbe<'a> {
    base_resp: Option<&'a [u8]>,
    error: bool,
    kind: Option<&'a [u8]>,
    trace_id: Option<&'a [u8]>,
}

impl<'a> SuccessProbe<'a> {
    /// Walks the top level of a JSON object, skipping member values by
    /// their brackets and quotes. It does not validate (the typed decode
    /// that follows does); it returns `None` for anything it does not
    /// plainly understand (not an object, an escaped key, a truncated
    /// body), which sends the body to the full analysis.
    fn scan(body: &'a [u8]) -> Option<Self> {
        let mut probe = SuccessProbe::default();
        for_each_member(body, |key, value| match key {
            b"base_resp" => probe.base_resp = Some(value),
            b"error" => probe.error = true,
            b"type" => probe.kind = Some(value),
            b"trace_id" => probe.trace_id = Some(value),
            _ => {}
        })?;
        Some(probe)
    }

    /// Certainly no error: `base_resp.status_code` absent, null or `0`, no
    /// `error` member at all, and not `"type": "error"`. Anything less
    /// certain (a code sent as a string, `"error": null`) goes to the full
    /// analysis, which decides the same cases exactly.
    fn reports_no_error(&self) -> bool {
        let code_is_zero = match self.base_resp {
            None | Some(b"null") => true,
            Some(base_resp) => {
                let mut code: Option<&[u8]> = None;
                for_each_member(base_resp, |key, value| {
                    if key == b"status_code" {
                        code = Some(value);
                    }
                })
                .is_some()
                    && matches!(code, None | Some(b"0") | Some(b"null"))
            }
        };
        code_is_zero && !self.error && self.kind != Some(b"\"error\"".as_slice())
    }

    fn trace_id(&self) -> Option<String> {
        let raw = self.trace_id?;
        serde_json::from_slice::<String>(raw)
            .ok()
            .map(|trace_id| trace_id.trim().to_owned())
            .filter(|trace_id| !trace_id.is_empty())
    }
}

/// Calls `member(key, raw value)` for each member of the JSON object that
/// is the whole of `text`; `None` when `text` is not plainly one object.
fn for_each_member<'a>(text: &'a [u8], mut member: impl FnMut(&'a [u8], &'a [u8])) -> Option<()> {
    let mut at = skip_space(text, 0);
    if text.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(text, at + 1);
    if text.get(at) == Some(&b'}') {
        return (skip_space(text, at + 1) == text.len()).then_some(());
    }
    loop {
        if text.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(text, at)?;
        let key = &text[at + 1..key_end - 1];
        if key.contains(&b'\\') {
            return None;
        }
        at = skip_space(text, key_end);
        if text.get(at) != Some(&b':') {
            return None;
        }
        let value_start = skip_space(text, at + 1);
        let value_end = value_end(text, value_start)?;
        member(key, &text[value_start..value_end]);
        at = skip_space(text, value_end);
        match text.get(at) {
            Some(b',') => at = skip_space(text, at + 1),
            Some(b'}') => return (skip_space(text, at + 1) == text.len()).then_some(()),
            _ => return None,
        }
    }
}

fn skip_space(text: &[u8], mut at: usize) -> usize {
    while text.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The index just past the string starting at `start` (a `"`).
fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        at += memchr::memchr2(b'"', b'\\', text.get(at..)?)?;
        if text[at] == b'"' {
            return Some(at + 1);
        }
        at += 2;
    }
}

/// The index just past the JSON value starting at `start`.
fn value_end(text: &[u8], start: usize) -> Option<usize> {
    match text.get(start)? {
        b'"' => string_end(text, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = start;
            while let Some(&byte) = text.get(at) {
                match byte {
                    b'"' => {
                        at = string_end(text, at)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
            None
        }
        _ => {
            let rest = &text[start..];
            let length = rest
                .iter()
                .position(|byte| matches!(byte, b',' | b'}' | b']') || byte.is_ascii_whitespace())
                .unwrap_or(rest.len());
            (length > 0).then_some(start + length)
        }
    }
}

/// Classifies a response. Returns `None` when it is a success: a 2xx (or
/// unknown) status whose body reports no error.
pub(crate) fn api_error_from_body(
    operation: &'static str,
    http_status: Option<u16>,
    headers: Option<&HeaderMap>,
    body: &[u8],
) -> Option<ApiError> {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    api_error_from_json(operation, http_status, headers, json.as_ref(), body)
}

/// [`api_error_from_body`] for a body already parsed as `json` (`None`
/// when it is not JSON).
fn api_error_from_json(
    operation: &'static str,
    http_status: Option<u16>,
    headers: Option<&HeaderMap>,
    json: Option<&Value>,
    body: &[u8],
) -> Option<ApiError> {
    let found = json.and_then(body_error);
    let failed_status = http_status.filter(|status| !(200..300).contains(status));
    if found.is_none() && failed_status.is_none() {
        return None;
    }
    let found = found.unwrap_or_default();

    let code = match (found.code, found.kind.as_deref()) {
        (Some(code), _) => ErrorCode::from_code(code),
        (None, Some(kind)) => ErrorCode::from_error_kind(kind)
            .or_else(|| failed_status.map(ErrorCode::from_http_status))
            .unwrap_or(ErrorCode::Other(0)),
        (None, None) => failed_status.map_or(ErrorCode::Other(0), ErrorCode::from_http_status),
    };

    let message = found
        .message
        .or_else(|| found.kind.clone())
        .or_else(|| {
            json.and_then(|value| {
                non_empty(value.get("message")).or_else(|| non_empty(value.get("msg")))
            })
        })
        .or_else(|| message_from_text(body))
        .or_else(|| {
            failed_status
                .and_then(|status| reqwest::StatusCode::from_u16(status).ok())
                .and_then(|status| status.canonical_reason())
                .map(|reason| reason.to_lowercase())
        })
        .unwrap_or_else(|| "no error message".to_owned());

    Some(ApiError {
        operation,
        code,
        status_code: found.code,
        message,
        http_status,
        trace_id: headers.and_then(trace_id_header).or(found.trace_id),
        retry_after: headers.and_then(|headers| {
            crate::retry::parse_retry_after(headers, std::time::SystemTime::now())
        }),
        attempts: 1,
    })
}

/// A plain-text body as a message; HTML pages and binary noise are skipped
/// (the HTTP reason phrase says more than a gateway's page).
fn message_from_text(body: &[u8]) -> Option<String> {
    let text = excerpt(body, BODY_EXCERPT_LIMIT);
    let text = text.trim();
    if text.is_empty()
        || text.starts_with('<')
        || text.starts_with('{')
        || text.contains('\u{FFFD}')
    {
        None
    } else {
        Some(text.to_owned())
    }
}

/// Reads at most [`ERROR_BODY_READ_LIMIT`] bytes of a response body,
/// keeping whatever arrived before a read error.
pub(crate) async fn read_body_prefix(mut response: reqwest::Response) -> Bytes {
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_READ_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(ERROR_BODY_READ_LIMIT);
    Bytes::from(body)
}

/// Turns a response that failed (non-2xx status, or a body reporting an
/// error) into an [`Error`]; a response that turns out to be a success
/// becomes a decode error naming `reason`.
pub(crate) async fn from_failed_response(
    operation: &'static str,
    response: reqwest::Response,
    record: Option<&CallRecord>,
    reason: &str,
) -> Error {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = read_body_prefix(response).await;
    match api_error_from_body(operation, Some(status), Some(&headers), &body) {
        Some(api) => Error::Api(api.with_record(record)),
        None => Error::decode(operation, format!("{reason} (HTTP {status})"), None, &body),
    }
}

/// Removes the query string from the URL inside a `reqwest` error, so
/// `GroupId` values and pre-signed download signatures stay out of messages.
pub(crate) fn scrub_reqwest_error(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
        url.set_fragment(None);
    }
    error
}

/// Maps a `reqwest` error to [`Error::Transport`], [`Error::Timeout`] or
/// [`Error::InvalidArgument`] (a request that could not be built).
pub(crate) fn from_reqwest(
    operation: &'static str,
    error: reqwest::Error,
    record: Option<&CallRecord>,
) -> Error {
    let error = scrub_reqwest_error(error);
    let attempts = record.map_or(1, |record| record.attempts.max(1));
    if error.is_builder() {
        return Error::InvalidArgument(format!(
            "{operation}: the request could not be built: {error}"
        ));
    }
    if error.is_timeout() && !error.is_connect() {
        let (kind, limit) = record
            .and_then(|record| record.timeout)
            .map_or((TimeoutKind::Attempt, None), |(kind, limit)| {
                (kind, Some(limit))
            });
        return Error::Timeout {
            operation,
            kind,
            limit,
            attempts,
            source: Some(error),
        };
    }
    Error::Transport {
        operation,
        attempts,
        source: error,
    }
}

/// Maps an error of a generated (progenitor) call to an [`Error`].
///
/// - `ErrorResponse` (a documented error status with a decoded body) and
///   `UnexpectedResponse` become [`Error::Api`], classified from the body and
///   the HTTP status.
/// - `InvalidResponsePayload` is first checked for a non-zero `base_resp` or
///   an error object (an error body often lacks the success fields, so it
///   fails to decode as the success type) and then becomes [`Error::Api`];
///   otherwise [`Error::Decode`] with a body excerpt.
/// - `CommunicationError` and `ResponseBodyError` become [`Error::Transport`]
///   or [`Error::Timeout`].
pub async fn from_progenitor<E: Serialize>(
    operation: &'static str,
    error: progenitor_client::Error<E>,
) -> Error {
    from_progenitor_with(operation, error, None).await
}

pub(crate) async fn from_progenitor_with<E: Serialize>(
    operation: &'static str,
    error: progenitor_client::Error<E>,
    record: Option<&CallRecord>,
) -> Error {
    use progenitor_client::Error as PError;
    match error {
        PError::ErrorResponse(value) => {
            let status = value.status().as_u16();
            let headers = value.headers().clone();
            let body = serde_json::to_vec(value.as_ref()).unwrap_or_default();
            let api = api_error_from_body(operation, Some(status), Some(&headers), &body)
                .unwrap_or_else(|| {
                    // A documented error type with a 2xx status cannot occur
                    // in generated code; classify by status all the same.
                    let mut api = ApiError::new(
                        operation,
                        ErrorCode::from_http_status(status),
                        "error response",
                    );
                    api.http_status = Some(status);
                    api
                });
            Error::Api(api.with_record(record))
        }
        PError::InvalidResponsePayload(body, source) => {
            let http_status = record.and_then(|record| record.http_status);
            match api_error_from_body(operation, http_status, None, &body) {
                Some(api) => Error::Api(api.with_record(record)),
                None => Error::decode(
                    operation,
                    "the body does not match the expected type",
                    Some(source),
                    &body,
                ),
            }
        }
        PError::UnexpectedResponse(response) => {
            from_failed_response(operation, response, record, "unexpected response status").await
        }
        PError::CommunicationError(source)
        | PError::ResponseBodyError(source)
        | PError::InvalidUpgrade(source) => from_reqwest(operation, source, record),
        PError::InvalidRequest(message) | PError::Custom(message) => {
            Error::InvalidArgument(format!("{operation}: {message}"))
        }
    }
}

/// Checks the `base_resp` of a decoded response: a non-zero `status_code` is
/// an [`Error::Api`] (with the trace id from the `Trace-Id` header); zero or
/// no `base_resp` gives the value.
pub fn check_base_resp<T: HasBaseResp>(
    operation: &'static str,
    response: ResponseValue<T>,
) -> Result<T, Error> {
    check_base_resp_with(operation, response, None).map(ResponseValue::into_inner)
}

pub(crate) fn check_base_resp_with<T: HasBaseResp>(
    operation: &'static str,
    response: ResponseValue<T>,
    record: Option<&CallRecord>,
) -> Result<ResponseValue<T>, Error> {
    let Some(base_resp) = response.base_resp().filter(|base| base.status_code != 0) else {
        return Ok(response);
    };
    let status = response.status().as_u16();
    let mut api = ApiError::new(
        operation,
        ErrorCode::from_code(base_resp.status_code),
        if base_resp.status_msg.trim().is_empty() {
            "no error message".to_owned()
        } else {
            base_resp.status_msg.trim().to_owned()
        },
    );
    api.status_code = Some(base_resp.status_code);
    api.http_status = Some(status);
    api.trace_id = trace_id_header(response.headers());
    api.retry_after =
        crate::retry::parse_retry_after(response.headers(), std::time::SystemTime::now());
    Err(Error::Api(api.with_record(record)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_the_full_analysis() {
        let bodies = [
            r#"{"file":{"file_id":1},"base_resp":{"status_code":0,"status_msg":"success"}}"#,
            r#"{"file":{"file_id":1}}"#,
            r#"{"base_resp":{"status_code":null}}"#,
            r#"{"base_resp":{}}"#,
            r#"{"trace_id":" abc ","data":{"audio":"00ff"}}"#,
            r#"{"trace_id":"","base_resp":{"status_code":0}}"#,
            r#"{"base_resp":{"status_code":1004,"status_msg":"invalid api key"},"trace_id":"t1"}"#,
            r#"{"base_resp":{"status_code":"1002","status_msg":"rate limited"}}"#,
            r#"{"base_resp":{"status_code":"0"}}"#,
            r#"{"error":{"type":"authentication_error","message":"bad key"}}"#,
            r#"{"error":{"code":"1039","message":"tpm"}}"#,
            r#"{"error":"quota exceeded"}"#,
            r#"{"error":null,"id":"x"}"#,
            r#"{"type":"error","error":{"type":"api_error","message":"system error (1033)"}}"#,
            r#"{"type":"error","message":"overloaded"}"#,
            r#"{"type":"message","content":[]}"#,
            r#"{"base_resp":"odd","x":1}"#,
            r#"[1,2,3]"#,
            r#"not json"#,
            r#"{"choices":null,"base_resp":{"status_code":2056,"status_msg":"usage limit exceeded"}}"#,
            // Shapes only the scanner could get wrong.
            r#"{"data":{"base_resp":{"status_code":1004}},"base_resp":{"status_code":0}}"#,
            r#"{"data":{"text":"}{\"base_resp\":{\"status_code\":1004}}"},"base_resp":{"status_code":0}}"#,
            // Invalid JSON that a bracket scanner could resynchronise on.
            r#"{"data":{"text":"}{"base_resp":{"status_code":1004}}"},"base_resp":{"status_code":0}}"#,
            r#"{"text":"ends with a backslash \","base_resp":{"status_code":1004,"status_msg":"x"}}"#,
            r#"{"base_resp":{"status_code":1004,"status_msg":"escaped key"}}"#,
            r#"{"base_resp":{"status_code":0},"base_resp":{"status_code":1039,"status_msg":"dup"}}"#,
            r#"{"base_resp":{"status_code":1039,"status_msg":"dup"},"base_resp":{"status_code":0}}"#,
            r#"  {  "base_resp" : { "status_code" : 0 } , "list" : [ 1, [2], {"a":"]"} ] }  "#,
            r#"{"base_resp":{"status_code":0.0}}"#,
            r#"{"base_resp":{"status_code":-1,"status_msg":"neg"}}"#,
            r#"{"base_resp":null,"trace_id":"trace"}"#,
            r#"{"type":"error","message":"escaped value"}"#,
            r#"{"base_resp":{"status_code":0}"#,
            r#"{"base_resp":{"status_code":0}} trailing"#,
            r#"{}"#,
            r#"{"a":tru}"#,
            r#"{"base_resp":{"status_code":0.5}}"#,
            r#"{"base_resp":{"status_code":01}}"#,
            r#"{"base_resp":{"status_code" : 0 , "status_msg":"ok"}}"#,
            r#"{"finish_reason":"error","base_resp":{"status_code":0}}"#,
            r#"{"label":"status_code","base_resp":{"status_code":1002}}"#,
            r#"{"label":"status_code"}"#,
            r#"{"data":{"status_code":0},"base_resp":{"status_code":1004}}"#,
        ];
        for status in [200u16, 201, 400, 429, 500] {
            for with_header in [false, true] {
                let mut headers = HeaderMap::new();
                if with_header {
                    headers.insert("trace-id", HeaderValue::from_static("header-trace"));
                }
                for body in bodies {
                    let fast = judge_json_body("op", status, &headers, body.as_bytes());
                    let full =
                        api_error_from_body("op", Some(status), Some(&headers), body.as_bytes());
                    let json: Option<Value> = serde_json::from_slice(body.as_bytes()).ok();
                    assert_eq!(fast.api_error.is_some(), full.is_some(), "{status} {body}");
                    assert_eq!(
                        fast.api_error.as_ref().map(|api| (
                            api.code,
                            api.status_code,
                            api.message.clone()
                        )),
                        full.as_ref()
                            .map(|api| (api.code, api.status_code, api.message.clone())),
                        "{status} {body}"
                    );
                    assert_eq!(
                        fast.trace_id.map(TraceId::into_string),
                        trace_id_of(Some(&headers), json.as_ref()),
                        "{status} {body}"
                    );
                    // The scanner does not validate: on a body that is not
                    // JSON it may say "JSON, no error" where the parser says
                    // "not JSON"; both mean no API error, and the typed
                    // decode reports the bad body.
                    if json.is_some() {
                        assert!(fast.is_json, "{status} {body}");
                    }
                }
            }
        }
        // The comparison above only means something if the fast paths are
        // taken: count the bodies each one clears on its own.
        let cleared_by_bytes: Vec<&str> = bodies
            .iter()
            .copied()
            .filter(|body| no_error_in_bytes(body.as_bytes()))
            .collect();
        let cleared_by_scan = bodies
            .iter()
            .filter(|body| {
                SuccessProbe::scan(body.as_bytes()).is_some_and(|probe| probe.reports_no_error())
            })
            .count();
        // The typical success body (the first) takes the byte check.
        assert!(
            cleared_by_bytes.contains(&bodies[0]),
            "{cleared_by_bytes:?}"
        );
        assert_eq!(cleared_by_bytes.len(), 17, "{cleared_by_bytes:?}");
        assert_eq!(cleared_by_scan, 18);
    }
    use reqwest::header::HeaderValue;

    #[test]
    fn every_documented_code_maps_to_its_meaning() {
        let cases = [
            (1000, ErrorCode::Internal),
            (1001, ErrorCode::Timeout),
            (1002, ErrorCode::RateLimited),
            (1004, ErrorCode::Auth),
            (1008, ErrorCode::InsufficientBalance),
            (1013, ErrorCode::Internal),
            (1024, ErrorCode::Internal),
            (1026, ErrorCode::SensitiveInput),
            (1027, ErrorCode::SensitiveOutput),
            (1039, ErrorCode::RateLimited),
            (2013, ErrorCode::InvalidInput),
            (2049, ErrorCode::Auth),
            (2038, ErrorCode::Other(2038)),
            (1033, ErrorCode::Other(1033)),
        ];
        for (code, expected) in cases {
            assert_eq!(ErrorCode::from_code(code), expected, "{code}");
        }
        let retryable: Vec<i64> = [
            1000, 1001, 1002, 1004, 1008, 1013, 1024, 1026, 1027, 1039, 2013, 2049,
        ]
        .into_iter()
        .filter(|code| ErrorCode::from_code(*code).is_retryable())
        .collect();
        assert_eq!(retryable, [1000, 1001, 1002, 1013, 1024, 1039]);
    }

    #[test]
    fn http_statuses_map_when_no_code_is_present() {
        let cases = [
            (401, ErrorCode::Auth),
            (403, ErrorCode::Auth),
            (429, ErrorCode::RateLimited),
            (408, ErrorCode::Timeout),
            (504, ErrorCode::Timeout),
            (500, ErrorCode::Internal),
            (502, ErrorCode::Internal),
            (503, ErrorCode::Internal),
            (404, ErrorCode::Other(404)),
            (400, ErrorCode::Other(400)),
        ];
        for (status, expected) in cases {
            assert_eq!(ErrorCode::from_http_status(status), expected, "{status}");
        }
    }

    /// (HTTP status, body) → (code, raw MiniMax code, message).
    #[test]
    fn error_bodies_of_every_shape_are_classified() {
        let cases: &[(u16, &str, ErrorCode, Option<i64>, &str)] = &[
            (
                200,
                r#"{"base_resp":{"status_code":1004,"status_msg":"invalid api key"}}"#,
                ErrorCode::Auth,
                Some(1004),
                "invalid api key",
            ),
            (
                200,
                r#"{"base_resp":{"status_code":"1002","status_msg":"rate limit"}}"#,
                ErrorCode::RateLimited,
                Some(1002),
                "rate limit",
            ),
            (
                200,
                r#"{"base_resp":{"status_code":1026}}"#,
                ErrorCode::SensitiveInput,
                Some(1026),
                "no error message",
            ),
            (
                429,
                r#"{"base_resp":{"status_code":1039,"status_msg":"tpm limit"}}"#,
                ErrorCode::RateLimited,
                Some(1039),
                "tpm limit",
            ),
            (
                500,
                r#"{"type":"error","error":{"type":"api_error","message":"system error (1033)"}}"#,
                ErrorCode::Other(1033),
                Some(1033),
                "system error (1033)",
            ),
            (
                401,
                r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
                ErrorCode::Auth,
                None,
                "invalid x-api-key",
            ),
            (
                429,
                r#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#,
                ErrorCode::RateLimited,
                None,
                "slow down",
            ),
            (
                401,
                r#"{"error":{"message":"Incorrect API key","type":"invalid_request_error","code":"invalid_api_key"}}"#,
                ErrorCode::Auth,
                None,
                "Incorrect API key",
            ),
            (
                429,
                r#"{"error":{"message":"quota","type":"insufficient_quota","code":null}}"#,
                ErrorCode::InsufficientBalance,
                None,
                "quota",
            ),
            (
                400,
                r#"{"error":{"message":"bad","type":"invalid_request_error","code":2013}}"#,
                ErrorCode::InvalidInput,
                Some(2013),
                "bad",
            ),
            (
                503,
                "<html><body>Service Unavailable</body></html>",
                ErrorCode::Internal,
                None,
                "service unavailable",
            ),
            (429, "", ErrorCode::RateLimited, None, "too many requests"),
            (
                504,
                "upstream timed out",
                ErrorCode::Timeout,
                None,
                "upstream timed out",
            ),
            (404, "{}", ErrorCode::Other(404), None, "not found"),
            (
                200,
                r#"{"error":"something broke"}"#,
                ErrorCode::Other(0),
                None,
                "something broke",
            ),
        ];
        for (status, body, code, raw, message) in cases {
            let api = api_error_from_body("op", Some(*status), None, body.as_bytes())
                .unwrap_or_else(|| panic!("{status} {body} should be an error"));
            assert_eq!(api.code, *code, "{status} {body}");
            assert_eq!(api.status_code, *raw, "{status} {body}");
            assert_eq!(api.message, *message, "{status} {body}");
            assert_eq!(api.http_status, Some(*status));
        }
    }

    #[test]
    fn successful_bodies_are_not_errors() {
        for body in [
            r#"{"base_resp":{"status_code":0,"status_msg":"success"},"file":{}}"#,
            r#"{"data":[]}"#,
            "not json",
            "",
        ] {
            assert!(
                api_error_from_body("op", Some(200), None, body.as_bytes()).is_none(),
                "{body}"
            );
        }
    }

    #[test]
    fn trace_id_comes_from_header_then_body() {
        let body = br#"{"base_resp":{"status_code":1004,"status_msg":"x"},"trace_id":"body-id"}"#;
        let api = api_error_from_body("op", Some(200), None, body).unwrap();
        assert_eq!(api.trace_id.as_deref(), Some("body-id"));
        let mut headers = HeaderMap::new();
        headers.insert("Trace-Id", HeaderValue::from_static("header-id"));
        let api = api_error_from_body("op", Some(200), Some(&headers), body).unwrap();
        assert_eq!(api.trace_id.as_deref(), Some("header-id"));
    }

    #[test]
    fn display_names_operation_code_message_and_trace_id() {
        let mut api = ApiError::new("retrieve_file", ErrorCode::Auth, "invalid api key");
        api.status_code = Some(1004);
        api.http_status = Some(200);
        api.trace_id = Some("0a1b2c".into());
        assert_eq!(
            Error::Api(api.clone()).to_string(),
            "retrieve_file failed: MiniMax error 1004 (auth): invalid api key [trace-id 0a1b2c]"
        );
        api.status_code = None;
        api.http_status = Some(503);
        api.code = ErrorCode::Internal;
        api.attempts = 3;
        api.trace_id = None;
        api.message = "service unavailable".into();
        assert_eq!(
            api.to_string(),
            "retrieve_file failed: HTTP 503 (internal): service unavailable after 3 attempts"
        );
    }

    #[test]
    fn excerpts_stay_within_the_limit_and_on_char_boundaries() {
        let text = "é".repeat(400); // 800 bytes
        let cut = excerpt(text.as_bytes(), 511);
        assert!(cut.len() <= 511);
        assert_eq!(cut.chars().count(), 255);
        assert!(excerpt(&[0xff; 600], 512).len() <= 512);
        assert_eq!(excerpt(b"short", 512), "short");
    }

    #[test]
    fn codes_quoted_in_messages_are_found() {
        assert_eq!(code_in_message("system error (1033)"), Some(1033));
        assert_eq!(code_in_message("see (docs)"), None);
        assert_eq!(code_in_message("no code"), None);
    }

    #[test]
    fn predicates() {
        let mut api = ApiError::new("op", ErrorCode::RateLimited, "x");
        api.status_code = Some(1002);
        let err = Error::Api(api);
        assert!(err.is_rate_limited() && err.is_retryable() && !err.is_auth());
        let err = Error::Api(ApiError::new("op", ErrorCode::Auth, "x"));
        assert!(err.is_auth() && !err.is_retryable());
        assert_eq!(err.operation(), Some("op"));
        assert!(!Error::Config("x".into()).is_retryable());
    }

    #[tokio::test]
    async fn an_error_body_is_read_up_to_the_limit_also_when_the_executor_buffered_it() {
        let long = Bytes::from(vec![b'x'; ERROR_BODY_READ_LIMIT + 10]);
        let exhausted = http::Response::new(reqwest::Body::from("the exhausted body"));
        let response =
            minimax_api::body::Executed::buffered(reqwest::Response::from(exhausted), long)
                .into_response();
        let body = read_body_prefix(response).await;
        assert_eq!(body.len(), ERROR_BODY_READ_LIMIT);
        assert!(body.iter().all(|&byte| byte == b'x'));

        let plain = http::Response::new(reqwest::Body::from("{\"a\":1}"));
        let body = read_body_prefix(reqwest::Response::from(plain)).await;
        assert_eq!(&body[..], b"{\"a\":1}");
    }
}
