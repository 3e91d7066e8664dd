//! Parameters: added, removed, requiredness; then each parameter's schema
//! through the schema walk (subject `request-parameter`).
//!
//! Parameters are keyed by location and name (header names are
//! case-insensitive; `Accept`, `Content-Type` and `Authorization` headers
//! are ignored, as OpenAPI says), except that a path parameter whose name
//! differs at the same position of the path template is its renamed self. Path-level parameters apply to every
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
//! ## `request-parameter-renamed` (warning)
//! Path parameters are matched by their position in the path template,
//! not by name: renaming one changes nothing on the wire, but the
//! generated method's argument (or builder method) is renamed. It is then
//! compared with its new self like any other pair.
//! ```yaml
//! # before                             # after
//! /files/{id}:                         /files/{file_id}:
//!   parameters: [{name: id, in: path}]   parameters: [{name: file_id, in: path}]
//! ```
//! ## Schema rules
//! `request-parameter-type-changed`, `request-parameter-enum-value-removed`,
//! `request-parameter-max-length-decreased`, … (see [`super::schema`],
//! [`super::enums`], [`super::constraints`]).

use std::collections::BTreeMap;

use super::{docs, schema, Ctx, Dir, Role, Subject};
use crate::model::{parameters, path_parameter_names, Operation, Param, ParamKey};

/// Compares the effective parameters of two operations.
pub(crate) fn compare<'a>(ctx: &mut Ctx<'_, 'a>, old: &Operation<'a>, new: &Operation<'a>) {
    let (mut old_params, old_dangling) = parameters(ctx.old, old);
    let (mut new_params, new_dangling) = parameters(ctx.new, new);
    for (reference, at) in new_dangling {
        let old = old_dangling
            .iter()
            .map(|(old_ref, _)| *old_ref)
            .find(|old_ref| *old_ref == reference);
        ctx.unresolved_ref(reference, old, at, || {
            format!("the parameter `$ref` `{reference}` does not exist in the new document")
        });
    }
    for (position, (before, after)) in
        renamed_path_parameters(old, new, &mut old_params, &mut new_params)
    {
        ctx.fixed(
            "request-parameter-renamed",
            after.pointer.clone(),
            format!(
                "the path parameter `{}` was renamed to `{}` (position {} in the path)",
                before.name,
                after.name,
                position + 1
            ),
        );
        compare_pair(ctx, &before, &after);
    }
    let mut keys: Vec<_> = old_params.keys().chain(new_params.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        match (old_params.get(key), new_params.get(key)) {
            (Some(before), Some(after)) => compare_pair(ctx, before, after),
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

/// Path parameters are matched by their position in the path template
/// (operations are paired by template, so `/files/{id}` may face
/// `/files/{file_id}`): takes the declared pairs whose names differ out of
/// both maps, with their position.
fn renamed_path_parameters<'a>(
    old: &Operation<'a>,
    new: &Operation<'a>,
    old_params: &mut BTreeMap<ParamKey, Param<'a>>,
    new_params: &mut BTreeMap<ParamKey, Param<'a>>,
) -> Vec<(usize, (Param<'a>, Param<'a>))> {
    let key = |name: &str| ("path".to_owned(), name.to_owned());
    let mut renamed = Vec::new();
    let names = path_parameter_names(old.path)
        .into_iter()
        .zip(path_parameter_names(new.path));
    for (position, (old_name, new_name)) in names.enumerate() {
        if old_name == new_name
            || !old_params.contains_key(&key(old_name))
            || !new_params.contains_key(&key(new_name))
        {
            continue;
        }
        if let (Some(before), Some(after)) = (
            old_params.remove(&key(old_name)),
            new_params.remove(&key(new_name)),
        ) {
            renamed.push((position, (before, after)));
        }
    }
    renamed
}

/// Compares a parameter with its counterpart: requiredness, then schema.
fn compare_pair<'a>(ctx: &mut Ctx<'_, 'a>, before: &Param<'a>, after: &Param<'a>) {
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
