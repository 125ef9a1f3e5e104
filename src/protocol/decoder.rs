//! Envelope decoder (lenient, §3.3). Pure functions.

use serde::de::DeserializeSeed;
use serde_json::{Map, Value};

use super::dialect::Dialect;
use super::envelope_fields::{Fields, FrameSeed};
use super::lenient::Lenient;
use super::packet::{Packet, MAX_FP_BYTES, UNSET_ID};

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
}
