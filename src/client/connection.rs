//! One task per link (one `conn_id`): it connects, then owns the WebSocket, writing the
//! batches the driver queues and reporting frames and the end of the link back to the
//! driver tagged with its `conn_id`. The driver never awaits the network, so a stalled
//! socket can delay neither API calls nor the engine's timers.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Notify};

use crate::engine::{LinkError, TransportEvent};
use crate::transport::{Connector, Link, LinkWriter};

/// A batch being written; it hands the writer back when done.
type WriteInFlight =
    Pin<Box<dyn Future<Output = (LinkWriter, Result<(), LinkError>)> + Send + 'static>>;

/// A report from a link task to its driver.
pub type Report = (u64, TransportEvent);

/// The driver's side of one link task.
pub struct Connection {
    writes: mpsc::UnboundedSender<Vec<String>>,
    close: Arc<Notify>,
}

impl Connection {
    /// Starts connecting `conn_id` on the runtime.
    pub fn spawn(
        runtime: &tokio::runtime::Handle,
        conn_id: u64,
        connector: Arc<Connector>,
        close_timeout: Duration,
        reports: mpsc::Sender<Report>,
    ) -> Connection {
        let (writes, write_rx) = mpsc::unbounded_channel();
        let close = Arc::new(Notify::new());
        let task = LinkTask {
            conn_id,
            close_timeout,
            writes: write_rx,
            close: close.clone(),
            reports,
        };
        runtime.spawn(task.run(connector));
        Connection { writes, close }
    }

    /// Queues frames; they are written in one batch with anything else queued meanwhile.
    pub fn write(&self, frames: Vec<String>) {
        let _ = self.writes.send(frames);
    }

    /// Writes what is queued, then closes (1000, ≤ `close_timeout`). Nothing is reported
    /// for this link afterwards.
    pub fn close(self) {
        self.close.notify_one();
    }
}

struct LinkTask {
    conn_id: u64,
    close_timeout: Duration,
    writes: mpsc::UnboundedReceiver<Vec<String>>,
    close: Arc<Notify>,
    reports: mpsc::Sender<Report>,
}

impl LinkTask {
    async fn run(mut self, connector: Arc<Connector>) {
        // Boxed: the connect state (TLS and upgrade included) is large and needed only
        // once; inline it would stay reserved in the task for the link's whole life.
        let connected = tokio::select! {
            result = Box::pin(connector.connect()) => result,
            // Closed while connecting: dropping the connect future drops the socket.
            _ = self.close.notified() => return,
        };
        let link = match connected {
            Ok(link) => link,
            Err(error) => {
                self.report(TransportEvent::Closed(error)).await;
                return;
            }
        };
        if !self.report(TransportEvent::Connected).await {
            link.close(self.close_timeout).await;
            return;
        }
        // Reads go on while a batch is being written: a writer waiting for the server to
        // read must never stop us from reading what the server writes, or both TCP
        // directions fill up and the link stalls until the keepalive timeout.
        let (mut reader, writer) = link.split();
        let mut idle: Option<LinkWriter> = Some(writer);
        let mut in_flight: Option<WriteInFlight> = None;
        loop {
            tokio::select! {
                biased;
                _ = self.close.notified() => {
                    let writer = match (idle.take(), in_flight.take()) {
                        (Some(writer), _) => writer,
                        (None, Some(write)) => {
                            match tokio::time::timeout(self.close_timeout, write).await {
                                Ok((writer, Ok(()))) => writer,
                                _ => return,
                            }
                        }
                        (None, None) => return,
                    };
                    if let Some(link) = Link::reunite(reader, writer) {
                        // Boxed for the same reason as the connect: used once, at the end.
                        Box::pin(self.close_after_queued_writes(link)).await;
                    }
                    return;
                }
                Some((writer, result)) = finish(&mut in_flight), if in_flight.is_some() => {
                    in_flight = None;
                    if let Err(error) = result {
                        self.report(TransportEvent::Closed(error)).await;
                        return;
                    }
                    idle = Some(writer);
                }
                Some(frames) = self.writes.recv(), if idle.is_some() => {
                    if let Some(writer) = idle.take() {
                        in_flight = Some(self.start_batch(writer, frames));
                    }
                }
                read = reader.next_text() => {
                    let (event, last) = match read {
                        Ok(text) => (TransportEvent::Frame(text), false),
                        Err(error) => (TransportEvent::Closed(error), true),
                    };
                    if !self.report(event).await || last {
                        return;
                    }
                }
            }
        }
    }

    /// Starts writing `first` and everything queued behind it, with one flush.
    fn start_batch(&mut self, mut writer: LinkWriter, first: Vec<String>) -> WriteInFlight {
        let mut batch = first;
        while let Ok(more) = self.writes.try_recv() {
            batch.extend(more);
        }
        Box::pin(async move {
            let result = writer.write_batch(batch).await;
            (writer, result)
        })
    }

    async fn close_after_queued_writes(&mut self, mut link: Link) {
        let mut batch = Vec::new();
        while let Ok(more) = self.writes.try_recv() {
            batch.extend(more);
        }
        let timeout = self.close_timeout;
        if !batch.is_empty()
            && !matches!(
                tokio::time::timeout(timeout, link.write_batch(batch)).await,
                Ok(Ok(()))
            )
        {
            return;
        }
        link.close(timeout).await;
    }

    /// False when the driver is gone.
    async fn report(&self, event: TransportEvent) -> bool {
        self.reports.send((self.conn_id, event)).await.is_ok()
    }
}

/// Waits for the batch in flight, if any (a `select!` branch guarded by `is_some`).
async fn finish(
    in_flight: &mut Option<WriteInFlight>,
) -> Option<(LinkWriter, Result<(), LinkError>)> {
    match in_flight {
        Some(write) => Some(write.await),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use futures_util::SinkExt;
    use tokio::net::TcpListener;
    use tokio::sync::{mpsc, oneshot};
    use tungstenite::Message;

    use super::*;
    use crate::transport::{TlsOptions, TransportConfig};

    /// A server that never reads: the client's big batch cannot be flushed, yet the frame
    /// the server writes meanwhile must still reach the driver.
    #[test]
    fn frames_are_read_while_a_write_waits_for_the_peer() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let (go_tx, go_rx) = oneshot::channel::<()>();
            let server = tokio::spawn(async move {
                let (tcp, _) = listener.accept().await.unwrap();
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                let _ = go_rx.await;
                ws.send(Message::text("from the server")).await.unwrap();
                // Keep the socket open (and unread) until the test is done.
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
            let connector = Arc::new(
                Connector::new(TransportConfig {
                    url: format!("ws://{addr}/websocket"),
                    subprotocol: None,
                    connect_timeout: Duration::from_secs(5),
                    max_inbound_bytes: 1 << 20,
                    tls: TlsOptions::default(),
                })
                .unwrap(),
            );
            let (reports_tx, mut reports) = mpsc::channel(16);
            let handle = tokio::runtime::Handle::current();
            let conn = Connection::spawn(
                &handle,
                1,
                connector,
                Duration::from_millis(200),
                reports_tx,
            );
            let (_, first) = reports.recv().await.unwrap();
            assert_eq!(first, TransportEvent::Connected);
            // Far more than loopback socket buffers hold: this write cannot finish.
            conn.write(vec!["x".repeat(60_000); 600]);
            tokio::time::sleep(Duration::from_millis(200)).await;
            go_tx.send(()).unwrap();
            let report = tokio::time::timeout(Duration::from_secs(10), reports.recv()).await;
            assert!(
                matches!(
                    report,
                    Ok(Some((1, TransportEvent::Frame(ref text)))) if text == "from the server"
                ),
                "the frame was not read while the write was pending: {report:?}"
            );
            conn.close();
            server.abort();
        });
    }
}
