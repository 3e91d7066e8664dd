//! `cargo bench -p spec-drift`: diffs the merged spec (`openapi/minimax.json`,
//! or `openapi/upstream/international.json` when the merged one does not
//! exist) against a heavily mutated copy built here, then a generated
//! document of 5000 component schemas against one where every schema was
//! renamed (half with the same structure), and prints the minimum and
//! median time over the runs of each. `SPEC_DRIFT_BENCH_RUNS` sets the
//! number of runs (default 50; a fifth as many for the generated pair);
//! `SPEC_DRIFT_BENCH_PRINT=1` also prints the first report as text.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

/// Mutates every component schema and every operation of `spec`.
fn mutate(spec: &Value) -> Value {
    let mut new = spec.clone();
    if let Some(schemas) = new
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let names: Vec<String> = schemas.keys().cloned().collect();
        for (index, name) in names.iter().enumerate() {
            let Some(schema) = schemas.get_mut(name) else {
                continue;
            };
            match index % 6 {
                0 => {
                    if let Some(properties) =
                        schema.get_mut("properties").and_then(Value::as_object_mut)
                    {
                        properties.insert(
                            "bench_added".into(),
                            json!({"type": "string", "enum": ["x"]}),
                        );
                        if let Some(first) = properties.keys().next().cloned() {
                            properties.remove(&first);
                        }
                    }
                }
                1 => {
                    if let Some(properties) =
                        schema.get_mut("properties").and_then(Value::as_object_mut)
                    {
                        for property in properties.values_mut() {
                            if property.get("type") == Some(&json!("string")) {
                                property["maxLength"] = json!(8);
                                property["type"] = json!(["string", "null"]);
                            } else if property.get("type") == Some(&json!("integer")) {
                                property["type"] = json!("number");
                            }
                        }
                    }
                }
                2 => {
                    if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
                        values.push(json!("bench_value"));
                        values.remove(0);
                    }
                    schema["description"] = json!("bench: reworded");
                }
                3 => {
                    schema["required"] = json!([]);
                }
                4 => {
                    let inner = schema.take();
                    *schema = json!({"allOf": [inner], "nullable": true});
                }
                _ => {}
            }
        }
        // Rename a few schemas (and their references, textually below).
        for name in names.iter().step_by(9) {
            if let Some(schema) = schemas.remove(name) {
                schemas.insert(format!("{name}Renamed"), schema);
            }
        }
        let renamed: Vec<String> = names.iter().step_by(9).cloned().collect();
        let mut text = new.to_string();
        for name in renamed {
            text = text.replace(
                &format!("\"#/components/schemas/{name}\""),
                &format!("\"#/components/schemas/{name}Renamed\""),
            );
        }
        new = serde_json::from_str(&text).unwrap_or(new);
    }
    if let Some(paths) = new.get_mut("paths").and_then(Value::as_object_mut) {
        let keys: Vec<String> = paths.keys().cloned().collect();
        for (index, path) in keys.iter().enumerate() {
            match index % 4 {
                0 => {
                    paths.remove(path);
                }
                1 => {
                    if let Some(item) = paths.get_mut(path).and_then(Value::as_object_mut) {
                        for operation in item.values_mut().filter(|op| op.is_object()) {
                            operation["operationId"] = json!("benchRenamed");
                            operation["security"] = json!([{"bench": ["write"]}]);
                            let mut parameters =
                                operation.get("parameters").cloned().unwrap_or(json!([]));
                            if let Some(list) = parameters.as_array_mut() {
                                list.push(json!({"name": "bench", "in": "query", "required": true, "schema": {"type": "integer"}}));
                            }
                            operation["parameters"] = parameters;
                        }
                    }
                }
                2 => {
                    paths.insert(format!("{path}/bench"), paths[path].clone());
                }
                _ => {}
            }
        }
    }
    new
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let merged = root.join("openapi/minimax.json");
    let path = if merged.exists() {
        merged
    } else {
        root.join("openapi/upstream/international.json")
    };
    let old = match spec_compat::load(&path) {
        Ok(old) => old,
        Err(err) => {
            eprintln!("cannot load the benchmark input: {err}");
            std::process::exit(2);
        }
    };
    let new = mutate(&old);
    let runs: usize = std::env::var("SPEC_DRIFT_BENCH_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(50)
        .max(1);
    let (times, changes) = time(&old, &new, runs);
    if std::env::var_os("SPEC_DRIFT_BENCH_PRINT").is_some() {
        if let Ok(report) = spec_drift::diff(&old, &new) {
            print!("{}", spec_drift::render::text(&report));
        }
    }
    let summary = spec_drift::diff(&old, &new)
        .map(|r| r.summary())
        .unwrap_or_default();
    println!(
        "spec-drift: {} ({} bytes) vs a mutated copy: {changes} changes ({summary}); {runs} runs: min {:.2} ms, median {:.2} ms, max {:.2} ms",
        path.strip_prefix(&root).unwrap_or(&path).display(),
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        times[0].as_secs_f64() * 1e3,
        times[runs / 2].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3,
    );

    const SCHEMAS: usize = 5000;
    let (old, new) = (components(SCHEMAS, "Old"), components(SCHEMAS, "New"));
    let runs = (runs / 5).max(1);
    let (times, changes) = time(&old, &new, runs);
    println!(
        "spec-drift: {SCHEMAS} component schemas vs all renamed: {changes} changes; {runs} runs: min {:.2} ms, median {:.2} ms, max {:.2} ms",
        times[0].as_secs_f64() * 1e3,
        times[runs / 2].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3,
    );
}

/// Diffs `old` with `new` `runs` times; returns the sorted times and the
/// number of changes.
fn time(old: &Value, new: &Value, runs: usize) -> (Vec<Duration>, usize) {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut changes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let report = match spec_drift::diff(old, new) {
            Ok(report) => report,
            Err(err) => {
                eprintln!("diff failed: {err}");
                std::process::exit(1);
            }
        };
        times.push(start.elapsed());
        changes = report.changes.len();
        std::hint::black_box(&report);
    }
    times.sort();
    (times, changes)
}

/// A document of `count` component schemas named `{prefix}{index}`: the
/// even ones have the same structure whatever the prefix, the odd ones one
/// of their own.
fn components(count: usize, prefix: &str) -> Value {
    let mut schemas = Map::new();
    for index in 0..count {
        let property = if index % 2 == 0 {
            format!("shared{index}")
        } else {
            format!("{prefix}{index}")
        };
        schemas.insert(
            format!("{prefix}{index}"),
            json!({"type": "object", "properties": {property: {"type": "string"}}}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "components", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas}
    })
}
