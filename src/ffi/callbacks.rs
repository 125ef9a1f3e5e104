//! `ImCallbacks` and the message views: each [`Event`] of a client becomes one call of
//! the matching C callback, with strings copied into NUL-terminated buffers that live
//! for the duration of the call.

use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::backend::Poison;
use super::strings::CText;
use super::versioned::Versioned;
use crate::engine::{Event, LostMessage, Message};
use crate::log::{self, LogLevel};

/// A received message, borrowed for the duration of `on_message`: copy what you keep.
/// Fields may be appended in later versions (the SDK allocates this struct).
#[repr(C)]
#[derive(Debug)]
pub struct ImMessage {
    /// Fingerprint, `""` when the message has none.
    pub fp: *const c_char,
    /// Sender's user id (`"0"` = the server).
    pub from: *const c_char,
    /// Receiver: this user, or (seed, `typeu` 1) a group id.
    pub to: *const c_char,
    /// Content, exactly as sent, NUL-terminated; it may itself contain NUL bytes, so
    /// use `content_len`.
    pub content: *const c_char,
    /// Bytes in `content`, without the terminating NUL.
    pub content_len: usize,
    /// Application message type (seed: 0 one-to-one, 1 group).
    pub typeu: i32,
    /// Server time in ms since the Unix epoch, or -1 when the server sent none.
    pub server_time: i64,
    /// The message was sent with QoS (the SDK has already acknowledged it).
    pub qos: bool,
    /// The server's bridge flag.
    pub bridge: bool,
}

/// A QoS message that will never be acknowledged, borrowed for the duration of
/// `on_messages_lost`. (Frozen layout: callers index arrays of it.)
#[repr(C)]
#[derive(Debug)]
pub struct ImLostMessage {
    /// The fingerprint `im_send` returned.
    pub fp: *const c_char,
    /// The receiver it was sent to.
    pub to: *const c_char,
    /// Its content, NUL-terminated (may contain NUL bytes: use `content_len`).
    pub content: *const c_char,
    /// Bytes in `content`, without the terminating NUL.
    pub content_len: usize,
    /// Its `typeu`.
    pub typeu: i32,
    /// `IM_LOST_TIMEOUT`, `IM_LOST_CANCELLED` or `IM_LOST_REJECTED`.
    pub reason: i32,
}

/// Callbacks of one client, copied by `im_init`. Zero-initialise, set `struct_size` to
/// `sizeof(ImCallbacks)`, then set the callbacks you want; NULL ones are skipped.
///
/// Every callback runs on the SDK's callback thread (`imsdk-cb`, one for the process),
/// never on the caller's thread and never while the SDK holds a lock; callbacks of one
/// client run one at a time, in event order. They may call any `im_*` function
/// (`im_release` from inside a callback is deferred until the callback returns). They
/// must return (no `longjmp`, no C++ exception), and should return quickly: a slow
/// callback delays the client's later callbacks (never its network work).
/// Pointers passed to a callback are valid only until it returns.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ImCallbacks {
    /// `sizeof(ImCallbacks)`.
    pub struct_size: u32,
    /// Passed unchanged as the first argument of every callback.
    pub user_data: *mut c_void,
    /// Result of the login `im_login` started (exactly once per accepted `im_login`,
    /// unless `im_logout`/`im_release` comes first), and of every automatic re-login
    /// that completed (`is_relogin` true). `code`: `IM_OK`; `IM_ERR_CONNECT`,
    /// `IM_ERR_TLS`, `IM_ERR_NETWORK_DOWN`, `IM_ERR_SERVER_NOT_LOGGED_IN`,
    /// `IM_ERR_INVALID_PACKET`; or the server's own refusal code. After a failure the
    /// session has ended (pending messages were reported lost first).
    pub on_login_result: Option<extern "C" fn(user_data: *mut c_void, code: i32, is_relogin: bool)>,
    /// An online link was lost (`IM_LINK_*`), once per link; re-login follows unless
    /// `auto_relogin` is off. Not called for logout or release.
    pub on_link_closed: Option<extern "C" fn(user_data: *mut c_void, reason: i32)>,
    /// A message arrived (duplicates of QoS messages are filtered out).
    pub on_message: Option<extern "C" fn(user_data: *mut c_void, message: *const ImMessage)>,
    /// The server sent an error (`IM_ERR_SERVER_*`, or another server code) with its text.
    pub on_server_error:
        Option<extern "C" fn(user_data: *mut c_void, code: i32, message: *const c_char)>,
    /// `count` QoS messages will never be acknowledged, each with its reason. Together
    /// with `on_message_acked`: exactly one outcome per QoS message `im_send` accepted.
    pub on_messages_lost:
        Option<extern "C" fn(user_data: *mut c_void, messages: *const ImLostMessage, count: usize)>,
    /// The server acknowledged the QoS message with this fingerprint.
    pub on_message_acked: Option<extern "C" fn(user_data: *mut c_void, fp: *const c_char)>,
    /// The server ended the session (`IM_KICK_*` or a custom code above 100) with its
    /// reason text: mobileimsdk's kickout frame, or a seed server closing a session that a
    /// newer login of the same user replaced (close code 4001, `IM_KICK_DUPLICATE_LOGIN`).
    /// Pending QoS messages are reported lost (`IM_LOST_CANCELLED`) just before. No
    /// re-login follows.
    pub on_kicked: Option<extern "C" fn(user_data: *mut c_void, code: i32, reason: *const c_char)>,
    /// The connection state changed: `state` (`IM_STATE_*`) because of `reason`
    /// (`IM_REASON_*`); for `IM_STATE_WAITING` also the re-login attempt number and its
    /// delay in ms (else 0).
    pub on_state_changed: Option<
        extern "C" fn(user_data: *mut c_void, state: i32, reason: i32, attempt: u32, delay_ms: u64),
    >,
    /// The server answered `im_echo` with this text.
    pub on_echo: Option<extern "C" fn(user_data: *mut c_void, text: *const c_char)>,
    /// The client is released: always the very last callback, exactly once. Free
    /// `user_data` here if it belongs to the client.
    pub on_release: Option<extern "C" fn(user_data: *mut c_void)>,
}

// SAFETY: repr(C), starts with `struct_size: u32`; raw and nullable function pointers.
unsafe impl Versioned for ImCallbacks {
    const NAME: &'static str = "ImCallbacks";
    const SIZES: &'static [usize] = &[std::mem::size_of::<ImCallbacks>()];
}

impl ImCallbacks {
    /// No callbacks at all (what a NULL `ImCallbacks*` means).
    pub(crate) fn none() -> ImCallbacks {
        ImCallbacks {
            struct_size: super::versioned::current_size::<ImCallbacks>(),
            user_data: std::ptr::null_mut(),
            on_login_result: None,
            on_link_closed: None,
            on_message: None,
            on_server_error: None,
            on_messages_lost: None,
            on_message_acked: None,
            on_kicked: None,
            on_state_changed: None,
            on_echo: None,
            on_release: None,
        }
    }
}

/// Delivers a client's events to its C callbacks.
pub(crate) struct CallbackHandler {
    callbacks: ImCallbacks,
    /// The client's poison mark: set when a panic was caught here.
    unusable: Poison,
}

// SAFETY: the C caller hands `user_data` and the callbacks to the SDK knowing (header)
// that they are used on the SDK's callback thread; the SDK itself never dereferences
// `user_data`.
unsafe impl Send for CallbackHandler {}

impl CallbackHandler {
    pub(crate) fn new(callbacks: ImCallbacks, unusable: Poison) -> CallbackHandler {
        CallbackHandler {
            callbacks,
            unusable,
        }
    }

    /// Runs the callback for `event`; a panic here (never from C) marks the client
    /// unusable instead of unwinding into the SDK's dispatcher.
    pub(crate) fn deliver(&self, event: &Event) {
        if catch_unwind(AssertUnwindSafe(|| self.dispatch(event))).is_err() {
            self.unusable.mark();
            log::write(
                LogLevel::Error,
                "internal panic while delivering a callback; the client is unusable",
            );
        }
    }

    fn dispatch(&self, event: &Event) {
        let cb = &self.callbacks;
        let ud = cb.user_data;
        match event {
            Event::StateChanged {
                state,
                reason,
                attempt,
                delay_ms,
            } => {
                if let Some(f) = cb.on_state_changed {
                    f(ud, *state as i32, *reason as i32, *attempt, *delay_ms);
                }
            }
            Event::LoginResult { code, relogin } => {
                if let Some(f) = cb.on_login_result {
                    f(ud, *code, *relogin);
                }
            }
            Event::LinkClosed { reason } => {
                if let Some(f) = cb.on_link_closed {
                    f(ud, *reason as i32);
                }
            }
            Event::Message(message) => {
                if let Some(f) = cb.on_message {
                    with_message_view(message, |view| f(ud, view));
                }
            }
            Event::ServerError { code, message } => {
                if let Some(f) = cb.on_server_error {
                    f(ud, *code, CText::new(message).as_ptr());
                }
            }
            Event::MessagesLost(lost) => {
                if let Some(f) = cb.on_messages_lost {
                    with_lost_views(lost, |views| f(ud, views.as_ptr(), views.len()));
                }
            }
            Event::MessageAcked { fp } => {
                if let Some(f) = cb.on_message_acked {
                    f(ud, CText::new(fp).as_ptr());
                }
            }
            Event::Kicked { code, reason } => {
                if let Some(f) = cb.on_kicked {
                    f(ud, *code, CText::new(reason).as_ptr());
                }
            }
            Event::Echo { text } => {
                if let Some(f) = cb.on_echo {
                    f(ud, CText::new(text).as_ptr());
                }
            }
            Event::Released => {
                if let Some(f) = cb.on_release {
                    f(ud);
                }
            }
        }
    }
}

/// Lends `message` as an [`ImMessage`] to `f`; the view dies with the call.
fn with_message_view(message: &Message, f: impl FnOnce(&ImMessage)) {
    let fp = CText::new(&message.fp);
    let from = CText::new(&message.from);
    let to = CText::new(&message.to);
    let content = CText::new(&message.content);
    let view = ImMessage {
        fp: fp.as_ptr(),
        from: from.as_ptr(),
        to: to.as_ptr(),
        content: content.as_ptr(),
        content_len: content.len(),
        typeu: message.typeu,
        server_time: message.server_time.unwrap_or(-1),
        qos: message.qos,
        bridge: message.bridge,
    };
    f(&view);
}

/// Lends `lost` as an array of [`ImLostMessage`] to `f`.
fn with_lost_views(lost: &[LostMessage], f: impl FnOnce(&[ImLostMessage])) {
    let texts: Vec<[CText; 3]> = lost
        .iter()
        .map(|m| [CText::new(&m.fp), CText::new(&m.to), CText::new(&m.content)])
        .collect();
    let views: Vec<ImLostMessage> = lost
        .iter()
        .zip(&texts)
        .map(|(m, [fp, to, content])| ImLostMessage {
            fp: fp.as_ptr(),
            to: to.as_ptr(),
            content: content.as_ptr(),
            content_len: content.len(),
            typeu: m.typeu,
            reason: m.reason as i32,
        })
        .collect();
    f(&views);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{LinkClosedReason, LossReason, State, StateReason};
    use std::ffi::CStr;
    use std::sync::Mutex;

    /// What the test callbacks saw, as text lines.
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

    fn s(p: *const c_char) -> String {
        unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }

    fn push(ud: *mut c_void, line: String) {
        let tag = s(ud as *const c_char);
        SEEN.lock().unwrap().push(format!("{tag}:{line}"));
    }

    extern "C" fn login(ud: *mut c_void, code: i32, relogin: bool) {
        push(ud, format!("login {code} {relogin}"));
    }
    extern "C" fn link(ud: *mut c_void, reason: i32) {
        push(ud, format!("link {reason}"));
    }
    extern "C" fn message(ud: *mut c_void, m: *const ImMessage) {
        let m = unsafe { &*m };
        let content = unsafe { std::slice::from_raw_parts(m.content.cast::<u8>(), m.content_len) };
        push(
            ud,
            format!(
                "msg {} {}->{} {:?} {} {} {} {}",
                s(m.fp),
                s(m.from),
                s(m.to),
                String::from_utf8_lossy(content),
                m.typeu,
                m.server_time,
                m.qos,
                m.bridge
            ),
        );
    }
    extern "C" fn lost(ud: *mut c_void, arr: *const ImLostMessage, n: usize) {
        let arr = unsafe { std::slice::from_raw_parts(arr, n) };
        for m in arr {
            push(
                ud,
                format!(
                    "lost {} {} {} {} {}",
                    s(m.fp),
                    s(m.to),
                    s(m.content),
                    m.typeu,
                    m.reason
                ),
            );
        }
    }
    extern "C" fn state(ud: *mut c_void, st: i32, r: i32, attempt: u32, delay: u64) {
        push(ud, format!("state {st} {r} {attempt} {delay}"));
    }
    extern "C" fn release(ud: *mut c_void) {
        push(ud, "released".into());
    }

    #[test]
    fn events_reach_their_callbacks_with_views() {
        let tag = c"T";
        let mut cbs = ImCallbacks::none();
        cbs.user_data = tag.as_ptr() as *mut c_void;
        cbs.on_login_result = Some(login);
        cbs.on_link_closed = Some(link);
        cbs.on_message = Some(message);
        cbs.on_messages_lost = Some(lost);
        cbs.on_state_changed = Some(state);
        cbs.on_release = Some(release);
        let h = CallbackHandler::new(cbs, Poison::default());
        let events = [
            Event::StateChanged {
                state: State::Waiting,
                reason: StateReason::Reconnecting,
                attempt: 2,
                delay_ms: 1500,
            },
            Event::LoginResult {
                code: 0,
                relogin: true,
            },
            Event::LinkClosed {
                reason: LinkClosedReason::KeepaliveTimeout,
            },
            Event::Message(Message {
                fp: "f1".into(),
                from: "alice".into(),
                to: "bob".into(),
                content: "a\0b".into(),
                typeu: 0,
                server_time: None,
                qos: true,
                bridge: false,
            }),
            Event::MessagesLost(vec![
                LostMessage {
                    fp: "x".into(),
                    to: "bob".into(),
                    content: "c1".into(),
                    typeu: 0,
                    reason: LossReason::Timeout,
                },
                LostMessage {
                    fp: "y".into(),
                    to: "g".into(),
                    content: "c2".into(),
                    typeu: 1,
                    reason: LossReason::Cancelled,
                },
            ]),
            // No callback set: skipped.
            Event::Echo { text: "e".into() },
            Event::Released,
        ];
        SEEN.lock().unwrap().clear();
        for e in &events {
            h.deliver(e);
        }
        let seen = SEEN.lock().unwrap().clone();
        assert_eq!(
            seen,
            [
                "T:state 4 4 2 1500",
                "T:login 0 true",
                "T:link 3",
                "T:msg f1 alice->bob \"a\\0b\" 0 -1 true false",
                "T:lost x bob c1 0 1",
                "T:lost y g c2 1 2",
                "T:released",
            ]
        );
    }
}
