//! One task per WebSocket connection: reads frames, writes what its channel brings
//! (batched, one flush per burst, reading all the while), enforces the idle timeout and
//! completes the closing handshake either way: it answers a client's close frame, and
//! closes itself with 1000 "Bye" (1009 for an oversized frame, seed 4001 for a session
//! replaced by a newer login).

use std::collections::VecDeque;
use std::sync::Arc;
use std::task::ready;
use std::time::Duration;

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::error::{CapacityError, Error as WsError};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::log::debug;
use crate::outbound::{Closing, ConnId, Outbound, ServerAck};
use crate::registry::Router;
use crate::session::{Flow, Session};

/// Frames written per flush at most, so one busy connection cannot starve its reads.
const MAX_BATCH: usize = 64;
/// How long a closing connection waits for the peer's close reply.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// How a connection ends.
enum End {
    /// The peer vanished or failed: nothing more to write.
    Gone,
    /// The peer sent a close frame: the server answers it (RFC 6455 §5.5.1), then drops TCP.
    PeerClosed,
    /// The server closes with this code and reason.
    Close(Closing),
}

/// Serves one upgraded connection until it ends. `accepted_at` is the TCP accept: the
/// idle timeout counts from there, or (with `login_wait_ms`, seed) from the login.
///
/// Reads go on while a burst is being written: a peer that writes without reading while
/// we write to it would otherwise fill both TCP directions and stall the connection.
pub(crate) async fn serve<S>(
    ws: WebSocketStream<S>,
    router: Arc<Router>,
    mut stop: watch::Receiver<u64>,
    accepted_at: Instant,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn = router.add_conn(tx.clone());
    let mut session = Session::new(conn, tx, router.clone());
    let idle = Duration::from_millis(router.config.idle_timeout_ms);
    let login_wait = router.config.login_wait_ms.map(Duration::from_millis);
    let mut idle_deadline = accepted_at + login_wait.unwrap_or(idle);
    let (sink, mut stream) = ws.split();
    let mut writer = Writer::new(sink);
    let end = loop {
        tokio::select! {
            incoming = stream.next() => {
                let flow = match incoming {
                    None => Err(End::Gone),
                    Some(Ok(Message::Text(text))) => {
                        let flow = session.on_text(text.as_str());
                        // Text frames count once logged in, or from the start without a
                        // login wait (upstream).
                        if login_wait.is_none() || session.is_logged_in() {
                            idle_deadline = Instant::now() + idle;
                        }
                        match flow {
                            Flow::Continue => Ok(()),
                            Flow::Close => Err(End::Close(Closing::BYE)),
                        }
                    }
                    Some(Ok(Message::Binary(_))) => {
                        debug!("conn {conn}: binary frame, closing");
                        Err(End::Close(Closing::BYE))
                    }
                    // tungstenite queued the close reply; it goes out in answer_close.
                    Some(Ok(Message::Close(_))) => Err(End::PeerClosed),
                    Some(Ok(_)) => Ok(()),
                    Some(Err(WsError::Capacity(CapacityError::MessageTooLong { size, .. }))) => {
                        debug!("conn {conn}: {size}-byte frame, closing with 1009");
                        Err(End::Close(Closing::TOO_BIG))
                    }
                    Some(Err(e)) => {
                        debug!("conn {conn}: {e}");
                        Err(End::Gone)
                    }
                };
                if let Err(end) = flow {
                    if let End::Close(_) = end {
                        // Replies decided before the close (a 301, a refusal) go first.
                        let _ = writer.finish(&router, conn, &mut rx).await;
                    }
                    break end;
                }
            }
            Some(first) = rx.recv(), if writer.is_idle() => {
                writer.start(conn, first, &mut rx);
            }
            written = writer.written(), if !writer.is_idle() => {
                if let Err(end) = writer.settle(written, &router) {
                    break end;
                }
            }
            _ = tokio::time::sleep_until(idle_deadline) => {
                debug!("conn {conn}: idle timeout");
                break End::Close(Closing::BYE);
            }
            _ = stop.changed() => break End::Close(Closing::BYE),
        }
    };
    router.remove_conn(conn);
    if matches!(end, End::Gone) {
        return;
    }
    let Ok(ws) = stream.reunite(writer.sink) else {
        return;
    };
    match end {
        End::Close(closing) => close(ws, closing).await,
        End::PeerClosed | End::Gone => answer_close(ws).await,
    }
}

/// The writing half of a connection and the burst it is writing: frames are handed to
/// the sink one by one and flushed once; acks to release after the write, and whether
/// the burst ends the connection.
struct Writer<S> {
    sink: SplitSink<WebSocketStream<S>, Message>,
    burst: VecDeque<String>,
    acks: Vec<ServerAck>,
    close_after: Option<Closing>,
    busy: bool,
}

impl<S> Writer<S>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    fn new(sink: SplitSink<WebSocketStream<S>, Message>) -> Writer<S> {
        Writer {
            sink,
            burst: VecDeque::new(),
            acks: Vec::new(),
            close_after: None,
            busy: false,
        }
    }

    fn is_idle(&self) -> bool {
        !self.busy
    }

    /// Takes `first` and whatever else is queued (at most [`MAX_BATCH`] frames) as the
    /// next burst.
    fn start(&mut self, conn: ConnId, first: Outbound, rx: &mut mpsc::UnboundedReceiver<Outbound>) {
        self.busy = true;
        let mut next = Some(first);
        while let Some(item) = next.take() {
            let text = match item {
                Outbound::Frame(text) => text,
                Outbound::Forward { text, then } => {
                    self.acks.extend(then);
                    text
                }
                Outbound::Close(closing) => {
                    self.close_after = Some(closing);
                    break;
                }
            };
            debug!("conn {conn} -> {text}");
            self.burst.push_back(text);
            if self.burst.len() < MAX_BATCH {
                next = rx.try_recv().ok();
            }
        }
    }

    /// Completes once the burst is written and flushed; cancel-safe (progress lives in
    /// `self`), so it can sit in a `select!` beside the reads.
    async fn written(&mut self) -> Result<(), End> {
        std::future::poll_fn(|cx| {
            while !self.burst.is_empty() {
                ready!(self.sink.poll_ready_unpin(cx)).map_err(|_| End::Gone)?;
                if let Some(text) = self.burst.pop_front() {
                    self.sink
                        .start_send_unpin(Message::text(text))
                        .map_err(|_| End::Gone)?;
                }
            }
            self.sink.poll_flush_unpin(cx).map_err(|_| End::Gone)
        })
        .await
    }

    /// After [`Writer::written`]: releases the burst's acks; the connection ends if the
    /// write failed or the burst asked to close.
    fn settle(&mut self, written: Result<(), End>, router: &Router) -> Result<(), End> {
        self.busy = false;
        written?;
        for ack in self.acks.drain(..) {
            router.send_server_ack(ack);
        }
        if let Some(closing) = self.close_after.take() {
            return Err(End::Close(closing));
        }
        Ok(())
    }

    /// Before a close: writes the burst in progress, then the replies already queued.
    async fn finish(
        &mut self,
        router: &Router,
        conn: ConnId,
        rx: &mut mpsc::UnboundedReceiver<Outbound>,
    ) -> Result<(), End> {
        if self.busy {
            let written = self.written().await;
            self.settle(written, router)?;
        }
        if let Ok(first) = rx.try_recv() {
            self.start(conn, first, rx);
            let written = self.written().await;
            self.settle(written, router)?;
        }
        Ok(())
    }
}

/// Answers the peer's close frame with the reply tungstenite queued (the peer's own code),
/// then drops TCP: as the server, it closes the connection first (RFC 6455 §7.1.1).
/// `WebSocketStream::close` would refuse to send after the peer's close and drop the
/// reply, and the peer would see the connection end without one (1006).
async fn answer_close<S>(mut ws: WebSocketStream<S>)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let _ = tokio::time::timeout(CLOSE_WAIT, SinkExt::close(&mut ws)).await;
}

/// Sends the close frame, then waits (bounded) for the peer's reply, so the close frame
/// is read before the TCP connection goes away.
async fn close<S>(mut ws: WebSocketStream<S>, closing: Closing)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let frame = CloseFrame {
        code: CloseCode::from(closing.code),
        reason: closing.reason.into(),
    };
    if ws.close(Some(frame)).await.is_err() {
        return;
    }
    let drain = async {
        if closing == Closing::TOO_BIG {
            // The oversized frame is still arriving: discard raw bytes rather than
            // buffering them in the WebSocket reader.
            // On the heap: an array here would enlarge every connection's future.
            let mut sink = vec![0u8; 4096];
            while matches!(ws.get_mut().read(&mut sink).await, Ok(n) if n > 0) {}
        } else {
            while let Some(Ok(_)) = ws.next().await {}
        }
    };
    let _ = tokio::time::timeout(CLOSE_WAIT, drain).await;
}
