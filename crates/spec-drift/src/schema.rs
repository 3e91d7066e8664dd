//! A flattened [`View`] of one schema: `$ref`s followed, `allOf` branches
//! merged, the keywords the rules read pulled out, and for every child
//! schema the pointer suffix that reaches it from the schema's own place.
//!
//! Merging `allOf`: the schema's own keywords win, then each branch in
//! order (depth first); `properties` and `required` are united (the first
//! definition of a property wins); the schema is nullable when it says so
//! itself or when every branch is. A `$ref` that leads back into a schema
//! being merged is ignored, so recursive `allOf`s terminate.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use spec_compat::pointer;

use crate::model::{ref_of, Doc};
use crate::number::Ordered;

/// Extensions that mark a value set as open: the generated type accepts
/// values it does not list (`x-minimax-rust-type` maps the schema to a
/// hand-written type; `x-minimax-known-values` documents values without
/// closing the set; `x-extensible-enum` is Zalando's convention).
pub(crate) const OPEN_ENUM_MARKERS: &[&str] = &[
    "x-minimax-rust-type",
    "x-minimax-known-values",
    "x-extensible-enum",
];

/// How deep `allOf` merging recurses before giving up on a branch.
const MAX_DEPTH: usize = 32;

/// A child schema and the pointer suffix from its parent view's place.
#[derive(Debug, Clone)]
pub(crate) struct Sub<'a> {
    pub value: &'a Value,
    pub rel: String,
}

/// A numeric bound with its exclusive flag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub value: Ordered,
    pub exclusive: bool,
}

/// The keywords of one schema, flattened.
#[derive(Debug, Default)]
pub(crate) struct View<'a> {
    /// The node the `$ref` chain ends at (`None` when dangling).
    pub target: Option<&'a Value>,
    /// The unresolvable `$ref`, when the chain dangles.
    pub dangling: Option<&'a str>,
    /// The first `$ref` of the chain, if the schema is a reference.
    pub reference: Option<&'a str>,
    pub ty: Option<&'a str>,
    pub format: Option<&'a str>,
    pub nullable: bool,
    pub enum_values: Option<Vec<&'a Value>>,
    pub open_enum: bool,
    pub properties: BTreeMap<&'a str, Sub<'a>>,
    pub required: BTreeSet<&'a str>,
    pub items: Option<Sub<'a>>,
    pub additional: Option<Sub<'a>>,
    pub one_of: Vec<Sub<'a>>,
    pub any_of: Vec<Sub<'a>>,
    pub max_length: Option<Ordered>,
    pub min_length: Option<Ordered>,
    pub maximum: Option<Bound>,
    pub minimum: Option<Bound>,
    pub max_items: Option<Ordered>,
    pub min_items: Option<Ordered>,
    pub pattern: Option<&'a str>,
    pub read_only: bool,
    pub write_only: bool,
    pub description: Option<&'a Value>,
    pub title: Option<&'a Value>,
    pub example: Option<&'a Value>,
}

impl<'a> View<'a> {
    /// Builds the view of `value` in `doc`.
    pub(crate) fn of(doc: &Doc<'a>, value: &'a Value) -> View<'a> {
        let mut view = View::default();
        let mut stack = Vec::new();
        view.nullable = view.merge(doc, value, "", 0, &mut stack, true);
        if let Some(values) = &mut view.enum_values {
            if values.iter().any(|value| value.is_null()) {
                view.nullable = true;
                values.retain(|value| !value.is_null());
            }
        }
        view
    }

    /// The explicit type, or the one the keywords imply (`properties` →
    /// object, `items` → array, an enum of strings → string). `None` means
    /// "any" (or a `oneOf`/`anyOf` union).
    pub(crate) fn effective_type(&self) -> Option<&'a str> {
        if self.ty.is_some() {
            return self.ty;
        }
        if !self.properties.is_empty() || self.additional.is_some() || !self.required.is_empty() {
            return Some("object");
        }
        if self.items.is_some() {
            return Some("array");
        }
        let values = self.enum_values.as_ref()?;
        let first = values.first()?;
        let kind = match first {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Number(number) if number.is_f64() => "number",
            Value::Number(_) => "integer",
            _ => return None,
        };
        values
            .iter()
            .all(|value| match kind {
                "string" => value.is_string(),
                "boolean" => value.is_boolean(),
                _ => value.is_number(),
            })
            .then_some(kind)
    }

    /// Merges `value` (and its `allOf` branches) into `self`; returns
    /// whether `value` itself is nullable.
    fn merge(
        &mut self,
        doc: &Doc<'a>,
        value: &'a Value,
        prefix: &str,
        depth: usize,
        stack: &mut Vec<usize>,
        outermost: bool,
    ) -> bool {
        let mut node = value;
        let mut own_nullable = false;
        let mut hops = 0;
        loop {
            self.annotations(node);
            own_nullable |= node.get("nullable").and_then(Value::as_bool) == Some(true);
            let Some(reference) = ref_of(node) else {
                break;
            };
            if outermost && self.reference.is_none() {
                self.reference = Some(reference);
            }
            hops += 1;
            match doc.resolve(reference) {
                Some(target) if hops < 64 => {
                    if stack.contains(&(target as *const Value as usize)) {
                        return own_nullable;
                    }
                    node = target;
                }
                _ => {
                    if outermost {
                        self.dangling = Some(reference);
                    }
                    return own_nullable;
                }
            }
        }
        if outermost {
            self.target = Some(node);
        }
        let Some(object) = node.as_object() else {
            return own_nullable;
        };
        stack.push(node as *const Value as usize);

        let str_of = |key: &str| object.get(key).and_then(Value::as_str);
        let num_of = |key: &str| object.get(key).and_then(Ordered::of);
        let flag_of = |key: &str| object.get(key).and_then(Value::as_bool) == Some(true);
        set_if_none(&mut self.ty, str_of("type"));
        set_if_none(&mut self.format, str_of("format"));
        set_if_none(&mut self.pattern, str_of("pattern"));
        set_if_none(&mut self.max_length, num_of("maxLength"));
        set_if_none(&mut self.min_length, num_of("minLength"));
        set_if_none(&mut self.max_items, num_of("maxItems"));
        set_if_none(&mut self.min_items, num_of("minItems"));
        set_if_none(
            &mut self.maximum,
            num_of("maximum").map(|value| Bound {
                value,
                exclusive: flag_of("exclusiveMaximum"),
            }),
        );
        set_if_none(
            &mut self.minimum,
            num_of("minimum").map(|value| Bound {
                value,
                exclusive: flag_of("exclusiveMinimum"),
            }),
        );
        if self.enum_values.is_none() {
            if let Some(values) = object.get("enum").and_then(Value::as_array) {
                self.enum_values = Some(values.iter().collect());
            }
        }
        self.read_only |= flag_of("readOnly");
        self.write_only |= flag_of("writeOnly");
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, schema) in properties {
                self.properties.entry(name.as_str()).or_insert_with(|| Sub {
                    value: schema,
                    rel: pointer::push(&format!("{prefix}/properties"), name),
                });
            }
        }
        if let Some(required) = object.get("required").and_then(Value::as_array) {
            self.required
                .extend(required.iter().filter_map(Value::as_str));
        }
        if self.items.is_none() {
            if let Some(items) = object.get("items").filter(|items| items.is_object()) {
                self.items = Some(Sub {
                    value: items,
                    rel: format!("{prefix}/items"),
                });
            }
        }
        if self.additional.is_none() {
            if let Some(additional) = object
                .get("additionalProperties")
                .filter(|additional| additional.is_object())
            {
                self.additional = Some(Sub {
                    value: additional,
                    rel: format!("{prefix}/additionalProperties"),
                });
            }
        }
        for (key, target) in [("oneOf", 0), ("anyOf", 1)] {
            let list = if target == 0 {
                &mut self.one_of
            } else {
                &mut self.any_of
            };
            if list.is_empty() {
                if let Some(branches) = object.get(key).and_then(Value::as_array) {
                    *list = branches
                        .iter()
                        .enumerate()
                        .map(|(index, branch)| Sub {
                            value: branch,
                            rel: format!("{prefix}/{key}/{index}"),
                        })
                        .collect();
                }
            }
        }
        let mut all_nullable = None;
        if depth < MAX_DEPTH {
            if let Some(branches) = object.get("allOf").and_then(Value::as_array) {
                for (index, branch) in branches.iter().enumerate() {
                    let nullable = self.merge(
                        doc,
                        branch,
                        &format!("{prefix}/allOf/{index}"),
                        depth + 1,
                        stack,
                        false,
                    );
                    all_nullable = Some(all_nullable.unwrap_or(true) && nullable);
                }
            }
        }
        stack.pop();
        own_nullable || all_nullable == Some(true)
    }

    fn annotations(&mut self, node: &'a Value) {
        let Some(object) = node.as_object() else {
            return;
        };
        set_if_none(&mut self.description, object.get("description"));
        set_if_none(&mut self.title, object.get("title"));
        set_if_none(&mut self.example, object.get("example"));
        self.open_enum |= OPEN_ENUM_MARKERS
            .iter()
            .any(|key| object.contains_key(*key));
    }
}

fn set_if_none<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Side;
    use serde_json::json;

    #[test]
    fn all_of_merges_properties_required_and_nullability() {
        let root = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "Null": {"type": "string", "nullable": true},
            "Self": {"allOf": [{"$ref": "#/components/schemas/Self"}], "properties": {"a": {}}}
        }}});
        let doc = Doc::new(&root, Side::New);
        let schema = json!({"allOf": [{"$ref": "#/components/schemas/Base"},
                                      {"properties": {"name": {"type": "string"}}}]});
        let view = View::of(&doc, &schema);
        assert_eq!(view.effective_type(), Some("object"));
        assert_eq!(view.properties["id"].rel, "/allOf/0/properties/id");
        assert_eq!(view.properties["name"].rel, "/allOf/1/properties/name");
        assert!(view.required.contains("id"));
        assert!(!view.nullable);

        let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/Null"}]});
        assert!(View::of(&doc, &wrapped).nullable);
        let recursive = json!({"$ref": "#/components/schemas/Self"});
        let view = View::of(&doc, &recursive);
        assert!(view.properties.contains_key("a"));
    }

    #[test]
    fn dangling_refs_and_open_markers() {
        let root = json!({"components": {"schemas": {
            "Model": {"type": "string", "x-minimax-known-values": ["a"]}
        }}});
        let doc = Doc::new(&root, Side::New);
        let missing = json!({"$ref": "#/components/schemas/Nope"});
        assert_eq!(
            View::of(&doc, &missing).dangling,
            Some("#/components/schemas/Nope")
        );
        let open = json!({"$ref": "#/components/schemas/Model"});
        assert!(View::of(&doc, &open).open_enum);
        let weird = json!(42);
        assert_eq!(View::of(&doc, &weird).effective_type(), None);
    }

    #[test]
    fn enum_null_means_nullable_and_types_are_inferred() {
        let root = json!({});
        let doc = Doc::new(&root, Side::Old);
        let schema = json!({"enum": ["a", null]});
        let view = View::of(&doc, &schema);
        assert!(view.nullable);
        assert_eq!(view.effective_type(), Some("string"));
        assert_eq!(view.enum_values.map(|v| v.len()), Some(1));
        let mixed = json!({"enum": ["a", 1]});
        assert_eq!(View::of(&doc, &mixed).effective_type(), None);
        let array = json!({"items": {}});
        assert_eq!(View::of(&doc, &array).effective_type(), Some("array"));
    }
}
