//! Enum values. `null` in an enum is nullability, not a value; `const: v`
//! (3.1) is `enum: [v]`; `1` and `1.0` are the same value.
//!
//! ## Request side
//! - `*-enum-value-removed` (breaking): clients sending it are rejected.
//! - `*-enum-value-added` (info).
//! - `*-became-enum` (breaking): a free value is restricted to a list.
//! ```yaml
//! # before                                  # after
//! status: {enum: [available, sold]}         status: {enum: [available]}
//! ```
//!
//! ## Response side
//! - `*-enum-value-added` (breaking for a closed enum: the generated Rust
//!   enum cannot decode the new value and exhaustive `match`es are
//!   incomplete; info for an enum that was already open in the old
//!   document, see [`crate::rules`]; marking it open in the same change
//!   does not help code generated from the old one).
//! - `*-enum-value-removed` (info).
//! ```yaml
//! # before                                  # after
//! purpose: {enum: [voice_clone]}            purpose: {enum: [voice_clone, t2a]}
//! ```

use serde_json::Value;

use super::{schema, Ctx, Dir, Subject};
use crate::schema::View;

/// A comparable key for an enum value (`1` and `1.0` agree).
fn key(value: &Value) -> String {
    match value {
        Value::Number(number) => number
            .as_f64()
            .map(|float| format!("#{float}"))
            .unwrap_or_else(|| number.to_string()),
        other => other.to_string(),
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
            let old_keys: Vec<String> = old_values.iter().map(|value| key(value)).collect();
            let new_keys: Vec<String> = new_values.iter().map(|value| key(value)).collect();
            for (value, value_key) in old_values.iter().zip(&old_keys) {
                if !new_keys.contains(value_key) {
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
            for (value, value_key) in new_values.iter().zip(&new_keys) {
                if !old_keys.contains(value_key) {
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
            let listed: Vec<String> = new_values.iter().map(|value| value.to_string()).collect();
            ctx.schema_rule(
                subject,
                "became-enum",
                None,
                at,
                format!(
                    "the {} was restricted to the enum values [{}]",
                    subject.describe(),
                    listed.join(", ")
                ),
            );
        }
        _ => {}
    }
}
