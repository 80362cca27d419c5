//! `notify::open_with` behind a signature that always verifies (the
//! stand-in signer), so every input reaches the envelope and the
//! decryption: (1) the input as the body; (2) the input as the plaintext of
//! a resource sealed here, which opens iff it is a JSON object.
#![no_main]

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::Aes256Gcm;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wxpay_wasm::aead::ApiV3Key;
use wxpay_wasm::notify::{self, Opened};
use wxpay_wasm::response::SignatureHeaders;
use wxpay_wasm::{base64, crypto, Code, Error};
use wxpay_wasm_fuzz::{digest, ring, Digests, APIV3_KEY, NOW, PLATFORM_SERIAL};

const NONCE: &str = "Bq3dLHkJ4xR0cVe8ZtS1mN7pW2yA9fGu";

fn open(body: &[u8]) -> Result<Opened, Error> {
    let message = [format!("{NOW}\n{NONCE}\n").as_bytes(), body, b"\n"].concat();
    let sig = base64::encode(&digest(&message));
    let ts = NOW.to_string();
    let h = SignatureHeaders { timestamp: Some(&ts), nonce: Some(NONCE), signature: Some(&sig), serial: Some(PLATFORM_SERIAL) };
    let key = ApiV3Key::new(APIV3_KEY).expect("fixture key");
    crypto::ready(notify::open_with(&Digests, &h, body, NOW, ring(), &key)).expect("Digests never waits")
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn sealed_body(plaintext: &[u8]) -> String {
    let cipher = Aes256Gcm::new_from_slice(APIV3_KEY.as_bytes()).expect("32 bytes");
    let nonce = "fJuvB2bXpKdU";
    let ct = cipher
        .encrypt(aes_gcm::Nonce::from_slice(nonce.as_bytes()), Payload { msg: plaintext, aad: b"transaction" })
        .expect("encrypts");
    format!(
        r#"{{"id":"EV-1","create_time":"2015-05-20T13:29:35+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"x","resource":{{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"{}","associated_data":"transaction","nonce":"{nonce}"}}}}"#,
        base64::encode(&ct)
    )
}

fuzz_target!(|data: &[u8]| {
    match open(data) {
        Ok(opened) => {
            assert_eq!(opened.body.as_bytes(), data);
            let v: Value = serde_json::from_str(&opened.resource).expect("an opened resource is JSON");
            assert!(v.is_object());
        }
        Err(e) => assert!(matches!(e.code, Code::NotifyBody | Code::NotifyDecrypt), "{e:?}"),
    }
    let body = sealed_body(data);
    let is_object = serde_json::from_slice::<Value>(data).is_ok_and(|v| v.is_object() && depth(&v) <= 64);
    match open(body.as_bytes()) {
        Ok(opened) => {
            assert!(is_object, "opened a resource serde_json does not read as an object");
            assert_eq!(opened.resource.as_bytes(), data);
        }
        Err(e) => {
            assert!(!is_object, "refused a JSON object resource: {e:?}");
            assert_eq!(e.code, Code::NotifyBody, "{e:?}");
        }
    }
});
