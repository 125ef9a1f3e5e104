//! What the logs say about opening a link (INFO): the server URL without what may carry a
//! credential (user info, query), and the TLS parameters a handshake agreed on.

use std::fmt;

use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tungstenite::http::Uri;

use crate::log::{self, LogLevel};

/// A URL as logs show it: `wss://host:443/path`, with `?<redacted>` standing for a query
/// and any `user:password@` left out.
pub struct RedactedUrl<'a> {
    pub(super) uri: &'a Uri,
    pub(super) host: &'a str,
    pub(super) port: u16,
}

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.uri.scheme_str().unwrap_or("ws");
        if self.host.contains(':') {
            write!(f, "{scheme}://[{}]:{}", self.host, self.port)?;
        } else {
            write!(f, "{scheme}://{}:{}", self.host, self.port)?;
        }
        f.write_str(self.uri.path())?;
        if self.uri.query().is_some() {
            f.write_str("?<redacted>")?;
        }
        Ok(())
    }
}

/// INFO: the protocol version and cipher suite of a completed handshake.
pub(super) fn log_tls_session(stream: &TlsStream<TcpStream>, host: &str, port: u16) {
    if !log::enabled(LogLevel::Info) {
        return;
    }
    let (_, session) = stream.get_ref();
    match (
        session.protocol_version(),
        session.negotiated_cipher_suite(),
    ) {
        (Some(version), Some(suite)) => log::write_args(
            LogLevel::Info,
            format_args!("TLS with {host}:{port}: {version:?}, {:?}", suite.suite()),
        ),
        _ => log::write_args(LogLevel::Info, format_args!("TLS with {host}:{port}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(url: &str, host: &str, port: u16) -> String {
        let uri: Uri = url.parse().unwrap();
        RedactedUrl {
            uri: &uri,
            host,
            port,
        }
        .to_string()
    }

    #[test]
    fn user_info_and_query_never_appear() {
        assert_eq!(
            shown(
                "wss://bob:pw@im.example.com/ws?token=abc",
                "im.example.com",
                443
            ),
            "wss://im.example.com:443/ws?<redacted>"
        );
        assert_eq!(
            shown("ws://127.0.0.1:3000/websocket", "127.0.0.1", 3000),
            "ws://127.0.0.1:3000/websocket"
        );
        assert_eq!(shown("ws://[::1]:7901", "::1", 7901), "ws://[::1]:7901/");
    }
}
