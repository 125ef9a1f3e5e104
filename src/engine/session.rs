//! The session and its links (R5–R13, R18–R34): login, connect attempts, the login
//! response, link loss, auto re-login scheduling, logout and the end of a session.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::log::LogLevel;
use crate::protocol::{codes, LoginInfo, LoginResponse, Packet, PayloadError, SERVER_ID, UNSET_ID};

use super::keepalive::Keepalive;
use super::link::{Link, LinkPhase};
use super::types::{
    Event, LinkClosedReason, LinkError, LoginRequest, LossReason, State, StateReason,
    TransportEvent,
};
use super::Engine;

/// What a session keeps across links (R22, R53).
#[derive(Debug)]
pub(super) struct Session {
    pub(super) user_id: String,
    /// Never logged.
    token: String,
    app: Option<String>,
    extra: Option<String>,
    /// R7/R11: 0 until the first `50 code 0` of the session stores the server's value.
    first_login_time: i64,
    first_login_stored: bool,
    /// The manual login has not reported its result yet (R8).
    pub(super) manual_pending: bool,
}

impl Session {
    fn login_info(&self) -> LoginInfo {
        LoginInfo {
            user_id: self.user_id.clone(),
            token: self.token.clone(),
            extra: self.extra.clone(),
            app: self.app.clone(),
            first_login_time: self.first_login_time,
        }
    }
}

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
    /// R5: checks, stores the credentials, starts the manual attempt.
    pub(super) fn start_session(&mut self, req: LoginRequest, now: Instant) -> Result<()> {
        if self.session.is_some() {
            return Err(Error::new(
                codes::ALREADY_LOGGED_IN,
                "login() while a session exists; log out first",
            ));
        }
        if req.user_id.is_empty() || req.user_id == SERVER_ID || req.user_id == UNSET_ID {
            return Err(Error::invalid_argument(
                "user id must be non-empty and not \"0\" or \"-1\"",
            ));
        }
        if !self.network_available {
            return Err(Error::new(
                codes::NETWORK_DOWN,
                "the network was reported unavailable",
            ));
        }
        let session = Session {
            user_id: req.user_id,
            token: req.token,
            app: req.app,
            extra: req.extra,
            first_login_time: 0,
            first_login_stored: false,
            manual_pending: true,
        };
        // R3: a re-login may carry a 13-digit firstLoginTime; check the largest form.
        let mut widest = session.login_info();
        widest.first_login_time = i64::MAX;
        let size =
            crate::protocol::encode(self.dialect, &Packet::login(self.dialect, &widest)).len();
        if size > self.config.max_frame_bytes {
            return Err(Error::new(
                codes::INVALID_PACKET,
                format!(
                    "login frame would be {size} bytes (max_frame_bytes {})",
                    self.config.max_frame_bytes
                ),
            ));
        }
        self.session = Some(session);
        self.backoff.reset();
        self.qos_tick_at = Some(now + self.ms(self.config.qos_check_interval_ms));
        self.start_attempt(StateReason::LoginRequested, now);
        Ok(())
    }

    /// R1/R6: a fresh link generation and its connect deadline.
    pub(super) fn start_attempt(&mut self, reason: StateReason, now: Instant) {
        let conn_id = self.next_conn_id;
        self.next_conn_id += 1;
        self.retry_at = None;
        self.busy.reset();
        self.link = Some(Link {
            conn_id,
            phase: LinkPhase::Connecting {
                deadline: now + self.ms(self.config.connect_timeout_ms),
            },
        });
        self.actions
            .push_back(super::types::Action::Connect { conn_id });
        self.set_state(State::Connecting, reason, 0, 0);
    }

    /// Transport input; anything for a superseded link is ignored (R1).
    pub(super) fn on_transport(&mut self, conn_id: u64, event: TransportEvent, now: Instant) {
        let Some(link) = &self.link else {
            return;
        };
        if link.conn_id != conn_id {
            self.log(
                LogLevel::Debug,
                format!("ignoring input from superseded connection {conn_id}"),
            );
            return;
        }
        let connecting = matches!(link.phase, LinkPhase::Connecting { .. });
        match event {
            TransportEvent::Connected => self.on_connected(now),
            TransportEvent::Frame(_) if connecting => self.log(
                LogLevel::Warn,
                "frame before the connection opened; ignored",
            ),
            TransportEvent::Frame(text) => self.on_frame(&text, now),
            TransportEvent::Closed(error) => self.on_closed(error, now),
        }
    }

    /// R6: the login envelope is the first frame of every link.
    fn on_connected(&mut self, now: Instant) {
        let Some(link) = &mut self.link else {
            return;
        };
        if !matches!(link.phase, LinkPhase::Connecting { .. }) {
            return;
        }
        link.phase = LinkPhase::Authenticating {
            deadline: now + Duration::from_millis(self.config.login_timeout_ms),
        };
        if let Some(session) = &self.session {
            let packet = Packet::login(self.dialect, &session.login_info());
            self.write_packet(&packet);
        }
        self.set_state(State::Authenticating, StateReason::Connected, 0, 0);
    }

    fn on_closed(&mut self, error: LinkError, now: Instant) {
        let Some(link) = self.link.take() else {
            return;
        };
        if link.is_online() {
            let reason = match error {
                LinkError::Closed => LinkClosedReason::ServerClosed,
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
                LinkError::Io(e) => format!("connect failed: {e}"),
                LinkError::Tls(e) => format!("TLS failed: {e}"),
                LinkError::TooLarge => "inbound frame too large".to_string(),
            };
            self.attempt_failed(code, &what, now);
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

    /// R10–R13: the 50 while AUTHENTICATING.
    pub(super) fn on_login_response(
        &mut self,
        response: Result<LoginResponse, PayloadError>,
        now: Instant,
    ) {
        let relogin = self.session.as_ref().is_some_and(|s| !s.manual_pending);
        let code = match response {
            Ok(LoginResponse {
                code: 0,
                first_login_time,
            }) => {
                self.login_accepted(first_login_time, relogin, now);
                return;
            }
            Ok(r) => r.code,
            Err(e) => {
                self.log(LogLevel::Warn, format!("undecodable login response: {e}"));
                codes::INVALID_PACKET
            }
        };
        self.log(LogLevel::Warn, format!("login refused with code {code}"));
        self.close_link();
        self.end_session(Terminal::LoginFailed { code, relogin }, now);
    }

    fn login_accepted(&mut self, first_login_time: i64, relogin: bool, now: Instant) {
        let keepalive = Keepalive::start(
            self.ms(self.config.keepalive_interval_ms),
            self.ms(self.config.keepalive_timeout_ms),
            now,
        );
        if let Some(link) = &mut self.link {
            link.phase = LinkPhase::Online {
                since: now,
                keepalive,
            };
        }
        if let Some(session) = &mut self.session {
            // R11: only the first 50 code 0 of a session sets it.
            if !session.first_login_stored {
                session.first_login_stored = true;
                if first_login_time > 0 {
                    session.first_login_time = first_login_time;
                }
            }
            session.manual_pending = false;
        }
        self.set_state(State::Online, StateReason::LoginAccepted, 0, 0);
        self.flush_queue(now);
        self.dedup.refresh_all(now);
        self.emit(Event::LoginResult { code: 0, relogin });
    }

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
        self.session = None;
        self.backoff.reset();
        if self.state != State::Idle {
            self.set_state(State::Idle, reason, 0, 0);
        }
    }

    pub(super) fn ms(&self, ms: u64) -> Duration {
        Duration::from_millis(ms)
    }
}
