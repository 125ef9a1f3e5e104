//! `wss://` (§2): a TLS handshake against a certificate made at test time, then a login.

mod common;

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use imsdk::protocol::{decode, encode, packet_type, Dialect, LoginInfo, Packet};
use imsdk_devserver::{DevServer, DevServerConfig, TlsServerConfig};
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

type TlsClient = WebSocketStream<TlsStream<TcpStream>>;

fn certificate() -> (TlsServerConfig, rustls::pki_types::CertificateDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let tls = TlsServerConfig {
        cert_chain_pem: made.cert.pem(),
        key_pem: made.signing_key.serialize_pem(),
    };
    (tls, made.cert.der().clone())
}

async fn connect_tls(
    server: &DevServer,
    root: rustls::pki_types::CertificateDer<'static>,
) -> TlsClient {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(root).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(server.addr()).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let tls = connector.connect(name, tcp).await.unwrap();
    let url = server.ws_url();
    let (ws, _) = tokio_tungstenite::client_async(url.as_str(), tls)
        .await
        .unwrap();
    ws
}

async fn round_trip(ws: &mut TlsClient, dialect: Dialect, packet: &Packet) -> Packet {
    ws.send(Message::text(encode(dialect, packet)))
        .await
        .unwrap();
    let next = tokio::time::timeout(common::WAIT, ws.next()).await.unwrap();
    match next {
        Some(Ok(Message::Text(text))) => decode(dialect, text.as_str()).unwrap(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

#[tokio::test]
async fn s2_wss_handshake_and_login() {
    common::each_dialect(|dialect| async move {
        let (tls, root) = certificate();
        let mut config = DevServerConfig::new(dialect);
        config.tls = Some(tls);
        let server = DevServer::start(config).await.unwrap();
        assert!(server.ws_url().starts_with("wss://localhost:"));
        let mut ws = connect_tls(&server, root).await;
        let info = LoginInfo {
            user_id: "alice".to_string(),
            ..LoginInfo::default()
        };
        let response = round_trip(&mut ws, dialect, &Packet::login(dialect, &info)).await;
        assert_eq!(response.packet_type, packet_type::LOGIN_RESPONSE);
        assert_eq!(response.login_response().unwrap().code, 0);
        let answer = round_trip(&mut ws, dialect, &Packet::keepalive("alice")).await;
        assert_eq!(answer.packet_type, packet_type::KEEPALIVE_RESPONSE);
    })
    .await;
}

#[tokio::test]
async fn s2_bad_pem_is_refused_at_start() {
    let mut config = DevServerConfig::new(Dialect::Seed);
    config.tls = Some(TlsServerConfig {
        cert_chain_pem: "nope".to_string(),
        key_pem: "nope".to_string(),
    });
    let error = DevServer::start(config).await.err().unwrap();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
}
