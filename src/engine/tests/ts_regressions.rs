//! Regressions for the mistakes of the original TypeScript SDK (PROTOCOL.md §10), as far
//! as the engine is concerned.

use super::harness::*;
use crate::engine::{
    Event, LinkClosedReason, LinkError, LossReason, SendRequest, State, TransportEvent,
};
use crate::protocol::{codes, packet_type as pt, Dialect, Packet};

#[test]
fn ts01_keepalive_timeout_actually_fires_on_a_dead_link() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        // The server goes silent; keepalives are written but never answered.
        h.advance(d.spec().keepalive_timeout_ms);
        assert!(h.events().contains(&Event::LinkClosed {
            reason: LinkClosedReason::KeepaliveTimeout
        }));
    }
}

#[test]
fn ts02_server_close_leads_to_a_relogin() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.closed(LinkError::Closed);
        h.relogin();
        assert!(h.events().contains(&Event::LoginResult {
            code: 0,
            relogin: true
        }));
    }
}

#[test]
fn ts03_timers_restart_after_301_and_never_multiply() {
    for d in Dialect::ALL {
        let interval = d.spec().keepalive_interval_ms;
        let mut h = Harness::new(d);
        h.online();
        for _ in 0..5 {
            h.server_error(301, "{}");
            h.relogin();
        }
        h.take();
        // Exactly one keepalive per interval, answered so the link stays up.
        for _ in 0..4 {
            h.advance(interval);
            let a = h.take();
            assert_eq!(written_of_type(d, &a, pt::KEEPALIVE).len(), 1);
            h.server(&Packet::new(pt::KEEPALIVE_RESPONSE));
        }
    }
}

#[test]
fn ts04_reconnect_neither_drops_pending_messages_nor_the_dedup_set() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let fp = h.send_qos("bob", "x");
        let incoming = h.data_packet("bob", Some("in"), true, "once");
        h.server(&incoming);
        h.closed(LinkError::Closed);
        h.relogin();
        h.server(&incoming);
        h.server_ack(&fp);
        let messages = events(&h.history())
            .into_iter()
            .filter(|e| matches!(e, Event::Message(_)))
            .count();
        assert_eq!(
            messages, 1,
            "the resend after reconnect is not delivered twice"
        );
        assert!(events(&h.history()).contains(&Event::MessageAcked { fp }));
    }
}

#[test]
fn ts05_login_has_a_timeout_and_one_connect_per_call() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        h.advance(600_000);
        let a = h.take();
        assert_eq!(connects(&a), 1);
        assert!(events(&a).contains(&Event::LoginResult {
            code: codes::CONNECT_FAILED,
            relogin: false
        }));
        assert_eq!(h.engine.poll_timeout(), None);
    }
}

#[test]
fn ts06_logout_stops_everything_and_online_does_not_log_back_in() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.send_qos("bob", "x");
        h.engine.logout(h.now).unwrap();
        h.take();
        assert_eq!(h.engine.poll_timeout(), None);
        h.engine.network_changed(false, h.now);
        h.engine.network_changed(true, h.now);
        h.advance(600_000);
        assert!(significant(h.take()).is_empty());
    }
}

#[test]
fn ts07_mobileimsdk_uses_qos_and_sm_and_acks_incoming_qos() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    h.send_qos("bob", "x");
    let text = frames(&h.take()).remove(0);
    assert!(text.contains("\"QoS\":true") && text.contains("\"sm\":-1"));
    assert!(!text.contains("\"Qos\"") && !text.contains("sendTs"));
    h.server_text(
        r#"{"bridge":false,"type":2,"dataContent":"hi","from":"bob","to":"alice","fp":"f1","QoS":true,"typeu":-1,"sm":-1}"#,
    );
    h.server_text(
        r#"{"bridge":false,"type":2,"dataContent":"hi","from":"bob","to":"alice","fp":"f1","QoS":true,"typeu":-1,"sm":-1}"#,
    );
    let a = h.take();
    assert_eq!(written_of_type(d, &a, pt::ACK).len(), 2);
    assert_eq!(events(&a).len(), 1);
}

#[test]
fn ts08_mobileimsdk_54_is_a_kickout_not_a_delivery() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    let fp = h.send_qos("bob", "x");
    h.take();
    h.kickout(1, None);
    let ev = h.events();
    assert!(!ev.iter().any(|e| matches!(e, Event::MessageAcked { .. })));
    assert_eq!(lost_fps(&ev), vec![(fp, LossReason::Cancelled)]);
    assert!(ev.contains(&Event::Kicked {
        code: 1,
        reason: String::new()
    }));
    assert_eq!(h.engine.state(), State::Idle);
}

#[test]
fn ts09_relogin_carries_first_login_time() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online(); // 50 carried firstLoginTime 1795630938309
    h.closed(LinkError::Closed);
    h.advance_until(|h| h.engine.state() == State::Connecting);
    h.take();
    h.connected();
    let login = written_of_type(d, &h.take(), pt::LOGIN).remove(0);
    assert!(login.content().contains("\"firstLoginTime\":1795630938309"));
}

#[test]
fn ts10_ack_addressing_and_bridge_per_dialect() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.user = "bob".into();
    h.online();
    let v = vector(d, "recv_bridge_true_echoed_in_ack");
    h.server_text(&v.raw);
    assert_eq!(
        frames(&h.take()),
        vec![v.expect["ack_raw"].as_str().unwrap().to_string()]
    );
    let msg = events(&h.history())
        .into_iter()
        .find_map(|e| match e {
            Event::Message(m) => Some(m),
            _ => None,
        })
        .unwrap();
    assert!(msg.bridge, "bridge kept on parse");
}

#[test]
fn ts11_keepalive_fits_the_server_idle_timeout_and_starts_one_interval_after_login() {
    for d in Dialect::ALL {
        let spec = d.spec();
        assert!(spec.keepalive_interval_ms * 2 <= spec.server_idle_timeout_ms + 1_000);
        let mut h = Harness::new(d);
        h.online();
        h.advance(spec.keepalive_interval_ms);
        assert_eq!(written_of_type(d, &h.take(), pt::KEEPALIVE).len(), 1);
    }
}

#[test]
fn ts12_network_flaps_never_leave_two_links_and_no_login_after_logout() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        for _ in 0..5 {
            h.engine.network_changed(false, h.now);
            h.engine.network_changed(true, h.now);
        }
        let a = h.take();
        // Each up starts one attempt; each down closes the attempt in flight first.
        let mut open = 0i32;
        for x in &a {
            match x {
                crate::engine::Action::Connect { .. } => {
                    open += 1;
                    assert!(open <= 1, "two links at once");
                }
                crate::engine::Action::Close { .. } => open -= 1,
                _ => {}
            }
        }
        h.engine.logout(h.now).unwrap();
        h.engine.network_changed(true, h.now);
        h.advance(600_000);
        assert_eq!(connects(&h.take()), 0);
    }
}

#[test]
fn ts13_released_engine_refuses_everything() {
    let mut h = Harness::new(Dialect::Seed);
    h.online();
    h.engine.release(h.now);
    h.take();
    assert_eq!(
        h.engine.login(h.login_req(), h.now).unwrap_err().code,
        codes::INVALID_HANDLE
    );
    let conn = h.conn.unwrap();
    h.engine
        .handle_transport(conn, TransportEvent::Connected, h.now);
    assert!(h.take().is_empty());
}

#[test]
fn ts14_results_are_true_offline_sends_queue_and_bogus_acks_are_silent() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.max_pending_qos = 3);
        h.online();
        h.closed(LinkError::Closed);
        let fp = h.send_qos("bob", "offline");
        assert_eq!(h.engine.pending_count(), 1, "queued, not refused with 3");
        h.relogin();
        h.take();
        h.server_ack("unknown");
        h.server_ack(&fp);
        h.server_ack(&fp);
        assert_eq!(h.events(), vec![Event::MessageAcked { fp }]);
        for i in 0..3 {
            h.send_qos("bob", &i.to_string());
        }
        assert_eq!(
            h.send(SendRequest::new("bob", "4")).unwrap_err().code,
            codes::QUEUE_FULL
        );
    }
}

#[test]
fn ts15_rejected_token_is_not_retried() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        h.connected();
        h.login_response(103, -1);
        h.advance(600_000);
        assert_eq!(connects(&h.take()), 1);
    }
}

#[test]
fn ts16_every_outcome_carries_a_code_and_bad_error_frames_do_not_crash() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let junk = Packet {
            data_content: Some("{not json".into()),
            ..Packet::new(pt::ERROR)
        };
        h.server(&junk);
        let no_code = Packet {
            data_content: Some("{\"errorMsg\":\"x\"}".into()),
            ..Packet::new(pt::ERROR)
        };
        h.server(&no_code);
        assert!(h.events().is_empty());
        assert_eq!(h.engine.state(), State::Online);
        h.server_error(301, "{}");
        assert!(matches!(
            h.events()[0],
            Event::ServerError { code: 301, .. }
        ));
    }
}

#[test]
fn ts17_sender_is_always_the_logged_in_user() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        // SendRequest has no sender field at all; whatever the receiver, from = user.
        for to in ["bob", "0", "alice", "g1"] {
            h.send_qos(to, "x");
        }
        for p in written_of_type(d, &h.take(), pt::COMMON_DATA) {
            assert_eq!(p.from, USER);
        }
    }
}

#[test]
fn ts18_mobileimsdk_never_uses_a_subprotocol() {
    // The subprotocol is the transport's (D16); the engine only exposes the table fact
    // the transport reads, and writes nothing that depends on it.
    assert!(!Dialect::MobileImSdk.spec().allows_subprotocol);
    assert!(Dialect::Seed.spec().allows_subprotocol);
}
