//! Breaking-change detection between two versions of an OpenAPI document.
//!
//! [`diff`] takes two documents as [`serde_json::Value`]s (JSON or YAML,
//! already parsed; OpenAPI 3.0, 3.1 or 3.2), down-converts both to 3.0.3
//! with [`spec_compat::downconvert`] so they are compared in one dialect
//! (`type: [T, "null"]` equals `nullable: true`, `const` equals a
//! one-value `enum`, numeric exclusive bounds equal boolean ones), and
//! returns a [`Report`]: every classified [`Change`] with a stable rule id,
//! a [`Level`], the operation it concerns, a JSON pointer and a message.
//!
//! The engine is pure: no I/O, no network, nothing specific to one API.
//! It never panics on a document: dangling `$ref`s, `$ref` cycles and
//! values of the wrong type are compared as they are and, where new,
//! reported as changes. The rules, their levels and before/after examples
//! are in [`rules`]; [`rules::catalogue`] lists every id.
//!
//! ```
//! use serde_json::json;
//! use spec_drift::{diff, Level};
//!
//! let old = json!({
//!     "openapi": "3.1.0", "info": {"title": "Pets", "version": "1"},
//!     "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {
//!         "description": "ok",
//!         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}
//!     }}}}},
//!     "components": {"schemas": {"Pet": {"type": "object", "required": ["id"], "properties": {
//!         "id": {"type": "integer"},
//!         "tag": {"type": ["string", "null"]}
//!     }}}}
//! });
//! let mut new = old.clone();
//! new["openapi"] = json!("3.0.3");
//! new["components"]["schemas"]["Pet"]["properties"]["tag"] = json!({"type": "string", "nullable": true});
//! new["components"]["schemas"]["Pet"]["properties"]["id"] = json!({"type": "string"});
//!
//! let report = diff(&old, &new)?;
//! assert_eq!(report.changes.len(), 1); // the nullable rewrite is no change
//! let change = &report.changes[0];
//! assert_eq!(change.id, "response-property-type-changed");
//! assert_eq!(change.level, Level::Breaking);
//! assert_eq!(change.operation.as_deref(), Some("GET /pets"));
//! assert_eq!(
//!     change.pointer,
//!     "/paths/~1pets/get/responses/200/content/application~1json/schema/properties/id"
//! );
//! assert_eq!(report.summary().breaking, 1);
//! print!("{}", spec_drift::render::text(&report));
//! # Ok::<(), spec_drift::DiffError>(())
//! ```
#![warn(missing_docs)]

mod error;
mod fingerprint;
mod model;
mod number;
pub mod render;
mod report;
pub mod rules;
mod schema;

use serde_json::Value;

pub use error::{DiffError, Side};
pub use report::{Change, Level, Report, Summary};

use model::Doc;
use rules::Ctx;

/// Compares `old` with `new` and classifies every change.
///
/// Errors only when a document is not OpenAPI 3.x at all (see
/// [`DiffError`]); anything wrong inside a document is compared as it is.
pub fn diff(old: &Value, new: &Value) -> Result<Report, DiffError> {
    let old = normalise(old, Side::Old)?;
    let new = normalise(new, Side::New)?;
    let old_doc = Doc::new(&old, Side::Old);
    let new_doc = Doc::new(&new, Side::New);
    let old_ops = model::operations(&old_doc)?;
    let new_ops = model::operations(&new_doc)?;

    let mut changes = Vec::new();
    let mut document = Ctx::new(&old_doc, &new_doc, None);
    rules::components::compare(&mut document);
    rules::docs::document(&mut document);
    changes.append(&mut document.changes);
    rules::operations::compare_all(&old_doc, &new_doc, &old_ops, &new_ops, &mut changes);
    Ok(Report::new(changes))
}

fn normalise(doc: &Value, side: Side) -> Result<Value, DiffError> {
    let mut doc = doc.clone();
    spec_compat::downconvert(&mut doc, &format!("{side} document")).map_err(|err| {
        DiffError::NotOpenApi {
            side,
            detail: err.to_string(),
        }
    })?;
    if !doc.is_object() {
        return Err(DiffError::Malformed {
            side,
            pointer: String::new(),
            detail: "the top level must be an object".into(),
        });
    }
    Ok(doc)
}
