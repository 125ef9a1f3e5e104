//! The listener: binds (and re-binds on the same port), accepts TCP connections, runs the
//! TLS and WebSocket handshakes and hands each connection to its own task.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::header::SEC_WEBSOCKET_PROTOCOL;
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::connection;
use crate::log::debug;
use crate::registry::{LiveGuard, Router};

/// Largest frame and message accepted (D21); larger ones close the link with 1009.
pub(crate) const FRAME_CAP: usize = 65_536;

/// Small buffers: benchmarks hold thousands of idle connections (4 KiB read buffer
/// ≈ 6 KiB per connection instead of ~134 KiB with the defaults).
pub(crate) fn websocket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
        .max_message_size(Some(FRAME_CAP))
        .max_frame_size(Some(FRAME_CAP))
}

/// A running accept loop.
pub(crate) struct Listener {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Listener {
    /// Stops accepting and waits until the listening socket is closed.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }

    /// Stops accepting without waiting (for `Drop`).
    pub fn abort(self) {
        self.task.abort();
    }
}

/// Binds `addr` (address reuse on, so a restart can take the same port at once).
pub(crate) fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    // Benchmarks connect thousands of clients at once (the kernel caps this at somaxconn).
    socket.listen(4096)
}

/// Starts accepting on `listener`.
pub(crate) fn spawn_listener(
    listener: TcpListener,
    router: Arc<Router>,
    tls: Option<TlsAcceptor>,
) -> Listener {
    let (stop, mut stopped) = oneshot::channel();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                accepted = listener.accept() => match accepted {
                    Ok((tcp, peer)) => {
                        debug!("accepted {peer}");
                        let _ = tcp.set_nodelay(true);
                        // Counted and subscribed here, before the task runs, so a
                        // stop_listening() right after this accept cannot miss it.
                        let live = router.live_guard();
                        let stop = router.close_all_signal();
                        tokio::spawn(handle_socket(tcp, router.clone(), tls.clone(), live, stop));
                    }
                    Err(e) => {
                        // Out of descriptors or similar: back off instead of spinning.
                        debug!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                },
            }
        }
    });
    Listener { stop, task }
}

async fn handle_socket(
    tcp: TcpStream,
    router: Arc<Router>,
    tls: Option<TlsAcceptor>,
    _live: LiveGuard,
    mut stop: watch::Receiver<u64>,
) {
    let accepted_at = Instant::now();
    // Handshakes are bounded by the idle timeout in both dialects.
    let deadline = accepted_at + Duration::from_millis(router.config.idle_timeout_ms);
    match tls {
        Some(acceptor) => {
            let accepted = tokio::select! {
                accepted = tokio::time::timeout_at(deadline, Box::pin(acceptor.accept(tcp))) => accepted,
                _ = stop.changed() => return,
            };
            match accepted {
                Ok(Ok(stream)) => {
                    Box::pin(upgrade_and_serve(stream, &router, stop, accepted_at)).await
                }
                Ok(Err(e)) => debug!("TLS handshake failed: {e}"),
                Err(_) => debug!("TLS handshake timed out"),
            }
        }
        None => Box::pin(upgrade_and_serve(tcp, &router, stop, accepted_at)).await,
    }
}

/// The first protocol of the request's `Sec-WebSocket-Protocol` header, if any.
fn offered_subprotocol(request: &Request) -> Option<HeaderValue> {
    let offered = request
        .headers()
        .get(SEC_WEBSOCKET_PROTOCOL)?
        .to_str()
        .ok()?;
    let first = offered.split(',').next()?.trim();
    if first.is_empty() {
        return None;
    }
    HeaderValue::from_str(first).ok()
}

async fn upgrade_and_serve<S>(
    stream: S,
    router: &Arc<Router>,
    mut stop: watch::Receiver<u64>,
    accepted_at: Instant,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let config = &router.config;
    // The callback's error type is tungstenite's HTTP response; its size is not ours to pick.
    #[allow(clippy::result_large_err)]
    let check_path = |request: &Request, mut response: Response| {
        let uri = request.uri();
        if config.accepts_path(uri.path(), uri.query().is_some()) {
            // seed lets clients ask for a subprotocol (D16): agree to the first one offered,
            // as a server configured for it would. mobileimsdk never negotiates one.
            if config.dialect.spec().allows_subprotocol {
                if let Some(first) = offered_subprotocol(request) {
                    response.headers_mut().insert(SEC_WEBSOCKET_PROTOCOL, first);
                }
            }
            Ok(response)
        } else {
            debug!("upgrade for {uri} refused: path is not {}", config.path);
            let mut refusal = ErrorResponse::new(Some("not found".to_string()));
            *refusal.status_mut() = StatusCode::NOT_FOUND;
            Err(refusal)
        }
    };
    // Boxed, like the connection below, so a connection's task keeps only the memory of
    // the stage it is in (thousands of connections are held open in benchmarks).
    let upgrade = Box::pin(tokio_tungstenite::accept_hdr_async_with_config(
        stream,
        check_path,
        Some(websocket_config()),
    ));
    let upgraded = tokio::select! {
        upgraded = tokio::time::timeout_at(accepted_at + Duration::from_millis(config.idle_timeout_ms), upgrade) => upgraded,
        _ = stop.changed() => return,
    };
    match upgraded {
        Ok(Ok(ws)) => Box::pin(connection::serve(ws, router.clone(), stop, accepted_at)).await,
        Ok(Err(e)) => debug!("WebSocket handshake failed: {e}"),
        Err(_) => debug!("WebSocket handshake timed out"),
    }
}
