//! Why a diff could not be made at all.

use std::fmt;

/// Which of the two documents something is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The old (base) document.
    Old,
    /// The new (revised) document.
    New,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Old => "old",
            Side::New => "new",
        })
    }
}

/// A document is not something [`crate::diff`] can compare.
///
/// Problems *inside* a valid OpenAPI document (a `$ref` to nowhere, a
/// malformed schema) are never errors: they are compared as they are and,
/// where they are new, reported as changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// The document is not OpenAPI 3.0, 3.1 or 3.2 (no `openapi` field,
    /// Swagger 2.0, another major version).
    #[error("the {side} document is not an OpenAPI 3.x document: {detail}")]
    NotOpenApi {
        /// Which document.
        side: Side,
        /// What is wrong, as `spec_compat::downconvert` put it.
        detail: String,
    },
    /// The document's top level has the wrong shape (for example `paths`
    /// is not an object).
    #[error("the {side} document is malformed at {pointer}: {detail}")]
    Malformed {
        /// Which document.
        side: Side,
        /// JSON pointer to the offending value.
        pointer: String,
        /// What is wrong.
        detail: String,
    },
}
