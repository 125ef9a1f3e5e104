//! Frame-level rules (§2, D19, D21): idle timeout with pings not counting (from connect in
//! mobileimsdk, from login in seed), malformed frames closed with 1000, oversized frames
//! with 1009, the mobileimsdk path check, and many malformed connections in a row.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{close_normal, each_dialect, start, start_with, Client, Event};
use futures_util::SinkExt;
use imsdk::protocol::{packet_type, Dialect, Packet};
use imsdk_devserver::DevServerConfig;
use tokio_tungstenite::tungstenite::Message;

fn short_idle(dialect: Dialect, ms: u64) -> DevServerConfig {
    let mut config = DevServerConfig::new(dialect);
    config.idle_timeout_ms = ms;
    config
}

#[tokio::test]
async fn d19_idle_connection_is_closed_and_pings_do_not_count() {
    each_dialect(|dialect| async move {
        let server = start_with(short_idle(dialect, 400)).await;
        let mut alice = Client::online(&server, "alice").await;
        // Pings every 100 ms do not keep it alive (if they did, next_event would time out).
        let closed = async {
            loop {
                tokio::select! {
                    event = alice.next_event() => return event,
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                }
                alice.ws.send(Message::Ping(vec![1].into())).await.unwrap();
            }
        };
        let event = closed.await;
        assert!(
            matches!(event, Event::Closed(Some(1000), ref r) if r == "Bye"),
            "{event:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn d19_text_frames_keep_the_connection_alive() {
    each_dialect(|dialect| async move {
        let server = start_with(short_idle(dialect, 1_000)).await;
        let mut alice = Client::online(&server, "alice").await;
        // Six keepalives 300 ms apart outlive the 1 s idle timeout several times over.
        for _ in 0..6 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            alice.keepalive().await;
            alice.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
        }
    })
    .await;
}

#[tokio::test]
async fn d19_mobileimsdk_idle_timeout_counts_from_connect_before_login() {
    let server = start_with(short_idle(Dialect::MobileImSdk, 300)).await;
    let mut client = Client::connect(&server).await;
    client.expect_close(close_normal()).await;
}

#[tokio::test]
async fn d19_seed_idle_timeout_starts_at_login_not_at_connect() {
    let server = start_with(short_idle(Dialect::Seed, 300)).await;
    let mut client = Client::connect(&server).await;
    // Connected early, logging in later (as the TypeScript SDK did): twice the idle
    // timeout passes before the login, which must still find the link open.
    if let Some(event) = client.next_event_within(Duration::from_millis(600)).await {
        panic!("closed before the login: {event:?}");
    }
    assert_eq!(client.login("alice", "t", 0).await.code, 0);
    // From the login on, the idle timeout applies.
    client.expect_close(close_normal()).await;
}

#[tokio::test]
async fn d19_seed_connection_that_never_logs_in_is_closed_after_login_wait() {
    let mut config = short_idle(Dialect::Seed, 60_000);
    config.login_wait_ms = Some(300);
    let server = start_with(config).await;
    let mut client = Client::connect(&server).await;
    // An echo before the login does not extend the wait.
    client.send(&Packet::echo("ghost", "still here")).await;
    client.recv_type(packet_type::ECHO_RESPONSE).await;
    client.expect_close(close_normal()).await;
}

#[tokio::test]
async fn s2_malformed_frames_close_with_1000() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let bad: Vec<Message> = vec![
            Message::Binary(vec![1, 2, 3].into()),
            Message::text("not json"),
            Message::text("{\"type\":1}{\"type\":1}"),
            Message::text("{\"type\":1} trailing"),
            Message::text("{\"from\":\"alice\"}"),
            Message::text("[1,2]"),
            Message::text("{\"type\":\"x\"}"),
        ];
        for frame in bad {
            let mut client = Client::online(&server, "alice").await;
            client.ws.send(frame.clone()).await.unwrap();
            client.expect_close(close_normal()).await;
        }
        // Still serving.
        let mut alice = Client::online(&server, "alice").await;
        alice.keepalive().await;
        alice.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
    })
    .await;
}

#[tokio::test]
async fn d21_frame_over_65536_bytes_closes_with_1009() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        let mut bob = Client::online(&server, "bob").await;
        // A frame of exactly 65 536 bytes is fine.
        let typeu = dialect.spec().default_send_typeu;
        let mut packet = Packet::data("alice", "bob", "", false, None, typeu);
        let overhead = imsdk::protocol::encode(dialect, &packet).len();
        packet.data_content = Some("x".repeat(65_536 - overhead));
        let exact = imsdk::protocol::encode(dialect, &packet);
        assert_eq!(exact.len(), 65_536);
        alice.send_text(&exact).await;
        // Forwarded whole (seed's sendTs stamp makes the forwarded frame a little longer).
        assert_eq!(bob.recv().await.content().len(), 65_536 - overhead);
        packet.data_content = Some("x".repeat(65_537 - overhead));
        alice.send(&packet).await;
        alice.expect_close(1009).await;
        bob.expect_quiet().await;
    })
    .await;
}

#[tokio::test]
async fn d15_mobileimsdk_answers_only_its_exact_path() {
    let server = start(Dialect::MobileImSdk).await;
    let port = server.addr().port();
    for path in ["/ws", "/websocket/", "/websocket?x=1", "/"] {
        let url = format!("ws://127.0.0.1:{port}{path}");
        assert!(
            tokio_tungstenite::connect_async(url.as_str())
                .await
                .is_err(),
            "{path} was answered"
        );
    }
    Client::online(&server, "alice").await;
}

#[tokio::test]
async fn d15_seed_accepts_any_path() {
    let server = start(Dialect::Seed).await;
    assert!(server.ws_url().ends_with("/ws"));
    let port = server.addr().port();
    for path in ["/ws", "/", "/im?token=1"] {
        let url = format!("ws://127.0.0.1:{port}{path}");
        let mut client = Client::connect_url(Dialect::Seed, &url).await;
        client.send(&Packet::echo("x", "y")).await;
        client.recv_type(packet_type::ECHO_RESPONSE).await;
    }
}

#[tokio::test]
async fn s2_a_thousand_malformed_connections_are_closed_and_service_continues() {
    each_dialect(|dialect| async move {
        let server = Arc::new(start(dialect).await);
        let url = Arc::new(server.ws_url());
        let limit = Arc::new(tokio::sync::Semaphore::new(64));
        let mut tasks = Vec::new();
        for n in 0..1_000 {
            let url = url.clone();
            let limit = limit.clone();
            tasks.push(tokio::spawn(async move {
                let _permit = limit.acquire_owned().await.unwrap();
                let mut client = Client::connect_url(dialect, &url).await;
                let junk = if n % 2 == 0 {
                    "{oops"
                } else {
                    "{\"no\":\"type\"}"
                };
                client.send_text(junk).await;
                client.expect_close(close_normal()).await;
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let mut alice = Client::online(&server, "alice").await;
        alice.keepalive().await;
        alice.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
    })
    .await;
}
