//! Return, result and server codes (PROTOCOL.md §9). The numbers of the original SDK are
//! kept; new codes start at 1000. The C header re-exports these as `IM_*` constants.

/// Accepted / success.
pub const OK: i32 = 0;
/// No session (send, logout).
pub const NO_LOGIN: i32 = 1;
/// Internal error.
pub const UNKNOWN: i32 = 2;
/// Write failed on an open link.
pub const SEND_FAILED: i32 = 3;
/// Frame would exceed `max_frame_bytes` (R3); undecodable login response (R13).
pub const INVALID_PACKET: i32 = 4;
/// Link down: non-QoS send refused; link lost during re-login.
pub const LINK_DOWN: i32 = 201;
/// Manual login: connect failed or timed out, closed before the response, login timeout.
pub const CONNECT_FAILED: i32 = 202;
/// Client not initialised.
pub const NOT_INITIALIZED: i32 = 203;
/// Network reported unavailable (R58).
pub const NETWORK_DOWN: i32 = 204;
/// Server URL missing or malformed.
pub const NO_SERVER: i32 = 205;
/// Server error 301: not logged in (R26).
pub const SERVER_NOT_LOGGED_IN: i32 = 301;
/// Server error 302: busy; as a return code, send refused in a busy window (R57).
pub const SERVER_BUSY: i32 = 302;
/// Server error 303: no such group (seed, R56).
pub const SERVER_NO_SUCH_GROUP: i32 = 303;
/// Bad argument or configuration.
pub const INVALID_ARGUMENT: i32 = 1000;
/// `login()` while a session exists.
pub const ALREADY_LOGGED_IN: i32 = 1001;
/// QoS queue full.
pub const QUEUE_FULL: i32 = 1002;
/// TLS handshake or certificate verification failed (manual login).
pub const TLS: i32 = 1003;

/// Kickout code (mobileimsdk 54): duplicate login.
pub const KICK_DUPLICATE_LOGIN: i32 = 1;
/// Kickout code (mobileimsdk 54): kicked by the server application.
pub const KICK_BY_ADMIN: i32 = 2;

/// seed convention (docs/protocol.md R29): the WebSocket close code of a session that a
/// newer login of the same user replaced. The client ends the session as kicked
/// ([`KICK_DUPLICATE_LOGIN`]) instead of logging in again.
pub const CLOSE_REPLACED_BY_NEWER_LOGIN: u16 = 4001;
/// The close reason sent with [`CLOSE_REPLACED_BY_NEWER_LOGIN`].
pub const CLOSE_REPLACED_REASON: &str = "replaced by a newer login";
/// The client handle is unknown, stale or released.
pub const INVALID_HANDLE: i32 = 1004;
/// An internal panic was caught; the client is unusable.
pub const PANIC: i32 = 1005;
