//! Just enough DER to find the public key inside an X.509 certificate.

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const CONTEXT_0: u8 = 0xA0;

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

fn expect(input: &[u8], tag: u8) -> Option<(Tlv<'_>, &[u8])> {
    read(input).filter(|(t, _)| t.tag == tag)
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
}
