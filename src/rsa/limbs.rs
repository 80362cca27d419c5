//! Numbers as little-endian 28-bit limbs held in `u64`s, and the
//! constant-time helpers every other file builds on.
//!
//! A product of two limbs fits in 56 bits, so a Montgomery column can sum
//! hundreds of products in one native 64-bit register with no carry chain:
//! that is what makes this fast in wasm, where 64x64->128 multiplies are
//! emulated. Every function here runs the same instructions and touches the
//! same memory whatever the values of its arguments (lengths are public).

/// Bits per limb.
pub const BITS: usize = 28;
/// The low [`BITS`] bits.
pub const MASK: u64 = (1 << BITS) - 1;

/// How many limbs hold `bits` bits.
pub const fn count(bits: usize) -> usize {
    bits.div_ceil(BITS)
}

/// All ones when `bit` (0 or 1) is 1, else zero.
#[inline(always)]
pub fn mask(bit: u64) -> u64 {
    0u64.wrapping_sub(bit)
}

/// Reads big-endian `bytes` into `out`; `false` when the value does not fit.
/// Leading zero bytes are allowed. (Not constant-time in the byte count,
/// which is public.)
pub fn from_be_bytes(bytes: &[u8], out: &mut [u64]) -> bool {
    out.fill(0);
    let mut acc = 0u64;
    let mut acc_bits = 0;
    let mut i = 0;
    let mut overflow = 0u64;
    for &b in bytes.iter().rev() {
        acc |= u64::from(b) << acc_bits;
        acc_bits += 8;
        if acc_bits >= BITS {
            match out.get_mut(i) {
                Some(limb) => *limb = acc & MASK,
                None => overflow |= acc & MASK,
            }
            i += 1;
            acc >>= BITS;
            acc_bits -= BITS;
        }
    }
    match out.get_mut(i) {
        Some(limb) => *limb = acc,
        None => overflow |= acc,
    }
    overflow == 0
}

/// Writes `limbs` as exactly `out.len()` big-endian bytes, dropping bits that
/// do not fit (callers size `out` for the value).
pub fn to_be_bytes(limbs: &[u64], out: &mut [u8]) {
    let mut acc = 0u64;
    let mut acc_bits = 0;
    let mut limbs = limbs.iter();
    for byte in out.iter_mut().rev() {
        if acc_bits < 8 {
            let next = limbs.next().copied().unwrap_or(0);
            acc |= next << acc_bits;
            acc_bits += BITS;
        }
        *byte = acc as u8;
        acc >>= 8;
        acc_bits -= 8;
    }
}

/// The bit length of a (public) number.
pub fn bit_len(limbs: &[u64]) -> usize {
    for (i, &l) in limbs.iter().enumerate().rev() {
        if l != 0 {
            return i * BITS + (64 - l.leading_zeros() as usize);
        }
    }
    0
}

/// The bit length of a (public) big-endian number.
pub fn bit_len_bytes(bytes: &[u8]) -> usize {
    match bytes.iter().position(|&b| b != 0) {
        Some(i) => (bytes.len() - i - 1) * 8 + (8 - bytes[i].leading_zeros() as usize),
        None => 0,
    }
}

/// `out = a - b` over `out.len()` limbs; returns 1 on borrow, else 0.
#[inline]
pub fn sub(out: &mut [u64], a: &[u64], b: &[u64]) -> u64 {
    let mut borrow = 0u64;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let d = x.wrapping_sub(y).wrapping_sub(borrow);
        *o = d & MASK;
        borrow = d >> 63;
    }
    borrow
}

/// `out = a + b` over `out.len()` limbs; returns the carry out of the top limb.
#[inline]
pub fn add(out: &mut [u64], a: &[u64], b: &[u64]) -> u64 {
    let mut carry = 0u64;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let s = x + y + carry;
        *o = s & MASK;
        carry = s >> BITS;
    }
    carry
}

/// `x -= m` when `x >= m`, without branching on the outcome. `tmp` is
/// scratch of the same length.
#[inline]
pub fn reduce_once(x: &mut [u64], m: &[u64], tmp: &mut [u64]) {
    let borrow = sub(tmp, x, m);
    select(x, tmp, mask(borrow ^ 1));
}

/// `x = mask ? y : x`, limb by limb, with `mask` all ones or zero.
#[inline(always)]
pub fn select(x: &mut [u64], y: &[u64], mask: u64) {
    for (a, &b) in x.iter_mut().zip(y) {
        *a ^= (*a ^ b) & mask;
    }
}

/// All ones when `a == b` (same length), else zero; constant-time.
pub fn eq_mask(a: &[u64], b: &[u64]) -> u64 {
    let mut diff = 0u64;
    for (&x, &y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    // diff == 0 -> 1, else 0, without a branch.
    let nonzero = (diff | diff.wrapping_neg()) >> 63;
    mask(nonzero ^ 1)
}

/// Carries every limb into the next, leaving each below 2^28. The carry out
/// of the top limb is returned.
#[inline]
pub fn normalize(x: &mut [u64]) -> u64 {
    let mut carry = 0u64;
    for l in x.iter_mut() {
        let s = *l + carry;
        *l = s & MASK;
        carry = s >> BITS;
    }
    carry
}

/// Secret limbs, overwritten with zeros (by `zeroize`) when dropped,
/// whichever way the function holding them returns. (`Zeroizing` would do;
/// this keeps one copy of the wiping loop in the .wasm, not one per use.)
pub struct Secret(Vec<u64>);

impl Secret {
    /// Takes ownership of `limbs`.
    pub fn new(limbs: Vec<u64>) -> Self {
        Secret(limbs)
    }
}

impl core::ops::Deref for Secret {
    type Target = Vec<u64>;
    fn deref(&self) -> &Vec<u64> {
        &self.0
    }
}

impl core::ops::DerefMut for Secret {
    fn deref_mut(&mut self) -> &mut Vec<u64> {
        &mut self.0
    }
}

impl Drop for Secret {
    #[inline(never)]
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// `len` zero limbs, wiped when dropped.
pub fn secret(len: usize) -> Secret {
    Secret(vec![0; len])
}

/// The product `a * b` into `out` (which must hold `a.len() + b.len()` limbs),
/// normalised. Constant-time; used once per signature for the CRT
/// recombination and at key load.
pub fn mul_wide(out: &mut [u64], a: &[u64], b: &[u64]) {
    out.fill(0);
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (o, &y) in out[i..].iter_mut().zip(b) {
            let s = *o + x * y + carry;
            *o = s & MASK;
            carry = s >> BITS;
        }
        // Rows below this one never reached this limb: it is still zero.
        // The carry is at most 2^28 - 1, a limb.
        if let Some(o) = out.get_mut(i + b.len()) {
            *o = carry;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip() {
        let bytes: Vec<u8> = (1..=64).collect();
        let mut limbs = vec![0; count(512)];
        assert!(from_be_bytes(&bytes, &mut limbs));
        assert!(limbs.iter().all(|&l| l <= MASK));
        let mut back = vec![0; 64];
        to_be_bytes(&limbs, &mut back);
        assert_eq!(back, bytes);
        assert_eq!(bit_len(&limbs), 505);
        // Too big for the limbs given.
        assert!(!from_be_bytes(&[1; 5], &mut [0; 1]));
        assert!(from_be_bytes(&[0, 0, 0, 0x0f, 0xff, 0xff, 0xff], &mut [0; 1]));
    }

    #[test]
    fn sub_add_select() {
        let a = [5, 0, 1];
        let b = [6, 0, 0];
        let mut d = [0; 3];
        assert_eq!(sub(&mut d, &a, &b), 0);
        assert_eq!(d, [MASK, MASK, 0]);
        let mut s = [0; 3];
        assert_eq!(add(&mut s, &d, &b), 0);
        assert_eq!(s, a);
        let mut x = [1, 2, 3];
        let mut tmp = [0; 3];
        reduce_once(&mut x, &[1, 2, 4], &mut tmp);
        assert_eq!(x, [1, 2, 3]);
        reduce_once(&mut x, &[1, 2, 3], &mut tmp);
        assert_eq!(x, [0, 0, 0]);
        assert_eq!(eq_mask(&[1, 2], &[1, 2]), u64::MAX);
        assert_eq!(eq_mask(&[1, 2], &[1, 3]), 0);
    }

    #[test]
    fn wide_product() {
        let a = [MASK, MASK];
        let mut out = [0; 4];
        mul_wide(&mut out, &a, &a);
        // (2^56 - 1)^2 = 2^112 - 2^57 + 1
        assert_eq!(out, [1, 0, MASK - 1, MASK]);
    }
}
