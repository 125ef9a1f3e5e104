//! The records of state changes (INFO) and of the events the application receives (INFO,
//! WARN, ERROR, TRACE), formatted only when their level is enabled. Like every record of
//! the engine they name users and fingerprints, never tokens or message contents.

use std::fmt;

use crate::log::{self, LogLevel};
use crate::protocol::codes;

use super::frame_log::{Shown, Size};
use super::types::{Event, LossReason, LostMessage, State, StateReason};
use super::Engine;

/// Lost fingerprints named in one record at most; the rest are counted.
const LOST_FPS_SHOWN: usize = 5;

impl Engine {
    /// INFO: `state CONNECTING -> AUTHENTICATING: connected, login written as alice`.
    pub(super) fn log_state_change(
        &mut self,
        to: State,
        reason: StateReason,
        attempt: u32,
        delay_ms: u64,
    ) {
        if !log::enabled(LogLevel::Info) {
            return;
        }
        let why = match reason {
            StateReason::LoginRequested => "login requested".to_string(),
            StateReason::Connected => format!(
                "connected, login written as {}",
                Shown(self.user_id().unwrap_or(""))
            ),
            StateReason::LoginAccepted => "login accepted".to_string(),
            StateReason::Reconnecting => {
                format!("re-login attempt {attempt} scheduled in {delay_ms} ms")
            }
            StateReason::AttemptStarted => "re-login attempt started".to_string(),
            StateReason::LoginFailed => "login failed".to_string(),
            StateReason::LoggedOut => "logged out".to_string(),
            StateReason::Kicked => "kicked by the server".to_string(),
            StateReason::Released => "released".to_string(),
            StateReason::LinkLost => "link lost, no auto re-login".to_string(),
            StateReason::NetworkDown => "network unavailable".to_string(),
        };
        let line = format!(
            "state {} -> {}: {why}",
            state_name(self.state),
            state_name(to)
        );
        self.log(LogLevel::Info, line);
    }

    /// The record of an event handed to the application, at the level it deserves.
    pub(super) fn log_event(&mut self, event: &Event) {
        let Some(level) = event_level(event).filter(|l| log::enabled(*l)) else {
            return;
        };
        let line = match event {
            Event::LoginResult { code, relogin } => {
                let which = if *relogin { "re-login" } else { "login" };
                if *code == codes::OK {
                    format!(
                        "{which} succeeded as {}",
                        Shown(self.user_id().unwrap_or(""))
                    )
                } else {
                    format!("{which} failed with code {code}")
                }
            }
            Event::ServerError { code, message } => {
                format!("server error {code}, message {}", Size(message))
            }
            Event::MessagesLost(lost) => LostLine(lost).to_string(),
            Event::Released => "released".to_string(),
            Event::MessageAcked { fp } => format!("message {} acked", Shown(fp)),
            Event::Message(m) => format!(
                "message {} from {} to {} dispatched, content {}",
                Shown(&m.fp),
                Shown(&m.from),
                Shown(&m.to),
                Size(&m.content)
            ),
            Event::Echo { text } => format!("echo answered, text {}", Size(text)),
            Event::StateChanged { .. } | Event::Kicked { .. } | Event::LinkClosed { .. } => return,
        };
        self.log(level, line);
    }
}

/// `None`: the event has a record of its own where it arises (state changes, kicks and
/// link losses are logged with their cause).
fn event_level(event: &Event) -> Option<LogLevel> {
    Some(match event {
        // A TLS failure means a certificate or configuration to fix, not bad luck.
        Event::LoginResult { code, .. } if *code == codes::TLS => LogLevel::Error,
        Event::LoginResult { code, .. } if *code != codes::OK => LogLevel::Warn,
        Event::LoginResult { .. } | Event::Released => LogLevel::Info,
        Event::ServerError { .. } | Event::MessagesLost(_) => LogLevel::Warn,
        // The frames already show these at DEBUG.
        Event::MessageAcked { .. } | Event::Message(_) | Event::Echo { .. } => LogLevel::Trace,
        Event::StateChanged { .. } | Event::Kicked { .. } | Event::LinkClosed { .. } => {
            return None
        }
    })
}

fn state_name(state: State) -> &'static str {
    match state {
        State::Idle => "IDLE",
        State::Connecting => "CONNECTING",
        State::Authenticating => "AUTHENTICATING",
        State::Online => "ONLINE",
        State::Waiting => "WAITING",
    }
}

/// `2 messages lost (no ACK after the last resend): fp1, fp2`.
struct LostLine<'a>(&'a [LostMessage]);

impl fmt::Display for LostLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lost = self.0;
        let reason = match lost.first().map(|m| m.reason) {
            Some(LossReason::Timeout) => "no ACK after the last resend",
            Some(LossReason::Cancelled) => "the session ended",
            Some(LossReason::Rejected) => "refused by the server",
            None => "",
        };
        write!(f, "{} message(s) lost ({reason}):", lost.len())?;
        for m in lost.iter().take(LOST_FPS_SHOWN) {
            write!(f, " {}", Shown(&m.fp))?;
        }
        if lost.len() > LOST_FPS_SHOWN {
            write!(f, " and {} more", lost.len() - LOST_FPS_SHOWN)?;
        }
        Ok(())
    }
}
