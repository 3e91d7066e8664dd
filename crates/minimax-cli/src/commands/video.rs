//! `minimax video generate|status|wait`: video generation tasks
//! (`/v1/video_generation`, `/v1/query/video_generation`), through
//! [`minimax_sdk::Video`]; the finished video is downloaded with
//! [`minimax_sdk::Files::download_to`].

use std::path::PathBuf;

use clap::{Args, Subcommand};
use minimax_sdk::{types, Id, VideoTask};
use serde::Serialize;

use super::{check_output, follow_task, Context};
use crate::commands::files::Downloaded;
use crate::output::human_bytes;

/// The default video model.
pub const DEFAULT_MODEL: &str = "MiniMax-Hailuo-2.3";

/// `minimax video …`
#[derive(Debug, Subcommand)]
pub enum VideoCommand {
    /// Start a video generation task; prints the task id, or with --wait the finished video's file id
    #[command(
        after_help = "Known models: MiniMax-Hailuo-2.3 (default), MiniMax-Hailuo-2.3-Fast, MiniMax-Hailuo-02, \
                            T2V-01-Director, I2V-01-Director, S2V-01.\n\
                            Generation takes minutes: without --wait, follow the task with `minimax video status TASK_ID` \
                            or `minimax video wait TASK_ID -o out.mp4`."
    )]
    Generate(GenerateArgs),

    /// Show a task's status (and the video's file id once it succeeded)
    Status {
        /// The task id printed by `video generate`
        task_id: Id,
    },

    /// Wait for a task to finish, then optionally download the video
    Wait {
        /// The task id printed by `video generate`
        task_id: Id,
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

    /// Length in seconds (6 or 10, depending on model and resolution)
    #[arg(long, value_name = "SECS")]
    pub duration: Option<i64>,

    /// Resolution: 512P, 720P, 768P or 1080P (depending on the model)
    #[arg(long)]
    pub resolution: Option<String>,

    /// An image URL (or data URL) to start from (image to video)
    #[arg(long, value_name = "URL")]
    pub first_frame: Option<String>,

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

/// Runs a `video` command.
pub async fn run(ctx: &Context, command: VideoCommand) -> anyhow::Result<()> {
    match command {
        VideoCommand::Generate(args) => generate(ctx, args).await,
        VideoCommand::Status { task_id } => status(ctx, task_id).await,
        VideoCommand::Wait { task_id, save } => {
            if let Some(output) = &save.output {
                check_output(output, save.force)?;
            }
            finish(ctx, task_id, &save).await
        }
    }
}

async fn generate(ctx: &Context, args: GenerateArgs) -> anyhow::Result<()> {
    if let Some(output) = &args.save.output {
        // Refuse before paying for a video that could not be saved.
        check_output(output, args.save.force)?;
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
        return Err(crate::exit::CliError::Unexpected(format!(
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
        (Some(width), Some(height)) if width > 0 && height > 0 => format!(" ({width}x{height})"),
        _ => String::new(),
    }
}
