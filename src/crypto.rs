//! RSASSA-PKCS1-v1_5 with SHA-256 to sign requests and verify answers,
//! RSAES-OAEP (SHA-1) for sensitive fields. The pure-Rust operations run on
//! [`crate::rsa`]: constant-time, blinded, fault-checked.
//!
//! [`Backend`] is the one seam between the protocol logic and the RSA
//! primitive: the core builds every message and makes every decision; a
//! backend only signs or verifies bytes. [`RustCrypto`] is the portable
//! backend; the binding layer adds one on the runtime's WebCrypto.

use crate::error::{Code, Error, Result};
use crate::keys::{PrivateKey, PublicKey};
use crate::rsa::{oaep, pkcs1v15};

/// An RSASSA-PKCS1-v1_5 SHA-256 and RSAES-OAEP (SHA-1, MGF1-SHA-1, empty
/// label) implementation.
#[allow(async_fn_in_trait)] // single-threaded wasm: no Send bound wanted
pub trait Backend {
    /// Signs `message` with the merchant key.
    async fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>>;
    /// Whether `signature` over `message` verifies under `key`, the key the
    /// configured `serial` names.
    async fn verify(&self, serial: &str, key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<bool>;
    /// OAEP-encrypts `plaintext` (at most the key size less 42 bytes: the
    /// caller checks) under `key`, the platform key `serial` names. By
    /// default the pure-Rust RSA.
    async fn oaep_encrypt(&self, _serial: &str, key: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
        oaep_encrypt(key, plaintext)
    }
    /// OAEP-decrypts `ciphertext` with the merchant key. Any failure may be
    /// any error: the caller turns each into the same one. By default the
    /// pure-Rust RSA.
    async fn oaep_decrypt(&self, key: &PrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>> {
        oaep_decrypt(key, ciphertext)
    }
}

/// The pure-Rust backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCrypto;

impl Backend for RustCrypto {
    async fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
        sign(key, message)
    }

    async fn verify(&self, _serial: &str, key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<bool> {
        Ok(verify(key, message, signature))
    }
}

/// The output of a future that completes without waiting, as every
/// [`RustCrypto`] call does; an error (never a hang) if it would wait.
pub fn ready<F: core::future::Future>(future: F) -> Result<F::Output> {
    use core::task::{Context, Poll, Waker};
    let mut future = core::pin::pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => Ok(v),
        Poll::Pending => Err(Error::new(Code::Crypto, "a synchronous call was given a backend that waits")),
    }
}

/// Signs `message` with the merchant key (SHA-256, PKCS#1 v1.5), blinded
/// and checked with the public exponent before it is returned.
pub fn sign(key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
    pkcs1v15::sign(&key.key, message)
}

/// Whether `signature` is a valid signature of `message` under `key`.
pub fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    pkcs1v15::verify(&key.key, message, signature)
}

/// RSAES-OAEP (SHA-1, MGF1-SHA-1, empty label) encryption under a platform
/// key, as sensitive request fields need. `ERR_INVALID_PARAM` when
/// `plaintext` is longer than the key size less 42 bytes.
pub fn oaep_encrypt(key: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
    oaep::encrypt(&key.key, plaintext)
}

/// RSAES-OAEP (SHA-1, MGF1-SHA-1, empty label) decryption with the merchant
/// key, blinded. Every failure is the same `ERR_CRYPTO` error.
pub fn oaep_decrypt(key: &PrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>> {
    oaep::decrypt(&key.key, ciphertext)
}
