//! The WebCrypto backend: RSASSA-PKCS1-v1_5 and RSA-OAEP (SHA-1) by the
//! runtime's `crypto.subtle` (OpenSSL in Node, BoringSSL in workerd and
//! Chromium), driven from Rust.
//!
//! Keys are imported once per client and algorithm, lazily, non-extractable;
//! the import promise is cached so concurrent first requests share one
//! import, and the key itself once imported, so later requests do not await
//! anything before their own operation. Messages are passed as views of wasm
//! memory: WebCrypto copies them at call time.

use std::cell::RefCell;

use js_sys::{ArrayBuffer, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use super::driver::wait;
use web_sys::{CryptoKey, SubtleCrypto};

use super::error::describe;
use crate::crypto::Backend;
use crate::error::{Code, Error, Result};
use crate::keys::{PrivateKey, PublicKey};

const ALGORITHM: &str = "RSASSA-PKCS1-v1_5";
/// Sensitive fields: RSAES-OAEP with SHA-1 (and MGF1-SHA-1), empty label.
const OAEP: &str = "RSA-OAEP";

/// A key being imported, or imported.
#[derive(Clone)]
enum Slot {
    Pending(Promise),
    Ready(CryptoKey),
}

/// The keys of one client for one algorithm.
#[derive(Default)]
struct Keys {
    private: RefCell<Option<Slot>>,
    public: RefCell<Vec<(String, Slot)>>,
}

/// `crypto.subtle` with the keys of one client.
pub struct WebCrypto {
    subtle: SubtleCrypto,
    /// For `ALGORITHM` (SHA-256).
    signing: Keys,
    /// For `OAEP` (SHA-1): a WebCrypto key serves one algorithm only.
    oaep: Keys,
}

/// The runtime's `crypto.subtle`, if it has one.
pub fn subtle() -> Option<SubtleCrypto> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok().filter(|c| c.is_object())?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok().filter(|s| s.is_object())?;
    Some(subtle.unchecked_into())
}

fn crypto_error(what: &str, e: &JsValue) -> Error {
    Error::new(Code::Crypto, format!("WebCrypto {what} failed: {}", describe(e)))
}

impl WebCrypto {
    /// A backend on `subtle`; imports nothing yet.
    pub fn new(subtle: SubtleCrypto) -> Self {
        WebCrypto { subtle, signing: Keys::default(), oaep: Keys::default() }
    }

    fn import(&self, format: &str, der: &[u8], usage: &str) -> Result<Promise> {
        let (name, hash) = if usage == "sign" || usage == "verify" { (ALGORITHM, "SHA-256") } else { (OAEP, "SHA-1") };
        let algorithm = Object::new();
        let set = |k: &str, v: &str| super::boundary::own(&algorithm, k, &v.into());
        set("name", name).and_then(|_| set("hash", hash)).map_err(|e| crypto_error("importKey", &e))?;
        let usages = js_sys::Array::of1(&usage.into());
        self.subtle
            .import_key_with_object(format, &Uint8Array::from(der), &algorithm, false, &usages)
            .map_err(|e| crypto_error("importKey", &e))
    }

    async fn key(promise: Promise) -> Result<CryptoKey> {
        let key = wait(promise).await.map_err(|e| crypto_error("importKey", &e))?;
        Ok(key.unchecked_into())
    }

    /// The merchant key for `usage`: `sign` or `decrypt`.
    async fn private_key(&self, key: &PrivateKey, usage: &str) -> Result<CryptoKey> {
        let keys = if usage == "sign" { &self.signing } else { &self.oaep };
        let cached = keys.private.borrow().clone();
        let promise = match cached {
            Some(Slot::Ready(k)) => return Ok(k),
            Some(Slot::Pending(p)) => p,
            None => {
                let p = self.import("pkcs8", key.pkcs8_der(), usage)?;
                *keys.private.borrow_mut() = Some(Slot::Pending(p.clone()));
                p
            }
        };
        // A failed import stays cached as its promise: every use fails alike.
        let k = Self::key(promise).await?;
        *keys.private.borrow_mut() = Some(Slot::Ready(k.clone()));
        Ok(k)
    }

    /// The platform key `serial` for `usage`: `verify` or `encrypt`.
    async fn public_key(&self, serial: &str, key: &PublicKey, usage: &str) -> Result<CryptoKey> {
        let keys = if usage == "verify" { &self.signing } else { &self.oaep };
        let cached = keys.public.borrow().iter().find(|(s, _)| s == serial).map(|(_, p)| p.clone());
        let promise = match cached {
            Some(Slot::Ready(k)) => return Ok(k),
            Some(Slot::Pending(p)) => p,
            None => {
                let p = self.import("spki", key.spki_der(), usage)?;
                keys.public.borrow_mut().push((serial.to_string(), Slot::Pending(p.clone())));
                p
            }
        };
        let k = Self::key(promise).await?;
        if let Some(entry) = keys.public.borrow_mut().iter_mut().find(|(s, _)| s == serial) {
            entry.1 = Slot::Ready(k.clone());
        }
        Ok(k)
    }

    /// The signature WebCrypto makes (an `ArrayBuffer`, viewed).
    async fn signature(&self, key: &PrivateKey, message: &[u8]) -> Result<Uint8Array> {
        let key = self.private_key(key, "sign").await?;
        let promise = self.subtle.sign_with_str_and_u8_array(ALGORITHM, &key, message).map_err(|e| crypto_error("sign", &e))?;
        let signature = wait(promise).await.map_err(|e| crypto_error("sign", &e))?;
        buffer_bytes("sign", &signature)
    }

    /// A signature as base64, encoded by the runtime (`btoa`), faster than by
    /// our constant-time encoder (a signature is no secret).
    pub async fn sign_base64(&self, key: &PrivateKey, message: &[u8]) -> Result<String> {
        super::boundary::signature_base64(&self.signature(key, message).await?).map_err(|e| crypto_error("sign", &e))
    }
}

/// The bytes of what a WebCrypto promise resolved to, an `ArrayBuffer`.
fn buffer_bytes(what: &str, value: &JsValue) -> Result<Uint8Array> {
    if value.is_instance_of::<ArrayBuffer>() {
        Ok(Uint8Array::new(value))
    } else {
        Err(Error::new(Code::Crypto, format!("WebCrypto {what} did not give an ArrayBuffer")))
    }
}

impl Backend for WebCrypto {
    async fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.signature(key, message).await?.to_vec())
    }

    async fn verify(&self, serial: &str, key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<bool> {
        let key = self.public_key(serial, key, "verify").await?;
        let promise = self
            .subtle
            .verify_with_str_and_u8_array_and_u8_array(ALGORITHM, &key, signature, message)
            .map_err(|e| crypto_error("verify", &e))?;
        let ok = wait(promise).await.map_err(|e| crypto_error("verify", &e))?;
        Ok(ok.as_bool() == Some(true))
    }

    async fn oaep_encrypt(&self, serial: &str, key: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
        let key = self.public_key(serial, key, "encrypt").await?;
        let promise = self.subtle.encrypt_with_str_and_u8_array(OAEP, &key, plaintext).map_err(|e| crypto_error("encrypt", &e))?;
        let ciphertext = wait(promise).await.map_err(|e| crypto_error("encrypt", &e))?;
        Ok(buffer_bytes("encrypt", &ciphertext)?.to_vec())
    }

    async fn oaep_decrypt(&self, key: &PrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>> {
        let key = self.private_key(key, "decrypt").await?;
        // The messages name no cause: a padding oracle must learn nothing.
        let fail = |_| Error::new(Code::Crypto, "OAEP decryption failed");
        let promise = self.subtle.decrypt_with_str_and_u8_array(OAEP, &key, ciphertext).map_err(fail)?;
        let plaintext = buffer_bytes("decrypt", &wait(promise).await.map_err(fail)?)?;
        // Zero the ArrayBuffer once copied: it would linger until collected.
        let out = plaintext.to_vec();
        plaintext.fill(0, 0, plaintext.length());
        Ok(out)
    }
}
