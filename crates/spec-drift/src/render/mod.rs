//! Renderers: the same [`Report`](crate::Report) as plain text, JSON, Markdown (for a
//! GitHub job summary) or GitHub workflow-command annotations.
//!
//! Every renderer is a pure function of the report; the output is
//! deterministic because the report's order is.

mod github;
mod json;
mod markdown;
mod text;

pub use github::github;
pub use json::json;
pub use markdown::markdown;
pub use text::text;

use crate::error::Side;
use crate::report::Change;
use crate::rules;

/// Which document a change's pointer refers to.
pub fn pointer_side(change: &Change) -> Side {
    rules::pointer_side(&change.id)
}
