//! [`RetryPolicy`] and the pure functions that decide whether and when a
//! failed attempt is retried.
//!
//! The executor (the single send path behind [`crate::Client`]) calls these after every attempt; they
//! hold no state and do no I/O, so every rule is unit-tested here.
//!
//! # What is retried
//!
//! | failure | retried |
//! |---|---|
//! | connect error (the request never reached the server) | always |
//! | HTTP/2 `REFUSED_STREAM` reset or graceful `GOAWAY` (the server did not process the request) | always |
//! | HTTP 429, MiniMax 1002 / 1039 (rate limits) | always |
//! | attempt timeout, HTTP 408 / 5xx, MiniMax 1000 / 1001 / 1013 / 1024, a connection lost after sending | yes, except for paid requests (below) |
//! | auth (1004, 2049, 401, 403), balance (1008), sensitive content (1026, 1027), invalid input (2013), other 4xx and codes | never |
//!
//! A *paid* request starts billable work (chat completion, speech synthesis,
//! video, image and music generation, voice clone and design). After a
//! timeout or a server error such a request may have been carried out, so
//! it is retried only when the caller opted in with
//! [`RetryPolicy::retry_paid_requests`] or per request with
//! [`crate::RequestOptions::retry_paid_requests`]. Rate-limit answers,
//! connect errors and HTTP/2 refusals prove nothing was started and are
//! always retried.
//!
//! These are the only retries: the `reqwest` clients the SDK builds have
//! `reqwest`'s own retry layer (which repeats HTTP/2 refusals) turned off.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::error::{ApiError, ErrorCode};

/// How the SDK retries failed requests.
///
/// | setting | default |
/// |---|---|
/// | `max_retries` | 2 (so at most 3 attempts) |
/// | `initial_backoff` | 0.5 s |
/// | `max_backoff` | 8 s |
/// | `jitter` | on: each delay is multiplied by a random factor in (0.75, 1] |
/// | `max_retry_after` | 60 s: a longer `Retry-After` ends the retries |
/// | `overall_deadline` | none: only the per-attempt timeout applies |
/// | `retry_paid_requests` | off |
///
/// The delay before retry *n* (0-based) is `min(initial_backoff · 2ⁿ,
/// max_backoff)`, jittered, unless the server sent `retry-after-ms` or
/// `Retry-After` (seconds or an HTTP date): that value is used when it is at
/// most `max_retry_after`; a longer one stops the retries and the error
/// carries it in [`crate::ApiError::retry_after`].
///
/// ```
/// use std::time::Duration;
/// use minimax_sdk::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(4)
///     .overall_deadline(Duration::from_secs(120))
///     .retry_paid_requests(true);
/// assert_eq!(policy.max_retries, 4);
/// assert_eq!(RetryPolicy::none().max_retries, 0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// The delay before the first retry.
    pub initial_backoff: Duration,
    /// The longest computed delay.
    pub max_backoff: Duration,
    /// Whether delays are randomised (recommended, so clients that failed
    /// together do not retry together).
    pub jitter: bool,
    /// The longest server-requested delay the SDK waits for.
    pub max_retry_after: Duration,
    /// A limit on the whole call: all attempts and delays together.
    pub overall_deadline: Option<Duration>,
    /// Whether paid requests are retried after a timeout or server error.
    pub retry_paid_requests: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            jitter: true,
            max_retry_after: Duration::from_secs(60),
            overall_deadline: None,
            retry_paid_requests: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// Sets [`RetryPolicy::max_retries`].
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets [`RetryPolicy::initial_backoff`].
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets [`RetryPolicy::max_backoff`].
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Sets [`RetryPolicy::jitter`].
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Sets [`RetryPolicy::max_retry_after`].
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// Sets [`RetryPolicy::overall_deadline`].
    pub fn overall_deadline(mut self, deadline: Duration) -> Self {
        self.overall_deadline = Some(deadline);
        self
    }

    /// Sets [`RetryPolicy::retry_paid_requests`].
    pub fn retry_paid_requests(mut self, retry: bool) -> Self {
        self.retry_paid_requests = retry;
        self
    }

    /// The computed delay before retry `retry_index` (0 for the first retry),
    /// given a random number in `[0, 1)` for the jitter.
    pub fn backoff(&self, retry_index: u32, random: f64) -> Duration {
        let factor = 2f64.powi(retry_index.min(30) as i32);
        let base = self.initial_backoff.mul_f64(factor).min(self.max_backoff);
        if self.jitter {
            base.mul_f64(1.0 - 0.25 * random.clamp(0.0, 1.0))
        } else {
            base
        }
    }

    /// The delay before retry `retry_index`, honouring a server-requested
    /// `retry_after`; `None` when the server asked for longer than
    /// [`RetryPolicy::max_retry_after`] (the SDK then stops retrying).
    pub fn delay(
        &self,
        retry_index: u32,
        retry_after: Option<Duration>,
        random: f64,
    ) -> Option<Duration> {
        match retry_after {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retry_index, random)),
        }
    }
}

/// What went wrong in one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection could not be established; nothing reached the server.
    Connect,
    /// The server refused the request before processing it: an HTTP/2
    /// `REFUSED_STREAM` reset, or a graceful `GOAWAY` that left the request's
    /// stream unprocessed (RFC 9113, section 8.7).
    Refused,
    /// The attempt ran out of time after the request may have been sent.
    Timeout,
    /// The connection failed after the request may have been sent.
    Transport,
    /// A response arrived and cannot be retried (redirect loop, bad body
    /// encoding, a request that could not be built).
    Permanent,
    /// An HTTP error status without a MiniMax code.
    Status(u16),
    /// A non-zero MiniMax `base_resp.status_code`.
    Code(i64),
    /// An error the body names without a numeric code (an Anthropic-style
    /// `"type": "error"` object on a success status, an SSE error event).
    Kind(ErrorCode),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Connect => f.write_str("connect error"),
            Failure::Refused => f.write_str("refused before processing"),
            Failure::Timeout => f.write_str("attempt timed out"),
            Failure::Transport => f.write_str("connection error"),
            Failure::Permanent => f.write_str("permanent error"),
            Failure::Status(status) => write!(f, "HTTP {status}"),
            Failure::Code(code) => write!(f, "MiniMax error {code}"),
            Failure::Kind(code) => write!(f, "API error ({code})"),
        }
    }
}

/// Whether a failure of this kind is retried, for a paid or unpaid request.
///
/// Statuses and MiniMax codes are judged by their [`ErrorCode`], so this
/// rule, [`crate::ErrorCode::is_retryable`] and [`crate::Error::is_retryable`]
/// cannot disagree.
pub(crate) fn should_retry(failure: Failure, paid: bool, retry_paid: bool) -> bool {
    let may_repeat_work = !paid || retry_paid;
    let code = match failure {
        // Nothing reached the server, or the server did no work.
        Failure::Connect | Failure::Refused => return true,
        Failure::Timeout | Failure::Transport => return may_repeat_work,
        Failure::Permanent => return false,
        Failure::Status(status) => ErrorCode::from_http_status(status),
        Failure::Code(code) => ErrorCode::from_code(code),
        Failure::Kind(code) => code,
    };
    match code {
        // The server refused before doing any work.
        ErrorCode::RateLimited => true,
        code if code.is_retryable() => may_repeat_work,
        _ => false,
    }
}

/// Classifies an API error: by its MiniMax code, except that an HTTP error
/// whose body carries a code this crate does not know (HTTP 500 "system
/// error (1033)") is judged by its status, and one without any code by its
/// status, else by what its body calls it.
pub(crate) fn failure_of_api(api: &ApiError) -> Failure {
    let failed_status = api
        .http_status
        .filter(|status| !(200..300).contains(status));
    match (api.status_code, failed_status) {
        (Some(_), Some(status)) if matches!(api.code, ErrorCode::Other(_)) => {
            Failure::Status(status)
        }
        (Some(code), _) => Failure::Code(code),
        (None, Some(status)) => Failure::Status(status),
        (None, None) => Failure::Kind(api.code),
    }
}

/// Classifies a `reqwest` error.
pub(crate) fn failure_of(error: &reqwest::Error) -> Failure {
    if error.is_connect() {
        Failure::Connect
    } else if refused_by_http2_server(error) {
        Failure::Refused
    } else if error.is_timeout() {
        Failure::Timeout
    } else if error.is_builder() || error.is_redirect() || error.is_decode() {
        Failure::Permanent
    } else {
        Failure::Transport
    }
}

/// Whether an HTTP/2 server told us it did not process the request: it
/// reset the stream with `REFUSED_STREAM`, or it is shutting the connection
/// down gracefully (`GOAWAY` with `NO_ERROR`) and the request's stream was
/// past the last one it accepted. Both are safe to send again, whatever the
/// request: the same protocol NACKs `reqwest`'s own retry layer repeats,
/// which the clients the SDK builds turn off (every request would otherwise
/// be copied once for each retry layer).
fn refused_by_http2_server(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(h2) = cause.downcast_ref::<h2::Error>() {
            return h2.is_remote()
                && ((h2.is_reset() && h2.reason() == Some(h2::Reason::REFUSED_STREAM))
                    || (h2.is_go_away() && h2.reason() == Some(h2::Reason::NO_ERROR)));
        }
        source = cause.source();
    }
    false
}

/// Operation ids that start paid work.
pub(crate) const PAID_OPERATIONS: &[&str] = &[
    "chat_completion_v2",
    "chat_completion_v2_stream",
    "chat_completions",
    "create_anthropic_message",
    "create_chat_completion",
    "anthropic_messages",
    "create_message",
    "create_response",
    "t2a_v2",
    "t2a_v2_stream",
    "t2a_async_v2",
    "video_generation",
    "video_generation_v2",
    "video_template_generation",
    "image_generation",
    "generate_music",
    "generate_music_stream",
    "voice_clone",
    "voice_design",
];

/// Request paths that start paid work, so a request is recognised even
/// under an operation id this list does not know.
pub(crate) const PAID_PATHS: &[&str] = &[
    "/v1/text/chatcompletion_v2",
    "/v1/chat/completions",
    "/anthropic/v1/messages",
    "/v1/messages",
    "/v1/responses",
    "/v1/t2a_v2",
    "/v1/t2a_async_v2",
    "/v1/video_generation",
    "/v2/video_generation",
    "/v1/video_template_generation",
    "/v1/image_generation",
    "/v1/images/generations",
    "/v1/images/edits",
    "/v1/music_generation",
    "/v1/voice_clone",
    "/v1/voice_design",
];

/// Whether a request starts paid work: its operation id or its URL path
/// (ignoring any base-URL prefix) is one of the paid ones.
pub(crate) fn is_paid(operation: &str, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    PAID_OPERATIONS.contains(&operation) || PAID_PATHS.iter().any(|paid| path.ends_with(paid))
}

/// The server-requested delay: `retry-after-ms` (milliseconds), then
/// `Retry-After` as seconds (fractions allowed) or an HTTP date relative to `now`.
pub(crate) fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    const RETRY_AFTER_MS: reqwest::header::HeaderName =
        reqwest::header::HeaderName::from_static("retry-after-ms");
    let header = |name: &reqwest::header::HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    if let Some(millis) = header(&RETRY_AFTER_MS).and_then(|text| text.parse::<f64>().ok()) {
        if millis.is_finite() && millis >= 0.0 {
            return Some(Duration::from_secs_f64(millis / 1000.0));
        }
    }
    let text = header(&reqwest::header::RETRY_AFTER)?;
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs_f64(seconds.min(1e9)));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn defaults_match_the_documentation() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_retries, 2);
        assert_eq!(policy.initial_backoff, Duration::from_millis(500));
        assert_eq!(policy.max_backoff, Duration::from_secs(8));
        assert!(policy.jitter);
        assert_eq!(policy.max_retry_after, Duration::from_secs(60));
        assert_eq!(policy.overall_deadline, None);
        assert!(!policy.retry_paid_requests);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_in_range() {
        let policy = RetryPolicy::default().jitter(false);
        let delays: Vec<u128> = (0..7).map(|n| policy.backoff(n, 0.5).as_millis()).collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(policy.backoff(u32::MAX, 0.0), Duration::from_secs(8));

        let jittered = RetryPolicy::default();
        for n in 0..5 {
            let full = policy.backoff(n, 0.0);
            for random in [0.0, 0.3, 0.999] {
                let delay = jittered.backoff(n, random);
                assert!(
                    delay <= full && delay >= full.mul_f64(0.75),
                    "{n} {random} {delay:?}"
                );
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(3)), 0.0),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(60)), 0.0),
            Some(Duration::from_secs(60))
        );
        assert_eq!(policy.delay(0, Some(Duration::from_secs(61)), 0.0), None);
        assert_eq!(policy.delay(1, None, 0.0), Some(Duration::from_secs(1)));
    }

    #[test]
    fn retry_after_headers_parse() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        assert_eq!(parse_retry_after(&headers, now), None);
        headers.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(
            parse_retry_after(&headers, now),
            Some(Duration::from_secs(7))
        );
        headers.insert("retry-after", HeaderValue::from_static("1.5"));
        assert_eq!(
            parse_retry_after(&headers, now),
            Some(Duration::from_millis(1500))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        headers.insert("retry-after", HeaderValue::from_str(&date).unwrap());
        assert_eq!(
            parse_retry_after(&headers, now),
            Some(Duration::from_secs(30))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        headers.insert("retry-after", HeaderValue::from_str(&past).unwrap());
        assert_eq!(parse_retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(parse_retry_after(&headers, now), None);
        headers.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(
            parse_retry_after(&headers, now),
            Some(Duration::from_millis(250))
        );
        headers.insert("retry-after", HeaderValue::from_static("-3"));
        headers.remove("retry-after-ms");
        assert_eq!(parse_retry_after(&headers, now), None);
    }

    #[test]
    fn classification_table() {
        use Failure::*;
        // (failure, unpaid, paid, paid with opt-in)
        let cases = [
            (Connect, true, true, true),
            (Status(429), true, true, true),
            (Code(1002), true, true, true),
            (Code(1039), true, true, true),
            (Timeout, true, false, true),
            (Transport, true, false, true),
            (Status(408), true, false, true),
            (Status(500), true, false, true),
            (Status(502), true, false, true),
            (Status(503), true, false, true),
            (Status(504), true, false, true),
            (Code(1000), true, false, true),
            (Code(1001), true, false, true),
            (Code(1013), true, false, true),
            (Code(1024), true, false, true),
            (Code(1004), false, false, false),
            (Code(2049), false, false, false),
            (Code(1008), false, false, false),
            (Code(1026), false, false, false),
            (Code(1027), false, false, false),
            (Code(2013), false, false, false),
            (Status(400), false, false, false),
            (Status(401), false, false, false),
            (Status(403), false, false, false),
            (Status(404), false, false, false),
            (Permanent, false, false, false),
            (Kind(ErrorCode::RateLimited), true, true, true),
            (Kind(ErrorCode::Internal), true, false, true),
            (Kind(ErrorCode::InvalidInput), false, false, false),
        ];
        for (failure, unpaid, paid, opted_in) in cases {
            assert_eq!(
                should_retry(failure, false, false),
                unpaid,
                "{failure} unpaid"
            );
            assert_eq!(should_retry(failure, true, false), paid, "{failure} paid");
            assert_eq!(
                should_retry(failure, true, true),
                opted_in,
                "{failure} paid, opted in"
            );
        }
    }

    #[test]
    fn api_errors_are_classified_like_the_executor_retries_them() {
        let api = |code: ErrorCode, status_code: Option<i64>, http_status: Option<u16>| {
            let mut api = ApiError::new("op", code, "m");
            api.status_code = status_code;
            api.http_status = http_status;
            api
        };
        // (error, failure, retryable)
        let cases = [
            // A MiniMax code decides, whatever the status.
            (
                api(ErrorCode::RateLimited, Some(1002), Some(200)),
                Failure::Code(1002),
                true,
            ),
            (
                api(ErrorCode::Auth, Some(1004), Some(500)),
                Failure::Code(1004),
                false,
            ),
            (
                api(ErrorCode::Internal, Some(1013), None),
                Failure::Code(1013),
                true,
            ),
            // An unknown code on an HTTP error: the status decides.
            (
                api(ErrorCode::Other(1033), Some(1033), Some(500)),
                Failure::Status(500),
                true,
            ),
            (
                api(ErrorCode::Other(1033), Some(1033), Some(200)),
                Failure::Code(1033),
                false,
            ),
            // No code: the status, else what the body calls the error.
            (
                api(ErrorCode::InvalidInput, None, Some(500)),
                Failure::Status(500),
                true,
            ),
            (
                api(ErrorCode::RateLimited, None, Some(429)),
                Failure::Status(429),
                true,
            ),
            (
                api(ErrorCode::Auth, None, Some(401)),
                Failure::Status(401),
                false,
            ),
            (
                api(ErrorCode::Internal, None, Some(200)),
                Failure::Kind(ErrorCode::Internal),
                true,
            ),
            (
                api(ErrorCode::Internal, None, None),
                Failure::Kind(ErrorCode::Internal),
                true,
            ),
            (
                api(ErrorCode::InvalidInput, None, None),
                Failure::Kind(ErrorCode::InvalidInput),
                false,
            ),
        ];
        for (error, failure, retryable) in cases {
            assert_eq!(failure_of_api(&error), failure, "{error:?}");
            assert_eq!(error.is_retryable(), retryable, "{error:?}");
            assert_eq!(
                crate::Error::Api(error.clone()).is_retryable(),
                retryable,
                "{error:?}"
            );
        }
    }

    #[test]
    fn paid_requests_are_recognised_by_operation_or_path() {
        assert!(is_paid("t2a_v2", "/whatever"));
        assert!(is_paid("custom", "/v1/video_generation"));
        assert!(is_paid(
            "custom",
            "/proxy/minimax/v1/text/chatcompletion_v2"
        ));
        assert!(!is_paid("retrieve_file", "/v1/files/retrieve"));
        assert!(!is_paid(
            "query_video_generation",
            "/v1/query/video_generation"
        ));
        assert!(!is_paid("upload_file", "/v1/files/upload"));
    }
}
