//! The command line: the top-level [`Cli`] parser, the [`GlobalArgs`] every
//! command accepts, and the [`Command`] tree (one subcommand enum per group,
//! defined beside its handler in [`crate::commands`]).
//!
//! Only parsing lives here; validation that needs more than clap (building
//! the client, reading files) happens in [`crate::commands`].

use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::commands::{chat, files, image, music, speech, video, voice};
use crate::exit::EXIT_CODES_HELP;

/// `minimax`: the MiniMax platform API from the command line.
#[derive(Debug, Parser)]
#[command(
    name = "minimax",
    version,
    about = "The MiniMax platform API from the command line: chat, speech, voices, video, images, music and files",
    long_about = "The MiniMax platform API from the command line: chat, speech, voices, video, images, music and files.\n\n\
                  Data (responses, generated text) goes to stdout; status lines, progress and errors go to stderr. \
                  With --json, stdout carries the typed API response as JSON (long hex or base64 blobs are replaced \
                  by a size note; the decoded file is still written).",
    after_help = EXIT_CODES_HELP,
    propagate_version = true,
    // A repeated flag takes its last value (handy with shell aliases).
    args_override_self = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Flags every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// The command group to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted by every command, before or after the subcommand.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// MiniMax deployment: `global` (`https://api.minimax.io`) or `china` (`https://api.minimaxi.com`) [env: MINIMAX_REGION] [default: global]
    #[arg(long, global = true, value_enum, value_name = "REGION")]
    pub region: Option<RegionArg>,

    /// Send requests to another base URL (a proxy, a mock server); https://, or http:// for loopback hosts only [env: MINIMAX_BASE_URL]
    #[arg(long, global = true, value_name = "URL", conflicts_with = "region")]
    pub base_url: Option<String>,

    /// API key; prefer the MINIMAX_API_KEY environment variable, since flags are visible to other local users [env: MINIMAX_API_KEY]
    #[arg(long, global = true, value_name = "KEY", hide_env_values = true)]
    pub api_key: Option<String>,

    /// Legacy accounts only: send this GroupId with every request [env: MINIMAX_GROUP_ID]
    #[arg(long, global = true, value_name = "ID")]
    pub group_id: Option<String>,

    /// Print the typed API response as JSON on stdout (no progress bars)
    #[arg(long, global = true)]
    pub json: bool,

    /// Print only data and errors: no status lines, no progress
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// Log to stderr: -v one line per request and the retry decisions, -vv the HTTP client's logs too, -vvv more. The API key is never logged
    #[arg(long, short = 'v', global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Per-attempt time limit in seconds (connect, send, receive the whole body) [default: 600]
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,

    /// Retries after a failed attempt (rate limits, connection failures; paid requests are not repeated after a timeout) [default: 2]
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<u32>,

    /// Advanced: delay between task status polls while waiting, in seconds (later delays grow 1.5x per poll, up to 30 s or this value) [default: 5]
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        value_parser = parse_seconds,
        help_heading = "Advanced"
    )]
    pub poll_interval: Option<Duration>,

    /// Advanced: give up waiting for a task after this many seconds (exit code 8; the task keeps running) [default: 1800]
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        value_parser = parse_seconds,
        help_heading = "Advanced"
    )]
    pub wait_timeout: Option<Duration>,
}

/// `--region` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegionArg {
    // No doc comments: they would turn `[possible values: global, china]`
    // into a long list in `--help`.
    #[allow(missing_docs)]
    Global,
    #[allow(missing_docs)]
    China,
}

/// The command groups.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Upload, list, inspect, download and delete stored files
    #[command(subcommand)]
    Files(files::FilesCommand),

    /// Chat with a MiniMax text model; the reply streams to stdout as it is generated
    Chat(chat::ChatArgs),

    /// Text to speech, at once or as an asynchronous task for long texts
    #[command(subcommand)]
    Speech(speech::SpeechCommand),

    /// List, clone, design and delete voices
    #[command(subcommand)]
    Voice(voice::VoiceCommand),

    /// Generate videos and follow their tasks
    #[command(subcommand)]
    Video(video::VideoCommand),

    /// Generate images
    #[command(subcommand)]
    Image(image::ImageCommand),

    /// Generate music from a prompt and lyrics
    #[command(subcommand)]
    Music(music::MusicCommand),
}

/// Parses a positive number of seconds (`30`, `0.5`).
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a number of seconds, got {text:?}"))?;
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 1e9 {
        return Err(format!(
            "expected a positive number of seconds, got {text:?}"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn seconds_parse_and_reject_nonsense() {
        assert_eq!(parse_seconds("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
    }

    #[test]
    fn region_and_base_url_conflict() {
        let parsed = Cli::try_parse_from([
            "minimax",
            "--region",
            "china",
            "--base-url",
            "http://127.0.0.1:1",
            "voice",
            "list",
        ]);
        assert!(parsed.is_err());
    }
}
