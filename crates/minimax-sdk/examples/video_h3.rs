//! Generates a MiniMax-H3 video on the version 2 API (optionally from a
//! first-frame image), waits for it and downloads the MP4 from the task's
//! URL.
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo run -p minimax-sdk --example video_h3 -- "A lighthouse at dusk" [IMAGE_URL]
//! ```

use std::time::Duration;

use minimax_sdk::{types, video_v2, Client, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let prompt = args
        .next()
        .unwrap_or_else(|| "The lighthouse lamp turns on as dusk falls".to_owned());
    let client = Client::from_env()?;

    let mut content = vec![video_v2::text(prompt)];
    // With a first frame the ratio follows the image; without one it is fixed.
    let ratio = match args.next() {
        Some(image) => {
            content.push(video_v2::first_frame(image));
            None
        }
        None => Some("16:9".to_owned()),
    };
    let request = types::VideoGenerationV2Req::builder()
        .model("MiniMax-H3")
        .content(content)
        .duration(Some(5))
        .resolution(Some("768P".to_owned()))
        .ratio(ratio);

    let options = WaitOptions::default()
        .interval(Duration::from_secs(10))
        .deadline(Some(Duration::from_secs(30 * 60)));
    let video = client
        .video()
        .generate_v2_and_download(request, "video-h3.mp4", &options)
        .await?;
    println!(
        "task {}: saved {} ({} bytes)",
        video.task.task_id,
        video.path.display(),
        video.bytes
    );
    Ok(())
}
