//! File digests: the `hash_type` / `hash_value` a bill or receipt answer
//! carries (SHA1 for bills, SHA256 or SM3 for transfer receipts), checked as
//! the bytes stream past, and the SHA-1 a statement's header announces.
//!
//! A bill's digest covers the bill itself: for a GZIP bill, the decompressed
//! bytes (the service documents `hash_value` as the digest of the original
//! bill, to be checked after decompressing); for an encrypted one, the
//! plaintext.

use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use sm3::Sm3;

use crate::error::{Code, Error, Result};

enum State {
    Sha1(Sha1),
    Sha256(Sha256),
    Sm3(Sm3),
}

/// A running digest and the value it must end at.
pub struct Digest {
    state: State,
    expected: Vec<u8>,
}

/// The bytes of a hex string of either case; `None` if it is not hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let t = text.as_bytes();
    if t.len() % 2 != 0 {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    t.chunks(2).map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?)).collect()
}

impl Digest {
    /// A digest of `hash_type` (`SHA1`, `SHA256` or `SM3`, any case) that must end
    /// at the hex `hash_value`; `ERR_INVALID_PARAM` otherwise.
    pub fn new(hash_type: &str, hash_value: &str) -> Result<Self> {
        let (state, len) = if hash_type.eq_ignore_ascii_case("SHA1") {
            (State::Sha1(Sha1::new()), 20)
        } else if hash_type.eq_ignore_ascii_case("SHA256") {
            (State::Sha256(Sha256::new()), 32)
        } else if hash_type.eq_ignore_ascii_case("SM3") {
            (State::Sm3(Sm3::new()), 32)
        } else {
            return Err(Error::new(Code::InvalidParam, "download(data): hash_type must be SHA1, SHA256 or SM3"));
        };
        let expected = unhex(hash_value.trim())
            .filter(|v| v.len() == len)
            .ok_or_else(|| Error::new(Code::InvalidParam, "download(data): hash_value is not the hex digest hash_type names"))?;
        Ok(Digest { state, expected })
    }

    /// Adds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.state {
            State::Sha1(h) => h.update(bytes),
            State::Sha256(h) => h.update(bytes),
            State::Sm3(h) => h.update(bytes),
        }
    }

    /// Which SHA a runtime's own hash may compute: 1 or 256; 0 for SM3,
    /// which only Rust computes (WebCrypto has none).
    pub fn sha(&self) -> u32 {
        match self.state {
            State::Sha1(_) => 1,
            State::Sha256(_) => 256,
            State::Sm3(_) => 0,
        }
    }

    /// Whether `got`, a digest computed elsewhere of the same bytes, is the
    /// expected value.
    pub fn is_expected(&self, got: &[u8]) -> bool {
        got == self.expected
    }

    /// Whether everything added matches the expected value.
    pub fn matches(self) -> bool {
        let got = match self.state {
            State::Sha1(h) => h.finalize().to_vec(),
            State::Sha256(h) => h.finalize().to_vec(),
            State::Sm3(h) => h.finalize().to_vec(),
        };
        got == self.expected
    }
}

/// `ERR_DIGEST_MISMATCH`.
pub fn mismatch() -> Error {
    Error::new(Code::DigestMismatch, "the file's digest does not match the hash_value its answer gave")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_across_chunks() {
        // SHA-1("abc")
        let mut d = Digest::new("SHA1", "A9993E364706816ABA3E25717850C26C9CD0D89D").unwrap();
        assert_eq!(d.sha(), 1);
        d.update(b"a");
        d.update(b"bc");
        assert!(d.matches());
        let mut d = Digest::new("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d").unwrap();
        d.update(b"abd");
        assert!(!d.matches());
    }

    #[test]
    fn sha256() {
        let mut d = Digest::new("SHA256", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD").unwrap();
        assert_eq!(d.sha(), 256);
        let expected = unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").unwrap();
        assert!(d.is_expected(&expected));
        assert!(!d.is_expected(&expected[1..]));
        d.update(b"abc");
        assert!(d.matches());
    }

    #[test]
    fn sm3() {
        // GB/T 32905-2016, example 1: SM3("abc").
        let v = "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0";
        let mut d = Digest::new("SM3", v).unwrap();
        assert_eq!(d.sha(), 0);
        d.update(b"ab");
        d.update(b"c");
        assert!(d.matches());
        // Example 2: "abcd" sixteen times, fed unevenly.
        let v = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732";
        let mut d = Digest::new("sm3", v).unwrap();
        let text = b"abcd".repeat(16);
        d.update(&text[..5]);
        d.update(&text[5..]);
        assert!(d.matches());
        let mut d = Digest::new("SM3", v).unwrap();
        d.update(&text[1..]);
        assert!(!d.matches());
        // A SHA-1 sized value under SM3.
        assert_eq!(Digest::new("SM3", "a9993e364706816aba3e25717850c26c9cd0d89d").err().map(|e| e.code), Some(Code::InvalidParam));
    }

    #[test]
    fn bad_inputs_are_refused() {
        assert_eq!(Digest::new("MD5", "00").err().map(|e| e.code), Some(Code::InvalidParam));
        assert_eq!(Digest::new("SHA1", "zz").err().map(|e| e.code), Some(Code::InvalidParam));
        // A SHA-256 value under SHA1.
        let v = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(Digest::new("SHA1", v).err().map(|e| e.code), Some(Code::InvalidParam));
        assert_eq!(unhex("0aF"), None);
        assert_eq!(unhex("0aFf"), Some(vec![0x0a, 0xff]));
    }
}
