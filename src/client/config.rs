//! Client configuration and its checks at init (DESIGN.md §3.1): URL (205), options (1000).

use std::time::Duration;

use crate::engine::EngineConfig;
use crate::error::{Error, Result};
use crate::protocol::Dialect;
use crate::transport::{Connector, TlsOptions, TransportConfig};

/// Smallest and largest accepted `max_inbound_bytes`.
pub const MIN_INBOUND_BYTES: usize = 1024;
pub const MAX_INBOUND_BYTES: usize = 64 << 20;

/// Client configuration. [`Config::new`] fills every default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `ws://` or `wss://` URL of the server (205 when missing or malformed).
    pub url: String,
    /// seed only: optional WebSocket subprotocol (D16).
    pub subprotocol: Option<String>,
    /// Engine timings and caps (dialect included). `rng_seed` is drawn per client.
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

    /// Checks everything and prepares what a client needs: the connector and the engine
    /// configuration with a fresh random jitter seed.
    pub(crate) fn prepare(&self) -> Result<(Connector, EngineConfig)> {
        if self.subprotocol.is_some() && self.engine.dialect == Dialect::MobileImSdk {
            return Err(Error::invalid_argument(
                "subprotocol is for the seed dialect only (mobileimsdk negotiates none, D16)",
            ));
        }
        if !(MIN_INBOUND_BYTES..=MAX_INBOUND_BYTES).contains(&self.max_inbound_bytes) {
            return Err(Error::invalid_argument(format!(
                "max_inbound_bytes must be in {MIN_INBOUND_BYTES}..={MAX_INBOUND_BYTES}"
            )));
        }
        self.engine.validate()?;
        let connector = Connector::new(TransportConfig {
            url: self.url.clone(),
            subprotocol: self.subprotocol.clone(),
            connect_timeout: Duration::from_millis(self.engine.connect_timeout_ms),
            max_inbound_bytes: self.max_inbound_bytes,
            tls: self.tls.clone(),
        })?;
        let mut engine = self.engine.clone();
        engine.rng_seed = random_seed();
        Ok((connector, engine))
    }
}

fn random_seed() -> u64 {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let mut seed = [0u8; 8];
    seed.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(seed) ^ u64::from_le_bytes(bytes[8..].try_into().unwrap_or([0; 8]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::codes;

    #[test]
    fn defaults_are_valid_for_both_dialects() {
        for dialect in [Dialect::Seed, Dialect::MobileImSdk] {
            assert!(Config::new("ws://127.0.0.1:3000/websocket", dialect)
                .prepare()
                .is_ok());
        }
    }

    #[test]
    fn r5_missing_or_malformed_url_is_205() {
        for url in ["", "http://h/", "ws://", "localhost:3000"] {
            let err = Config::new(url, Dialect::Seed).prepare().unwrap_err();
            assert_eq!(err.code, codes::NO_SERVER, "{url:?}");
        }
    }

    #[test]
    fn d16_subprotocol_with_mobileimsdk_is_refused() {
        let mut config = Config::new("ws://h/websocket", Dialect::MobileImSdk);
        config.subprotocol = Some("x".into());
        assert_eq!(config.prepare().unwrap_err().code, codes::INVALID_ARGUMENT);
        let mut config = Config::new("ws://h/ws", Dialect::Seed);
        config.subprotocol = Some("x".into());
        assert!(config.prepare().is_ok());
    }

    #[test]
    fn r60_bad_options_are_1000() {
        let mut config = Config::new("ws://h/ws", Dialect::Seed);
        config.engine.keepalive_timeout_ms = config.engine.keepalive_interval_ms;
        assert_eq!(config.prepare().unwrap_err().code, codes::INVALID_ARGUMENT);
        let mut config = Config::new("ws://h/ws", Dialect::Seed);
        config.max_inbound_bytes = 10;
        assert_eq!(config.prepare().unwrap_err().code, codes::INVALID_ARGUMENT);
        let mut config = Config::new("wss://h/ws", Dialect::Seed);
        config.tls.spki_pins = vec!["nope".into()];
        assert_eq!(config.prepare().unwrap_err().code, codes::INVALID_ARGUMENT);
    }

    #[test]
    fn every_client_draws_its_own_seed() {
        let config = Config::new("ws://h/ws", Dialect::Seed);
        let (_, a) = config.prepare().unwrap();
        let (_, b) = config.prepare().unwrap();
        assert_ne!(a.rng_seed, b.rng_seed);
    }
}
