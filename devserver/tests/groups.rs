//! Groups (D13, D14): seed fans `typeu` 1 out to the members of group `to`, unknown group
//! → 303; mobileimsdk treats a group id as an unknown user. Rate limit 302 (seed, R57).

mod common;

use std::collections::HashMap;

use common::{start_with, Client};
use imsdk::protocol::{packet_type, Dialect, Packet};
use imsdk_devserver::DevServerConfig;

fn with_group(dialect: Dialect) -> DevServerConfig {
    let mut config = DevServerConfig::new(dialect);
    config.groups = HashMap::from([(
        "g100".to_string(),
        vec!["alice".to_string(), "bob".to_string(), "carol".to_string()],
    )]);
    config
}

fn group_message(from: &str, fp: &str) -> Packet {
    Packet::data(from, "g100", "hi all", true, Some(fp), 1)
}

#[tokio::test]
async fn d14_seed_group_message_fans_out_to_members_except_the_author() {
    let server = start_with(with_group(Dialect::Seed)).await;
    let mut alice = Client::online(&server, "alice").await;
    let mut bob = Client::online(&server, "bob").await;
    alice.send(&group_message("alice", "fp-g")).await;
    let ack = alice.recv_type(packet_type::SERVER_ACK_OR_KICKOUT).await;
    assert_eq!(ack.content(), "fp-g");
    let received = bob.recv_type(packet_type::COMMON_DATA).await;
    assert_eq!(received.to, "g100");
    assert_eq!(received.from, "alice");
    assert_eq!(received.typeu, 1);
    assert_eq!(received.content(), "hi all");
    alice.expect_quiet().await;
    // carol was offline: hers waits for her login.
    let mut carol = Client::online(&server, "carol").await;
    assert_eq!(carol.recv().await.fp_str(), "fp-g");
}

#[tokio::test]
async fn r56_seed_unknown_group_gets_303_naming_the_rejected_frame() {
    let server = start_with(with_group(Dialect::Seed)).await;
    let mut alice = Client::online(&server, "alice").await;
    let message = Packet::data("alice", "nogroup", "x", true, Some("fp-n"), 1);
    alice.send(&message).await;
    let error = alice.recv_type(packet_type::ERROR).await;
    let payload = error.error_response().unwrap();
    assert_eq!(payload.error_code, 303);
    // errorMsg is the frame as the server re-serialised it, so the client can tell
    // which message was rejected (R56).
    let named = imsdk::protocol::decode(Dialect::Seed, &payload.error_msg).unwrap();
    assert_eq!(named.fp_str(), "fp-n");
    assert_eq!(named.to, "nogroup");
    assert_eq!(named.content(), "x");
    assert_eq!(error.to, "alice");
    // Not accepted: no 54, and the link stays up.
    alice.expect_quiet().await;
    alice.keepalive().await;
    alice.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
}

#[tokio::test]
async fn r55_mobileimsdk_group_id_is_an_unknown_user() {
    let server = start_with(with_group(Dialect::MobileImSdk)).await;
    let mut alice = Client::online(&server, "alice").await;
    let mut bob = Client::online(&server, "bob").await;
    alice.send(&group_message("alice", "fp-m")).await;
    alice.expect_quiet().await;
    bob.expect_quiet().await;
}

#[tokio::test]
async fn r57_seed_rate_limit_answers_302_and_keeps_the_link() {
    let mut config = DevServerConfig::new(Dialect::Seed);
    config.max_msgs_per_sec = Some(2);
    let server = start_with(config).await;
    let mut alice = Client::online(&server, "alice").await;
    let mut bob = Client::online(&server, "bob").await;
    for n in 1..=3 {
        alice.send_data("bob", &format!("m{n}"), None).await;
    }
    let error = alice.recv_type(packet_type::ERROR).await;
    let payload = error.error_response().unwrap();
    assert_eq!(payload.error_code, 302);
    let named = imsdk::protocol::decode(Dialect::Seed, &payload.error_msg).unwrap();
    assert_eq!(named.content(), "m3");
    assert_eq!(bob.recv().await.content(), "m1");
    assert_eq!(bob.recv().await.content(), "m2");
    bob.expect_quiet().await;
    alice.keepalive().await;
    alice.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
}
