//! Markdown: a heading, the summary, and a table (for `$GITHUB_STEP_SUMMARY`
//! or a pull-request body).

use std::fmt::Write;

use super::pointer_side;
use crate::report::{Level, Report};

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Renders `report` as Markdown under a `### Spec drift: {title}` heading.
pub fn markdown(report: &Report, title: &str) -> String {
    let mut out = String::new();
    let summary = report.summary();
    let _ = writeln!(out, "### Spec drift: {}\n", cell(title));
    if report.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "**{} breaking**, {} warning, {} info\n",
        summary.breaking, summary.warning, summary.info
    );
    out.push_str("| Level | Operation | Rule | Change | Pointer |\n|---|---|---|---|---|\n");
    for change in &report.changes {
        let badge = match change.level {
            Level::Breaking => "🔴 breaking",
            Level::Warning => "🟠 warning",
            Level::Info => "🔵 info",
        };
        let _ = writeln!(
            out,
            "| {badge} | {} | `{}` | {} | `{}` ({}) |",
            change
                .operation
                .as_deref()
                .map(|operation| format!("`{}`", cell(operation)))
                .unwrap_or_else(|| "—".to_owned()),
            change.id,
            cell(&change.message),
            cell(&change.pointer),
            pointer_side(change)
        );
    }
    out
}
