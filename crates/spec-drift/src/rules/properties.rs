//! Object properties: added, removed, required or optional.
//!
//! Properties are compared after `allOf` merging. On the request side a
//! `readOnly` property counts as absent (clients do not send it); on the
//! response side a `writeOnly` one does.
//!
//! ## Request side
//! - `new-required-request-property` (breaking): a property that did not
//!   exist is required. `new-optional-request-property` (info) otherwise.
//! - `request-property-became-required` (breaking) /
//!   `request-property-became-optional` (info).
//! - `request-property-removed` (warning): the server may reject or ignore
//!   it, and the SDK's struct loses the field.
//! ```yaml
//! # before                              # after
//! required: [model]                     required: [model, messages]
//! properties: {model: …}                properties: {model: …, messages: …}
//! ```
//!
//! ## Response side
//! - `response-required-property-removed` (breaking),
//!   `response-optional-property-removed` (warning).
//! - `response-property-became-optional` (breaking: the field becomes an
//!   `Option`, and clients may not receive it) /
//!   `response-property-became-required` (info).
//! - `response-required-property-added`, `response-optional-property-added`
//!   (info).
//! ```yaml
//! # before                              # after
//! required: [id, bytes]                 required: [id]
//! ```

use super::{schema, Ctx, Dir, Subject};
use crate::model::Doc;
use crate::schema::{Sub, View};

/// Whether a property takes part in `dir` (not `readOnly` in requests,
/// not `writeOnly` in responses).
fn takes_part<'a>(doc: &Doc<'a>, property: &Sub<'a>, dir: Dir) -> bool {
    let view = View::of(doc, property.value);
    match dir {
        Dir::Request => !view.read_only,
        Dir::Response => !view.write_only,
    }
}

/// Compares the properties of two object views.
pub(crate) fn compare<'a>(
    ctx: &mut Ctx<'_, 'a>,
    old: &View<'a>,
    new: &View<'a>,
    old_at: &str,
    new_at: &str,
    subject: &Subject,
) {
    if old.properties.is_empty() && new.properties.is_empty() {
        return;
    }
    let mut names: Vec<&str> = old
        .properties
        .keys()
        .chain(new.properties.keys())
        .copied()
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let old_property = old
            .properties
            .get(name)
            .filter(|property| takes_part(ctx.old, property, subject.dir));
        let new_property = new
            .properties
            .get(name)
            .filter(|property| takes_part(ctx.new, property, subject.dir));
        let child = subject.child(name);
        let (old_required, new_required) =
            (old.required.contains(name), new.required.contains(name));
        match (old_property, new_property) {
            (Some(old_property), Some(new_property)) => {
                let old_pointer = format!("{old_at}{}", old_property.rel);
                let new_pointer = format!("{new_at}{}", new_property.rel);
                requiredness(ctx, &child, &new_pointer, old_required, new_required);
                schema::compare(
                    ctx,
                    old_property.value,
                    &old_pointer,
                    new_property.value,
                    &new_pointer,
                    &child,
                );
            }
            (Some(old_property), None) => {
                let pointer = format!("{old_at}{}", old_property.rel);
                let (id, what) = match (subject.dir, old_required) {
                    (Dir::Request, _) => ("request-property-removed", ""),
                    (Dir::Response, true) => ("response-required-property-removed", "required "),
                    (Dir::Response, false) => ("response-optional-property-removed", "optional "),
                };
                ctx.fixed(
                    id,
                    pointer,
                    format!("removed the {what}{}", child.describe()),
                );
            }
            (None, Some(new_property)) => {
                let pointer = format!("{new_at}{}", new_property.rel);
                let id = match (subject.dir, new_required) {
                    (Dir::Request, true) => "new-required-request-property",
                    (Dir::Request, false) => "new-optional-request-property",
                    (Dir::Response, true) => "response-required-property-added",
                    (Dir::Response, false) => "response-optional-property-added",
                };
                let what = if new_required { "required" } else { "optional" };
                ctx.fixed(
                    id,
                    pointer,
                    format!("added the new {what} {}", child.describe()),
                );
            }
            (None, None) => {}
        }
    }
}

fn requiredness(
    ctx: &mut Ctx<'_, '_>,
    child: &Subject,
    pointer: &str,
    old_required: bool,
    new_required: bool,
) {
    if old_required == new_required {
        return;
    }
    let id = match (child.dir, new_required) {
        (Dir::Request, true) => "request-property-became-required",
        (Dir::Request, false) => "request-property-became-optional",
        (Dir::Response, true) => "response-property-became-required",
        (Dir::Response, false) => "response-property-became-optional",
    };
    let state = if new_required { "required" } else { "optional" };
    ctx.fixed(
        id,
        pointer,
        format!("the {} became {state}", child.describe()),
    );
}
