//! Component schemas removed or renamed (document-level: no operation).
//!
//! Changes *inside* a component are reported per operation that uses it
//! (see [`crate::rules`]); these rules are about the component's name,
//! which the generator turns into a Rust type name.
//!
//! ## `component-schema-renamed` (breaking)
//! A schema was removed and a structurally identical one (same
//! structural fingerprint: documentation, extensions and `$ref` names
//! ignored) was added under another name in the same change. The
//! operations that use it see no change; the generated type is renamed.
//! Pairs are taken in name order.
//! ```yaml
//! # before                               # after
//! components:                            components:
//!   schemas: {FileObject: …}               schemas: {File: …}   # same shape
//! ```
//!
//! ## `api-schema-removed` (warning)
//! A schema was removed with no identical replacement: its generated type
//! disappears (code that names it stops compiling; the operations that used
//! it report their own changes).

use std::collections::{HashMap, VecDeque};

use serde_json::{Map, Value};
use spec_compat::pointer;

use super::Ctx;
use crate::fingerprint;

/// Compares the component schema names of the two documents.
///
/// O(n log n) in the number of schemas: each name is looked up once in the
/// other document's map, the names are sorted once, and the added schemas
/// wait in one queue per fingerprint, in name order, so each removed schema
/// takes the first free one with its fingerprint in constant time.
pub(crate) fn compare(ctx: &mut Ctx<'_, '_>) {
    let (old_doc, new_doc) = (ctx.old, ctx.new);
    let old_schemas = schemas(old_doc.root);
    let new_schemas = schemas(new_doc.root);
    let mut added: HashMap<u64, VecDeque<&String>> = HashMap::new();
    for (name, schema) in only_in(new_schemas, old_schemas) {
        added
            .entry(fingerprint::of(new_doc, schema))
            .or_default()
            .push_back(name);
    }
    for (name, schema) in only_in(old_schemas, new_schemas) {
        let print = fingerprint::of(old_doc, schema);
        match added.get_mut(&print).and_then(VecDeque::pop_front) {
            Some(new_name) => ctx.fixed(
                "component-schema-renamed",
                pointer::join(["components", "schemas", new_name]),
                format!(
                    "the component schema `{name}` was renamed to `{new_name}` (same structure; the generated type is renamed)"
                ),
            ),
            None => ctx.fixed(
                "api-schema-removed",
                pointer::join(["components", "schemas", name]),
                format!("removed the component schema `{name}`"),
            ),
        }
    }
}

/// The document's component schemas, when it has any.
fn schemas(root: &Value) -> Option<&Map<String, Value>> {
    root.pointer("/components/schemas")
        .and_then(Value::as_object)
}

/// The schemas of `ours` whose names `theirs` lacks, in name order.
fn only_in<'v>(
    ours: Option<&'v Map<String, Value>>,
    theirs: Option<&Map<String, Value>>,
) -> Vec<(&'v String, &'v Value)> {
    let mut only: Vec<(&String, &Value)> = ours
        .into_iter()
        .flatten()
        .filter(|(name, _)| !theirs.is_some_and(|theirs| theirs.contains_key(*name)))
        .collect();
    only.sort_unstable_by(|a, b| a.0.cmp(b.0));
    only
}
