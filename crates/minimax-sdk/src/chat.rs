//! Text chat ([`Client::chat`]): MiniMax's native chat completion, one
//! reply at a time or streamed, plus the OpenAI- and Anthropic-compatible
//! endpoints ([`Chat::openai_compatible`], [`Chat::anthropic_compatible`]).
//!
//! Requests are built with [`ChatRequest`], a thin wrapper over the
//! generated [`types::ChatCompletionReq`]: a chat request is mostly a list
//! of messages, and the generated `types::Message` needs five fields and an
//! untagged content enum for each. `ChatRequest` converts to and from the
//! generated type losslessly, so every field the API knows stays reachable.
//!
//! ```no_run
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! use futures::StreamExt;
//! use minimax_sdk::{ChatRequest, Client};
//!
//! let client = Client::from_env()?;
//! let request = ChatRequest::new("MiniMax-M2.7")
//!     .system("You are a concise assistant.")
//!     .user("Name three prime numbers.");
//!
//! let reply = client.chat().create(request.clone()).await?;
//! println!("{}", reply.text().unwrap_or_default());
//!
//! let mut stream = client.chat().stream(request).await?;
//! while let Some(chunk) = stream.next().await {
//!     print!("{}", chunk?.content);
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::fmt::Display;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};
use minimax_api::types;

use crate::client::Client;
use crate::error::Error;
use crate::response::Response;

impl Client {
    /// Text chat: native chat completions, streamed or not, and the
    /// OpenAI- and Anthropic-compatible endpoints.
    pub fn chat(&self) -> Chat<'_> {
        Chat { client: self }
    }
}

/// Text chat, from [`Client::chat`].
#[derive(Debug, Clone, Copy)]
pub struct Chat<'a> {
    client: &'a Client,
}

/// A native chat completion ([`Chat::create`]); the final chunk of a
/// stream has the same shape.
pub type ChatCompletion = types::ChatCompletionResp;

/// A chat request for [`Chat::create`] and [`Chat::stream`]: the model, the
/// messages and the sampling settings.
///
/// ```
/// use minimax_sdk::{types, ChatRequest};
///
/// let request = ChatRequest::new("MiniMax-M2.7")
///     .system("You are a travel agent.")
///     .user("Plan a day in Lisbon.")
///     .temperature(0.7)
///     .max_completion_tokens(1024);
/// let wire: types::ChatCompletionReq = request.into();
/// assert_eq!(wire.messages.len(), 2);
/// assert_eq!(wire.messages[1].role, types::MessageRole::User);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    inner: types::ChatCompletionReq,
}

/// A message with `role` and text `content`.
pub fn message(role: types::MessageRole, content: impl Into<String>) -> types::Message {
    types::Message {
        content: Some(types::MessageContent::String(content.into())),
        name: None,
        role,
        tool_call_id: None,
        tool_calls: Vec::new(),
    }
}

impl ChatRequest {
    /// A request to `model` (`MiniMax-M2.7`, `MiniMax-M2.7-highspeed`,
    /// `MiniMax-M2.5`, …) with no messages yet.
    pub fn new(model: impl Into<String>) -> Self {
        ChatRequest {
            inner: types::ChatCompletionReq {
                mask_sensitive_info: false,
                max_completion_tokens: None,
                max_tokens: None,
                messages: Vec::new(),
                model: model.into(),
                response_format: None,
                stream: false,
                stream_options: None,
                temperature: None,
                tool_choice: None,
                tools: Vec::new(),
                top_p: None,
            },
        }
    }

    /// Appends a `system` message.
    pub fn system(self, content: impl Into<String>) -> Self {
        self.message(message(types::MessageRole::System, content))
    }

    /// Appends a `user` message.
    pub fn user(self, content: impl Into<String>) -> Self {
        self.message(message(types::MessageRole::User, content))
    }

    /// Appends an `assistant` message (an earlier reply, for multi-turn chats).
    pub fn assistant(self, content: impl Into<String>) -> Self {
        self.message(message(types::MessageRole::Assistant, content))
    }

    /// Appends a `tool` message: the result of the tool call `tool_call_id`.
    pub fn tool_result(self, tool_call_id: impl Into<String>, content: impl Into<String>) -> Self {
        let mut result = message(types::MessageRole::Tool, content);
        result.tool_call_id = Some(tool_call_id.into());
        self.message(result)
    }

    /// Appends any message (multimodal content, a `name`, tool calls, the
    /// `user_system` and `group` roles).
    pub fn message(mut self, message: types::Message) -> Self {
        self.inner.messages.push(message);
        self
    }

    /// Appends several messages.
    pub fn messages(mut self, messages: impl IntoIterator<Item = types::Message>) -> Self {
        self.inner.messages.extend(messages);
        self
    }

    /// Sampling temperature, in (0, 1].
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.inner.temperature = Some(temperature);
        self
    }

    /// Nucleus sampling, in (0, 1].
    pub fn top_p(mut self, top_p: f64) -> Self {
        self.inner.top_p = Some(top_p);
        self
    }

    /// The most tokens to generate (`max_completion_tokens`).
    pub fn max_completion_tokens(mut self, tokens: i64) -> Self {
        self.inner.max_completion_tokens = Some(tokens);
        self
    }

    /// Offers a tool (a function) the model may call.
    pub fn tool(mut self, tool: types::ChatTool) -> Self {
        self.inner.tools.push(tool);
        self
    }

    /// Whether the model may call tools (`auto`) or not (`none`).
    pub fn tool_choice(mut self, choice: types::ChatCompletionReqToolChoice) -> Self {
        self.inner.tool_choice = Some(choice);
        self
    }

    /// Constrains the reply to a JSON schema.
    pub fn response_format(mut self, format: types::ChatResponseFormat) -> Self {
        self.inner.response_format = Some(format);
        self
    }

    /// Masks personal information (phone numbers, e-mail addresses, …) in the reply.
    pub fn mask_sensitive_info(mut self, mask: bool) -> Self {
        self.inner.mask_sensitive_info = mask;
        self
    }

    /// The request as the generated type.
    pub fn as_request(&self) -> &types::ChatCompletionReq {
        &self.inner
    }

    /// The request as the generated type, to set fields this wrapper has no
    /// method for.
    pub fn into_inner(self) -> types::ChatCompletionReq {
        self.inner
    }
}

impl From<types::ChatCompletionReq> for ChatRequest {
    fn from(inner: types::ChatCompletionReq) -> Self {
        ChatRequest { inner }
    }
}

impl From<ChatRequest> for types::ChatCompletionReq {
    fn from(request: ChatRequest) -> Self {
        request.inner
    }
}

impl Response<ChatCompletion> {
    /// The reply's text: the first choice's `message.content`.
    pub fn text(&self) -> Option<&str> {
        first_message(self).and_then(|message| message.content.as_deref())
    }

    /// The model's reasoning: the first choice's `message.reasoning_content`.
    pub fn reasoning(&self) -> Option<&str> {
        first_message(self).and_then(|message| message.reasoning_content.as_deref())
    }

    /// The tool calls of the first choice (empty when the model called none).
    pub fn tool_calls(&self) -> &[types::ChatToolCall] {
        first_message(self)
            .and_then(|message| message.tool_calls.as_deref())
            .unwrap_or_default()
    }

    /// Why the first choice ended (`stop`, `length` when the reply was cut
    /// at the token limit, `tool_calls`), when the API said.
    pub fn finish_reason(&self) -> Option<&str> {
        self.choices
            .as_ref()
            .and_then(|choices| choices.first())
            .and_then(|choice| choice.finish_reason.as_deref())
            .filter(|reason| !reason.is_empty())
    }
}

fn first_message(completion: &ChatCompletion) -> Option<&types::ChatCompletionRespMessage> {
    completion
        .choices
        .as_ref()
        .and_then(|choices| choices.first())
        .and_then(|choice| choice.message.as_ref())
}

impl<'a> Chat<'a> {
    /// Creates a chat completion: `POST /v1/text/chatcompletion_v2`
    /// (without streaming; a `stream` flag in the request is cleared).
    ///
    /// A paid request: after a timeout or a server error it is not retried
    /// unless [`crate::RequestOptions::retry_paid_requests`] allows it.
    /// Returns the completion; [`Response::text`] reads the reply.
    /// Errors: [`Error::Api`] (1002/1039 rate limits, 1026/1027 sensitive
    /// content, 2013 invalid parameters, 1008 balance, …).
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/text-chat>
    pub async fn create(
        &self,
        request: impl Into<ChatRequest>,
    ) -> Result<Response<ChatCompletion>, Error> {
        let mut request = request.into().into_inner();
        request.stream = false;
        request.stream_options = None;
        self.client
            .call_traced(
                "chat_completion_v2",
                self.client.raw().chat_completion_v2().body(request).send(),
            )
            .await
    }

    /// Streams a chat completion: `POST /v1/text/chatcompletion_v2` with
    /// `stream: true` (set here), answered with server-sent events.
    ///
    /// Returns once the response has started. Each [`ChatChunk`] carries
    /// the new text (`content`, `reasoning_content`); the final chunk,
    /// which repeats the whole message with `usage`, carries only text not
    /// yet streamed (normally none), so concatenating the chunks gives the
    /// reply exactly once ([`ChatStream::collect_text`]). An error before
    /// the stream starts (an HTTP error, or a JSON error body instead of
    /// events) is returned here; an error event mid-stream is an
    /// [`Error::Api`] item that ends the stream.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/text-chat>
    pub async fn stream(&self, request: impl Into<ChatRequest>) -> Result<ChatStream, Error> {
        const OPERATION: &str = "chat_completion_v2_stream";
        let mut request = request.into().into_inner();
        request.stream = true;
        let (events, trace_id) = crate::sse::send_json_stream::<types::ChatCompletionResp, _>(
            self.client,
            OPERATION,
            "/v1/text/chatcompletion_v2",
            &request,
        )
        .await?;
        Ok(ChatStream {
            inner: chunks(events),
            trace_id,
        })
    }

    /// The OpenAI-compatible endpoint, `POST /v1/chat/completions`.
    pub fn openai_compatible(&self) -> OpenAiCompatible<'a> {
        OpenAiCompatible {
            client: self.client,
        }
    }

    /// The Anthropic-compatible endpoint, `POST /anthropic/v1/messages`.
    pub fn anthropic_compatible(&self) -> AnthropicCompatible<'a> {
        AnthropicCompatible {
            client: self.client,
        }
    }
}

/// One chunk of a streamed chat completion ([`ChatStream`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChatChunk {
    /// New reply text; never a repeat of earlier chunks.
    pub content: String,
    /// New reasoning text; never a repeat of earlier chunks.
    pub reasoning_content: String,
    /// Tool calls the chunk announced.
    pub tool_calls: Vec<types::ChatToolCall>,
    /// Why generation stopped (`stop`, `length`, `tool_calls`), on the last chunk.
    pub finish_reason: Option<String>,
    /// Token usage, on the final chunk.
    pub usage: Option<types::Usage>,
    /// Whether this chunk ends the reply (it has a `finish_reason`, or it is
    /// the final `chat.completion` object repeating the whole message).
    pub is_final: bool,
    /// The event as received.
    pub raw: ChatCompletion,
}

/// A streamed chat completion: a stream of [`ChatChunk`]s
/// ([`Chat::stream`]). Dropping it closes the connection.
pub struct ChatStream {
    inner: BoxStream<'static, Result<ChatChunk, Error>>,
    trace_id: Option<String>,
}

impl fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatStream")
            .field("trace_id", &self.trace_id)
            .finish_non_exhaustive()
    }
}

impl ChatStream {
    /// The trace id of the response.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// Reads the whole stream and returns the reply's text.
    pub async fn collect_text(self) -> Result<String, Error> {
        collect_text(self).await
    }
}

impl Stream for ChatStream {
    type Item = Result<ChatChunk, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// Reads a stream of chat chunks to its end and returns the concatenated
/// text; the first error ends it.
pub async fn collect_text<S>(stream: S) -> Result<String, Error>
where
    S: Stream<Item = Result<ChatChunk, Error>>,
{
    let mut stream = std::pin::pin!(stream);
    let mut text = String::new();
    while let Some(chunk) = stream.next().await {
        text.push_str(&chunk?.content);
    }
    Ok(text)
}

/// What was streamed so far, to recognise a final event repeating it.
#[derive(Default)]
struct Streamed {
    content: String,
    reasoning: String,
    tool_calls: bool,
}

/// The part of `text` not yet streamed: for a final repeat of the whole
/// message, what follows the streamed prefix (nothing when it repeats it
/// exactly, everything when nothing was streamed); a repeat that disagrees
/// with what was streamed adds nothing.
fn unstreamed(streamed: &str, text: &str) -> String {
    if streamed.is_empty() {
        text.to_owned()
    } else {
        text.strip_prefix(streamed).unwrap_or_default().to_owned()
    }
}

fn chunks(
    events: BoxStream<'static, Result<ChatCompletion, Error>>,
) -> BoxStream<'static, Result<ChatChunk, Error>> {
    events
        .scan(Streamed::default(), |streamed, event| {
            futures::future::ready(Some(event.map(|raw| to_chunk(streamed, raw))))
        })
        .boxed()
}

fn to_chunk(streamed: &mut Streamed, raw: ChatCompletion) -> ChatChunk {
    let choice = raw.choices.as_ref().and_then(|choices| choices.first());
    let finish_reason = choice
        .and_then(|choice| choice.finish_reason.clone())
        .filter(|reason| !reason.is_empty());
    // The final event of MiniMax's native stream is a whole
    // `chat.completion` object: its `message` (or, in some versions, its
    // `delta`) repeats everything streamed before.
    let whole = raw.object.as_deref() == Some("chat.completion");
    let (content, reasoning_content, tool_calls) = match choice {
        Some(types::Choice {
            delta: Some(delta), ..
        }) => {
            let content = delta.content.clone().unwrap_or_default();
            let reasoning = delta.reasoning_content.clone().unwrap_or_default();
            let tool_calls = delta.tool_calls.clone().unwrap_or_default();
            if whole {
                (
                    unstreamed(&streamed.content, &content),
                    unstreamed(&streamed.reasoning, &reasoning),
                    if streamed.tool_calls {
                        Vec::new()
                    } else {
                        tool_calls
                    },
                )
            } else {
                (content, reasoning, tool_calls)
            }
        }
        Some(types::Choice {
            message: Some(message),
            ..
        }) => (
            unstreamed(
                &streamed.content,
                message.content.as_deref().unwrap_or_default(),
            ),
            unstreamed(
                &streamed.reasoning,
                message.reasoning_content.as_deref().unwrap_or_default(),
            ),
            if streamed.tool_calls {
                Vec::new()
            } else {
                message.tool_calls.clone().unwrap_or_default()
            },
        ),
        _ => (String::new(), String::new(), Vec::new()),
    };
    streamed.content.push_str(&content);
    streamed.reasoning.push_str(&reasoning_content);
    streamed.tool_calls |= !tool_calls.is_empty();
    let has_message =
        choice.is_some_and(|choice| choice.delta.is_none() && choice.message.is_some());
    ChatChunk {
        content,
        reasoning_content,
        tool_calls,
        is_final: finish_reason.is_some() || whole || has_message,
        finish_reason,
        usage: raw.usage.clone(),
        raw,
    }
}

/// A stream of typed server-sent events, as the compatibility endpoints
/// send them ([`OpenAiCompatible::stream`], [`AnthropicCompatible::stream`]).
pub struct EventStream<T> {
    inner: BoxStream<'static, Result<T, Error>>,
    trace_id: Option<String>,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("trace_id", &self.trace_id)
            .finish_non_exhaustive()
    }
}

impl<T> EventStream<T> {
    /// The trace id of the response.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// The OpenAI-compatible chat endpoint, from [`Chat::openai_compatible`].
///
/// Takes and returns the OpenAI chat-completions shapes
/// ([`types::OpenAiChatCompletionRequest`] and its builder); errors in
/// OpenAI's `{"error": {…}}` envelope become [`Error::Api`] like any other.
#[derive(Debug, Clone, Copy)]
pub struct OpenAiCompatible<'a> {
    client: &'a Client,
}

impl OpenAiCompatible<'_> {
    /// Creates a chat completion: `POST /v1/chat/completions` (without
    /// streaming). A paid request. Returns the completion. Errors:
    /// [`Error::InvalidArgument`] for an incomplete builder, [`Error::Api`].
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/text-openai-api>
    pub async fn create<R>(
        &self,
        request: R,
    ) -> Result<Response<types::OpenAiChatCompletion>, Error>
    where
        R: TryInto<types::OpenAiChatCompletionRequest>,
        R::Error: Display,
    {
        let mut request: types::OpenAiChatCompletionRequest =
            crate::error::into_request("create_chat_completion", request)?;
        request.stream = false;
        request.stream_options = None;
        self.client
            .call_traced(
                "create_chat_completion",
                self.client
                    .raw()
                    .create_chat_completion()
                    .body(request)
                    .send(),
            )
            .await
    }

    /// Streams a chat completion: `POST /v1/chat/completions` with
    /// `stream: true` (set here). Yields one
    /// [`types::OpenAiChatCompletionChunk`] per event until `[DONE]`.
    /// Errors: as [`OpenAiCompatible::create`], before the stream or as an
    /// item.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/text-openai-api>
    pub async fn stream<R>(
        &self,
        request: R,
    ) -> Result<EventStream<types::OpenAiChatCompletionChunk>, Error>
    where
        R: TryInto<types::OpenAiChatCompletionRequest>,
        R::Error: Display,
    {
        const OPERATION: &str = "create_chat_completion_stream";
        let mut request: types::OpenAiChatCompletionRequest =
            crate::error::into_request(OPERATION, request)?;
        request.stream = true;
        let (inner, trace_id) =
            crate::sse::send_json_stream(self.client, OPERATION, "/v1/chat/completions", &request)
                .await?;
        Ok(EventStream { inner, trace_id })
    }
}

/// The Anthropic-compatible messages endpoint, from
/// [`Chat::anthropic_compatible`].
///
/// Takes and returns the Anthropic Messages shapes
/// ([`types::AnthropicMessagesRequest`] and its builder); errors in
/// Anthropic's `{"type": "error", …}` envelope, also as `event: error`
/// mid-stream, become [`Error::Api`].
#[derive(Debug, Clone, Copy)]
pub struct AnthropicCompatible<'a> {
    client: &'a Client,
}

impl AnthropicCompatible<'_> {
    /// Creates a message: `POST /anthropic/v1/messages` (without
    /// streaming). A paid request. Returns the message. Errors:
    /// [`Error::InvalidArgument`], [`Error::Api`].
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/text-anthropic-api>
    pub async fn create<R>(&self, request: R) -> Result<Response<types::AnthropicMessage>, Error>
    where
        R: TryInto<types::AnthropicMessagesRequest>,
        R::Error: Display,
    {
        let mut request: types::AnthropicMessagesRequest =
            crate::error::into_request("create_anthropic_message", request)?;
        request.stream = false;
        self.client
            .call_traced(
                "create_anthropic_message",
                self.client
                    .raw()
                    .create_anthropic_message()
                    .body(request)
                    .send(),
            )
            .await
    }

    /// Streams a message: `POST /anthropic/v1/messages` with
    /// `stream: true` (set here). Yields the events (`message_start`,
    /// `content_block_delta`, …, `message_stop`) as
    /// [`types::AnthropicStreamEvent`]s. Errors: as
    /// [`AnthropicCompatible::create`], before the stream or as an item.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/text-anthropic-api>
    pub async fn stream<R>(
        &self,
        request: R,
    ) -> Result<EventStream<types::AnthropicStreamEvent>, Error>
    where
        R: TryInto<types::AnthropicMessagesRequest>,
        R::Error: Display,
    {
        const OPERATION: &str = "create_anthropic_message_stream";
        let mut request: types::AnthropicMessagesRequest =
            crate::error::into_request(OPERATION, request)?;
        request.stream = true;
        let (inner, trace_id) = crate::sse::send_json_stream(
            self.client,
            OPERATION,
            "/anthropic/v1/messages",
            &request,
        )
        .await?;
        Ok(EventStream { inner, trace_id })
    }
}

impl Response<types::AnthropicMessage> {
    /// The message's text: its `text` blocks joined.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .flatten()
            .filter(|block| block.type_ == "text")
            .filter_map(|block| block.text.as_deref())
            .collect()
    }
}

impl Response<types::OpenAiChatCompletion> {
    /// The reply's text: the first choice's `message.content`.
    pub fn text(&self) -> Option<&str> {
        self.choices
            .as_ref()
            .and_then(|choices| choices.first())
            .and_then(|choice| choice.message.as_ref())
            .and_then(|message| message.content.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(
        object: &str,
        delta: Option<&str>,
        message: Option<&str>,
        finish: Option<&str>,
    ) -> ChatCompletion {
        let part = |text: &str| types::ChatCompletionRespMessage {
            content: Some(text.to_owned()),
            ..Default::default()
        };
        ChatCompletion {
            object: Some(object.to_owned()),
            choices: Some(vec![types::Choice {
                delta: delta.map(part),
                message: message.map(part),
                finish_reason: finish.map(str::to_owned),
                index: Some(0),
            }]),
            ..Default::default()
        }
    }

    #[test]
    fn a_final_repeat_adds_nothing_and_increments_are_kept() {
        let mut streamed = Streamed::default();
        let texts: Vec<(String, bool)> = [
            event("chat.completion.chunk", Some("Hel"), None, None),
            event("chat.completion.chunk", Some("lo"), None, None),
            event("chat.completion", None, Some("Hello"), Some("stop")),
        ]
        .into_iter()
        .map(|raw| {
            let chunk = to_chunk(&mut streamed, raw);
            (chunk.content, chunk.is_final)
        })
        .collect();
        assert_eq!(
            texts,
            [
                ("Hel".to_owned(), false),
                ("lo".to_owned(), false),
                (String::new(), true)
            ]
        );

        // A final repeat in `delta` form, with a tail not streamed before.
        let mut streamed = Streamed::default();
        to_chunk(
            &mut streamed,
            event("chat.completion.chunk", Some("ab"), None, None),
        );
        let last = to_chunk(
            &mut streamed,
            event("chat.completion", Some("abc"), None, Some("stop")),
        );
        assert_eq!(last.content, "c");

        // A last increment that happens to equal the earlier text is kept.
        let mut streamed = Streamed::default();
        to_chunk(
            &mut streamed,
            event("chat.completion.chunk", Some("ha"), None, None),
        );
        let last = to_chunk(
            &mut streamed,
            event("chat.completion.chunk", Some("ha"), None, Some("stop")),
        );
        assert_eq!((last.content.as_str(), last.is_final), ("ha", true));

        // Only a final message: all of it.
        let mut streamed = Streamed::default();
        let only = to_chunk(
            &mut streamed,
            event("chat.completion", None, Some("All"), Some("stop")),
        );
        assert_eq!(only.content, "All");
    }
}
