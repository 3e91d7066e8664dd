//! Parameters: added, removed, requiredness; then each parameter's schema
//! through the schema walk (subject `request-parameter`).
//!
//! Parameters are keyed by location and name (header names are
//! case-insensitive; `Accept`, `Content-Type` and `Authorization` headers
//! are ignored, as OpenAPI says). Path-level parameters apply to every
//! operation of the path unless the operation overrides them.
//!
//! ## `new-required-request-parameter` (breaking) / `new-optional-request-parameter` (info)
//! ```yaml
//! # before                        # after
//! parameters: []                  parameters: [{name: purpose, in: query, required: true}]
//! ```
//! ## `request-parameter-became-required` (breaking) / `request-parameter-became-optional` (info)
//! ## `request-parameter-removed` (warning)
//! The server may reject or ignore it; the SDK's builder loses the method.
//! ## Schema rules
//! `request-parameter-type-changed`, `request-parameter-enum-value-removed`,
//! `request-parameter-max-length-decreased`, … (see [`super::schema`],
//! [`super::enums`], [`super::constraints`]).

use super::{docs, schema, Ctx, Dir, Role, Subject};
use crate::model::{parameters, Operation};

/// Compares the effective parameters of two operations.
pub(crate) fn compare<'a>(ctx: &mut Ctx<'_, 'a>, old: &Operation<'a>, new: &Operation<'a>) {
    let (old_params, old_dangling) = parameters(ctx.old, old);
    let (new_params, new_dangling) = parameters(ctx.new, new);
    for (reference, at) in new_dangling {
        if !old_dangling
            .iter()
            .any(|(old_ref, _)| *old_ref == reference)
        {
            ctx.fixed(
                "unresolved-ref",
                at,
                format!("the parameter `$ref` `{reference}` does not exist in the new document"),
            );
        }
    }
    let mut keys: Vec<_> = old_params.keys().chain(new_params.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        match (old_params.get(key), new_params.get(key)) {
            (Some(before), Some(after)) => {
                match (before.required, after.required) {
                    (false, true) => ctx.fixed(
                        "request-parameter-became-required",
                        after.pointer.clone(),
                        format!("the {} became required", after.describe()),
                    ),
                    (true, false) => ctx.fixed(
                        "request-parameter-became-optional",
                        after.pointer.clone(),
                        format!("the {} became optional", after.describe()),
                    ),
                    _ => {}
                }
                docs::fields(ctx, before.node, after.node, &after.pointer);
                if let (Some((old_schema, old_at)), Some((new_schema, new_at))) =
                    (&before.schema, &after.schema)
                {
                    let subject = Subject {
                        dir: Dir::Request,
                        role: Role::Parameter,
                        name: after.describe(),
                        path: String::new(),
                    };
                    schema::compare(ctx, old_schema, old_at, new_schema, new_at, &subject);
                }
            }
            (Some(before), None) => ctx.fixed(
                "request-parameter-removed",
                before.pointer.clone(),
                format!("removed the {}", before.describe()),
            ),
            (None, Some(after)) => {
                let (id, what) = if after.required {
                    ("new-required-request-parameter", "required")
                } else {
                    ("new-optional-request-parameter", "optional")
                };
                ctx.fixed(
                    id,
                    after.pointer.clone(),
                    format!("added the new {what} {}", after.describe()),
                );
            }
            (None, None) => {}
        }
    }
}
