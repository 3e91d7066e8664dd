//! Documentation-only edits, and the catch-all.
//!
//! ## `api-documentation-changed` (info)
//! Edits to `description`, `summary`, `title`, `example`/`examples`,
//! `externalDocs` or `tags` anywhere an operation reaches (its own fields,
//! parameters, bodies, responses, and every schema it uses) are
//! **aggregated**: one change per operation, pointing at the operation,
//! whose message counts the edits and names the first few places. Edits
//! to the document's `info` give one more change with no operation.
//! Aggregation keeps a description reword in a shared schema from
//! drowning the report in one line per operation per field.
//! ```yaml
//! # before                               # after
//! summary: List files                    summary: List the files you uploaded
//! ```
//!
//! ## `api-unclassified-change` (info)
//! When an operation's contract fingerprint (a structural hash ignoring documentation and extensions)
//! differs but no rule reported anything but documentation for it — a
//! changed `default`, a relaxed constraint, a response constraint, a
//! parameter's `style` — one info change says so, so no edit goes
//! unnoticed. The schema walk also reports it, once per operation, where
//! a schema nests deeper than the walk descends
//! ([`super::schema::MAX_DEPTH`] levels) and differs below that point.
//! ```yaml
//! # before                               # after
//! stream: {type: boolean, default: false}   stream: {type: boolean, default: true}
//! ```

use serde_json::{Map, Value};
use spec_compat::pointer;

use super::Ctx;
use crate::fingerprint;
use crate::model::{Doc, Operation};
use crate::schema::View;

/// Documentation fields of non-schema objects.
pub(crate) const DOC_FIELDS: &[&str] = &[
    "summary",
    "description",
    "externalDocs",
    "example",
    "examples",
    "tags",
];

/// Notes edits of the documentation fields of two schema views.
pub(crate) fn schema(ctx: &mut Ctx<'_, '_>, old: &View<'_>, new: &View<'_>, at: &str) {
    for (field, before, after) in [
        ("description", old.description, new.description),
        ("title", old.title, new.title),
        ("example", old.example, new.example),
    ] {
        if before != after {
            ctx.doc_edit(pointer::push(at, field));
        }
    }
}

/// Notes edits of [`DOC_FIELDS`] between two objects (non-objects count
/// as empty).
pub(crate) fn fields(ctx: &mut Ctx<'_, '_>, old: &Value, new: &Value, at: &str) {
    maps(ctx, old.as_object(), new.as_object(), at);
}

/// [`fields`] on maps.
pub(crate) fn maps(
    ctx: &mut Ctx<'_, '_>,
    old: Option<&Map<String, Value>>,
    new: Option<&Map<String, Value>>,
    at: &str,
) {
    for field in DOC_FIELDS {
        if old.and_then(|map| map.get(*field)) != new.and_then(|map| map.get(*field)) {
            ctx.doc_edit(pointer::push(at, field));
        }
    }
}

/// Ends an operation: emits the aggregated documentation change and, when
/// nothing else was reported, the catch-all.
pub(crate) fn finish_operation(ctx: &mut Ctx<'_, '_>, old: &Operation<'_>, new: &Operation<'_>) {
    let classified = !ctx.changes.is_empty();
    if !ctx.doc_edits.is_empty() {
        let mut edits = std::mem::take(&mut ctx.doc_edits);
        edits.sort();
        edits.dedup();
        let shown: Vec<&str> = edits.iter().take(3).map(String::as_str).collect();
        let more = if edits.len() > shown.len() {
            format!(" and {} more", edits.len() - shown.len())
        } else {
            String::new()
        };
        let count = edits.len();
        ctx.fixed(
            "api-documentation-changed",
            new.pointer.clone(),
            format!(
                "{count} documentation edit{} (descriptions, summaries, titles, examples): {}{more}",
                if count == 1 { "" } else { "s" },
                shown.join(", ")
            ),
        );
    }
    if !classified && contract(ctx.old, old) != contract(ctx.new, new) {
        ctx.fixed(
            "api-unclassified-change",
            new.pointer.clone(),
            "the operation's contract changed in a way no rule classifies (a default value, a relaxed or response-side constraint, a serialisation style…); review the diff",
        );
    }
}

/// The fingerprint of an operation together with its path-level parameters.
fn contract(doc: &Doc<'_>, operation: &Operation<'_>) -> (u64, u64) {
    let own = fingerprint::of_object(doc, operation.node);
    let shared = operation
        .item
        .get("parameters")
        .map(|parameters| fingerprint::of(doc, parameters))
        .unwrap_or(0);
    (own, shared)
}

/// Document-level documentation: the `info` object (title, description,
/// terms, contact, license; not `version`).
pub(crate) fn document(ctx: &mut Ctx<'_, '_>) {
    let (old_info, new_info) = (ctx.old.root.get("info"), ctx.new.root.get("info"));
    let fields = [
        "title",
        "description",
        "termsOfService",
        "contact",
        "license",
    ];
    let edited: Vec<&str> = fields
        .into_iter()
        .filter(|field| {
            old_info.and_then(|info| info.get(*field)) != new_info.and_then(|info| info.get(*field))
        })
        .collect();
    if !edited.is_empty() {
        ctx.fixed(
            "api-documentation-changed",
            "/info",
            format!("the document's info changed: {}", edited.join(", ")),
        );
    }
}
