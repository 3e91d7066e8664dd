//! Structural fingerprints: a 64-bit hash of what a part of the document
//! *means*, so that two parts can be compared for "same contract" in O(1).
//!
//! The hash follows local `$ref`s (a reference and the inline schema it
//! points at hash the same, and a component's name never enters its hash),
//! and ignores what cannot change the wire contract:
//! documentation (`description`, `summary`, `title`, `example`, `examples`,
//! `externalDocs`, `deprecated`), specification extensions (`x-…`), key
//! order, the order of set-like arrays (`required`, `enum`, `type`,
//! `allOf`/`anyOf`/`oneOf`, `parameters`, `security`, `tags`), `false`
//! flags that equal their default (`nullable`, `readOnly`, `required`…),
//! how a number is written (`1` versus `1.0`: numbers hash by their exact
//! value, so integers above 2^53 that one `f64` cannot tell apart still
//! differ), and a single-branch `allOf` with nothing beside it.
//! A `$ref` back into a schema that is being hashed hashes as its distance
//! up the stack, so recursive schemas terminate and hash the same under
//! another name. A `$ref` chain of any length (`S0.next` → `S1` → … →
//! `S5000`) recurses as deep as it goes, on stack segments grown on the heap
//! (`stacker`) instead of overflowing the thread's stack.
//!
//! Used by the component-rename rule, by `oneOf`/`anyOf` branch matching,
//! and by the catch-all rule that reports an operation whose contract
//! changed in a way no rule classifies.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde_json::{Map, Value};

use crate::model::{ref_of, Doc};
use crate::number::exact;

/// Keys whose value is a map from names to nodes (the names are data, not
/// keywords, so `properties: {description: …}` is not documentation).
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "paths",
    "responses",
    "content",
    "headers",
    "schemas",
    "securitySchemes",
    "links",
    "callbacks",
    "encoding",
    "mapping",
    "variables",
    "scopes",
    "requestBodies",
    "definitions",
];

/// Keys whose array value is a set.
const SET_ARRAYS: &[&str] = &[
    "required",
    "enum",
    "type",
    "allOf",
    "anyOf",
    "oneOf",
    "parameters",
    "security",
];

/// Keys that are documentation only.
const DOC_KEYS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "tags",
];

/// Flags whose `false` is the default.
const FALSE_DEFAULTS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "required",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "allowEmptyValue",
    "allowReserved",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A node whose keys are keywords.
    Node = 0,
    /// A map whose keys are names.
    Names = 1,
}

/// The fingerprint of `value`, a node of `doc` (a schema, a parameter, an
/// operation…). `value` must live inside `doc.root`: hashes are cached by
/// address.
pub(crate) fn of(doc: &Doc<'_>, value: &Value) -> u64 {
    let mut stack = Vec::new();
    hash_node(doc, value, Mode::Node, &mut stack).0
}

/// The fingerprint of an object of `doc` given as its map (an operation),
/// hashed like a node of keywords. The map itself is not cached.
pub(crate) fn of_object(doc: &Doc<'_>, map: &Map<String, Value>) -> u64 {
    let mut stack = Vec::new();
    let mut hasher = DefaultHasher::new();
    hash_keywords(doc, map, &mut stack, &mut hasher);
    hasher.finish()
}

fn address(value: &Value) -> usize {
    value as *const Value as usize
}

/// Stack left below which [`hash_node`] continues on a new segment.
const RED_ZONE: usize = 64 * 1024;
/// The size of each stack segment grown for a deep document.
const STACK_SEGMENT: usize = 1024 * 1024;

/// Returns the hash and whether a cycle was cut below this node (such
/// hashes depend on the entry point and are not cached).
fn hash_node(doc: &Doc<'_>, value: &Value, mode: Mode, stack: &mut Vec<usize>) -> (u64, bool) {
    stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || {
        hash_node_here(doc, value, mode, stack)
    })
}

/// [`hash_node`] on the current stack segment.
fn hash_node_here(doc: &Doc<'_>, value: &Value, mode: Mode, stack: &mut Vec<usize>) -> (u64, bool) {
    let key = (address(value), mode as u8);
    if let Some(&cached) = doc.fingerprints.borrow().get(&key) {
        return (cached, false);
    }
    let mut hasher = DefaultHasher::new();
    let mut cyclic = false;
    match value {
        Value::Object(map) if mode == Mode::Node => {
            if let Some(reference) = ref_of(value) {
                match doc.resolve(reference) {
                    None => {
                        "dangling".hash(&mut hasher);
                        reference.hash(&mut hasher);
                    }
                    Some(target) => {
                        if let Some(depth) = stack.iter().rev().position(|&a| a == address(target))
                        {
                            "cycle".hash(&mut hasher);
                            depth.hash(&mut hasher);
                            cyclic = true;
                        } else {
                            // The reference itself goes on the stack so that
                            // a chain of bare `$ref`s that loops is cut too.
                            stack.push(address(value));
                            let result = hash_node(doc, target, Mode::Node, stack);
                            stack.pop();
                            return result;
                        }
                    }
                }
                return (hasher.finish(), cyclic);
            }
            // `allOf: [X]` alone means X.
            let significant: Vec<(&String, &Value)> = map
                .iter()
                .filter(|(key, value)| is_significant(key, value))
                .collect();
            if let [(key, Value::Array(branches))] = significant.as_slice() {
                if key.as_str() == "allOf" && branches.len() == 1 {
                    return hash_node(doc, &branches[0], Mode::Node, stack);
                }
            }
            stack.push(address(value));
            cyclic |= hash_keywords(doc, map, stack, &mut hasher);
            stack.pop();
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, u64)> = Vec::with_capacity(map.len());
            for (name, child) in map {
                let (hash, child_cyclic) = hash_node(doc, child, Mode::Node, stack);
                cyclic |= child_cyclic;
                entries.push((name, hash));
            }
            entries.sort();
            "names".hash(&mut hasher);
            entries.hash(&mut hasher);
        }
        Value::Array(items) => {
            "array".hash(&mut hasher);
            for item in items {
                let (hash, child_cyclic) = hash_node(doc, item, Mode::Node, stack);
                cyclic |= child_cyclic;
                hash.hash(&mut hasher);
            }
        }
        Value::String(text) => {
            "string".hash(&mut hasher);
            text.hash(&mut hasher);
        }
        Value::Number(number) => {
            "number".hash(&mut hasher);
            exact(number).hash(&mut hasher);
        }
        Value::Bool(flag) => {
            "bool".hash(&mut hasher);
            flag.hash(&mut hasher);
        }
        Value::Null => "null".hash(&mut hasher),
    }
    let hash = hasher.finish();
    if !cyclic && value.is_object() {
        doc.fingerprints.borrow_mut().insert(key, hash);
    }
    (hash, cyclic)
}

/// Hashes the significant keywords of an object; returns whether a cycle
/// was cut.
fn hash_keywords(
    doc: &Doc<'_>,
    map: &Map<String, Value>,
    stack: &mut Vec<usize>,
    hasher: &mut DefaultHasher,
) -> bool {
    let mut cyclic = false;
    let mut entries: Vec<(&String, u64)> = Vec::with_capacity(map.len());
    for (key, child) in map.iter().filter(|(key, value)| is_significant(key, value)) {
        let (hash, child_cyclic) = if NAME_MAPS.contains(&key.as_str()) && child.is_object() {
            hash_node(doc, child, Mode::Names, stack)
        } else if SET_ARRAYS.contains(&key.as_str()) {
            hash_set(doc, child, stack)
        } else {
            hash_node(doc, child, Mode::Node, stack)
        };
        cyclic |= child_cyclic;
        entries.push((key, hash));
    }
    entries.sort();
    "object".hash(hasher);
    entries.hash(hasher);
    cyclic
}

fn hash_set(doc: &Doc<'_>, value: &Value, stack: &mut Vec<usize>) -> (u64, bool) {
    let Value::Array(items) = value else {
        return hash_node(doc, value, Mode::Node, stack);
    };
    let mut cyclic = false;
    let mut hashes: Vec<u64> = items
        .iter()
        .map(|item| {
            let (hash, child_cyclic) = hash_node(doc, item, Mode::Node, stack);
            cyclic |= child_cyclic;
            hash
        })
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    let mut hasher = DefaultHasher::new();
    "set".hash(&mut hasher);
    hashes.hash(&mut hasher);
    (hasher.finish(), cyclic)
}

fn is_significant(key: &str, value: &Value) -> bool {
    if key.starts_with("x-") || DOC_KEYS.contains(&key) {
        return false;
    }
    if FALSE_DEFAULTS.contains(&key) && value == &Value::Bool(false) {
        return false;
    }
    if matches!(key, "required" | "enum") && value.as_array().is_some_and(Vec::is_empty) {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Side;
    use serde_json::json;

    fn fp_of(root: &Value, pointer: &str) -> u64 {
        let doc = Doc::new(root, Side::Old);
        of(&doc, root.pointer(pointer).unwrap())
    }

    #[test]
    fn refs_equal_inline_and_docs_are_ignored() {
        let root = json!({"components": {"schemas": {
            "Ref": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/S"}}},
            "Inline": {"type": "object", "description": "d", "x-note": 1,
                "properties": {"a": {"type": "string", "maxLength": 3, "example": "x"}}},
            "S": {"type": "string", "maxLength": 3.0, "title": "S"},
            "Other": {"type": "object", "properties": {"a": {"type": "string", "maxLength": 4}}}
        }}});
        assert_eq!(
            fp_of(&root, "/components/schemas/Ref"),
            fp_of(&root, "/components/schemas/Inline")
        );
        assert_ne!(
            fp_of(&root, "/components/schemas/Ref"),
            fp_of(&root, "/components/schemas/Other")
        );
    }

    #[test]
    fn property_names_that_look_like_keywords_count() {
        let root = json!({"a": {"properties": {"description": {"type": "string"}}},
                          "b": {"properties": {}}});
        assert_ne!(fp_of(&root, "/a"), fp_of(&root, "/b"));
    }

    #[test]
    fn recursive_schemas_terminate_and_ignore_their_name() {
        let root = json!({"components": {"schemas": {
            "Tree": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
            "Node": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}
        }}});
        assert_eq!(
            fp_of(&root, "/components/schemas/Tree"),
            fp_of(&root, "/components/schemas/Node")
        );
    }

    #[test]
    fn sets_defaults_and_single_all_of_normalise() {
        let root = json!({
            "a": {"required": ["x", "y"], "enum": [1, 2], "nullable": false, "type": "object"},
            "b": {"enum": [2, 1], "required": ["y", "x"], "type": "object"},
            "c": {"allOf": [{"$ref": "#/a"}]},
            "d": {"allOf": [{"$ref": "#/a"}], "nullable": true}
        });
        assert_eq!(fp_of(&root, "/a"), fp_of(&root, "/b"));
        assert_eq!(fp_of(&root, "/a"), fp_of(&root, "/c"));
        assert_ne!(fp_of(&root, "/a"), fp_of(&root, "/d"));
    }

    /// Numbers hash by their exact value: integers one apart above 2^53
    /// (the same `f64`) differ, however they are written equal values agree.
    #[test]
    fn numbers_hash_exactly_above_2_to_the_53() {
        let root: Value = serde_json::from_str(
            r#"{
                "a": {"type": "integer", "enum": [9007199254740993]},
                "b": {"type": "integer", "enum": [9007199254740992]},
                "c": {"type": "integer", "maximum": 18446744073709551615},
                "d": {"type": "integer", "maximum": 18446744073709551614},
                "e": {"type": "integer", "minimum": -9223372036854775807},
                "f": {"type": "integer", "minimum": -9223372036854775808},
                "g": {"type": "integer", "enum": [1, 2], "maximum": 0},
                "h": {"type": "integer", "enum": [2.0, 1e0], "maximum": -0.0}
            }"#,
        )
        .unwrap();
        assert_ne!(fp_of(&root, "/a"), fp_of(&root, "/b"));
        assert_ne!(fp_of(&root, "/c"), fp_of(&root, "/d"));
        assert_ne!(fp_of(&root, "/e"), fp_of(&root, "/f"));
        assert_eq!(fp_of(&root, "/g"), fp_of(&root, "/h"));
    }

    /// `{prefix}0.next` → `{prefix}1` … → `{prefix}{len}`, which is `tail`
    /// or, when `tail` is null, points back at `{prefix}0`.
    fn chain(prefix: &str, len: usize, tail: Value) -> Value {
        let mut schemas = Map::new();
        for index in 0..=len {
            let next = format!("#/components/schemas/{prefix}{}", index + 1);
            let schema = match (&tail, index == len) {
                (_, false) => json!({"properties": {"next": {"$ref": next}}}),
                (Value::Null, true) => {
                    json!({"properties": {"next": {"$ref": format!("#/components/schemas/{prefix}0")}}})
                }
                (tail, true) => tail.clone(),
            };
            schemas.insert(format!("{prefix}{index}"), schema);
        }
        json!({"components": {"schemas": schemas}})
    }

    /// Chains far deeper than a thread's stack allows hash like short ones:
    /// names never count, every level does, and a cycle is cut where it
    /// closes.
    #[test]
    fn long_chains_and_cycles_hash_exactly_with_a_bounded_stack() {
        std::thread::spawn(|| {
            let tail = json!({"type": "string"});
            let s = chain("S", 3000, tail.clone());
            let t = chain("T", 3000, tail.clone());
            let shorter = chain("S", 2999, tail);
            let other_tail = chain("S", 3000, json!({"type": "integer"}));
            let print = fp_of(&s, "/components/schemas/S0");
            assert_eq!(print, fp_of(&t, "/components/schemas/T0"));
            assert_ne!(print, fp_of(&shorter, "/components/schemas/S0"));
            assert_ne!(print, fp_of(&other_tail, "/components/schemas/S0"));
            // What is cached first does not change the result.
            let doc = Doc::new(&s, Side::Old);
            of(&doc, &s["components"]["schemas"]["S1500"]);
            assert_eq!(of(&doc, &s["components"]["schemas"]["S0"]), print);

            let s = chain("S", 3000, Value::Null);
            let t = chain("T", 3000, Value::Null);
            let longer = chain("S", 3001, Value::Null);
            let print = fp_of(&s, "/components/schemas/S0");
            assert_eq!(print, fp_of(&t, "/components/schemas/T0"));
            assert_ne!(print, fp_of(&longer, "/components/schemas/S0"));
        })
        .join()
        .unwrap();
    }
}
