//! Rule `dangling-refs`: every `$ref` resolves.
//!
//! The international spec references `AudioSetting`,
//! `VideoTemplateGenerationReq` and `VideoTemplateGenerationResp` without
//! defining them. `openapi/additions/repairs.json` supplies definitions
//! written from the documented wire format; this rule counts each upstream
//! reference that was dangling in its own file and now resolves, and fails
//! with the file and pointer of any reference that still resolves nowhere.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct DanglingRefs;

/// Targets of `$ref`s in `doc` that do not resolve within `doc`.
pub fn dangling(doc: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    walk::references(doc, "", &mut found);
    found
        .into_iter()
        .filter(|(target, _)| walk::resolve(doc, target).is_none())
        .collect()
}

impl Rule for DanglingRefs {
    fn name(&self) -> &'static str {
        "dangling-refs"
    }

    fn describe(&self) -> &'static str {
        "references an upstream leaves dangling (AudioSetting, VideoTemplateGenerationReq/Resp) resolve to project definitions; any other dangling $ref is an error"
    }

    fn apply(&self, doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError> {
        if let Some((target, at)) = dangling(doc).into_iter().next() {
            // The check runs after pruning: a target an input defines was
            // dropped by the normaliser, which is not the input's fault.
            let message = match context
                .inputs
                .iter()
                .find(|input| walk::resolve(&input.doc, &target).is_some())
            {
                Some(input) => format!(
                    "$ref {target:?} resolves nowhere although {} defines it: the normaliser dropped it (a reachability bug in xtask/src/spec/walk.rs or a rule)",
                    input.file
                ),
                None => format!(
                    "$ref {target:?} resolves nowhere; define the schema in an openapi/additions fragment (as openapi/additions/repairs.json does for upstream gaps)"
                ),
            };
            return Err(SpecError::new(context.origin(doc, &at), at, message));
        }
        let mut repaired = BTreeSet::new();
        for input in context.inputs.iter().filter(|input| input.region.is_some()) {
            for (target, at) in dangling(&input.doc) {
                if walk::resolve(doc, &target).is_some() {
                    repaired.insert(format!("{} {at} → {target}", input.name));
                }
            }
        }
        Ok(repaired.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::input::Input;
    use crate::spec::rules::testing::{apply_with, doc};
    use serde_json::json;

    #[test]
    fn counts_repaired_upstream_refs_and_rejects_the_rest() {
        let upstream = doc(
            json!({}),
            json!({"Req": {"properties": {"audio": {"$ref": "#/components/schemas/AudioSetting"}}}}),
        );
        let input = Input {
            name: "international".into(),
            file: "openapi/upstream/international.json".into(),
            precedence: 10,
            region: Some(crate::sources::Region::Global),
            doc: upstream.clone(),
            downconversion: Default::default(),
        };
        let mut merged = upstream.clone();
        merged["components"]["schemas"]["AudioSetting"] = json!({"type": "object"});
        let fired = apply_with(&DanglingRefs, &mut merged, std::slice::from_ref(&input));
        assert_eq!(fired.len(), 1);
        assert!(fired[0].contains("AudioSetting"));

        let mut broken = upstream;
        broken["components"]["schemas"]["Req"]["x-minimax-source"] = json!("international");
        let err = DanglingRefs
            .apply(
                &mut broken,
                &Context {
                    inputs: &[input],
                    examples: &[],
                },
            )
            .unwrap_err();
        assert_eq!(err.file, "openapi/upstream/international.json");
        assert_eq!(err.pointer, "/components/schemas/Req/properties/audio/$ref");
        assert!(err.message.contains("define the schema"), "{err}");
    }

    #[test]
    fn a_target_an_input_defines_was_dropped_by_the_normaliser() {
        let addition = Input {
            name: "additions/audio".into(),
            file: "openapi/additions/audio.json".into(),
            precedence: 1000,
            region: None,
            doc: doc(json!({}), json!({"AudioSetting": {"type": "object"}})),
            downconversion: Default::default(),
        };
        let mut merged = doc(
            json!({}),
            json!({"Req": {"properties": {"audio": {"$ref": "#/components/schemas/AudioSetting"}}}}),
        );
        let err = DanglingRefs
            .apply(
                &mut merged,
                &Context {
                    inputs: &[addition],
                    examples: &[],
                },
            )
            .unwrap_err();
        assert!(
            err.message
                .contains("openapi/additions/audio.json defines it: the normaliser dropped it"),
            "{err}"
        );
    }
}
