//! Decimal formats on the wire (spec 02 §2.0), in one place for every DTO.
//!
//! Output, as JSON strings:
//! - [`canonical`]: the shortest exact form, no trailing zeros (`"0"`, `"25"`, `"0.14"`, `"12.5"`);
//! - [`fixed2`]: exactly two places after rounding half away from zero (`"100.50"`, `"0.00"`).
//!
//! Input ([`optional`]): a JSON string (`"12.50"`, `"1e2"`) or number (`12.5`); `null` reads as
//! `None` ("unset": zero on create, unchanged on a PATCH). Anything else, an empty or malformed
//! string included, fails the body.
//!
//! ```ignore
//! #[derive(Serialize)]
//! struct Out {
//!     #[serde(serialize_with = "crate::decimal::canonical")]
//!     price: Decimal,
//! }
//! #[derive(Deserialize)]
//! struct In {
//!     #[serde(default, deserialize_with = "crate::decimal::optional")]
//!     price: Option<Decimal>,
//! }
//! ```

use std::fmt;
use std::str::FromStr;

use kyora_core::shared::money::round_money;
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// The canonical text of `value`: no trailing zeros, `-0` as `0`.
pub fn canonical_text(value: Decimal) -> String {
    value.normalize().to_string()
}

/// The fixed-two text of `value`: rounded half away from zero, then exactly two places.
pub fn fixed2_text(value: Decimal) -> String {
    let mut rounded = round_money(value);
    if rounded.is_zero() {
        rounded = Decimal::ZERO;
    }
    rounded.rescale(2);
    rounded.to_string()
}

/// Serialises a decimal in the canonical form.
///
/// # Errors
/// The serializer's own.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's serialize_with passes a reference
pub fn canonical<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&canonical_text(*value))
}

/// Serialises a decimal with exactly two places.
///
/// # Errors
/// The serializer's own.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's serialize_with passes a reference
pub fn fixed2<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&fixed2_text(*value))
}

/// Parses a decimal from text: plain (`12.50`, `-3`) or scientific (`1.5e2`), surrounding
/// whitespace ignored.
pub fn parse(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .ok()
}

struct OptionalDecimal;

impl<'de> Visitor<'de> for OptionalDecimal {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal as a JSON string or number, or null")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        parse(value)
            .map(Some)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(value), &self))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(value)))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        // The shortest decimal that reads back as this float: 0.05 is 0.05, not 0.0500000000…
        Decimal::try_from(value)
            .map(|d| Some(d.normalize()))
            .map_err(|_| E::invalid_value(de::Unexpected::Float(value), &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Deserialises an optional decimal from a JSON string or number; `null` is `None`. Pair with
/// `#[serde(default)]` so an absent field is `None` too.
///
/// # Errors
/// A body error for any other JSON value or a string that is not a decimal.
pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    deserializer.deserialize_option(OptionalDecimal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize)]
    struct Out {
        #[serde(serialize_with = "canonical")]
        canonical: Decimal,
        #[serde(serialize_with = "fixed2")]
        fixed: Decimal,
    }

    #[derive(Debug, Deserialize)]
    struct In {
        #[serde(default, deserialize_with = "optional")]
        value: Option<Decimal>,
    }

    fn out(canonical: Decimal, fixed: Decimal) -> serde_json::Value {
        serde_json::to_value(Out { canonical, fixed }).unwrap()
    }

    fn read(json: &str) -> Result<Option<Decimal>, serde_json::Error> {
        serde_json::from_str::<In>(json).map(|i| i.value)
    }

    #[test]
    fn canonical_output_drops_trailing_zeros() {
        for (value, text) in [
            (dec!(0), "0"),
            (dec!(0.00), "0"),
            (dec!(-0.0), "0"),
            (dec!(25.00), "25"),
            (dec!(57), "57"),
            (dec!(0.140), "0.14"),
            (dec!(12.50), "12.5"),
            (dec!(100), "100"),
        ] {
            assert_eq!(out(value, dec!(0))["canonical"], text, "{value}");
        }
    }

    #[test]
    fn fixed2_output_has_exactly_two_places_rounded_half_away_from_zero() {
        for (value, text) in [
            (dec!(100.5), "100.50"),
            (dec!(0), "0.00"),
            (dec!(7), "7.00"),
            (dec!(2.345), "2.35"),
            (dec!(-2.345), "-2.35"),
            (dec!(-0.001), "0.00"),
            (dec!(1.999), "2.00"),
        ] {
            assert_eq!(out(dec!(0), value)["fixed"], text, "{value}");
        }
    }

    #[test]
    fn inputs_are_strings_or_numbers_and_null_or_absent_is_unset() {
        assert_eq!(read(r#"{"value":"0.14"}"#).unwrap(), Some(dec!(0.14)));
        assert_eq!(read(r#"{"value":" 100.50 "}"#).unwrap(), Some(dec!(100.50)));
        assert_eq!(read(r#"{"value":"1e2"}"#).unwrap(), Some(dec!(100)));
        assert_eq!(read(r#"{"value":0.05}"#).unwrap(), Some(dec!(0.05)));
        assert_eq!(read(r#"{"value":10}"#).unwrap(), Some(dec!(10)));
        assert_eq!(read(r#"{"value":-3}"#).unwrap(), Some(dec!(-3)));
        assert_eq!(read(r#"{"value":null}"#).unwrap(), None);
        assert_eq!(read("{}").unwrap(), None);
    }

    #[test]
    fn other_json_values_and_malformed_strings_are_refused() {
        for body in [
            r#"{"value":""}"#,
            r#"{"value":"abc"}"#,
            r#"{"value":"1.2.3"}"#,
            r#"{"value":true}"#,
            r#"{"value":[1]}"#,
            r#"{"value":{"v":1}}"#,
        ] {
            assert!(read(body).is_err(), "{body}");
        }
    }
}
