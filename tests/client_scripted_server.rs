//! Client integration against small scripted servers (tokio-tungstenite on loopback), for
//! server behaviour the dev server does not produce on demand: 301 after login, 301 to the
//! login itself, an upgrade that is never answered.

mod client_support;

use std::time::Duration;

use client_support::*;
use futures_util::{SinkExt, StreamExt};
use imsdk::client::{Event, LinkClosedReason, SendRequest, State};
use imsdk::protocol::{
    self, codes, packet_type as pt, Dialect, ErrorResponse, LoginResponse, Packet,
};
use tokio::net::TcpListener;

fn is_relogin_ok(event: &Event) -> bool {
    matches!(
        event,
        Event::LoginResult {
            code: 0,
            relogin: true
        }
    )
}

type Ws = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

async fn read_packet(ws: &mut Ws, dialect: Dialect) -> Packet {
    loop {
        match ws.next().await.unwrap().unwrap() {
            tungstenite::Message::Text(text) => {
                return protocol::decode(dialect, text.as_str()).unwrap()
            }
            _ => continue,
        }
    }
}

async fn write_packet(ws: &mut Ws, dialect: Dialect, packet: &Packet) {
    ws.send(tungstenite::Message::text(protocol::encode(
        dialect, packet,
    )))
    .await
    .unwrap();
}

fn login_response(code: i32, to: &str) -> Packet {
    let response = LoginResponse {
        code,
        first_login_time: if code == 0 { 1_795_630_938_309 } else { -1 },
    };
    Packet {
        data_content: Some(response.encode(Dialect::MobileImSdk)),
        from: "0".into(),
        to: to.into(),
        ..Packet::new(pt::LOGIN_RESPONSE)
    }
}

fn error_301(offending: &Packet) -> Packet {
    let error = ErrorResponse {
        error_code: 301,
        error_msg: protocol::encode(Dialect::MobileImSdk, offending),
    };
    Packet {
        data_content: Some(error.encode()),
        from: "0".into(),
        to: "-1".into(),
        ..Packet::new(pt::ERROR)
    }
}

/// Link 1: login accepted, then the first data frame gets 301 and a close. Link 2:
/// login accepted (its payload is returned), data frames acked by the server.
async fn script_301(listener: TcpListener) -> Packet {
    let d = Dialect::MobileImSdk;
    let (tcp, _) = listener.accept().await.unwrap();
    let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
    let login = read_packet(&mut ws, d).await;
    write_packet(&mut ws, d, &login_response(0, &login.from)).await;
    loop {
        let packet = read_packet(&mut ws, d).await;
        if packet.packet_type == pt::COMMON_DATA {
            write_packet(&mut ws, d, &error_301(&packet)).await;
            let _ = ws.close(None).await;
            break;
        }
    }
    let (tcp, _) = listener.accept().await.unwrap();
    let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
    let relogin = read_packet(&mut ws, d).await;
    write_packet(&mut ws, d, &login_response(0, &relogin.from)).await;
    loop {
        let packet = read_packet(&mut ws, d).await;
        match packet.packet_type {
            pt::COMMON_DATA => {
                let mut ack = Packet::new(pt::ACK);
                ack.data_content = packet.fp.clone();
                ack.from = "0".into();
                ack.to = packet.from.clone();
                write_packet(&mut ws, d, &ack).await;
                return relogin;
            }
            pt::KEEPALIVE => {
                let mut pong = Packet::new(pt::KEEPALIVE_RESPONSE);
                pong.data_content = Some("{}".into());
                write_packet(&mut ws, d, &pong).await;
            }
            _ => {}
        }
    }
}

#[test]
fn r26_r27_301_online_relogs_in_and_resends_the_named_message() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("ws://{}/websocket", listener.local_addr().unwrap());
    let script = runtime.spawn(script_301(listener));

    let (alice, mut events) = online_client(fast_config(url, Dialect::MobileImSdk), "alice");
    let fp = alice
        .send(SendRequest::new("0", "before the server knew me"))
        .unwrap();
    let error = events.wait_for("301", |e| matches!(e, Event::ServerError { .. }));
    assert!(
        matches!(error, Event::ServerError { code: 301, .. }),
        "{error:?}"
    );
    events.wait_for("link closed", |e| {
        matches!(
            e,
            Event::LinkClosed {
                reason: LinkClosedReason::NotLoggedIn
            }
        )
    });
    events.wait_for("re-login", is_relogin_ok);
    events.wait_for(
        "ack of the resent message",
        |e| matches!(e, Event::MessageAcked { fp: f } if *f == fp),
    );
    let relogin = runtime.block_on(script).unwrap();
    // R7/R22: the re-login carries the stored firstLoginTime.
    let info = relogin.login_info().unwrap();
    assert_eq!(info.first_login_time, 1_795_630_938_309);
    assert_eq!(alice.stats().lost, 0);
}

#[test]
fn r8_301_during_the_manual_login_is_its_result() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("ws://{}/websocket", listener.local_addr().unwrap());
    runtime.spawn(async move {
        let d = Dialect::MobileImSdk;
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        let login = read_packet(&mut ws, d).await;
        write_packet(&mut ws, d, &error_301(&login)).await;
        let _ = ws.close(None).await;
        while ws.next().await.is_some() {}
    });
    let (alice, mut events) = client(fast_config(url, Dialect::MobileImSdk));
    alice.login(login_request("alice")).unwrap();
    let result = events.wait_for("login result", |e| matches!(e, Event::LoginResult { .. }));
    assert_eq!(
        result,
        Event::LoginResult {
            code: codes::SERVER_NOT_LOGGED_IN,
            relogin: false
        }
    );
    assert_eq!(alice.state(), State::Idle);
}

#[test]
fn r6_r8_unanswered_upgrade_fails_the_manual_login_with_202() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("ws://{}/wrong-path", listener.local_addr().unwrap());
    runtime.spawn(async move {
        // Accepts TCP and never answers, as mobileimsdk does for a wrong path.
        let mut held = Vec::new();
        while let Ok((tcp, _)) = listener.accept().await {
            held.push(tcp);
        }
    });
    let mut config = fast_config(url, Dialect::MobileImSdk);
    config.engine.connect_timeout_ms = 300;
    let (alice, mut events) = client(config);
    alice.login(login_request("alice")).unwrap();
    let result = events.wait_for("login result", |e| matches!(e, Event::LoginResult { .. }));
    assert_eq!(
        result,
        Event::LoginResult {
            code: codes::CONNECT_FAILED,
            relogin: false
        }
    );
    assert_eq!(alice.state(), State::Idle);
}

#[test]
fn r30_logout_while_connecting_aborts_without_a_login_result() {
    use tokio::io::AsyncReadExt;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("ws://{}/websocket", listener.local_addr().unwrap());
    let (accepted_tx, accepted) = std::sync::mpsc::channel();
    let (dropped_tx, dropped) = std::sync::mpsc::channel();
    runtime.spawn(async move {
        // Holds the upgrade unanswered, so the client stays CONNECTING.
        let (mut tcp, _) = listener.accept().await.unwrap();
        accepted_tx.send(()).unwrap();
        let mut buf = [0u8; 1024];
        while let Ok(n) = tcp.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
        dropped_tx.send(()).unwrap();
    });
    let mut config = fast_config(url, Dialect::MobileImSdk);
    config.engine.connect_timeout_ms = 500;
    let (alice, mut events) = client(config);
    alice.login(login_request("alice")).unwrap();
    accepted.recv_timeout(PATIENCE).unwrap();
    assert_eq!(alice.state(), State::Connecting);
    alice.logout().unwrap();
    assert_eq!(alice.state(), State::Idle);
    dropped
        .recv_timeout(PATIENCE)
        .expect("the aborted attempt's socket is closed");
    // Not even the connect timeout of the aborted attempt produces a result.
    let results = events.during(Duration::from_millis(1_000), |e| {
        matches!(e, Event::LoginResult { .. })
    });
    assert!(results.is_empty(), "{results:?}");
    assert_eq!(alice.logout().unwrap_err().code, codes::NO_LOGIN);
}
