//! [`Count`]: a tally MiniMax documents as a decimal string.
//!
//! Image generation reports `metadata.success_count` and `failed_count` as
//! strings (`"1"`), where a JSON number would be the usual encoding. `Count`
//! accepts both, and keeps whatever text arrived, so a count the server
//! formats unexpectedly never costs the caller the rest of the response (the
//! images a paid request produced). [`Count::get`] reads it as a number.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A tally as MiniMax sends it: decimal text (`"2"`), or a JSON number kept
/// as its decimal text.
///
/// ```
/// use minimax_api::Count;
///
/// let text: Count = serde_json::from_str("\"2\"").unwrap();
/// let number: Count = serde_json::from_str("2").unwrap();
/// assert_eq!(text, number);
/// assert_eq!(text.get(), Some(2));
/// assert_eq!(serde_json::to_string(&number).unwrap(), "\"2\"");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Count(String);

impl Count {
    /// The count as sent, for example `"2"`; empty when the server sent its
    /// zero value `""`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The count as a number, or `None` when the text is not a base-10
    /// integer (surrounding spaces are ignored), including `""`, the zero
    /// value MiniMax sends for a count it has not filled in.
    pub fn get(&self) -> Option<u64> {
        self.0.trim().parse().ok()
    }
}

impl fmt::Debug for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Count({:?})", self.0)
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Count {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Count(text.to_owned()))
    }
}

impl From<u64> for Count {
    fn from(value: u64) -> Self {
        Count(value.to_string())
    }
}

impl Serialize for Count {
    /// As a string, the encoding MiniMax documents.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CountVisitor)
    }
}

struct CountVisitor;

impl Visitor<'_> for CountVisitor {
    type Value = Count;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a count: a string or a number")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Count, E> {
        Ok(Count(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Count, E> {
        Ok(Count(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Count, E> {
        // `3.0` reads as "3", so a whole float still parses with `get`.
        Ok(Count(value.to_string()))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Count, E> {
        Ok(Count(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Count, E> {
        Ok(Count(text))
    }
}

impl schemars::JsonSchema for Count {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Count".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A tally MiniMax sends as a decimal string; a JSON number is accepted too.",
            "anyOf": [
                { "type": "string", "pattern": "^[0-9]*$" },
                { "type": "integer", "minimum": 0 }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(json: &str) -> Count {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn decodes_strings_and_numbers_alike() {
        for (json, text, value) in [
            (r#""2""#, "2", Some(2)),
            ("2", "2", Some(2)),
            ("2.0", "2", Some(2)),
            (r#""0""#, "0", Some(0)),
            (r#"" 7 ""#, " 7 ", Some(7)),
            (
                "18446744073709551615",
                "18446744073709551615",
                Some(u64::MAX),
            ),
        ] {
            let count = count(json);
            assert_eq!(count.as_str(), text, "{json}");
            assert_eq!(count.get(), value, "{json}");
        }
    }

    #[test]
    fn keeps_text_that_is_not_a_number() {
        for (json, text) in [
            (r#""many""#, "many"),
            (r#""""#, ""),
            ("-1", "-1"),
            ("1.5", "1.5"),
        ] {
            let count = count(json);
            assert_eq!(count.as_str(), text, "{json}");
            assert_eq!(count.get(), None, "{json}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_scalar() {
        for bad in ["null", "true", "[1]", r#"{"n":1}"#] {
            let error = serde_json::from_str::<Count>(bad).unwrap_err().to_string();
            assert!(error.contains("a count"), "{bad}: {error}");
        }
    }

    #[test]
    fn encodes_as_a_string_and_converts() {
        assert_eq!(serde_json::to_string(&Count::from(3)).unwrap(), r#""3""#);
        assert_eq!("4".parse::<Count>(), Ok(count("4")));
        assert_eq!(Count::from(5).to_string(), "5");
        assert_eq!(format!("{:?}", Count::from(6)), r#"Count("6")"#);
    }
}
