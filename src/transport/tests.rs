//! Transport tests against small in-process WebSocket servers on 127.0.0.1 (OS ports).

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpListener;
use tungstenite::Message;

use super::test_support::{config, connect, serve_once};
use super::*;
use crate::engine::LinkError;
use crate::protocol::codes;

#[test]
fn bad_urls_are_refused_with_205() {
    for url in [
        "",
        "   ",
        "http://a/b",
        "a.b.c",
        "ws://",
        "wss:///path",
        "ws//x",
        "ftp://x",
    ] {
        let err = Connector::new(config(url.to_string())).unwrap_err();
        assert_eq!(err.code, codes::NO_SERVER, "{url:?}: {err}");
    }
    for url in [
        "ws://127.0.0.1:3000/websocket",
        "wss://example.com/ws",
        "WS://[::1]:1/",
    ] {
        assert!(Connector::new(config(url.to_string())).is_ok(), "{url}");
    }
}

#[test]
fn bad_subprotocol_is_an_invalid_argument() {
    let mut cfg = config("ws://127.0.0.1:1/".into());
    cfg.subprotocol = Some("bad\nvalue".into());
    assert_eq!(
        Connector::new(cfg).unwrap_err().code,
        codes::INVALID_ARGUMENT
    );
}

#[tokio::test]
async fn text_frames_flow_both_ways_and_binary_is_ignored() {
    let (url, server) = serve_once(|mut ws| async move {
        ws.send(Message::binary(vec![1u8, 2, 3])).await.unwrap();
        ws.send(Message::Ping(vec![9u8].into())).await.unwrap();
        ws.send(Message::text("first")).await.unwrap();
        let mut got = Vec::new();
        while got.len() < 3 {
            match ws.next().await.unwrap().unwrap() {
                Message::Text(t) => got.push(t.as_str().to_owned()),
                Message::Pong(p) => assert_eq!(p.as_ref(), &[9u8]),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(got, ["a", "b", "c"]);
        ws.send(Message::text("second")).await.unwrap();
        let _ = ws.next().await;
    })
    .await;
    let connector = Connector::new(config(url)).unwrap();
    let mut link = connector.connect().await.unwrap();
    assert_eq!(link.next_text().await.unwrap(), "first");
    link.write_batch(["a", "b", "c"].map(String::from))
        .await
        .unwrap();
    assert_eq!(link.next_text().await.unwrap(), "second");
    link.close(Duration::from_secs(1)).await;
    server.await.unwrap();
}

#[tokio::test]
async fn oversized_inbound_frame_is_too_large() {
    let (url, _server) = serve_once(|mut ws| async move {
        ws.send(Message::text("x".repeat(2000))).await.unwrap();
        let _ = ws.next().await;
    })
    .await;
    let mut cfg = config(url);
    cfg.max_inbound_bytes = 1024;
    let mut link = Connector::new(cfg).unwrap().connect().await.unwrap();
    assert_eq!(link.next_text().await, Err(LinkError::TooLarge));
}

#[tokio::test]
async fn server_close_and_eof_are_closed() {
    let (url, _server) = serve_once(|mut ws| async move {
        ws.close(None).await.unwrap();
        while ws.next().await.is_some() {}
    })
    .await;
    let mut link = connect(url).await;
    assert_eq!(link.next_text().await, Err(LinkError::Closed));

    let (url, _server) = serve_once(|ws| async move {
        drop(ws);
    })
    .await;
    let mut link = connect(url).await;
    assert_eq!(link.next_text().await, Err(LinkError::Closed));
}

#[tokio::test]
async fn a_close_frame_with_a_code_is_reported_with_its_code_and_reason() {
    use tungstenite::protocol::frame::coding::CloseCode;
    use tungstenite::protocol::CloseFrame;
    let (url, _server) = serve_once(|mut ws| async move {
        let frame = CloseFrame {
            code: CloseCode::from(4001),
            reason: "replaced by a newer login".into(),
        };
        ws.close(Some(frame)).await.unwrap();
        while ws.next().await.is_some() {}
    })
    .await;
    let mut link = connect(url).await;
    assert_eq!(
        link.next_text().await,
        Err(LinkError::ClosedWith {
            code: 4001,
            reason: "replaced by a newer login".into()
        })
    );
}

#[tokio::test]
async fn client_close_sends_1000() {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (url, _server) = serve_once(|mut ws| async move {
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Close(frame) = msg {
                let _ = tx.send(frame.map(|f| u16::from(f.code)));
                break;
            }
        }
    })
    .await;
    let link = connect(url).await;
    link.close(Duration::from_secs(1)).await;
    assert_eq!(rx.await.unwrap(), Some(1000));
}

#[tokio::test]
async fn refused_connect_is_io() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let result = Connector::new(config(format!("ws://{addr}/")))
        .unwrap()
        .connect()
        .await;
    assert!(
        matches!(result, Err(LinkError::Io(_))),
        "{:?}",
        result.err()
    );
}

#[tokio::test]
async fn unanswered_upgrade_times_out_as_io() {
    // A server that accepts TCP and never answers, as mobileimsdk does for a wrong path.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let _server = tokio::spawn(async move {
        let (_tcp, _) = listener.accept().await.unwrap();
        std::future::pending::<()>().await;
    });
    let mut cfg = config(format!("ws://{addr}/wrong"));
    cfg.connect_timeout = Duration::from_millis(200);
    match Connector::new(cfg).unwrap().connect().await {
        Err(LinkError::Io(reason)) => assert!(reason.contains("timed out"), "{reason}"),
        other => panic!("expected a timeout, got {:?}", other.err()),
    }
}

#[tokio::test]
#[allow(clippy::result_large_err)] // tungstenite's handshake callback signature
async fn d16_subprotocol_header_is_sent_when_set() {
    use tungstenite::handshake::server::{Request, Response};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut seen = None;
        let callback = |req: &Request, mut resp: Response| {
            seen = req
                .headers()
                .get("Sec-WebSocket-Protocol")
                .map(|v| v.to_str().unwrap().to_owned());
            if let Some(v) = req.headers().get("Sec-WebSocket-Protocol") {
                resp.headers_mut()
                    .insert("Sec-WebSocket-Protocol", v.clone());
            }
            Ok(resp)
        };
        let _ws = tokio_tungstenite::accept_hdr_async(tcp, callback)
            .await
            .unwrap();
        seen
    });
    let mut cfg = config(format!("ws://{addr}/ws"));
    cfg.subprotocol = Some("chat-v1".into());
    let _link = Connector::new(cfg).unwrap().connect().await.unwrap();
    assert_eq!(server.await.unwrap().as_deref(), Some("chat-v1"));
}

// ---- TLS ----------------------------------------------------------------------------

struct TestPki {
    ca_pem: String,
    ca_der: Vec<u8>,
    leaf_der: rustls::pki_types::CertificateDer<'static>,
    leaf_key_der: Vec<u8>,
}

fn make_pki() -> TestPki {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf_params =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca).unwrap();
    TestPki {
        ca_pem: ca.pem(),
        ca_der: ca.der().to_vec(),
        leaf_der: leaf.der().clone(),
        leaf_key_der: leaf_key.serialize_der(),
    }
}

async fn serve_tls_once(pki: &TestPki) -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(pki.leaf_key_der.clone().into());
    let server_config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![pki.leaf_der.clone()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let Ok(tls) = acceptor.accept(tcp).await else {
            return;
        };
        let mut ws = tokio_tungstenite::accept_async(tls).await.unwrap();
        ws.send(Message::text("secure hello")).await.unwrap();
        let _ = ws.next().await;
    });
    format!("wss://127.0.0.1:{}/websocket", addr.port())
}

#[tokio::test]
async fn tls_with_extra_ca_connects() {
    let pki = make_pki();
    let mut cfg = config(serve_tls_once(&pki).await);
    cfg.tls.extra_ca_pem = Some(pki.ca_pem.clone());
    let mut link = Connector::new(cfg).unwrap().connect().await.unwrap();
    assert_eq!(link.next_text().await.unwrap(), "secure hello");
}

#[tokio::test]
async fn tls_without_ca_fails_verification() {
    let pki = make_pki();
    let cfg = config(serve_tls_once(&pki).await);
    match Connector::new(cfg).unwrap().connect().await {
        Err(LinkError::Tls(reason)) => assert!(reason.contains("UnknownIssuer"), "{reason}"),
        other => panic!("expected a TLS error, got {:?}", other.err()),
    }
}

#[tokio::test]
async fn tls_wrong_pin_fails_naming_the_pin() {
    let pki = make_pki();
    let mut cfg = config(serve_tls_once(&pki).await);
    cfg.tls.extra_ca_pem = Some(pki.ca_pem.clone());
    cfg.tls.spki_pins = vec!["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into()];
    match Connector::new(cfg).unwrap().connect().await {
        Err(LinkError::Tls(reason)) => assert!(reason.contains("pin mismatch"), "{reason}"),
        other => panic!("expected a TLS error, got {:?}", other.err()),
    }
}

#[tokio::test]
async fn tls_right_pin_connects() {
    let pki = make_pki();
    let mut cfg = config(serve_tls_once(&pki).await);
    cfg.tls.extra_ca_pem = Some(pki.ca_pem.clone());
    let pin = pin_of_certificate(pki.leaf_der.as_ref()).unwrap();
    cfg.tls.spki_pins = vec![
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into(),
        encode_pin(&pin),
    ];
    let mut link = Connector::new(cfg).unwrap().connect().await.unwrap();
    assert_eq!(link.next_text().await.unwrap(), "secure hello");
}

#[tokio::test]
async fn tls_pin_of_the_root_the_server_does_not_send_connects() {
    // The server presents only its leaf: the root is known from the trust store.
    let pki = make_pki();
    let mut cfg = config(serve_tls_once(&pki).await);
    cfg.tls.extra_ca_pem = Some(pki.ca_pem.clone());
    cfg.tls.spki_pins = vec![encode_pin(&pin_of_certificate(&pki.ca_der).unwrap())];
    let mut link = Connector::new(cfg).unwrap().connect().await.unwrap();
    assert_eq!(link.next_text().await.unwrap(), "secure hello");
}

#[tokio::test]
async fn tls_pin_of_another_ca_fails() {
    let pki = make_pki();
    let other = make_pki();
    let mut cfg = config(serve_tls_once(&pki).await);
    cfg.tls.extra_ca_pem = Some(format!("{}{}", pki.ca_pem, other.ca_pem));
    cfg.tls.spki_pins = vec![encode_pin(&pin_of_certificate(&other.ca_der).unwrap())];
    match Connector::new(cfg).unwrap().connect().await {
        Err(LinkError::Tls(reason)) => assert!(reason.contains("pin mismatch"), "{reason}"),
        other => panic!("expected a TLS error, got {:?}", other.err()),
    }
}
