//! The driver task of one client (DESIGN.md §1–2): it sleeps until something happens —
//! an API call woke it, a link reported, or the engine's next deadline passed — feeds the
//! engine under the lock, then executes the engine's actions with the lock released.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::sync::{mpsc, Notify};

use super::connection::{Connection, Report};
use super::dispatcher;
use crate::engine::{Action, Engine, Event};
use crate::log::{self, LogLevel};
use crate::transport::Connector;

/// Reports waiting for the driver at most; a link task waits (and stops reading) beyond.
const REPORT_QUEUE: usize = 256;

/// What the API calls and the driver share.
pub struct Shared {
    pub client_id: u64,
    pub engine: Mutex<Engine>,
    /// Wakes the driver after an API call changed the engine.
    pub wake: Notify,
    /// Set under the engine lock by `release()`; later calls fail with 1004.
    pub released: AtomicBool,
    /// An engine panic was caught: the client is unusable.
    pub poisoned: AtomicBool,
}

impl Shared {
    pub fn new(client_id: u64, engine: Engine) -> Shared {
        Shared {
            client_id,
            engine: Mutex::new(engine),
            wake: Notify::new(),
            released: AtomicBool::new(false),
            poisoned: AtomicBool::new(false),
        }
    }

    /// Runs `f` on the engine under the lock; a panic poisons the client.
    pub fn with_engine<T>(&self, f: impl FnOnce(&mut Engine) -> T) -> Option<T> {
        let result = catch_unwind(AssertUnwindSafe(|| f(&mut self.engine.lock())));
        match result {
            Ok(value) => Some(value),
            Err(_) => {
                self.poisoned.store(true, Ordering::Release);
                log::write(
                    LogLevel::Error,
                    &format!(
                        "client {}: internal panic in the engine; the client is unusable",
                        self.client_id
                    ),
                );
                None
            }
        }
    }
}

/// Everything the driver task needs.
pub struct Driver {
    pub shared: Arc<Shared>,
    pub connector: Arc<Connector>,
    pub close_timeout: Duration,
    pub runtime: &'static tokio::runtime::Runtime,
}

enum Wakeup {
    Api,
    Reports(Vec<Report>),
    Deadline,
}

impl Driver {
    pub async fn run(self) {
        let (report_tx, mut report_rx) = mpsc::channel::<Report>(REPORT_QUEUE);
        let mut links: HashMap<u64, Connection> = HashMap::new();
        while let Some((actions, deadline)) = self.shared.with_engine(|engine| {
            let mut actions = Vec::new();
            while let Some(action) = engine.poll_action() {
                actions.push(action);
            }
            (actions, engine.poll_timeout())
        }) {
            if self.execute(actions, &mut links, &report_tx) {
                break;
            }
            let wakeup = tokio::select! {
                _ = self.shared.wake.notified() => Wakeup::Api,
                Some(first) = report_rx.recv() => {
                    let mut batch = vec![first];
                    while batch.len() < REPORT_QUEUE {
                        match report_rx.try_recv() {
                            Ok(report) => batch.push(report),
                            Err(_) => break,
                        }
                    }
                    Wakeup::Reports(batch)
                }
                _ = sleep_until(deadline) => Wakeup::Deadline,
            };
            let fed = match wakeup {
                Wakeup::Api => Some(()),
                Wakeup::Reports(batch) => {
                    for (conn_id, event) in &batch {
                        if matches!(event, crate::engine::TransportEvent::Closed(_)) {
                            // The link task has ended by itself.
                            links.remove(conn_id);
                        }
                    }
                    self.shared.with_engine(|engine| {
                        for (conn_id, event) in batch {
                            engine.handle_transport(conn_id, event, Instant::now());
                        }
                    })
                }
                Wakeup::Deadline => self
                    .shared
                    .with_engine(|engine| engine.handle_timeout(Instant::now())),
            };
            if fed.is_none() {
                break;
            }
        }
        for (_, link) in links.drain() {
            link.close();
        }
    }

    /// Executes actions in order; returns true once `Released` was emitted (the driver's
    /// work is over).
    fn execute(
        &self,
        actions: Vec<Action>,
        links: &mut HashMap<u64, Connection>,
        report_tx: &mpsc::Sender<Report>,
    ) -> bool {
        let mut events: Vec<Event> = Vec::new();
        // Consecutive writes to one link travel as one batch (one flush).
        let mut batch: Option<(u64, Vec<String>)> = None;
        let mut released = false;
        for action in actions {
            if let Action::Send { conn_id, text } = action {
                match &mut batch {
                    Some((id, frames)) if *id == conn_id => frames.push(text),
                    _ => {
                        flush_batch(batch.take(), links);
                        batch = Some((conn_id, vec![text]));
                    }
                }
                continue;
            }
            flush_batch(batch.take(), links);
            match action {
                Action::Send { .. } => {}
                Action::Connect { conn_id } => {
                    let connection = Connection::spawn(
                        self.runtime.handle(),
                        conn_id,
                        self.connector.clone(),
                        self.close_timeout,
                        report_tx.clone(),
                    );
                    if let Some(old) = links.insert(conn_id, connection) {
                        old.close();
                    }
                }
                Action::Close { conn_id } => {
                    if let Some(link) = links.remove(&conn_id) {
                        link.close();
                    }
                }
                Action::Emit(event) => {
                    released |= matches!(event, Event::Released);
                    events.push(event);
                }
                Action::Log { level, message } => log::write(
                    level,
                    &format!("client {}: {message}", self.shared.client_id),
                ),
            }
        }
        flush_batch(batch, links);
        dispatcher::deliver(self.shared.client_id, events);
        released
    }
}

fn flush_batch(batch: Option<(u64, Vec<String>)>, links: &HashMap<u64, Connection>) {
    if let Some((conn_id, frames)) = batch {
        // A write for a link that is gone is moot: the engine learns of the loss anyway.
        if let Some(link) = links.get(&conn_id) {
            link.write(frames);
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await,
        None => std::future::pending().await,
    }
}
