//! Standard, padded base64 (RFC 4648 §4), as the protocol uses everywhere.

use base64ct::{Base64, Encoding};

/// Encodes bytes.
pub fn encode(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Decodes canonical padded base64; `None` if it is not. Constant-time in
/// the text's characters (base64ct): for secrets, such as a key's PEM body.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    Base64::decode_vec(text).ok()
}

/// [`decode`] for text that is not secret (a signature): the same texts
/// accepted, the same bytes out, but branching on each character. base64ct's
/// constant-time decoding costs about 150 instructions a character in wasm:
/// for a 344-character signature, a third of a request's wasm instructions.
pub fn decode_public(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    // Up to two `=`; a third, or one anywhere else, is outside the alphabet below.
    let pad = usize::from(text.ends_with(b"=")) + usize::from(text.ends_with(b"=="));
    if text.len() % 4 != 0 {
        return None;
    }
    let body = &text[..text.len() - pad];
    // Four characters to three bytes at a time, written in place (a push per byte was as
    // costly as the decoding); then the last 2 or 3 characters of a padded text.
    let quads = body.chunks_exact(4);
    let rest = quads.remainder();
    let whole = body.len() / 4 * 3;
    let mut out = vec![0; body.len() * 6 / 8];
    let mut bad = 0u8;
    for (quad, bytes) in quads.zip(out.chunks_exact_mut(3)) {
        if let ([a, b, c, d], [x, y, z]) = (quad, bytes) {
            let v = |c: &u8| VALUES[usize::from(*c)];
            let (a, b, c, d) = (v(a), v(b), v(c), v(d));
            bad |= a | b | c | d;
            let word = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
            [*x, *y, *z] = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
        }
    }
    let mut acc = 0u32;
    for &c in rest {
        let v = VALUES[usize::from(c)];
        bad |= v;
        acc = acc << 6 | u32::from(v);
    }
    let bits = rest.len() * 6 % 8;
    match &mut out[whole..] {
        [a] => *a = (acc >> 4) as u8,
        [a, b] => [*a, *b] = [(acc >> 10) as u8, (acc >> 2) as u8],
        _ => {}
    }
    // Canonical: the bits left over after the last byte are zero.
    (bad < 64 && acc & ((1 << bits) - 1) == 0).then_some(out)
}

/// Each byte's value in the standard alphabet, 64 if not in it.
const VALUES: [u8; 256] = {
    let mut t = [64u8; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::{decode, decode_public};

    /// Every shape of the last group, canonical or not, and `=` where it may not stand: the
    /// four-at-a-time loop and the 2- or 3-character tail against the constant-time decoder.
    #[test]
    fn decode_public_tail_shapes() {
        let cases = [
            "", "=", "==", "A===", "AA==", "AB==", "AQ==", "AAA=", "AAB=", "AAE=", "AAAA", "////", "AA=A", "A=AA",
            "=AAA", "AAAAAA==", "AAAAAB==", "AAAAAAA=", "AAAAAAB=", "AAAAAAAA", "AAAA====", "AAA", "AAAAA",
        ];
        for text in cases {
            assert_eq!(decode_public(text), decode(text), "{text:?}");
        }
        assert_eq!(decode_public("AQ=="), Some(vec![1]));
        assert_eq!(decode_public("AAE="), Some(vec![0, 1]));
        assert_eq!(decode_public("AB=="), None, "leftover bits set");
        assert_eq!(decode_public("AAB="), None, "leftover bits set");
        assert_eq!(decode_public("////"), Some(vec![0xff; 3]));
    }
}
