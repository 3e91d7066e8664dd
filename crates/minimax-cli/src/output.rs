//! All printing: data to stdout, status and errors to stderr.
//!
//! Every write to stdout goes through [`Output`], which turns a closed pipe
//! into [`StdoutClosed`] so `main` can exit 0 quietly (`minimax files list
//! --purpose voice_clone | head -1`). Status lines never fail the command:
//! stderr write errors are ignored, as cargo does.
//!
//! With `--json`, data is the typed API response serialised as JSON, with
//! long hex and base64 blobs in the fields that carry media (audio,
//! images) replaced by a size note ([`redact_blobs`]); the decoded files
//! are written all the same, and text (a chat reply) is never touched.

use std::fmt::Display;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

/// stdout was closed by the reader (a broken pipe); not a failure.
#[derive(Debug, thiserror::Error)]
#[error("stdout was closed")]
pub struct StdoutClosed;

/// How the command prints: JSON or human text, with or without status lines.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    json: bool,
    quiet: bool,
}

impl Output {
    /// Printing for `--json` and `--quiet`.
    pub fn new(json: bool, quiet: bool) -> Self {
        Self { json, quiet }
    }

    /// Whether `--json` was given.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// A status line on stderr (`saved out.mp3 (12.3 kB)`), unless `--quiet`.
    pub fn status(&self, message: impl Display) {
        if !self.quiet {
            let _ = writeln!(io::stderr().lock(), "{message}");
        }
    }

    /// A line of data on stdout.
    pub fn line(&self, text: impl Display) -> anyhow::Result<()> {
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{text}").map_err(stdout_error)
    }

    /// Text on stderr without a newline, unless `--quiet` (streamed reasoning).
    pub fn status_text(&self, text: &str) {
        if !self.quiet {
            let mut stderr = io::stderr().lock();
            let _ = stderr.write_all(text.as_bytes());
            let _ = stderr.flush();
        }
    }

    /// Text on stdout, flushed at once (streamed chat tokens).
    pub fn text(&self, text: &str) -> anyhow::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes()).map_err(stdout_error)?;
        stdout.flush().map_err(stdout_error)
    }

    /// `value` as pretty JSON on stdout, blobs redacted.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        let mut value = serde_json::to_value(value)?;
        redact_blobs(&mut value);
        let text = serde_json::to_string_pretty(&value)?;
        self.line(text)
    }
}

/// Classifies a stdout write error: a broken pipe becomes [`StdoutClosed`].
fn stdout_error(error: io::Error) -> anyhow::Error {
    if error.kind() == io::ErrorKind::BrokenPipe {
        anyhow::Error::new(StdoutClosed)
    } else {
        anyhow::Error::new(error).context("could not write to stdout")
    }
}

/// Whether the error is a closed stdout (exit 0, print nothing).
pub fn is_stdout_closed(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| cause.downcast_ref::<StdoutClosed>().is_some())
}

/// Prints `error: …`, one `caused by: …` line per distinct cause, and the
/// hint, to stderr.
pub fn print_error(error: &anyhow::Error, hint: Option<&str>) {
    let mut stderr = io::stderr().lock();
    let mut previous = error.to_string();
    let _ = writeln!(stderr, "error: {previous}");
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        // reqwest and hyper repeat their inner error in their own message.
        if text.is_empty() || previous.contains(&text) {
            continue;
        }
        let _ = writeln!(stderr, "caused by: {text}");
        previous = text;
    }
    if let Some(hint) = hint {
        let _ = writeln!(stderr, "hint: {hint}");
    }
}

/// The shortest string length treated as a blob.
const BLOB_MIN_LEN: usize = 256;

/// The members whose strings may be media: hex audio (`audio`, chat's
/// `audio_content`), base64 images (`image_base64`, `images`, `b64_json`).
const BLOB_KEYS: [&str; 5] = [
    "audio",
    "audio_content",
    "image_base64",
    "images",
    "b64_json",
];

/// Replaces every long hex or base64 string held by a media member of
/// `value` ([`BLOB_KEYS`], directly or in an array) with a note giving its
/// size, so `--json` output stays readable. Other strings are kept as
/// they are, however they look: a reply may well be a long hex digest.
pub fn redact_blobs(value: &mut Value) {
    redact_in(value, false);
}

fn redact_in(value: &mut Value, media: bool) {
    match value {
        Value::String(text) if media => {
            if let Some(note) = blob_note(text) {
                *text = note;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact_in(item, media)),
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                redact_in(field, BLOB_KEYS.contains(&key.as_str()));
            }
        }
        _ => {}
    }
}

fn blob_note(text: &str) -> Option<String> {
    if text.len() < BLOB_MIN_LEN {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(format!(
            "<{} hex characters ({} bytes) omitted>",
            text.len(),
            text.len() / 2
        ));
    }
    let base64 = text
        .trim_end_matches('=')
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'));
    if base64 {
        return Some(format!(
            "<{} base64 characters (about {} bytes) omitted>",
            text.len(),
            text.len() / 4 * 3
        ));
    }
    None
}

/// A byte count for people: `512 B`, `12.3 kB`, `4.0 MB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A Unix timestamp (seconds) as `YYYY-MM-DD HH:MM:SS` in UTC.
pub fn format_unix_time(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_media_blobs_are_replaced_text_is_kept() {
        let hex = "ab".repeat(200);
        let base64 = "QUJD".repeat(100) + "==";
        let mut value = json!({
            "data": {"audio": hex, "status": 2},
            "images": [base64],
            "choices": [{"message": {"content": "ab".repeat(200), "audio_content": "cd".repeat(200)}}],
            "text": "a long sentence ".repeat(40),
            "url": format!("https://cdn.example/{}.mp3?sig={}", "a".repeat(300), "b".repeat(40)),
            "short": "abcdef",
        });
        redact_blobs(&mut value);
        assert_eq!(
            value["data"]["audio"],
            "<400 hex characters (200 bytes) omitted>"
        );
        assert_eq!(value["data"]["status"], 2);
        // A reply that looks like hex is text; the audio beside it is not.
        assert_eq!(value["choices"][0]["message"]["content"], "ab".repeat(200));
        assert_eq!(
            value["choices"][0]["message"]["audio_content"],
            "<400 hex characters (200 bytes) omitted>"
        );
        assert!(value["images"][0]
            .as_str()
            .is_some_and(|note| note.starts_with("<402 base64 characters")));
        assert!(value["text"]
            .as_str()
            .is_some_and(|text| text.starts_with("a long")));
        assert!(value["url"]
            .as_str()
            .is_some_and(|url| url.starts_with("https://")));
        assert_eq!(value["short"], "abcdef");
    }

    #[test]
    fn byte_counts_read_well() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(12_345), "12.3 kB");
        assert_eq!(human_bytes(4_000_000), "4.0 MB");
    }

    #[test]
    fn unix_times_are_shown_in_utc() {
        assert_eq!(format_unix_time(0), "1970-01-01 00:00:00");
        assert_eq!(format_unix_time(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(format_unix_time(951_782_400), "2000-02-29 00:00:00");
    }

    #[test]
    fn a_broken_pipe_is_recognised_through_context() {
        let error = stdout_error(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(is_stdout_closed(&error.context("printing the list")));
        let other = stdout_error(io::Error::from(io::ErrorKind::Other));
        assert!(!is_stdout_closed(&other));
    }
}
