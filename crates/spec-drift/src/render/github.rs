//! GitHub Actions workflow commands: one annotation per change
//! (`::error` for breaking, `::warning`, `::notice` for info).

use std::fmt::Write;

use super::pointer_side;
use crate::report::{Level, Report};

/// Escapes a workflow-command message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Renders `report` as annotations; `file` (a repository path) attaches
/// them to that file.
///
/// ```text
/// ::error file=openapi/minimax.json,title=response-property-type-changed (GET /v1/files/list)::the type of … (at new:/paths/…)
/// ```
pub fn github(report: &Report, file: Option<&str>) -> String {
    let mut out = String::new();
    for change in &report.changes {
        let command = match change.level {
            Level::Breaking => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let title = match &change.operation {
            Some(operation) => format!("{} ({operation})", change.id),
            None => change.id.clone(),
        };
        let file = file
            .map(|file| format!("file={},", property(file)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "::{command} {file}title={}::{} (at {}:{})",
            property(&title),
            data(&change.message),
            pointer_side(change),
            data(&change.pointer)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("GET /a:b,c"), "GET /a%3Ab%2Cc");
    }
}
