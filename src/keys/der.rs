//! Just enough DER for RSA keys: PKCS#1, PKCS#8, SubjectPublicKeyInfo and
//! the public key inside an X.509 certificate; reading and the little writing
//! that re-wrapping PKCS#1 into PKCS#8 / SPKI needs.

/// `SEQUENCE`
pub const SEQUENCE: u8 = 0x30;
/// `INTEGER`
pub const INTEGER: u8 = 0x02;
/// `BIT STRING`
pub const BIT_STRING: u8 = 0x03;
/// `OCTET STRING`
pub const OCTET_STRING: u8 = 0x04;
/// `NULL`
pub const NULL: u8 = 0x05;
/// `OBJECT IDENTIFIER`
pub const OID: u8 = 0x06;
const CONTEXT_0: u8 = 0xA0;

/// The content of the OID 1.2.840.113549.1.1.1, `rsaEncryption`.
pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// One tag-length-value element.
pub struct Tlv<'a> {
    /// The tag byte.
    pub tag: u8,
    /// The value bytes.
    pub content: &'a [u8],
    /// The whole encoding, header included.
    pub whole: &'a [u8],
}

/// Reads one element from the front of `input`; returns it and the rest.
pub fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    let header = input.len() - rest.len();
    Some((Tlv { tag, content: &rest[..len], whole: &input[..header + len] }, &rest[len..]))
}

/// Reads one element with tag `tag`.
pub fn expect(input: &[u8], tag: u8) -> Option<(Tlv<'_>, &[u8])> {
    read(input).filter(|(t, _)| t.tag == tag)
}

/// Reads a non-negative `INTEGER`; returns its big-endian magnitude without
/// leading zero bytes (empty for zero). Negative values are refused.
pub fn unsigned(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (int, rest) = expect(input, INTEGER)?;
    let first = *int.content.first()?;
    if first & 0x80 != 0 {
        return None;
    }
    let start = int.content.iter().position(|&b| b != 0).unwrap_or(int.content.len());
    Some((&int.content[start..], rest))
}

/// Reads an `AlgorithmIdentifier` that must be `rsaEncryption` with NULL (or
/// absent) parameters.
pub fn rsa_algorithm(input: &[u8]) -> Option<&[u8]> {
    let (alg, rest) = expect(input, SEQUENCE)?;
    let (oid, params) = expect(alg.content, OID)?;
    if oid.content != RSA_ENCRYPTION {
        return None;
    }
    match params {
        [] | [NULL, 0] => Some(rest),
        _ => None,
    }
}

/// Encodes one element.
pub fn write(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// The `AlgorithmIdentifier` for `rsaEncryption`, NULL parameters.
pub fn rsa_algorithm_identifier() -> Vec<u8> {
    let mut alg = write(OID, RSA_ENCRYPTION);
    alg.extend_from_slice(&[NULL, 0]);
    write(SEQUENCE, &alg)
}

/// The fields of a certificate this crate uses.
pub struct Certificate<'a> {
    /// The serial number, big-endian, leading zero bytes removed.
    pub serial: &'a [u8],
    /// The DER `SubjectPublicKeyInfo`.
    pub spki: &'a [u8],
}

/// Parses the outer structure of an X.509 certificate.
pub fn certificate(der: &[u8]) -> Option<Certificate<'_>> {
    let (cert, _) = expect(der, SEQUENCE)?;
    let (tbs, _) = expect(cert.content, SEQUENCE)?;
    let mut rest = tbs.content;
    if rest.first() == Some(&CONTEXT_0) {
        rest = read(rest)?.1;
    }
    let (serial, rest) = expect(rest, INTEGER)?;
    let (_signature_alg, rest) = expect(rest, SEQUENCE)?;
    let (_issuer, rest) = expect(rest, SEQUENCE)?;
    let (_validity, rest) = expect(rest, SEQUENCE)?;
    let (_subject, rest) = expect(rest, SEQUENCE)?;
    let (spki, _) = expect(rest, SEQUENCE)?;
    let mut serial = serial.content;
    while serial.len() > 1 && serial[0] == 0 {
        serial = &serial[1..];
    }
    Some(Certificate { serial, spki: spki.whole })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lengths_and_truncation() {
        let mut v = vec![0x04, 0x82, 0x01, 0x00];
        v.extend(std::iter::repeat(7).take(256));
        let (t, rest) = read(&v).unwrap();
        assert_eq!((t.tag, t.content.len(), rest.len()), (4, 256, 0));
        assert!(read(&v[..100]).is_none());
        assert!(read(&[0x30, 0x80]).is_none());
        assert!(read(&[0x30]).is_none());
    }

    #[test]
    fn writes_what_it_reads() {
        for len in [0usize, 1, 127, 128, 255, 256, 70000] {
            let content = vec![9u8; len];
            let enc = write(OCTET_STRING, &content);
            let (t, rest) = read(&enc).unwrap();
            assert_eq!((t.tag, t.content.len(), rest.len(), t.whole.len()), (OCTET_STRING, len, 0, enc.len()));
        }
        assert_eq!(rsa_algorithm(&rsa_algorithm_identifier()), Some(&[][..]));
    }

    #[test]
    fn integers() {
        assert_eq!(unsigned(&[2, 3, 0, 0x80, 1]).unwrap().0, [0x80, 1]);
        assert_eq!(unsigned(&[2, 1, 0]).unwrap().0, [0u8; 0]);
        assert!(unsigned(&[2, 1, 0x80]).is_none());
        assert!(unsigned(&[2, 0]).is_none());
    }
}
