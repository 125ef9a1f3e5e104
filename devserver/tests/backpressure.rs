//! A client that writes without reading while the server writes to it: the server must
//! keep reading while its own writes wait, or both TCP directions fill up and the
//! connection stalls for good.

mod common;

use std::time::Duration;

use common::{start, Client};
use futures_util::SinkExt;
use imsdk::protocol::{encode, packet_type, Dialect, Packet};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r59_echoes_are_read_while_the_replies_wait_for_a_client_that_does_not_read() {
    let server = start(Dialect::Seed).await;
    let mut client = Client::connect(&server).await;
    // 300 frames of 60 KB each way: far more than loopback socket buffers hold.
    let frame = encode(Dialect::Seed, &Packet::echo("ghost", &"x".repeat(60_000)));
    let count = 300;
    let writes = async {
        for _ in 0..count {
            client.ws.feed(Message::text(frame.clone())).await.unwrap();
        }
        client.ws.flush().await.unwrap();
    };
    tokio::time::timeout(Duration::from_secs(20), writes)
        .await
        .expect("the server stopped reading while its replies waited");
    for _ in 0..count {
        let echo = tokio::time::timeout(
            Duration::from_secs(20),
            client.recv_type(packet_type::ECHO_RESPONSE),
        )
        .await
        .expect("echo missing");
        assert_eq!(echo.content().len(), 60_000);
    }
}
