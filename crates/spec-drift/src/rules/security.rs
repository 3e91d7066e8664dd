//! Security requirements.
//!
//! The effective requirements of an operation are its own `security`, else
//! the document's. Each entry is an alternative (any one suffices); an
//! entry is a set of schemes with scopes (all are needed); an empty list
//! or an empty entry `{}` means anonymous access. A client that used an
//! old alternative *A* is still accepted when some new alternative needs
//! no more than *A* (a subset of its schemes, each with a subset of the
//! scopes).
//!
//! ## `api-security-added`
//! A new alternative appeared. Breaking when some old alternative is no
//! longer accepted (the usual case: authentication became mandatory or
//! changed scheme), info when it is only a new way to authenticate.
//! ```yaml
//! # before                        # after
//! security: []                    security: [{bearerAuth: []}]
//! ```
//!
//! ## `api-security-removed`
//! An old alternative disappeared. Breaking when its clients are no longer
//! accepted, info when they still are (security was relaxed). The
//! anonymous alternative is not reported separately when an addition
//! already carries the break.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Ctx;
use crate::model::{Doc, Operation};
use crate::report::Level;

type Alternative = BTreeMap<String, BTreeSet<String>>;

fn effective<'a>(doc: &Doc<'a>, operation: &Operation<'a>) -> (Vec<Alternative>, String) {
    let (list, pointer) = match operation.node.get("security") {
        Some(list) => (Some(list), format!("{}/security", operation.pointer)),
        None => match doc.root.get("security") {
            Some(list) => (Some(list), "/security".to_owned()),
            None => (None, operation.pointer.clone()),
        },
    };
    let mut alternatives: Vec<Alternative> = list
        .and_then(Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .filter_map(Value::as_object)
                .map(|entry| {
                    entry
                        .iter()
                        .map(|(scheme, scopes)| {
                            let scopes = scopes
                                .as_array()
                                .map(|scopes| {
                                    scopes
                                        .iter()
                                        .filter_map(Value::as_str)
                                        .map(str::to_owned)
                                        .collect()
                                })
                                .unwrap_or_default();
                            (scheme.clone(), scopes)
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    if alternatives.is_empty() {
        alternatives.push(Alternative::new());
    }
    alternatives.sort();
    alternatives.dedup();
    (alternatives, pointer)
}

/// Whether `candidate` needs no more than `held`.
fn needs_no_more(candidate: &Alternative, held: &Alternative) -> bool {
    candidate.iter().all(|(scheme, scopes)| {
        held.get(scheme)
            .is_some_and(|held_scopes| scopes.is_subset(held_scopes))
    })
}

fn label(alternative: &Alternative) -> String {
    if alternative.is_empty() {
        return "anonymous access".to_owned();
    }
    alternative
        .iter()
        .map(|(scheme, scopes)| {
            if scopes.is_empty() {
                format!("`{scheme}`")
            } else {
                let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                format!("`{scheme}` ({})", scopes.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Compares the effective security of two operations.
pub(crate) fn compare<'a>(ctx: &mut Ctx<'_, 'a>, old: &Operation<'a>, new: &Operation<'a>) {
    let (old_alternatives, old_pointer) = effective(ctx.old, old);
    let (new_alternatives, new_pointer) = effective(ctx.new, new);
    if old_alternatives == new_alternatives {
        return;
    }
    let rejected: Vec<&Alternative> = old_alternatives
        .iter()
        .filter(|held| {
            !new_alternatives
                .iter()
                .any(|candidate| needs_no_more(candidate, held))
        })
        .collect();
    let mut added_any = false;
    for alternative in new_alternatives
        .iter()
        .filter(|alternative| !old_alternatives.contains(alternative))
    {
        added_any = true;
        let level = if rejected.is_empty() {
            Level::Info
        } else {
            Level::Breaking
        };
        ctx.emit(
            "api-security-added",
            level,
            new_pointer.clone(),
            format!("added the security requirement {}", label(alternative)),
        );
    }
    for alternative in old_alternatives
        .iter()
        .filter(|alternative| !new_alternatives.contains(alternative))
    {
        if alternative.is_empty() && added_any {
            continue;
        }
        let breaks = rejected.contains(&alternative);
        let level = if breaks { Level::Breaking } else { Level::Info };
        let consequence = if breaks {
            "; clients using it are rejected"
        } else {
            ""
        };
        ctx.emit(
            "api-security-removed",
            level,
            old_pointer.clone(),
            format!(
                "removed the security requirement {}{consequence}",
                label(alternative)
            ),
        );
    }
}
