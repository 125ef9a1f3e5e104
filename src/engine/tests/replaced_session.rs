//! R29: seed has no kickout frame; a server that closes a session replaced by a newer login
//! of the same user says so with close code 4001, and the client ends the session as kicked
//! instead of logging in again (which would take the session back, and so on forever).
//! Every other close stays a link loss (R18).

use super::harness::*;
use crate::engine::{Action, Event, LinkClosedReason, LinkError, LossReason, State, StateReason};
use crate::protocol::{codes, Dialect};

fn replaced() -> LinkError {
    LinkError::ClosedWith {
        code: codes::CLOSE_REPLACED_BY_NEWER_LOGIN,
        reason: codes::CLOSE_REPLACED_REASON.into(),
    }
}

fn kicked() -> Event {
    Event::Kicked {
        code: codes::KICK_DUPLICATE_LOGIN,
        reason: codes::CLOSE_REPLACED_REASON.into(),
    }
}

#[test]
fn r29_seed_close_replaced_by_a_newer_login_ends_the_session_as_kicked() {
    let mut h = Harness::new(Dialect::Seed);
    h.online();
    let fp = h.send_qos("bob", "pending");
    h.take();
    h.closed(replaced());
    let a = h.take();
    assert_eq!(
        closes(&a),
        0,
        "the transport already closed it: nothing to close"
    );
    let ev = events(&a);
    assert_eq!(lost_fps(&ev), vec![(fp, LossReason::Cancelled)]);
    assert!(ev.contains(&kicked()), "{ev:?}");
    assert!(
        !ev.iter().any(|e| matches!(e, Event::LinkClosed { .. })),
        "not a link loss: {ev:?}"
    );
    assert_eq!(state_changes(&ev), vec![(State::Idle, StateReason::Kicked)]);
    let kicked_at = ev.iter().position(|e| *e == kicked()).unwrap();
    let lost_at = ev
        .iter()
        .position(|e| matches!(e, Event::MessagesLost(_)))
        .unwrap();
    assert!(
        lost_at < kicked_at,
        "R34: lost(CANCELLED) before the terminal event"
    );
    assert_eq!(h.engine.state(), State::Idle);
    assert_eq!(h.engine.user_id(), None);
    h.advance(600_000);
    assert_eq!(connects(&h.take()), 0, "no re-login");
}

#[test]
fn r29_seed_close_replaced_during_a_relogin_also_ends_the_session() {
    let mut h = Harness::new(Dialect::Seed);
    h.online();
    h.closed(LinkError::Closed);
    h.relogin_connected();
    h.take();
    h.closed(replaced());
    let ev = h.events();
    assert!(ev.contains(&kicked()), "{ev:?}");
    assert_eq!(h.engine.state(), State::Idle);
    h.advance(600_000);
    assert_eq!(connects(&h.take()), 0);
}

#[test]
fn r29_seed_close_replaced_before_the_manual_login_result_still_gives_one_result() {
    let mut h = Harness::new(Dialect::Seed);
    h.login();
    h.connected();
    h.take();
    h.closed(replaced());
    let ev = h.events();
    let results: Vec<_> = ev
        .iter()
        .filter(|e| matches!(e, Event::LoginResult { .. }))
        .collect();
    assert_eq!(
        results,
        vec![&Event::LoginResult {
            code: codes::CONNECT_FAILED,
            relogin: false
        }]
    );
    assert!(ev.contains(&kicked()), "{ev:?}");
    assert_eq!(h.engine.state(), State::Idle);
}

#[test]
fn r29_other_closes_and_mobileimsdk_4001_stay_a_link_loss() {
    let plain = [
        (Dialect::Seed, LinkError::Closed),
        (
            Dialect::Seed,
            LinkError::ClosedWith {
                code: 1000,
                reason: "Bye".into(),
            },
        ),
        (
            Dialect::Seed,
            LinkError::ClosedWith {
                code: 4002,
                reason: codes::CLOSE_REPLACED_REASON.into(),
            },
        ),
        // mobileimsdk says "replaced" with its 54 kickout (R28), never with a close code.
        (Dialect::MobileImSdk, replaced()),
    ];
    for (d, close) in plain {
        let mut h = Harness::new(d);
        h.online();
        h.closed(close.clone());
        let ev = h.events();
        assert!(
            ev.contains(&Event::LinkClosed {
                reason: LinkClosedReason::ServerClosed
            }),
            "{d:?} {close:?}: {ev:?}"
        );
        assert!(!ev.iter().any(|e| matches!(e, Event::Kicked { .. })));
        assert_eq!(h.engine.state(), State::Waiting, "{d:?} {close:?}");
        h.relogin();
    }
}

#[test]
fn r29_a_stale_connections_replaced_close_is_ignored() {
    let mut h = Harness::new(Dialect::Seed);
    h.online();
    let old = h.conn.unwrap();
    h.closed(LinkError::Closed);
    h.relogin();
    h.take();
    h.engine.handle_transport(
        old,
        crate::engine::TransportEvent::Closed(replaced()),
        h.now,
    );
    let a = h.take();
    assert!(
        !a.iter().any(|x| matches!(x, Action::Emit(_))),
        "R1: input of a superseded link is ignored: {a:?}"
    );
    assert_eq!(h.engine.state(), State::Online);
}
