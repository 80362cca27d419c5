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
/// `backend`, wiped when dropped. Every way the decryption itself fails (the
/// padding, or a plaintext that is not UTF-8) is the same error and message.
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
    // A plaintext that is not UTF-8 fails as a bad padding does: one error, one message.
    let undecryptable =
        || invalid("decrypt(ciphertext): ciphertext does not decrypt under the merchant key (RSAES-OAEP, SHA-1)".into());
    let plain = backend.oaep_decrypt(key, &bytes).await.map_err(|_| undecryptable())?;
    String::from_utf8(plain).map(Zeroizing::new).map_err(|e| {
        drop(Zeroizing::new(e.into_bytes()));
        undecryptable()
    })
}

/// How many recent ciphertexts [`Recent`] remembers the platform serial of (16 bytes each).
pub const RECENT: usize = 4096;

/// The platform certificate each recent `encrypt` used, so that a request carrying its
/// ciphertext names that certificate as `Wechatpay-Serial` even when a rotation has moved
/// the default on in between (the service decrypts under the certificate the request names).
/// Holds a 64-bit hash of each ciphertext, not the ciphertext, in a ring of [`RECENT`].
#[derive(Default)]
pub struct Recent {
    serials: Vec<String>,
    /// How many of `entries` each of `serials` has.
    counts: Vec<usize>,
    entries: Vec<(u64, usize)>,
    /// Once `entries` is full: the oldest, which the next record replaces.
    next: usize,
}

/// FNV-1a, 64 bits: OAEP ciphertexts are random, so any fair hash tells them apart.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

impl Recent {
    /// Whether nothing was encrypted yet (the check every request makes).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Remembers that `ciphertext` (base64) was made under `serial`; the oldest of more
    /// than [`RECENT`] is forgotten.
    pub fn record(&mut self, ciphertext: &str, serial: &str) {
        let index = match self.serials.iter().position(|s| s == serial) {
            Some(i) => i,
            None => {
                self.serials.push(serial.to_owned());
                self.counts.push(0);
                self.serials.len() - 1
            }
        };
        let entry = (fnv(ciphertext.as_bytes()), index);
        if self.entries.len() < RECENT {
            self.entries.push(entry);
        } else {
            self.counts[self.entries[self.next].1] -= 1;
            self.entries[self.next] = entry;
            self.next = (self.next + 1) % RECENT;
        }
        self.counts[index] += 1;
    }

    /// The serial a request whose body is `body` must name, when it is not `current`: the
    /// one its remembered ciphertexts were made under. None when it carries none, or only
    /// ones made under `current`. Ciphertexts under two certificates in one body cannot
    /// all be decrypted: `ERR_INVALID_PARAM`, naming the serials (not secrets).
    pub fn pinned(&self, body: &[u8], current: Option<&str>) -> Result<Option<String>> {
        // Nothing to look for while every remembered ciphertext is under `current` (always,
        // until a rotation; again once the older ones are forgotten).
        if self.serials.iter().zip(&self.counts).all(|(s, &n)| n == 0 || Some(s.as_str()) == current) {
            return Ok(None);
        }
        let mut found: Option<usize> = None;
        // Every maximal run of base64 characters as long as an RSA-1024 ciphertext or longer,
        // whole quads, is a candidate: in JSON a ciphertext is a whole string value, and its
        // quotes end the run. (The bound keeps a large body's scan short: few runs qualify.)
        let base64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
        for run in body.split(|b| !base64(b)).filter(|run| run.len() >= 172 && run.len() % 4 == 0) {
            let hash = fnv(run);
            if let Some(&(_, index)) = self.entries.iter().find(|(h, _)| *h == hash) {
                match found {
                    Some(f) if f != index => {
                        // Serials as config shows them: one of another shape could be a secret.
                        let shown = |s: &str| if crate::config::shown_serial(s) { s.to_owned() } else { "(a serial not shown)".into() };
                        return Err(invalid(format!(
                            "the request body carries fields encrypted under two platform certificates ({} and {}): encrypt them again, under one",
                            shown(&self.serials[f]),
                            shown(&self.serials[index])
                        )));
                    }
                    _ => found = Some(index),
                }
            }
        }
        Ok(found.map(|i| &self.serials[i]).filter(|s| Some(s.as_str()) != current).cloned())
    }
}

#[cfg(test)]
mod recent_tests {
    use super::*;

    const A: &str = "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";
    const B: &str = "6257F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E02";

    fn cipher(seed: u8) -> String {
        crate::base64::encode(&[seed; 256])
    }

    /// The `i`th of many distinct ciphertext-shaped strings.
    fn numbered(i: usize) -> String {
        crate::base64::encode(&(i as u64).to_be_bytes().repeat(32))
    }

    #[test]
    fn nothing_recorded_or_all_under_current_pins_nothing() {
        let mut r = Recent::default();
        assert!(r.is_empty());
        assert_eq!(r.pinned(b"{}", Some(A)).unwrap(), None);
        r.record(&cipher(1), A);
        let body = format!("{{\"name\":\"{}\"}}", cipher(1));
        assert_eq!(r.pinned(body.as_bytes(), Some(A)).unwrap(), None);
    }

    #[test]
    fn a_ciphertext_made_before_a_rotation_pins_its_serial() {
        let mut r = Recent::default();
        r.record(&cipher(1), A);
        let body = format!("{{\"name\":\"{}\",\"n\":1}}", cipher(1));
        assert_eq!(r.pinned(body.as_bytes(), Some(B)).unwrap().as_deref(), Some(A));
        assert_eq!(r.pinned(body.as_bytes(), None).unwrap().as_deref(), Some(A));
        // A body without it, or with a ciphertext never recorded: the current one.
        assert_eq!(r.pinned(b"{\"name\":\"plain\"}", Some(B)).unwrap(), None);
        let other = format!("{{\"name\":\"{}\"}}", cipher(2));
        assert_eq!(r.pinned(other.as_bytes(), Some(B)).unwrap(), None);
        // Part of a longer run is not the ciphertext.
        let longer = format!("{{\"name\":\"{}AAAA\"}}", cipher(1));
        assert_eq!(r.pinned(longer.as_bytes(), Some(B)).unwrap(), None);
        // Two fields under the same old certificate: still that one.
        r.record(&cipher(3), A);
        let two = format!("[\"{}\",\"{}\"]", cipher(1), cipher(3));
        assert_eq!(r.pinned(two.as_bytes(), Some(B)).unwrap().as_deref(), Some(A));
    }

    #[test]
    fn ciphertexts_under_two_certificates_in_one_body_are_refused() {
        let mut r = Recent::default();
        r.record(&cipher(1), A);
        r.record(&cipher(2), B);
        let body = format!("{{\"a\":\"{}\",\"b\":\"{}\"}}", cipher(1), cipher(2));
        for current in [Some(A), Some(B), None] {
            let e = r.pinned(body.as_bytes(), current).unwrap_err();
            assert_eq!(e.code, Code::InvalidParam);
            assert!(e.to_string().contains(A) && e.to_string().contains(B), "{e}");
        }
        // A serial of another shape (a 32-character APIv3 key given as a certs key) is not repeated.
        let secret = "0123456789abcdef0123456789abcdef";
        let mut r2 = Recent::default();
        r2.record(&cipher(1), A);
        r2.record(&cipher(2), secret);
        let e = r2.pinned(body.as_bytes(), Some(A)).unwrap_err();
        assert!(e.message.contains(A) && !e.message.contains(secret), "{e}");
        // Under B now, a body with B's only is sent as it is.
        let only_b = format!("{{\"b\":\"{}\"}}", cipher(2));
        assert_eq!(r.pinned(only_b.as_bytes(), Some(B)).unwrap(), None);
    }

    #[test]
    fn the_oldest_is_forgotten_past_the_bound() {
        let mut r = Recent::default();
        r.record(&cipher(0), A);
        for i in 0..RECENT {
            r.record(&numbered(i), B);
        }
        assert_eq!(r.entries.len(), RECENT);
        assert_eq!(r.counts, [0, RECENT]);
        let body = format!("\"{}\"", cipher(0));
        assert_eq!(r.pinned(body.as_bytes(), Some(B)).unwrap(), None, "forgotten: the current serial");
        let last = format!("\"{}\"", numbered(RECENT - 1));
        assert_eq!(r.pinned(last.as_bytes(), Some(A)).unwrap().as_deref(), Some(B));
        // The ring goes round: the next record replaces the oldest left (numbered(0)), not the newest.
        r.record(&cipher(9), A);
        assert_eq!(r.counts, [1, RECENT - 1]);
        let first = format!("\"{}\"", numbered(0));
        assert_eq!(r.pinned(first.as_bytes(), Some(A)).unwrap(), None, "forgotten");
        let second = format!("\"{}\"", numbered(1));
        assert_eq!(r.pinned(second.as_bytes(), Some(A)).unwrap().as_deref(), Some(B));
        let newest = format!("\"{}\"", cipher(9));
        assert_eq!(r.pinned(newest.as_bytes(), Some(B)).unwrap().as_deref(), Some(A));
        // Round once more with B: A's one entry goes, and a body with nothing of A's is not scanned.
        for i in 0..RECENT {
            r.record(&numbered(RECENT + i), B);
        }
        assert_eq!(r.counts, [0, RECENT]);
        assert_eq!(r.pinned(newest.as_bytes(), Some(B)).unwrap(), None);
    }

    #[test]
    fn a_transfer_batch_of_thousands_encrypted_before_a_rotation_pins_its_serial() {
        // 3,000 names under A, then the rotation: a body with all of them names A, and one
        // mixing in a name encrypted under B since is refused.
        let mut r = Recent::default();
        let names: Vec<String> = (0..3000).map(numbered).collect();
        for n in &names {
            r.record(n, A);
        }
        let body = format!("[{}]", names.iter().map(|n| format!("{{\"user_name\":\"{n}\"}}")).collect::<Vec<_>>().join(","));
        assert_eq!(r.pinned(body.as_bytes(), Some(B)).unwrap().as_deref(), Some(A));
        r.record(&cipher(7), B);
        let mixed = format!("{body},\"{}\"", cipher(7));
        assert_eq!(r.pinned(mixed.as_bytes(), Some(B)).unwrap_err().code, Code::InvalidParam);
    }
}
