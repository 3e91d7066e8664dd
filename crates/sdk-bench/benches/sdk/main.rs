//! `cargo bench -p sdk-bench`: what `minimax-sdk` costs over raw `reqwest`,
//! and how much memory its large transfers take.
//!
//! Everything runs offline against a loopback HTTP/1.1 server written with
//! plain hyper 1 ([`server`]), started as a child process (this binary
//! re-executed with `SDK_BENCH_ROLE=server`) so that its CPU time and memory
//! are not the client's.
//!
//! **Throughput** ([`throughput`]): `GET /v1/files/retrieve` answering a
//! ~250-byte file object, requested by
//!
//! - the SDK: `client.files().retrieve(id)`, the full path (task-local call
//!   context, executor with auth, timeout, retry policy and tracing span,
//!   JSON buffering, `base_resp` check, decoding into the generated type),
//!   on a client built like a user would (`Client::builder().api_key(..)
//!   .base_url(..).build()`, default retry policy and timeouts);
//! - raw `reqwest`: a GET with the bearer header,
//!   `.error_for_status()?.json::<minimax_api::types::RetrieveFileResp>()`
//!   and a check of `base_resp` and `file`, sent twice over: with a default
//!   `reqwest::Client` (no timeouts), and with one configured like the
//!   client the SDK builds (`Client::http_client_builder()` plus the
//!   default per-attempt timeout as its total timeout), so that the second
//!   comparison isolates the SDK's own layer from the cost of a timeout.
//!
//! All run sequentially (`SDK_BENCH_REQUESTS`, default 2,000) and 64 at a
//! time (`SDK_BENCH_CONCURRENT_REQUESTS`, default 4,000, with
//! `buffer_unordered(SDK_BENCH_CONCURRENCY)`) on a multi-thread runtime,
//! after a warm-up. As in a `#[tokio::main]` program, the request futures
//! are driven by `block_on` on the main thread, while `reqwest`'s
//! connection tasks run on the worker threads. The machine is noisy, so the
//! scenarios are repeated in `SDK_BENCH_ROUNDS` (default 31) interleaved
//! rounds, the clients back to back, the first rotating. Many short
//! concurrent rounds rather than a few long ones: the noise comes in
//! bursts, and the median of many back-to-back pairs is steadier (seen on
//! a 2-core VM: the 64-concurrent ratio's median ranged from 0.82× to
//! 0.95× over runs of 9 rounds of 20,000 requests, and from 0.79× to 0.84×
//! over runs of 61 rounds of 4,000; sequential rounds of 500 requests were
//! too short to be steady). The table shows
//! each client's median requests per second, median p50 and median p99
//! (each the median of its own figure over the rounds) and the SDK's ratio
//! to each raw client, and the report lists the ratio of every
//! back-to-back pair with their median and its 95% confidence interval
//! ([`sdk_bench::stats::median_interval`]). A throughput target is called
//! met or not met only when that interval lies wholly on one side of it;
//! otherwise the report says the run could not tell. Beside wall-clock
//! time, each round reads the client process's CPU clock and its calling
//! thread's (`clock_gettime`), and the table shows the median CPU time per
//! request and the CPU ratio (the server, a separate process, is not
//! counted). It also prints the size of the SDK's and the raw request
//! future (every move of a future copies it).
//!
//! **Transfer memory** ([`transfer`]): each transfer runs in a fresh child
//! process holding only a runtime and an SDK client: `files().upload` of a
//! sparse temporary file (`File::set_len`, `SDK_BENCH_UPLOAD_MIB`, default
//! 512) and `files().download_to` of a file the server streams
//! (`SDK_BENCH_DOWNLOAD_MIB`, default 1024) into a temporary directory
//! (under `TMPDIR`; it needs that much free disk). The child reads its
//! `VmHWM` (peak resident set) from `/proc/self/status` before the transfer
//! (the baseline) and after it, then deletes its files.
//!
//! `SDK_BENCH_ONLY=throughput|transfers|sdk|raw|raw-matched` runs a part
//! only (`sdk`, `raw`, `raw-matched`: the throughput scenarios of one
//! client, for a profiler);
//! `SDK_BENCH_WARMUP` sets the sequential warm-up (default 300 requests, and
//! four times that concurrently); `SDK_BENCH_SDK_NO_TIMEOUT=1` builds the
//! SDK client without its default per-attempt timeout (`no_timeout()`),
//! which shows what the timeout's per-request timer costs. Linux only
//! (`/proc`).

mod server;
mod throughput;
mod transfer;

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use sdk_bench::stats::{median_interval, MedianInterval, Verdict};

use throughput::{Rounds, Side, Throughput};
use transfer::{Report, Transfer};

/// The API key every client sends and the server expects.
pub const API_KEY: &str = "sdk-bench-key";
/// The file the throughput scenarios retrieve.
pub const BENCH_FILE_ID: i64 = 205_258_526_306_433;
/// The file the download fetches; its `bytes` is the download size.
pub const DOWNLOAD_FILE_ID: i64 = 305_258_526_306_434;
/// The id the server gives an upload.
pub const UPLOAD_FILE_ID: i64 = 405_258_526_306_435;

const TARGET_RATIO: f64 = 0.9;
/// The confidence of the interval a throughput verdict rests on.
const CONFIDENCE: f64 = 0.95;
const TARGET_PEAK_MIB: f64 = 64.0;
const MIB: u64 = 1024 * 1024;

/// Sizes and counts, from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub sequential_requests: usize,
    pub concurrent_requests: usize,
    pub concurrency: usize,
    pub rounds: usize,
    pub warmup: usize,
    pub upload_mib: u64,
    pub download_mib: u64,
    /// Whether the SDK client keeps its default per-attempt timeout
    /// (`SDK_BENCH_SDK_NO_TIMEOUT=1` removes it, to measure what the
    /// timeout's timer costs).
    pub sdk_timeout: bool,
}

impl Settings {
    fn from_env() -> anyhow::Result<Settings> {
        let count = |name: &str, default: u64| -> anyhow::Result<usize> {
            Ok(usize::try_from(env_u64(name, default)?)?)
        };
        let settings = Settings {
            sequential_requests: count("SDK_BENCH_REQUESTS", 2_000)?,
            concurrent_requests: count("SDK_BENCH_CONCURRENT_REQUESTS", 4_000)?,
            concurrency: count("SDK_BENCH_CONCURRENCY", 64)?,
            rounds: count("SDK_BENCH_ROUNDS", 31)?,
            warmup: count("SDK_BENCH_WARMUP", 300)?,
            upload_mib: env_u64("SDK_BENCH_UPLOAD_MIB", 512)?,
            download_mib: env_u64("SDK_BENCH_DOWNLOAD_MIB", 1024)?,
            sdk_timeout: env_u64("SDK_BENCH_SDK_NO_TIMEOUT", 0)? == 0,
        };
        if settings.sequential_requests == 0
            || settings.concurrent_requests == 0
            || settings.concurrency == 0
            || settings.rounds == 0
        {
            bail!("SDK_BENCH_REQUESTS, SDK_BENCH_CONCURRENT_REQUESTS, SDK_BENCH_CONCURRENCY and SDK_BENCH_ROUNDS must be positive");
        }
        Ok(settings)
    }
}

/// An unsigned integer from the environment, or `default` when unset.
pub fn env_u64(name: &str, default: u64) -> anyhow::Result<u64> {
    match std::env::var(name) {
        Ok(value) => value
            .trim()
            .parse()
            .with_context(|| format!("{name}={value:?} is not a non-negative integer")),
        Err(std::env::VarError::NotPresent) => Ok(default),
        Err(error) => Err(error).with_context(|| format!("reading {name}")),
    }
}

fn main() -> anyhow::Result<()> {
    match std::env::var("SDK_BENCH_ROLE").as_deref() {
        Ok("server") => server::run(),
        Ok("upload") => transfer::child(Transfer::Upload),
        Ok("download") => transfer::child(Transfer::Download),
        Ok(other) => bail!("unknown SDK_BENCH_ROLE {other:?}"),
        Err(_) => orchestrate(),
    }
}

/// The server child process; killed when dropped.
struct ServerProcess {
    child: Child,
    _stdin: Option<ChildStdin>,
    base_url: String,
}

impl ServerProcess {
    fn start(download_bytes: u64) -> anyhow::Result<ServerProcess> {
        let exe = std::env::current_exe().context("locating the benchmark binary")?;
        let mut child = Command::new(exe)
            .env("SDK_BENCH_ROLE", "server")
            .env("SDK_BENCH_DOWNLOAD_BYTES", download_bytes.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting the server process")?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().context("no server stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let port: u16 = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|port| port.parse().ok())
            .with_context(|| format!("the server said {line:?}"))?;
        Ok(ServerProcess {
            child,
            _stdin: stdin,
            base_url: format!("http://127.0.0.1:{port}"),
        })
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn orchestrate() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let only = std::env::var("SDK_BENCH_ONLY").unwrap_or_default();
    let (run_throughput, run_transfers, side) = match only.as_str() {
        "" => (true, true, None),
        "throughput" => (true, false, None),
        "transfers" => (false, true, None),
        "sdk" => (true, false, Some(Side::Sdk)),
        "raw" => (true, false, Some(Side::Raw)),
        "raw-matched" => (true, false, Some(Side::RawMatched)),
        other => bail!(
            "SDK_BENCH_ONLY={other:?}: expected throughput, transfers, sdk, raw or raw-matched"
        ),
    };
    let started = Instant::now();
    let server = ServerProcess::start(settings.download_mib * MIB)?;
    eprintln!("sdk-bench: server at {}", server.base_url);

    let throughput = if run_throughput {
        Some(throughput::run(&settings, &server.base_url, side)?)
    } else {
        None
    };
    let transfers = if run_transfers {
        let upload = transfer::measure(
            Transfer::Upload,
            &server.base_url,
            settings.upload_mib * MIB,
        )?;
        eprintln!("sdk-bench: upload done");
        let download = transfer::measure(
            Transfer::Download,
            &server.base_url,
            settings.download_mib * MIB,
        )?;
        eprintln!("sdk-bench: download done");
        Some((upload, download))
    } else {
        None
    };
    drop(server);
    print_report(&settings, throughput.as_ref(), transfers, started.elapsed());
    Ok(())
}

fn micros(duration: Duration) -> String {
    format!("{:.0}", duration.as_secs_f64() * 1e6)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// How the report words a target's verdict.
fn verdict(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Met => "met",
        Verdict::Missed => "NOT met",
        Verdict::Undecided => "not established",
    }
}

/// "median 0.930×, 97% interval 0.902×–0.951× over 31 rounds" (the
/// interval's exact coverage, at least [`CONFIDENCE`]).
fn describe(interval: &MedianInterval) -> String {
    let bounds = match interval.bounds {
        Some((low, high)) => format!(
            "{:.0}% interval {low:.3}×–{high:.3}×",
            (interval.coverage * 100.0).floor()
        ),
        None => "too few rounds for an interval".to_owned(),
    };
    format!(
        "median {:.3}×, {bounds} over {} rounds",
        interval.median, interval.count
    )
}

fn print_report(
    settings: &Settings,
    throughput: Option<&Throughput>,
    transfers: Option<(Report, Report)>,
    elapsed: Duration,
) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!();
    println!("## minimax-sdk benchmark");
    println!();
    println!("command: `cargo bench -p sdk-bench`");
    if !settings.sdk_timeout {
        println!("SDK client: without its per-attempt timeout (SDK_BENCH_SDK_NO_TIMEOUT=1)");
    }
    println!(
        "machine: {cores} cores (available_parallelism), {} {}; server: hyper 1 HTTP/1.1 on 127.0.0.1 in a child process",
        std::env::consts::OS,
        std::env::consts::ARCH,
    );
    println!("total time: {:.1} s", elapsed.as_secs_f64());
    let mut targets = Vec::new();

    if let Some(throughput) = throughput {
        println!();
        println!(
            "### files().retrieve vs raw reqwest: medians of {} interleaved rounds (warm-up {} + {} concurrent)",
            settings.rounds,
            settings.warmup,
            settings.warmup * 4
        );
        println!();
        println!("Each figure is the median over the rounds, taken separately. The ratios compare the SDK with the client of that row. CPU is the client process's CPU time per request (all its threads; the server is another process), with the calling thread's in brackets; this/SDK CPU is the other client's CPU time over the SDK's, the throughput ratio a CPU-bound client would see.");
        println!();
        println!("| scenario | client | requests | req/s | p50 µs | p99 µs | CPU µs/req | SDK/this req/s | SDK/this p50 | this/SDK CPU |");
        println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        let scenarios = [
            ("sequential".to_owned(), &throughput.sequential),
            (
                format!("{} concurrent", settings.concurrency),
                &throughput.concurrent,
            ),
        ];
        // Each scenario's back-to-back ratios against each raw client, with
        // their median interval: judged once, listed with the rounds below.
        let mut paired: Vec<Vec<Paired>> = Vec::new();
        for (name, rounds) in &scenarios {
            let sdk = rounds.summary(Side::Sdk);
            for side in Side::ALL {
                let Some(summary) = rounds.summary(side) else {
                    continue;
                };
                let (ratio, p50_ratio, cpu_ratio) = match sdk {
                    Some(sdk) if side != Side::Sdk => (
                        format!("**{:.3}×**", sdk.per_second / summary.per_second),
                        format!("{:.3}×", sdk.p50.as_secs_f64() / summary.p50.as_secs_f64()),
                        format!("{:.3}×", summary.cpu.as_secs_f64() / sdk.cpu.as_secs_f64()),
                    ),
                    _ => (String::new(), String::new(), String::new()),
                };
                println!(
                    "| {name} | {} | {} | {:.0} | {} | {} | {:.1} ({:.1}) | {ratio} | {p50_ratio} | {cpu_ratio} |",
                    side.name(),
                    summary.requests,
                    summary.per_second,
                    micros(summary.p50),
                    micros(summary.p99),
                    summary.cpu.as_secs_f64() * 1e6,
                    summary.caller_cpu.as_secs_f64() * 1e6,
                );
            }
            let judged = Paired::of(rounds);
            for pair in &judged {
                targets.push(format!(
                    "{name} throughput ≥ {TARGET_RATIO}× {}: {} (back-to-back {})",
                    pair.base.name(),
                    verdict(pair.interval.verdict(TARGET_RATIO)),
                    describe(&pair.interval),
                ));
            }
            paired.push(judged);
        }
        println!();
        for ((name, rounds), judged) in scenarios.iter().zip(&paired) {
            print_rounds(name, rounds, judged);
        }
        let (sdk_future, raw_future) = throughput.future_sizes;
        println!(
            "request future size: minimax-sdk {sdk_future} bytes, raw reqwest {raw_future} bytes"
        );
    }

    if let Some((upload, download)) = transfers {
        println!();
        println!("### transfers: peak RSS (VmHWM) of a fresh SDK-only child process");
        println!();
        println!("| transfer | size MiB | baseline MiB | peak MiB | growth MiB | time s | MiB/s |");
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for (name, report) in [
            ("files().upload (sparse temp file, set_len)", upload),
            ("files().download_to (temp file)", download),
        ] {
            println!(
                "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.2} | {:.0} |",
                report.bytes / MIB,
                mib(report.baseline_kib),
                mib(report.peak_kib),
                mib(report.peak_kib.saturating_sub(report.baseline_kib)),
                report.elapsed.as_secs_f64(),
                (report.bytes / MIB) as f64 / report.elapsed.as_secs_f64(),
            );
            targets.push(format!(
                "{name}: peak RSS < {TARGET_PEAK_MIB} MiB: {} ({:.1} MiB)",
                verdict(if mib(report.peak_kib) < TARGET_PEAK_MIB {
                    Verdict::Met
                } else {
                    Verdict::Missed
                }),
                mib(report.peak_kib)
            ));
        }
    }

    if !targets.is_empty() {
        println!();
        println!("### targets");
        println!();
        println!("A throughput verdict rests on the median of the back-to-back SDK/raw ratios and its confidence interval (at least {:.0}%, distribution-free; its exact coverage is shown): met, or NOT met, only when the whole interval lies on that side of the target, otherwise not established.", CONFIDENCE * 100.0);
        println!();
        for target in targets {
            println!("- {target}");
        }
    }
}

/// The SDK/raw ratios of a scenario's back-to-back rounds against one raw
/// client, and their median with its interval.
struct Paired {
    base: Side,
    ratios: Vec<f64>,
    interval: MedianInterval,
}

impl Paired {
    /// Against each raw client measured (with enough rounds for a median).
    fn of(rounds: &Rounds) -> Vec<Paired> {
        [Side::Raw, Side::RawMatched]
            .into_iter()
            .filter_map(|base| {
                let ratios = rounds.paired_ratios(base);
                let interval = median_interval(&ratios, CONFIDENCE)?;
                Some(Paired {
                    base,
                    ratios,
                    interval,
                })
            })
            .collect()
    }
}

fn print_rounds(name: &str, rounds: &Rounds, paired: &[Paired]) {
    for side in Side::ALL {
        let samples = rounds.samples(side);
        if !samples.is_empty() {
            let list: Vec<String> = samples
                .iter()
                .map(|sample| format!("{:.0}", sample.per_second()))
                .collect();
            println!(
                "{name} rounds, {}, req/s: [{}]",
                side.name(),
                list.join(", ")
            );
            let cpu: Vec<String> = samples
                .iter()
                .map(|sample| format!("{:.1}", sample.cpu_per_request().as_secs_f64() * 1e6))
                .collect();
            println!(
                "{name} rounds, {}, client CPU µs/req: [{}]",
                side.name(),
                cpu.join(", ")
            );
        }
    }
    for pair in paired {
        let list: Vec<String> = pair
            .ratios
            .iter()
            .map(|ratio| format!("{ratio:.3}"))
            .collect();
        println!(
            "{name} back-to-back SDK / {}: [{}], {}",
            pair.base.name(),
            list.join(", "),
            describe(&pair.interval)
        );
    }
}
