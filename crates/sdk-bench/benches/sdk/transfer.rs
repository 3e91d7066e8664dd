//! Peak memory of large transfers: each runs in a fresh child process that
//! holds only a runtime and an SDK client, and reports its `VmHWM` (peak
//! resident set) from `/proc/self/status` before and after the transfer.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context as _};
use minimax_sdk::{Client, FilePurpose, UploadSource};

use crate::{env_u64, API_KEY, DOWNLOAD_FILE_ID, UPLOAD_FILE_ID};

/// Which transfer a child process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    Upload,
    Download,
}

impl Transfer {
    pub fn role(self) -> &'static str {
        match self {
            Transfer::Upload => "upload",
            Transfer::Download => "download",
        }
    }
}

/// What a transfer child measured.
#[derive(Debug, Clone, Copy)]
pub struct Report {
    pub bytes: u64,
    pub baseline_kib: u64,
    pub peak_kib: u64,
    pub elapsed: Duration,
}

/// Runs `transfer` of `bytes` in a fresh child process against the server
/// at `base_url` and returns its report.
pub fn measure(transfer: Transfer, base_url: &str, bytes: u64) -> anyhow::Result<Report> {
    let exe = std::env::current_exe().context("locating the benchmark binary")?;
    let child = Command::new(exe)
        .env("SDK_BENCH_ROLE", transfer.role())
        .env("SDK_BENCH_BASE_URL", base_url)
        .env("SDK_BENCH_TRANSFER_BYTES", bytes.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting the transfer process")?;
    let output = child.wait_with_output()?;
    ensure!(
        output.status.success(),
        "the {} process failed ({})",
        transfer.role(),
        output.status
    );
    let mut fields = std::collections::HashMap::new();
    for line in BufReader::new(output.stdout.as_slice()).lines() {
        let line = line?;
        if let Some(rest) = line.strip_prefix("RESULT ") {
            for pair in rest.split_whitespace() {
                if let Some((key, value)) = pair.split_once('=') {
                    fields.insert(key.to_owned(), value.parse::<u64>()?);
                }
            }
        }
    }
    let field = |name: &str| {
        fields
            .get(name)
            .copied()
            .with_context(|| format!("the {} process did not report {name}", transfer.role()))
    };
    Ok(Report {
        bytes: field("bytes")?,
        baseline_kib: field("baseline_kib")?,
        peak_kib: field("peak_kib")?,
        elapsed: Duration::from_micros(field("micros")?),
    })
}

/// The body of a transfer child process.
pub fn child(transfer: Transfer) -> anyhow::Result<()> {
    let base_url = std::env::var("SDK_BENCH_BASE_URL").context("SDK_BENCH_BASE_URL")?;
    let bytes = env_u64("SDK_BENCH_TRANSFER_BYTES", 0)?;
    // Dropped (deleting the files) on every path out of this function.
    let directory = tempfile::Builder::new()
        .prefix("sdk-bench-")
        .tempdir()
        .context("creating a temporary directory")?;
    let upload_path = directory.path().join("bench-upload.mp4");
    if transfer == Transfer::Upload {
        // Sparse: no disk space or write time, and reading it back costs
        // no more client memory than reading real data would.
        let file = std::fs::File::create(&upload_path)?;
        file.set_len(bytes)?;
    }
    let download_path = directory.path().join("bench-download.mp4");

    // What a user's `#[tokio::main]` program has.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(&base_url)
        .build()?;
    let baseline_kib = vm_hwm_kib()?;
    let started = Instant::now();
    let transferred = runtime.block_on(async {
        match transfer {
            Transfer::Upload => {
                let file = client
                    .files()
                    .upload(
                        UploadSource::from_path(&upload_path),
                        FilePurpose::VideoUnderstanding,
                    )
                    .await?;
                ensure!(
                    i64::from(file.file_id) == UPLOAD_FILE_ID
                        && file.filename == "bench-upload.mp4",
                    "unexpected upload answer {file:?}"
                );
                Ok(u64::try_from(file.bytes)?)
            }
            Transfer::Download => {
                let report = client
                    .files()
                    .download_to(DOWNLOAD_FILE_ID, &download_path)
                    .await?;
                let on_disk = std::fs::metadata(&download_path)?.len();
                ensure!(
                    report.bytes == on_disk,
                    "the file on disk has {on_disk} bytes"
                );
                Ok(report.bytes)
            }
        }
    })?;
    let elapsed = started.elapsed();
    let peak_kib = vm_hwm_kib()?;
    if transferred != bytes {
        bail!("transferred {transferred} bytes, expected {bytes}");
    }
    drop(runtime);
    remove(&download_path)?;
    remove(&upload_path)?;
    directory.close()?;
    println!(
        "RESULT bytes={transferred} baseline_kib={baseline_kib} peak_kib={peak_kib} micros={}",
        elapsed.as_micros()
    );
    Ok(())
}

fn remove(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}

/// The peak resident set size of this process, in KiB.
fn vm_hwm_kib() -> anyhow::Result<u64> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/self/status")
}
