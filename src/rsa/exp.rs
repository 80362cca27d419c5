//! Modular exponentiation: a fixed-window ladder for secret exponents, plain
//! square-and-multiply for the public one.

use super::limbs;
use super::montgomery::Modulus;

/// Window width of the secret exponentiation: 2^5 table entries.
pub const WINDOW: usize = 5;
const TABLE: usize = 1 << WINDOW;

/// Whether the vector paths ([`super::solo`], [`super::pair`]) run: on wasm,
/// where they are native SIMD. Elsewhere they are emulated (and tested); the
/// scalar code below is faster there.
pub const VECTOR: bool = cfg!(target_arch = "wasm32");

/// [`pow_secret`] on the fastest path for this target.
pub fn secret(m: &Modulus, out: &mut [u64], base: &[u64], e: &[u64], e_bits: usize) {
    if VECTOR {
        super::solo::pow_secret(m, out, base, e, e_bits);
    } else {
        pow_secret(m, out, base, e, e_bits);
    }
}

/// [`pow_public`] on the fastest path for this target.
pub fn public(m: &Modulus, out: &mut [u64], base: &[u64], e: u64) {
    if VECTOR {
        super::solo::pow_public(m, out, base, e);
    } else {
        pow_public(m, out, base, e);
    }
}

/// `WINDOW` bits of `e` (28-bit limbs) starting at bit `pos`; positions are public.
#[inline]
pub fn window(e: &[u64], pos: usize, width: usize) -> usize {
    let (i, off) = (pos / limbs::BITS, pos % limbs::BITS);
    let lo = e.get(i).copied().unwrap_or(0) >> off;
    let hi = e.get(i + 1).copied().unwrap_or(0) << (limbs::BITS - off);
    ((lo | hi) & ((1 << width) - 1)) as usize
}

/// Copies table entry `index` into `out` by reading every entry and keeping
/// one under a mask: the memory touched does not depend on `index`.
#[inline]
pub fn select_entry(out: &mut [u64], table: &[u64], index: usize) {
    let l = out.len();
    out.fill(0);
    for (j, entry) in table.chunks_exact(l).enumerate() {
        let diff = (j ^ index) as u64;
        let hit = limbs::mask(((diff | diff.wrapping_neg()) >> 63) ^ 1);
        for (o, &v) in out.iter_mut().zip(entry) {
            *o |= v & hit;
        }
    }
}

/// `base^e mod m` with `base` in Montgomery form (below `2m`) and `e` secret,
/// its bits read over `e_bits` positions (public: the bit length of `m`).
/// The result is in Montgomery form, below `2m`. The sequence of squarings,
/// multiplications and memory reads is fixed by `e_bits` alone.
pub fn pow_secret(m: &Modulus, out: &mut [u64], base: &[u64], e: &[u64], e_bits: usize) {
    let l = m.len();
    let mut table = limbs::secret(TABLE * l);
    table[..l].copy_from_slice(m.one());
    table[l..2 * l].copy_from_slice(base);
    for i in 2..TABLE {
        let (done, rest) = table.split_at_mut(i * l);
        if i % 2 == 0 {
            m.sqr(&mut rest[..l], &done[(i / 2) * l..(i / 2 + 1) * l]);
        } else {
            m.mul(&mut rest[..l], &done[(i - 1) * l..i * l], base);
        }
    }
    let windows = e_bits.div_ceil(WINDOW).max(1);
    let top = e_bits - (windows - 1) * WINDOW;
    let (mut acc, mut tmp, mut entry) = (limbs::secret(l), limbs::secret(l), limbs::secret(l));
    select_entry(&mut acc, &table, window(e, (windows - 1) * WINDOW, top.max(1)));
    for w in (0..windows - 1).rev() {
        for _ in 0..WINDOW {
            m.sqr(&mut tmp, &acc);
            core::mem::swap(&mut tmp, &mut acc);
        }
        select_entry(&mut entry, &table, window(e, w * WINDOW, WINDOW));
        m.mul(&mut tmp, &acc, &entry);
        core::mem::swap(&mut tmp, &mut acc);
    }
    out.copy_from_slice(&acc);
}

/// `base^e mod m` for a public exponent `e > 0`, `base` in Montgomery form;
/// the result is in Montgomery form, below `2m`. Variable-time in `e` only.
pub fn pow_public(m: &Modulus, out: &mut [u64], base: &[u64], e: u64) {
    // The base may be secret (the blinding factor).
    let l = m.len();
    let mut acc = limbs::Secret::new(base.to_vec());
    let mut tmp = limbs::secret(l);
    let top = 63 - e.leading_zeros();
    for bit in (0..top).rev() {
        m.sqr(&mut tmp, &acc);
        core::mem::swap(&mut tmp, &mut acc);
        if (e >> bit) & 1 == 1 {
            m.mul(&mut tmp, &acc, base);
            core::mem::swap(&mut tmp, &mut acc);
        }
    }
    out.copy_from_slice(&acc);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rsa::limbs::{BITS, MASK};

    fn limbs_of(v: u128, l: usize) -> Vec<u64> {
        (0..l).map(|i| if i * BITS < 128 { ((v >> (i * BITS)) as u64) & MASK } else { 0 }).collect()
    }
    fn value(x: &[u64]) -> u128 {
        x.iter().rev().fold(0u128, |acc, &l| (acc << BITS) | u128::from(l))
    }
    fn powmod(b: u128, e: u128, m: u128) -> u128 {
        let mul = |a: u128, b: u128| -> u128 {
            let (mut r, mut a, mut b) = (0u128, a % m, b);
            while b > 0 {
                if b & 1 == 1 {
                    r = (r + a) % m;
                }
                a = (a * 2) % m;
                b >>= 1;
            }
            r
        };
        let (mut r, mut b, mut e) = (1u128, b % m, e);
        while e > 0 {
            if e & 1 == 1 {
                r = mul(r, b);
            }
            b = mul(b, b);
            e >>= 1;
        }
        r
    }

    #[test]
    fn secret_and_public_against_reference() {
        // 81 bits, and 84 = 3 x 28 (a spare limb: `montgomery::limbs_for`).
        for m in [(1u128 << 81) - 165, (1u128 << 84) - 3, (1u128 << 83) + 1] {
            let md = Modulus::new(limbs_of(m, 4)).unwrap();
            let l = md.len();
            for (b, e) in [(2u128, 0u128), (3, 1), (12345678901234567, 65537), (m - 1, m - 2), (987654321, (1 << 80) + 77), (m - 2, m - 1)] {
                let mut bm = vec![0; l];
                md.to_mont(&mut bm, &limbs_of(b, l));
                let mut r = vec![0; l];
                pow_secret(&md, &mut r, &bm, &limbs_of(e, l), md.bits);
                let mut out = vec![0; l];
                md.from_mont(&mut out, &r);
                assert_eq!(value(&out), powmod(b, e, m), "{b}^{e} mod {m}");
                if e > 0 && e < 1 << 64 {
                    pow_public(&md, &mut r, &bm, e as u64);
                    md.from_mont(&mut out, &r);
                    assert_eq!(value(&out), powmod(b, e, m), "{b}^{e} mod {m}, public");
                }
            }
        }
    }

    #[test]
    fn windows_straddle_limbs() {
        let e = limbs_of(0b1011_0110_1110_0101u128 << 20, 3);
        assert_eq!(window(&e, 20, 5), 0b00101);
        assert_eq!(window(&e, 25, 5), 0b10111);
        assert_eq!(window(&e, 30, 5), 0b01101);
        assert_eq!(window(&e, 80, 5), 0);
    }
}
