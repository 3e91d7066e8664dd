//! OpenAPI 3.1 (and 3.2) → 3.0.3 down-conversion on the raw JSON value.
//!
//! `openapiv3` rejects type arrays and numeric `exclusiveMinimum`, and
//! progenitor rejects any version but 3.0.x and panics on `type: null`, so
//! every 3.1 construct is rewritten here before either sees the document.
//! Only schema positions are rewritten: `examples` in a media type or
//! parameter is a valid 3.0 map of Example objects and stays as it is, and
//! `summary`/`description` beside a `$ref` outside schemas (allowed by 3.1,
//! ignored by 3.0 tools) are kept so nothing is lost.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Map, Value};

use crate::pointer;

/// What [`downconvert`] changed: how many times each construct was rewritten,
/// and where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Downconversion {
    changes: Vec<(&'static str, String)>,
}

impl Downconversion {
    fn record(&mut self, construct: &'static str, at: &str) {
        self.changes.push((construct, at.to_owned()));
    }

    /// How many times `construct` was rewritten.
    pub fn count(&self, construct: &str) -> usize {
        self.changes
            .iter()
            .filter(|(name, _)| *name == construct)
            .count()
    }

    /// Counts per construct, in name order.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for (name, _) in &self.changes {
            *counts.entry(*name).or_insert(0) += 1;
        }
        counts
    }

    /// Every change as `(construct, JSON pointer)`, in document order.
    pub fn changes(&self) -> &[(&'static str, String)] {
        &self.changes
    }

    /// Total number of rewrites.
    pub fn total(&self) -> usize {
        self.changes.len()
    }
}

/// The document is not an OpenAPI 3.x document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    origin: String,
    detail: String,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.detail)
    }
}

impl std::error::Error for ConvertError {}

/// The constructs [`downconvert`] rewrites, with the name each is counted under.
pub const CONSTRUCTS: &[(&str, &str)] = &[
    ("version", "`openapi: 3.1.x` or `3.2.x` → `3.0.3`"),
    ("type-array-null", "`type: [T, \"null\"]` → `type: T, nullable: true`"),
    ("type-array-multi", "`type: [A, B]` → `anyOf: [{type: A}, {type: B}]`"),
    ("null-branch", "`anyOf`/`oneOf` branch `{type: \"null\"}` → `nullable: true`"),
    ("exclusive-bound", "numeric `exclusiveMinimum`/`exclusiveMaximum` → bound + boolean"),
    ("const", "`const: v` → `enum: [v]`"),
    ("schema-examples", "schema `examples: [..]` → `example`"),
    ("ref-siblings", "`$ref` with constraint siblings → `allOf: [{$ref}]` + siblings"),
    ("content-encoding", "`contentEncoding`/`contentMediaType` → `format: byte|binary`"),
    ("json-schema-keywords", "`$schema`, `$id`, `$comment`, `$anchor` in schemas dropped"),
    ("boolean-schema", "boolean schema `true` → `{}`, `false` → `{not: {}}`"),
    ("dropped-3.1-only", "`webhooks`, `jsonSchemaDialect`, `components.pathItems`, `info.summary`, `license.identifier` dropped"),
];

/// Rewrites `doc` from OpenAPI 3.1/3.2 into OpenAPI 3.0.3 in place. A 3.0.x
/// document passes through unchanged (its version string is kept).
/// `origin` names the document in errors.
pub fn downconvert(doc: &mut Value, origin: &str) -> Result<Downconversion, ConvertError> {
    let mut report = Downconversion::default();
    let version = match doc.get("openapi").and_then(Value::as_str) {
        Some(version) => version.trim().to_owned(),
        None => {
            let detail = if doc.get("swagger").is_some() {
                "Swagger 2.0 documents are not supported; convert to OpenAPI 3 first".to_owned()
            } else {
                "missing `openapi` version field at /openapi".to_owned()
            };
            return Err(ConvertError {
                origin: origin.to_owned(),
                detail,
            });
        }
    };
    if version.starts_with("3.1") || version.starts_with("3.2") {
        doc["openapi"] = json!("3.0.3");
        report.record("version", "/openapi");
    } else if !version.starts_with("3.0") {
        return Err(ConvertError {
            origin: origin.to_owned(),
            detail: format!(
                "unsupported OpenAPI version {version:?} at /openapi (expected 3.0, 3.1 or 3.2)"
            ),
        });
    }

    let Some(root) = doc.as_object_mut() else {
        return Ok(report);
    };
    for key in ["webhooks", "jsonSchemaDialect"] {
        if root.remove(key).is_some() {
            report.record("dropped-3.1-only", &pointer::push("", key));
        }
    }
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if info.remove("summary").is_some() {
            report.record("dropped-3.1-only", "/info/summary");
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            if license.remove("identifier").is_some() {
                report.record("dropped-3.1-only", "/info/license/identifier");
            }
        }
    }

    let mut walker = Walker { report };
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            walker.path_item(item, &pointer::push("/paths", path));
        }
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        if components.remove("pathItems").is_some() {
            walker
                .report
                .record("dropped-3.1-only", "/components/pathItems");
        }
        walker.components(components);
    }
    Ok(walker.report)
}

struct Walker {
    report: Downconversion,
}

/// The HTTP methods an OpenAPI path item may hold, in the order the
/// specification lists them (every crate that walks operations uses this).
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Walker {
    fn components(&mut self, components: &mut Map<String, Value>) {
        let at = "/components";
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            for (name, schema) in schemas.iter_mut() {
                self.schema(schema, &pointer::join(["components", "schemas", name]));
            }
        }
        if let Some(parameters) = components
            .get_mut("parameters")
            .and_then(Value::as_object_mut)
        {
            for (name, parameter) in parameters.iter_mut() {
                self.parameter(
                    parameter,
                    &format!("{at}/parameters/{}", pointer::escape(name)),
                );
            }
        }
        if let Some(headers) = components.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, header) in headers.iter_mut() {
                self.parameter(header, &format!("{at}/headers/{}", pointer::escape(name)));
            }
        }
        if let Some(bodies) = components
            .get_mut("requestBodies")
            .and_then(Value::as_object_mut)
        {
            for (name, body) in bodies.iter_mut() {
                self.content_holder(
                    body,
                    &format!("{at}/requestBodies/{}", pointer::escape(name)),
                );
            }
        }
        if let Some(responses) = components
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        {
            for (name, response) in responses.iter_mut() {
                self.response(
                    response,
                    &format!("{at}/responses/{}", pointer::escape(name)),
                );
            }
        }
        if let Some(callbacks) = components
            .get_mut("callbacks")
            .and_then(Value::as_object_mut)
        {
            for (name, callback) in callbacks.iter_mut() {
                self.callback(
                    callback,
                    &format!("{at}/callbacks/{}", pointer::escape(name)),
                );
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        if let Some(parameters) = item.get_mut("parameters").and_then(Value::as_array_mut) {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &format!("{at}/parameters/{index}"));
            }
        }
        for method in METHODS {
            if let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) {
                self.operation(operation, &pointer::push(at, method));
            }
        }
    }

    fn operation(&mut self, operation: &mut Map<String, Value>, at: &str) {
        if let Some(parameters) = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
        {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &format!("{at}/parameters/{index}"));
            }
        }
        if let Some(body) = operation.get_mut("requestBody") {
            self.content_holder(body, &format!("{at}/requestBody"));
        }
        if let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        {
            for (status, response) in responses.iter_mut() {
                self.response(response, &pointer::push(&format!("{at}/responses"), status));
            }
        }
        if let Some(callbacks) = operation
            .get_mut("callbacks")
            .and_then(Value::as_object_mut)
        {
            for (name, callback) in callbacks.iter_mut() {
                self.callback(callback, &pointer::push(&format!("{at}/callbacks"), name));
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, at: &str) {
        let Some(callback) = callback.as_object_mut() else {
            return;
        };
        for (expression, item) in callback.iter_mut() {
            self.path_item(item, &pointer::push(at, expression));
        }
    }

    fn parameter(&mut self, parameter: &mut Value, at: &str) {
        let Some(parameter) = parameter.as_object_mut() else {
            return;
        };
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &format!("{at}/schema"));
        }
        self.content_map(parameter, at);
    }

    fn response(&mut self, response: &mut Value, at: &str) {
        let Some(response) = response.as_object_mut() else {
            return;
        };
        if let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, header) in headers.iter_mut() {
                self.parameter(header, &pointer::push(&format!("{at}/headers"), name));
            }
        }
        self.content_map(response, at);
    }

    fn content_holder(&mut self, holder: &mut Value, at: &str) {
        let Some(holder) = holder.as_object_mut() else {
            return;
        };
        self.content_map(holder, at);
    }

    fn content_map(&mut self, holder: &mut Map<String, Value>, at: &str) {
        let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            let media_at = pointer::push(&format!("{at}/content"), media_type);
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &format!("{media_at}/schema"));
            }
        }
    }

    fn schema(&mut self, schema: &mut Value, at: &str) {
        // JSON Schema's boolean schemas (3.1): `true` accepts anything,
        // `false` nothing. OpenAPI 3.0 only knows schema objects.
        if let Value::Bool(accepts) = *schema {
            *schema = if accepts {
                json!({})
            } else {
                json!({"not": {}})
            };
            self.report.record("boolean-schema", at);
            return;
        }
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        self.json_schema_keywords(object, at);
        self.type_array(object, at);
        self.null_branches(object, at);
        self.exclusive_bounds(object, at);
        self.constant(object, at);
        self.schema_examples(object, at);
        self.content_encoding(object, at);

        for key in ["properties", "patternProperties"] {
            if let Some(properties) = object.get_mut(key).and_then(Value::as_object_mut) {
                for (name, property) in properties.iter_mut() {
                    self.schema(property, &pointer::push(&format!("{at}/{key}"), name));
                }
            }
        }
        for key in ["additionalProperties", "items", "not"] {
            if let Some(child) = object.get_mut(key) {
                // `additionalProperties` may be a boolean in 3.0 as well.
                if child.is_object() || (child.is_boolean() && key != "additionalProperties") {
                    self.schema(child, &format!("{at}/{key}"));
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(branches) = object.get_mut(key).and_then(Value::as_array_mut) {
                for (index, branch) in branches.iter_mut().enumerate() {
                    self.schema(branch, &format!("{at}/{key}/{index}"));
                }
            }
        }
        // Runs last: the rewrites above may have added siblings (nullable)
        // next to a `$ref`, which only an `allOf` wrapper keeps meaningful.
        self.ref_siblings(object, at);
    }

    fn json_schema_keywords(&mut self, object: &mut Map<String, Value>, at: &str) {
        for key in ["$schema", "$id", "$comment", "$anchor"] {
            if object.remove(key).is_some() {
                self.report
                    .record("json-schema-keywords", &pointer::push(at, key));
            }
        }
    }

    fn type_array(&mut self, object: &mut Map<String, Value>, at: &str) {
        let Some(types) = object.get("type").and_then(Value::as_array).cloned() else {
            return;
        };
        let nullable = types.iter().any(|kind| kind == "null");
        let others: Vec<Value> = types.into_iter().filter(|kind| kind != "null").collect();
        object.remove("type");
        match others.as_slice() {
            [] => {
                // `type: ["null"]` (or `[]`): only null is allowed.
                object.insert("nullable".into(), Value::Bool(true));
                object.insert("enum".into(), json!([null]));
                self.report.record("type-array-null", at);
            }
            [single] => {
                object.insert("type".into(), single.clone());
                if nullable {
                    object.insert("nullable".into(), Value::Bool(true));
                    self.report.record("type-array-null", at);
                } else {
                    self.report.record("type-array-multi", at);
                }
            }
            many => {
                let branches: Vec<Value> =
                    many.iter().map(|kind| json!({ "type": kind })).collect();
                object.insert("anyOf".into(), Value::Array(branches));
                if nullable {
                    object.insert("nullable".into(), Value::Bool(true));
                }
                self.report.record("type-array-multi", at);
            }
        }
    }

    fn null_branches(&mut self, object: &mut Map<String, Value>, at: &str) {
        for key in ["anyOf", "oneOf"] {
            let Some(branches) = object.get_mut(key).and_then(Value::as_array_mut) else {
                continue;
            };
            let before = branches.len();
            branches.retain(|branch| !is_null_schema(branch));
            if branches.len() == before {
                continue;
            }
            self.report.record("null-branch", &format!("{at}/{key}"));
            object.insert("nullable".into(), Value::Bool(true));
            let remaining = match object.get(key).and_then(Value::as_array) {
                Some(remaining) => remaining.clone(),
                None => continue,
            };
            if remaining.len() == 1 {
                object.remove(key);
                let only = remaining.into_iter().next().unwrap_or(Value::Null);
                let mergeable = only.as_object().is_some_and(|branch| {
                    !branch.contains_key("$ref") && branch.keys().all(|k| !object.contains_key(k))
                });
                match (mergeable, only) {
                    (true, Value::Object(branch)) => object.extend(branch),
                    (_, only) => {
                        object.insert("allOf".into(), Value::Array(vec![only]));
                    }
                }
            } else if remaining.is_empty() {
                object.remove(key);
                object.insert("enum".into(), json!([null]));
            }
        }
    }

    fn exclusive_bounds(&mut self, object: &mut Map<String, Value>, at: &str) {
        for (exclusive_key, bound_key, stricter) in [
            ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
            ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
        ] {
            let Some(limit) = object.get(exclusive_key).and_then(Value::as_f64) else {
                continue;
            };
            let exclusive = object.remove(exclusive_key).unwrap_or(Value::Null);
            self.report
                .record("exclusive-bound", &pointer::push(at, exclusive_key));
            let inclusive_is_stricter = object
                .get(bound_key)
                .and_then(Value::as_f64)
                .and_then(|bound| bound.partial_cmp(&limit))
                == Some(stricter);
            if !inclusive_is_stricter {
                object.insert(bound_key.into(), exclusive);
                object.insert(exclusive_key.into(), Value::Bool(true));
            }
        }
    }

    fn constant(&mut self, object: &mut Map<String, Value>, at: &str) {
        if let Some(value) = object.remove("const") {
            self.report.record("const", &pointer::push(at, "const"));
            object.insert("enum".into(), Value::Array(vec![value]));
        }
    }

    fn schema_examples(&mut self, object: &mut Map<String, Value>, at: &str) {
        if !object.get("examples").is_some_and(Value::is_array) {
            return;
        }
        let examples = object.remove("examples").unwrap_or(Value::Null);
        self.report
            .record("schema-examples", &pointer::push(at, "examples"));
        if !object.contains_key("example") {
            if let Some(first) = examples.as_array().and_then(|list| list.first()) {
                object.insert("example".into(), first.clone());
            }
        }
    }

    fn content_encoding(&mut self, object: &mut Map<String, Value>, at: &str) {
        let encoding = object.remove("contentEncoding");
        let media_type = object.remove("contentMediaType");
        if encoding.is_none() && media_type.is_none() {
            return;
        }
        self.report.record("content-encoding", at);
        if object.contains_key("format") {
            return;
        }
        let format = match encoding.as_ref().and_then(Value::as_str) {
            Some(encoding) if encoding.eq_ignore_ascii_case("base64") => "byte",
            _ => "binary",
        };
        object.insert("format".into(), json!(format));
    }

    fn ref_siblings(&mut self, object: &mut Map<String, Value>, at: &str) {
        if !object.contains_key("$ref") {
            return;
        }
        // Annotations beside a `$ref` are ignored by 3.0 tools but kept in
        // the document; anything that changes validation needs a wrapper.
        const ANNOTATIONS: &[&str] = &[
            "$ref",
            "description",
            "summary",
            "title",
            "example",
            "deprecated",
            "readOnly",
            "writeOnly",
        ];
        let constrains = object
            .keys()
            .any(|key| !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-"));
        if !constrains {
            return;
        }
        let reference = object.remove("$ref").unwrap_or(Value::Null);
        let wrapped = json!({ "$ref": reference });
        match object.get_mut("allOf").and_then(Value::as_array_mut) {
            Some(all_of) => all_of.insert(0, wrapped),
            None => {
                object.insert("allOf".into(), Value::Array(vec![wrapped]));
            }
        }
        self.report.record("ref-siblings", at);
    }
}

fn is_null_schema(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    let meaningful = object
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "description" | "title"))
        .collect::<Vec<_>>();
    match meaningful.as_slice() {
        [(key, value)] if key.as_str() == "type" => {
            *value == "null"
                || value
                    .as_array()
                    .is_some_and(|kinds| kinds.len() == 1 && kinds[0] == "null")
        }
        [(key, value)] if key.as_str() == "const" => value.is_null(),
        [(key, value)] if key.as_str() == "enum" => value
            .as_array()
            .is_some_and(|values| values.len() == 1 && values[0].is_null()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_with_schema(schema: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"S": schema}}
        })
    }

    fn convert_schema(schema: Value) -> (Value, Downconversion) {
        let mut doc = doc_with_schema(schema);
        let report = downconvert(&mut doc, "test.json").unwrap();
        (doc["components"]["schemas"]["S"].clone(), report)
    }

    #[test]
    fn boolean_schemas_become_schema_objects() {
        let (schema, report) = convert_schema(json!(true));
        assert_eq!(schema, json!({}));
        assert_eq!(report.count("boolean-schema"), 1);
        let (schema, _) = convert_schema(json!(false));
        assert_eq!(schema, json!({"not": {}}));

        let (schema, report) = convert_schema(json!({
            "type": "object",
            "properties": {"any": true, "never": false},
            "additionalProperties": false,
            "anyOf": [true],
            "not": false
        }));
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {"any": {}, "never": {"not": {}}},
                "additionalProperties": false,
                "anyOf": [{}],
                "not": {"not": {}}
            })
        );
        assert_eq!(report.count("boolean-schema"), 4);
        let (schema, _) = convert_schema(json!({"type": "array", "items": true}));
        assert_eq!(schema, json!({"type": "array", "items": {}}));
    }

    #[test]
    fn version_string_becomes_3_0_3() {
        let mut doc = doc_with_schema(json!({"type": "string"}));
        let report = downconvert(&mut doc, "t").unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(report.count("version"), 1);
        let mut doc = doc_with_schema(json!({"type": "string"}));
        doc["openapi"] = json!("3.2.0");
        downconvert(&mut doc, "t").unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn already_3_0_documents_are_untouched() {
        let mut doc = doc_with_schema(
            json!({"type": "string", "nullable": true, "exclusiveMinimum": true, "minimum": 0}),
        );
        doc["openapi"] = json!("3.0.1");
        let before = doc.clone();
        let report = downconvert(&mut doc, "t").unwrap();
        assert_eq!(doc, before);
        assert_eq!(report.total(), 0);
    }

    #[test]
    fn nullable_type_arrays() {
        let (schema, report) =
            convert_schema(json!({"type": ["integer", "null"], "format": "int64"}));
        assert_eq!(
            schema,
            json!({"type": "integer", "format": "int64", "nullable": true})
        );
        assert_eq!(report.count("type-array-null"), 1);
    }

    #[test]
    fn multi_type_arrays_become_any_of() {
        let (schema, _) = convert_schema(json!({"type": ["string", "integer", "null"]}));
        assert_eq!(
            schema,
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn null_branches_of_any_of_and_one_of() {
        let (schema, report) = convert_schema(
            json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}),
        );
        assert_eq!(
            schema,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(report.count("null-branch"), 1);

        let (schema, _) = convert_schema(
            json!({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]}),
        );
        assert_eq!(
            schema,
            json!({"type": "string", "maxLength": 3, "nullable": true})
        );

        let (schema, _) = convert_schema(
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
        );
        assert_eq!(
            schema,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn numeric_exclusive_bounds() {
        let (schema, report) =
            convert_schema(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}));
        assert_eq!(
            schema,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": true})
        );
        assert_eq!(report.count("exclusive-bound"), 2);
        // An inclusive bound that is already stricter wins.
        let (schema, _) =
            convert_schema(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 0}));
        assert_eq!(schema, json!({"type": "number", "minimum": 5}));
    }

    #[test]
    fn const_becomes_single_value_enum() {
        let (schema, report) = convert_schema(json!({"type": "string", "const": "file"}));
        assert_eq!(schema, json!({"type": "string", "enum": ["file"]}));
        assert_eq!(report.count("const"), 1);
    }

    #[test]
    fn schema_examples_become_example_but_media_examples_stay() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"n": {"type": "integer", "examples": [3, 4]}}},
                "examples": {"one": {"value": {"n": 1}}}
            }}}}}}}
        });
        let report = downconvert(&mut doc, "t").unwrap();
        let media = &doc["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            media["schema"]["properties"]["n"],
            json!({"type": "integer", "example": 3})
        );
        assert_eq!(media["examples"]["one"]["value"]["n"], 1);
        assert_eq!(
            report.changes()[1].1,
            "/paths/~1x/get/responses/200/content/application~1json/schema/properties/n/examples"
        );
    }

    #[test]
    fn ref_siblings_that_constrain_are_wrapped_and_annotations_kept() {
        let (schema, report) =
            convert_schema(json!({"$ref": "#/components/schemas/T", "description": "why"}));
        assert_eq!(
            schema,
            json!({"$ref": "#/components/schemas/T", "description": "why"})
        );
        assert_eq!(report.count("ref-siblings"), 0);

        let (schema, report) =
            convert_schema(json!({"$ref": "#/components/schemas/T", "maxItems": 2}));
        assert_eq!(
            schema,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "maxItems": 2})
        );
        assert_eq!(report.count("ref-siblings"), 1);
    }

    #[test]
    fn content_encoding_becomes_format() {
        let (schema, _) = convert_schema(
            json!({"type": "string", "contentMediaType": "application/octet-stream"}),
        );
        assert_eq!(schema, json!({"type": "string", "format": "binary"}));
        let (schema, _) = convert_schema(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(schema, json!({"type": "string", "format": "byte"}));
    }

    #[test]
    fn nested_positions_are_reached() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {},
            "paths": {"/x": {
                "parameters": [{"name": "a", "in": "query", "schema": {"type": ["string", "null"]}}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                        "list": {"type": "array", "items": {"type": ["number", "null"]}},
                        "map": {"type": "object", "additionalProperties": {"const": 1}}
                    }}}}},
                    "responses": {"200": {"description": "ok", "headers": {"H": {"schema": {"type": ["string", "null"]}}}}}
                }
            }}
        });
        let report = downconvert(&mut doc, "t").unwrap();
        assert_eq!(report.count("type-array-null"), 3);
        assert_eq!(report.count("const"), 1);
        assert_eq!(report.count("dropped-3.1-only"), 3);
        assert!(doc.get("webhooks").is_none());
        assert_eq!(doc["info"]["license"], json!({"name": "MIT"}));
    }

    #[test]
    fn unsupported_versions_are_errors_that_name_the_file() {
        let mut doc = json!({"swagger": "2.0"});
        let err = downconvert(&mut doc, "old.json").unwrap_err().to_string();
        assert!(err.starts_with("old.json: Swagger 2.0"), "{err}");
        let mut doc = json!({"openapi": "4.0.0"});
        let err = downconvert(&mut doc, "new.json").unwrap_err().to_string();
        assert!(
            err.contains("unsupported OpenAPI version \"4.0.0\" at /openapi"),
            "{err}"
        );
    }

    #[test]
    fn every_construct_is_documented() {
        let names: Vec<&str> = CONSTRUCTS.iter().map(|(name, _)| *name).collect();
        for name in [
            "version",
            "type-array-null",
            "type-array-multi",
            "null-branch",
            "exclusive-bound",
            "const",
            "schema-examples",
            "ref-siblings",
            "content-encoding",
            "json-schema-keywords",
            "dropped-3.1-only",
        ] {
            assert!(names.contains(&name), "{name}");
        }
    }
}
