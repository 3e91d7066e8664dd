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
        Format::Json => serde_json::from_str::<Value>(text).map_err(|err| LoadError {
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
                let child = yaml_to_json(value, &crate::pointer::push(at, &key), origin)?;
                object.insert(key, child);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, at, origin)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
