//! Enum values. `null` in an enum is nullability, not a value; `const: v`
//! (3.1) is `enum: [v]`; numbers compare by their exact value: `1` and
//! `1.0` are the same value, `9007199254740993` and `9007199254740992` are
//! not (integers are never rounded to an `f64`).
//!
//! ## Request side
//! - `*-enum-value-removed` (breaking): clients sending it are rejected.
//! - `*-enum-value-added` (info).
//! - `*-became-enum` (breaking): a free value is restricted to a list.
//! - `*-enum-removed` (warning): the enum was dropped, so every value sent
//!   before is still accepted, but code generated from the old document
//!   passes a generated enum where the new code takes a plain value (the
//!   mirror of a response value that became an enum); info when the old
//!   enum was already open (see [`crate::rules`]).
//! ```yaml
//! # before                                  # after
//! status: {enum: [available, sold]}         status: {enum: [available]}
//! sort: {type: string, enum: [asc, desc]}   sort: {type: string}
//! ```
//!
//! ## Response side
//! - `*-enum-value-added` (breaking for a closed enum: the generated Rust
//!   enum cannot decode the new value and exhaustive `match`es are
//!   incomplete; info for an enum that was already open in the old
//!   document, see [`crate::rules`]; marking it open in the same change
//!   does not help code generated from the old one).
//! - `*-enum-value-removed` (info).
//! - `*-type-changed` (breaking) when the enum is dropped (any string may
//!   now arrive, and the generated enum cannot decode it; warning when the
//!   old enum was open), and (warning) when a plain value became an enum
//!   (old code still decodes it, but the generated type changes).
//! ```yaml
//! # before                                  # after
//! purpose: {enum: [voice_clone]}            purpose: {enum: [voice_clone, t2a]}
//! status: {type: string, enum: [a, b]}      status: {type: string}
//! ```

use std::collections::HashSet;

use serde_json::Value;

use super::{schema, Ctx, Dir, Subject};
use crate::number::{exact, Exact};
use crate::report::Level;
use crate::schema::View;

/// A comparable key for an enum value: numbers by their exact value (`1`
/// and `1.0` agree; integers above 2^53 are not rounded to an `f64`), also
/// inside arrays and objects (`{"n": 1}` and `{"n": 1.0}` agree; object
/// members in name order), other values by their JSON text.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Key {
    Number(Exact),
    Array(Vec<Key>),
    Object(Vec<(String, Key)>),
    Other(String),
}

// Recursion is bounded: serde_json refuses documents nested deeper than 128.
fn key(value: &Value) -> Key {
    match value {
        Value::Number(number) => Key::Number(exact(number)),
        Value::Array(items) => Key::Array(items.iter().map(key).collect()),
        Value::Object(members) => {
            let mut members: Vec<(String, Key)> = members
                .iter()
                .map(|(name, member)| (name.clone(), key(member)))
                .collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            Key::Object(members)
        }
        other => Key::Other(other.to_string()),
    }
}

/// Compares the enum values of two views.
pub(crate) fn compare(
    ctx: &mut Ctx<'_, '_>,
    old: &View<'_>,
    new: &View<'_>,
    at: &str,
    subject: &Subject,
) {
    match (&old.enum_values, &new.enum_values) {
        (Some(old_values), Some(new_values)) => {
            let old_keys: HashSet<Key> = old_values.iter().map(|value| key(value)).collect();
            let new_keys: HashSet<Key> = new_values.iter().map(|value| key(value)).collect();
            for value in old_values {
                if !new_keys.contains(&key(value)) {
                    ctx.schema_rule(
                        subject,
                        "enum-value-removed",
                        None,
                        at,
                        format!(
                            "removed the enum value {value} from the {}",
                            subject.describe()
                        ),
                    );
                }
            }
            let level = match subject.dir {
                Dir::Request => None,
                Dir::Response => schema::enum_added_level(old),
            };
            let open = if level.is_some() { " (open enum)" } else { "" };
            for value in new_values {
                if !old_keys.contains(&key(value)) {
                    ctx.schema_rule(
                        subject,
                        "enum-value-added",
                        level,
                        at,
                        format!(
                            "added the enum value {value} to the {}{open}",
                            subject.describe()
                        ),
                    );
                }
            }
        }
        (None, Some(new_values)) if subject.dir == Dir::Request => {
            ctx.schema_rule(
                subject,
                "became-enum",
                None,
                at,
                format!(
                    "the {} was restricted to the enum values [{}]",
                    subject.describe(),
                    listed(new_values)
                ),
            );
        }
        (Some(old_values), None) if subject.dir == Dir::Request => {
            // Every value sent before is still accepted; only the generated
            // type changes (an open enum's already takes any value).
            let level = old.open_enum.then_some(Level::Info);
            let open = if old.open_enum { " (open enum)" } else { "" };
            ctx.schema_rule(
                subject,
                "enum-removed",
                level,
                at,
                format!(
                    "the {} is no longer restricted to the enum values [{}]{open}",
                    subject.describe(),
                    listed(old_values)
                ),
            );
        }
        (Some(old_values), None) if subject.dir == Dir::Response => {
            // Code generated from the old document has an enum that cannot
            // decode the values now allowed (an open one can).
            let level = old.open_enum.then_some(Level::Warning);
            ctx.schema_rule(
                subject,
                "type-changed",
                level,
                at,
                format!(
                    "the {} is no longer restricted to the enum values [{}]",
                    subject.describe(),
                    listed(old_values)
                ),
            );
        }
        (None, Some(new_values)) if subject.dir == Dir::Response => {
            ctx.schema_rule(
                subject,
                "type-changed",
                Some(Level::Warning),
                at,
                format!(
                    "the {} was restricted to the enum values [{}] (the generated type becomes an enum)",
                    subject.describe(),
                    listed(new_values)
                ),
            );
        }
        _ => {}
    }
}

fn listed(values: &[&Value]) -> String {
    values
        .iter()
        .map(|value| value.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
