//! Known answers for notifications and sensitive fields, made by Node's
//! `crypto` (see `tests/fixtures/README.md`): a signed, AES-256-GCM encrypted
//! notification, every way it can fail, and RSAES-OAEP in both directions.

use wxpay_wasm::aead::ApiV3Key;
use wxpay_wasm::config;
use wxpay_wasm::keys::{Keyring, PrivateKey, PublicKey};
use wxpay_wasm::notify::{self, Opened};
use wxpay_wasm::response::SignatureHeaders;
use wxpay_wasm::{base64, crypto, sensitive, Code};

const TS: &str = "1554208460";
const NOW: u64 = 1554208460;
const NONCE: &str = "Bq3dLHkJ4xR0cVe8ZtS1mN7pW2yA9fGu";
const PLATFORM_SERIAL: &str = "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

fn ring() -> Keyring {
    let mut ring = Keyring::default();
    ring.insert(PLATFORM_SERIAL.into(), PublicKey::parse(&fixture("platform_cert.pem"), "certs").unwrap());
    ring
}

fn apiv3_key() -> ApiV3Key {
    config::apiv3_key(&text("notify_apiv3_key.txt")).unwrap()
}

struct Case {
    headers: [Option<String>; 4],
    body: Vec<u8>,
    now: u64,
    key: ApiV3Key,
}

impl Case {
    fn good() -> Case {
        Case {
            headers: [Some(TS.into()), Some(NONCE.into()), Some(text("notify_body.sig").trim_end().into()), Some(PLATFORM_SERIAL.into())],
            body: fixture("notify_body.json"),
            now: NOW,
            key: apiv3_key(),
        }
    }

    fn open(&self) -> Result<Opened, wxpay_wasm::Error> {
        let [t, n, sig, serial] = &self.headers;
        let h = SignatureHeaders { timestamp: t.as_deref(), nonce: n.as_deref(), signature: sig.as_deref(), serial: serial.as_deref() };
        notify::open(&h, &self.body, self.now, &ring(), &self.key)
    }

    fn code(&self) -> Code {
        self.open().unwrap_err().code
    }
}

/// Re-sign a changed body with the platform key, so only the change is wrong.
fn resigned(body: &str) -> Case {
    let key = PrivateKey::parse(&fixture("platform_key.pem"), "platform").unwrap();
    let message = format!("{TS}\n{NONCE}\n{body}\n");
    let sig = base64::encode(&crypto::sign(&key, message.as_bytes()).unwrap());
    let mut c = Case::good();
    c.headers[2] = Some(sig);
    c.body = body.as_bytes().to_vec();
    c
}

#[test]
fn nodes_notification_verifies_and_decrypts() {
    let opened = Case::good().open().unwrap();
    assert_eq!(*opened.resource, text("notify_resource.json"));
    assert_eq!(opened.body, text("notify_body.json"));
    let e = &opened.envelope;
    assert_eq!(
        (e.id.as_str(), e.create_time.as_str(), e.event_type.as_str(), e.resource_type.as_str(), e.summary.as_deref()),
        ("EV-2018022511223320873", "2015-05-20T13:29:35+08:00", "TRANSACTION.SUCCESS", "encrypt-resource", Some("支付成功"))
    );
    assert_eq!(e.resource.associated_data, "transaction");
    assert_eq!(e.resource.nonce, "fJuvB2bXpKdU");
    assert_eq!(e.resource.original_type.as_deref(), Some("transaction"));
}

#[test]
fn the_window_is_300_seconds_either_way() {
    for now in [NOW - 300, NOW + 300] {
        assert!(Case { now, ..Case::good() }.open().is_ok(), "{now}");
    }
    for now in [NOW - 301, NOW + 301] {
        assert_eq!(Case { now, ..Case::good() }.code(), Code::NotifyTimestamp, "{now}");
    }
}

#[test]
fn each_missing_header_is_unsigned() {
    for i in 0..4 {
        let mut c = Case::good();
        c.headers[i] = None;
        let e = c.open().unwrap_err();
        assert_eq!(e.code, Code::NotifyUnsigned, "header {i}");
        assert!(e.message.starts_with("unsigned notification: missing Wechatpay-"), "{}", e.message);
    }
}

#[test]
fn signature_failures() {
    // Tampered: one byte of the body changed after signing.
    let mut c = Case::good();
    c.body = text("notify_body.json").replacen("支付成功", "支付失败", 1).into_bytes();
    assert_eq!(c.code(), Code::NotifySignature);
    // Forged: another key's signature (the merchant fixture key).
    let forger = PrivateKey::parse(&fixture("merchant_key.pkcs8.pem"), "k").unwrap();
    let mut message = format!("{TS}\n{NONCE}\n").into_bytes();
    message.extend(fixture("notify_body.json"));
    message.push(b'\n');
    let mut c = Case::good();
    c.headers[2] = Some(base64::encode(&crypto::sign(&forger, &message).unwrap()));
    assert_eq!(c.code(), Code::NotifySignature);
    // SIGNTEST probes never verify.
    let mut c = Case::good();
    c.headers[2] = Some(format!("WECHATPAY/SIGNTEST/{}", text("notify_body.sig").trim_end()));
    assert_eq!(c.code(), Code::NotifySignature);
    // Not base64.
    let mut c = Case::good();
    c.headers[2] = Some("%%%".into());
    assert_eq!(c.code(), Code::NotifySignature);
    // The nonce is part of the signed message.
    let mut c = Case::good();
    c.headers[1] = Some(NONCE.to_lowercase());
    assert_eq!(c.code(), Code::NotifySignature);
}

#[test]
fn serial_and_timestamp_failures() {
    let mut c = Case::good();
    c.headers[3] = Some("7E57000000000000000000000000000000000000".into());
    assert_eq!(c.code(), Code::NotifySerial);
    let mut c = Case::good();
    c.headers[3] = Some(PLATFORM_SERIAL.to_lowercase());
    assert!(c.open().is_ok(), "hex serials match in any case");
    for ts in ["", "abc", "1554208460.0", "-1554208460", " 1554208460"] {
        let mut c = Case::good();
        c.headers[0] = Some(ts.into());
        assert_eq!(c.code(), Code::NotifyTimestamp, "{ts:?}");
    }
}

#[test]
fn decryption_failures() {
    let wrong = Case { key: ApiV3Key::new("wxpayWasmTestApiV3Key0123456789b").unwrap(), ..Case::good() };
    assert_eq!(wrong.code(), Code::NotifyDecrypt);
    let body = text("notify_body.json");
    let ct = body.split("\"ciphertext\":\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let mut raw = base64::decode(&ct).unwrap();
    raw[3] ^= 0x40;
    let corrupted = body.replace(&ct, &base64::encode(&raw));
    let e = resigned(&corrupted).open().unwrap_err();
    assert_eq!(e.code, Code::NotifyDecrypt);
    assert!(e.message.contains("tag does not verify"), "{}", e.message);
    assert_eq!(resigned(&body.replace("\"transaction\",\"nonce\"", "\"transactioN\",\"nonce\"")).code(), Code::NotifyDecrypt);
    assert_eq!(resigned(&body.replace("fJuvB2bXpKdU", "fJuvB2bXpKdu")).code(), Code::NotifyDecrypt);
    assert_eq!(resigned(&body.replace("fJuvB2bXpKdU", "fJuvB2bXpKd")).code(), Code::NotifyDecrypt);
    assert_eq!(resigned(&body.replace(&ct, "@@@@")).code(), Code::NotifyDecrypt);
    assert_eq!(resigned(&body.replace("AEAD_AES_256_GCM", "AEAD_SM4_GCM")).code(), Code::NotifyDecrypt);
    // The control: re-signing alone changes nothing.
    assert!(resigned(&body).open().is_ok());
}

#[test]
fn a_signed_body_of_the_wrong_shape_is_a_body_error() {
    for body in ["", "{}", "[]", "not json", r#"{"id":"x","resource":{}}"#] {
        let e = resigned(body).open().unwrap_err();
        assert_eq!(e.code, Code::NotifyBody, "{body:?}: {}", e.message);
    }
    let body = text("notify_body.json").replace("\"event_type\"", "\"eventType\"");
    let e = resigned(&body).open().unwrap_err();
    assert_eq!(e.code, Code::NotifyBody);
    assert_eq!(e.message, "notification body lacks the field event_type");
}

#[test]
fn apiv3_key_option() {
    assert!(config::apiv3_key("wxpayWasmTestApiV3Key0123456789a").is_ok());
    // Read from a file: its line break, and any spaces around it, are not part of the key.
    for padded in ["wxpayWasmTestApiV3Key0123456789a\n", "wxpayWasmTestApiV3Key0123456789a\r\n", " \twxpayWasmTestApiV3Key0123456789a "] {
        assert!(config::apiv3_key(padded).is_ok(), "{padded:?}");
    }
    let e = config::apiv3_key("wxpayWasmTestApiV3Key0123456789\n").unwrap_err();
    assert!(e.message.ends_with("got 31 bytes"), "the length without the line break: {}", e.message);
    for bad in ["", "short", "wxpayWasmTestApiV3Key0123456789ab", "wxpayWasmTestApiV3Key0123456789é"] {
        let e = config::apiv3_key(bad).unwrap_err();
        assert_eq!(e.code, Code::InvalidConfig);
        assert!(e.message.starts_with("options.apiv3Key must be the 32-character APIv3 key"), "{}", e.message);
        if !bad.is_empty() {
            assert!(!e.message.contains(bad), "the key is never echoed");
        }
    }
}

// ---- RSAES-OAEP ----

fn platform_private() -> PrivateKey {
    PrivateKey::parse(&fixture("platform_key.pem"), "platform").unwrap()
}

#[test]
fn oaep_decrypts_nodes_ciphertext() {
    let got = sensitive::decrypt(&platform_private(), &text("oaep_text.platform.b64")).unwrap();
    assert_eq!(*got, text("oaep_text.txt"));
    assert_eq!(*got, "张三 13800000000");
}

#[test]
fn oaep_round_trips_through_each_key_form() {
    let private = platform_private();
    for name in ["platform_pub.pem", "platform_pub.pkcs1.pem", "platform_cert.pem"] {
        let public = PublicKey::parse(&fixture(name), name).unwrap();
        let c1 = sensitive::encrypt(&public, "13800000000").unwrap();
        let c2 = sensitive::encrypt(&public, "13800000000").unwrap();
        assert_ne!(c1, c2, "OAEP is randomised");
        assert_eq!(base64::decode(&c1).unwrap().len(), 256);
        assert_eq!(*sensitive::decrypt(&private, &c1).unwrap(), "13800000000", "{name}");
    }
}

#[test]
fn oaep_limits_and_bad_input() {
    let public = PublicKey::parse(&fixture("platform_pub.pem"), "p").unwrap();
    let private = platform_private();
    let max = "a".repeat(214);
    assert_eq!(*sensitive::decrypt(&private, &sensitive::encrypt(&public, &max).unwrap()).unwrap(), max);
    let e = sensitive::encrypt(&public, &"a".repeat(215)).unwrap_err();
    assert_eq!(e.code, Code::InvalidParam);
    assert_eq!(e.message, "encrypt(text): text is 215 bytes of UTF-8; RSA-2048 OAEP-SHA1 encrypts at most 214");
    assert_eq!(sensitive::encrypt(&public, "").map(|c| sensitive::decrypt(&private, &c).unwrap()).unwrap().as_str(), "");

    let good = text("oaep_text.platform.b64");
    let mut raw = base64::decode(good.trim()).unwrap();
    raw[100] ^= 1;
    let cases = [
        ("not base64!".to_string(), "not valid base64"),
        (base64::encode(&raw[1..]), "ciphertext is 255 bytes"),
        (base64::encode(&raw), "does not decrypt under the merchant key"),
        (base64::encode(&[0u8; 256]), "does not decrypt under the merchant key"),
        (base64::encode(&[0xffu8; 256]), "does not decrypt under the merchant key"),
    ];
    for (input, want) in cases {
        let e = sensitive::decrypt(&private, &input).unwrap_err();
        assert_eq!(e.code, Code::InvalidParam, "{input}");
        assert!(e.message.contains(want), "{}", e.message);
    }
    // Under the wrong private key.
    let merchant = PrivateKey::parse(&fixture("merchant_key.pkcs8.pem"), "m").unwrap();
    assert_eq!(sensitive::decrypt(&merchant, &good).unwrap_err().code, Code::InvalidParam);
    // Decrypts, but not to text: the same error and message as a bad padding.
    let bytes = crypto::oaep_encrypt(&public, &[0xff, 0xfe]).unwrap();
    let e = sensitive::decrypt(&private, &base64::encode(&bytes)).unwrap_err();
    let padding = sensitive::decrypt(&private, &base64::encode(&raw)).unwrap_err();
    assert_eq!((e.code, &e.message), (padding.code, &padding.message));
    assert_eq!(e.message, "decrypt(ciphertext): ciphertext does not decrypt under the merchant key (RSAES-OAEP, SHA-1)");
}

// ---- wechatpaySerial ----

const PUB_KEY_ID: &str = "PUB_KEY_ID_0119000001092019040200000000000001";

fn keyring(entries: &[(&str, &str)]) -> Keyring {
    config::keyring(entries.iter().map(|(s, f)| (s.to_string(), fixture(f)))
        .collect::<Vec<_>>().iter().map(|(s, b)| (s.clone(), b.as_slice()))).unwrap()
}

#[test]
fn certificate_validity_is_read() {
    let cert = PublicKey::parse(&fixture("platform_cert.pem"), "c").unwrap();
    let (not_before, not_after) = cert.validity.unwrap();
    assert!(not_after - not_before >= 36_499 * 86_400, "{not_before}..{not_after}");
    assert!(PublicKey::parse(&fixture("platform_pub.pem"), "p").unwrap().validity.is_none());
}

/// Within platform_cert.pem's validity (2026-11-27 to 2126-11-03): 2027-01-01.
const IN_EFFECT: i64 = 1_798_761_600;

#[test]
fn wechatpay_serial_defaults() {
    let choose = |ring: &Keyring, now| config::choose_serial(ring, None, now).map(|(s, in_effect)| (s.to_string(), in_effect));
    // A public key id wins, wherever it is.
    let ring = keyring(&[(PLATFORM_SERIAL, "platform_cert.pem"), (PUB_KEY_ID, "platform_pub.pem")]);
    assert_eq!(choose(&ring, IN_EFFECT), Some((PUB_KEY_ID.into(), true)));
    // Otherwise a certificate in effect over a bare key; a bare key over one out of effect.
    let ring = keyring(&[("AAAA", "platform_pub.pem"), (PLATFORM_SERIAL, "platform_cert.pem")]);
    assert_eq!(choose(&ring, IN_EFFECT), Some((PLATFORM_SERIAL.into(), true)));
    assert_eq!(choose(&ring, NOW as i64), Some(("AAAA".into(), true)));
    // No certificate, no id: the first entry, hex in upper case.
    let ring = keyring(&[("abcd", "platform_pub.pem"), ("BBBB", "platform_pub.pkcs1.pem")]);
    assert_eq!(choose(&ring, IN_EFFECT), Some(("ABCD".into(), true)));
}

#[test]
fn wechatpay_serial_given() {
    let ring = keyring(&[(PLATFORM_SERIAL, "platform_cert.pem"), (PUB_KEY_ID, "platform_pub.pem")]);
    assert_eq!(config::wechatpay_serial(&ring, PLATFORM_SERIAL).unwrap(), PLATFORM_SERIAL);
    assert_eq!(config::wechatpay_serial(&ring, &PLATFORM_SERIAL.to_lowercase()).unwrap(), PLATFORM_SERIAL);
    // Given, it is chosen while in effect, over the public key id.
    assert_eq!(config::choose_serial(&ring, Some(PLATFORM_SERIAL), IN_EFFECT), Some((PLATFORM_SERIAL, true)));
    let e = config::wechatpay_serial(&ring, "PUB_KEY_ID_0000").unwrap_err();
    assert_eq!(e.code, Code::InvalidConfig);
    assert_eq!(e.message, format!("options.wechatpaySerial \"PUB_KEY_ID_0000\" is not one of the configured certs ({PLATFORM_SERIAL}, {PUB_KEY_ID})"));
}
