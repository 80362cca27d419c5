//! The WebCrypto backend: RSASSA-PKCS1-v1_5 by the runtime's `crypto.subtle`
//! (OpenSSL in Node, BoringSSL in workerd and Chromium), driven from Rust.
//!
//! Keys are imported once per client, lazily, non-extractable; the import
//! promise is cached so concurrent first requests share one import. Messages
//! are passed as views of wasm memory: WebCrypto copies them at call time.

use std::cell::RefCell;

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use super::error::describe;
use crate::crypto::Backend;
use crate::error::{Code, Error, Result};
use crate::keys::{PrivateKey, PublicKey};

const ALGORITHM: &str = "RSASSA-PKCS1-v1_5";

/// `crypto.subtle` with the keys of one client.
pub struct WebCrypto {
    subtle: SubtleCrypto,
    private: RefCell<Option<Promise>>,
    public: RefCell<Vec<(String, Promise)>>,
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
        WebCrypto { subtle, private: RefCell::new(None), public: RefCell::new(Vec::new()) }
    }

    fn import(&self, format: &str, der: &[u8], usage: &str) -> Result<Promise> {
        let algorithm = Object::new();
        let set = |k: &str, v: &str| Reflect::set(&algorithm, &k.into(), &v.into());
        set("name", ALGORITHM).and_then(|_| set("hash", "SHA-256")).map_err(|e| crypto_error("importKey", &e))?;
        let usages = js_sys::Array::of1(&usage.into());
        self.subtle
            .import_key_with_object(format, &Uint8Array::from(der), &algorithm, false, &usages)
            .map_err(|e| crypto_error("importKey", &e))
    }

    async fn key(promise: Promise) -> Result<CryptoKey> {
        let key = JsFuture::from(promise).await.map_err(|e| crypto_error("importKey", &e))?;
        Ok(key.unchecked_into())
    }

    async fn private_key(&self, key: &PrivateKey) -> Result<CryptoKey> {
        let cached = self.private.borrow().clone();
        let promise = match cached {
            Some(p) => p,
            None => {
                let p = self.import("pkcs8", key.pkcs8_der(), "sign")?;
                *self.private.borrow_mut() = Some(p.clone());
                p
            }
        };
        Self::key(promise).await
    }

    async fn public_key(&self, serial: &str, key: &PublicKey) -> Result<CryptoKey> {
        let cached = self.public.borrow().iter().find(|(s, _)| s == serial).map(|(_, p)| p.clone());
        let promise = match cached {
            Some(p) => p,
            None => {
                let p = self.import("spki", key.spki_der(), "verify")?;
                self.public.borrow_mut().push((serial.to_string(), p.clone()));
                p
            }
        };
        Self::key(promise).await
    }
}

impl Backend for WebCrypto {
    async fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
        let key = self.private_key(key).await?;
        let promise = self.subtle.sign_with_str_and_u8_array(ALGORITHM, &key, message).map_err(|e| crypto_error("sign", &e))?;
        let signature = JsFuture::from(promise).await.map_err(|e| crypto_error("sign", &e))?;
        Ok(Uint8Array::new(&signature).to_vec())
    }

    async fn verify(&self, serial: &str, key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<bool> {
        let key = self.public_key(serial, key).await?;
        let promise = self
            .subtle
            .verify_with_str_and_u8_array_and_u8_array(ALGORITHM, &key, signature, message)
            .map_err(|e| crypto_error("verify", &e))?;
        let ok = JsFuture::from(promise).await.map_err(|e| crypto_error("verify", &e))?;
        Ok(ok.as_bool() == Some(true))
    }
}
