//! `minimax video generate|status|wait`: video generation tasks
//! (`/v1/video_generation`, `/v1/query/video_generation`), through
//! [`minimax_sdk::Video`]; the finished video is downloaded with
//! [`minimax_sdk::Files::download_to`]. MiniMax-H3 models use the version
//! 2 API (`/v2/video_generation`, whose finished task carries the video's
//! URL); `status` and `wait` follow such a task with `--v2`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use minimax_sdk::{types, video_v2, Id, VideoTask, VideoTaskV2};
use serde::Serialize;

use super::{check_output, follow_task, Context};
use crate::commands::files::Downloaded;
use crate::exit::CliError;
use crate::output::human_bytes;

/// The default video model.
pub const DEFAULT_MODEL: &str = "MiniMax-Hailuo-2.3";

/// `minimax video …`
#[derive(Debug, Subcommand)]
pub enum VideoCommand {
    /// Start a video generation task; prints the task id, or with --wait the finished video's file id
    #[command(
        after_help = "Known models: MiniMax-Hailuo-2.3 (default), MiniMax-Hailuo-2.3-Fast, MiniMax-Hailuo-02, \
                            T2V-01-Director, I2V-01-Director, S2V-01, and MiniMax-H3, MiniMax-H3-Max \
                            (MiniMax's version 2 video API: --last-frame, --reference-image and --ratio apply to them only).\n\
                            Generation takes minutes: without --wait, follow the task with `minimax video status TASK_ID` \
                            or `minimax video wait TASK_ID -o out.mp4` (add --v2 for a MiniMax-H3 task)."
    )]
    Generate(GenerateArgs),

    /// Show a task's status (and the video's file id, or its URL for --v2, once it succeeded)
    Status {
        /// The task id printed by `video generate`
        task_id: String,
        /// The task was started with a MiniMax-H3 model (the version 2 video API)
        #[arg(long)]
        v2: bool,
    },

    /// Wait for a task to finish, then optionally download the video
    Wait {
        /// The task id printed by `video generate`
        task_id: String,
        /// The task was started with a MiniMax-H3 model (the version 2 video API)
        #[arg(long)]
        v2: bool,
        #[command(flatten)]
        save: SaveArgs,
    },
}

/// `video generate` arguments.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What the video shows (camera moves in brackets, e.g. `[Pan left]`, for Director models)
    pub prompt: String,

    /// The model
    #[arg(long, short = 'm', default_value = DEFAULT_MODEL)]
    pub model: String,

    /// Length in seconds (6 or 10, depending on model and resolution; 4 to 15 for MiniMax-H3)
    #[arg(long, value_name = "SECS")]
    pub duration: Option<i64>,

    /// Resolution: 512P, 720P, 768P or 1080P (depending on the model); 768P or 2K for MiniMax-H3
    #[arg(long)]
    pub resolution: Option<String>,

    /// An image URL (or data URL) to start from (image to video)
    #[arg(long, value_name = "URL")]
    pub first_frame: Option<String>,

    /// An image URL to end on, after --first-frame (MiniMax-H3)
    #[arg(long, value_name = "URL", requires = "first_frame")]
    pub last_frame: Option<String>,

    /// A reference image URL, repeatable up to 9 times (MiniMax-H3; not with frames)
    #[arg(long, value_name = "URL", conflicts_with = "first_frame")]
    pub reference_image: Vec<String>,

    /// Aspect ratio such as 16:9, 9:16, 1:1 or adaptive (MiniMax-H3)
    #[arg(long)]
    pub ratio: Option<String>,

    /// Send the prompt as written, without MiniMax's automatic rewriting
    #[arg(long)]
    pub no_prompt_optimizer: bool,

    /// Wait for the task to finish (implied by -o)
    #[arg(long)]
    pub wait: bool,

    #[command(flatten)]
    pub save: SaveArgs,
}

/// Where to save a finished video.
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Download the finished video to this file (atomically; nothing is left behind on failure)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace the output file if it exists
    #[arg(long, short = 'f')]
    pub force: bool,
}

/// What `video generate --json` and `video wait --json` print.
#[derive(Debug, Serialize)]
struct VideoOutput<'a> {
    task_id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    task: Option<&'a VideoTask>,
    #[serde(skip_serializing_if = "Option::is_none")]
    download: Option<Downloaded<'a>>,
}

/// What `video generate --json` and `video wait --json` print for a
/// version 2 (MiniMax-H3) task.
#[derive(Debug, Serialize)]
struct VideoV2Output<'a> {
    task_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    task: Option<&'a VideoTaskV2>,
    #[serde(skip_serializing_if = "Option::is_none")]
    download: Option<SavedVideo<'a>>,
}

/// A video saved from its URL.
#[derive(Debug, Serialize)]
struct SavedVideo<'a> {
    path: &'a std::path::Path,
    bytes: u64,
}

/// Runs a `video` command.
pub async fn run(ctx: &Context, command: VideoCommand) -> anyhow::Result<()> {
    match command {
        VideoCommand::Generate(args) => generate(ctx, args).await,
        VideoCommand::Status { task_id, v2: true } => status_v2(ctx, task_id).await,
        VideoCommand::Status { task_id, v2: false } => status(ctx, v1_task_id(&task_id)?).await,
        VideoCommand::Wait { task_id, v2, save } => {
            if let Some(output) = &save.output {
                check_output(output, save.force)?;
            }
            if v2 {
                finish_v2(ctx, task_id, &save).await
            } else {
                finish(ctx, v1_task_id(&task_id)?, &save).await
            }
        }
    }
}

/// Whether `model` runs on the version 2 video API (the MiniMax-H3 family).
fn is_v2_model(model: &str) -> bool {
    model
        .get(..10)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("minimax-h3"))
}

/// A version 1 task id, which is a number.
fn v1_task_id(task_id: &str) -> anyhow::Result<Id> {
    task_id.trim().parse().map_err(|_| {
        CliError::Usage(format!(
            "task id {task_id:?} is not a number; for a MiniMax-H3 task add --v2"
        ))
        .into()
    })
}

async fn generate(ctx: &Context, args: GenerateArgs) -> anyhow::Result<()> {
    if let Some(output) = &args.save.output {
        // Refuse before paying for a video that could not be saved.
        check_output(output, args.save.force)?;
    }
    if is_v2_model(&args.model) {
        return generate_v2(ctx, args).await;
    }
    if args.last_frame.is_some() || !args.reference_image.is_empty() || args.ratio.is_some() {
        return Err(CliError::Usage(format!(
            "--last-frame, --reference-image and --ratio need a MiniMax-H3 model, not {}",
            args.model
        ))
        .into());
    }
    let mut request = types::VideoGenerationReq::builder()
        .model(args.model.clone())
        .prompt(Some(args.prompt.clone()))
        .duration(args.duration)
        .resolution(args.resolution.clone())
        .first_frame_image(args.first_frame.clone());
    if args.no_prompt_optimizer {
        request = request.prompt_optimizer(Some(false));
    }
    let task_id = ctx.client.video().generate(request).await?.into_inner();
    if !args.wait && args.save.output.is_none() {
        if ctx.out.is_json() {
            return ctx.out.json(&VideoOutput {
                task_id,
                task: None,
                download: None,
            });
        }
        ctx.out.status(format!(
            "started video task {task_id} ({}); follow it with `minimax video status {task_id}`",
            args.model
        ));
        return ctx.out.line(task_id);
    }
    ctx.out
        .status(format!("started video task {task_id} ({})", args.model));
    finish(ctx, task_id, &args.save).await
}

/// Waits for the task, then downloads the video when asked to (the caller
/// has checked the output path; the download checks it again, since a
/// file may appear during the wait).
async fn finish(ctx: &Context, task_id: Id, save: &SaveArgs) -> anyhow::Result<()> {
    let updates = ctx.client.video().watch(task_id, ctx.wait.clone());
    let task = follow_task(ctx, &format!("video task {task_id}"), task_id, updates)
        .await?
        .into_inner();
    let Some(file_id) = task.file_id else {
        return Err(CliError::Unexpected(format!(
            "video task {task_id} succeeded but names no file id"
        ))
        .into());
    };
    let report = match &save.output {
        Some(output) => Some(super::download_file(ctx, file_id, output, save.force).await?),
        None => None,
    };
    if ctx.out.is_json() {
        return ctx.out.json(&VideoOutput {
            task_id,
            task: Some(&task),
            download: report.as_ref().map(|report| Downloaded {
                path: &report.path,
                bytes: report.bytes,
                file: &report.file,
            }),
        });
    }
    ctx.out.status(format!(
        "video task {task_id} succeeded: file {file_id}{}",
        dimensions(&task)
    ));
    match report {
        Some(report) => {
            ctx.out.status(format!(
                "saved {} ({})",
                report.path.display(),
                human_bytes(report.bytes)
            ));
            Ok(())
        }
        None => ctx.out.line(file_id),
    }
}

async fn status(ctx: &Context, task_id: Id) -> anyhow::Result<()> {
    let task = ctx.client.video().query(task_id).await?.into_inner();
    if ctx.out.is_json() {
        return ctx.out.json(&task);
    }
    ctx.out.line(format!("task_id: {}", task.task_id))?;
    ctx.out.line(format!("status:  {}", task.status))?;
    if let Some(file_id) = task.file_id {
        ctx.out.line(format!("file_id: {file_id}"))?;
    }
    // The SDK reads a running task's 0x0 as unknown.
    if let (Some(width), Some(height)) = (task.video_width, task.video_height) {
        ctx.out.line(format!("size:    {width}x{height}"))?;
    }
    if let Some(message) = &task.message {
        ctx.out.line(format!("message: {message}"))?;
    }
    Ok(())
}

fn dimensions(task: &VideoTask) -> String {
    match (task.video_width, task.video_height) {
        (Some(width), Some(height)) => format!(" ({width}x{height})"),
        _ => String::new(),
    }
}

/// `video generate` with a MiniMax-H3 model: the version 2 API, whose
/// inputs are content items.
async fn generate_v2(ctx: &Context, args: GenerateArgs) -> anyhow::Result<()> {
    if args.no_prompt_optimizer {
        return Err(CliError::Usage(format!(
            "--no-prompt-optimizer does not apply to {}: the version 2 API sends the prompt as written",
            args.model
        ))
        .into());
    }
    let mut content = vec![video_v2::text(args.prompt.clone())];
    content.extend(args.first_frame.as_deref().map(video_v2::first_frame));
    content.extend(args.last_frame.as_deref().map(video_v2::last_frame));
    content.extend(args.reference_image.iter().map(video_v2::reference_image));
    let request = types::VideoGenerationV2Req::builder()
        .model(args.model.clone())
        .content(content)
        .duration(args.duration)
        .resolution(args.resolution.clone())
        .ratio(args.ratio.clone());
    let task_id = ctx.client.video().generate_v2(request).await?.into_inner();
    if !args.wait && args.save.output.is_none() {
        if ctx.out.is_json() {
            return ctx.out.json(&VideoV2Output {
                task_id: &task_id,
                task: None,
                download: None,
            });
        }
        ctx.out.status(format!(
            "started video task {task_id} ({}); follow it with `minimax video status --v2 {task_id}`",
            args.model
        ));
        return ctx.out.line(&task_id);
    }
    ctx.out
        .status(format!("started video task {task_id} ({})", args.model));
    finish_v2(ctx, task_id, &args.save).await
}

/// Waits for a version 2 task, then downloads the video from its URL when
/// asked to; without `-o` prints the URL.
async fn finish_v2(ctx: &Context, task_id: String, save: &SaveArgs) -> anyhow::Result<()> {
    let updates = ctx
        .client
        .video()
        .watch_v2(task_id.clone(), ctx.wait.clone());
    let task = follow_task(ctx, &format!("video task {task_id}"), &task_id, updates).await?;
    let Some(url) = task.video_url.clone() else {
        return Err(CliError::Unexpected(format!(
            "video task {task_id} succeeded but has no video URL"
        ))
        .into());
    };
    let saved = match &save.output {
        Some(output) => {
            // A file may have appeared during the wait.
            check_output(output, save.force)?;
            let download = ctx.client.video().download_v2(&task)?;
            let bytes = super::with_transfer(ctx, output, |transfer| {
                download.progress(transfer).to_path(output)
            })
            .await?;
            Some((output, bytes))
        }
        None => None,
    };
    if ctx.out.is_json() {
        return ctx.out.json(&VideoV2Output {
            task_id: &task_id,
            task: Some(&*task),
            download: saved.map(|(path, bytes)| SavedVideo { path, bytes }),
        });
    }
    ctx.out.status(format!("video task {task_id} succeeded"));
    match saved {
        Some((path, bytes)) => {
            ctx.out
                .status(format!("saved {} ({})", path.display(), human_bytes(bytes)));
            Ok(())
        }
        None => ctx.out.line(url),
    }
}

async fn status_v2(ctx: &Context, task_id: String) -> anyhow::Result<()> {
    let task = ctx.client.video().query_v2(task_id).await?.into_inner();
    if ctx.out.is_json() {
        return ctx.out.json(&task);
    }
    ctx.out.line(format!("task_id: {}", task.task_id))?;
    ctx.out.line(format!("status:  {}", task.status))?;
    if let Some(url) = &task.video_url {
        ctx.out.line(format!("url:     {url}"))?;
    }
    let shape: Vec<String> = [task.resolution.clone(), task.ratio.clone()]
        .into_iter()
        .flatten()
        .chain(task.duration.map(|seconds| format!("{seconds} s")))
        .collect();
    if !shape.is_empty() {
        ctx.out.line(format!("video:   {}", shape.join(", ")))?;
    }
    if let Some(message) = &task.message {
        ctx.out.line(format!("message: {message}"))?;
    }
    Ok(())
}
