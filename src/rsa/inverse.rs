//! Modular inversion for the blinding factor only.
//!
//! Variable-time on purpose and safe because its input is itself masked: the
//! signer inverts `w = r k mod n` for two fresh random `r`, `k` and recovers
//! `r^-1 = w^-1 k`, so what the timing could reveal (`w`) is independent of
//! `r`. This is Kaliski's almost-inverse on 64-bit words (native in wasm:
//! only shifts, adds and compares), which returns `w^-1 2^k`; the caller
//! removes `2^k` with one Montgomery multiplication.

use zeroize::Zeroizing;

/// `(x, k)` with `x = a^-1 2^k mod m` and `bits(m) <= k <= 2 bits(m)`, for an
/// odd `m` and `0 < a < m`, both little-endian 64-bit words of one length.
/// `None` when `a` has no inverse.
///
/// Kaliski's phase 1 with its runs of halvings batched: after each
/// subtraction the difference is shifted by all its trailing zeros at once.
pub fn almost_inverse(a: &[u64], m: &[u64]) -> Option<(Vec<u64>, usize)> {
    // Wiped when dropped, like every intermediate of the private operation.
    let w = m.len();
    let mut u = Zeroizing::new(m.to_vec());
    let mut v = Zeroizing::new(a.to_vec());
    // r and s stay below 2m: one spare word.
    let mut r = Zeroizing::new(vec![0u64; w + 1]);
    let mut s = Zeroizing::new(vec![0u64; w + 1]);
    s[0] = 1;
    let (mut ulen, mut vlen) = (significant(&u), significant(&v));
    if vlen == 0 {
        return None;
    }
    // Make v odd (r is still zero, so only k counts the halvings).
    let mut k = shr_zeros(&mut v[..vlen]);
    vlen = significant(&v[..vlen]);
    let mut rslen = 1;
    loop {
        let len = ulen.max(vlen);
        if greater(&u[..len], &v[..len]) {
            // u = (u - v) / 2^t, r += s, s *= 2^t.
            sub_in_place(&mut u[..ulen], &v[..ulen]);
            let t = shr_zeros(&mut u[..ulen]);
            ulen = significant(&u[..ulen]);
            rslen = rslen.max(add_in_place(&mut r, &s, rslen));
            rslen = rslen.max(shl(&mut s, t, rslen));
            k += t;
        } else {
            // v = (v - u) / 2^t, s += r, r *= 2^t; v = u ends it (v = 0).
            sub_in_place(&mut v[..vlen], &u[..vlen]);
            rslen = rslen.max(add_in_place(&mut s, &r, rslen));
            if significant(&v[..vlen]) == 0 {
                shl(&mut r, 1, rslen);
                k += 1;
                break;
            }
            let t = shr_zeros(&mut v[..vlen]);
            vlen = significant(&v[..vlen]);
            rslen = rslen.max(shl(&mut r, t, rslen));
            k += t;
        }
    }
    if ulen != 1 || u[0] != 1 {
        return None;
    }
    // r < 2m: bring it below m, then the result is m - r.
    let mut m1 = m.to_vec();
    m1.push(0);
    if !greater(&m1, &r) {
        sub_in_place(&mut r, &m1);
    }
    sub_in_place(&mut m1, &r);
    m1.truncate(w);
    Some((m1, k))
}

fn significant(x: &[u64]) -> usize {
    x.iter().rposition(|&w| w != 0).map_or(0, |i| i + 1)
}

/// `a > b`, same length.
fn greater(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x > y;
        }
    }
    false
}

/// Shifts a nonzero `x` right by its trailing zero bits; returns how many.
fn shr_zeros(x: &mut [u64]) -> usize {
    let words = x.iter().position(|&w| w != 0).unwrap_or(0);
    if words > 0 {
        x.copy_within(words.., 0);
        let n = x.len();
        x[n - words..].fill(0);
    }
    let bits = x[0].trailing_zeros() as usize % 64;
    if bits > 0 {
        let n = x.len();
        for i in 0..n {
            let hi = if i + 1 < n { x[i + 1] << (64 - bits) } else { 0 };
            x[i] = (x[i] >> bits) | hi;
        }
    }
    words * 64 + bits
}

/// `x <<= t` over the first `len` words (the rest are zero); returns the new
/// significant length. `t` may exceed 63.
fn shl(x: &mut [u64], t: usize, len: usize) -> usize {
    let (words, bits) = (t / 64, t % 64);
    let end = (len + words + 1).min(x.len());
    if words > 0 {
        x.copy_within(..end - words, words);
        x[..words].fill(0);
    }
    if bits > 0 {
        for i in (words..end).rev() {
            let lo = if i > words { x[i - 1] >> (64 - bits) } else { 0 };
            x[i] = (x[i] << bits) | lo;
        }
    }
    significant(&x[..end]).max(1)
}

/// `x += y` (y's significant words within `len`); returns the new length.
fn add_in_place(x: &mut [u64], y: &[u64], len: usize) -> usize {
    let end = (len + 1).min(x.len());
    let mut carry = false;
    for i in 0..end {
        let (s1, c1) = x[i].overflowing_add(y[i]);
        let (s2, c2) = s1.overflowing_add(u64::from(carry));
        x[i] = s2;
        carry = c1 | c2;
    }
    significant(&x[..end]).max(1)
}

/// `x -= y` for `x >= y`.
fn sub_in_place(x: &mut [u64], y: &[u64]) {
    let mut borrow = false;
    for (a, &b) in x.iter_mut().zip(y) {
        let (d1, b1) = a.overflowing_sub(b);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *a = d2;
        borrow = b1 | b2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverts_modulo_a_two_word_odd_number() {
        let m: u128 = (1 << 127) - 1; // a Mersenne prime
        for a in [1u128, 2, 3, 12345678901234567890123, m - 1, m - 2] {
            let (x, k) = almost_inverse(&[a as u64, (a >> 64) as u64], &[m as u64, (m >> 64) as u64]).unwrap();
            let x = u128::from(x[0]) | u128::from(x[1]) << 64;
            // x = a^-1 2^k: a x 2^-k = 1 (mod m), and 2^127 = 1 (mod m).
            let mut y = mulmod(a, x, m);
            for _ in 0..(127 - k % 127) % 127 {
                y = mulmod(y, 2, m);
            }
            assert_eq!(y, 1, "a = {a}, k = {k}");
        }
        assert!(almost_inverse(&[6, 0], &[9, 0]).is_none());
    }

    fn mulmod(a: u128, b: u128, m: u128) -> u128 {
        let (mut r, mut a, mut b) = (0u128, a % m, b);
        while b > 0 {
            if b & 1 == 1 {
                r = (r + a) % m;
            }
            a = (a << 1) % m;
            b >>= 1;
        }
        r
    }
}
