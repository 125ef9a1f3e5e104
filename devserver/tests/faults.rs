//! Fault switches (DESIGN.md §6): dropped and delayed ACKs, dropped and duplicated
//! forwards, refused logins, unanswered keepalives, closing and kicking users, and
//! stopping then restarting the listener on the same port.

mod common;

use std::time::{Duration, Instant};

use common::{close_normal, each_dialect, start, Client, Event};
use imsdk::protocol::{packet_type, Dialect};

#[tokio::test]
async fn fault_drop_acks_suppresses_server_acks() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        server.set_drop_acks(true);
        alice.send_data("bob", "unacked", Some("fp-d")).await;
        bob.recv_type(packet_type::COMMON_DATA).await;
        alice.send_data("0", "c2s", Some("fp-c")).await;
        alice.expect_quiet().await;
        server.set_drop_acks(false);
        alice.send_data("0", "c2s", Some("fp-e")).await;
        assert_eq!(alice.recv().await.content(), "fp-e");
    })
    .await;
}

#[tokio::test]
async fn fault_ack_delay_holds_server_acks_back() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        server.set_ack_delay_ms(400);
        let sent = Instant::now();
        alice.send_data("0", "slow", Some("fp-slow")).await;
        let ack = alice.recv().await;
        assert_eq!(ack.content(), "fp-slow");
        assert!(sent.elapsed() >= Duration::from_millis(400));
    })
    .await;
}

#[tokio::test]
async fn fault_drop_forwards_loses_the_message_and_its_resend() {
    each_dialect(|dialect| async move {
        let mut config = imsdk_devserver::DevServerConfig::new(dialect);
        config.resend_after_ms = 100;
        let server = common::start_with(config).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        server.set_drop_forwards(true);
        alice.send_data("bob", "lost", Some("fp-lost")).await;
        match dialect {
            // seed ACKs on receipt: the sender believes it delivered.
            Dialect::Seed => assert_eq!(alice.recv().await.content(), "fp-lost"),
            // mobileimsdk ACKs after the write, which never happens.
            Dialect::MobileImSdk => alice.expect_quiet().await,
        }
        bob.expect_quiet().await;
    })
    .await;
}

#[tokio::test]
async fn fault_duplicate_forwards_writes_each_message_twice() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        server.set_duplicate_forwards(true);
        alice.send_data("bob", "twice", Some("fp-2")).await;
        let first = bob.recv_text().await;
        assert_eq!(first, bob.recv_text().await);
        // One server ACK only.
        alice.recv().await;
        alice.expect_quiet().await;
    })
    .await;
}

#[tokio::test]
async fn fault_refuse_logins_with_a_code() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        server.set_refuse_logins(Some(1200));
        let mut client = Client::connect(&server).await;
        assert_eq!(client.login("alice", "t", 0).await.code, 1200);
        client.expect_close(close_normal()).await;
        server.set_refuse_logins(None);
        Client::online(&server, "alice").await;
    })
    .await;
}

#[tokio::test]
async fn fault_keepalives_go_unanswered() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        server.set_answer_keepalives(false);
        alice.keepalive().await;
        alice.expect_quiet().await;
        server.set_answer_keepalives(true);
        alice.keepalive().await;
        alice.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
    })
    .await;
}

#[tokio::test]
async fn fault_close_user_closes_its_connection() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        server.close_user("alice");
        alice.expect_close(close_normal()).await;
        bob.keepalive().await;
        bob.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
    })
    .await;
}

#[tokio::test]
async fn r28_kick_writes_54_with_code_and_reason_then_closes() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        server.kick("alice", 2, Some("kicked by admin <&='>"));
        if dialect == Dialect::MobileImSdk {
            let kickout = alice.recv_type(packet_type::SERVER_ACK_OR_KICKOUT).await;
            let info = kickout.kickout_info().unwrap();
            assert_eq!(info.code, 2);
            assert_eq!(info.reason.as_deref(), Some("kicked by admin <&='>"));
            assert_eq!(kickout.to, "alice");
        }
        alice.expect_close(close_normal()).await;
    })
    .await;
}

#[tokio::test]
async fn fault_stop_listening_closes_everything_and_restart_uses_the_same_port() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let url = server.ws_url();
        let mut alice = Client::online(&server, "alice").await;
        let closer = async {
            server.stop_listening().await;
        };
        let watcher = async {
            alice.expect_close(close_normal()).await;
            // Reply to the close so the server can finish at once.
            assert!(matches!(alice.next_event().await, Event::Dropped));
        };
        tokio::join!(closer, watcher);
        assert!(server.online_users().is_empty());
        let refused = tokio_tungstenite::connect_async(url.as_str()).await;
        assert!(refused.is_err(), "still listening");
        server.restart_listening().await.unwrap();
        assert_eq!(server.ws_url(), url);
        let mut again = Client::online(&server, "alice").await;
        again.keepalive().await;
        again.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
        server.shutdown().await;
    })
    .await;
}
