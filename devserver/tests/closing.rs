//! The closing handshake (RFC 6455 §5.5.1, §7.1): the server answers a client's close
//! frame before dropping TCP, and when it closes itself it waits for the client's reply,
//! so a client sees a clean close (1000) in both directions, never 1006.

mod common;

use common::{each_dialect, start, Client, WAIT};
use futures_util::{SinkExt, StreamExt};
use imsdk::protocol::Packet;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

/// Everything the client reads until the connection ends: the close frames it got and
/// how it ended (`None` = cleanly, after the close handshake).
async fn read_to_end(client: &mut Client) -> (Vec<Option<(u16, String)>>, Option<String>) {
    let mut closes = Vec::new();
    let read = async {
        loop {
            match client.ws.next().await {
                Some(Ok(Message::Close(frame))) => {
                    closes.push(frame.map(|f| (u16::from(f.code), f.reason.to_string())))
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Some(e.to_string()),
                None => return None,
            }
        }
    };
    let end = tokio::time::timeout(WAIT, read)
        .await
        .expect("the connection did not end");
    (closes, end)
}

#[tokio::test]
async fn s2_a_client_close_is_answered_with_its_code_before_tcp_ends() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut client = Client::online(&server, "alice").await;
        let frame = CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        };
        client.ws.send(Message::Close(Some(frame))).await.unwrap();
        let (closes, end) = read_to_end(&mut client).await;
        assert_eq!(
            closes,
            vec![Some((1000, String::new()))],
            "{dialect:?}: the server's close reply"
        );
        assert_eq!(end, None, "{dialect:?}: a clean end, not 1006");
    })
    .await;
}

#[tokio::test]
async fn s2_a_client_close_before_login_is_answered_too() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        let mut client = Client::connect(&server).await;
        client.ws.close(None).await.unwrap();
        let (closes, end) = read_to_end(&mut client).await;
        assert_eq!(
            closes,
            vec![None],
            "{dialect:?}: the reply to a close without code"
        );
        assert_eq!(end, None, "{dialect:?}");
    })
    .await;
}

#[tokio::test]
async fn s2_a_server_close_completes_the_handshake() {
    each_dialect(|dialect| async move {
        let server = start(dialect).await;
        // Closed after a logout, and by the embedding API.
        let mut alice = Client::online(&server, "alice").await;
        alice.send(&Packet::logout("alice")).await;
        let mut bob = Client::online(&server, "bob").await;
        server.close_user("bob");
        for client in [&mut alice, &mut bob] {
            let (closes, end) = read_to_end(client).await;
            assert_eq!(closes, vec![Some((1000, "Bye".to_string()))], "{dialect:?}");
            assert_eq!(end, None, "{dialect:?}: a clean end, not 1006");
        }
    })
    .await;
}
