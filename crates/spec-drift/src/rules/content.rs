//! The media types of a request body or a response (shared by
//! [`super::request_body`] and [`super::responses`]): removed, added, and
//! for the ones on both sides, documentation and the schema walk.

use serde_json::Value;
use spec_compat::pointer;

use super::{docs, schema, Ctx, Dir, Role, Subject};
use crate::model::media_types;

/// What holds the `content` map.
#[derive(Clone, Copy)]
pub(crate) enum Holder<'s> {
    /// The request body.
    RequestBody,
    /// The response with this status.
    Response(&'s str),
}

/// Compares the `content` of `old` (at `old_at`) with that of `new` (at
/// `new_at`): media types removed and added, then per shared media type
/// its documentation and its schema (subject `request-body` or
/// `response-body`).
pub(crate) fn compare<'a>(
    ctx: &mut Ctx<'_, 'a>,
    holder: Holder<'_>,
    old: &'a Value,
    old_at: &str,
    new: &'a Value,
    new_at: &str,
) {
    let old_media = media_types(old);
    let new_media = media_types(new);
    for (key, (name, _)) in &old_media {
        if !new_media.contains_key(key) {
            let at = pointer::push(&format!("{old_at}/content"), name);
            match holder {
                Holder::RequestBody => ctx.fixed(
                    "request-body-media-type-removed",
                    at,
                    format!("the request media type `{name}` is no longer accepted"),
                ),
                Holder::Response(status) => ctx.fixed(
                    "response-media-type-removed",
                    at,
                    format!("removed the media type `{name}` from the response {status}"),
                ),
            }
        }
    }
    for (key, (name, new_entry)) in &new_media {
        let new_media_at = pointer::push(&format!("{new_at}/content"), name);
        let Some((old_name, old_entry)) = old_media.get(key) else {
            match holder {
                Holder::RequestBody => ctx.fixed(
                    "request-body-media-type-added",
                    new_media_at,
                    format!("added the request media type `{name}`"),
                ),
                Holder::Response(status) => ctx.fixed(
                    "response-media-type-added",
                    new_media_at,
                    format!("added the media type `{name}` to the response {status}"),
                ),
            }
            continue;
        };
        let old_media_at = pointer::push(&format!("{old_at}/content"), old_name);
        docs::fields(ctx, old_entry, new_entry, &new_media_at);
        if let (Some(old_schema), Some(new_schema)) =
            (old_entry.get("schema"), new_entry.get("schema"))
        {
            let (dir, name) = match holder {
                Holder::RequestBody => (Dir::Request, (*name).clone()),
                Holder::Response(status) => (Dir::Response, format!("{status} {name}")),
            };
            let subject = Subject {
                dir,
                role: Role::Body,
                name,
                path: String::new(),
            };
            schema::compare(
                ctx,
                old_schema,
                &format!("{old_media_at}/schema"),
                new_schema,
                &format!("{new_media_at}/schema"),
                &subject,
            );
        }
    }
}
