//! Property tests of the pure core: the same rules as the known answers, on
//! generated input. Each module mirrors a file of `src/`.
//!
//! They run in a plain `cargo test` with case counts small enough for a debug
//! build. Properties that sign with RSA (slow in debug) are `#[ignore]`d there;
//! `make test-rust` runs them optimised:
//! `cargo test --profile test-opt --test properties -- --include-ignored`.
//! `PROPTEST_CASES` does not apply: each property sets its own count.

mod base64;
mod config;
mod keys;
mod notify;
mod path;
mod request;
mod response;
mod url;

use wxpay_wasm::keys::{Keyring, PrivateKey, PublicKey};

/// Test-only keys and signed messages from `tests/fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A text fixture.
pub fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

/// The DER inside a PEM fixture.
pub fn pem_der(name: &str) -> Vec<u8> {
    let text = fixture_text(name);
    let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    wxpay_wasm::base64::decode(&b64).unwrap()
}

/// The serial of `platform_cert.pem`.
pub const PLATFORM_SERIAL: &str = "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";

/// Whether `text` spells [`PLATFORM_SERIAL`]'s number: hex in any case, with
/// any count of leading zeros (`0A1B...` and `A1B...` name one certificate:
/// OpenSSL's and Java's spellings). Written here, not taken from the crate.
pub fn names_platform_serial(text: &[u8]) -> bool {
    fn significant(b: &[u8]) -> &[u8] {
        &b[b.iter().position(|&c| c != b'0').unwrap_or(b.len())..]
    }
    significant(text).eq_ignore_ascii_case(significant(PLATFORM_SERIAL.as_bytes()))
}

// The keys are made once a test thread (they are not `Sync`: a modulus computes its Montgomery
// constants on first use, in a `OnceCell`) and kept for the run.
thread_local! {
    static RING: &'static Keyring = Box::leak(Box::new({
        let mut ring = Keyring::default();
        ring.insert(PLATFORM_SERIAL.into(), PublicKey::parse(&fixture("platform_cert.pem"), "certs").unwrap());
        ring
    }));
    static KEY: &'static PrivateKey = Box::leak(Box::new(PrivateKey::parse(&fixture("platform_key.pem"), "platform").unwrap()));
}

/// A keyring holding the platform certificate under its serial.
pub fn platform_ring() -> &'static Keyring {
    RING.with(|ring| *ring)
}

/// The platform's private key, to sign answers and notifications in tests.
pub fn platform_private() -> &'static PrivateKey {
    KEY.with(|key| *key)
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
