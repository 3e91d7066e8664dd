//! Rule `ascii-enum-names`: string enums with non-ASCII values get ASCII Rust names.
//!
//! typify turns an enum value into a variant name by case conversion, so the
//! image style values `漫画`, `元气`, `中世纪`, `水彩` would become non-ASCII
//! identifiers. The rule records ASCII names for every value in
//! `x-enum-varnames` (the openapi-generator convention); `cargo xtask
//! generate` renames the variants and keeps the wire values with
//! `#[serde(rename)]`. A non-ASCII value without a known translation is an
//! error that says where to add one.

use serde_json::{json, Value};

use crate::spec::normalize::{Context, Rule};
use crate::spec::walk;
use crate::spec::SpecError;

/// See the module documentation.
pub struct AsciiEnumNames;

/// ASCII names for the non-ASCII enum values the specs use.
pub const TRANSLATIONS: &[(&str, &str)] = &[
    ("漫画", "Comic"),
    ("元气", "Vibrant"),
    ("中世纪", "Medieval"),
    ("水彩", "Watercolor"),
];

/// `UpperCamelCase` for an ASCII value, the way typify names variants.
fn camel(value: &str) -> String {
    let mut name = String::new();
    let mut upper = true;
    for ch in value.chars() {
        if ch.is_ascii_alphanumeric() {
            if upper {
                name.push(ch.to_ascii_uppercase());
            } else {
                name.push(ch);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if name.starts_with(|ch: char| ch.is_ascii_digit()) {
        name.insert(0, 'X');
    }
    name
}

impl Rule for AsciiEnumNames {
    fn name(&self) -> &'static str {
        "ascii-enum-names"
    }

    fn describe(&self) -> &'static str {
        "non-ASCII enum values (漫画, 元气, …) get ASCII Rust variant names in x-enum-varnames"
    }

    fn apply(&self, doc: &mut Value, context: &Context<'_>) -> Result<Vec<String>, SpecError> {
        let mut fired = Vec::new();
        let mut missing: Option<(String, String)> = None;
        walk::visit_schemas(doc, &mut |schema, site| {
            let Some(values) = schema.get("enum").and_then(Value::as_array) else {
                return;
            };
            let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            if strings.iter().all(|value| value.is_ascii()) {
                return;
            }
            let mut names = Vec::new();
            for value in &strings {
                if value.is_ascii() {
                    names.push(camel(value));
                } else if let Some((_, name)) = TRANSLATIONS.iter().find(|(wire, _)| wire == value)
                {
                    names.push((*name).to_owned());
                } else {
                    missing.get_or_insert_with(|| (site.pointer.to_owned(), (*value).to_owned()));
                    return;
                }
            }
            let wanted = json!(names);
            if schema.get("x-enum-varnames") != Some(&wanted) {
                schema["x-enum-varnames"] = wanted;
                fired.push(site.pointer.to_owned());
            }
        });
        if let Some((pointer, value)) = missing {
            return Err(SpecError::new(
                context.origin(doc, &pointer),
                pointer,
                format!(
                    "enum value {value:?} is not ASCII and has no Rust name; add a translation to TRANSLATIONS in xtask/src/spec/rules/ascii_enum_names.rs"
                ),
            ));
        }
        Ok(fired)
    }
}

/// `(wire value, ASCII name)` for every non-ASCII value of every enum in `doc`.
pub fn renames(doc: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut copy = doc.clone();
    walk::visit_schemas(&mut copy, &mut |schema, _| {
        let (Some(values), Some(names)) = (
            schema.get("enum").and_then(Value::as_array),
            schema.get("x-enum-varnames").and_then(Value::as_array),
        ) else {
            return;
        };
        for (value, name) in values.iter().zip(names) {
            if let (Some(value), Some(name)) = (value.as_str(), name.as_str()) {
                if !value.is_ascii()
                    && !found
                        .iter()
                        .any(|(known, _): &(String, String)| known == value)
                {
                    found.push((value.to_owned(), name.to_owned()));
                }
            }
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::rules::testing::doc;

    #[test]
    fn names_non_ascii_values() {
        let mut spec = doc(
            json!({}),
            json!({"Style": {"type": "string", "enum": ["漫画", "元气", "中世纪", "水彩", "flat-2d"]}}),
        );
        let fired = crate::spec::rules::testing::apply(&AsciiEnumNames, &mut spec);
        assert_eq!(fired, ["/components/schemas/Style"]);
        assert_eq!(
            spec["components"]["schemas"]["Style"]["x-enum-varnames"],
            json!(["Comic", "Vibrant", "Medieval", "Watercolor", "Flat2d"])
        );
        assert_eq!(renames(&spec)[0], ("漫画".to_owned(), "Comic".to_owned()));
    }

    #[test]
    fn unknown_non_ascii_values_are_errors_naming_the_pointer() {
        let mut spec = doc(
            json!({}),
            json!({"Style": {"type": "string", "enum": ["油画"]}}),
        );
        let err = AsciiEnumNames
            .apply(
                &mut spec,
                &Context {
                    inputs: &[],
                    examples: &[],
                },
            )
            .unwrap_err();
        assert_eq!(err.pointer, "/components/schemas/Style");
        assert!(err.message.contains("\"油画\""), "{}", err.message);
    }
}
