//! Release always completes (DESIGN.md §3.5): `Released` reaches the dispatcher exactly
//! once however the driver task ends — after the engine emitted it, after a panic the
//! engine lock caught, or after a panic outside the lock that ended the task (a log
//! sink, the link, the dispatcher hand-off). Without this, `release()` could wait forever
//! for an event nobody was left to deliver.
//!
//! Two parties may deliver it: the driver (the engine emits `Released`, or its
//! [`ReleaseGuard`] does when the task ends) and `release()` itself when the driver has
//! already stopped. Each first publishes its own step, then looks at the other's
//! (`SeqCst` on both sides), so at least one of them sees both and delivers; a
//! once-flag keeps it to one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::dispatcher;
use super::driver::Shared;
use crate::engine::Event;

/// A client's release bookkeeping, shared by the API and the driver.
#[derive(Default)]
pub struct ReleaseState {
    requested: AtomicBool,
    driver_stopped: AtomicBool,
    delivered: AtomicBool,
}

impl ReleaseState {
    /// Records a release request; true for the first one. Called under the engine lock,
    /// so an API call racing `release()` sees it.
    pub fn request(&self) -> bool {
        !self.requested.swap(true, Ordering::SeqCst)
    }

    pub fn is_requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    /// After [`ReleaseState::request`]: delivers `Released` from the caller when the
    /// driver will not — it has stopped, or the engine is `poisoned` and cannot emit it.
    pub fn complete_without_driver(&self, client_id: u64, poisoned: bool) {
        if poisoned || self.driver_stopped.load(Ordering::SeqCst) {
            self.deliver_once(client_id);
        }
    }

    fn deliver_once(&self, client_id: u64) {
        if !self.delivered.swap(true, Ordering::SeqCst) {
            dispatcher::deliver(client_id, vec![Event::Released]);
        }
    }
}

/// Held by the driver task for its whole life; dropping it (normal end, or unwinding
/// from a panic anywhere in the task) delivers `Released` if a release was requested
/// and nobody delivered it yet. A driver that ends before `Released` leaves a client
/// that cannot work any more, so the guard also marks it unusable (1005).
pub struct ReleaseGuard {
    shared: Arc<Shared>,
}

impl ReleaseGuard {
    pub fn new(shared: Arc<Shared>) -> ReleaseGuard {
        ReleaseGuard { shared }
    }

    /// The driver handed the engine's own `Released` to the dispatcher.
    pub fn delivered(&self) {
        self.shared.release.delivered.store(true, Ordering::SeqCst);
    }
}

impl Drop for ReleaseGuard {
    /// Runs while unwinding too: it must not log (the log sink may be what panicked)
    /// and must not panic.
    fn drop(&mut self) {
        let release = &self.shared.release;
        if !release.delivered.load(Ordering::SeqCst) {
            self.shared.poison.mark();
        }
        release.driver_stopped.store(true, Ordering::SeqCst);
        if release.is_requested() {
            release.deliver_once(self.shared.client_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU64;
    use std::sync::mpsc;

    use super::super::dispatcher::{register, ReleaseLatch};
    use super::super::handle::begin_release;
    use super::super::poison::Poison;
    use super::super::test_server::{online_client, release_returns, BOUND};
    use super::super::{Config, SendRequest};
    use super::*;
    use crate::engine::Engine;
    use crate::log::{self, LogLevel};
    use crate::protocol::{codes, Dialect};

    /// Ids far from those clients draw, so the shared dispatcher never mixes them up.
    static NEXT_TEST_ID: AtomicU64 = AtomicU64::new(u64::MAX - 1_000);

    /// A client's shared state without a driver task; the test plays the driver.
    fn driverless_client() -> (Arc<Shared>, mpsc::Receiver<Event>) {
        let (_, engine_config) = Config::new("ws://127.0.0.1:9/ws", Dialect::Seed)
            .prepare()
            .unwrap();
        let engine = Engine::new(engine_config).unwrap();
        let id = NEXT_TEST_ID.fetch_add(1, Ordering::Relaxed);
        let (tx, events) = mpsc::channel();
        let handler = move |event: &Event| {
            let _ = tx.send(event.clone());
        };
        register(id, Box::new(handler), Arc::new(ReleaseLatch::default())).unwrap();
        let shared = Arc::new(Shared::new(id, engine, Poison::default()));
        shared.poison.attach(&shared);
        (shared, events)
    }

    /// The race: `release()` found the client usable and asked the engine, then the
    /// driver ended (a panic in its engine turn, or outside the lock) before it handed
    /// the engine's `Released` on. Its guard must deliver it, or release() waits forever.
    #[test]
    fn release_racing_a_dying_driver_is_completed_by_the_drivers_guard() {
        let (shared, events) = driverless_client();
        let driver = ReleaseGuard::new(shared.clone());
        begin_release(&shared);
        drop(driver);
        assert_eq!(events.recv_timeout(BOUND).ok(), Some(Event::Released));
        assert!(
            shared.poison.is_marked(),
            "a client without its driver works no more"
        );
    }

    /// The other order: the driver is gone before `release()`; the caller delivers.
    #[test]
    fn release_after_the_driver_ended_is_completed_by_the_caller() {
        let (shared, events) = driverless_client();
        drop(ReleaseGuard::new(shared.clone()));
        assert!(shared.poison.is_marked());
        begin_release(&shared);
        assert_eq!(events.recv_timeout(BOUND).ok(), Some(Event::Released));
    }

    /// A panic outside the engine lock (here: the application's log sink, called by the
    /// driver) ends the driver task. The client becomes unusable (1005), its link is
    /// closed, and release() still returns with `Released` as the last event.
    #[test]
    fn a_panicking_log_sink_ends_the_driver_yet_release_completes() {
        let online = online_client("sink");
        let client = &online.client;
        let prefix = format!("client {}: ", client.id());
        log::set_sink(
            Some(Arc::new(move |_, text: &str| {
                if text.starts_with(&prefix) {
                    panic!("log sink panic (expected by the test)");
                }
            })),
            LogLevel::Trace,
        );
        // The engine logs the hint; the driver hands that line to the sink.
        client.network_changed(true);
        let link_ended = online.link_ended.recv_timeout(BOUND);
        log::set_sink(None, LogLevel::Error);
        assert!(
            link_ended.is_ok(),
            "the link of the dead driver stayed open"
        );

        assert_eq!(client.check_usable().map_err(|e| e.code), Err(codes::PANIC));
        let refused = client.send(SendRequest::new("bob", "hello"));
        assert_eq!(refused.map_err(|e| e.code), Err(codes::PANIC));
        assert!(release_returns(client), "release() did not return");
        assert_eq!(online.events.try_iter().last(), Some(Event::Released));
    }
}
