//! The link a driver owns (one `conn_id`, at most one at a time): connecting, then open.
//! The driver polls [`Connection::poll_event`] in the same `select!` as its API wake-ups
//! and deadlines, so connecting, reading and writing all progress without the driver
//! ever awaiting the network: a stalled socket delays neither API calls nor timers, and
//! no channel or second task sits between the socket and the engine.
//!
//! Bounded both ways: frames are read only when the driver asks for them (R61), and the
//! bytes waiting to be written (queued and in flight) never exceed `max_outbound`: a
//! frame that would pass it ends the link instead (a link loss, R62), since a server
//! that stopped reading would otherwise make the client hold everything it writes.

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::engine::{LinkError, TransportEvent};
use crate::transport::{Connector, Link, LinkReader, LinkWriter};

type Connecting = Pin<Box<dyn Future<Output = Result<Link, LinkError>> + Send + 'static>>;

/// A batch being written; it hands the writer back when done.
type WriteInFlight =
    Pin<Box<dyn Future<Output = (LinkWriter, Result<(), LinkError>)> + Send + 'static>>;

/// One link of a driver.
pub struct Connection {
    conn_id: u64,
    state: State,
    /// Frames the engine wrote that are not handed to the socket yet (while connecting or
    /// while the previous batch is in flight); they go out as one batch, one flush.
    queued: Vec<String>,
    queued_bytes: usize,
    /// Bytes of the batch being written.
    in_flight_bytes: usize,
    /// The most bytes that waited at once.
    peak_bytes: usize,
    /// R62: cap of `queued_bytes + in_flight_bytes`.
    max_outbound: usize,
    /// Set when the cap was passed; reported as the link's end by the next poll.
    failed: Option<LinkError>,
}

enum State {
    // Boxed: the connect state (TLS and upgrade included) is large and needed only once.
    Connecting(Connecting),
    Open {
        reader: LinkReader,
        /// `None` while a batch is in flight (the write future holds the writer).
        writer: Option<LinkWriter>,
        in_flight: Option<WriteInFlight>,
    },
    /// Reported closed; nothing more comes from it.
    Ended,
}

impl Connection {
    /// Starts connecting; progress happens in [`Connection::poll_event`]. At most
    /// `max_outbound` bytes may wait to be written.
    pub fn connect(conn_id: u64, connector: Arc<Connector>, max_outbound: usize) -> Connection {
        Connection {
            conn_id,
            state: State::Connecting(Box::pin(async move { connector.connect().await })),
            queued: Vec::new(),
            queued_bytes: 0,
            in_flight_bytes: 0,
            peak_bytes: 0,
            max_outbound,
            failed: None,
        }
    }

    /// Bytes waiting to be written now (queued and in flight), and the most ever.
    pub fn outbound(&self) -> (usize, usize) {
        (self.queued_bytes + self.in_flight_bytes, self.peak_bytes)
    }

    pub fn conn_id(&self) -> u64 {
        self.conn_id
    }

    /// Queues a frame; call [`Connection::start_writing`] once the burst is queued. A
    /// frame that would make more than `max_outbound` bytes wait ends the link (R62).
    pub fn queue(&mut self, frame: String) {
        if self.failed.is_some() || matches!(self.state, State::Ended) {
            return;
        }
        let waiting = self.queued_bytes + self.in_flight_bytes + frame.len();
        if waiting > self.max_outbound {
            self.failed = Some(LinkError::Io(format!(
                "{waiting} bytes would wait to be written (max_outbound_bytes {}): \
                 the server is not reading",
                self.max_outbound
            )));
            self.queued = Vec::new();
            self.queued_bytes = 0;
            return;
        }
        self.peak_bytes = self.peak_bytes.max(waiting);
        self.queued_bytes += frame.len();
        self.queued.push(frame);
    }

    /// Hands everything queued to the socket as one batch, unless a batch is in flight
    /// (then it follows that one) or the link is not open yet.
    pub fn start_writing(&mut self) {
        if self.queued.is_empty() {
            return;
        }
        if let State::Open {
            writer, in_flight, ..
        } = &mut self.state
        {
            if let Some(mut idle) = writer.take() {
                let batch = mem::take(&mut self.queued);
                self.in_flight_bytes = mem::take(&mut self.queued_bytes);
                *in_flight = Some(Box::pin(async move {
                    let result = idle.write_batch(batch).await;
                    (idle, result)
                }));
            }
        }
    }

    /// The next thing the engine must hear of: connected, a frame, or the end of the
    /// link (after which it stays pending). Writes progress while this is polled: reads
    /// never wait for a write, or with both peers writing and neither reading both TCP
    /// directions would fill up and the link would stall until the keepalive timeout.
    /// Frames are read only if `read` (R61: the driver pauses reading); connecting and
    /// writing go on either way. Cancel-safe: all progress lives in `self`.
    pub fn poll_event(&mut self, cx: &mut Context<'_>, read: bool) -> Poll<TransportEvent> {
        if let Some(error) = self.failed.take() {
            return Poll::Ready(self.end(error));
        }
        loop {
            match &mut self.state {
                State::Ended => return Poll::Pending,
                State::Connecting(connecting) => {
                    let result = match connecting.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(result) => result,
                    };
                    return Poll::Ready(match result {
                        Ok(link) => {
                            let (reader, writer) = link.split();
                            self.state = State::Open {
                                reader,
                                writer: Some(writer),
                                in_flight: None,
                            };
                            self.start_writing();
                            TransportEvent::Connected
                        }
                        Err(error) => self.end(error),
                    });
                }
                State::Open {
                    reader,
                    writer,
                    in_flight,
                } => {
                    if let Some(write) = in_flight {
                        if let Poll::Ready((idle, result)) = write.as_mut().poll(cx) {
                            *in_flight = None;
                            self.in_flight_bytes = 0;
                            if let Err(error) = result {
                                return Poll::Ready(self.end(error));
                            }
                            *writer = Some(idle);
                            self.start_writing();
                            // A new batch (if any) must be polled once to register.
                            continue;
                        }
                    }
                    if !read {
                        return Poll::Pending;
                    }
                    return match reader.poll_next_text(cx) {
                        Poll::Pending => Poll::Pending,
                        Poll::Ready(Ok(text)) => Poll::Ready(TransportEvent::Frame(text)),
                        Poll::Ready(Err(error)) => Poll::Ready(self.end(error)),
                    };
                }
            }
        }
    }

    fn end(&mut self, error: LinkError) -> TransportEvent {
        self.state = State::Ended;
        self.queued = Vec::new();
        self.queued_bytes = 0;
        self.in_flight_bytes = 0;
        TransportEvent::Closed(error)
    }

    /// Writes what is queued (after the batch in flight), then closes (1000, each step
    /// at most `close_timeout`) on a task of its own. Nothing is reported for this link
    /// afterwards. Must be called on the runtime.
    pub fn close(self, close_timeout: Duration) {
        let State::Open {
            reader,
            writer,
            in_flight,
        } = self.state
        else {
            // Connecting: dropping the connect future drops the socket.
            return;
        };
        let queued = self.queued;
        tokio::spawn(async move {
            let writer = match (writer, in_flight) {
                (Some(writer), _) => writer,
                (None, Some(write)) => match tokio::time::timeout(close_timeout, write).await {
                    Ok((writer, Ok(()))) => writer,
                    _ => return,
                },
                (None, None) => return,
            };
            let Some(mut link) = Link::reunite(reader, writer) else {
                return;
            };
            if !queued.is_empty()
                && !matches!(
                    tokio::time::timeout(close_timeout, link.write_batch(queued)).await,
                    Ok(Ok(()))
                )
            {
                return;
            }
            link.close(close_timeout).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use futures_util::{SinkExt, StreamExt};
    use tokio::sync::oneshot;
    use tungstenite::Message;

    use super::*;
    use crate::transport::test_support::{config, serve_once};

    fn connector(url: String) -> Arc<Connector> {
        Arc::new(Connector::new(config(url)).unwrap())
    }

    async fn next_event(conn: &mut Connection) -> TransportEvent {
        std::future::poll_fn(|cx| conn.poll_event(cx, true)).await
    }

    /// A server that never reads: the client's big batch cannot be flushed, yet the frame
    /// the server writes meanwhile must still be reported.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn frames_are_read_while_a_write_waits_for_the_peer() {
        let (go_tx, go_rx) = oneshot::channel::<()>();
        let (url, server) = serve_once(|mut ws| async move {
            let _ = go_rx.await;
            ws.send(Message::text("from the server")).await.unwrap();
            // Keep the socket open (and unread) until the test is done.
            tokio::time::sleep(Duration::from_secs(30)).await;
        })
        .await;
        let mut conn = Connection::connect(1, connector(url), 64 << 20);
        assert_eq!(next_event(&mut conn).await, TransportEvent::Connected);
        // Far more than loopback socket buffers hold: this write cannot finish.
        for _ in 0..600 {
            conn.queue("x".repeat(60_000));
        }
        conn.start_writing();
        let pending = tokio::time::timeout(Duration::from_millis(200), next_event(&mut conn));
        assert!(pending.await.is_err(), "nothing should have arrived yet");
        go_tx.send(()).unwrap();
        let event = tokio::time::timeout(Duration::from_secs(10), next_event(&mut conn)).await;
        assert!(
            matches!(event, Ok(TransportEvent::Frame(ref text)) if text == "from the server"),
            "the frame was not read while the write was pending: {event:?}"
        );
        conn.close(Duration::from_millis(200));
        server.abort();
    }

    /// Frames queued while connecting leave with the first batch once the link is open.
    #[tokio::test]
    async fn frames_queued_while_connecting_are_written_once_open() {
        let (got_tx, got_rx) = oneshot::channel::<Vec<String>>();
        let (url, _server) = serve_once(|mut ws| async move {
            let mut got = Vec::new();
            while got.len() < 2 {
                match ws.next().await {
                    Some(Ok(Message::Text(text))) => got.push(text.as_str().to_owned()),
                    other => panic!("unexpected {other:?}"),
                }
            }
            ws.send(Message::text("done")).await.unwrap();
            let _ = got_tx.send(got);
        })
        .await;
        let mut conn = Connection::connect(7, connector(url), 64 << 20);
        conn.queue("one".into());
        conn.queue("two".into());
        conn.start_writing(); // not open yet: stays queued
        assert_eq!(next_event(&mut conn).await, TransportEvent::Connected);
        let event = tokio::time::timeout(Duration::from_secs(10), next_event(&mut conn)).await;
        assert_eq!(event.unwrap(), TransportEvent::Frame("done".into()));
        assert_eq!(got_rx.await.unwrap(), vec!["one", "two"]);
        conn.close(Duration::from_millis(200));
    }

    /// R62: past `max_outbound` the link ends (the driver reports a link loss) instead
    /// of holding what a non-reading server does not take.
    #[tokio::test]
    async fn r62_a_frame_past_max_outbound_ends_the_link() {
        let (url, server) = serve_once(|_ws| async move {
            tokio::time::sleep(Duration::from_secs(30)).await;
        })
        .await;
        let mut conn = Connection::connect(3, connector(url), 100_000);
        assert_eq!(next_event(&mut conn).await, TransportEvent::Connected);
        conn.queue("a".repeat(60_000));
        assert_eq!(conn.outbound(), (60_000, 60_000));
        conn.queue("b".repeat(60_000));
        let event = tokio::time::timeout(Duration::from_secs(10), next_event(&mut conn)).await;
        assert!(
            matches!(event, Ok(TransportEvent::Closed(LinkError::Io(ref why))) if why.contains("not reading")),
            "{event:?}"
        );
        assert_eq!(conn.outbound().0, 0);
        server.abort();
    }

    /// R61: with reading paused, a frame waits in the socket until reading resumes.
    #[tokio::test]
    async fn r61_no_frame_is_read_while_reading_is_paused() {
        let (url, server) = serve_once(|mut ws| async move {
            ws.send(Message::text("waiting")).await.unwrap();
            tokio::time::sleep(Duration::from_secs(30)).await;
        })
        .await;
        let mut conn = Connection::connect(4, connector(url), 1 << 20);
        assert_eq!(next_event(&mut conn).await, TransportEvent::Connected);
        let paused = tokio::time::timeout(
            Duration::from_millis(300),
            std::future::poll_fn(|cx| conn.poll_event(cx, false)),
        );
        assert!(paused.await.is_err(), "a frame was read while paused");
        let event = tokio::time::timeout(Duration::from_secs(10), next_event(&mut conn)).await;
        assert_eq!(event.unwrap(), TransportEvent::Frame("waiting".into()));
        server.abort();
    }
}
