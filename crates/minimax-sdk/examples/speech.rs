//! Text to speech: one short synthesis saved as MP3, then a long text
//! synthesized asynchronously, waited for and downloaded.
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo run -p minimax-sdk --example speech
//! ```

use std::time::Duration;

use minimax_sdk::{speech, types, Client, WaitOptions};

const VOICE: &str = "English_expressive_narrator";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;

    // Synchronous: the audio comes back in the response (hex, decoded here).
    let request = types::T2aV2Req::builder()
        .model("speech-2.8-hd")
        .text("Hello from the MiniMax Rust SDK.")
        .voice_setting(speech::voice(VOICE));
    let hello = client.speech().synthesize(request).await?;
    let bytes = hello.audio.save(&client, "hello.mp3").await?;
    println!(
        "hello.mp3: {bytes} bytes, {} ms (trace id {})",
        hello
            .extra_info
            .as_ref()
            .and_then(|info| info.audio_length)
            .unwrap_or_default(),
        hello.trace_id().unwrap_or("-")
    );

    // Asynchronous: for long texts; create → wait → download in one call.
    // The output is saved in the current directory under its own name.
    let chapter = "It was a bright cold day in April. ".repeat(20);
    let request = types::T2aAsyncV2Req::builder()
        .model("speech-2.8-hd")
        .text(chapter)
        .voice_setting(speech::async_voice(VOICE));
    let wait = WaitOptions::default()
        .interval(Duration::from_secs(3))
        .deadline(Some(Duration::from_secs(15 * 60)));
    let done = client
        .speech()
        .synthesize_async_to(request, ".", &wait)
        .await?;
    println!(
        "task {} {}: {} bytes in {}",
        done.task.task_id,
        done.status.status,
        done.download.bytes,
        done.download.path.display()
    );
    Ok(())
}
