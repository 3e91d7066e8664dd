//! `minimax speech say|async|status`: text to speech (`/v1/t2a_v2`) and
//! asynchronous synthesis of long texts (`/v1/t2a_async_v2`), through
//! [`minimax_sdk::speech::Speech`].

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use minimax_sdk::speech::{async_voice, voice, AsyncSpeechStatus, AsyncSpeechTask};
use minimax_sdk::{types, Id};
use serde::Serialize;

use super::{check_output, follow_task, read_text, Context};
use crate::commands::files::Downloaded;
use crate::exit::CliError;
use crate::output::human_bytes;

/// The default speech model.
pub const DEFAULT_MODEL: &str = "speech-2.8-hd";
/// The default voice.
pub const DEFAULT_VOICE: &str = "English_expressive_narrator";

const MODELS_HELP: &str =
    "Known models: speech-2.8-hd (default), speech-2.8-turbo, speech-2.6-hd, speech-2.6-turbo, \
                           speech-2.5-hd-preview, speech-2.5-turbo-preview.\n\
                           List the voices with `minimax voice list`.";

/// `minimax speech …`
#[derive(Debug, Subcommand)]
pub enum SpeechCommand {
    /// Synthesize speech from a short text (up to 10,000 characters) and save the audio
    #[command(after_help = MODELS_HELP)]
    Say(SayArgs),

    /// Synthesize a long text as an asynchronous task; prints the task id, or with --wait saves the audio
    #[command(after_help = MODELS_HELP)]
    Async(AsyncArgs),

    /// Show an asynchronous speech task's status
    Status {
        /// The task id printed by `speech async`
        task_id: Id,
    },
}

/// Voice and model options shared by `say` and `async`.
#[derive(Debug, Args)]
pub struct VoiceArgs {
    /// The voice id (a system voice, or one you cloned or designed)
    #[arg(long, default_value = DEFAULT_VOICE)]
    pub voice: String,

    /// The model
    #[arg(long, short = 'm', default_value = DEFAULT_MODEL)]
    pub model: String,

    /// Speaking speed, 0.5 to 2.0 [default: 1.0]
    #[arg(long)]
    pub speed: Option<f64>,

    /// Audio format: mp3, wav, flac or pcm [default: from the output file's extension, else mp3]
    #[arg(long)]
    pub format: Option<String>,
}

/// `speech say` arguments.
#[derive(Debug, Args)]
pub struct SayArgs {
    /// The text to speak
    pub text: String,

    /// Where to save the audio
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,

    /// Replace the output file if it exists
    #[arg(long, short = 'f')]
    pub force: bool,

    #[command(flatten)]
    pub voice: VoiceArgs,
}

/// `speech async` arguments.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["text", "text_file", "text_file_id"])))]
pub struct AsyncArgs {
    /// The text to speak (up to a million characters)
    #[arg(long)]
    pub text: Option<String>,

    /// Read the text from this UTF-8 file
    #[arg(long, value_name = "FILE")]
    pub text_file: Option<PathBuf>,

    /// Use a file uploaded with `minimax files upload --purpose t2a_async_input` (txt or zip)
    #[arg(long, value_name = "FILE_ID")]
    pub text_file_id: Option<Id>,

    /// Wait for the task to finish (implied by -o)
    #[arg(long)]
    pub wait: bool,

    /// Download the finished audio to this file
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace the output file if it exists
    #[arg(long, short = 'f')]
    pub force: bool,

    #[command(flatten)]
    pub voice: VoiceArgs,
}

/// Runs a `speech` command.
pub async fn run(ctx: &Context, command: SpeechCommand) -> anyhow::Result<()> {
    match command {
        SpeechCommand::Say(args) => say(ctx, args).await,
        SpeechCommand::Async(args) => synthesize_async(ctx, args).await,
        SpeechCommand::Status { task_id } => status(ctx, task_id).await,
    }
}

/// The audio format: the flag, else the output's extension when it is one
/// the API produces, else mp3.
fn audio_format(flag: Option<&str>, output: Option<&Path>) -> String {
    if let Some(format) = flag {
        return format.to_ascii_lowercase();
    }
    output
        .and_then(Path::extension)
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|extension| matches!(extension.as_str(), "mp3" | "wav" | "flac" | "pcm"))
        .unwrap_or_else(|| "mp3".to_owned())
}

/// What `speech say --json` prints.
#[derive(Debug, Serialize)]
struct SayOutput<'a> {
    path: &'a Path,
    bytes: u64,
    /// The audio's URL when the API returned one instead of bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    audio_url: Option<&'a str>,
    extra_info: Option<&'a types::T2aExtraInfo>,
    subtitle_file: Option<&'a str>,
    trace_id: Option<&'a str>,
}

async fn say(ctx: &Context, args: SayArgs) -> anyhow::Result<()> {
    check_output(&args.output, args.force)?;
    let mut voice_setting = voice(args.voice.voice.clone());
    voice_setting.speed = args.voice.speed;
    let format = audio_format(args.voice.format.as_deref(), Some(&args.output));
    let request = types::T2aV2Req::builder()
        .model(args.voice.model.clone())
        .text(args.text.clone())
        .voice_setting(Some(voice_setting))
        .audio_setting(Some(types::T2aAudioSetting {
            format: Some(format),
            bitrate: None,
            channel: None,
            force_cbr: None,
            sample_rate: None,
        }));
    let activity = ctx.progress.activity("synthesizing speech");
    let result = ctx.client.speech().synthesize(request).await;
    activity.finish();
    let speech = result?;
    let bytes = speech.audio.save(&ctx.client, &args.output).await?;
    if ctx.out.is_json() {
        return ctx.out.json(&SayOutput {
            path: &args.output,
            bytes,
            audio_url: speech.audio.url(),
            extra_info: speech.extra_info.as_ref(),
            subtitle_file: speech.subtitle_file.as_deref(),
            trace_id: speech.trace_id(),
        });
    }
    let length = speech
        .extra_info
        .as_ref()
        .and_then(|info| info.audio_length)
        .map(|millis| format!(", {:.1} s", millis as f64 / 1000.0))
        .unwrap_or_default();
    ctx.out.status(format!(
        "saved {} ({}{length})",
        args.output.display(),
        human_bytes(bytes)
    ));
    Ok(())
}

/// What `speech async --json` prints.
#[derive(Debug, Serialize)]
struct AsyncOutput<'a> {
    task: &'a AsyncSpeechTask,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a AsyncSpeechStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    download: Option<Downloaded<'a>>,
}

async fn synthesize_async(ctx: &Context, args: AsyncArgs) -> anyhow::Result<()> {
    if let Some(output) = &args.output {
        check_output(output, args.force)?;
    }
    let text = match (&args.text, &args.text_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => Some(read_text(path)?),
        (None, None) => None,
    };
    if text.as_deref().is_some_and(|text| text.trim().is_empty()) {
        return Err(CliError::Usage("the text to speak is empty".to_owned()).into());
    }
    let mut voice_setting = async_voice(args.voice.voice.clone());
    voice_setting.speed = args.voice.speed;
    let format = audio_format(args.voice.format.as_deref(), args.output.as_deref());
    let request = types::T2aAsyncV2Req::builder()
        .model(args.voice.model.clone())
        .text(text)
        .text_file_id(args.text_file_id)
        .voice_setting(voice_setting)
        .audio_setting(Some(types::T2aAsyncV2AudioSetting {
            format: Some(format),
            audio_sample_rate: None,
            bitrate: None,
            channel: None,
            force_cbr: None,
        }));
    let task = ctx
        .client
        .speech()
        .create_async(request)
        .await?
        .into_inner();
    let task_id = task.task_id;
    if !args.wait && args.output.is_none() {
        if ctx.out.is_json() {
            return ctx.out.json(&AsyncOutput {
                task: &task,
                status: None,
                download: None,
            });
        }
        ctx.out.status(format!(
            "started speech task {task_id}; follow it with `minimax speech status {task_id}`"
        ));
        return ctx.out.line(task_id);
    }
    ctx.out.status(format!("started speech task {task_id}"));

    let updates = ctx.client.speech().watch_async(task_id, ctx.wait.clone());
    let status = follow_task(ctx, &format!("speech task {task_id}"), task_id, updates)
        .await?
        .into_inner();
    let Some(file_id) = status.file_id.or(task.file_id) else {
        return Err(CliError::Unexpected(format!(
            "speech task {task_id} succeeded but names no file id"
        ))
        .into());
    };
    let report = match &args.output {
        Some(output) => Some(super::download_file(ctx, file_id, output, args.force).await?),
        None => None,
    };
    if ctx.out.is_json() {
        return ctx.out.json(&AsyncOutput {
            task: &task,
            status: Some(&status),
            download: report.as_ref().map(|report| Downloaded {
                path: &report.path,
                bytes: report.bytes,
                file: &report.file,
            }),
        });
    }
    match report {
        Some(report) => {
            ctx.out.status(format!(
                "saved {} ({})",
                report.path.display(),
                human_bytes(report.bytes)
            ));
            Ok(())
        }
        None => {
            ctx.out
                .status(format!("speech task {task_id} succeeded: file {file_id}"));
            ctx.out.line(file_id)
        }
    }
}

async fn status(ctx: &Context, task_id: Id) -> anyhow::Result<()> {
    let status = ctx.client.speech().query_async(task_id).await?.into_inner();
    if ctx.out.is_json() {
        return ctx.out.json(&status);
    }
    ctx.out.line(format!("task_id: {}", status.task_id))?;
    ctx.out.line(format!("status:  {}", status.status))?;
    if let Some(file_id) = status.file_id {
        ctx.out.line(format!("file_id: {file_id}"))?;
    }
    if let Some(message) = &status.message {
        ctx.out.line(format!("message: {message}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_flag_then_the_extension() {
        assert_eq!(audio_format(Some("WAV"), Some(Path::new("a.mp3"))), "wav");
        assert_eq!(audio_format(None, Some(Path::new("a.flac"))), "flac");
        assert_eq!(audio_format(None, Some(Path::new("a.ogg"))), "mp3");
        assert_eq!(audio_format(None, None), "mp3");
    }
}
