//! The least a wasm client can do for one signed GET: build the message and the
//! `Authorization` header in Rust, sign with node:crypto, and verify the answer
//! in Rust with node:crypto; JS fetches. No config reading, no retries, no
//! futures: two calls into wasm per request.

use base64ct::{Base64, Encoding};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "export function b64(u8) { return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64'); }")]
extern "C" {
    fn b64(bytes: &Uint8Array) -> String;
}

#[wasm_bindgen]
extern "C" {
    pub type NodeCrypto;
    #[wasm_bindgen(method, catch)]
    fn sign(this: &NodeCrypto, alg: &JsValue, data: &[u8], key: &JsValue) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn verify(this: &NodeCrypto, alg: &JsValue, data: &[u8], key: &JsValue, sig: &[u8]) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_namespace = Date)]
    fn now() -> f64;
}

#[wasm_bindgen]
pub struct Mini {
    crypto: NodeCrypto,
    key: JsValue,
    public: JsValue,
    sha: JsValue,
    mchid: String,
    serial: String,
}

#[wasm_bindgen]
impl Mini {
    /// `crypto` is node:crypto, `key` and `public` its KeyObjects.
    #[wasm_bindgen(constructor)]
    pub fn new(crypto: NodeCrypto, key: JsValue, public: JsValue, mchid: String, serial: String) -> Mini {
        Mini { crypto, key, public, sha: JsValue::from_str("sha256"), mchid, serial }
    }

    /// The `Authorization` header of a request.
    pub fn authorize(&self, method: &str, path: &str, body: &str) -> Result<String, JsValue> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let ts = (now() / 1000.0) as u64;
        let mut random = [0u8; 16];
        getrandom::getrandom(&mut random).map_err(|_| JsValue::from_str("no random source"))?;
        let nonce: String = random.iter().flat_map(|b| [HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char]).collect();
        let message = format!("{method}\n{path}\n{ts}\n{nonce}\n{body}\n");
        let signature = b64(&self.crypto.sign(&self.sha, message.as_bytes(), &self.key)?);
        Ok(format!(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"{}\",serial_no=\"{}\",timestamp=\"{ts}\",nonce_str=\"{nonce}\",signature=\"{signature}\"",
            self.mchid, self.serial
        ))
    }

    /// Whether `signature` (base64) signs `timestamp\nnonce\nbody\n`.
    pub fn check(&self, timestamp: &str, nonce: &str, signature: &str, body: &[u8]) -> Result<bool, JsValue> {
        let signature = Base64::decode_vec(signature).map_err(|_| JsValue::from_str("signature is not base64"))?;
        let mut m = Vec::with_capacity(timestamp.len() + nonce.len() + body.len() + 3);
        for part in [timestamp.as_bytes(), nonce.as_bytes(), body] {
            m.extend_from_slice(part);
            m.push(b'\n');
        }
        self.crypto.verify(&self.sha, &m, &self.public, &signature)
    }
}
