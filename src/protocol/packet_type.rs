//! Packet type numbers (PROTOCOL.md §4). Type 54 means different things per dialect:
//! ask [`super::Dialect::kind_of`].

/// c→s login, answered by [`LOGIN_RESPONSE`].
pub const LOGIN: i32 = 0;
/// c→s keepalive, answered by [`KEEPALIVE_RESPONSE`].
pub const KEEPALIVE: i32 = 1;
/// both ways: application data.
pub const COMMON_DATA: i32 = 2;
/// c→s logout; no answer, the server closes.
pub const LOGOUT: i32 = 3;
/// both ways: ACK of a QoS frame, `dataContent` = fp.
pub const ACK: i32 = 4;
/// c→s echo, answered by [`ECHO_RESPONSE`].
pub const ECHO: i32 = 5;
/// s→c login response.
pub const LOGIN_RESPONSE: i32 = 50;
/// s→c keepalive response.
pub const KEEPALIVE_RESPONSE: i32 = 51;
/// s→c error (301, 302, 303).
pub const ERROR: i32 = 52;
/// s→c echo response.
pub const ECHO_RESPONSE: i32 = 53;
/// s→c: seed server ACK; mobileimsdk kickout (D6).
pub const SERVER_ACK_OR_KICKOUT: i32 = 54;
