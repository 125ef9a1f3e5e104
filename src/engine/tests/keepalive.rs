//! R14–R17: keepalive rhythm, liveness clock, keepalive timeout.

use super::harness::*;
use crate::engine::{Event, LinkClosedReason, State};
use crate::protocol::{packet_type as pt, Dialect, Packet};

#[test]
fn r14_first_keepalive_one_interval_after_the_50_then_every_interval() {
    for d in Dialect::ALL {
        let interval = d.spec().keepalive_interval_ms;
        let mut h = Harness::new(d);
        h.online();
        let keepalives = |h: &mut Harness| written_of_type(d, &h.take(), pt::KEEPALIVE).len();
        h.advance(interval - 1);
        assert_eq!(keepalives(&mut h), 0);
        h.advance(1);
        let ka = written_of_type(d, &h.history(), pt::KEEPALIVE);
        assert_eq!(ka.len(), 1);
        assert_eq!(
            (
                ka[0].content(),
                ka[0].to.as_str(),
                ka[0].from.as_str(),
                ka[0].qos
            ),
            ("{}", "0", USER, false)
        );
        h.take();
        h.server(&Packet::new(pt::KEEPALIVE_RESPONSE));
        // Keep the link alive with 51s and count the rhythm over 10 intervals.
        for _ in 0..10 {
            h.advance(interval);
            h.server(&Packet::new(pt::KEEPALIVE_RESPONSE));
        }
        assert_eq!(keepalives(&mut h), 10);
    }
}

#[test]
fn r14_keepalive_frames_match_the_vectors() {
    for d in Dialect::ALL {
        let v = vectors(d)
            .into_iter()
            .find(|v| v.expect["op"].get("keepalive").is_some())
            .unwrap();
        let mut h = Harness::new(d);
        h.user = v.expect["op"]["keepalive"]["user_id"]
            .as_str()
            .unwrap()
            .into();
        h.online();
        h.advance(d.spec().keepalive_interval_ms);
        assert_eq!(frames(&h.take()), vec![v.raw.clone()]);
    }
}

#[test]
fn r15_any_valid_envelope_refreshes_the_liveness_clock() {
    for d in Dialect::ALL {
        let timeout = d.spec().keepalive_timeout_ms;
        let mut h = Harness::new(d);
        h.online();
        // Only data frames (no 51) for three timeouts: the link stays up.
        for i in 0..6 {
            h.advance(timeout / 2);
            let p = h.data_packet("bob", None, false, &format!("m{i}"));
            h.server(&p);
        }
        assert_eq!(h.engine.state(), State::Online);
    }
}

#[test]
fn r15_invalid_frames_do_not_refresh_the_liveness_clock() {
    for d in Dialect::ALL {
        let timeout = d.spec().keepalive_timeout_ms;
        let mut h = Harness::new(d);
        h.online();
        h.advance(timeout - 100);
        h.server_text("not json");
        h.server_text("{\"from\":\"0\"}");
        h.advance(100);
        assert_eq!(h.engine.state(), State::Waiting);
    }
}

#[test]
fn r16_keepalive_timeout_is_link_loss() {
    for d in Dialect::ALL {
        let timeout = d.spec().keepalive_timeout_ms;
        let mut h = Harness::new(d);
        h.online();
        let conn = h.conn.unwrap();
        h.advance(timeout - 1);
        assert_eq!(h.engine.state(), State::Online);
        h.advance(1);
        let a = h.take();
        assert!(a.contains(&crate::engine::Action::Close { conn_id: conn }));
        let ev = events(&a);
        assert_eq!(
            ev[0],
            Event::LinkClosed {
                reason: LinkClosedReason::KeepaliveTimeout
            }
        );
        assert_eq!(h.engine.state(), State::Waiting);
    }
}

#[test]
fn r16_deadline_is_exact_not_a_coarse_tick() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    h.server(&Packet::new(pt::KEEPALIVE_RESPONSE));
    // The engine asks to be woken exactly when something is due, never later than the
    // liveness deadline.
    let next = h.engine.poll_timeout().unwrap();
    assert!(next <= h.now + std::time::Duration::from_millis(d.spec().keepalive_timeout_ms));
}

#[test]
fn r17_keepalive_is_sent_without_any_ping_and_rtt_is_recorded() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    assert_eq!(h.engine.stats().last_keepalive_rtt_ms, -1);
    h.advance(d.spec().keepalive_interval_ms);
    assert_eq!(written_of_type(d, &h.take(), pt::KEEPALIVE).len(), 1);
    h.advance(42);
    h.server(&Packet::new(pt::KEEPALIVE_RESPONSE));
    assert_eq!(h.engine.stats().last_keepalive_rtt_ms, 42);
}
