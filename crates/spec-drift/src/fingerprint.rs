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
//! `1` versus `1.0`, and a single-branch `allOf` with nothing beside it.
//! A `$ref` back into a schema that is being hashed hashes as its distance
//! up the stack, so recursive schemas terminate and hash the same under
//! another name. The recursion is bounded: a `$ref` chain of any length
//! (`S0.next` → `S1` → … → `S5000`) hashes in passes of bounded depth
//! (see `Walker::run`), to the same value.
//!
//! Used by the component-rename rule, by `oneOf`/`anyOf` branch matching,
//! and by the catch-all rule that reports an operation whose contract
//! changed in a way no rule classifies.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use serde_json::{Map, Value};

use crate::model::{ref_of, Doc};

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

/// How many nodes (objects and `$ref`s) deep one pass of the hash
/// recurses. A node reached deeper is hashed on its own first (see
/// [`Walker::run`]), so a `$ref` chain of any length hashes with a bounded
/// stack.
const MAX_DEPTH: usize = 128;

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
pub(crate) fn of<'a>(doc: &Doc<'a>, value: &'a Value) -> u64 {
    Walker::new(doc).run(|walker| walker.hash_node(value, Mode::Node))
}

/// The fingerprint of an object of `doc` given as its map (an operation),
/// hashed like a node of keywords. The map itself is not cached.
pub(crate) fn of_object<'a>(doc: &Doc<'a>, map: &'a Map<String, Value>) -> u64 {
    Walker::new(doc).run(|walker| {
        let mut hasher = DefaultHasher::new();
        let partial = walker.hash_keywords(map, &mut hasher);
        (hasher.finish(), partial)
    })
}

fn address(value: &Value) -> usize {
    value as *const Value as usize
}

/// One fingerprint computation.
struct Walker<'d, 'a> {
    doc: &'d Doc<'a>,
    /// The objects and `$ref`s being hashed, outermost first, including
    /// the stacks of the passes this pass continues.
    stack: Vec<usize>,
    /// How often each address is on `stack` (for O(1) cycle checks).
    on_stack: HashMap<usize, usize>,
    /// The deferred entries whose segments make up `stack[..base]`, as
    /// `(index in the pending list, segment length)`.
    levels: Vec<(usize, usize)>,
    /// The length of `stack` when this pass began.
    base: usize,
    /// A key for `stack[..base]`.
    base_key: u64,
    /// Nodes met uncached at [`MAX_DEPTH`] in this pass, to hash first.
    deferred: Vec<Deferred<'a>>,
    /// The hashes of deferred nodes, by address and [`Deferred::context`].
    results: HashMap<(usize, u64), (u64, bool)>,
}

/// A node a pass met at the depth limit, to hash in a pass of its own.
struct Deferred<'a> {
    node: &'a Value,
    /// The deferring pass's part of the stack the node was met on.
    segment: Vec<usize>,
    /// A key for the whole stack it was met on.
    context: u64,
}

impl<'d, 'a> Walker<'d, 'a> {
    fn new(doc: &'d Doc<'a>) -> Self {
        Walker {
            doc,
            stack: Vec::new(),
            on_stack: HashMap::new(),
            levels: Vec::new(),
            base: 0,
            base_key: 0,
            deferred: Vec::new(),
            results: HashMap::new(),
        }
    }

    /// Hashes with `root`, recursing at most [`MAX_DEPTH`] deep per pass.
    /// A pass that meets an uncached node deeper defers it; each deferred
    /// node is hashed in a pass of its own that continues the stack it was
    /// met on (so cycles are cut where an unlimited recursion would cut
    /// them), its hash is stored, and the deferring pass is repeated, now
    /// finding it. The result is the hash an unlimited recursion gives,
    /// for about twice its work.
    fn run(&mut self, mut root: impl FnMut(&mut Self) -> (u64, bool)) -> u64 {
        // Each entry was deferred by the pass of the nearest entry below
        // it that is on `levels` (or by the first pass), and completes
        // before that pass is repeated.
        let mut pending: Vec<Deferred<'a>> = Vec::new();
        loop {
            while let Some(&(index, length)) = self.levels.last() {
                if index < pending.len() {
                    break;
                }
                // A completed entry: its segment leaves the stack.
                self.truncate(self.stack.len() - length);
                self.levels.pop();
            }
            let top = pending.len().checked_sub(1);
            if let Some(top) = top {
                if self.levels.last().map(|&(index, _)| index) != Some(top) {
                    let segment = std::mem::take(&mut pending[top].segment);
                    for &at in &segment {
                        self.push(at);
                    }
                    self.levels.push((top, segment.len()));
                }
            }
            self.base = self.stack.len();
            self.base_key = top.map_or(0, |top| pending[top].context);
            let (hash, partial) = match pending.last() {
                Some(entry) => self.hash_node(entry.node, Mode::Node),
                None => root(self),
            };
            debug_assert_eq!(self.stack.len(), self.base);
            if !self.deferred.is_empty() {
                pending.append(&mut self.deferred);
                continue;
            }
            match pending.pop() {
                Some(entry) => {
                    self.results
                        .insert((address(entry.node), entry.context), (hash, partial));
                }
                None => return hash,
            }
        }
    }

    fn push(&mut self, at: usize) {
        self.stack.push(at);
        *self.on_stack.entry(at).or_default() += 1;
    }

    fn pop(&mut self) {
        if let Some(at) = self.stack.pop() {
            if let Some(count) = self.on_stack.get_mut(&at) {
                *count -= 1;
                if *count == 0 {
                    self.on_stack.remove(&at);
                }
            }
        }
    }

    fn truncate(&mut self, length: usize) {
        while self.stack.len() > length {
            self.pop();
        }
    }

    /// How far up the stack `at` is, if it is on it.
    fn depth_of(&self, at: usize) -> Option<usize> {
        if !self.on_stack.contains_key(&at) {
            return None;
        }
        self.stack.iter().rev().position(|&a| a == at)
    }

    /// An uncached object met at the depth limit: its stored hash, else
    /// deferred (a placeholder, partial so that nothing above it is cached
    /// before the pass is repeated).
    fn too_deep(&mut self, value: &'a Value) -> (u64, bool) {
        let segment = self.stack[self.base..].to_vec();
        let mut hasher = DefaultHasher::new();
        self.base_key.hash(&mut hasher);
        segment.hash(&mut hasher);
        let context = hasher.finish();
        if let Some(&result) = self.results.get(&(address(value), context)) {
            return result;
        }
        self.deferred.push(Deferred {
            node: value,
            segment,
            context,
        });
        (0, true)
    }

    /// Returns the hash and whether it is partial: a cycle was cut below
    /// this node (such hashes depend on the entry point), or a node below
    /// it was deferred. Partial hashes are not cached.
    fn hash_node(&mut self, value: &'a Value, mode: Mode) -> (u64, bool) {
        let key = (address(value), mode as u8);
        if let Some(&cached) = self.doc.fingerprints.borrow().get(&key) {
            return (cached, false);
        }
        let (hash, partial) = match value {
            Value::Object(map) if mode == Mode::Node => {
                if self.stack.len() - self.base >= MAX_DEPTH {
                    return self.too_deep(value);
                }
                self.hash_object(value, map)
            }
            _ => self.hash_other(value),
        };
        if !partial && value.is_object() {
            self.doc.fingerprints.borrow_mut().insert(key, hash);
        }
        (hash, partial)
    }

    /// A node of keywords: a `$ref` hashes as its target, `allOf: [X]`
    /// alone as X.
    fn hash_object(&mut self, value: &'a Value, map: &'a Map<String, Value>) -> (u64, bool) {
        let mut hasher = DefaultHasher::new();
        if let Some(reference) = ref_of(value) {
            let Some(target) = self.doc.resolve(reference) else {
                "dangling".hash(&mut hasher);
                reference.hash(&mut hasher);
                return (hasher.finish(), false);
            };
            if let Some(depth) = self.depth_of(address(target)) {
                "cycle".hash(&mut hasher);
                depth.hash(&mut hasher);
                return (hasher.finish(), true);
            }
            // The reference itself goes on the stack so that a chain of
            // bare `$ref`s that loops is cut too.
            self.push(address(value));
            let result = self.hash_node(target, Mode::Node);
            self.pop();
            return result;
        }
        let significant: Vec<(&String, &Value)> = map
            .iter()
            .filter(|(key, value)| is_significant(key, value))
            .collect();
        if let [(key, Value::Array(branches))] = significant.as_slice() {
            if key.as_str() == "allOf" && branches.len() == 1 {
                return self.hash_node(&branches[0], Mode::Node);
            }
        }
        self.push(address(value));
        let partial = self.hash_keywords(map, &mut hasher);
        self.pop();
        (hasher.finish(), partial)
    }

    /// A map of names, an array or a scalar.
    fn hash_other(&mut self, value: &'a Value) -> (u64, bool) {
        let mut hasher = DefaultHasher::new();
        let mut partial = false;
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(&String, u64)> = Vec::with_capacity(map.len());
                for (name, child) in map {
                    let (hash, child_partial) = self.hash_node(child, Mode::Node);
                    partial |= child_partial;
                    entries.push((name, hash));
                }
                entries.sort();
                "names".hash(&mut hasher);
                entries.hash(&mut hasher);
            }
            Value::Array(items) => {
                "array".hash(&mut hasher);
                for item in items {
                    let (hash, child_partial) = self.hash_node(item, Mode::Node);
                    partial |= child_partial;
                    hash.hash(&mut hasher);
                }
            }
            Value::String(text) => {
                "string".hash(&mut hasher);
                text.hash(&mut hasher);
            }
            Value::Number(number) => {
                "number".hash(&mut hasher);
                number
                    .as_f64()
                    .unwrap_or(f64::NAN)
                    .to_bits()
                    .hash(&mut hasher);
            }
            Value::Bool(flag) => {
                "bool".hash(&mut hasher);
                flag.hash(&mut hasher);
            }
            Value::Null => "null".hash(&mut hasher),
        }
        (hasher.finish(), partial)
    }

    /// Hashes the significant keywords of an object; returns whether the
    /// hash is partial.
    fn hash_keywords(&mut self, map: &'a Map<String, Value>, hasher: &mut DefaultHasher) -> bool {
        let mut partial = false;
        let mut entries: Vec<(&String, u64)> = Vec::with_capacity(map.len());
        for (key, child) in map.iter().filter(|(key, value)| is_significant(key, value)) {
            let (hash, child_partial) = if NAME_MAPS.contains(&key.as_str()) && child.is_object() {
                self.hash_node(child, Mode::Names)
            } else if SET_ARRAYS.contains(&key.as_str()) {
                self.hash_set(child)
            } else {
                self.hash_node(child, Mode::Node)
            };
            partial |= child_partial;
            entries.push((key, hash));
        }
        entries.sort();
        "object".hash(hasher);
        entries.hash(hasher);
        partial
    }

    fn hash_set(&mut self, value: &'a Value) -> (u64, bool) {
        let Value::Array(items) = value else {
            return self.hash_node(value, Mode::Node);
        };
        let mut partial = false;
        let mut hashes: Vec<u64> = Vec::with_capacity(items.len());
        for item in items {
            let (hash, child_partial) = self.hash_node(item, Mode::Node);
            partial |= child_partial;
            hashes.push(hash);
        }
        hashes.sort_unstable();
        hashes.dedup();
        let mut hasher = DefaultHasher::new();
        "set".hash(&mut hasher);
        hashes.hash(&mut hasher);
        (hasher.finish(), partial)
    }
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

    /// Hashes far deeper than one pass recurses equal what an unlimited
    /// recursion gives: names never count, every level does, and a cycle
    /// is cut where it closes.
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
