//! `cargo xtask`: maintainer tasks for the MiniMax bindings.
//!
//! - `generate [--check]`: merge and normalise the specs into `openapi/minimax.json`
//!   and regenerate `crates/minimax-api/src/generated.rs` (or check they are current).
//! - `drift <OLD> <NEW>` / `drift --base REV`: classify the changes between two spec versions.
//! - `sync [--from DIR]`: refresh the vendored upstream specs and report their drift.
//! - `bench-instructions`: the SDK's instructions per request against raw `reqwest`, under callgrind.

mod bench;
mod drift;
mod generate;
mod project;
mod sources;
mod spec;
mod sync;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer tasks for the MiniMax bindings"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Merge + normalise the specs and regenerate crates/minimax-api.
    Generate(generate::GenerateArgs),
    /// Classify the changes between two versions of a spec (exit 1 on breaking changes).
    Drift(drift::DriftArgs),
    /// Refresh the vendored upstream specs, report their drift, regenerate.
    Sync(sync::SyncArgs),
    /// Count the SDK's and raw reqwest's instructions per request with callgrind (needs valgrind).
    BenchInstructions(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Sync(args) => sync::run(&args),
        Command::BenchInstructions(args) => bench::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
