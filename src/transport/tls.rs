//! The rustls client configuration of a `wss://` link: the ring provider, verification
//! always on, Mozilla roots plus optional extra CA certificates, optional SPKI pins.
//! Built once per client (parsing ~150 roots per connect would be wasted work).

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use super::pin::{parse_pin, PinningVerifier};
use super::TlsOptions;

/// Builds the client configuration, or a readable reason why `options` are unusable.
pub fn client_config(options: &TlsOptions) -> Result<Arc<ClientConfig>, String> {
    let provider = Arc::new(super::crypto_provider::client_provider());

    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(pem) = &options.extra_ca_pem {
        let mut added = 0usize;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|e| format!("extra CA PEM is malformed: {e}"))?;
            roots
                .add(cert)
                .map_err(|e| format!("extra CA certificate is unusable: {e}"))?;
            added += 1;
        }
        if added == 0 {
            return Err("extra CA PEM contains no CERTIFICATE block".to_string());
        }
    }
    let pins = options
        .spki_pins
        .iter()
        .map(|pin| parse_pin(pin))
        .collect::<Result<Vec<_>, _>>()?;

    let roots = Arc::new(roots);
    let webpki = WebPkiServerVerifier::builder_with_provider(roots.clone(), provider.clone())
        .build()
        .map_err(|e| format!("TLS verifier: {e}"))?;
    let algorithms = provider.signature_verification_algorithms;

    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS protocol versions: {e}"))?;
    let config = if pins.is_empty() {
        builder.with_webpki_verifier(webpki).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinningVerifier::new(
                webpki, roots, algorithms, pins,
            )))
            .with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// The TLS reason inside an I/O error of a handshake, if it is one.
pub fn tls_reason(error: &std::io::Error) -> Option<String> {
    let inner = error.get_ref()?;
    let rustls_error = inner.downcast_ref::<rustls::Error>()?;
    Some(describe(rustls_error))
}

fn describe(error: &rustls::Error) -> String {
    match error {
        rustls::Error::General(text) => text.clone(),
        rustls::Error::InvalidCertificate(cert) => {
            format!("certificate verification failed: {cert:?}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_build() {
        assert!(client_config(&TlsOptions::default()).is_ok());
    }

    #[test]
    fn extra_ca_is_parsed() {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = params.self_signed(&key).unwrap();
        let options = TlsOptions {
            extra_ca_pem: Some(ca.pem()),
            spki_pins: vec!["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into()],
        };
        assert!(client_config(&options).is_ok());
    }

    #[test]
    fn malformed_options_are_refused() {
        let no_cert = TlsOptions {
            extra_ca_pem: Some("hello".into()),
            spki_pins: vec![],
        };
        assert!(client_config(&no_cert)
            .unwrap_err()
            .contains("no CERTIFICATE"));
        let bad_pin = TlsOptions {
            extra_ca_pem: None,
            spki_pins: vec!["xyz".into()],
        };
        assert!(client_config(&bad_pin).unwrap_err().contains("SPKI pin"));
    }
}
