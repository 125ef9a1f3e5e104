//! The sans-IO protocol engine: every client rule of PROTOCOL.md §7 as a state machine
//! that performs no IO and never reads a clock (time is an argument).
//!
//! Inputs: the API methods (`login`, `send`, …), [`Engine::handle_transport`] and
//! [`Engine::handle_timeout`]. Outputs: [`Engine::poll_action`] (connect, write, close,
//! emit an event) and [`Engine::poll_timeout`] (the earliest deadline it needs).
//!
//! Where each rule lives: `session.rs` (login, attempts, login response: R1, R5–R13),
//! `link_loss.rs` (R18–R25), `end_session.rs` (R30–R34), `receive.rs` (R26–R29,
//! R35–R42, R56, R57), `delivery.rs` (R36's ACK once delivered, the callback backlog:
//! R61), `send.rs` (R3, R43–R52, R59, R62), `timers.rs` (deadlines: R6, R14, R16, R20,
//! R47), `network.rs` (R58), `output.rs` (actions), with the data structures
//! `qos_send.rs`, `dedup.rs`, `keepalive.rs`, `relogin.rs`, `busy.rs`, `link.rs`, `rng.rs`.
//!
//! Choices where PROTOCOL.md leaves room:
//! - Link-closed is reported only for links that reached ONLINE (§9.1), so a re-login's
//!   `login_timeout` shows as WAITING for the next attempt, never as `LoginTimeout`.
//! - End of session (R34): lost(CANCELLED), then the terminal event, then
//!   StateChanged(IDLE, reason). For logout that state change is the terminal event; for
//!   release it is followed by `Released`.
//! - A kickout before the manual login has its result reports LoginResult(202) first, so
//!   every accepted `login()` still gets exactly one result.
//! - Network down (R58) with a session: WAITING, reason NETWORK_DOWN, attempt 0, no
//!   deadline. Network up in WAITING starts attempt 1 at once (CONNECTING, no WAITING event).
//! - The reactions of R26/R56/R57 run only for codes in the dialect's `error_codes`; other
//!   codes are reported as server errors and nothing else. An undecodable 52 is only logged.
//! - 302s arriving inside an open busy window are one burst and leave it alone (busy.rs).
//! - Size checks (R3) use the largest form a frame can take: a QoS message with seed's
//!   widest `retryCount`, a login with the widest `firstLoginTime`.
//! - `echo()` needs ONLINE (201; 1 without a session). Application fps are at most 64
//!   bytes, QoS or not. Generated fps are UUID v4 from a generator the OS seeds, never from `rng_seed`.
//! - De-duplication (R38) covers every ACKed QoS frame except a login response, which is
//!   ACKed but never held back (a server reusing its fp must not stall a login).
//! - Liveness (R16) is one exact deadline (last valid envelope + `keepalive_timeout`), and
//!   the R24 counter reset is decided when the link is lost (same observable result).

mod busy;
mod config;
mod dedup;
mod delivery;
mod end_session;
mod event_log;
mod fp_hash;
mod frame_log;
mod keepalive;
mod link;
mod link_loss;
mod network;
mod output;
mod qos_send;
mod receive;
mod relogin;
mod rng;
mod send;
mod session;
mod timers;
mod types;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub use config::{
    EngineConfig, DEFAULT_MAX_CALLBACK_BACKLOG, DEFAULT_MAX_CALLBACK_BACKLOG_BYTES,
    DEFAULT_MAX_OUTBOUND_BYTES,
};
pub use delivery::ReadBudget;
pub use types::*;

use crate::error::{Error, Result};
use crate::protocol::{codes, Dialect};

use busy::BusyWindow;
use dedup::DedupSet;
use delivery::Delivery;
use link::Link;
use qos_send::QosSendQueue;
use relogin::Backoff;
use rng::Rng;
use session::Session;

/// The protocol state machine of one client.
pub struct Engine {
    config: EngineConfig,
    dialect: Dialect,
    /// R32: once set, every API call fails with 1004 and no input is processed.
    released: bool,
    state: State,
    /// From an accepted `login()` to the end of the session (R34).
    session: Option<Session>,
    /// The one link (R1); `None` in IDLE and WAITING.
    link: Option<Link>,
    next_conn_id: u64,
    queue: QosSendQueue,
    dedup: DedupSet,
    backoff: Backoff,
    busy: BusyWindow,
    /// WAITING: when the next re-login attempt starts (R20); `None` when none is scheduled.
    retry_at: Option<Instant>,
    /// R47: next QoS tick while a session exists.
    qos_tick_at: Option<Instant>,
    /// R58: assumed available until told otherwise.
    network_available: bool,
    rng: Rng,
    actions: VecDeque<Action>,
    stats: Stats,
    /// R36, R61: the callback backlog and the ACKs waiting for it.
    delivery: Delivery,
    /// R62: bytes waiting to be written: what the link holds, as the driver last said,
    /// plus the frames written since (what a send is admitted against).
    outbound_bytes: usize,
    /// R62: what the link itself holds, as the driver last said (at most the cap; the
    /// figure `stats()` reports).
    link_outbound_bytes: usize,
    /// R62: the most ever waiting on one link.
    outbound_peak_bytes: usize,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Deliberately partial: the session holds the token.
        f.debug_struct("Engine")
            .field("dialect", &self.dialect)
            .field("state", &self.state)
            .field("user_id", &self.user_id())
            .field("conn_id", &self.link.as_ref().map(|l| l.conn_id))
            .field("pending_qos", &self.queue.len())
            .field("released", &self.released)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Checks `config` (R60) and creates an IDLE engine.
    pub fn new(config: EngineConfig) -> Result<Engine> {
        config.validate()?;
        Ok(Engine {
            dialect: config.dialect,
            released: false,
            state: State::Idle,
            session: None,
            link: None,
            next_conn_id: 1,
            queue: QosSendQueue::default(),
            dedup: DedupSet::new(Duration::from_millis(config.dedup_ttl_ms), config.dedup_cap),
            backoff: Backoff::new(config.relogin_base_ms, config.relogin_max_ms),
            busy: BusyWindow::new(
                Duration::from_millis(config.busy_backoff_ms),
                Duration::from_millis(config.busy_backoff_max_ms),
            ),
            retry_at: None,
            qos_tick_at: None,
            network_available: true,
            rng: Rng::new(config.rng_seed),
            actions: VecDeque::new(),
            stats: Stats {
                last_keepalive_rtt_ms: -1,
                ..Stats::default()
            },
            delivery: Delivery::new(
                config.max_callback_backlog,
                config.max_callback_backlog_bytes,
            ),
            outbound_bytes: 0,
            link_outbound_bytes: 0,
            outbound_peak_bytes: 0,
            config,
        })
    }

    /// R5: start a session. Ok = accepted; exactly one login result follows.
    pub fn login(&mut self, req: LoginRequest, now: Instant) -> Result<()> {
        self.check_usable()?;
        self.start_session(req, now)
    }

    /// R43–R46: returns the fingerprint used (empty for a non-QoS message without one).
    pub fn send(&mut self, req: SendRequest, now: Instant) -> Result<String> {
        self.check_usable()?;
        self.send_message(req, now)
    }

    /// R30: end the session (writes type 3 when ONLINE).
    pub fn logout(&mut self, now: Instant) -> Result<()> {
        self.check_usable()?;
        self.logout_session(now)
    }

    /// R32: end any session without type 3; `Released` is the last event.
    pub fn release(&mut self, now: Instant) {
        if self.released {
            return;
        }
        if self.session.is_some() {
            self.end_session(end_session::Terminal::Released, now);
        }
        self.released = true;
        self.emit(Event::Released);
    }

    /// R58: network availability hint from the platform.
    pub fn network_changed(&mut self, available: bool, now: Instant) {
        if self.released {
            return;
        }
        self.on_network_hint(available, now);
    }

    /// R59: write a type-5 echo; the answer arrives as [`Event::Echo`].
    pub fn echo(&mut self, text: &str, now: Instant) -> Result<()> {
        self.check_usable()?;
        self.send_echo(text, now)
    }

    /// Input from the transport about connection `conn_id` (stale ids are ignored, R1).
    pub fn handle_transport(&mut self, conn_id: u64, event: TransportEvent, now: Instant) {
        if self.released {
            return;
        }
        self.on_transport(conn_id, event, now);
    }

    /// Run every deadline that is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.released {
            return;
        }
        self.run_due_timers(now);
    }

    /// The earliest deadline, if any; call [`Engine::handle_timeout`] then.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.released {
            return None;
        }
        self.earliest_deadline()
    }

    /// R36/R61: the application has finished with the first `total` events this engine
    /// ever emitted (their callbacks returned, or they were discarded at release). The
    /// ACKs of the QoS messages among them are written now (or after the next login when
    /// no link is ONLINE), and reading may resume once the backlog has drained.
    pub fn events_delivered(&mut self, total: u64, now: Instant) {
        if self.released {
            return;
        }
        self.on_events_delivered(total, now);
    }

    /// How many events the engine has emitted so far.
    pub fn events_emitted(&self) -> u64 {
        self.delivery.emitted()
    }

    /// R61: how much the driver may read from its link now; nothing while the callback
    /// backlog is at its cap.
    pub fn read_budget(&self) -> ReadBudget {
        self.delivery.read_budget()
    }

    /// R62: the bytes waiting to be written on the current link (queued and in flight)
    /// and the most that ever waited on it, as the driver sees them.
    pub fn outbound_changed(&mut self, bytes: usize, peak: usize) {
        self.outbound_peak_bytes = self.outbound_peak_bytes.max(peak).max(bytes);
        // Frames the driver has not taken yet wait as well.
        let not_taken: usize = self
            .actions
            .iter()
            .map(|action| match action {
                Action::Send { text, .. } => text.len(),
                _ => 0,
            })
            .sum();
        self.outbound_bytes = bytes + not_taken;
        self.link_outbound_bytes = bytes;
    }

    /// R62: the most bytes that may wait to be written on a link.
    pub fn max_outbound_bytes(&self) -> usize {
        self.config.max_outbound_bytes
    }

    /// The next action for the driver, in order.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// Current session state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Counters and gauges.
    pub fn stats(&self) -> Stats {
        let (backlog, backlog_bytes) = self.delivery.backlog();
        Stats {
            pending_qos: self.queue.len() as u64,
            callback_backlog: backlog as u64,
            callback_backlog_bytes: backlog_bytes as u64,
            outbound_bytes: self.link_outbound_bytes as u64,
            outbound_peak_bytes: self.outbound_peak_bytes as u64,
            ..self.stats
        }
    }

    /// The logged-in user id while a session exists.
    pub fn user_id(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.user_id.as_str())
    }

    /// QoS messages currently pending (R45).
    pub fn pending_count(&self) -> usize {
        self.queue.len()
    }

    /// Whether `release()` was called (R32).
    pub fn is_released(&self) -> bool {
        self.released
    }

    /// The dialect this engine speaks.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    fn check_usable(&self) -> Result<()> {
        if self.released {
            return Err(Error::new(
                codes::INVALID_HANDLE,
                "the client was released; create a new one",
            ));
        }
        Ok(())
    }
}
