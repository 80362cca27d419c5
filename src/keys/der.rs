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
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;

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
    /// `notBefore` and `notAfter` in Unix seconds, if they are well-formed.
    pub validity: Option<(i64, i64)>,
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
    let (validity, rest) = expect(rest, SEQUENCE)?;
    let (_subject, rest) = expect(rest, SEQUENCE)?;
    let (spki, _) = expect(rest, SEQUENCE)?;
    let mut serial = serial.content;
    while serial.len() > 1 && serial[0] == 0 {
        serial = &serial[1..];
    }
    Some(Certificate { serial, spki: spki.whole, validity: validity_of(validity.content) })
}

fn validity_of(content: &[u8]) -> Option<(i64, i64)> {
    let (not_before, rest) = read(content)?;
    let (not_after, _) = read(rest)?;
    Some((time(&not_before)?, time(&not_after)?))
}

/// An X.509 `Time` (RFC 5280 4.1.2.5: `YYMMDDHHMMSSZ` UTCTime, years 1950-2049,
/// or `YYYYMMDDHHMMSSZ` GeneralizedTime) in Unix seconds.
fn time(t: &Tlv<'_>) -> Option<i64> {
    let digits = |b: &[u8]| -> Option<i64> {
        b.iter().try_fold(0i64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
    };
    let (year, rest) = match (t.tag, t.content.len()) {
        (UTC_TIME, 13) => {
            let yy = digits(&t.content[..2])?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &t.content[2..])
        }
        (GENERALIZED_TIME, 15) => (digits(&t.content[..4])?, &t.content[4..]),
        _ => return None,
    };
    if rest[10] != b'Z' {
        return None;
    }
    let [month, day, hour, minute, second] =
        [0, 2, 4, 6, 8].map(|i| digits(&rest[i..i + 2]));
    let (month, day, hour, minute, second) = (month?, day?, hour?, minute?, second?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lengths_and_truncation() {
        let mut v = vec![0x04, 0x82, 0x01, 0x00];
        v.extend(std::iter::repeat_n(7, 256));
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

    fn tlv(tag: u8, text: &str) -> Vec<u8> {
        let mut v = vec![tag, text.len() as u8];
        v.extend_from_slice(text.as_bytes());
        v
    }

    fn at(tag: u8, text: &str) -> Option<i64> {
        let bytes = tlv(tag, text);
        let (t, _) = read(&bytes)?;
        time(&t)
    }

    #[test]
    fn times() {
        assert_eq!(at(UTC_TIME, "700101000000Z"), Some(0));
        assert_eq!(at(UTC_TIME, "190402123420Z"), Some(1554208460));
        assert_eq!(at(UTC_TIME, "491231235959Z"), Some(2524607999));
        assert_eq!(at(UTC_TIME, "500101000000Z"), Some(-631152000));
        assert_eq!(at(GENERALIZED_TIME, "20500101000000Z"), Some(2524608000));
        assert_eq!(at(GENERALIZED_TIME, "20240229120000Z"), Some(1709208000));
        for bad in ["190402123420", "1904021234200", "19040212342+Z", "191302123420Z", "190400123420Z", "190402243420Z"] {
            assert_eq!(at(UTC_TIME, bad), None, "{bad}");
        }
        assert_eq!(at(GENERALIZED_TIME, "190402123420Z"), None);
        assert_eq!(at(0x04, "190402123420Z"), None);
    }
}
