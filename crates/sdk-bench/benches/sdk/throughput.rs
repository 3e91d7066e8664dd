//! Requests per second and latency of `files().retrieve` through the SDK
//! versus a plain `reqwest` GET decoding the same generated type.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context as _};
use futures::{StreamExt, TryStreamExt};
use minimax_api::types::RetrieveFileResp;
use minimax_sdk::Client;

use crate::{Settings, API_KEY, BENCH_FILE_ID};

/// Which client a measurement used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Raw,
    Sdk,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Raw => "raw reqwest",
            Side::Sdk => "minimax-sdk",
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
}

impl Sample {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn from_latencies(mut latencies: Vec<Duration>, elapsed: Duration) -> Sample {
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
        }
    }
}

/// Every round of one scenario, for both clients, in the order measured.
#[derive(Debug, Default)]
pub struct Rounds {
    pub raw: Vec<Sample>,
    pub sdk: Vec<Sample>,
}

impl Rounds {
    fn push(&mut self, side: Side, sample: Sample) {
        match side {
            Side::Raw => self.raw.push(sample),
            Side::Sdk => self.sdk.push(sample),
        }
    }

    pub fn samples(&self, side: Side) -> &[Sample] {
        match side {
            Side::Raw => &self.raw,
            Side::Sdk => &self.sdk,
        }
    }

    /// The round with the median throughput (the lower middle one for an
    /// even count).
    pub fn median(&self, side: Side) -> Option<Sample> {
        let mut samples = self.samples(side).to_vec();
        samples.sort_by(|a, b| a.per_second().total_cmp(&b.per_second()));
        samples.get(samples.len().saturating_sub(1) / 2).copied()
    }

    /// SDK/raw throughput of each round pair, measured back to back.
    pub fn paired_ratios(&self) -> Vec<f64> {
        self.raw
            .iter()
            .zip(&self.sdk)
            .map(|(raw, sdk)| sdk.per_second() / raw.per_second())
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

/// The two clients under test, built the way a user would build them.
struct Clients {
    sdk: Client,
    raw: reqwest::Client,
    raw_url: String,
}

impl Clients {
    fn new(base_url: &str) -> anyhow::Result<Clients> {
        // Default retry policy, timeouts and connection settings.
        let sdk = Client::builder()
            .api_key(API_KEY)
            .base_url(base_url)
            .build()
            .context("building the SDK client")?;
        let raw = reqwest::Client::builder()
            .build()
            .context("building the reqwest client")?;
        Ok(Clients {
            sdk,
            raw,
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
    async fn retrieve_raw(&self) -> anyhow::Result<()> {
        let response: RetrieveFileResp = self
            .raw
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

    /// The sizes of the two request futures, in bytes (every move of a
    /// future copies it).
    fn future_sizes(&self) -> (usize, usize) {
        let files = self.sdk.files();
        let sdk = files.retrieve(BENCH_FILE_ID);
        let raw = self.retrieve_raw();
        (std::mem::size_of_val(&sdk), std::mem::size_of_val(&raw))
    }

    async fn sequential(&self, side: Side, requests: usize) -> anyhow::Result<Sample> {
        match side {
            Side::Sdk => sequential(requests, || self.retrieve_sdk()).await,
            Side::Raw => sequential(requests, || self.retrieve_raw()).await,
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
            Side::Raw => concurrent(requests, concurrency, || self.retrieve_raw()).await,
        }
    }
}

async fn sequential<F, Fut>(requests: usize, call: F) -> anyhow::Result<Sample>
where
    F: Fn() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut latencies = Vec::with_capacity(requests);
    let started = Instant::now();
    for _ in 0..requests {
        let sent = Instant::now();
        call().await?;
        latencies.push(sent.elapsed());
    }
    Ok(Sample::from_latencies(latencies, started.elapsed()))
}

async fn concurrent<F, Fut>(requests: usize, concurrency: usize, call: F) -> anyhow::Result<Sample>
where
    F: Fn() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
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
    Ok(Sample::from_latencies(latencies, started.elapsed()))
}

/// Warms both clients up (connections, allocator, caches), then runs
/// `settings.rounds` rounds; each round measures the sequential scenario
/// for both clients, then the concurrent one, alternating which client
/// goes first from round to round.
pub fn run(settings: &Settings, base_url: &str, only: Option<Side>) -> anyhow::Result<Throughput> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let clients = Clients::new(base_url)?;
        let sides: Vec<Side> = match only {
            Some(side) => vec![side],
            None => vec![Side::Raw, Side::Sdk],
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
            if round % 2 == 1 {
                order.reverse();
            }
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
