//! `minimax`: the MiniMax platform API from the command line, built on
//! [`minimax_sdk`] (and nothing lower: no direct HTTP, no generated client).
//!
//! ```text
//! $ export MINIMAX_API_KEY=...
//! $ minimax chat "Write a haiku about rust"
//! $ minimax speech say "Hello there" -o hello.mp3 --voice English_Graceful_Lady
//! $ minimax video generate "A cat surfing a wave" --wait -o cat.mp4
//! $ minimax files list --purpose voice_clone --json | jq '.[].file_id'
//! ```
//!
//! This file runs the command, prints the error chain and a hint on failure,
//! and turns the failure into an exit code ([`exit`]). A closed stdout
//! (`| head`) ends the command with exit code 0 and no message.
//! Layout: [`cli`] parses, [`commands`] has one module per command group,
//! [`output`] does all printing, [`progress`] the progress bars.

#![warn(missing_docs)]

mod cli;
mod commands;
mod exit;
mod output;
mod progress;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

use crate::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // `--help` and `--version` print to stdout and succeed; usage
            // errors print to stderr and exit 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(exit::ExitClass::Usage.code())
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_tracing(cli.global.verbose, cli.global.quiet);

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let error = anyhow::Error::new(error).context("could not start the async runtime");
            output::print_error(&error, None);
            return ExitCode::from(exit::ExitClass::Other.code());
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            result = commands::run(cli) => result.map(|()| true),
            // Dropping the command's future on Ctrl-C removes any
            // temporary download file before the process exits.
            () = interrupted() => Ok(false),
        }
    });
    // Do not wait for blocked reads of stdin or files.
    runtime.shutdown_background();
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            output::print_error(&anyhow::anyhow!("interrupted"), None);
            ExitCode::from(130)
        }
        Err(error) if output::is_stdout_closed(&error) => ExitCode::SUCCESS,
        Err(error) => {
            output::print_error(&error, exit::hint(&error).as_deref());
            ExitCode::from(exit::classify(&error).code())
        }
    }
}

/// Resolves on Ctrl-C; never, when the signal cannot be watched.
async fn interrupted() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Logs to stderr: warnings by default (not with `--quiet`); with `-v` one
/// line per request (the SDK's `minimax.request` span as it closes: the
/// operation, path, HTTP status, MiniMax code, trace id and duration) and
/// the SDK's retry decisions; `-vv` adds the HTTP client's own logs.
/// `RUST_LOG` replaces the default when no `-v` is given.
fn init_tracing(verbose: u8, quiet: bool) {
    let filter = match verbose {
        0 => match std::env::var("RUST_LOG") {
            Ok(value) if !value.trim().is_empty() => EnvFilter::new(value),
            _ if quiet => EnvFilter::new("off"),
            _ => EnvFilter::new("minimax_sdk=warn"),
        },
        1 => EnvFilter::new("minimax_sdk=debug"),
        // Not `trace` for everything: HTTP/2 frame traces could show headers.
        2 => EnvFilter::new("minimax_sdk=trace,reqwest=debug,hyper_util=debug"),
        _ => EnvFilter::new("minimax_sdk=trace,reqwest=trace,hyper_util=trace"),
    };
    let span_events = if verbose >= 1 {
        FmtSpan::CLOSE
    } else {
        FmtSpan::NONE
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(span_events)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(verbose >= 2)
        .try_init();
}
