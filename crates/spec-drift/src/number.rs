//! The exact value of a JSON number, for comparing and hashing.
//!
//! Two numbers are the same value when they are mathematically equal:
//! `1`, `1.0` and `1e0` agree (and so do `0` and `-0`), while
//! `9007199254740993` and `9007199254740992`, which are one `f64` apart from
//! nothing (both round to 2^53), do not. Integers are compared as integers;
//! only a number with a fractional part, or one too large for an `i128`, is
//! compared by its `f64` value.

use serde_json::Number;

/// The exact value of a JSON number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Exact {
    /// An integral value, written as an integer or as a float (`5.0`).
    Integer(i128),
    /// A value with a fractional part, or an integral one beyond `i128`:
    /// the bits of its `f64`.
    Float(u64),
    /// A number that has no `f64` value (only with serde_json's
    /// `arbitrary_precision`): its text.
    Text(String),
}

/// 2^127, the first integral `f64` beyond `i128`.
const I128_LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;

/// The exact value of `number`.
pub(crate) fn exact(number: &Number) -> Exact {
    if let Some(integer) = number.as_i64() {
        return Exact::Integer(i128::from(integer));
    }
    if let Some(integer) = number.as_u64() {
        return Exact::Integer(i128::from(integer));
    }
    match number.as_f64() {
        // Integral and within range, so the conversion is exact.
        Some(float) if float.fract() == 0.0 && float.abs() < I128_LIMIT => {
            Exact::Integer(float as i128)
        }
        Some(float) => Exact::Float(float.to_bits()),
        None => Exact::Text(number.to_string()),
    }
}

/// A JSON number as an ordered value, for constraints (`maximum`,
/// `maxLength`): integers compare exactly at any size up to `i128`, so a
/// bound of `9223372036854775807` is not "equal" to one of
/// `9223372036854775806` the way their `f64` values are.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ordered {
    /// An integral value.
    Integer(i128),
    /// A value with a fractional part, or an integral one beyond `i128`.
    Float(f64),
}

impl Ordered {
    /// The ordered value of `value`, when it is a number.
    pub(crate) fn of(value: &serde_json::Value) -> Option<Self> {
        match exact(value.as_number()?) {
            Exact::Integer(integer) => Some(Self::Integer(integer)),
            Exact::Float(bits) => Some(Self::Float(f64::from_bits(bits))),
            // Only with serde_json's `arbitrary_precision`, which is off.
            Exact::Text(_) => value.as_f64().map(Self::Float),
        }
    }

    /// Whether the value is above zero.
    pub(crate) fn is_positive(self) -> bool {
        match self {
            Self::Integer(integer) => integer > 0,
            Self::Float(float) => float > 0.0,
        }
    }
}

/// `integer` compared with `float`, exactly.
fn compare_mixed(integer: i128, float: f64) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if float.is_nan() {
        return None;
    }
    if float >= I128_LIMIT {
        return Some(Ordering::Less);
    }
    if float < -I128_LIMIT {
        return Some(Ordering::Greater);
    }
    // In range, so the floor converts exactly.
    let floor = float.floor();
    let whole = floor as i128;
    Some(match integer.cmp(&whole) {
        Ordering::Equal if float > floor => Ordering::Less,
        other => other,
    })
}

impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (*self, *other) {
            (Self::Integer(a), Self::Integer(b)) => Some(a.cmp(&b)),
            (Self::Float(a), Self::Float(b)) => a.partial_cmp(&b),
            (Self::Integer(a), Self::Float(b)) => compare_mixed(a, b),
            (Self::Float(a), Self::Integer(b)) => {
                compare_mixed(b, a).map(std::cmp::Ordering::reverse)
            }
        }
    }
}

impl PartialEq for Ordered {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Equal)
    }
}

impl std::fmt::Display for Ordered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Integer(integer) => write!(f, "{integer}"),
            Self::Float(float) => write!(f, "{float}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn of(text: &str) -> Exact {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Number(number)) => exact(&number),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn integers_above_2_to_the_53_stay_distinct() {
        assert_ne!(of("9007199254740993"), of("9007199254740992"));
        assert_ne!(of("18446744073709551615"), of("18446744073709551614"));
        assert_ne!(of("-9223372036854775808"), of("-9223372036854775807"));
        assert_eq!(
            of("9007199254740993"),
            Exact::Integer(9_007_199_254_740_993)
        );
        assert_eq!(
            of("18446744073709551615"),
            Exact::Integer(i128::from(u64::MAX))
        );
    }

    #[test]
    fn equal_values_agree_however_they_are_written() {
        assert_eq!(of("1"), of("1.0"));
        assert_eq!(of("1"), of("1e0"));
        assert_eq!(of("-3"), of("-3.0"));
        assert_eq!(of("0"), of("-0"));
        assert_eq!(of("0"), of("-0.0"));
        // Beyond u64 serde_json parses a float; it is still an integer.
        assert_eq!(of("18446744073709551616"), Exact::Integer(1 << 64));
        assert_eq!(of("0.5"), of("5e-1"));
        assert_ne!(of("0.5"), of("0.25"));
        assert_ne!(of("1"), of("1.5"));
        assert_eq!(of("1e300"), Exact::Float(1e300_f64.to_bits()));
    }

    fn ordered(text: &str) -> Ordered {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => Ordered::of(&value).unwrap(),
            Err(error) => panic!("{text}: {error}"),
        }
    }

    #[test]
    fn ordered_values_compare_exactly_beyond_2_to_the_53() {
        assert!(ordered("9223372036854775806") < ordered("9223372036854775807"));
        assert!(ordered("9007199254740993") > ordered("9007199254740992"));
        assert!(ordered("18446744073709551615") > ordered("18446744073709551614"));
        assert_eq!(ordered("5"), ordered("5.0"));
        assert_eq!(ordered("0"), ordered("-0.0"));
        assert_eq!(ordered("5.0").to_string(), "5");
        assert_eq!(
            ordered("9223372036854775807").to_string(),
            "9223372036854775807"
        );
    }

    #[test]
    fn integers_and_fractions_compare_both_ways() {
        assert!(ordered("1") < ordered("1.5"));
        assert!(ordered("2") > ordered("1.5"));
        assert!(ordered("-2") < ordered("-1.5"));
        assert!(ordered("-1") > ordered("-1.5"));
        assert!(ordered("1.5") > ordered("1"));
        assert!(ordered("0.5") < ordered("1"));
        assert!(ordered("1e300") > ordered("170141183460469231731687303715884105727"));
        assert!(ordered("-1e300") < ordered("-9223372036854775808"));
        assert!(ordered("0.25") < ordered("0.5"));
        assert!(
            ordered("1").is_positive()
                && !ordered("0").is_positive()
                && ordered("0.5").is_positive()
        );
    }
}
