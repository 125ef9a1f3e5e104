//! The envelope (PROTOCOL.md §3.1) as a typed value, with constructors for every frame a
//! client writes and typed accessors for the nested payloads.

use super::codec::Envelope;
use super::dialect::Dialect;
use super::packet_type as pt;
use super::payload::{ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, PayloadError};

/// `from`/`to` of the server.
pub const SERVER_ID: &str = "0";
/// `from`/`to` when unset (not logged in).
pub const UNSET_ID: &str = "-1";
/// Longest fingerprint accepted or written, in bytes (P9, R43).
pub const MAX_FP_BYTES: usize = 64;

/// One envelope, in either direction. Field defaults are the parse defaults of §3.1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// Set by an upstream server on relayed messages; echoed in an ACK (R36).
    pub bridge: bool,
    /// Packet type (§4); see [`super::packet_type`] and [`Dialect::kind_of`].
    pub packet_type: i32,
    /// Text, bare fp or encoded JSON document; `None` when absent.
    pub data_content: Option<String>,
    /// Sender; `"0"` server, `"-1"` unset.
    pub from: String,
    /// Receiver; `"0"` server, `"-1"` unset.
    pub to: String,
    /// Fingerprint; `None` when absent or empty. At most [`MAX_FP_BYTES`] bytes.
    pub fp: Option<String>,
    /// QoS flag (`Qos` / `QoS`).
    pub qos: bool,
    /// Application sub-type; `-1` when unset.
    pub typeu: i32,
    /// seed only, written by the client: resend number (0 for the first write).
    pub retry_count: u32,
    /// Server time in ms (`sendTs` / `sm`); `<= 0` means none (default `-1`).
    pub server_ts: i64,
}

impl Packet {
    /// A packet of `packet_type` with every other field at its default.
    pub fn new(packet_type: i32) -> Packet {
        Packet {
            bridge: false,
            packet_type,
            data_content: None,
            from: UNSET_ID.to_string(),
            to: UNSET_ID.to_string(),
            fp: None,
            qos: false,
            typeu: -1,
            retry_count: 0,
            server_ts: -1,
        }
    }

    fn client_to_server(packet_type: i32, from: &str, data_content: Option<String>) -> Packet {
        Packet {
            data_content,
            from: from.to_string(),
            to: SERVER_ID.to_string(),
            ..Packet::new(packet_type)
        }
    }

    /// Type 0: the login envelope (R6), payload per the dialect (D10).
    pub fn login(dialect: Dialect, info: &LoginInfo) -> Packet {
        Packet::client_to_server(pt::LOGIN, &info.user_id, Some(info.encode(dialect)))
    }

    /// Type 1: keepalive (R14).
    pub fn keepalive(from: &str) -> Packet {
        Packet::client_to_server(pt::KEEPALIVE, from, Some("{}".to_string()))
    }

    /// Type 3: logout (R30); `dataContent` per D5 (the encoder writes `""` or omits it).
    pub fn logout(from: &str) -> Packet {
        Packet::client_to_server(pt::LOGOUT, from, None)
    }

    /// Type 5: echo (R59).
    pub fn echo(from: &str, text: &str) -> Packet {
        Packet::client_to_server(pt::ECHO, from, Some(text.to_string()))
    }

    /// Type 2: application data (R44).
    pub fn data(
        from: &str,
        to: &str,
        content: &str,
        qos: bool,
        fp: Option<&str>,
        typeu: i32,
    ) -> Packet {
        Packet::data_owned(
            from,
            to.to_string(),
            content.to_string(),
            qos,
            fp.map(str::to_string),
            typeu,
        )
    }

    /// [`Packet::data`] taking the strings a caller already owns (the send path moves the
    /// application's `to` and content instead of copying them).
    pub fn data_owned(
        from: &str,
        to: String,
        content: String,
        qos: bool,
        fp: Option<String>,
        typeu: i32,
    ) -> Packet {
        Packet {
            data_content: Some(content),
            from: from.to_string(),
            to,
            fp: fp.filter(|f| !f.is_empty()),
            qos,
            typeu,
            ..Packet::new(pt::COMMON_DATA)
        }
    }

    /// Type 4: the ACK a receiving client writes for `received` (R36, D9).
    /// Returns `None` when `received` has no fp (an empty fp is none, as on the wire).
    /// [`super::codec::encode_ack`] writes the same frame without building the packet.
    pub fn ack_for(dialect: Dialect, received: &Packet, own_user_id: &str) -> Option<Packet> {
        Envelope::ack_for(dialect, received, own_user_id).map(|ack| ack.to_packet())
    }

    /// `dataContent`, or `""` when absent (R41).
    pub fn content(&self) -> &str {
        self.data_content.as_deref().unwrap_or("")
    }

    /// The fp, or `""` when absent.
    pub fn fp_str(&self) -> &str {
        self.fp.as_deref().unwrap_or("")
    }

    /// Server time in ms, `None` when `<= 0` (R41).
    pub fn server_time(&self) -> Option<i64> {
        (self.server_ts > 0).then_some(self.server_ts)
    }

    /// The fp an ACK frame (type 4, seed 54) carries in `dataContent` (R40).
    pub fn acked_fp(&self) -> Option<&str> {
        self.data_content.as_deref().filter(|s| !s.is_empty())
    }

    /// Payload of a type-0 login.
    pub fn login_info(&self) -> Result<LoginInfo, PayloadError> {
        LoginInfo::decode(self.content())
    }

    /// Payload of a 50 (R13: an error here means "code 4").
    pub fn login_response(&self) -> Result<LoginResponse, PayloadError> {
        LoginResponse::decode(self.content())
    }

    /// Payload of a 52.
    pub fn error_response(&self) -> Result<ErrorResponse, PayloadError> {
        ErrorResponse::decode(self.content())
    }

    /// Payload of a mobileimsdk 54 (R28: defaults code -1, reason empty).
    pub fn kickout_info(&self) -> Result<KickoutInfo, PayloadError> {
        KickoutInfo::decode(self.content())
    }
}
