//! Link loss and auto re-login scheduling (R18–R25): an attempt that fails before ONLINE,
//! an ONLINE link that is lost, and the WAITING state with its jittered delay. Also the
//! one close that is not a link loss: seed's "replaced by a newer login" (R29).

use std::time::Instant;

use crate::log::LogLevel;
use crate::protocol::{codes, Dialect};

use super::end_session::Terminal;
use super::link::LinkPhase;
use super::types::{Event, LinkClosedReason, LinkError, State, StateReason};
use super::Engine;

impl Engine {
    /// The transport reports that the current link ended or never opened.
    pub(super) fn on_closed(&mut self, error: LinkError, now: Instant) {
        let Some(link) = self.link.take() else {
            return;
        };
        if let Some(reason) = self.replaced_by_newer_login(&error) {
            // R29: re-logging in would take the session back from the newer login, which
            // would do the same in turn: end the session as mobileimsdk's kickout does.
            self.log(
                LogLevel::Warn,
                "session replaced by a newer login of the same user",
            );
            self.end_session(
                Terminal::Kicked {
                    code: codes::KICK_DUPLICATE_LOGIN,
                    reason,
                },
                now,
            );
            return;
        }
        if link.is_online() {
            let reason = match error {
                LinkError::Closed | LinkError::ClosedWith { .. } => LinkClosedReason::ServerClosed,
                LinkError::Io(_) | LinkError::Tls(_) => LinkClosedReason::NetworkError,
                LinkError::TooLarge => LinkClosedReason::ProtocolError,
            };
            // The driver already closed it: put it back so link_lost sees the phase.
            self.link = Some(link);
            self.link_lost(reason, false, now);
        } else {
            let code = match error {
                LinkError::Tls(_) => codes::TLS,
                _ => codes::CONNECT_FAILED,
            };
            let what = match &error {
                LinkError::Closed => "closed by the server before the login response".to_string(),
                LinkError::ClosedWith { code, reason } => {
                    format!("closed by the server before the login response ({code} {reason:?})")
                }
                LinkError::Io(e) => format!("connect failed: {e}"),
                LinkError::Tls(e) => format!("TLS failed: {e}"),
                LinkError::TooLarge => "inbound frame too large".to_string(),
            };
            self.attempt_failed(code, &what, now);
        }
    }

    /// R29: the reason of seed's close for a session replaced by a newer login of the same
    /// user (close code [`codes::CLOSE_REPLACED_BY_NEWER_LOGIN`]); `None` for any other
    /// close, which is a link loss (R18). mobileimsdk has its own kickout frame (R28).
    fn replaced_by_newer_login(&self, error: &LinkError) -> Option<String> {
        match error {
            LinkError::ClosedWith { code, reason }
                if self.dialect == Dialect::Seed
                    && *code == codes::CLOSE_REPLACED_BY_NEWER_LOGIN =>
            {
                Some(reason.clone())
            }
            _ => None,
        }
    }

    /// An attempt that never reached ONLINE failed: the manual login ends the session
    /// (R8), a re-login schedules the next attempt (R23). The link is already gone or is
    /// closed here.
    pub(super) fn attempt_failed(&mut self, code: i32, what: &str, now: Instant) {
        self.close_link();
        let manual = self.session.as_ref().is_some_and(|s| s.manual_pending);
        if manual {
            self.log(LogLevel::Warn, format!("login failed: {what}"));
            self.end_session(
                Terminal::LoginFailed {
                    code,
                    relogin: false,
                },
                now,
            );
        } else {
            self.log(
                LogLevel::Info,
                format!("re-login attempt {} failed: {what}", self.backoff.attempt()),
            );
            self.schedule_relogin(now);
        }
    }

    /// R18: an ONLINE link is lost. `close` = the engine closes it (the transport did not).
    pub(super) fn link_lost(&mut self, reason: LinkClosedReason, close: bool, now: Instant) {
        let since = match self.link.as_ref().map(|l| &l.phase) {
            Some(LinkPhase::Online { since, .. }) => Some(*since),
            _ => None,
        };
        if close {
            self.close_link();
        } else {
            self.link = None;
        }
        self.busy.reset();
        self.log(LogLevel::Info, format!("link lost: {reason:?}"));
        // R24: a link that stayed ONLINE for `stable_after` restarts the sequence.
        if since.is_some_and(|s| {
            now.saturating_duration_since(s) >= self.ms(self.config.stable_after_ms)
        }) {
            self.backoff.reset();
        }
        if !self.config.auto_relogin {
            self.end_session(Terminal::LinkClosed(reason), now);
            return;
        }
        self.emit(Event::LinkClosed { reason });
        if self.network_available {
            self.schedule_relogin(now);
        } else {
            self.retry_at = None;
            self.set_state(State::Waiting, StateReason::NetworkDown, 0, 0);
        }
    }

    /// R20/R25: WAITING with the next attempt's number and jittered delay.
    pub(super) fn schedule_relogin(&mut self, now: Instant) {
        if !self.network_available {
            self.retry_at = None;
            self.set_state(State::Waiting, StateReason::NetworkDown, 0, 0);
            return;
        }
        let (attempt, delay) = self.backoff.next_attempt(&mut self.rng);
        self.retry_at = Some(now + delay);
        self.set_state(
            State::Waiting,
            StateReason::Reconnecting,
            attempt,
            delay.as_millis() as u64,
        );
    }

    /// WAITING → CONNECTING when the scheduled attempt is due.
    pub(super) fn start_relogin_attempt(&mut self, now: Instant) {
        self.stats.reconnects += 1;
        self.start_attempt(StateReason::AttemptStarted, now);
    }
}
