//! The directional schema walk, and the rules about a schema's shape:
//! type and format, nullability, and `oneOf`/`anyOf` branches.
//!
//! Both schemas are flattened into a view (`$ref`s followed, `allOf`
//! merged), compared keyword by keyword, and the walk descends into
//! properties ([`super::properties`]), `items`, `additionalProperties` and
//! matched union branches. Ids are `<subject>-<kind>`, where the subject is
//! `request-parameter`, `request-body` (the body's root schema),
//! `request-property` (anything nested in a request body), `response-body`,
//! `response-property` or `response-header`. The walk descends at most
//! [`MAX_DEPTH`] schemas deep; a difference below that is reported by the
//! catch-all [`super::docs`] rule `api-unclassified-change`.
//!
//! ## `*-type-changed` (breaking)
//! The type (explicit, or implied by `properties`/`items`/an enum), a union
//! replacing a type, or the `format` changed. Every such change changes the
//! generated Rust type, so it is breaking in both directions. On the
//! response side, an enum dropped or added is a type change too (see
//! [`super::enums`] for its levels).
//! ```yaml
//! # before                         # after
//! limit: {type: integer}           limit: {type: string}
//! id: {type: integer, format: int32}   id: {type: integer, format: int64}
//! ```
//!
//! ## `*-became-nullable` / `*-became-not-nullable`
//! `nullable: true` (3.0) or `type: [T, "null"]` (3.1) appeared or went.
//! Response side: became nullable is breaking (the field becomes an
//! `Option`, and clients receive `null`), became not nullable is info.
//! Request side: the reverse.
//! ```yaml
//! # before                         # after
//! name: {type: string}             name: {type: [string, "null"]}
//! ```
//!
//! ## `*-one-of-added` / `*-one-of-removed` / `*-any-of-added` / `*-any-of-removed`
//! Branches are matched by `$ref`, then by structure, then by type and
//! property names, then inline branches (when their counts agree) by
//! position; matched branches are compared recursively. A `$ref` branch
//! left over is removed or added: `oneOf: [A, B]` → `[A, C]` removes `B`
//! and adds `C` rather than comparing `B` with `C`. Response side: an added branch is
//! breaking (a new variant of the generated enum; clients may receive it),
//! a removed one is info. Request side: a removed branch is breaking, an
//! added one info.
//! ```yaml
//! # before                         # after
//! content:                         content:
//!   oneOf: [{$ref: Text}]            oneOf: [{$ref: Text}, {$ref: Image}]
//! ```
//!
//! ## `unresolved-ref` (warning)
//! A `$ref` that resolves to nothing is compared as the reference string;
//! when the new document's dangles and the old one's did not (or pointed
//! elsewhere), it is reported instead of comparing further.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{constraints, docs, enums, properties, Ctx, Dir, Subject};
use crate::fingerprint;
use crate::model::ref_of;
use crate::report::Level;
use crate::schema::{Sub, View};

/// How many schemas deep the walk descends (through properties, `items`,
/// `additionalProperties` and union branches) from a parameter, body or
/// header. Deeper, it compares no further; a difference below is reported
/// as `api-unclassified-change`, once per operation.
pub const MAX_DEPTH: usize = 64;

/// Compares the schema `old` (at `old_at` in the old document) with `new`
/// (at `new_at` in the new one) as `subject`.
pub(crate) fn compare<'a>(
    ctx: &mut Ctx<'_, 'a>,
    old: &'a Value,
    old_at: &str,
    new: &'a Value,
    new_at: &str,
    subject: &Subject,
) {
    if ctx.depth >= MAX_DEPTH {
        too_deep(ctx, old, new, new_at);
        return;
    }
    ctx.depth += 1;
    compare_at_depth(ctx, old, old_at, new, new_at, subject);
    ctx.depth -= 1;
}

/// Past [`MAX_DEPTH`] the walk compares no further; when what lies below
/// differs (by structural fingerprint, which has no depth limit), the
/// catch-all `api-unclassified-change` says so, once per operation.
fn too_deep<'a>(ctx: &mut Ctx<'_, 'a>, old: &'a Value, new: &'a Value, new_at: &str) {
    if ctx.deep_change_reported || fingerprint::of(ctx.old, old) == fingerprint::of(ctx.new, new) {
        return;
    }
    ctx.deep_change_reported = true;
    ctx.fixed(
        "api-unclassified-change",
        new_at,
        format!(
            "the schema changed more than {MAX_DEPTH} levels deep, below this point, where changes are not classified; review the diff"
        ),
    );
}

fn compare_at_depth<'a>(
    ctx: &mut Ctx<'_, 'a>,
    old: &'a Value,
    old_at: &str,
    new: &'a Value,
    new_at: &str,
    subject: &Subject,
) {
    let old_view = View::of(ctx.old, old);
    let new_view = View::of(ctx.new, new);
    if let Some(reference) = new_view.dangling {
        ctx.unresolved_ref(reference, old_view.dangling, new_at, || {
            format!(
                "the {} refers to `{reference}`, which does not exist in the new document",
                subject.describe()
            )
        });
        return;
    }
    let (Some(old_target), Some(new_target)) = (old_view.target, new_view.target) else {
        // The old schema dangled: there is nothing to compare against.
        return;
    };
    if !ctx.first_visit(
        subject.dir,
        subject.role,
        old_target as *const Value as usize,
        new_target as *const Value as usize,
    ) {
        return;
    }
    docs::schema(ctx, &old_view, &new_view, new_at);
    if !shape(ctx, &old_view, &new_view, new_at, subject) {
        return;
    }
    nullability(ctx, &old_view, &new_view, new_at, subject);
    enums::compare(ctx, &old_view, &new_view, new_at, subject);
    if subject.dir == Dir::Request {
        constraints::compare(ctx, &old_view, &new_view, new_at, subject);
    }
    unions(ctx, &old_view, &new_view, old_at, new_at, subject);
    properties::compare(ctx, &old_view, &new_view, old_at, new_at, subject);
    for (segment, old_child, new_child) in [
        ("items", &old_view.items, &new_view.items),
        (
            "additionalProperties",
            &old_view.additional,
            &new_view.additional,
        ),
    ] {
        if let (Some(old_child), Some(new_child)) = (old_child, new_child) {
            compare(
                ctx,
                old_child.value,
                &format!("{old_at}{}", old_child.rel),
                new_child.value,
                &format!("{new_at}{}", new_child.rel),
                &subject.child(segment),
            );
        }
    }
}

/// The shape name used to detect type changes: the (implied) type, else
/// the union kind, else `any`.
fn shape_of(view: &View<'_>) -> String {
    match view.effective_type() {
        Some(ty) => ty.to_owned(),
        None if !view.one_of.is_empty() => "oneOf".to_owned(),
        None if !view.any_of.is_empty() => "anyOf".to_owned(),
        None => "any".to_owned(),
    }
}

/// Type and format. Returns false when the shapes differ so much that
/// comparing further would only repeat the type change.
fn shape(
    ctx: &mut Ctx<'_, '_>,
    old: &View<'_>,
    new: &View<'_>,
    at: &str,
    subject: &Subject,
) -> bool {
    let (old_shape, new_shape) = (shape_of(old), shape_of(new));
    if old_shape != new_shape {
        ctx.schema_rule(
            subject,
            "type-changed",
            None,
            at,
            format!(
                "the type of the {} changed from `{old_shape}` to `{new_shape}`",
                subject.describe()
            ),
        );
        return false;
    }
    if old.format != new.format {
        ctx.schema_rule(
            subject,
            "type-changed",
            None,
            at,
            format!(
                "the format of the {} changed from `{}` to `{}`",
                subject.describe(),
                old.format.unwrap_or("none"),
                new.format.unwrap_or("none")
            ),
        );
    }
    true
}

fn nullability(ctx: &mut Ctx<'_, '_>, old: &View<'_>, new: &View<'_>, at: &str, subject: &Subject) {
    if old.nullable == new.nullable {
        return;
    }
    let (kind, verb) = if new.nullable {
        ("became-nullable", "became nullable")
    } else {
        ("became-not-nullable", "is no longer nullable")
    };
    ctx.schema_rule(
        subject,
        kind,
        None,
        at,
        format!("the {} {verb}", subject.describe()),
    );
}

fn unions<'a>(
    ctx: &mut Ctx<'_, 'a>,
    old: &View<'a>,
    new: &View<'a>,
    old_at: &str,
    new_at: &str,
    subject: &Subject,
) {
    for (kind, keyword, old_branches, new_branches) in [
        ("one-of", "oneOf", &old.one_of, &new.one_of),
        ("any-of", "anyOf", &old.any_of, &new.any_of),
    ] {
        if old_branches.is_empty() && new_branches.is_empty() {
            continue;
        }
        let matching = match_branches(ctx, old_branches, new_branches);
        for index in matching.removed {
            ctx.schema_rule(
                subject,
                &format!("{kind}-removed"),
                None,
                new_at,
                format!(
                    "removed the {keyword} branch {} from the {}",
                    branch_label(&old_branches[index], index),
                    subject.describe()
                ),
            );
        }
        for index in matching.added {
            ctx.schema_rule(
                subject,
                &format!("{kind}-added"),
                None,
                &format!("{new_at}{}", new_branches[index].rel),
                format!(
                    "added the {keyword} branch {} to the {}",
                    branch_label(&new_branches[index], index),
                    subject.describe()
                ),
            );
        }
        for (old_index, new_index) in matching.pairs {
            let (old_branch, new_branch) = (&old_branches[old_index], &new_branches[new_index]);
            compare(
                ctx,
                old_branch.value,
                &format!("{old_at}{}", old_branch.rel),
                new_branch.value,
                &format!("{new_at}{}", new_branch.rel),
                subject,
            );
        }
    }
}

/// `` `Name` `` for a `$ref` branch, `#index (type)` for an inline one.
fn branch_label(branch: &Sub<'_>, index: usize) -> String {
    match ref_of(branch.value) {
        Some(reference) => format!("`{}`", reference.rsplit('/').next().unwrap_or(reference)),
        None => match branch.value.get("type").and_then(Value::as_str) {
            Some(ty) => format!("#{index} (`{ty}`)"),
            None => format!("#{index}"),
        },
    }
}

/// How the branches of two unions correspond.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct BranchMatching {
    /// `(old index, new index)`.
    pub pairs: Vec<(usize, usize)>,
    /// Old branches with no counterpart.
    pub removed: Vec<usize>,
    /// New branches with no counterpart.
    pub added: Vec<usize>,
}

/// Matches union branches: by `$ref`, by structure, by type and property
/// names, then inline branches by position when the inline leftovers are
/// as many on both sides. Leftover `$ref` branches are removed and added.
pub(crate) fn match_branches<'a>(
    ctx: &Ctx<'_, 'a>,
    old: &[Sub<'a>],
    new: &[Sub<'a>],
) -> BranchMatching {
    let mut old_free: Vec<bool> = vec![true; old.len()];
    let mut new_free: Vec<bool> = vec![true; new.len()];
    let mut pairs = Vec::new();
    let pass = |pairs: &mut Vec<(usize, usize)>,
                old_free: &mut Vec<bool>,
                new_free: &mut Vec<bool>,
                old_keys: &[Option<String>],
                new_keys: &[Option<String>]| {
        for (new_index, new_key) in new_keys.iter().enumerate() {
            let Some(new_key) = new_key else { continue };
            if !new_free[new_index] {
                continue;
            }
            let found = old_keys.iter().enumerate().find(|(old_index, old_key)| {
                old_free[*old_index] && old_key.as_ref() == Some(new_key)
            });
            if let Some((old_index, _)) = found {
                old_free[old_index] = false;
                new_free[new_index] = false;
                pairs.push((old_index, new_index));
            }
        }
    };
    let by_ref = |branches: &[Sub<'a>]| -> Vec<Option<String>> {
        branches
            .iter()
            .map(|branch| ref_of(branch.value).map(str::to_owned))
            .collect()
    };
    pass(
        &mut pairs,
        &mut old_free,
        &mut new_free,
        &by_ref(old),
        &by_ref(new),
    );
    let old_prints: Vec<Option<String>> = old
        .iter()
        .map(|branch| Some(fingerprint::of(ctx.old, branch.value).to_string()))
        .collect();
    let new_prints: Vec<Option<String>> = new
        .iter()
        .map(|branch| Some(fingerprint::of(ctx.new, branch.value).to_string()))
        .collect();
    pass(
        &mut pairs,
        &mut old_free,
        &mut new_free,
        &old_prints,
        &new_prints,
    );
    let signature = |doc, branches: &[Sub<'a>]| -> Vec<Option<String>> {
        branches
            .iter()
            .map(|branch| {
                let view = View::of(doc, branch.value);
                let names: BTreeSet<&str> = view.properties.keys().copied().collect();
                Some(format!(
                    "{}|{}|{}",
                    shape_of(&view),
                    view.title.map(Value::to_string).unwrap_or_default(),
                    names.into_iter().collect::<Vec<_>>().join(",")
                ))
            })
            .collect()
    };
    let (old_signatures, new_signatures) = (signature(ctx.old, old), signature(ctx.new, new));
    pass(
        &mut pairs,
        &mut old_free,
        &mut new_free,
        &old_signatures,
        &new_signatures,
    );
    // Leftover inline branches pair by position when they are as many on
    // both sides (an edited inline branch); a leftover `$ref` names another
    // schema than any on the other side, so it was removed or added.
    let left = |branches: &[Sub<'a>], free: &[bool]| -> (Vec<usize>, Vec<usize>) {
        (0..branches.len())
            .filter(|&index| free[index])
            .partition(|&index| ref_of(branches[index].value).is_none())
    };
    let (old_inline, old_refs) = left(old, &old_free);
    let (new_inline, new_refs) = left(new, &new_free);
    let mut matching = BranchMatching::default();
    if old_inline.len() == new_inline.len() {
        pairs.extend(old_inline.into_iter().zip(new_inline));
    } else {
        matching.removed = old_inline;
        matching.added = new_inline;
    }
    matching.removed.extend(old_refs);
    matching.added.extend(new_refs);
    matching.removed.sort_unstable();
    matching.added.sort_unstable();
    pairs.sort_unstable();
    matching.pairs = pairs;
    matching
}

/// The level a response enum addition gets: breaking unless the enum was
/// already open in the old document. Code generated from the old document
/// has a closed enum that cannot decode the new value, even when the same
/// change marks the enum open.
pub(crate) fn enum_added_level(old: &View<'_>) -> Option<Level> {
    old.open_enum.then_some(Level::Info)
}
