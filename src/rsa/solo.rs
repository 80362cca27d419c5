//! One Montgomery exponentiation on wasm SIMD: the general path (the public
//! exponent, and CRT halves of unequal limb counts).
//!
//! The limbs of one number are consecutive `u32`s; a right-hand operand is
//! also stored from its top limb down. One 128-bit load of each gives four
//! consecutive terms `a_i b_(k-i)` of a Comba column: two per `extmul`. The
//! lanes are added at the end of the column, the Montgomery digit is scalar.
//!
//! Every buffer starts with [`PAD`] zero limbs: a column's terms start where
//! `a` or `b` is at its first limb, so up to three more terms below read
//! zeros, and every column runs in whole groups of four.

use zeroize::{Zeroize, Zeroizing};

use super::exp::{window, WINDOW};
use super::limbs::{self, BITS, MASK};
use super::montgomery::Modulus;
use super::v128::V;

/// Zero limbs before the first.
const PAD: usize = 4;

/// Storage for `L` limbs: pad, limbs, room for a load at the last, whole vectors.
fn width(l: usize) -> usize {
    (PAD + l + 4).next_multiple_of(4)
}

/// One number in both orders; wiped when dropped.
#[derive(Clone)]
struct Solo {
    fwd: Vec<u32>,
    rev: Vec<u32>,
}

impl Solo {
    fn new(l: usize) -> Self {
        Solo { fwd: vec![0; width(l)], rev: vec![0; width(l)] }
    }

    fn from_limbs(x: &[u64]) -> Self {
        let mut s = Solo::new(x.len());
        for (f, &v) in s.fwd[PAD..].iter_mut().zip(x) {
            *f = v as u32;
        }
        s.mirror(x.len());
        s
    }

    #[inline(always)]
    fn mirror(&mut self, l: usize) {
        for j in 0..l {
            self.rev[PAD + j] = self.fwd[PAD + l - 1 - j];
        }
    }

    fn limbs(&self, l: usize) -> Zeroizing<Vec<u64>> {
        Zeroizing::new(self.fwd[PAD..PAD + l].iter().map(|&v| u64::from(v)).collect())
    }

}

impl Drop for Solo {
    fn drop(&mut self) {
        self.fwd.zeroize();
        self.rev.zeroize();
    }
}

/// `sum a_(i0+t) b_(k-i0-t)` for `t < count`: `a` forward from limb `i0`,
/// `b` reversed from position `j0`; a count not a multiple of four starts
/// lower, on the zero pad.
#[inline(always)]
fn dot(a: &[u32], i0: usize, b: &[u32], j0: usize, count: usize) -> u64 {
    let extra = count.wrapping_neg() & 3;
    let (mut ia, mut ib) = (PAD + i0 - extra, PAD + j0 - extra);
    let (mut s0, mut s1) = (V::zero(), V::zero());
    for _ in 0..count.div_ceil(4) {
        let x = V::load(a, ia);
        let y = V::load(b, ib);
        s0 = s0.add(x.mul_lo(y));
        s1 = s1.add(x.mul_hi(y));
        ia += 4;
        ib += 4;
    }
    let [x, y] = s0.add(s1).lanes();
    x + y
}

/// The modulus, reversed, with its constants.
struct Ctx<'a> {
    m: &'a Modulus,
    n_rev: Vec<u32>,
}

impl Drop for Ctx<'_> {
    fn drop(&mut self) {
        self.n_rev.zeroize();
    }
}

impl<'a> Ctx<'a> {
    fn new(m: &'a Modulus) -> Self {
        let mut s = Solo::from_limbs(&m.m);
        let n_rev = core::mem::take(&mut s.rev);
        Ctx { m, n_rev }
    }

    /// One column's Montgomery step; see `montgomery::Modulus::mul`.
    #[inline(always)]
    fn column(&self, s1: u64, s2: u64, carry: u64) -> (u64, u64) {
        let lo = (s1 & MASK) + (s2 & MASK) + (carry & MASK);
        let hi = (s1 >> BITS) + (s2 >> BITS) + (carry >> BITS);
        (lo, hi)
    }

    /// `out = a b / R` (forward `a`, reversed `b`).
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    fn mul(&self, out: &mut Solo, digits: &mut [u32], a: &[u32], b: &[u32]) {
        let l = self.m.len();
        let (n0, m0) = (self.m.m[0], self.m.m0);
        let mut carry = 0u64;
        for k in 0..l {
            let s1 = dot(a, 0, b, l - 1 - k, k + 1);
            let s2 = dot(digits, 0, &self.n_rev, l - 1 - k, k);
            let (lo, hi) = self.column(s1, s2, carry);
            let digit = lo.wrapping_mul(m0) & MASK;
            digits[PAD + k] = digit as u32;
            carry = hi + ((lo + digit * n0) >> BITS);
        }
        for k in l..2 * l - 1 {
            let from = k + 1 - l;
            let s1 = dot(a, from, b, 0, l - from);
            let s2 = dot(digits, from, &self.n_rev, 0, l - from);
            let (lo, hi) = self.column(s1, s2, carry);
            out.fwd[PAD + k - l] = (lo & MASK) as u32;
            carry = hi + (lo >> BITS);
        }
        out.fwd[PAD + l - 1] = carry as u32;
        out.mirror(l);
    }

    /// `out = a^2 / R`.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    fn sqr(&self, out: &mut Solo, digits: &mut [u32], twice: &mut [u32], a: &Solo) {
        let l = self.m.len();
        let (n0, m0) = (self.m.m[0], self.m.m0);
        for i in (0..PAD + l).step_by(4) {
            let x = V::load(&a.fwd, i);
            x.add32(x).store4(twice, i);
        }
        let square = |k: usize| if k % 2 == 0 { let x = u64::from(a.fwd[PAD + k / 2]); x * x } else { 0 };
        let mut carry = 0u64;
        for k in 0..l {
            let s1 = dot(twice, 0, &a.rev, l - 1 - k, k.div_ceil(2)) + square(k);
            let s2 = dot(digits, 0, &self.n_rev, l - 1 - k, k);
            let (lo, hi) = self.column(s1, s2, carry);
            let digit = lo.wrapping_mul(m0) & MASK;
            digits[PAD + k] = digit as u32;
            carry = hi + ((lo + digit * n0) >> BITS);
        }
        for k in l..2 * l - 1 {
            let from = k + 1 - l;
            let s1 = dot(twice, from, &a.rev, 0, k.div_ceil(2) - from) + square(k);
            let s2 = dot(digits, from, &self.n_rev, 0, l - from);
            let (lo, hi) = self.column(s1, s2, carry);
            out.fwd[PAD + k - l] = (lo & MASK) as u32;
            carry = hi + (lo >> BITS);
        }
        out.fwd[PAD + l - 1] = carry as u32;
        out.mirror(l);
    }
}

/// As [`super::exp::pow_public`].
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
pub fn pow_public(m: &Modulus, out: &mut [u64], base: &[u64], e: u64) {
    let l = m.len();
    let ctx = Ctx::new(m);
    let b = Solo::from_limbs(base);
    let mut acc = b.clone();
    let mut tmp = Solo::new(l);
    let mut digits = Zeroizing::new(vec![0u32; width(l)]);
    let mut twice = Zeroizing::new(vec![0u32; width(l)]);
    let top = 63 - e.leading_zeros();
    for bit in (0..top).rev() {
        ctx.sqr(&mut tmp, &mut digits, &mut twice, &acc);
        core::mem::swap(&mut tmp, &mut acc);
        if (e >> bit) & 1 == 1 {
            ctx.mul(&mut tmp, &mut digits, &acc.fwd, &b.rev);
            core::mem::swap(&mut tmp, &mut acc);
        }
    }
    out.copy_from_slice(&acc.limbs(l));
}

/// As [`super::exp::pow_secret`]: fixed windows, whole-table scans.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
pub fn pow_secret(m: &Modulus, out: &mut [u64], base: &[u64], e: &[u64], e_bits: usize) {
    let l = m.len();
    let ctx = Ctx::new(m);
    let mut digits = Zeroizing::new(vec![0u32; width(l)]);
    let mut twice = Zeroizing::new(vec![0u32; width(l)]);
    let mut table = vec![Solo::new(l); 1 << WINDOW];
    table[0] = Solo::from_limbs(m.one());
    table[1] = Solo::from_limbs(base);
    for i in 2..table.len() {
        let mut t = Solo::new(l);
        if i % 2 == 0 {
            ctx.sqr(&mut t, &mut digits, &mut twice, &table[i / 2]);
        } else {
            ctx.mul(&mut t, &mut digits, &table[i - 1].fwd, &table[1].rev);
        }
        table[i] = t;
    }
    let windows = e_bits.div_ceil(WINDOW).max(1);
    let top = (e_bits - (windows - 1) * WINDOW).max(1);
    let mut entry = Zeroizing::new(vec![0u32; width(l)]);
    let mut acc = Solo::new(l);
    let mut tmp = Solo::new(l);
    select(&mut entry, &table, window(e, (windows - 1) * WINDOW, top));
    for j in 0..l {
        acc.fwd[PAD + l - 1 - j] = entry[PAD + j];
    }
    acc.mirror(l);
    for w in (0..windows - 1).rev() {
        for _ in 0..WINDOW {
            ctx.sqr(&mut tmp, &mut digits, &mut twice, &acc);
            core::mem::swap(&mut tmp, &mut acc);
        }
        select(&mut entry, &table, window(e, w * WINDOW, WINDOW));
        ctx.mul(&mut tmp, &mut digits, &acc.fwd, &entry);
        core::mem::swap(&mut tmp, &mut acc);
    }
    // Everything here is wiped as it is dropped.
    out.copy_from_slice(&acc.limbs(l));
}

/// Entry `idx` (reversed order), scanning the whole table under masks.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn select(out: &mut [u32], table: &[Solo], idx: usize) {
    let n = out.len();
    out.fill(0);
    for (j, entry) in table.iter().enumerate() {
        let d = (j ^ idx) as u64;
        let hit = limbs::mask(((d | d.wrapping_neg()) >> 63) ^ 1);
        let mask = V::u64s(hit, hit);
        for i in (0..n).step_by(4) {
            V::load(out, i).or(V::load(&entry.rev, i).and(mask)).store4(out, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rsa::exp;
    use crate::rsa::limbs::count;

    #[test]
    fn matches_the_scalar_path() {
        let mut state = 11u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 20) & MASK
        };
        // Sizes at and next to multiples of 28 (2044 = 73 x 28, 1792 = 64 x 28)
        // need a spare limb: `montgomery::limbs_for`.
        for bits in [2048, 1023, 4096, 520, 57, 29, 2044, 2043, 2045, 2072, 2071, 1792, 1791, 84, 83, 56] {
            let l0 = count(bits);
            let mut n: Vec<u64> = (0..l0).map(|_| next()).collect();
            n[0] |= 1;
            let top = bits - (l0 - 1) * BITS;
            n[l0 - 1] = (n[l0 - 1] & ((1 << top) - 1)) | 1 << (top - 1);
            // The largest modulus of its size too: results come closest to the top.
            if bits % 3 == 0 {
                n.iter_mut().for_each(|v| *v = MASK);
                n[l0 - 1] = (1 << top) - 1;
            }
            let m = Modulus::new(n).unwrap();
            let l = m.len();
            let mut x: Vec<u64> = (0..l0).map(|_| next()).collect();
            x[l0 - 1] >>= 2;
            x.resize(l, 0);
            let mut xm = vec![0; l];
            m.to_mont(&mut xm, &x);
            let e: Vec<u64> = (0..l).map(|_| next()).collect();
            let (mut want, mut got) = (vec![0; l], vec![0; l]);
            let (mut a, mut b) = (vec![0; l], vec![0; l]);
            if bits < 4096 {
                exp::pow_secret(&m, &mut want, &xm, &e, bits);
                pow_secret(&m, &mut got, &xm, &e, bits);
                m.from_mont(&mut a, &want);
                m.from_mont(&mut b, &got);
                assert_eq!(a, b, "secret, {bits} bits");
            }
            for pe in [65537u64, 3, (1 << 33) - 1] {
                exp::pow_public(&m, &mut want, &xm, pe);
                pow_public(&m, &mut got, &xm, pe);
                m.from_mont(&mut a, &want);
                m.from_mont(&mut b, &got);
                assert_eq!(a, b, "public {pe}, {bits} bits");
            }
        }
    }
}
