//! The Rust API: [`Client`] joins the engine and the transport on the shared runtime and
//! hands events to the shared callback dispatcher (DESIGN.md §2–3).

use crate::engine::EngineConfig;
use crate::protocol::Dialect;
use crate::transport::TlsOptions;

pub use crate::engine::{
    Event, LinkClosedReason, LossReason, LostMessage, Message, SendRequest, State, StateReason,
    Stats,
};

/// Client configuration. [`Config::new`] fills every default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `ws://` or `wss://` URL of the server (205 when missing or malformed).
    pub url: String,
    /// seed only: optional WebSocket subprotocol (D16).
    pub subprotocol: Option<String>,
    /// Engine timings and caps (dialect included).
    pub engine: EngineConfig,
    /// Inbound frames larger than this fail the link (default 1 MiB).
    pub max_inbound_bytes: usize,
    pub tls: TlsOptions,
}

impl Config {
    /// Defaults of PROTOCOL.md §8 for `dialect`.
    pub fn new(url: impl Into<String>, dialect: Dialect) -> Config {
        Config {
            url: url.into(),
            subprotocol: None,
            engine: EngineConfig::new(dialect),
            max_inbound_bytes: 1 << 20,
            tls: TlsOptions::default(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// API surface (implemented by the client work; signatures are the contract for ffi/).
//
// pub trait EventHandler: Send + 'static { fn on_event(&mut self, event: &Event); }
// impl<F: FnMut(&Event) + Send + 'static> EventHandler for F { .. }
//
// #[derive(Clone)] pub struct Client { .. }
// impl Client {
//     pub fn new(config: Config, handler: impl EventHandler) -> Result<Client>;   // 205 bad URL, 1000 bad option
//     pub fn login(&self, req: LoginRequest) -> Result<()>;
//     pub fn send(&self, req: SendRequest) -> Result<String>;                     // the fp
//     pub fn logout(&self) -> Result<()>;
//     pub fn echo(&self, text: &str) -> Result<()>;
//     pub fn network_changed(&self, available: bool);
//     pub fn release(&self);           // barrier; deferred when called on the dispatcher thread
//     pub fn state(&self) -> State;
//     pub fn stats(&self) -> Stats;
// }
// After release every call returns Err with code 1004 (INVALID_HANDLE).
