//! Sensitive fields: RSAES-OAEP (SHA-1, MGF1-SHA-1) under the platform key
//! for what a request sends, and under the merchant key for what an answer
//! carries. Base64 on the wire. Every failure is `ERR_INVALID_PARAM` but a
//! missing random source (`ERR_CRYPTO`). The RSA itself is a [`Backend`]'s:
//! [`encrypt_with`] and [`decrypt_with`]; [`encrypt`] and [`decrypt`] use
//! the pure-Rust one.

use crate::crypto::{ready, Backend, RustCrypto};
use crate::error::{Code, Error, Result};
use crate::keys::{PrivateKey, PublicKey};
use zeroize::Zeroizing;

/// OAEP with SHA-1 spends 2 * 20 + 2 bytes of the modulus on padding.
pub const OAEP_SHA1_OVERHEAD: usize = 42;

fn invalid(message: String) -> Error {
    Error::new(Code::InvalidParam, message)
}

/// The base64 ciphertext of `text`'s UTF-8 under `key`, by the pure-Rust RSA.
pub fn encrypt(key: &PublicKey, text: &str) -> Result<String> {
    ready(encrypt_with(&RustCrypto, "", key, text))?
}

/// The UTF-8 text that base64 `ciphertext` decrypts to under `key`, by the
/// pure-Rust RSA, wiped when dropped.
pub fn decrypt(key: &PrivateKey, ciphertext: &str) -> Result<Zeroizing<String>> {
    ready(decrypt_with(&RustCrypto, key, ciphertext))?
}

/// The base64 ciphertext of `text`'s UTF-8 under `key` (the platform key
/// `serial` names), by `backend`.
pub async fn encrypt_with<B: Backend>(backend: &B, serial: &str, key: &PublicKey, text: &str) -> Result<String> {
    let max = key.size().saturating_sub(OAEP_SHA1_OVERHEAD);
    if text.len() > max {
        return Err(invalid(format!(
            "encrypt(text): text is {} bytes of UTF-8; RSA-{} OAEP-SHA1 encrypts at most {max}",
            text.len(),
            key.size() * 8
        )));
    }
    Ok(crate::base64::encode(&backend.oaep_encrypt(serial, key, text.as_bytes()).await?))
}

/// The UTF-8 text that base64 `ciphertext` decrypts to under `key`, by
/// `backend`, wiped when dropped. Every way the decryption fails is the same
/// error.
pub async fn decrypt_with<B: Backend>(backend: &B, key: &PrivateKey, ciphertext: &str) -> Result<Zeroizing<String>> {
    let bytes = crate::base64::decode_public(ciphertext.trim())
        .ok_or_else(|| invalid("decrypt(ciphertext): ciphertext is not valid base64".into()))?;
    if bytes.len() != key.size() {
        return Err(invalid(format!(
            "decrypt(ciphertext): ciphertext is {} bytes; under this RSA-{} merchant key it must be {}",
            bytes.len(),
            key.size() * 8,
            key.size()
        )));
    }
    let plain = backend.oaep_decrypt(key, &bytes).await.map_err(|_| {
        invalid("decrypt(ciphertext): ciphertext does not decrypt under the merchant key (RSAES-OAEP, SHA-1)".into())
    })?;
    String::from_utf8(plain).map(Zeroizing::new).map_err(|e| {
        drop(Zeroizing::new(e.into_bytes()));
        invalid("decrypt(ciphertext): the plaintext is not UTF-8 text".into())
    })
}
