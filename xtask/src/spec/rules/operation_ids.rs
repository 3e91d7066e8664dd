//! Rule `operation-ids`: every operation has a unique `operationId`.
//!
//! progenitor names each generated method after its operation's id and
//! refuses a document where one is missing or repeated. A missing id is
//! derived from the method and path (`GET /v1/query/video_generation` →
//! `getV1QueryVideoGeneration`); a repeated one is an error naming both
//! operations, because renaming either would silently rename a public method.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct OperationIds;

/// `getV1QueryVideoGeneration` for `GET /v1/query/video_generation`.
pub fn derive(method: &str, path: &str) -> String {
    let mut id = method.to_ascii_lowercase();
    for word in path
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.extend(chars);
        }
    }
    id
}

impl Rule for OperationIds {
    fn name(&self) -> &'static str {
        "operation-ids"
    }

    fn describe(&self) -> &'static str {
        "every operation has a unique operationId (missing ones derived from method + path; duplicates are an error)"
    }

    fn apply(&self, doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for op in walk::operations(doc) {
            let at = op.pointer();
            let Some(operation) = doc.pointer_mut(&at).and_then(Value::as_object_mut) else {
                continue;
            };
            let id = match operation
                .get("operationId")
                .and_then(Value::as_str)
                .filter(|id| !id.trim().is_empty())
            {
                Some(id) => id.to_owned(),
                None => {
                    let id = derive(&op.method, &op.path);
                    operation.insert("operationId".into(), json!(id));
                    fired.push(format!("{at}/operationId"));
                    id
                }
            };
            // progenitor compares the snake_case method names, so ids that
            // differ only in case or separators collide too.
            let key: String = id
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if let Some(first) = seen.insert(key, at.clone()) {
                return Err(SpecError::new(
                    context.origin(doc, &at),
                    format!("{at}/operationId"),
                    format!("operationId {id:?} is also used by the operation at {first}; give one of them another operationId in an openapi/additions fragment"),
                ));
            }
        }
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::{apply, doc};

    #[test]
    fn derives_missing_ids() {
        let mut spec = doc(
            json!({"/v1/query/video_generation": {"get": {"responses": {}}}, "/a": {"post": {"operationId": "doA", "responses": {}}}}),
            json!({}),
        );
        let fired = apply(&OperationIds, &mut spec);
        assert_eq!(fired.len(), 1);
        assert_eq!(
            spec["paths"]["/v1/query/video_generation"]["get"]["operationId"],
            "getV1QueryVideoGeneration"
        );
    }

    #[test]
    fn duplicates_are_errors_naming_both_operations() {
        let mut spec = doc(
            json!({"/a": {"get": {"operationId": "listFiles", "responses": {}}}, "/b": {"get": {"operationId": "list_files", "responses": {}}}}),
            json!({}),
        );
        let err = OperationIds
            .apply(
                &mut spec,
                &Context {
                    inputs: &[],
                    examples: &[],
                },
            )
            .unwrap_err();
        assert_eq!(err.pointer, "/paths/~1b/get/operationId");
        assert!(err.message.contains("/paths/~1a/get"), "{}", err.message);
    }
}
