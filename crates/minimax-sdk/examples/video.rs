//! Generates a video, follows its status, and downloads the MP4 with
//! progress.
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo run -p minimax-sdk --example video -- "A red fox running through fresh snow"
//! ```
//!
//! `client.video().generate_and_download(request, path, &options)` does the
//! same in one call; this example takes the steps one by one to show them.

use std::time::Duration;

use futures::StreamExt;
use minimax_sdk::{types, Client, DownloadProgress, TaskState, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let prompt = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "A red fox running through fresh snow at dawn".to_owned());
    let client = Client::from_env()?;

    let request = types::VideoGenerationReq::builder()
        .model("MiniMax-Hailuo-02")
        .prompt(prompt)
        .duration(6);
    let task_id = client.video().generate(request).await?.into_inner();
    println!("task {task_id} created");

    let options = WaitOptions::default()
        .interval(Duration::from_secs(10))
        .deadline(Some(Duration::from_secs(30 * 60)));
    let mut updates = client.video().watch(task_id, options);
    let mut file_id = None;
    while let Some(update) = updates.next().await {
        let update = update?;
        println!("status: {}", update.status);
        match update.status.state() {
            TaskState::Success => file_id = update.value.file_id,
            TaskState::Failed | TaskState::Expired | TaskState::Cancelled => {
                let reason = update.message.unwrap_or_default();
                return Err(
                    format!("task {task_id} ended with {}: {reason}", update.status).into(),
                );
            }
            _ => {}
        }
    }
    let Some(file_id) = file_id else {
        return Err("the finished task named no file".into());
    };

    let report = client
        .files()
        .download_to(file_id, format!("video-{task_id}.mp4"))
        .progress(|progress: DownloadProgress| {
            eprint!("\r{} bytes", progress.bytes_done);
        })
        .await?;
    eprintln!();
    println!("saved {} ({} bytes)", report.path.display(), report.bytes);
    Ok(())
}
