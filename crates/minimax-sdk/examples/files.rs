//! Uploads a file, lists the files of its purpose, and downloads it back
//! with progress.
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo run -p minimax-sdk --example files -- narrator.mp3
//! ```
//!
//! The file is uploaded with purpose `voice_clone` (mp3, m4a or wav, 10 s to
//! 5 min); pass a second argument to choose another purpose
//! (`prompt_audio`, `t2a_async_input`, …).

use minimax_sdk::{Client, DownloadProgress, FilePurpose, UploadSource};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: files <path> [purpose]");
        std::process::exit(2);
    };
    let purpose = FilePurpose::from(args.next().unwrap_or_else(|| "voice_clone".to_owned()));
    let client = Client::from_env()?;

    let file = client
        .files()
        .upload(UploadSource::from_path(&path), purpose.clone())
        .await?;
    println!(
        "uploaded {} as file {} ({} bytes, trace id {})",
        file.filename,
        file.file_id,
        file.bytes,
        file.trace_id().unwrap_or("-")
    );

    let files = client.files().list(purpose.clone()).await?;
    println!("{} files with purpose {purpose}:", files.len());
    for stored in files.iter() {
        println!(
            "  {}  {:>10} bytes  {}",
            stored.file_id, stored.bytes, stored.filename
        );
    }

    let target = format!("downloaded-{}", file.filename);
    let report = client
        .files()
        .download_to(file.file_id, &target)
        .progress(|progress: DownloadProgress| {
            if let Some(total) = progress.total.filter(|total| *total > 0) {
                eprint!("\r{:>3}%", progress.bytes_done * 100 / total);
            }
        })
        .await?;
    eprintln!();
    println!(
        "downloaded {} bytes to {}",
        report.bytes,
        report.path.display()
    );
    Ok(())
}
