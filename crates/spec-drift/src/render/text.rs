//! Plain text: one block per change, then the summary.

use std::fmt::Write;

use super::pointer_side;
use crate::report::Report;

/// Renders `report` as text:
///
/// ```text
/// breaking  GET /v1/files/list  response-property-type-changed
///     the type of the response property `files/items/bytes` (200 application/json) changed from `integer` to `string`
///     at new:/paths/~1v1~1files~1list/get/responses/200/content/application~1json/schema/properties/files/items/properties/bytes
///
/// 1 breaking, 0 warning, 0 info
/// ```
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    if report.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    for change in &report.changes {
        let _ = writeln!(
            out,
            "{:<8}  {}  {}",
            change.level.as_str(),
            change.operation.as_deref().unwrap_or("(document)"),
            change.id
        );
        let _ = writeln!(out, "    {}", change.message);
        let _ = writeln!(out, "    at {}:{}\n", pointer_side(change), change.pointer);
    }
    let _ = writeln!(out, "{}", report.summary());
    out
}
