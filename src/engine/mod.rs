//! The sans-IO protocol engine: every client rule of PROTOCOL.md §7 as a state machine
//! that performs no IO and never reads a clock (time is an argument).
//!
//! Inputs: the API methods (`login`, `send`, …), [`Engine::handle_transport`] and
//! [`Engine::handle_timeout`]. Outputs: [`Engine::poll_action`] (connect, write, close,
//! emit an event) and [`Engine::poll_timeout`] (the earliest deadline it needs).

mod config;
mod types;

use std::time::Instant;

pub use config::EngineConfig;
pub use types::*;

use crate::error::Result;

/// The protocol state machine of one client.
pub struct Engine {
    _config: EngineConfig,
}

impl Engine {
    /// Checks `config` (R60) and creates an IDLE engine.
    pub fn new(config: EngineConfig) -> Result<Engine> {
        config.validate()?;
        Ok(Engine { _config: config })
    }

    /// R5: start a session. Ok = accepted; exactly one login result follows.
    pub fn login(&mut self, _req: LoginRequest, _now: Instant) -> Result<()> {
        todo!("engine: login")
    }

    /// R43–R46: returns the fingerprint used (empty for a non-QoS message without one).
    pub fn send(&mut self, _req: SendRequest, _now: Instant) -> Result<String> {
        todo!("engine: send")
    }

    /// R30: end the session (writes type 3 when ONLINE).
    pub fn logout(&mut self, _now: Instant) -> Result<()> {
        todo!("engine: logout")
    }

    /// R32: end any session without type 3; `Released` is the last event.
    pub fn release(&mut self, _now: Instant) {
        todo!("engine: release")
    }

    /// R58: network availability hint from the platform.
    pub fn network_changed(&mut self, _available: bool, _now: Instant) {
        todo!("engine: network_changed")
    }

    /// R59: write a type-5 echo; the answer arrives as [`Event::Echo`].
    pub fn echo(&mut self, _text: &str, _now: Instant) -> Result<()> {
        todo!("engine: echo")
    }

    /// Input from the transport about connection `conn_id` (stale ids are ignored, R1).
    pub fn handle_transport(&mut self, _conn_id: u64, _event: TransportEvent, _now: Instant) {
        todo!("engine: handle_transport")
    }

    /// Run every deadline that is due at `now`.
    pub fn handle_timeout(&mut self, _now: Instant) {
        todo!("engine: handle_timeout")
    }

    /// The earliest deadline, if any; call [`Engine::handle_timeout`] then.
    pub fn poll_timeout(&self) -> Option<Instant> {
        todo!("engine: poll_timeout")
    }

    /// The next action for the driver, in order.
    pub fn poll_action(&mut self) -> Option<Action> {
        todo!("engine: poll_action")
    }

    /// Current session state.
    pub fn state(&self) -> State {
        todo!("engine: state")
    }

    /// Counters and gauges.
    pub fn stats(&self) -> Stats {
        todo!("engine: stats")
    }
}
