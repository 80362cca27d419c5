//! Nonces: 32 characters of `[0-9A-Za-z]` from the CSPRNG, without modulo bias.

use crate::error::{Code, Error, Result};

/// Length of every nonce we send.
pub const NONCE_LEN: usize = 32;

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Builds a nonce from a byte source. Each byte's low six bits are uniform
/// over 0..64; values 62 and 63 are rejected rather than folded, so every
/// character is equally likely.
pub fn nonce_from<F>(mut fill: F) -> Result<String>
where
    F: FnMut(&mut [u8]) -> Result<()>,
{
    let mut out = String::with_capacity(NONCE_LEN);
    let mut buf = [0u8; 40];
    while out.len() < NONCE_LEN {
        fill(&mut buf)?;
        for b in buf {
            let v = usize::from(b & 63);
            if v < ALPHABET.len() && out.len() < NONCE_LEN {
                out.push(ALPHABET[v] as char);
            }
        }
    }
    Ok(out)
}

/// Fills `buf` from the platform CSPRNG (`crypto.getRandomValues` in JS). Every random byte the
/// crate uses comes from here. A failure is told in our words: getrandom's own `Display` carries
/// every platform's messages (iOS, Windows, RDRAND...), some 600 bytes of the `.wasm`.
pub fn fill_random(buf: &mut [u8]) -> Result<()> {
    use getrandom::Error as E;
    getrandom::getrandom(buf).map_err(|e| {
        let why = if e == E::WEB_CRYPTO || e == E::NODE_CRYPTO || e == E::NODE_ES_MODULE {
            "the runtime has no crypto.getRandomValues"
        } else if e == E::WEB_GET_RANDOM_VALUES || e == E::NODE_RANDOM_FILL_SYNC {
            "crypto.getRandomValues failed"
        } else {
            "the platform gave no random bytes"
        };
        Error::new(Code::Crypto, format!("no secure random source: {why}"))
    })
}

/// A fresh nonce from the platform CSPRNG.
///
/// Random bytes are drawn a few hundred at a time and each byte is used
/// once: in wasm every draw is a call out to `crypto.getRandomValues`.
pub fn nonce() -> Result<String> {
    use std::cell::RefCell;
    thread_local! {
        static POOL: RefCell<([u8; 1024], usize)> = const { RefCell::new(([0; 1024], 1024)) };
    }
    POOL.with(|pool| {
        // Drawing calls `crypto.getRandomValues`, which a caller may have replaced with code
        // that calls the package again: a nonce taken then is drawn afresh, not from the pool.
        let mut pool = pool.try_borrow_mut().ok();
        nonce_from(|buf| {
            let Some((bytes, used)) = pool.as_deref_mut() else {
                return fill_random(buf);
            };
            if bytes.len() - *used < buf.len() {
                fill_random(bytes)?;
                *used = 0;
            }
            buf.copy_from_slice(&bytes[*used..*used + buf.len()]);
            bytes[*used..*used + buf.len()].fill(0);
            *used += buf.len();
            Ok(())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_shape() {
        let n = nonce().unwrap();
        assert_eq!(n.len(), NONCE_LEN);
        assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(n, nonce().unwrap());
    }

    #[test]
    fn rejects_rather_than_folds() {
        // 62 and 63 (low six bits) must be skipped, not mapped onto '0' and '1'.
        let mut calls = 0;
        let n = nonce_from(|b| {
            calls += 1;
            for (i, x) in b.iter_mut().enumerate() {
                *x = if calls == 1 && i < 10 { 62 | 0xC0 } else { 0x41 }; // 0x41 & 63 = 1 -> '1'
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(n, "1".repeat(32));
    }

    #[test]
    fn uniform_enough() {
        // 62 * 32 * 200 characters: every symbol appears, none wildly over-represented.
        let mut counts = [0u32; 62];
        for _ in 0..62 * 200 {
            for b in nonce().unwrap().bytes() {
                let i = ALPHABET.iter().position(|&a| a == b).unwrap();
                counts[i] += 1;
            }
        }
        let expected = 32.0 * 200.0;
        for c in counts {
            assert!((f64::from(c) - expected).abs() < expected * 0.1, "{c} vs {expected}");
        }
    }
}
