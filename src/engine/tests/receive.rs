//! R35–R42: parsing, ACK duty, de-duplication, ACK receipt, dispatch.

use super::harness::*;
use crate::engine::{Action, Event, Message};
use crate::log::LogLevel;
use crate::protocol::{decode, packet_type as pt, Dialect, Packet};

#[test]
fn r35_invalid_frames_are_logged_and_dropped_link_stays_up() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let long_fp = format!(
            "{{\"type\":2,\"fp\":\"{}\",\"Qos\":true,\"QoS\":true}}",
            "x".repeat(65)
        );
        for bad in [
            "not json",
            "[1,2]",
            "{\"from\":\"0\",\"dataContent\":\"x\"}",
            "{\"type\":\"two\"}",
            "{\"type\":2}{\"type\":2}",
            long_fp.as_str(),
        ] {
            h.server_text(bad);
            let a = h.take();
            assert!(frames(&a).is_empty(), "{bad}: no ACK, nothing written");
            assert!(events(&a).is_empty(), "{bad}: nothing dispatched");
            assert!(
                a.iter().any(|x| matches!(
                    x,
                    Action::Log {
                        level: LogLevel::Warn,
                        ..
                    }
                )),
                "{bad}: logged"
            );
            assert_eq!(h.engine.state(), crate::engine::State::Online);
        }
    }
}

#[test]
fn r35_invalid_vectors_are_dropped() {
    let d = Dialect::Seed;
    for case in ["invalid_missing_type", "invalid_not_json"] {
        let mut h = Harness::new(d);
        h.online();
        h.server_text(&vector(d, case).raw);
        assert!(h.events().is_empty());
    }
}

/// R36 against every server frame of the vectors: the exact ACK (or none) is written.
#[test]
fn r36_ack_written_for_each_vector_frame_is_exactly_ack_raw() {
    for d in Dialect::ALL {
        let all = vectors(d);
        for (i, v) in all.iter().enumerate() {
            if v.dir != "s2c" || v.expect.get("ack_raw").is_none() {
                continue;
            }
            let packet = decode(d, &v.raw).unwrap();
            let mut h = Harness::new(d);
            h.user = match packet.to.as_str() {
                "0" | "-1" => "alice".to_string(),
                to => to.to_string(),
            };
            let is_login_response = v.expect["kind"] == "login_response";
            if is_login_response {
                h.login();
                h.connected();
            } else {
                h.online();
            }
            let after_preceding = v.expect["note"]
                .as_str()
                .is_some_and(|n| n.starts_with("after the preceding line"));
            if after_preceding {
                h.server_text(&all[i - 1].raw);
            }
            h.take();
            h.server_text(&v.raw);
            let acks: Vec<String> = frames(&h.take())
                .into_iter()
                .filter(|t| decode(d, t).unwrap().packet_type == pt::ACK)
                .collect();
            let expected: Vec<String> = v.expect["ack_raw"]
                .as_str()
                .map(|s| vec![s.to_string()])
                .unwrap_or_default();
            assert_eq!(acks, expected, "{d:?} {}", v.case);
        }
    }
}

#[test]
fn r36_ack_addressing_per_dialect_and_bridge_echoed() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let mut p = h.data_packet("bob", Some("fp-b"), true, "x");
        p.bridge = true;
        h.server(&p);
        let ack = &written_of_type(d, &h.take(), pt::ACK)[0];
        let expect = match d {
            Dialect::Seed => ("bob", "0"),
            Dialect::MobileImSdk => (USER, "bob"),
        };
        assert_eq!((ack.from.as_str(), ack.to.as_str()), expect);
        assert!(ack.bridge);
        assert_eq!(
            (ack.content(), ack.qos, ack.fp.clone(), ack.typeu),
            ("fp-b", false, None, -1)
        );
    }
}

/// With callbacks that return at once, each message's ACK follows its delivery.
#[test]
fn r36_acks_are_written_after_delivery_in_arrival_order() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        for fp in ["a1", "a2", "a3"] {
            let p = h.data_packet("bob", Some(fp), true, fp);
            h.server(&p);
        }
        let a = h.take();
        let order: Vec<String> = a
            .iter()
            .filter_map(|x| match x {
                Action::Send { text, .. } => {
                    Some(format!("ack:{}", decode(d, text).unwrap().content()))
                }
                Action::Emit(Event::Message(m)) => Some(format!("msg:{}", m.fp)),
                _ => None,
            })
            .collect();
        assert_eq!(
            order,
            ["msg:a1", "ack:a1", "msg:a2", "ack:a2", "msg:a3", "ack:a3"]
        );
    }
}

#[test]
fn r37_qos_frame_without_fp_is_dispatched_not_acked() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let p = h.data_packet("bob", None, true, "no fp");
        h.server(&p);
        h.server(&p);
        let a = h.take();
        assert!(frames(&a).is_empty());
        assert_eq!(events(&a).len(), 2, "not de-duplicated either");
    }
}

#[test]
fn r38_duplicate_is_acked_again_not_dispatched_non_qos_never_deduplicated() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let p = h.data_packet("bob", Some("dup"), true, "once");
        h.server(&p);
        h.server(&p);
        let a = h.take();
        assert_eq!(written_of_type(d, &a, pt::ACK).len(), 2);
        assert_eq!(events(&a).len(), 1);
        assert_eq!(h.engine.stats().duplicates, 1);
        let q = h.data_packet("bob", Some("noqos"), false, "twice");
        h.server(&q);
        h.server(&q);
        let a = h.take();
        assert!(frames(&a).is_empty());
        assert_eq!(events(&a).len(), 2);
    }
}

#[test]
fn r39_dedup_ttl_counts_from_last_seen() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 3_600_000);
        h.online();
        let p = h.data_packet("bob", Some("ttl"), true, "x");
        h.server(&p);
        h.advance(9 * 60_000);
        h.server(&p); // seen again: refreshes
        h.advance(9 * 60_000);
        h.server(&p);
        assert_eq!(events(&h.take()).len(), 1, "refreshed each time it is seen");
        h.advance(10 * 60_000);
        h.server(&p);
        assert_eq!(events(&h.take()).len(), 1, "expired after 10 min unseen");
    }
}

#[test]
fn r39_dedup_cap_evicts_the_least_recently_seen() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::config(d, |c| c.dedup_cap = 3);
    h.online();
    let pk = |h: &Harness, fp: &str| h.data_packet("bob", Some(fp), true, fp);
    for fp in ["a", "b", "c"] {
        let p = pk(&h, fp);
        h.server(&p);
    }
    let a = pk(&h, "a");
    h.server(&a); // a becomes most recent; b is now the oldest
    let dd = pk(&h, "d");
    h.server(&dd); // evicts b
    h.take();
    assert_eq!(h.engine.dedup.len(), 3);
    let b = pk(&h, "b");
    h.server(&b);
    assert_eq!(
        events(&h.take()).len(),
        1,
        "b was evicted: dispatched again"
    );
    let dd = pk(&h, "d");
    h.server(&dd);
    assert!(events(&h.take()).is_empty(), "d is still there");
}

#[test]
fn r40_ack_receipt_settles_once_unknown_and_second_acks_ignored() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let fp = h.send_qos("bob", "x");
        h.take();
        h.server_ack(&fp);
        h.server_ack(&fp);
        h.server_ack("never-sent");
        assert_eq!(h.events(), vec![Event::MessageAcked { fp: fp.clone() }]);
        let s = h.engine.stats();
        assert_eq!((s.acked, s.ignored_acks, s.pending_qos), (1, 2, 0));
    }
}

#[test]
fn r40_acks_are_never_acked_or_deduplicated() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let f1 = h.send_qos("bob", "1");
        h.take();
        let ack = Packet {
            data_content: Some(f1.clone()),
            from: "0".into(),
            to: USER.into(),
            fp: Some("ack-own-fp".into()),
            qos: true,
            ..Packet::new(pt::ACK)
        };
        h.server(&ack);
        let a = h.take();
        assert!(frames(&a).is_empty(), "an ACK is never ACKed");
        assert_eq!(events(&a), vec![Event::MessageAcked { fp: f1 }]);
        let f2 = h.send_qos("bob", "2");
        h.take();
        let ack2 = Packet {
            data_content: Some(f2.clone()),
            ..ack
        };
        h.server(&ack2);
        assert_eq!(
            h.events(),
            vec![Event::MessageAcked { fp: f2 }],
            "not de-duplicated"
        );
    }
}

#[test]
fn r40_seed_accepts_54_and_4_mobileimsdk_only_4() {
    for d in Dialect::ALL {
        for ack_type in [pt::ACK, pt::SERVER_ACK_OR_KICKOUT] {
            let mut h = Harness::new(d);
            h.online();
            let fp = h.send_qos("bob", "x");
            h.take();
            let p = Packet {
                data_content: Some(fp.clone()),
                from: "0".into(),
                to: USER.into(),
                ..Packet::new(ack_type)
            };
            h.server(&p);
            let acked = h.events().contains(&Event::MessageAcked { fp });
            let expected = d.spec().ack_types.contains(&ack_type);
            assert_eq!(acked, expected, "{d:?} type {ack_type}");
        }
    }
}

#[test]
fn r41_type_2_is_dispatched_with_every_field() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.user = "1".into();
    h.online();
    h.server_text(&vector(d, "recv_qos_one_to_one_with_sendTs").raw);
    let ev = h.events();
    assert_eq!(
        ev,
        vec![Event::Message(Message {
            fp: "0b3e3c7a-1f7d-4c7e-9d61-5b8c2f0e4a11".into(),
            from: "2".into(),
            to: "1".into(),
            content: "hello 1".into(),
            typeu: 0,
            server_time: Some(1_589_000_000_000),
            qos: true,
            bridge: false,
        })]
    );
    // Content stays verbatim (never decoded), absent content is "", no server time ≤ 0.
    let m = Dialect::MobileImSdk;
    let mut h = Harness::new(m);
    h.user = "bob".into();
    h.online();
    for case in [
        "recv_double_encoded_json_content_stays_text",
        "recv_absent_content",
        "recv_missing_fields_filled_by_server_typeu0_sm0",
    ] {
        let v = vector(m, case);
        h.server_text(&v.raw);
        let ev = h.events();
        let [Event::Message(msg)] = &ev[..] else {
            panic!("{case}: {ev:?}");
        };
        let expect = decode(m, &v.raw).unwrap();
        assert_eq!(msg.content, expect.content(), "{case}");
        assert_eq!(msg.server_time, None, "{case}");
    }
}

#[test]
fn r42_keepalive_response_error_echo_and_unknown_types() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.server(&Packet::new(pt::KEEPALIVE_RESPONSE));
        assert!(h.events().is_empty(), "51: liveness only");
        let echo = Packet {
            data_content: Some("ping?".into()),
            ..Packet::new(pt::ECHO_RESPONSE)
        };
        h.server(&echo);
        assert_eq!(
            h.events(),
            vec![Event::Echo {
                text: "ping?".into()
            }]
        );
        // An unknown type is logged and ignored, after its ACK.
        let unknown = Packet {
            fp: Some("unk".into()),
            qos: true,
            ..Packet::new(77)
        };
        h.server(&unknown);
        let a = h.take();
        assert_eq!(written_of_type(d, &a, pt::ACK).len(), 1);
        assert!(events(&a).is_empty());
        assert!(a.iter().any(|x| matches!(x, Action::Log { .. })));
        h.server_error(999, "whatever");
        assert_eq!(
            h.events(),
            vec![Event::ServerError {
                code: 999,
                message: "whatever".into()
            }]
        );
        assert_eq!(h.engine.state(), crate::engine::State::Online);
    }
}

/// P9, R35: a frame whose sender id is over the id cap (here half a megabyte) never
/// reaches the application: it is dropped with a log line naming the field and its size,
/// and, like any invalid frame, not ACKed even with QoS (the server's resends meet the
/// same fate; the sender's message ends as lost on its side rather than as delivered).
#[test]
fn r35_p9_a_frame_with_an_id_over_the_cap_is_dropped_logged_and_not_acked() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let mut packet = h.data_packet("bob", Some("fp-huge"), true, "hi");
        packet.from = "x".repeat(500_000);
        h.server(&packet);
        let a = h.take();
        assert!(frames(&a).is_empty(), "{d:?}: no ACK");
        assert!(events(&a).is_empty(), "{d:?}: nothing dispatched");
        let logged = a.iter().any(|x| {
            matches!(x, Action::Log { level: LogLevel::Warn, message }
                if message.contains("`from` is 500000 bytes long (at most 256 allowed)"))
        });
        assert!(logged, "{d:?}: {a:?}");
        assert_eq!(h.engine.state(), crate::engine::State::Online);
    }
}
