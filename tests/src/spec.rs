//! `openapi/minimax.json` as the contract tests see it: operations, and for
//! each operation the cases its named examples make up.
//!
//! A **case** is one named response example together with the request
//! examples of the same name (parameters and body), as `cargo xtask
//! generate` attaches them (see `openapi/examples/README.md`). Examples of
//! `text/event-stream` responses are single events: they are validated, not
//! replayed, and listed in [`Operation::stream_examples`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::schema::Validators;

/// Example-object extension with the response headers of a case.
pub const HEADERS_KEY: &str = "x-minimax-example-headers";
/// Example-object extension with the HTTP status of a case under a range key.
pub const STATUS_KEY: &str = "x-minimax-example-status";
/// Example-object extension naming the file of a multipart request.
pub const FILENAME_KEY: &str = "x-minimax-filename";
/// The media type of server-sent events.
pub const EVENT_STREAM: &str = "text/event-stream";

/// The loaded spec and its validators.
pub struct Contract {
    /// The whole document.
    pub doc: Value,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// Problems found while reading the examples (unpaired request
    /// examples, duplicate names, malformed extensions).
    pub problems: Vec<String>,
    validators: Validators,
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId` (camelCase).
    pub id: String,
    /// The method, uppercase.
    pub method: String,
    /// The path template.
    pub path: String,
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// Its `x-minimax-handwritten` reasons.
    pub handwritten: Vec<String>,
    /// Its parameters (operation level, then path level).
    pub parameters: Vec<Parameter>,
    /// Its request body.
    pub request_body: Option<Body>,
    /// Its replayable cases.
    pub cases: Vec<Case>,
    /// Examples of event-stream responses: `(name, schema pointer, value)`.
    pub stream_examples: Vec<(String, String, Value)>,
}

/// A declared parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// `path`, `query` or `header`.
    pub location: String,
    /// Whether it is required.
    pub required: bool,
    /// JSON pointer of its schema.
    pub schema: String,
}

/// A declared request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The media type examples use (`application/json`, else the only one).
    pub media_type: String,
    /// JSON pointer of its schema.
    pub schema: String,
    /// Whether it is required.
    pub required: bool,
}

/// One replayable example: a request and the response it gets.
#[derive(Debug, Clone)]
pub struct Case {
    /// The operation's `operationId`.
    pub operation: String,
    /// The example name.
    pub name: String,
    /// The example's summary.
    pub summary: String,
    /// What the client sends.
    pub request: RequestExample,
    /// What the server answers.
    pub response: ResponseExample,
}

/// The request half of a case.
#[derive(Debug, Clone, Default)]
pub struct RequestExample {
    /// Path parameter values.
    pub path: BTreeMap<String, Value>,
    /// Query parameter values, in declaration order.
    pub query: Vec<(String, Value)>,
    /// Header parameter values.
    pub headers: Vec<(String, Value)>,
    /// The body, if any.
    pub body: Option<Value>,
    /// The file name of a multipart upload.
    pub filename: Option<String>,
}

/// The response half of a case.
#[derive(Debug, Clone)]
pub struct ResponseExample {
    /// The HTTP status.
    pub status: u16,
    /// The response key it is declared under (`200`, `4XX`, `default`).
    pub key: String,
    /// Its media type.
    pub media_type: String,
    /// JSON pointer of the body's schema.
    pub schema: String,
    /// JSON pointer of the Example object.
    pub pointer: String,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// The body (a string for binary media types).
    pub body: Value,
}

impl ResponseExample {
    /// Whether the body is JSON.
    pub fn is_json(&self) -> bool {
        self.media_type == "application/json" || self.media_type.ends_with("+json")
    }

    /// The non-zero `base_resp.status_code` of the body, if any.
    pub fn base_resp_code(&self) -> Option<i64> {
        self.body
            .pointer("/base_resp/status_code")
            .and_then(Value::as_i64)
            .filter(|code| *code != 0)
    }

    /// Whether the case is an error: an HTTP error status, a non-zero
    /// `base_resp`, or an error object.
    pub fn is_error(&self) -> bool {
        self.status >= 400
            || self.base_resp_code().is_some()
            || self.body.get("error").is_some_and(Value::is_object)
    }

    /// Whether the case is an HTTP 2xx whose body reports an error in `base_resp`.
    pub fn is_http_200_error(&self) -> bool {
        (200..300).contains(&self.status) && self.base_resp_code().is_some()
    }

    /// The value of a response header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl Case {
    /// `operationId/name`, for messages.
    pub fn label(&self) -> String {
        format!("{}/{}", self.operation, self.name)
    }
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The contract of the committed `openapi/minimax.json`, loaded once.
pub fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let path = workspace_root().join("openapi/minimax.json");
        let loaded = std::fs::read_to_string(&path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))
            .and_then(|text| {
                serde_json::from_str(&text)
                    .map_err(|err| format!("{} is not JSON: {err}", path.display()))
            })
            .and_then(Contract::from_doc);
        match loaded {
            Ok(contract) => contract,
            Err(err) => panic!("{err}"),
        }
    })
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// Appends an escaped JSON pointer token.
pub fn push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

impl Contract {
    /// Reads the operations and cases of `doc`.
    pub fn from_doc(doc: Value) -> Result<Contract, String> {
        let validators = Validators::new(&doc)?;
        let mut problems = Vec::new();
        let mut operations = Vec::new();
        let empty = Map::new();
        let paths = doc
            .get("paths")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(*method).filter(|op| op.is_object()) else {
                    continue;
                };
                let pointer = push(&push("/paths", path), method);
                operations.push(read_operation(
                    item,
                    op,
                    path,
                    method,
                    pointer,
                    &mut problems,
                ));
            }
        }
        Ok(Contract {
            doc,
            operations,
            problems,
            validators,
        })
    }

    /// The operation with `operation_id`.
    pub fn operation(&self, operation_id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.id == operation_id)
    }

    /// The case `operation_id/name`.
    pub fn case(&self, operation_id: &str, name: &str) -> Option<&Case> {
        self.operation(operation_id)?
            .cases
            .iter()
            .find(|case| case.name == name)
    }

    /// Every case of every operation.
    pub fn cases(&self) -> impl Iterator<Item = &Case> {
        self.operations.iter().flat_map(|op| op.cases.iter())
    }

    /// Every violation of the schema at `pointer` by `value`.
    pub fn schema_errors(&self, pointer: &str, value: &Value) -> Vec<String> {
        self.validators.errors(pointer, value)
    }

    /// The value at `pointer`, following a `$ref` there.
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut current = schema;
        for _ in 0..16 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    match reference
                        .strip_prefix('#')
                        .and_then(|pointer| self.doc.pointer(pointer))
                    {
                        Some(target) => current = target,
                        None => return current,
                    }
                }
                None => return current,
            }
        }
        current
    }

    /// Every schema-level `example` in `components.schemas`: `(schema name, pointer, value)`.
    pub fn component_examples(&self) -> Vec<(String, String, Value)> {
        let mut found = Vec::new();
        if let Some(schemas) = self
            .doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                collect_schema_examples(
                    schema,
                    &push("/components/schemas", name),
                    name,
                    &mut found,
                );
            }
        }
        found
    }
}

fn collect_schema_examples(
    schema: &Value,
    at: &str,
    name: &str,
    found: &mut Vec<(String, String, Value)>,
) {
    let Some(object) = schema.as_object() else {
        return;
    };
    if let Some(example) = object.get("example") {
        found.push((name.to_owned(), at.to_owned(), example.clone()));
    }
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        for (property, child) in properties {
            collect_schema_examples(
                child,
                &push(&format!("{at}/properties"), property),
                name,
                found,
            );
        }
    }
    if let Some(items) = object.get("items") {
        collect_schema_examples(items, &format!("{at}/items"), name, found);
    }
}

fn named_examples(holder: &Value) -> Vec<(&String, &Value)> {
    holder
        .get("examples")
        .and_then(Value::as_object)
        .map(|examples| examples.iter().collect())
        .unwrap_or_default()
}

fn read_operation(
    item: &Value,
    op: &Value,
    path: &str,
    method: &str,
    pointer: String,
    problems: &mut Vec<String>,
) -> Operation {
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let handwritten = op
        .get("x-minimax-handwritten")
        .and_then(Value::as_array)
        .map(|reasons| {
            reasons
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();

    // Parameters, with the request examples each holds.
    let mut parameters = Vec::new();
    let mut request_parts: BTreeMap<String, RequestExample> = BTreeMap::new();
    let item_pointer = push("/paths", path);
    for (holder, holder_at) in [(op, pointer.as_str()), (item, item_pointer.as_str())] {
        let Some(list) = holder.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        for (index, parameter) in list.iter().enumerate() {
            let name = parameter["name"].as_str().unwrap_or_default().to_owned();
            let location = parameter["in"].as_str().unwrap_or_default().to_owned();
            if parameters
                .iter()
                .any(|p: &Parameter| p.name == name && p.location == location)
            {
                continue;
            }
            let at = format!("{holder_at}/parameters/{index}");
            for (example_name, example) in named_examples(parameter) {
                let value = example.get("value").cloned().unwrap_or(Value::Null);
                let part = request_parts.entry(example_name.clone()).or_default();
                match location.as_str() {
                    "path" => {
                        part.path.insert(name.clone(), value);
                    }
                    "query" => part.query.push((name.clone(), value)),
                    "header" => part.headers.push((name.clone(), value)),
                    other => problems.push(format!(
                        "{id}: parameter {name} is in {other:?}, which the harness does not replay"
                    )),
                }
            }
            parameters.push(Parameter {
                required: parameter
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(location == "path"),
                name,
                location,
                schema: format!("{at}/schema"),
            });
        }
    }

    // The request body and its examples.
    let request_body = op.get("requestBody").and_then(|body| {
        let content = body.get("content").and_then(Value::as_object)?;
        let media_type = if content.contains_key("application/json") {
            "application/json".to_owned()
        } else if content.len() == 1 {
            content.keys().next().cloned()?
        } else {
            return None;
        };
        let media_at = push(&format!("{pointer}/requestBody/content"), &media_type);
        for (example_name, example) in named_examples(&content[&media_type]) {
            let part = request_parts.entry(example_name.clone()).or_default();
            part.body = Some(example.get("value").cloned().unwrap_or(Value::Null));
            part.filename = example
                .get(FILENAME_KEY)
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        Some(Body {
            media_type,
            schema: format!("{media_at}/schema"),
            required: body
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    });

    // Responses: one case per named example of a non-stream media type.
    let mut cases = Vec::new();
    let mut stream_examples = Vec::new();
    let mut used_names: Vec<String> = Vec::new();
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        for (key, response) in responses {
            let Some(content) = response.get("content").and_then(Value::as_object) else {
                continue;
            };
            let response_at = push(&format!("{pointer}/responses"), key);
            for (media_type, media) in content {
                let media_at = push(&format!("{response_at}/content"), media_type);
                let schema = format!("{media_at}/schema");
                for (name, example) in named_examples(media) {
                    let value = example.get("value").cloned().unwrap_or(Value::Null);
                    if media_type == EVENT_STREAM {
                        stream_examples.push((name.clone(), schema.clone(), value));
                        continue;
                    }
                    if used_names.contains(name) {
                        problems.push(format!(
                            "{id}: two response examples are named {name:?}; a name must pick one response"
                        ));
                        continue;
                    }
                    used_names.push(name.clone());
                    let status = example
                        .get(STATUS_KEY)
                        .and_then(Value::as_u64)
                        .and_then(|status| u16::try_from(status).ok())
                        .or_else(|| key.parse().ok());
                    let Some(status) = status else {
                        problems.push(format!(
                            "{id}/{name}: the response key {key} is a range and the example has no {STATUS_KEY}"
                        ));
                        continue;
                    };
                    let headers = example
                        .get(HEADERS_KEY)
                        .and_then(Value::as_object)
                        .map(|headers| {
                            headers
                                .iter()
                                .map(|(k, v)| {
                                    (k.clone(), v.as_str().unwrap_or_default().to_owned())
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let request = request_parts.get(name).cloned().unwrap_or_default();
                    cases.push(Case {
                        operation: id.clone(),
                        name: name.clone(),
                        summary: example
                            .get("summary")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        request,
                        response: ResponseExample {
                            status,
                            key: key.clone(),
                            media_type: media_type.clone(),
                            schema: schema.clone(),
                            pointer: push(&format!("{media_at}/examples"), name),
                            headers,
                            body: value,
                        },
                    });
                }
            }
        }
    }
    for name in request_parts.keys() {
        if !used_names.contains(name) {
            problems.push(format!(
                "{id}: request example {name:?} has no response example of the same name"
            ));
        }
    }
    Operation {
        id,
        method: method.to_uppercase(),
        path: path.to_owned(),
        pointer,
        handwritten,
        parameters,
        request_body,
        cases,
        stream_examples,
    }
}
