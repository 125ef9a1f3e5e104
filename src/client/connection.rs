//! One task per link (one `conn_id`): it connects, then owns the WebSocket, writing the
//! batches the driver queues and reporting frames and the end of the link back to the
//! driver tagged with its `conn_id`. The driver never awaits the network, so a stalled
//! socket can delay neither API calls nor the engine's timers.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Notify};

use crate::engine::TransportEvent;
use crate::transport::{Connector, Link};

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
        runtime: &tokio::runtime::Runtime,
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
        let mut link = match connected {
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
        loop {
            tokio::select! {
                biased;
                _ = self.close.notified() => {
                    // Boxed for the same reason as the connect: used once, at the end.
                    Box::pin(self.close_after_queued_writes(link)).await;
                    return;
                }
                Some(frames) = self.writes.recv() => {
                    if !self.write_batch(&mut link, frames).await {
                        return;
                    }
                }
                read = link.next_text() => {
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

    /// Writes `first` and everything queued behind it with one flush. False when the
    /// link is finished (failed, or closed meanwhile).
    async fn write_batch(&mut self, link: &mut Link, first: Vec<String>) -> bool {
        let mut batch = first;
        while let Ok(more) = self.writes.try_recv() {
            batch.extend(more);
        }
        tokio::select! {
            biased;
            result = link.write_batch(batch) => match result {
                Ok(()) => true,
                Err(error) => {
                    self.report(TransportEvent::Closed(error)).await;
                    false
                }
            },
            // A write stuck on a dead peer must not hold up a close.
            _ = self.close.notified() => false,
        }
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
