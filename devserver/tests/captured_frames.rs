//! The mobileimsdk frames the dev server writes are byte-for-byte those captured from the
//! upstream server (PROTOCOL.md §5.1), given the captured client frames as input.

mod common;

use common::{close_normal, start, Client};
use imsdk::protocol::Dialect;

const LOGIN_ALICE: &str = r#"{"bridge":false,"type":0,"dataContent":"{\"loginUserId\":\"alice\",\"loginToken\":\"token-alice\",\"firstLoginTime\":1795630938309}","from":"alice","to":"0","QoS":false,"typeu":-1,"sm":-1}"#;
const LOGIN_BOB: &str = r#"{"bridge":false,"type":0,"dataContent":"{\"loginUserId\":\"bob\",\"loginToken\":\"token-bob\",\"firstLoginTime\":1795630938309}","from":"bob","to":"0","QoS":false,"typeu":-1,"sm":-1}"#;

async fn captured_login(client: &mut Client, frame: &str, user: &str) {
    client.send_text(frame).await;
    let expected = format!(
        r#"{{"bridge":false,"type":50,"dataContent":"{{\"code\":0,\"firstLoginTime\":1795630938309}}","from":"0","to":"{user}","QoS":false,"typeu":-1,"sm":-1}}"#
    );
    assert_eq!(client.recv_text().await, expected);
}

#[tokio::test]
async fn s5_1_login_keepalive_echo_and_acks_match_the_captures() {
    let server = start(Dialect::MobileImSdk).await;
    let mut alice = Client::connect(&server).await;
    captured_login(&mut alice, LOGIN_ALICE, "alice").await;
    let mut bob = Client::connect(&server).await;
    captured_login(&mut bob, LOGIN_BOB, "bob").await;

    alice.send_text(r#"{"bridge":false,"type":1,"dataContent":"{}","from":"alice","to":"0","QoS":false,"typeu":-1,"sm":-1}"#).await;
    assert_eq!(
        alice.recv_text().await,
        r#"{"bridge":false,"type":51,"dataContent":"{}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#
    );

    alice.send_text(r#"{"bridge":false,"type":5,"dataContent":"echo-me","from":"alice","to":"0","QoS":false,"typeu":-1,"sm":-1}"#).await;
    assert_eq!(
        alice.recv_text().await,
        r#"{"bridge":false,"type":53,"dataContent":"echo-me","from":"alice","to":"0","QoS":false,"typeu":-1,"sm":-1}"#
    );

    let message = r#"{"bridge":false,"type":2,"dataContent":"hello bob","from":"alice","to":"bob","fp":"c48360c9-d8d0-4c91-a3bc-4a9d97e11046","QoS":true,"typeu":-1,"sm":-1}"#;
    alice.send_text(message).await;
    assert_eq!(bob.recv_text().await, message);
    assert_eq!(
        alice.recv_text().await,
        r#"{"bridge":false,"type":4,"dataContent":"c48360c9-d8d0-4c91-a3bc-4a9d97e11046","from":"bob","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#
    );
    bob.send_text(r#"{"bridge":false,"type":4,"dataContent":"c48360c9-d8d0-4c91-a3bc-4a9d97e11046","from":"bob","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#).await;

    alice.send_text(r#"{"bridge":false,"type":2,"dataContent":"c2s","from":"alice","to":"0","fp":"2d808491-c526-4f86-b34b-31723366aedb","QoS":true,"typeu":-1,"sm":-1}"#).await;
    assert_eq!(
        alice.recv_text().await,
        r#"{"bridge":false,"type":4,"dataContent":"2d808491-c526-4f86-b34b-31723366aedb","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#
    );
    alice.expect_quiet().await;
}

#[tokio::test]
async fn s5_1_refusal_301_and_duplicate_kickout_match_the_captures() {
    let mut config = imsdk_devserver::DevServerConfig::new(Dialect::MobileImSdk);
    config.tokens = Some(
        [("alice".to_string(), "token-alice".to_string())]
            .into_iter()
            .collect(),
    );
    let server = common::start_with(config).await;

    let mut refused = Client::connect(&server).await;
    refused.send_text(LOGIN_BOB).await;
    assert_eq!(
        refused.recv_text().await,
        r#"{"bridge":false,"type":50,"dataContent":"{\"code\":1025,\"firstLoginTime\":-1}","from":"0","to":"-1","QoS":false,"typeu":-1,"sm":-1}"#
    );
    refused.expect_close(close_normal()).await;

    let mut ghost = Client::connect(&server).await;
    ghost.send_text(r#"{"bridge":false,"type":2,"dataContent":"hello before login","from":"ghost","to":"bob","fp":"363e6a3e-faf9-4368-a980-e8dafbcc910e","QoS":true,"typeu":-1,"sm":-1}"#).await;
    assert_eq!(
        ghost.recv_text().await,
        r#"{"bridge":false,"type":52,"dataContent":"{\"errorCode\":301,\"errorMsg\":\"{\\\"bridge\\\":false,\\\"type\\\":2,\\\"dataContent\\\":\\\"hello before login\\\",\\\"from\\\":\\\"ghost\\\",\\\"to\\\":\\\"bob\\\",\\\"fp\\\":\\\"363e6a3e-faf9-4368-a980-e8dafbcc910e\\\",\\\"QoS\\\":true,\\\"typeu\\\":-1,\\\"sm\\\":-1}\"}","from":"0","to":"-1","QoS":false,"typeu":-1,"sm":-1}"#
    );
    ghost.expect_close(close_normal()).await;

    let mut old = Client::connect(&server).await;
    captured_login(&mut old, LOGIN_ALICE, "alice").await;
    let mut new = Client::connect(&server).await;
    new.send_text(&LOGIN_ALICE.replace("1795630938309", "0"))
        .await;
    assert_eq!(
        old.recv_text().await,
        r#"{"bridge":false,"type":54,"dataContent":"{\"code\":1}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#
    );
    old.expect_close(close_normal()).await;
}
