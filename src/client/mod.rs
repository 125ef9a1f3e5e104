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
