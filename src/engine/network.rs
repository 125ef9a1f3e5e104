//! Network availability hints (R58): down closes the link and stops attempts; up starts
//! attempt 1 at once when WAITING.

use std::time::Instant;

use crate::log::LogLevel;
use crate::protocol::codes;

use super::end_session::Terminal;
use super::types::{LinkClosedReason, State, StateReason};
use super::Engine;

impl Engine {
    pub(super) fn on_network_hint(&mut self, available: bool, now: Instant) {
        let was_available = self.network_available;
        self.network_available = available;
        self.log(
            LogLevel::Info,
            format!(
                "network reported {}",
                if available {
                    "available"
                } else {
                    "unavailable"
                }
            ),
        );
        if available {
            if self.state == State::Waiting {
                self.backoff.immediate_first_attempt();
                self.start_relogin_attempt(now);
            }
            return;
        }
        if !was_available || self.session.is_none() {
            return;
        }
        let manual = self.session.as_ref().is_some_and(|s| s.manual_pending);
        match self.state {
            State::Online => self.link_lost(LinkClosedReason::NetworkDown, true, now),
            State::Connecting | State::Authenticating if manual => {
                self.close_link();
                self.end_session(
                    Terminal::LoginFailed {
                        code: codes::NETWORK_DOWN,
                        relogin: false,
                    },
                    now,
                );
            }
            State::Connecting | State::Authenticating | State::Waiting => {
                self.close_link();
                self.retry_at = None;
                self.set_state(State::Waiting, StateReason::NetworkDown, 0, 0);
            }
            State::Idle => {}
        }
    }
}
