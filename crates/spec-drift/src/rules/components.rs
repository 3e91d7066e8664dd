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

use serde_json::Value;
use spec_compat::pointer;

use super::Ctx;
use crate::fingerprint;

/// Compares the component schema names of the two documents.
pub(crate) fn compare(ctx: &mut Ctx<'_, '_>) {
    let old_root = ctx.old.root;
    let new_root = ctx.new.root;
    let names = |root: &Value| -> Vec<String> {
        root.pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| schemas.keys().cloned().collect())
            .unwrap_or_default()
    };
    let old_names = names(old_root);
    let new_names = names(new_root);
    let mut removed: Vec<&String> = old_names
        .iter()
        .filter(|name| !new_names.contains(name))
        .collect();
    removed.sort();
    let mut added: Vec<(&String, u64, bool)> = new_names
        .iter()
        .filter(|name| !old_names.contains(name))
        .filter_map(|name| {
            let schema = new_root.pointer(&pointer::join(["components", "schemas", name]))?;
            Some((name, fingerprint::of(ctx.new, schema), false))
        })
        .collect();
    added.sort_by(|a, b| a.0.cmp(b.0));
    for name in removed {
        let Some(schema) = old_root.pointer(&pointer::join(["components", "schemas", name])) else {
            continue;
        };
        let print = fingerprint::of(ctx.old, schema);
        match added
            .iter_mut()
            .find(|(_, candidate, taken)| !*taken && *candidate == print)
        {
            Some((new_name, _, taken)) => {
                *taken = true;
                let new_name = (*new_name).clone();
                ctx.fixed(
                    "component-schema-renamed",
                    pointer::join(["components", "schemas", &new_name]),
                    format!(
                        "the component schema `{name}` was renamed to `{new_name}` (same structure; the generated type is renamed)"
                    ),
                );
            }
            None => ctx.fixed(
                "api-schema-removed",
                pointer::join(["components", "schemas", name]),
                format!("removed the component schema `{name}`"),
            ),
        }
    }
}
