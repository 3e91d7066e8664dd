//! Clones a voice from a recording and speaks with it.
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo run -p minimax-sdk --example voice_clone -- narrator.wav MyNarrator01
//! ```
//!
//! The recording must be 10 s to 5 min of clear speech (mp3, m4a or wav,
//! at most 20 MB); the voice id 8 to 256 characters starting with a letter.

use minimax_sdk::{speech, types, Client, FilePurpose, UploadSource};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(recording), Some(voice_id)) = (args.next(), args.next()) else {
        eprintln!("usage: voice_clone <recording> <new-voice-id>");
        std::process::exit(2);
    };
    let client = Client::from_env()?;

    let file = client
        .files()
        .upload(UploadSource::from_path(&recording), FilePurpose::VoiceClone)
        .await?;
    println!("uploaded {recording} as file {}", file.file_id);

    let request = types::VoiceCloneReq::builder()
        .file_id(file.file_id)
        .voice_id(voice_id.as_str())
        .model("speech-2.8-hd".to_owned())
        .text("This is my cloned voice.".to_owned());
    let voice = client.voice().clone(request).await?;
    println!(
        "cloned voice {} (trace id {})",
        voice.voice_id,
        voice.trace_id().unwrap_or("-")
    );
    if let Some(url) = voice.demo_audio.as_ref().and_then(|audio| audio.url()) {
        println!("demo: {url}");
    }

    let request = types::T2aV2Req::builder()
        .model("speech-2.8-hd")
        .text("Cloned voices are billed on first use.")
        .voice_setting(speech::voice(voice.voice_id.as_str()));
    let spoken = client.speech().synthesize(request).await?;
    let bytes = spoken.audio.save(&client, "cloned.mp3").await?;
    println!("cloned.mp3: {bytes} bytes");
    Ok(())
}
