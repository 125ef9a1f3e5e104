//! One JSON value as the lenient envelope reader (PROTOCOL.md §3.3) sees it: scalars kept
//! as they are, strings borrowed from the frame when they hold no escape, arrays and objects
//! as a `serde_json::Value` (they are only ever turned into text or a default). Also
//! [`Skip`], which reads and discards the value of a key the reader does not know.
//!
//! Both accept exactly the JSON that `serde_json::Value` accepts, with the same nesting
//! limit and number rules: a frame `decode` takes or rejects does not depend on whether
//! the envelope is read through these types or through a `Value`.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::json::{number_to_i64, str_to_i64};
use super::packet::UNSET_ID;

/// The value of one envelope key.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Lenient<'a> {
    Null,
    Bool(bool),
    Number(Number),
    /// Borrowed from the frame unless the JSON string held escapes.
    Str(Cow<'a, str>),
    /// An array or an object.
    Compound(Cow<'a, Value>),
}

impl<'a> Lenient<'a> {
    /// A field of an already-parsed object (`decode_object`), borrowed.
    pub(super) fn from_value(v: &'a Value) -> Lenient<'a> {
        match v {
            Value::Null => Lenient::Null,
            Value::Bool(b) => Lenient::Bool(*b),
            Value::Number(n) => Lenient::Number(n.clone()),
            Value::String(s) => Lenient::Str(Cow::Borrowed(s)),
            Value::Array(_) | Value::Object(_) => Lenient::Compound(Cow::Borrowed(v)),
        }
    }

    /// P8: on only for JSON `true`.
    pub(super) fn is_true(&self) -> bool {
        matches!(self, Lenient::Bool(true))
    }

    /// P1/P10: an integer, an integral number or a string holding a decimal integer.
    pub(super) fn to_i64(&self) -> Option<i64> {
        match self {
            Lenient::Number(n) => number_to_i64(n),
            Lenient::Str(s) => str_to_i64(s),
            _ => None,
        }
    }

    /// P6/P10: a string as is, `null` as none, anything else as its compact JSON text.
    pub(super) fn into_text(self) -> Option<String> {
        match self {
            Lenient::Null => None,
            Lenient::Str(s) => Some(s.into_owned()),
            other => Some(other.into_value().to_string()),
        }
    }

    /// P5: `from`/`to` as text, numbers as decimal text, anything else unset.
    pub(super) fn into_id(self) -> String {
        match self {
            Lenient::Str(s) => s.into_owned(),
            Lenient::Number(n) => n.to_string(),
            _ => UNSET_ID.to_string(),
        }
    }

    /// The same value as a `serde_json::Value` (error messages, JSON text).
    pub(super) fn into_value(self) -> Value {
        match self {
            Lenient::Null => Value::Null,
            Lenient::Bool(b) => Value::Bool(b),
            Lenient::Number(n) => Value::Number(n),
            Lenient::Str(s) => Value::String(s.into_owned()),
            Lenient::Compound(v) => v.into_owned(),
        }
    }
}

impl<'de> Deserialize<'de> for Lenient<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor)
    }
}

struct LenientVisitor;

impl<'de> Visitor<'de> for LenientVisitor {
    type Value = Lenient<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Lenient::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Lenient::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Lenient::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // As `Value` does: a float JSON cannot hold (never produced by the parser) is null.
        Ok(Number::from_f64(v).map_or(Lenient::Null, Lenient::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Lenient::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Lenient::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Lenient::Str(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Lenient::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Lenient::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Lenient::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v = Value::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(Lenient::Compound(Cow::Owned(v)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let v = Value::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Lenient::Compound(Cow::Owned(v)))
    }
}

/// A value read in full (so that malformed JSON anywhere in the frame is still an error)
/// and thrown away without allocating. Unlike `serde::de::IgnoredAny`, which serde_json
/// skips without its nesting limit or its checks of numbers and `\u` escapes, this goes
/// through the same parsing as `Value`.
pub(super) struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_none<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Skip, D::Error> {
        Skip::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_key::<Skip>()?.is_some() {
            map.next_value::<Skip>()?;
        }
        Ok(Skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Lenient<'_> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn read_from_text_equals_read_from_value() {
        for json in [
            "null",
            "true",
            "false",
            "0",
            "-7",
            "18446744073709551615",
            "2.5",
            "5e1",
            "-0",
            "-0.0",
            "\"plain\"",
            "\"esc\\u0061ped\\n\"",
            "[1,{\"b\":2,\"a\":[]}]",
            "{\"z\":1,\"a\":{\"y\":null}}",
        ] {
            let value: Value = serde_json::from_str(json).unwrap();
            let from_text = read(json);
            assert_eq!(from_text, Lenient::from_value(&value), "{json}");
            assert_eq!(from_text.clone().into_value(), value, "{json}");
            assert_eq!(from_text.to_i64(), super::super::json::coerce_i64(&value));
            assert_eq!(
                from_text.into_text(),
                super::super::json::coerce_text(&value),
                "{json}"
            );
        }
    }

    #[test]
    fn unescaped_strings_are_borrowed() {
        assert!(matches!(
            read("\"abc\""),
            Lenient::Str(Cow::Borrowed("abc"))
        ));
        assert!(matches!(read("\"a\\tc\""), Lenient::Str(Cow::Owned(_))));
    }

    #[test]
    fn skip_rejects_what_value_rejects() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for json in [
            deep.as_str(),
            "1e400",
            "\"\\ud800\"",
            "\"\\uzzzz\"",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
        ] {
            assert!(serde_json::from_str::<Value>(json).is_err(), "{json}");
            let skipped = serde_json::from_str::<Skip>(json).map(|_| ());
            let valued = serde_json::from_str::<Value>(json).map(|_| ());
            assert_eq!(
                skipped.map_err(|e| e.to_string()),
                valued.map_err(|e| e.to_string()),
                "{json}"
            );
            let lenient = serde_json::from_str::<Lenient>(json).map(|_| ());
            assert!(lenient.is_err(), "{json}");
        }
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(serde_json::from_str::<Skip>(&ok).is_ok());
    }
}
