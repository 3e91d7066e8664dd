//! [`Id`]: the one wire type for MiniMax `file_id` and `task_id` values.
//!
//! The upstream specs disagree on how these identifiers travel: the file API
//! declares `integer/int64`, video tasks return numeric strings, and official
//! examples print ids above 2^53 that a JavaScript renderer has already
//! rounded. `Id` decodes a JSON integer or a numeric string, keeps all 64 bits
//! (it never goes through `f64`), and always encodes as a JSON integer, the
//! type the official spec declares for requests.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A MiniMax resource identifier (`file_id`, `task_id`, …).
///
/// ```
/// use minimax_api::Id;
///
/// let from_number: Id = serde_json::from_str("123456789012345680").unwrap();
/// let from_string: Id = serde_json::from_str("\"123456789012345680\"").unwrap();
/// assert_eq!(from_number, from_string);
/// assert_eq!(from_number.get(), 123_456_789_012_345_680);
/// assert_eq!(serde_json::to_string(&from_string).unwrap(), "123456789012345680");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(i64);

impl Id {
    /// Wraps a raw identifier.
    pub const fn new(value: i64) -> Self {
        Self(value)
    }

    /// The identifier as a 64-bit integer.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.0)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The text given for an [`Id`] is not a base-10 64-bit integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseIdError {
    input: String,
}

impl fmt::Display for ParseIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ids are public identifiers, never secrets, so echoing the input is
        // safe; it is cut short so a pasted blob cannot flood a log line.
        let shown: String = self.input.chars().take(40).collect();
        let ellipsis = if self.input.chars().count() > 40 {
            "…"
        } else {
            ""
        };
        write!(
            f,
            "invalid MiniMax id {shown:?}{ellipsis}: expected a base-10 integer that fits in 64 bits"
        )
    }
}

impl std::error::Error for ParseIdError {}

impl FromStr for Id {
    type Err = ParseIdError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse::<i64>().map(Id).map_err(|_| ParseIdError {
            input: text.to_owned(),
        })
    }
}

impl From<i64> for Id {
    fn from(value: i64) -> Self {
        Id(value)
    }
}

impl From<Id> for i64 {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl TryFrom<u64> for Id {
    type Error = ParseIdError;

    fn try_from(value: u64) -> Result<Self, Self::Error> {
        i64::try_from(value).map(Id).map_err(|_| ParseIdError {
            input: value.to_string(),
        })
    }
}

impl TryFrom<&str> for Id {
    type Error = ParseIdError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl TryFrom<&String> for Id {
    type Error = ParseIdError;

    fn try_from(text: &String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl TryFrom<String> for Id {
    type Error = ParseIdError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdVisitor)
    }
}

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = Id;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a MiniMax id: a 64-bit integer or a string of base-10 digits")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Id, E> {
        Ok(Id(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Id, E> {
        i64::try_from(value)
            .map(Id)
            .map_err(|_| E::custom(format_args!("MiniMax id {value} does not fit in 64 bits")))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Id, E> {
        // A float has already lost the low bits of a large id; refuse it
        // rather than hand back an id that names a different resource.
        Err(E::custom(format_args!(
            "MiniMax id {value} is a floating-point number; ids must be integers or digit strings"
        )))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Id, E> {
        text.parse().map_err(E::custom)
    }
}

/// Decodes an optional id field of a response (the generator puts this on
/// every `Option<Id>` field): `null`, `""` and `0` are no id, since MiniMax
/// sends a field it has no value for as its zero value (a running video task
/// answers `"file_id": ""`) and never issues id 0; anything else must be a
/// valid [`Id`].
pub(crate) fn deserialize_optional<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Id>, D::Error> {
    deserializer.deserialize_option(OptionalIdVisitor)
}

struct OptionalIdVisitor;

impl<'de> Visitor<'de> for OptionalIdVisitor {
    type Value = Option<Id>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a MiniMax id, an empty string or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Id>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Id>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Id>, D::Error> {
        let id = deserializer.deserialize_any(EmptyAsNone)?;
        Ok(id.filter(|id| id.0 != 0))
    }
}

/// [`IdVisitor`], with `""` decoding to `None`.
struct EmptyAsNone;

impl Visitor<'_> for EmptyAsNone {
    type Value = Option<Id>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        IdVisitor.expecting(f)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Option<Id>, E> {
        IdVisitor.visit_i64(value).map(Some)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Option<Id>, E> {
        IdVisitor.visit_u64(value).map(Some)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Option<Id>, E> {
        IdVisitor.visit_f64(value).map(Some)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Option<Id>, E> {
        if text.is_empty() {
            return Ok(None);
        }
        IdVisitor.visit_str(text).map(Some)
    }
}

impl schemars::JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A MiniMax id: a 64-bit integer, or a string of base-10 digits in responses.",
            "oneOf": [
                { "type": "integer", "format": "int64" },
                { "type": "string", "pattern": "^-?[0-9]+$" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_integers_and_numeric_strings_without_losing_bits() {
        let big = 123_456_789_012_345_680_i64;
        let from_int: Id = serde_json::from_str("123456789012345680").unwrap();
        let from_str: Id = serde_json::from_str("\"123456789012345680\"").unwrap();
        assert_eq!(from_int.get(), big);
        assert_eq!(from_str.get(), big);
        let max: Id = serde_json::from_str(&i64::MAX.to_string()).unwrap();
        assert_eq!(max.get(), i64::MAX);
    }

    #[test]
    fn encodes_as_an_integer() {
        let id: Id = serde_json::from_str("\"205258526306433\"").unwrap();
        assert_eq!(
            serde_json::to_value(id).unwrap(),
            serde_json::json!(205258526306433_i64)
        );
    }

    #[test]
    fn refuses_floats_words_and_overflow() {
        for bad in [
            "1.5",
            "1e3",
            "\"abc\"",
            "\"12 34\"",
            "18446744073709551615",
            "null",
            "true",
        ] {
            let res: Result<Id, _> = serde_json::from_str(bad);
            assert!(res.is_err(), "{bad} should not decode");
        }
        let err = "x1".parse::<Id>().unwrap_err().to_string();
        assert!(err.contains("\"x1\""), "{err}");
    }

    #[derive(Debug, serde::Deserialize)]
    struct Task {
        #[serde(default, deserialize_with = "deserialize_optional")]
        file_id: Option<Id>,
    }

    fn optional(body: &str) -> Result<Option<Id>, serde_json::Error> {
        serde_json::from_str::<Task>(body).map(|task| task.file_id)
    }

    #[test]
    fn an_optional_id_reads_zero_values_and_null_as_none() {
        for none in [
            r#"{}"#,
            r#"{"file_id":null}"#,
            r#"{"file_id":""}"#,
            r#"{"file_id":0}"#,
            r#"{"file_id":"0"}"#,
        ] {
            assert_eq!(optional(none).unwrap(), None, "{none}");
        }
        for (body, id) in [
            (r#"{"file_id":"176844028768320"}"#, 176_844_028_768_320),
            (r#"{"file_id":123456789012345680}"#, 123_456_789_012_345_680),
        ] {
            assert_eq!(optional(body).unwrap(), Some(Id::new(id)), "{body}");
        }
    }

    #[test]
    fn an_optional_id_still_refuses_what_is_not_an_id() {
        for bad in [
            r#"{"file_id":"abc"}"#,
            r#"{"file_id":" "}"#,
            r#"{"file_id":1.5}"#,
            r#"{"file_id":true}"#,
            r#"{"file_id":[1]}"#,
            r#"{"file_id":18446744073709551615}"#,
        ] {
            let error = optional(bad).expect_err(bad).to_string();
            assert!(error.contains("id"), "{bad}: {error}");
        }
    }

    #[test]
    fn converts_from_text_and_numbers() {
        assert_eq!(Id::try_from("42").unwrap(), Id::new(42));
        assert_eq!(Id::from(7), Id::new(7));
        assert!(Id::try_from(u64::MAX).is_err());
        assert_eq!(Id::new(9).to_string(), "9");
    }
}
