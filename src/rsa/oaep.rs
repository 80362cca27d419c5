//! RSAES-OAEP with SHA-1 and MGF1-SHA-1, empty label (RFC 8017 section 7.1):
//! how WeChat Pay wants sensitive request fields encrypted.

use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use super::crt;
use super::key::{RsaPrivateKey, RsaPublicKey};
use crate::error::{Code, Error, Result};

const H: usize = 20;

/// The largest plaintext for a `k`-byte modulus.
pub fn max_plaintext(k: usize) -> usize {
    k.saturating_sub(2 * H + 2)
}

/// XORs `out` with MGF1-SHA-1(`seed`).
fn mgf1_xor(out: &mut [u8], seed: &[u8]) {
    for (counter, chunk) in out.chunks_mut(H).enumerate() {
        let mut h = Sha1::new();
        h.update(seed);
        h.update((counter as u32).to_be_bytes());
        for (o, m) in chunk.iter_mut().zip(h.finalize()) {
            *o ^= m;
        }
    }
}

/// Encrypts `plaintext` under `key` with a fresh random seed.
pub fn encrypt(key: &RsaPublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
    let k = key.size;
    if plaintext.len() > max_plaintext(k) {
        return Err(Error::new(
            Code::InvalidParam,
            format!("OAEP plaintext is {} bytes; this key takes at most {}", plaintext.len(), max_plaintext(k)),
        ));
    }
    // The encoding holds the plaintext and the seed: wiped when dropped.
    let mut em = Zeroizing::new(vec![0u8; k]);
    let (seed, db) = em[1..].split_at_mut(H);
    crate::nonce::fill_random(seed)?;
    db[..H].copy_from_slice(&Sha1::digest(b""));
    let one = db.len() - plaintext.len() - 1;
    db[one] = 1;
    db[one + 1..].copy_from_slice(plaintext);
    mgf1_xor(db, seed);
    mgf1_xor(seed, db);
    let mut c = vec![0u8; k];
    crt::public_op(key, &em, &mut c).ok_or_else(|| Error::new(Code::Crypto, "OAEP encoding out of range"))?;
    Ok(c)
}

/// Decrypts an OAEP ciphertext. Every failure gives the same error, and the
/// padding is checked without branching on secret bytes.
pub fn decrypt(key: &RsaPrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>> {
    let fail = || Error::new(Code::Crypto, "OAEP decryption failed");
    let k = key.public.size;
    if ciphertext.len() != k || k < 2 * H + 2 {
        return Err(fail());
    }
    // The decrypted encoding holds the plaintext: wiped when dropped.
    let mut em = Zeroizing::new(vec![0u8; k]);
    crt::private_op(key, ciphertext, &mut em).map_err(|_| fail())?;
    let (y, rest) = em.split_at_mut(1);
    let (seed, db) = rest.split_at_mut(H);
    mgf1_xor(seed, db);
    mgf1_xor(db, seed);
    let lhash = Sha1::digest(b"");
    // bad != 0 when anything is wrong; `index` is where the message starts.
    let mut bad = u32::from(y[0]);
    for (a, b) in db[..H].iter().zip(lhash.iter()) {
        bad |= u32::from(a ^ b);
    }
    let mut found = 0u32; // 1 once the 0x01 separator was seen
    let mut index = 0u32;
    for (i, &b) in db.iter().enumerate().skip(H) {
        let is_one = ct_eq(b, 1);
        let is_zero = ct_eq(b, 0);
        // Before the separator only zeros may appear.
        let first_one = is_one & !found & 1;
        index |= (i as u32 + 1) & 0u32.wrapping_sub(first_one);
        bad |= !found & !is_zero & !is_one & 1;
        found |= is_one;
    }
    bad |= !found & 1;
    if bad != 0 {
        return Err(fail());
    }
    Ok(db[index as usize..].to_vec())
}

/// 1 when `a == b`, else 0, without branching.
fn ct_eq(a: u8, b: u8) -> u32 {
    let d = u32::from(a ^ b);
    (d.wrapping_sub(1) >> 31) & 1
}
