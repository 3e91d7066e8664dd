//! Fixture pairs under `tests/cases/<name>/`: `old.{json,yaml}`,
//! `new.{json,yaml}` and `expected.json` (`{"changes": [{"id", "level",
//! "operation", "pointer"}]}`). Each case must report exactly the expected
//! changes (id, level, operation and pointer; messages are not pinned).
//!
//! Every rule id in the catalogue has a case named after it that reports
//! it at its catalogued level; the other cases are scenarios (non-breaking
//! edits, 3.1 versus 3.0, shared components, `$ref` cycles, open enums).

// Test helpers may unwrap: a panic here is a failed test (clippy.toml allows
// it inside #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use spec_drift::{diff, rules, Level, Report};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn load_side(dir: &Path, side: &str) -> Value {
    for ext in ["json", "yaml"] {
        let path = dir.join(format!("{side}.{ext}"));
        if path.exists() {
            return spec_compat::load(&path).unwrap();
        }
    }
    panic!("{}: no {side}.json or {side}.yaml", dir.display());
}

type Row = (String, String, Option<String>, String);

fn rows(report: &Report) -> Vec<Row> {
    let mut rows: Vec<Row> = report
        .changes
        .iter()
        .map(|change| {
            (
                change.id.clone(),
                change.level.as_str().to_owned(),
                change.operation.clone(),
                change.pointer.clone(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn expected(dir: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let mut rows: Vec<Row> = value["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["id"].as_str().unwrap().to_owned(),
                row["level"].as_str().unwrap().to_owned(),
                row["operation"].as_str().map(str::to_owned),
                row["pointer"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn run(dir: &Path) -> Report {
    diff(&load_side(dir, "old"), &load_side(dir, "new"))
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
}

#[test]
fn every_case_reports_exactly_what_it_expects() {
    let mut failures = Vec::new();
    let dirs = case_dirs();
    assert!(dirs.len() > 150, "only {} cases", dirs.len());
    for dir in &dirs {
        let report = run(dir);
        let (got, want) = (rows(&report), expected(dir));
        if got != want {
            failures.push(format!(
                "{}:\n  got:  {got:#?}\n  want: {want:#?}\n{}",
                dir.file_name().unwrap().to_string_lossy(),
                spec_drift::render::text(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_catalogued_rule_has_a_case_reporting_it_at_its_level() {
    let mut missing = Vec::new();
    for rule in rules::catalogue() {
        let dir = cases_dir().join(&rule.id);
        if !dir.is_dir() {
            missing.push(format!("{}: no case directory", rule.id));
            continue;
        }
        let report = run(&dir);
        if !report
            .changes
            .iter()
            .any(|change| change.id == rule.id && change.level == rule.level)
        {
            missing.push(format!(
                "{}: the case does not report it at {}",
                rule.id, rule.level
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_reported_id_is_catalogued() {
    let known: BTreeSet<String> = rules::catalogue().into_iter().map(|rule| rule.id).collect();
    for dir in case_dirs() {
        for change in run(&dir).changes {
            assert!(
                known.contains(&change.id),
                "{}: {}",
                dir.display(),
                change.id
            );
        }
    }
}

#[test]
fn non_breaking_edits_are_never_breaking() {
    let report = run(&cases_dir().join("non-breaking-edits"));
    assert!(report.changes.len() >= 6);
    assert_eq!(report.max_level(), Some(Level::Info), "{report:#?}");
}

#[test]
fn the_same_api_in_31_and_30_has_no_changes() {
    let report = run(&cases_dir().join("openapi-31-vs-30"));
    assert!(report.is_empty(), "{}", spec_drift::render::text(&report));
    // And the other way round.
    let dir = cases_dir().join("openapi-31-vs-30");
    let report = diff(&load_side(&dir, "new"), &load_side(&dir, "old")).unwrap();
    assert!(report.is_empty(), "{}", spec_drift::render::text(&report));
}

#[test]
fn a_shared_component_change_is_reported_once_per_affected_operation() {
    let report = run(&cases_dir().join("shared-component"));
    let operations: Vec<&str> = report
        .changes
        .iter()
        .filter_map(|change| change.operation.as_deref())
        .collect();
    assert_eq!(operations, ["GET /a", "GET /b", "POST /c", "POST /c"]);
}

#[test]
fn every_case_diffed_against_itself_is_empty() {
    for dir in case_dirs() {
        for side in ["old", "new"] {
            let doc = load_side(&dir, side);
            let report = diff(&doc, &doc).unwrap();
            assert!(
                report.is_empty(),
                "{} {side}: {}",
                dir.display(),
                spec_drift::render::text(&report)
            );
        }
    }
}

#[test]
fn messages_are_single_lines_naming_what_changed() {
    let report = run(&cases_dir().join("request-property-enum-value-removed"));
    let message = &report.changes[0].message;
    assert!(!message.contains('\n'));
    assert!(
        message.contains("\"b\"") && message.contains("`field`"),
        "{message}"
    );
}
