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
    /// The certificate's public key. Its validity is the certificate's own
    /// `notBefore`/`notAfter` narrowed to the listed `effective_time` and
    /// `expire_time`: WeChat Pay moves `expire_time` ahead of `notAfter` to
    /// retire a certificate early.
    pub key: PublicKey,
}

impl Certificate {
    /// Whether the certificate has expired at `now` (Unix seconds): past its
    /// `notAfter`, or its listed `expire_time` if that is earlier.
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

/// The most bytes of a certificate list read (the service's has a few entries, about 2 KB each):
/// it is read before any signature is checked (its key may be in it), so whoever answers may send
/// anything; more is `ERR_RESPONSE_BODY`, before it is parsed.
pub const MAX_LIST_BYTES: u32 = 1 << 20;
/// The most entries of a certificate list, as of `options.certs`.
const MAX_LIST_ENTRIES: usize = 1024;

/// Reads and decrypts the certificate list of a `/v3/certificates` answer.
/// Every entry must decrypt under `key` and hold a certificate whose serial
/// is the entry's `serial_no`; any failure rejects the whole answer. `time`
/// reads a listed RFC 3339 time (`2021-01-01T00:00:00+08:00`) as Unix
/// seconds (in wasm, the JS `Date` does).
pub fn parse(body: &[u8], key: &ApiV3Key, time: impl Fn(&str) -> Option<i64>) -> Result<Vec<Certificate>> {
    if body.len() > MAX_LIST_BYTES as usize {
        return Err(bad(format!("is larger than {MAX_LIST_BYTES} bytes")));
    }
    let v: Value = serde_json::from_slice(body).map_err(|_| bad("is not JSON"))?;
    let list = v.get("data").and_then(Value::as_array).ok_or_else(|| bad("has no `data` array"))?;
    if list.len() > MAX_LIST_ENTRIES {
        return Err(bad(format!("has more than {MAX_LIST_ENTRIES} entries")));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let serial = field(entry, "serial_no", i)?;
        // Quoted in the messages below only once it has a serial's shape.
        if !(1..=64).contains(&serial.len()) || !serial.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad(format!("entry {i} has a serial_no that is not hex ({} bytes)", serial.len())));
        }
        let serial = serial.to_ascii_uppercase();
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
        let mut cert_key = PublicKey::parse(pem.as_bytes(), &format!("certificate {serial}"))?;
        if !cert_key.certificate_serial.as_deref().is_some_and(|own| crate::keys::same_serial(own, &serial)) {
            return Err(bad(format!("entry {i} is not a certificate with serial {serial}")));
        }
        let (effective_time, expire_time) = (field(entry, "effective_time", i)?, field(entry, "expire_time", i)?);
        // The listed times narrow the certificate's own (one that does not read is left out):
        // the service says when it stops using a certificate.
        let (from, to) = cert_key.validity.unwrap_or((i64::MIN, i64::MAX));
        let listed = (time(effective_time).map_or(from, |t| t.max(from)), time(expire_time).map_or(to, |t| t.min(to)));
        if listed != (i64::MIN, i64::MAX) {
            cert_key.validity = Some(listed);
        }
        out.push(Certificate {
            serial,
            pem: pem.to_string(),
            effective_time: effective_time.to_string(),
            expire_time: expire_time.to_string(),
            key: cert_key,
        });
    }
    if out.is_empty() {
        // What a merchant that has only a WeChat Pay public key is answered.
        return Err(bad("is empty (with a WeChat Pay public key only, give it in options.certs under its PUB_KEY_ID_...)"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of the fixture certificate (valid 2026-11-27 to 2126-11-03) under these times.
    fn list_of(effective_time: &str, expire_time: &str) -> (Vec<u8>, ApiV3Key) {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/platform_cert.pem")).unwrap();
        let key = b"wxpayWasmTestApiV3Key0123456789a";
        let cipher = aes_gcm::Aes256Gcm::new(key.into());
        let sealed = cipher.encrypt(b"0123456789ab".into(), Payload { msg: &pem, aad: b"certificate" }).unwrap();
        let body = serde_json::json!({ "data": [{
            "serial_no": "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01",
            "effective_time": effective_time,
            "expire_time": expire_time,
            "encrypt_certificate": { "algorithm": "AEAD_AES_256_GCM", "nonce": "0123456789ab", "associated_data": "certificate",
                "ciphertext": crate::base64::encode(&sealed) },
        }] });
        (serde_json::to_vec(&body).unwrap(), ApiV3Key::new(core::str::from_utf8(key).unwrap()).unwrap())
    }

    /// The listed times of these tests, as the JS `Date` reads them.
    fn time(text: &str) -> Option<i64> {
        match text {
            "2020-01-01T00:00:00Z" => Some(1_577_836_800),
            "2026-11-27T11:50:00+08:00" => Some(1_795_751_400),
            "2026-12-01T00:00:00Z" => Some(1_796_083_200),
            "2027-01-01T00:00:00+08:00" => Some(1_798_732_800),
            "2126-11-03T03:50:00Z" => Some(4_949_351_400),
            "2200-01-01T00:00:00Z" => Some(7_258_118_400),
            _ => None,
        }
    }

    // Review 2026-12-06: a `serial_no` was quoted whole in the messages (3 KB, raw escapes).
    #[test]
    fn regression_a_serial_no_not_of_a_serials_shape_is_refused_unquoted() {
        let (body, key) = list_of("2020-01-01T00:00:00Z", "2200-01-01T00:00:00Z");
        let mut v: Value = serde_json::from_slice(&body).unwrap();
        let long = "A".repeat(65);
        for bad in ["5157F04E\n[INFO] forged \u{1b}[31m", long.as_str(), "", "PUB_KEY_ID_0114232134912410000000000000", "0x51"] {
            v["data"][0]["serial_no"] = Value::from(bad);
            let e = parse(&serde_json::to_vec(&v).unwrap(), &key, time).unwrap_err();
            assert_eq!(e.code, Code::ResponseBody, "{bad}");
            assert_eq!(e.message, format!("the certificate list entry 0 has a serial_no that is not hex ({} bytes)", bad.len()));
        }
        // Hex of any case and with its leading zero kept still reads.
        v["data"][0]["serial_no"] = Value::from("5157f04e6c9a5e7a5b6a1c2f3e4d5c6b7a8f9e01");
        assert_eq!(parse(&serde_json::to_vec(&v).unwrap(), &key, time).unwrap()[0].serial, "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01");
    }

    // Audit 2026-12 (flows 13): a certificate listed with an `expire_time` earlier than its
    // notAfter (retired early) stayed in use until the notAfter.
    #[test]
    fn regression_a_listed_expire_time_before_not_after_retires_the_certificate() {
        const NOT_BEFORE: i64 = 1_795_751_400; // 2026-11-27T03:50:00Z
        const NOT_AFTER: i64 = 4_949_351_400; // 2126-11-03T03:50:00Z
        let (body, key) = list_of("2026-11-27T11:50:00+08:00", "2027-01-01T00:00:00+08:00");
        let cert = &parse(&body, &key, time).unwrap()[0];
        let retired = 1_798_732_800; // 2027-01-01T00:00:00+08:00
        assert_eq!(cert.key.validity, Some((NOT_BEFORE, retired)));
        assert!(!cert.expired(retired as u64) && cert.expired(retired as u64 + 1));
        assert_eq!(cert.expire_time, "2027-01-01T00:00:00+08:00", "listed as written");
        // Listed wider than the certificate, or unreadable: the certificate's own times.
        for (from, to) in [("2020-01-01T00:00:00Z", "2200-01-01T00:00:00Z"), ("soon", "later")] {
            let (body, key) = list_of(from, to);
            assert_eq!(parse(&body, &key, time).unwrap()[0].key.validity, Some((NOT_BEFORE, NOT_AFTER)), "{from} {to}");
        }
        // A later effective_time delays it.
        let (body, key) = list_of("2026-12-01T00:00:00Z", "2126-11-03T03:50:00Z");
        assert_eq!(parse(&body, &key, time).unwrap()[0].key.validity, Some((1_796_083_200, NOT_AFTER)));
    }

    // Review 2026-12-06 (helper-104): a list of 12.8 M entries (`{"data":[0,0,...]}`, 25.6 MB,
    // under the default maxBodyBytes, and unsigned until read) reserved 168 bytes an entry before
    // reading the first, past what wasm32 can address: a trap. Bounded first, in bytes and entries.
    #[test]
    fn regression_a_list_too_large_or_too_long_is_refused_before_it_is_read() {
        let (_, key) = list_of("2020-01-01T00:00:00Z", "2200-01-01T00:00:00Z");
        let entries = |n: usize| format!("{{\"data\":[{}]}}", vec!["0"; n].join(",")).into_bytes();
        let e = parse(&entries(1025), &key, time).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (Code::ResponseBody, "the certificate list has more than 1024 entries"));
        // 1024 are read, and the first is judged.
        assert_eq!(parse(&entries(1024), &key, time).unwrap_err().message, "the certificate list entry 0 has no string `serial_no`");
        let mut big = entries(1);
        big.resize(MAX_LIST_BYTES as usize + 1, b' ');
        let e = parse(&big, &key, time).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (Code::ResponseBody, "the certificate list is larger than 1048576 bytes"));
        big.pop();
        assert_eq!(parse(&big, &key, time).unwrap_err().message, "the certificate list entry 0 has no string `serial_no`");
    }
}
