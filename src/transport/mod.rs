//! WebSocket over TCP or TLS (tokio-tungstenite + rustls/ring). Text frames only; no
//! protocol knowledge. Used by the client's driver task.

mod connect_log;
mod crypto_provider;
mod link;
mod pin;
mod spki;
mod stream;
mod tls;

use std::time::Duration;

pub use connect_log::RedactedUrl;
pub use link::{Connector, Link, LinkReader, LinkWriter};
pub use pin::{encode_pin, pin_of_certificate};

/// TLS options: verification is always on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// Extra trusted CA certificates, PEM text (added to the bundled Mozilla roots).
    pub extra_ca_pem: Option<String>,
    /// SPKI pins: base64 SHA-256 of a certificate's SubjectPublicKeyInfo; when non-empty,
    /// some certificate of a verified chain must match one of them: the server's own, an
    /// intermediate, or the trusted root (also when the server does not send it).
    pub spki_pins: Vec<String>,
}

/// Everything needed to open one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportConfig {
    /// `ws://` or `wss://` URL.
    pub url: String,
    /// Optional `Sec-WebSocket-Protocol` (seed only, D16).
    pub subprotocol: Option<String>,
    /// TCP + TLS + upgrade.
    pub connect_timeout: Duration,
    /// Inbound frames/messages larger than this fail the link.
    pub max_inbound_bytes: usize,
    pub tls: TlsOptions,
}

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
