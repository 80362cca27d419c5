//! The keys a user brings: the merchant private key and the platform keys.
//!
//! Private: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
//! Public: SPKI (`BEGIN PUBLIC KEY`), PKCS#1 (`BEGIN RSA PUBLIC KEY`) or an
//! X.509 certificate. PEM, DER or bare base64 are all accepted.

mod certificate;
mod pem;

use crate::error::{Code, Error, Result};
use crate::rsa::key as rsakey;
use crate::rsa::{RsaPrivateKey, RsaPublicKey};
use pem::Input;
use zeroize::Zeroizing;

fn invalid(what: &str, why: &str) -> Error {
    Error::new(Code::InvalidKey, format!("{what} {why}"))
}

/// The labels of the PEM files a merchant may give in place of a key
/// (RFC 7468's, OpenSSL's and OpenSSH's), which a message names: no other is
/// repeated, as the label of a damaged armour line can be pasted key material
/// (a run of capitals and digits in a key's base64 passes for a label).
const KNOWN_LABELS: [&str; 11] = [
    "CERTIFICATE",
    "TRUSTED CERTIFICATE",
    "X509 CRL",
    "CERTIFICATE REQUEST",
    "PKCS7",
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "EC PRIVATE KEY",
    "EC PARAMETERS",
    "DSA PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
];

/// `what` holds a PEM block that is not what it should be (`expected`): named
/// by its label when that is a known one ([`KNOWN_LABELS`]), else by no part of it.
fn other_block(what: &str, label: &str, expected: &str) -> Error {
    let message = if KNOWN_LABELS.contains(&label) {
        format!("{what} holds a `{label}` PEM block; {expected}")
    } else {
        format!("{what} holds a PEM block of another kind (its label is not repeated); {expected}")
    };
    Error::new(Code::InvalidKey, message)
}

/// What the readers say when they refuse an RSA key: its size is out of
/// range, or it has more than two primes. (The range is rsa::key's, written
/// out: a number formatted into the message would cost more of the `.wasm`.)
const UNSUPPORTED_SIZE: &str = "is an RSA key of unsupported size; keys of 512 to 4096 bits are supported";
const MULTI_PRIME: &str = "is a multi-prime RSA key; only two-prime keys are supported";
const UNSUPPORTED_EXPONENT: &str = "is an RSA key of unsupported public exponent; odd exponents of 3 to 2^33-1 are supported";
/// Its size and exponent are fine, but its numbers do not make one key
/// (`n = p q`, the CRT exponents and coefficient): a damaged or hand-made file.
const INCONSISTENT: &str = "is an RSA private key whose numbers do not agree (n, p, q, the CRT exponents); export the key again";
const _: () = assert!(rsakey::MIN_BITS == 512 && rsakey::MAX_BITS == 4096);

/// Why a key of modulus `n` and exponent `e` is refused whatever else it
/// holds; `None` when its size and exponent are supported.
fn supported(n: &[u8], e: &[u8]) -> Option<&'static str> {
    if rsakey::modulus_bits(n).is_none() {
        Some(UNSUPPORTED_SIZE)
    } else if rsakey::exponent(e).is_none() {
        Some(UNSUPPORTED_EXPONENT)
    } else {
        None
    }
}

/// The merchant's RSA private key (`apiclient_key.pem`).
pub struct PrivateKey {
    pub(crate) key: RsaPrivateKey,
    /// PKCS#8 DER of the key, for WebCrypto's `importKey`; wiped when dropped.
    pkcs8: Zeroizing<Vec<u8>>,
}

impl PrivateKey {
    /// Parses a private key; `what` names the option in error messages.
    pub fn parse(input: &[u8], what: &str) -> Result<Self> {
        const EXPECTED: &str = "is not an RSA private key: expected the PEM of apiclient_key.pem (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`)";
        let mut why = EXPECTED;
        let key = match pem::read_preferring(input, &["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]) {
            Input::Pem(b) if b.has_headers => {
                return Err(invalid(what, "is an encrypted PEM; export the key without a passphrase"))
            }
            Input::Pem(b) => match b.label.as_str() {
                "PRIVATE KEY" => Self::from_pkcs8(&b.der, &mut why),
                "RSA PRIVATE KEY" => Self::from_pkcs1(&b.der, &mut why),
                "ENCRYPTED PRIVATE KEY" => {
                    return Err(invalid(what, "is an encrypted PKCS#8 key; export the key without a passphrase"))
                }
                other => return Err(other_block(what, other, "expected the merchant private key (apiclient_key.pem)")),
            },
            Input::Der(der) => Self::from_pkcs8(&der, &mut why).or_else(|| Self::from_pkcs1(&der, &mut why)),
            Input::Unreadable => None,
        };
        key.ok_or_else(|| invalid(what, why))
    }

    fn from_pkcs8(der: &[u8], why: &mut &'static str) -> Option<Self> {
        Self::from_pkcs1(rsakey::pkcs8_private(der)?, why)
    }

    fn from_pkcs1(der: &[u8], why: &mut &'static str) -> Option<Self> {
        let Some(c) = rsakey::pkcs1_private(der) else {
            if rsakey::is_multi_prime(der) {
                *why = MULTI_PRIME;
            }
            return None;
        };
        *why = supported(c.n, c.e).unwrap_or(INCONSISTENT);
        let key = RsaPrivateKey::new(&c)?;
        Some(PrivateKey { key, pkcs8: Zeroizing::new(rsakey::pkcs8_from_pkcs1(der)?) })
    }

    /// The size of the modulus in bytes (256 for RSA-2048).
    pub fn size(&self) -> usize {
        self.key.public().size()
    }

    /// The key for the RSA operations of [`crate::rsa`].
    pub fn rsa(&self) -> &RsaPrivateKey {
        &self.key
    }

    /// The key as PKCS#8 `PrivateKeyInfo` DER (PKCS#1 input is re-wrapped),
    /// as WebCrypto's `importKey('pkcs8', ...)` takes it.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }
}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PrivateKey(RSA-{})", self.size() * 8)
    }
}

/// A platform public key: from a platform certificate or a WeChat Pay public key.
#[derive(Clone)]
pub struct PublicKey {
    pub(crate) key: RsaPublicKey,
    /// SubjectPublicKeyInfo DER of the key, for WebCrypto's `importKey`.
    spki: Vec<u8>,
    /// The certificate's serial, upper-case hex, when the key came from one.
    pub certificate_serial: Option<String>,
    /// The certificate's `notBefore` and `notAfter` (Unix seconds), when the
    /// key came from one.
    pub validity: Option<(i64, i64)>,
}

impl PublicKey {
    /// Parses a public key or certificate; `what` names the option in error messages.
    pub fn parse(input: &[u8], what: &str) -> Result<Self> {
        const EXPECTED: &str = "is not an RSA public key: expected an X.509 certificate PEM, a `BEGIN PUBLIC KEY` PEM or a `BEGIN RSA PUBLIC KEY` PEM";
        let mut why = EXPECTED;
        let key = match pem::read(input) {
            Input::Pem(b) => match b.label.as_str() {
                "CERTIFICATE" => Self::from_certificate(&b.der, &mut why),
                "PUBLIC KEY" => Self::from_spki(&b.der, &mut why),
                "RSA PUBLIC KEY" => Self::from_pkcs1(&b.der, &mut why),
                l if crate::text::find(l, "PRIVATE KEY").is_some() => {
                    return Err(invalid(what, "is a private key; give the platform certificate or WeChat Pay public key instead"))
                }
                other => return Err(other_block(what, other, EXPECTED)),
            },
            Input::Der(der) => Self::from_spki(&der, &mut why)
                .or_else(|| Self::from_pkcs1(&der, &mut why))
                .or_else(|| Self::from_certificate(&der, &mut why)),
            Input::Unreadable => None,
        };
        key.ok_or_else(|| invalid(what, why))
    }

    fn from_spki(der: &[u8], why: &mut &'static str) -> Option<Self> {
        Self::from_pkcs1(rsakey::spki(der)?, why)
    }

    fn from_pkcs1(der: &[u8], why: &mut &'static str) -> Option<Self> {
        let (n, e) = rsakey::pkcs1_public(der)?;
        if let Some(unsupported) = supported(n, e) {
            *why = unsupported;
        }
        let key = RsaPublicKey::new(n, e)?;
        Some(PublicKey { key, spki: rsakey::spki_from_pkcs1(der)?, certificate_serial: None, validity: None })
    }

    fn from_certificate(der: &[u8], why: &mut &'static str) -> Option<Self> {
        let cert = certificate::parse(der)?;
        let mut key = Self::from_spki(cert.spki, why)?;
        key.certificate_serial = Some(cert.serial.iter().map(|b| format!("{b:02X}")).collect());
        key.validity = cert.validity;
        Some(key)
    }

    /// The size of the modulus in bytes (256 for RSA-2048).
    pub fn size(&self) -> usize {
        self.key.size()
    }

    /// The key as SubjectPublicKeyInfo DER (PKCS#1 keys are re-wrapped,
    /// certificates give theirs), as WebCrypto's `importKey('spki', ...)` takes it.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PublicKey(RSA-{}, certificate {:?})", self.size() * 8, self.certificate_serial)
    }
}

/// Whether two spellings of a certificate serial name the same number: hex
/// in any case, with or without leading zeros. A certificate's own serial is
/// read two digits a byte (`0A1B...`), as OpenSSL and Go print it; Java's
/// `BigInteger.toString(16)` drops the leading zero (`A1B...`), and a serial
/// copied from either must match.
pub fn same_serial(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    // Equal in any case, and hex (so is `b`, then): a `PUB_KEY_ID_...` never is.
    !a.is_empty() && a.eq_ignore_ascii_case(b) && a.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Whether two names of a keyring entry are the same: equal in any case, or
/// the same serial ([`same_serial`]).
fn same_name(a: &str, b: &str) -> bool {
    // The same bytes first: a serial as configured, named by the answer (every request).
    a == b || a.eq_ignore_ascii_case(b) || same_serial(a, b)
}

/// The configured verifying keys, by serial (`certs` option).
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    keys: Vec<(String, PublicKey)>,
}

impl Keyring {
    /// Adds a key under its serial or `PUB_KEY_ID_...`.
    pub fn insert(&mut self, serial: String, key: PublicKey) {
        self.keys.retain(|(s, _)| !same_name(s, &serial));
        self.keys.push((serial, key));
    }

    /// The key a `Wechatpay-Serial` names; hex serials match in any case,
    /// with or without leading zeros.
    pub fn get(&self, serial: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|(s, _)| same_name(s, serial)).map(|(_, k)| k)
    }

    /// The entry a serial names, with the serial as configured.
    pub fn entry(&self, serial: &str) -> Option<(&str, &PublicKey)> {
        self.keys.iter().find(|(s, _)| same_name(s, serial)).map(|(s, k)| (s.as_str(), k))
    }

    /// Every entry, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &PublicKey)> {
        self.keys.iter().map(|(s, k)| (s.as_str(), k))
    }

    /// The serials, in insertion order.
    pub fn serials(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(s, _)| s.as_str())
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod serial_tests {
    use super::same_serial;

    #[test]
    fn serials_compare_as_numbers() {
        assert!(same_serial("5157F04E", "5157f04e"));
        // Two digits a byte (OpenSSL, Go) and without the leading zero (Java's BigInteger).
        assert!(same_serial("0A1B2C", "A1B2C"));
        assert!(same_serial("00A1B2C", "0a1b2c"));
        assert!(!same_serial("0A1B2C", "A1B2D"));
        assert!(!same_serial("A1B2C0", "A1B2C"));
        // Not hex: never the same as anything (a PUB_KEY_ID_..., an empty key).
        assert!(!same_serial("PUB_KEY_ID_0112", "PUB_KEY_ID_0112"));
        assert!(!same_serial("", ""));
        assert!(!same_serial("0x1A", "1A"));
    }
}

#[cfg(test)]
mod label_tests {
    use super::{PrivateKey, PublicKey, KNOWN_LABELS};
    use crate::error::Code;

    fn block(label: &str) -> String {
        format!("-----BEGIN {label}-----\nMAA=\n-----END {label}-----\n")
    }

    #[test]
    fn a_known_label_is_named() {
        for label in KNOWN_LABELS {
            let e = PrivateKey::parse(block(label).as_bytes(), "options.privateKey").unwrap_err();
            assert_eq!(e.code, Code::InvalidKey);
            assert!(e.message.contains(&format!("holds a `{label}` PEM block; expected the merchant private key")), "{}", e.message);
            // The public reader takes these three, and says a private key is one.
            if !["CERTIFICATE", "PUBLIC KEY", "RSA PUBLIC KEY"].contains(&label) && !label.contains("PRIVATE KEY") {
                let e = PublicKey::parse(block(label).as_bytes(), "certs").unwrap_err();
                assert!(e.message.contains(&format!("holds a `{label}` PEM block;")), "{}", e.message);
            }
        }
    }

    /// A run of capitals and digits from a key's base64 where the label goes
    /// (here from the PKCS#8 fixture's own body) passes for a label, and is
    /// never repeated; nor is an unknown label made of words.
    #[test]
    fn any_other_label_is_not_repeated() {
        let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/merchant_key.pkcs8.pem")).unwrap();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let run = body
            .as_bytes()
            .windows(12)
            .find(|w| w.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
            .map(|w| std::str::from_utf8(w).unwrap().to_string())
            .expect("the fixture's base64 has a run of 12 capitals and digits");
        for label in [run.as_str(), "MIIEVQIBADAN", "SECRET 1234", "PRIVATE KEYS", "mIIEvqIBADAN"] {
            for e in [
                PrivateKey::parse(block(label).as_bytes(), "options.privateKey").unwrap_err(),
                PublicKey::parse(block(label).as_bytes(), "certs").unwrap_err(),
            ] {
                assert_eq!(e.code, Code::InvalidKey);
                assert!(!e.message.contains(label), "{label:?}: {}", e.message);
            }
        }
        let e = PrivateKey::parse(block(&run).as_bytes(), "options.privateKey").unwrap_err();
        assert_eq!(e.message, "options.privateKey holds a PEM block of another kind (its label is not repeated); expected the merchant private key (apiclient_key.pem)");
    }
}
