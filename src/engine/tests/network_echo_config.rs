//! R58 (network hints), R59 (echo), R60 (configuration checks).

use super::harness::*;
use crate::engine::{
    Engine, EngineConfig, Event, LinkClosedReason, LossReason, SendRequest, State, StateReason,
};
use crate::protocol::{codes, packet_type as pt, Dialect, Packet};

#[test]
fn r58_network_down_closes_the_link_and_stops_attempts() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        let conn = h.conn.unwrap();
        h.engine.network_changed(false, h.now);
        let a = h.take();
        assert!(a.contains(&crate::engine::Action::Close { conn_id: conn }));
        let ev = events(&a);
        assert_eq!(
            ev[0],
            Event::LinkClosed {
                reason: LinkClosedReason::NetworkDown
            }
        );
        assert_eq!(
            state_changes(&ev),
            vec![(State::Waiting, StateReason::NetworkDown)]
        );
        h.advance(600_000);
        assert_eq!(connects(&h.take()), 0, "no attempts while down");
        assert_eq!(
            h.engine.login(h.login_req(), h.now).unwrap_err().code,
            codes::ALREADY_LOGGED_IN
        );
        let nonqos = SendRequest {
            qos: false,
            ..SendRequest::new("bob", "x")
        };
        assert_eq!(h.send(nonqos).unwrap_err().code, codes::NETWORK_DOWN);
        let fp = h.send_qos("bob", "queued while down");
        assert_eq!(h.engine.pending_count(), 1);
        // Available again: attempt 1 at once.
        h.take();
        h.engine.network_changed(true, h.now);
        let a = h.take();
        assert_eq!(connects(&a), 1);
        assert_eq!(h.engine.state(), State::Connecting);
        assert!(h.engine.queue.contains(&fp));
    }
}

#[test]
fn r58_login_refused_with_204_while_down() {
    let mut h = Harness::new(Dialect::Seed);
    h.engine.network_changed(false, h.now);
    assert_eq!(
        h.engine.login(h.login_req(), h.now).unwrap_err().code,
        codes::NETWORK_DOWN
    );
    h.engine.network_changed(true, h.now);
    h.login();
    assert_eq!(h.engine.state(), State::Connecting);
}

#[test]
fn r58_network_down_with_auto_relogin_off_ends_the_session() {
    for d in Dialect::ALL {
        let mut h = Harness::config(d, |c| c.auto_relogin = false);
        h.online();
        h.engine.network_changed(false, h.now);
        let ev = h.events();
        assert!(ev.contains(&Event::LinkClosed {
            reason: LinkClosedReason::NetworkDown
        }));
        assert_eq!(h.engine.state(), State::Idle);
    }
}

#[test]
fn r58_network_down_during_a_relogin_attempt_or_waiting() {
    for d in Dialect::ALL {
        let mut h = Harness::new(d);
        h.online();
        h.closed(crate::engine::LinkError::Closed);
        h.take();
        h.engine.network_changed(false, h.now);
        assert_eq!(
            state_changes(&h.events()),
            vec![(State::Waiting, StateReason::NetworkDown)]
        );
        h.advance(600_000);
        assert_eq!(connects(&h.take()), 0);
        h.engine.network_changed(true, h.now);
        h.take();
        h.engine.network_changed(false, h.now); // now CONNECTING
        let a = h.take();
        assert_eq!(closes(&a), 1);
        assert!(!events(&a)
            .iter()
            .any(|e| matches!(e, Event::LoginResult { .. })));
        assert_eq!(h.engine.state(), State::Waiting);
        // QoS tick keeps running in WAITING: a queued message still expires.
        let fp = h.send_qos("bob", "x");
        h.advance(20_000);
        assert_eq!(lost_fps(&h.events()), vec![(fp, LossReason::Timeout)]);
    }
}

#[test]
fn r58_available_while_waiting_attempts_now_with_k_1() {
    let d = Dialect::MobileImSdk;
    let mut h = Harness::new(d);
    h.online();
    h.closed(crate::engine::LinkError::Closed);
    for _ in 0..3 {
        h.advance_until(|h| h.engine.state() == State::Connecting);
        h.closed(crate::engine::LinkError::Io("x".into()));
    }
    h.take();
    h.engine.network_changed(true, h.now);
    assert_eq!(connects(&h.take()), 1, "at once");
    h.closed(crate::engine::LinkError::Io("x".into()));
    let ev = h.events();
    assert!(
        matches!(
            ev[..],
            [Event::StateChanged {
                state: State::Waiting,
                attempt: 2,
                ..
            }]
        ),
        "{ev:?}"
    );
}

#[test]
fn r59_echo_writes_type_5_and_reports_the_53() {
    for d in Dialect::ALL {
        let v = vectors(d)
            .into_iter()
            .find(|v| v.expect["op"].get("echo").is_some())
            .unwrap();
        let op = &v.expect["op"]["echo"];
        let mut h = Harness::new(d);
        assert_eq!(h.engine.echo("x", h.now).unwrap_err().code, codes::NO_LOGIN);
        h.user = op["user_id"].as_str().unwrap().into();
        h.login();
        assert_eq!(
            h.engine.echo("x", h.now).unwrap_err().code,
            codes::LINK_DOWN
        );
        h.connected();
        h.login_response(0, 1);
        h.take();
        h.engine
            .echo(op["content"].as_str().unwrap(), h.now)
            .unwrap();
        assert_eq!(frames(&h.take()), vec![v.raw.clone()]);
        h.server_text(&vector(d, "echo_response").raw);
        assert!(matches!(&h.events()[..], [Event::Echo { .. }]));
        let p = Packet {
            data_content: Some("back".into()),
            ..Packet::new(pt::ECHO_RESPONSE)
        };
        h.server(&p);
        assert_eq!(
            h.events(),
            vec![Event::Echo {
                text: "back".into()
            }]
        );
    }
}

type Tweak = Box<dyn Fn(&mut EngineConfig)>;

#[test]
fn r60_init_checks_return_1000() {
    for d in Dialect::ALL {
        assert!(Engine::new(EngineConfig::new(d)).is_ok());
        let bad: Vec<Tweak> = vec![
            Box::new(|c| c.keepalive_interval_ms = 0),
            Box::new(|c| c.connect_timeout_ms = 0),
            Box::new(|c| c.login_timeout_ms = 0),
            Box::new(|c| c.qos_check_interval_ms = 0),
            Box::new(|c| c.keepalive_timeout_ms = c.keepalive_interval_ms),
            Box::new(|c| c.max_frame_bytes = 65_537),
            Box::new(|c| c.max_pending_qos = 0),
            Box::new(|c| c.dedup_cap = 0),
        ];
        for tweak in bad {
            let mut c = EngineConfig::new(d);
            tweak(&mut c);
            let err = Engine::new(c).err().unwrap();
            assert_eq!(err.code, codes::INVALID_ARGUMENT);
            assert!(!err.message.is_empty());
        }
    }
}
