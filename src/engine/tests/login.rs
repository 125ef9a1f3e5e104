//! R5–R9: login, the login frame, the manual login's one result.

use super::harness::*;
use crate::engine::{Action, Event, LinkError, LoginRequest, SendRequest, State, StateReason};
use crate::protocol::{codes, packet_type as pt, Dialect};

#[test]
fn r05_login_only_in_idle_and_user_id_checked() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        for bad in ["", "0", "-1"] {
            let req = LoginRequest {
                user_id: bad.into(),
                ..h.login_req()
            };
            assert_eq!(
                h.engine.login(req, h.now).unwrap_err().code,
                codes::INVALID_ARGUMENT
            );
        }
        assert!(h.take().is_empty(), "a refused login does nothing");
        h.login();
        let err = h.engine.login(h.login_req(), h.now).unwrap_err();
        assert_eq!(err.code, codes::ALREADY_LOGGED_IN);
        h.connected();
        h.login_response(0, 1);
        let err = h.engine.login(h.login_req(), h.now).unwrap_err();
        assert_eq!(err.code, codes::ALREADY_LOGGED_IN);
    }
}

#[test]
fn r05_app_is_written_only_in_seed() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        h.connected();
        let login = &written_of_type(d, &h.take(), pt::LOGIN)[0];
        let has_app = login.content().contains("\"app\":\"testapp\"");
        assert_eq!(has_app, d == Dialect::Seed, "{d:?}");
    }
}

#[test]
fn r06_login_frame_is_the_first_frame_after_connected() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        let a = h.take();
        assert_eq!(connects(&a), 1);
        assert!(frames(&a).is_empty(), "nothing is written before Connected");
        assert_eq!(h.engine.state(), State::Connecting);
        h.connected();
        let a = h.take();
        let written = packets(d, &a);
        assert_eq!(written.len(), 1);
        let login = &written[0];
        assert_eq!(login.packet_type, pt::LOGIN);
        assert_eq!((login.from.as_str(), login.to.as_str()), (USER, "0"));
        assert_eq!(
            (login.fp.clone(), login.qos, login.typeu),
            (None, false, -1)
        );
        assert_eq!(
            state_changes(&events(&a)),
            vec![(State::Authenticating, StateReason::Connected)]
        );
    }
}

#[test]
fn r06_login_frames_match_the_vectors_exactly() {
    for d in Dialect::ALL {
        for v in vectors(d) {
            let Some(op) = v.expect["op"].get("login") else {
                continue;
            };
            let mut h = Harness::new(d);
            let s = |k: &str| op[k].as_str().map(str::to_string);
            h.user = s("user_id").unwrap();
            let req = LoginRequest {
                user_id: h.user.clone(),
                token: s("token").unwrap(),
                app: s("app"),
                extra: s("extra"),
            };
            h.engine.login(req, h.now).unwrap();
            h.take();
            h.connected();
            assert_eq!(frames(&h.take()), vec![v.raw.clone()], "{}", v.case);
        }
    }
}

#[test]
fn r06_connect_timeout_fails_the_manual_login_with_202() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        let conn = h.conn.unwrap();
        h.take();
        h.advance(4_999);
        assert!(h.take().is_empty());
        h.advance(1);
        let a = h.take();
        assert!(a.contains(&Action::Close { conn_id: conn }));
        let ev = events(&a);
        assert_eq!(
            ev,
            vec![
                Event::LoginResult {
                    code: codes::CONNECT_FAILED,
                    relogin: false
                },
                Event::StateChanged {
                    state: State::Idle,
                    reason: StateReason::LoginFailed,
                    attempt: 0,
                    delay_ms: 0
                }
            ]
        );
        h.advance(120_000);
        assert_eq!(
            connects(&h.take()),
            0,
            "R8: no retry after a failed manual login"
        );
    }
}

#[test]
fn r06_login_timeout_fails_the_manual_login_with_202() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        h.connected();
        h.take();
        h.advance(9_999);
        assert_eq!(h.engine.state(), State::Authenticating);
        h.advance(1);
        let a = h.take();
        assert_eq!(closes(&a), 1);
        assert!(events(&a).contains(&Event::LoginResult {
            code: codes::CONNECT_FAILED,
            relogin: false
        }));
        assert_eq!(h.engine.state(), State::Idle);
    }
}

#[test]
fn r07_manual_login_sends_zero_and_relogin_the_stored_first_login_time() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.user = "alice".into();
    let req = LoginRequest {
        user_id: "alice".into(),
        token: "token-alice".into(),
        app: None,
        extra: None,
    };
    h.engine.login(req, h.now).unwrap();
    h.connected();
    assert_eq!(frames(&h.take()), vec![vector(d, "login_manual").raw]);
    h.server_text(&vector(d, "login_response_ok").raw);
    h.closed(LinkError::Closed);
    h.take();
    h.relogin_connected();
    let relogin = vector(d, "login_auto_relogin_stored_first_login_time").raw;
    assert_eq!(frames(&h.take()), vec![relogin]);
}

#[test]
fn r08_manual_login_has_exactly_one_result_per_failure_kind() {
    type Fail = fn(&mut Harness);
    let cases: [(&str, Fail, i32); 6] = [
        (
            "closed before 50",
            |h| h.closed(LinkError::Closed),
            codes::CONNECT_FAILED,
        ),
        (
            "connect error",
            |h| {
                let conn = h.conn.unwrap();
                h.engine.handle_transport(
                    conn,
                    crate::engine::TransportEvent::Closed(LinkError::Io("refused".into())),
                    h.now,
                );
            },
            codes::CONNECT_FAILED,
        ),
        (
            "tls",
            |h| h.closed(LinkError::Tls("bad cert".into())),
            codes::TLS,
        ),
        ("301", |h| h.server_error(301, "{}"), 301),
        ("refused", |h| h.login_response(103, -1), 103),
        (
            "network down",
            |h| h.engine.network_changed(false, h.now),
            codes::NETWORK_DOWN,
        ),
    ];
    for d in Dialect::ALL {
        for (name, fail, code) in cases {
            let mut h = Harness::new(d);
            h.login();
            if name != "connect error" && name != "tls" {
                h.connected();
            }
            fail(&mut h);
            h.advance(120_000);
            let a = h.take();
            let results: Vec<_> = events(&a)
                .into_iter()
                .filter(|e| matches!(e, Event::LoginResult { .. }))
                .collect();
            assert_eq!(
                results,
                vec![Event::LoginResult {
                    code,
                    relogin: false
                }],
                "{d:?} {name}"
            );
            assert_eq!(connects(&a), 1, "{d:?} {name}: no retry");
            assert_eq!(h.engine.state(), State::Idle, "{d:?} {name}");
        }
    }
}

#[test]
fn r09_frames_while_authenticating_follow_the_receive_rules() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.login();
        h.connected();
        h.take();
        let p = h.data_packet("bob", Some("fp-early"), true, "early");
        h.server(&p);
        let a = h.take();
        assert_eq!(written_of_type(d, &a, pt::ACK).len(), 1);
        assert!(matches!(&events(&a)[..], [Event::Message(m)] if m.content == "early"));
    }
}

#[test]
fn r05_send_before_login_has_no_session() {
    let mut h = Harness::new(Dialect::Seed);
    let err = h.send(SendRequest::new("bob", "x")).unwrap_err();
    assert_eq!(err.code, codes::NO_LOGIN);
}
