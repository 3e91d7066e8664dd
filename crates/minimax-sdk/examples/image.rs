//! Generates images and saves them.
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo run -p minimax-sdk --example image -- "A lighthouse on a cliff at dusk"
//! ```

use minimax_sdk::{types, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let prompt = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "A lighthouse on a cliff at dusk, oil painting".to_owned());
    let client = Client::from_env()?;

    let request = types::ImageGenerationReq::builder()
        .model("image-01")
        .prompt(prompt)
        .aspect_ratio("16:9".to_owned())
        .n(2);
    let images = client.image().generate(request).await?;
    println!(
        "{} images generated, {} failed (trace id {})",
        images.len(),
        images.failed_count.unwrap_or_default(),
        images.trace_id().unwrap_or("-")
    );
    for path in images.save_all("images").await? {
        println!("saved {}", path.display());
    }
    Ok(())
}
