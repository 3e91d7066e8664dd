//! `minimax files upload|list|retrieve|download|delete`: the files stored
//! on the platform (`/v1/files/*`), through [`minimax_sdk::Files`].

use std::path::PathBuf;

use clap::Subcommand;
use minimax_sdk::raw::types::FileObject;
use minimax_sdk::{FilePurpose, Id, UploadSource};
use serde::Serialize;

use super::Context;
use crate::output::{format_unix_time, human_bytes};
use crate::progress::file_label;

/// File purposes, for the help texts.
const PURPOSES: &str =
    "voice_clone, prompt_audio, t2a_async_input, t2a_async, video_generation, video_understanding";

/// `minimax files …`
#[derive(Debug, Subcommand)]
pub enum FilesCommand {
    /// Upload a file; prints its file id
    #[command(
        after_help = "Purposes: voice_clone (mp3, m4a, wav; 10 s to 5 min, at most 20 MB), \
                            prompt_audio (under 8 s), t2a_async_input (txt, zip), video_understanding (mp4, avi, mov, mkv)"
    )]
    Upload {
        /// The file to upload
        path: PathBuf,
        /// What the file is for: voice_clone, prompt_audio, t2a_async_input, video_understanding
        #[arg(long)]
        purpose: FilePurpose,
    },

    /// List the stored files of one purpose
    List {
        #[arg(long, help = format!("The purpose to list (the API requires one): {PURPOSES}"))]
        purpose: FilePurpose,
    },

    /// Show a file's metadata and its download URL (valid for one hour)
    Retrieve {
        /// The file id
        file_id: Id,
    },

    /// Download a file atomically (nothing is left behind on failure)
    Download {
        /// The file id
        file_id: Id,
        /// Where to save it: a file, or a directory to save it under its own name [default: the current directory]
        #[arg(long, short = 'o', value_name = "PATH")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists
        #[arg(long, short = 'f')]
        force: bool,
    },

    /// Delete a stored file
    Delete {
        /// The file id
        file_id: Id,
        #[arg(long, help = format!("The purpose the file was stored under (the API requires it): {PURPOSES}"))]
        purpose: FilePurpose,
    },
}

/// Runs a `files` command.
pub async fn run(ctx: &Context, command: FilesCommand) -> anyhow::Result<()> {
    match command {
        FilesCommand::Upload { path, purpose } => upload(ctx, path, purpose).await,
        FilesCommand::List { purpose } => list(ctx, purpose).await,
        FilesCommand::Retrieve { file_id } => retrieve(ctx, file_id).await,
        FilesCommand::Download {
            file_id,
            output,
            force,
        } => download(ctx, file_id, output, force).await,
        FilesCommand::Delete { file_id, purpose } => delete(ctx, file_id, purpose).await,
    }
}

async fn upload(ctx: &Context, path: PathBuf, purpose: FilePurpose) -> anyhow::Result<()> {
    let transfer = ctx
        .progress
        .transfer(format!("uploading {}", file_label(&path)));
    let result = ctx
        .client
        .files()
        .upload(
            UploadSource::from_path(&path).with_progress(transfer.clone()),
            purpose,
        )
        .await;
    transfer.finish();
    let file = result?.into_inner();
    if ctx.out.is_json() {
        return ctx.out.json(&file);
    }
    ctx.out.status(format!(
        "uploaded {} as file {} ({}, purpose {})",
        path.display(),
        file.file_id,
        human_bytes(u64::try_from(file.bytes).unwrap_or(0)),
        file.purpose
    ));
    ctx.out.line(file.file_id)
}

async fn list(ctx: &Context, purpose: FilePurpose) -> anyhow::Result<()> {
    let files = ctx.client.files().list(purpose).await?.into_inner();
    if ctx.out.is_json() {
        return ctx.out.json(&files);
    }
    if files.is_empty() {
        ctx.out.status("no files");
        return Ok(());
    }
    ctx.out.line(format!(
        "{:<20} {:>10} {:<20} {:<16} FILENAME",
        "FILE_ID", "BYTES", "CREATED (UTC)", "PURPOSE"
    ))?;
    for file in &files {
        ctx.out.line(format!(
            "{:<20} {:>10} {:<20} {:<16} {}",
            file.file_id,
            file.bytes,
            format_unix_time(file.created_at),
            // `FilePurpose`'s `Display` ignores the width.
            file.purpose.as_str(),
            file.filename
        ))?;
    }
    Ok(())
}

async fn retrieve(ctx: &Context, file_id: Id) -> anyhow::Result<()> {
    let file = ctx.client.files().retrieve(file_id).await?.into_inner();
    if ctx.out.is_json() {
        return ctx.out.json(&file);
    }
    print_file(ctx, &file)
}

/// Prints a file's metadata as `key: value` lines.
pub fn print_file(ctx: &Context, file: &FileObject) -> anyhow::Result<()> {
    ctx.out.line(format!("file_id:      {}", file.file_id))?;
    ctx.out.line(format!("filename:     {}", file.filename))?;
    ctx.out.line(format!("purpose:      {}", file.purpose))?;
    ctx.out.line(format!(
        "bytes:        {} ({})",
        file.bytes,
        human_bytes(u64::try_from(file.bytes).unwrap_or(0))
    ))?;
    ctx.out.line(format!(
        "created_at:   {} ({} UTC)",
        file.created_at,
        format_unix_time(file.created_at)
    ))?;
    if let Some(url) = &file.download_url {
        ctx.out.line(format!("download_url: {url}"))?;
    }
    Ok(())
}

/// What `files download --json` prints.
#[derive(Debug, Serialize)]
pub struct Downloaded<'a> {
    /// Where the file was written.
    pub path: &'a std::path::Path,
    /// How many bytes were written.
    pub bytes: u64,
    /// The file's metadata.
    pub file: &'a FileObject,
}

async fn download(
    ctx: &Context,
    file_id: Id,
    output: Option<PathBuf>,
    force: bool,
) -> anyhow::Result<()> {
    // A directory target takes the file's own name; the SDK resolves it
    // and, without --force, refuses an existing file before downloading.
    let target = output.unwrap_or_else(|| PathBuf::from("."));
    let transfer = ctx.progress.transfer(format!("downloading file {file_id}"));
    let result = ctx
        .client
        .files()
        .download_to(file_id, &target)
        .overwrite(force)
        .progress(transfer.clone())
        .await;
    transfer.finish();
    let report = result?;
    if ctx.out.is_json() {
        return ctx.out.json(&Downloaded {
            path: &report.path,
            bytes: report.bytes,
            file: &report.file,
        });
    }
    ctx.out.status(format!(
        "saved {} ({})",
        report.path.display(),
        human_bytes(report.bytes)
    ));
    Ok(())
}

async fn delete(ctx: &Context, file_id: Id, purpose: FilePurpose) -> anyhow::Result<()> {
    let response = ctx.client.files().delete(file_id, purpose.clone()).await?;
    if ctx.out.is_json() {
        #[derive(Serialize)]
        struct Deleted<'a> {
            file_id: Id,
            purpose: &'a FilePurpose,
            deleted: bool,
            trace_id: Option<&'a str>,
        }
        return ctx.out.json(&Deleted {
            file_id,
            purpose: &purpose,
            deleted: true,
            trace_id: response.trace_id(),
        });
    }
    ctx.out
        .status(format!("deleted file {file_id} ({purpose})"));
    Ok(())
}
