//! No document makes the engine panic: a real spec mutated at random
//! (values of the wrong type, dangling and cyclic `$ref`s, removed keys)
//! is diffed with itself (no changes) and both ways against the original
//! (a well-formed report, or an error naming the mutant's side). Large
//! generated documents (5000-schema `$ref` chains and cycles, 5000 component
//! schemas renamed) terminate with exactly the expected report.

// Test helpers may unwrap: a panic here is a failed test (clippy.toml allows
// it inside #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use std::collections::BTreeMap;

use serde_json::{json, Value};
use spec_drift::{diff, rules, Change, DiffError, Level, Report, Side};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// Every JSON pointer in `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(child, spec_compat::pointer::push(&at, key), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn side_of(err: &DiffError) -> Side {
    match err {
        DiffError::NotOpenApi { side, .. } | DiffError::Malformed { side, .. } => *side,
    }
}

/// A change without its level.
fn identity(change: &Change) -> (&str, Option<&str>, &str, &str) {
    (
        &change.id,
        change.operation.as_deref(),
        &change.pointer,
        &change.message,
    )
}

/// What holds for any report: catalogued ids at no more than their
/// catalogued level, sorted without duplicates, and a JSON rendering that
/// lists every change with the counts per level.
fn check_report(report: &Report, catalogue: &BTreeMap<String, Level>) {
    for change in &report.changes {
        let level = catalogue
            .get(&change.id)
            .unwrap_or_else(|| panic!("uncatalogued id {}", change.id));
        assert!(change.level <= *level, "{change:?} above {level}");
        assert!(
            change.pointer.is_empty() || change.pointer.starts_with('/'),
            "{change:?}"
        );
        assert!(!change.message.contains('\n'), "{change:?}");
    }
    for pair in report.changes.windows(2) {
        // Sorted, and no two are the same change at different levels.
        assert!(pair[0] < pair[1], "out of order: {pair:?}");
        assert_ne!(identity(&pair[0]), identity(&pair[1]), "duplicate");
    }
    let rendered: Value = serde_json::from_str(&spec_drift::render::json(report)).unwrap();
    let listed = rendered["changes"].as_array().unwrap();
    assert_eq!(listed.len(), report.changes.len());
    for (name, level) in [
        ("breaking", Level::Breaking),
        ("warning", Level::Warning),
        ("info", Level::Info),
    ] {
        let count = listed
            .iter()
            .filter(|change| change["level"] == level.as_str())
            .count();
        assert_eq!(rendered["summary"][name], count, "{name}");
    }
}

#[test]
fn random_mutations_never_panic() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/upstream/international.json");
    let original = spec_compat::load(&path).unwrap();
    let mut all = Vec::new();
    pointers(&original, String::new(), &mut all);
    let schema_names: Vec<String> = original["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let catalogue: BTreeMap<String, Level> = rules::catalogue()
        .into_iter()
        .map(|rule| (rule.id, rule.level))
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut errors = 0;
    for _ in 0..60 {
        let mut mutant = original.clone();
        for _ in 0..1 + rng.below(8) {
            let target = &all[rng.below(all.len())];
            if target.is_empty() {
                continue;
            }
            let name = &schema_names[rng.below(schema_names.len())];
            let replacement = match rng.below(9) {
                0 => Value::Null,
                1 => json!(42),
                2 => json!("text"),
                3 => json!([]),
                4 => json!({}),
                5 => json!({"$ref": "#/components/schemas/Nowhere"}),
                6 => json!({"$ref": format!("#/components/schemas/{name}")}),
                7 => json!({"$ref": "#/paths"}),
                _ => {
                    json!({"allOf": [{"$ref": format!("#/components/schemas/{name}")}], "type": ["object", "null"]})
                }
            };
            if let Some(slot) = mutant.pointer_mut(target) {
                *slot = replacement;
            }
        }
        // Ok or a typed error naming the mutant's side; a panic fails the
        // test.
        match diff(&mutant, &mutant) {
            Ok(report) => assert!(
                report.is_empty(),
                "a mutant diffed with itself: {}",
                spec_drift::render::text(&report)
            ),
            Err(err) => {
                errors += 1;
                assert_eq!(side_of(&diff(&original, &mutant).unwrap_err()), Side::New);
                assert_eq!(side_of(&diff(&mutant, &original).unwrap_err()), Side::Old);
                assert!(err.to_string().contains("document"), "{err}");
                continue;
            }
        }
        for (a, b) in [(&original, &mutant), (&mutant, &original)] {
            check_report(&diff(a, b).unwrap(), &catalogue);
        }
    }
    // Most mutants are still OpenAPI documents.
    assert!(errors < 20, "{errors} of 60 mutants are errors");
}

#[test]
fn non_openapi_inputs_are_typed_errors() {
    let spec = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
    for bad in [
        json!([1]),
        json!("x"),
        json!({"swagger": "2.0"}),
        json!({"openapi": "4.0"}),
        json!({"openapi": "3.0.3", "paths": 3}),
    ] {
        let err = diff(&spec, &bad).unwrap_err().to_string();
        assert!(err.contains("new document"), "{err}");
        let err = diff(&bad, &spec).unwrap_err().to_string();
        assert!(err.contains("old document"), "{err}");
    }
}

/// A document whose `GET /chain` returns `S0`, where `Si.next` is `S(i+1)`
/// up to `S{len}` (a string, or what `tail` says). With `cycle`, the last
/// schema points back at `S0` instead.
fn chain(len: usize, tail: Value, cycle: bool) -> Value {
    let mut schemas = serde_json::Map::new();
    for index in 0..len {
        schemas.insert(
            format!("S{index}"),
            json!({"type": "object", "properties": {"next": {"$ref": format!("#/components/schemas/S{}", index + 1)}}}),
        );
    }
    let last = if cycle {
        json!({"type": "object", "properties": {"next": {"$ref": "#/components/schemas/S0"}}})
    } else {
        tail
    };
    schemas.insert(format!("S{len}"), last);
    json!({
        "openapi": "3.0.3",
        "info": {"title": "chain", "version": "1"},
        "paths": {"/chain": {"get": {"operationId": "chain", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}
        }}}}},
        "components": {"schemas": schemas}
    })
}

/// Runs `test` on a thread with the default stack size (a stack overflow
/// aborts the process, so it fails the test run either way; the thread
/// keeps the stack size independent of the test harness's main thread).
fn on_default_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .name("default-stack".into())
        .spawn(test)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_5000_schema_ref_chain_does_not_overflow_the_stack() {
    on_default_stack(|| {
        let old = chain(5000, json!({"type": "string"}), false);
        let new = chain(5000, json!({"type": "integer"}), false);
        for doc in [&old, &new] {
            let report = diff(doc, doc).unwrap();
            assert!(report.is_empty(), "{}", spec_drift::render::text(&report));
        }
        // The walk stops descending at its depth limit; the change at the
        // end of the chain is still noticed, by the catch-all.
        let report = diff(&old, &new).unwrap();
        let found: Vec<(&str, spec_drift::Level, Option<&str>)> = report
            .changes
            .iter()
            .map(|change| {
                (
                    change.id.as_str(),
                    change.level,
                    change.operation.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [(
                "api-unclassified-change",
                spec_drift::Level::Info,
                Some("GET /chain")
            )],
            "{}",
            spec_drift::render::text(&report)
        );
        assert!(report.changes[0].pointer.starts_with(
            "/paths/~1chain/get/responses/200/content/application~1json/schema/properties/next"
        ));
    });
}

#[test]
fn a_5000_schema_ref_cycle_terminates() {
    on_default_stack(|| {
        let looped = chain(5000, Value::Null, true);
        let report = diff(&looped, &looped).unwrap();
        assert!(report.is_empty(), "{}", spec_drift::render::text(&report));
        let open = chain(5000, json!({"type": "string"}), false);
        let report = diff(&open, &looped).unwrap();
        assert!(!report.is_empty());
    });
}

/// 5000 component schemas, one in five of each kind: kept; renamed (same
/// structure, new name); removed while an unrelated one is added; and two
/// in five sharing one structure, of which half are renamed, so renames
/// pair in name order and the rest are removed. Quadratic name matching
/// takes a noticeable time at this size; the test pins the output.
#[test]
fn renames_among_5000_component_schemas_pair_in_name_order() {
    const COUNT: usize = 5000;
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    let mut expected: Vec<(String, Level, String, String)> = Vec::new();
    let (mut shared_old, mut shared_new) = (Vec::new(), Vec::new());
    let shared = json!({"type": "integer", "format": "int64"});
    for index in 0..COUNT {
        let name = format!("A{index:05}");
        let own =
            json!({"type": "object", "properties": {format!("p{index}"): {"type": "string"}}});
        match index % 5 {
            0 => {
                old.insert(name.clone(), own.clone());
                new.insert(name, own);
            }
            1 => {
                let renamed = format!("Z{index:05}");
                old.insert(name.clone(), own.clone());
                new.insert(renamed.clone(), own);
                expected.push((
                    "component-schema-renamed".into(),
                    Level::Breaking,
                    format!("/components/schemas/{renamed}"),
                    format!("the component schema `{name}` was renamed to `{renamed}` (same structure; the generated type is renamed)"),
                ));
            }
            2 => {
                let other = json!({"type": "object", "properties": {format!("q{index}"): {"type": "string"}}});
                old.insert(name.clone(), own);
                new.insert(format!("Y{index:05}"), other);
                expected.push((
                    "api-schema-removed".into(),
                    Level::Warning,
                    format!("/components/schemas/{name}"),
                    format!("removed the component schema `{name}`"),
                ));
            }
            rest => {
                old.insert(name.clone(), shared.clone());
                shared_old.push(name);
                if rest == 3 {
                    let renamed = format!("X{index:05}");
                    new.insert(renamed.clone(), shared.clone());
                    shared_new.push(renamed);
                }
            }
        }
    }
    // The shared structure: the first old names in order take the new ones
    // in order; the second half of the old names has no partner left.
    assert_eq!(shared_old.len(), 2 * shared_new.len());
    for (position, name) in shared_old.iter().enumerate() {
        expected.push(match shared_new.get(position) {
            Some(renamed) => (
                "component-schema-renamed".into(),
                Level::Breaking,
                format!("/components/schemas/{renamed}"),
                format!("the component schema `{name}` was renamed to `{renamed}` (same structure; the generated type is renamed)"),
            ),
            None => (
                "api-schema-removed".into(),
                Level::Warning,
                format!("/components/schemas/{name}"),
                format!("removed the component schema `{name}`"),
            ),
        });
    }
    let document = |schemas| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "components", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas}
        })
    };
    let (old, new) = (document(old), document(new));
    let report = diff(&old, &new).unwrap();
    let mut got: Vec<(String, Level, String, String)> = report
        .changes
        .iter()
        .map(|change| {
            assert_eq!(change.operation, None);
            (
                change.id.clone(),
                change.level,
                change.pointer.clone(),
                change.message.clone(),
            )
        })
        .collect();
    got.sort();
    expected.sort();
    // Renamed: 1000 own and 1000 shared; removed: 1000 own and 1000 shared.
    assert_eq!(got.len(), 4000);
    assert_eq!(got, expected);
    assert!(diff(&new, &new).unwrap().is_empty());
}
