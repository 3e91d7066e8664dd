//! Parsing JSON and YAML into `serde_json::Value`, with errors that say where.

use std::fmt;
use std::path::Path;

use serde_json::{Map, Number, Value};

/// The syntax of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML 1.2 (JSON is a subset, but JSON documents are read with the JSON parser).
    Yaml,
}

impl Format {
    /// The format a file name implies (`.json` → JSON, `.yaml`/`.yml` → YAML).
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            _ => None,
        }
    }

    /// Guesses the format from the text: JSON starts with `{` or `[`.
    pub fn sniff(text: &str) -> Format {
        match text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next()
        {
            Some('{') | Some('[') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// A document could not be read or parsed.
#[derive(Debug)]
pub struct LoadError {
    origin: String,
    detail: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl LoadError {
    fn new(origin: &str, detail: String) -> Self {
        Self {
            origin: origin.to_owned(),
            detail,
            source: None,
        }
    }

    /// The file (or other origin) the error is about.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.detail)
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// Reads and parses the file at `path`; the format comes from the extension,
/// or from the content when the extension says nothing.
pub fn load(path: &Path) -> Result<Value, LoadError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| LoadError {
        origin: origin.clone(),
        detail: format!("cannot read file: {err}"),
        source: Some(Box::new(err)),
    })?;
    let format = Format::from_path(path).unwrap_or_else(|| Format::sniff(&text));
    parse_as(&text, format, &origin)
}

/// Parses `text`, guessing its format; `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<Value, LoadError> {
    parse_as(text, Format::sniff(text), origin)
}

/// Parses `text` as `format`; `origin` names it in errors.
pub fn parse_as(text: &str, format: Format, origin: &str) -> Result<Value, LoadError> {
    let text = text.trim_start_matches('\u{feff}');
    let value = match format {
        Format::Json => strict_json(text).map_err(|err| LoadError {
            origin: origin.to_owned(),
            detail: format!(
                "invalid JSON at line {} column {}: {err}",
                err.line(),
                err.column()
            ),
            source: Some(Box::new(err)),
        })?,
        Format::Yaml => {
            let yaml = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).map_err(|err| {
                let place = err
                    .location()
                    .map(|at| format!(" at line {} column {}", at.line(), at.column()))
                    .unwrap_or_default();
                LoadError {
                    origin: origin.to_owned(),
                    detail: format!("invalid YAML{place}: {err}"),
                    source: Some(Box::new(err)),
                }
            })?;
            yaml_to_json(yaml, "", origin)?
        }
    };
    if !value.is_object() {
        return Err(LoadError::new(
            origin,
            "not an OpenAPI document: the top level must be an object".to_owned(),
        ));
    }
    Ok(value)
}

/// Converts YAML to JSON. Scalar mapping keys become strings (`200:` and
/// `'200':` both name the response `"200"`); values JSON cannot hold are errors.
fn yaml_to_json(yaml: serde_yaml_ng::Value, at: &str, origin: &str) -> Result<Value, LoadError> {
    use serde_yaml_ng::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(flag),
        Yaml::Number(number) => {
            if let Some(int) = number.as_i64() {
                Value::from(int)
            } else if let Some(uint) = number.as_u64() {
                Value::from(uint)
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                Value::Number(Number::from_f64(float).ok_or_else(|| {
                    LoadError::new(
                        origin,
                        format!("{float} at {at:?} cannot be represented in JSON"),
                    )
                })?)
            }
        }
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| yaml_to_json(item, &format!("{at}/{index}"), origin))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Yaml::String(text) => text,
                    Yaml::Number(number) => number.to_string(),
                    Yaml::Bool(flag) => flag.to_string(),
                    Yaml::Null => "null".to_owned(),
                    other => {
                        return Err(LoadError::new(
                            origin,
                            format!(
                                "unsupported mapping key {other:?} at {at:?}: keys must be scalars"
                            ),
                        ))
                    }
                };
                let here = crate::pointer::push(at, &key);
                if object.contains_key(&key) {
                    // `200:` and `'200':` are different YAML keys but one
                    // JSON key: keeping either would silently lose the other.
                    return Err(LoadError::new(
                        origin,
                        format!("duplicate key {key:?} at {here:?} (keys that differ only in YAML type, like 200 and '200', are the same key in JSON)"),
                    ));
                }
                let child = yaml_to_json(value, &here, origin)?;
                object.insert(key, child);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, at, origin)?,
    })
}

/// Parses JSON like `serde_json::from_str::<Value>`, except that an object
/// with a repeated key is an error naming the key and its JSON pointer
/// (serde_json's `Value` keeps the last one and silently drops the rest).
fn strict_json(text: &str) -> Result<Value, serde_json::Error> {
    use serde::de::DeserializeSeed;

    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Strict { at: String::new() }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// A JSON value at pointer `at`, rejecting repeated object keys.
struct Strict {
    at: String,
}

impl<'de> serde::de::DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Value, E> {
        Ok(Value::Bool(flag))
    }

    fn visit_i64<E>(self, number: i64) -> Result<Value, E> {
        Ok(Value::Number(number.into()))
    }

    fn visit_u64<E>(self, number: u64) -> Result<Value, E> {
        Ok(Value::Number(number.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<Value, E> {
        Number::from_f64(number)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{number} at {:?} is not a JSON number", self.at)))
    }

    fn visit_str<E>(self, text: &str) -> Result<Value, E> {
        Ok(Value::String(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Value, E> {
        Ok(Value::String(text))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut array = Vec::new();
        while let Some(item) = items.next_element_seed(Strict {
            at: format!("{}/{}", self.at, array.len()),
        })? {
            array.push(item);
        }
        Ok(Value::Array(array))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut members: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = members.next_key::<String>()? {
            let here = crate::pointer::push(&self.at, &key);
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key {key:?} at {here:?}"
                )));
            }
            let value = members.next_value_seed(Strict { at: here })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_errors_naming_the_key_and_pointer() {
        let err = parse(
            "{\"paths\": {\"/x\": {\"get\": {}}, \"/x\": {\"post\": {}}}}",
            "spec.json",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("spec.json: invalid JSON at line 1")
                && err.contains("duplicate key \"/x\" at \"/paths/~1x\""),
            "{err}"
        );
        let err = parse(
            "openapi: 3.1.0\nresponses:\n  200:\n    description: a\n  '200':\n    description: b\n",
            "spec.yaml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("spec.yaml: duplicate key \"200\" at \"/responses/200\""),
            "{err}"
        );
        let err = parse("a: 1\na: 2\n", "plain.yaml").unwrap_err().to_string();
        assert!(err.starts_with("plain.yaml: "), "{err}");
        // Everything else reads as serde_json reads it.
        let text = r#"{"a":[1,-2,18446744073709551615,1.5,"s",true,null,{"b":{}}],"c":{}}"#;
        assert_eq!(
            parse(text, "ok.json").unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        assert!(parse("{\"a\":1} trailing", "t.json").is_err());
    }

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let doc = parse("openapi: 3.1.0\npaths:\n  /x:\n    get:\n      responses:\n        200:\n          description: ok\n", "a.yaml").unwrap();
        assert!(doc["paths"]["/x"]["get"]["responses"]["200"].is_object());
    }

    #[test]
    fn json_errors_name_file_and_position() {
        let err = parse("{\n  \"openapi\": 3.1.0,\n}", "spec.json")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("spec.json: invalid JSON at line 2"),
            "{err}"
        );
    }

    #[test]
    fn yaml_errors_name_file_and_position() {
        let err = parse("openapi: 3.1.0\npaths: [\n", "spec.yaml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("spec.yaml: invalid YAML at line"), "{err}");
    }

    #[test]
    fn non_objects_are_refused() {
        let err = parse("[1, 2]", "list.json").unwrap_err().to_string();
        assert!(err.contains("top level must be an object"), "{err}");
    }

    #[test]
    fn missing_files_are_named() {
        let err = load(Path::new("/nonexistent/spec.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("/nonexistent/spec.json: cannot read file"),
            "{err}"
        );
    }
}
