//! R26–R29, R56, R57: server errors 301/302/303 and kickout.

use super::harness::*;
use crate::engine::{Event, LinkClosedReason, LossReason, SendRequest, State, StateReason};
use crate::protocol::{packet_type as pt, Dialect, Packet};

#[test]
fn r26_301_while_online_is_link_loss_not_logged_in() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let conn = h.conn.unwrap();
        h.server_error(301, "{}");
        let a = h.take();
        assert!(
            a.contains(&crate::engine::Action::Close { conn_id: conn }),
            "closes itself"
        );
        let ev = events(&a);
        assert!(matches!(ev[0], Event::ServerError { code: 301, .. }));
        assert_eq!(
            ev[1],
            Event::LinkClosed {
                reason: LinkClosedReason::NotLoggedIn
            }
        );
        assert_eq!(h.engine.state(), State::Waiting);
        h.relogin();
    }
}

#[test]
fn r26_301_vectors_report_the_error_and_relogin() {
    for (d, case) in [
        (Dialect::Seed, "error_301_not_logged_in"),
        (Dialect::MobileImSdk, "error_301_embedded_data_frame"),
        (Dialect::MobileImSdk, "error_301_embedded_keepalive"),
    ] {
        let mut h = Harness::new(d);
        h.online();
        h.server_text(&vector(d, case).raw);
        let ev = h.events();
        assert!(
            matches!(ev[0], Event::ServerError { code: 301, .. }),
            "{case}"
        );
        assert_eq!(h.engine.state(), State::Waiting, "{case}");
    }
}

#[test]
fn r26_301_during_the_manual_login_fails_it_with_301() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        h.connected();
        h.take();
        h.server_error(301, "{}");
        let ev = h.events();
        assert!(matches!(ev[0], Event::ServerError { code: 301, .. }));
        assert_eq!(
            ev[1],
            Event::LoginResult {
                code: 301,
                relogin: false
            }
        );
        assert_eq!(h.engine.state(), State::Idle);
    }
}

#[test]
fn r27_message_named_in_301_stays_queued_and_is_resent_after_relogin() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let fp = h.send_qos("bob", "named");
        let frame = data_frames(d, &h.take()).remove(0);
        h.server_error(301, &frame);
        assert_eq!(h.engine.pending_count(), 1);
        assert!(lost_fps(&h.events()).is_empty());
        h.relogin();
        let data = written_of_type(d, &h.take(), pt::COMMON_DATA);
        assert_eq!(data[0].fp_str(), fp);
    }
}

#[test]
fn r28_kickout_ends_the_session_without_relogin() {
    let d = Dialect::MobileImSdk;
    for (case, code, reason) in [
        ("kickout_duplicate_login_no_reason", 1, ""),
        (
            "kickout_admin_with_reason_gson_escapes",
            2,
            "kicked by admin <&='>",
        ),
    ] {
        let mut h = Harness::new(d);
        h.online();
        let fp = h.send_qos("bob", "x");
        let conn = h.conn.unwrap();
        h.take();
        h.server_text(&vector(d, case).raw);
        let a = h.take();
        assert!(a.contains(&crate::engine::Action::Close { conn_id: conn }));
        let ev = events(&a);
        assert_eq!(lost_fps(&ev), vec![(fp, LossReason::Cancelled)]);
        assert!(ev.contains(&Event::Kicked {
            code,
            reason: reason.into()
        }));
        assert_eq!(state_changes(&ev), vec![(State::Idle, StateReason::Kicked)]);
        h.advance(600_000);
        assert_eq!(connects(&h.take()), 0);
    }
}

#[test]
fn r28_kickout_right_after_a_relogin_50_success_stands() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    h.closed(crate::engine::LinkError::Closed);
    h.relogin_connected();
    h.take();
    h.server_text(&vector(d, "stale_relogin_login_ok_then_kicked_1of2").raw);
    h.server_text(&vector(d, "stale_relogin_login_ok_then_kicked_2of2").raw);
    let ev = h.events();
    let result_at = ev
        .iter()
        .position(|e| {
            *e == Event::LoginResult {
                code: 0,
                relogin: true,
            }
        })
        .unwrap();
    let kicked_at = ev
        .iter()
        .position(|e| matches!(e, Event::Kicked { code: 1, .. }))
        .unwrap();
    assert!(result_at < kicked_at);
    assert_eq!(h.engine.state(), State::Idle);
}

#[test]
fn r28_kickout_payload_defaults() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    let p = Packet {
        data_content: Some("garbage".into()),
        ..Packet::new(pt::SERVER_ACK_OR_KICKOUT)
    };
    h.server(&p);
    assert!(h.events().contains(&Event::Kicked {
        code: -1,
        reason: String::new()
    }));
}

#[test]
fn r29_seed_54_is_an_ack_never_a_kickout() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.user = "1".into();
    h.online();
    let req = SendRequest {
        fp: Some("f7ebead0-8f3a-11ea-a183-5f898b4edcda".into()),
        ..SendRequest::new("2", "test")
    };
    h.send(req).unwrap();
    h.take();
    h.server_text(&vector(d, "server_ack_54").raw);
    assert_eq!(
        h.events(),
        vec![Event::MessageAcked {
            fp: "f7ebead0-8f3a-11ea-a183-5f898b4edcda".into()
        }]
    );
    h.kickout(1, None); // a kickout-shaped 54: an ACK for an unknown fp
    assert!(h.events().is_empty());
    assert_eq!(h.engine.state(), State::Online);
}

#[test]
fn r56_303_reports_error_and_rejects_the_named_pending_message() {
    let d = Dialect::Seed;
    let mut h = Harness::new(d);
    h.online();
    let group = SendRequest {
        typeu: Some(1),
        ..SendRequest::new("g404", "hi")
    };
    let fp = h.send(group).unwrap();
    let other = h.send_qos("bob", "stays");
    let frame = data_frames(d, &h.take()).remove(0);
    h.server_error(303, "group not exists");
    assert_eq!(
        h.events(),
        vec![Event::ServerError {
            code: 303,
            message: "group not exists".into()
        }]
    );
    assert_eq!(
        h.engine.pending_count(),
        2,
        "no frame named: nothing removed"
    );
    h.server_error(303, &frame);
    let ev = h.events();
    assert!(matches!(ev[0], Event::ServerError { code: 303, .. }));
    assert_eq!(lost_fps(&ev), vec![(fp, LossReason::Rejected)]);
    assert_eq!(h.engine.pending_count(), 1);
    h.server_ack(&other);
    assert_eq!(h.events(), vec![Event::MessageAcked { fp: other }]);
}

#[test]
fn r56_303_vector_with_embedded_frame() {
    let d = Dialect::Seed;
    let v = vector(d, "error_303_with_embedded_frame");
    let inner = crate::protocol::decode(d, &v.raw)
        .unwrap()
        .error_response()
        .unwrap();
    let named = crate::protocol::decode(d, &inner.error_msg).unwrap();
    let mut h = Harness::new(d);
    h.user = named.from.clone();
    h.online();
    let req = SendRequest {
        fp: named.fp.clone(),
        typeu: Some(named.typeu),
        ..SendRequest::new(named.to.clone(), named.content())
    };
    h.send(req).unwrap();
    h.take();
    h.server_text(&v.raw);
    assert_eq!(
        lost_fps(&h.events()),
        vec![(named.fp.unwrap(), LossReason::Rejected)]
    );
}

#[test]
fn r57_busy_window_tick_only_expires() {
    let d = Dialect::Seed;
    let mut h = Harness::config(d, |c| {
        c.keepalive_timeout_ms = 3_600_000;
        c.busy_backoff_ms = 30_000;
    });
    h.online();
    h.advance(1_000);
    let old = h.send_qos("bob", "old");
    h.advance(8_000); // resent at 5 s
    let young = h.send_qos("bob", "young"); // written at 9 s
    h.take();
    h.advance(1_000); // tick at 10 s: old resend 2, young written just now
    assert_eq!(written_of_type(d, &h.take(), pt::COMMON_DATA).len(), 1);
    h.server_error(302, "busy");
    h.take();
    h.advance(5_000); // tick at 15 s, busy: step (a) only
    let a = h.take();
    assert!(
        written_of_type(d, &a, pt::COMMON_DATA).is_empty(),
        "no resend while busy"
    );
    assert_eq!(lost_fps(&events(&a)), vec![(old, LossReason::Timeout)]);
    assert_eq!(h.engine.pending_count(), 1);
    h.advance(5_000);
    assert!(written_of_type(d, &h.take(), pt::COMMON_DATA).is_empty());
    h.server_ack(&young);
    assert_eq!(h.events(), vec![Event::MessageAcked { fp: young }]);
}

#[test]
fn r57_mobileimsdk_has_no_302_reaction() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    h.server_error(302, "x");
    assert!(h.send(SendRequest::new("bob", "x")).is_ok());
}
