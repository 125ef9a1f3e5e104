//! R18, R19, R53: link loss and what survives it.

use super::harness::*;
use crate::engine::{Event, LinkClosedReason, LinkError, LossReason, State, StateReason};
use crate::protocol::{packet_type as pt, Dialect};

#[test]
fn r18_link_loss_reports_link_closed_once_then_waiting() {
    let cases = [
        (LinkError::Closed, LinkClosedReason::ServerClosed),
        (
            LinkError::Io("reset".into()),
            LinkClosedReason::NetworkError,
        ),
        (LinkError::TooLarge, LinkClosedReason::ProtocolError),
    ];
    for d in Dialect::ALL {
        for (error, reason) in cases.clone() {
            let mut h = Harness::new(d);
            h.online();
            h.closed(error);
            let a = h.take();
            assert_eq!(closes(&a), 0, "the transport already closed it");
            let ev = events(&a);
            assert_eq!(ev[0], Event::LinkClosed { reason });
            assert!(matches!(
                ev[1],
                Event::StateChanged {
                    state: State::Waiting,
                    reason: StateReason::Reconnecting,
                    attempt: 1,
                    ..
                }
            ));
            assert_eq!(ev.len(), 2);
            // A second close report for the same link changes nothing.
            let old = h.conn.unwrap();
            h.engine.handle_transport(
                old,
                crate::engine::TransportEvent::Closed(LinkError::Closed),
                h.now,
            );
            assert!(h.events().is_empty());
        }
    }
}

#[test]
fn r18_auto_relogin_off_ends_the_session() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.auto_relogin = false);
        h.online();
        let fp = h.send_qos("bob", "pending");
        h.take();
        h.closed(LinkError::Closed);
        let ev = h.events();
        assert_eq!(lost_fps(&ev), vec![(fp, LossReason::Cancelled)]);
        assert_eq!(
            ev[1],
            Event::LinkClosed {
                reason: LinkClosedReason::ServerClosed
            }
        );
        assert_eq!(
            state_changes(&ev),
            vec![(State::Idle, StateReason::LinkLost)]
        );
        h.advance(120_000);
        assert_eq!(connects(&h.take()), 0);
    }
}

#[test]
fn r18_no_link_closed_for_attempts_that_never_reached_online() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.closed(LinkError::Closed);
        h.take();
        h.relogin_connected();
        h.take();
        h.closed(LinkError::Closed);
        let ev = h.events();
        assert!(!ev.iter().any(|e| matches!(e, Event::LinkClosed { .. })));
        assert!(!ev.iter().any(|e| matches!(e, Event::LoginResult { .. })));
        assert_eq!(
            state_changes(&ev),
            vec![(State::Waiting, StateReason::Reconnecting)]
        );
    }
}

#[test]
fn r19_link_loss_keeps_the_queue_and_the_dedup_set() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let fp = h.send_qos("bob", "keep me");
        let incoming = h.data_packet("bob", Some("in-1"), true, "hello");
        h.server(&incoming);
        h.take();
        h.closed(LinkError::Io("gone".into()));
        assert_eq!(h.engine.pending_count(), 1);
        h.relogin();
        h.take();
        h.server(&incoming);
        let a = h.take();
        assert_eq!(written_of_type(d, &a, pt::ACK).len(), 1, "still ACKed");
        assert!(
            events(&a).is_empty(),
            "still a duplicate after the link loss"
        );
        h.server_ack(&fp);
        assert_eq!(h.events(), vec![Event::MessageAcked { fp }]);
    }
}

#[test]
fn r53_busy_window_and_keepalive_reset_per_link_queue_ages_kept() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.online();
    h.server_error(302, "busy");
    assert_eq!(
        h.send(crate::engine::SendRequest::new("bob", "x"))
            .unwrap_err()
            .code,
        302
    );
    h.closed(LinkError::Closed);
    h.relogin();
    h.take();
    h.send(crate::engine::SendRequest::new("bob", "x")).unwrap();
    // Keepalive restarts one interval after the new 50.
    h.advance(d.spec().keepalive_interval_ms - 1);
    assert!(written_of_type(d, &h.take(), pt::KEEPALIVE).is_empty());
    h.advance(1);
    assert_eq!(written_of_type(d, &h.take(), pt::KEEPALIVE).len(), 1);
}
