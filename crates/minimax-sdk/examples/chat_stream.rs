//! Streams a chat reply and prints it as it arrives.
//!
//! ```sh
//! MINIMAX_API_KEY=… cargo run -p minimax-sdk --example chat_stream -- "Why is the sky blue?"
//! ```
//!
//! Reads `MINIMAX_API_KEY` and, optionally, `MINIMAX_BASE_URL` or
//! `MINIMAX_REGION` (`global` or `china`).

use std::io::Write;

use futures::StreamExt;
use minimax_sdk::{ChatRequest, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let question = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "In two sentences: why is Rust's borrow checker useful?".to_owned());
    let client = Client::from_env()?;

    let request = ChatRequest::new("MiniMax-M2.7")
        .system("You are a concise assistant.")
        .user(question);
    let mut stream = client.chat().stream(request).await?;
    let mut stdout = std::io::stdout();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        write!(stdout, "{}", chunk.content)?;
        stdout.flush()?;
        if let Some(usage) = chunk.usage.filter(|_| chunk.is_final) {
            writeln!(stdout)?;
            eprintln!(
                "[{} tokens, trace id {}]",
                usage.total_tokens.unwrap_or_default(),
                stream.trace_id().unwrap_or("-")
            );
        }
    }
    Ok(())
}
