//! [`TaskStatus`]: the status of an asynchronous MiniMax task, decoded in any
//! spelling the API uses.
//!
//! The video API answers `Preparing | Queueing | Processing | Success | Fail`,
//! the asynchronous speech API documents lowercase values but returns
//! `Processing`, video callbacks send `processing | success | failed`, and the
//! V2 video API says `queued | running | succeeded | failed | cancelled |
//! expired`. [`TaskStatus`] keeps the exact string it was
//! given (so re-encoding is lossless) and maps it, ignoring ASCII case, onto
//! the small set of states a caller acts on: [`TaskState`].

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a task status means to a caller, whatever its spelling on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// Accepted, not yet queued (`Preparing`).
    Preparing,
    /// Waiting for capacity (`Queueing`, `queued`).
    Queueing,
    /// Running (`Processing`, `processing`, `running`).
    Processing,
    /// Finished and its output is ready (`Success`, `success`, `succeeded`).
    Success,
    /// Finished without output (`Fail`, `failed`).
    Failed,
    /// The task or its output is no longer available (`expired`).
    Expired,
    /// Stopped before it finished (`cancelled`).
    Cancelled,
    /// A status this version of the crate does not know; see [`TaskStatus::as_str`].
    Unknown,
}

impl TaskState {
    /// Whether the task will not change state again.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            TaskState::Success | TaskState::Failed | TaskState::Expired | TaskState::Cancelled
        )
    }

    /// The spelling used when a status is built from a state in code.
    pub fn canonical_str(self) -> &'static str {
        match self {
            TaskState::Preparing => "Preparing",
            TaskState::Queueing => "Queueing",
            TaskState::Processing => "Processing",
            TaskState::Success => "Success",
            TaskState::Failed => "Failed",
            TaskState::Expired => "Expired",
            TaskState::Cancelled => "Cancelled",
            TaskState::Unknown => "Unknown",
        }
    }

    fn from_wire(text: &str) -> TaskState {
        const SPELLINGS: &[(&str, TaskState)] = &[
            ("preparing", TaskState::Preparing),
            ("queueing", TaskState::Queueing),
            ("queued", TaskState::Queueing),
            ("processing", TaskState::Processing),
            ("running", TaskState::Processing),
            ("success", TaskState::Success),
            ("succeeded", TaskState::Success),
            ("fail", TaskState::Failed),
            ("failed", TaskState::Failed),
            ("expired", TaskState::Expired),
            ("cancelled", TaskState::Cancelled),
            ("canceled", TaskState::Cancelled),
        ];
        let text = text.trim();
        SPELLINGS
            .iter()
            .find(|(spelling, _)| spelling.eq_ignore_ascii_case(text))
            .map_or(TaskState::Unknown, |(_, state)| *state)
    }
}

/// The status of an asynchronous task exactly as the API sent it.
///
/// Compare on [`TaskStatus::state`]; two statuses are equal when they mean
/// the same state (`"Fail" == "failed"`), and unknown statuses are equal when
/// their text is equal ignoring ASCII case.
///
/// ```
/// use minimax_api::{TaskState, TaskStatus};
///
/// let status: TaskStatus = serde_json::from_str("\"Fail\"").unwrap();
/// assert_eq!(status.state(), TaskState::Failed);
/// assert!(status.is_terminal());
/// assert_eq!(status.as_str(), "Fail");
/// assert_eq!(status, TaskStatus::from(TaskState::Failed));
///
/// let new: TaskStatus = serde_json::from_str("\"Paused\"").unwrap();
/// assert_eq!(new.state(), TaskState::Unknown);
/// ```
#[derive(Clone)]
pub struct TaskStatus {
    raw: String,
    state: TaskState,
}

impl TaskStatus {
    /// Wraps a status string as received.
    pub fn new(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let state = TaskState::from_wire(&raw);
        Self { raw, state }
    }

    /// What the status means.
    pub fn state(&self) -> TaskState {
        self.state
    }

    /// The status exactly as the API sent it.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether the task will not change state again.
    pub fn is_terminal(&self) -> bool {
        self.state.is_terminal()
    }
}

impl From<TaskState> for TaskStatus {
    fn from(state: TaskState) -> Self {
        Self {
            raw: state.canonical_str().to_owned(),
            state,
        }
    }
}

impl From<&str> for TaskStatus {
    fn from(raw: &str) -> Self {
        Self::new(raw)
    }
}

impl From<String> for TaskStatus {
    fn from(raw: String) -> Self {
        Self::new(raw)
    }
}

impl PartialEq for TaskStatus {
    fn eq(&self, other: &Self) -> bool {
        match (self.state, other.state) {
            (TaskState::Unknown, TaskState::Unknown) => {
                self.raw.trim().eq_ignore_ascii_case(other.raw.trim())
            }
            (left, right) => left == right,
        }
    }
}

impl Eq for TaskStatus {}

impl Hash for TaskStatus {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.state.hash(state);
        if self.state == TaskState::Unknown {
            self.raw.trim().to_ascii_lowercase().hash(state);
        }
    }
}

impl fmt::Debug for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TaskStatus({:?}: {:?})", self.raw, self.state)
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.raw)
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(TaskStatus::new)
    }
}

impl schemars::JsonSchema for TaskStatus {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TaskStatus".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Status of an asynchronous task, in any case (Preparing, Queueing/queued, Processing/running, Success/succeeded, Fail/Failed, Expired, cancelled, or a newer value).",
            "type": "string"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_spelling_maps_to_its_state() {
        let cases = [
            ("Preparing", TaskState::Preparing),
            ("Queueing", TaskState::Queueing),
            ("Processing", TaskState::Processing),
            ("processing", TaskState::Processing),
            ("Success", TaskState::Success),
            ("success", TaskState::Success),
            ("succeeded", TaskState::Success),
            ("Fail", TaskState::Failed),
            ("failed", TaskState::Failed),
            ("Failed", TaskState::Failed),
            ("expired", TaskState::Expired),
            ("Expired", TaskState::Expired),
            ("queued", TaskState::Queueing),
            ("running", TaskState::Processing),
            ("cancelled", TaskState::Cancelled),
            ("Canceled", TaskState::Cancelled),
            ("paused", TaskState::Unknown),
        ];
        for (wire, state) in cases {
            let status: TaskStatus = serde_json::from_value(serde_json::json!(wire)).unwrap();
            assert_eq!(status.state(), state, "{wire}");
            assert_eq!(
                serde_json::to_value(&status).unwrap(),
                serde_json::json!(wire)
            );
        }
    }

    #[test]
    fn equality_follows_meaning() {
        assert_eq!(TaskStatus::new("Fail"), TaskStatus::new("failed"));
        assert_ne!(TaskStatus::new("Fail"), TaskStatus::new("Success"));
        assert_eq!(TaskStatus::new("Paused"), TaskStatus::new("paused"));
        assert_ne!(TaskStatus::new("Paused"), TaskStatus::new("Held"));
        assert!(TaskStatus::new("Success").is_terminal());
        assert!(!TaskStatus::new("Queueing").is_terminal());
    }
    #[test]
    fn display_honours_width_and_alignment() {
        assert_eq!(
            format!("[{:>12}]", TaskStatus::new("Queueing")),
            "[    Queueing]"
        );
    }
}
