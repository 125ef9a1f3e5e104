//! [`Client`]: the API calls. Each one locks the engine, calls it with the current time,
//! unlocks and wakes the driver, so its answer is synchronous and the network work
//! happens on the runtime (DESIGN.md §2–3).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::config::Config;
use super::dispatcher::{self, EventHandler, ReleaseLatch};
use super::driver::{Driver, Shared};
use super::runtime::runtime;
use crate::engine::{Engine, Event, LoginRequest, SendRequest, State, Stats};
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
        let (connector, engine_config) = config.prepare()?;
        let close_timeout = Duration::from_millis(engine_config.close_timeout_ms);
        let engine = Engine::new(engine_config)?;
        let runtime = runtime()?;
        let client_id = NEXT_CLIENT_ID.fetch_add(1, Ordering::Relaxed);
        let latch = Arc::new(ReleaseLatch::default());
        dispatcher::register(client_id, Box::new(handler), latch.clone())?;
        let shared = Arc::new(Shared::new(client_id, engine));
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
            if shared.released.load(Ordering::Acquire) {
                return Err(Error::new(
                    codes::INVALID_HANDLE,
                    "the client has been released",
                ));
            }
            if shared.poisoned.load(Ordering::Acquire) {
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

    /// Current session state (IDLE once released).
    pub fn state(&self) -> State {
        let shared = &self.inner.shared;
        shared
            .with_engine(|engine| {
                if shared.released.load(Ordering::Acquire) {
                    State::Idle
                } else {
                    engine.state()
                }
            })
            .unwrap_or_default()
    }

    /// Counters and gauges.
    pub fn stats(&self) -> Stats {
        self.inner
            .shared
            .with_engine(|engine| engine.stats())
            .unwrap_or_default()
    }
}

fn poisoned_error() -> Error {
    Error::new(
        codes::PANIC,
        "an internal panic occurred; the client is unusable",
    )
}

/// Marks the client released and asks the engine to end everything; the driver delivers
/// the outcomes and `Released`. A poisoned engine cannot, so `Released` is sent directly.
fn begin_release(shared: &Shared) {
    let first = shared.with_engine(|engine| {
        if shared.released.swap(true, Ordering::AcqRel) {
            return false;
        }
        if !shared.poisoned.load(Ordering::Acquire) {
            engine.release(Instant::now());
        }
        true
    });
    shared.wake.notify_one();
    let first = first.unwrap_or(true);
    if first && shared.poisoned.load(Ordering::Acquire) {
        dispatcher::deliver(shared.client_id, vec![Event::Released]);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use futures_util::{SinkExt, StreamExt};
    use tungstenite::Message;

    use super::*;
    use crate::protocol::{decode, encode, packet_type, Dialect, LoginResponse, Packet};
    use crate::transport::test_support::serve_once;

    /// DESIGN.md §3: after an engine panic the client is unusable. Its driver must stop
    /// and close the link, or the user would stay online on the server (keepalives going
    /// on) with a client nobody can use, even after release.
    #[test]
    fn an_engine_panic_closes_the_link_and_release_still_completes() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        // A server that accepts the login, then reports when the link ends.
        let (ended_tx, ended) = mpsc::channel::<()>();
        let (url, _server) = rt.block_on(serve_once(|mut ws| async move {
            while let Some(Ok(message)) = ws.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
                let packet = decode(Dialect::Seed, text.as_str()).unwrap();
                if packet.packet_type == packet_type::LOGIN {
                    let mut response = Packet::new(packet_type::LOGIN_RESPONSE);
                    response.data_content = Some(
                        LoginResponse {
                            code: 0,
                            first_login_time: -1,
                        }
                        .encode(Dialect::Seed),
                    );
                    let frame = encode(Dialect::Seed, &response);
                    ws.send(Message::text(frame)).await.unwrap();
                }
            }
            let _ = ended_tx.send(());
        }));
        let (tx, events) = mpsc::channel::<Event>();
        let handler = move |event: &Event| {
            let _ = tx.send(event.clone());
        };
        let client = Client::new(Config::new(url, Dialect::Seed), handler).unwrap();
        client
            .login(LoginRequest {
                user_id: "poisoned".into(),
                token: "t".into(),
                app: None,
                extra: None,
            })
            .unwrap();
        let logged_in = events
            .iter()
            .find(|e| matches!(e, Event::LoginResult { .. }));
        assert!(
            matches!(logged_in, Some(Event::LoginResult { code: 0, .. })),
            "login failed: {logged_in:?}"
        );

        // An engine panic inside an API call (the guard catches it).
        let shared = &client.inner.shared;
        let caught = shared.with_engine(|_| -> () { panic!("injected engine panic (expected)") });
        assert!(caught.is_none());
        shared.wake.notify_one();

        let refused = client.send(SendRequest::new("bob", "hello"));
        assert_eq!(refused.map_err(|e| e.code), Err(codes::PANIC));
        assert!(
            ended.recv_timeout(Duration::from_secs(10)).is_ok(),
            "the link of the unusable client stayed open"
        );
        client.release();
        assert!(events.try_iter().any(|e| e == Event::Released));
    }
}
