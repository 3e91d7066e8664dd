//! The pipeline's one error shape: which file, where in it, and what is wrong.

use std::fmt;

/// A problem in an input spec (or in the merged document, attributed to the
/// input that contributed the offending part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The input file (relative to the workspace root) or `openapi/minimax.json`.
    pub file: String,
    /// JSON pointer of the offending value.
    pub pointer: String,
    /// What is wrong and, where possible, what to do about it.
    pub message: String,
}

impl SpecError {
    /// Builds an error.
    pub fn new(
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{} at {pointer}: {}", self.file, self.message)
    }
}

impl std::error::Error for SpecError {}
