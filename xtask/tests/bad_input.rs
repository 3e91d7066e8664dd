//! `cargo xtask generate` on broken inputs: a one-paragraph error naming the
//! file and JSON pointer, exit code 1, no panic, and nothing written (and
//! on inputs that only look broken to a 3.0 reader, which are converted).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod common;

use common::{code, Scratch};

/// `cargo xtask generate` on `scratch`: the exit code and stderr.
fn generate(scratch: &Scratch) -> (i32, String) {
    let output = scratch.xtask(&["generate"]);
    (
        code(&output),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_nothing_written(scratch: &Scratch) {
    assert!(
        !scratch.path("openapi/minimax.json").exists(),
        "minimax.json was written"
    );
    assert!(
        !scratch.path("crates/minimax-api/src/generated.rs").exists(),
        "generated.rs was written"
    );
}

fn assert_clear_error(stderr: &str, needles: &[&str]) {
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        !stderr.contains("thread '") && !stderr.contains("panicked at"),
        "a panic trace leaked: {stderr}"
    );
    assert!(
        stderr.trim_end().lines().count() <= 3,
        "not one short paragraph: {stderr}"
    );
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "missing {needle:?} in: {stderr}");
    }
}

#[test]
fn the_scratch_copy_generates() {
    let scratch = Scratch::new();
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 0, "{stderr}");
    assert!(scratch.path("openapi/minimax.json").exists());
}

#[test]
fn malformed_json_names_file_and_position() {
    let scratch = Scratch::new();
    scratch.write(
        "openapi/additions/files.json",
        "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {,\n}\n",
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1);
    assert_clear_error(
        &stderr,
        &["openapi/additions/files.json", "invalid JSON at line 3"],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn malformed_yaml_names_file_and_position() {
    let scratch = Scratch::new();
    scratch.replace_upstream(
        "openapi/upstream/china-video.yaml",
        "openapi: 3.1.0\npaths: [\n  - a: b\n",
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1);
    assert_clear_error(
        &stderr,
        &["openapi/upstream/china-video.yaml", "invalid YAML"],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn a_tampered_upstream_is_refused() {
    let scratch = Scratch::new();
    scratch.write("openapi/upstream/file-management.yaml", "openapi: 3.1.0\n");
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1);
    assert_clear_error(&stderr, &["file-management.yaml", "sha256"]);
    assert_nothing_written(&scratch);
}

#[test]
fn a_missing_file_is_named() {
    let scratch = Scratch::new();
    std::fs::remove_file(scratch.path("openapi/upstream/international.json")).unwrap();
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1);
    assert_clear_error(&stderr, &["upstream/international.json", "cannot read"]);
    assert_nothing_written(&scratch);
}

#[test]
fn a_dangling_ref_names_file_and_pointer() {
    let scratch = Scratch::new();
    std::fs::remove_file(scratch.path("openapi/additions/repairs.json")).unwrap();
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1);
    // The music request schema that holds the reference comes from the corrections fragment.
    assert_clear_error(
        &stderr,
        &["openapi/additions/corrections.json at /components/schemas/GenerateMusicReq/properties/audio_setting/$ref", "AudioSetting", "resolves nowhere"],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn a_conflict_names_both_sources_and_the_pointer() {
    let scratch = Scratch::new();
    scratch.write(
        "openapi/additions/zz-conflict.json",
        r#"{"openapi": "3.0.3", "info": {"title": "conflict", "version": "1"}, "paths": {},
            "components": {"schemas": {"DeleteFileReq": {"type": "object", "properties": {"other": {"type": "string"}}}}}}"#,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1);
    assert_clear_error(
        &stderr,
        &[
            "openapi/additions/files.json",
            "openapi/additions/zz-conflict.json",
            "/components/schemas/DeleteFileReq",
            "conflicting definitions",
        ],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn a_progenitor_failure_names_the_operation_without_a_panic_trace() {
    let scratch = Scratch::new();
    // Two request media types make progenitor panic ("more media types than expected").
    scratch.write(
        "openapi/additions/zz-two-bodies.json",
        r#"{"openapi": "3.0.3", "info": {"title": "two bodies", "version": "1"},
            "paths": {"/v1/two_bodies": {"post": {"operationId": "twoBodies",
              "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}, "text/plain": {"schema": {"type": "string"}}}},
              "responses": {"200": {"description": "ok"}}}}}}"#,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1);
    assert_clear_error(&stderr, &["progenitor", "POST /v1/two_bodies"]);
    assert_nothing_written(&scratch);
}

/// An addition with one operation `POST /v1/zz` whose operation object is
/// `operation` (JSON text).
fn addition_with_operation(scratch: &Scratch, operation: &str) {
    scratch.write(
        "openapi/additions/zz-bad.json",
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "bad", "version": "1"}},
                "paths": {{"/v1/zz": {{"post": {operation}}}}}}}"#
        ),
    );
}

#[test]
fn a_media_type_that_is_not_an_object_names_file_and_pointer() {
    let scratch = Scratch::new();
    addition_with_operation(
        &scratch,
        r#"{"operationId": "zz", "responses": {"200": {"description": "ok"},
            "400": {"description": "bad", "content": {"application/json": "oops"}}}}"#,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            "openapi/additions/zz-bad.json at /paths/~1v1~1zz/post/responses/400/content/application~1json:",
            "expected a JSON object, found a string",
        ],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn a_repeated_key_is_an_error_not_a_silent_overwrite() {
    let scratch = Scratch::new();
    addition_with_operation(
        &scratch,
        r#"{"operationId": "zz", "responses": {"200": {"description": "ok"}, "200": {"description": "again"}}}"#,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            "openapi/additions/zz-bad.json",
            r#"duplicate key "200" at "/paths/~1v1~1zz/post/responses/200""#,
        ],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn properties_that_are_not_an_object_are_an_error_not_rewritten() {
    let scratch = Scratch::new();
    addition_with_operation(
        &scratch,
        r#"{"operationId": "zz", "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"type": "object", "properties": [1]}}}}}}"#,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            "openapi/additions/zz-bad.json at /paths/~1v1~1zz/post/responses/200/content/application~1json/schema/properties",
            "expected a JSON object, found an array",
        ],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn a_property_named_examples_keeps_the_schema_it_references() {
    let scratch = Scratch::new();
    scratch.write(
        "openapi/additions/zz-examples.json",
        r##"{"openapi": "3.0.3", "info": {"title": "examples property", "version": "1"},
            "paths": {"/v1/zz": {"post": {"operationId": "zz", "responses": {"200": {"description": "ok",
              "content": {"application/json": {"schema": {"type": "object",
                "properties": {"examples": {"$ref": "#/components/schemas/ZzExamples"}}}}}}}}}},
            "components": {"schemas": {"ZzExamples": {"type": "array", "items": {"type": "string"}}}}}"##,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 0, "{stderr}");
    let spec = String::from_utf8(scratch.read("openapi/minimax.json")).unwrap();
    assert!(
        spec.contains("\"ZzExamples\": {"),
        "the referenced schema was pruned"
    );
}

#[test]
fn x_minimax_replaces_must_be_a_list_of_existing_operations() {
    for (replaces, pointer, needle) in [
        (
            r#""get /v1/files/retrieve""#,
            "/paths/~1v1~1zz/post/x-minimax-replaces",
            "must be an array",
        ),
        (
            r#"["get /v1/files/retrieve", "get /v1/no_such_thing"]"#,
            "/paths/~1v1~1zz/post/x-minimax-replaces/1",
            "GET /v1/no_such_thing",
        ),
        (
            r#"["get/v1/files/retrieve"]"#,
            "/paths/~1v1~1zz/post/x-minimax-replaces/0",
            "<method> <path>",
        ),
    ] {
        let scratch = Scratch::new();
        addition_with_operation(
            &scratch,
            &format!(
                r#"{{"operationId": "zz", "x-minimax-replaces": {replaces},
                    "responses": {{"200": {{"description": "ok"}}}}}}"#
            ),
        );
        let (code, stderr) = generate(&scratch);
        assert_eq!(code, 1, "{replaces}: {stderr}");
        assert_clear_error(
            &stderr,
            &[
                &format!("openapi/additions/zz-bad.json at {pointer}:"),
                needle,
            ],
        );
        assert_nothing_written(&scratch);
    }
}

#[test]
fn a_retrieved_date_that_is_not_a_date_names_the_manifest_and_source() {
    let scratch = Scratch::new();
    let manifest = String::from_utf8(scratch.read("openapi/sources.toml")).unwrap();
    let table = manifest.find("name = \"china-video\"").unwrap();
    let date = table + manifest[table..].find("retrieved = \"").unwrap();
    let manifest = format!(
        "{}retrieved = \"22/11/2026\"{}",
        &manifest[..date],
        &manifest[date + "retrieved = \"2026-11-22\"".len()..]
    );
    scratch.write("openapi/sources.toml", manifest);
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            "openapi/sources.toml",
            "china-video",
            "\"22/11/2026\"",
            "YYYY-MM-DD",
        ],
    );
    assert_nothing_written(&scratch);
}

/// `generate` on an addition whose `POST /v1/zz` is `operation` fails with
/// exit 1, names the addition and `pointer`, says `message`, writes nothing.
fn assert_wrong_type_is_named(operation: &str, pointer: &str, message: &str) {
    let scratch = Scratch::new();
    addition_with_operation(&scratch, operation);
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            &format!("openapi/additions/zz-bad.json at {pointer}:"),
            message,
        ],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn responses_that_are_not_an_object_name_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "responses": [1]}"#,
        "/paths/~1v1~1zz/post/responses",
        "expected a JSON object, found an array",
    );
}

#[test]
fn a_response_that_is_not_an_object_names_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "responses": {"200": {"description": "ok"}, "400": 1}}"#,
        "/paths/~1v1~1zz/post/responses/400",
        "expected a JSON object, found a number",
    );
}

#[test]
fn response_content_that_is_not_an_object_names_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "responses": {"200": {"description": "ok", "content": "x"}}}"#,
        "/paths/~1v1~1zz/post/responses/200/content",
        "expected a JSON object, found a string",
    );
}

#[test]
fn request_body_content_that_is_not_an_object_names_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "requestBody": {"content": [1]},
            "responses": {"200": {"description": "ok"}}}"#,
        "/paths/~1v1~1zz/post/requestBody/content",
        "expected a JSON object, found an array",
    );
}

#[test]
fn parameters_that_are_not_an_array_name_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "parameters": {"a": 1},
            "responses": {"200": {"description": "ok"}}}"#,
        "/paths/~1v1~1zz/post/parameters",
        "expected a JSON array, found an object",
    );
}

#[test]
fn a_parameter_that_is_not_an_object_names_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "parameters": ["limit"],
            "responses": {"200": {"description": "ok"}}}"#,
        "/paths/~1v1~1zz/post/parameters/0",
        "expected a JSON object, found a string",
    );
}

#[test]
fn path_level_parameters_that_are_not_an_array_name_file_and_pointer() {
    let scratch = Scratch::new();
    scratch.write(
        "openapi/additions/zz-bad.json",
        r#"{"openapi": "3.0.3", "info": {"title": "bad", "version": "1"},
            "paths": {"/v1/zz": {"parameters": "x",
                "post": {"operationId": "zz", "responses": {"200": {"description": "ok"}}}}}}"#,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            "openapi/additions/zz-bad.json at /paths/~1v1~1zz/parameters:",
            "expected a JSON array, found a string",
        ],
    );
    assert_nothing_written(&scratch);
}

/// `generate` on an addition whose `components` is `components` (JSON text)
/// fails with exit 1, names the addition and `pointer`, says `message`,
/// writes nothing.
fn assert_wrong_component_is_named(components: &str, pointer: &str, message: &str) {
    let scratch = Scratch::new();
    scratch.write(
        "openapi/additions/zz-bad.json",
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "bad", "version": "1"}},
                "paths": {{}}, "components": {components}}}"#
        ),
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            &format!("openapi/additions/zz-bad.json at {pointer}:"),
            message,
        ],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn a_component_parameter_that_is_not_an_object_names_file_and_pointer() {
    // Before the merge checked it, openapiv3 refused it in openapi/minimax.json.
    assert_wrong_component_is_named(
        r#"{"parameters": {"Zz/Limit": "limit"}}"#,
        "/components/parameters/Zz~1Limit",
        "expected a JSON object, found a string",
    );
}

#[test]
fn a_parameter_schema_that_is_not_an_object_names_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "parameters": [{"name": "limit", "in": "query", "schema": "integer"}],
            "responses": {"200": {"description": "ok"}}}"#,
        "/paths/~1v1~1zz/post/parameters/0/schema",
        "expected a JSON object, found a string",
    );
}

#[test]
fn a_media_type_schema_that_is_not_an_object_names_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "responses": {"200": {"description": "ok",
            "content": {"audio/mpeg": {"schema": ["binary"]}}}}}"#,
        "/paths/~1v1~1zz/post/responses/200/content/audio~1mpeg/schema",
        "expected a JSON object, found an array",
    );
}

#[test]
fn response_headers_of_the_wrong_type_name_file_and_pointer() {
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "responses": {"200": {"description": "ok",
            "headers": {"Trace-Id": {"schema": 1}}}}}"#,
        "/paths/~1v1~1zz/post/responses/200/headers/Trace-Id/schema",
        "expected a JSON object, found a number",
    );
    assert_wrong_type_is_named(
        r#"{"operationId": "zz", "responses": {"200": {"description": "ok", "headers": []}}}"#,
        "/paths/~1v1~1zz/post/responses/200/headers",
        "expected a JSON object, found an array",
    );
}

#[test]
fn a_component_parameter_schema_of_the_wrong_type_names_file_and_pointer() {
    assert_wrong_component_is_named(
        r#"{"parameters": {"Limit": {"name": "limit", "in": "query", "content": {"application/json": 2}}}}"#,
        "/components/parameters/Limit/content/application~1json",
        "expected a JSON object, found a number",
    );
}

#[test]
fn a_component_header_that_is_not_an_object_names_file_and_pointer() {
    assert_wrong_component_is_named(
        r#"{"headers": {"ZzTrace": [{"schema": {"type": "string"}}]}}"#,
        "/components/headers/ZzTrace",
        "expected a JSON object, found an array",
    );
}

#[test]
fn a_component_schema_that_is_not_an_object_names_file_and_pointer() {
    // Unreferenced, so it used to be pruned without a word.
    assert_wrong_component_is_named(
        r#"{"schemas": {"ZzBad": 1}}"#,
        "/components/schemas/ZzBad",
        "expected a JSON object, found a number",
    );
}

#[test]
fn a_referenced_component_schema_that_is_not_an_object_names_file_and_pointer() {
    let scratch = Scratch::new();
    scratch.write(
        "openapi/additions/zz-bad.json",
        r##"{"openapi": "3.0.3", "info": {"title": "bad", "version": "1"},
            "paths": {"/v1/zz": {"post": {"operationId": "zz", "responses": {"200": {"description": "ok",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ZzBad"}}}}}}}},
            "components": {"schemas": {"ZzBad": "object"}}}"##,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            "openapi/additions/zz-bad.json at /components/schemas/ZzBad:",
            "expected a JSON object, found a string",
        ],
    );
    assert_nothing_written(&scratch);
}

#[test]
fn component_request_bodies_that_are_not_an_object_name_file_and_pointer() {
    // A section of the wrong type used to be skipped by the merge.
    assert_wrong_component_is_named(
        r#"{"requestBodies": ["ZzBody"]}"#,
        "/components/requestBodies",
        "expected a JSON object, found an array",
    );
}

#[test]
fn component_responses_that_are_not_an_object_name_file_and_pointer() {
    assert_wrong_component_is_named(
        r#"{"responses": "none"}"#,
        "/components/responses",
        "expected a JSON object, found a string",
    );
}

#[test]
fn components_that_are_not_an_object_name_file_and_pointer() {
    assert_wrong_component_is_named(
        "[]",
        "/components",
        "expected a JSON object, found an array",
    );
}

#[test]
fn a_merged_value_outside_the_data_model_is_not_blamed_on_a_schema() {
    // The right JSON types, but no `in`: only openapiv3 sees it, in the merged document.
    let scratch = Scratch::new();
    scratch.write(
        "openapi/additions/zz-bad.json",
        r#"{"openapi": "3.0.3", "info": {"title": "bad", "version": "1"}, "paths": {},
            "components": {"parameters": {"ZzLimit": {"name": "limit", "schema": {"type": "integer"}}}}}"#,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 1, "{stderr}");
    assert_clear_error(
        &stderr,
        &[
            "openapi/minimax.json at /components/parameters/ZzLimit does not fit the OpenAPI 3.0 data model",
            "missing field `in`",
        ],
    );
    assert!(
        !stderr.contains("while generating"),
        "a culprit was named for a document progenitor never read: {stderr}"
    );
    assert_nothing_written(&scratch);
}

#[test]
fn an_openapi_3_1_boolean_schema_is_converted_not_refused() {
    // JSON Schema's `true`/`false` schemas are valid 3.1; spec-compat turns
    // them into `{}` and `{not: {}}` before the merge checks the types.
    let scratch = Scratch::new();
    scratch.write(
        "openapi/additions/zz-boolean.json",
        r##"{"openapi": "3.1.0", "info": {"title": "booleans", "version": "1"},
            "paths": {"/v1/zz": {"post": {"operationId": "zz", "responses": {"200": {"description": "ok",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ZzAny"}}}}}}}},
            "components": {"schemas": {"ZzAny": true}}}"##,
    );
    let (code, stderr) = generate(&scratch);
    assert_eq!(code, 0, "{stderr}");
    let merged: serde_json::Value =
        serde_json::from_slice(&scratch.read("openapi/minimax.json")).unwrap();
    // `{}` (the normaliser then adds `base_resp` to every response schema).
    let schema = &merged["components"]["schemas"]["ZzAny"];
    assert!(schema.is_object(), "{schema}");
    assert!(
        schema.get("not").is_none() && schema.get("type").is_none(),
        "{schema}"
    );
}
