//! `minimax music generate`: songs and instrumentals
//! (`/v1/music_generation`) through [`minimax_sdk::music::Music`].

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use minimax_sdk::types;
use serde::Serialize;

use super::{check_output, read_text, Context};
use crate::exit::CliError;
use crate::output::human_bytes;

/// The default music model.
pub const DEFAULT_MODEL: &str = "music-2.6";

/// `minimax music …`
#[derive(Debug, Subcommand)]
pub enum MusicCommand {
    /// Generate a song from a style prompt and lyrics (or an instrumental) and save it
    #[command(
        group(clap::ArgGroup::new("words").required(true).args(["lyrics", "lyrics_file", "instrumental"])),
        after_help = "Known models: music-2.6 (default), music-3.0, music-2.5+, music-2.5, and `-free` variants \
                      with lower rate limits.\n\
                      Lyrics are lines separated by newlines; tags such as [Verse], [Chorus] and [Bridge] shape the song.\n\
                      Generation takes up to a few minutes."
    )]
    Generate(GenerateArgs),
}

/// `music generate` arguments.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Style, mood and setting (up to 2,000 characters)
    #[arg(long, short = 'p')]
    pub prompt: String,

    /// The lyrics
    #[arg(long)]
    pub lyrics: Option<String>,

    /// Read the lyrics from this UTF-8 file
    #[arg(long, value_name = "FILE")]
    pub lyrics_file: Option<PathBuf>,

    /// Music without vocals (no lyrics needed)
    #[arg(long)]
    pub instrumental: bool,

    /// Where to save the song
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,

    /// Replace the output file if it exists
    #[arg(long, short = 'f')]
    pub force: bool,

    /// The model
    #[arg(long, short = 'm', default_value = DEFAULT_MODEL)]
    pub model: String,

    /// Audio format: mp3, wav or pcm [default: from the output file's extension, else mp3]
    #[arg(long)]
    pub format: Option<String>,
}

/// Runs a `music` command.
pub async fn run(ctx: &Context, command: MusicCommand) -> anyhow::Result<()> {
    match command {
        MusicCommand::Generate(args) => generate(ctx, args).await,
    }
}

/// What `music generate --json` prints.
#[derive(Debug, Serialize)]
struct MusicOutput<'a> {
    path: &'a Path,
    bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    audio_url: Option<&'a str>,
    extra_info: Option<&'a types::MusicExtraInfo>,
    analysis_info: Option<&'a types::MusicAnalysisInfo>,
    trace_id: Option<&'a str>,
}

/// The format: the flag, else the output's extension, else mp3.
fn music_format(flag: Option<&str>, output: &Path) -> anyhow::Result<types::AudioSettingFormat> {
    let name = match flag {
        Some(format) => format.to_ascii_lowercase(),
        None => output
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase)
            .filter(|extension| matches!(extension.as_str(), "mp3" | "wav" | "pcm"))
            .unwrap_or_else(|| "mp3".to_owned()),
    };
    match name.as_str() {
        "mp3" => Ok(types::AudioSettingFormat::Mp3),
        "wav" => Ok(types::AudioSettingFormat::Wav),
        "pcm" => Ok(types::AudioSettingFormat::Pcm),
        other => Err(CliError::Usage(format!(
            "unsupported music format {other:?}; use mp3, wav or pcm"
        ))
        .into()),
    }
}

async fn generate(ctx: &Context, args: GenerateArgs) -> anyhow::Result<()> {
    check_output(&args.output, args.force)?;
    let format = music_format(args.format.as_deref(), &args.output)?;
    let lyrics = match (&args.lyrics, &args.lyrics_file) {
        (Some(lyrics), _) => Some(lyrics.clone()),
        (None, Some(path)) => Some(read_text(path)?),
        (None, None) => None,
    };
    if lyrics
        .as_deref()
        .is_some_and(|lyrics| lyrics.trim().is_empty())
    {
        return Err(CliError::Usage("the lyrics are empty".to_owned()).into());
    }
    let mut request = types::GenerateMusicReq::builder()
        .model(args.model.clone())
        .prompt(Some(args.prompt.clone()))
        .lyrics(lyrics)
        .audio_setting(Some(types::AudioSetting {
            format: Some(format),
            bitrate: None,
            sample_rate: None,
        }));
    if args.instrumental {
        request = request.is_instrumental(Some(true));
    }
    let activity = ctx
        .progress
        .activity(format!("composing with {}", args.model));
    let result = ctx.client.music().generate(request).await;
    activity.finish();
    let music = result?;
    let bytes = music.audio.save(&ctx.client, &args.output).await?;
    if ctx.out.is_json() {
        return ctx.out.json(&MusicOutput {
            path: &args.output,
            bytes,
            audio_url: music.audio.url(),
            extra_info: music.extra_info.as_ref(),
            analysis_info: music.analysis_info.as_ref(),
            trace_id: music.trace_id(),
        });
    }
    let length = music
        .extra_info
        .as_ref()
        .and_then(|info| info.music_duration.or(info.audio_length))
        .map(|millis| format!(", {:.1} s", millis as f64 / 1000.0))
        .unwrap_or_default();
    ctx.out.status(format!(
        "saved {} ({}{length})",
        args.output.display(),
        human_bytes(bytes)
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_flag_then_the_extension() {
        assert!(matches!(
            music_format(None, Path::new("a.wav")),
            Ok(types::AudioSettingFormat::Wav)
        ));
        assert!(matches!(
            music_format(None, Path::new("a.ogg")),
            Ok(types::AudioSettingFormat::Mp3)
        ));
        assert!(matches!(
            music_format(Some("PCM"), Path::new("a.mp3")),
            Ok(types::AudioSettingFormat::Pcm)
        ));
        assert!(music_format(Some("flac"), Path::new("a.mp3")).is_err());
    }
}
