//! The RSA operations the client needs: RSASSA-PKCS1-v1_5 with SHA-256 to
//! sign requests and verify answers, RSAES-OAEP (SHA-1) for sensitive fields.
//! All run on [`crate::rsa`]: constant-time, blinded, fault-checked.

use crate::error::Result;
use crate::keys::{PrivateKey, PublicKey};
use crate::rsa::{oaep, pkcs1v15};

/// Signs `message` with the merchant key (SHA-256, PKCS#1 v1.5), blinded.
pub fn sign(key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
    pkcs1v15::sign(&key.key, message)
}

/// Whether `signature` is a valid signature of `message` under `key`.
pub fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    pkcs1v15::verify(&key.key, message, signature)
}

/// Encrypts a sensitive field for WeChat Pay: RSAES-OAEP with SHA-1 and
/// MGF1-SHA-1, empty label. Fails with `ERR_INVALID_PARAM` when `plaintext`
/// is longer than `size - 42` bytes.
pub fn oaep_encrypt(key: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
    oaep::encrypt(&key.key, plaintext)
}

/// Decrypts RSAES-OAEP (SHA-1) ciphertext with the merchant key. Every
/// failure is the same `ERR_CRYPTO` error.
pub fn oaep_decrypt(key: &PrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>> {
    oaep::decrypt(&key.key, ciphertext)
}
