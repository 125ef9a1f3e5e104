//! Client integration: messaging against the embedded dev server (both dialects).

mod client_support;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use client_support::*;
use imsdk::client::{Event, SendRequest, State};
use imsdk::protocol::{codes, Dialect};
use imsdk_devserver::DevServerConfig;

fn acked_fp(event: &Event) -> Option<&str> {
    match event {
        Event::MessageAcked { fp } => Some(fp),
        _ => None,
    }
}

#[test]
fn r45_qos_messages_both_ways_are_delivered_and_acked() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let (alice, mut alice_events) = online_client(fast_config(server.url(), dialect), "alice");
        let (bob, mut bob_events) = online_client(fast_config(server.url(), dialect), "bob");

        let fp = alice.send(SendRequest::new("bob", "hello bob")).unwrap();
        let got = bob_events.wait_for("bob receives", |e| matches!(e, Event::Message(_)));
        let Event::Message(message) = got else {
            unreachable!()
        };
        assert_eq!(
            (
                message.from.as_str(),
                message.content.as_str(),
                message.fp.as_str()
            ),
            ("alice", "hello bob", fp.as_str()),
            "{dialect:?}"
        );
        assert!(message.qos);
        alice_events.wait_for("alice's ack", |e| acked_fp(e) == Some(fp.as_str()));

        let reply = bob.send(SendRequest::new("alice", "hi alice")).unwrap();
        let got = alice_events.wait_for("alice receives", |e| matches!(e, Event::Message(_)));
        let Event::Message(message) = got else {
            unreachable!()
        };
        assert_eq!(
            (message.from.as_str(), message.content.as_str()),
            ("bob", "hi alice")
        );
        bob_events.wait_for("bob's ack", |e| acked_fp(e) == Some(reply.as_str()));

        assert_eq!(alice.stats().acked, 1);
        assert_eq!(bob.stats().received, 1);
        alice.release();
        bob.release();
    }
}

#[test]
fn r54_seed_group_message_reaches_every_member_once() {
    let mut config = DevServerConfig::new(Dialect::Seed);
    config.groups.insert(
        "g1".into(),
        vec!["alice".into(), "bob".into(), "carol".into()],
    );
    let server = Server::start(config);
    let url = server.url();
    let (alice, mut alice_events) = online_client(fast_config(url.clone(), Dialect::Seed), "alice");
    let (_bob, mut bob_events) = online_client(fast_config(url.clone(), Dialect::Seed), "bob");
    let (_carol, mut carol_events) = online_client(fast_config(url, Dialect::Seed), "carol");

    let mut request = SendRequest::new("g1", "hi all");
    request.typeu = Some(1);
    let fp = alice.send(request).unwrap();
    alice_events.wait_for("ack of the group message", |e| {
        acked_fp(e) == Some(fp.as_str())
    });
    for events in [&mut bob_events, &mut carol_events] {
        let Event::Message(message) =
            events.wait_for("group message", |e| matches!(e, Event::Message(_)))
        else {
            unreachable!()
        };
        assert_eq!(message.to, "g1");
        assert_eq!(message.from, "alice");
        assert_eq!(message.typeu, 1);
        assert_eq!(message.content, "hi all");
    }
    let own_copies = alice_events.during(std::time::Duration::from_millis(300), |e| {
        matches!(e, Event::Message(_))
    });
    assert!(own_copies.len() <= 1, "author got {own_copies:?}");
}

#[test]
fn r43_send_before_login_is_1_and_r48_qos_send_during_login_is_queued() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let (_bob, mut bob_events) = online_client(fast_config(server.url(), dialect), "bob");
        let (alice, mut alice_events) = client(fast_config(server.url(), dialect));

        let err = alice
            .send(SendRequest::new("bob", "too early"))
            .unwrap_err();
        assert_eq!(err.code, codes::NO_LOGIN, "{dialect:?}");

        alice.login(login_request("alice")).unwrap();
        // Accepted while the login is in flight: queued, then flushed on the new link.
        let fp = alice.send(SendRequest::new("bob", "queued")).unwrap();
        assert!(!fp.is_empty());
        alice_events.wait_online();
        alice_events.wait_for("ack of the queued message", |e| {
            acked_fp(e) == Some(fp.as_str())
        });
        let Event::Message(message) =
            bob_events.wait_for("queued message", |e| matches!(e, Event::Message(_)))
        else {
            unreachable!()
        };
        assert_eq!(message.content, "queued");
        assert_eq!(
            alice.login(login_request("alice")).unwrap_err().code,
            codes::ALREADY_LOGGED_IN
        );
    }
}

#[test]
fn r38_duplicated_forwards_are_delivered_once() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let (alice, mut alice_events) = online_client(fast_config(server.url(), dialect), "alice");
        let (bob, mut bob_events) = online_client(fast_config(server.url(), dialect), "bob");
        server.get().set_duplicate_forwards(true);

        let fps: Vec<String> = (0..5)
            .map(|i| {
                alice
                    .send(SendRequest::new("bob", format!("m{i}")))
                    .unwrap()
            })
            .collect();
        for fp in &fps {
            alice_events.wait_for("ack", |e| acked_fp(e) == Some(fp.as_str()));
        }
        server.get().set_duplicate_forwards(false);
        // Frames of one link arrive in order: once the marker is in, every copy is too.
        alice.send(SendRequest::new("bob", "marker")).unwrap();
        bob_events.wait_for(
            "marker",
            |e| matches!(e, Event::Message(m) if m.content == "marker"),
        );
        let delivered: Vec<String> = bob_events
            .seen()
            .iter()
            .filter_map(|e| match e {
                Event::Message(m) if m.content != "marker" => Some(m.fp.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(delivered, fps, "{dialect:?}");
        assert_eq!(bob.stats().duplicates, 5, "{dialect:?}");
    }
}

#[test]
fn r45_four_threads_send_250_each_and_every_message_is_acked_once() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        // A debug build on a busy machine may take a while for 1,000 round trips: keep
        // resends (harmless) from turning into losses.
        let mut config = fast_config(server.url(), dialect);
        config.engine.qos_check_interval_ms = 2_000;
        config.engine.qos_just_now_ms = 1_500;
        config.engine.qos_max_resends = 5;
        let (alice, mut alice_events) = online_client(config.clone(), "alice");
        let (_bob, mut bob_events) = online_client(config, "bob");

        let sent = Arc::new(Mutex::new(Vec::new()));
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let alice = alice.clone();
                let sent = sent.clone();
                std::thread::spawn(move || {
                    for i in 0..250 {
                        let fp = alice
                            .send(SendRequest::new("bob", format!("t{t} m{i}")))
                            .unwrap();
                        sent.lock().unwrap().push(fp);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let sent: HashSet<String> = sent.lock().unwrap().drain(..).collect();
        assert_eq!(sent.len(), 1000, "fingerprints must be unique");

        let mut acked = HashSet::new();
        while acked.len() < 1000 {
            let event = alice_events.wait_for("acks", |e| acked_fp(e).is_some());
            let fp = acked_fp(&event).unwrap().to_string();
            assert!(sent.contains(&fp), "ack for an unknown fp {fp}");
            assert!(acked.insert(fp), "ack reported twice");
        }
        let mut received = HashSet::new();
        while received.len() < 1000 {
            if let Event::Message(m) =
                bob_events.wait_for("messages", |e| matches!(e, Event::Message(_)))
            {
                assert!(received.insert(m.fp), "message delivered twice");
            }
        }
        let stats = alice.stats();
        assert_eq!(
            (stats.acked, stats.lost, stats.pending_qos),
            (1000, 0, 0),
            "{dialect:?}"
        );
        assert_eq!(alice.state(), State::Online);
    }
}

#[test]
fn r59_echo_is_answered() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let (alice, mut events) = online_client(fast_config(server.url(), dialect), "alice");
        alice.echo("ping?").unwrap();
        let echo = events.wait_for("echo", |e| matches!(e, Event::Echo { .. }));
        assert_eq!(
            echo,
            Event::Echo {
                text: "ping?".into()
            }
        );
    }
}

#[test]
fn d16_seed_subprotocol_is_negotiated_with_the_dev_server() {
    let server = Server::with_dialect(Dialect::Seed);
    let mut config = fast_config(server.url(), Dialect::Seed);
    config.subprotocol = Some("im-json".into());
    let (alice, mut alice_events) = online_client(config, "alice");
    let (_bob, mut bob_events) = online_client(fast_config(server.url(), Dialect::Seed), "bob");
    let fp = alice
        .send(SendRequest::new("bob", "over a subprotocol"))
        .unwrap();
    bob_events.wait_for("bob receives", |e| matches!(e, Event::Message(_)));
    alice_events.wait_for("alice's ack", |e| acked_fp(e) == Some(fp.as_str()));
}
