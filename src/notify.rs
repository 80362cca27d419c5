//! Notifications (callbacks) WeChat Pay posts to the merchant: verified
//! exactly like an answer, then their `resource` decrypted with the APIv3 key.
//!
//! ```text
//! POST /notify            Wechatpay-Timestamp, -Nonce, -Signature, -Serial
//! { "id", "create_time", "event_type", "resource_type", "summary",
//!   "resource": { "algorithm": "AEAD_AES_256_GCM", "ciphertext", "nonce",
//!                 "associated_data", "original_type" } }
//! ```
//!
//! `summary`, `associated_data` and `original_type` may be absent (v3/webhooks
//! requires only id, create_time, event_type, resource_type and resource).
//!
//! Order of checks: signature headers and signature over the raw body first
//! (nothing is read from an unverified body), then the JSON shape, then the
//! decryption, then the decrypted JSON. Each failure has its own code.

use crate::aead::{self, ApiV3Key};
use crate::crypto::Backend;
use crate::error::{Code, Error, Result};
use crate::keys::Keyring;
use crate::response::{self, SignatureHeaders, NOTIFY_CODES};
use serde_json::Value;
use zeroize::Zeroizing;

/// The encrypted `resource` of a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// Always `AEAD_AES_256_GCM` so far.
    pub algorithm: String,
    /// Base64 of ciphertext and tag.
    pub ciphertext: String,
    /// The IV, as text (its bytes are used).
    pub nonce: String,
    /// The AAD, as text; absent counts as empty.
    pub associated_data: String,
    /// What the plaintext is, e.g. `transaction`.
    pub original_type: Option<String>,
}

/// A notification's envelope: the documented fields, `summary` when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// Unique notification id: process each id once (the service retries).
    pub id: String,
    /// RFC 3339, e.g. `2015-05-20T13:29:35+08:00`.
    pub create_time: String,
    /// e.g. `TRANSACTION.SUCCESS`, `MEMBERCARDSP.USER_CARD.CREATE`.
    pub event_type: String,
    /// `encrypt-resource`.
    pub resource_type: String,
    /// A human summary, e.g. `支付成功`; a string when present, but not required.
    pub summary: Option<String>,
    /// The encrypted payload.
    pub resource: Resource,
}

/// A verified, decrypted notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// The envelope's fields.
    pub envelope: Envelope,
    /// The verified body, as text (a JSON object).
    pub body: String,
    /// The decrypted resource, as text (a JSON object), wiped when dropped.
    pub resource: Zeroizing<String>,
}

fn body_error(why: impl core::fmt::Display) -> Error {
    Error::new(Code::NotifyBody, format!("notification body {why}"))
}

fn resource_error(why: impl core::fmt::Display) -> Error {
    Error::new(Code::NotifyBody, format!("resource {why}"))
}

/// The name of a JSON value's type, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses one JSON text (RFC 8259, strictly: whatever it accepts, `JSON.parse`
/// accepts too). Nesting is bounded by serde_json's recursion limit (128), so
/// deep input is an error, never a stack overflow; a repeated member keeps
/// its last value, as in `JSON.parse`. Read as bytes, as the certificate
/// list and upload `meta` are: one serde_json reader in the .wasm, not two.
fn parse(text: &str) -> core::result::Result<Value, serde_json::Error> {
    serde_json::from_slice(text.as_bytes())
}

fn string_field(obj: &Value, key: &str, path: &str) -> Result<String> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(body_error(format!("field {path}{key} must be a string, got {}", kind(other)))),
        None => Err(body_error(format!("lacks the field {path}{key}"))),
    }
}

fn optional_string(obj: &Value, key: &str, path: &str) -> Result<Option<String>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => string_field(obj, key, path).map(Some),
    }
}

/// A field that may be left out, but is a string when it is there (`null` included).
fn absent_or_string(obj: &Value, key: &str, path: &str) -> Result<Option<String>> {
    match obj.get(key) {
        None => Ok(None),
        Some(_) => string_field(obj, key, path).map(Some),
    }
}

/// Reads and checks the envelope of a (verified) body.
pub fn envelope(body: &[u8]) -> Result<Envelope> {
    let text = core::str::from_utf8(body).map_err(|_| body_error("is not UTF-8"))?;
    let v = parse(text).map_err(|e| body_error(format!("is not JSON: {e}")))?;
    if !v.is_object() {
        return Err(body_error(format!("must be a JSON object, got {}", kind(&v))));
    }
    let r = v.get("resource").ok_or_else(|| body_error("lacks the field resource"))?;
    if !r.is_object() {
        return Err(body_error(format!("field resource must be an object, got {}", kind(r))));
    }
    let resource = Resource {
        algorithm: string_field(r, "algorithm", "resource.")?,
        ciphertext: string_field(r, "ciphertext", "resource.")?,
        nonce: string_field(r, "nonce", "resource.")?,
        associated_data: optional_string(r, "associated_data", "resource.")?.unwrap_or_default(),
        original_type: optional_string(r, "original_type", "resource.")?,
    };
    Ok(Envelope {
        id: string_field(&v, "id", "")?,
        create_time: string_field(&v, "create_time", "")?,
        event_type: string_field(&v, "event_type", "")?,
        resource_type: string_field(&v, "resource_type", "")?,
        summary: absent_or_string(&v, "summary", "")?,
        resource,
    })
}

/// Decrypts a resource to its plaintext bytes: `ERR_NOTIFY_DECRYPT` for an
/// unknown algorithm, bad base64 or a tag that does not verify. The plaintext
/// is wiped when dropped.
pub fn decrypt_resource(key: &ApiV3Key, r: &Resource) -> Result<Zeroizing<Vec<u8>>> {
    if r.algorithm != aead::ALGORITHM {
        return Err(Error::new(
            Code::NotifyDecrypt,
            format!("resource.algorithm is {}; only {} is supported", shown_algorithm(&r.algorithm), aead::ALGORITHM),
        ));
    }
    aead::decrypt_base64(key, &r.nonce, &r.associated_data, &r.ciphertext)
}

/// An algorithm name, repeated in messages only when it looks like one
/// (`AEAD_AES_128_GCM`, `SM4_GCM`): an APIv3 key pasted in its place (32
/// letters and digits, no `_`) is never.
fn shown_algorithm(name: &str) -> String {
    if name.len() <= 40 && name.contains('_') && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
        crate::error::quoted(name)
    } else {
        format!("not an algorithm name ({} characters)", name.chars().count())
    }
}

/// Decrypts a resource whose plaintext is text (a certificate PEM, JSON...).
pub fn decrypt_text(key: &ApiV3Key, r: &Resource) -> Result<Zeroizing<String>> {
    let mut bytes = decrypt_resource(key, r)?;
    // The buffer moves into the String (no copy); if it is not UTF-8 it comes
    // back to be wiped.
    String::from_utf8(core::mem::take(&mut *bytes)).map(Zeroizing::new).map_err(|e| {
        drop(Zeroizing::new(e.into_bytes()));
        resource_error("decrypts to bytes that are not UTF-8")
    })
}

/// Decrypts a resource whose plaintext must be a JSON object.
pub fn decrypt_json(key: &ApiV3Key, r: &Resource) -> Result<Zeroizing<String>> {
    let text = decrypt_text(key, r)?;
    match parse(&text) {
        Ok(v) if v.is_object() => Ok(text),
        Ok(v) => Err(resource_error(format!("decrypts to {}, not a JSON object", kind(&v)))),
        Err(e) => Err(resource_error(format!("decrypts to text that is not JSON: {e}"))),
    }
}

/// Verifies (signature by `backend`), parses and decrypts a notification.
pub async fn open_with<B: Backend>(
    backend: &B,
    headers: &SignatureHeaders<'_>,
    body: &[u8],
    now: u64,
    keyring: &Keyring,
    key: &ApiV3Key,
) -> Result<Opened> {
    response::verify_with(backend, headers, body, now, keyring, NOTIFY_CODES).await?;
    let envelope = envelope(body)?;
    let resource = decrypt_json(key, &envelope.resource)?;
    // `envelope` succeeded, so the body is UTF-8 (the empty fallback is never taken).
    let body = core::str::from_utf8(body).map(str::to_owned).unwrap_or_default();
    Ok(Opened { envelope, body, resource })
}

/// [`open_with`] on the pure-Rust backend, synchronously.
pub fn open(headers: &SignatureHeaders<'_>, body: &[u8], now: u64, keyring: &Keyring, key: &ApiV3Key) -> Result<Opened> {
    crate::crypto::ready(open_with(&crate::crypto::RustCrypto, headers, body, now, keyring, key))?
}

/// The `code` of every failure answer.
pub const FAIL: &str = "FAIL";

/// The JSON body of a failure answer: `{"code":"FAIL","message":...}`.
pub fn failure_body(message: &str) -> String {
    // Serializing a str cannot fail; were it to, the message is left empty.
    let message = serde_json::to_string(message).unwrap_or_else(|_| "\"\"".into());
    format!("{{\"code\":\"{FAIL}\",\"message\":{message}}}")
}

/// The HTTP status of a failure answer: a whole number from 400 to 599.
pub fn failure_status(status: f64) -> Result<u16> {
    if status.fract() == 0.0 && (400.0..=599.0).contains(&status) {
        // Whole and in range, so the cast is exact.
        Ok(status as u16)
    } else {
        Err(Error::new(Code::InvalidParam, "failure status must be a whole number from 400 to 599"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"id":"EV-2018022511223320873","create_time":"2015-05-20T13:29:35+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"支付成功","resource":{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"8cyLViyNtc/bBmbxDwyAVLDTpT+o","associated_data":"world","nonce":"0123456789ab"}}"#;

    #[test]
    fn reads_the_envelope() {
        let e = envelope(BODY.as_bytes()).unwrap();
        assert_eq!(e.id, "EV-2018022511223320873");
        assert_eq!(e.create_time, "2015-05-20T13:29:35+08:00");
        assert_eq!(e.event_type, "TRANSACTION.SUCCESS");
        assert_eq!(e.resource_type, "encrypt-resource");
        assert_eq!(e.summary.as_deref(), Some("支付成功"));
        assert_eq!(e.resource, Resource {
            algorithm: "AEAD_AES_256_GCM".into(),
            ciphertext: "8cyLViyNtc/bBmbxDwyAVLDTpT+o".into(),
            nonce: "0123456789ab".into(),
            associated_data: "world".into(),
            original_type: Some("transaction".into()),
        });
    }

    #[test]
    fn shape_errors_name_the_field() {
        let cases: [(&str, &str); 10] = [
            ("[]", "must be a JSON object, got an array"),
            ("{\"id\":", "is not JSON"),
            (r#"{"id":"x"}"#, "lacks the field resource"),
            (r#"{"resource":"x"}"#, "field resource must be an object, got a string"),
            (&BODY.replace(r#""id":"EV-2018022511223320873","#, ""), "lacks the field id"),
            (&BODY.replace(r#""summary":"支付成功""#, r#""summary":1"#), "field summary must be a string, got a number"),
            (&BODY.replace(r#""nonce":"0123456789ab""#, r#""nonce":null"#), "field resource.nonce must be a string, got null"),
            (&BODY.replace(r#""ciphertext":"8cyLViyNtc/bBmbxDwyAVLDTpT+o","#, ""), "lacks the field resource.ciphertext"),
            (&BODY.replace(r#""algorithm":"AEAD_AES_256_GCM""#, r#""algorithm":[]"#), "field resource.algorithm must be a string, got an array"),
            (&BODY.replace(r#""original_type":"transaction""#, r#""original_type":7"#), "field resource.original_type must be a string"),
        ];
        for (body, want) in cases {
            let e = envelope(body.as_bytes()).unwrap_err();
            assert_eq!(e.code, Code::NotifyBody, "{body}");
            assert!(e.message.contains(want), "{body}: {}", e.message);
        }
        assert_eq!(envelope(b"\xff{}").unwrap_err().message, "notification body is not UTF-8");
        // associated_data may be absent: it is then empty.
        let e = envelope(BODY.replace(r#""associated_data":"world","#, "").as_bytes()).unwrap();
        assert_eq!(e.resource.associated_data, "");
    }

    /// v3/webhooks does not require `summary`: a notification without it is read
    /// (it was refused `lacks the field summary`); when present it is a string.
    #[test]
    fn summary_may_be_left_out_but_is_a_string_when_present() {
        let without = BODY.replace(r#""summary":"支付成功","#, "");
        assert!(!without.contains("summary"));
        let e = envelope(without.as_bytes()).unwrap();
        assert_eq!(e.summary, None);
        assert_eq!((e.id.as_str(), e.event_type.as_str()), ("EV-2018022511223320873", "TRANSACTION.SUCCESS"));
        assert_eq!(e.resource, envelope(BODY.as_bytes()).unwrap().resource);
        for (value, kind) in [("null", "null"), ("1", "a number"), ("{}", "an object")] {
            let e = envelope(BODY.replace(r#""summary":"支付成功""#, &format!(r#""summary":{value}"#)).as_bytes()).unwrap_err();
            assert_eq!((e.code, e.message.as_str()), (Code::NotifyBody, format!("notification body field summary must be a string, got {kind}").as_str()));
        }
    }

    #[test]
    fn decrypts_only_the_documented_algorithm_to_json_objects() {
        let key = ApiV3Key::new("0123456789abcdef0123456789abcdef").unwrap();
        let r = envelope(BODY.as_bytes()).unwrap().resource;
        assert_eq!(*decrypt_resource(&key, &r).unwrap(), b"hello");
        // "hello" is not JSON: decrypted fine, but not a notification resource.
        let e = decrypt_json(&key, &r).unwrap_err();
        assert_eq!(e.code, Code::NotifyBody);
        assert!(e.message.contains("not JSON"), "{}", e.message);
        let other = Resource { algorithm: "AEAD_AES_128_GCM".into(), ..r };
        let e = decrypt_resource(&key, &other).unwrap_err();
        assert_eq!(e.code, Code::NotifyDecrypt);
        assert!(e.message.contains("\"AEAD_AES_128_GCM\""));
        // An APIv3 key in the algorithm's place is never repeated.
        let key_text = "0123456789abcdefABCDEF0123456789";
        let pasted = Resource { algorithm: key_text.into(), ..other };
        let e = decrypt_resource(&key, &pasted).unwrap_err();
        assert_eq!(e.code, Code::NotifyDecrypt);
        assert!(!e.message.contains(key_text) && e.message.contains("32 characters"), "{}", e.message);
    }

    #[test]
    fn failure_answers() {
        assert_eq!(failure_body("签名错误"), r#"{"code":"FAIL","message":"签名错误"}"#);
        assert_eq!(failure_body("a \"quoted\"\n"), r#"{"code":"FAIL","message":"a \"quoted\"\n"}"#);
        for text in ["", "引号\"和\\反斜杠", "line\nbreak\ttab\r", "\u{1}\u{1f}\u{7f}", "\u{2028}"] {
            let v = parse(&failure_body(text)).unwrap();
            assert_eq!(v.get("message").and_then(Value::as_str), Some(text), "{text:?}");
        }
        assert_eq!(failure_status(500.0).unwrap(), 500);
        assert_eq!(failure_status(400.0).unwrap(), 400);
        assert_eq!(failure_status(599.0).unwrap(), 599);
        for bad in [200.0, 204.0, 399.0, 600.0, 500.5, f64::NAN, f64::INFINITY, -500.0] {
            assert_eq!(failure_status(bad).unwrap_err().code, Code::InvalidParam, "{bad}");
        }
    }

    fn body_with(member: &str) -> String {
        BODY.replacen('{', &format!("{{{member},"), 1)
    }

    #[test]
    fn json_is_read_as_json_parse_reads_it() {
        // A repeated member keeps its last value.
        let e = envelope(body_with(r#""id":"first""#).as_bytes()).unwrap();
        assert_eq!(e.id, "EV-2018022511223320873");
        // Escapes, surrogate pairs and numbers anywhere else.
        let e = envelope(BODY.replace("支付成功", r"\u652f\u4ed8\u6210\u529f \ud83c\udf89\/").as_bytes()).unwrap();
        assert_eq!(e.summary.as_deref(), Some("支付成功 🎉/"));
        assert!(envelope(body_with(r#""amount":{"total":-0.5e+3,"n":[1,2.25E-1,null,true]}"#).as_bytes()).is_ok());
        for bad in [
            "", " ", "{", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "01", "1.", ".5", "-", "1e", "+1", "NaN",
            "Infinity", "tru", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\u{1}b\"", "1 2",
            "{} x", "[1 2]", "{\"a\" 1}",
        ] {
            let e = envelope(bad.as_bytes()).unwrap_err();
            assert!(e.message.starts_with("notification body is not JSON: "), "{bad:?}: {}", e.message);
        }
        assert_eq!(
            envelope(b"oops").unwrap_err().message,
            "notification body is not JSON: expected value at line 1 column 1"
        );
        // A number beyond f64 has no place in serde_json's Value: refused (JSON.parse
        // would give Infinity; WeChat Pay sends none).
        assert!(envelope(body_with(r#""n":1e400"#).as_bytes()).unwrap_err().message.contains("number out of range"));
    }

    #[test]
    fn nesting_is_bounded_not_a_stack_overflow() {
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(envelope(body_with(&format!(r#""deep":{ok}"#)).as_bytes()).is_ok());
        for deep in ["[".repeat(100_000), "{\"a\":".repeat(100_000), format!("{}{}", "[".repeat(129), "]".repeat(129))] {
            let e = envelope(deep.as_bytes()).unwrap_err();
            assert!(e.message.contains("recursion limit exceeded"), "{}", e.message);
        }
    }
}
