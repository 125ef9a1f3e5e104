//! The session and its attempts (R5–R13): `login()`, each connect attempt, the login
//! frame, transport input routing (R1) and the login response.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::log::LogLevel;
use crate::protocol::{
    codes, LoginInfo, LoginResponse, Packet, PayloadError, MAX_ID_BYTES, SERVER_ID, UNSET_ID,
};

use super::end_session::Terminal;
use super::keepalive::Keepalive;
use super::link::{Link, LinkPhase};
use super::types::{Event, LoginRequest, State, StateReason, TransportEvent};
use super::Engine;

/// What a session keeps across links (R22, R53). No `Debug`: it holds the token.
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
        if req.user_id.len() > MAX_ID_BYTES {
            return Err(Error::invalid_argument(format!(
                "user id is {} bytes (at most {MAX_ID_BYTES})",
                req.user_id.len()
            )));
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
        self.write_owed_acks();
        self.dedup.refresh_all(now);
        self.emit(Event::LoginResult { code: 0, relogin });
    }

    pub(super) fn ms(&self, ms: u64) -> Duration {
        Duration::from_millis(ms)
    }
}
