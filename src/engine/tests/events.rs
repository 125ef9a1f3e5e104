//! §9.1 event order per transition, the statistics, and the logs (never a token).

use super::harness::*;
use crate::engine::{Action, Event, LinkError, LoginRequest, State, StateReason};
use crate::protocol::{codes, Dialect};

#[test]
fn s9_1_state_changes_through_a_whole_session() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.closed(LinkError::Closed);
        h.relogin();
        h.engine.logout(h.now).unwrap();
        h.take();
        assert_eq!(
            state_changes(&events(&h.history())),
            vec![
                (State::Connecting, StateReason::LoginRequested),
                (State::Authenticating, StateReason::Connected),
                (State::Online, StateReason::LoginAccepted),
                (State::Waiting, StateReason::Reconnecting),
                (State::Connecting, StateReason::AttemptStarted),
                (State::Authenticating, StateReason::Connected),
                (State::Online, StateReason::LoginAccepted),
                (State::Idle, StateReason::LoggedOut),
            ]
        );
    }
}

#[test]
fn s9_1_no_link_closed_on_logout_or_release() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.engine.logout(h.now).unwrap();
        h.online();
        h.engine.release(h.now);
        h.take();
        assert!(!events(&h.history())
            .iter()
            .any(|e| matches!(e, Event::LinkClosed { .. })));
        assert_eq!(events(&h.history()).last(), Some(&Event::Released));
    }
}

#[test]
fn s9_1_kickout_during_the_manual_login_still_gives_it_one_result() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.login();
    h.connected();
    h.take();
    h.kickout(1, None);
    let ev = h.events();
    assert_eq!(
        ev[..2],
        [
            Event::LoginResult {
                code: codes::CONNECT_FAILED,
                relogin: false
            },
            Event::Kicked {
                code: 1,
                reason: String::new()
            }
        ]
    );
    assert_eq!(h.engine.state(), State::Idle);
}

#[test]
fn stats_count_every_outcome() {
    let d = Dialect::Seed;
    let mut h = Harness::config(d, |c| c.keepalive_timeout_ms = 3_600_000);
    h.online();
    let a = h.send_qos("bob", "acked");
    h.send_qos("bob", "lost");
    let nonqos = crate::engine::SendRequest {
        qos: false,
        ..crate::engine::SendRequest::new("bob", "x")
    };
    h.send(nonqos).unwrap();
    h.server_ack(&a);
    h.server_ack("unknown");
    let p = h.data_packet("bob", Some("in"), true, "x");
    h.server(&p);
    h.server(&p);
    h.advance(20_000);
    h.closed(LinkError::Closed);
    h.relogin();
    let s = h.engine.stats();
    assert_eq!(s.sent, 3);
    assert_eq!(s.resent, 2);
    assert_eq!(s.acked, 1);
    assert_eq!(s.lost, 1);
    assert_eq!(s.ignored_acks, 1);
    assert_eq!(s.received, 1);
    assert_eq!(s.duplicates, 1);
    assert_eq!(s.reconnects, 1);
    assert_eq!(s.pending_qos, 0);
}

/// At TRACE, the most verbose level: neither the token nor the login's `extra` nor a
/// message's content, although every frame carrying them is logged.
#[test]
fn logs_never_contain_the_token() {
    const EXTRA: &str = "extra-xyz";
    const CONTENT: &str = "content-xyz";
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        let req = LoginRequest {
            extra: Some(EXTRA.into()),
            ..h.login_req()
        };
        h.engine.login(req, h.now).unwrap();
        h.connected();
        h.login_response(0, 1_795_630_938_309);
        let fp = h.send_qos("bob", CONTENT);
        h.server_ack(&fp);
        let incoming = h.data_packet("bob", Some("in-1"), true, CONTENT);
        h.server(&incoming);
        h.server_text("garbage");
        h.server_error(301, "{}");
        h.relogin();
        h.advance(60_000);
        h.closed(LinkError::Tls("x".into()));
        h.engine.network_changed(false, h.now);
        h.engine.network_changed(true, h.now);
        h.connected();
        h.login_response(1025, -1);
        h.login();
        h.closed(LinkError::Io("refused".into()));
        h.take();
        let logs: Vec<String> = h
            .all
            .iter()
            .filter_map(|a| match a {
                Action::Log { message, .. } => Some(message.clone()),
                _ => None,
            })
            .collect();
        assert!(logs
            .iter()
            .any(|m| m.starts_with("frame out type=0 (login)")));
        assert!(logs
            .iter()
            .any(|m| m.starts_with("frame out type=2 (data)")));
        assert!(logs.iter().any(|m| m.starts_with("frame in type=2 (data)")));
        for secret in [TOKEN, EXTRA, CONTENT] {
            assert!(logs.iter().all(|m| !m.contains(secret)), "{logs:?}");
        }
        // Events never carry it either.
        let dump = format!("{:?}", events(&h.history()));
        assert!(!dump.contains(TOKEN));
    }
}

#[test]
fn debug_output_never_shows_the_token() {
    let mut h = Harness::new(Dialect::Seed);
    let req = LoginRequest {
        extra: Some("extra-xyz".into()),
        ..h.login_req()
    };
    let shown = format!("{req:?}");
    assert!(
        !shown.contains(TOKEN) && !shown.contains("extra-xyz"),
        "{shown}"
    );
    h.online();
    assert!(!format!("{:?}", h.engine).contains(TOKEN));
}
