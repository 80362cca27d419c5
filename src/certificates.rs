//! Platform certificates downloaded from `GET /v3/certificates`: the answer's
//! list, each certificate decrypted with the APIv3 key (`AEAD_AES_256_GCM`),
//! parsed, and checked against the serial the list gives for it.
//!
//! The answer is signed by one of the certificates it carries (or one the
//! client already trusts); which one is the caller's business: it verifies
//! the answer's signature with the key its `Wechatpay-Serial` names among the
//! trusted ones and these, and keeps these only if that succeeds.

use serde_json::Value;

use crate::aead::ApiV3Key;
use crate::error::{Code, Error, Result};
use crate::keys::PublicKey;
use crate::notify::{decrypt_text, Resource};

/// The path of the certificate list.
pub const PATH: &str = "v3/certificates";

/// One downloaded platform certificate.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// The serial, upper-case hex, as `Wechatpay-Serial` names it.
    pub serial: String,
    /// The certificate's PEM, as decrypted.
    pub pem: String,
    /// `effective_time` as the service wrote it (RFC 3339).
    pub effective_time: String,
    /// `expire_time` as the service wrote it (RFC 3339).
    pub expire_time: String,
    /// The certificate's public key, with its `notBefore`/`notAfter`.
    pub key: PublicKey,
}

impl Certificate {
    /// Whether the certificate has expired at `now` (Unix seconds), by the
    /// certificate's own `notAfter`.
    pub fn expired(&self, now: u64) -> bool {
        self.key.validity.is_some_and(|(_, not_after)| now as i64 > not_after)
    }
}

fn bad(why: impl core::fmt::Display) -> Error {
    Error::new(Code::ResponseBody, format!("the certificate list {why}"))
}

fn field<'a>(v: &'a Value, name: &str, at: usize) -> Result<&'a str> {
    v.get(name).and_then(Value::as_str).ok_or_else(|| bad(format!("entry {at} has no string `{name}`")))
}

/// Reads and decrypts the certificate list of a `/v3/certificates` answer.
/// Every entry must decrypt under `key` and hold a certificate whose serial
/// is the entry's `serial_no`; any failure rejects the whole answer.
pub fn parse(body: &[u8], key: &ApiV3Key) -> Result<Vec<Certificate>> {
    let v: Value = serde_json::from_slice(body).map_err(|_| bad("is not JSON"))?;
    let list = v.get("data").and_then(Value::as_array).ok_or_else(|| bad("has no `data` array"))?;
    let mut out = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let serial = field(entry, "serial_no", i)?.to_ascii_uppercase();
        let enc = entry.get("encrypt_certificate").ok_or_else(|| bad(format!("entry {i} has no `encrypt_certificate`")))?;
        let resource = Resource {
            algorithm: field(enc, "algorithm", i)?.to_string(),
            ciphertext: field(enc, "ciphertext", i)?.to_string(),
            nonce: field(enc, "nonce", i)?.to_string(),
            associated_data: enc.get("associated_data").and_then(Value::as_str).unwrap_or_default().to_string(),
            original_type: None,
        };
        let pem = decrypt_text(key, &resource)
            .map_err(|e| Error::new(Code::ResponseBody, format!("certificate {serial} does not decrypt under the APIv3 key: {}", e.message)))?;
        let cert_key = PublicKey::parse(pem.as_bytes(), &format!("certificate {serial}"))?;
        if !cert_key.certificate_serial.as_deref().is_some_and(|own| crate::keys::same_serial(own, &serial)) {
            return Err(bad(format!("entry {i} is not a certificate with serial {serial}")));
        }
        out.push(Certificate {
            serial,
            pem: pem.to_string(),
            effective_time: field(entry, "effective_time", i)?.to_string(),
            expire_time: field(entry, "expire_time", i)?.to_string(),
            key: cert_key,
        });
    }
    if out.is_empty() {
        return Err(bad("is empty"));
    }
    Ok(out)
}
