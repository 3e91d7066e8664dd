//! Flattening a (down-converted) document into the things the rules compare:
//! operations keyed by method and path, their effective parameters, request
//! bodies and responses, with local `$ref`s followed.
//!
//! Nothing here panics on a malformed document: a value of the wrong JSON
//! type is treated as absent, and a `$ref` that resolves to nothing is
//! returned as [`Deref::Dangling`] for the rules to report.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};
use spec_compat::pointer;

use crate::error::{DiffError, Side};

/// The HTTP methods a path item can hold, in the order OpenAPI lists them.
pub(crate) use spec_compat::METHODS;

/// How many `$ref` hops are followed before a chain is taken as a cycle.
const MAX_HOPS: usize = 64;

/// One document, down-converted, with the caches the rules share.
pub(crate) struct Doc<'a> {
    /// The whole document.
    pub root: &'a Value,
    /// Which side of the diff it is.
    pub side: Side,
    /// Structural fingerprints, keyed by node address and mode
    /// (see [`crate::fingerprint`]).
    pub fingerprints: RefCell<HashMap<(usize, u8), u64>>,
}

/// The outcome of following a `$ref` chain.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Deref<'a> {
    /// The node the chain ends at (the input itself when it is no `$ref`).
    Node(&'a Value),
    /// The chain reaches a `$ref` that resolves to nothing (or loops).
    Dangling(&'a str),
}

impl<'a> Deref<'a> {
    /// The unresolvable reference, when dangling.
    pub(crate) fn dangling(self) -> Option<&'a str> {
        match self {
            Deref::Node(_) => None,
            Deref::Dangling(reference) => Some(reference),
        }
    }
}

impl<'a> Doc<'a> {
    pub(crate) fn new(root: &'a Value, side: Side) -> Doc<'a> {
        Doc {
            root,
            side,
            fingerprints: RefCell::new(HashMap::new()),
        }
    }

    /// Resolves one local reference (`#/components/schemas/X`). Remote
    /// references (other files, URLs) resolve to nothing.
    pub(crate) fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let fragment = reference.strip_prefix('#')?;
        if fragment.is_empty() {
            return Some(self.root);
        }
        if !fragment.starts_with('/') {
            return None;
        }
        self.root.pointer(&percent_decode(fragment))
    }

    /// Follows `value`'s `$ref` chain to its end.
    pub(crate) fn deref(&self, value: &'a Value) -> Deref<'a> {
        let mut node = value;
        for _ in 0..MAX_HOPS {
            match ref_of(node) {
                None => return Deref::Node(node),
                Some(reference) => match self.resolve(reference) {
                    Some(target) => node = target,
                    None => return Deref::Dangling(reference),
                },
            }
        }
        Deref::Dangling(ref_of(node).unwrap_or("$ref cycle"))
    }

    /// [`Doc::deref`], or `None` when dangling.
    pub(crate) fn deref_node(&self, value: &'a Value) -> Option<&'a Value> {
        match self.deref(value) {
            Deref::Node(node) => Some(node),
            Deref::Dangling(_) => None,
        }
    }
}

/// The `$ref` string of an object, if it has one.
pub(crate) fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// Decodes `%XX` escapes (JSON references are URI fragments).
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[index + 1..index + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            if let Some(byte) = hex {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One operation of a document.
pub(crate) struct Operation<'a> {
    /// Upper-case method.
    pub method: String,
    /// The path template as written.
    pub path: &'a str,
    /// The path with parameter names erased (`/files/{}`), used to match
    /// operations whose path parameters were renamed.
    pub template: String,
    /// `/paths/<path>/<method>`.
    pub pointer: String,
    /// `/paths/<path>`.
    pub item_pointer: String,
    /// The operation object.
    pub node: &'a Map<String, Value>,
    /// The path item holding it.
    pub item: &'a Map<String, Value>,
}

impl Operation<'_> {
    /// `"METHOD /path"`.
    pub(crate) fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Whether the operation is marked deprecated.
    pub(crate) fn deprecated(&self) -> bool {
        self.node.get("deprecated").and_then(Value::as_bool) == Some(true)
    }

    /// The operationId, if any.
    pub(crate) fn operation_id(&self) -> Option<&str> {
        self.node.get("operationId").and_then(Value::as_str)
    }
}

/// Every operation in `doc`, in path then method order.
pub(crate) fn operations<'a>(doc: &Doc<'a>) -> Result<Vec<Operation<'a>>, DiffError> {
    let paths = match doc.root.get("paths") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(paths)) => paths,
        Some(_) => {
            return Err(DiffError::Malformed {
                side: doc.side,
                pointer: "/paths".into(),
                detail: "`paths` must be an object".into(),
            })
        }
    };
    let mut operations = Vec::new();
    let mut sorted: Vec<(&String, &Value)> = paths.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (path, item) in sorted {
        let item_pointer = pointer::push("/paths", path);
        let Some(item) = doc.deref_node(item).and_then(Value::as_object) else {
            continue;
        };
        for method in METHODS {
            let Some(node) = item.get(*method).and_then(Value::as_object) else {
                continue;
            };
            operations.push(Operation {
                method: method.to_ascii_uppercase(),
                path,
                template: template(path),
                pointer: pointer::push(&item_pointer, method),
                item_pointer: item_pointer.clone(),
                node,
                item,
            });
        }
    }
    Ok(operations)
}

/// `/files/{file_id}/content` → `/files/{}/content`.
pub(crate) fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_brace = false;
    for ch in path.chars() {
        match ch {
            '{' => {
                in_brace = true;
                out.push('{');
            }
            '}' if in_brace => {
                in_brace = false;
                out.push('}');
            }
            _ if in_brace => {}
            _ => out.push(ch),
        }
    }
    out
}

/// The parameter names of a path template, in order:
/// `/files/{file_id}/x/{y}` → `["file_id", "y"]`.
pub(crate) fn path_parameter_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            break;
        };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

/// One effective parameter of an operation (operation-level parameters
/// override path-level ones with the same name and location).
pub(crate) struct Param<'a> {
    /// The `name` as written.
    pub name: &'a str,
    /// `query`, `header`, `path` or `cookie`.
    pub location: &'a str,
    /// The parameter object (after `$ref`s).
    pub node: &'a Value,
    /// Where the parameter is listed.
    pub pointer: String,
    /// Path parameters are always required.
    pub required: bool,
    /// The schema (`schema`, or the first `content` entry's schema) and its
    /// pointer.
    pub schema: Option<(&'a Value, String)>,
}

impl Param<'_> {
    /// `"query parameter `limit`"`.
    pub(crate) fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }
}

/// A parameter slot: `(location, name)`, header names lower-cased.
pub(crate) type ParamKey = (String, String);

/// The effective parameters of `operation`, and the `$ref`s among them
/// that resolve to nothing (with their pointers).
pub(crate) fn parameters<'a>(
    doc: &Doc<'a>,
    operation: &Operation<'a>,
) -> (BTreeMap<ParamKey, Param<'a>>, Vec<(&'a str, String)>) {
    let mut params = BTreeMap::new();
    let mut dangling = Vec::new();
    let lists = [
        (
            operation.item.get("parameters"),
            format!("{}/parameters", operation.item_pointer),
        ),
        (
            operation.node.get("parameters"),
            format!("{}/parameters", operation.pointer),
        ),
    ];
    for (list, list_pointer) in lists {
        let Some(list) = list.and_then(Value::as_array) else {
            continue;
        };
        for (index, entry) in list.iter().enumerate() {
            let at = format!("{list_pointer}/{index}");
            let node = match doc.deref(entry) {
                Deref::Node(node) => node,
                Deref::Dangling(reference) => {
                    dangling.push((reference, at));
                    continue;
                }
            };
            let (Some(name), Some(location)) = (
                node.get("name").and_then(Value::as_str),
                node.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            if location == "header"
                && ["accept", "content-type", "authorization"]
                    .contains(&name.to_ascii_lowercase().as_str())
            {
                // OpenAPI: such header parameters are ignored.
                continue;
            }
            let key_name = if location == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_owned()
            };
            let required =
                location == "path" || node.get("required").and_then(Value::as_bool) == Some(true);
            let schema = match node.get("schema") {
                Some(schema) => Some((schema, format!("{at}/schema"))),
                None => first_media_schema(node).map(|(media_type, schema)| {
                    (
                        schema,
                        format!(
                            "{}/schema",
                            pointer::push(&format!("{at}/content"), media_type)
                        ),
                    )
                }),
            };
            params.insert(
                (location.to_owned(), key_name),
                Param {
                    name,
                    location,
                    node,
                    pointer: at,
                    required,
                    schema,
                },
            );
        }
    }
    (params, dangling)
}

fn first_media_schema(holder: &Value) -> Option<(&String, &Value)> {
    let content = holder.get("content")?.as_object()?;
    let mut entries: Vec<(&String, &Value)> = content.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
        .into_iter()
        .find_map(|(media_type, media)| media.get("schema").map(|schema| (media_type, schema)))
}

/// The media types of a `content` map, keyed by their normalised name
/// (lower case, parameters such as `; charset=utf-8` removed).
pub(crate) fn media_types(holder: &Value) -> BTreeMap<String, (&String, &Value)> {
    let mut out = BTreeMap::new();
    if let Some(content) = holder.get("content").and_then(Value::as_object) {
        for (name, media) in content {
            let key = name
                .split(';')
                .next()
                .unwrap_or(name)
                .trim()
                .to_ascii_lowercase();
            out.entry(key).or_insert((name, media));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_resolve_follow_chains_and_report_dangling_and_cycles() {
        let root = json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "Loop": {"$ref": "#/components/schemas/Loop"},
                "a/b": {"type": "integer"},
                "x y": {"type": "boolean"}
            }}
        });
        let doc = Doc::new(&root, Side::New);
        let a = json!({"$ref": "#/components/schemas/A"});
        assert!(matches!(doc.deref(&a), Deref::Node(node) if node["type"] == "string"));
        let missing = json!({"$ref": "#/components/schemas/Missing"});
        assert!(
            matches!(doc.deref(&missing), Deref::Dangling(r) if r == "#/components/schemas/Missing")
        );
        let looped = json!({"$ref": "#/components/schemas/Loop"});
        assert!(matches!(doc.deref(&looped), Deref::Dangling(_)));
        assert_eq!(
            doc.resolve("#/components/schemas/a~1b")
                .map(|v| v["type"].clone()),
            Some(json!("integer"))
        );
        assert_eq!(
            doc.resolve("#/components/schemas/x%20y")
                .map(|v| v["type"].clone()),
            Some(json!("boolean"))
        );
        assert!(doc.resolve("other.json#/x").is_none());
        assert!(doc.resolve("#/components/schemas/%").is_none());
    }

    #[test]
    fn templates_erase_parameter_names() {
        assert_eq!(template("/v1/files/{file_id}/x/{y}"), "/v1/files/{}/x/{}");
        assert_eq!(template("/plain"), "/plain");
        assert_eq!(
            path_parameter_names("/v1/files/{file_id}/x/{y}"),
            ["file_id", "y"]
        );
        assert!(path_parameter_names("/plain/{open").is_empty());
    }

    #[test]
    fn parameters_merge_path_level_and_skip_reserved_headers() {
        let root = json!({
            "openapi": "3.0.3",
            "paths": {"/x/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}},
                               {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "get": {"parameters": [
                    {"name": "q", "in": "query", "required": true, "schema": {"type": "integer"}},
                    {"name": "Accept", "in": "header", "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/Nope"}
                ], "responses": {}}
            }}
        });
        let doc = Doc::new(&root, Side::Old);
        let ops = operations(&doc).unwrap();
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].label(), "GET /x/{id}");
        let (params, dangling) = parameters(&doc, &ops[0]);
        assert_eq!(params.len(), 2);
        let q = &params[&("query".to_owned(), "q".to_owned())];
        assert!(q.required);
        assert_eq!(q.pointer, "/paths/~1x~1{id}/get/parameters/0");
        assert!(params[&("path".to_owned(), "id".to_owned())].required);
        assert_eq!(dangling.len(), 1);
    }

    #[test]
    fn non_object_paths_are_errors_and_odd_entries_are_skipped() {
        let root = json!({"paths": []});
        assert!(operations(&Doc::new(&root, Side::New)).is_err());
        let root = json!({"paths": {"/a": 3, "/b": {"get": "nope", "post": {}}}});
        let ops = operations(&Doc::new(&root, Side::New)).unwrap();
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].label(), "POST /b");
    }
}
