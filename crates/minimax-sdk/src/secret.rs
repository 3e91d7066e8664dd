//! [`ApiKey`]: the MiniMax API key as a secret value.
//!
//! The key is held in a [`secrecy::SecretString`], so it is zeroed when
//! dropped and never shows up in `Debug` output, `Display` output, logs,
//! errors or panics. This module deliberately offers no way to print the key;
//! the only place it leaves the type is the `Authorization` header the
//! executor builds for requests to the configured API origin.

use std::fmt;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;

/// A MiniMax API key.
///
/// `Debug` prints `"[redacted]"`; there is no `Display`.
///
/// ```
/// use minimax_sdk::ApiKey;
///
/// let key = ApiKey::new("sk-example").unwrap();
/// assert_eq!(format!("{key:?}"), "\"[redacted]\"");
/// ```
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// Wraps a key, trimming surrounding whitespace (a pasted key often ends
    /// in a newline).
    ///
    /// Fails with [`Error::Config`] when the key is empty or contains
    /// characters that cannot be sent in an HTTP header. The error never
    /// repeats the key.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let key = key.into();
        let trimmed = key.trim();
        if trimmed.is_empty() {
            return Err(Error::Config("the API key is empty".to_owned()));
        }
        if trimmed
            .bytes()
            .any(|byte| byte.is_ascii_control() || !byte.is_ascii())
        {
            return Err(Error::Config(
                "the API key contains characters that cannot be sent in an HTTP header \
                 (control or non-ASCII characters)"
                    .to_owned(),
            ));
        }
        let secret = SecretString::from(trimmed.to_owned());
        // `key` still holds a copy; overwrite it before it is dropped.
        drop(secrecy::zeroize::Zeroizing::new(key));
        Ok(Self(secret))
    }

    /// The `Authorization: Bearer …` header value, marked sensitive so that
    /// `http`'s `Debug` prints `Sensitive` instead of the value.
    pub(crate) fn bearer_header(&self) -> Result<HeaderValue, Error> {
        let text = secrecy::zeroize::Zeroizing::new(format!("Bearer {}", self.0.expose_secret()));
        let mut value = HeaderValue::from_str(&text).map_err(|_| {
            Error::Config(
                "the API key contains characters that cannot be sent in an HTTP header".to_owned(),
            )
        })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// Whether `text` contains the key; used to keep the key out of places it
    /// must never reach (for example a caller-supplied header sent elsewhere).
    pub(crate) fn is_contained_in(&self, text: &[u8]) -> bool {
        let key = self.0.expose_secret().as_bytes();
        !key.is_empty() && text.windows(key.len()).any(|window| window == key)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

impl std::str::FromStr for ApiKey {
    type Err = Error;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        ApiKey::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let key = ApiKey::new("sk-very-secret-value").unwrap();
        let shown = format!("{key:?} {key:#?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn empty_and_invalid_keys_are_refused_without_echoing_them() {
        assert!(matches!(ApiKey::new("  \n"), Err(Error::Config(_))));
        let err = ApiKey::new("sk-abc\u{7}def").unwrap_err().to_string();
        assert!(!err.contains("sk-abc"), "{err}");
    }

    #[test]
    fn whitespace_is_trimmed_and_header_is_sensitive() {
        let key = ApiKey::new(" sk-1 \n").unwrap();
        let header = key.bearer_header().unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.as_bytes(), b"Bearer sk-1");
        assert_eq!(format!("{header:?}"), "Sensitive");
        assert!(key.is_contained_in(b"xx Bearer sk-1"));
        assert!(!key.is_contained_in(b"Bearer sk-2"));
    }
}
