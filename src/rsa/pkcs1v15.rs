//! RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 section 8.2): the encoding is
//! written once here and shared by every backend.

use sha2::{Digest, Sha256};

use super::crt;
use super::key::{RsaPrivateKey, RsaPublicKey};
use crate::error::{Code, Error, Result};

/// The DER `DigestInfo` prefix for SHA-256 (RFC 8017, section 9.2, note 1);
/// the 32-byte digest follows it.
pub const SHA256_DIGEST_INFO: [u8; 19] =
    [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

/// EMSA-PKCS1-v1_5 encoding of `message` for a `k`-byte modulus:
/// `00 01 FF..FF 00 DigestInfo(SHA-256(message))`. `None` when `k` is too
/// small to hold it (below 62 bytes).
pub fn encode_sha256(message: &[u8], k: usize) -> Option<Vec<u8>> {
    let t_len = SHA256_DIGEST_INFO.len() + 32;
    if k < t_len + 11 {
        return None;
    }
    let mut em = vec![0xffu8; k];
    em[0] = 0;
    em[1] = 1;
    em[k - t_len - 1] = 0;
    em[k - t_len..k - 32].copy_from_slice(&SHA256_DIGEST_INFO);
    em[k - 32..].copy_from_slice(&Sha256::digest(message));
    Some(em)
}

/// Signs `message` (hashed here with SHA-256), blinded and fault-checked.
pub fn sign(key: &RsaPrivateKey, message: &[u8]) -> Result<Vec<u8>> {
    let k = key.public.size;
    let em = encode_sha256(message, k).ok_or_else(|| Error::new(Code::Crypto, "the key is too small for SHA-256 signatures"))?;
    let mut signature = vec![0u8; k];
    crt::private_op(key, &em, &mut signature)?;
    Ok(signature)
}

/// Whether `signature` is a valid signature of `message` under `key`.
/// The signature must be exactly `k` bytes and below the modulus.
pub fn verify(key: &RsaPublicKey, message: &[u8], signature: &[u8]) -> bool {
    let k = key.size;
    if signature.len() != k {
        return false;
    }
    let Some(em) = encode_sha256(message, k) else { return false };
    let mut got = vec![0u8; k];
    crt::public_op(key, signature, &mut got).is_some() && got == em
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_layout() {
        let em = encode_sha256(b"abc", 64).unwrap();
        assert_eq!(&em[..3], [0, 1, 0xff]);
        assert_eq!(em[64 - 52], 0);
        assert_eq!(em[64 - 53], 0xff);
        // SHA-256("abc") starts ba7816bf.
        assert_eq!(&em[64 - 32..64 - 28], [0xba, 0x78, 0x16, 0xbf]);
        assert!(encode_sha256(b"abc", 61).is_none());
    }
}
