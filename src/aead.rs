//! AEAD_AES_256_GCM, the scheme of notification resources and of the
//! certificates `/v3/certificates` hands out: AES-256-GCM with the merchant's
//! APIv3 key, the resource's `nonce` as IV, `associated_data` as AAD, and the
//! 16-byte tag at the end of the ciphertext.

use aes_gcm::aead::consts::{U12, U16};
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::Aes256;
use aes_gcm::AesGcm;
use zeroize::Zeroizing;

use crate::error::{Code, Error, Result};

/// The algorithm name resources carry.
pub const ALGORITHM: &str = "AEAD_AES_256_GCM";

/// Length of the GCM tag appended to every ciphertext.
pub const TAG_LEN: usize = 16;

/// The merchant's APIv3 key: the 32 bytes of the 32-character string set in
/// the merchant platform. Its `Debug` never shows the key; it is wiped when dropped.
#[derive(Clone)]
pub struct ApiV3Key(Zeroizing<[u8; 32]>);

impl ApiV3Key {
    /// The key from the option's string; `None` unless it is exactly 32 bytes.
    pub fn new(value: &str) -> Option<Self> {
        let bytes: [u8; 32] = value.as_bytes().try_into().ok()?;
        Some(ApiV3Key(Zeroizing::new(bytes)))
    }

    /// A key of exactly 32 raw bytes (an encrypted bill's key).
    pub fn from_bytes(value: &[u8]) -> Option<Self> {
        Some(ApiV3Key(Zeroizing::new(value.try_into().ok()?)))
    }
}

impl core::fmt::Debug for ApiV3Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ApiV3Key(..)")
    }
}

fn open<N>(key: &ApiV3Key, nonce: &[u8], aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>>
where
    N: aes_gcm::aead::generic_array::ArrayLength<u8>,
{
    let cipher = AesGcm::<Aes256, N>::new(GenericArray::from_slice(&key.0[..]));
    cipher.decrypt(GenericArray::from_slice(nonce), Payload { msg: sealed, aad }).ok().map(Zeroizing::new)
}

/// Decrypts `sealed` (ciphertext followed by the tag). The service uses
/// 12-character nonces; 16 bytes are accepted too (GCM derives the counter
/// block by GHASH then), as the protocol's known answers use them. The
/// plaintext is wiped when dropped.
pub fn decrypt(key: &ApiV3Key, nonce: &[u8], aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let fail = |why: &str| Error::new(Code::NotifyDecrypt, format!("{ALGORITHM}: {why}"));
    if sealed.len() < TAG_LEN {
        return Err(fail(&format!("ciphertext is {} bytes, shorter than the {TAG_LEN}-byte tag", sealed.len())));
    }
    let plain = match nonce.len() {
        12 => open::<U12>(key, nonce, aad, sealed),
        16 => open::<U16>(key, nonce, aad, sealed),
        n => return Err(fail(&format!("nonce is {n} bytes; expected 12 (or 16)"))),
    };
    plain.ok_or_else(|| fail("the tag does not verify: wrong APIv3 key, or the ciphertext, nonce or associated_data was altered"))
}

/// Decrypts a base64 `ciphertext` field.
pub fn decrypt_base64(key: &ApiV3Key, nonce: &str, aad: &str, ciphertext: &str) -> Result<Zeroizing<Vec<u8>>> {
    let sealed = crate::base64::decode_public(ciphertext)
        .ok_or_else(|| Error::new(Code::NotifyDecrypt, format!("{ALGORITHM}: ciphertext is not valid base64")))?;
    decrypt(key, nonce.as_bytes(), aad.as_bytes(), &sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";
    const IV: &str = "0123456789abcdef";

    fn key() -> ApiV3Key {
        ApiV3Key::new(KEY).unwrap()
    }

    fn seal<N: aes_gcm::aead::generic_array::ArrayLength<u8>>(nonce: &[u8], aad: &[u8], msg: &[u8]) -> Vec<u8> {
        let cipher = AesGcm::<Aes256, N>::new(GenericArray::from_slice(KEY.as_bytes()));
        cipher.encrypt(GenericArray::from_slice(nonce), Payload { msg, aad }).unwrap()
    }

    // protocol.md, "Known answers".
    #[test]
    fn known_answer_empty() {
        assert_eq!(*decrypt_base64(&key(), IV, "", "GvpmmdtYwexXIPhySs9Tlg==").unwrap(), b"");
        assert_eq!(crate::base64::encode(&seal::<U16>(IV.as_bytes(), b"", b"")), "GvpmmdtYwexXIPhySs9Tlg==");
    }

    #[test]
    fn known_answer_hello_world() {
        assert_eq!(*decrypt_base64(&key(), IV, "world", "APoZlYpivU3HjbAiB4CvW1rAFr8J").unwrap(), b"hello");
        assert_eq!(crate::base64::encode(&seal::<U16>(IV.as_bytes(), b"world", b"hello")), "APoZlYpivU3HjbAiB4CvW1rAFr8J");
    }

    // Made with node:crypto: createCipheriv('aes-256-gcm', KEY, '0123456789ab'), AAD 'world'.
    #[test]
    fn known_answer_twelve_byte_nonce() {
        assert_eq!(*decrypt_base64(&key(), "0123456789ab", "world", "8cyLViyNtc/bBmbxDwyAVLDTpT+o").unwrap(), b"hello");
    }

    #[test]
    fn every_alteration_fails_with_the_decrypt_code() {
        let sealed = seal::<U12>(b"0123456789ab", b"transaction", b"{\"a\":1}");
        assert_eq!(*decrypt(&key(), b"0123456789ab", b"transaction", &sealed).unwrap(), b"{\"a\":1}");
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert_eq!(decrypt(&key(), b"0123456789ab", b"transaction", &bad).unwrap_err().code, Code::NotifyDecrypt, "byte {i}");
        }
        let wrong = ApiV3Key::new("0123456789abcdef0123456789abcdeF").unwrap();
        assert_eq!(decrypt(&wrong, b"0123456789ab", b"transaction", &sealed).unwrap_err().code, Code::NotifyDecrypt);
        assert_eq!(decrypt(&key(), b"0123456789aB", b"transaction", &sealed).unwrap_err().code, Code::NotifyDecrypt);
        assert_eq!(decrypt(&key(), b"0123456789ab", b"transactioN", &sealed).unwrap_err().code, Code::NotifyDecrypt);
        assert_eq!(decrypt(&key(), b"0123456789ab", b"transaction", &sealed[..15]).unwrap_err().code, Code::NotifyDecrypt);
        assert_eq!(decrypt(&key(), b"0123456789ab", b"transaction", &sealed[1..]).unwrap_err().code, Code::NotifyDecrypt);
    }

    #[test]
    fn odd_nonces_and_base64_are_errors_not_panics() {
        for n in [0usize, 1, 11, 13, 15, 17, 64] {
            let e = decrypt(&key(), &vec![b'a'; n], b"", &[0; 32]).unwrap_err();
            assert_eq!(e.code, Code::NotifyDecrypt);
            assert!(e.message.contains(&format!("nonce is {n} bytes")), "{}", e.message);
        }
        assert_eq!(decrypt_base64(&key(), IV, "", "not base64!").unwrap_err().code, Code::NotifyDecrypt);
        assert!(decrypt_base64(&key(), IV, "", "").unwrap_err().message.contains("shorter than"));
    }

    #[test]
    fn key_length_and_debug() {
        assert!(ApiV3Key::new(&"a".repeat(31)).is_none());
        assert!(ApiV3Key::new(&"a".repeat(33)).is_none());
        // 32 characters but 33 bytes: the key is bytes.
        assert!(ApiV3Key::new(&format!("é{}", "a".repeat(31))).is_none());
        assert_eq!(format!("{:?}", key()), "ApiV3Key(..)");
    }
}
