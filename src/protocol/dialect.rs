//! The one table where the two wire dialects differ (PROTOCOL.md §1, D1–D21).
//!
//! Everything else in the SDK (encoder, decoder, engine, dev server) asks this table
//! instead of branching on the dialect itself.

use super::packet_type as pt;

/// Which server protocol a client speaks. Chosen at init; `Seed` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// The protocol of the original TypeScript SDK's server (PROTOCOL.md "seed").
    #[default]
    Seed,
    /// The WebSocket gateway of the public MobileIMSDK v6 server.
    MobileImSdk,
}

/// How a field that has no value is written (D4, D5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// `"key":null`
    Null,
    /// `"key":""`
    EmptyString,
    /// the key is left out
    Omit,
    /// `"key":-1`
    MinusOne,
}

/// What a type-54 frame means (D6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type54 {
    /// seed: the server's ACK, `dataContent` = fp.
    ServerAck,
    /// mobileimsdk: KICKOUT, `dataContent` = `{"code":..,"reason":..}`.
    Kickout,
}

/// How a receiving client addresses the ACK it writes for a QoS frame (D9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckAddressing {
    /// seed (as the TS SDK writes it): `from` = the acked frame's `from`, `to` = `"0"`.
    SenderToServer,
    /// mobileimsdk: `from` = own user id, `to` = the acked frame's `from`.
    SelfToSender,
}

/// Which optional fields the login payload carries (D10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFields {
    /// `loginUserId`, `loginToken`, `extra` (null if unset), `app` (null if unset).
    ExtraAndApp,
    /// `loginUserId`, `loginToken`, `extra` (only if set), `firstLoginTime`.
    ExtraIfSetAndFirstLoginTime,
}

/// The dialect table: one row per aspect of PROTOCOL.md §1.
#[derive(Debug)]
pub struct DialectSpec {
    /// Name used in options, command lines and logs (`seed`, `mobileimsdk`).
    pub name: &'static str,
    /// D1: QoS flag key written, and the alias accepted on input (P3).
    pub qos_key: &'static str,
    pub qos_alias: &'static str,
    /// D2: server time key written, and the alias accepted on input (P3).
    pub server_ts_key: &'static str,
    pub server_ts_alias: &'static str,
    /// D2: what is written for "no server time".
    pub server_ts_absent: Absent,
    /// D3: whether `retryCount` is written.
    pub writes_retry_count: bool,
    /// D4: how a missing fp is written.
    pub fp_absent: Absent,
    /// D5: how a missing `dataContent` is written.
    pub data_content_absent: Absent,
    /// D6: meaning of type 54.
    pub type54: Type54,
    /// D7/R40: the packet types a sender takes as the server's ACK of its QoS message.
    pub ack_types: &'static [i32],
    /// D9: addressing of the ACK a receiving client writes.
    pub ack_addressing: AckAddressing,
    /// D10: login payload fields.
    pub login_fields: LoginFields,
    /// D11: whether the login response carries `firstLoginTime`.
    pub login_response_has_first_login_time: bool,
    /// D12: error codes the server may send in a 52.
    pub error_codes: &'static [i32],
    /// D13: `typeu` written by `send` when the application gives none.
    pub default_send_typeu: i32,
    /// D13/D14: the `typeu` that marks a group message, if the dialect has groups.
    pub group_typeu: Option<i32>,
    /// D15: the path the server listens on, if fixed.
    pub url_path: Option<&'static str>,
    /// D15: the server's default port.
    pub default_port: u16,
    /// D16: whether a WebSocket subprotocol may be requested.
    pub allows_subprotocol: bool,
    /// D20: default keepalive interval and timeout (ms).
    pub keepalive_interval_ms: u64,
    pub keepalive_timeout_ms: u64,
    /// D19: the server's idle timeout the dev server uses by default (ms).
    pub server_idle_timeout_ms: u64,
    /// D21: frame cap (bytes).
    pub frame_cap: usize,
}

static SEED: DialectSpec = DialectSpec {
    name: "seed",
    qos_key: "Qos",
    qos_alias: "QoS",
    server_ts_key: "sendTs",
    server_ts_alias: "sm",
    server_ts_absent: Absent::Null,
    writes_retry_count: true,
    fp_absent: Absent::Null,
    data_content_absent: Absent::EmptyString,
    type54: Type54::ServerAck,
    ack_types: &[pt::SERVER_ACK_OR_KICKOUT, pt::ACK],
    ack_addressing: AckAddressing::SenderToServer,
    login_fields: LoginFields::ExtraAndApp,
    login_response_has_first_login_time: false,
    error_codes: &[301, 302, 303],
    default_send_typeu: 0,
    group_typeu: Some(1),
    url_path: None,
    default_port: 7901,
    allows_subprotocol: true,
    keepalive_interval_ms: 10_000,
    keepalive_timeout_ms: 15_000,
    server_idle_timeout_ms: 30_000,
    frame_cap: 65_536,
};

static MOBILEIMSDK: DialectSpec = DialectSpec {
    name: "mobileimsdk",
    qos_key: "QoS",
    qos_alias: "Qos",
    server_ts_key: "sm",
    server_ts_alias: "sendTs",
    server_ts_absent: Absent::MinusOne,
    writes_retry_count: false,
    fp_absent: Absent::Omit,
    data_content_absent: Absent::Omit,
    type54: Type54::Kickout,
    ack_types: &[pt::ACK],
    ack_addressing: AckAddressing::SelfToSender,
    login_fields: LoginFields::ExtraIfSetAndFirstLoginTime,
    login_response_has_first_login_time: true,
    error_codes: &[301],
    default_send_typeu: -1,
    group_typeu: None,
    url_path: Some("/websocket"),
    default_port: 3000,
    allows_subprotocol: false,
    keepalive_interval_ms: 5_000,
    keepalive_timeout_ms: 8_000,
    server_idle_timeout_ms: 11_000,
    frame_cap: 65_536,
};

impl Dialect {
    /// Both dialects, in a stable order (useful for tests that cover each).
    pub const ALL: [Dialect; 2] = [Dialect::Seed, Dialect::MobileImSdk];

    /// The dialect's row of the table.
    pub fn spec(self) -> &'static DialectSpec {
        match self {
            Dialect::Seed => &SEED,
            Dialect::MobileImSdk => &MOBILEIMSDK,
        }
    }

    /// The dialect's name (`seed`, `mobileimsdk`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Parses a dialect name as written in options and command lines.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(name))
    }

    /// What an inbound frame of `packet_type` means in this dialect.
    pub fn kind_of(self, packet_type: i32) -> PacketKind {
        match packet_type {
            pt::LOGIN => PacketKind::Login,
            pt::KEEPALIVE => PacketKind::Keepalive,
            pt::COMMON_DATA => PacketKind::Data,
            pt::LOGOUT => PacketKind::Logout,
            pt::ACK => PacketKind::Ack,
            pt::ECHO => PacketKind::Echo,
            pt::LOGIN_RESPONSE => PacketKind::LoginResponse,
            pt::KEEPALIVE_RESPONSE => PacketKind::KeepaliveResponse,
            pt::ERROR => PacketKind::Error,
            pt::ECHO_RESPONSE => PacketKind::EchoResponse,
            pt::SERVER_ACK_OR_KICKOUT => match self.spec().type54 {
                Type54::ServerAck => PacketKind::Ack,
                Type54::Kickout => PacketKind::Kickout,
            },
            _ => PacketKind::Unknown,
        }
    }

    /// The packet type a server writes to ACK a sender's QoS message (D7).
    pub fn server_ack_type(self) -> i32 {
        self.spec().ack_types[0]
    }
}

/// The meaning of a packet type, once the dialect is known (54 differs, D6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketKind {
    Login,
    Keepalive,
    Data,
    Logout,
    /// An ACK of a QoS frame (type 4; seed also 54).
    Ack,
    Echo,
    LoginResponse,
    KeepaliveResponse,
    Error,
    EchoResponse,
    /// mobileimsdk 54.
    Kickout,
    Unknown,
}
