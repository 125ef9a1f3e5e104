//! Login handling (§6.1, §6.2): the token check, the refusal frame, registration and
//! the duplicate-login rules of each dialect.

use imsdk::protocol::{codes, packet_type, Dialect, LoginInfo, LoginResponse, UNSET_ID};

use crate::log::debug;
use crate::outbound::{Closing, ConnId, ConnTx, Outbound};
use crate::registry::{server_packet, Registered, Router};

/// What became of a login.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LoginOutcome {
    /// Registered; the 50 is queued.
    Online,
    /// Refused or superseded at once: the frames and the close are queued.
    Closing,
}

impl Router {
    /// The refusal code for this login, if it is refused.
    fn refusal(&self, info: &LoginInfo) -> Option<i32> {
        if let Some(code) = self.faults.refuse_logins() {
            return Some(code);
        }
        let tokens = self.config.tokens.as_ref()?;
        match tokens.get(&info.user_id) {
            Some(token) if *token == info.token => None,
            _ => Some(self.config.default_refusal_code()),
        }
    }

    fn login_response_frame(&self, to: &str, code: i32, first_login_time: i64) -> String {
        let response = LoginResponse {
            code,
            first_login_time,
        };
        self.encode(&server_packet(
            packet_type::LOGIN_RESPONSE,
            to,
            response.encode(self.dialect()),
        ))
    }

    /// A second login on an already logged-in connection: another 50 code 0, no check.
    pub(crate) fn relogin_same_connection(&self, tx: &ConnTx, user: &str) {
        let first_login_time = self
            .state
            .lock()
            .online
            .get(user)
            .map_or(0, |r| r.first_login_time);
        let _ = tx.send(Outbound::Frame(self.login_response_frame(
            user,
            codes::OK,
            first_login_time,
        )));
    }

    /// Checks, answers and registers a login from connection `conn`.
    pub(crate) fn login(&self, conn: ConnId, tx: &ConnTx, info: &LoginInfo) -> LoginOutcome {
        let user = info.user_id.as_str();
        if let Some(code) = self.refusal(info) {
            debug!("login of {user} refused with {code}");
            // mobileimsdk answers a refusal to "-1" (captured); the seed fixture names the user.
            let to = match self.dialect() {
                Dialect::MobileImSdk => UNSET_ID,
                Dialect::Seed => user,
            };
            let _ = tx.send(Outbound::Frame(self.login_response_frame(to, code, -1)));
            let _ = tx.send(Outbound::Close(Closing::BYE));
            return LoginOutcome::Closing;
        }
        let first_login_time = if info.first_login_time > 0 {
            info.first_login_time
        } else {
            crate::clock::now_ms()
        };
        let ok = self.login_response_frame(user, codes::OK, first_login_time);
        let mut state = self.state.lock();
        if let Some(entry) = state.conns.get_mut(&conn) {
            entry.user = Some(user.to_string());
        }
        let previous = state
            .online
            .get(user)
            .filter(|r| r.conn != conn)
            .map(|r| (r.conn, r.first_login_time));
        // The old connection: its kickout frame (mobileimsdk) and how it is closed.
        let kick_old = match (previous, self.dialect()) {
            (None, _) => None,
            // seed has no kickout frame: the close itself says why (docs/protocol.md R29).
            (Some((old, _)), Dialect::Seed) => Some((old, None, Closing::REPLACED)),
            (Some((old, old_time)), Dialect::MobileImSdk) => {
                let new_time = info.first_login_time;
                if new_time == 0 || new_time > old_time {
                    Some((
                        old,
                        Some(self.kickout_frame(user, codes::KICK_DUPLICATE_LOGIN, None)),
                        Closing::BYE,
                    ))
                } else if new_time == old_time {
                    None
                } else {
                    debug!("login of {user} is older than the registered one: kicked");
                    let _ = tx.send(Outbound::Frame(ok));
                    let kickout = self.kickout_frame(user, codes::KICK_DUPLICATE_LOGIN, None);
                    let _ = tx.send(Outbound::Frame(kickout));
                    let _ = tx.send(Outbound::Close(Closing::BYE));
                    return LoginOutcome::Closing;
                }
            }
        };
        if let Some((old, kickout, closing)) = kick_old {
            debug!("{user} logged in again: previous connection closed");
            if let Some(old_entry) = state.conns.get(&old) {
                if let Some(frame) = kickout {
                    let _ = old_entry.tx.send(Outbound::Frame(frame));
                }
                let _ = old_entry.tx.send(Outbound::Close(closing));
            }
        }
        // The 50 is queued before the user becomes reachable, so nothing overtakes it.
        let _ = tx.send(Outbound::Frame(ok));
        state.online.insert(
            user.to_string(),
            Registered {
                conn,
                first_login_time,
            },
        );
        drop(state);
        debug!("{user} online");
        if self.keeps_offline_messages() {
            self.flush_offline(user);
        }
        LoginOutcome::Online
    }
}
