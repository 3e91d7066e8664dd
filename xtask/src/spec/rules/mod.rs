//! The normalisation rules, in the order they run.
//!
//! Rule 1 of the pipeline (OpenAPI 3.1 → 3.0.3 down-conversion) runs on each
//! input before the merge, in `spec-compat`; rule 2 is the merge itself
//! (`spec::merge`). The rules here run on the merged document.

mod ascii_enum_names;
mod base_resp;
mod count_wire_type;
mod dangling_refs;
mod error_body;
mod example_placeholders;
mod examples;
mod file_object;
mod group_id;
mod handwritten;
mod id_wire_type;
mod nullable_collections;
mod open_enums;
mod operation_ids;
mod prune;
mod shared_types;
#[cfg(test)]
pub mod testing;

pub use ascii_enum_names::renames as ascii_enum_renames;
pub use handwritten::{marked as handwritten_operations, MULTIPART};

use super::normalize::Rule;

/// Every rule, in the order it runs.
pub static ALL: &[&dyn Rule] = &[
    &operation_ids::OperationIds,
    &group_id::RemoveGroupId,
    &file_object::FileObject,
    &id_wire_type::IdWireType,
    &count_wire_type::CountWireType,
    &open_enums::FilePurpose,
    &open_enums::TaskStatus,
    &base_resp::BaseRespEverywhere,
    &error_body::ErrorBody,
    &nullable_collections::NullableResponseCollections,
    &handwritten::StreamingResponses,
    &handwritten::HandWrittenOperations,
    &ascii_enum_names::AsciiEnumNames,
    &examples::AttachExamples,
    &example_placeholders::ExamplePlaceholders,
    &prune::PruneUnreferenced,
    // Last: after every rule that defines shared schemas the others may
    // reference, and after pruning, so a reference the pruning broke is an
    // error here rather than a progenitor failure later.
    &dangling_refs::DanglingRefs,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::normalize::{normalize, Context};
    use serde_json::json;

    #[test]
    fn dangling_references_are_checked_after_pruning() {
        let names: Vec<&str> = ALL.iter().map(|rule| rule.name()).collect();
        assert_eq!(names.last(), Some(&"dangling-refs"), "{names:?}");

        // A broken schema no operation reaches is pruned, not an error.
        let mut spec = testing::doc(
            json!({"/a": {"get": {"operationId": "getA", "responses": {"200": testing::json_response(json!({"$ref": "#/components/schemas/A"}))}}}}),
            json!({
                "A": {"type": "object", "properties": {"b": {"type": "string"}}},
                "Orphan": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/Missing"}}}
            }),
        );
        let context = Context {
            inputs: &[],
            examples: &[],
        };
        normalize(&mut spec, &context).unwrap();
        assert!(spec["components"]["schemas"].get("Orphan").is_none());
    }
}
