//! What a dev server is started with: dialect, address, login and group tables, timings.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};

use imsdk::protocol::Dialect;

/// Certificate and key (PEM) for serving `wss://`.
#[derive(Debug, Clone)]
pub struct TlsServerConfig {
    /// The server certificate first, then any intermediates.
    pub cert_chain_pem: String,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key_pem: String,
}

/// Everything [`crate::DevServer::start`] needs. Build it with [`DevServerConfig::new`] and
/// change the fields you care about.
#[derive(Debug, Clone)]
pub struct DevServerConfig {
    /// Which protocol the server speaks.
    pub dialect: Dialect,
    /// Where to listen; port 0 lets the OS choose. Default `127.0.0.1:0`.
    pub listen: SocketAddr,
    /// mobileimsdk: the only path answered (default `/websocket`, matched exactly, no
    /// query); other paths are rejected with HTTP 404. seed: any path is accepted; this
    /// one (default `/ws`) is only used in [`crate::DevServer::ws_url`].
    pub path: String,
    /// `None`: every login is accepted. `Some(table)`: user id → token; anything else is
    /// refused.
    pub tokens: Option<HashMap<String, String>>,
    /// seed: group id → member user ids. Unused by mobileimsdk (no groups there).
    pub groups: HashMap<String, Vec<String>>,
    /// A connection with no text frame for this long is closed (pings do not count).
    /// Counted from TCP accept, unless `login_wait_ms` is set.
    pub idle_timeout_ms: u64,
    /// `None` (mobileimsdk): the idle timeout counts from TCP accept, as upstream's does
    /// (PROTOCOL.md §6.1). `Some(ms)` (seed): the idle timeout starts at login; before
    /// it, a connection may stay open this long (default 5 min), so a client that
    /// connects early and logs in later (as the TypeScript SDK did) keeps its link.
    pub login_wait_ms: Option<u64>,
    /// A forwarded QoS message the recipient has not acked is written once more after this.
    pub resend_after_ms: u64,
    /// seed: messages kept per offline user (oldest dropped first).
    pub offline_queue_cap: usize,
    /// seed: above this many data frames per second from one connection, 302 replies.
    pub max_msgs_per_sec: Option<u32>,
    /// Serve `wss://` with this certificate.
    pub tls: Option<TlsServerConfig>,
}

impl DevServerConfig {
    /// The defaults of `dialect`: loopback on an OS-chosen port, every login accepted, no
    /// groups, the dialect's idle timeout (seed: from login, within 5 min of connecting;
    /// mobileimsdk: from connect), resend after 3 s.
    pub fn new(dialect: Dialect) -> Self {
        let spec = dialect.spec();
        DevServerConfig {
            dialect,
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            path: spec.url_path.unwrap_or(SEED_DISPLAY_PATH).to_string(),
            tokens: None,
            groups: HashMap::new(),
            idle_timeout_ms: spec.server_idle_timeout_ms,
            login_wait_ms: match dialect {
                Dialect::Seed => Some(SEED_LOGIN_WAIT_MS),
                Dialect::MobileImSdk => None,
            },
            resend_after_ms: 3_000,
            offline_queue_cap: 1_000,
            max_msgs_per_sec: None,
            tls: None,
        }
    }

    /// Whether the path of an upgrade request is answered.
    pub(crate) fn accepts_path(&self, path: &str, has_query: bool) -> bool {
        match self.dialect.spec().url_path {
            Some(_) => path == self.path && !has_query,
            None => true,
        }
    }

    /// The refusal code of a login that fails the token check (PROTOCOL.md §4: upstream
    /// convention ≥ 1025; the seed fixtures use 103).
    pub(crate) fn default_refusal_code(&self) -> i32 {
        match self.dialect {
            Dialect::MobileImSdk => 1025,
            Dialect::Seed => 103,
        }
    }
}

/// seed: how long a connection may wait for its login (the idle timeout starts there).
const SEED_LOGIN_WAIT_MS: u64 = 300_000;

/// seed servers have no fixed path (D15); the TS demo used this one.
const SEED_DISPLAY_PATH: &str = "/ws";
