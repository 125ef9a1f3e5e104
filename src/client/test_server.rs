//! For the client's tests (and the C layer's): a client logged in to a one-shot
//! in-process server on 127.0.0.1 that accepts any login and reports when the link ends,
//! and a bounded wait for `release()`.

use std::sync::mpsc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tungstenite::Message;

use super::{Client, Config, Event, LoginRequest};
use crate::protocol::{decode, encode, packet_type, Dialect, LoginResponse, Packet};
use crate::transport::test_support::serve_once;

/// How long a test waits for something that takes milliseconds when it works.
pub(crate) const BOUND: Duration = Duration::from_secs(10);

pub(crate) struct OnlineClient {
    pub(crate) client: Client,
    /// Every event of the client, in order (login result already taken).
    pub(crate) events: mpsc::Receiver<Event>,
    /// Receives once the server saw the link end.
    pub(crate) link_ended: mpsc::Receiver<()>,
    _server_runtime: tokio::runtime::Runtime,
}

/// A client logged in as `user_id` (seed dialect).
pub(crate) fn online_client(user_id: &str) -> OnlineClient {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (ended_tx, link_ended) = mpsc::channel::<()>();
    let (url, _server) = rt.block_on(serve_once(|mut ws| async move {
        while let Some(Ok(message)) = ws.next().await {
            let Message::Text(text) = message else {
                continue;
            };
            let packet = decode(Dialect::Seed, text.as_str()).unwrap();
            if packet.packet_type == packet_type::LOGIN {
                let mut response = Packet::new(packet_type::LOGIN_RESPONSE);
                response.data_content = Some(
                    LoginResponse {
                        code: 0,
                        first_login_time: -1,
                    }
                    .encode(Dialect::Seed),
                );
                let frame = encode(Dialect::Seed, &response);
                ws.send(Message::text(frame)).await.unwrap();
            }
        }
        let _ = ended_tx.send(());
    }));
    let (tx, events) = mpsc::channel::<Event>();
    let handler = move |event: &Event| {
        let _ = tx.send(event.clone());
    };
    let client = Client::new(Config::new(url, Dialect::Seed), handler).unwrap();
    client
        .login(LoginRequest {
            user_id: user_id.into(),
            token: "t".into(),
            app: None,
            extra: None,
        })
        .unwrap();
    let logged_in = events
        .iter()
        .find(|e| matches!(e, Event::LoginResult { .. }));
    assert!(
        matches!(logged_in, Some(Event::LoginResult { code: 0, .. })),
        "login failed: {logged_in:?}"
    );
    OnlineClient {
        client,
        events,
        link_ended,
        _server_runtime: rt,
    }
}

/// Calls `release()` on another thread; whether it returned within [`BOUND`] (a hung
/// release leaves that thread behind, and the test fails).
pub(crate) fn release_returns(client: &Client) -> bool {
    let client = client.clone();
    let (done_tx, done) = mpsc::channel();
    std::thread::spawn(move || {
        client.release();
        let _ = done_tx.send(());
    });
    done.recv_timeout(BOUND).is_ok()
}
