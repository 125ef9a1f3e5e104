//! Keepalive, echo, logout and the 301 before login (§6.1, §6.2, D18).

mod common;

use common::{close_normal, each_dialect, start, Client};
use imsdk::protocol::{packet_type, ErrorResponse, Packet};

#[tokio::test]
async fn r14_keepalive_is_answered_with_51() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        alice.keepalive().await;
        let answer = alice.recv_type(packet_type::KEEPALIVE_RESPONSE).await;
        assert_eq!(answer.from, "0");
        assert_eq!(answer.to, "alice");
        assert_eq!(answer.content(), "{}");
    })
    .await;
}

#[tokio::test]
async fn r59_echo_is_answered_with_53_before_and_after_login() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut client = Client::connect(&server).await;
        client.send(&Packet::echo("ghost", "ping?")).await;
        let echo = client.recv_type(packet_type::ECHO_RESPONSE).await;
        assert_eq!(echo.content(), "ping?");
        assert_eq!(echo.from, "ghost");
        assert_eq!(echo.to, "0");
        client.login("alice", "t", 0).await;
        client.send(&Packet::echo("alice", "again")).await;
        assert_eq!(
            client.recv_type(packet_type::ECHO_RESPONSE).await.content(),
            "again"
        );
    })
    .await;
}

#[tokio::test]
async fn r30_logout_closes_without_an_answer() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut alice = Client::online(&server, "alice").await;
        alice.send(&Packet::logout("alice")).await;
        alice.expect_close(close_normal()).await;
    })
    .await;
}

#[tokio::test]
async fn r26_keepalive_data_or_ack_before_login_get_301_then_close() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let typeu = dialect.spec().default_send_typeu;
        let frames = [
            Packet::keepalive("ghost"),
            Packet::data(
                "ghost",
                "bob",
                "hello before login",
                true,
                Some("fp-301"),
                typeu,
            ),
            Packet {
                data_content: Some("fp-x".to_string()),
                from: "ghost".to_string(),
                to: "0".to_string(),
                ..Packet::new(packet_type::ACK)
            },
        ];
        for frame in frames {
            let mut client = Client::connect(&server).await;
            client.send(&frame).await;
            let error = client.recv_type(packet_type::ERROR).await;
            assert_eq!(error.from, "0");
            assert_eq!(error.to, "-1");
            let ErrorResponse {
                error_code,
                error_msg,
            } = error.error_response().unwrap();
            assert_eq!(error_code, 301);
            // errorMsg is the offending frame as the server re-serialised it.
            assert_eq!(error_msg, imsdk::protocol::encode(dialect, &frame));
            client.expect_close(close_normal()).await;
        }
    })
    .await;
}
