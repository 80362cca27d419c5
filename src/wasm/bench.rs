//! Benchmark exports, only with the `bench` feature (never in the shipped
//! package): our RSA and the `rsa` crate (0.10) side by side on the same key,
//! for bench/rsa.mjs.

use ::rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use ::rsa::sha2::Sha256;
use wasm_bindgen::prelude::*;

use crate::crypto;
use crate::keys::{PrivateKey, PublicKey};

/// One key pair in both implementations.
#[wasm_bindgen]
pub struct BenchKey {
    ours: PrivateKey,
    ours_public: PublicKey,
    theirs: ::rsa::PrivateKey,
    theirs_public: ::rsa::PublicKey,
}

#[wasm_bindgen]
impl BenchKey {
    /// From PKCS#8 and SPKI DER.
    #[wasm_bindgen(constructor)]
    pub fn new(pkcs8: &[u8], spki: &[u8]) -> Result<BenchKey, JsValue> {
        let err = |e: String| JsValue::from_str(&e);
        Ok(BenchKey {
            ours: PrivateKey::parse(pkcs8, "pkcs8").map_err(|e| err(e.to_string()))?,
            ours_public: PublicKey::parse(spki, "spki").map_err(|e| err(e.to_string()))?,
            theirs: ::rsa::PrivateKey::from_pkcs8_der(pkcs8).map_err(|e| err(e.to_string()))?,
            theirs_public: ::rsa::PublicKey::from_public_key_der(spki).map_err(|e| err(e.to_string()))?,
        })
    }

    /// Our signer (blinded, fault-checked).
    pub fn sign_rust(&self, message: &[u8]) -> Result<Vec<u8>, JsValue> {
        crypto::sign(&self.ours, message).map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Our verifier.
    pub fn verify_rust(&self, message: &[u8], signature: &[u8]) -> bool {
        crypto::verify(&self.ours_public, message, signature)
    }

    /// The `rsa` crate, blinded (its default, from the system's random source).
    pub fn sign_rsa_crate(&self, message: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.theirs.pkcs1v15_sign::<Sha256>(message).map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// The `rsa` crate's verifier.
    pub fn verify_rsa_crate(&self, message: &[u8], signature: &[u8]) -> bool {
        self.theirs_public.pkcs1v15_verify::<Sha256>(message, signature).is_ok()
    }

    /// Our OAEP (SHA-1) encryption.
    pub fn oaep_encrypt_rust(&self, plaintext: &[u8]) -> Result<Vec<u8>, JsValue> {
        crypto::oaep_encrypt(&self.ours_public, plaintext).map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Our OAEP (SHA-1) decryption.
    pub fn oaep_decrypt_rust(&self, ciphertext: &[u8]) -> Result<Vec<u8>, JsValue> {
        crypto::oaep_decrypt(&self.ours, ciphertext).map_err(|e| JsValue::from_str(&e.to_string()))
    }
}
