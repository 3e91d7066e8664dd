//! Requests per second and latency of `files().retrieve` through the SDK
//! versus a plain `reqwest` GET decoding the same generated type, sent with
//! a default `reqwest::Client` and with one configured like the SDK's.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context as _};
use futures::{StreamExt, TryStreamExt};
use minimax_api::types::RetrieveFileResp;
use minimax_sdk::Client;
use rustix::time::{clock_gettime, ClockId};
use sdk_bench::stats::median;

use crate::{Settings, API_KEY, BENCH_FILE_ID};

/// Which client a measurement used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `reqwest::Client::new()`-style defaults: no timeouts, no user agent.
    Raw,
    /// A `reqwest::Client` with the settings of the one the SDK builds
    /// (`Client::http_client_builder()` plus the default per-attempt
    /// timeout), so the SDK's own layer is all that differs.
    RawMatched,
    Sdk,
}

impl Side {
    /// Every side, in the order of the report.
    pub const ALL: [Side; 3] = [Side::Raw, Side::RawMatched, Side::Sdk];

    pub fn name(self) -> &'static str {
        match self {
            Side::Raw => "raw reqwest (defaults)",
            Side::RawMatched => "raw reqwest (SDK's client settings)",
            Side::Sdk => "minimax-sdk",
        }
    }

    fn index(self) -> usize {
        match self {
            Side::Raw => 0,
            Side::RawMatched => 1,
            Side::Sdk => 2,
        }
    }
}

/// One timed run of many requests.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub requests: usize,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
    /// CPU time of the client process (every thread; the server is
    /// another process) during the run.
    pub cpu: Duration,
    /// CPU time of the thread driving the request futures during the run.
    pub caller_cpu: Duration,
}

impl Sample {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// Client CPU time per request.
    pub fn cpu_per_request(&self) -> Duration {
        self.cpu / self.requests.max(1) as u32
    }

    /// Calling-thread CPU time per request.
    pub fn caller_cpu_per_request(&self) -> Duration {
        self.caller_cpu / self.requests.max(1) as u32
    }

    fn from_latencies(mut latencies: Vec<Duration>, elapsed: Duration, cpu: CpuTimes) -> Sample {
        latencies.sort_unstable();
        let at = |quantile: f64| {
            let index = ((latencies.len() as f64 - 1.0) * quantile).round() as usize;
            latencies.get(index).copied().unwrap_or_default()
        };
        Sample {
            requests: latencies.len(),
            elapsed,
            p50: at(0.50),
            p99: at(0.99),
            cpu: cpu.process,
            caller_cpu: cpu.caller,
        }
    }
}

/// The client process's CPU clock (`CLOCK_PROCESS_CPUTIME_ID`) and the
/// calling thread's (`CLOCK_THREAD_CPUTIME_ID`): read at the start of a
/// run ([`CpuTimes::now`]), then the time spent since
/// ([`CpuTimes::since`]). Less noisy than wall-clock time on a shared
/// machine: time the client waits for a core, or for the server, is not
/// counted.
#[derive(Debug, Clone, Copy)]
struct CpuTimes {
    process: Duration,
    caller: Duration,
}

impl CpuTimes {
    fn now() -> CpuTimes {
        CpuTimes {
            process: clock(ClockId::ProcessCPUTime),
            caller: clock(ClockId::ThreadCPUTime),
        }
    }

    /// The CPU time spent since `start` was read.
    fn since(start: CpuTimes) -> CpuTimes {
        let now = CpuTimes::now();
        CpuTimes {
            process: now.process.saturating_sub(start.process),
            caller: now.caller.saturating_sub(start.caller),
        }
    }
}

fn clock(id: ClockId) -> Duration {
    let now = clock_gettime(id);
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or_default(),
        u32::try_from(now.tv_nsec).unwrap_or_default(),
    )
}

/// The median of each figure over the rounds, taken separately.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub requests: usize,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// Client CPU time per request.
    pub cpu: Duration,
    /// Calling-thread CPU time per request.
    pub caller_cpu: Duration,
}

/// Every round of one scenario, per client, in the order measured.
#[derive(Debug, Default)]
pub struct Rounds {
    samples: [Vec<Sample>; 3],
}

impl Rounds {
    fn push(&mut self, side: Side, sample: Sample) {
        self.samples[side.index()].push(sample);
    }

    pub fn samples(&self, side: Side) -> &[Sample] {
        &self.samples[side.index()]
    }

    /// The median throughput, p50 and p99 of `side`'s rounds.
    pub fn summary(&self, side: Side) -> Option<Summary> {
        let samples = self.samples(side);
        let first = samples.first()?;
        let figure = |of: fn(&Sample) -> f64| {
            median(samples.iter().map(of).collect(), f64::total_cmp).unwrap_or_default()
        };
        Some(Summary {
            requests: first.requests,
            per_second: figure(Sample::per_second),
            p50: Duration::from_secs_f64(figure(|sample| sample.p50.as_secs_f64())),
            p99: Duration::from_secs_f64(figure(|sample| sample.p99.as_secs_f64())),
            cpu: Duration::from_secs_f64(figure(|sample| sample.cpu_per_request().as_secs_f64())),
            caller_cpu: Duration::from_secs_f64(figure(|sample| {
                sample.caller_cpu_per_request().as_secs_f64()
            })),
        })
    }

    /// SDK/`base` throughput of each round, the two measured back to back.
    pub fn paired_ratios(&self, base: Side) -> Vec<f64> {
        self.samples(base)
            .iter()
            .zip(self.samples(Side::Sdk))
            .map(|(base, sdk)| sdk.per_second() / base.per_second())
            .collect()
    }
}

/// The measurements of [`run`].
#[derive(Debug, Default)]
pub struct Throughput {
    pub sequential: Rounds,
    pub concurrent: Rounds,
    /// The size of the SDK's and the raw request future, in bytes.
    pub future_sizes: (usize, usize),
}

/// The clients under test, built the way a user would build them.
struct Clients {
    sdk: Client,
    raw: reqwest::Client,
    raw_matched: reqwest::Client,
    raw_url: String,
}

impl Clients {
    fn new(base_url: &str, sdk_timeout: bool) -> anyhow::Result<Clients> {
        // Default retry policy, timeouts and connection settings.
        let mut sdk = Client::builder().api_key(API_KEY).base_url(base_url);
        if !sdk_timeout {
            sdk = sdk.no_timeout();
        }
        let sdk = sdk.build().context("building the SDK client")?;
        let raw = reqwest::Client::builder()
            .build()
            .context("building the reqwest client")?;
        let raw_matched = Client::http_client_builder()
            .timeout(minimax_sdk::config::DEFAULT_TIMEOUT)
            .build()
            .context("building the matched reqwest client")?;
        Ok(Clients {
            sdk,
            raw,
            raw_matched,
            raw_url: format!("{base_url}/v1/files/retrieve"),
        })
    }

    /// `files().retrieve` through the SDK.
    async fn retrieve_sdk(&self) -> anyhow::Result<()> {
        let file = self.sdk.files().retrieve(BENCH_FILE_ID).await?;
        ensure!(i64::from(file.file_id) == BENCH_FILE_ID, "wrong file");
        Ok(())
    }

    /// The same request with plain `reqwest`, decoded into the same type.
    async fn retrieve_raw(&self, http: &reqwest::Client) -> anyhow::Result<()> {
        let response: RetrieveFileResp = http
            .get(&self.raw_url)
            .query(&[("file_id", BENCH_FILE_ID)])
            .bearer_auth(API_KEY)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        match (&response.base_resp, &response.file) {
            (Some(base), Some(file))
                if base.status_code == 0 && i64::from(file.file_id) == BENCH_FILE_ID =>
            {
                Ok(())
            }
            _ => bail!("unexpected response {response:?}"),
        }
    }

    /// The sizes of the SDK's and the raw request future (each with its
    /// check of the result), in bytes: every move of a future copies it.
    fn future_sizes(&self) -> (usize, usize) {
        let sdk = self.retrieve_sdk();
        let raw = self.retrieve_raw(&self.raw);
        (std::mem::size_of_val(&sdk), std::mem::size_of_val(&raw))
    }

    async fn sequential(&self, side: Side, requests: usize) -> anyhow::Result<Sample> {
        match side {
            Side::Sdk => sequential(requests, || self.retrieve_sdk()).await,
            Side::Raw => sequential(requests, || self.retrieve_raw(&self.raw)).await,
            Side::RawMatched => sequential(requests, || self.retrieve_raw(&self.raw_matched)).await,
        }
    }

    async fn concurrent(
        &self,
        side: Side,
        requests: usize,
        concurrency: usize,
    ) -> anyhow::Result<Sample> {
        match side {
            Side::Sdk => concurrent(requests, concurrency, || self.retrieve_sdk()).await,
            Side::Raw => concurrent(requests, concurrency, || self.retrieve_raw(&self.raw)).await,
            Side::RawMatched => {
                concurrent(requests, concurrency, || {
                    self.retrieve_raw(&self.raw_matched)
                })
                .await
            }
        }
    }
}

async fn sequential<F, Fut>(requests: usize, call: F) -> anyhow::Result<Sample>
where
    F: Fn() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut latencies = Vec::with_capacity(requests);
    let cpu = CpuTimes::now();
    let started = Instant::now();
    for _ in 0..requests {
        let sent = Instant::now();
        call().await?;
        latencies.push(sent.elapsed());
    }
    let elapsed = started.elapsed();
    Ok(Sample::from_latencies(
        latencies,
        elapsed,
        CpuTimes::since(cpu),
    ))
}

async fn concurrent<F, Fut>(requests: usize, concurrency: usize, call: F) -> anyhow::Result<Sample>
where
    F: Fn() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let cpu = CpuTimes::now();
    let started = Instant::now();
    let latencies: Vec<Duration> = futures::stream::iter(0..requests)
        .map(|_| {
            let call = &call;
            async move {
                let sent = Instant::now();
                call().await.map(|()| sent.elapsed())
            }
        })
        .buffer_unordered(concurrency)
        .try_collect()
        .await?;
    let elapsed = started.elapsed();
    Ok(Sample::from_latencies(
        latencies,
        elapsed,
        CpuTimes::since(cpu),
    ))
}

/// Warms the clients up (connections, allocator, caches), then runs
/// `settings.rounds` rounds; each round measures the sequential scenario
/// for every client, then the concurrent one, rotating which client goes
/// first from round to round.
pub fn run(settings: &Settings, base_url: &str, only: Option<Side>) -> anyhow::Result<Throughput> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let clients = Clients::new(base_url, settings.sdk_timeout)?;
        let sides: Vec<Side> = match only {
            Some(side) => vec![side],
            None => Side::ALL.to_vec(),
        };
        for &side in &sides {
            clients.sequential(side, settings.warmup).await?;
            clients
                .concurrent(side, settings.warmup * 4, settings.concurrency)
                .await?;
        }
        let mut results = Throughput {
            future_sizes: clients.future_sizes(),
            ..Throughput::default()
        };
        for round in 0..settings.rounds {
            let mut order = sides.clone();
            let first = round % order.len();
            order.rotate_left(first);
            for &side in &order {
                let sample = clients
                    .sequential(side, settings.sequential_requests)
                    .await?;
                results.sequential.push(side, sample);
            }
            for &side in &order {
                let sample = clients
                    .concurrent(side, settings.concurrent_requests, settings.concurrency)
                    .await?;
                results.concurrent.push(side, sample);
            }
            eprintln!(
                "sdk-bench: throughput round {} of {} done",
                round + 1,
                settings.rounds
            );
        }
        Ok(results)
    })
}
