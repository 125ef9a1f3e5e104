//! Envelope encoder (strict, §3.2) and decoder (lenient, §3.3). Pure functions.

use serde::de::DeserializeSeed;
use serde_json::{Map, Value};

use super::dialect::{Absent, Dialect};
use super::envelope_fields::{Fields, FrameSeed};
use super::json::{push_i64, push_json_str};
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
}

/// Serialises `packet` in the dialect's exact shape and key order (§3.2).
pub fn encode(dialect: Dialect, packet: &Packet) -> String {
    let spec = dialect.spec();
    // Fixed keys and numbers take under 160 bytes; escaping rarely grows text by 1/8.
    let text_len = packet.data_content.as_ref().map_or(0, String::len)
        + packet.from.len()
        + packet.to.len()
        + packet.fp.as_ref().map_or(0, String::len);
    let mut out = String::with_capacity(160 + text_len + text_len / 8);
    out.push_str("{\"bridge\":");
    out.push_str(if packet.bridge { "true" } else { "false" });
    out.push_str(",\"type\":");
    push_i64(&mut out, packet.packet_type.into());
    match &packet.data_content {
        Some(content) => {
            out.push_str(",\"dataContent\":");
            push_json_str(&mut out, content);
        }
        None => push_absent(&mut out, "dataContent", spec.data_content_absent),
    }
    out.push_str(",\"from\":");
    push_json_str(&mut out, &packet.from);
    out.push_str(",\"to\":");
    push_json_str(&mut out, &packet.to);
    match &packet.fp {
        Some(fp) => {
            out.push_str(",\"fp\":");
            push_json_str(&mut out, fp);
        }
        None => push_absent(&mut out, "fp", spec.fp_absent),
    }
    push_key(&mut out, spec.qos_key);
    out.push_str(if packet.qos { "true" } else { "false" });
    out.push_str(",\"typeu\":");
    push_i64(&mut out, packet.typeu.into());
    if spec.writes_retry_count {
        out.push_str(",\"retryCount\":");
        push_i64(&mut out, packet.retry_count.into());
    }
    match packet.server_time() {
        Some(ts) => {
            push_key(&mut out, spec.server_ts_key);
            push_i64(&mut out, ts);
        }
        None => push_absent(&mut out, spec.server_ts_key, spec.server_ts_absent),
    }
    out.push('}');
    out
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
        from: fields
            .from
            .map_or_else(|| UNSET_ID.to_string(), Lenient::into_id),
        to: fields
            .to
            .map_or_else(|| UNSET_ID.to_string(), Lenient::into_id),
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

/// P3: the dialect's own name first; the other dialect's name when absent or null.
fn own_or_alias<'a>(own: Option<Lenient<'a>>, alias: Option<Lenient<'a>>) -> Option<Lenient<'a>> {
    match own {
        None | Some(Lenient::Null) => alias,
        found => found,
    }
}
