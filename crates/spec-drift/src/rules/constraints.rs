//! Request constraints tightened or newly set. All breaking (a value the
//! old contract accepted may now be rejected), except `*-pattern-changed`,
//! a warning because whether the new pattern accepts less cannot be
//! decided in general. Relaxed request constraints and any change to
//! response constraints are not reported by these rules (the catch-all
//! `api-unclassified-change` notes them when nothing else changed).
//!
//! | kind | before → after |
//! |---|---|
//! | `max-length-decreased` | `maxLength: 100` → `maxLength: 50` |
//! | `max-length-set` | (none) → `maxLength: 50` |
//! | `min-length-increased` | `minLength: 1` → `minLength: 3` |
//! | `min-length-set` | (none) → `minLength: 3` |
//! | `max-decreased` | `maximum: 10` → `maximum: 5` |
//! | `max-set` | (none) → `maximum: 5` |
//! | `exclusive-max-set` | `maximum: 5` → `maximum: 5, exclusiveMaximum: true` (3.1: `exclusiveMaximum: 5`) |
//! | `min-increased` | `minimum: 0` → `minimum: 1` |
//! | `min-set` | (none) → `minimum: 1` |
//! | `exclusive-min-set` | `minimum: 0` → `minimum: 0, exclusiveMinimum: true` |
//! | `max-items-decreased` | `maxItems: 10` → `maxItems: 5` |
//! | `max-items-set` | (none) → `maxItems: 5` |
//! | `min-items-increased` | `minItems: 1` → `minItems: 2` |
//! | `min-items-set` | (none) → `minItems: 1` |
//! | `pattern-added` | (none) → `pattern: '^[a-z]+$'` |
//! | `pattern-changed` | `pattern: '^[a-z]+$'` → `pattern: '^[a-z0-9]+$'` |
//!
//! Each is prefixed by its subject: `request-parameter-`, `request-body-`
//! or `request-property-`, e.g. `request-property-max-length-decreased`.

use super::{Ctx, Subject};
use crate::number::Ordered;
use crate::schema::{Bound, View};

fn bound(bound: Bound) -> String {
    if bound.exclusive {
        format!("{} (exclusive)", bound.value)
    } else {
        bound.value.to_string()
    }
}

/// Compares the constraints of two request-side views.
pub(crate) fn compare(
    ctx: &mut Ctx<'_, '_>,
    old: &View<'_>,
    new: &View<'_>,
    at: &str,
    subject: &Subject,
) {
    let what = subject.describe();
    for (kind, keyword, old_value, new_value) in [
        ("max-length", "maxLength", old.max_length, new.max_length),
        ("max-items", "maxItems", old.max_items, new.max_items),
    ] {
        match (old_value, new_value) {
            (None, Some(value)) => ctx.schema_rule(
                subject,
                &format!("{kind}-set"),
                None,
                at,
                format!("the {keyword} of the {what} was set to {value}"),
            ),
            (Some(before), Some(after)) if after < before => ctx.schema_rule(
                subject,
                &format!("{kind}-decreased"),
                None,
                at,
                format!("the {keyword} of the {what} was decreased from {before} to {after}"),
            ),
            _ => {}
        }
    }
    for (kind, keyword, old_value, new_value) in [
        ("min-length", "minLength", old.min_length, new.min_length),
        ("min-items", "minItems", old.min_items, new.min_items),
    ] {
        match (old_value, new_value) {
            (None, Some(value)) if value.is_positive() => ctx.schema_rule(
                subject,
                &format!("{kind}-set"),
                None,
                at,
                format!("the {keyword} of the {what} was set to {value}"),
            ),
            (Some(before), Some(after)) if after > before => ctx.schema_rule(
                subject,
                &format!("{kind}-increased"),
                None,
                at,
                format!("the {keyword} of the {what} was increased from {before} to {after}"),
            ),
            _ => {}
        }
    }
    // Upper bounds tighten downwards, lower bounds upwards.
    for (name, keyword, old_bound, new_bound, tighter) in [
        (
            "max",
            "maximum",
            old.maximum,
            new.maximum,
            (|a: Ordered, b: Ordered| b < a) as fn(Ordered, Ordered) -> bool,
        ),
        (
            "min",
            "minimum",
            old.minimum,
            new.minimum,
            (|a: Ordered, b: Ordered| b > a) as fn(Ordered, Ordered) -> bool,
        ),
    ] {
        match (old_bound, new_bound) {
            (None, Some(after)) => ctx.schema_rule(
                subject,
                &format!("{name}-set"),
                None,
                at,
                format!("the {keyword} of the {what} was set to {}", bound(after)),
            ),
            (Some(before), Some(after)) if tighter(before.value, after.value) => {
                let direction = if name == "max" {
                    "decreased"
                } else {
                    "increased"
                };
                ctx.schema_rule(
                    subject,
                    &format!("{name}-{direction}"),
                    None,
                    at,
                    format!(
                        "the {keyword} of the {what} was {direction} from {} to {}",
                        bound(before),
                        bound(after)
                    ),
                )
            }
            (Some(before), Some(after))
                if before.value == after.value && after.exclusive && !before.exclusive =>
            {
                ctx.schema_rule(
                    subject,
                    &format!("exclusive-{name}-set"),
                    None,
                    at,
                    format!(
                        "the {keyword} {} of the {what} became exclusive",
                        after.value
                    ),
                )
            }
            _ => {}
        }
    }
    match (old.pattern, new.pattern) {
        (None, Some(pattern)) => ctx.schema_rule(
            subject,
            "pattern-added",
            None,
            at,
            format!("added the pattern `{pattern}` to the {what}"),
        ),
        (Some(before), Some(after)) if before != after => ctx.schema_rule(
            subject,
            "pattern-changed",
            None,
            at,
            format!("the pattern of the {what} changed from `{before}` to `{after}`"),
        ),
        _ => {}
    }
}
