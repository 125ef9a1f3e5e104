//! One task per WebSocket connection: reads frames, writes what its channel brings
//! (batched, one flush per burst), enforces the idle timeout and closes with 1000 "Bye"
//! (1009 for an oversized frame).

use std::sync::Arc;
use std::time::Duration;

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
use crate::outbound::{ConnId, Outbound, ServerAck};
use crate::registry::Router;
use crate::session::{Flow, Session};

/// Frames written per flush at most, so one busy connection cannot starve its reads.
const MAX_BATCH: usize = 64;
/// How long a closing connection waits for the peer's close reply.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// How a connection ends.
enum End {
    /// The peer closed, vanished or failed: nothing more to write.
    Gone,
    /// The server closes with this code and "Bye".
    Close(CloseCode),
}

/// Serves one upgraded connection until it ends. `idle_deadline` counts from TCP accept.
pub(crate) async fn serve<S>(
    mut ws: WebSocketStream<S>,
    router: Arc<Router>,
    mut stop: watch::Receiver<u64>,
    mut idle_deadline: Instant,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn = router.add_conn(tx.clone());
    let mut session = Session::new(conn, tx, router.clone());
    let idle = Duration::from_millis(router.config.idle_timeout_ms);
    let end = loop {
        tokio::select! {
            incoming = ws.next() => {
                let flow = match incoming {
                    None => Err(End::Gone),
                    Some(Ok(Message::Text(text))) => {
                        idle_deadline = Instant::now() + idle;
                        match session.on_text(text.as_str()) {
                            Flow::Continue => Ok(()),
                            Flow::Close => Err(End::Close(CloseCode::Normal)),
                        }
                    }
                    Some(Ok(Message::Binary(_))) => {
                        debug!("conn {conn}: binary frame, closing");
                        Err(End::Close(CloseCode::Normal))
                    }
                    // tungstenite queued the close reply; it goes out while draining.
                    Some(Ok(Message::Close(_))) => Err(End::Close(CloseCode::Normal)),
                    Some(Ok(_)) => Ok(()),
                    Some(Err(WsError::Capacity(CapacityError::MessageTooLong { size, .. }))) => {
                        debug!("conn {conn}: {size}-byte frame, closing with 1009");
                        Err(End::Close(CloseCode::Size))
                    }
                    Some(Err(e)) => {
                        debug!("conn {conn}: {e}");
                        Err(End::Gone)
                    }
                };
                if let Err(end) = flow {
                    if let End::Close(_) = end {
                        // Replies decided before the close (a 301, a refusal) go first.
                        if let Ok(first) = rx.try_recv() {
                            let _ = write_burst(&mut ws, &router, conn, first, &mut rx).await;
                        }
                    }
                    break end;
                }
            }
            Some(first) = rx.recv() => {
                if let Err(end) = write_burst(&mut ws, &router, conn, first, &mut rx).await {
                    break end;
                }
            }
            _ = tokio::time::sleep_until(idle_deadline) => {
                debug!("conn {conn}: idle timeout");
                break End::Close(CloseCode::Normal);
            }
            _ = stop.changed() => break End::Close(CloseCode::Normal),
        }
    };
    router.remove_conn(conn);
    if let End::Close(code) = end {
        close(&mut ws, code).await;
    }
}

/// Writes `first` and whatever else is already queued, then flushes once.
async fn write_burst<S>(
    ws: &mut WebSocketStream<S>,
    router: &Router,
    conn: ConnId,
    first: Outbound,
    rx: &mut mpsc::UnboundedReceiver<Outbound>,
) -> Result<(), End>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut acks: Vec<ServerAck> = Vec::new();
    let mut close_after = false;
    let mut next = Some(first);
    let mut written = 0;
    while let Some(item) = next.take() {
        let text = match item {
            Outbound::Frame(text) => text,
            Outbound::Forward { text, then } => {
                acks.extend(then);
                text
            }
            Outbound::Close => {
                close_after = true;
                break;
            }
        };
        debug!("conn {conn} -> {text}");
        if ws.feed(Message::text(text)).await.is_err() {
            return Err(End::Gone);
        }
        written += 1;
        if written < MAX_BATCH {
            next = rx.try_recv().ok();
        }
    }
    if ws.flush().await.is_err() {
        return Err(End::Gone);
    }
    for ack in acks {
        router.send_server_ack(ack);
    }
    if close_after {
        return Err(End::Close(CloseCode::Normal));
    }
    Ok(())
}

/// Sends the close frame, then waits (bounded) for the peer to finish, so the close frame
/// is read before the TCP connection goes away.
async fn close<S>(ws: &mut WebSocketStream<S>, code: CloseCode)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let frame = CloseFrame {
        code,
        reason: "Bye".into(),
    };
    if ws.close(Some(frame)).await.is_err() {
        return;
    }
    let drain = async {
        if code == CloseCode::Size {
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
