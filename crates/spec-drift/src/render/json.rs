//! JSON: `{"changes":[{"id","level","operation","pointer","message"}],
//! "summary":{"breaking":N,"warning":N,"info":N}}`, keys in that order.

use std::fmt::Write;

use serde_json::Value;

use crate::report::Report;

fn string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

/// Renders `report` as JSON (one change per line, keys in the documented
/// order; `operation` is `null` for document-level changes).
///
/// ```
/// let report = spec_drift::Report::new(vec![]);
/// let out = spec_drift::render::json(&report);
/// let value: serde_json::Value = serde_json::from_str(&out)?;
/// assert_eq!(value["summary"]["breaking"], 0);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn json(report: &Report) -> String {
    let mut out = String::from("{\n  \"changes\": [");
    for (index, change) in report.changes.iter().enumerate() {
        let operation = change
            .operation
            .as_deref()
            .map(string)
            .unwrap_or_else(|| "null".to_owned());
        let _ = write!(
            out,
            "{}\n    {{\"id\": {}, \"level\": {}, \"operation\": {}, \"pointer\": {}, \"message\": {}}}",
            if index == 0 { "" } else { "," },
            string(&change.id),
            string(change.level.as_str()),
            operation,
            string(&change.pointer),
            string(&change.message)
        );
    }
    if !report.changes.is_empty() {
        out.push_str("\n  ");
    }
    let summary = report.summary();
    let _ = write!(
        out,
        "],\n  \"summary\": {{\"breaking\": {}, \"warning\": {}, \"info\": {}}}\n}}\n",
        summary.breaking, summary.warning, summary.info
    );
    out
}
