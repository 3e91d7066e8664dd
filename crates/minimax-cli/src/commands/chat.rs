//! `minimax chat`: one chat completion (`/v1/text/chatcompletion_v2`)
//! through [`minimax_sdk::chat::Chat`], streamed to stdout as it is
//! generated.

use std::io::{IsTerminal, Read};

use anyhow::Context as _;
use clap::Args;
use futures::StreamExt;
use minimax_sdk::chat::ChatRequest;

use super::Context;
use crate::exit::CliError;

/// The default chat model.
pub const DEFAULT_MODEL: &str = "MiniMax-M2.7";

/// `minimax chat` arguments.
#[derive(Debug, Args)]
#[command(
    after_help = "Known models: MiniMax-M2.7 (default), MiniMax-M2.7-highspeed, MiniMax-M2.5, MiniMax-M2.1, \
                        MiniMax-M2, MiniMax-M1.\n\
                        The reply streams to stdout; with --json the whole typed response is printed at the end instead."
)]
pub struct ChatArgs {
    /// What to ask; `-` reads it from stdin
    pub prompt: String,

    /// The model
    #[arg(long, short = 'm', default_value = DEFAULT_MODEL)]
    pub model: String,

    /// A system prompt that sets the assistant's behavior
    #[arg(long, short = 's')]
    pub system: Option<String>,

    /// Sampling temperature, in (0, 1]
    #[arg(long)]
    pub temperature: Option<f64>,

    /// The most tokens to generate
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<i64>,

    /// Also print the model's reasoning, to stderr
    #[arg(long)]
    pub show_reasoning: bool,

    /// Wait for the whole reply instead of streaming it (implied by --json)
    #[arg(long)]
    pub no_stream: bool,
}

/// Runs `minimax chat`.
pub async fn run(ctx: &Context, args: ChatArgs) -> anyhow::Result<()> {
    let prompt = if args.prompt == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("could not read the prompt from stdin")?;
        text
    } else {
        args.prompt.clone()
    };
    if prompt.trim().is_empty() {
        return Err(CliError::Usage("the prompt is empty".to_owned()).into());
    }
    let mut request = ChatRequest::new(args.model.clone());
    if let Some(system) = &args.system {
        request = request.system(system.clone());
    }
    request = request.user(prompt);
    if let Some(temperature) = args.temperature {
        request = request.temperature(temperature);
    }
    if let Some(tokens) = args.max_tokens {
        request = request.max_completion_tokens(tokens);
    }

    if ctx.out.is_json() || args.no_stream {
        let activity = ctx.progress.activity(format!("waiting for {}", args.model));
        let result = ctx.client.chat().create(request).await;
        activity.finish();
        let completion = result?;
        if ctx.out.is_json() {
            return ctx.out.json(&*completion);
        }
        if args.show_reasoning {
            if let Some(reasoning) = completion.reasoning().filter(|text| !text.is_empty()) {
                ctx.out.status(reasoning.trim_end());
            }
        }
        ctx.out
            .line(completion.text().unwrap_or_default().trim_end())?;
        warn_if_cut(ctx, completion.finish_reason());
        return Ok(());
    }

    let mut stream = ctx.client.chat().stream(request).await?;
    let mut ends_with_newline = true;
    let mut printed_any = false;
    let mut finish_reason = None;
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                // Keep the error message off the partial reply's line.
                if !ends_with_newline && std::io::stdout().is_terminal() {
                    let _ = ctx.out.text("\n");
                }
                return Err(error.into());
            }
        };
        if args.show_reasoning && !chunk.reasoning_content.is_empty() {
            ctx.out.status_text(&chunk.reasoning_content);
        }
        if !chunk.content.is_empty() {
            // Leading blank lines (after a hidden reasoning block) are noise.
            let content = if printed_any {
                chunk.content.as_str()
            } else {
                chunk.content.trim_start()
            };
            if !content.is_empty() {
                ctx.out.text(content)?;
                printed_any = true;
                ends_with_newline = content.ends_with('\n');
            }
        }
        if chunk.finish_reason.is_some() {
            finish_reason = chunk.finish_reason;
        }
    }
    if !ends_with_newline {
        ctx.out.text("\n")?;
    }
    warn_if_cut(ctx, finish_reason.as_deref());
    Ok(())
}

fn warn_if_cut(ctx: &Context, finish_reason: Option<&str>) {
    if finish_reason == Some("length") {
        ctx.out
            .status("note: the reply was cut off at the token limit; raise it with --max-tokens");
    }
}
