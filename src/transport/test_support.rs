//! Helpers for tests that need a link: a plain transport config, a connect with it and a
//! one-shot in-process WebSocket server on 127.0.0.1 (OS port).

use std::future::Future;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;

use super::{Connector, Link, TlsOptions, TransportConfig};

/// ws:// `url`, 5 s connect timeout, 1 MiB frames, no TLS options.
pub(crate) fn config(url: String) -> TransportConfig {
    TransportConfig {
        url,
        subprotocol: None,
        connect_timeout: Duration::from_secs(5),
        max_inbound_bytes: 1 << 20,
        tls: TlsOptions::default(),
    }
}

/// An open link to the ws:// `url` with [`config`].
pub(crate) async fn connect(url: String) -> Link {
    Connector::new(config(url))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

/// Accepts one WebSocket and runs `script` on it; returns the ws:// URL.
pub(crate) async fn serve_once<F, Fut>(script: F) -> (String, tokio::task::JoinHandle<()>)
where
    F: FnOnce(WebSocketStream<TcpStream>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        script(ws).await;
    });
    (format!("ws://{addr}/websocket"), task)
}
