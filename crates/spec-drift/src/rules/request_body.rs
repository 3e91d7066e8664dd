//! The request body: presence, requiredness, media types; then each media
//! type's schema through the schema walk (subject `request-body` at the
//! root, `request-property` below it). Media types match ignoring case and
//! parameters (`application/json; charset=utf-8` is `application/json`).
//!
//! ## `request-body-became-required` (breaking) / `request-body-became-optional` (info)
//! ```yaml
//! # before                        # after
//! requestBody: {required: false}  requestBody: {required: true}
//! ```
//! ## `request-body-added-required` (breaking) / `request-body-added-optional` (info)
//! ## `request-body-removed` (breaking, as in oasdiff: the server no longer reads what clients send)
//! ## `request-body-media-type-removed` (breaking) / `request-body-media-type-added` (info)
//! ```yaml
//! # before                                   # after
//! content: {application/json: …,             content: {application/json: …}
//!           multipart/form-data: …}
//! ```

use serde_json::Value;

use super::content::{self, Holder};
use super::{docs, Ctx};
use crate::model::{Deref, Doc, Operation};

fn body<'a>(doc: &Doc<'a>, operation: &Operation<'a>) -> Option<Deref<'a>> {
    operation
        .node
        .get("requestBody")
        .map(|body| doc.deref(body))
}

fn required(body: &Value) -> bool {
    body.get("required").and_then(Value::as_bool) == Some(true)
}

/// Compares the request bodies of two operations.
pub(crate) fn compare<'a>(ctx: &mut Ctx<'_, 'a>, old: &Operation<'a>, new: &Operation<'a>) {
    let old_at = format!("{}/requestBody", old.pointer);
    let new_at = format!("{}/requestBody", new.pointer);
    let old_body = body(ctx.old, old);
    let new_body = body(ctx.new, new);
    let (old_body, new_body) = match (old_body, new_body) {
        (_, Some(Deref::Dangling(reference))) => {
            ctx.unresolved_ref(
                reference,
                old_body.and_then(Deref::dangling),
                new_at,
                || {
                    format!(
                        "the request body `$ref` `{reference}` does not exist in the new document"
                    )
                },
            );
            return;
        }
        (Some(Deref::Dangling(_)), _) | (None, None) => return,
        (None, Some(Deref::Node(new_body))) => {
            let (id, what) = if required(new_body) {
                ("request-body-added-required", "required")
            } else {
                ("request-body-added-optional", "optional")
            };
            ctx.fixed(id, new_at, format!("added a {what} request body"));
            return;
        }
        (Some(Deref::Node(_)), None) => {
            ctx.fixed("request-body-removed", old_at, "removed the request body");
            return;
        }
        (Some(Deref::Node(old_body)), Some(Deref::Node(new_body))) => (old_body, new_body),
    };
    match (required(old_body), required(new_body)) {
        (false, true) => ctx.fixed(
            "request-body-became-required",
            new_at.clone(),
            "the request body became required",
        ),
        (true, false) => ctx.fixed(
            "request-body-became-optional",
            new_at.clone(),
            "the request body became optional",
        ),
        _ => {}
    }
    docs::fields(ctx, old_body, new_body, &new_at);
    content::compare(
        ctx,
        Holder::RequestBody,
        old_body,
        &old_at,
        new_body,
        &new_at,
    );
}
