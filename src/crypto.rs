//! RSASSA-PKCS1-v1_5 with SHA-256: signing requests, verifying answers.
//!
//! [`Backend`] is the one seam between the protocol logic and the RSA
//! primitive: the core builds every message and makes every decision; a
//! backend only signs or verifies bytes. [`RustCrypto`] is the portable
//! backend; the binding layer adds one on the runtime's WebCrypto.

use rsa::Pkcs1v15Sign;
use sha2::{Digest, Sha256};

use crate::error::{Code, Error, Result};
use crate::keys::{PrivateKey, PublicKey};

/// An RSASSA-PKCS1-v1_5 SHA-256 implementation.
#[allow(async_fn_in_trait)] // single-threaded wasm: no Send bound wanted
pub trait Backend {
    /// Signs `message` with the merchant key.
    async fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>>;
    /// Whether `signature` over `message` verifies under `key`, the key the
    /// configured `serial` names.
    async fn verify(&self, serial: &str, key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<bool>;
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

/// Signs `message` with the merchant key, blinded.
pub fn sign(key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
    let digest = Sha256::digest(message);
    key.key
        .sign_with_rng(&mut rsa::rand_core::OsRng, Pkcs1v15Sign::new::<Sha256>(), &digest)
        .map_err(|e| Error::new(Code::Crypto, format!("signing failed: {e}")))
}

/// Whether `signature` is a valid signature of `message` under `key`.
pub fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    let digest = Sha256::digest(message);
    key.key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, signature).is_ok()
}

/// RSAES-OAEP (SHA-1, MGF1-SHA-1, empty label) encryption under a platform
/// key, as sensitive request fields need.
pub fn oaep_encrypt(key: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
    key.key
        .encrypt(&mut rsa::rand_core::OsRng, rsa::Oaep::new::<sha1::Sha1>(), plaintext)
        .map_err(|e| Error::new(Code::Crypto, format!("RSA-OAEP encryption failed: {e}")))
}

/// RSAES-OAEP (SHA-1, MGF1-SHA-1, empty label) decryption with the merchant
/// key, blinded.
pub fn oaep_decrypt(key: &PrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>> {
    key.key
        .decrypt_blinded(&mut rsa::rand_core::OsRng, rsa::Oaep::new::<sha1::Sha1>(), ciphertext)
        .map_err(|_| Error::new(Code::Crypto, "RSA-OAEP decryption failed"))
}
