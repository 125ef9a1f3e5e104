//! The JSON documents carried, serialised once more, in `dataContent` (PROTOCOL.md §3.4,
//! §4 "Payloads"). Written compactly in the dialect's exact key order; read leniently.

use serde_json::{Map, Value};

use super::dialect::{Dialect, LoginFields};
use super::json::{coerce_i64, coerce_text, push_json_str};

/// Why a payload could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// `dataContent` is not a JSON object.
    #[error("payload is not a JSON object: {0}")]
    NotAnObject(String),
    /// A required field is missing or has the wrong type.
    #[error("payload field `{0}` is missing or not {1}")]
    BadField(&'static str, &'static str),
}

fn parse_object(text: &str) -> Result<Map<String, Value>, PayloadError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(PayloadError::NotAnObject(format!(
            "found {}",
            kind_name(&other)
        ))),
        Err(e) => Err(PayloadError::NotAnObject(e.to_string())),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn opt_text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(coerce_text)
}

fn required_int(map: &Map<String, Value>, key: &'static str) -> Result<i32, PayloadError> {
    map.get(key)
        .and_then(coerce_i64)
        .and_then(|v| i32::try_from(v).ok())
        .ok_or(PayloadError::BadField(key, "an integer"))
}

/// PLoginInfo (type 0).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoginInfo {
    pub user_id: String,
    pub token: String,
    /// Application data passed to the server's login check.
    pub extra: Option<String>,
    /// seed: the application name (written `null` when unset).
    pub app: Option<String>,
    /// mobileimsdk: `0` on a manual login, the stored value on a re-login (R7).
    pub first_login_time: i64,
}

impl LoginInfo {
    /// The compact JSON text for `dataContent` (D10).
    pub fn encode(&self, dialect: Dialect) -> String {
        let mut out = String::with_capacity(64 + self.user_id.len() + self.token.len());
        out.push_str("{\"loginUserId\":");
        push_json_str(&mut out, &self.user_id);
        out.push_str(",\"loginToken\":");
        push_json_str(&mut out, &self.token);
        match dialect.spec().login_fields {
            LoginFields::ExtraAndApp => {
                out.push_str(",\"extra\":");
                push_opt_json_str(&mut out, self.extra.as_deref());
                out.push_str(",\"app\":");
                push_opt_json_str(&mut out, self.app.as_deref());
            }
            LoginFields::ExtraIfSetAndFirstLoginTime => {
                if let Some(extra) = &self.extra {
                    out.push_str(",\"extra\":");
                    push_json_str(&mut out, extra);
                }
                out.push_str(",\"firstLoginTime\":");
                out.push_str(&self.first_login_time.to_string());
            }
        }
        out.push('}');
        out
    }

    /// Reads a login payload (used by the dev server). `loginUserId` is required.
    pub fn decode(text: &str) -> Result<LoginInfo, PayloadError> {
        let map = parse_object(text)?;
        let user_id = opt_text(&map, "loginUserId")
            .filter(|s| !s.is_empty())
            .ok_or(PayloadError::BadField("loginUserId", "a non-empty string"))?;
        Ok(LoginInfo {
            user_id,
            token: opt_text(&map, "loginToken").unwrap_or_default(),
            extra: opt_text(&map, "extra"),
            app: opt_text(&map, "app"),
            first_login_time: map.get("firstLoginTime").and_then(coerce_i64).unwrap_or(0),
        })
    }
}

fn push_opt_json_str(out: &mut String, value: Option<&str>) {
    match value {
        Some(s) => push_json_str(out, s),
        None => out.push_str("null"),
    }
}

/// PLoginInfoResponse (type 50).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginResponse {
    /// 0 success, else the server application's refusal.
    pub code: i32,
    /// mobileimsdk: the session's first-login time; `-1` on failure or when absent.
    pub first_login_time: i64,
}

impl LoginResponse {
    /// The compact JSON text for `dataContent` (D11).
    pub fn encode(&self, dialect: Dialect) -> String {
        if dialect.spec().login_response_has_first_login_time {
            format!(
                "{{\"code\":{},\"firstLoginTime\":{}}}",
                self.code, self.first_login_time
            )
        } else {
            format!("{{\"code\":{}}}", self.code)
        }
    }

    /// Reads a login response; a missing or non-integer `code` is an error (R13).
    pub fn decode(text: &str) -> Result<LoginResponse, PayloadError> {
        let map = parse_object(text)?;
        Ok(LoginResponse {
            code: required_int(&map, "code")?,
            first_login_time: map.get("firstLoginTime").and_then(coerce_i64).unwrap_or(-1),
        })
    }
}

/// PErrorResponse (type 52).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    pub error_code: i32,
    /// For 301/302 the offending frame as the server re-serialised it; for 303 a text.
    pub error_msg: String,
}

impl ErrorResponse {
    /// The compact JSON text for `dataContent`.
    pub fn encode(&self) -> String {
        let mut out = format!("{{\"errorCode\":{},\"errorMsg\":", self.error_code);
        push_json_str(&mut out, &self.error_msg);
        out.push('}');
        out
    }

    /// Reads an error response; `errorCode` is required, `errorMsg` defaults to `""`.
    pub fn decode(text: &str) -> Result<ErrorResponse, PayloadError> {
        let map = parse_object(text)?;
        Ok(ErrorResponse {
            error_code: required_int(&map, "errorCode")?,
            error_msg: opt_text(&map, "errorMsg").unwrap_or_default(),
        })
    }
}

/// PKickoutInfo (mobileimsdk type 54).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KickoutInfo {
    /// 1 duplicate login, 2 kicked by the server application, > 100 custom; -1 unknown.
    pub code: i32,
    /// Omitted by the server when none (always for code 1).
    pub reason: Option<String>,
}

impl Default for KickoutInfo {
    fn default() -> Self {
        KickoutInfo {
            code: -1,
            reason: None,
        }
    }
}

impl KickoutInfo {
    /// The compact JSON text for `dataContent`.
    pub fn encode(&self) -> String {
        let mut out = format!("{{\"code\":{}", self.code);
        if let Some(reason) = &self.reason {
            out.push_str(",\"reason\":");
            push_json_str(&mut out, reason);
        }
        out.push('}');
        out
    }

    /// Reads a kickout payload; missing fields take their defaults (R28).
    pub fn decode(text: &str) -> Result<KickoutInfo, PayloadError> {
        let map = parse_object(text)?;
        Ok(KickoutInfo {
            code: map
                .get("code")
                .and_then(coerce_i64)
                .and_then(|v| i32::try_from(v).ok())
                .unwrap_or(-1),
            reason: opt_text(&map, "reason"),
        })
    }
}
