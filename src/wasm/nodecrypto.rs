//! The Node backend: RSASSA-PKCS1-v1_5 and RSAES-OAEP (SHA-1) by
//! `node:crypto` (OpenSSL), called synchronously. In Node, WebCrypto's promise machinery costs more CPU than
//! the RSA operation it wraps (about 1.4x for a signature, 3.5x for a
//! verification: see bench/RESULTS.md), so `auto` prefers this where
//! `process.getBuiltinModule('node:crypto')` exists (Node 20.16+, and Bun
//! and Deno which implement it). Keys become `KeyObject`s once, lazily.

use std::cell::{OnceCell, RefCell};

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::boundary::held;
use super::error::describe;
use crate::crypto::Backend;
use crate::error::{Code, Error};

type Result<T> = core::result::Result<T, Error>;
use crate::keys::{PrivateKey, PublicKey};

#[wasm_bindgen]
extern "C" {
    /// The `node:crypto` module.
    #[derive(Clone)]
    pub type NodeCrypto;

    #[wasm_bindgen(method, catch, js_name = createPrivateKey)]
    fn create_private_key(this: &NodeCrypto, options: &Object) -> core::result::Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = createPublicKey)]
    fn create_public_key(this: &NodeCrypto, options: &Object) -> core::result::Result<JsValue, JsValue>;

    /// `crypto.sign(algorithm, data, key)`; `data` is a view of wasm memory,
    /// read synchronously.
    #[wasm_bindgen(method, catch)]
    fn sign(this: &NodeCrypto, algorithm: &JsValue, data: &[u8], key: &JsValue) -> core::result::Result<Uint8Array, JsValue>;

    /// `crypto.verify(algorithm, data, key, signature)`
    #[wasm_bindgen(method, catch)]
    fn verify(this: &NodeCrypto, algorithm: &JsValue, data: &[u8], key: &JsValue, signature: &[u8]) -> core::result::Result<bool, JsValue>;

}

#[wasm_bindgen(raw_module = "./boundary.js")]
extern "C" {
    /// `crypto.privateDecrypt(options, data)` (`decrypt`) or `crypto.publicEncrypt(options, data)`,
    /// its value taken by [`held`] (it throws on a caller's ciphertext: see `held`).
    #[wasm_bindgen(catch, js_name = nodeOaepHeld)]
    fn node_oaep(crypto: &NodeCrypto, decrypt: bool, options: &Object, data: &[u8]) -> core::result::Result<(), JsValue>;

    /// `crypto.sign(algorithm, data, key)` as base64: one call where `sign` and then
    /// `signatureBase64` would be two, and no `Buffer` handed to Rust.
    #[wasm_bindgen(catch, js_name = nodeSignBase64)]
    fn node_sign_base64(crypto: &NodeCrypto, algorithm: &JsValue, data: &[u8], key: &JsValue) -> core::result::Result<String, JsValue>;
}

/// `crypto.constants.RSA_PKCS1_OAEP_PADDING` (OpenSSL's `RSA_PKCS1_OAEP_PADDING`).
const RSA_PKCS1_OAEP_PADDING: u32 = 4;

/// `node:crypto`, where the runtime offers it through `process.getBuiltinModule`.
pub fn node_crypto() -> Option<NodeCrypto> {
    let process = Reflect::get(&js_sys::global(), &"process".into()).ok().filter(|p| p.is_object())?;
    let get: super::js::Callable = Reflect::get(&process, &"getBuiltinModule".into()).ok().filter(|f| f.is_function())?.unchecked_into();
    let module = get.call2(&process, &"node:crypto".into(), &JsValue::UNDEFINED).ok().filter(|m| m.is_object())?;
    let has = |name: &str| Reflect::get(&module, &name.into()).is_ok_and(|f| f.is_function());
    (has("sign") && has("verify") && has("createPrivateKey") && has("createPublicKey")).then(|| module.unchecked_into())
}

fn crypto_error(what: &str, e: &JsValue) -> Error {
    Error::new(Code::Crypto, format!("node:crypto {what} failed: {}", describe(e)))
}

/// `node:crypto` with the `KeyObject`s of one client.
pub struct NodeBackend {
    crypto: NodeCrypto,
    /// `'sha256'`, made once: a string argument is otherwise decoded on every call.
    sha256: JsValue,
    private: OnceCell<JsValue>,
    public: RefCell<Vec<(String, JsValue)>>,
}

impl NodeBackend {
    /// A backend on `crypto`; creates no key yet.
    pub fn new(crypto: NodeCrypto) -> Self {
        NodeBackend { crypto, sha256: JsValue::from_str("sha256"), private: OnceCell::new(), public: RefCell::new(Vec::new()) }
    }

    fn der_options(der: &[u8], kind: &str) -> Object {
        let options = Object::new();
        for (k, v) in [("key", Uint8Array::from(der).into()), ("format", "der".into()), ("type", JsValue::from_str(kind))] {
            let _ = super::boundary::own(&options, k, &v);
        }
        options
    }

    fn private_key(&self, key: &PrivateKey) -> Result<&JsValue> {
        if let Some(k) = self.private.get() {
            return Ok(k);
        }
        let k = self
            .crypto
            .create_private_key(&Self::der_options(key.pkcs8_der(), "pkcs8"))
            .map_err(|e| crypto_error("createPrivateKey", &e))?;
        Ok(self.private.get_or_init(|| k))
    }

    fn public_key(&self, serial: &str, key: &PublicKey) -> Result<JsValue> {
        if let Some((_, k)) = self.public.borrow().iter().find(|(s, _)| s == serial) {
            return Ok(k.clone());
        }
        let k = self
            .crypto
            .create_public_key(&Self::der_options(key.spki_der(), "spki"))
            .map_err(|e| crypto_error("createPublicKey", &e))?;
        self.public.borrow_mut().push((serial.to_string(), k.clone()));
        Ok(k)
    }

    /// The signature node:crypto makes (a `Buffer`).
    fn signature(&self, key: &PrivateKey, message: &[u8]) -> Result<Uint8Array> {
        let key = self.private_key(key)?;
        self.crypto.sign(&self.sha256, message, key).map_err(|e| crypto_error("sign", &e))
    }

    /// What `send` in boundary.js signs a request with, just before its `fetch`
    /// ([`super::boundary::Signer`]): this module, `'sha256'` and the private `KeyObject`.
    pub fn signer(&self, key: &PrivateKey) -> Result<[&JsValue; 3]> {
        Ok([self.crypto.as_ref(), &self.sha256, self.private_key(key)?])
    }

    /// A signature as base64, encoded by the runtime (`Buffer`) several times
    /// faster than by our constant-time encoder (a signature is no secret).
    pub fn sign_base64(&self, key: &PrivateKey, message: &[u8]) -> Result<String> {
        let key = self.private_key(key)?;
        node_sign_base64(&self.crypto, &self.sha256, message, key).map_err(|e| crypto_error("sign", &e))
    }
}

impl Backend for NodeBackend {
    async fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.signature(key, message)?.to_vec())
    }

    async fn verify(&self, serial: &str, key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<bool> {
        let key = self.public_key(serial, key)?;
        self.crypto.verify(&self.sha256, message, &key, signature).map_err(|e| crypto_error("verify", &e))
    }

    async fn oaep_encrypt(&self, serial: &str, key: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
        let key = self.public_key(serial, key)?;
        let ciphertext: Uint8Array = held(node_oaep(&self.crypto, false, &oaep_options(&key), plaintext)).map_err(|e| crypto_error("publicEncrypt", &e))?;
        Ok(ciphertext.to_vec())
    }

    async fn oaep_decrypt(&self, key: &PrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>> {
        let key = self.private_key(key)?;
        // The message names no cause: a padding oracle must learn nothing.
        let plaintext: Uint8Array = held(node_oaep(&self.crypto, true, &oaep_options(key), ciphertext)).map_err(|_| Error::new(Code::Crypto, "OAEP decryption failed"))?;
        // Zero the Buffer once copied: it would linger until collected.
        let out = plaintext.to_vec();
        plaintext.fill(0, 0, plaintext.length());
        Ok(out)
    }
}

/// `{ key, padding: RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }`.
fn oaep_options(key: &JsValue) -> Object {
    let options = Object::new();
    for (k, v) in [("key", key.clone()), ("padding", RSA_PKCS1_OAEP_PADDING.into()), ("oaepHash", "sha1".into())] {
        let _ = super::boundary::own(&options, k, &v);
    }
    options
}
