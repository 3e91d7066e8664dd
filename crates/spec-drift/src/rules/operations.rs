//! Paths and operations: removed, added, deprecated, renamed.
//!
//! Operations are matched by method and path; operations left over are
//! then matched by method and path *template* (parameter names erased), so
//! renaming `/files/{id}` to `/files/{file_id}` is a parameter rename
//! (`request-parameter-renamed`, see [`super::parameters`]), not a
//! removal plus an addition.
//!
//! ## `api-path-removed-without-deprecation` (breaking) / `api-path-removed-with-deprecation` (warning)
//! The whole path is gone; reported once per operation it had.
//! ```yaml
//! # before                        # after
//! /v1/files/delete: {post: …}     (absent)
//! ```
//! ## `api-removed-without-deprecation` (breaking) / `api-removed-with-deprecation` (warning)
//! The path remains but the method is gone.
//! ## `endpoint-added` (info), `endpoint-deprecated` (info), `endpoint-reactivated` (info)
//! ## `api-operation-id-changed` / `api-operation-id-removed` (breaking), `api-operation-id-added` (info)
//! The generated client names its method after the `operationId`, so a
//! changed or removed id breaks every caller at compile time.
//! ```yaml
//! # before                        # after
//! operationId: listFiles          operationId: fileList
//! ```

use std::collections::BTreeMap;

use super::{docs, parameters, request_body, responses, security, Ctx};
use crate::model::{Doc, Operation};
use crate::report::Change;

/// Matches the operations of both documents and compares each pair.
pub(crate) fn compare_all<'a>(
    old_doc: &Doc<'a>,
    new_doc: &Doc<'a>,
    old_ops: &[Operation<'a>],
    new_ops: &[Operation<'a>],
    out: &mut Vec<Change>,
) {
    let mut new_left: BTreeMap<(String, &str), usize> = new_ops
        .iter()
        .enumerate()
        .map(|(index, op)| ((op.method.clone(), op.path), index))
        .collect();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_left: Vec<usize> = Vec::new();
    for (index, op) in old_ops.iter().enumerate() {
        match new_left.remove(&(op.method.clone(), op.path)) {
            Some(new_index) => pairs.push((index, new_index)),
            None => old_left.push(index),
        }
    }
    // Second pass: by template, where the template is unambiguous.
    let count = |ops: &[Operation<'a>], indices: &mut dyn Iterator<Item = usize>| {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for index in indices {
            *counts
                .entry((ops[index].method.clone(), ops[index].template.clone()))
                .or_default() += 1;
        }
        counts
    };
    let old_counts = count(old_ops, &mut old_left.iter().copied());
    let new_counts = count(new_ops, &mut new_left.values().copied());
    let mut still_old = Vec::new();
    for index in old_left {
        let key = (
            old_ops[index].method.clone(),
            old_ops[index].template.clone(),
        );
        let unique = old_counts.get(&key) == Some(&1) && new_counts.get(&key) == Some(&1);
        let found = unique
            .then(|| {
                new_left
                    .iter()
                    .find(|(_, &new_index)| {
                        new_ops[new_index].method == key.0 && new_ops[new_index].template == key.1
                    })
                    .map(|(slot, &new_index)| (slot.clone(), new_index))
            })
            .flatten();
        match found {
            Some((slot, new_index)) => {
                new_left.remove(&slot);
                pairs.push((index, new_index));
            }
            None => still_old.push(index),
        }
    }

    for index in still_old {
        let op = &old_ops[index];
        let mut ctx = Ctx::new(old_doc, new_doc, Some(op.label()));
        let path_remains = new_ops.iter().any(|new| new.template == op.template);
        let deprecated = op.deprecated();
        let id = match (path_remains, deprecated) {
            (false, false) => "api-path-removed-without-deprecation",
            (false, true) => "api-path-removed-with-deprecation",
            (true, false) => "api-removed-without-deprecation",
            (true, true) => "api-removed-with-deprecation",
        };
        let what = if path_remains {
            "the operation was removed"
        } else {
            "the path was removed"
        };
        let how = if deprecated {
            " (it was deprecated)"
        } else {
            " without deprecation"
        };
        ctx.fixed(id, op.pointer.clone(), format!("{what}{how}"));
        out.append(&mut ctx.changes);
    }
    for (_, index) in new_left {
        let op = &new_ops[index];
        let mut ctx = Ctx::new(old_doc, new_doc, Some(op.label()));
        let id = op
            .operation_id()
            .map(|id| format!(" (`{id}`)"))
            .unwrap_or_default();
        ctx.fixed(
            "endpoint-added",
            op.pointer.clone(),
            format!("the operation was added{id}"),
        );
        out.append(&mut ctx.changes);
    }
    for (old_index, new_index) in pairs {
        let (old, new) = (&old_ops[old_index], &new_ops[new_index]);
        let mut ctx = Ctx::new(old_doc, new_doc, Some(new.label()));
        compare(&mut ctx, old, new);
        out.append(&mut ctx.changes);
    }
}

/// Compares one operation with its counterpart.
pub(crate) fn compare<'a>(ctx: &mut Ctx<'_, 'a>, old: &Operation<'a>, new: &Operation<'a>) {
    match (old.operation_id(), new.operation_id()) {
        (Some(before), Some(after)) if before != after => ctx.fixed(
            "api-operation-id-changed",
            format!("{}/operationId", new.pointer),
            format!("the operationId changed from `{before}` to `{after}` (the generated method is renamed)"),
        ),
        (Some(before), None) => ctx.fixed(
            "api-operation-id-removed",
            format!("{}/operationId", old.pointer),
            format!("the operationId `{before}` was removed (the generated method is renamed)"),
        ),
        (None, Some(after)) => ctx.fixed(
            "api-operation-id-added",
            format!("{}/operationId", new.pointer),
            format!("the operationId `{after}` was added"),
        ),
        _ => {}
    }
    match (old.deprecated(), new.deprecated()) {
        (false, true) => ctx.fixed(
            "endpoint-deprecated",
            format!("{}/deprecated", new.pointer),
            "the operation was deprecated",
        ),
        (true, false) => ctx.fixed(
            "endpoint-reactivated",
            new.pointer.clone(),
            "the operation is no longer deprecated",
        ),
        _ => {}
    }
    docs::maps(ctx, Some(old.node), Some(new.node), &new.pointer);
    security::compare(ctx, old, new);
    parameters::compare(ctx, old, new);
    request_body::compare(ctx, old, new);
    responses::compare(ctx, old, new);
    docs::finish_operation(ctx, old, new);
}
