//! R57: the busy window of a seed 302. One burst of 302s (all arriving while the window is
//! open) opens one window; it doubles only when the server is still busy soon after a
//! window closed, up to `busy_backoff_max`.

use super::harness::*;
use crate::engine::{Event, SendRequest, State};
use crate::protocol::{codes, Dialect};

fn online_seed() -> Harness {
    // No keepalive answers in these tests: keep the link up for the whole run.
    let mut h = Harness::config(Dialect::Seed, |c| c.keepalive_timeout_ms = 3_600_000);
    h.online();
    h
}

/// Whether a send is refused with 302 right now (a refused send queues nothing).
fn busy(h: &mut Harness) -> bool {
    let nonqos = SendRequest {
        qos: false,
        ..SendRequest::new("bob", "x")
    };
    let refused = h.send(nonqos).map_err(|e| e.code).err() == Some(codes::SERVER_BUSY);
    h.take();
    refused
}

/// Asserts the window in force closes exactly `ms` from now.
fn assert_window_closes_in(h: &mut Harness, ms: u64) {
    h.advance(ms - 1);
    assert!(busy(h), "still busy 1 ms before the window closes");
    h.advance(1);
    assert!(!busy(h), "the window closes after {ms} ms");
}

#[test]
fn r57_302_refuses_sends_keeps_the_link_and_the_named_message() {
    let d = Dialect::Seed;
    let mut h = online_seed();
    let fp = h.send_qos("bob", "named");
    let frame = data_frames(d, &h.take()).remove(0);
    h.server_error(302, &frame);
    assert!(matches!(
        h.events()[0],
        Event::ServerError { code: 302, .. }
    ));
    assert_eq!(h.engine.state(), State::Online, "the link stays up");
    assert_eq!(
        h.send(SendRequest::new("bob", "qos")).unwrap_err().code,
        codes::SERVER_BUSY,
        "a QoS send is refused, not queued"
    );
    assert_eq!(
        h.engine.pending_count(),
        1,
        "the named message stays queued"
    );
    assert!(h.engine.queue.contains(&fp));
    assert_window_closes_in(&mut h, 5_000);
}

#[test]
fn r57_a_burst_of_302s_inside_the_window_opens_it_once() {
    let mut h = online_seed();
    // Ten in-flight frames answered at once, then stragglers until the window's end.
    for _ in 0..10 {
        h.server_error(302, "busy");
    }
    h.advance(2_000);
    h.server_error(302, "busy");
    h.advance(2_999);
    h.server_error(302, "busy");
    assert_eq!(
        h.events()
            .iter()
            .filter(|e| matches!(e, Event::ServerError { code: 302, .. }))
            .count(),
        12,
        "every 302 is still reported"
    );
    // Opened at 0 with busy_backoff (5 s), untouched by the burst.
    assert_window_closes_in(&mut h, 1);
}

#[test]
fn r57_302_soon_after_a_window_doubles_it_up_to_the_max() {
    let mut h = online_seed();
    h.server_error(302, "busy");
    assert_window_closes_in(&mut h, 5_000);
    // Sending resumed and the server is still busy: each next window twice as long.
    for expected in [10_000, 20_000, 30_000, 30_000] {
        h.advance(100);
        h.server_error(302, "still busy");
        assert_window_closes_in(&mut h, expected);
    }
}

#[test]
fn r57_302_after_a_quiet_window_length_starts_again_at_busy_backoff() {
    let mut h = online_seed();
    h.server_error(302, "busy");
    h.advance(5_000 + 100);
    h.server_error(302, "busy");
    assert_window_closes_in(&mut h, 10_000);
    // The 10 s window closed; a whole window length passes without a 302.
    h.advance(10_000);
    h.server_error(302, "busy again");
    assert_window_closes_in(&mut h, 5_000);
}
