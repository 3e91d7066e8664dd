//! The generated types against the spec: `schemars::schema_for!` of every
//! type used as an operation's request body or 2xx response, compared with
//! the spec's schema (properties, required, types; see
//! `minimax_contract_tests::types`), so a lossy generation or normalisation
//! is caught.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test

use minimax_api::types;
use minimax_contract_tests::contract;
use minimax_contract_tests::spec::EVENT_STREAM;
use serde_json::Value;

macro_rules! rust_types {
    ($($name:literal => $ty:ty,)*) => {
        /// The schemars schema of the type generated for component `name`.
        fn rust_schema(name: &str) -> Option<Value> {
            match name {
                $($name => Some(serde_json::to_value(schemars::schema_for!($ty)).unwrap()),)*
                _ => None,
            }
        }
    };
}

rust_types! {
    "AnthropicMessagesRequest" => types::AnthropicMessagesRequest,
    "AnthropicMessage" => types::AnthropicMessage,
    "AnthropicStreamEvent" => types::AnthropicStreamEvent,
    "OpenAiChatCompletionRequest" => types::OpenAiChatCompletionRequest,
    "OpenAiChatCompletion" => types::OpenAiChatCompletion,
    "OpenAiChatCompletionChunk" => types::OpenAiChatCompletionChunk,
    "DeleteVoiceReq" => types::DeleteVoiceReq,
    "DeleteVoiceResp" => types::DeleteVoiceResp,
    "DeleteFileReq" => types::DeleteFileReq,
    "DeleteFileResp" => types::DeleteFileResp,
    "ListFileResp" => types::ListFileResp,
    "RetrieveFileResp" => types::RetrieveFileResp,
    "UploadFileResp" => types::UploadFileResp,
    "GetVoiceReq" => types::GetVoiceReq,
    "GetVoiceResp" => types::GetVoiceResp,
    "ImageGenerationReq" => types::ImageGenerationReq,
    "ImageGenerationResp" => types::ImageGenerationResp,
    "GenerateMusicReq" => types::GenerateMusicReq,
    "GenerateMusicResp" => types::GenerateMusicResp,
    "T2AAsyncV2QueryResp" => types::T2aAsyncV2QueryResp,
    "QueryVideoGenerationTaskResp" => types::QueryVideoGenerationTaskResp,
    "QueryVideoGenerationV2Resp" => types::QueryVideoGenerationV2Resp,
    "QueryVideoTemplateGenerationTaskResp" => types::QueryVideoTemplateGenerationTaskResp,
    "T2AAsyncV2Req" => types::T2aAsyncV2Req,
    "T2AAsyncV2Resp" => types::T2aAsyncV2Resp,
    "T2aV2Req" => types::T2aV2Req,
    "T2aV2Resp" => types::T2aV2Resp,
    "ChatCompletionReq" => types::ChatCompletionReq,
    "ChatCompletionResp" => types::ChatCompletionResp,
    "VideoGenerationReq" => types::VideoGenerationReq,
    "VideoGenerationV2Req" => types::VideoGenerationV2Req,
    "VideoGenerationV2Resp" => types::VideoGenerationV2Resp,
    "VideoGenerationResp" => types::VideoGenerationResp,
    "VideoTemplateGenerationReq" => types::VideoTemplateGenerationReq,
    "VideoTemplateGenerationResp" => types::VideoTemplateGenerationResp,
    "VoiceCloneReq" => types::VoiceCloneReq,
    "VoiceCloneResp" => types::VoiceCloneResp,
    "T2VReq" => types::T2vReq,
    "T2VResp" => types::T2vResp,
}

/// Every `(operation, role, component)` whose type the test must cover:
/// request bodies and 2xx responses that are component schemas.
fn covered_components() -> Vec<(String, String, String)> {
    let contract = contract();
    let mut found = Vec::new();
    for op in &contract.operations {
        let operation = contract.doc.pointer(&op.pointer).unwrap();
        let mut add = |role: String, media: &Value| {
            if let Some(name) = media
                .pointer("/schema/$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
            {
                found.push((op.id.clone(), role, name.to_owned()));
            }
        };
        if let Some(content) = operation
            .pointer("/requestBody/content")
            .and_then(Value::as_object)
        {
            for (media_type, media) in content {
                add(format!("request {media_type}"), media);
            }
        }
        for (status, response) in operation["responses"].as_object().unwrap() {
            if !status.starts_with('2') {
                continue;
            }
            if let Some(content) = response.get("content").and_then(Value::as_object) {
                for (media_type, media) in content {
                    let role = if media_type == EVENT_STREAM {
                        "event"
                    } else {
                        "response"
                    };
                    add(format!("{role} {status} {media_type}"), media);
                }
            }
        }
    }
    found
}

#[test]
fn every_request_and_response_type_matches_its_schema() {
    let contract = contract();
    let covered = covered_components();
    assert!(covered.len() >= 35, "only {} types found", covered.len());
    let mut failures = Vec::new();
    for (operation, role, name) in &covered {
        match rust_schema(name) {
            None => failures.push(format!(
                "{operation} {role}: no Rust type listed for {name} in tests/tests/schemas.rs"
            )),
            Some(rust) => {
                for problem in minimax_contract_tests::types::compare(contract, name, &rust) {
                    failures.push(format!("{operation} {role}: {problem}"));
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The comparison is not vacuous: a schema that differs from the type is caught.
#[test]
fn a_lossy_type_is_caught() {
    let contract = contract();
    let mut rust = rust_schema("RetrieveFileResp").unwrap();
    let file_object = rust.pointer_mut("/$defs/FileObject").unwrap();
    file_object["properties"]
        .as_object_mut()
        .unwrap()
        .remove("download_url");
    file_object["properties"]["bytes"]["type"] = "string".into();
    file_object["required"] = serde_json::json!(["bytes", "created_at", "filename", "purpose"]);
    let problems = minimax_contract_tests::types::compare(contract, "RetrieveFileResp", &rust);
    assert!(
        problems.contains(
            &"RetrieveFileResp.file.download_url: in the spec, not in the Rust type".to_owned()
        ),
        "{problems:#?}"
    );
    assert!(
        problems.contains(
            &"RetrieveFileResp.file.bytes: type integer in the spec, string in Rust".to_owned()
        ),
        "{problems:#?}"
    );
    assert!(
        problems.contains(
            &"RetrieveFileResp.file.file_id: required in the spec, optional in Rust".to_owned()
        ),
        "{problems:#?}"
    );
    // A replacement type must stay the hand-written one.
    let mut rust = rust_schema("RetrieveFileResp").unwrap();
    rust["$defs"]["FileObject"]["properties"]["file_id"] = serde_json::json!({"type": "integer"});
    let problems = minimax_contract_tests::types::compare(contract, "RetrieveFileResp", &rust);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("maps this schema to crate::Id")),
        "{problems:#?}"
    );
}
