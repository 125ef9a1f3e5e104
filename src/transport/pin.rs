//! SPKI pinning (DESIGN.md §4, the convention of OkHttp and HPKP): after the normal WebPKI
//! verification succeeds, some certificate of a verified chain — end entity,
//! intermediates or the trust anchor, which servers usually do not send — must have a
//! SubjectPublicKeyInfo whose SHA-256 is one of the configured pins.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::spki::subject_public_key_info;

/// A SHA-256 digest of a DER SubjectPublicKeyInfo.
pub type SpkiPin = [u8; 32];

/// Parses a pin given as base64 (standard alphabet, padding optional) of 32 bytes.
pub fn parse_pin(text: &str) -> Result<SpkiPin, String> {
    let trimmed = text.trim();
    let bytes = decode_base64(trimmed)
        .ok_or_else(|| format!("SPKI pin {trimmed:?} is not valid base64"))?;
    bytes.try_into().map_err(|bytes: Vec<u8>| {
        format!(
            "SPKI pin {trimmed:?} decodes to {} bytes, a SHA-256 needs 32",
            bytes.len()
        )
    })
}

/// The pin of a DER certificate, or `None` when its SPKI cannot be found.
pub fn pin_of_certificate(cert_der: &[u8]) -> Option<SpkiPin> {
    let spki = subject_public_key_info(cert_der)?;
    let digest = ring::digest::digest(&ring::digest::SHA256, spki);
    digest.as_ref().try_into().ok()
}

/// The base64 text of a pin (how pins are written in options and logs).
pub fn encode_pin(pin: &SpkiPin) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(44);
    for chunk in pin.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in body.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone trailing sextet cannot encode a byte.
    if bits >= 6 {
        return None;
    }
    Some(out)
}

/// WebPKI verification, then the pin check.
#[derive(Debug)]
pub struct PinningVerifier {
    inner: Arc<WebPkiServerVerifier>,
    roots: Arc<RootCertStore>,
    algorithms: WebPkiSupportedAlgorithms,
    pins: Vec<SpkiPin>,
}

impl PinningVerifier {
    pub fn new(
        inner: Arc<WebPkiServerVerifier>,
        roots: Arc<RootCertStore>,
        algorithms: WebPkiSupportedAlgorithms,
        pins: Vec<SpkiPin>,
    ) -> PinningVerifier {
        PinningVerifier {
            inner,
            roots,
            algorithms,
            pins,
        }
    }

    fn is_pinned(&self, cert_der: &[u8]) -> bool {
        pin_of_certificate(cert_der).is_some_and(|pin| self.pins.contains(&pin))
    }

    /// Builds the chain again, now with the pin check as a condition on the path, so the
    /// trust anchor (known only once a path is found) can match too.
    fn some_verified_path_is_pinned(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> bool {
        let Ok(cert) = webpki::EndEntityCert::try_from(end_entity) else {
            return false;
        };
        let path_is_pinned = |path: &webpki::VerifiedPath<'_>| {
            let anchor_spki = webpki::spki_for_anchor(path.anchor());
            let anchor_pin = ring::digest::digest(&ring::digest::SHA256, anchor_spki.as_ref());
            let pinned = self.is_pinned(end_entity.as_ref())
                || path
                    .intermediate_certificates()
                    .any(|c| self.is_pinned(c.der().as_ref()))
                || self
                    .pins
                    .iter()
                    .any(|pin| pin.as_slice() == anchor_pin.as_ref());
            if pinned {
                Ok(())
            } else {
                Err(webpki::Error::UnknownIssuer)
            }
        };
        cert.verify_for_usage(
            self.algorithms.all,
            &self.roots.roots,
            intermediates,
            now,
            webpki::KeyUsage::server_auth(),
            None,
            Some(&path_is_pinned),
        )
        .is_ok()
    }
}

impl ServerCertVerifier for PinningVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verified = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )?;
        if self.some_verified_path_is_pinned(end_entity, intermediates, now) {
            Ok(verified)
        } else {
            let presented: Vec<String> = std::iter::once(end_entity)
                .chain(intermediates)
                .filter_map(|cert| pin_of_certificate(cert.as_ref()))
                .map(|pin| encode_pin(&pin))
                .collect();
            Err(rustls::Error::General(format!(
                "SPKI pin mismatch: no certificate of the verified chain matches a configured \
                 pin (presented certificates: {})",
                presented.join(", ")
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_pins() {
        for seed in 0u8..20 {
            let pin: SpkiPin =
                std::array::from_fn(|i| (i as u8).wrapping_mul(seed).wrapping_add(seed));
            let text = encode_pin(&pin);
            assert_eq!(text.len(), 44);
            assert_eq!(parse_pin(&text), Ok(pin));
            assert_eq!(parse_pin(text.trim_end_matches('=')), Ok(pin));
        }
    }

    #[test]
    fn known_pin_text() {
        // SHA-256 of the empty string, a well-known value.
        let digest = ring::digest::digest(&ring::digest::SHA256, b"");
        let pin: SpkiPin = digest.as_ref().try_into().unwrap();
        assert_eq!(
            encode_pin(&pin),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    #[test]
    fn bad_pins_are_refused() {
        assert!(parse_pin("not base64 !").is_err());
        assert!(parse_pin("AAAA").unwrap_err().contains("3 bytes"));
        assert!(parse_pin("A").is_err());
        assert!(parse_pin("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU===").is_err());
    }

    #[test]
    fn pin_of_certificate_hashes_the_spki() {
        use rcgen::PublicKeyData;
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["a.test".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let expected = ring::digest::digest(&ring::digest::SHA256, &key.subject_public_key_info());
        assert_eq!(
            pin_of_certificate(cert.der()).unwrap().as_slice(),
            expected.as_ref()
        );
    }
}
