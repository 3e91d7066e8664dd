//! `minimax image generate`: text to image (`/v1/image_generation`)
//! through [`minimax_sdk::image::Image`], saving the images atomically.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use minimax_sdk::types;
use serde::Serialize;

use super::{check_output, Context};
use crate::exit::CliError;
use crate::output::human_bytes;

/// The default image model.
pub const DEFAULT_MODEL: &str = "image-01";

/// `minimax image …`
#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// Generate images from a prompt; prints their URLs, or with -o saves them and prints the paths
    #[command(after_help = "Known models: image-01 (default).\n\
                            Without -o the image URLs are printed; they are valid for 24 hours.\n\
                            With -o DIR the images are saved as DIR/image-<id>-<n>.<ext>.")]
    Generate(GenerateArgs),
}

/// `image generate` arguments.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What the image shows
    pub prompt: String,

    /// The model
    #[arg(long, short = 'm', default_value = DEFAULT_MODEL)]
    pub model: String,

    /// How many images, 1 to 9
    #[arg(short = 'n', long = "count", default_value_t = 1, value_parser = clap::value_parser!(i64).range(1..=9))]
    pub count: i64,

    /// Aspect ratio: 1:1, 16:9, 4:3, 3:2, 2:3, 3:4, 9:16 or 21:9 [default: 1:1]
    #[arg(long, value_name = "W:H")]
    pub aspect_ratio: Option<String>,

    /// Save the images in this directory (created if missing)
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Replace existing image files
    #[arg(long, short = 'f')]
    pub force: bool,

    /// Ask for the image data itself (base64) instead of URLs
    #[arg(long)]
    pub base64: bool,

    /// Send the prompt as written, without MiniMax's automatic rewriting
    #[arg(long)]
    pub no_prompt_optimizer: bool,
}

/// Runs an `image` command.
pub async fn run(ctx: &Context, command: ImageCommand) -> anyhow::Result<()> {
    match command {
        ImageCommand::Generate(args) => generate(ctx, args).await,
    }
}

/// One image in `image generate --json`.
#[derive(Debug, Serialize)]
struct ImageOutput<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
}

/// What `image generate --json` prints.
#[derive(Debug, Serialize)]
struct ImagesOutput<'a> {
    id: Option<&'a str>,
    success_count: Option<u32>,
    failed_count: Option<u32>,
    images: Vec<ImageOutput<'a>>,
    trace_id: Option<&'a str>,
}

async fn generate(ctx: &Context, args: GenerateArgs) -> anyhow::Result<()> {
    if args.base64 && args.output.is_none() && !ctx.out.is_json() {
        return Err(
            CliError::Usage("--base64 needs -o DIR to save the images in".to_owned()).into(),
        );
    }
    if let Some(directory) = &args.output {
        if directory.exists() && !directory.is_dir() {
            return Err(CliError::Usage(format!(
                "{} is not a directory; -o names the directory to save the images in",
                directory.display()
            ))
            .into());
        }
    }
    let mut request = types::ImageGenerationReq::builder()
        .model(args.model.clone())
        .prompt(args.prompt.clone())
        .n(Some(args.count))
        .aspect_ratio(args.aspect_ratio.clone());
    if args.base64 {
        request = request.response_format(Some(types::ImageDataFormat::Base64));
    }
    if args.no_prompt_optimizer {
        request = request.prompt_optimizer(Some(false));
    }
    let activity = ctx.progress.activity(format!(
        "generating {} image{}",
        args.count,
        if args.count == 1 { "" } else { "s" }
    ));
    let result = ctx.client.image().generate(request).await;
    activity.finish();
    let images = result?;
    if images.failed_count.is_some_and(|failed| failed > 0) {
        ctx.out.status(format!(
            "note: {} image(s) could not be generated (refused by moderation or failed)",
            images.failed_count.unwrap_or(0)
        ));
    }

    let mut saved: Vec<Option<(PathBuf, u64)>> = vec![None; images.len()];
    if let Some(directory) = &args.output {
        std::fs::create_dir_all(directory).map_err(|source| minimax_sdk::Error::Io {
            action: "create the directory",
            path: directory.clone(),
            source,
        })?;
        // The SDK's names, so `save_all` and the CLI agree.
        let paths: Vec<PathBuf> = (0..images.len())
            .filter_map(|index| images.file_name(index))
            .map(|name| directory.join(name))
            .collect();
        for path in &paths {
            check_output(path, args.force)?;
        }
        for (index, path) in paths.into_iter().enumerate() {
            let bytes = images.save(index, &path).await?;
            ctx.out
                .status(format!("saved {} ({})", path.display(), human_bytes(bytes)));
            saved[index] = Some((path, bytes));
        }
    }

    if ctx.out.is_json() {
        let list = images
            .images
            .iter()
            .zip(saved)
            .map(|(image, saved)| ImageOutput {
                url: image.url(),
                bytes: saved
                    .as_ref()
                    .map(|(_, bytes)| *bytes)
                    .or_else(|| image.data().map(|data| data.len() as u64)),
                path: saved.map(|(path, _)| path),
            })
            .collect();
        return ctx.out.json(&ImagesOutput {
            id: images.id.as_deref(),
            success_count: images.success_count,
            failed_count: images.failed_count,
            images: list,
            trace_id: images.trace_id(),
        });
    }
    for (image, saved) in images.images.iter().zip(saved) {
        match (saved, image.url()) {
            (Some((path, _)), _) => ctx.out.line(path.display())?,
            (None, Some(url)) => ctx.out.line(url)?,
            (None, None) => {
                return Err(CliError::Unexpected(
                    "the images came as data: pass -o DIR to save them".to_owned(),
                )
                .into())
            }
        }
    }
    Ok(())
}
