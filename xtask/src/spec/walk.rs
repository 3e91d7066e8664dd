//! Walking an OpenAPI 3.0 document: operations, schema positions, references.
//!
//! The rules rewrite the merged document as a `serde_json::Value`; these
//! helpers know where operations and schemas live so each rule can stay a
//! short description of *what* it changes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use spec_compat::pointer;

use super::SpecError;

/// The HTTP methods an OpenAPI path item may hold, in canonical order.
pub use spec_compat::METHODS;

/// An operation's address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OperationRef {
    /// The path template, e.g. `/v1/files/list`.
    pub path: String,
    /// Lowercase method.
    pub method: String,
}

impl OperationRef {
    /// JSON pointer of the operation object.
    pub fn pointer(&self) -> String {
        pointer::join(["paths", &self.path, &self.method])
    }

    /// `"GET /v1/files/list"`.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// Every operation in document order (paths sorted, methods canonical).
pub fn operations(doc: &Value) -> Vec<OperationRef> {
    let mut found = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if item.get(*method).is_some_and(Value::is_object) {
                    found.push(OperationRef {
                        path: path.clone(),
                        method: (*method).to_owned(),
                    });
                }
            }
        }
    }
    found
}

/// Where a schema sits, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Under `components.schemas` (or nested in one).
    Component,
    /// A parameter's schema.
    Parameter,
    /// A request body's schema.
    Request,
    /// A response body's or response header's schema.
    Response,
}

/// Calls `visit` on every schema object in the document, parents before
/// children, with its pointer, where it sits, and the name of the property
/// it is the value of (if any). `$ref`s are not followed. `visit` may rewrite
/// the node; the walk then descends into what it left there.
pub fn visit_schemas(doc: &mut Value, visit: &mut dyn FnMut(&mut Value, &SchemaSite<'_>)) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let item_at = pointer::push("/paths", path);
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            if let Some(parameters) = item.get_mut("parameters").and_then(Value::as_array_mut) {
                visit_parameters(parameters, &format!("{item_at}/parameters"), visit);
            }
            for method in METHODS {
                let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) else {
                    continue;
                };
                let op_at = pointer::push(&item_at, method);
                if let Some(parameters) = operation
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                {
                    visit_parameters(parameters, &format!("{op_at}/parameters"), visit);
                }
                if let Some(body) = operation
                    .get_mut("requestBody")
                    .and_then(Value::as_object_mut)
                {
                    visit_content(body, &format!("{op_at}/requestBody"), Place::Request, visit);
                }
                if let Some(responses) = operation
                    .get_mut("responses")
                    .and_then(Value::as_object_mut)
                {
                    for (status, response) in responses.iter_mut() {
                        let response_at = pointer::push(&format!("{op_at}/responses"), status);
                        let Some(response) = response.as_object_mut() else {
                            continue;
                        };
                        visit_content(response, &response_at, Place::Response, visit);
                        if let Some(headers) =
                            response.get_mut("headers").and_then(Value::as_object_mut)
                        {
                            for (name, header) in headers.iter_mut() {
                                if let Some(schema) = header.get_mut("schema") {
                                    let at = format!(
                                        "{}/schema",
                                        pointer::push(&format!("{response_at}/headers"), name)
                                    );
                                    visit_schema(schema, &at, Place::Response, None, visit);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            let at = pointer::join(["components", "schemas", name]);
            visit_schema(schema, &at, Place::Component, None, visit);
        }
    }
}

/// What [`visit_schemas`] tells the visitor about a schema's position.
#[derive(Debug, Clone, Copy)]
pub struct SchemaSite<'a> {
    /// JSON pointer of the schema.
    pub pointer: &'a str,
    /// Where the schema sits.
    pub place: Place,
    /// The property name when the schema is the value of an object property
    /// or a parameter's schema (then the parameter name).
    pub property: Option<&'a str>,
}

impl SchemaSite<'_> {
    /// The component schema the schema is in (`FileObject` for
    /// `/components/schemas/FileObject/properties/purpose`), if any.
    pub fn component(&self) -> Option<&str> {
        self.pointer
            .strip_prefix("/components/schemas/")?
            .split('/')
            .next()
    }

    /// Whether the schema is itself the value of an object's property
    /// (`…/properties/<name>`): not a parameter's or a body's schema, nor a
    /// branch or the items of a property's schema (which still carry its
    /// [`SchemaSite::property`]).
    pub fn is_property_value(&self) -> bool {
        self.pointer
            .rsplit_once('/')
            .is_some_and(|(parent, _)| parent.ends_with("/properties"))
    }
}

fn visit_parameters(
    parameters: &mut [Value],
    at: &str,
    visit: &mut dyn FnMut(&mut Value, &SchemaSite<'_>),
) {
    for (index, parameter) in parameters.iter_mut().enumerate() {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(schema) = parameter.get_mut("schema") {
            visit_schema(
                schema,
                &format!("{at}/{index}/schema"),
                Place::Parameter,
                name.as_deref(),
                visit,
            );
        }
    }
}

fn visit_content(
    holder: &mut Map<String, Value>,
    at: &str,
    place: Place,
    visit: &mut dyn FnMut(&mut Value, &SchemaSite<'_>),
) {
    let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    for (media_type, media) in content.iter_mut() {
        if let Some(schema) = media.get_mut("schema") {
            let at = format!(
                "{}/schema",
                pointer::push(&format!("{at}/content"), media_type)
            );
            visit_schema(schema, &at, place, None, visit);
        }
    }
}

fn visit_schema(
    schema: &mut Value,
    at: &str,
    place: Place,
    property: Option<&str>,
    visit: &mut dyn FnMut(&mut Value, &SchemaSite<'_>),
) {
    visit(
        schema,
        &SchemaSite {
            pointer: at,
            place,
            property,
        },
    );
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, child) in properties.iter_mut() {
            let child_at = pointer::push(&format!("{at}/properties"), name);
            visit_schema(child, &child_at, place, Some(name), visit);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = object.get_mut(key).filter(|child| child.is_object()) {
            visit_schema(child, &format!("{at}/{key}"), place, None, visit);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(branches) = object.get_mut(key).and_then(Value::as_array_mut) {
            for (index, branch) in branches.iter_mut().enumerate() {
                visit_schema(
                    branch,
                    &format!("{at}/{key}/{index}"),
                    place,
                    property,
                    visit,
                );
            }
        }
    }
}

/// Every `$ref` string in `value` with the pointer where it appears.
///
/// Examples are data, not schema: a `$ref` inside an `example` or
/// `examples` value is not a reference. Under `properties` the keys are
/// property names, so a property called `examples` is still a schema.
pub fn references(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    collect_references(value, at, false, found);
}

/// [`references`]; `property_names` says that the keys of `value` are
/// property names (it is the value of a `properties` keyword).
fn collect_references(
    value: &Value,
    at: &str,
    property_names: bool,
    found: &mut Vec<(String, String)>,
) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let child_at = pointer::push(at, key);
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) if !property_names => {
                        found.push((target.clone(), child_at));
                    }
                    ("example" | "examples", _) if !property_names => {}
                    _ => collect_references(
                        child,
                        &child_at,
                        !property_names && key == "properties",
                        found,
                    ),
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_references(child, &format!("{at}/{index}"), false, found);
            }
        }
        _ => {}
    }
}

/// Resolves a local reference (`#/...`).
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// Names of component schemas reachable from `roots` (pointers into `doc`),
/// following `$ref`s transitively: a reference into a schema
/// (`#/components/schemas/A/properties/b`) reaches all of `A`, and one to
/// another component (`#/components/responses/R`) is followed through it.
pub fn reachable_schemas(doc: &Value, roots: &[String]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut followed = BTreeSet::new();
    let mut queue: Vec<&Value> = roots.iter().filter_map(|root| doc.pointer(root)).collect();
    while let Some(value) = queue.pop() {
        let mut found = Vec::new();
        references(value, "", &mut found);
        for (target, _) in found {
            if let Some(name) = referenced_schema(&target) {
                if seen.insert(name.clone()) {
                    if let Some(schema) =
                        doc.pointer(&pointer::join(["components", "schemas", &name]))
                    {
                        queue.push(schema);
                    }
                }
            } else if followed.insert(target.clone()) {
                if let Some(resolved) = resolve(doc, &target) {
                    queue.push(resolved);
                }
            }
        }
    }
    seen
}

/// The component schema a local reference points into: `A` for
/// `#/components/schemas/A` and for `#/components/schemas/A/properties/b`.
fn referenced_schema(reference: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/schemas/")?;
    let name = rest.split('/').next().filter(|name| !name.is_empty())?;
    Some(pointer::unescape(name))
}

/// For every component schema, whether it is reachable from request bodies
/// or parameters (the operation's own and those of its path item), and
/// whether from responses.
pub fn schema_directions(doc: &Value) -> BTreeMap<String, (bool, bool)> {
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    let mut path_items = BTreeSet::new();
    for operation in operations(doc) {
        let at = operation.pointer();
        if path_items.insert(operation.path.clone()) {
            // Path-level parameters apply to every operation of the item.
            request_roots.push(format!(
                "{}/parameters",
                pointer::join(["paths", &operation.path])
            ));
        }
        request_roots.push(format!("{at}/parameters"));
        request_roots.push(format!("{at}/requestBody"));
        response_roots.push(format!("{at}/responses"));
    }
    let requests = reachable_schemas(doc, &request_roots);
    let responses = reachable_schemas(doc, &response_roots);
    let mut directions = BTreeMap::new();
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for name in schemas.keys() {
            directions.insert(
                name.clone(),
                (requests.contains(name), responses.contains(name)),
            );
        }
    }
    directions
}

/// Mutable access to `components.schemas`, creating what is absent; an
/// error when the document, `components` or `components.schemas` is not an object.
pub fn component_schemas_mut(doc: &mut Value) -> Result<&mut Map<String, Value>, WrongType> {
    let root = object_mut(doc, "")?;
    let components = object_entry(root, "components", "")?;
    object_entry(components, "schemas", "/components")
}

/// `value` (at pointer `at`) as an object; an error when it is anything else.
/// Never rewrites a value.
pub fn object_mut<'a>(
    value: &'a mut Value,
    at: &str,
) -> Result<&'a mut Map<String, Value>, WrongType> {
    let found = kind(value);
    value
        .as_object_mut()
        .ok_or_else(|| WrongType::object(at, found))
}

/// The object under `key` of `holder` (at pointer `at`), created empty when
/// the key is absent; an error when it holds anything else.
pub fn object_entry<'a>(
    holder: &'a mut Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<&'a mut Map<String, Value>, WrongType> {
    let value = holder
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()));
    object_mut(value, &pointer::push(at, key))
}

/// A value of the wrong JSON type: an object or array the pipeline walks
/// or edits that is something else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongType {
    /// JSON pointer of the value.
    pub pointer: String,
    /// What it must be: "a JSON object" or "a JSON array".
    pub expected: &'static str,
    /// What it is instead: "an array", "a string", ….
    pub found: &'static str,
}

impl WrongType {
    /// A value at `at` that must be an object and is `found`.
    fn object(at: &str, found: &'static str) -> Self {
        WrongType {
            pointer: at.to_owned(),
            expected: "a JSON object",
            found,
        }
    }

    /// The error, blamed on `file` (the input the value came from).
    pub fn in_file(self, file: impl Into<String>) -> SpecError {
        SpecError::new(
            file,
            self.pointer,
            format!("expected {}, found {}", self.expected, self.found),
        )
    }
}

fn object_at<'a>(value: &'a Value, at: &str) -> Result<&'a Map<String, Value>, WrongType> {
    value
        .as_object()
        .ok_or_else(|| WrongType::object(at, kind(value)))
}

/// Checks the shape of a paths map (at `/paths`): it is an object, every
/// path item is an object, every operation in one is an object that passes
/// [`check_operation`], and path-level `parameters` pass
/// [`check_parameters`]. The walks skip what is not an object or array, so
/// a wrong type must be refused here, where the input file is known.
pub fn check_paths(paths: &Value) -> Result<(), WrongType> {
    for (path, item) in object_at(paths, "/paths")? {
        let item_at = pointer::push("/paths", path);
        let item = object_at(item, &item_at)?;
        if let Some(parameters) = item.get("parameters") {
            check_parameters(parameters, &format!("{item_at}/parameters"))?;
        }
        for method in METHODS {
            if let Some(operation) = item.get(*method) {
                check_operation(operation, &pointer::push(&item_at, method))?;
            }
        }
    }
    Ok(())
}

/// The sections of `components` the merge unites by name. In OpenAPI 3.0
/// each maps names to objects (the definition or a `$ref`).
pub const COMPONENT_SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Checks the shape of `components` (at `/components`): an object whose
/// [`COMPONENT_SECTIONS`], where present, are objects of objects; request
/// bodies and responses also pass [`check_body_holder`]. As with
/// [`check_paths`], the walks and the merge skip what is not an object, and
/// openapiv3 would only refuse it in the merged document.
pub fn check_components(components: &Value) -> Result<(), WrongType> {
    let components = object_at(components, "/components")?;
    for section in COMPONENT_SECTIONS {
        let Some(entries) = components.get(*section) else {
            continue;
        };
        let section_at = pointer::push("/components", section);
        for (name, entry) in object_at(entries, &section_at)? {
            let at = pointer::push(&section_at, name);
            match *section {
                "responses" | "requestBodies" => check_body_holder(entry, &at)?,
                "parameters" | "headers" => check_parameter(entry, &at)?,
                _ => {
                    object_at(entry, &at)?;
                }
            }
        }
    }
    Ok(())
}

/// Checks the shape of an operation (at `at`): an object whose
/// `parameters`, `requestBody` and `responses` (each response and its
/// `content`), where present, have the types the walks expect.
pub fn check_operation(operation: &Value, at: &str) -> Result<(), WrongType> {
    let operation = object_at(operation, at)?;
    if let Some(parameters) = operation.get("parameters") {
        check_parameters(parameters, &format!("{at}/parameters"))?;
    }
    if let Some(body) = operation.get("requestBody") {
        check_body_holder(body, &format!("{at}/requestBody"))?;
    }
    if let Some(responses) = operation.get("responses") {
        let responses_at = format!("{at}/responses");
        for (status, response) in object_at(responses, &responses_at)? {
            check_body_holder(response, &pointer::push(&responses_at, status))?;
        }
    }
    Ok(())
}

/// Checks that `parameters` (at `at`) is an array of objects.
pub fn check_parameters(parameters: &Value, at: &str) -> Result<(), WrongType> {
    let list = parameters.as_array().ok_or_else(|| WrongType {
        pointer: at.to_owned(),
        expected: "a JSON array",
        found: kind(parameters),
    })?;
    for (index, parameter) in list.iter().enumerate() {
        check_parameter(parameter, &format!("{at}/{index}"))?;
    }
    Ok(())
}

/// Checks that a parameter or a header (at `at`) is an object whose
/// `schema` and `content`, if present, are objects (each media type too).
pub fn check_parameter(parameter: &Value, at: &str) -> Result<(), WrongType> {
    let parameter = object_at(parameter, at)?;
    if let Some(schema) = parameter.get("schema") {
        object_at(schema, &format!("{at}/schema"))?;
    }
    if let Some(content) = parameter.get("content") {
        check_content(content, &format!("{at}/content"))?;
    }
    Ok(())
}

/// Checks that a `content` map (at `at`) is an object of media type
/// objects whose `schema`, if present, is an object.
fn check_content(content: &Value, at: &str) -> Result<(), WrongType> {
    for (media_type, media) in object_at(content, at)? {
        let media_at = pointer::push(at, media_type);
        if let Some(schema) = object_at(media, &media_at)?.get("schema") {
            object_at(schema, &format!("{media_at}/schema"))?;
        }
    }
    Ok(())
}

/// Checks that a request body or a response (at `at`) is an object whose
/// `content` (media types and their schemas) and, for a response,
/// `headers`, if present, have the right types.
pub fn check_body_holder(holder: &Value, at: &str) -> Result<(), WrongType> {
    let holder = object_at(holder, at)?;
    if let Some(content) = holder.get("content") {
        check_content(content, &format!("{at}/content"))?;
    }
    // A response's headers (a request body has none).
    if let Some(headers) = holder.get("headers") {
        let headers_at = format!("{at}/headers");
        for (name, header) in object_at(headers, &headers_at)? {
            check_parameter(header, &pointer::push(&headers_at, name))?;
        }
    }
    Ok(())
}

/// What kind of JSON value `value` is, for messages: "an object", "a string", ….
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_site_names_the_component_it_is_in() {
        let site = |pointer| SchemaSite {
            pointer,
            place: Place::Component,
            property: None,
        };
        let component = |pointer| site(pointer).component().map(str::to_owned);
        assert_eq!(
            component("/components/schemas/FileObject/properties/purpose"),
            Some("FileObject".to_owned())
        );
        assert_eq!(component("/components/schemas/Id"), Some("Id".to_owned()));
        assert_eq!(
            component("/paths/~1v1~1files~1list/get/parameters/0/schema"),
            None
        );
    }

    #[test]
    fn a_site_knows_whether_it_is_a_property_value() {
        let is_property_value = |pointer| {
            SchemaSite {
                pointer,
                place: Place::Component,
                property: Some("x"),
            }
            .is_property_value()
        };
        assert!(is_property_value(
            "/components/schemas/Task/properties/owner"
        ));
        assert!(is_property_value(
            "/components/schemas/Task/properties/properties"
        ));
        assert!(!is_property_value(
            "/components/schemas/Task/properties/owner/allOf/0"
        ));
        assert!(!is_property_value(
            "/components/schemas/Task/properties/owner/items"
        ));
        assert!(!is_property_value(
            "/paths/~1v1~1task/get/parameters/0/schema"
        ));
    }

    #[test]
    fn check_paths_names_the_first_value_of_the_wrong_type() {
        let wrong = |paths: Value| check_paths(&paths).unwrap_err();
        assert_eq!(
            wrong(json!({"/a": {"get": {"responses": {"200": {"content": "x"}}}}})),
            WrongType {
                pointer: "/paths/~1a/get/responses/200/content".into(),
                expected: "a JSON object",
                found: "a string",
            }
        );
        assert_eq!(
            wrong(json!({"/a": {"parameters": [{"name": "a"}, 1]}})).pointer,
            "/paths/~1a/parameters/1"
        );
        assert_eq!(
            wrong(json!({"/a": {"post": {"parameters": {}}}})).expected,
            "a JSON array"
        );
        assert_eq!(wrong(json!({"/a": {"get": "x"}})).pointer, "/paths/~1a/get");
        assert!(check_paths(
            &json!({"/a": {"get": {"parameters": [], "requestBody": {"$ref": "#/x"},
            "responses": {"200": {"description": "ok", "content": {}}}}}})
        )
        .is_ok());
    }

    #[test]
    fn references_skip_examples_but_not_properties_named_like_them() {
        let schema = json!({
            "example": {"$ref": "#/not/a/ref"},
            "examples": [{"$ref": "#/not/a/ref/either"}],
            "properties": {
                "examples": {"$ref": "#/components/schemas/A"},
                "example": {"type": "array", "items": {"$ref": "#/components/schemas/B"}, "example": [{"$ref": "#/data"}]},
                "properties": {"properties": {"examples": {"$ref": "#/components/schemas/C"}}}
            }
        });
        let mut found = Vec::new();
        references(&schema, "/s", &mut found);
        assert_eq!(
            found,
            [
                (
                    "#/components/schemas/B".to_owned(),
                    "/s/properties/example/items/$ref".to_owned()
                ),
                (
                    "#/components/schemas/A".to_owned(),
                    "/s/properties/examples/$ref".to_owned()
                ),
                (
                    "#/components/schemas/C".to_owned(),
                    "/s/properties/properties/properties/examples/$ref".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn reachability_follows_references_into_schemas_and_other_components() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
            "components": {
                "responses": {"Ok": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}}}},
                "schemas": {
                    "Body": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Outer/properties/inner"}}},
                    "Outer": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Leaf"}}},
                    "Leaf": {"type": "string"},
                    "Orphan": {"type": "string"}
                }
            }
        });
        let reached = reachable_schemas(&doc, &["/paths/~1a".to_owned()]);
        assert_eq!(
            reached.into_iter().collect::<Vec<_>>(),
            ["Body", "Leaf", "Outer"]
        );
    }

    #[test]
    fn path_level_parameters_are_request_roots() {
        let doc = json!({
            "paths": {
                "/a/{id}": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/PathId"}},
                        {"$ref": "#/components/parameters/Shared"}
                    ],
                    "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}}}}}
                },
                "/orphan": {"parameters": [{"name": "x", "in": "query", "schema": {"$ref": "#/components/schemas/Orphan"}}]}
            },
            "components": {
                "parameters": {"Shared": {"name": "mode", "in": "query", "schema": {"$ref": "#/components/schemas/Mode"}}},
                "schemas": {
                    "PathId": {"type": "string"},
                    "Mode": {"type": "string"},
                    "Body": {"type": "object"},
                    "Orphan": {"type": "string"}
                }
            }
        });
        let directions = schema_directions(&doc);
        assert_eq!(directions["PathId"], (true, false));
        assert_eq!(directions["Mode"], (true, false));
        assert_eq!(directions["Body"], (false, true));
        // A path item without operations applies to nothing.
        assert_eq!(directions["Orphan"], (false, false));
    }

    #[test]
    fn object_entry_creates_what_is_absent_and_never_rewrites() {
        let mut holder = json!({"properties": [1]});
        let holder = holder.as_object_mut().unwrap();
        let created = object_entry(holder, "examples", "/a~1b").unwrap();
        created.insert("x".into(), json!(1));
        assert_eq!(holder["examples"], json!({"x": 1}));
        let err = object_entry(holder, "properties", "/a~1b").unwrap_err();
        assert_eq!(
            err,
            WrongType {
                pointer: "/a~1b/properties".into(),
                expected: "a JSON object",
                found: "an array"
            }
        );
        assert_eq!(holder["properties"], json!([1]));
    }

    #[test]
    fn component_schemas_are_created_but_not_forced() {
        let mut doc = json!({"openapi": "3.0.3"});
        component_schemas_mut(&mut doc).unwrap();
        assert_eq!(doc["components"], json!({"schemas": {}}));
        let mut doc = json!({"components": {"schemas": "none"}});
        let err = component_schemas_mut(&mut doc).unwrap_err();
        assert_eq!(err.pointer, "/components/schemas");
        assert_eq!(doc["components"]["schemas"], "none");
    }
}
