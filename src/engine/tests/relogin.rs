//! R20–R25: auto re-login backoff, attempts, outcomes, counter reset.

use super::harness::*;
use crate::engine::{Event, LinkError, State, TransportEvent};
use crate::protocol::{packet_type as pt, Dialect};

/// The (attempt, delay) of every WAITING event in `events`.
fn waits(events: &[Event]) -> Vec<(u32, u64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::StateChanged {
                state: State::Waiting,
                attempt,
                delay_ms,
                ..
            } => Some((*attempt, *delay_ms)),
            _ => None,
        })
        .collect()
}

/// Fails the current attempt with a connect error and returns the next (attempt, delay).
fn fail_attempt(h: &mut Harness) -> (u32, u64) {
    h.advance_until(|h| h.engine.state() == State::Connecting);
    h.take();
    let conn = h.conn.unwrap();
    h.engine.handle_transport(
        conn,
        TransportEvent::Closed(LinkError::Io("refused".into())),
        h.now,
    );
    let w = waits(&h.events());
    assert_eq!(w.len(), 1);
    w[0]
}

#[test]
fn r20_backoff_delays_are_jittered_within_their_windows() {
    for d in Dialect::ALL {
        for seed in [1u64, 2, 3, 0xdead_beef] {
            let mut h = Harness::config(d, |c| c.rng_seed = seed);
            h.online();
            h.closed(LinkError::Closed);
            let (k, delay) = waits(&h.events())[0];
            assert_eq!(k, 1);
            assert!(delay <= 1_000, "attempt 1 in [0, 1 s]: {delay}");
            let ceilings = [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000];
            for (i, d_max) in ceilings.iter().enumerate() {
                let (k, delay) = fail_attempt(&mut h);
                assert_eq!(k as usize, i + 2);
                assert!(
                    (d_max / 2..=*d_max).contains(&delay),
                    "attempt {k}: {delay} not in [{}, {d_max}]",
                    d_max / 2
                );
            }
        }
    }
}

#[test]
fn r20_attempt_starts_exactly_after_its_delay() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.online();
    h.closed(LinkError::Closed);
    let (_, delay) = waits(&h.events())[0];
    let lost_at = h.now;
    h.advance_until(|h| h.engine.state() == State::Connecting);
    let started = h.now - lost_at;
    // advance_until steps 10 ms; the attempt starts in the step that crosses the delay.
    assert!(started.as_millis() as u64 >= delay && started.as_millis() as u64 <= delay + 10);
    assert_eq!(h.engine.stats().reconnects, 1);
}

#[test]
fn r20_same_seed_same_delays() {
    let run = || {
        let mut h = Harness::config(Dialect::MobileImSdk, |c| c.rng_seed = 99);
        h.online();
        h.closed(LinkError::Closed);
        let mut all = waits(&h.events());
        for _ in 0..4 {
            all.push(fail_attempt(&mut h));
        }
        all
    };
    assert_eq!(run(), run());
}

#[test]
fn r21_delay_counts_from_the_end_of_the_previous_attempt_one_connect_at_a_time() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.closed(LinkError::Closed);
        h.take();
        // Attempt 1 starts and then hangs until its connect timeout.
        h.advance_until(|h| h.engine.state() == State::Connecting);
        let attempt_started = h.now;
        h.take();
        h.advance(4_980);
        let a = h.take();
        assert_eq!(connects(&a), 0, "no second connect while one is in flight");
        h.advance_until(|h| h.engine.state() == State::Waiting);
        let failed_at = h.now;
        assert!(failed_at - attempt_started >= std::time::Duration::from_millis(4_990));
        let ev = h.events();
        let (k, delay) = waits(&ev)[0];
        assert_eq!(k, 2);
        h.advance_until(|h| h.engine.state() == State::Connecting);
        let waited = (h.now - failed_at).as_millis() as u64;
        assert!(
            waited >= delay && waited <= delay + 10,
            "{waited} vs {delay}"
        );
    }
}

#[test]
fn r22_relogin_sends_the_stored_credentials() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        let mut req = h.login_req();
        req.extra = Some("ex".into());
        h.engine.login(req, h.now).unwrap();
        h.connected();
        let manual = written_of_type(d, &h.take(), pt::LOGIN).remove(0);
        h.login_response(0, -1);
        h.closed(LinkError::Closed);
        h.take();
        h.relogin_connected();
        let relogin = written_of_type(d, &h.take(), pt::LOGIN).remove(0);
        // The server sent no firstLoginTime (> 0), so even mobileimsdk repeats 0.
        assert_eq!(manual, relogin);
        assert!(relogin.content().contains(TOKEN));
        assert!(relogin.content().contains("\"extra\":\"ex\""));
    }
}

#[test]
fn r23_relogin_outcomes() {
    for d in Dialect::ALL {
        // 301 during a re-login: next attempt, no login result.
        let mut h = Harness::new(d);
        h.online();
        h.closed(LinkError::Closed);
        h.relogin_connected();
        h.take();
        h.server_error(301, "{}");
        let ev = h.events();
        assert!(matches!(ev[0], Event::ServerError { code: 301, .. }));
        assert_eq!(waits(&ev).len(), 1);
        assert_eq!(waits(&ev)[0].0, 2);
        assert!(!ev.iter().any(|e| matches!(e, Event::LoginResult { .. })));
        // login_timeout during a re-login: next attempt.
        h.relogin_connected();
        h.take();
        h.advance(10_000);
        let ev = h.events();
        assert_eq!(waits(&ev)[0].0, 3);
        assert!(!ev.iter().any(|e| matches!(e, Event::LinkClosed { .. })));
        // Success: R10 with relogin = true.
        h.relogin();
        assert!(h.events().contains(&Event::LoginResult {
            code: 0,
            relogin: true
        }));
    }
}

#[test]
fn r24_counter_resets_after_stable_after_online_earlier_loss_continues() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 600_000);
        h.online();
        h.closed(LinkError::Closed);
        assert_eq!(waits(&h.events())[0].0, 1);
        h.relogin();
        h.advance(29_000);
        h.closed(LinkError::Closed);
        assert_eq!(
            waits(&h.events())[0].0,
            2,
            "ONLINE < 30 s: the sequence continues"
        );
        h.relogin();
        h.advance(30_000);
        h.closed(LinkError::Closed);
        assert_eq!(
            waits(&h.events())[0].0,
            1,
            "ONLINE ≥ 30 s: back to attempt 1"
        );
    }
}

#[test]
fn r25_no_attempt_limit_each_attempt_reported() {
    let mut h = Harness::new(Dialect::Seed);
    h.online();
    h.closed(LinkError::Closed);
    h.take();
    for k in 2..=40 {
        let (attempt, delay) = fail_attempt(&mut h);
        assert_eq!(attempt, k);
        assert!(delay <= 30_000);
    }
    assert_eq!(h.engine.state(), State::Waiting);
    assert_eq!(h.engine.stats().reconnects, 39);
}
