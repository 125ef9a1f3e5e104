//! The engine's inputs and outputs: requests, transport events, actions, events, states,
//! reasons and statistics. Numeric values of the `#[repr(i32)]` enums are the C ABI's
//! (`IM_STATE_*`, `IM_REASON_*`, `IM_LINK_*`, `IM_LOST_*`) and never change once released.

/// Session state (PROTOCOL.md §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(i32)]
pub enum State {
    /// No session.
    #[default]
    Idle = 0,
    /// Opening the WebSocket (TCP + TLS + upgrade).
    Connecting = 1,
    /// Login written, awaiting the login response.
    Authenticating = 2,
    /// Logged in.
    Online = 3,
    /// Link lost; a re-login attempt is scheduled.
    Waiting = 4,
}

/// Why the state changed (carried by [`Event::StateChanged`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum StateReason {
    /// `login()` was called (IDLE → CONNECTING).
    LoginRequested = 1,
    /// The WebSocket is open; the login frame was written (CONNECTING → AUTHENTICATING).
    Connected = 2,
    /// `50 code 0` (AUTHENTICATING → ONLINE).
    LoginAccepted = 3,
    /// A re-login attempt is scheduled (→ WAITING, with attempt number and delay).
    Reconnecting = 4,
    /// A scheduled re-login attempt starts (WAITING → CONNECTING).
    AttemptStarted = 5,
    /// The login failed and the session ended (→ IDLE).
    LoginFailed = 6,
    /// `logout()` (→ IDLE).
    LoggedOut = 7,
    /// Kicked by the server (→ IDLE).
    Kicked = 8,
    /// `release()` (→ IDLE).
    Released = 9,
    /// The link was lost with `auto_relogin` off (→ IDLE).
    LinkLost = 10,
    /// The network was reported unavailable (→ WAITING without attempts, or → IDLE).
    NetworkDown = 11,
}

/// Why an ONLINE link was lost (carried by [`Event::LinkClosed`], PROTOCOL.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum LinkClosedReason {
    /// Close frame or EOF from the server.
    ServerClosed = 1,
    /// Read or write error.
    NetworkError = 2,
    /// No valid envelope for `keepalive_timeout` (R16).
    KeepaliveTimeout = 3,
    /// Server error 301 (R26).
    NotLoggedIn = 4,
    /// `login_timeout` during a re-login.
    LoginTimeout = 5,
    /// Inbound frame over `max_inbound_bytes`.
    ProtocolError = 6,
    /// The network was reported unavailable (R58).
    NetworkDown = 7,
}

/// Why a QoS message was reported lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum LossReason {
    /// Resent `qos_max_resends` times without an ACK (R47).
    Timeout = 1,
    /// The session ended while it was pending (R34).
    Cancelled = 2,
    /// The server refused it (303 naming it, R56).
    Rejected = 3,
}

/// A `login()` request. Its `Debug` output never shows the token or `extra`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct LoginRequest {
    pub user_id: String,
    /// Never logged.
    pub token: String,
    /// seed: application name (written `null` when `None`).
    pub app: Option<String>,
    pub extra: Option<String>,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("user_id", &self.user_id)
            .field("token", &"<redacted>")
            .field("app", &self.app)
            .field("extra", &self.extra.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// A `send()` request (R43). The sender is always the logged-in user (R4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRequest {
    /// Receiver: a user id, `"0"` for the server, or (seed, `typeu` 1) a group id.
    pub to: String,
    /// Application text, written verbatim.
    pub content: String,
    /// QoS on: ACK expected, resends, exactly one outcome.
    pub qos: bool,
    /// `None` = the dialect's default (seed 0, mobileimsdk -1).
    pub typeu: Option<i32>,
    /// `None` = a new UUID v4 when QoS is on.
    pub fp: Option<String>,
}

impl SendRequest {
    /// A QoS message with the dialect's default `typeu` and a generated fp.
    pub fn new(to: impl Into<String>, content: impl Into<String>) -> SendRequest {
        SendRequest {
            to: to.into(),
            content: content.into(),
            qos: true,
            typeu: None,
            fp: None,
        }
    }
}

/// Why the transport says a link ended or could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// EOF, or a close frame without a status code.
    Closed,
    /// A close frame with a status code and its reason text (possibly empty), e.g. 1000
    /// "Bye", or seed's 4001 "replaced by a newer login" (R29).
    ClosedWith { code: u16, reason: String },
    /// Connect failed (DNS, TCP, HTTP upgrade) or another I/O error.
    Io(String),
    /// TLS handshake or certificate verification failed.
    Tls(String),
    /// An inbound frame exceeded `max_inbound_bytes`.
    TooLarge,
}

/// What the transport reports about connection `conn_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportEvent {
    /// The WebSocket handshake completed.
    Connected,
    /// One text frame arrived.
    Frame(String),
    /// The connection ended (or never opened).
    Closed(LinkError),
}

/// A received application message (type 2), R41.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// `""` when the frame had none.
    pub fp: String,
    pub from: String,
    pub to: String,
    /// Verbatim, never decoded; `""` if absent.
    pub content: String,
    pub typeu: i32,
    /// Server time in ms, `None` when the frame carries none.
    pub server_time: Option<i64>,
    pub qos: bool,
    pub bridge: bool,
}

/// A QoS message reported lost, with what the application needs to retry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostMessage {
    pub fp: String,
    pub to: String,
    pub content: String,
    pub typeu: i32,
    pub reason: LossReason,
}

/// What the engine tells the application, in order (PROTOCOL.md §9.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Every state change. `attempt` and `delay_ms` are set for WAITING (R25), else 0.
    StateChanged {
        state: State,
        reason: StateReason,
        attempt: u32,
        delay_ms: u64,
    },
    /// Result of the manual login or of a re-login that completed.
    LoginResult { code: i32, relogin: bool },
    /// An ONLINE link was lost (once per link).
    LinkClosed { reason: LinkClosedReason },
    /// A type-2 message to dispatch.
    Message(Message),
    /// A 52 from the server.
    ServerError { code: i32, message: String },
    /// QoS messages that will never be acked, each with its reason.
    MessagesLost(Vec<LostMessage>),
    /// The server acknowledged this QoS message.
    MessageAcked { fp: String },
    /// The server ended the session: mobileimsdk 54 (R28), or seed's close for a session
    /// replaced by a newer login (R29, code 1).
    Kicked { code: i32, reason: String },
    /// The 53 answering an echo.
    Echo { text: String },
    /// `release()` completed; always the very last event of a client.
    Released,
}

/// What the engine asks its driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Open a new WebSocket; report it with `conn_id`.
    Connect { conn_id: u64 },
    /// Write one text frame on `conn_id`.
    Send { conn_id: u64, text: String },
    /// Close `conn_id` (close frame 1000, then drop after `close_timeout`).
    Close { conn_id: u64 },
    /// Hand this event to the application.
    Emit(Event),
    /// A log record, handed to [`crate::log::write`] by the driver outside any lock.
    /// Never contains tokens.
    Log {
        level: crate::log::LogLevel,
        message: String,
    },
}

/// Counters (monotonic since the client was created) and gauges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// QoS and non-QoS data messages written for the first time.
    pub sent: u64,
    /// QoS resends written.
    pub resent: u64,
    /// QoS messages acked.
    pub acked: u64,
    /// QoS messages reported lost.
    pub lost: u64,
    /// ACKs for unknown or already settled fingerprints.
    pub ignored_acks: u64,
    /// Type-2 messages dispatched to the application.
    pub received: u64,
    /// Duplicate QoS messages ACKed but not dispatched.
    pub duplicates: u64,
    /// Re-login attempts started.
    pub reconnects: u64,
    /// Round trip of the last answered keepalive, ms (`-1` if none yet).
    pub last_keepalive_rtt_ms: i64,
    /// QoS messages currently pending.
    pub pending_qos: u64,
    /// R61: events handed to the application whose callbacks have not returned yet.
    pub callback_backlog: u64,
    /// R61: their approximate size in bytes.
    pub callback_backlog_bytes: u64,
    /// R62: bytes waiting to be written on the current link (queued and in flight).
    pub outbound_bytes: u64,
    /// R62: the most bytes that ever waited to be written on one link.
    pub outbound_peak_bytes: u64,
}
