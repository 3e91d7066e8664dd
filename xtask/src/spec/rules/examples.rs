//! Rule `attach-examples`: the project's request/response examples become
//! named OpenAPI examples, checked against the operation's schemas.
//!
//! The upstream specs give most operations no example, or one response
//! example without the request that produced it, and never an error. The
//! contract tests (`tests/`) replay every example through both clients and
//! Prism, so each operation needs paired cases: `openapi/examples/<operationId>.json`
//! holds them (format in `openapi/examples/README.md`). This rule attaches
//! each case under its name to the parameters (`parameters[i].examples`),
//! the request body and the response (`content.<media>.examples`, with the
//! response headers in `x-minimax-example-headers` and, for a range or
//! `default` response, the HTTP status in `x-minimax-example-status`), so one
//! name selects both halves (Prism's `Prefer: example=<name>`).
//!
//! Examples the specs carry themselves are kept: a single `example` on a
//! parameter, request body or response becomes the named example `upstream`
//! (`upstream-<status>` on a non-2xx response), paired the same way.
//! Their placeholders are the business of the next rule, `example-placeholders`.
//!
//! A file for an operation that does not exist, a malformed case, or a value
//! that does not match its schema is an error naming the file and the JSON
//! pointer inside it. The check here is structural (types, `nullable`,
//! `enum`, `required`, `additionalProperties`, `items`, `allOf`/`anyOf`/`oneOf`,
//! numeric and length bounds; not `pattern` or `format`); the contract tests
//! validate every attached example again with a full JSON Schema validator.

use serde_json::{json, Map, Value};
use spec_compat::pointer;

use crate::spec::input::ExampleFile;
use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct AttachExamples;

/// Example-object extension holding the response headers of a case.
pub const HEADERS_KEY: &str = "x-minimax-example-headers";
/// Example-object extension holding the HTTP status when the response key is a range.
pub const STATUS_KEY: &str = "x-minimax-example-status";
/// Example-object extension naming the file of a multipart request.
pub const FILENAME_KEY: &str = "x-minimax-filename";
/// Name given to an example that came with the spec.
pub const UPSTREAM: &str = "upstream";

impl Rule for AttachExamples {
    fn name(&self) -> &'static str {
        "attach-examples"
    }

    fn describe(&self) -> &'static str {
        "named request/response examples from openapi/examples/<operationId>.json (checked against their schemas); the specs' own examples become `upstream`"
    }

    fn apply(&self, doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError> {
        attach(doc, context)
    }
}

/// Names the specs' own examples, then attaches and checks every case of
/// the context's example files; returns the pointer of every example created.
pub fn attach(doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError> {
    let mut fired = name_upstream_examples(doc, context)?;
    for file in context.examples {
        fired.extend(attach_file(doc, file, context)?);
    }
    Ok(fired)
}

/// The name of a spec's own response example under response key `status`.
fn upstream_name(status: &str) -> String {
    if status.starts_with('2') {
        UPSTREAM.to_owned()
    } else {
        format!("{UPSTREAM}-{}", status.to_ascii_lowercase())
    }
}

/// Moves `holder.example` into `holder.examples.<name>` for every name; returns
/// the pointers created. `origin` is the input file the holder comes from.
fn move_example(
    holder: &mut Value,
    at: &str,
    names: &[String],
    status: Option<u16>,
    origin: &str,
) -> Result<Vec<String>, SpecError> {
    let Some(object) = holder.as_object_mut() else {
        return Ok(Vec::new());
    };
    let Some(value) = object.remove("example") else {
        return Ok(Vec::new());
    };
    let examples = walk::object_entry(object, "examples", at).map_err(|err| err.in_file(origin))?;
    let mut created = Vec::new();
    for name in names {
        if examples.contains_key(name) {
            return Err(SpecError::new(
                origin,
                pointer::push(&format!("{at}/examples"), name),
                "the spec already has an example of this name next to its `example`",
            ));
        }
        let mut example = json!({ "value": value.clone() });
        if let Some(status) = status {
            example[STATUS_KEY] = json!(status);
        }
        examples.insert(name.clone(), example);
        created.push(pointer::push(&format!("{at}/examples"), name));
    }
    Ok(created)
}

/// The status a spec example under a range key (`5XX`, `default`) stands for.
fn range_status(status: &str) -> Option<u16> {
    if status.parse::<u16>().is_ok() {
        return None;
    }
    match status.chars().next() {
        Some(digit @ '1'..='5') => Some(u16::from(digit as u8 - b'0') * 100),
        _ => Some(500),
    }
}

fn name_upstream_examples(
    doc: &mut Value,
    context: &Context<'_>,
) -> Result<Vec<String>, SpecError> {
    let mut fired = Vec::new();
    for op in walk::operations(doc) {
        let at = op.pointer();
        let origin = context.origin(doc, &at);
        let Some(operation) = doc.pointer_mut(&at) else {
            continue;
        };
        let mut names: Vec<String> = Vec::new();
        if let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        {
            for (status, response) in responses.iter_mut() {
                let name = upstream_name(status);
                let response_at = pointer::push(&format!("{at}/responses"), status);
                let Some(content) = response.get_mut("content").and_then(Value::as_object_mut)
                else {
                    continue;
                };
                for (media_type, media) in content.iter_mut() {
                    let media_at = pointer::push(&format!("{response_at}/content"), media_type);
                    let created = move_example(
                        media,
                        &media_at,
                        std::slice::from_ref(&name),
                        range_status(status),
                        &origin,
                    )?;
                    if !created.is_empty() && !names.contains(&name) {
                        names.push(name.clone());
                    }
                    fired.extend(created);
                }
            }
        }
        if names.is_empty() {
            names.push(UPSTREAM.to_owned());
        }
        if let Some(parameters) = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
        {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                fired.extend(move_example(
                    parameter,
                    &format!("{at}/parameters/{index}"),
                    &names,
                    None,
                    &origin,
                )?);
            }
        }
        if let Some(content) = operation
            .pointer_mut("/requestBody/content")
            .and_then(Value::as_object_mut)
        {
            for (media_type, media) in content.iter_mut() {
                let media_at = pointer::push(&format!("{at}/requestBody/content"), media_type);
                fired.extend(move_example(media, &media_at, &names, None, &origin)?);
            }
        }
    }
    Ok(fired)
}

/// Where an error in an example file is.
struct Place<'a> {
    file: &'a str,
}

impl Place<'_> {
    fn error(&self, at: &str, message: impl Into<String>) -> SpecError {
        SpecError::new(self.file, at, message)
    }
}

fn check_keys(
    place: &Place<'_>,
    object: &Map<String, Value>,
    at: &str,
    allowed: &[&str],
) -> Result<(), SpecError> {
    for key in object.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(place.error(
                &pointer::push(at, key),
                format!(
                    "unknown key {key:?}; expected one of {}",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn as_object<'v>(
    place: &Place<'_>,
    value: &'v Value,
    at: &str,
) -> Result<&'v Map<String, Value>, SpecError> {
    value
        .as_object()
        .ok_or_else(|| place.error(at, "expected a JSON object"))
}

fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
        && name
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
}

fn attach_file(
    doc: &mut Value,
    file: &ExampleFile,
    context: &Context<'_>,
) -> Result<Vec<String>, SpecError> {
    let place = Place { file: &file.file };
    let Some(op) = walk::operations(doc).into_iter().find(|op| {
        doc.pointer(&format!("{}/operationId", op.pointer()))
            .and_then(Value::as_str)
            == Some(file.operation_id.as_str())
    }) else {
        return Err(place.error(
            "",
            format!(
                "no operation has operationId {:?}; name the file <operationId>.json after an operation of openapi/minimax.json",
                file.operation_id
            ),
        ));
    };
    let root = as_object(&place, &file.doc, "")?;
    check_keys(&place, root, "", &["$comment", "examples"])?;
    let cases = root
        .get("examples")
        .ok_or_else(|| place.error("", "missing \"examples\""))?;
    let cases = as_object(&place, cases, "/examples")?;
    if cases.is_empty() {
        return Err(place.error("/examples", "no examples"));
    }
    let mut fired = Vec::new();
    for (name, case) in cases {
        let case_at = pointer::push("/examples", name);
        if !is_valid_name(name) || name.starts_with(UPSTREAM) {
            return Err(place.error(
                &case_at,
                format!("example name {name:?} must be lowercase ASCII letters, digits and '-', and must not start with {UPSTREAM:?} (reserved for the specs' own examples)"),
            ));
        }
        let case = Case::parse(&place, case, &case_at)?;
        fired.extend(case.attach(doc, &op, name, &place, &case_at, context)?);
    }
    Ok(fired)
}

/// One checked-for-shape case of an example file.
struct Case<'v> {
    summary: &'v Value,
    description: Option<&'v Value>,
    parameters: Vec<(&'static str, &'static str, &'v Map<String, Value>)>,
    body: Option<&'v Value>,
    filename: Option<&'v Value>,
    status: u16,
    headers: Option<&'v Map<String, Value>>,
    content_type: Option<&'v str>,
    response_body: Option<&'v Value>,
}

impl<'v> Case<'v> {
    fn parse(place: &Place<'_>, case: &'v Value, at: &str) -> Result<Case<'v>, SpecError> {
        let object = as_object(place, case, at)?;
        check_keys(
            place,
            object,
            at,
            &["summary", "description", "request", "response"],
        )?;
        let summary = object
            .get("summary")
            .filter(|summary| summary.is_string())
            .ok_or_else(|| place.error(at, "every example needs a one-line \"summary\""))?;
        let request_at = format!("{at}/request");
        let request = match object.get("request") {
            Some(request) => Some(as_object(place, request, &request_at)?),
            None => None,
        };
        if let Some(request) = request {
            check_keys(
                place,
                request,
                &request_at,
                &["path", "query", "headers", "body", "filename"],
            )?;
        }
        let request_part = |key: &str| request.and_then(|request| request.get(key));
        let mut parameters = Vec::new();
        for (key, location) in [("path", "path"), ("query", "query"), ("headers", "header")] {
            if let Some(values) = request_part(key) {
                parameters.push((
                    key,
                    location,
                    as_object(place, values, &format!("{request_at}/{key}"))?,
                ));
            }
        }
        let response_at = format!("{at}/response");
        let response = object
            .get("response")
            .ok_or_else(|| place.error(at, "missing \"response\""))?;
        let response = as_object(place, response, &response_at)?;
        check_keys(
            place,
            response,
            &response_at,
            &["status", "headers", "content_type", "body"],
        )?;
        let status = response
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|status| u16::try_from(status).ok())
            .filter(|status| (100..600).contains(status))
            .ok_or_else(|| {
                place.error(
                    &format!("{response_at}/status"),
                    "\"status\" must be an HTTP status code (100-599)",
                )
            })?;
        let headers = match response.get("headers") {
            Some(headers) => {
                let headers_at = format!("{response_at}/headers");
                let headers = as_object(place, headers, &headers_at)?;
                for (name, value) in headers {
                    if !value.is_string() {
                        return Err(place.error(
                            &pointer::push(&headers_at, name),
                            "header values are strings",
                        ));
                    }
                }
                Some(headers)
            }
            None => None,
        };
        let content_type = match response.get("content_type") {
            Some(value) => Some(value.as_str().ok_or_else(|| {
                place.error(
                    &format!("{response_at}/content_type"),
                    "\"content_type\" is a media type string",
                )
            })?),
            None => None,
        };
        Ok(Case {
            summary,
            description: object.get("description"),
            parameters,
            body: request_part("body"),
            filename: request_part("filename"),
            status,
            headers,
            content_type,
            response_body: response.get("body"),
        })
    }

    /// An OpenAPI Example object for `value`.
    fn example_object(&self, value: &Value) -> Value {
        let mut example = json!({ "summary": self.summary, "value": value });
        if let Some(description) = self.description {
            example["description"] = description.clone();
        }
        example
    }

    fn attach(
        &self,
        doc: &mut Value,
        op: &walk::OperationRef,
        name: &str,
        place: &Place<'_>,
        at: &str,
        context: &Context<'_>,
    ) -> Result<Vec<String>, SpecError> {
        let op_at = op.pointer();
        let operation_id = doc
            .pointer(&format!("{op_at}/operationId"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let schemas = doc.clone();
        // A part of the spec that should be an object and is not: the fault
        // of the input it came from.
        let not_an_object = |err: walk::WrongType| {
            let origin = context.origin(&schemas, &err.pointer);
            err.in_file(origin)
        };
        let mut fired = Vec::new();

        // Parameters: operation-level first, then path-level ones it does not override.
        let mut declared: Vec<Declared> = Vec::new();
        let item_at = pointer::join(["paths", &op.path]);
        for holder in [op_at.clone(), item_at] {
            let Some(parameters) = schemas
                .pointer(&format!("{holder}/parameters"))
                .and_then(Value::as_array)
            else {
                continue;
            };
            for (index, parameter) in parameters.iter().enumerate() {
                let parameter_at = format!("{holder}/parameters/{index}");
                if parameter.get("$ref").is_some() {
                    return Err(place.error(
                        &format!("{at}/request"),
                        format!(
                            "operation {operation_id} declares parameter {parameter_at} by $ref, which rule attach-examples does not follow; declare the parameter inline"
                        ),
                    ));
                }
                let name = parameter["name"].as_str().unwrap_or_default().to_owned();
                let location = parameter["in"].as_str().unwrap_or_default().to_owned();
                if declared
                    .iter()
                    .any(|other| other.name == name && other.location == location)
                {
                    continue;
                }
                let required = parameter
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(location == "path");
                declared.push(Declared {
                    name,
                    location,
                    at: parameter_at,
                    required,
                });
            }
        }
        for (key, location, values) in &self.parameters {
            for (parameter, value) in values.iter() {
                let value_at = pointer::push(&format!("{at}/request/{key}"), parameter);
                let Some(target) = declared
                    .iter()
                    .find(|target| target.name == *parameter && target.location == *location)
                else {
                    return Err(place.error(
                        &value_at,
                        format!(
                            "operation {operation_id} has no {location} parameter {parameter:?}"
                        ),
                    ));
                };
                let schema = schemas
                    .pointer(&format!("{}/schema", target.at))
                    .unwrap_or(&Value::Null);
                check_value(&schemas, schema, value, &value_at, place)?;
                let holder = doc
                    .pointer_mut(&target.at)
                    .ok_or_else(|| place.error(&value_at, "parameter vanished"))?;
                fired.push(insert_example(
                    holder,
                    &target.at,
                    name,
                    self.example_object(value),
                    place,
                    at,
                    &not_an_object,
                )?);
            }
        }
        for target in declared.iter().filter(|target| target.required) {
            let given = self.parameters.iter().any(|(_, location, values)| {
                *location == target.location && values.contains_key(&target.name)
            });
            if !given {
                return Err(place.error(
                    &format!("{at}/request"),
                    format!(
                        "required {} parameter {:?} of {operation_id} has no value",
                        target.location, target.name
                    ),
                ));
            }
        }

        // Request body.
        let body_at = format!("{op_at}/requestBody");
        let request_body = schemas.pointer(&body_at);
        match (request_body, self.body) {
            (None, Some(_)) => {
                return Err(place.error(
                    &format!("{at}/request/body"),
                    format!("operation {operation_id} takes no request body"),
                ))
            }
            (Some(request_body), None) => {
                if request_body
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
                {
                    return Err(place.error(
                        &format!("{at}/request"),
                        format!("the request body of {operation_id} is required"),
                    ));
                }
            }
            (Some(request_body), Some(body)) => {
                let media_type = pick_media(request_body, None).ok_or_else(|| {
                    place.error(
                        &format!("{at}/request/body"),
                        format!("the request body of {operation_id} declares no media type"),
                    )
                })?;
                let media_at = pointer::push(&format!("{body_at}/content"), &media_type);
                let schema = schemas
                    .pointer(&format!("{media_at}/schema"))
                    .unwrap_or(&Value::Null);
                check_value(&schemas, schema, body, &format!("{at}/request/body"), place)?;
                let mut example = self.example_object(body);
                match (self.filename, media_type.starts_with("multipart/")) {
                    (Some(filename), true) if filename.is_string() => {
                        example[FILENAME_KEY] = filename.clone();
                    }
                    (Some(_), _) => {
                        return Err(place.error(
                            &format!("{at}/request/filename"),
                            "\"filename\" is a string, for multipart/form-data bodies only",
                        ))
                    }
                    (None, _) => {}
                }
                let holder = doc
                    .pointer_mut(&media_at)
                    .ok_or_else(|| place.error(at, "request body vanished"))?;
                fired.push(insert_example(
                    holder,
                    &media_at,
                    name,
                    example,
                    place,
                    at,
                    &not_an_object,
                )?);
            }
            (None, None) => {}
        }

        // Response.
        let responses_at = format!("{op_at}/responses");
        let responses = schemas
            .pointer(&responses_at)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let status = self.status.to_string();
        let range = format!("{}XX", &status[..1]);
        // The exact status, its range (`4XX`, also written `4xx`), then `default`.
        let key = [status.as_str(), range.as_str(), "default"]
            .into_iter()
            .flat_map(|key| [key.to_owned(), key.to_ascii_lowercase()])
            .find(|key| responses.contains_key(key))
            .ok_or_else(|| {
                place.error(
                    &format!("{at}/response/status"),
                    format!(
                        "operation {operation_id} declares no response for HTTP {status} (declared: {})",
                        responses.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
        let response_at = pointer::push(&responses_at, &key);
        let response = &responses[&key];
        let body_pointer = format!("{at}/response/body");
        let Some(media_type) = pick_media(response, self.content_type) else {
            return Err(place.error(
                &format!("{at}/response"),
                match self.content_type {
                    Some(content_type) => format!(
                        "the {key} response of {operation_id} declares no {content_type} content"
                    ),
                    None => format!("the {key} response of {operation_id} declares no content to attach the example to"),
                },
            ));
        };
        let media_at = pointer::push(&format!("{response_at}/content"), &media_type);
        let body = self
            .response_body
            .ok_or_else(|| place.error(&format!("{at}/response"), "missing \"body\""))?;
        let schema = schemas
            .pointer(&format!("{media_at}/schema"))
            .unwrap_or(&Value::Null);
        check_value(&schemas, schema, body, &body_pointer, place)?;
        let mut example = self.example_object(body);
        if let Some(headers) = self.headers {
            example[HEADERS_KEY] = Value::Object(headers.clone());
        }
        if key != status {
            example[STATUS_KEY] = json!(self.status);
        }
        let holder = doc
            .pointer_mut(&media_at)
            .ok_or_else(|| place.error(at, "response vanished"))?;
        fired.push(insert_example(
            holder,
            &media_at,
            name,
            example,
            place,
            at,
            &not_an_object,
        )?);
        Ok(fired)
    }
}

/// A parameter the operation declares.
struct Declared {
    name: String,
    location: String,
    at: String,
    required: bool,
}

/// The media type an example goes to: the one asked for, else
/// `application/json`, else the only one declared.
fn pick_media(holder: &Value, wanted: Option<&str>) -> Option<String> {
    let content = holder.get("content").and_then(Value::as_object)?;
    match wanted {
        Some(wanted) => content.contains_key(wanted).then(|| wanted.to_owned()),
        None if content.contains_key("application/json") => Some("application/json".to_owned()),
        None if content.len() == 1 => content.keys().next().cloned(),
        None => None,
    }
}

/// Adds `example` under `name` to the `examples` of the parameter or media
/// type object `holder` (at `holder_at` in the spec).
fn insert_example(
    holder: &mut Value,
    holder_at: &str,
    name: &str,
    example: Value,
    place: &Place<'_>,
    at: &str,
    not_an_object: &dyn Fn(walk::WrongType) -> SpecError,
) -> Result<String, SpecError> {
    let holder = walk::object_mut(holder, holder_at).map_err(not_an_object)?;
    if holder.contains_key("example") {
        return Err(place.error(
            at,
            format!("{holder_at} still has a single `example`; it should have been renamed {UPSTREAM:?}"),
        ));
    }
    let examples = walk::object_entry(holder, "examples", holder_at).map_err(not_an_object)?;
    if examples.contains_key(name) {
        return Err(place.error(
            at,
            format!("{holder_at} already has an example named {name:?}"),
        ));
    }
    examples.insert(name.to_owned(), example);
    Ok(pointer::push(&format!("{holder_at}/examples"), name))
}

fn check_value(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    place: &Place<'_>,
) -> Result<(), SpecError> {
    matches(doc, schema, value, "", 0).map_err(|(inner, message)| {
        place.error(
            &format!("{at}{inner}"),
            format!("does not match its schema: {message}"),
        )
    })
}

/// Where a value fails its schema (pointer relative to the checked value) and why.
type Mismatch = (String, String);

/// A structural check of `value` against an OpenAPI 3.0 `schema`.
fn matches(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    depth: usize,
) -> Result<(), Mismatch> {
    let fail = |message: String| Err((at.to_owned(), message));
    if depth > 64 {
        return fail("the schema nests too deeply (a $ref cycle?)".to_owned());
    }
    let Some(schema) = schema.as_object() else {
        return Ok(());
    };
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return match walk::resolve(doc, reference) {
            Some(target) => matches(doc, target, value, at, depth + 1),
            // The spec's fault, not the example's: rule `dangling-refs`
            // (later) reports it, naming the file that holds the reference.
            None => Ok(()),
        };
    }
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    if value.is_null() && nullable {
        return Ok(());
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for branch in all {
            matches(doc, branch, value, at, depth + 1)?;
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let results: Vec<_> = any
            .iter()
            .map(|branch| matches(doc, branch, value, at, depth + 1))
            .collect();
        if !results.iter().any(Result::is_ok) {
            return Err(no_branch("anyOf", at, results));
        }
    }
    if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
        let results: Vec<_> = one
            .iter()
            .map(|branch| matches(doc, branch, value, at, depth + 1))
            .collect();
        match results.iter().filter(|result| result.is_ok()).count() {
            1 => {}
            0 => return Err(no_branch("oneOf", at, results)),
            n => return fail(format!("matches {n} branches of oneOf, not exactly one")),
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !values.contains(value) {
            return fail(format!(
                "{value} is not one of {}",
                Value::from(values.clone())
            ));
        }
    }
    let kind = schema.get("type").and_then(Value::as_str);
    let type_ok = match (kind, value) {
        (None, _) => true,
        (Some(_), Value::Null) => false,
        (Some("integer"), Value::Number(number)) => number.is_i64() || number.is_u64(),
        (Some("number"), Value::Number(_)) => true,
        (Some("string"), Value::String(_)) => true,
        (Some("boolean"), Value::Bool(_)) => true,
        (Some("array"), Value::Array(_)) => true,
        (Some("object"), Value::Object(_)) => true,
        _ => false,
    };
    if !type_ok {
        let kind = kind.unwrap_or_default();
        return fail(if value.is_null() {
            format!("null where a {kind} is expected (the schema is not nullable)")
        } else {
            format!("{} where a {kind} is expected", short(value))
        });
    }
    match value {
        Value::Number(number) => {
            let number = number.as_f64().unwrap_or_default();
            let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
            let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool) == Some(true);
            if let Some(minimum) = bound("minimum") {
                if number < minimum || (exclusive("exclusiveMinimum") && number == minimum) {
                    return fail(format!("{number} is below the minimum {minimum}"));
                }
            }
            if let Some(maximum) = bound("maximum") {
                if number > maximum || (exclusive("exclusiveMaximum") && number == maximum) {
                    return fail(format!("{number} is above the maximum {maximum}"));
                }
            }
        }
        Value::String(text) => {
            let length = text.chars().count() as u64;
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
                if length < min {
                    return fail(format!("shorter than minLength {min}"));
                }
            }
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                if length > max {
                    return fail(format!("longer than maxLength {max}"));
                }
            }
        }
        Value::Array(items) => {
            let length = items.len() as u64;
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                if length < min {
                    return fail(format!("fewer than minItems {min} items"));
                }
            }
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                if length > max {
                    return fail(format!("more than maxItems {max} items"));
                }
            }
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    matches(doc, item_schema, item, &format!("{at}/{index}"), depth + 1)?;
                }
            }
        }
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for name in required.iter().filter_map(Value::as_str) {
                    if !object.contains_key(name) {
                        return fail(format!("missing required property {name:?}"));
                    }
                }
            }
            for (name, property) in object {
                let property_at = pointer::push(at, name);
                match properties.and_then(|properties| properties.get(name)) {
                    Some(property_schema) => {
                        matches(doc, property_schema, property, &property_at, depth + 1)?
                    }
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            return Err((
                                property_at,
                                format!(
                                "property {name:?} is not allowed (additionalProperties: false)"
                            ),
                            ))
                        }
                        Some(additional @ Value::Object(_)) => {
                            matches(doc, additional, property, &property_at, depth + 1)?
                        }
                        _ => {}
                    },
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The mismatch of a value that fits no branch of `keyword`: where and why
/// the first branch failed.
fn no_branch(keyword: &str, at: &str, results: Vec<Result<(), Mismatch>>) -> Mismatch {
    match results.into_iter().find_map(Result::err) {
        Some((inner, message)) => (
            inner,
            format!("matches no branch of {keyword} (the first fails with: {message})"),
        ),
        None => (at.to_owned(), format!("{keyword} has no branches")),
    }
}

/// A value, cut short for a message.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{doc, json_response};

    fn spec() -> Value {
        let mut spec = doc(
            json!({
                "/v1/files/retrieve": {"get": {
                    "operationId": "retrieveFile",
                    "parameters": [
                        {"name": "file_id", "in": "query", "required": true, "schema": {"$ref": "#/components/schemas/Id"}},
                        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}, "example": true}
                    ],
                    "responses": {
                        "200": json_response(json!({"$ref": "#/components/schemas/Resp"})),
                        "5XX": json_response(json!({"$ref": "#/components/schemas/Resp"}))
                    }
                }},
                "/v1/files/delete": {"post": {
                    "operationId": "deleteFile",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["file_id"], "properties": {"file_id": {"$ref": "#/components/schemas/Id"}}
                    }}}},
                    "responses": {"200": json_response(json!({"$ref": "#/components/schemas/Resp"}))}
                }}
            }),
            json!({
                "Id": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                "Resp": {"type": "object", "properties": {
                    "base_resp": {"type": "object", "required": ["status_code"], "properties": {"status_code": {"type": "integer"}, "status_msg": {"type": "string"}}},
                    "files": {"type": "array", "nullable": true, "items": {"type": "object"}}
                }}
            }),
        );
        spec["paths"]["/v1/files/retrieve"]["get"]["responses"]["200"]["content"]
            ["application/json"]["example"] = json!({"base_resp": {"status_code": 0}});
        spec
    }

    fn attach_files(spec: &mut Value, files: &[ExampleFile]) -> Result<Vec<String>, SpecError> {
        attach(
            spec,
            &Context {
                inputs: &[],
                examples: files,
            },
        )
    }

    fn file(operation_id: &str, examples: Value) -> ExampleFile {
        ExampleFile {
            file: format!("openapi/examples/{operation_id}.json"),
            operation_id: operation_id.to_owned(),
            doc: json!({ "examples": examples }),
        }
    }

    fn rate_limited() -> Value {
        json!({"rate-limited": {
            "summary": "Too many requests",
            "request": {"query": {"file_id": "205258526306433"}},
            "response": {
                "status": 200,
                "headers": {"Trace-Id": "0a1b"},
                "body": {"files": null, "base_resp": {"status_code": 1002, "status_msg": "rate limit exceeded(RPM)"}}
            }
        }, "gateway": {
            "summary": "A gateway failure",
            "request": {"query": {"file_id": 1}},
            "response": {"status": 503, "body": {}}
        }})
    }

    #[test]
    fn attaches_named_pairs_and_renames_the_specs_own_examples() {
        let mut spec = spec();
        let fired = attach_files(&mut spec, &[file("retrieveFile", rate_limited())]).unwrap();
        let op = &spec["paths"]["/v1/files/retrieve"]["get"];
        // The spec's own response example and the parameter example it pairs with.
        let json_media = &op["responses"]["200"]["content"]["application/json"];
        assert!(json_media.get("example").is_none());
        assert_eq!(
            json_media["examples"]["upstream"]["value"],
            json!({"base_resp": {"status_code": 0}})
        );
        assert_eq!(op["parameters"][1]["examples"]["upstream"]["value"], true);
        assert!(op["parameters"][1].get("example").is_none());
        // The project's cases, under one name on every part.
        assert_eq!(
            op["parameters"][0]["examples"]["rate-limited"]["value"],
            "205258526306433"
        );
        let case = &json_media["examples"]["rate-limited"];
        assert_eq!(case["summary"], "Too many requests");
        assert_eq!(case["value"]["base_resp"]["status_code"], 1002);
        assert_eq!(case[HEADERS_KEY], json!({"Trace-Id": "0a1b"}));
        assert!(case.get(STATUS_KEY).is_none());
        // A status matched by a range key records the real status.
        let gateway = &op["responses"]["5XX"]["content"]["application/json"]["examples"]["gateway"];
        assert_eq!(gateway[STATUS_KEY], 503);
        assert_eq!(fired.len(), 2 + 4, "{fired:?}");
    }

    #[test]
    fn an_unknown_operation_is_an_error_naming_the_file() {
        let mut spec = spec();
        let err = attach_files(&mut spec, &[file("retrieveFiles", rate_limited())]).unwrap_err();
        assert_eq!(err.file, "openapi/examples/retrieveFiles.json");
        assert_eq!(err.pointer, "");
        assert!(err.message.contains("retrieveFiles"), "{err}");
    }

    #[test]
    fn an_invalid_value_is_an_error_naming_its_pointer() {
        let mut spec = spec();
        let mut examples = rate_limited();
        examples["rate-limited"]["response"]["body"]["base_resp"]["status_code"] = json!("1002");
        let err = attach_files(&mut spec, &[file("retrieveFile", examples)]).unwrap_err();
        assert_eq!(err.file, "openapi/examples/retrieveFile.json");
        assert_eq!(
            err.pointer,
            "/examples/rate-limited/response/body/base_resp/status_code"
        );
        assert!(err.message.contains("where a integer is expected"), "{err}");

        let mut spec = self::spec();
        let body = json!({"ok": {"summary": "s", "request": {"body": {"file_id": true}}, "response": {"status": 200, "body": {}}}});
        let err = attach_files(&mut spec, &[file("deleteFile", body)]).unwrap_err();
        assert_eq!(err.pointer, "/examples/ok/request/body/file_id");
        assert!(err.message.contains("oneOf"), "{err}");
    }

    #[test]
    fn malformed_cases_are_errors() {
        let cases = [
            (
                json!({"ok": {"summary": "s", "response": {"status": 200, "body": {}}}}),
                "/examples/ok/request",
                "required query parameter",
            ),
            (
                json!({"ok": {"summary": "s", "request": {"query": {"file_id": 1, "group": 2}}, "response": {"status": 200, "body": {}}}}),
                "/examples/ok/request/query/group",
                "no query parameter",
            ),
            (
                json!({"ok": {"summary": "s", "request": {"query": {"file_id": 1}}, "response": {"status": 404, "body": {}}}}),
                "/examples/ok/response/status",
                "no response for HTTP 404",
            ),
            (
                json!({"Bad Name": {"summary": "s"}}),
                "/examples/Bad Name",
                "lowercase",
            ),
            (
                json!({"ok": {"summary": "s", "request": {"query": {"file_id": 1}}, "respone": {}}}),
                "/examples/ok/respone",
                "unknown key",
            ),
        ];
        for (examples, pointer, needle) in cases {
            let mut spec = spec();
            let err = attach_files(&mut spec, &[file("retrieveFile", examples)]).unwrap_err();
            assert_eq!(err.pointer, pointer, "{err}");
            assert!(err.message.contains(needle), "{err}");
        }
    }

    #[test]
    fn errors_about_the_spec_name_the_input_it_came_from_and_others_the_example_file() {
        let input = crate::spec::input::Input {
            name: "international".into(),
            file: "openapi/upstream/international.json".into(),
            precedence: 10,
            region: None,
            doc: json!({}),
            downconversion: Default::default(),
        };
        // The spec has both an `example` and an `examples.upstream`.
        let mut spec = spec();
        let op = &mut spec["paths"]["/v1/files/retrieve"]["get"];
        op["x-minimax-source"] = json!("international");
        op["responses"]["200"]["content"]["application/json"]["examples"] =
            json!({"upstream": {"value": {}}});
        let err = attach(
            &mut spec,
            &Context {
                inputs: std::slice::from_ref(&input),
                examples: &[],
            },
        )
        .unwrap_err();
        assert_eq!(err.file, "openapi/upstream/international.json", "{err}");
        assert_eq!(
            err.pointer,
            "/paths/~1v1~1files~1retrieve/get/responses/200/content/application~1json/examples/upstream"
        );

        // A parameter the rule cannot follow, met while attaching an example file.
        let mut spec = self::spec();
        spec["paths"]["/v1/files/retrieve"]["get"]["parameters"][1] =
            json!({"$ref": "#/components/parameters/Verbose"});
        let err = attach_files(&mut spec, &[file("retrieveFile", rate_limited())]).unwrap_err();
        assert_eq!(err.file, "openapi/examples/retrieveFile.json", "{err}");
        assert_eq!(err.pointer, "/examples/gateway/request");
        assert!(
            err.message
                .contains("/paths/~1v1~1files~1retrieve/get/parameters/1"),
            "{err}"
        );
    }

    #[test]
    fn a_media_type_object_that_is_not_an_object_is_an_error_not_rewritten() {
        let mut spec = spec();
        spec["paths"]["/v1/files/retrieve"]["get"]["responses"]["5XX"]["content"]
            ["application/json"] = json!("oops");
        let err = attach_files(&mut spec, &[file("retrieveFile", rate_limited())]).unwrap_err();
        assert_eq!(
            err.pointer,
            "/paths/~1v1~1files~1retrieve/get/responses/5XX/content/application~1json"
        );
        assert!(err.message.contains("found a string"), "{err}");
        assert_eq!(
            spec["paths"]["/v1/files/retrieve"]["get"]["responses"]["5XX"]["content"]
                ["application/json"],
            "oops"
        );
    }

    #[test]
    fn a_dangling_ref_is_left_to_the_dangling_refs_rule() {
        let doc = json!({});
        let schema = json!({"$ref": "#/components/schemas/Missing"});
        assert!(matches(&doc, &schema, &json!({"any": "value"}), "", 0).is_ok());
    }

    #[test]
    fn null_needs_nullable() {
        let doc = json!({});
        let schema = json!({"type": "object", "properties": {"files": {"type": "array"}}});
        let err = matches(&doc, &schema, &json!({"files": null}), "", 0).unwrap_err();
        assert_eq!(err.0, "/files");
        let nullable = json!({"type": "array", "nullable": true});
        assert!(matches(&doc, &nullable, &Value::Null, "", 0).is_ok());
    }
}
