//! Client integration: link loss and recovery under injected faults (dev server restarts,
//! dropped ACKs, unanswered keepalives, idle timeout, kickout, network hints, big frames).

mod client_support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use client_support::*;
use imsdk::client::{Client, Event, LinkClosedReason, LossReason, SendRequest, State, StateReason};
use imsdk::protocol::{codes, Dialect};
use imsdk_devserver::DevServerConfig;

fn is_relogin_ok(event: &Event) -> bool {
    matches!(
        event,
        Event::LoginResult {
            code: 0,
            relogin: true
        }
    )
}

fn lost_fps(event: &Event, reason: LossReason) -> Vec<String> {
    match event {
        Event::MessagesLost(lost) => lost
            .iter()
            .filter(|m| m.reason == reason)
            .map(|m| m.fp.clone())
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn r18_r10_server_restart_relogin_resends_pending_messages() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let mut config = fast_config(server.url(), dialect);
        // mobileimsdk acks only what reaches an online recipient: leave room for bob to
        // come back well after alice.
        config.engine.qos_max_resends = 50;
        let (alice, mut alice_events) = online_client(config.clone(), "alice");
        let (_bob, mut bob_events) = online_client(config, "bob");

        server.stop_listening();
        for events in [&mut alice_events, &mut bob_events] {
            events.wait_for("link closed", |e| matches!(e, Event::LinkClosed { .. }));
        }
        let fps: Vec<String> = (0..3)
            .map(|i| {
                alice
                    .send(SendRequest::new("bob", format!("while down {i}")))
                    .unwrap()
            })
            .collect();
        assert_ne!(alice.state(), State::Online);

        let restarted = Instant::now();
        server.restart_listening();
        alice_events.wait_for("alice re-login", is_relogin_ok);
        let alice_relogin = alice_events.matched_at() - restarted;
        bob_events.wait_for("bob re-login", is_relogin_ok);
        let bob_relogin = bob_events.matched_at() - restarted;
        let attempt_started = alice_events
            .last_seen_at(|e| {
                matches!(
                    e,
                    Event::StateChanged {
                        reason: StateReason::AttemptStarted,
                        ..
                    }
                )
            })
            .unwrap();
        println!(
            "{dialect:?}: re-login after a server restart on loopback: alice {} ms, bob {} ms \
             after the restart (backoff included); alice's successful attempt took {} µs",
            alice_relogin.as_millis(),
            bob_relogin.as_millis(),
            (alice_events.matched_at() - attempt_started).as_micros()
        );

        let mut pending: HashSet<String> = fps.iter().cloned().collect();
        while !pending.is_empty() {
            if let Event::MessageAcked { fp } =
                alice_events.wait_for("acks", |e| matches!(e, Event::MessageAcked { .. }))
            {
                assert!(pending.remove(&fp), "unexpected or repeated ack {fp}");
            }
        }
        let mut delivered = HashSet::new();
        while delivered.len() < 3 {
            if let Event::Message(m) =
                bob_events.wait_for("messages", |e| matches!(e, Event::Message(_)))
            {
                assert!(fps.contains(&m.fp));
                assert!(delivered.insert(m.fp), "delivered twice");
            }
        }
        assert_eq!(alice.stats().lost, 0);
    }
}

#[test]
fn r47_all_acks_dropped_each_message_is_lost_once_after_the_resends() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let mut config = fast_config(server.url(), dialect);
        config.engine.qos_max_resends = 2;
        let tick = Duration::from_millis(config.engine.qos_check_interval_ms);
        let (alice, mut events) = online_client(config, "alice");
        let (_bob, _bob_events) = online_client(fast_config(server.url(), dialect), "bob");
        server.get().set_drop_acks(true);

        let started = Instant::now();
        let fps: HashSet<String> = (0..5)
            .map(|i| {
                alice
                    .send(SendRequest::new("bob", format!("m{i}")))
                    .unwrap()
            })
            .collect();
        let mut lost = HashSet::new();
        while lost.len() < fps.len() {
            let event = events.wait_for("losses", |e| matches!(e, Event::MessagesLost(_)));
            for fp in lost_fps(&event, LossReason::Timeout) {
                assert!(fps.contains(&fp), "unknown fp lost");
                assert!(lost.insert(fp), "lost reported twice");
            }
        }
        let elapsed = started.elapsed();
        // Two resends on two later ticks must come first (R47).
        assert!(elapsed >= tick * 2, "lost too early: {elapsed:?}");
        println!(
            "{dialect:?}: all 5 reported lost after {} ms",
            elapsed.as_millis()
        );
        let later = events.during(tick * 4, |e| {
            matches!(e, Event::MessagesLost(_) | Event::MessageAcked { .. })
        });
        assert!(later.is_empty(), "outcomes after the loss: {later:?}");
        let stats = alice.stats();
        assert_eq!((stats.lost, stats.acked, stats.pending_qos), (5, 0, 0));
        assert_eq!(stats.resent, 10);
    }
}

#[test]
fn r14_keepalive_keeps_the_session_past_the_server_idle_timeout() {
    for dialect in DIALECTS {
        let mut server_config = DevServerConfig::new(dialect);
        server_config.idle_timeout_ms = 1_500;
        let server = Server::start(server_config);
        let mut config = fast_config(server.url(), dialect);
        // Only the server's idle timeout is under test: a roomy client-side timeout keeps a
        // busy machine from causing a keepalive-timeout link loss.
        config.engine.keepalive_timeout_ms = 5_000;
        let (alice, mut events) = online_client(config, "alice");

        // Control: without keepalives inside the idle timeout the server does close.
        let mut slow = fast_config(server.url(), dialect);
        slow.engine.keepalive_interval_ms = 5_000;
        slow.engine.keepalive_timeout_ms = 8_000;
        let (_slow, mut slow_events) = online_client(slow, "slowpoke");

        let drops = events.during(Duration::from_millis(4_000), |e| {
            matches!(e, Event::LinkClosed { .. } | Event::StateChanged { .. })
        });
        assert!(drops.is_empty(), "{dialect:?}: {drops:?}");
        assert_eq!(alice.state(), State::Online);
        assert!(alice.stats().last_keepalive_rtt_ms >= 0);
        slow_events.wait_for("idle close of the control client", |e| {
            matches!(e, Event::LinkClosed { .. })
        });
    }
}

#[test]
fn r16_unanswered_keepalives_are_a_link_loss_and_the_client_recovers() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let (alice, mut events) = online_client(fast_config(server.url(), dialect), "alice");
        server.get().set_answer_keepalives(false);
        events.wait_for("keepalive timeout", |e| {
            matches!(
                e,
                Event::LinkClosed {
                    reason: LinkClosedReason::KeepaliveTimeout
                }
            )
        });
        server.get().set_answer_keepalives(true);
        events.wait_for("re-login", is_relogin_ok);
        let fp = alice.send(SendRequest::new("0", "to the server")).unwrap();
        events.wait_for(
            "ack after recovery",
            |e| matches!(e, Event::MessageAcked { fp: f } if *f == fp),
        );
    }
}

#[test]
fn r28_duplicate_login_kicks_the_older_session() {
    let dialect = Dialect::MobileImSdk;
    let server = Server::with_dialect(dialect);
    let (first, mut first_events) = online_client(fast_config(server.url(), dialect), "alice");
    let (second, mut second_events) = online_client(fast_config(server.url(), dialect), "alice");
    let kicked = first_events.wait_for("kickout", |e| matches!(e, Event::Kicked { .. }));
    assert_eq!(
        kicked,
        Event::Kicked {
            code: codes::KICK_DUPLICATE_LOGIN,
            reason: String::new()
        }
    );
    assert_eq!(first.state(), State::Idle);
    let later = first_events.during(Duration::from_millis(800), |e| {
        matches!(
            e,
            Event::LoginResult { .. }
                | Event::StateChanged {
                    state: State::Connecting,
                    ..
                }
        )
    });
    assert!(later.is_empty(), "no re-login after a kickout: {later:?}");
    let trouble = second_events.during(Duration::from_millis(300), |e| {
        matches!(e, Event::LinkClosed { .. } | Event::Kicked { .. })
    });
    assert!(trouble.is_empty(), "{trouble:?}");
    assert_eq!(second.state(), State::Online);
    assert_eq!(server.get().online_users(), vec!["alice".to_string()]);
}

/// alice online, with three QoS messages pending that the server will never ack.
fn online_with_three_pending(dialect: Dialect) -> (Server, Client, Events, HashSet<String>) {
    let server = Server::with_dialect(dialect);
    let (alice, events) = online_client(fast_config(server.url(), dialect), "alice");
    server.get().set_drop_acks(true);
    let fps = (0..3)
        .map(|i| {
            alice
                .send(SendRequest::new("nobody", format!("m{i}")))
                .unwrap()
        })
        .collect();
    (server, alice, events, fps)
}

#[test]
fn r34_logout_with_pending_messages_reports_each_lost_once() {
    for dialect in DIALECTS {
        let (_server, alice, mut events, fps) = online_with_three_pending(dialect);
        alice.logout().unwrap();
        let event = events.wait_for("losses", |e| matches!(e, Event::MessagesLost(_)));
        let lost: HashSet<String> = lost_fps(&event, LossReason::Cancelled)
            .into_iter()
            .collect();
        assert_eq!(lost, fps);
        events.wait_for("logged out", |e| {
            matches!(
                e,
                Event::StateChanged {
                    state: State::Idle,
                    reason: StateReason::LoggedOut,
                    ..
                }
            )
        });
        let later = events.during(Duration::from_millis(800), |e| {
            matches!(e, Event::MessagesLost(_) | Event::MessageAcked { .. })
        });
        assert!(later.is_empty(), "{later:?}");
        assert_eq!(alice.logout().unwrap_err().code, codes::NO_LOGIN);
    }
}

#[test]
fn r32_release_with_pending_messages_reports_them_then_released_last() {
    for dialect in DIALECTS {
        let (_server, alice, mut events, fps) = online_with_three_pending(dialect);
        alice.release();
        // The barrier: everything, Released included, was delivered before release returned.
        let after = events.drain_now();
        assert_eq!(after.last(), Some(&Event::Released), "{after:?}");
        let lost: HashSet<String> = after
            .iter()
            .flat_map(|e| lost_fps(e, LossReason::Cancelled))
            .collect();
        assert_eq!(lost, fps);
        assert_eq!(
            alice.send(SendRequest::new("bob", "x")).unwrap_err().code,
            codes::INVALID_HANDLE
        );
        alice.release();
    }
}

#[test]
fn r58_network_down_then_up_reconnects_and_flushes() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let (alice, mut events) = online_client(fast_config(server.url(), dialect), "alice");
        alice.network_changed(false);
        events.wait_for("link closed", |e| {
            matches!(
                e,
                Event::LinkClosed {
                    reason: LinkClosedReason::NetworkDown
                }
            )
        });
        let mut plain = SendRequest::new("0", "no qos");
        plain.qos = false;
        assert_eq!(alice.send(plain).unwrap_err().code, codes::NETWORK_DOWN);
        let fp = alice
            .send(SendRequest::new("0", "queued while offline"))
            .unwrap();
        let attempts = events.during(Duration::from_millis(600), |e| {
            matches!(
                e,
                Event::StateChanged {
                    state: State::Connecting,
                    ..
                }
            )
        });
        assert!(attempts.is_empty(), "no attempts while the network is down");
        alice.network_changed(true);
        events.wait_for("re-login", is_relogin_ok);
        events.wait_for(
            "ack of the queued message",
            |e| matches!(e, Event::MessageAcked { fp: f } if *f == fp),
        );
    }
}

#[test]
fn oversized_inbound_frame_is_a_protocol_error_link_loss() {
    for dialect in DIALECTS {
        let server = Server::with_dialect(dialect);
        let mut config = fast_config(server.url(), dialect);
        config.max_inbound_bytes = imsdk::client::MIN_INBOUND_BYTES;
        let (_alice, mut events) = online_client(config, "alice");
        server.get().push("alice", &"x".repeat(4_000), false);
        events.wait_for("link closed", |e| {
            matches!(
                e,
                Event::LinkClosed {
                    reason: LinkClosedReason::ProtocolError
                }
            )
        });
        events.wait_for("re-login", is_relogin_ok);
        server.get().push("alice", "small", false);
        events.wait_for(
            "small push",
            |e| matches!(e, Event::Message(m) if m.content == "small"),
        );
    }
}

#[test]
fn r20_fifty_clients_all_relogin_after_a_server_restart() {
    let dialect = Dialect::MobileImSdk;
    let server = Server::with_dialect(dialect);
    let mut clients: Vec<_> = (0..50)
        .map(|i| online_client(fast_config(server.url(), dialect), &format!("user{i}")))
        .collect();
    server.stop_listening();
    for (_, events) in clients.iter_mut() {
        events.wait_for("link closed", |e| matches!(e, Event::LinkClosed { .. }));
    }
    server.restart_listening();
    for (_, events) in clients.iter_mut() {
        events.wait_for("re-login", is_relogin_ok);
    }
    wait_until("all back at the server", || {
        server.get().online_users().len() == 50
    });
    for (client, _) in &clients {
        assert_eq!(client.state(), State::Online);
    }
}
