//! Rule `remove-group-id`: `GroupId` is no longer a parameter of any operation.
//!
//! The community spec requires a `GroupId` query parameter on every file
//! operation (and a `group_id` body field on the speech query); the current
//! API authenticates by bearer key alone. Legacy accounts can still send it:
//! `minimax-sdk` appends it to every request when configured.

use serde_json::Value;

use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct RemoveGroupId;

fn is_group_id(name: &str) -> bool {
    name.eq_ignore_ascii_case("groupid") || name.eq_ignore_ascii_case("group_id")
}

impl Rule for RemoveGroupId {
    fn name(&self) -> &'static str {
        "remove-group-id"
    }

    fn describe(&self) -> &'static str {
        "drop the legacy GroupId query parameter and group_id body field (the SDK sends it when configured)"
    }

    fn apply(&self, doc: &mut Value, _: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        let mut parameter_lists = Vec::new();
        for op in walk::operations(doc) {
            parameter_lists.push(format!("{}/parameters", op.pointer()));
            if let Some((path_item, _)) = op.pointer().rsplit_once('/') {
                parameter_lists.push(format!("{path_item}/parameters"));
            }
        }
        parameter_lists.sort();
        parameter_lists.dedup();
        for at in parameter_lists {
            let Some(parameters) = doc.pointer_mut(&at).and_then(Value::as_array_mut) else {
                continue;
            };
            let mut index = 0;
            parameters.retain(|parameter| {
                let name = parameter
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let keep = !is_group_id(name);
                if !keep {
                    fired.push(format!("{at}/{index}"));
                }
                index += 1;
                keep
            });
            if parameters.is_empty() {
                if let Some((holder, _)) = at.rsplit_once('/') {
                    if let Some(object) = doc.pointer_mut(holder).and_then(Value::as_object_mut) {
                        object.remove("parameters");
                    }
                }
            }
        }
        // Body fields: properties named group_id in request schemas.
        walk::visit_schemas(doc, &mut |schema, site| {
            let Some(object) = schema.as_object_mut() else {
                return;
            };
            let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut)
            else {
                return;
            };
            let names: Vec<String> = properties
                .keys()
                .filter(|name| is_group_id(name))
                .cloned()
                .collect();
            for name in &names {
                properties.remove(name);
                fired.push(format!("{}/properties/{name}", site.pointer));
            }
            if !names.is_empty() {
                if let Some(required) = object.get_mut("required").and_then(Value::as_array_mut) {
                    required.retain(|field| !field.as_str().is_some_and(is_group_id));
                }
            }
        });
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc};
    use serde_json::json;

    #[test]
    fn removes_group_id_parameters_and_body_fields() {
        let mut spec = doc(
            json!({
                "/v1/files/list": {"get": {"parameters": [
                    {"name": "GroupId", "in": "query", "required": true, "schema": {"type": "string"}},
                    {"name": "purpose", "in": "query", "schema": {"type": "string"}}
                ], "responses": {}}},
                "/v1/files/retrieve": {"get": {"parameters": [
                    {"name": "GroupId", "in": "query", "required": true, "schema": {"type": "string"}}
                ], "responses": {}}}
            }),
            json!({"Q": {"type": "object", "required": ["task_id", "group_id"], "properties": {"task_id": {"type": "integer"}, "group_id": {"type": "string"}}}}),
        );
        let fired = apply(&RemoveGroupId, &mut spec);
        assert_eq!(fired.len(), 3);
        assert_eq!(
            spec["paths"]["/v1/files/list"]["get"]["parameters"],
            json!([{"name": "purpose", "in": "query", "schema": {"type": "string"}}])
        );
        assert!(spec["paths"]["/v1/files/retrieve"]["get"]
            .get("parameters")
            .is_none());
        assert_eq!(
            spec["components"]["schemas"]["Q"]["required"],
            json!(["task_id"])
        );
        assert!(spec["components"]["schemas"]["Q"]["properties"]
            .get("group_id")
            .is_none());
    }
}
