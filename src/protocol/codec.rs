//! Envelope encoder (strict, §3.2) and decoder (lenient, §3.3). Pure functions.

use serde::de::DeserializeSeed;
use serde_json::{Map, Value};

use super::dialect::{Absent, AckAddressing, Dialect};
use super::envelope_fields::{Fields, FrameSeed};
use super::json::{push_i64, push_json_str};
use super::lenient::Lenient;
use super::packet::{Packet, MAX_FP_BYTES, SERVER_ID, UNSET_ID};
use super::packet_type;

/// Why a frame is invalid (P1, P9). Every other oddity is coerced, not rejected (P10).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not JSON, or JSON followed by trailing text (two objects in one frame).
    #[error("frame is not JSON: {0}")]
    NotJson(String),
    /// Valid JSON that is not an object.
    #[error("frame is JSON but not an object")]
    NotAnObject,
    /// The `type` key is absent or `null`.
    #[error("frame has no `type`")]
    MissingType,
    /// `type` is present but not an integer that fits 32 bits.
    #[error("frame `type` is not an integer: {0}")]
    InvalidType(String),
    /// `fp` longer than the 64-byte cap.
    #[error("frame `fp` is {0} bytes long (at most 64 allowed)")]
    FpTooLong(usize),
    /// `from` or `to` longer than [`MAX_ID_BYTES`].
    #[error("frame `{key}` is {len} bytes long (at most 256 allowed)")]
    IdTooLong { key: &'static str, len: usize },
}

/// Longest `from` / `to` a frame may carry, in UTF-8 bytes of the decoded text (P9).
/// These are user or group ids (UUIDs, numbers, e-mail addresses of at most 254 bytes), so
/// 256 bytes is room for every real one, while a hostile or broken server cannot push
/// half a megabyte of "sender" into every callback and every ACK. The client refuses
/// longer ids of its own (login user id, receiver), so its own id always fits.
pub const MAX_ID_BYTES: usize = 256;

/// Serialises `packet` in the dialect's exact shape and key order (§3.2).
pub fn encode(dialect: Dialect, packet: &Packet) -> String {
    Envelope::of(packet).encode(dialect)
}

/// The bytes of `encode(dialect, &Packet::ack_for(dialect, received, own_user_id)?)`,
/// written straight from `received` (R36): the receive path makes no copy of the fp and
/// the addresses for an ACK packet it would drop at once.
pub fn encode_ack(dialect: Dialect, received: &Packet, own_user_id: &str) -> Option<String> {
    Envelope::ack_for(dialect, received, own_user_id).map(|ack| ack.encode(dialect))
}

/// The fields of a frame to write, borrowed: a [`Packet`], or the ACK of one.
pub(super) struct Envelope<'a> {
    bridge: bool,
    packet_type: i32,
    data_content: Option<&'a str>,
    from: &'a str,
    to: &'a str,
    fp: Option<&'a str>,
    qos: bool,
    typeu: i32,
    retry_count: u32,
    server_ts: i64,
}

impl<'a> Envelope<'a> {
    fn of(packet: &'a Packet) -> Envelope<'a> {
        Envelope {
            bridge: packet.bridge,
            packet_type: packet.packet_type,
            data_content: packet.data_content.as_deref(),
            from: &packet.from,
            to: &packet.to,
            fp: packet.fp.as_deref(),
            qos: packet.qos,
            typeu: packet.typeu,
            retry_count: packet.retry_count,
            server_ts: packet.server_ts,
        }
    }

    /// R36, D9: type 4, `dataContent` = the fp, `bridge` echoed, everything else at its
    /// default; `None` when `received` has no fp (an empty fp is none, as on the wire).
    pub(super) fn ack_for(
        dialect: Dialect,
        received: &'a Packet,
        own_user_id: &'a str,
    ) -> Option<Envelope<'a>> {
        let fp = received.fp.as_deref().filter(|fp| !fp.is_empty())?;
        let (from, to) = match dialect.spec().ack_addressing {
            AckAddressing::SenderToServer => (received.from.as_str(), SERVER_ID),
            AckAddressing::SelfToSender => (own_user_id, received.from.as_str()),
        };
        // The other fields keep the defaults of `Packet::new`.
        Some(Envelope {
            bridge: received.bridge,
            packet_type: packet_type::ACK,
            data_content: Some(fp),
            from,
            to,
            fp: None,
            qos: false,
            typeu: -1,
            retry_count: 0,
            server_ts: -1,
        })
    }

    pub(super) fn to_packet(&self) -> Packet {
        Packet {
            bridge: self.bridge,
            packet_type: self.packet_type,
            data_content: self.data_content.map(str::to_string),
            from: self.from.to_string(),
            to: self.to.to_string(),
            fp: self.fp.map(str::to_string),
            qos: self.qos,
            typeu: self.typeu,
            retry_count: self.retry_count,
            server_ts: self.server_ts,
        }
    }

    fn encode(&self, dialect: Dialect) -> String {
        let spec = dialect.spec();
        // Fixed keys and numbers take under 160 bytes; escaping rarely grows text by 1/8.
        let text_len = self.data_content.map_or(0, str::len)
            + self.from.len()
            + self.to.len()
            + self.fp.map_or(0, str::len);
        let mut out = String::with_capacity(160 + text_len + text_len / 8);
        out.push_str("{\"bridge\":");
        out.push_str(if self.bridge { "true" } else { "false" });
        out.push_str(",\"type\":");
        push_i64(&mut out, self.packet_type.into());
        match self.data_content {
            Some(content) => {
                out.push_str(",\"dataContent\":");
                push_json_str(&mut out, content);
            }
            None => push_absent(&mut out, "dataContent", spec.data_content_absent),
        }
        out.push_str(",\"from\":");
        push_json_str(&mut out, self.from);
        out.push_str(",\"to\":");
        push_json_str(&mut out, self.to);
        match self.fp {
            Some(fp) => {
                out.push_str(",\"fp\":");
                push_json_str(&mut out, fp);
            }
            None => push_absent(&mut out, "fp", spec.fp_absent),
        }
        push_key(&mut out, spec.qos_key);
        out.push_str(if self.qos { "true" } else { "false" });
        out.push_str(",\"typeu\":");
        push_i64(&mut out, self.typeu.into());
        if spec.writes_retry_count {
            out.push_str(",\"retryCount\":");
            push_i64(&mut out, self.retry_count.into());
        }
        // D2: a server time <= 0 means none (`Packet::server_time`).
        if self.server_ts > 0 {
            push_key(&mut out, spec.server_ts_key);
            push_i64(&mut out, self.server_ts);
        } else {
            push_absent(&mut out, spec.server_ts_key, spec.server_ts_absent);
        }
        out.push('}');
        out
    }
}

/// Appends `,"key":` (keys are plain ASCII names that need no escaping).
fn push_key(out: &mut String, key: &str) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
}

fn push_absent(out: &mut String, key: &str, absent: Absent) {
    let value = match absent {
        Absent::Omit => return,
        Absent::Null => "null",
        Absent::EmptyString => "\"\"",
        Absent::MinusOne => "-1",
    };
    push_key(out, key);
    out.push_str(value);
}

/// Parses one text frame leniently (§3.3).
///
/// The frame is read in one pass into the fields the dialect knows, borrowing strings from
/// `text` where no escape forces a copy; unknown keys are checked as JSON and dropped.
pub fn decode(dialect: Dialect, text: &str) -> Result<Packet, DecodeError> {
    let mut fields = Fields::default();
    let seed = FrameSeed {
        spec: dialect.spec(),
        fields: &mut fields,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let is_object = seed
        .deserialize(&mut de)
        .and_then(|is_object| de.end().map(|()| is_object))
        .map_err(|e| DecodeError::NotJson(e.to_string()))?;
    if !is_object {
        return Err(DecodeError::NotAnObject);
    }
    packet_from(fields)
}

/// Parses an already-parsed JSON object (e.g. the frame embedded in a 301's `errorMsg`).
pub fn decode_object(dialect: Dialect, map: &Map<String, Value>) -> Result<Packet, DecodeError> {
    packet_from(Fields::from_map(dialect.spec(), map))
}

/// The lenient reading of §3.3 (P1, P3–P6, P8–P10) over the fields found in the frame.
fn packet_from(fields: Fields<'_>) -> Result<Packet, DecodeError> {
    let packet_type = match fields.packet_type {
        None | Some(Lenient::Null) => return Err(DecodeError::MissingType),
        Some(v) => match v.to_i64().and_then(|t| i32::try_from(t).ok()) {
            Some(t) => t,
            None => return Err(DecodeError::InvalidType(v.into_value().to_string())),
        },
    };
    let fp = match fields.fp.and_then(Lenient::into_text) {
        Some(fp) if fp.len() > MAX_FP_BYTES => return Err(DecodeError::FpTooLong(fp.len())),
        Some(fp) if fp.is_empty() => None,
        other => other,
    };
    let from = id_from(fields.from, "from")?;
    let to = id_from(fields.to, "to")?;
    let qos = own_or_alias(fields.qos, fields.qos_alias).is_some_and(|v| v.is_true());
    let server_ts = own_or_alias(fields.server_ts, fields.server_ts_alias)
        .and_then(|v| v.to_i64())
        .unwrap_or(-1);
    // Only seed reads `retryCount`; in mobileimsdk it is an unknown key (P2) and never
    // collected.
    let retry_count = fields
        .retry_count
        .and_then(|v| v.to_i64())
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(0);
    Ok(Packet {
        bridge: fields.bridge.is_some_and(|v| v.is_true()),
        packet_type,
        data_content: fields.data_content.and_then(Lenient::into_text),
        from,
        to,
        fp,
        qos,
        typeu: fields
            .typeu
            .and_then(|v| v.to_i64())
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or(-1),
        retry_count,
        server_ts,
    })
}

/// P5, P9: `from`/`to` as an id, refused over [`MAX_ID_BYTES`] before it is copied.
fn id_from(value: Option<Lenient<'_>>, key: &'static str) -> Result<String, DecodeError> {
    let id = match value {
        None => return Ok(UNSET_ID.to_string()),
        Some(value) => value,
    };
    // Numbers read as their decimal text, a few dozen bytes at most.
    if let Lenient::Str(text) = &id {
        if text.len() > MAX_ID_BYTES {
            return Err(DecodeError::IdTooLong {
                key,
                len: text.len(),
            });
        }
    }
    Ok(id.into_id())
}

/// P3: the dialect's own name first; the other dialect's name when absent or null.
fn own_or_alias<'a>(own: Option<Lenient<'a>>, alias: Option<Lenient<'a>>) -> Option<Lenient<'a>> {
    match own {
        None | Some(Lenient::Null) => alias,
        found => found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p9_id_too_long_names_the_cap_it_was_checked_against() {
        let e = DecodeError::IdTooLong {
            key: "from",
            len: 500_000,
        };
        assert_eq!(
            e.to_string(),
            format!("frame `from` is 500000 bytes long (at most {MAX_ID_BYTES} allowed)")
        );
    }

    #[test]
    fn r36_ack_keeps_the_defaults_of_packet_new_and_encode_ack_writes_its_bytes() {
        for dialect in Dialect::ALL {
            for bridge in [false, true] {
                let mut received = Packet::data("bob", "me", "hi", true, Some("fp-1"), 3);
                received.bridge = bridge;
                received.server_ts = 1_795_631_394_970;
                received.retry_count = 2;
                let ack = Packet::ack_for(dialect, &received, "me").unwrap();
                let expected = Packet {
                    bridge,
                    data_content: Some("fp-1".into()),
                    from: ack.from.clone(),
                    to: ack.to.clone(),
                    ..Packet::new(packet_type::ACK)
                };
                assert_eq!(ack, expected);
                assert_eq!(
                    encode_ack(dialect, &received, "me"),
                    Some(encode(dialect, &ack))
                );
            }
            for fp in [None, Some("")] {
                let received = Packet::data("bob", "me", "hi", true, fp, 3);
                assert_eq!(Packet::ack_for(dialect, &received, "me"), None);
                assert_eq!(encode_ack(dialect, &received, "me"), None);
            }
        }
    }
}
