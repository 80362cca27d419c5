//! What the fuzz targets share: the test fixtures, a stand-in signer, and
//! the references (`url`, `serde_json`) the targets check against.
//!
//! Structured targets read their input as fields separated by `0xFF`, a byte
//! UTF-8 never holds, so seeds stay readable (`printf 'a\377b'`).

use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use wxpay_wasm::crypto::Backend;
use wxpay_wasm::keys::{Keyring, PrivateKey, PublicKey};

/// `tests/fixtures/platform_cert.pem`.
pub const PLATFORM_CERT: &[u8] = include_bytes!("../../tests/fixtures/platform_cert.pem");
/// `tests/fixtures/answer_body.json`.
pub const ANSWER_BODY: &[u8] = include_bytes!("../../tests/fixtures/answer_body.json");
/// `tests/fixtures/answer_body.sig`, base64 and a newline.
pub const ANSWER_SIG: &str = include_str!("../../tests/fixtures/answer_body.sig");
/// The headers the answer was signed with.
pub const ANSWER_TS: &str = "1554208460";
/// The nonce the answer was signed with.
pub const ANSWER_NONCE: &str = "NwJfk3gJr0Y5cLNqZc9oWQ8Hhh5dxUg7";
/// Serial of `platform_cert.pem`.
pub const PLATFORM_SERIAL: &str = "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";
/// `tests/fixtures/notify_apiv3_key.txt`.
pub const APIV3_KEY: &str = include_str!("../../tests/fixtures/notify_apiv3_key.txt");
/// The time all fixtures were signed at.
pub const NOW: u64 = 1554208460;

/// A keyring with the platform certificate.
pub fn ring() -> &'static Keyring {
    static RING: OnceLock<Keyring> = OnceLock::new();
    RING.get_or_init(|| {
        let mut ring = Keyring::default();
        let key = PublicKey::parse(PLATFORM_CERT, "certs").expect("fixture certificate");
        ring.insert(PLATFORM_SERIAL.into(), key);
        ring
    })
}

/// Input split into `0xFF`-separated fields.
pub fn fields(data: &[u8]) -> Vec<&[u8]> {
    data.split(|&b| b == 0xff).collect()
}

/// Fields that are UTF-8 text; `None` if one is not.
pub fn text_fields(data: &[u8]) -> Option<Vec<&str>> {
    fields(data).into_iter().map(|f| std::str::from_utf8(f).ok()).collect()
}

/// Decodes `%XX` escapes; `None` if one is malformed or the result is not UTF-8.
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

/// The path the WHATWG URL parser (so `fetch`) sends for a relative `path`.
pub fn sent_path(path: &str) -> String {
    let url = url::Url::parse(&format!("https://api.mch.weixin.qq.com/{path}")).expect("an encoded path always parses");
    url.path().to_string()
}

/// A stand-in signer: the signature is the SHA-256 of the message, so a
/// target can sign whatever it builds and reach the layers behind the
/// signature check.
pub struct Digests;

impl Backend for Digests {
    async fn sign(&self, _key: &PrivateKey, message: &[u8]) -> wxpay_wasm::Result<Vec<u8>> {
        Ok(Sha256::digest(message).to_vec())
    }

    async fn verify(&self, _serial: &str, _key: &PublicKey, message: &[u8], signature: &[u8]) -> wxpay_wasm::Result<bool> {
        Ok(Sha256::digest(message).as_slice() == signature)
    }
}

/// The SHA-256 of `message`.
pub fn digest(message: &[u8]) -> Vec<u8> {
    Sha256::digest(message).to_vec()
}
