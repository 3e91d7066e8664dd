//! One module per command group; each leaf is a verb that parses nothing
//! itself, calls the SDK, and prints through [`crate::output`].
//!
//! [`run`] builds the client from the global flags (which replace the
//! `MINIMAX_*` environment variables) and dispatches. The helpers here are
//! the ones every group shares: the output-file rule ([`check_output`]),
//! downloads with progress ([`download_file`]) and the wait settings.

pub mod chat;
pub mod files;
pub mod image;
pub mod music;
pub mod speech;
pub mod video;
pub mod voice;

use std::path::Path;

use std::fmt::Display;

use anyhow::Context as _;
use futures::stream::{BoxStream, StreamExt};
use minimax_sdk::{Client, ClientBuilder, Region, TaskUpdate, WaitOptions};

use crate::cli::{Cli, Command, GlobalArgs, RegionArg};
use crate::exit::CliError;
use crate::output::Output;
use crate::progress::Progress;

/// The `User-Agent` the CLI sends.
const USER_AGENT: &str = concat!("minimax-cli/", env!("CARGO_PKG_VERSION"));

/// What every command handler gets: the client, printing, progress, and
/// how to wait for tasks.
pub struct Context {
    /// The SDK client, configured from the flags and the environment.
    pub client: Client,
    /// stdout/stderr printing.
    pub out: Output,
    /// Progress indicators.
    pub progress: Progress,
    /// How to poll asynchronous tasks.
    pub wait: WaitOptions,
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let client = build_client(&cli.global)?;
    let ctx = Context {
        client,
        out: Output::new(cli.global.json, cli.global.quiet),
        progress: Progress::new(cli.global.json, cli.global.quiet),
        wait: wait_options(&cli.global),
    };
    match cli.command {
        Command::Files(command) => files::run(&ctx, command).await,
        Command::Chat(args) => chat::run(&ctx, args).await,
        Command::Speech(command) => speech::run(&ctx, command).await,
        Command::Voice(command) => voice::run(&ctx, command).await,
        Command::Video(command) => video::run(&ctx, command).await,
        Command::Image(command) => image::run(&ctx, command).await,
        Command::Music(command) => music::run(&ctx, command).await,
    }
}

/// The client: the environment first, each flag replacing its variable.
pub fn build_client(global: &GlobalArgs) -> anyhow::Result<Client> {
    let mut builder = ClientBuilder::from_env().user_agent(USER_AGENT);
    if let Some(key) = &global.api_key {
        if key.trim().is_empty() {
            return Err(CliError::Usage("--api-key is empty".to_owned()).into());
        }
        builder = builder.api_key(key.trim());
    }
    match (global.region, &global.base_url) {
        (Some(region), _) => {
            builder = builder.region(match region {
                RegionArg::Global => Region::Global,
                RegionArg::China => Region::China,
            })
        }
        (None, Some(url)) => builder = builder.base_url(url.as_str()),
        (None, None) => {}
    }
    if let Some(group) = &global.group_id {
        builder = builder.group_id(group.as_str());
    }
    if let Some(timeout) = global.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(retries) = global.max_retries {
        builder = builder.max_retries(retries);
    }
    builder.build().map_err(|error| match error {
        minimax_sdk::Error::Config(message) => {
            anyhow::Error::new(minimax_sdk::Error::Config(cli_setting_names(&message)))
        }
        other => other.into(),
    })
}

/// The SDK names builder methods in configuration errors; the CLI's
/// settings are flags.
fn cli_setting_names(message: &str) -> String {
    message
        .replace("or call ClientBuilder::api_key", "or pass --api-key")
        .replace("ClientBuilder::api_key", "--api-key")
        .replace("ClientBuilder::region", "--region")
        .replace("ClientBuilder::base_url", "--base-url")
        .replace("ClientBuilder::group_id", "--group-id")
        .replace("ClientBuilder::user_agent", "the user agent")
}

fn wait_options(global: &GlobalArgs) -> WaitOptions {
    let mut options = WaitOptions::default();
    if let Some(interval) = global.poll_interval {
        options = options.interval(interval);
    }
    if let Some(deadline) = global.wait_timeout {
        options = options.deadline(Some(deadline));
    }
    options
}

/// Follows a task's status updates (from an SDK `watch`) with a spinner
/// until it ends: its final value when it succeeded,
/// [`minimax_sdk::Error::TaskFailed`] when it failed or expired.
pub async fn follow_task<T>(
    ctx: &Context,
    label: &str,
    task_id: impl Display,
    mut updates: BoxStream<'static, Result<TaskUpdate<T>, minimax_sdk::Error>>,
) -> anyhow::Result<T> {
    let mut activity = ctx.progress.activity(format!("{label}: waiting"));
    while let Some(update) = updates.next().await {
        let update = update?;
        activity.set_message(format!("{label}: {}", update.status));
        if let Some(outcome) = update.outcome(&task_id) {
            activity.finish();
            return Ok(outcome?);
        }
    }
    // The SDK's watch streams end after the final status; this guards a
    // stream that stops early.
    activity.finish();
    Err(CliError::Unexpected(format!(
        "{label}: the status updates ended before the task did"
    ))
    .into())
}

/// Runs `download` with a progress indicator labelled after `output`,
/// which it finishes whatever the outcome.
pub async fn with_transfer<Fut: std::future::Future>(
    ctx: &Context,
    output: &Path,
    download: impl FnOnce(crate::progress::Transfer) -> Fut,
) -> Fut::Output {
    let transfer = ctx.progress.transfer(format!(
        "downloading {}",
        crate::progress::file_label(output)
    ));
    let result = download(transfer.clone()).await;
    transfer.finish();
    result
}

/// Downloads a stored file to `output` with a progress indicator labelled
/// after the target (the SDK writes it atomically and checks its size;
/// without `force` it refuses an existing file before fetching a byte).
pub async fn download_file(
    ctx: &Context,
    file_id: minimax_sdk::Id,
    output: &Path,
    force: bool,
) -> anyhow::Result<minimax_sdk::DownloadReport> {
    let download = ctx.client.files().download_to(file_id, output);
    let report = with_transfer(ctx, output, |transfer| async move {
        download.overwrite(force).progress(transfer).await
    })
    .await?;
    if let Some(note) = stored_kind_note(&report.file.filename, &report.path) {
        ctx.out.status(note);
    }
    Ok(report)
}

/// A note when the file MiniMax stored has another extension than the
/// path it was saved to (an asynchronous speech result can be an archive
/// rather than audio, for example): the bytes are saved as they are.
fn stored_kind_note(stored_name: &str, saved: &Path) -> Option<String> {
    let stored = Path::new(stored_name).extension()?.to_str()?;
    let saved_extension = saved.extension().and_then(|extension| extension.to_str());
    if saved_extension.is_some_and(|saved| saved.eq_ignore_ascii_case(stored)) {
        return None;
    }
    Some(format!(
        "note: MiniMax stored this file as {stored_name} (.{stored}); it was saved unchanged as {}",
        saved.display()
    ))
}

/// Fails with [`CliError::OutputExists`] when `path` exists and `force`
/// is off; a directory is never a valid output file.
pub fn check_output(path: &Path, force: bool) -> anyhow::Result<()> {
    if path.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is a directory; give a file name",
            path.display()
        ))
        .into());
    }
    if !force && path.exists() {
        return Err(CliError::OutputExists {
            path: path.to_path_buf(),
        }
        .into());
    }
    Ok(())
}

/// Reads a UTF-8 text file given on the command line.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_names_a_stored_extension_the_output_path_does_not_have() {
        assert_eq!(stored_kind_note("speech.mp3", Path::new("out/a.MP3")), None);
        assert_eq!(stored_kind_note("no-extension", Path::new("a.mp3")), None);
        let note = stored_kind_note("result.tar", Path::new("out/a.mp3")).unwrap();
        assert!(
            note.contains("result.tar") && note.contains("(.tar)") && note.contains("out/a.mp3"),
            "{note}"
        );
        assert!(stored_kind_note("clip.mp4", Path::new("clip")).is_some());
    }
}
