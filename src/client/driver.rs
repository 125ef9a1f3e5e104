//! The driver task of one client (DESIGN.md §1–2): it sleeps until something happens —
//! an API call woke it, its link has news, or the engine's next deadline passed — feeds
//! the engine under the lock, then executes the engine's actions with the lock released.
//! The task owns the link itself (connecting, reading, writing), so a frame reaches the
//! engine, and the engine's frames reach the socket, without a channel or a task hop.
//!
//! Back-pressure (R61, R62): each turn the driver tells the engine how many events the
//! application has finished with (the dispatcher counts them and wakes the driver) and
//! how many bytes wait to be written, and reads only what the engine's read budget
//! allows. With the callback backlog at its cap it reads nothing: the socket's buffers
//! fill and TCP makes the server wait, instead of the client acknowledging messages
//! into memory.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::sync::Notify;

use super::connection::Connection;
use super::dispatcher;
use super::poison::Poison;
use super::release_guard::{ReleaseGuard, ReleaseState};
use crate::engine::{Action, Engine, Event, ReadBudget, TransportEvent};
use crate::log::{self, LogLevel};
use crate::transport::Connector;

/// Link events fed to the engine per lock at most (frames already read by the socket);
/// the engine's answers to all of them leave as one batch.
const EVENTS_PER_TURN: usize = 64;

/// What the API calls and the driver share.
pub struct Shared {
    pub client_id: u64,
    pub engine: Mutex<Engine>,
    /// Wakes the driver after an API call changed the engine.
    pub wake: Notify,
    /// Requested under the engine lock by `release()`; later calls fail with 1004.
    pub release: ReleaseState,
    /// A panic was caught (here, in an API call or in the C layer): the client is unusable.
    pub poison: Poison,
    /// Events of this client whose callbacks returned (or that were dropped at release),
    /// counted by the dispatcher (R36, R61).
    pub delivered: AtomicU64,
}

impl Shared {
    pub fn new(client_id: u64, engine: Engine, poison: Poison) -> Shared {
        Shared {
            client_id,
            engine: Mutex::new(engine),
            wake: Notify::new(),
            release: ReleaseState::default(),
            poison,
            delivered: AtomicU64::new(0),
        }
    }

    /// Runs `f` on the engine under the lock; a panic poisons the client before the lock
    /// is released, so whoever takes the lock next sees it.
    pub fn with_engine<T>(&self, f: impl FnOnce(&mut Engine) -> T) -> Option<T> {
        let mut engine = self.engine.lock();
        let result = catch_unwind(AssertUnwindSafe(|| f(&mut engine)));
        if result.is_err() {
            self.poison.mark();
        }
        drop(engine);
        match result {
            Ok(value) => Some(value),
            Err(_) => {
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
}

enum Wakeup {
    Api,
    Link(Option<TransportEvent>),
    Deadline,
}

impl Driver {
    pub async fn run(self) {
        let mut link: Option<Connection> = None;
        // Declared after the link, so dropped before it: the client is marked unusable
        // before a dying driver's link closes.
        let release_guard = ReleaseGuard::new(self.shared.clone());
        while let Some((actions, deadline, budget)) = self.turn(&link) {
            if self.execute(actions, &mut link) {
                release_guard.delivered();
                break;
            }
            // An API call caught an engine panic: the engine may be inconsistent, so it is
            // driven no further and the link is closed (the client is unusable, 1005).
            if self.shared.poison.is_marked() {
                break;
            }
            let wakeup = tokio::select! {
                _ = self.shared.wake.notified() => Wakeup::Api,
                event = next_event(&mut link, budget.allows_reading()) => Wakeup::Link(event),
                _ = sleep_until(deadline) => Wakeup::Deadline,
            };
            let fed = match wakeup {
                Wakeup::Api => Some(()),
                Wakeup::Link(Some(first)) => self.feed_link_events(first, &mut link, budget),
                // Written: the next turn reports the bytes still waiting.
                Wakeup::Link(None) => Some(()),
                Wakeup::Deadline => self
                    .shared
                    .with_engine(|engine| engine.handle_timeout(Instant::now())),
            };
            if fed.is_none() {
                break;
            }
        }
        if let Some(link) = link {
            link.close(self.close_timeout);
        }
    }

    /// R62: the cap of the bytes waiting to be written on a link.
    fn max_outbound(&self) -> usize {
        self.shared
            .with_engine(|engine| engine.max_outbound_bytes())
            .unwrap_or(crate::engine::DEFAULT_MAX_OUTBOUND_BYTES)
    }

    /// One turn under the lock: report deliveries and outbound bytes to the engine, take
    /// its actions, its next deadline and what may be read.
    fn turn(
        &self,
        link: &Option<Connection>,
    ) -> Option<(Vec<Action>, Option<Instant>, ReadBudget)> {
        let (outbound, outbound_peak) = link.as_ref().map_or((0, 0), Connection::outbound);
        let delivered = self.shared.delivered.load(Ordering::Acquire);
        self.shared.with_engine(|engine| {
            engine.events_delivered(delivered, Instant::now());
            engine.outbound_changed(outbound, outbound_peak);
            let mut actions = Vec::new();
            while let Some(action) = engine.poll_action() {
                actions.push(action);
            }
            (actions, engine.poll_timeout(), engine.read_budget())
        })
    }

    /// Feeds `first` and whatever else the link has ready (up to [`EVENTS_PER_TURN`], and
    /// within the engine's read `budget`, R61) to the engine under one lock; forgets the
    /// link once it ended.
    fn feed_link_events(
        &self,
        first: TransportEvent,
        link: &mut Option<Connection>,
        mut budget: ReadBudget,
    ) -> Option<()> {
        let Some(conn) = link.as_mut() else {
            return Some(());
        };
        let conn_id = conn.conn_id();
        let mut ended = matches!(first, TransportEvent::Closed(_));
        spend(&mut budget, &first);
        let mut events = vec![first];
        let mut cx = Context::from_waker(Waker::noop());
        while !ended && events.len() < EVENTS_PER_TURN {
            match conn.poll_event(&mut cx, budget.allows_reading()) {
                Poll::Ready(event) => {
                    spend(&mut budget, &event);
                    ended = matches!(event, TransportEvent::Closed(_));
                    events.push(event);
                }
                Poll::Pending => break,
            }
        }
        if ended {
            *link = None;
        }
        self.shared.with_engine(|engine| {
            let now = Instant::now();
            for event in events {
                engine.handle_transport(conn_id, event, now);
            }
        })
    }

    /// Executes actions in order; returns true once `Released` was emitted (the driver's
    /// work is over).
    fn execute(&self, actions: Vec<Action>, link: &mut Option<Connection>) -> bool {
        let mut events: Vec<Event> = Vec::new();
        let mut released = false;
        for action in actions {
            match action {
                // Consecutive writes travel as one batch (one flush), started below.
                Action::Send { conn_id, text } => match link.as_mut() {
                    Some(conn) if conn.conn_id() == conn_id => conn.queue(text),
                    // A write for a link that is gone is moot: the engine learns of the
                    // loss anyway.
                    _ => {}
                },
                Action::Connect { conn_id } => {
                    let (id, url) = (self.shared.client_id, self.connector.redacted_url());
                    log::write_args(
                        LogLevel::Info,
                        format_args!("client {id}: connecting to {url}"),
                    );
                    let new =
                        Connection::connect(conn_id, self.connector.clone(), self.max_outbound());
                    if let Some(old) = link.replace(new) {
                        old.close(self.close_timeout);
                    }
                }
                Action::Close { conn_id } => {
                    if link.as_ref().is_some_and(|conn| conn.conn_id() == conn_id) {
                        if let Some(old) = link.take() {
                            old.close(self.close_timeout);
                        }
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
        if let Some(conn) = link.as_mut() {
            conn.start_writing();
        }
        dispatcher::deliver_counted(&self.shared, events);
        released
    }
}

/// Counts a frame read against the budget.
fn spend(budget: &mut ReadBudget, event: &TransportEvent) {
    if let TransportEvent::Frame(text) = event {
        budget.spend(text.len());
    }
}

/// The link's next event (reading frames only if `read`); pending forever without a link.
/// `None` when no event came but
/// a batch finished writing: fewer bytes wait now, and a turn tells the engine (R62), or
/// it would go on refusing sends for bytes already written until its next wake-up.
async fn next_event(link: &mut Option<Connection>, read: bool) -> Option<TransportEvent> {
    std::future::poll_fn(|cx| match link.as_mut() {
        Some(conn) => {
            let waiting = conn.outbound().0;
            match conn.poll_event(cx, read) {
                Poll::Pending if conn.outbound().0 < waiting => Poll::Ready(None),
                polled => polled.map(Some),
            }
        }
        None => Poll::Pending,
    })
    .await
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await,
        None => std::future::pending().await,
    }
}
