//! One WebSocket link: open it (TCP, TLS, upgrade under one timeout), read text frames,
//! write batches of text frames, close cleanly.

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tungstenite::client::IntoClientRequest;
use tungstenite::http::{HeaderValue, Uri};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tungstenite::Message;

use super::connect_log::{log_tls_session, RedactedUrl};
use super::stream::LinkStream;
use super::{tls, TransportConfig};
use crate::engine::LinkError;
use crate::error::Error;
use crate::protocol::codes;

/// Everything checked and prepared once per client: the parsed URL and the TLS config.
#[derive(Clone)]
pub struct Connector {
    config: TransportConfig,
    uri: Uri,
    host: String,
    port: u16,
    tls: Option<(Arc<rustls::ClientConfig>, ServerName<'static>)>,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connector")
            .field("uri", &self.uri)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl Connector {
    /// Checks the URL (205 when missing or malformed) and the TLS options (1000).
    pub fn new(config: TransportConfig) -> Result<Connector, Error> {
        let bad_url = |why: &str| Error::new(codes::NO_SERVER, format!("server URL: {why}"));
        let url = config.url.trim();
        if url.is_empty() {
            return Err(bad_url("missing"));
        }
        let uri: Uri = url
            .parse()
            .map_err(|e| bad_url(&format!("{url:?} is malformed ({e})")))?;
        let secure = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("ws") => false,
            Some(s) if s.eq_ignore_ascii_case("wss") => true,
            _ => return Err(bad_url(&format!("{url:?} must start with ws:// or wss://"))),
        };
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad_url(&format!("{url:?} has no host")))?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
        if let Some(protocol) = &config.subprotocol {
            if protocol.is_empty() || HeaderValue::from_str(protocol).is_err() {
                return Err(Error::invalid_argument(
                    "subprotocol must be a non-empty header value",
                ));
            }
        }
        let tls = if secure {
            let client_config = tls::client_config(&config.tls)
                .map_err(|why| Error::invalid_argument(format!("TLS options: {why}")))?;
            let name = ServerName::try_from(host.clone())
                .map_err(|e| bad_url(&format!("{host:?} is not a valid TLS server name ({e})")))?;
            Some((client_config, name))
        } else {
            None
        };
        Ok(Connector {
            config,
            uri,
            host,
            port,
            tls,
        })
    }

    /// The server URL for logs: without user info and query, which may hold credentials.
    pub fn redacted_url(&self) -> RedactedUrl<'_> {
        RedactedUrl {
            uri: &self.uri,
            host: &self.host,
            port: self.port,
        }
    }

    /// Opens a link: TCP connect, TLS handshake, WebSocket upgrade, all within
    /// `connect_timeout`.
    pub async fn connect(&self) -> Result<Link, LinkError> {
        let limit = self.config.connect_timeout;
        match tokio::time::timeout(limit, self.connect_unbounded()).await {
            Ok(result) => result,
            Err(_) => Err(LinkError::Io(format!(
                "connect to {}:{} timed out after {} ms",
                self.host,
                self.port,
                limit.as_millis()
            ))),
        }
    }

    async fn connect_unbounded(&self) -> Result<Link, LinkError> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| LinkError::Io(format!("connect to {}:{}: {e}", self.host, self.port)))?;
        // Small frames (acks, keepalives) must not wait for Nagle.
        let _ = tcp.set_nodelay(true);
        let stream = match &self.tls {
            None => LinkStream::Plain(tcp),
            Some((client_config, name)) => {
                let connector = tokio_rustls::TlsConnector::from(client_config.clone());
                match connector.connect(name.clone(), tcp).await {
                    Ok(tls) => {
                        log_tls_session(&tls, &self.host, self.port);
                        LinkStream::Tls(Box::new(tls))
                    }
                    Err(e) => {
                        return Err(match tls::tls_reason(&e) {
                            Some(reason) => LinkError::Tls(reason),
                            None => LinkError::Io(format!("TLS handshake: {e}")),
                        })
                    }
                }
            }
        };
        let mut request = (&self.uri)
            .into_client_request()
            .map_err(|e| LinkError::Io(format!("WebSocket request: {e}")))?;
        if let Some(protocol) = &self.config.subprotocol {
            let value = HeaderValue::from_str(protocol)
                .map_err(|e| LinkError::Io(format!("subprotocol header: {e}")))?;
            request
                .headers_mut()
                .insert("Sec-WebSocket-Protocol", value);
        }
        let (ws, _response) = tokio_tungstenite::client_async_with_config(
            request,
            stream,
            Some(websocket_config(self.config.max_inbound_bytes)),
        )
        .await
        .map_err(|e| map_error(e, "WebSocket upgrade"))?;
        Ok(Link { ws })
    }
}

/// Bytes tungstenite gathers before it writes to the socket.
const WRITE_BUFFER_BYTES: usize = 16 * 1024;
/// Hard cap of tungstenite's own write buffer. The driver feeds one frame at a time and
/// waits for the socket (the sink's readiness), so the buffer holds at most
/// `WRITE_BUFFER_BYTES` plus one frame (at most 64 KiB, R3) plus a pong or close frame;
/// the cap turns any unbounded growth into a write error (a link loss).
const MAX_WRITE_BUFFER_BYTES: usize = WRITE_BUFFER_BYTES + 128 * 1024;

/// Explicit buffers: tungstenite's defaults cost ~134 KiB per idle link (TOOLCHAIN.md)
/// and let its write buffer grow without bound.
fn websocket_config(max_inbound_bytes: usize) -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES)
        .max_message_size(Some(max_inbound_bytes))
        .max_frame_size(Some(max_inbound_bytes))
}

fn map_error(error: tungstenite::Error, context: &str) -> LinkError {
    use tungstenite::error::ProtocolError;
    use tungstenite::Error as E;
    match error {
        E::ConnectionClosed | E::AlreadyClosed => LinkError::Closed,
        E::Protocol(ProtocolError::ResetWithoutClosingHandshake) => LinkError::Closed,
        E::Capacity(_) => LinkError::TooLarge,
        E::Io(e) => match tls::tls_reason(&e) {
            Some(reason) => LinkError::Tls(reason),
            None if e.kind() == std::io::ErrorKind::UnexpectedEof => LinkError::Closed,
            None => LinkError::Io(format!("{context}: {e}")),
        },
        E::Http(response) => LinkError::Io(format!(
            "{context}: server answered HTTP {}",
            response.status()
        )),
        other => LinkError::Io(format!("{context}: {other}")),
    }
}

/// An open WebSocket. Reading is cancel-safe, so it can sit in a `select!`.
pub struct Link {
    ws: WebSocketStream<LinkStream>,
}

/// The reading half of a [`Link`] (see [`Link::split`]).
pub struct LinkReader {
    stream: SplitStream<WebSocketStream<LinkStream>>,
}

/// The writing half of a [`Link`] (see [`Link::split`]).
pub struct LinkWriter {
    sink: SplitSink<WebSocketStream<LinkStream>, Message>,
}

impl Link {
    /// The next text frame. Binary frames are ignored (§2); pings are answered by
    /// tungstenite. A close frame with a code is [`LinkError::ClosedWith`] (code and
    /// reason), EOF or a close frame without one [`LinkError::Closed`].
    pub async fn next_text(&mut self) -> Result<String, LinkError> {
        next_text(&mut self.ws).await
    }

    /// Writes every frame, then flushes once (batching: TOOLCHAIN.md).
    pub async fn write_batch<I>(&mut self, frames: I) -> Result<(), LinkError>
    where
        I: IntoIterator<Item = String>,
    {
        write_batch(&mut self.ws, frames).await
    }

    /// Separates reading from writing, so that a write waiting for the peer to read never
    /// stops this side from reading: with both sides writing at once and neither reading,
    /// both TCP directions fill up and the link stalls for good.
    pub fn split(self) -> (LinkReader, LinkWriter) {
        let (sink, stream) = self.ws.split();
        (LinkReader { stream }, LinkWriter { sink })
    }

    /// Joins the halves of one link again (for [`Link::close`]); `None` if they belong to
    /// different links.
    pub fn reunite(reader: LinkReader, writer: LinkWriter) -> Option<Link> {
        reader
            .stream
            .reunite(writer.sink)
            .ok()
            .map(|ws| Link { ws })
    }

    /// Sends close 1000, waits at most `close_timeout` for the server's close, drops TCP.
    pub async fn close(mut self, close_timeout: Duration) {
        let frame = CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        };
        let _ = tokio::time::timeout(close_timeout, async {
            if self.ws.close(Some(frame)).await.is_err() {
                return;
            }
            while let Some(Ok(_)) = self.ws.next().await {}
        })
        .await;
    }
}

impl LinkReader {
    /// As [`Link::next_text`]; cancel-safe.
    pub async fn next_text(&mut self) -> Result<String, LinkError> {
        next_text(&mut self.stream).await
    }

    /// The poll form of [`LinkReader::next_text`], for owners that poll by hand.
    pub fn poll_next_text(&mut self, cx: &mut Context<'_>) -> Poll<Result<String, LinkError>> {
        loop {
            let item = match self.stream.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(item) => item,
            };
            if let Some(result) = text_of(item) {
                return Poll::Ready(result);
            }
        }
    }
}

impl LinkWriter {
    /// As [`Link::write_batch`].
    pub async fn write_batch<I>(&mut self, frames: I) -> Result<(), LinkError>
    where
        I: IntoIterator<Item = String>,
    {
        write_batch(&mut self.sink, frames).await
    }
}

async fn next_text<S>(stream: &mut S) -> Result<String, LinkError>
where
    S: futures_util::Stream<Item = Result<Message, tungstenite::Error>> + Unpin,
{
    loop {
        if let Some(result) = text_of(stream.next().await) {
            return result;
        }
    }
}

/// What one item of the stream means for a reader of text frames; `None`: skip it.
fn text_of(item: Option<Result<Message, tungstenite::Error>>) -> Option<Result<String, LinkError>> {
    match item {
        Some(Ok(Message::Text(text))) => Some(Ok(text.as_str().to_owned())),
        Some(Ok(Message::Close(Some(frame)))) => Some(Err(LinkError::ClosedWith {
            code: u16::from(frame.code),
            reason: frame.reason.as_str().to_owned(),
        })),
        Some(Ok(Message::Close(None))) | None => Some(Err(LinkError::Closed)),
        Some(Ok(_)) => None,
        Some(Err(e)) => Some(Err(map_error(e, "read"))),
    }
}

async fn write_batch<S, I>(sink: &mut S, frames: I) -> Result<(), LinkError>
where
    S: futures_util::Sink<Message, Error = tungstenite::Error> + Unpin,
    I: IntoIterator<Item = String>,
{
    for frame in frames {
        sink.feed(Message::text(frame))
            .await
            .map_err(|e| map_error(e, "write"))?;
    }
    sink.flush().await.map_err(|e| map_error(e, "write"))
}
