//! Rule `prune-unreferenced`: component schemas no operation reaches are dropped.
//!
//! Merging by precedence leaves the losing copies of shared schemas behind
//! (the community `Error`, each official spec's own base-response schema);
//! rewriting fields onto shared types leaves the old enums behind. Keeping
//! them would generate unused Rust types, so they are removed and listed.

use serde_json::Value;

use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct PruneUnreferenced;

impl Rule for PruneUnreferenced {
    fn name(&self) -> &'static str {
        "prune-unreferenced"
    }

    fn describe(&self) -> &'static str {
        "drop component schemas that no operation reaches (merge losers, replaced enums)"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        // Whole path items: their operations and their path-level parameters.
        let roots: Vec<String> = doc
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.keys())
            .map(|path| spec_compat::pointer::join(["paths", path]))
            .collect();
        let keep = walk::reachable_schemas(doc, &roots);
        let mut fired = Vec::new();
        if let Some(schemas) = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            schemas.retain(|name, _| {
                let keep = keep.contains(name);
                if !keep {
                    fired.push(spec_compat::pointer::join(["components", "schemas", name]));
                }
                keep
            });
        }
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc, json_response};
    use serde_json::json;

    #[test]
    fn keeps_transitively_referenced_schemas_only() {
        let mut spec = doc(
            json!({"/a": {"get": {"responses": {"200": json_response(json!({"$ref": "#/components/schemas/A"}))}}}}),
            json!({
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "string"},
                "Orphan": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/C"}}},
                "C": {"type": "string"}
            }),
        );
        let fired = apply(&PruneUnreferenced, &mut spec);
        assert_eq!(
            fired,
            ["/components/schemas/C", "/components/schemas/Orphan"]
        );
        let names: Vec<&String> = spec["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn path_level_parameters_keep_their_schemas() {
        let mut spec = doc(
            json!({"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Id"}}],
                "get": {"responses": {"200": {"description": "ok"}}}
            }}),
            json!({"Id": {"type": "string"}}),
        );
        let fired = apply(&PruneUnreferenced, &mut spec);
        assert!(fired.is_empty(), "{fired:?}");
    }
}
