//! Logout and the end of a session (R30–R34): close, stop every timer, report pending
//! messages lost(CANCELLED) in queue order, then the terminal event, then IDLE.

use std::time::Instant;

use crate::error::{Error, Result};
use crate::protocol::{codes, Packet};

use super::link::Link;
use super::types::{Event, LinkClosedReason, LossReason, State, StateReason};
use super::Engine;

/// How a session ends (R34): the event reported after the lost messages.
#[derive(Debug)]
pub(super) enum Terminal {
    /// A failed login (manual R8, or refused re-login R12).
    LoginFailed { code: i32, relogin: bool },
    /// mobileimsdk 54 (R28).
    Kicked { code: i32, reason: String },
    /// A link loss with `auto_relogin` off (R18).
    LinkClosed(LinkClosedReason),
    /// `logout()` (R30).
    LoggedOut,
    /// `release()` (R32): the caller reports `Released` afterwards.
    Released,
}

impl Engine {
    /// R30.
    pub(super) fn logout_session(&mut self, now: Instant) -> Result<()> {
        let Some(user_id) = self.user_id().map(str::to_string) else {
            return Err(Error::new(codes::NO_LOGIN, "logout() without a session"));
        };
        if self.link.as_ref().is_some_and(Link::is_online) {
            let packet = Packet::logout(&user_id);
            self.write_packet(&packet);
        }
        self.end_session(Terminal::LoggedOut, now);
        Ok(())
    }

    /// R34: close, stop every timer, lost(CANCELLED) in queue order, the terminal event,
    /// forget the session, IDLE.
    pub(super) fn end_session(&mut self, terminal: Terminal, _now: Instant) {
        self.close_link();
        self.retry_at = None;
        self.qos_tick_at = None;
        self.busy.reset();
        let cancelled: Vec<_> = self
            .queue
            .drain_all()
            .into_iter()
            .map(|m| m.lost(LossReason::Cancelled))
            .collect();
        if !cancelled.is_empty() {
            self.stats.lost += cancelled.len() as u64;
            self.emit(Event::MessagesLost(cancelled));
        }
        let manual_pending = self.session.as_ref().is_some_and(|s| s.manual_pending);
        let reason = match terminal {
            Terminal::LoginFailed { code, relogin } => {
                self.emit(Event::LoginResult { code, relogin });
                StateReason::LoginFailed
            }
            Terminal::Kicked { code, reason } => {
                if manual_pending {
                    // The manual login still owes its one result (R8): the server
                    // closes the link after a kickout, before any 50.
                    self.emit(Event::LoginResult {
                        code: codes::CONNECT_FAILED,
                        relogin: false,
                    });
                }
                self.emit(Event::Kicked { code, reason });
                StateReason::Kicked
            }
            Terminal::LinkClosed(reason) => {
                self.emit(Event::LinkClosed { reason });
                StateReason::LinkLost
            }
            Terminal::LoggedOut => StateReason::LoggedOut,
            Terminal::Released => StateReason::Released,
        };
        self.dedup.clear();
        self.delivery.forget_acks();
        self.session = None;
        self.backoff.reset();
        if self.state != State::Idle {
            self.set_state(State::Idle, reason, 0, 0);
        }
    }
}
