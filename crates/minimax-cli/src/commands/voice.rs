//! `minimax voice list|clone|design|delete`: the account's voices
//! (`/v1/get_voice`, `/v1/voice_clone`, `/v1/voice_design`,
//! `/v1/delete_voice`), through [`minimax_sdk::voice::Voice`].

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use minimax_sdk::voice::VoiceType;
use minimax_sdk::{types, Audio, FilePurpose, Id, UploadSource};
use serde::Serialize;

use super::{check_output, Context};
use crate::output::human_bytes;
use crate::progress::file_label;

/// The default preview sentence of `voice design`.
const DEFAULT_PREVIEW_TEXT: &str =
    "Hello! This is a short preview of the voice you designed, reading a sentence or two.";

/// `minimax voice …`
#[derive(Debug, Subcommand)]
pub enum VoiceCommand {
    /// List the voices available to the account
    List {
        /// Which voices
        #[arg(long = "type", value_enum, default_value = "all")]
        voice_type: VoiceTypeArg,
    },

    /// Clone a voice from a recording (10 s to 5 min; mp3, m4a or wav; at most 20 MB); prints the voice id
    #[command(group(clap::ArgGroup::new("recording").required(true).args(["file_id", "file"])))]
    Clone(CloneArgs),

    /// Design a new voice from a description; prints its voice id
    Design(DesignArgs),

    /// Delete a cloned or designed voice
    Delete {
        /// The voice id
        voice_id: String,
        /// The kind of voice [default: voice_generation for `ttv-voice-…` ids, else voice_cloning]
        #[arg(long = "type", value_enum)]
        voice_type: Option<VoiceTypeArg>,
    },
}

/// `--type` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VoiceTypeArg {
    /// System, cloned and designed voices
    #[value(name = "all")]
    All,
    /// Built-in voices
    #[value(name = "system")]
    System,
    /// Voices cloned by the account
    #[value(name = "voice_cloning")]
    VoiceCloning,
    /// Voices designed by the account
    #[value(name = "voice_generation")]
    VoiceGeneration,
}

impl From<VoiceTypeArg> for VoiceType {
    fn from(value: VoiceTypeArg) -> Self {
        match value {
            VoiceTypeArg::All => VoiceType::All,
            VoiceTypeArg::System => VoiceType::System,
            VoiceTypeArg::VoiceCloning => VoiceType::VoiceCloning,
            VoiceTypeArg::VoiceGeneration => VoiceType::VoiceGeneration,
        }
    }
}

/// `voice clone` arguments.
#[derive(Debug, Args)]
pub struct CloneArgs {
    /// The recording, already uploaded with `minimax files upload --purpose voice_clone`
    #[arg(long, value_name = "FILE_ID")]
    pub file_id: Option<Id>,

    /// The recording as a local file, uploaded first (purpose voice_clone)
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// The new voice's id: 8 to 256 characters, starting with a letter (letters, digits, `-`, `_`)
    #[arg(long)]
    pub voice_id: String,

    /// A sentence for the new voice to read as a demo (saved with -o)
    #[arg(long)]
    pub text: Option<String>,

    /// The speech model for the demo (needed with --text) [default: speech-2.8-hd with --text]
    #[arg(long, short = 'm')]
    pub model: Option<String>,

    /// Reduce background noise in the recording
    #[arg(long)]
    pub noise_reduction: bool,

    /// Save the demo audio here (with --text)
    #[arg(long, short = 'o', value_name = "FILE", requires = "text")]
    pub output: Option<PathBuf>,

    /// Replace the output file if it exists
    #[arg(long, short = 'f')]
    pub force: bool,
}

/// `voice design` arguments.
#[derive(Debug, Args)]
pub struct DesignArgs {
    /// What the voice sounds like (age, gender, accent, tone, pace)
    pub prompt: String,

    /// The sentence the preview reads
    #[arg(long, default_value = DEFAULT_PREVIEW_TEXT, hide_default_value = true)]
    pub preview_text: String,

    /// An id for the new voice [default: chosen by MiniMax, `ttv-voice-…`]
    #[arg(long)]
    pub voice_id: Option<String>,

    /// Save the preview audio here
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace the output file if it exists
    #[arg(long, short = 'f')]
    pub force: bool,
}

/// Runs a `voice` command.
pub async fn run(ctx: &Context, command: VoiceCommand) -> anyhow::Result<()> {
    match command {
        VoiceCommand::List { voice_type } => list(ctx, voice_type.into()).await,
        VoiceCommand::Clone(args) => clone(ctx, args).await,
        VoiceCommand::Design(args) => design(ctx, args).await,
        VoiceCommand::Delete {
            voice_id,
            voice_type,
        } => delete(ctx, voice_id, voice_type).await,
    }
}

/// What `voice list --json` prints: the voices by kind, as the API names them.
#[derive(Debug, Serialize)]
struct VoicesOutput<'a> {
    system_voice: &'a [types::VoiceInfo],
    voice_cloning: &'a [types::VoiceInfo],
    voice_generation: &'a [types::VoiceInfo],
}

async fn list(ctx: &Context, voice_type: VoiceType) -> anyhow::Result<()> {
    let voices = ctx.client.voice().list(voice_type).await?.into_inner();
    if ctx.out.is_json() {
        return ctx.out.json(&VoicesOutput {
            system_voice: &voices.system,
            voice_cloning: &voices.cloned,
            voice_generation: &voices.designed,
        });
    }
    if voices.is_empty() {
        ctx.out.status("no voices");
        return Ok(());
    }
    ctx.out.line(format!(
        "{:<40} {:<16} {:<28} {:<10} DESCRIPTION",
        "VOICE_ID", "TYPE", "NAME", "CREATED"
    ))?;
    let kinds = [
        ("system", &voices.system),
        ("voice_cloning", &voices.cloned),
        ("voice_generation", &voices.designed),
    ];
    for (kind, list) in kinds {
        for voice in list {
            ctx.out.line(format!(
                "{:<40} {:<16} {:<28} {:<10} {}",
                voice.voice_id.as_deref().unwrap_or("-"),
                kind,
                voice.voice_name.as_deref().unwrap_or("-"),
                voice.created_time.as_deref().unwrap_or("-"),
                voice
                    .description
                    .as_ref()
                    .map(|lines| lines.join(" "))
                    .unwrap_or_default()
            ))?;
        }
    }
    Ok(())
}

/// What `voice clone --json` and `voice design --json` print.
#[derive(Debug, Serialize)]
struct VoiceOutput<'a> {
    voice_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audio_path: Option<&'a Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audio_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_sensitive: Option<&'a types::VoiceCloneRespInputSensitive>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra_info: Option<&'a types::T2aExtraInfo>,
    trace_id: Option<&'a str>,
}

async fn clone(ctx: &Context, args: CloneArgs) -> anyhow::Result<()> {
    if let Some(output) = &args.output {
        check_output(output, args.force)?;
    }
    let file_id = match (args.file_id, &args.file) {
        (Some(file_id), _) => file_id,
        (None, Some(path)) => {
            let transfer = ctx
                .progress
                .transfer(format!("uploading {}", file_label(path)));
            let result = ctx
                .client
                .files()
                .upload(
                    UploadSource::from_path(path).with_progress(transfer.clone()),
                    FilePurpose::VoiceClone,
                )
                .await;
            transfer.finish();
            let file = result?;
            ctx.out.status(format!(
                "uploaded {} as file {}",
                path.display(),
                file.file_id
            ));
            file.file_id
        }
        (None, None) => {
            return Err(crate::exit::CliError::Usage(
                "give the recording with --file PATH or --file-id ID".to_owned(),
            )
            .into())
        }
    };
    let model = match (&args.model, &args.text) {
        (Some(model), _) => Some(model.clone()),
        (None, Some(_)) => Some(super::speech::DEFAULT_MODEL.to_owned()),
        (None, None) => None,
    };
    let mut request = types::VoiceCloneReq::builder()
        .file_id(file_id)
        .voice_id(args.voice_id.clone())
        .text(args.text.clone())
        .model(model);
    if args.noise_reduction {
        request = request.need_noise_reduction(Some(true));
    }
    let activity = ctx
        .progress
        .activity(format!("cloning voice {}", args.voice_id));
    let result = ctx.client.voice().clone(request).await;
    activity.finish();
    let voice = result?;
    let saved = save_audio(ctx, voice.demo_audio.as_ref(), args.output.as_deref()).await?;
    if ctx.out.is_json() {
        return ctx.out.json(&VoiceOutput {
            voice_id: &voice.voice_id,
            file_id: Some(file_id),
            audio_path: saved.as_deref(),
            audio_url: voice.demo_audio.as_ref().and_then(Audio::url),
            input_sensitive: voice.input_sensitive.as_ref(),
            extra_info: voice.extra_info.as_ref(),
            trace_id: voice.trace_id(),
        });
    }
    ctx.out.status(format!("cloned voice {}", voice.voice_id));
    ctx.out.line(&voice.voice_id)
}

async fn design(ctx: &Context, args: DesignArgs) -> anyhow::Result<()> {
    if let Some(output) = &args.output {
        check_output(output, args.force)?;
    }
    let request = types::T2vReq::builder()
        .prompt(args.prompt.clone())
        .preview_text(args.preview_text.clone())
        .voice_id(args.voice_id.clone());
    let activity = ctx.progress.activity("designing the voice");
    let result = ctx.client.voice().design(request).await;
    activity.finish();
    let voice = result?;
    let saved = save_audio(ctx, voice.trial_audio.as_ref(), args.output.as_deref()).await?;
    if ctx.out.is_json() {
        return ctx.out.json(&VoiceOutput {
            voice_id: &voice.voice_id,
            file_id: None,
            audio_path: saved.as_deref(),
            audio_url: voice.trial_audio.as_ref().and_then(Audio::url),
            input_sensitive: None,
            extra_info: None,
            trace_id: voice.trace_id(),
        });
    }
    ctx.out.status(format!("designed voice {}", voice.voice_id));
    ctx.out.line(&voice.voice_id)
}

/// Saves the demo or preview audio to `output`, when both exist.
async fn save_audio(
    ctx: &Context,
    audio: Option<&Audio>,
    output: Option<&Path>,
) -> anyhow::Result<Option<PathBuf>> {
    let Some(output) = output else {
        return Ok(None);
    };
    let Some(audio) = audio else {
        ctx.out.status(format!(
            "the API sent no audio; nothing was written to {}",
            output.display()
        ));
        return Ok(None);
    };
    let bytes = audio.save(&ctx.client, output).await?;
    ctx.out.status(format!(
        "saved {} ({})",
        output.display(),
        human_bytes(bytes)
    ));
    Ok(Some(output.to_path_buf()))
}

/// The kind of a voice, guessed from its id: designed voices get
/// `ttv-voice-…` ids from MiniMax.
fn guess_voice_type(voice_id: &str) -> VoiceType {
    if voice_id.starts_with("ttv-voice-") {
        VoiceType::VoiceGeneration
    } else {
        VoiceType::VoiceCloning
    }
}

async fn delete(
    ctx: &Context,
    voice_id: String,
    voice_type: Option<VoiceTypeArg>,
) -> anyhow::Result<()> {
    let voice_type = voice_type
        .map(VoiceType::from)
        .unwrap_or_else(|| guess_voice_type(&voice_id));
    let response = ctx
        .client
        .voice()
        .delete(voice_id.clone(), voice_type)
        .await?;
    if ctx.out.is_json() {
        #[derive(Serialize)]
        struct Deleted<'a> {
            voice_id: &'a str,
            voice_type: &'a str,
            deleted: bool,
            trace_id: Option<&'a str>,
        }
        return ctx.out.json(&Deleted {
            voice_id: &voice_id,
            voice_type: voice_type.as_str(),
            deleted: true,
            trace_id: response.trace_id(),
        });
    }
    ctx.out
        .status(format!("deleted voice {voice_id} ({voice_type})"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn designed_voice_ids_are_recognised() {
        assert_eq!(
            guess_voice_type("ttv-voice-2025060717322425-abc"),
            VoiceType::VoiceGeneration
        );
        assert_eq!(guess_voice_type("MyNarrator01"), VoiceType::VoiceCloning);
    }
}
