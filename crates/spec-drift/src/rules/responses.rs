//! Responses: status codes, media types and headers; then each schema
//! through the schema walk (subjects `response-body`, `response-property`,
//! `response-header`). A status is a success status when it starts with
//! `2` (`200`, `2XX`); `default` is not.
//!
//! ## `response-success-status-removed` (breaking) / `response-non-success-status-removed` (warning)
//! ```yaml
//! # before                        # after
//! responses: {200: …, 404: …}     responses: {201: …, 404: …}
//! ```
//! ## `response-success-status-added` / `response-non-success-status-added` (info)
//! ## `response-media-type-removed` (breaking) / `response-media-type-added` (info)
//! ## `required-response-header-removed` (breaking) / `optional-response-header-removed` (warning)
//! ```yaml
//! # before                                   # after
//! headers: {Trace-Id: {required: true}}      headers: {}
//! ```
//! ## `response-header-became-optional` (breaking) / `response-header-added` (info)

use std::collections::BTreeMap;

use serde_json::Value;
use spec_compat::pointer;

use super::content::{self, Holder};
use super::{docs, schema, Ctx, Dir, Role, Subject};
use crate::model::{Deref, Operation};

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Compares the responses of two operations.
pub(crate) fn compare<'a>(ctx: &mut Ctx<'_, 'a>, old: &Operation<'a>, new: &Operation<'a>) {
    let old_responses = old.node.get("responses").and_then(Value::as_object);
    let new_responses = new.node.get("responses").and_then(Value::as_object);
    let old_at = format!("{}/responses", old.pointer);
    let new_at = format!("{}/responses", new.pointer);
    let mut statuses: Vec<&String> = old_responses
        .into_iter()
        .chain(new_responses)
        .flat_map(|responses| responses.keys())
        .collect();
    statuses.sort();
    statuses.dedup();
    for status in statuses {
        let old_status_at = pointer::push(&old_at, status);
        let new_status_at = pointer::push(&new_at, status);
        let kind = if is_success(status) {
            "success"
        } else {
            "non-success"
        };
        match (
            old_responses.and_then(|responses| responses.get(status)),
            new_responses.and_then(|responses| responses.get(status)),
        ) {
            (Some(_), None) => ctx.emit(
                format!("response-{kind}-status-removed"),
                super::fixed_level(if is_success(status) {
                    "response-success-status-removed"
                } else {
                    "response-non-success-status-removed"
                }),
                old_status_at,
                format!("removed the {kind} response status {status}"),
            ),
            (None, Some(_)) => ctx.emit(
                format!("response-{kind}-status-added"),
                super::fixed_level("response-success-status-added"),
                new_status_at,
                format!("added the {kind} response status {status}"),
            ),
            (Some(before), Some(after)) => match (ctx.old.deref(before), ctx.new.deref(after)) {
                (old_deref, Deref::Dangling(reference)) => ctx.unresolved_ref(
                    reference,
                    old_deref.dangling(),
                    new_status_at,
                    || format!("the response {status} `$ref` `{reference}` does not exist in the new document"),
                ),
                (Deref::Dangling(_), _) => {}
                (Deref::Node(before), Deref::Node(after)) => {
                    response(ctx, status, before, &old_status_at, after, &new_status_at)
                }
            },
            (None, None) => {}
        }
    }
}

fn response<'a>(
    ctx: &mut Ctx<'_, 'a>,
    status: &str,
    old: &'a Value,
    old_at: &str,
    new: &'a Value,
    new_at: &str,
) {
    docs::fields(ctx, old, new, new_at);
    headers(ctx, status, old, old_at, new, new_at);
    content::compare(ctx, Holder::Response(status), old, old_at, new, new_at);
}

/// Headers keyed by lower-cased name: `(name as written, header, pointer)`.
fn header_map<'a>(
    ctx: &Ctx<'_, 'a>,
    old_side: bool,
    response: &'a Value,
    at: &str,
) -> BTreeMap<String, (&'a String, Deref<'a>, String)> {
    let doc = if old_side { ctx.old } else { ctx.new };
    let mut out = BTreeMap::new();
    if let Some(headers) = response.get("headers").and_then(Value::as_object) {
        for (name, header) in headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            out.entry(name.to_ascii_lowercase()).or_insert((
                name,
                doc.deref(header),
                pointer::push(&format!("{at}/headers"), name),
            ));
        }
    }
    out
}

fn header_required(header: &Deref<'_>) -> bool {
    matches!(header, Deref::Node(node) if node.get("required").and_then(Value::as_bool) == Some(true))
}

fn header_schema<'a>(header: &'a Value, at: &str) -> Option<(&'a Value, String)> {
    if let Some(schema) = header.get("schema") {
        return Some((schema, format!("{at}/schema")));
    }
    let content = header.get("content")?.as_object()?;
    let mut names: Vec<&String> = content.keys().collect();
    names.sort();
    names.into_iter().find_map(|name| {
        content.get(name)?.get("schema").map(|schema| {
            (
                schema,
                format!("{}/schema", pointer::push(&format!("{at}/content"), name)),
            )
        })
    })
}

fn headers<'a>(
    ctx: &mut Ctx<'_, 'a>,
    status: &str,
    old: &'a Value,
    old_at: &str,
    new: &'a Value,
    new_at: &str,
) {
    let old_headers = header_map(ctx, true, old, old_at);
    let new_headers = header_map(ctx, false, new, new_at);
    for (key, (name, header, at)) in &old_headers {
        if new_headers.contains_key(key) {
            continue;
        }
        let (id, what) = if header_required(header) {
            ("required-response-header-removed", "required")
        } else {
            ("optional-response-header-removed", "optional")
        };
        ctx.fixed(
            id,
            at.clone(),
            format!("removed the {what} response header `{name}` from the response {status}"),
        );
    }
    for (key, (name, header, at)) in &new_headers {
        let Some((_, old_header, old_header_at)) = old_headers.get(key) else {
            ctx.fixed(
                "response-header-added",
                at.clone(),
                format!("added the response header `{name}` to the response {status}"),
            );
            continue;
        };
        if header_required(old_header) && !header_required(header) {
            ctx.fixed(
                "response-header-became-optional",
                at.clone(),
                format!("the response header `{name}` of the response {status} became optional"),
            );
        }
        match (old_header, header) {
            (_, Deref::Dangling(reference)) => ctx.unresolved_ref(
                reference,
                old_header.dangling(),
                at.clone(),
                || format!("the response header `$ref` `{reference}` does not exist in the new document"),
            ),
            (Deref::Node(old_node), Deref::Node(new_node)) => {
                docs::fields(ctx, old_node, new_node, at);
                if let (Some((old_schema, old_schema_at)), Some((new_schema, new_schema_at))) = (
                    header_schema(old_node, old_header_at),
                    header_schema(new_node, at),
                ) {
                    let subject = Subject {
                        dir: Dir::Response,
                        role: Role::Header,
                        name: format!("response header `{name}` ({status})"),
                        path: String::new(),
                    };
                    schema::compare(
                        ctx,
                        old_schema,
                        &old_schema_at,
                        new_schema,
                        &new_schema_at,
                        &subject,
                    );
                }
            }
            (Deref::Dangling(_), Deref::Node(_)) => {}
        }
    }
}
