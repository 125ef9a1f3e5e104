//! Hostile servers for the soak program and its short variant in `cargo test`: one that
//! floods a client with QoS messages as fast as TCP lets it, and one that stops reading
//! after the login (for good, or until told to read again). Both speak seed on 127.0.0.1 with an OS-chosen port and accept any
//! number of connections (a client logs in again after a link loss). Also the client's
//! side of their login, which the soak program and its tests share.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use imsdk::client::{Client, LoginRequest};
use imsdk::protocol::{decode, encode, packet_type, Dialect, LoginResponse, Packet};
use parking_lot::Mutex;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::{accept_async, WebSocketStream};
use tungstenite::Message;

/// Starts the login of `user` (any token: these servers accept everyone).
pub fn login(client: &Client, user: &str) {
    client
        .login(LoginRequest {
            user_id: user.into(),
            token: "t".into(),
            ..Default::default()
        })
        .expect("login");
}

/// What a flooding server observed.
#[derive(Default)]
pub struct FloodLog {
    /// fps the client acknowledged, in order.
    pub acked: Mutex<Vec<String>>,
    /// ACKs that arrived for an fp the application had not been handed yet.
    pub acked_before_delivery: AtomicU64,
    /// Messages written to the socket so far.
    pub written: AtomicU64,
}

/// fps the application's callback has returned for; shared with the server, which
/// checks every ACK against it.
pub type Delivered = Arc<Mutex<HashSet<String>>>;

/// The fp of the `i`-th flooded message.
pub fn flood_fp(i: u64) -> String {
    format!("flood-{i}")
}

/// Starts a server that answers each login, then writes `count` QoS messages of
/// `content_len` bytes (fps `flood-0`…) and records the ACKs. A client that logs in
/// again gets the messages not acknowledged yet, in order. Returns the URL.
pub async fn flood_server(
    count: u64,
    content_len: usize,
    delivered: Delivered,
) -> (String, Arc<FloodLog>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}/ws", listener.local_addr().expect("addr"));
    let log = Arc::new(FloodLog::default());
    let content = "m".repeat(content_len);
    let server_log = log.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let log = server_log.clone();
            let delivered = delivered.clone();
            let content = content.clone();
            tokio::spawn(async move {
                let Some((ws, user)) = logged_in(tcp).await else {
                    return;
                };
                let (mut sink, mut stream) = ws.split();
                let reader_log = log.clone();
                let reader = tokio::spawn(async move {
                    while let Some(Ok(Message::Text(text))) = stream.next().await {
                        let Ok(packet) = decode(Dialect::Seed, text.as_str()) else {
                            continue;
                        };
                        if packet.packet_type == packet_type::ACK {
                            let fp = packet.content().to_string();
                            if !delivered.lock().contains(&fp) {
                                reader_log
                                    .acked_before_delivery
                                    .fetch_add(1, Ordering::Relaxed);
                            }
                            reader_log.acked.lock().push(fp);
                        }
                    }
                });
                let acked: HashSet<String> = log.acked.lock().iter().cloned().collect();
                for i in 0..count {
                    let fp = flood_fp(i);
                    if acked.contains(&fp) {
                        continue;
                    }
                    let packet = Packet::data("flooder", &user, &content, true, Some(&fp), 0);
                    let frame = encode(Dialect::Seed, &packet);
                    if sink.send(Message::text(frame)).await.is_err() {
                        break;
                    }
                    log.written.fetch_add(1, Ordering::Relaxed);
                }
                let _ = reader.await;
            });
        }
    });
    (url, log)
}

/// Starts a server that answers each login and then never reads again (its connections
/// stay open). Returns the URL.
pub async fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}/ws", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                if let Some((ws, _)) = logged_in(tcp).await {
                    // Hold the socket, read nothing, until the client goes away for good.
                    std::future::pending::<()>().await;
                    drop(ws);
                }
            });
        }
    });
    url
}

/// Like [`silent_server`], but reads (and drops) everything again once `resume` is
/// notified, counting the text frames it read after the login in `read`: a server that
/// stalled for a while. (Used by `tests/soak_bounds.rs` only.)
#[allow(dead_code)]
pub async fn stalling_server(resume: Arc<tokio::sync::Notify>, read: Arc<AtomicU64>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}/ws", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (resume, read) = (resume.clone(), read.clone());
            tokio::spawn(async move {
                if let Some((mut ws, _)) = logged_in(tcp).await {
                    resume.notified().await;
                    while let Some(Ok(message)) = ws.next().await {
                        if message.is_text() {
                            read.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    url
}

/// Upgrades, reads the login, answers `50 code 0`; returns the socket and the user id.
async fn logged_in(tcp: TcpStream) -> Option<(WebSocketStream<TcpStream>, String)> {
    let mut ws = accept_async(tcp).await.ok()?;
    while let Some(Ok(message)) = ws.next().await {
        let Message::Text(text) = message else {
            continue;
        };
        let Ok(packet) = decode(Dialect::Seed, text.as_str()) else {
            continue;
        };
        if packet.packet_type != packet_type::LOGIN {
            continue;
        }
        let user = packet.from.clone();
        let mut response = Packet::new(packet_type::LOGIN_RESPONSE);
        response.from = "0".into();
        response.to = user.clone();
        response.data_content = Some(
            LoginResponse {
                code: 0,
                first_login_time: -1,
            }
            .encode(Dialect::Seed),
        );
        ws.send(Message::text(encode(Dialect::Seed, &response)))
            .await
            .ok()?;
        return Some((ws, user));
    }
    None
}
