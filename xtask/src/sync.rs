//! `cargo xtask sync`: refresh the vendored upstream specs.
//!
//! For every `[[source]]` of `openapi/sources.toml`:
//!
//! 1. fetch what `url` serves: download it, or with `--from DIR` read it
//!    from `DIR` (offline). A file in `DIR` is matched by the last segment
//!    of the source's `url` (the raw page, e.g. `file-management-retrieve.md`;
//!    `extract` is applied to it), or else by the vendored file's name
//!    (e.g. `file-management.yaml`: the spec itself, used as it is). A
//!    source with neither file in `DIR` is skipped and left as it is;
//! 2. extract the spec: `extract = "none"` takes the bytes as they are;
//!    `"markdown-yaml-fence"` takes the text strictly between the first line
//!    starting with four backticks and `yaml` and the next line that is
//!    four backticks alone, byte for byte;
//! 3. check that it is an OpenAPI 3.x document in the source's `format`;
//! 4. print the drift report of the vendored file against the new one.
//!
//! Then, when every source was fetched and checked, it writes the changed
//! files, records `sha256` and `retrieved` (`--date`, default today in UTC)
//! in `sources.toml` (comments and order kept), regenerates
//! `openapi/minimax.json` and the client (`cargo xtask generate`), and prints
//! the drift of the merged spec too.
//!
//! **The international source** (`published_bytes`): our copy of the
//! published file was cut off, and the project completed it. When the
//! fetched file is a complete document, it replaces the whole vendored file
//! (the project-written tail included) and `published_bytes` is dropped:
//! update that source's `note` and `openapi/UPSTREAM.md` in the same pull
//! request. When the fetched file is still cut off exactly where our copy
//! is, the vendored file is kept. Anything else (cut off elsewhere) is an
//! error: the tail has to be completed by hand.
//!
//! Exit codes: 0, or 1 when an upstream drift report has a change at or
//! above `--fail-on` (default `breaking`); 2 when a fetched file is not a
//! usable spec or cannot be fetched (nothing is written then); 1 with an
//! error for anything else (an unreadable manifest, a failed generation).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context, Result};
use spec_drift::Summary;

use crate::drift::{self, FailOn, Format};
use crate::{generate, project, sources};

/// Flags of `cargo xtask sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Read the upstream files from DIR instead of downloading them (see
    /// `xtask/src/sync.rs` for how files are matched).
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// The date recorded as `retrieved` (YYYY-MM-DD; default: today, UTC).
    #[arg(long)]
    pub date: Option<String>,
    /// Exit 1 when an upstream drift report has a change at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    pub fail_on: FailOn,
    /// Format of the drift reports.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Refresh the vendored files and the manifest only; do not regenerate.
    #[arg(long)]
    pub no_generate: bool,
}

/// What one source's refresh found.
struct Refresh {
    name: String,
    /// The vendored file, relative to the workspace root.
    display: String,
    path: PathBuf,
    /// New bytes to write, when they differ from the vendored ones.
    contents: Option<Vec<u8>>,
    /// The sha256 to record.
    sha256: String,
    /// Drop `published_bytes` (the published file is complete now).
    drop_published_bytes: bool,
}

/// A fetched file that is not usable: exit code 2.
struct BadUpstream(String);

/// Runs the command.
pub fn run(args: &SyncArgs) -> Result<ExitCode> {
    let root = project::root();
    let openapi = project::openapi_dir(&root);
    let manifest = sources::load(&openapi)?;
    let date = match &args.date {
        Some(date) if sources::is_date(date) => date.clone(),
        Some(date) => bail!("--date {date:?} is not a date in the form YYYY-MM-DD"),
        None => today_utc(),
    };

    let mut refreshes = Vec::new();
    let mut upstream_total = Summary::default();
    let mut reports = String::new();
    for source in &manifest.sources {
        let fetched = match fetch(source, args.from.as_deref()) {
            Ok(Some(fetched)) => fetched,
            Ok(None) => {
                eprintln!(
                    "  {}: not in {}, left as it is",
                    source.name,
                    args.from.as_deref().unwrap_or(Path::new("?")).display()
                );
                continue;
            }
            Err(BadUpstream(message)) => {
                eprintln!("error: {message}");
                return Ok(ExitCode::from(2));
            }
        };
        match refresh(&root, &openapi, source, &fetched) {
            Ok((refresh, report)) => {
                if let Some(report) = report {
                    upstream_total.add(report.summary());
                    let title = format!("upstream `{}` ({})", source.name, refresh.display);
                    reports.push_str(&drift::render_one(
                        &report,
                        args.format,
                        &title,
                        &refresh.display,
                    ));
                    reports.push('\n');
                }
                refreshes.push(refresh);
            }
            Err(BadUpstream(message)) => {
                eprintln!("error: {message}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    print!("{reports}");

    // Everything was fetched and checked: write.
    for refresh in &refreshes {
        if let Some(contents) = &refresh.contents {
            project::write_atomically(&refresh.path, contents)?;
            eprintln!("  wrote {}", refresh.display);
        } else {
            eprintln!("  {} unchanged", refresh.display);
        }
    }
    update_manifest(&sources::manifest_path(&openapi), &refreshes, &date)?;

    if !args.no_generate {
        let merged_path = project::merged_spec(&root);
        let merged_before = std::fs::read_to_string(&merged_path).ok();
        let code = generate::run(&generate::GenerateArgs {
            check: false,
            verbose: false,
        })?;
        if code != ExitCode::SUCCESS {
            bail!("regeneration failed after the upstream files were refreshed; fix the normaliser or the additions, then run `cargo xtask generate`");
        }
        if let (Some(before), Ok(after)) = (merged_before, std::fs::read_to_string(&merged_path)) {
            if before != after {
                let old = spec_compat::parse(&before, "openapi/minimax.json (before)")?;
                let new = spec_compat::parse(&after, "openapi/minimax.json")?;
                let report = spec_drift::diff(&old, &new)
                    .map_err(|err| anyhow!("cannot diff the merged spec: {err}"))?;
                print!(
                    "{}",
                    drift::render_one(
                        &report,
                        args.format,
                        "merged spec openapi/minimax.json (what the generated client sees)",
                        "openapi/minimax.json"
                    )
                );
            }
        }
    }
    if matches!(args.format, Format::Text) {
        println!("upstream drift total: {upstream_total}");
    }
    Ok(if args.fail_on.fails(&upstream_total) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Fetches what `source.url` serves. `Ok(None)`: not in `--from DIR`.
/// Returns the bytes and whether they are the raw page (to extract from).
fn fetch(
    source: &sources::Source,
    from: Option<&Path>,
) -> Result<Option<(Vec<u8>, bool)>, BadUpstream> {
    let raw_name = source
        .url
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty())
        .unwrap_or(&source.name);
    match from {
        Some(dir) => {
            let raw = dir.join(raw_name);
            if raw.is_file() {
                return read_file(&raw).map(|bytes| Some((bytes, true)));
            }
            let vendored_name = source
                .file
                .file_name()
                .map(|name| dir.join(name))
                .filter(|path| path.is_file());
            match vendored_name {
                Some(path) => read_file(&path).map(|bytes| Some((bytes, false))),
                None => Ok(None),
            }
        }
        None => download(&source.url)
            .map(|bytes| Some((bytes, true)))
            .map_err(|err| {
                BadUpstream(format!(
                    "source `{}`: cannot download {}: {err:#}",
                    source.name, source.url
                ))
            }),
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, BadUpstream> {
    std::fs::read(path).map_err(|err| BadUpstream(format!("cannot read {}: {err}", path.display())))
}

fn download(url: &str) -> Result<Vec<u8>> {
    let client = reqwest::blocking::Client::builder()
        .user_agent(concat!("minimax-rs-xtask/", env!("CARGO_PKG_VERSION")))
        .timeout(std::time::Duration::from_secs(60))
        .build()?;
    let response = client.get(url).send()?.error_for_status()?;
    Ok(response.bytes()?.to_vec())
}

/// The spec between the ```` ````yaml ```` line and the closing ```` ```` ```` line.
pub fn extract_yaml_fence(page: &[u8]) -> Option<&[u8]> {
    let mut offset = 0;
    let mut start = None;
    for line in page.split_inclusive(|&byte| byte == b'\n') {
        let line_start = offset;
        offset += line.len();
        match start {
            None if line.starts_with(b"````yaml") => start = Some(offset),
            Some(begin) => {
                let trimmed = line.trim_ascii_end();
                if trimmed == b"````" {
                    return Some(&page[begin..line_start]);
                }
            }
            None => {}
        }
    }
    None
}

/// Checks the fetched bytes of one source, builds its drift report and
/// decides what to write.
fn refresh(
    root: &Path,
    openapi: &Path,
    source: &sources::Source,
    (fetched, raw): &(Vec<u8>, bool),
) -> Result<(Refresh, Option<spec_drift::Report>), BadUpstream> {
    let path = openapi.join(&source.file);
    let display = path
        .strip_prefix(root)
        .unwrap_or(&path)
        .display()
        .to_string();
    let spec: &[u8] = match (source.extract.as_str(), raw) {
        ("markdown-yaml-fence", true) => extract_yaml_fence(fetched).ok_or_else(|| {
            BadUpstream(format!(
                "source `{}`: the page from {} has no ````yaml fence: the documentation layout changed; update the extraction",
                source.name, source.url
            ))
        })?,
        ("none", _) | (_, false) => fetched,
        (other, true) => {
            return Err(BadUpstream(format!(
                "source `{}`: unknown extract {other:?} in sources.toml (expected \"none\" or \"markdown-yaml-fence\")",
                source.name
            )))
        }
    };
    let current =
        std::fs::read(&path).map_err(|err| BadUpstream(format!("cannot read {display}: {err}")))?;
    let format = match source.format.as_str() {
        "json" => spec_compat::Format::Json,
        _ => spec_compat::Format::Yaml,
    };
    let label = format!("upstream `{}` ({})", source.name, source.url);
    let parsed = std::str::from_utf8(spec)
        .map_err(|_| "not UTF-8 text".to_owned())
        .and_then(|text| spec_compat::parse_as(text, format, &label).map_err(|err| err.to_string()))
        .and_then(|doc| {
            let mut probe = doc.clone();
            spec_compat::downconvert(&mut probe, &label)
                .map(|_| doc)
                .map_err(|err| err.to_string())
        });

    let (new_doc, drop_published_bytes) = match (parsed, source.published_bytes) {
        (Ok(doc), published) => (doc, published.is_some()),
        (Err(_), Some(published)) if current.get(..published as usize) == Some(spec) => {
            // Still cut off where our copy is: keep the completed file.
            return Ok((
                Refresh {
                    name: source.name.clone(),
                    display,
                    path,
                    contents: None,
                    sha256: sources::sha256_hex(&current),
                    drop_published_bytes: false,
                },
                None,
            ));
        }
        (Err(err), Some(published)) => {
            return Err(BadUpstream(format!(
                "{err}; the published file is still incomplete but no longer ends where our copy's published prefix does ({published} bytes), so the project-written tail cannot be re-attached: complete {display} by hand"
            )))
        }
        (Err(err), None) => return Err(BadUpstream(err)),
    };
    let old_doc = spec_compat::parse_as(&String::from_utf8_lossy(&current), format, &display)
        .map_err(|err| BadUpstream(format!("the vendored file is unreadable: {err}")))?;
    let report = drift::compare(&old_doc, &display, &new_doc, &label)
        .map_err(|err| BadUpstream(err.to_string()))?;
    let changed = current != spec;
    Ok((
        Refresh {
            name: source.name.clone(),
            display,
            path,
            contents: changed.then(|| spec.to_vec()),
            sha256: sources::sha256_hex(spec),
            drop_published_bytes,
        },
        Some(report),
    ))
}

/// Records the new hashes and date in `sources.toml`, keeping its comments
/// and order.
fn update_manifest(path: &Path, refreshes: &[Refresh], date: &str) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    let tables = doc
        .get_mut("source")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .ok_or_else(|| anyhow!("{}: no [[source]] tables", path.display()))?;
    for table in tables.iter_mut() {
        let Some(name) = table
            .get("name")
            .and_then(toml_edit::Item::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        let Some(refresh) = refreshes.iter().find(|refresh| refresh.name == name) else {
            continue;
        };
        set_string(table, "sha256", &refresh.sha256);
        set_string(table, "retrieved", date);
        if refresh.drop_published_bytes && table.remove("published_bytes").is_some() {
            eprintln!(
                "  {name}: the published file is complete now; dropped published_bytes (update its note and openapi/UPSTREAM.md)"
            );
        }
    }
    let updated = doc.to_string();
    if updated != text {
        project::write_atomically(path, updated.as_bytes())?;
    }
    Ok(())
}

/// Replaces a string value, keeping the key's formatting and any comment.
fn set_string(table: &mut toml_edit::Table, key: &str, value: &str) {
    match table.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
        Some(slot) => {
            let decor = slot.decor().clone();
            *slot = toml_edit::Value::from(value);
            *slot.decor_mut() = decor;
        }
        None => {
            table.insert(key, toml_edit::value(value));
        }
    }
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today_utc() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    civil_from_days(days)
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → date.
fn civil_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(civil_from_days(20_779), "2026-11-22");
        assert_eq!(civil_from_days(11_016), "2000-02-29");
        assert_eq!(today_utc().len(), 10);
    }

    #[test]
    fn yaml_fences_are_cut_byte_for_byte() {
        let page = b"# Title\n\ntext\n\n````yaml /openapi.yaml\nopenapi: 3.1.0\r\npaths: {}\n\n````\n\nmore\n````yaml second\nx\n````\n";
        assert_eq!(
            extract_yaml_fence(page),
            Some(&b"openapi: 3.1.0\r\npaths: {}\n\n"[..])
        );
        assert_eq!(extract_yaml_fence(b"```yaml\nx\n```\n"), None);
        assert_eq!(extract_yaml_fence(b"````yaml\nunterminated\n"), None);
    }

    #[test]
    fn manifest_updates_keep_comments_and_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sources.toml");
        let text = "# header comment\n\n[[source]]\nname = \"a\" # trailing\nsha256 = \"old\"  # the hash\nretrieved = \"2000-01-01\"\npublished_bytes = 3\nnote = \"n\"\n\n[[source]]\nname = \"b\"\nsha256 = \"keep\"\nretrieved = \"2000-01-01\"\n";
        std::fs::write(&path, text).unwrap();
        let refresh = Refresh {
            name: "a".into(),
            display: String::new(),
            path: PathBuf::new(),
            contents: None,
            sha256: "new".into(),
            drop_published_bytes: true,
        };
        update_manifest(&path, &[refresh], "2026-11-22").unwrap();
        let updated = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            updated,
            "# header comment\n\n[[source]]\nname = \"a\" # trailing\nsha256 = \"new\"  # the hash\nretrieved = \"2026-11-22\"\nnote = \"n\"\n\n[[source]]\nname = \"b\"\nsha256 = \"keep\"\nretrieved = \"2000-01-01\"\n"
        );
    }
}
