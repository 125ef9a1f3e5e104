//! [`Client`]: the API calls. Each one locks the engine, calls it with the current time,
//! unlocks and wakes the driver, so its answer is synchronous and the network work
//! happens on the runtime (DESIGN.md §2–3).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::config::Config;
use super::dispatcher::{self, EventHandler, ReleaseLatch};
use super::driver::{Driver, Shared};
use super::poison::Poison;
use super::runtime::runtime;
use crate::engine::{Engine, LoginRequest, SendRequest, State, Stats};
use crate::error::{Error, Result};
use crate::protocol::codes;

static NEXT_CLIENT_ID: AtomicU64 = AtomicU64::new(1);

/// One IM client. Cheap to clone; every clone is the same client. Safe to use from any
/// thread, including from inside its own callbacks.
///
/// Its events reach the handler on the process-wide `imsdk-cb` thread, one at a time and
/// in order, never while the SDK holds a lock; the handler may call any method of any
/// client (`release()` there is deferred until the handler returns). A panic in the
/// handler is caught and logged; later events are still delivered.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    latch: Arc<ReleaseLatch>,
}

impl Drop for Inner {
    /// Dropping the last handle without `release()` still ends the session and stops the
    /// driver (without waiting), so nothing leaks.
    fn drop(&mut self) {
        begin_release(&self.shared);
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.inner.shared.client_id)
            .finish()
    }
}

impl Client {
    /// Checks `config` (205 bad URL, 1000 bad option) and starts the client's driver.
    /// Does not connect.
    pub fn new(config: Config, handler: impl EventHandler) -> Result<Client> {
        Client::with_poison(config, handler, Poison::default())
    }

    /// [`Client::new`] with a poison mark the caller also holds (the C layer marks it
    /// when a panic is caught in its entry points or callbacks).
    pub(crate) fn with_poison(
        config: Config,
        handler: impl EventHandler,
        poison: Poison,
    ) -> Result<Client> {
        let (connector, engine_config) = config.prepare()?;
        let close_timeout = Duration::from_millis(engine_config.close_timeout_ms);
        let engine = Engine::new(engine_config)?;
        let runtime = runtime()?;
        let client_id = NEXT_CLIENT_ID.fetch_add(1, Ordering::Relaxed);
        let latch = Arc::new(ReleaseLatch::default());
        dispatcher::register(client_id, Box::new(handler), latch.clone())?;
        let shared = Arc::new(Shared::new(client_id, engine, poison));
        shared.poison.attach(&shared);
        let driver = Driver {
            shared: shared.clone(),
            connector: Arc::new(connector),
            close_timeout,
        };
        runtime.spawn(driver.run());
        Ok(Client {
            inner: Arc::new(Inner { shared, latch }),
        })
    }

    /// Runs one engine call for the API: refuses after release (1004) or a panic (1005).
    fn call<T>(&self, f: impl FnOnce(&mut Engine, Instant) -> Result<T>) -> Result<T> {
        let shared = &self.inner.shared;
        let result = shared.with_engine(|engine| {
            // Checked under the lock so a call racing release() sees it.
            if shared.release.is_requested() {
                return Err(released_error());
            }
            if shared.poison.is_marked() {
                return Err(poisoned_error());
            }
            f(engine, Instant::now())
        });
        shared.wake.notify_one();
        result.unwrap_or_else(|| Err(poisoned_error()))
    }

    /// R5: starts a session; exactly one login result follows (unless logout/release).
    pub fn login(&self, req: LoginRequest) -> Result<()> {
        self.call(|engine, now| engine.login(req, now))
    }

    /// R43–R46: returns the fingerprint used.
    pub fn send(&self, req: SendRequest) -> Result<String> {
        self.call(|engine, now| engine.send(req, now))
    }

    /// R30: ends the session.
    pub fn logout(&self) -> Result<()> {
        self.call(|engine, now| engine.logout(now))
    }

    /// R59: the answer arrives as [`Event::Echo`].
    pub fn echo(&self, text: &str) -> Result<()> {
        self.call(|engine, now| engine.echo(text, now))
    }

    /// R58: network availability hint from the platform's reachability monitor.
    pub fn network_changed(&self, available: bool) {
        let _ = self.call(|engine, now| {
            engine.network_changed(available, now);
            Ok(())
        });
    }

    /// R32, DESIGN.md §3.5: ends any session and releases the client. From a
    /// non-callback thread it returns once the `Released` event has been delivered and no
    /// callback of this client runs any more; inside a callback it returns at once and
    /// completes after that callback. Idempotent.
    pub fn release(&self) {
        begin_release(&self.inner.shared);
        if !dispatcher::on_dispatcher_thread() {
            self.inner.latch.wait();
        }
    }

    /// Whether the client still works: 1004 once released, 1005 after an internal panic
    /// (in the engine, the driver task or the C layer). [`Client::state`] and
    /// [`Client::stats`] do not fail; call this to tell their fallback values apart.
    pub fn check_usable(&self) -> Result<()> {
        let shared = &self.inner.shared;
        if shared.release.is_requested() {
            return Err(released_error());
        }
        if shared.poison.is_marked() {
            return Err(poisoned_error());
        }
        Ok(())
    }

    /// Current session state (IDLE once released or unusable: the engine is not read
    /// after a panic).
    pub fn state(&self) -> State {
        if self.check_usable().is_err() {
            return State::Idle;
        }
        let shared = &self.inner.shared;
        shared
            .with_engine(|engine| {
                if shared.release.is_requested() {
                    State::Idle
                } else {
                    engine.state()
                }
            })
            .unwrap_or_default()
    }

    /// Counters and gauges (all zero once unusable: the engine is not read after a panic).
    pub fn stats(&self) -> Stats {
        if self.inner.shared.poison.is_marked() {
            return Stats::default();
        }
        self.inner
            .shared
            .with_engine(|engine| engine.stats())
            .unwrap_or_default()
    }

    /// The client's poison mark, for the C layer's panic boundary.
    pub(crate) fn poison(&self) -> &Poison {
        &self.inner.shared.poison
    }
}

fn released_error() -> Error {
    Error::new(codes::INVALID_HANDLE, "the client has been released")
}

fn poisoned_error() -> Error {
    Error::new(
        codes::PANIC,
        "an internal panic occurred; the client is unusable",
    )
}

/// Marks the client released and asks the engine to end everything; the driver delivers
/// the outcomes and `Released`. When it cannot (its engine is poisoned, or the driver
/// task has ended), `Released` is delivered from here (see `release_guard`).
pub(super) fn begin_release(shared: &Shared) {
    let first = shared.with_engine(|engine| {
        let first = shared.release.request();
        if first && !shared.poison.is_marked() {
            engine.release(Instant::now());
        }
        first
    });
    shared.wake.notify_one();
    // A panic inside: the request was recorded before it.
    if first.unwrap_or(true) {
        shared
            .release
            .complete_without_driver(shared.client_id, shared.poison.is_marked());
    }
}

#[cfg(test)]
impl Client {
    /// A panic in the engine under its lock, as from an API call (tests only).
    pub(crate) fn inject_engine_panic(&self) {
        let caught = self
            .inner
            .shared
            .with_engine(|_| -> () { panic!("injected engine panic (expected)") });
        assert!(caught.is_none());
    }

    /// The id the client's log lines start with (`client <id>: `).
    pub(crate) fn id(&self) -> u64 {
        self.inner.shared.client_id
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_server::{online_client, release_returns};
    use super::*;
    use crate::engine::Event;

    /// DESIGN.md §3: after an engine panic the client is unusable. Its driver must stop
    /// and close the link, or the user would stay online on the server (keepalives going
    /// on) with a client nobody can use, even after release.
    #[test]
    fn an_engine_panic_closes_the_link_and_release_still_completes() {
        let online = online_client("poisoned");
        let client = &online.client;
        client.inject_engine_panic();

        let refused = client.send(SendRequest::new("bob", "hello"));
        assert_eq!(refused.map_err(|e| e.code), Err(codes::PANIC));
        assert_eq!(client.check_usable().map_err(|e| e.code), Err(codes::PANIC));
        assert!(
            online
                .link_ended
                .recv_timeout(super::super::test_server::BOUND)
                .is_ok(),
            "the link of the unusable client stayed open"
        );
        assert!(release_returns(client), "release() did not return");
        assert!(online.events.try_iter().any(|e| e == Event::Released));
    }
}
