//! Shared helpers of the client integration tests: an embedded dev server on its own
//! runtime, clients whose events land in a channel, short timings, and waits with
//! generous timeouts (never sleeps as synchronisation).
#![allow(dead_code)]

use std::sync::mpsc;
use std::time::{Duration, Instant};

use imsdk::client::{Client, Config, Event, LoginRequest, State};
use imsdk::protocol::Dialect;
use imsdk_devserver::{DevServer, DevServerConfig};

/// How long a test waits for something that should happen before calling it a failure.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Both dialects, for tests that run against each.
pub const DIALECTS: [Dialect; 2] = [Dialect::Seed, Dialect::MobileImSdk];

/// A dev server running on a runtime of its own, shut down on drop.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    server: Option<DevServer>,
}

impl Server {
    pub fn start(config: DevServerConfig) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("test-devserver")
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(DevServer::start(config)).unwrap();
        Server {
            runtime,
            server: Some(server),
        }
    }

    /// A server of `dialect` with test timings (fast server-side resends).
    pub fn with_dialect(dialect: Dialect) -> Server {
        let mut config = DevServerConfig::new(dialect);
        config.resend_after_ms = 500;
        Server::start(config)
    }

    pub fn url(&self) -> String {
        self.get().ws_url()
    }

    pub fn get(&self) -> &DevServer {
        self.server.as_ref().unwrap()
    }

    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub fn stop_listening(&self) {
        self.runtime.block_on(self.get().stop_listening());
    }

    pub fn restart_listening(&self) {
        self.runtime
            .block_on(self.get().restart_listening())
            .unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(async {
                let _ = tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await;
            });
        }
    }
}

/// Short timings so fault scenarios play out in about a second.
pub fn fast_config(url: String, dialect: Dialect) -> Config {
    let mut config = Config::new(url, dialect);
    let e = &mut config.engine;
    e.keepalive_interval_ms = 300;
    // Roomy, so a busy machine does not cause a link loss a test did not ask for.
    e.keepalive_timeout_ms = 2_000;
    e.connect_timeout_ms = 2_000;
    e.login_timeout_ms = 2_000;
    e.close_timeout_ms = 200;
    e.relogin_base_ms = 100;
    e.relogin_max_ms = 400;
    e.stable_after_ms = 2_000;
    e.qos_check_interval_ms = 300;
    e.qos_just_now_ms = 200;
    // Offline time uses up the resend budget (R47) and the first re-login waits up to
    // 1 s (R20): a roomy budget keeps recovery tests from losing messages by chance.
    e.qos_max_resends = 8;
    e.max_pending_qos = 4_000;
    config
}

/// The events of one client, in delivery order.
pub struct Events {
    rx: mpsc::Receiver<(Instant, Event)>,
    seen: Vec<Event>,
    /// When each event of `seen` was delivered.
    seen_at: Vec<Instant>,
    matched_at: Option<Instant>,
}

impl Events {
    /// Waits for the first event matching `pred` (events before it are kept in `seen`).
    pub fn wait_for(&mut self, what: &str, mut pred: impl FnMut(&Event) -> bool) -> Event {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((at, event)) => {
                    self.seen.push(event.clone());
                    self.seen_at.push(at);
                    if pred(&event) {
                        self.matched_at = Some(at);
                        return event;
                    }
                }
                Err(_) => panic!(
                    "timed out waiting for {what}; events so far: {:#?}",
                    self.seen
                ),
            }
        }
    }

    /// Collects events for `window` and returns those matching `pred` (a bounded wait
    /// for something that must NOT happen).
    pub fn during(&mut self, window: Duration, mut pred: impl FnMut(&Event) -> bool) -> Vec<Event> {
        let deadline = Instant::now() + window;
        let mut matching = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return matching;
            }
            match self.rx.recv_timeout(left) {
                Ok((at, event)) => {
                    self.seen.push(event.clone());
                    self.seen_at.push(at);
                    if pred(&event) {
                        matching.push(event);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => return matching,
                Err(mpsc::RecvTimeoutError::Disconnected) => return matching,
            }
        }
    }

    /// Waits for the manual login result and checks it is `0`.
    pub fn wait_online(&mut self) {
        match self.wait_for("login result", |e| matches!(e, Event::LoginResult { .. })) {
            Event::LoginResult { code: 0, .. } => {}
            other => panic!("login failed: {other:?}"),
        }
    }

    /// When the callback of the event last returned by [`Events::wait_for`] ran.
    pub fn matched_at(&self) -> Instant {
        self.matched_at.expect("nothing matched yet")
    }

    /// When the last event seen so far that matches `pred` was delivered.
    pub fn last_seen_at(&self, mut pred: impl FnMut(&Event) -> bool) -> Option<Instant> {
        self.seen
            .iter()
            .zip(&self.seen_at)
            .rev()
            .find(|(event, _)| pred(event))
            .map(|(_, at)| *at)
    }

    /// Every event received so far.
    pub fn seen(&self) -> &[Event] {
        &self.seen
    }

    /// Events delivered after the channel closed are impossible; this returns whatever
    /// arrives without waiting.
    pub fn drain_now(&mut self) -> Vec<Event> {
        let mut out = Vec::new();
        while let Ok((at, event)) = self.rx.try_recv() {
            self.seen.push(event.clone());
            self.seen_at.push(at);
            out.push(event);
        }
        out
    }
}

/// A client whose events arrive in the returned [`Events`].
pub fn client(config: Config) -> (Client, Events) {
    let (tx, rx) = mpsc::channel();
    let client = Client::new(config, move |event: &Event| {
        let _ = tx.send((Instant::now(), event.clone()));
    })
    .unwrap();
    (
        client,
        Events {
            rx,
            seen: Vec::new(),
            seen_at: Vec::new(),
            matched_at: None,
        },
    )
}

pub fn login_request(user: &str) -> LoginRequest {
    LoginRequest {
        user_id: user.to_string(),
        token: format!("token-{user}"),
        app: None,
        extra: None,
    }
}

/// A client logged in as `user` (waits for the login result 0).
pub fn online_client(config: Config, user: &str) -> (Client, Events) {
    let (client, mut events) = client(config);
    client.login(login_request(user)).unwrap();
    events.wait_online();
    assert_eq!(client.state(), State::Online);
    (client, events)
}

/// Waits until `cond` holds, checking every few milliseconds (for server-side state that
/// has no event, e.g. the online user list).
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}
