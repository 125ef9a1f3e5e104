//! The keys of an envelope the decoder reads (PROTOCOL.md §3.1, P2, P3), collected from the
//! frame text in one pass without building a `serde_json::Value` for the whole frame, or
//! from an already-parsed object. Their meaning (defaults, coercions, errors) is applied
//! by `decoder::decode`; this file only finds them.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::dialect::DialectSpec;
use super::lenient::{Lenient, Skip};

/// A key the dialect reads; `Unknown` ones are ignored (P2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Type,
    DataContent,
    From,
    To,
    Fp,
    Bridge,
    Typeu,
    RetryCount,
    Qos,
    QosAlias,
    ServerTs,
    ServerTsAlias,
    Unknown,
}

impl Key {
    /// The names come from the dialect table: the own names of D1/D2, their aliases (P3),
    /// and `retryCount` only where the dialect writes it (P2).
    fn of(spec: &DialectSpec, name: &str) -> Key {
        match name {
            "type" => Key::Type,
            "dataContent" => Key::DataContent,
            "from" => Key::From,
            "to" => Key::To,
            "fp" => Key::Fp,
            "bridge" => Key::Bridge,
            "typeu" => Key::Typeu,
            "retryCount" if spec.writes_retry_count => Key::RetryCount,
            _ if name == spec.qos_key => Key::Qos,
            _ if name == spec.qos_alias => Key::QosAlias,
            _ if name == spec.server_ts_key => Key::ServerTs,
            _ if name == spec.server_ts_alias => Key::ServerTsAlias,
            _ => Key::Unknown,
        }
    }
}

/// What the frame holds under each key the dialect reads: `None` when the key is absent,
/// `Some(Lenient::Null)` when it is `null`. A key given twice keeps its last value, as a
/// `serde_json::Map` does.
#[derive(Debug, Default)]
pub(super) struct Fields<'a> {
    pub(super) packet_type: Option<Lenient<'a>>,
    pub(super) data_content: Option<Lenient<'a>>,
    pub(super) from: Option<Lenient<'a>>,
    pub(super) to: Option<Lenient<'a>>,
    pub(super) fp: Option<Lenient<'a>>,
    pub(super) bridge: Option<Lenient<'a>>,
    pub(super) typeu: Option<Lenient<'a>>,
    pub(super) retry_count: Option<Lenient<'a>>,
    /// The dialect's own QoS key (D1) and the other dialect's (P3).
    pub(super) qos: Option<Lenient<'a>>,
    pub(super) qos_alias: Option<Lenient<'a>>,
    /// The dialect's own server-time key (D2) and the other dialect's (P3).
    pub(super) server_ts: Option<Lenient<'a>>,
    pub(super) server_ts_alias: Option<Lenient<'a>>,
}

impl<'a> Fields<'a> {
    /// The fields of an already-parsed object, borrowed from it.
    pub(super) fn from_map(spec: &DialectSpec, map: &'a Map<String, Value>) -> Fields<'a> {
        let mut fields = Fields::default();
        for (name, value) in map {
            if let Some(slot) = fields.slot(Key::of(spec, name)) {
                *slot = Some(Lenient::from_value(value));
            }
        }
        fields
    }

    fn slot(&mut self, key: Key) -> Option<&mut Option<Lenient<'a>>> {
        Some(match key {
            Key::Type => &mut self.packet_type,
            Key::DataContent => &mut self.data_content,
            Key::From => &mut self.from,
            Key::To => &mut self.to,
            Key::Fp => &mut self.fp,
            Key::Bridge => &mut self.bridge,
            Key::Typeu => &mut self.typeu,
            Key::RetryCount => &mut self.retry_count,
            Key::Qos => &mut self.qos,
            Key::QosAlias => &mut self.qos_alias,
            Key::ServerTs => &mut self.server_ts,
            Key::ServerTsAlias => &mut self.server_ts_alias,
            Key::Unknown => return None,
        })
    }
}

/// Reads one whole JSON value into `fields`; answers whether it was an object. Any other
/// JSON value is still read in full, so that invalid JSON stays an error. The fields are
/// filled in place: handing a few hundred bytes of `Fields` back through every layer of
/// the parser would cost more than the parse of a short frame.
pub(super) struct FrameSeed<'s, 'f, 'de> {
    pub(super) spec: &'s DialectSpec,
    pub(super) fields: &'f mut Fields<'de>,
}

impl<'de> DeserializeSeed<'de> for FrameSeed<'_, '_, 'de> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FrameSeed<'_, '_, 'de> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while let Some(key) = map.next_key_seed(KeySeed(self.spec))? {
            match self.fields.slot(key) {
                Some(slot) => *slot = Some(map.next_value::<Lenient<'de>>()?),
                None => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(false)
    }

    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// A key name matched against the dialect's names without copying it.
struct KeySeed<'s>(&'s DialectSpec);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, name: &str) -> Result<Key, E> {
        Ok(Key::of(self.0, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Dialect;

    fn read(dialect: Dialect, text: &str) -> Option<Fields<'_>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut fields = Fields::default();
        let seed = FrameSeed {
            spec: dialect.spec(),
            fields: &mut fields,
        };
        let is_object = seed.deserialize(&mut de).unwrap();
        de.end().unwrap();
        is_object.then_some(fields)
    }

    #[test]
    fn own_names_and_aliases_follow_the_dialect_table() {
        let text = r#"{"Qos":1,"QoS":2,"sendTs":3,"sm":4,"retryCount":5}"#;
        let seed = read(Dialect::Seed, text).unwrap();
        assert_eq!(seed.qos.and_then(|v| v.to_i64()), Some(1));
        assert_eq!(seed.qos_alias.and_then(|v| v.to_i64()), Some(2));
        assert_eq!(seed.server_ts.and_then(|v| v.to_i64()), Some(3));
        assert_eq!(seed.server_ts_alias.and_then(|v| v.to_i64()), Some(4));
        assert_eq!(seed.retry_count.and_then(|v| v.to_i64()), Some(5));
        let mis = read(Dialect::MobileImSdk, text).unwrap();
        assert_eq!(mis.qos.and_then(|v| v.to_i64()), Some(2));
        assert_eq!(mis.qos_alias.and_then(|v| v.to_i64()), Some(1));
        assert_eq!(mis.server_ts.and_then(|v| v.to_i64()), Some(4));
        assert_eq!(mis.server_ts_alias.and_then(|v| v.to_i64()), Some(3));
        assert!(mis.retry_count.is_none());
    }

    #[test]
    fn escaped_key_names_are_matched_after_unescaping() {
        let fields = read(Dialect::Seed, r#"{"t\u0079pe":2,"\u0066p":"x"}"#).unwrap();
        assert_eq!(fields.packet_type, Some(Lenient::Number(2.into())));
        assert_eq!(fields.fp, Some(Lenient::Str("x".into())));
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_like_a_map() {
        let text = r#"{"type":1,"fp":"a","type":null,"fp":"b"}"#;
        let fields = read(Dialect::Seed, text).unwrap();
        assert_eq!(fields.packet_type, Some(Lenient::Null));
        assert_eq!(fields.fp, Some(Lenient::Str("b".into())));
        let map: Map<String, Value> = serde_json::from_str(text).unwrap();
        let from_map = Fields::from_map(Dialect::Seed.spec(), &map);
        assert_eq!(from_map.packet_type, fields.packet_type);
        assert_eq!(from_map.fp, fields.fp);
    }

    #[test]
    fn non_objects_are_read_in_full_and_give_none() {
        for text in [
            "[1,{\"type\":2}]",
            "\"x\"",
            "2",
            "-2",
            "2.5",
            "true",
            "null",
        ] {
            assert!(read(Dialect::Seed, text).is_none(), "{text}");
        }
    }
}
