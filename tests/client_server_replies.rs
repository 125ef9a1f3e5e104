//! Client integration: how the client reacts to the dev server's own replies — refused
//! logins, 302 busy, 303 unknown group, offline delivery, server pushes.

mod client_support;

use std::collections::HashMap;
use std::time::Duration;

use client_support::*;
use imsdk::client::{Event, LossReason, SendRequest, State};
use imsdk::protocol::{codes, Dialect};
use imsdk_devserver::DevServerConfig;

fn is_connecting(event: &Event) -> bool {
    matches!(
        event,
        Event::StateChanged {
            state: State::Connecting,
            ..
        }
    )
}

#[test]
fn r12_a_refused_token_is_the_login_result_and_is_not_retried() {
    for (dialect, refusal) in [(Dialect::Seed, 103), (Dialect::MobileImSdk, 1025)] {
        let mut config = DevServerConfig::new(dialect);
        config.tokens = Some(HashMap::from([("alice".into(), "right".into())]));
        let server = Server::start(config);
        let (alice, mut events) = client(fast_config(server.url(), dialect));
        let mut request = login_request("alice");
        request.token = "wrong".into();
        alice.login(request).unwrap();
        let result = events.wait_for("login result", |e| matches!(e, Event::LoginResult { .. }));
        assert_eq!(
            result,
            Event::LoginResult {
                code: refusal,
                relogin: false
            }
        );
        assert_eq!(alice.state(), State::Idle);
        let retries = events.during(Duration::from_millis(600), is_connecting);
        assert!(retries.is_empty(), "{dialect:?}: {retries:?}");

        let mut request = login_request("alice");
        request.token = "right".into();
        alice.login(request).unwrap();
        events.wait_online();
    }
}

#[test]
fn r12_a_refused_relogin_ends_the_session() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let (alice, mut events) = online_client(fast_config(server.url(), dialect), "alice");
        server.get().set_refuse_logins(Some(1100));
        server.get().close_user("alice");
        events.wait_for("link closed", |e| matches!(e, Event::LinkClosed { .. }));
        let result = events.wait_for("re-login result", |e| {
            matches!(e, Event::LoginResult { .. })
        });
        assert_eq!(
            result,
            Event::LoginResult {
                code: 1100,
                relogin: true
            }
        );
        assert_eq!(alice.state(), State::Idle);
        let retries = events.during(Duration::from_millis(600), is_connecting);
        assert!(retries.is_empty(), "{dialect:?}: {retries:?}");
    }
}

#[test]
fn r57_seed_302_opens_a_busy_window_and_the_named_message_is_sent_later() {
    let mut server_config = DevServerConfig::new(Dialect::Seed);
    server_config.max_msgs_per_sec = Some(3);
    let server = Server::start(server_config);
    let mut config = fast_config(server.url(), Dialect::Seed);
    config.engine.busy_backoff_ms = 1_000;
    config.engine.busy_backoff_max_ms = 2_000;
    config.engine.qos_max_resends = 5;
    let (alice, mut events) = online_client(config, "alice");

    let fps: Vec<String> = (0..4)
        .map(|i| alice.send(SendRequest::new("0", format!("m{i}"))).unwrap())
        .collect();
    let error = events.wait_for("302", |e| matches!(e, Event::ServerError { .. }));
    assert!(
        matches!(error, Event::ServerError { code: 302, .. }),
        "{error:?}"
    );
    assert_eq!(
        alice
            .send(SendRequest::new("0", "during the window"))
            .unwrap_err()
            .code,
        codes::SERVER_BUSY
    );
    let named = &fps[3];
    events.wait_for(
        "ack of the message named by the 302",
        |e| matches!(e, Event::MessageAcked { fp } if fp == named),
    );
    let mut acked: Vec<String> = events
        .seen()
        .iter()
        .filter_map(|e| match e {
            Event::MessageAcked { fp } => Some(fp.clone()),
            _ => None,
        })
        .collect();
    acked.sort();
    let mut expected = fps.clone();
    expected.sort();
    assert_eq!(acked, expected);
    assert_eq!(alice.stats().lost, 0);
}

#[test]
fn r56_seed_303_for_an_unknown_group_rejects_the_message_it_names() {
    let server = Server::with_dialect(Dialect::Seed);
    let (alice, mut events) = online_client(fast_config(server.url(), Dialect::Seed), "alice");
    let mut request = SendRequest::new("no-such-group", "hello?");
    request.typeu = Some(1);
    let fp = alice.send(request).unwrap();
    let error = events.wait_for("303", |e| matches!(e, Event::ServerError { .. }));
    assert!(
        matches!(error, Event::ServerError { code: 303, ref message } if message.contains(&fp)),
        "the 303 names the rejected frame: {error:?}"
    );
    let outcome = events.wait_for("outcome", |e| {
        matches!(e, Event::MessagesLost(_) | Event::MessageAcked { .. })
    });
    let Event::MessagesLost(lost) = outcome else {
        panic!("expected lost(REJECTED), got {outcome:?}");
    };
    assert_eq!(lost.len(), 1);
    assert_eq!(
        (lost[0].fp.as_str(), lost[0].reason),
        (fp.as_str(), LossReason::Rejected)
    );
    assert_eq!(alice.stats().pending_qos, 0);
}

#[test]
fn seed_messages_to_an_offline_user_arrive_at_login() {
    let server = Server::with_dialect(Dialect::Seed);
    let (alice, mut alice_events) =
        online_client(fast_config(server.url(), Dialect::Seed), "alice");
    let fp = alice
        .send(SendRequest::new("bob", "while you were away"))
        .unwrap();
    alice_events.wait_for(
        "server ack",
        |e| matches!(e, Event::MessageAcked { fp: f } if *f == fp),
    );
    let (_bob, mut bob_events) = online_client(fast_config(server.url(), Dialect::Seed), "bob");
    let message = bob_events.wait_for("stored message", |e| matches!(e, Event::Message(_)));
    let Event::Message(message) = message else {
        unreachable!()
    };
    assert_eq!(
        (message.fp.as_str(), message.content.as_str()),
        (fp.as_str(), "while you were away")
    );
}

#[test]
fn r36_a_qos_server_push_is_acked_and_delivered_once() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let (alice, mut events) = online_client(fast_config(server.url(), dialect), "alice");
        server.get().push("alice", "from the server", true);
        let message = events.wait_for("push", |e| matches!(e, Event::Message(_)));
        let Event::Message(message) = message else {
            unreachable!()
        };
        assert_eq!(message.from, "0");
        assert!(message.qos);
        // The server resends an unacked push after 500 ms: nothing arrives if our ACK did.
        let again = events.during(Duration::from_millis(1_200), |e| {
            matches!(e, Event::Message(_))
        });
        assert!(again.is_empty(), "{dialect:?}: {again:?}");
        assert_eq!(alice.stats().duplicates, 0, "{dialect:?}");
    }
}

#[test]
fn r28_kicked_by_the_server_application_with_a_reason() {
    let dialect = Dialect::MobileImSdk;
    let server = Server::with_dialect(dialect);
    let (alice, mut events) = online_client(fast_config(server.url(), dialect), "alice");
    server
        .get()
        .kick("alice", codes::KICK_BY_ADMIN, Some("kicked by admin <&='>"));
    let kicked = events.wait_for("kickout", |e| matches!(e, Event::Kicked { .. }));
    assert_eq!(
        kicked,
        Event::Kicked {
            code: codes::KICK_BY_ADMIN,
            reason: "kicked by admin <&='>".into()
        }
    );
    assert_eq!(alice.state(), State::Idle);
    let retries = events.during(Duration::from_millis(600), is_connecting);
    assert!(retries.is_empty(), "{retries:?}");
}

#[test]
fn r29_seed_server_closing_a_session_is_a_link_loss_and_relogin() {
    let dialect = Dialect::Seed;
    let server = Server::with_dialect(dialect);
    let (alice, mut events) = online_client(fast_config(server.url(), dialect), "alice");
    server.get().kick("alice", 2, None);
    events.wait_for("link closed", |e| matches!(e, Event::LinkClosed { .. }));
    events.wait_for("re-login", |e| {
        matches!(
            e,
            Event::LoginResult {
                code: 0,
                relogin: true
            }
        )
    });
    assert_eq!(alice.stats().reconnects, 1);
}
