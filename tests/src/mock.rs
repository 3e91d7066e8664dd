//! The local mock server: an httpmock mock that answers a case's response
//! only to exactly the request the case describes.
//!
//! The request check ([`Expectation::problems`]) is httpmock's custom
//! matcher: method, path, the exact set of query parameters, `Authorization:
//! Bearer <key>`, the content type, and a body that validates against the
//! operation's request schema and equals the example's body (after
//! [`crate::compare::normalize`]). Every request the server saw is recorded
//! with what was wrong with it, so a mismatch fails with a precise message
//! instead of httpmock's 404.

use std::sync::{Arc, Mutex};

use httpmock::{HttpMockRequest, Mock, MockServer};
use serde_json::Value;

use crate::compare::{differences, normalize};
use crate::spec::{contract, Case, Contract, Operation};

/// The API key every replay sends (not a real key).
pub const TEST_KEY: &str = "test-key-contract-0000";

/// What the body of the expected request must be.
#[derive(Debug, Clone)]
pub enum ExpectedBody {
    /// No body.
    None,
    /// A JSON body valid against the schema at `schema`, equal to `value`.
    Json {
        /// JSON pointer of the request body schema.
        schema: String,
        /// The example body.
        value: Value,
    },
    /// A `multipart/form-data` body with these text fields and one file.
    Multipart {
        /// JSON pointer of the request body schema.
        schema: String,
        /// The example body (fields; the file's contents under its field name).
        value: Value,
        /// The name of the file field.
        file_field: String,
        /// The file name the part must carry.
        filename: Option<String>,
    },
}

/// The request a case expects.
#[derive(Debug, Clone)]
pub struct Expectation {
    /// The case, for messages.
    pub label: String,
    /// Uppercase method.
    pub method: String,
    /// The path, parameters substituted.
    pub path: String,
    /// Every query parameter, sorted.
    pub query: Vec<(String, String)>,
    /// The body.
    pub body: ExpectedBody,
}

/// A parameter value as it appears in a URL.
pub fn render(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl Expectation {
    /// The request `case` of `op` describes, plus `extra_query` (the legacy
    /// `GroupId` when the SDK is configured with one).
    pub fn new(op: &Operation, case: &Case, extra_query: &[(String, String)]) -> Expectation {
        let mut path = op.path.clone();
        for (name, value) in &case.request.path {
            path = path.replace(&format!("{{{name}}}"), &render(value));
        }
        let mut query: Vec<(String, String)> = case
            .request
            .query
            .iter()
            .map(|(name, value)| (name.clone(), render(value)))
            .chain(extra_query.iter().cloned())
            .collect();
        query.sort();
        let body = match (&op.request_body, &case.request.body) {
            (Some(body), Some(value)) if body.media_type.starts_with("multipart/") => {
                let schema = contract()
                    .resolve(contract().doc.pointer(&body.schema).unwrap_or(&Value::Null));
                let file_field = schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .and_then(|properties| {
                        properties.iter().find(|(_, property)| {
                            property.get("format").and_then(Value::as_str) == Some("binary")
                        })
                    })
                    .map(|(name, _)| name.clone())
                    .unwrap_or_else(|| "file".to_owned());
                ExpectedBody::Multipart {
                    schema: body.schema.clone(),
                    value: value.clone(),
                    file_field,
                    filename: case.request.filename.clone(),
                }
            }
            (Some(body), Some(value)) => ExpectedBody::Json {
                schema: body.schema.clone(),
                value: value.clone(),
            },
            _ => ExpectedBody::None,
        };
        Expectation {
            label: case.label(),
            method: op.method.clone(),
            path,
            query,
            body,
        }
    }

    /// What is wrong with `request`; empty when it is exactly the expected request.
    pub fn problems(&self, contract: &Contract, request: &HttpMockRequest) -> Vec<String> {
        let mut problems = Vec::new();
        if request.method_str() != self.method {
            problems.push(format!(
                "method {} instead of {}",
                request.method_str(),
                self.method
            ));
        }
        let uri = request.uri();
        if uri.path() != self.path {
            problems.push(format!("path {} instead of {}", uri.path(), self.path));
        }
        let mut query = request.query_params();
        query.sort();
        if query != self.query {
            problems.push(format!("query {query:?} instead of {:?}", self.query));
        }
        let header = |name: &str| {
            request
                .headers_vec()
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.clone())
        };
        let wanted_auth = format!("Bearer {TEST_KEY}");
        if header("authorization").as_deref() != Some(wanted_auth.as_str()) {
            problems.push(format!(
                "Authorization header {:?} instead of {wanted_auth:?}",
                header("authorization")
            ));
        }
        let content_type = header("content-type").unwrap_or_default();
        let body = request.body_ref();
        match &self.body {
            ExpectedBody::None => {
                if !body.is_empty() {
                    problems.push(format!("a {}-byte body where none is expected", body.len()));
                }
            }
            ExpectedBody::Json { schema, value } => {
                if !content_type.starts_with("application/json") {
                    problems.push(format!(
                        "content type {content_type:?} instead of application/json"
                    ));
                }
                match serde_json::from_slice::<Value>(body) {
                    Ok(sent) => check_body(contract, schema, value, &sent, &mut problems),
                    Err(err) => problems.push(format!("the body is not JSON: {err}")),
                }
            }
            ExpectedBody::Multipart {
                schema,
                value,
                file_field,
                filename,
            } => match multipart_parts(&content_type, body) {
                Err(err) => problems.push(err),
                Ok(parts) => {
                    let mut sent = serde_json::Map::new();
                    for part in &parts {
                        sent.insert(
                            part.name.clone(),
                            Value::String(String::from_utf8_lossy(&part.contents).into_owned()),
                        );
                        if part.name == *file_field && part.filename != *filename {
                            problems.push(format!(
                                "file name {:?} instead of {filename:?}",
                                part.filename
                            ));
                        }
                    }
                    if !parts.iter().any(|part| part.name == *file_field) {
                        problems.push(format!("no {file_field:?} part"));
                    }
                    check_body(contract, schema, value, &Value::Object(sent), &mut problems);
                }
            },
        }
        problems
    }
}

fn check_body(
    contract: &Contract,
    schema: &str,
    expected: &Value,
    sent: &Value,
    problems: &mut Vec<String>,
) {
    for error in contract.schema_errors(schema, sent) {
        problems.push(format!("the body violates the request schema at {error}"));
    }
    let schema_value = contract.doc.pointer(schema).unwrap_or(&Value::Null);
    let expected = normalize(contract, schema_value, expected);
    let sent = normalize(contract, schema_value, sent);
    for difference in differences(&expected, &sent) {
        problems.push(format!("body differs from the example at {difference}"));
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
pub struct Part {
    /// The field name.
    pub name: String,
    /// The file name, for a file part.
    pub filename: Option<String>,
    /// The contents.
    pub contents: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len().max(1))
        .position(|window| window == needle)
}

fn disposition_value(line: &str, key: &str) -> Option<String> {
    let marker = format!("{key}=\"");
    let start = line.find(&marker)? + marker.len();
    let end = start + line[start..].find('"')?;
    Some(line[start..end].to_owned())
}

/// Splits a `multipart/form-data` body into its parts.
pub fn multipart_parts(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    if !content_type.starts_with("multipart/form-data") {
        return Err(format!(
            "content type {content_type:?} instead of multipart/form-data"
        ));
    }
    let boundary = content_type
        .split(';')
        .filter_map(|param| param.trim().strip_prefix("boundary="))
        .next()
        .map(|boundary| boundary.trim_matches('"').to_owned())
        .ok_or_else(|| format!("no boundary in {content_type:?}"))?;
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    let start = find(rest, delimiter.as_bytes()).ok_or("no multipart delimiter in the body")?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("malformed multipart delimiter")?;
        let head_end = find(rest, b"\r\n\r\n").ok_or("a multipart part without headers")?;
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        rest = &rest[head_end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes())
            .ok_or("a multipart part without a closing delimiter")?;
        let contents = rest[..end].to_vec();
        rest = &rest[end + 2 + delimiter.len()..];
        let disposition = head
            .lines()
            .find(|line| {
                line.to_ascii_lowercase()
                    .starts_with("content-disposition:")
            })
            .ok_or("a multipart part without Content-Disposition")?;
        parts.push(Part {
            name: disposition_value(disposition, "name")
                .ok_or("a multipart part without a name")?,
            filename: disposition_value(disposition, "filename"),
            contents,
        });
    }
}

/// Every request the mock saw and what was wrong with it.
pub type RequestLog = Arc<Mutex<Vec<(String, Vec<String>)>>>;

/// Installs on `server` a mock that answers `case`'s response to exactly
/// `expected`; the requests it sees are recorded in the returned log.
pub async fn serve<'a>(
    server: &'a MockServer,
    case: &Case,
    expected: Expectation,
) -> (Mock<'a>, RequestLog) {
    let log: RequestLog = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&log);
    let expected = Arc::new(expected);
    let path = expected.path.clone();
    let response = &case.response;
    let body: Vec<u8> = match (&response.body, response.is_json()) {
        (Value::String(text), false) => text.as_bytes().to_vec(),
        (value, _) => serde_json::to_vec(value).unwrap_or_default(),
    };
    let media_type = response.media_type.clone();
    let status = response.status;
    let headers = response.headers.clone();
    let mock = server
        .mock_async(move |when, then| {
            let when = when.path(path).is_true(move |request: &HttpMockRequest| {
                let problems = expected.problems(contract(), request);
                if let Ok(mut log) = recorder.lock() {
                    let seen = format!("{} {}", request.method_str(), request.uri());
                    if !log.iter().any(|(other, _)| *other == seen) {
                        log.push((seen, problems.clone()));
                    }
                }
                problems.is_empty()
            });
            let _ = when;
            let mut then = then.status(status).header("content-type", media_type);
            for (name, value) in headers {
                then = then.header(name, value);
            }
            then.body(body);
        })
        .await;
    (mock, log)
}

/// Why the mock did not answer exactly one matching request; `None` when it did.
pub async fn verify(mock: &Mock<'_>, log: &RequestLog) -> Option<String> {
    let hits = mock.calls_async().await;
    if hits == 1 {
        return None;
    }
    let seen = log.lock().map(|log| log.clone()).unwrap_or_default();
    if seen.is_empty() {
        return Some(format!(
            "the client sent no request the mock could see (matched {hits})"
        ));
    }
    let detail = seen
        .iter()
        .map(|(request, problems)| {
            if problems.is_empty() {
                format!("{request}: matched")
            } else {
                format!("{request}: {}", problems.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join("\n    ");
    Some(format!(
        "the mock matched {hits} request(s), expected exactly 1:\n    {detail}"
    ))
}
