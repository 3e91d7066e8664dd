//! Rule `nullable-response-collections`: optional arrays and maps in
//! responses accept `null`.
//!
//! MiniMax answers a failed request with the success shape emptied out, e.g.
//! `{"choices": null, "base_resp": {"status_code": 2056, …}}`. typify turns
//! an optional array into `Vec<T>` with `#[serde(default)]`, which accepts a
//! missing field but not `null`, so the whole body would fail to decode
//! before its `base_resp` could be read. Marking optional response arrays and
//! maps `nullable` makes them `Option<Vec<T>>` / `Option<Map>`.

use serde_json::{json, Value};

use crate::spec::normalize::{Context, Rule};
use crate::spec::walk::{self, Place};
use crate::spec::SpecError;

/// See the module documentation.
pub struct NullableResponseCollections;

fn is_collection(schema: &Value) -> bool {
    if schema.get("$ref").is_some() {
        return false;
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => true,
        Some("object") | None => {
            schema.get("properties").is_none()
                && schema
                    .get("additionalProperties")
                    .is_some_and(|extra| extra.is_object() || extra == &json!(true))
        }
        _ => false,
    }
}

impl Rule for NullableResponseCollections {
    fn name(&self) -> &'static str {
        "nullable-response-collections"
    }

    fn describe(&self) -> &'static str {
        "optional arrays and maps in responses accept null (failed requests send `\"choices\": null`)"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let response_components: Vec<String> = walk::schema_directions(doc)
            .into_iter()
            .filter(|(_, (_, in_response))| *in_response)
            .map(|(name, _)| {
                format!(
                    "/components/schemas/{}",
                    spec_compat::pointer::escape(&name)
                )
            })
            .collect();
        let mut fired = Vec::new();
        walk::visit_schemas(doc, &mut |schema, site| {
            let in_response = site.place == Place::Response
                || (site.place == Place::Component
                    && response_components.iter().any(|root| {
                        site.pointer == root || site.pointer.starts_with(&format!("{root}/"))
                    }));
            if !in_response {
                return;
            }
            let Some(object) = schema.as_object_mut() else {
                return;
            };
            let required: Vec<String> = object
                .get("required")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut)
            else {
                return;
            };
            for (name, property) in properties.iter_mut() {
                if required.contains(name)
                    || !is_collection(property)
                    || property.get("nullable") == Some(&json!(true))
                {
                    continue;
                }
                property["nullable"] = json!(true);
                fired.push(spec_compat::pointer::push(
                    &format!("{}/properties", site.pointer),
                    name,
                ));
            }
        });
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc, json_response};

    #[test]
    fn optional_response_arrays_and_maps_become_nullable() {
        let mut spec = doc(
            json!({"/chat": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                "responses": {"200": json_response(json!({"$ref": "#/components/schemas/Resp"}))}
            }}}),
            json!({
                "Req": {"type": "object", "properties": {"messages": {"type": "array", "items": {"type": "string"}}}},
                "Resp": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "choices": {"type": "array", "items": {"type": "string"}},
                    "must": {"type": "array", "items": {"type": "string"}},
                    "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                    "usage": {"type": "object", "properties": {"n": {"type": "integer"}}}
                }}
            }),
        );
        let mut schemas = spec["components"]["schemas"]["Resp"]["required"]
            .as_array()
            .unwrap()
            .clone();
        schemas.push(json!("must"));
        spec["components"]["schemas"]["Resp"]["required"] = json!(schemas);
        let fired = apply(&NullableResponseCollections, &mut spec);
        assert_eq!(
            fired,
            [
                "/components/schemas/Resp/properties/choices",
                "/components/schemas/Resp/properties/metadata"
            ]
        );
        assert!(
            spec["components"]["schemas"]["Req"]["properties"]["messages"]
                .get("nullable")
                .is_none()
        );
        assert!(spec["components"]["schemas"]["Resp"]["properties"]["must"]
            .get("nullable")
            .is_none());
    }
}
