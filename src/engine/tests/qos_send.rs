//! R43–R52: the send path, the QoS queue, resends and outcomes.

use super::harness::*;
use crate::engine::{Event, LinkError, LossReason, SendRequest, State};
use crate::protocol::{codes, decode, packet_type as pt, Dialect};

#[test]
fn r43_send_checks_session_receiver_and_fp() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        assert_eq!(
            h.send(SendRequest::new("bob", "x")).unwrap_err().code,
            codes::NO_LOGIN
        );
        h.online();
        let code = |h: &mut Harness, req: SendRequest| h.send(req).unwrap_err().code;
        assert_eq!(
            code(&mut h, SendRequest::new("", "x")),
            codes::INVALID_ARGUMENT
        );
        let with_fp = |fp: &str| SendRequest {
            fp: Some(fp.to_string()),
            ..SendRequest::new("bob", "x")
        };
        assert_eq!(code(&mut h, with_fp("")), codes::INVALID_ARGUMENT);
        assert_eq!(
            code(&mut h, with_fp(&"f".repeat(65))),
            codes::INVALID_ARGUMENT
        );
        assert_eq!(h.send(with_fp(&"f".repeat(64))).unwrap(), "f".repeat(64));
        assert_eq!(
            code(&mut h, with_fp(&"f".repeat(64))),
            codes::INVALID_ARGUMENT,
            "pending"
        );
        // "0" is the server: a valid receiver.
        assert!(h.send(SendRequest::new("0", "to server")).is_ok());
    }
}

#[test]
fn r43_generated_fp_is_a_lowercase_uuid_v4_and_typeu_defaults_per_dialect() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let fp = h.send_qos("bob", "x");
        let parsed = uuid::Uuid::parse_str(&fp).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(fp, fp.to_lowercase());
        let p = &written_of_type(d, &h.take(), pt::COMMON_DATA)[0];
        assert_eq!(p.typeu, d.spec().default_send_typeu);
        assert_eq!(p.fp_str(), fp);
    }
}

#[test]
fn r43_non_qos_fp_is_written_as_given_or_absent() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let no_fp = SendRequest {
            qos: false,
            ..SendRequest::new("bob", "x")
        };
        assert_eq!(h.send(no_fp.clone()).unwrap(), "");
        let with_fp = SendRequest {
            fp: Some("app-fp".into()),
            ..no_fp
        };
        assert_eq!(h.send(with_fp).unwrap(), "app-fp");
        let written = written_of_type(d, &h.take(), pt::COMMON_DATA);
        assert_eq!(written[0].fp, None);
        assert_eq!(written[1].fp.as_deref(), Some("app-fp"));
        assert_eq!(h.engine.pending_count(), 0, "non-QoS is never queued");
    }
}

#[test]
fn r44_send_frames_match_the_vectors_exactly() {
    for d in Dialect::ALL {
        for v in vectors(d) {
            let Some(op) = v.expect["op"].get("send") else {
                continue;
            };
            let mut h = Harness::new(d);
            h.user = op["user_id"].as_str().unwrap().into();
            h.online();
            let req = SendRequest {
                to: op["to"].as_str().unwrap().into(),
                content: op["content"].as_str().unwrap().into(),
                qos: op["qos"].as_bool().unwrap(),
                typeu: Some(op["typeu"].as_i64().unwrap() as i32),
                fp: op["fp"].as_str().map(str::to_string),
            };
            h.send(req).unwrap();
            assert_eq!(frames(&h.take()), vec![v.raw.clone()], "{}", v.case);
        }
    }
}

#[test]
fn r45_qos_accepted_in_every_session_state_and_queue_cap() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.max_pending_qos = 2);
        h.login();
        h.send_qos("bob", "connecting");
        h.connected();
        h.send_qos("bob", "authenticating");
        let err = h.send(SendRequest::new("bob", "full")).unwrap_err();
        assert_eq!(err.code, codes::QUEUE_FULL);
        assert_eq!(h.engine.pending_count(), 2, "nothing queued on 1002");
        assert!(written_of_type(d, &h.take(), pt::COMMON_DATA).is_empty());
    }
}

#[test]
fn r45_every_accepted_qos_message_gets_exactly_one_outcome() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let acked = h.send_qos("bob", "acked");
        let timeout = h.send_qos("bob", "timeout");
        h.take();
        h.server_ack(&acked);
        h.advance(30_000);
        // Keep the link up with 51s so only the QoS logic acts.
        let cancelled = h.send_qos("bob", "cancelled");
        h.engine.logout(h.now).unwrap();
        h.server_ack(&acked);
        let ev = events(&h.history());
        let mut outcomes: Vec<(String, &str)> = Vec::new();
        for e in &ev {
            match e {
                Event::MessageAcked { fp } => outcomes.push((fp.clone(), "acked")),
                Event::MessagesLost(list) => {
                    for m in list {
                        outcomes.push((
                            m.fp.clone(),
                            match m.reason {
                                LossReason::Timeout => "timeout",
                                LossReason::Cancelled => "cancelled",
                                LossReason::Rejected => "rejected",
                            },
                        ))
                    }
                }
                _ => {}
            }
        }
        outcomes.sort();
        let mut expected = vec![
            (acked, "acked"),
            (timeout, "timeout"),
            (cancelled, "cancelled"),
        ];
        expected.sort();
        assert_eq!(outcomes, expected, "{d:?}");
    }
}

#[test]
fn r46_non_qos_written_only_when_online_else_201() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        let req = SendRequest {
            qos: false,
            ..SendRequest::new("bob", "x")
        };
        assert_eq!(h.send(req.clone()).unwrap_err().code, codes::LINK_DOWN);
        h.connected();
        assert_eq!(h.send(req.clone()).unwrap_err().code, codes::LINK_DOWN);
        h.login_response(0, 1);
        h.take();
        h.send(req.clone()).unwrap();
        assert_eq!(written_of_type(d, &h.take(), pt::COMMON_DATA).len(), 1);
        h.closed(LinkError::Closed);
        assert_eq!(h.send(req).unwrap_err().code, codes::LINK_DOWN);
        assert_eq!(h.engine.stats().sent, 1);
    }
}

/// Sends one QoS message 1 s after login and returns (times of its resends, time of its
/// loss), in ms since the harness started.
fn resend_and_loss_times(d: Dialect) -> (Vec<u64>, u64) {
    let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 3_600_000);
    h.online();
    // Sent 1 s after login: the tick at 5 s sees it written 4 s ago → resend 1.
    h.advance(1_000);
    let fp = h.send_qos("bob", "x");
    h.take();
    let mut resend_times = Vec::new();
    for _ in 0..30 {
        h.advance(1_000);
        let a = h.take();
        let at = (h.now - h.start).as_millis() as u64;
        for p in written_of_type(d, &a, pt::COMMON_DATA) {
            assert_eq!(p.fp_str(), fp);
            resend_times.push(at);
        }
        let lost = lost_fps(&events(&a));
        if !lost.is_empty() {
            assert_eq!(lost, vec![(fp, LossReason::Timeout)]);
            assert_eq!(h.engine.stats().resent, 2);
            assert_eq!(h.engine.stats().lost, 1);
            return (resend_times, at);
        }
    }
    panic!("{d:?}: never reported lost");
}

#[test]
fn r47_lost_timeout_after_two_resends() {
    for d in Dialect::ALL {
        assert_eq!(
            resend_and_loss_times(d),
            (vec![5_000, 10_000], 15_000),
            "{d:?}"
        );
    }
}

#[test]
fn r47_entry_written_just_now_is_skipped() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 3_600_000);
    h.online();
    h.advance(2_500);
    h.send_qos("bob", "x");
    h.take();
    h.advance(2_500); // tick at 5 s: written 2.5 s ago ≤ 3 s → skipped
    assert!(written_of_type(d, &h.take(), pt::COMMON_DATA).is_empty());
    h.advance(5_000); // tick at 10 s: resend 1
    assert_eq!(written_of_type(d, &h.take(), pt::COMMON_DATA).len(), 1);
}

#[test]
fn r47_resends_counted_while_the_link_is_down_write_nothing() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| {
            c.relogin_base_ms = 60_000;
            c.relogin_max_ms = 60_000;
        });
        h.online();
        h.closed(LinkError::Closed);
        // Let attempt 1 fail fast and keep the link down for a long time.
        h.advance_until(|h| h.engine.state() == State::Connecting);
        let conn = h.conn.unwrap();
        h.engine.handle_transport(
            conn,
            crate::engine::TransportEvent::Closed(LinkError::Io("down".into())),
            h.now,
        );
        h.take();
        let fp = h.send_qos("bob", "offline");
        h.advance(20_000);
        let a = h.take();
        assert!(frames(&a).is_empty(), "nothing written while down");
        assert_eq!(lost_fps(&events(&a)), vec![(fp, LossReason::Timeout)]);
    }
}

#[test]
fn r48_entries_accepted_while_down_are_written_by_the_flush() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.closed(LinkError::Closed);
        let fp = h.send_qos("bob", "later");
        h.take();
        h.relogin();
        let data = written_of_type(d, &h.take(), pt::COMMON_DATA);
        assert_eq!(data.len(), 1);
        assert_eq!(data[0].fp_str(), fp);
    }
}

#[test]
fn r49_resend_has_the_same_bytes_except_seed_retry_count() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 3_600_000);
        h.online();
        h.advance(1_000);
        h.send_qos("bob", "same bytes");
        let first = data_frames(d, &h.take()).remove(0);
        h.advance(4_000);
        let resend = data_frames(d, &h.take()).remove(0);
        if d.spec().writes_retry_count {
            assert_eq!(
                resend,
                first.replace("\"retryCount\":0", "\"retryCount\":1")
            );
        } else {
            assert_eq!(resend, first);
        }
    }
    // The vector of a seed resend.
    let d = Dialect::Seed;
    let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 3_600_000);
    h.user = "1".into();
    h.online();
    h.advance(1_000);
    let req = SendRequest {
        fp: Some("f7ebead0-8f3a-11ea-a183-5f898b4edcda".into()),
        typeu: Some(0),
        ..SendRequest::new("2", "test")
    };
    h.send(req).unwrap();
    h.advance(4_000);
    let resend = data_frames(d, &h.take()).pop().unwrap();
    assert_eq!(resend, vector(d, "send_resend_retry_count_1").raw);
}

#[test]
fn r50_lost_timeout_comes_13_to_18_s_after_acceptance() {
    for d in Dialect::ALL {
        for offset in (0..5_000).step_by(250) {
            let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 3_600_000);
            h.online();
            h.advance(offset + 1);
            let accepted = h.now;
            let fp = h.send_qos("bob", "x");
            h.take();
            h.advance_until(|h| !lost_fps(&events(&h.all)).is_empty());
            let took = (h.now - accepted).as_millis();
            assert!(
                (13_000..=18_010).contains(&took),
                "{d:?} offset {offset}: {took} ms"
            );
            assert_eq!(
                lost_fps(&events(&h.history())),
                vec![(fp, LossReason::Timeout)]
            );
        }
    }
}

#[test]
fn r51_acked_means_the_server_accepted_it() {
    // A C2C pseudo-ACK from the recipient (mobileimsdk) and a server ACK from "0" both
    // settle the message: the engine reports what the server said, nothing more.
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.user = "alice".into();
    h.online();
    let req = SendRequest {
        fp: Some("c48360c9-d8d0-4c91-a3bc-4a9d97e11046".into()),
        ..SendRequest::new("bob", "hello bob")
    };
    h.send(req).unwrap();
    h.take();
    h.server_text(&vector(d, "server_ack_c2c_pseudo_ack_from_recipient").raw);
    assert_eq!(
        h.events(),
        vec![Event::MessageAcked {
            fp: "c48360c9-d8d0-4c91-a3bc-4a9d97e11046".into()
        }]
    );
}

#[test]
fn r52_failed_write_on_online_link_is_link_loss_queue_kept() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let fp = h.send_qos("bob", "x");
        h.closed(LinkError::Io("broken pipe".into()));
        let ev = h.events();
        assert!(ev.contains(&Event::LinkClosed {
            reason: crate::engine::LinkClosedReason::NetworkError
        }));
        assert_eq!(h.engine.pending_count(), 1);
        h.relogin();
        let data = written_of_type(d, &h.take(), pt::COMMON_DATA);
        assert_eq!(
            decode(d, &crate::protocol::encode(d, &data[0]))
                .unwrap()
                .fp_str(),
            fp
        );
    }
}

/// R10 + R47: a message the re-login flush wrote again an instant before a QoS tick was
/// written just now, even with its resend budget used up: that tick must not report it
/// lost (its ACK, on its way, would then be ignored).
#[test]
fn r10_r47_entry_flushed_just_before_a_tick_is_not_expired_and_its_ack_counts() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| {
            c.keepalive_timeout_ms = 3_600_000;
            c.relogin_base_ms = 100;
            c.relogin_max_ms = 100;
        });
        h.online();
        h.advance(1);
        let fp = h.send_qos("bob", "x");
        // Two ticks resend it: its budget (2) is used up.
        h.advance_until(|h| h.engine.stats().resent == 2);
        h.closed(LinkError::Closed);
        h.relogin_connected();
        // The 50 arrives 1 ms before the next tick; the flush writes the message again.
        let tick_at = h.engine.qos_tick_at.expect("the session's QoS tick");
        let until_tick = (tick_at - h.now).as_millis() as u64;
        assert!(until_tick > 1, "{d:?}: re-login too late for the scenario");
        h.advance(until_tick - 1);
        h.take();
        h.login_response(0, 1_795_630_938_309);
        assert_eq!(written_of_type(d, &h.take(), pt::COMMON_DATA).len(), 1);
        h.advance(1);
        assert_eq!(lost_fps(&h.events()), vec![], "{d:?}: lost at the tick");
        h.server_ack(&fp);
        assert!(
            h.events().contains(&Event::MessageAcked { fp: fp.clone() }),
            "{d:?}: the ACK was ignored"
        );
        assert_eq!(h.engine.pending_count(), 0);
    }
}

/// P9's id cap holds for the client's own ids too (R5 login, R43 send): a longer user id
/// or receiver is refused with 1000, so the ids the server echoes back always fit.
#[test]
fn p9_r5_r43_own_ids_over_the_id_cap_are_refused() {
    use crate::protocol::MAX_ID_BYTES;
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        let mut req = h.login_req();
        req.user_id = "u".repeat(MAX_ID_BYTES + 1);
        let e = h.engine.login(req, h.now).unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
        assert!(e.message.contains("257 bytes"), "{}", e.message);
        h.user = "u".repeat(MAX_ID_BYTES);
        h.online();
        assert!(h
            .send(SendRequest::new("b".repeat(MAX_ID_BYTES), "x"))
            .is_ok());
        let e = h
            .send(SendRequest::new("b".repeat(MAX_ID_BYTES + 1), "x"))
            .unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
        assert!(e.message.contains("`to`"), "{}", e.message);
    }
}
