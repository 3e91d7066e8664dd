//! Generates a short song and saves it as MP3.
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo run -p minimax-sdk --example music
//! ```

use minimax_sdk::{types, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;

    let request = types::GenerateMusicReq::builder()
        .model("music-2.5")
        .prompt("Upbeat synth-pop, bright and hopeful".to_owned())
        .lyrics(
            "[Verse]\nCity lights are waking up\n[Chorus]\nWe run into the morning sun".to_owned(),
        );
    let music = client.music().generate(request).await?;
    let bytes = music.audio.save(&client, "song.mp3").await?;
    let seconds = music
        .extra_info
        .as_ref()
        .and_then(|info| info.music_duration)
        .unwrap_or_default()
        / 1000;
    println!(
        "song.mp3: {bytes} bytes, {seconds} s (trace id {})",
        music.trace_id().unwrap_or("-")
    );
    Ok(())
}
