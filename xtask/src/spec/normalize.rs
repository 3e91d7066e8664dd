//! The normaliser: an ordered list of named rules applied to the merged document.
//!
//! Every rule is a small type in `rules/` that rewrites one upstream quirk,
//! reports each place it changed (so `cargo xtask generate` can say which
//! rules fired and how often), and has unit tests on a minimal spec.

use serde_json::Value;

use super::error::SpecError;
use super::input::{ExampleFile, Input};
use super::rules;

/// What a rule may consult besides the document.
pub struct Context<'a> {
    /// The inputs the document was merged from.
    pub inputs: &'a [Input],
    /// The example files rule `attach-examples` attaches.
    pub examples: &'a [ExampleFile],
}

impl Context<'_> {
    /// The input file that contributed the value at `pointer`: the source
    /// recorded on the enclosing operation or component schema.
    pub fn origin(&self, doc: &Value, pointer: &str) -> String {
        let mut at = pointer.to_owned();
        loop {
            if let Some(source) = doc
                .pointer(&at)
                .and_then(|value| value.get("x-minimax-source"))
                .and_then(Value::as_str)
            {
                if let Some(input) = self.inputs.iter().find(|input| input.name == source) {
                    return input.file.clone();
                }
            }
            match at.rfind('/') {
                Some(cut) => at.truncate(cut),
                None => return "openapi/minimax.json".to_owned(),
            }
        }
    }
}

/// One normalisation.
pub trait Rule: Sync {
    /// Stable kebab-case name, printed in the summary.
    fn name(&self) -> &'static str;
    /// What the rule does, in one line.
    fn describe(&self) -> &'static str;
    /// Rewrites `doc`; returns the pointer of every place it changed.
    fn apply(&self, doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError>;
}

/// How often a rule fired, and where.
#[derive(Debug, Clone)]
pub struct Firing {
    /// The rule's name.
    pub rule: &'static str,
    /// The rule's description.
    pub describe: &'static str,
    /// Every place it changed.
    pub places: Vec<String>,
}

/// Applies every rule of [`rules::ALL`] in order.
pub fn normalize(doc: &mut Value, context: &Context<'_>) -> Result<Vec<Firing>, SpecError> {
    let mut firings = Vec::new();
    for rule in rules::ALL {
        let places = rule.apply(doc, context)?;
        firings.push(Firing {
            rule: rule.name(),
            describe: rule.describe(),
            places,
        });
    }
    Ok(firings)
}
