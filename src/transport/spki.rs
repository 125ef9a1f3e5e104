//! Finds the DER-encoded SubjectPublicKeyInfo inside an X.509 certificate: the bytes an
//! SPKI pin hashes. A minimal DER walker over the fixed prefix of `TBSCertificate`
//! (RFC 5280 §4.1), so no X.509 parser is pulled in for one field.

/// One DER element: its tag, the whole encoding (header + content) and the content.
struct Element<'a> {
    tag: u8,
    whole: &'a [u8],
    content: &'a [u8],
}

/// Reads the element at the start of `input`; returns it and the bytes after it.
fn read_element(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    // Multi-byte tags never occur on the path we walk.
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first_len, rest) = rest.split_first()?;
    let (len, rest) = if first_len < 0x80 {
        (usize::from(first_len), rest)
    } else {
        let count = usize::from(first_len & 0x7f);
        // Indefinite lengths are not DER; more than 4 length bytes cannot fit a certificate.
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (len_bytes, rest) = rest.split_at(count);
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, rest)
    };
    if rest.len() < len {
        return None;
    }
    let header_len = input.len() - rest.len();
    let whole = &input[..header_len + len];
    let content = &rest[..len];
    Some((
        Element {
            tag,
            whole,
            content,
        },
        &rest[len..],
    ))
}

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
/// `[0] EXPLICIT Version`.
const VERSION_TAG: u8 = 0xa0;

/// The complete DER encoding (tag and length included) of the certificate's
/// SubjectPublicKeyInfo, or `None` when `cert_der` is not a certificate.
pub fn subject_public_key_info(cert_der: &[u8]) -> Option<&[u8]> {
    let (certificate, _) = read_element(cert_der)?;
    if certificate.tag != SEQUENCE {
        return None;
    }
    let (tbs, _) = read_element(certificate.content)?;
    if tbs.tag != SEQUENCE {
        return None;
    }
    let mut rest = tbs.content;
    let (first, after) = read_element(rest)?;
    if first.tag == VERSION_TAG {
        rest = after;
    }
    let (serial, after) = read_element(rest)?;
    if serial.tag != INTEGER {
        return None;
    }
    rest = after;
    // signature AlgorithmIdentifier, issuer, validity, subject: four SEQUENCEs to skip.
    for _ in 0..4 {
        let (element, after) = read_element(rest)?;
        if element.tag != SEQUENCE {
            return None;
        }
        rest = after;
    }
    let (spki, _) = read_element(rest)?;
    if spki.tag != SEQUENCE {
        return None;
    }
    Some(spki.whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 0x80 {
            out.push(len as u8);
        } else if len < 0x100 {
            out.extend([0x81, len as u8]);
        } else {
            out.extend([0x82, (len >> 8) as u8, len as u8]);
        }
        out.extend_from_slice(content);
        out
    }

    fn fake_cert(with_version: bool, spki: &[u8]) -> Vec<u8> {
        let mut tbs = Vec::new();
        if with_version {
            tbs.extend(tlv(VERSION_TAG, &tlv(INTEGER, &[2])));
        }
        tbs.extend(tlv(INTEGER, &[0x01, 0x02]));
        for _ in 0..4 {
            tbs.extend(tlv(SEQUENCE, &[0x05, 0x00]));
        }
        tbs.extend_from_slice(spki);
        tbs.extend(tlv(0xa3, &[0x30, 0x00]));
        let mut cert = tlv(SEQUENCE, &tbs);
        cert.extend(tlv(SEQUENCE, &[0x05, 0x00]));
        cert.extend(tlv(0x03, &[0x00, 0xff]));
        tlv(SEQUENCE, &cert)
    }

    #[test]
    fn finds_spki_with_and_without_version() {
        let spki = tlv(SEQUENCE, &[0xaa; 300]);
        for with_version in [true, false] {
            let cert = fake_cert(with_version, &spki);
            assert_eq!(subject_public_key_info(&cert), Some(&spki[..]));
        }
    }

    #[test]
    fn rejects_truncated_and_garbage_input() {
        let spki = tlv(SEQUENCE, &[0xaa; 40]);
        let cert = fake_cert(true, &spki);
        for cut in [0, 1, 5, cert.len() / 2, cert.len() - 1] {
            assert_eq!(subject_public_key_info(&cert[..cut]), None, "cut at {cut}");
        }
        assert_eq!(subject_public_key_info(b"not a certificate"), None);
        assert_eq!(subject_public_key_info(&[0x30, 0x80, 0x00, 0x00]), None);
    }

    #[test]
    fn real_certificate_spki_matches_the_key() {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["example.test".to_string()]).unwrap();
        let cert = params.self_signed(&key).unwrap();
        let spki = subject_public_key_info(cert.der()).unwrap();
        use rcgen::PublicKeyData;
        assert_eq!(spki, key.subject_public_key_info().as_slice());
    }
}
