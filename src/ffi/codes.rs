//! The C constants: status codes, states, reasons, loss reasons, log levels, dialects,
//! and `im_strerror`. The values are literals (cbindgen copies them into the header) and
//! the tests below pin each one to its Rust source of truth.

use std::ffi::c_char;

/// Success: the call was accepted.
pub const IM_OK: i32 = 0;
/// No session: `im_send`/`im_logout` before `im_login` or after the session ended.
pub const IM_ERR_NO_LOGIN: i32 = 1;
/// Internal error.
pub const IM_ERR_UNKNOWN: i32 = 2;
/// A write failed on an open link (non-QoS send).
pub const IM_ERR_SEND_FAILED: i32 = 3;
/// The frame would exceed `max_frame_bytes`; or (login result) the login response was
/// undecodable.
pub const IM_ERR_INVALID_PACKET: i32 = 4;
/// The link is down: a non-QoS send is refused (no session link right now).
pub const IM_ERR_LINK_DOWN: i32 = 201;
/// Login result: connecting failed or timed out, the link closed before the login
/// response, or the login response did not come within `login_timeout_ms`.
pub const IM_ERR_CONNECT: i32 = 202;
/// The client is not initialised.
pub const IM_ERR_NOT_INITIALIZED: i32 = 203;
/// The network was reported unavailable (`im_network_changed(client, 0)`).
pub const IM_ERR_NETWORK_DOWN: i32 = 204;
/// The server URL is missing or malformed (`im_init`).
pub const IM_ERR_NO_SERVER: i32 = 205;
/// Server error 301: the server says this connection is not logged in.
pub const IM_ERR_SERVER_NOT_LOGGED_IN: i32 = 301;
/// Server error 302 (seed): the server is busy; as a return code of `im_send`: refused
/// during the busy window that followed it.
pub const IM_ERR_SERVER_BUSY: i32 = 302;
/// Server error 303 (seed): the group does not exist.
pub const IM_ERR_SERVER_NO_SUCH_GROUP: i32 = 303;
/// A bad argument or option: NULL, invalid UTF-8, a string over its cap, an empty `to`,
/// a reserved user id, a bad or pending fingerprint, an out-of-range option, a bad
/// `struct_size`. `im_last_error()` names the culprit.
pub const IM_ERR_INVALID_ARGUMENT: i32 = 1000;
/// `im_login` while a session exists.
pub const IM_ERR_ALREADY_LOGGED_IN: i32 = 1001;
/// The QoS send queue is full (`max_pending_qos`); nothing was queued.
pub const IM_ERR_QUEUE_FULL: i32 = 1002;
/// Login result: the TLS handshake or the certificate verification failed.
pub const IM_ERR_TLS: i32 = 1003;
/// The handle is NULL, unknown, or already released.
pub const IM_ERR_INVALID_HANDLE: i32 = 1004;
/// An internal panic was caught; the client is unusable (only `im_release` works on it).
pub const IM_ERR_PANIC: i32 = 1005;

/// `on_kicked` code: the same user logged in elsewhere (mobileimsdk kickout; seed close 4001
/// "replaced by a newer login").
pub const IM_KICK_DUPLICATE_LOGIN: i32 = 1;
/// `on_kicked` code (mobileimsdk): kicked by the server application. Codes above 100 are
/// the server application's own.
pub const IM_KICK_BY_ADMIN: i32 = 2;

/// The server protocol of the original TypeScript SDK (default).
pub const IM_DIALECT_SEED: i32 = 0;
/// The WebSocket gateway of the MobileIMSDK v6 server.
pub const IM_DIALECT_MOBILEIMSDK: i32 = 1;

/// State: no session.
pub const IM_STATE_IDLE: i32 = 0;
/// State: opening the WebSocket (TCP, TLS, upgrade).
pub const IM_STATE_CONNECTING: i32 = 1;
/// State: login written, waiting for the login response.
pub const IM_STATE_AUTHENTICATING: i32 = 2;
/// State: logged in.
pub const IM_STATE_ONLINE: i32 = 3;
/// State: the link was lost; a re-login attempt is scheduled.
pub const IM_STATE_WAITING: i32 = 4;

/// State reason: `im_login` was called (IDLE → CONNECTING).
pub const IM_REASON_LOGIN_REQUESTED: i32 = 1;
/// State reason: the WebSocket is open, the login was written (→ AUTHENTICATING).
pub const IM_REASON_CONNECTED: i32 = 2;
/// State reason: the server accepted the login (→ ONLINE).
pub const IM_REASON_LOGIN_ACCEPTED: i32 = 3;
/// State reason: a re-login attempt is scheduled (→ WAITING, with attempt and delay).
pub const IM_REASON_RECONNECTING: i32 = 4;
/// State reason: a scheduled re-login attempt starts (WAITING → CONNECTING).
pub const IM_REASON_ATTEMPT_STARTED: i32 = 5;
/// State reason: the login failed and the session ended (→ IDLE).
pub const IM_REASON_LOGIN_FAILED: i32 = 6;
/// State reason: `im_logout` (→ IDLE).
pub const IM_REASON_LOGGED_OUT: i32 = 7;
/// State reason: kicked by the server (→ IDLE).
pub const IM_REASON_KICKED: i32 = 8;
/// State reason: `im_release` (→ IDLE).
pub const IM_REASON_RELEASED: i32 = 9;
/// State reason: the link was lost with `auto_relogin` off (→ IDLE).
pub const IM_REASON_LINK_LOST: i32 = 10;
/// State reason: the network was reported unavailable.
pub const IM_REASON_NETWORK_DOWN: i32 = 11;

/// Link closed: close frame or end of stream from the server.
pub const IM_LINK_SERVER_CLOSED: i32 = 1;
/// Link closed: read or write error.
pub const IM_LINK_NETWORK_ERROR: i32 = 2;
/// Link closed: nothing received for `keepalive_timeout_ms`.
pub const IM_LINK_KEEPALIVE_TIMEOUT: i32 = 3;
/// Link closed: the server answered 301 (not logged in).
pub const IM_LINK_NOT_LOGGED_IN: i32 = 4;
/// Link closed: a re-login got no answer within `login_timeout_ms`.
pub const IM_LINK_LOGIN_TIMEOUT: i32 = 5;
/// Link closed: an inbound frame exceeded `max_inbound_bytes`.
pub const IM_LINK_PROTOCOL_ERROR: i32 = 6;
/// Link closed: the network was reported unavailable.
pub const IM_LINK_NETWORK_DOWN: i32 = 7;

/// Lost: resent `qos_max_resends` times without an acknowledgement.
pub const IM_LOST_TIMEOUT: i32 = 1;
/// Lost: the session ended (logout, release, kick, failed login) while it was pending.
pub const IM_LOST_CANCELLED: i32 = 2;
/// Lost: the server refused it (303 naming it).
pub const IM_LOST_REJECTED: i32 = 3;

/// Log level filter: nothing (the callback is removed).
pub const IM_LOG_OFF: i32 = 0;
/// Log level: errors that need fixing: an internal panic (a call failed with it, or the
/// client became unusable), a TLS handshake or certificate failure (login result 1003).
pub const IM_LOG_ERROR: i32 = 1;
/// Log level: warnings, and the above: a login that failed or was refused (with its
/// code), a kick, server errors 301/302/303, QoS resends (fp and receiver), lost messages
/// (count, reason, fps), invalid frames dropped (with their size).
pub const IM_LOG_WARN: i32 = 2;
/// Log level: connections, logins, state changes, and the above: each connect (the URL
/// without user info or query), the TLS version and cipher suite, every state change with
/// its reason (connected and login written, login accepted, link lost and why, re-login
/// attempt number and delay, network hints, logout, release).
pub const IM_LOG_INFO: i32 = 3;
/// Log level: frames in and out, without credentials, and the above: one line per frame
/// read or written, ACKs and keepalives included: direction, type, fp, from, to, QoS
/// flag, size in bytes. The login payload (token, `extra`), message contents, echo texts
/// and the server's error and kick texts appear only as their size (`content=<12 bytes>`).
pub const IM_LOG_DEBUG: i32 = 4;
/// Log level: everything, and the above: also each message dispatched and each ACK
/// settled. Still never a token, an `extra` or a message content.
pub const IM_LOG_TRACE: i32 = 5;

/// The text of each return/result code, NUL-terminated for C.
fn describe(code: i32) -> &'static str {
    match code {
        IM_OK => "success\0",
        IM_ERR_NO_LOGIN => "not logged in\0",
        IM_ERR_UNKNOWN => "internal error\0",
        IM_ERR_SEND_FAILED => "send failed: write error on the link\0",
        IM_ERR_INVALID_PACKET => "invalid packet: frame too large or undecodable\0",
        IM_ERR_LINK_DOWN => "link down: not connected to the server right now\0",
        IM_ERR_CONNECT => {
            "could not connect or log in to the server (connect failure or timeout)\0"
        }
        IM_ERR_NOT_INITIALIZED => "client not initialised\0",
        IM_ERR_NETWORK_DOWN => "the network is reported unavailable\0",
        IM_ERR_NO_SERVER => "server URL missing or malformed\0",
        IM_ERR_SERVER_NOT_LOGGED_IN => "server: not logged in (301)\0",
        IM_ERR_SERVER_BUSY => "server busy (302): send less often\0",
        IM_ERR_SERVER_NO_SUCH_GROUP => "server: no such group (303)\0",
        IM_ERR_INVALID_ARGUMENT => "invalid argument (see im_last_error())\0",
        IM_ERR_ALREADY_LOGGED_IN => "already logged in\0",
        IM_ERR_QUEUE_FULL => "QoS send queue full\0",
        IM_ERR_TLS => "TLS handshake or certificate verification failed\0",
        IM_ERR_INVALID_HANDLE => "invalid handle: NULL, unknown or released client\0",
        IM_ERR_PANIC => "internal panic caught; the client is unusable, release it\0",
        _ => "unknown code (as a login result: the server application's refusal code)\0",
    }
}

/// A static, NUL-terminated English description of a return or result code. Never NULL;
/// unknown codes (e.g. a server application's login refusal code) get a generic text.
///
/// Leaves `im_last_error()` unchanged. Thread: any. The string is static: never free it.
#[no_mangle]
pub extern "C" fn im_strerror(code: i32) -> *const c_char {
    super::guard::guard_quiet(c"".as_ptr(), || describe(code).as_ptr().cast())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{LinkClosedReason, LossReason, State, StateReason};
    use crate::log::LogLevel;
    use crate::protocol::codes;

    #[test]
    fn codes_match_protocol_codes() {
        let pairs = [
            (IM_OK, codes::OK),
            (IM_ERR_NO_LOGIN, codes::NO_LOGIN),
            (IM_ERR_UNKNOWN, codes::UNKNOWN),
            (IM_ERR_SEND_FAILED, codes::SEND_FAILED),
            (IM_ERR_INVALID_PACKET, codes::INVALID_PACKET),
            (IM_ERR_LINK_DOWN, codes::LINK_DOWN),
            (IM_ERR_CONNECT, codes::CONNECT_FAILED),
            (IM_ERR_NOT_INITIALIZED, codes::NOT_INITIALIZED),
            (IM_ERR_NETWORK_DOWN, codes::NETWORK_DOWN),
            (IM_ERR_NO_SERVER, codes::NO_SERVER),
            (IM_ERR_SERVER_NOT_LOGGED_IN, codes::SERVER_NOT_LOGGED_IN),
            (IM_ERR_SERVER_BUSY, codes::SERVER_BUSY),
            (IM_ERR_SERVER_NO_SUCH_GROUP, codes::SERVER_NO_SUCH_GROUP),
            (IM_ERR_INVALID_ARGUMENT, codes::INVALID_ARGUMENT),
            (IM_ERR_ALREADY_LOGGED_IN, codes::ALREADY_LOGGED_IN),
            (IM_ERR_QUEUE_FULL, codes::QUEUE_FULL),
            (IM_ERR_TLS, codes::TLS),
            (IM_ERR_INVALID_HANDLE, codes::INVALID_HANDLE),
            (IM_ERR_PANIC, codes::PANIC),
            (IM_KICK_DUPLICATE_LOGIN, codes::KICK_DUPLICATE_LOGIN),
            (IM_KICK_BY_ADMIN, codes::KICK_BY_ADMIN),
        ];
        for (c, rust) in pairs {
            assert_eq!(c, rust);
        }
    }

    #[test]
    fn every_code_has_its_own_description() {
        let all = [
            IM_OK,
            IM_ERR_NO_LOGIN,
            IM_ERR_UNKNOWN,
            IM_ERR_SEND_FAILED,
            IM_ERR_INVALID_PACKET,
            IM_ERR_LINK_DOWN,
            IM_ERR_CONNECT,
            IM_ERR_NOT_INITIALIZED,
            IM_ERR_NETWORK_DOWN,
            IM_ERR_NO_SERVER,
            IM_ERR_SERVER_NOT_LOGGED_IN,
            IM_ERR_SERVER_BUSY,
            IM_ERR_SERVER_NO_SUCH_GROUP,
            IM_ERR_INVALID_ARGUMENT,
            IM_ERR_ALREADY_LOGGED_IN,
            IM_ERR_QUEUE_FULL,
            IM_ERR_TLS,
            IM_ERR_INVALID_HANDLE,
            IM_ERR_PANIC,
        ];
        let generic = describe(-12345);
        let mut seen = std::collections::HashSet::new();
        for code in all {
            let text = describe(code);
            assert!(text.ends_with('\0'));
            assert_eq!(text.matches('\0').count(), 1, "{code}");
            assert_ne!(text, generic, "code {code} has no description");
            assert!(seen.insert(text), "code {code} shares its description");
        }
        assert!(generic.ends_with('\0'));
    }

    #[test]
    fn state_and_reason_values_match_engine() {
        let states = [
            (IM_STATE_IDLE, State::Idle),
            (IM_STATE_CONNECTING, State::Connecting),
            (IM_STATE_AUTHENTICATING, State::Authenticating),
            (IM_STATE_ONLINE, State::Online),
            (IM_STATE_WAITING, State::Waiting),
        ];
        for (c, s) in states {
            assert_eq!(c, s as i32);
        }
        let reasons = [
            (IM_REASON_LOGIN_REQUESTED, StateReason::LoginRequested),
            (IM_REASON_CONNECTED, StateReason::Connected),
            (IM_REASON_LOGIN_ACCEPTED, StateReason::LoginAccepted),
            (IM_REASON_RECONNECTING, StateReason::Reconnecting),
            (IM_REASON_ATTEMPT_STARTED, StateReason::AttemptStarted),
            (IM_REASON_LOGIN_FAILED, StateReason::LoginFailed),
            (IM_REASON_LOGGED_OUT, StateReason::LoggedOut),
            (IM_REASON_KICKED, StateReason::Kicked),
            (IM_REASON_RELEASED, StateReason::Released),
            (IM_REASON_LINK_LOST, StateReason::LinkLost),
            (IM_REASON_NETWORK_DOWN, StateReason::NetworkDown),
        ];
        for (c, r) in reasons {
            assert_eq!(c, r as i32);
        }
        let links = [
            (IM_LINK_SERVER_CLOSED, LinkClosedReason::ServerClosed),
            (IM_LINK_NETWORK_ERROR, LinkClosedReason::NetworkError),
            (
                IM_LINK_KEEPALIVE_TIMEOUT,
                LinkClosedReason::KeepaliveTimeout,
            ),
            (IM_LINK_NOT_LOGGED_IN, LinkClosedReason::NotLoggedIn),
            (IM_LINK_LOGIN_TIMEOUT, LinkClosedReason::LoginTimeout),
            (IM_LINK_PROTOCOL_ERROR, LinkClosedReason::ProtocolError),
            (IM_LINK_NETWORK_DOWN, LinkClosedReason::NetworkDown),
        ];
        for (c, r) in links {
            assert_eq!(c, r as i32);
        }
        let losses = [
            (IM_LOST_TIMEOUT, LossReason::Timeout),
            (IM_LOST_CANCELLED, LossReason::Cancelled),
            (IM_LOST_REJECTED, LossReason::Rejected),
        ];
        for (c, r) in losses {
            assert_eq!(c, r as i32);
        }
        let levels = [
            (IM_LOG_ERROR, LogLevel::Error),
            (IM_LOG_WARN, LogLevel::Warn),
            (IM_LOG_INFO, LogLevel::Info),
            (IM_LOG_DEBUG, LogLevel::Debug),
            (IM_LOG_TRACE, LogLevel::Trace),
        ];
        for (c, l) in levels {
            assert_eq!(c, l as i32);
        }
    }
}
