//! The one piece of per-operation code: how a case's request becomes a typed
//! call.
//!
//! `adapters!` takes one line per operation, `"operationId" ("snake_case")
//! json|bytes => |client, request| builder`, and makes from it both the
//! replay through the generated client ([`API`]) and through the SDK's
//! send path ([`SDK_CORE_GENERATED`]: `Client::call` on `Client::raw`, the
//! path every SDK resource method takes). The builder reads its arguments
//! from the case with [`param`] and [`body`], so a new example needs no
//! code; a new operation needs one line here, and the coverage gate fails
//! until it has it.
//!
//! The SDK's ergonomic resource methods (`client.files().retrieve(id)`, …)
//! are listed separately in [`SDK_METHODS`], one entry per method that exists.

use futures::future::BoxFuture;
use futures::TryStreamExt;
use minimax_api::types;
use progenitor_client::{ByteStream, ResponseValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::spec::RequestExample;

/// What a generated-client call returned, re-encoded as JSON.
#[derive(Debug)]
pub enum Outcome {
    /// A success status, decoded into the operation's success type.
    Success {
        /// The HTTP status.
        status: u16,
        /// The decoded value, encoded again (a binary body as text).
        body: Value,
    },
    /// progenitor's `Error::ErrorResponse`: a documented error status whose
    /// body decoded into the operation's error type.
    ErrorResponse {
        /// The HTTP status.
        status: u16,
        /// The decoded error body, encoded again.
        body: Value,
    },
    /// Any other result (a decode failure, an undocumented status, …).
    Other(String),
}

/// A replay through the generated client.
pub type ApiCall = for<'a> fn(
    &'a minimax_api::Client,
    &'a RequestExample,
) -> BoxFuture<'a, Result<Outcome, String>>;

/// What an SDK call returned, re-encoded as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct SdkValue {
    /// The value, in the shape of (part of) the response body.
    pub body: Value,
    /// The trace id the SDK reported with the value, when the entry point
    /// reports one (`Some(None)`: it reports that there was none).
    pub trace_id: Option<Option<String>>,
}

impl SdkValue {
    /// A value from an entry point that reports no trace id.
    pub fn untraced(body: Value) -> SdkValue {
        SdkValue {
            body,
            trace_id: None,
        }
    }

    /// A value with the trace id the SDK reported.
    pub fn traced(body: Value, trace_id: Option<&str>) -> SdkValue {
        SdkValue {
            body,
            trace_id: Some(trace_id.map(str::to_owned)),
        }
    }
}

/// The result of a replay through the SDK.
pub type SdkResult = Result<SdkValue, minimax_sdk::Error>;

/// A replay through the SDK: its value, or its error; `Err(String)` when the
/// case could not be turned into a call.
pub type SdkCall = for<'a> fn(
    &'a minimax_sdk::Client,
    &'a RequestExample,
) -> BoxFuture<'a, Result<SdkResult, String>>;

/// The value of parameter `name` (query, path or header) of the case, as `T`.
pub fn param<T: DeserializeOwned>(request: &RequestExample, name: &str) -> Result<T, String> {
    let value = request
        .query
        .iter()
        .chain(request.headers.iter())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
        .or_else(|| request.path.get(name))
        .ok_or_else(|| format!("the case has no value for parameter {name}"))?;
    serde_json::from_value(value.clone()).map_err(|err| {
        format!(
            "parameter {name} = {value} does not decode into {}: {err}",
            std::any::type_name::<T>()
        )
    })
}

/// The request body of the case, as `T`.
pub fn body<T: DeserializeOwned>(request: &RequestExample) -> Result<T, String> {
    let value = request
        .body
        .as_ref()
        .ok_or_else(|| "the case has no request body".to_owned())?;
    serde_json::from_value(value.clone()).map_err(|err| {
        format!(
            "the request body does not decode into {}: {err}",
            std::any::type_name::<T>()
        )
    })
}

fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value)
        .unwrap_or_else(|err| Value::String(format!("<cannot encode: {err}>")))
}

/// Describes a progenitor error that is not `ErrorResponse`.
async fn describe<E: std::fmt::Debug>(error: progenitor_client::Error<E>) -> String {
    use progenitor_client::Error as E2;
    match error {
        E2::UnexpectedResponse(response) => {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            format!("unexpected response: HTTP {status}: {text}")
        }
        E2::InvalidResponsePayload(bytes, err) => format!(
            "the response did not decode into the success type: {err}; body: {}",
            String::from_utf8_lossy(&bytes)
        ),
        E2::ErrorResponse(value) => format!("error response HTTP {}", value.status()),
        other => format!("{other}"),
    }
}

/// Turns a JSON operation's result into an [`Outcome`].
pub async fn finish_json<T: Serialize, E: Serialize + std::fmt::Debug>(
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
) -> Outcome {
    match result {
        Ok(value) => Outcome::Success {
            status: value.status().as_u16(),
            body: encode(&value.into_inner()),
        },
        Err(progenitor_client::Error::ErrorResponse(value)) => Outcome::ErrorResponse {
            status: value.status().as_u16(),
            body: encode(&value.into_inner()),
        },
        Err(other) => Outcome::Other(describe(other).await),
    }
}

async fn read_stream(stream: ByteStream) -> Result<String, String> {
    let chunks: Vec<bytes::Bytes> = stream
        .into_inner()
        .try_collect()
        .await
        .map_err(|err| format!("reading the body failed: {err}"))?;
    Ok(String::from_utf8_lossy(&chunks.concat()).into_owned())
}

/// Turns a binary operation's result into an [`Outcome`] (the body as text).
pub async fn finish_bytes<E: Serialize + std::fmt::Debug>(
    result: Result<ResponseValue<ByteStream>, progenitor_client::Error<E>>,
) -> Outcome {
    match result {
        Ok(value) => {
            let status = value.status().as_u16();
            match read_stream(value.into_inner()).await {
                Ok(text) => Outcome::Success {
                    status,
                    body: Value::String(text),
                },
                Err(err) => Outcome::Other(err),
            }
        }
        Err(progenitor_client::Error::ErrorResponse(value)) => Outcome::ErrorResponse {
            status: value.status().as_u16(),
            body: encode(&value.into_inner()),
        },
        Err(other) => Outcome::Other(describe(other).await),
    }
}

/// Runs a JSON operation through the SDK's checked send path.
pub async fn sdk_json<T, E, F>(
    sdk: &minimax_sdk::Client,
    operation: &'static str,
    call: F,
) -> SdkResult
where
    F: std::future::Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    T: minimax_api::HasBaseResp + Serialize,
    E: Serialize,
{
    sdk.call(operation, call)
        .await
        .map(|value| SdkValue::untraced(encode(&value)))
}

/// Runs a binary operation through the SDK's send path.
pub async fn sdk_bytes<E, F>(
    sdk: &minimax_sdk::Client,
    operation: &'static str,
    call: F,
) -> SdkResult
where
    F: std::future::Future<Output = Result<ResponseValue<ByteStream>, progenitor_client::Error<E>>>,
    E: Serialize,
{
    let value = sdk.call_unchecked(operation, call).await?;
    read_stream(value.into_inner())
        .await
        .map(|text| SdkValue::untraced(Value::String(text)))
        .map_err(minimax_sdk::Error::InvalidArgument)
}

macro_rules! adapters {
    ($( $op:literal ($snake:literal) $kind:ident => |$client:ident, $request:ident| $build:expr; )*) => {
        /// Replays through the generated client, one per generated operation.
        pub static API: &[(&str, ApiCall)] = &[$(
            ($op, {
                fn call<'a>(
                    $client: &'a minimax_api::Client,
                    $request: &'a RequestExample,
                ) -> BoxFuture<'a, Result<Outcome, String>> {
                    Box::pin(async move {
                        let builder = $build;
                        Ok(adapters!(@api $kind, builder.send()))
                    })
                }
                call
            }),
        )*];

        /// Replays through the SDK's send path (`Client::call` on `Client::raw`).
        pub static SDK_CORE_GENERATED: &[(&str, SdkCall)] = &[$(
            ($op, {
                fn call<'a>(
                    sdk: &'a minimax_sdk::Client,
                    $request: &'a RequestExample,
                ) -> BoxFuture<'a, Result<SdkResult, String>> {
                    Box::pin(async move {
                        let $client = sdk.raw();
                        let builder = $build;
                        Ok(adapters!(@sdk $kind, sdk, $snake, builder.send()))
                    })
                }
                call
            }),
        )*];
    };
    (@api json, $send:expr) => { finish_json($send.await).await };
    (@api bytes, $send:expr) => { finish_bytes($send.await).await };
    (@sdk json, $sdk:ident, $snake:literal, $send:expr) => { sdk_json($sdk, $snake, $send).await };
    (@sdk bytes, $sdk:ident, $snake:literal, $send:expr) => { sdk_bytes($sdk, $snake, $send).await };
}

adapters! {
    "createAnthropicMessage" ("create_anthropic_message") json => |c, r| c.create_anthropic_message().body(body::<types::AnthropicMessagesRequest>(r)?);
    "createChatCompletion" ("create_chat_completion") json => |c, r| c.create_chat_completion().body(body::<types::OpenAiChatCompletionRequest>(r)?);
    "deleteVoice" ("delete_voice") json => |c, r| c.delete_voice().body(body::<types::DeleteVoiceReq>(r)?);
    "deleteFile" ("delete_file") json => |c, r| c.delete_file().body(body::<types::DeleteFileReq>(r)?);
    "listFiles" ("list_files") json => |c, r| c.list_files().purpose(param::<minimax_api::FilePurpose>(r, "purpose")?);
    "retrieveFile" ("retrieve_file") json => |c, r| c.retrieve_file().file_id(param::<minimax_api::Id>(r, "file_id")?);
    "retrieveFileContent" ("retrieve_file_content") bytes => |c, r| c.retrieve_file_content().file_id(param::<minimax_api::Id>(r, "file_id")?);
    "getVoice" ("get_voice") json => |c, r| c.get_voice().body(body::<types::GetVoiceReq>(r)?);
    "imageGeneration" ("image_generation") json => |c, r| c.image_generation().body(body::<types::ImageGenerationReq>(r)?);
    "generateMusic" ("generate_music") json => |c, r| c.generate_music().body(body::<types::GenerateMusicReq>(r)?);
    "t2aAsyncV2Query" ("t2a_async_v2_query") json => |c, r| c.t2a_async_v2_query().task_id(param::<minimax_api::Id>(r, "task_id")?);
    "queryVideoGeneration" ("query_video_generation") json => |c, r| c.query_video_generation().task_id(param::<minimax_api::Id>(r, "task_id")?);
    "queryVideoTemplateGenerationTask" ("query_video_template_generation_task") json => |c, r| c.query_video_template_generation_task().task_id(param::<minimax_api::Id>(r, "task_id")?);
    "t2aAsyncV2" ("t2a_async_v2") json => |c, r| c.t2a_async_v2().body(body::<types::T2aAsyncV2Req>(r)?);
    "t2aV2" ("t2a_v2") json => |c, r| c.t2a_v2().body(body::<types::T2aV2Req>(r)?);
    "chatCompletionV2" ("chat_completion_v2") json => |c, r| c.chat_completion_v2().body(body::<types::ChatCompletionReq>(r)?);
    "videoGeneration" ("video_generation") json => |c, r| c.video_generation().body(body::<types::VideoGenerationReq>(r)?);
    "videoGenerationV2" ("video_generation_v2") json => |c, r| c.video_generation_v2().body(body::<types::VideoGenerationV2Req>(r)?);
    "queryVideoGenerationV2" ("query_video_generation_v2") json => |c, r| c.query_video_generation_v2().task_id(param::<String>(r, "task_id")?);
    "videoTemplateGeneration" ("video_template_generation") json => |c, r| c.video_template_generation().body(body::<types::VideoTemplateGenerationReq>(r)?);
    "voiceClone" ("voice_clone") json => |c, r| c.voice_clone().body(body::<types::VoiceCloneReq>(r)?);
    "voiceDesign" ("voice_design") json => |c, r| c.voice_design().body(body::<types::T2vReq>(r)?);
}

/// Operations the generated client has no method for, and why.
pub static NOT_GENERATED: &[(&str, &str)] = &[(
    "uploadFile",
    "multipart/form-data request: hand-written in minimax-sdk (Client::send_upload)",
)];

/// Operations allowed to have no SDK resource method, and why. Any other
/// operation without one fails the coverage gate ([`crate::Verdict::Missing`]);
/// today every operation has a method, so the list is empty.
pub static NO_SDK_METHOD: &[(&str, &str)] = &[];

/// The SDK's send path for operations without a generated method.
pub static SDK_CORE_HANDWRITTEN: &[(&str, SdkCall)] = &[("uploadFile", upload_file)];

/// The upload of a multipart case: its purpose and its file.
fn upload_parts(request: &RequestExample) -> Result<(String, minimax_sdk::UploadSource), String> {
    let form = request
        .body
        .as_ref()
        .and_then(Value::as_object)
        .ok_or("the case has no multipart body")?;
    let purpose = form
        .get("purpose")
        .and_then(Value::as_str)
        .ok_or("the case has no purpose field")?;
    let contents = form
        .get("file")
        .and_then(Value::as_str)
        .ok_or("the case has no file field")?;
    let filename = request
        .filename
        .clone()
        .unwrap_or_else(|| "upload.bin".into());
    Ok((
        purpose.to_owned(),
        minimax_sdk::UploadSource::from_bytes(filename, contents.as_bytes().to_vec()),
    ))
}

fn upload_file<'a>(
    sdk: &'a minimax_sdk::Client,
    request: &'a RequestExample,
) -> BoxFuture<'a, Result<SdkResult, String>> {
    Box::pin(async move {
        let (purpose, source) = upload_parts(request)?;
        let purpose = purpose.as_str();
        let response = match sdk
            .send_upload("upload_file", "/v1/files/upload", purpose, &source)
            .await
        {
            Ok(response) => response,
            Err(err) => return Ok(Err(err)),
        };
        let text = response
            .text()
            .await
            .map_err(|err| format!("reading the upload response failed: {err}"))?;
        // The ergonomic decode of the upload response is the SDK's business;
        // here the response must at least decode into the spec's type.
        let typed: types::UploadFileResp = serde_json::from_str(&text).map_err(|err| {
            format!("the upload response does not decode into UploadFileResp: {err}")
        })?;
        Ok(Ok(SdkValue::untraced(encode(&typed))))
    })
}

/// Maps an example's response body to what an SDK entry point returns for it.
pub type Expected = fn(&Value) -> Value;

/// An SDK resource method and what it returns.
pub struct SdkMethod {
    /// The operation it calls.
    pub operation: &'static str,
    /// How it is called, for the table (`files().retrieve`).
    pub method: &'static str,
    /// The replay.
    pub call: SdkCall,
    /// What the method returns for a success case, computed from the
    /// example's response body, in the body's shape (the methods return a
    /// part of the body, or a type whose fields are named after it).
    pub expected: Expected,
    /// The request body the method sends for the example's request body
    /// (the identity, unless the method rewrites it on purpose).
    pub sends: Expected,
}

macro_rules! sdk_method {
    ($op:literal, $method:literal, |$sdk:ident, $request:ident| $body:expr, expected: $expected:expr $(,)?) => {
        sdk_method!($op, $method, |$sdk, $request| $body, expected: $expected, sends: whole_body)
    };
    ($op:literal, $method:literal, |$sdk:ident, $request:ident| $body:expr, expected: $expected:expr, sends: $sends:expr $(,)?) => {
        SdkMethod {
            operation: $op,
            method: $method,
            call: {
                fn call<'a>(
                    $sdk: &'a minimax_sdk::Client,
                    $request: &'a RequestExample,
                ) -> BoxFuture<'a, Result<SdkResult, String>> {
                    Box::pin(async move { $body })
                }
                call
            },
            expected: $expected,
            sends: $sends,
        }
    };
}

/// The example body without its `base_resp` (for methods that return the
/// body's fields as a struct of their own).
fn without_base_resp(body: &Value) -> Value {
    let mut body = body.clone();
    if let Some(object) = body.as_object_mut() {
        object.remove("base_resp");
    }
    body
}

/// `{key: body[key]}`.
fn only(body: &Value, key: &str) -> Value {
    let mut object = serde_json::Map::new();
    if let Some(value) = body.get(key) {
        object.insert(key.to_owned(), value.clone());
    }
    Value::Object(object)
}

/// The SDK's ergonomic resource methods, one entry per operation whose
/// method exists. An operation missing here shows as "missing" in the
/// coverage table.
pub static SDK_METHODS: &[SdkMethod] = &[
    sdk_method!("uploadFile", "files().upload", |sdk, r| {
        let (purpose, source) = upload_parts(r)?;
        Ok(sdk
            .files()
            .upload(source, minimax_api::FilePurpose::from(purpose))
            .await
            .map(|file| SdkValue::traced(serde_json::json!({"file": encode(&*file)}), file.trace_id())))
    }, expected: |body| only(body, "file")),
    sdk_method!("listFiles", "files().list", |sdk, r| {
        let purpose: minimax_api::FilePurpose = param(r, "purpose")?;
        Ok(sdk
            .files()
            .list(purpose)
            .await
            .map(|files| SdkValue::traced(serde_json::json!({"files": encode(&*files)}), files.trace_id())))
    }, expected: |body| {
        // An absent or null list is returned as an empty one.
        let files = body.get("files").filter(|files| files.is_array()).cloned();
        serde_json::json!({"files": files.unwrap_or_else(|| serde_json::json!([]))})
    }),
    sdk_method!("retrieveFile", "files().retrieve", |sdk, r| {
        let file_id: minimax_api::Id = param(r, "file_id")?;
        Ok(sdk
            .files()
            .retrieve(file_id)
            .await
            .map(|file| SdkValue::traced(serde_json::json!({"file": encode(&*file)}), file.trace_id())))
    }, expected: |body| only(body, "file")),
    sdk_method!("retrieveFileContent", "files().content", |sdk, r| {
        let file_id: minimax_api::Id = param(r, "file_id")?;
        let content = match sdk.files().content(file_id).await {
            Ok(content) => content,
            Err(err) => return Ok(Err(err)),
        };
        let trace_id = content.trace_id().map(str::to_owned);
        Ok(content.bytes().await.map(|bytes| {
            SdkValue::traced(
                Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                trace_id.as_deref(),
            )
        }))
    }, expected: |body| body.clone()),
    sdk_method!("deleteFile", "files().delete", |sdk, r| {
        let request: types::DeleteFileReq = body(r)?;
        Ok(sdk
            .files()
            .delete(request.file_id, request.purpose)
            .await
            .map(|done| SdkValue::traced(serde_json::json!({}), done.trace_id())))
    }, expected: |_| serde_json::json!({})),
    sdk_method!("videoGeneration", "video().generate", |sdk, r| {
        let request: types::VideoGenerationReq = body(r)?;
        Ok(sdk
            .video()
            .generate(request)
            .await
            .map(|task_id| SdkValue::traced(serde_json::json!({"task_id": encode(&*task_id)}), task_id.trace_id())))
    }, expected: |body| only(body, "task_id")),
    sdk_method!("queryVideoGeneration", "video().query", |sdk, r| {
        let task_id: minimax_api::Id = param(r, "task_id")?;
        Ok(sdk
            .video()
            .query(task_id)
            .await
            .map(|task| SdkValue::traced(encode(&*task), task.trace_id())))
    }, expected: |body| {
        // A running task's zero width and height are read as unknown.
        let mut body = without_base_resp(body);
        if let Some(object) = body.as_object_mut() {
            object.retain(|key, value| {
                !(matches!(key.as_str(), "video_width" | "video_height") && value.as_i64() == Some(0))
            });
        }
        body
    }),
    sdk_method!("videoGenerationV2", "video().generate_v2", |sdk, r| {
        let request: types::VideoGenerationV2Req = body(r)?;
        Ok(sdk
            .video()
            .generate_v2(request)
            .await
            .map(|task_id| SdkValue::traced(serde_json::json!({"task_id": *task_id}), task_id.trace_id())))
    }, expected: |body| only(body, "task_id")),
    sdk_method!("queryVideoGenerationV2", "video().query_v2", |sdk, r| {
        let task_id: String = param(r, "task_id")?;
        Ok(sdk.video().query_v2(task_id).await.map(|task| {
            // Back in the wire's shape: the URL under `content`, the rest
            // where the API put it.
            let mut wire = serde_json::json!({"id": task.task_id, "status": task.status});
            let mut set = |key: &str, value: Value| {
                if !value.is_null() {
                    wire[key] = value;
                }
            };
            set("content", task.video_url.as_ref().map_or(Value::Null, |url| serde_json::json!({"url": url})));
            set("model", encode(&task.model));
            set("resolution", encode(&task.resolution));
            set("ratio", encode(&task.ratio));
            set("duration", encode(&task.duration));
            set("usage", encode(&task.usage));
            set("error", encode(&task.error));
            SdkValue::traced(serde_json::json!({"task": wire}), task.trace_id())
        }))
    }, expected: |body| only(body, "task")),
    sdk_method!("videoTemplateGeneration", "video().template_generate", |sdk, r| {
        let request: types::VideoTemplateGenerationReq = body(r)?;
        Ok(sdk
            .video()
            .template_generate(request)
            .await
            .map(|task_id| SdkValue::traced(serde_json::json!({"task_id": encode(&*task_id)}), task_id.trace_id())))
    }, expected: |body| only(body, "task_id")),
    sdk_method!("queryVideoTemplateGenerationTask", "video().template_query", |sdk, r| {
        let task_id: minimax_api::Id = param(r, "task_id")?;
        Ok(sdk
            .video()
            .template_query(task_id)
            .await
            .map(|task| SdkValue::traced(encode(&*task), task.trace_id())))
    }, expected: without_base_resp),
    sdk_method!("t2aV2", "speech().synthesize", |sdk, r| {
        let request: types::T2aV2Req = body(r)?;
        Ok(sdk.speech().synthesize(request).await.map(|speech| {
            let audio = audio_wire(&speech.audio);
            let mut data = serde_json::json!({"audio": audio});
            if let Some(subtitle_file) = &speech.subtitle_file {
                data["subtitle_file"] = Value::String(subtitle_file.clone());
            }
            SdkValue::traced(
                serde_json::json!({"data": data, "extra_info": encode(&speech.extra_info)}),
                speech.trace_id(),
            )
        }))
    }, expected: |body| {
        // The audio (hex bytes or a URL), the subtitle file and the extra info.
        let mut data = only(&body["data"], "audio");
        if let Some(subtitle_file) = body.pointer("/data/subtitle_file") {
            data["subtitle_file"] = subtitle_file.clone();
        }
        serde_json::json!({"data": data, "extra_info": body.get("extra_info").cloned().unwrap_or(Value::Null)})
    }, sends: |body| {
        // synthesize() always asks for a JSON answer: it drops `stream` and
        // `stream_options` (synthesize_stream is the streaming twin).
        let mut body = body.clone();
        if let Some(object) = body.as_object_mut() {
            object.remove("stream");
            object.remove("stream_options");
        }
        body
    }),
    sdk_method!("t2aAsyncV2", "speech().create_async", |sdk, r| {
        let request: types::T2aAsyncV2Req = body(r)?;
        Ok(sdk
            .speech()
            .create_async(request)
            .await
            .map(|task| SdkValue::traced(encode(&*task), task.trace_id())))
    }, expected: without_base_resp),
    sdk_method!("t2aAsyncV2Query", "speech().query_async", |sdk, r| {
        let task_id: minimax_api::Id = param(r, "task_id")?;
        Ok(sdk
            .speech()
            .query_async(task_id)
            .await
            .map(|status| SdkValue::traced(encode(&*status), status.trace_id())))
    }, expected: without_base_resp),
    sdk_method!("chatCompletionV2", "chat().create", |sdk, r| {
        let request: types::ChatCompletionReq = body(r)?;
        Ok(sdk
            .chat()
            .create(request)
            .await
            .map(|completion| SdkValue::traced(encode(&*completion), completion.trace_id())))
    }, expected: whole_body, sends: non_streaming),
    sdk_method!("createChatCompletion", "chat().openai_compatible().create", |sdk, r| {
        let request: types::OpenAiChatCompletionRequest = body(r)?;
        Ok(sdk
            .chat()
            .openai_compatible()
            .create(request)
            .await
            .map(|completion| SdkValue::traced(encode(&*completion), completion.trace_id())))
    }, expected: whole_body, sends: non_streaming),
    sdk_method!("createAnthropicMessage", "chat().anthropic_compatible().create", |sdk, r| {
        let request: types::AnthropicMessagesRequest = body(r)?;
        Ok(sdk
            .chat()
            .anthropic_compatible()
            .create(request)
            .await
            .map(|message| SdkValue::traced(encode(&*message), message.trace_id())))
    }, expected: whole_body, sends: non_streaming),
    sdk_method!("getVoice", "voice().list", |sdk, r| {
        let request: types::GetVoiceReq = body(r)?;
        let voice_type = match request.voice_type {
            types::GetVoiceReqVoiceType::All => minimax_sdk::voice::VoiceType::All,
            types::GetVoiceReqVoiceType::System => minimax_sdk::voice::VoiceType::System,
            types::GetVoiceReqVoiceType::VoiceCloning => minimax_sdk::voice::VoiceType::VoiceCloning,
            types::GetVoiceReqVoiceType::VoiceGeneration => {
                minimax_sdk::voice::VoiceType::VoiceGeneration
            }
        };
        Ok(sdk.voice().list(voice_type).await.map(|list| {
            SdkValue::traced(
                serde_json::json!({
                    "system_voice": encode(&list.system),
                    "voice_cloning": encode(&list.cloned),
                    "voice_generation": encode(&list.designed),
                }),
                list.trace_id(),
            )
        }))
    }, expected: |body| {
        // Absent or null lists are returned as empty ones.
        let list = |key: &str| {
            body.get(key)
                .filter(|list| list.is_array())
                .cloned()
                .unwrap_or_else(|| serde_json::json!([]))
        };
        serde_json::json!({
            "system_voice": list("system_voice"),
            "voice_cloning": list("voice_cloning"),
            "voice_generation": list("voice_generation"),
        })
    }),
    sdk_method!("deleteVoice", "voice().delete", |sdk, r| {
        let request: types::DeleteVoiceReq = body(r)?;
        let voice_type = match request.voice_type {
            types::DeleteVoiceReqVoiceType::VoiceCloning => {
                minimax_sdk::voice::VoiceType::VoiceCloning
            }
            types::DeleteVoiceReqVoiceType::VoiceGeneration => {
                minimax_sdk::voice::VoiceType::VoiceGeneration
            }
        };
        Ok(sdk
            .voice()
            .delete(request.voice_id, voice_type)
            .await
            .map(|done| SdkValue::traced(serde_json::json!({}), done.trace_id())))
    }, expected: |_| serde_json::json!({})),
    sdk_method!("voiceClone", "voice().clone", |sdk, r| {
        let request: types::VoiceCloneReq = body(r)?;
        Ok(sdk.voice().clone(request).await.map(|voice| {
            let mut value = serde_json::json!({
                "input_sensitive": encode(&voice.input_sensitive),
                "input_sensitive_type": encode(&voice.input_sensitive_type),
                "extra_info": encode(&voice.extra_info),
            });
            if let Some(audio) = &voice.demo_audio {
                value["demo_audio"] = audio_wire(audio);
            }
            SdkValue::traced(value, voice.trace_id())
        }))
    }, expected: |body| {
        // The preview (none when empty) and the moderation and billing details.
        let mut value = serde_json::json!({
            "input_sensitive": body.get("input_sensitive").cloned().unwrap_or(Value::Null),
            "input_sensitive_type": body.get("input_sensitive_type").cloned().unwrap_or(Value::Null),
            "extra_info": body.get("extra_info").cloned().unwrap_or(Value::Null),
        });
        if let Some(audio) = non_empty(body.get("demo_audio")) {
            value["demo_audio"] = audio;
        }
        value
    }),
    sdk_method!("voiceDesign", "voice().design", |sdk, r| {
        let request: types::T2vReq = body(r)?;
        Ok(sdk.voice().design(request).await.map(|voice| {
            let mut value = serde_json::json!({"voice_id": voice.voice_id.clone()});
            if let Some(audio) = &voice.trial_audio {
                value["trial_audio"] = audio_wire(audio);
            }
            SdkValue::traced(value, voice.trace_id())
        }))
    }, expected: |body| {
        let mut value = only(body, "voice_id");
        if let Some(audio) = non_empty(body.get("trial_audio")) {
            value["trial_audio"] = audio;
        }
        value
    }),
    sdk_method!("imageGeneration", "image().generate", |sdk, r| {
        let request: types::ImageGenerationReq = body(r)?;
        Ok(sdk.image().generate(request).await.map(|images| {
            use base64::Engine as _;
            let urls: Vec<&str> = images.images.iter().filter_map(|image| image.url()).collect();
            let data: Vec<String> = images
                .images
                .iter()
                .filter_map(|image| image.data())
                .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
                .collect();
            let mut wire = serde_json::json!({});
            if !urls.is_empty() {
                wire["image_urls"] = encode(&urls);
            }
            if !data.is_empty() {
                wire["image_base64"] = encode(&data);
            }
            SdkValue::traced(
                serde_json::json!({
                    "id": encode(&images.id),
                    "data": wire,
                    "metadata": {
                        "success_count": images.success_count.map(|n| n.to_string()),
                        "failed_count": images.failed_count.map(|n| n.to_string()),
                    },
                }),
                images.trace_id(),
            )
        }))
    }, expected: |body| {
        // The images (non-empty lists only), the id and the counts.
        let mut data = serde_json::json!({});
        for key in ["image_urls", "image_base64"] {
            if let Some(list) = body
                .pointer(&format!("/data/{key}"))
                .filter(|list| list.as_array().is_some_and(|items| !items.is_empty()))
            {
                data[key] = list.clone();
            }
        }
        serde_json::json!({
            "id": body.get("id").cloned().unwrap_or(Value::Null),
            "data": data,
            "metadata": body.get("metadata").cloned().unwrap_or_else(|| serde_json::json!({})),
        })
    }),
    sdk_method!("generateMusic", "music().generate", |sdk, r| {
        let request: types::GenerateMusicReq = body(r)?;
        Ok(sdk.music().generate(request).await.map(|music| {
            SdkValue::traced(
                serde_json::json!({
                    "data": {"audio": audio_wire(&music.audio)},
                    "extra_info": encode(&music.extra_info),
                    "analysis_info": encode(&music.analysis_info),
                }),
                music.trace_id(),
            )
        }))
    }, expected: |body| {
        serde_json::json!({
            "data": only(&body["data"], "audio"),
            "extra_info": body.get("extra_info").cloned().unwrap_or(Value::Null),
            "analysis_info": body.get("analysis_info").cloned().unwrap_or(Value::Null),
        })
    }, sends: |body| {
        // generate() always asks for a JSON answer (generate_stream streams).
        let mut body = body.clone();
        if let Some(object) = body.as_object_mut() {
            object.remove("stream");
        }
        body
    }),
];

/// An [`minimax_sdk::Audio`] as the API sends it: hex bytes or a URL.
fn audio_wire(audio: &minimax_sdk::Audio) -> Value {
    match audio {
        minimax_sdk::Audio::Bytes(bytes) => Value::String(hex(bytes)),
        minimax_sdk::Audio::Url(url) => Value::String(url.clone()),
    }
}

/// A string value unless it is absent, null or blank.
fn non_empty(value: Option<&Value>) -> Option<Value> {
    value
        .filter(|value| value.as_str().is_some_and(|text| !text.trim().is_empty()))
        .cloned()
}

/// What the non-streaming twin of a streaming operation sends: `stream:
/// false` and no `stream_options` (the `_stream` methods stream).
fn non_streaming(body: &Value) -> Value {
    let mut body = body.clone();
    if let Some(object) = body.as_object_mut() {
        object.insert("stream".into(), Value::Bool(false));
        object.remove("stream_options");
    }
    body
}

/// Lowercase hex, the encoding the API uses for audio.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The identity: what the SDK's send path returns is the whole body.
pub fn whole_body(body: &Value) -> Value {
    body.clone()
}

/// The generated-client adapter of `operation_id`.
pub fn api(operation_id: &str) -> Option<ApiCall> {
    API.iter()
        .find(|(id, _)| *id == operation_id)
        .map(|(_, call)| *call)
}

/// The SDK send-path adapter of `operation_id`.
pub fn sdk_core(operation_id: &str) -> Option<SdkCall> {
    SDK_CORE_GENERATED
        .iter()
        .chain(SDK_CORE_HANDWRITTEN.iter())
        .find(|(id, _)| *id == operation_id)
        .map(|(_, call)| *call)
}

/// The SDK resource method of `operation_id`.
pub fn sdk_method(operation_id: &str) -> Option<&'static SdkMethod> {
    SDK_METHODS
        .iter()
        .find(|method| method.operation == operation_id)
}

/// Why `operation_id` needs no SDK resource method, if it is allowed to have none.
pub fn no_sdk_method(operation_id: &str) -> Option<&'static str> {
    NO_SDK_METHOD
        .iter()
        .find(|(id, _)| *id == operation_id)
        .map(|(_, why)| *why)
}

/// Why `operation_id` has no generated method, if it has none by design.
pub fn not_generated(operation_id: &str) -> Option<&'static str> {
    NOT_GENERATED
        .iter()
        .find(|(id, _)| *id == operation_id)
        .map(|(_, why)| *why)
}
