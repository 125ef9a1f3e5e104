//! R1–R4 (one link at a time, frame shape, size cap, sender) and R54/R55 (groups).

use super::harness::*;
use crate::engine::{
    Action, Event, LinkError, LoginRequest, LossReason, SendRequest, State, TransportEvent,
};
use crate::protocol::{codes, decode, packet_type as pt, Dialect, Packet};

#[test]
fn r01_input_from_a_superseded_link_is_ignored() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let old = h.conn.unwrap();
        h.closed(LinkError::Closed);
        h.relogin();
        h.take();
        let stale = |h: &mut Harness, e: TransportEvent| {
            h.engine.handle_transport(old, e, h.now);
            significant(h.take())
        };
        let p = h.data_packet("bob", Some("x"), true, "stale");
        let text = crate::protocol::encode(d, &p);
        assert!(stale(&mut h, TransportEvent::Frame(text)).is_empty());
        assert!(stale(&mut h, TransportEvent::Connected).is_empty());
        assert!(stale(&mut h, TransportEvent::Closed(LinkError::Closed)).is_empty());
        assert_eq!(h.engine.state(), State::Online);
        // Unknown future ids too.
        h.engine
            .handle_transport(9_999, TransportEvent::Closed(LinkError::Closed), h.now);
        assert!(significant(h.take()).is_empty());
    }
}

#[test]
fn r01_one_connect_at_a_time_and_timers_die_with_their_link() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.closed(LinkError::Closed);
        // Over many failing attempts, connects never overlap: each Connect follows the
        // end (Close or Closed) of the previous one.
        let mut open: Option<u64> = None;
        for _ in 0..5 {
            h.advance_until(|h| h.engine.state() == State::Connecting);
            for a in h.take() {
                if let Action::Connect { conn_id } = a {
                    assert!(open.is_none(), "two connects in flight");
                    open = Some(conn_id);
                }
            }
            h.closed(LinkError::Io("refused".into()));
            open = None;
        }
        // The old link's keepalive deadlines never fire: nothing is written without a
        // new Connected.
        h.advance(60_000);
        assert!(frames(&h.take()).is_empty());
        assert!(open.is_none());
    }
}

#[test]
fn r02_every_frame_written_has_the_dialect_shape() {
    for d in Dialect::ALL {
        let spec = d.spec();
        let other = Dialect::ALL.into_iter().find(|x| *x != d).unwrap().spec();
        let mut h = Harness::new(d);
        h.online();
        h.send_qos("bob", "a");
        let p = h.data_packet("bob", Some("in"), true, "b");
        h.server(&p);
        h.engine.echo("e", h.now).unwrap();
        h.advance(20_000);
        h.engine.logout(h.now).unwrap();
        for text in frames(&h.history()) {
            let packet = decode(d, &text).unwrap();
            assert!(text.starts_with("{\"bridge\":"), "{text}");
            assert!(text.contains(&format!("\"{}\":", spec.qos_key)), "{text}");
            assert!(!text.contains(&format!("\"{}\":", other.qos_key)), "{text}");
            assert!(
                text.contains(&format!("\"{}\":", spec.server_ts_key)),
                "{text}"
            );
            assert_eq!(text, crate::protocol::encode(d, &packet), "canonical shape");
        }
    }
}

#[test]
fn r03_oversized_frames_are_neither_written_nor_queued() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.max_frame_bytes = 400);
        let huge = LoginRequest {
            token: "t".repeat(400),
            ..h.login_req()
        };
        assert_eq!(
            h.engine.login(huge, h.now).unwrap_err().code,
            codes::INVALID_PACKET
        );
        assert_eq!(h.engine.state(), State::Idle);
        h.online();
        let big = "x".repeat(400);
        for qos in [true, false] {
            let req = SendRequest {
                qos,
                ..SendRequest::new("bob", big.clone())
            };
            assert_eq!(h.send(req).unwrap_err().code, codes::INVALID_PACKET);
        }
        assert_eq!(
            h.engine.echo(&big, h.now).unwrap_err().code,
            codes::INVALID_PACKET
        );
        // Escaping counts: 150 quotes become 300 bytes.
        let quotes = "\"".repeat(150);
        assert_eq!(
            h.send(SendRequest::new("bob", quotes)).unwrap_err().code,
            codes::INVALID_PACKET
        );
        assert_eq!(h.engine.pending_count(), 0);
        assert!(frames(&h.take()).is_empty());
        // Every frame that is written fits.
        h.send(SendRequest::new("bob", "x".repeat(100))).unwrap();
        h.advance(30_000);
        assert!(frames(&h.history()).iter().all(|t| t.len() <= 400));
    }
}

#[test]
fn r04_from_is_always_the_logged_in_user_to_is_0_for_control_frames() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.send_qos("bob", "a");
        h.engine.echo("e", h.now).unwrap();
        let p = h.data_packet("mallory", Some("in"), true, "b");
        h.server(&p);
        h.advance(d.spec().keepalive_interval_ms);
        h.engine.logout(h.now).unwrap();
        for p in packets(d, &h.history()) {
            if p.packet_type == pt::ACK && d == Dialect::Seed {
                assert_eq!(
                    p.from, "mallory",
                    "seed ACK: from = the acked frame's sender"
                );
                continue;
            }
            assert_eq!(p.from, USER, "type {}", p.packet_type);
            if [pt::LOGIN, pt::KEEPALIVE, pt::LOGOUT, pt::ECHO].contains(&p.packet_type) {
                assert_eq!(p.to, "0");
            }
        }
    }
}

#[test]
fn r54_seed_group_messages_are_sent_acked_deduplicated_and_dispatched() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.user = "1".into();
    h.online();
    let req = SendRequest {
        typeu: Some(1),
        fp: Some("0b3e3c7a-1f7d-4c7e-9d61-5b8c2f0e4a11".into()),
        ..SendRequest::new("g100", "hi all")
    };
    h.send(req).unwrap();
    assert_eq!(frames(&h.take()), vec![vector(d, "send_group_typeu_1").raw]);
    h.server_ack("0b3e3c7a-1f7d-4c7e-9d61-5b8c2f0e4a11");
    assert_eq!(h.events().len(), 1);
    let v = vector(d, "recv_group_message");
    h.server_text(&v.raw);
    h.server_text(&v.raw);
    let a = h.take();
    let acks = frames(&a);
    assert_eq!(acks.len(), 2);
    assert_eq!(acks[0], v.expect["ack_raw"].as_str().unwrap());
    let ev = events(&a);
    assert_eq!(ev.len(), 1, "the second copy is a duplicate");
    let Event::Message(m) = &ev[0] else { panic!() };
    assert_eq!(m.typeu, 1);
    assert_eq!(m.to, decode(d, &v.raw).unwrap().to);
}

#[test]
fn r55_mobileimsdk_typeu_passes_through_group_id_is_lost_timeout() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 3_600_000);
    h.online();
    let req = SendRequest {
        typeu: Some(1),
        ..SendRequest::new("g100", "to a group id")
    };
    let fp = h.send(req).unwrap();
    let written = written_of_type(d, &h.take(), pt::COMMON_DATA);
    assert_eq!(written[0].typeu, 1);
    let incoming = Packet {
        typeu: 1,
        ..h.data_packet("bob", Some("t1"), true, "x")
    };
    h.server(&incoming);
    assert!(matches!(&h.events()[..], [Event::Message(m)] if m.typeu == 1));
    h.advance(20_000);
    assert_eq!(lost_fps(&h.events()), vec![(fp, LossReason::Timeout)]);
}

#[test]
fn r03_frame_at_the_cap_is_accepted_and_seed_retry_count_growth_counts() {
    for d in Dialect::ALL {
        let req = || SendRequest {
            fp: Some("fixed-fp".into()),
            ..SendRequest::new("bob", "y".repeat(200))
        };
        // Measure the exact first-write size with a generous cap.
        let mut h = Harness::new(d);
        h.online();
        h.send(req()).unwrap();
        let size = data_frames(d, &h.take())[0].len();
        // At exactly the cap: accepted.
        let mut h = Harness::config(d, |c| c.max_frame_bytes = size);
        h.online();
        assert!(h.send(req()).is_ok(), "{d:?}");
        // seed: with 10 resends allowed, `retryCount` may need two digits.
        let mut h = Harness::config(d, |c| {
            c.max_frame_bytes = size;
            c.qos_max_resends = 10;
        });
        h.online();
        let r = h.send(req());
        if d.spec().writes_retry_count {
            assert_eq!(r.unwrap_err().code, codes::INVALID_PACKET);
        } else {
            assert!(r.is_ok());
        }
    }
}
