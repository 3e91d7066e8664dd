//! Merging the inputs into one document.
//!
//! Operations are keyed by method and path, component schemas (and other
//! components) by name. The definition from the input with the highest
//! precedence wins wholesale; the losers are recorded in
//! `x-minimax-overrides`. Two inputs with the same precedence may define the
//! same thing only if their definitions agree apart from documentation;
//! otherwise the merge fails with an error naming both files and the JSON
//! pointer where they first differ. An operation in an addition may list
//! upstream operations it supersedes under another method or path in
//! `x-minimax-replaces` (`"post /v1/query/t2a_async_query_v2"`): an array
//! whose every entry names an operation another input defines.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use spec_compat::pointer;

use super::error::SpecError;
use super::input::Input;
use super::walk::{self, COMPONENT_SECTIONS, METHODS};

/// The merged document and what the merge decided.
#[derive(Debug)]
pub struct Merged {
    /// The merged OpenAPI 3.0.3 document.
    pub doc: Value,
    /// What the merge decided.
    pub report: MergeReport,
}

/// What the merge decided, for the summary.
#[derive(Debug, Default)]
pub struct MergeReport {
    /// `(source, operations it defines, operations it won)`, in input order.
    pub operations_by_source: Vec<(String, usize, usize)>,
    /// `(what, winner, losers)` for every operation or component defined more than once.
    pub overrides: Vec<(String, String, Vec<String>)>,
    /// `(replaced operation, replacing source)` from `x-minimax-replaces`.
    pub replaced: Vec<(String, String)>,
}

/// Merges `inputs` (any order; precedence decides).
pub fn merge(inputs: &[Input]) -> Result<Merged, SpecError> {
    let mut report = MergeReport::default();
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut won: BTreeMap<String, usize> = BTreeMap::new();

    // Operations.
    let mut op_keys: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (index, input) in inputs.iter().enumerate() {
        // The walks skip values of the wrong type; refuse them here, where
        // the input file is known.
        if let Some(paths) = input.doc.get("paths") {
            walk::check_paths(paths).map_err(|wrong| wrong.in_file(input.file.clone()))?;
        }
        if let Some(components) = input.doc.get("components") {
            walk::check_components(components)
                .map_err(|wrong| wrong.in_file(input.file.clone()))?;
        }
        let ops = walk::operations(&input.doc);
        report
            .operations_by_source
            .push((input.name.clone(), ops.len(), 0));
        for op in ops {
            op_keys
                .entry((op.path.clone(), op.method.clone()))
                .or_default()
                .push(index);
        }
    }
    for ((path, method), definers) in &op_keys {
        let at = pointer::join(["paths", path, method]);
        let winner = pick_winner(inputs, definers, &at)?;
        let mut operation = inputs[winner]
            .doc
            .pointer(&at)
            .cloned()
            .unwrap_or(Value::Null);
        let losers = losers(inputs, definers, winner);
        annotate(&mut operation, &inputs[winner].name, &losers);
        if !losers.is_empty() {
            report.overrides.push((
                format!("{} {path}", method.to_uppercase()),
                inputs[winner].name.clone(),
                losers,
            ));
        }
        *won.entry(inputs[winner].name.clone()).or_default() += 1;
        paths
            .entry(path.clone())
            .or_default()
            .insert(method.clone(), operation);
    }

    // Path-level fields (parameters, summary, …) from the strongest input that has them.
    for (path, item) in paths.iter_mut() {
        let mut by_precedence: Vec<&Input> = inputs.iter().collect();
        by_precedence.sort_by_key(|input| std::cmp::Reverse(input.precedence));
        for input in by_precedence {
            let Some(source_item) = input
                .doc
                .pointer(&pointer::join(["paths", path]))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (key, value) in source_item {
                if !METHODS.contains(&key.as_str()) && !item.contains_key(key) {
                    item.insert(key.clone(), value.clone());
                }
            }
        }
    }

    // Superseded operations.
    let mut replacements = Vec::new();
    for (path, item) in &paths {
        for (method, operation) in item {
            let Some(list) = operation.get("x-minimax-replaces") else {
                continue;
            };
            let source = operation
                .get("x-minimax-source")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let at = format!(
                "{}/x-minimax-replaces",
                pointer::join(["paths", path, method])
            );
            let error =
                |at: String, message: String| SpecError::new(file_of(inputs, &source), at, message);
            let Some(list) = list.as_array() else {
                return Err(error(
                    at,
                    format!(
                        "x-minimax-replaces must be an array of \"<method> <path>\" strings, found {}",
                        walk::kind(list)
                    ),
                ));
            };
            for (index, target) in list.iter().enumerate() {
                let entry_at = format!("{at}/{index}");
                let Some((target_method, target_path)) =
                    target.as_str().and_then(|t| t.split_once(' '))
                else {
                    return Err(error(
                        entry_at,
                        format!("entries must read \"<method> <path>\", found {target}"),
                    ));
                };
                let target_method = target_method.to_ascii_lowercase();
                let defined_elsewhere = op_keys
                    .get(&(target_path.to_owned(), target_method.clone()))
                    .is_some_and(|definers| {
                        definers
                            .iter()
                            .any(|&definer| inputs[definer].name != source)
                    });
                if !defined_elsewhere {
                    return Err(error(
                        entry_at,
                        format!(
                            "{} {target_path} is not an operation of any other input, so there is nothing to replace; correct the method and path or remove the entry",
                            target_method.to_uppercase()
                        ),
                    ));
                }
                if (target_method.as_str(), target_path) != (method.as_str(), path.as_str()) {
                    replacements.push((target_method, target_path.to_owned(), source.clone()));
                }
            }
        }
    }
    for (method, path, source) in replacements {
        let removed = paths.get_mut(&path).and_then(|item| item.remove(&method));
        if let Some(removed) = removed {
            let removed_source = removed
                .get("x-minimax-source")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if let Some(count) = won.get_mut(removed_source) {
                *count = count.saturating_sub(1);
            }
            report
                .replaced
                .push((format!("{} {path}", method.to_uppercase()), source));
        }
        if paths
            .get(&path)
            .is_some_and(|item| !item.keys().any(|key| METHODS.contains(&key.as_str())))
        {
            paths.remove(&path);
        }
    }
    for (name, _, won_count) in report.operations_by_source.iter_mut() {
        *won_count = won.get(name).copied().unwrap_or(0);
    }

    // Components.
    let mut components = Map::new();
    for section in COMPONENT_SECTIONS {
        let mut names: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, input) in inputs.iter().enumerate() {
            if let Some(entries) = input
                .doc
                .pointer(&format!("/components/{section}"))
                .and_then(Value::as_object)
            {
                for name in entries.keys() {
                    names.entry(name.clone()).or_default().push(index);
                }
            }
        }
        if names.is_empty() {
            continue;
        }
        let mut merged_section = Map::new();
        for (name, definers) in names {
            let at = pointer::join(["components", section, &name]);
            let winner = pick_winner(inputs, &definers, &at)?;
            let mut value = inputs[winner]
                .doc
                .pointer(&at)
                .cloned()
                .unwrap_or(Value::Null);
            let losers = losers(inputs, &definers, winner);
            if *section == "schemas" {
                annotate(&mut value, &inputs[winner].name, &losers);
            }
            if !losers.is_empty() {
                report.overrides.push((
                    format!("{section}/{name}"),
                    inputs[winner].name.clone(),
                    losers,
                ));
            }
            merged_section.insert(name, value);
        }
        components.insert((*section).to_owned(), Value::Object(merged_section));
    }

    // Servers: both regions, global first.
    let mut servers: Vec<(u8, String, String)> = Vec::new();
    for input in inputs {
        if let Some(region) = input.region {
            let url = region.server_url().to_owned();
            let (order, description) = match region {
                crate::sources::Region::Global => (0, "International (global) API"),
                crate::sources::Region::China => (1, "China-region API"),
            };
            if !servers.iter().any(|(_, known, _)| *known == url) {
                servers.push((order, url, description.to_owned()));
            }
        }
    }
    servers.sort();

    // Tags: union by name, strongest description first.
    let mut tags: BTreeMap<String, Value> = BTreeMap::new();
    let mut by_precedence: Vec<&Input> = inputs.iter().collect();
    by_precedence.sort_by_key(|input| std::cmp::Reverse(input.precedence));
    for input in &by_precedence {
        for tag in input
            .doc
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = tag.get("name").and_then(Value::as_str) {
                tags.entry(name.to_owned()).or_insert_with(|| tag.clone());
            }
        }
    }

    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "MiniMax API",
            "version": "1.0.0",
            "description": "The MiniMax platform API (text chat, speech, voice, video, image, music and files), merged and normalised from the upstream specs listed in openapi/sources.toml and the project's openapi/additions by `cargo xtask generate`.",
            "license": {"name": "MIT OR Apache-2.0"}
        },
        "servers": servers.into_iter().map(|(_, url, description)| json!({"url": url, "description": description})).collect::<Vec<_>>(),
        "security": [{"bearerAuth": []}],
        "paths": paths.into_iter().map(|(path, item)| (path, Value::Object(item))).collect::<Map<_, _>>(),
        "components": components,
    });
    if !tags.is_empty() {
        doc["tags"] = Value::Array(tags.into_values().collect());
    }
    Ok(Merged { doc, report })
}

/// The index of the input whose definition wins; an error when the strongest
/// inputs tie and disagree.
fn pick_winner(inputs: &[Input], definers: &[usize], at: &str) -> Result<usize, SpecError> {
    let best = definers
        .iter()
        .map(|&index| inputs[index].precedence)
        .max()
        .unwrap_or(0);
    let strongest: Vec<usize> = definers
        .iter()
        .copied()
        .filter(|&index| inputs[index].precedence == best)
        .collect();
    let first = strongest[0];
    for &other in &strongest[1..] {
        let left = strip_docs(inputs[first].doc.pointer(at).unwrap_or(&Value::Null));
        let right = strip_docs(inputs[other].doc.pointer(at).unwrap_or(&Value::Null));
        if let Some(difference) = first_difference(&left, &right, at) {
            return Err(SpecError::new(
                inputs[first].file.clone(),
                at,
                format!(
                    "conflicting definitions: {} and {} both define it with precedence {best} and they differ at {difference}; \
                     no rule resolves this: give one source a higher precedence, or replace the definition in an openapi/additions fragment",
                    inputs[first].file, inputs[other].file
                ),
            ));
        }
    }
    Ok(first)
}

fn losers(inputs: &[Input], definers: &[usize], winner: usize) -> Vec<String> {
    definers
        .iter()
        .filter(|&&index| index != winner)
        .map(|&index| inputs[index].name.clone())
        .collect()
}

fn annotate(value: &mut Value, source: &str, losers: &[String]) {
    if let Some(object) = value.as_object_mut() {
        object.insert("x-minimax-source".into(), json!(source));
        if losers.is_empty() {
            object.remove("x-minimax-overrides");
        } else {
            object.insert("x-minimax-overrides".into(), json!(losers));
        }
    }
}

fn file_of(inputs: &[Input], source: &str) -> String {
    inputs
        .iter()
        .find(|input| input.name == source)
        .map_or_else(
            || "openapi/minimax.json".to_owned(),
            |input| input.file.clone(),
        )
}

/// A copy without documentation (descriptions, summaries, titles, examples,
/// extensions): what two definitions must agree on to be "the same".
pub fn strip_docs(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(key, _)| {
                    !matches!(
                        key.as_str(),
                        "description"
                            | "summary"
                            | "title"
                            | "example"
                            | "examples"
                            | "externalDocs"
                    ) && !key.starts_with("x-")
                })
                .map(|(key, child)| {
                    // Under `properties`, keys are property names (one may be called "description").
                    let child = if key == "properties" {
                        match child {
                            Value::Object(props) => Value::Object(
                                props
                                    .iter()
                                    .map(|(name, schema)| (name.clone(), strip_docs(schema)))
                                    .collect(),
                            ),
                            other => strip_docs(other),
                        }
                    } else {
                        strip_docs(child)
                    };
                    (key.clone(), child)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_docs).collect()),
        other => other.clone(),
    }
}

/// The pointer of the first place where `left` and `right` differ.
pub fn first_difference(left: &Value, right: &Value, at: &str) -> Option<String> {
    match (left, right) {
        (Value::Object(l), Value::Object(r)) => {
            for key in l.keys().chain(r.keys()) {
                let child_at = pointer::push(at, key);
                match (l.get(key), r.get(key)) {
                    (Some(a), Some(b)) => {
                        if let Some(found) = first_difference(a, b, &child_at) {
                            return Some(found);
                        }
                    }
                    _ => return Some(child_at),
                }
            }
            None
        }
        (Value::Array(l), Value::Array(r)) => {
            if l.len() != r.len() {
                return Some(at.to_owned());
            }
            l.iter()
                .zip(r)
                .enumerate()
                .find_map(|(index, (a, b))| first_difference(a, b, &format!("{at}/{index}")))
        }
        _ if left == right => None,
        _ => Some(at.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, precedence: u32, doc: Value) -> Input {
        Input {
            name: name.into(),
            file: format!("openapi/{name}.json"),
            precedence,
            region: Some(crate::sources::Region::Global),
            doc,
            downconversion: Default::default(),
        }
    }

    fn op(summary: &str, param: &str) -> Value {
        json!({"operationId": "getX", "summary": summary, "parameters": [{"name": param, "in": "query", "schema": {"type": "string"}}], "responses": {"200": {"description": "ok"}}})
    }

    #[test]
    fn higher_precedence_wins_and_provenance_is_recorded() {
        let low = input(
            "community",
            10,
            json!({"openapi": "3.0.3", "paths": {"/x": {"get": op("low", "a")}, "/y": {"get": op("y", "a")}}}),
        );
        let high = input(
            "official",
            30,
            json!({"openapi": "3.0.3", "paths": {"/x": {"get": op("high", "b")}}}),
        );
        let merged = merge(&[low, high]).unwrap();
        let x = &merged.doc["paths"]["/x"]["get"];
        assert_eq!(x["summary"], "high");
        assert_eq!(x["x-minimax-source"], "official");
        assert_eq!(x["x-minimax-overrides"], json!(["community"]));
        assert_eq!(
            merged.doc["paths"]["/y"]["get"]["x-minimax-source"],
            "community"
        );
        assert_eq!(merged.report.overrides.len(), 1);
    }

    #[test]
    fn equal_precedence_conflicts_name_both_files_and_the_pointer() {
        let a = input(
            "additions/a",
            1000,
            json!({"openapi": "3.0.3", "paths": {"/x": {"get": op("a", "a")}}}),
        );
        let b = input(
            "additions/b",
            1000,
            json!({"openapi": "3.0.3", "paths": {"/x": {"get": op("b", "b")}}}),
        );
        let err = merge(&[a, b]).unwrap_err();
        assert_eq!(err.pointer, "/paths/~1x/get");
        let message = err.to_string();
        assert!(
            message.contains("openapi/additions/a.json")
                && message.contains("openapi/additions/b.json"),
            "{message}"
        );
        assert!(
            message.contains("/paths/~1x/get/parameters/0/name"),
            "{message}"
        );
    }

    #[test]
    fn equal_precedence_definitions_that_differ_only_in_docs_merge() {
        let a = input(
            "a",
            5,
            json!({"openapi": "3.0.3", "paths": {"/x": {"get": op("one", "a")}}}),
        );
        let b = input(
            "b",
            5,
            json!({"openapi": "3.0.3", "paths": {"/x": {"get": op("two", "a")}}}),
        );
        let merged = merge(&[a, b]).unwrap();
        assert_eq!(merged.doc["paths"]["/x"]["get"]["summary"], "one");
    }

    #[test]
    fn replaced_operations_are_removed() {
        let upstream = input(
            "community",
            10,
            json!({"openapi": "3.0.3", "paths": {"/q": {"post": op("old", "a")}}}),
        );
        let mut new_op = op("new", "task_id");
        new_op["x-minimax-replaces"] = json!(["post /q"]);
        let addition = input(
            "additions/q",
            1000,
            json!({"openapi": "3.0.3", "paths": {"/q": {"get": new_op}}}),
        );
        let merged = merge(&[upstream, addition]).unwrap();
        assert!(merged.doc["paths"]["/q"].get("post").is_none());
        assert_eq!(merged.doc["paths"]["/q"]["get"]["summary"], "new");
        assert_eq!(
            merged.report.replaced,
            vec![("POST /q".to_owned(), "additions/q".to_owned())]
        );
    }

    #[test]
    fn replaces_must_list_operations_that_exist() {
        let upstream = || {
            input(
                "community",
                10,
                json!({"openapi": "3.0.3", "paths": {"/q": {"post": op("old", "a")}}}),
            )
        };
        for (replaces, pointer, needle) in [
            (
                json!("post /q"),
                "/paths/~1r/get/x-minimax-replaces",
                "must be an array",
            ),
            (
                json!(["post /q", "get /q"]),
                "/paths/~1r/get/x-minimax-replaces/1",
                "GET /q is not an operation",
            ),
            (
                json!(["get /r"]),
                "/paths/~1r/get/x-minimax-replaces/0",
                "GET /r is not an operation of any other input",
            ),
            (
                json!([7]),
                "/paths/~1r/get/x-minimax-replaces/0",
                "<method> <path>",
            ),
        ] {
            let mut new_op = op("new", "task_id");
            new_op["x-minimax-replaces"] = replaces;
            let addition = input(
                "additions/q",
                1000,
                json!({"openapi": "3.0.3", "paths": {"/r": {"get": new_op}}}),
            );
            let err = merge(&[upstream(), addition]).unwrap_err();
            assert_eq!(err.file, "openapi/additions/q.json");
            assert_eq!(err.pointer, pointer);
            assert!(err.message.contains(needle), "{err}");
        }
    }

    #[test]
    fn a_losing_component_of_the_wrong_type_is_still_an_error() {
        let bad = input(
            "community",
            10,
            json!({"openapi": "3.0.3", "components": {"responses": {"Ok": {"description": "ok", "content": "x"}}}}),
        );
        let good = input(
            "additions/ok",
            1000,
            json!({"openapi": "3.0.3", "components": {"responses": {"Ok": {"description": "ok", "content": {}}}}}),
        );
        let err = merge(&[bad, good]).unwrap_err();
        assert_eq!(err.file, "openapi/community.json");
        assert_eq!(err.pointer, "/components/responses/Ok/content");
        assert_eq!(err.message, "expected a JSON object, found a string");
    }

    #[test]
    fn schemas_merge_by_name_and_servers_cover_both_regions() {
        let mut china = input(
            "china",
            20,
            json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {"F": {"type": "object", "properties": {"b": {"type": "string"}}}}}}),
        );
        china.region = Some(crate::sources::Region::China);
        let global = input(
            "global",
            10,
            json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {"F": {"type": "object"}, "G": {"type": "string"}}}}),
        );
        let merged = merge(&[global, china]).unwrap();
        assert_eq!(
            merged.doc["components"]["schemas"]["F"]["x-minimax-source"],
            "china"
        );
        assert_eq!(
            merged.doc["components"]["schemas"]["G"]["x-minimax-source"],
            "global"
        );
        let urls: Vec<&str> = merged.doc["servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["url"].as_str().unwrap())
            .collect();
        assert_eq!(urls, ["https://api.minimax.io", "https://api.minimaxi.com"]);
    }
}
