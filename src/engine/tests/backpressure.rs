//! R36 (ACK once delivered), R38 with undelivered copies, R61 (callback backlog and
//! paused reading), R62 (outbound bytes): the application's pace, with simulated time.

use super::harness::*;
use crate::engine::{Action, EngineConfig, Event, LinkClosedReason, LinkError, SendRequest, State};
use crate::protocol::{codes, decode, packet_type as pt, Dialect};

/// Online, with deliveries reported by the test from now on.
fn online_manual(d: Dialect, tweak: impl FnOnce(&mut EngineConfig)) -> Harness {
    let mut h = Harness::config(d, tweak);
    h.online();
    h.auto_deliver = false;
    h
}

fn acked_fps(d: Dialect, actions: &[Action]) -> Vec<String> {
    written_of_type(d, actions, pt::ACK)
        .iter()
        .map(|p| p.content().to_string())
        .collect()
}

/// The server sends a QoS message; returns the number of its event.
fn receive(h: &mut Harness, fp: &str) -> u64 {
    let seq = h.engine.events_emitted();
    let p = h.data_packet("bob", Some(fp), true, fp);
    h.server(&p);
    seq
}

#[test]
fn r36_a_message_is_acked_once_its_callback_returned_not_on_receipt() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |_| {});
        let first = receive(&mut h, "m1");
        let second = receive(&mut h, "m2");
        let a = h.take();
        assert_eq!(events(&a).len(), 2, "both handed to the application");
        assert!(acked_fps(d, &a).is_empty(), "nothing ACKed before delivery");
        h.deliver(first + 1);
        assert_eq!(acked_fps(d, &h.take()), ["m1"]);
        h.deliver(second + 1);
        assert_eq!(acked_fps(d, &h.take()), ["m2"]);
        h.deliver(second + 1);
        assert!(
            frames(&h.take()).is_empty(),
            "a report repeated writes nothing"
        );
    }
}

#[test]
fn r36_frames_other_than_messages_are_still_acked_at_once() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |_| {});
        let mut p = h.data_packet("0", Some("err-fp"), true, "");
        p.packet_type = 99; // unknown type: R42, still ACKed
        h.server(&p);
        assert_eq!(acked_fps(d, &h.take()), ["err-fp"]);
    }
}

#[test]
fn r38_a_copy_of_an_undelivered_message_is_neither_delivered_nor_acked_early() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |_| {});
        let seq = receive(&mut h, "dup");
        receive(&mut h, "dup");
        let a = h.take();
        assert_eq!(events(&a).len(), 1, "delivered once");
        assert!(acked_fps(d, &a).is_empty(), "no ACK before delivery");
        assert_eq!(h.engine.stats().duplicates, 1);
        h.deliver(seq + 1);
        assert_eq!(acked_fps(d, &h.take()), ["dup"], "one ACK, after delivery");
        receive(&mut h, "dup");
        let a = h.take();
        assert!(events(&a).is_empty());
        assert_eq!(
            acked_fps(d, &a),
            ["dup"],
            "a delivered message's copy: ACK at once"
        );
    }
}

#[test]
fn r36_no_ack_for_what_was_undelivered_when_the_session_ended() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |_| {});
        let seq = receive(&mut h, "late");
        h.engine.logout(h.now).unwrap();
        h.take();
        h.deliver(seq + 1);
        assert!(acked_fps(d, &h.take()).is_empty(), "after logout");

        let mut h = online_manual(d, |_| {});
        receive(&mut h, "late");
        h.engine.release(h.now);
        h.take();
        h.deliver(h.engine.events_emitted());
        assert!(frames(&h.take()).is_empty(), "after release");
    }
}

#[test]
fn r36_a_message_delivered_while_the_link_is_down_is_acked_after_the_relogin() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |_| {});
        let seq = receive(&mut h, "m");
        h.closed(LinkError::Closed);
        h.deliver(seq + 1);
        assert!(frames(&h.take()).is_empty(), "no link to write on");
        h.auto_deliver = true;
        h.relogin();
        let a = h.take();
        assert_eq!(acked_fps(d, &a), ["m"]);
        let texts = frames(&a);
        let login = texts
            .iter()
            .position(|t| decode(d, t).unwrap().packet_type == pt::LOGIN);
        let ack = texts
            .iter()
            .position(|t| decode(d, t).unwrap().packet_type == pt::ACK);
        assert!(login < ack, "the ACK follows the login");
    }
}

#[test]
fn r61_reading_pauses_at_the_event_cap_and_resumes_at_half() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |c| c.max_callback_backlog = 4);
        let base = h.engine.events_emitted();
        assert_eq!(h.engine.read_budget().frames, 4);
        for fp in ["a", "b", "c"] {
            receive(&mut h, fp);
        }
        assert_eq!(h.engine.read_budget().frames, 1);
        receive(&mut h, "d");
        assert!(!h.engine.read_budget().allows_reading(), "4 undelivered");
        assert_eq!(h.engine.stats().callback_backlog, 4);
        h.deliver(base + 1);
        assert!(!h.engine.read_budget().allows_reading(), "3 > half of 4");
        h.deliver(base + 2);
        assert_eq!(h.engine.read_budget().frames, 2, "resumed at 2");
        assert_eq!(acked_fps(d, &h.take()), ["a", "b"]);
    }
}

#[test]
fn r61_reading_pauses_at_the_byte_cap() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |c| c.max_callback_backlog_bytes = 65_536);
        let p = h.data_packet("bob", Some("big1"), true, &"x".repeat(40_000));
        h.server(&p);
        let budget = h.engine.read_budget();
        assert!(budget.allows_reading() && budget.bytes < 65_536 - 40_000);
        let p = h.data_packet("bob", Some("big2"), true, &"y".repeat(40_000));
        h.server(&p);
        assert!(!h.engine.read_budget().allows_reading());
        assert!(h.engine.stats().callback_backlog_bytes >= 80_000);
        h.deliver(h.engine.events_emitted());
        assert!(h.engine.read_budget().allows_reading());
        assert_eq!(h.engine.stats().callback_backlog_bytes, 0);
    }
}

#[test]
fn r61_the_liveness_clock_does_not_run_while_reading_is_paused() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |c| c.max_callback_backlog = 1);
        let timeout = EngineConfig::new(d).keepalive_timeout_ms;
        receive(&mut h, "slow");
        assert!(!h.engine.read_budget().allows_reading());
        h.advance(timeout * 10);
        let a = h.take();
        assert_eq!(h.engine.state(), State::Online, "not blamed on the server");
        assert!(
            !written_of_type(d, &a, pt::KEEPALIVE).is_empty(),
            "keepalives still go out"
        );
        h.deliver(h.engine.events_emitted());
        h.take();
        h.advance(timeout - 1);
        assert_eq!(
            h.engine.state(),
            State::Online,
            "a full window after resuming"
        );
        h.advance(1);
        let lost = events(&h.take());
        assert!(lost.contains(&Event::LinkClosed {
            reason: LinkClosedReason::KeepaliveTimeout
        }));
    }
}

#[test]
fn r61_the_login_timeout_does_not_run_while_reading_is_paused() {
    for d in Dialect::ALL {
        let mut h = online_manual(d, |c| c.max_callback_backlog = 1);
        let login_timeout = EngineConfig::new(d).login_timeout_ms;
        receive(&mut h, "slow");
        h.closed(LinkError::Closed);
        h.relogin_connected();
        assert_eq!(h.engine.state(), State::Authenticating);
        h.advance(login_timeout * 3);
        assert_eq!(h.engine.state(), State::Authenticating);
        h.deliver(h.engine.events_emitted());
        h.advance(login_timeout - 1);
        assert_eq!(h.engine.state(), State::Authenticating);
        h.advance(1);
        assert_eq!(
            h.engine.state(),
            State::Waiting,
            "timed out a full window later"
        );
    }
}

#[test]
fn r62_a_message_without_qos_is_refused_with_1002_past_max_outbound_bytes() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.max_outbound_bytes = 65_536);
        h.online();
        let plain = |content: &str| SendRequest {
            qos: false,
            ..SendRequest::new("bob", content)
        };
        // Nobody takes the frames: they wait, and the engine counts them.
        let mut accepted = 0;
        let refused = loop {
            match h.engine.send(plain(&"x".repeat(1_000)), h.now) {
                Ok(_) => accepted += 1,
                Err(e) => break e,
            }
            assert!(accepted < 100, "never refused");
        };
        assert_eq!(refused.code, codes::QUEUE_FULL);
        // The refusal counts the frames the driver has not taken yet; the figures of
        // stats() are the link's, which holds nothing yet.
        let stats = h.engine.stats();
        assert_eq!((stats.outbound_bytes, stats.outbound_peak_bytes), (0, 0));
        assert!(
            refused.message.contains("not reading"),
            "{}",
            refused.message
        );
        assert!((50..66).contains(&accepted), "{accepted}");
        assert_eq!(
            h.engine.echo(&"p".repeat(2_000), h.now).unwrap_err().code,
            codes::QUEUE_FULL
        );
        assert!(
            h.send(SendRequest::new("bob", "qos")).is_ok(),
            "QoS still queues"
        );
        // The driver wrote everything: room again.
        h.take();
        h.engine.outbound_changed(0, 70_000);
        assert!(h.engine.send(plain("again"), h.now).is_ok());
        let stats = h.engine.stats();
        assert_eq!(stats.outbound_peak_bytes, 70_000);
        assert_eq!(
            stats.outbound_bytes, 0,
            "the link's figure, as last reported"
        );
        h.take();
        h.engine.outbound_changed(500, 500);
        assert_eq!(h.engine.stats().outbound_bytes, 500);
    }
}
