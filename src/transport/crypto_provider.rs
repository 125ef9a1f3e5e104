//! The cryptography of a `wss://` link: ring, reduced to what a client that verifies the
//! server and presents no certificate of its own uses.
//!
//! `rustls::crypto::ring::default_provider()` also carries ChaCha20-Poly1305 suites and a
//! private-key loader (RSA, ECDSA and Ed25519 signing), and merely calling it links all of
//! that, so it is not called here. Here the suites are AES-GCM only (every TLS 1.3 server has
//! TLS_AES_128_GCM_SHA256; ChaCha20 is only faster on CPUs without AES instructions, which
//! does not matter at message rates) and private keys are refused (the client logs in with
//! a token; there are no client certificates). TLS 1.2 and 1.3, the key exchange groups
//! and the signature algorithms are those of the default provider (a test compares them).
//! The stripped libimsdk.so is 107 KB smaller for it: 57 KB the ChaCha20 suites, 51 KB the
//! key loader (BENCHMARKS.md, B4).

use std::sync::Arc;

use rustls::crypto::ring::{cipher_suite, kx_group};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::crypto::{CryptoProvider, GetRandomFailed, KeyProvider, SecureRandom};
use rustls::pki_types::PrivateKeyDer;
use rustls::sign::SigningKey;
use rustls::SignatureScheme;
use webpki::ring as alg;

/// The provider every `wss://` link of the process uses.
pub fn client_provider() -> CryptoProvider {
    CryptoProvider {
        cipher_suites: vec![
            cipher_suite::TLS13_AES_256_GCM_SHA384,
            cipher_suite::TLS13_AES_128_GCM_SHA256,
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ],
        kx_groups: vec![kx_group::X25519, kx_group::SECP256R1, kx_group::SECP384R1],
        signature_verification_algorithms: SIGNATURE_ALGORITHMS,
        secure_random: &SystemRandom,
        key_provider: &NoClientKeys,
    }
}

/// The signatures a server's certificate chain and handshake may use: ECDSA P-256/P-384,
/// Ed25519, RSA-PSS and RSA PKCS#1 (2048–8192-bit keys).
static SIGNATURE_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        alg::ECDSA_P256_SHA256,
        alg::ECDSA_P256_SHA384,
        alg::ECDSA_P384_SHA256,
        alg::ECDSA_P384_SHA384,
        alg::ED25519,
        alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        alg::RSA_PKCS1_2048_8192_SHA256,
        alg::RSA_PKCS1_2048_8192_SHA384,
        alg::RSA_PKCS1_2048_8192_SHA512,
        alg::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        alg::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        alg::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    ],
    // In TLS 1.2 a scheme does not fix the curve, so each ECDSA scheme accepts both.
    mapping: &[
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[alg::ECDSA_P384_SHA384, alg::ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[alg::ECDSA_P256_SHA256, alg::ECDSA_P384_SHA256],
        ),
        (SignatureScheme::ED25519, &[alg::ED25519]),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[alg::RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[alg::RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[alg::RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};

/// Random bytes from the operating system, through ring.
#[derive(Debug)]
struct SystemRandom;

impl SecureRandom for SystemRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        use ring::rand::SecureRandom as _;
        ring::rand::SystemRandom::new()
            .fill(buf)
            .map_err(|_| GetRandomFailed)
    }
}

/// Refuses every private key: nothing in the client signs.
#[derive(Debug)]
struct NoClientKeys;

impl KeyProvider for NoClientKeys {
    fn load_private_key(
        &self,
        _key: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        Err(rustls::Error::General(
            "client certificates are not supported".to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::crypto::ring::default_provider;
    use rustls::{CipherSuite, ProtocolVersion};

    fn algorithm_ids(algs: &WebPkiSupportedAlgorithms) -> Vec<String> {
        algs.all
            .iter()
            .map(|a| format!("{:?}/{:?}", a.public_key_alg_id(), a.signature_alg_id()))
            .collect()
    }

    #[test]
    fn verifies_every_signature_the_default_provider_verifies() {
        let ours = client_provider().signature_verification_algorithms;
        let default = default_provider().signature_verification_algorithms;
        assert_eq!(ours.supported_schemes(), default.supported_schemes());
        assert_eq!(algorithm_ids(&ours), algorithm_ids(&default));
    }

    #[test]
    fn offers_aes_gcm_in_tls13_and_tls12_and_the_default_key_exchanges() {
        let provider = client_provider();
        let suites: Vec<CipherSuite> = provider.cipher_suites.iter().map(|s| s.suite()).collect();
        assert!(suites.contains(&CipherSuite::TLS13_AES_128_GCM_SHA256));
        for suite in &provider.cipher_suites {
            assert!(
                format!("{:?}", suite.suite()).contains("_GCM_"),
                "{suite:?}"
            );
        }
        for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
            assert!(
                provider
                    .cipher_suites
                    .iter()
                    .any(|s| s.version().version == version),
                "no {version:?} suite"
            );
        }
        let names = |p: &CryptoProvider| p.kx_groups.iter().map(|g| g.name()).collect::<Vec<_>>();
        assert_eq!(names(&provider), names(&default_provider()));
    }

    #[test]
    fn refuses_private_keys_and_gives_random_bytes() {
        let provider = client_provider();
        let key = PrivateKeyDer::Pkcs8(vec![0u8; 16].into());
        let error = provider.key_provider.load_private_key(key).err().unwrap();
        assert!(error.to_string().contains("not supported"), "{error}");
        let mut bytes = [0u8; 32];
        provider.secure_random.fill(&mut bytes).unwrap();
        assert_ne!(bytes, [0u8; 32]);
    }
}
