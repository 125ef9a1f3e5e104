//! A plain WebSocket test client (no SDK) and helpers shared by the dev server tests.
#![allow(dead_code)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use imsdk::protocol::{decode, encode, packet_type, Dialect, LoginInfo, LoginResponse, Packet};
use imsdk_devserver::{DevServer, DevServerConfig};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Long enough never to fire on a healthy run, short enough to fail a broken one.
pub const WAIT: Duration = Duration::from_secs(5);
/// How long "nothing arrives" is watched.
pub const QUIET: Duration = Duration::from_millis(300);

pub async fn start(dialect: Dialect) -> DevServer {
    DevServer::start(DevServerConfig::new(dialect))
        .await
        .unwrap()
}

pub async fn start_with(config: DevServerConfig) -> DevServer {
    DevServer::start(config).await.unwrap()
}

/// What the client saw next.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    Text(String),
    Closed(Option<u16>, String),
    /// EOF or error without a close frame.
    Dropped,
}

pub struct Client {
    pub dialect: Dialect,
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub user: String,
}

impl Client {
    pub async fn connect(server: &DevServer) -> Client {
        Client::connect_url(server.dialect(), &server.ws_url()).await
    }

    pub async fn connect_url(dialect: Dialect, url: &str) -> Client {
        let (ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
            .await
            .expect("connect timed out")
            .expect("connect failed");
        Client {
            dialect,
            ws,
            user: "-1".to_string(),
        }
    }

    /// Connects and logs in as `user` (accept-all server).
    pub async fn online(server: &DevServer, user: &str) -> Client {
        let mut client = Client::connect(server).await;
        let response = client.login(user, "token", 0).await;
        assert_eq!(response.code, 0, "login of {user} refused");
        client
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.unwrap();
    }

    pub async fn send(&mut self, packet: &Packet) {
        let text = encode(self.dialect, packet);
        self.send_text(&text).await;
    }

    pub async fn send_login(&mut self, user: &str, token: &str, first_login_time: i64) {
        let info = LoginInfo {
            user_id: user.to_string(),
            token: token.to_string(),
            extra: None,
            app: Some("test".to_string()),
            first_login_time,
        };
        self.send(&Packet::login(self.dialect, &info)).await;
    }

    /// Sends a login and returns the 50's payload.
    pub async fn login(&mut self, user: &str, token: &str, first_login_time: i64) -> LoginResponse {
        self.send_login(user, token, first_login_time).await;
        let response = self.recv_type(packet_type::LOGIN_RESPONSE).await;
        self.user = user.to_string();
        response.login_response().unwrap()
    }

    /// The next event, failing after [`WAIT`].
    pub async fn next_event(&mut self) -> Event {
        self.next_event_within(WAIT)
            .await
            .expect("nothing arrived in time")
    }

    pub async fn next_event_within(&mut self, limit: Duration) -> Option<Event> {
        let next = async {
            loop {
                match self.ws.next().await {
                    Some(Ok(Message::Text(text))) => return Event::Text(text.to_string()),
                    Some(Ok(Message::Close(frame))) => {
                        return match frame {
                            Some(f) => Event::Closed(Some(u16::from(f.code)), f.reason.to_string()),
                            None => Event::Closed(None, String::new()),
                        }
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => return Event::Dropped,
                }
            }
        };
        tokio::time::timeout(limit, next).await.ok()
    }

    /// The next frame, which must be text; returns its raw text.
    pub async fn recv_text(&mut self) -> String {
        match self.next_event().await {
            Event::Text(text) => text,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    pub async fn recv(&mut self) -> Packet {
        let text = self.recv_text().await;
        decode(self.dialect, &text).unwrap()
    }

    /// The next frame, which must be of `packet_type`.
    pub async fn recv_type(&mut self, packet_type: i32) -> Packet {
        let packet = self.recv().await;
        assert_eq!(
            packet.packet_type, packet_type,
            "unexpected frame {packet:?}"
        );
        packet
    }

    /// The server closes with `code` and reason "Bye".
    pub async fn expect_close(&mut self, code: u16) {
        match self.next_event().await {
            Event::Closed(Some(c), reason) => {
                assert_eq!(c, code, "close code");
                assert_eq!(reason, "Bye");
            }
            other => panic!("expected close {code}, got {other:?}"),
        }
    }

    /// Nothing arrives for [`QUIET`].
    pub async fn expect_quiet(&mut self) {
        if let Some(event) = self.next_event_within(QUIET).await {
            panic!("expected nothing, got {event:?}");
        }
    }

    pub async fn keepalive(&mut self) {
        let packet = Packet::keepalive(&self.user.clone());
        self.send(&packet).await;
    }

    /// Sends a type-2 message from this client's user.
    pub async fn send_data(&mut self, to: &str, content: &str, fp: Option<&str>) {
        let typeu = self.dialect.spec().default_send_typeu;
        let packet = Packet::data(&self.user.clone(), to, content, fp.is_some(), fp, typeu);
        self.send(&packet).await;
    }

    /// Writes the receiving client's ACK for `received` (D9).
    pub async fn ack(&mut self, received: &Packet) {
        let ack = Packet::ack_for(self.dialect, received, &self.user.clone()).unwrap();
        self.send(&ack).await;
    }
}

/// Runs `body` once per dialect.
pub async fn each_dialect<F, Fut>(body: F)
where
    F: Fn(Dialect) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for dialect in Dialect::ALL {
        body(dialect).await;
    }
}

pub fn close_normal() -> u16 {
    u16::from(CloseCode::Normal)
}
