//! `make soak`: hostile servers against one client with the default options, printing
//! the peak resident memory of the process (VmHWM, reset between scenarios) and the
//! time `release()` takes with a backlog of 100 000 messages.
//!
//! 1. flood, small: the server writes 200 000 QoS messages of 100 bytes; `on_message`
//!    takes 1 ms.
//! 2. flood, large: 10 000 QoS messages of 60 KB; `on_message` takes 1 ms.
//! 3. release with a backlog: `max_callback_backlog` raised to 100 000, the application
//!    stuck in its first callback until 100 000 messages wait; `release()` is timed.
//! 4. non-reading server: after the login it reads nothing while the application sends
//!    1 000 000 messages without QoS (100 bytes), then QoS messages until the queue is
//!    full.
//!
//! Each scenario runs in a child process of its own, so one's heap does not show in the
//! next one's peak. The servers run in that process too (they hold at most one frame
//! each), so the figures are an upper bound for the client. `--secs N` sets how long
//! each flood runs (20).

#[path = "hostile.rs"]
mod hostile;

use hostile::login;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use imsdk::client::{Client, Config, Event, SendRequest, State};
use imsdk::protocol::Dialect;
use parking_lot::Mutex;

const SCENARIOS: [&str; 4] = ["flood-small", "flood-large", "release-backlog", "silent"];

fn main() {
    let mut secs: u64 = 20;
    let mut scenario = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--secs" => secs = args.next().and_then(|s| s.parse().ok()).unwrap_or(secs),
            "--scenario" => scenario = args.next(),
            _ => {}
        }
    }
    let Some(scenario) = scenario else {
        println!("soak: default options unless said, floods of {secs} s each");
        let me = std::env::current_exe().expect("own path");
        for name in SCENARIOS {
            let status = std::process::Command::new(&me)
                .args(["--scenario", name, "--secs", &secs.to_string()])
                .status()
                .expect("run scenario");
            assert!(status.success(), "scenario {name} failed");
        }
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let limit = Duration::from_secs(secs);
    let baseline = status_kib("VmRSS");
    match scenario.as_str() {
        "flood-small" => flood(
            &rt,
            "flood 200k x 100 B, 1 ms callback",
            200_000,
            100,
            limit,
        ),
        "flood-large" => flood(
            &rt,
            "flood 10k x 60 KB, 1 ms callback",
            10_000,
            60_000,
            limit,
        ),
        "release-backlog" => release_with_backlog(&rt, 100_000),
        "silent" => silent(&rt),
        other => panic!("unknown scenario {other}"),
    }
    println!("  (process RSS before the scenario: {baseline} KiB)");
}

fn flood(rt: &tokio::runtime::Runtime, name: &str, count: u64, size: usize, limit: Duration) {
    reset_peak();
    let delivered: hostile::Delivered = Default::default();
    let (url, log) = rt.block_on(hostile::flood_server(count, size, delivered.clone()));
    let received = Arc::new(AtomicU64::new(0));
    let handler = {
        let received = received.clone();
        move |event: &Event| {
            if let Event::Message(m) = event {
                std::thread::sleep(Duration::from_millis(1));
                delivered.lock().insert(m.fp.clone());
                received.fetch_add(1, Ordering::Relaxed);
            }
        }
    };
    let client = Client::new(Config::new(url, Dialect::Seed), handler).expect("client");
    login(&client, "soak-reader");
    let start = Instant::now();
    let mut max_backlog = 0;
    while start.elapsed() < limit && received.load(Ordering::Relaxed) < count {
        std::thread::sleep(Duration::from_millis(50));
        max_backlog = max_backlog.max(client.stats().callback_backlog);
    }
    let backlog = client.stats().callback_backlog;
    let release_start = Instant::now();
    client.release();
    let release_ms = release_start.elapsed().as_secs_f64() * 1e3;
    println!(
        "{name}: peak RSS {} KiB; delivered {}, server wrote {}, ACKs {} (early {}); \
         callback backlog max {max_backlog}; release with {backlog} waiting: {release_ms:.1} ms",
        status_kib("VmHWM"),
        received.load(Ordering::Relaxed),
        log.written.load(Ordering::Relaxed),
        log.acked.lock().len(),
        log.acked_before_delivery.load(Ordering::Relaxed),
    );
}

fn release_with_backlog(rt: &tokio::runtime::Runtime, backlog: u64) {
    reset_peak();
    let delivered: hostile::Delivered = Default::default();
    let (url, log) = rt.block_on(hostile::flood_server(
        backlog + 1_000,
        100,
        delivered.clone(),
    ));
    let (unblock_tx, unblock) = mpsc::channel::<()>();
    let unblock = Mutex::new(unblock);
    let handler = move |event: &Event| {
        if let Event::Message(m) = event {
            let _ = unblock.lock().recv_timeout(Duration::from_secs(600));
            delivered.lock().insert(m.fp.clone());
        }
    };
    let mut config = Config::new(url, Dialect::Seed);
    config.engine.max_callback_backlog = backlog as usize;
    config.engine.max_callback_backlog_bytes = 1 << 30;
    let client = Client::new(config, handler).expect("client");
    login(&client, "soak-stuck");
    let start = Instant::now();
    while client.stats().callback_backlog < backlog && start.elapsed() < Duration::from_secs(300) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let waiting = client.stats().callback_backlog;
    let releaser = {
        let client = client.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            client.release();
            start.elapsed()
        })
    };
    while client.state() != State::Idle {
        std::thread::sleep(Duration::from_millis(1));
    }
    drop(unblock_tx);
    let took = releaser.join().expect("release thread");
    println!(
        "release with a backlog of {waiting} messages: {:.1} ms; peak RSS {} KiB; \
         ACKs {} (all of delivered messages: {})",
        took.as_secs_f64() * 1e3,
        status_kib("VmHWM"),
        log.acked.lock().len(),
        log.acked_before_delivery.load(Ordering::Relaxed) == 0,
    );
}

fn silent(rt: &tokio::runtime::Runtime) {
    reset_peak();
    let url = rt.block_on(hostile::silent_server());
    let (tx, events) = mpsc::channel::<Event>();
    let client = Client::new(Config::new(url, Dialect::Seed), move |e: &Event| {
        let _ = tx.send(e.clone());
    })
    .expect("client");
    login(&client, "soak-writer");
    let _ = events
        .iter()
        .find(|e| matches!(e, Event::LoginResult { .. }));
    let content = "p".repeat(100);
    let (mut accepted, mut refused) = (0u64, 0u64);
    for _ in 0..1_000_000 {
        let plain = SendRequest {
            qos: false,
            ..SendRequest::new("peer", content.as_str())
        };
        match client.send(plain) {
            Ok(_) => accepted += 1,
            Err(_) => refused += 1,
        }
    }
    let peak_outbound = client.stats().outbound_peak_bytes;
    let mut qos = 0;
    while client
        .send(SendRequest::new("peer", content.as_str()))
        .is_ok()
    {
        qos += 1;
    }
    std::thread::sleep(Duration::from_secs(1));
    let links_closed = events
        .try_iter()
        .filter(|e| matches!(e, Event::LinkClosed { .. }))
        .count();
    let stats = client.stats();
    client.release();
    println!(
        "non-reading server, 1M sends without QoS: peak RSS {} KiB; accepted {accepted}, \
         refused {refused}; outbound peak {} bytes (after QoS {}); {qos} QoS queued; \
         links closed {links_closed}",
        status_kib("VmHWM"),
        peak_outbound,
        stats.outbound_peak_bytes,
    );
}

/// Resets VmHWM to the current RSS (Linux: `5` into clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A `kB` line of /proc/self/status.
fn status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
