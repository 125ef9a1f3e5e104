//! R10–R13: the login response (ONLINE and flush, firstLoginTime, refusal, oddities).

use super::harness::*;
use crate::engine::{Event, LinkError, State, StateReason};
use crate::protocol::{codes, packet_type as pt, Dialect, Packet};

#[test]
fn r10_login_accepted_goes_online_flushes_then_reports_the_result() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        let fp1 = h.send_qos("bob", "one");
        let fp2 = h.send_qos("bob", "two");
        h.connected();
        h.take();
        h.login_response(0, 5);
        let a = h.take();
        let data = written_of_type(d, &a, pt::COMMON_DATA);
        let fps: Vec<_> = data.iter().map(|p| p.fp_str().to_string()).collect();
        assert_eq!(fps, vec![fp1, fp2], "flushed in queue order");
        assert!(
            data.iter().all(|p| p.retry_count == 0),
            "never written before: not a resend"
        );
        let ev = events(&a);
        assert_eq!(
            ev,
            vec![
                Event::StateChanged {
                    state: State::Online,
                    reason: StateReason::LoginAccepted,
                    attempt: 0,
                    delay_ms: 0
                },
                Event::LoginResult {
                    code: 0,
                    relogin: false
                }
            ]
        );
        assert_eq!(h.engine.stats().resent, 0);
    }
}

#[test]
fn r10_flush_on_a_new_link_counts_one_resend_capped() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.online();
    let fp = h.send_qos("bob", "x");
    h.closed(LinkError::Closed);
    h.take();
    h.relogin();
    let a = h.take();
    let data = written_of_type(d, &a, pt::COMMON_DATA);
    assert_eq!(data.len(), 1);
    assert_eq!((data[0].fp_str(), data[0].retry_count), (fp.as_str(), 1));
    assert!(events(&a).contains(&Event::LoginResult {
        code: 0,
        relogin: true
    }));
}

#[test]
fn r11_first_login_time_is_stored_once_per_session() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.login();
    h.connected();
    h.login_response(0, 111);
    h.closed(LinkError::Closed);
    h.take();
    h.relogin_connected();
    let login = &written_of_type(d, &h.take(), pt::LOGIN)[0];
    assert!(login.content().ends_with("\"firstLoginTime\":111}"));
    h.login_response(0, 222);
    h.closed(LinkError::Closed);
    h.take();
    h.relogin_connected();
    let login = &written_of_type(d, &h.take(), pt::LOGIN)[0];
    assert!(
        login.content().ends_with("\"firstLoginTime\":111}"),
        "later 50s do not change it"
    );
    // A new session starts from 0 again (R34 clears it).
    h.engine.logout(h.now).unwrap();
    h.take();
    h.login();
    h.connected();
    let login = &written_of_type(d, &h.take(), pt::LOGIN)[0];
    assert!(login.content().ends_with("\"firstLoginTime\":0}"));
}

#[test]
fn r12_login_refused_is_not_acked_and_ends_the_session() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        let fp = h.send_qos("bob", "queued");
        h.connected();
        h.take();
        let mut refusal = h.login_response_packet(1025, -1);
        refusal.qos = true;
        refusal.fp = Some("login-fp".into());
        h.server(&refusal);
        let a = h.take();
        assert!(
            written_of_type(d, &a, pt::ACK).is_empty(),
            "R12: never ACKed"
        );
        assert_eq!(closes(&a), 1);
        let ev = events(&a);
        assert_eq!(
            lost_fps(&ev),
            vec![(fp, crate::engine::LossReason::Cancelled)]
        );
        assert_eq!(
            ev[1],
            Event::LoginResult {
                code: 1025,
                relogin: false
            }
        );
        assert_eq!(
            state_changes(&ev),
            vec![(State::Idle, StateReason::LoginFailed)]
        );
        h.advance(120_000);
        assert_eq!(connects(&h.take()), 0);
    }
}

#[test]
fn r12_refused_relogin_reports_its_code_and_stops() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.closed(LinkError::Closed);
        h.relogin_connected();
        h.take();
        h.login_response(103, -1);
        let ev = h.events();
        assert!(ev.contains(&Event::LoginResult {
            code: 103,
            relogin: true
        }));
        assert_eq!(h.engine.state(), State::Idle);
        h.advance(120_000);
        assert_eq!(connects(&h.take()), 0);
    }
}

#[test]
fn r12_seed_vector_failed_login_response_with_qos_is_not_acked() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.user = "1".into();
    h.login();
    h.connected();
    h.take();
    h.server_text(&vector(d, "login_response_fail_qos_not_acked").raw);
    let a = h.take();
    assert!(frames(&a).is_empty());
    assert!(events(&a).contains(&Event::LoginResult {
        code: 103,
        relogin: false
    }));
}

#[test]
fn r13_login_response_outside_authenticating_is_ignored() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.login_response(1025, -1);
        assert!(h.events().is_empty());
        assert_eq!(h.engine.state(), State::Online);
    }
}

#[test]
fn r13_undecodable_login_response_is_a_refusal_with_code_4() {
    for d in Dialect::ALL {
        for content in ["not json", "{\"nocode\":1}", "{\"code\":\"x\"}"] {
            let mut h = Harness::new(d);
            h.login();
            h.connected();
            h.take();
            let p = Packet {
                data_content: Some(content.into()),
                from: "0".into(),
                to: USER.into(),
                ..Packet::new(pt::LOGIN_RESPONSE)
            };
            h.server(&p);
            let ev = h.events();
            assert!(ev.contains(&Event::LoginResult {
                code: codes::INVALID_PACKET,
                relogin: false
            }));
            assert_eq!(h.engine.state(), State::Idle);
        }
    }
}

#[test]
fn r10_a_qos_login_response_is_acked_but_never_held_back_as_a_duplicate() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.user = "1".into();
    let v = vector(d, "login_response_ok_qos_is_acked");
    h.login();
    h.connected();
    h.take();
    h.server_text(&v.raw);
    assert_eq!(h.engine.state(), State::Online);
    h.closed(LinkError::Closed);
    h.relogin_connected();
    h.take();
    h.server_text(&v.raw); // the same fp again on the re-login
    let a = h.take();
    assert_eq!(
        frames(&a),
        vec![v.expect["ack_raw"].as_str().unwrap().to_string()]
    );
    assert_eq!(h.engine.state(), State::Online);
}
