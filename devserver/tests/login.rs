//! Login (§6.1, §6.2, D10, D11): accept all, token table, refusal, malformed login, and a
//! second login on the same connection.

mod common;

use std::collections::HashMap;

use common::{close_normal, each_dialect, start, start_with, Client, Event};
use imsdk::protocol::{packet_type, Dialect, Packet};
use imsdk_devserver::DevServerConfig;

#[tokio::test]
async fn d11_login_accepted_answers_50_code_0() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::connect(&server).await;
        alice.send_login("alice", "any", 0).await;
        let response = alice.recv_type(packet_type::LOGIN_RESPONSE).await;
        assert_eq!(response.from, "0");
        assert_eq!(response.to, "alice");
        let payload = response.login_response().unwrap();
        assert_eq!(payload.code, 0);
        match dialect {
            Dialect::MobileImSdk => assert!(payload.first_login_time > 0),
            Dialect::Seed => assert_eq!(response.content(), "{\"code\":0}"),
        }
        assert_eq!(server.online_users(), vec!["alice".to_string()]);
    })
    .await;
}

#[tokio::test]
async fn d11_mobileimsdk_login_keeps_the_clients_first_login_time() {
    let server = start(Dialect::MobileImSdk).await;
    let mut alice = Client::connect(&server).await;
    let response = alice.login("alice", "t", 1_795_630_938_309).await;
    assert_eq!(response.first_login_time, 1_795_630_938_309);
}

fn token_config(dialect: Dialect) -> DevServerConfig {
    let mut config = DevServerConfig::new(dialect);
    config.tokens = Some(HashMap::from([("alice".to_string(), "secret".to_string())]));
    config
}

#[tokio::test]
async fn s6_login_with_token_table_accepts_the_right_token() {
    each_dialect(|dialect| async move {
        let server = start_with(token_config(dialect)).await;
        let mut alice = Client::connect(&server).await;
        assert_eq!(alice.login("alice", "secret", 0).await.code, 0);
    })
    .await;
}

#[tokio::test]
async fn s6_login_refused_gets_the_refusal_code_then_close() {
    each_dialect(|dialect| async move {
        let server = start_with(token_config(dialect)).await;
        for (user, token) in [("alice", "wrong"), ("mallory", "secret")] {
            let mut client = Client::connect(&server).await;
            client.send_login(user, token, 0).await;
            let response = client.recv_type(packet_type::LOGIN_RESPONSE).await;
            let payload = response.login_response().unwrap();
            match dialect {
                Dialect::MobileImSdk => {
                    assert_eq!(response.content(), "{\"code\":1025,\"firstLoginTime\":-1}");
                    assert_eq!(response.to, "-1");
                }
                Dialect::Seed => {
                    assert_eq!(payload.code, 103);
                    assert_eq!(response.content(), "{\"code\":103}");
                }
            }
            client.expect_close(close_normal()).await;
        }
        assert!(server.online_users().is_empty());
    })
    .await;
}

#[tokio::test]
async fn s6_login_without_user_id_closes_without_a_frame() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        for content in [None, Some("{\"loginToken\":\"t\"}"), Some("not json")] {
            let mut client = Client::connect(&server).await;
            let login = Packet {
                data_content: content.map(str::to_string),
                from: "x".to_string(),
                to: "0".to_string(),
                ..Packet::new(packet_type::LOGIN)
            };
            client.send(&login).await;
            client.expect_close(close_normal()).await;
        }
    })
    .await;
}

#[tokio::test]
async fn s6_second_login_on_the_same_connection_gets_another_50() {
    each_dialect(|dialect| async move {
        let server = start_with(token_config(dialect)).await;
        let mut alice = Client::connect(&server).await;
        assert_eq!(alice.login("alice", "secret", 0).await.code, 0);
        // No token check the second time (§6.1).
        assert_eq!(alice.login("alice", "wrong", 0).await.code, 0);
    })
    .await;
}

#[tokio::test]
async fn s6_closed_connection_goes_offline() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        alice.ws.close(None).await.unwrap();
        while !matches!(alice.next_event().await, Event::Dropped) {}
        let deadline = tokio::time::Instant::now() + common::WAIT;
        while !server.online_users().is_empty() {
            assert!(tokio::time::Instant::now() < deadline, "still online");
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    })
    .await;
}
