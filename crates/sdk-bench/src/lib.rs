//! The `minimax-sdk` benchmark lives in `benches/sdk/`; run it with
//! `cargo bench -p sdk-bench`. This library holds the statistics its
//! report is built on, where `cargo test` reaches them.
//!
//! ```
//! use sdk_bench::stats::{median_interval, Verdict};
//!
//! // SDK / raw throughput of 31 rounds, each pair measured back to back.
//! let ratios: Vec<f64> = (0..31).map(|round| 0.90 + f64::from(round) * 0.005).collect();
//! let interval = median_interval(&ratios, 0.95).expect("enough rounds");
//! assert!((interval.median - 0.975).abs() < 1e-9);
//! // The 10th to the 22nd smallest ratio, 0.945× to 1.005×: all of it is
//! // above 0.9×, so the target is met.
//! assert_eq!(interval.verdict(0.9), Verdict::Met);
//! ```

pub mod stats;
