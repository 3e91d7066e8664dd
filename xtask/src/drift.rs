//! `cargo xtask drift`: classify the changes between two versions of a spec.
//!
//! - `cargo xtask drift OLD NEW`: each side is a file path or `REV:path`
//!   (read with `git show REV:path`, so `path` is relative to the repository
//!   root, or to the current directory when it starts with `./`). A path that
//!   exists as a file is always read as a file.
//! - `cargo xtask drift --base REV`: every file under `openapi/upstream/`
//!   plus `openapi/minimax.json`, at `REV` against the working tree. A file
//!   that exists on one side only is compared with an empty document, so
//!   each of its operations is reported as added (new file) or removed
//!   (deleted file).
//!
//! Exit codes: 0 when no change reaches `--fail-on` (default `breaking`),
//! 1 when one does, 2 when an input cannot be read (missing file, bad git
//! revision, invalid JSON/YAML, not an OpenAPI 3.x document), with a
//! one-paragraph message naming the input.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::Result;
use serde_json::{json, Value};
use spec_drift::{render, DiffError, Level, Report, Side, Summary};

use crate::project;

/// Output format of a drift report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// `{"changes": [...], "summary": {...}}` (see README, "Spec drift").
    Json,
    /// A Markdown table, for `$GITHUB_STEP_SUMMARY` or a pull-request body.
    Markdown,
    /// GitHub Actions annotations (`::error`, `::warning`, `::notice`).
    Github,
}

/// The lowest level that makes the command fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Fail on breaking changes.
    Breaking,
    /// Fail on warnings or breaking changes.
    Warning,
    /// Fail on any change.
    Info,
    /// Never fail because of changes.
    Never,
}

impl FailOn {
    /// Whether `summary` has a change at or above the threshold.
    pub fn fails(self, summary: &Summary) -> bool {
        let level = match self {
            FailOn::Breaking => Level::Breaking,
            FailOn::Warning => Level::Warning,
            FailOn::Info => Level::Info,
            FailOn::Never => return false,
        };
        summary.at_least(level) > 0
    }
}

/// Flags of `cargo xtask drift`.
#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// The old spec: a file path, or `REV:path` read from git.
    #[arg(required_unless_present = "base", requires = "new")]
    pub old: Option<String>,
    /// The new spec: a file path, or `REV:path` read from git.
    pub new: Option<String>,
    /// Compare every file under openapi/upstream/ and openapi/minimax.json at
    /// this git revision against the working tree.
    #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when a change at or above this level exists.
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    pub fail_on: FailOn,
}

/// An input that cannot be compared: exit code 2.
#[derive(Debug)]
pub struct Unreadable {
    /// How the input was named (`openapi/x.json`, `HEAD~1:openapi/x.json`).
    pub input: String,
    /// What went wrong.
    pub detail: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot compare {}: {}", self.input, self.detail)
    }
}

/// Runs the command.
pub fn run(args: &DriftArgs) -> Result<ExitCode> {
    let outcome = match (&args.base, &args.old, &args.new) {
        (Some(base), _, _) => run_base(base, args),
        (None, Some(old), Some(new)) => run_pair(old, new, args),
        _ => Err(Unreadable {
            input: "the command line".into(),
            detail: "give OLD and NEW, or --base REV".into(),
        }),
    };
    match outcome {
        Ok(fails) => Ok(if fails {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }),
        Err(err) => {
            eprintln!("error: {err}");
            Ok(ExitCode::from(2))
        }
    }
}

fn run_pair(old: &str, new: &str, args: &DriftArgs) -> Result<bool, Unreadable> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let old_doc = read_input(old, &cwd)?;
    let new_doc = read_input(new, &cwd)?;
    let report = compare(&old_doc, old, &new_doc, new)?;
    let title = format!("{old} → {new}");
    let annotated = match split_git(new, &cwd) {
        Some((_, path)) => path.to_owned(),
        None => new.to_owned(),
    };
    print!("{}", render_one(&report, args.format, &title, &annotated));
    Ok(args.fail_on.fails(&report.summary()))
}

/// Diffs two parsed inputs; errors name the input that is not OpenAPI.
pub fn compare(
    old: &Value,
    old_name: &str,
    new: &Value,
    new_name: &str,
) -> Result<Report, Unreadable> {
    spec_drift::diff(old, new).map_err(|err| {
        let side = match &err {
            DiffError::NotOpenApi { side, .. } | DiffError::Malformed { side, .. } => *side,
        };
        let input = match side {
            Side::Old => old_name,
            Side::New => new_name,
        };
        let detail = match err {
            DiffError::NotOpenApi { detail, .. } => {
                format!("not an OpenAPI 3.x document ({detail})")
            }
            DiffError::Malformed {
                pointer, detail, ..
            } => {
                format!("not a usable OpenAPI document: {detail} at {pointer}")
            }
        };
        Unreadable {
            input: input.to_owned(),
            detail,
        }
    })
}

/// Renders one report; `file` is what GitHub annotations attach to.
pub fn render_one(report: &Report, format: Format, title: &str, file: &str) -> String {
    match format {
        Format::Text => {
            let mut out = format!("{title}\n\n");
            out.push_str(&render::text(report));
            out
        }
        Format::Json => render::json(report),
        Format::Markdown => render::markdown(report, title),
        Format::Github => render::github(report, Some(file)),
    }
}

/// `REV:path` when `arg` is not an existing file and has a non-empty
/// revision before the first `:`.
fn split_git<'a>(arg: &'a str, cwd: &Path) -> Option<(&'a str, &'a str)> {
    if cwd.join(arg).exists() {
        return None;
    }
    let (rev, path) = arg.split_once(':')?;
    (!rev.is_empty() && !path.is_empty()).then_some((rev, path))
}

/// Reads and parses one input (file or `REV:path`).
pub fn read_input(arg: &str, cwd: &Path) -> Result<Value, Unreadable> {
    let unreadable = |detail: String| Unreadable {
        input: arg.to_owned(),
        detail,
    };
    let (text, format_hint) = match split_git(arg, cwd) {
        Some((rev, path)) => {
            let text = git_show(cwd, rev, path).map_err(unreadable)?;
            (text, spec_compat::Format::from_path(Path::new(path)))
        }
        None => {
            let path = cwd.join(arg);
            let text = std::fs::read_to_string(&path).map_err(|err| {
                if err.kind() == std::io::ErrorKind::NotFound {
                    unreadable(
                        "no such file (to read a git revision, write REV:path, e.g. HEAD~1:openapi/minimax.json)"
                            .into(),
                    )
                } else {
                    unreadable(format!("cannot read the file: {err}"))
                }
            })?;
            (text, spec_compat::Format::from_path(&path))
        }
    };
    let format = format_hint.unwrap_or_else(|| spec_compat::Format::sniff(&text));
    let doc = spec_compat::parse_as(&text, format, arg).map_err(|err| Unreadable {
        input: arg.to_owned(),
        detail: err
            .to_string()
            .strip_prefix(&format!("{arg}: "))
            .map(str::to_owned)
            .unwrap_or_else(|| err.to_string()),
    })?;
    let mut probe = doc.clone();
    spec_compat::downconvert(&mut probe, arg).map_err(|err| Unreadable {
        input: arg.to_owned(),
        detail: format!(
            "not an OpenAPI 3.x document: {}",
            err.to_string()
                .strip_prefix(&format!("{arg}: "))
                .map(str::to_owned)
                .unwrap_or_else(|| err.to_string())
        ),
    })?;
    Ok(doc)
}

/// `git show REV:path` in `dir`.
fn git_show(dir: &Path, rev: &str, path: &str) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "`git show {rev}:{path}` failed: {}",
            stderr.trim().replace('\n', "; ")
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("{rev}:{path} is not UTF-8 text"))
}

/// Files of `git ls-tree -r REV -- dir` (paths relative to the repository root).
fn git_files(root: &Path, rev: &str, dir: &str) -> Result<Vec<String>, Unreadable> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-tree", "-r", "--name-only", rev, "--", dir])
        .output()
        .map_err(|err| Unreadable {
            input: format!("git revision {rev}"),
            detail: format!("cannot run git: {err}"),
        })?;
    if !output.status.success() {
        return Err(Unreadable {
            input: format!("git revision {rev}"),
            detail: format!(
                "`git ls-tree {rev}` failed: {} (with actions/checkout, use fetch-depth: 0)",
                String::from_utf8_lossy(&output.stderr)
                    .trim()
                    .replace('\n', "; ")
            ),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The spec files `--base` compares: everything under `openapi/upstream/`
/// at `rev` or in the working tree, and `openapi/minimax.json`.
fn base_files(root: &Path, rev: &str) -> Result<Vec<String>, Unreadable> {
    let mut files = git_files(root, rev, "openapi/upstream/")?;
    if let Ok(entries) = std::fs::read_dir(root.join("openapi/upstream")) {
        for entry in entries.flatten() {
            if entry.path().is_file() {
                files.push(format!(
                    "openapi/upstream/{}",
                    entry.file_name().to_string_lossy()
                ));
            }
        }
    }
    files.retain(|file| {
        Path::new(file)
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| matches!(ext, "json" | "yaml" | "yml"))
    });
    files.push("openapi/minimax.json".to_owned());
    files.sort();
    files.dedup();
    Ok(files)
}

/// An OpenAPI document with no operations, standing in for a missing side.
fn empty_like(other: &Value) -> Value {
    json!({
        "openapi": other.get("openapi").cloned().unwrap_or(json!("3.0.3")),
        "info": other.get("info").cloned().unwrap_or(json!({"title": "", "version": ""})),
        "paths": {}
    })
}

struct FileReport {
    file: String,
    note: &'static str,
    report: Report,
}

fn run_base(rev: &str, args: &DriftArgs) -> Result<bool, Unreadable> {
    let root = project::root();
    let at_rev = git_files(&root, rev, "openapi/")?;
    let mut results = Vec::new();
    for file in base_files(&root, rev)? {
        let old_name = format!("{rev}:{file}");
        let old = if at_rev.contains(&file) {
            Some(read_input(&old_name, &root)?)
        } else {
            None
        };
        let new = if root.join(&file).is_file() {
            Some(read_input(&file, &root)?)
        } else {
            None
        };
        let (old, new, note) = match (old, new) {
            (Some(old), Some(new)) => (old, new, ""),
            (None, Some(new)) => (empty_like(&new), new, " (new file)"),
            (Some(old), None) => {
                let empty = empty_like(&old);
                (old, empty, " (deleted)")
            }
            (None, None) => continue,
        };
        let report = compare(&old, &old_name, &new, &file)?;
        results.push(FileReport { file, note, report });
    }
    let mut total = Summary::default();
    for result in &results {
        total.add(result.report.summary());
    }
    print!("{}", render_base(&results, &total, rev, args.format));
    Ok(args.fail_on.fails(&total))
}

fn render_base(results: &[FileReport], total: &Summary, rev: &str, format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Json => {
            out.push_str("{\n\"files\": [\n");
            for (index, result) in results.iter().enumerate() {
                let _ = write!(
                    out,
                    "{}{{\"file\": {}, \"report\": {}}}",
                    if index == 0 { "" } else { ",\n" },
                    Value::String(result.file.clone()),
                    render::json(&result.report).trim_end()
                );
            }
            let _ = writeln!(
                out,
                "\n],\n\"summary\": {{\"breaking\": {}, \"warning\": {}, \"info\": {}}}\n}}",
                total.breaking, total.warning, total.info
            );
        }
        Format::Markdown => {
            let _ = writeln!(
                out,
                "## Spec drift against `{rev}`\n\n**Total: {} breaking**, {} warning, {} info\n",
                total.breaking, total.warning, total.info
            );
            for result in results {
                out.push_str(&render::markdown(
                    &result.report,
                    &format!("{}{}", result.file, result.note),
                ));
                out.push('\n');
            }
        }
        Format::Github => {
            for result in results {
                out.push_str(&render::github(&result.report, Some(&result.file)));
            }
        }
        Format::Text => {
            for result in results {
                let _ = writeln!(
                    out,
                    "== {}{} ({rev} → working tree) ==",
                    result.file, result.note
                );
                out.push_str(&render::text(&result.report));
                out.push('\n');
            }
            let _ = writeln!(out, "total: {total}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_thresholds() {
        let summary = Summary {
            breaking: 0,
            warning: 1,
            info: 3,
        };
        assert!(!FailOn::Breaking.fails(&summary));
        assert!(FailOn::Warning.fails(&summary));
        assert!(FailOn::Info.fails(&summary));
        assert!(!FailOn::Never.fails(&summary));
    }

    #[test]
    fn git_syntax_only_when_the_file_does_not_exist() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a:b.json"), "{}").unwrap();
        assert_eq!(split_git("a:b.json", dir.path()), None);
        assert_eq!(
            split_git("HEAD:x.json", dir.path()),
            Some(("HEAD", "x.json"))
        );
        assert_eq!(split_git(":x.json", dir.path()), None);
        assert_eq!(split_git("plain.json", dir.path()), None);
    }

    #[test]
    fn empty_documents_keep_version_and_info() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "T", "version": "2"}, "paths": {"/a": {}}});
        let empty = empty_like(&doc);
        assert_eq!(empty["openapi"], "3.1.0");
        assert_eq!(empty["info"]["title"], "T");
        assert_eq!(empty["paths"], json!({}));
    }
}
