//! The three fields of an X.509 certificate (RFC 5280 4.1) this crate uses:
//! the serial, the validity and the SubjectPublicKeyInfo. Read with `der`
//! field by field; the rest of `TBSCertificate` is skipped unread (x509-cert
//! would decode all of it, for some 15 KB of `.wasm`).
//!
//! ```text
//! Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
//! TBSCertificate ::= SEQUENCE {
//!     version [0] EXPLICIT Version DEFAULT v1, serialNumber INTEGER,
//!     signature AlgorithmIdentifier, issuer Name, validity Validity,
//!     subject Name, subjectPublicKeyInfo SubjectPublicKeyInfo, ... }
//! Validity ::= SEQUENCE { notBefore Time, notAfter Time }
//! Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }
//! ```

use der::asn1::{AnyRef, GeneralizedTime, IntRef, UtcTime};
use der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};

/// The fields of a certificate this crate uses.
pub struct Certificate<'a> {
    /// The serial number, big-endian, leading zero bytes removed.
    pub serial: &'a [u8],
    /// The DER `SubjectPublicKeyInfo`.
    pub spki: &'a [u8],
    /// `notBefore` and `notAfter` in Unix seconds, when both are well-formed
    /// times from 1970 on.
    pub validity: Option<(i64, i64)>,
}

/// Reads a DER certificate; `None` unless it has the shape above.
pub fn parse(der: &[u8]) -> Option<Certificate<'_>> {
    let mut reader = SliceReader::new(der).ok()?;
    let cert = reader.sequence(|cert| {
        let tbs = cert.sequence(|tbs| {
            if Tag::peek(tbs)? == (Tag::ContextSpecific { constructed: true, number: TagNumber(0) }) {
                tbs.tlv_bytes()?; // version
            }
            let serial = IntRef::decode(tbs)?.as_bytes();
            AnyRef::decode(tbs)?; // signature
            AnyRef::decode(tbs)?; // issuer
            let validity = tbs.sequence(|v| Ok::<_, der::Error>((time(AnyRef::decode(v)?), time(AnyRef::decode(v)?))))?;
            AnyRef::decode(tbs)?; // subject
            let spki = tbs.tlv_bytes()?;
            // issuerUniqueID, subjectUniqueID, extensions: not needed.
            tbs.read_slice(tbs.remaining_len())?;
            Ok::<_, der::Error>(Certificate { serial: strip_zeros(serial), spki, validity: validity.0.zip(validity.1) })
        })?;
        AnyRef::decode(cert)?; // signatureAlgorithm
        AnyRef::decode(cert)?; // signatureValue
        Ok::<_, der::Error>(tbs)
    });
    let cert = cert.ok()?;
    reader.finish().ok()?;
    Some(cert)
}

fn strip_zeros(mut serial: &[u8]) -> &[u8] {
    while let [0, rest @ ..] = serial {
        if rest.is_empty() {
            break;
        }
        serial = rest;
    }
    serial
}

/// An X.509 `Time` in Unix seconds: UTCTime `YYMMDDHHMMSSZ` (years 1950-2049)
/// or GeneralizedTime `YYYYMMDDHHMMSSZ`, as RFC 5280 4.1.2.5 requires.
fn time(t: AnyRef<'_>) -> Option<i64> {
    let since_epoch = match t.tag() {
        Tag::UtcTime => UtcTime::try_from(t).ok()?.to_unix_duration(),
        Tag::GeneralizedTime => GeneralizedTime::try_from(t).ok()?.to_unix_duration(),
        _ => return None,
    };
    i64::try_from(since_epoch.as_secs()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(tag: u8, text: &str) -> Option<i64> {
        let mut bytes = vec![tag, text.len() as u8];
        bytes.extend_from_slice(text.as_bytes());
        time(AnyRef::from_der(&bytes).ok()?)
    }

    #[test]
    fn times() {
        const UTC: u8 = 0x17;
        const GENERALIZED: u8 = 0x18;
        assert_eq!(at(UTC, "700101000000Z"), Some(0));
        assert_eq!(at(UTC, "190402123420Z"), Some(1554208460));
        assert_eq!(at(UTC, "491231235959Z"), Some(2524607999));
        assert_eq!(at(GENERALIZED, "20500101000000Z"), Some(2524608000));
        assert_eq!(at(GENERALIZED, "20240229120000Z"), Some(1709208000));
        for bad in ["190402123420", "1904021234200", "19040212342+Z", "191302123420Z", "190400123420Z", "190402243420Z"] {
            assert_eq!(at(UTC, bad), None, "{bad}");
        }
        // Before 1970: not a time `der` represents; such a certificate keeps its key, without validity.
        assert_eq!(at(UTC, "500101000000Z"), None);
        assert_eq!(at(GENERALIZED, "190402123420Z"), None);
        assert_eq!(at(0x04, "190402123420Z"), None);
    }

    #[test]
    fn serials_lose_leading_zeros_only() {
        assert_eq!(strip_zeros(&[0, 0x80, 1]), [0x80, 1]);
        assert_eq!(strip_zeros(&[0]), [0]);
        assert_eq!(strip_zeros(&[1, 0]), [1, 0]);
    }
}
