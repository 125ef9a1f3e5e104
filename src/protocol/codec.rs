//! Envelope encoder (strict, §3.2) and decoder (lenient, §3.3). Pure functions.

use serde_json::{Map, Value};

use super::dialect::{Absent, Dialect};
use super::json::{coerce_i64, into_text, push_i64, push_json_str};
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
pub fn decode(dialect: Dialect, text: &str) -> Result<Packet, DecodeError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let Value::Object(map) = value else {
        return Err(DecodeError::NotAnObject);
    };
    decode_fields(dialect, map)
}

/// Parses an already-parsed JSON object (e.g. the frame embedded in a 301's `errorMsg`).
pub fn decode_object(dialect: Dialect, map: &Map<String, Value>) -> Result<Packet, DecodeError> {
    decode_fields(dialect, map.clone())
}

/// The lenient reading of §3.3 over an owned object, so that strings (above all a large
/// `dataContent`) are moved into the packet rather than copied.
fn decode_fields(dialect: Dialect, mut map: Map<String, Value>) -> Result<Packet, DecodeError> {
    let spec = dialect.spec();
    let packet_type = match map.remove("type") {
        None | Some(Value::Null) => return Err(DecodeError::MissingType),
        Some(v) => coerce_i64(&v)
            .and_then(|t| i32::try_from(t).ok())
            .ok_or_else(|| DecodeError::InvalidType(v.to_string()))?,
    };
    let fp = match map.remove("fp").and_then(into_text) {
        Some(fp) if fp.len() > MAX_FP_BYTES => return Err(DecodeError::FpTooLong(fp.len())),
        Some(fp) if fp.is_empty() => None,
        other => other,
    };
    // P3: the dialect's own name first; the other dialect's name when absent or null.
    let mut own_or_alias = |key: &str, alias: &str| match map.remove(key) {
        None | Some(Value::Null) => map.remove(alias),
        found => found,
    };
    let qos = matches!(
        own_or_alias(spec.qos_key, spec.qos_alias),
        Some(Value::Bool(true))
    );
    let server_ts = own_or_alias(spec.server_ts_key, spec.server_ts_alias)
        .and_then(|v| coerce_i64(&v))
        .unwrap_or(-1);
    // `retryCount` is a seed key; in mobileimsdk it is an unknown key (P2).
    let retry_count = if spec.writes_retry_count {
        map.get("retryCount")
            .and_then(coerce_i64)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    } else {
        0
    };
    Ok(Packet {
        bridge: matches!(map.get("bridge"), Some(Value::Bool(true))),
        packet_type,
        data_content: map.remove("dataContent").and_then(into_text),
        from: id_field(map.remove("from")),
        to: id_field(map.remove("to")),
        fp,
        qos,
        typeu: map
            .get("typeu")
            .and_then(coerce_i64)
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or(-1),
        retry_count,
        server_ts,
    })
}

/// `from`/`to`: text, numbers as decimal text (P5), anything else unset.
fn id_field(v: Option<Value>) -> String {
    match v {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => UNSET_ID.to_string(),
    }
}
