//! `wss://` end to end: the dev server with a certificate made at test time; the client
//! trusts it through an extra CA, refuses it without, and enforces SPKI pins.

mod client_support;

use std::sync::{Arc, Mutex, OnceLock};

use client_support::*;
use imsdk::client::{Config, Event};
use imsdk::log::{self, LogLevel};
use imsdk::protocol::{codes, Dialect};
use imsdk::transport::{encode_pin, pin_of_certificate};
use imsdk_devserver::{DevServerConfig, TlsServerConfig};

struct Pki {
    ca_pem: String,
    ca_der: Vec<u8>,
    leaf_der: Vec<u8>,
    chain_pem: String,
    key_pem: String,
}

fn make_pki() -> Pki {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "imsdk test CA");
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap()
            .signed_by(&leaf_key, &ca)
            .unwrap();
    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().to_vec(),
        leaf_der: leaf.der().to_vec(),
        chain_pem: format!("{}{}", leaf.pem(), ca.pem()),
        key_pem: leaf_key.serialize_pem(),
    }
}

fn tls_server(dialect: Dialect, pki: &Pki) -> Server {
    let mut config = DevServerConfig::new(dialect);
    config.tls = Some(TlsServerConfig {
        cert_chain_pem: pki.chain_pem.clone(),
        key_pem: pki.key_pem.clone(),
    });
    let server = Server::start(config);
    assert!(server.url().starts_with("wss://"));
    server
}

/// Log lines of the whole test binary (the sink is process-wide).
fn log_lines() -> &'static Mutex<Vec<String>> {
    static LINES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    LINES.get_or_init(|| {
        log::set_sink(
            Some(Arc::new(|_level: LogLevel, line: &str| {
                log_lines().lock().unwrap().push(line.to_string());
            })),
            LogLevel::Debug,
        );
        Mutex::new(Vec::new())
    })
}

fn login_code(config: Config) -> i32 {
    let (client, mut events) = client(config);
    client.login(login_request("alice")).unwrap();
    match events.wait_for("login result", |e| matches!(e, Event::LoginResult { .. })) {
        Event::LoginResult { code, .. } => code,
        _ => unreachable!(),
    }
}

#[test]
fn wss_with_the_test_ca_logs_in_both_dialects() {
    let _ = log_lines();
    let pki = make_pki();
    for dialect in DIALECTS {
        let server = tls_server(dialect, &pki);
        let mut config = fast_config(server.url(), dialect);
        config.tls.extra_ca_pem = Some(pki.ca_pem.clone());
        assert_eq!(login_code(config), codes::OK, "{dialect:?}");
    }
    // INFO names the agreed protocol version and cipher suite.
    let lines = log_lines().lock().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("TLS with ") && l.contains(": TLSv1_3, TLS13_")),
        "no TLS parameters logged: {lines:?}"
    );
}

#[test]
fn r8_wss_without_the_ca_fails_with_1003() {
    let _ = log_lines();
    let pki = make_pki();
    let server = tls_server(Dialect::MobileImSdk, &pki);
    let config = fast_config(server.url(), Dialect::MobileImSdk);
    assert_eq!(login_code(config), codes::TLS);
    let lines = log_lines().lock().unwrap();
    assert!(
        lines.iter().any(|l| l.contains("UnknownIssuer")),
        "no certificate reason logged: {lines:?}"
    );
}

#[test]
fn wss_wrong_pin_fails_with_1003_naming_the_pin_mismatch() {
    let _ = log_lines();
    let pki = make_pki();
    let server = tls_server(Dialect::Seed, &pki);
    let mut config = fast_config(server.url(), Dialect::Seed);
    config.tls.extra_ca_pem = Some(pki.ca_pem.clone());
    config.tls.spki_pins = vec!["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into()];
    assert_eq!(login_code(config), codes::TLS);
    let lines = log_lines().lock().unwrap();
    assert!(
        lines.iter().any(|l| l.contains("pin mismatch")),
        "no pin reason logged: {lines:?}"
    );
}

#[test]
fn wss_right_pin_of_the_leaf_or_the_ca_works() {
    let pki = make_pki();
    let server = tls_server(Dialect::MobileImSdk, &pki);
    for cert in [&pki.leaf_der, &pki.ca_der] {
        let mut config = fast_config(server.url(), Dialect::MobileImSdk);
        config.tls.extra_ca_pem = Some(pki.ca_pem.clone());
        config.tls.spki_pins = vec![
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into(),
            encode_pin(&pin_of_certificate(cert).unwrap()),
        ];
        assert_eq!(login_code(config), codes::OK);
    }
}
