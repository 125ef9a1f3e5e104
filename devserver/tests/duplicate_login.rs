//! Duplicate login (§6.1 table for mobileimsdk; seed: the newer connection replaces the
//! older one, closed with 4001 "replaced by a newer login", docs/protocol.md R29).

mod common;

use common::{close_normal, start, Client, Event};
use imsdk::protocol::{codes, packet_type, Dialect};

#[tokio::test]
async fn d17_mobileimsdk_manual_or_newer_login_kicks_the_old_connection() {
    let server = start(Dialect::MobileImSdk).await;
    for new_time in [0, 2_000] {
        let mut old = Client::connect(&server).await;
        old.login("alice", "t", 1_000).await;
        let mut new = Client::connect(&server).await;
        let response = new.login("alice", "t", new_time).await;
        assert_eq!(response.code, 0);
        let kickout = old.recv_type(packet_type::SERVER_ACK_OR_KICKOUT).await;
        assert_eq!(kickout.content(), "{\"code\":1}");
        old.expect_close(close_normal()).await;
        new.keepalive().await;
        new.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
        drop(new);
    }
}

#[tokio::test]
async fn d17_mobileimsdk_equal_first_login_time_kicks_nobody() {
    let server = start(Dialect::MobileImSdk).await;
    let mut old = Client::connect(&server).await;
    old.login("alice", "t", 1_000).await;
    let mut new = Client::connect(&server).await;
    assert_eq!(new.login("alice", "t", 1_000).await.code, 0);
    old.expect_quiet().await;
    // The old connection's keepalive is answered on the registered (new) one.
    old.keepalive().await;
    new.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
    old.expect_quiet().await;
    // Messages go to the new connection.
    let mut bob = Client::online(&server, "bob").await;
    bob.send_data("alice", "hi", None).await;
    assert_eq!(new.recv().await.content(), "hi");
    old.expect_quiet().await;
}

#[tokio::test]
async fn d17_mobileimsdk_older_login_gets_50_then_54_then_close() {
    let server = start(Dialect::MobileImSdk).await;
    let mut old = Client::connect(&server).await;
    old.login("alice", "t", 2_000).await;
    let mut new = Client::connect(&server).await;
    assert_eq!(new.login("alice", "t", 1_000).await.code, 0);
    let kickout = new.recv_type(packet_type::SERVER_ACK_OR_KICKOUT).await;
    assert_eq!(kickout.content(), "{\"code\":1}");
    new.expect_close(close_normal()).await;
    old.keepalive().await;
    old.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
}

#[tokio::test]
async fn r29_seed_newer_login_replaces_the_older_connection_closed_with_4001() {
    let server = start(Dialect::Seed).await;
    let mut old = Client::online(&server, "alice").await;
    let mut new = Client::online(&server, "alice").await;
    assert_eq!(
        old.next_event().await,
        Event::Closed(
            Some(codes::CLOSE_REPLACED_BY_NEWER_LOGIN),
            codes::CLOSE_REPLACED_REASON.to_string()
        ),
        "the close says why: seed has no kickout frame"
    );
    let mut bob = Client::online(&server, "bob").await;
    bob.send_data("alice", "to the new one", None).await;
    assert_eq!(new.recv().await.content(), "to the new one");
    assert_eq!(server.online_users(), vec!["alice", "bob"]);
}
