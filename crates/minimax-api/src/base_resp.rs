//! [`BaseResp`]: the status envelope on every MiniMax JSON response, and
//! [`HasBaseResp`], implemented by every generated response type that carries it.

use serde::{Deserialize, Deserializer, Serialize};

/// The `base_resp` object: `status_code` 0 means success, anything else is an
/// error, even when the HTTP status is 200.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BaseResp {
    /// 0 on success; otherwise a MiniMax error code (1002 rate limited, 1004 auth, …).
    pub status_code: i64,
    /// Human-readable detail for `status_code` (empty when the server sent
    /// none, or `null`).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub status_msg: String,
}

/// A string that may arrive as `null`, read as empty.
fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Option::<String>::deserialize(deserializer).map(Option::unwrap_or_default)
}

impl BaseResp {
    /// Whether the envelope reports success.
    pub fn is_success(&self) -> bool {
        self.status_code == 0
    }
}

/// A response type that may carry a [`BaseResp`].
///
/// `cargo xtask generate` implements this for every generated response type
/// whose schema has a `base_resp` property; higher layers use it to turn an
/// HTTP 200 with a non-zero `status_code` into an error.
pub trait HasBaseResp {
    /// The response's `base_resp`, when the server sent one.
    fn base_resp(&self) -> Option<&BaseResp>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_message_defaults_to_empty() {
        let resp: BaseResp = serde_json::from_str(r#"{"status_code":1004}"#).unwrap();
        assert_eq!(resp.status_code, 1004);
        assert_eq!(resp.status_msg, "");
        assert!(!resp.is_success());
    }

    #[test]
    fn null_message_reads_as_empty() {
        let resp: BaseResp =
            serde_json::from_str(r#"{"status_code":0,"status_msg":null}"#).unwrap();
        assert_eq!(resp, BaseResp::default());
        assert!(resp.is_success());
    }
}
