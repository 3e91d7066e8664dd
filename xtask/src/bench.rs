//! `cargo xtask bench-instructions`: the SDK's cost per `files().retrieve`
//! in CPU instructions, counted by `valgrind --tool=callgrind`.
//!
//! Wall-clock figures from `cargo bench -p sdk-bench` move by tens of per
//! cent on a shared machine; instruction counts repeat. This runs the same
//! bench binary under callgrind, once per client (`SDK_BENCH_ONLY=sdk`,
//! `raw`, `raw-matched`) and scenario (sequential, 64 concurrent), each at
//! two request counts, so that start-up and warm-up cancel out:
//! per request = (count at the larger size − count at the smaller) / the
//! difference in requests. It reports the whole client process (the
//! loopback server is a child process callgrind does not follow) and the
//! calling thread alone (thread 1, which drives every request future while
//! `reqwest`'s connection tasks run on the runtime's workers).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, ensure, Context as _};

use crate::project;

/// Options of `cargo xtask bench-instructions`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// The smaller request count of each scenario.
    #[arg(long, default_value_t = 1000)]
    small: u64,
    /// The larger request count of each scenario.
    #[arg(long, default_value_t = 3000)]
    large: u64,
}

/// The clients, as `SDK_BENCH_ONLY` names them, and as the report does.
const CLIENTS: [(&str, &str); 3] = [
    ("sdk", "minimax-sdk"),
    ("raw", "raw reqwest (defaults)"),
    ("raw-matched", "raw reqwest (SDK's client settings)"),
];

/// How a scenario is selected through the bench's environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Scenario {
    Sequential,
    Concurrent,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Sequential => "sequential",
            Scenario::Concurrent => "64 concurrent",
        }
    }

    /// `SDK_BENCH_REQUESTS` and `SDK_BENCH_CONCURRENT_REQUESTS` for `requests`.
    fn request_counts(self, requests: u64) -> (u64, u64) {
        match self {
            Scenario::Sequential => (requests, 1),
            Scenario::Concurrent => (1, requests),
        }
    }
}

/// Instructions per request of one client in one scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PerRequest {
    process: f64,
    calling_thread: f64,
}

/// The instruction counts of one callgrind run, per thread (1 = main).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct RunCounts {
    threads: BTreeMap<u32, u64>,
}

impl RunCounts {
    fn process(&self) -> u64 {
        self.threads.values().sum()
    }

    fn calling_thread(&self) -> u64 {
        self.threads.get(&1).copied().unwrap_or_default()
    }
}

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    ensure!(
        args.small > 0 && args.large > args.small,
        "--large ({}) must be greater than --small ({}), and both positive",
        args.large,
        args.small
    );
    let valgrind = Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !valgrind.is_ok_and(|status| status.success()) {
        bail!("valgrind was not found on PATH; install it (Debian: apt-get install valgrind) to count instructions");
    }
    let root = project::root();
    let binary = build_bench(&root)?;
    let scratch = tempfile::tempdir().context("creating a directory for callgrind's output")?;

    let mut results: BTreeMap<(Scenario, &str), PerRequest> = BTreeMap::new();
    for scenario in [Scenario::Sequential, Scenario::Concurrent] {
        for (client, _) in CLIENTS {
            let small = count(&binary, scratch.path(), client, scenario, args.small)?;
            let large = count(&binary, scratch.path(), client, scenario, args.large)?;
            let requests = (args.large - args.small) as f64;
            let per_request = PerRequest {
                process: difference(small.process(), large.process()) / requests,
                calling_thread: difference(small.calling_thread(), large.calling_thread())
                    / requests,
            };
            eprintln!(
                "bench-instructions: {} {client}: {:.0} per request ({:.0} on the calling thread)",
                scenario.name(),
                per_request.process,
                per_request.calling_thread
            );
            results.insert((scenario, client), per_request);
        }
    }
    print!("{}", report(&results, args));
    Ok(ExitCode::SUCCESS)
}

/// Builds the bench binary and returns its path.
fn build_bench(root: &Path) -> anyhow::Result<PathBuf> {
    eprintln!("bench-instructions: cargo bench -p sdk-bench --no-run");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(root)
        .args([
            "bench",
            "-p",
            "sdk-bench",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo bench -p sdk-bench --no-run")?;
    ensure!(
        output.status.success(),
        "cargo bench -p sdk-bench --no-run failed ({})",
        output.status
    );
    bench_executable(&String::from_utf8_lossy(&output.stdout))
        .context("cargo did not report the sdk-bench bench executable")
}

/// The executable of the `sdk` bench target in cargo's JSON messages.
fn bench_executable(messages: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| {
            message["target"]["name"] == "sdk"
                && message["target"]["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bench"))
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
}

/// Runs one client and scenario with `requests` requests under callgrind.
fn count(
    binary: &Path,
    scratch: &Path,
    client: &str,
    scenario: Scenario,
    requests: u64,
) -> anyhow::Result<RunCounts> {
    let (sequential, concurrent) = scenario.request_counts(requests);
    let prefix = scratch.join(format!("{client}-{sequential}-{concurrent}.out"));
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--separate-threads=yes")
        .arg(format!("--callgrind-out-file={}", prefix.display()))
        .arg(binary)
        .arg("--bench")
        .env("SDK_BENCH_ONLY", client)
        .env("SDK_BENCH_REQUESTS", sequential.to_string())
        .env("SDK_BENCH_CONCURRENT_REQUESTS", concurrent.to_string())
        .env("SDK_BENCH_ROUNDS", "1")
        .env("SDK_BENCH_WARMUP", "100")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("running valgrind")?;
    ensure!(
        status.success(),
        "the bench failed under callgrind ({status}) for SDK_BENCH_ONLY={client}, {} requests",
        requests
    );
    let mut counts = RunCounts::default();
    let name = prefix
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default()
        .to_owned();
    for entry in std::fs::read_dir(scratch).context("reading callgrind's output")? {
        let path = entry?.path();
        let Some(thread) = path
            .file_name()
            .and_then(|file| file.to_str())
            .and_then(|file| thread_number(file, &name))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let total = total_instructions(&text)
            .with_context(|| format!("{} has no instruction total", path.display()))?;
        counts.threads.insert(thread, total);
    }
    ensure!(
        counts.threads.contains_key(&1),
        "callgrind wrote no output for the main thread ({})",
        prefix.display()
    );
    Ok(counts)
}

/// The thread number of a per-thread output file (`<name>-01` → 1).
fn thread_number(file: &str, name: &str) -> Option<u32> {
    file.strip_prefix(name)?.strip_prefix('-')?.parse().ok()
}

/// The instruction total of a callgrind output file (its `summary:` line,
/// else its `totals:` line).
fn total_instructions(text: &str) -> Option<u64> {
    let line_value = |key: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|value| value.parse().ok())
    };
    line_value("summary:").or_else(|| line_value("totals:"))
}

/// `large − small` as a float; negative when the larger run counted fewer.
fn difference(small: u64, large: u64) -> f64 {
    large as f64 - small as f64
}

/// The Markdown report.
fn report(results: &BTreeMap<(Scenario, &str), PerRequest>, args: &BenchArgs) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n## minimax-sdk instructions per files().retrieve (callgrind)\n"
    );
    let _ = writeln!(
        out,
        "command: `cargo xtask bench-instructions` ({} and {} requests per run; per request = difference / {})\n",
        args.small,
        args.large,
        args.large - args.small
    );
    let _ = writeln!(
        out,
        "| scenario | client | whole process | calling thread | SDK/this (process) | SDK/this (calling thread) |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for scenario in [Scenario::Sequential, Scenario::Concurrent] {
        let sdk = results.get(&(scenario, "sdk"));
        for (client, label) in CLIENTS {
            let Some(this) = results.get(&(scenario, client)) else {
                continue;
            };
            // Fewer instructions is faster: the SDK's throughput relative to
            // this client is this client's count over the SDK's.
            let (process, thread) = match sdk {
                Some(sdk) if client != "sdk" => (
                    format!("{:.3}×", this.process / sdk.process),
                    format!("{:.3}×", this.calling_thread / sdk.calling_thread),
                ),
                _ => (String::new(), String::new()),
            };
            let _ = writeln!(
                out,
                "| {} | {label} | {:.1}k | {:.1}k | {process} | {thread} |",
                scenario.name(),
                this.process / 1000.0,
                this.calling_thread / 1000.0,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_read_from_summary_or_totals_lines() {
        let file = "version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nsummary: 176634554\n";
        assert_eq!(total_instructions(file), Some(176_634_554));
        assert_eq!(total_instructions("events: Ir\ntotals: 42\n"), Some(42));
        assert_eq!(total_instructions("events: Ir\n"), None);
        assert_eq!(total_instructions("summary: many\n"), None);
    }

    #[test]
    fn per_thread_files_are_recognised_by_their_suffix() {
        assert_eq!(
            thread_number("sdk-1000-1.out-01", "sdk-1000-1.out"),
            Some(1)
        );
        assert_eq!(
            thread_number("sdk-1000-1.out-12", "sdk-1000-1.out"),
            Some(12)
        );
        assert_eq!(thread_number("sdk-1000-1.out", "sdk-1000-1.out"), None);
        assert_eq!(thread_number("sdk-3000-1.out-01", "sdk-1000-1.out"), None);
        assert_eq!(thread_number("sdk-1000-1.out-x", "sdk-1000-1.out"), None);
    }

    #[test]
    fn the_bench_executable_is_found_among_cargo_messages() {
        let messages = [
            r#"{"reason":"compiler-artifact","target":{"name":"sdk_bench","kind":["lib"]},"executable":null}"#,
            r#"not json"#,
            r#"{"reason":"compiler-artifact","target":{"name":"sdk","kind":["bench"]},"executable":"/t/release/deps/sdk-abc"}"#,
            r#"{"reason":"build-finished","success":true}"#,
        ]
        .join("\n");
        assert_eq!(
            bench_executable(&messages),
            Some(PathBuf::from("/t/release/deps/sdk-abc"))
        );
        assert_eq!(bench_executable(r#"{"reason":"build-finished"}"#), None);
    }

    #[test]
    fn the_report_gives_each_raw_client_the_sdk_ratio() {
        let mut results = BTreeMap::new();
        let figures = |process, calling_thread| PerRequest {
            process,
            calling_thread,
        };
        results.insert((Scenario::Sequential, "sdk"), figures(100_000.0, 80_000.0));
        results.insert((Scenario::Sequential, "raw"), figures(90_000.0, 72_000.0));
        let args = BenchArgs {
            small: 1000,
            large: 3000,
        };
        let text = report(&results, &args);
        assert!(
            text.contains(
                "| sequential | raw reqwest (defaults) | 90.0k | 72.0k | 0.900× | 0.900× |"
            ),
            "{text}"
        );
        assert!(
            text.contains("| sequential | minimax-sdk | 100.0k | 80.0k |  |  |"),
            "{text}"
        );
        assert!(!text.contains("64 concurrent"), "{text}");
    }
}
