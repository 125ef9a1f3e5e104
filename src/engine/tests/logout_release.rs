//! R30–R34: logout, release, end of session.

use super::harness::*;
use crate::engine::{Action, Event, LinkError, LossReason, SendRequest, State, StateReason};
use crate::protocol::{codes, Dialect};

#[test]
fn r30_logout_when_idle_is_no_login() {
    let mut h = Harness::new(Dialect::Seed);
    assert_eq!(h.engine.logout(h.now).unwrap_err().code, codes::NO_LOGIN);
}

#[test]
fn r30_logout_online_writes_type_3_closes_and_ends_the_session() {
    for d in Dialect::ALL {
        let v = vectors(d)
            .into_iter()
            .find(|v| v.expect["op"].get("logout").is_some())
            .unwrap();
        let mut h = Harness::new(d);
        h.user = v.expect["op"]["logout"]["user_id"].as_str().unwrap().into();
        h.online();
        let fp = h.send_qos("bob", "pending");
        h.take();
        let conn = h.conn.unwrap();
        h.engine.logout(h.now).unwrap();
        let a = h.take();
        assert_eq!(frames(&a), vec![v.raw.clone()], "exact logout frame");
        let close_at = a.iter().position(|x| *x == Action::Close { conn_id: conn });
        assert!(close_at.is_some());
        let ev = events(&a);
        assert_eq!(
            ev,
            vec![
                Event::MessagesLost(vec![crate::engine::LostMessage {
                    fp,
                    to: "bob".into(),
                    content: "pending".into(),
                    typeu: d.spec().default_send_typeu,
                    reason: LossReason::Cancelled
                }]),
                Event::StateChanged {
                    state: State::Idle,
                    reason: StateReason::LoggedOut,
                    attempt: 0,
                    delay_ms: 0
                }
            ]
        );
    }
}

#[test]
fn r30_logout_while_connecting_authenticating_or_waiting_writes_nothing() {
    for d in Dialect::ALL {
        for stage in 0..3 {
            let mut h = Harness::new(d);
            match stage {
                0 => h.login(),
                1 => {
                    h.login();
                    h.connected();
                }
                _ => {
                    h.online();
                    h.closed(LinkError::Closed);
                }
            }
            h.take();
            h.engine.logout(h.now).unwrap();
            let a = h.take();
            assert!(frames(&a).is_empty(), "stage {stage}");
            assert_eq!(closes(&a), usize::from(stage < 2));
            assert_eq!(
                state_changes(&events(&a)),
                vec![(State::Idle, StateReason::LoggedOut)]
            );
            // The manual login's result is not reported after a logout.
            assert!(!events(&a)
                .iter()
                .any(|e| matches!(e, Event::LoginResult { .. })));
        }
    }
}

#[test]
fn r31_after_logout_nothing_is_written_and_nothing_reconnects() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.send_qos("bob", "x");
        let old = h.conn.unwrap();
        h.engine.logout(h.now).unwrap();
        h.take();
        // Late input from the old link and the network coming back change nothing.
        h.engine.handle_transport(
            old,
            crate::engine::TransportEvent::Closed(LinkError::Closed),
            h.now,
        );
        h.engine.network_changed(true, h.now);
        h.advance(600_000);
        assert!(significant(h.take()).is_empty());
        assert_eq!(h.engine.poll_timeout(), None);
    }
}

#[test]
fn r32_release_ends_the_session_and_released_is_last() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let fp = h.send_qos("bob", "x");
        h.take();
        h.engine.release(h.now);
        let a = h.take();
        assert!(frames(&a).is_empty(), "release writes no type 3");
        assert_eq!(closes(&a), 1);
        let ev = events(&a);
        assert_eq!(lost_fps(&ev), vec![(fp, LossReason::Cancelled)]);
        assert_eq!(ev.last(), Some(&Event::Released));
        assert_eq!(
            state_changes(&ev),
            vec![(State::Idle, StateReason::Released)]
        );
        assert_eq!(h.engine.poll_timeout(), None, "every timer cancelled");
    }
}

#[test]
fn r32_after_release_every_call_fails_with_invalid_handle() {
    let mut h = Harness::new(Dialect::MobileImSdk);
    h.engine.release(h.now);
    assert_eq!(h.events(), vec![Event::Released]);
    let now = h.now;
    assert_eq!(
        h.engine.login(h.login_req(), now).unwrap_err().code,
        codes::INVALID_HANDLE
    );
    assert_eq!(
        h.engine
            .send(SendRequest::new("b", "x"), now)
            .unwrap_err()
            .code,
        codes::INVALID_HANDLE
    );
    assert_eq!(
        h.engine.logout(now).unwrap_err().code,
        codes::INVALID_HANDLE
    );
    assert_eq!(
        h.engine.echo("x", now).unwrap_err().code,
        codes::INVALID_HANDLE
    );
    h.engine.release(now);
    h.engine.network_changed(false, now);
    h.engine.handle_timeout(now);
    assert!(
        significant(h.take()).is_empty(),
        "Released is reported once, nothing after it"
    );
    assert!(h.engine.is_released());
}

#[test]
fn r33_no_relogin_outside_a_session() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.engine.network_changed(false, h.now);
        h.engine.network_changed(true, h.now);
        h.advance(600_000);
        assert_eq!(connects(&h.take()), 0);
        // Kicked / refused sessions do not come back either.
        h.online();
        h.engine.logout(h.now).unwrap();
        h.advance(600_000);
        assert_eq!(connects(&h.take()), 0);
    }
}

#[test]
fn r34_end_of_session_order_lost_in_queue_order_then_terminal_then_idle() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    let fps: Vec<_> = (0..3)
        .map(|i| h.send_qos("bob", &format!("m{i}")))
        .collect();
    h.take();
    h.kickout(1, None);
    let ev = h.events();
    let lost: Vec<_> = lost_fps(&ev).into_iter().map(|(fp, _)| fp).collect();
    assert_eq!(lost, fps);
    assert!(matches!(ev[0], Event::MessagesLost(_)));
    assert_eq!(
        ev[1],
        Event::Kicked {
            code: 1,
            reason: String::new()
        }
    );
    assert_eq!(state_changes(&ev), vec![(State::Idle, StateReason::Kicked)]);
    assert_eq!(ev.len(), 3);
}

#[test]
fn r34_end_of_session_clears_dedup_and_credentials() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let incoming = h.data_packet("bob", Some("dup-1"), true, "hi");
        h.server(&incoming);
        h.engine.logout(h.now).unwrap();
        assert_eq!(h.engine.user_id(), None);
        h.take();
        h.online();
        h.server(&incoming);
        let ev = h.events();
        assert!(
            matches!(&ev[..], [Event::Message(_)]),
            "a new session dispatches it again"
        );
    }
}
