//! One-to-one forwarding and the server ACK of each dialect (D7, D8, §6.1, §6.2), C2S
//! ACKs, the recipient's ACK stopping the resend, the one resend, offline recipients.

mod common;

use std::time::Duration;

use common::{each_dialect, start, start_with, Client};
use imsdk::protocol::{decode, packet_type, Dialect, Packet};
use imsdk_devserver::DevServerConfig;

/// The frame that ACKs `fp` to `sender` in `dialect`, with the expected `from`.
fn assert_server_ack(dialect: Dialect, ack: &Packet, fp: &str, from: &str, sender: &str) {
    assert_eq!(ack.packet_type, dialect.server_ack_type(), "{ack:?}");
    assert_eq!(ack.content(), fp);
    assert_eq!(ack.from, from);
    assert_eq!(ack.to, sender);
    assert!(!ack.qos);
}

#[tokio::test]
async fn d7_forwarded_message_and_the_dialects_server_ack() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        alice.send_data("bob", "hello bob", Some("fp-1")).await;
        let forwarded = bob.recv_type(packet_type::COMMON_DATA).await;
        assert_eq!(forwarded.content(), "hello bob");
        assert_eq!(forwarded.from, "alice");
        assert_eq!(forwarded.to, "bob");
        assert_eq!(forwarded.fp_str(), "fp-1");
        assert!(forwarded.qos);
        let ack = alice.recv().await;
        match dialect {
            // seed: 54 from "0" (server received it).
            Dialect::Seed => assert_server_ack(dialect, &ack, "fp-1", "0", "alice"),
            // mobileimsdk: pseudo-ACK from the recipient, after the write.
            Dialect::MobileImSdk => assert_server_ack(dialect, &ack, "fp-1", "bob", "alice"),
        }
        bob.ack(&forwarded).await;
        alice.expect_quiet().await;
    })
    .await;
}

#[tokio::test]
async fn d7_forwarded_frame_is_reencoded_exactly() {
    let server = start(Dialect::MobileImSdk).await;
    let mut alice = Client::online(&server, "alice").await;
    let mut bob = Client::online(&server, "bob").await;
    alice
        .send_text(
            "{\"type\":2,\"dataContent\":\"hello bob\",\"from\":\"alice\",\"to\":\"bob\",\
             \"fp\":\"c48360c9\",\"QoS\":true,\"extra\":1}",
        )
        .await;
    assert_eq!(
        bob.recv_text().await,
        "{\"bridge\":false,\"type\":2,\"dataContent\":\"hello bob\",\"from\":\"alice\",\
         \"to\":\"bob\",\"fp\":\"c48360c9\",\"QoS\":true,\"typeu\":-1,\"sm\":-1}"
    );
}

#[tokio::test]
async fn p10_mobileimsdk_server_ignores_the_seed_qos_key() {
    let server = start(Dialect::MobileImSdk).await;
    let mut alice = Client::online(&server, "alice").await;
    let mut bob = Client::online(&server, "bob").await;
    alice
        .send_text(
            "{\"type\":2,\"dataContent\":\"x\",\"from\":\"alice\",\"to\":\"bob\",\
             \"fp\":\"fp-q\",\"Qos\":true}",
        )
        .await;
    let forwarded = bob.recv_type(packet_type::COMMON_DATA).await;
    assert!(!forwarded.qos);
    // Not a QoS message to the server: no pseudo-ACK.
    alice.expect_quiet().await;
}

#[tokio::test]
async fn d7_message_without_qos_is_forwarded_and_not_acked() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        alice.send_data("bob", "no qos", None).await;
        let forwarded = bob.recv_type(packet_type::COMMON_DATA).await;
        assert!(!forwarded.qos);
        assert_eq!(forwarded.content(), "no qos");
        alice.expect_quiet().await;
    })
    .await;
}

#[tokio::test]
async fn d7_c2s_message_with_qos_is_acked_from_the_server() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        alice.send_data("0", "to the server", Some("fp-c2s")).await;
        let ack = alice.recv().await;
        assert_server_ack(dialect, &ack, "fp-c2s", "0", "alice");
    })
    .await;
}

fn quick_resend(dialect: Dialect) -> DevServerConfig {
    let mut config = DevServerConfig::new(dialect);
    config.resend_after_ms = 200;
    config
}

#[tokio::test]
async fn s6_unacked_forward_is_resent_once_with_the_same_fp() {
    each_dialect(|dialect| async move {
        let server = start_with(quick_resend(dialect)).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        alice.send_data("bob", "resend me", Some("fp-r")).await;
        let first = bob.recv_text().await;
        let again = bob.recv_text().await;
        assert_eq!(first, again);
        assert_eq!(decode(dialect, &again).unwrap().fp_str(), "fp-r");
        // Once only.
        if let Some(event) = bob.next_event_within(Duration::from_millis(600)).await {
            panic!("a second resend: {event:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn s6_recipient_ack_stops_the_resend_and_is_not_forwarded() {
    each_dialect(|dialect| async move {
        // Long enough for bob's ACK to arrive first even on a loaded machine.
        let mut config = quick_resend(dialect);
        config.resend_after_ms = 1_000;
        let server = start_with(config).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        alice.send_data("bob", "ack me", Some("fp-a")).await;
        let forwarded = bob.recv_type(packet_type::COMMON_DATA).await;
        // D9: seed puts the acked frame's sender in `from`; the server knows bob by
        // his connection.
        bob.ack(&forwarded).await;
        let ack = alice.recv().await;
        assert_eq!(ack.packet_type, dialect.server_ack_type());
        if let Some(event) = bob.next_event_within(Duration::from_millis(1_500)).await {
            panic!("resent although acked: {event:?}");
        }
        // bob's ACK was consumed, never forwarded to alice.
        alice.expect_quiet().await;
    })
    .await;
}

#[tokio::test]
async fn d14_offline_recipient_seed_queues_mobileimsdk_drops() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        alice
            .send_data("bob", "while you were away", Some("fp-off"))
            .await;
        match dialect {
            Dialect::Seed => {
                let ack = alice.recv().await;
                assert_server_ack(dialect, &ack, "fp-off", "0", "alice");
            }
            Dialect::MobileImSdk => alice.expect_quiet().await,
        }
        let mut bob = Client::online(&server, "bob").await;
        match dialect {
            Dialect::Seed => {
                let queued = bob.recv_type(packet_type::COMMON_DATA).await;
                assert_eq!(queued.content(), "while you were away");
                assert_eq!(queued.fp_str(), "fp-off");
            }
            Dialect::MobileImSdk => bob.expect_quiet().await,
        }
    })
    .await;
}

#[tokio::test]
async fn s6_seed_offline_queue_is_bounded_oldest_dropped() {
    let mut config = DevServerConfig::new(Dialect::Seed);
    config.offline_queue_cap = 2;
    let server = start_with(config).await;
    let mut alice = Client::online(&server, "alice").await;
    for n in 1..=3 {
        alice.send_data("bob", &format!("m{n}"), None).await;
    }
    // An echo round trip proves the three were handled.
    alice.send(&Packet::echo("alice", "sync")).await;
    alice.recv_type(packet_type::ECHO_RESPONSE).await;
    let mut bob = Client::online(&server, "bob").await;
    assert_eq!(bob.recv().await.content(), "m2");
    assert_eq!(bob.recv().await.content(), "m3");
    bob.expect_quiet().await;
}

#[tokio::test]
async fn s6_server_push_is_type_2_from_the_server() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        server.push("alice", "from the server", true);
        let pushed = alice.recv_type(packet_type::COMMON_DATA).await;
        assert_eq!(pushed.from, "0");
        assert_eq!(pushed.to, "alice");
        assert_eq!(pushed.content(), "from the server");
        assert!(pushed.qos);
        assert_eq!(pushed.fp_str().len(), 36);
        server.push("alice", "plain", false);
        let plain = alice.recv_type(packet_type::COMMON_DATA).await;
        assert!(!plain.qos);
        assert!(plain.fp.is_none());
    })
    .await;
}

fn wall_clock_ms() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since_epoch.as_millis()).unwrap()
}

#[tokio::test]
async fn r41_seed_stamps_send_ts_on_what_it_forwards_mobileimsdk_writes_none() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        let before = wall_clock_ms();
        // Stored while bob is offline, forwarded while he is online, pushed by the server.
        alice.send_data("bob", "stored", Some("fp-s")).await;
        alice.send(&Packet::echo("alice", "sync")).await;
        // seed ACKs the stored message first; the echo proves it was handled.
        while alice.recv().await.packet_type != packet_type::ECHO_RESPONSE {}
        let mut bob = Client::online(&server, "bob").await;
        alice.send_data("bob", "forwarded", Some("fp-f")).await;
        server.push("bob", "pushed", true);
        let mut seen = Vec::new();
        while seen.len() < 3 {
            let packet = bob.recv().await;
            if packet.packet_type == packet_type::COMMON_DATA {
                seen.push(packet);
            }
        }
        let after = wall_clock_ms();
        for packet in &seen {
            match dialect {
                Dialect::Seed => assert!(
                    (before..=after).contains(&packet.server_ts),
                    "{:?}: sendTs {} not the server's clock",
                    packet.content(),
                    packet.server_ts
                ),
                Dialect::MobileImSdk => assert_eq!(packet.server_ts, -1, "{packet:?}"),
            }
        }
    })
    .await;
}
