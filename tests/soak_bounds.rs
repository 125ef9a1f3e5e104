//! The short variant of `make soak`: a hostile server floods a slow application, and a
//! server stops reading while the application sends. Asserts the functional bounds
//! (R36, R61, R62): the callback backlog never passes its cap, every message is
//! delivered exactly once and ACKed only after its callback returned, release drops the
//! backlog unseen and unACKed, and a non-reading server gets a refusal and a closed link
//! instead of a growing buffer. No wall-clock assertions.

#[path = "../benches/soak/hostile.rs"]
mod hostile;

use hostile::login;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::Duration;

use imsdk::client::{Client, Config, Event, LinkClosedReason, SendRequest};
use imsdk::protocol::{codes, Dialect};
use parking_lot::Mutex;

/// Upper bound for waiting on the network; a hang fails the test instead of blocking CI.
const PATIENCE: Duration = Duration::from_secs(60);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn r61_a_flood_to_a_slow_application_is_delivered_once_acked_after_delivery_and_capped() {
    const COUNT: u64 = 2_000;
    const CAP: usize = 20;
    let rt = runtime();
    let delivered: hostile::Delivered = Default::default();
    let (url, log) = rt.block_on(hostile::flood_server(COUNT, 200, delivered.clone()));

    let client_cell: Arc<OnceLock<Client>> = Arc::new(OnceLock::new());
    let max_backlog = Arc::new(AtomicU64::new(0));
    let order = Arc::new(Mutex::new(Vec::<String>::new()));
    let (done_tx, done) = mpsc::channel::<()>();
    let handler = {
        let (client_cell, max_backlog, order, delivered) = (
            client_cell.clone(),
            max_backlog.clone(),
            order.clone(),
            delivered.clone(),
        );
        move |event: &Event| {
            let Event::Message(m) = event else {
                return;
            };
            if let Some(client) = client_cell.get() {
                max_backlog.fetch_max(client.stats().callback_backlog, Ordering::Relaxed);
            }
            // A slow application.
            std::thread::sleep(Duration::from_micros(200));
            order.lock().push(m.fp.clone());
            delivered.lock().insert(m.fp.clone());
            if order.lock().len() as u64 == COUNT {
                let _ = done_tx.send(());
            }
        }
    };
    let mut config = Config::new(url, Dialect::Seed);
    config.engine.max_callback_backlog = CAP;
    let client = Client::new(config, handler).unwrap();
    let _ = client_cell.set(client.clone());
    login(&client, "slow-app");
    done.recv_timeout(PATIENCE)
        .expect("every message delivered");
    // The last ACKs follow the last deliveries.
    for _ in 0..600 {
        if log.acked.lock().len() as u64 >= COUNT {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    client.release();

    let order = order.lock().clone();
    let expected: Vec<String> = (0..COUNT).map(hostile::flood_fp).collect();
    assert_eq!(order, expected, "each message once, in order");
    let acked: HashSet<String> = log.acked.lock().iter().cloned().collect();
    assert_eq!(
        acked.len() as u64,
        COUNT,
        "every delivered message was ACKed"
    );
    assert_eq!(
        log.acked_before_delivery.load(Ordering::Relaxed),
        0,
        "an ACK arrived before its message was delivered"
    );
    let max = max_backlog.load(Ordering::Relaxed);
    // The budget counts frames; the one frame that crosses the cap may bring more than one
    // event (a login response brings two).
    assert!(
        max as usize <= CAP + 1,
        "callback backlog reached {max} (cap {CAP})"
    );
    assert!(max > 0);
}

#[test]
fn r36_release_drops_the_undelivered_backlog_without_acking_it() {
    const COUNT: u64 = 5_000;
    let rt = runtime();
    let delivered: hostile::Delivered = Default::default();
    let (url, log) = rt.block_on(hostile::flood_server(COUNT, 100, delivered.clone()));

    let (unblock_tx, unblock) = mpsc::channel::<()>();
    let unblock = Mutex::new(unblock);
    let release_began = Arc::new(AtomicBool::new(false));
    let late_messages = Arc::new(AtomicU64::new(0));
    let released = Arc::new(AtomicU64::new(0));
    let handler = {
        let (delivered, release_began, late_messages, released) = (
            delivered.clone(),
            release_began.clone(),
            late_messages.clone(),
            released.clone(),
        );
        move |event: &Event| match event {
            Event::Message(m) => {
                if release_began.load(Ordering::SeqCst) {
                    late_messages.fetch_add(1, Ordering::SeqCst);
                }
                // The first message blocks until the test has begun the release.
                let _ = unblock.lock().recv_timeout(PATIENCE);
                delivered.lock().insert(m.fp.clone());
            }
            Event::Released => {
                released.fetch_add(1, Ordering::SeqCst);
            }
            _ => {}
        }
    };
    let mut config = Config::new(url, Dialect::Seed);
    config.engine.max_callback_backlog = 1_000;
    let client = Client::new(config, handler).unwrap();
    login(&client, "stuck-app");
    let mut waited = 0;
    while client.stats().callback_backlog < 500 {
        std::thread::sleep(Duration::from_millis(20));
        waited += 1;
        assert!(waited < 3_000, "the backlog never built up");
    }
    let releaser = {
        let client = client.clone();
        std::thread::spawn(move || client.release())
    };
    // release() has begun once the client reports IDLE.
    while client.state() != imsdk::client::State::Idle {
        std::thread::sleep(Duration::from_millis(1));
    }
    release_began.store(true, Ordering::SeqCst);
    drop(unblock_tx);
    releaser.join().unwrap();

    assert_eq!(released.load(Ordering::SeqCst), 1);
    assert_eq!(
        late_messages.load(Ordering::SeqCst),
        0,
        "on_message ran after release() began"
    );
    let delivered = delivered.lock().clone();
    assert_eq!(
        delivered.len(),
        1,
        "only the message being handled when release began"
    );
    let acked = log.acked.lock().clone();
    assert!(
        acked.iter().all(|fp| delivered.contains(fp)),
        "an undelivered message was ACKed: {} ACKs",
        acked.len()
    );
    assert_eq!(log.acked_before_delivery.load(Ordering::Relaxed), 0);
}

/// A client with `max_outbound_bytes` = `cap`, logged in as "talker"; its events.
fn online_talker(mut config: Config, cap: usize) -> (Client, mpsc::Receiver<Event>) {
    config.engine.max_outbound_bytes = cap;
    let (tx, events) = mpsc::channel::<Event>();
    let handler = move |event: &Event| {
        let _ = tx.send(event.clone());
    };
    let client = Client::new(config, handler).unwrap();
    login(&client, "talker");
    let result = events
        .iter()
        .find(|e| matches!(e, Event::LoginResult { .. }));
    assert!(matches!(result, Some(Event::LoginResult { code: 0, .. })));
    (client, events)
}

#[test]
fn r62_a_server_that_stops_reading_gets_refusals_and_a_closed_link_not_a_growing_buffer() {
    const CAP: usize = 256 * 1024;
    let rt = runtime();
    let url = rt.block_on(hostile::silent_server());
    let (client, events) = online_talker(Config::new(url, Dialect::Seed), CAP);

    // Messages without QoS: refused once the cap is reached (the kernel's socket buffers
    // take a few MB first). 200 MB without a refusal means no cap.
    let content = "x".repeat(1_000);
    let mut refused = None;
    for _ in 0..200_000 {
        let plain = SendRequest {
            qos: false,
            ..SendRequest::new("peer", content.as_str())
        };
        if let Err(e) = client.send(plain) {
            refused = Some(e);
            break;
        }
    }
    let refused = refused.expect("never refused");
    assert_eq!(refused.code, codes::QUEUE_FULL, "{}", refused.message);
    let stats = client.stats();
    assert!(stats.outbound_bytes as usize <= CAP, "{stats:?}");
    assert!(stats.outbound_peak_bytes as usize <= CAP, "{stats:?}");

    // QoS messages are queued by the engine and written; past the cap the link goes.
    for _ in 0..1_000 {
        if client
            .send(SendRequest::new("peer", content.as_str()))
            .is_err()
        {
            break;
        }
    }
    let closed = events
        .iter()
        .find(|e| matches!(e, Event::LinkClosed { .. }));
    assert_eq!(
        closed,
        Some(Event::LinkClosed {
            reason: LinkClosedReason::NetworkError
        })
    );
    let stats = client.stats();
    assert!(stats.outbound_peak_bytes as usize <= CAP, "{stats:?}");
    assert!(stats.pending_qos > 0, "QoS messages stay queued: {stats:?}");
    client.release();
}

#[test]
fn r62_once_a_stalled_server_reads_again_the_written_bytes_stop_counting() {
    // Above what the kernel's socket buffers take from a peer that does not read (a few
    // MB), so the link itself ends up holding bytes.
    const CAP: usize = 16 * 1024 * 1024;
    let rt = runtime();
    let resume = Arc::new(tokio::sync::Notify::new());
    let read = Arc::new(AtomicU64::new(0));
    let url = rt.block_on(hostile::stalling_server(resume.clone(), read.clone()));
    let mut config = Config::new(url, Dialect::Seed);
    // No timer may wake the client while the test waits: only the writes themselves.
    config.engine.keepalive_interval_ms = 3_600_000;
    config.engine.keepalive_timeout_ms = 7_200_000;
    config.engine.qos_check_interval_ms = 3_600_000;
    let (client, _events) = online_talker(config, CAP);

    let content = "x".repeat(1_000);
    let plain = || SendRequest {
        qos: false,
        ..SendRequest::new("peer", content.as_str())
    };
    // Fill until the link itself holds over half the cap: the kernel's socket buffers are
    // full and a write waits (refusals alone may come earlier, from frames the driver
    // has not taken yet).
    let mut accepted: u64 = 0;
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        match client.send(plain()) {
            Ok(_) => accepted += 1,
            Err(e) => {
                assert_eq!(e.code, codes::QUEUE_FULL, "{}", e.message);
                if client.stats().outbound_bytes as usize > CAP / 2 {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the link never filled"
        );
    }

    // The server reads again: the bytes drain without any API call or timer (stats()
    // wakes nothing), and the client must count them as written, or it refuses sends
    // for bytes long gone. Once the server has read every accepted frame, the link's
    // figure must come down to 0.
    resume.notify_one();
    let deadline = std::time::Instant::now() + PATIENCE;
    while read.load(Ordering::Relaxed) < accepted || client.stats().outbound_bytes > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "still counted as waiting: {:?}",
            client.stats()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    if let Err(e) = client.send(plain()) {
        panic!("refused after the drain: {e:?}; {:?}", client.stats());
    }
    client.release();
}
