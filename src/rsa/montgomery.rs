//! Montgomery arithmetic modulo an odd number, on 28-bit limbs.
//!
//! Products are scanned column by column (Comba): each column's partial
//! products are summed in a native `u64` with no carry chain, the Montgomery
//! digit of the column is derived from its low limb, and the carry moves on.
//! With `R = 2^(28 L) > 4 m`, inputs below `2 m` give outputs below `2 m`
//! (Walter), so no conditional subtraction is needed between operations: one
//! [`Modulus::reduce`] at the very end brings a result into `[0, m)`.

use std::cell::OnceCell;

use zeroize::Zeroize;

use super::limbs::{self, BITS, MASK};

/// The limb count `L` a modulus of `bits` bits is worked in: the least with
/// `R = 2^(28 L) >= 2^(bits + 2) > 4 m`. That bound is what keeps every
/// Montgomery result below `2 m`, and so below `2^(28 L - 1)`, each limb
/// under 2^28. `count(bits)` limbs are not enough when `bits` is within two
/// of a multiple of 28 (a 2044- or 2071-bit modulus, a 1792-bit prime):
/// results then overflow the top limb.
pub const fn limbs_for(bits: usize) -> usize {
    (bits + 2).div_ceil(BITS)
}

/// The most limbs a modulus may have: column sums of `L` products below
/// 2^56 each must fit a `u64` (each of the two sums separately).
pub const MAX_LIMBS: usize = 255;

/// An odd modulus with its Montgomery constants, overwritten when dropped (a
/// prime's `R^2 mod p` would give `p` away as `gcd(R^2 - r2, n)`).
#[derive(Clone)]
pub struct Modulus {
    /// The modulus, `L` limbs.
    pub m: Vec<u64>,
    /// `-m^-1 mod 2^28`.
    pub(crate) m0: u64,
    /// `R^2 mod m` and `R mod m` (one, in Montgomery form), computed on
    /// first use: a public key that only the platform's crypto ever uses
    /// (the `node` and `webcrypto` backends) never pays for them.
    consts: OnceCell<Consts>,
    /// The bit length of `m`.
    pub bits: usize,
}

/// `R^2 mod m` and `R mod m`.
#[derive(Clone)]
struct Consts {
    r2: Vec<u64>,
    one: Vec<u64>,
}

impl Modulus {
    /// Prepares `m`, which must be odd and above 1. Any limb count is taken
    /// (zero limbs on top are dropped or added): the modulus is worked in
    /// [`limbs_for`] its bit length. Runs in time that depends only on the
    /// bit length of `m`, so it may be used on secret primes.
    pub fn new(mut m: Vec<u64>) -> Option<Self> {
        // `m` may be a secret prime: wiped if refused. Callers allocate
        // `limbs_for(bits)` limbs, so that `resize` does not reallocate.
        let bits = limbs::bit_len(&m);
        let l = limbs_for(bits);
        if bits < 2 || m[0] & 1 == 0 || l > MAX_LIMBS {
            m.zeroize();
            return None;
        }
        m.resize(l, 0);
        // Newton's iteration doubles the correct low bits of the inverse.
        let mut inv = 1u64;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(m[0].wrapping_mul(inv)));
        }
        let m0 = inv.wrapping_neg() & MASK;
        Some(Modulus { m, m0, consts: OnceCell::new(), bits })
    }

    /// `R^2 mod m` and `R mod m`, computed on first use.
    fn consts(&self) -> &Consts {
        self.consts.get_or_init(|| self.compute_consts())
    }

    /// R mod m: 2^(bits-1) is already below m (m is odd with its top bit at
    /// bits-1), so 28 L - bits + 1 constant-time doublings reach 2^(28 L) mod
    /// m (BoringSSL's way; doubling from 1 took 28 L steps and most of a
    /// key's parse time). Then R^2 mod m: write 28 L = s 2^j; double on to
    /// R 2^s, and each Montgomery squaring (x^2 / R) turns R 2^t into
    /// R 2^(2t): j of them reach R 2^(28 L). Time depends on the bit length
    /// of `m` only.
    #[inline(never)]
    fn compute_consts(&self) -> Consts {
        let (m, bits, l) = (&self.m, self.bits, self.len());
        let total = BITS * l;
        let j = total.trailing_zeros();
        let s = total >> j;
        let mut x = limbs::secret(l);
        let mut tmp = limbs::secret(l);
        x[(bits - 1) / BITS] = 1 << ((bits - 1) % BITS);
        for _ in 0..total - bits + 1 {
            double(&mut x, m, &mut tmp);
        }
        let one = x.to_vec();
        for _ in 0..s {
            double(&mut x, m, &mut tmp);
        }
        for _ in 0..j {
            self.sqr(&mut tmp, &x);
            self.reduce(&mut tmp);
            core::mem::swap(&mut x, &mut tmp);
        }
        Consts { r2: x.to_vec(), one }
    }

    /// The limb count `L`.
    #[allow(clippy::len_without_is_empty)] // never empty: `new` refuses that
    #[inline]
    pub fn len(&self) -> usize {
        self.m.len()
    }

    /// `out = a * b / R mod m`, in `[0, 2m)` when `a * b < 2 m R`.
    /// `out` must not alias `a` or `b`; all three are `L` limbs.
    pub fn mul(&self, out: &mut [u64], a: &[u64], b: &[u64]) {
        let l = self.len();
        let n = &self.m[..l];
        let (a, b, out) = (&a[..l], &b[..l], &mut out[..l]);
        let mut carry = 0u64;
        // Columns 0..L: `out[i]` holds the Montgomery digits until they are
        // consumed; column L + j is the last to need digit j, then it becomes
        // result limb j.
        for k in 0..l {
            let s1: u64 = dot_rev(&a[..=k], &b[..=k]);
            let s2: u64 = dot_rev(&out[..k], &n[1..=k]);
            let lo = (s1 & MASK) + (s2 & MASK) + (carry & MASK);
            let hi = (s1 >> BITS) + (s2 >> BITS) + (carry >> BITS);
            let digit = lo.wrapping_mul(self.m0) & MASK;
            out[k] = digit;
            carry = hi + ((lo + digit * n[0]) >> BITS);
        }
        for k in l..2 * l - 1 {
            let from = k + 1 - l;
            let s1: u64 = dot_rev(&a[from..], &b[from..]);
            let s2: u64 = dot_rev(&out[from..], &n[from..]);
            let lo = (s1 & MASK) + (s2 & MASK) + (carry & MASK);
            let hi = (s1 >> BITS) + (s2 >> BITS) + (carry >> BITS);
            out[k - l] = lo & MASK;
            carry = hi + (lo >> BITS);
        }
        out[l - 1] = carry;
    }

    /// `out = a * a / R mod m`: the cross products are computed once and
    /// doubled, about 3/4 of the work of [`Modulus::mul`].
    pub fn sqr(&self, out: &mut [u64], a: &[u64]) {
        let l = self.len();
        let n = &self.m[..l];
        let (a, out) = (&a[..l], &mut out[..l]);
        // Column k of a^2 is sum over i < j, i + j = k of (2 a_i) a_j, plus
        // a_(k/2)^2 when k is even: the doubled copy halves the products.
        let mut twice = [0u64; MAX_LIMBS];
        for (t, &x) in twice.iter_mut().zip(a) {
            *t = 2 * x;
        }
        let twice = &mut twice[..l];
        let mut carry = 0u64;
        for k in 0..2 * l - 1 {
            let from = (k + 1).saturating_sub(l);
            let half = k.div_ceil(2);
            let mut s1 = dot_rev(&twice[from..half], &a[k + 1 - half..=k - from]);
            if k % 2 == 0 {
                s1 += a[k / 2] * a[k / 2];
            }
            let lo_col = k < l;
            let s2 = if lo_col { dot_rev(&out[..k], &n[1..=k]) } else { dot_rev(&out[from..], &n[from..]) };
            let lo = (s1 & MASK) + (s2 & MASK) + (carry & MASK);
            let hi = (s1 >> BITS) + (s2 >> BITS) + (carry >> BITS);
            if lo_col {
                let digit = lo.wrapping_mul(self.m0) & MASK;
                out[k] = digit;
                carry = hi + ((lo + digit * n[0]) >> BITS);
            } else {
                out[k - l] = lo & MASK;
                carry = hi + (lo >> BITS);
            }
        }
        out[l - 1] = carry;
        twice.zeroize();
    }

    /// Montgomery form of `a` (`a < R`): `a R mod m`, in `[0, 2m)`.
    pub fn to_mont(&self, out: &mut [u64], a: &[u64]) {
        self.mul(out, a, &self.consts().r2);
    }

    /// Leaves Montgomery form: `a / R mod m`, fully reduced into `[0, m)`.
    pub fn from_mont(&self, out: &mut [u64], a: &[u64]) {
        let mut unit = vec![0u64; self.len()];
        unit[0] = 1;
        self.mul(out, a, &unit);
        self.reduce(out);
    }

    /// Brings `x < 2m` into `[0, m)`.
    pub fn reduce(&self, x: &mut [u64]) {
        let mut tmp = limbs::secret(self.len());
        limbs::reduce_once(x, &self.m, &mut tmp);
    }

    /// One, in Montgomery form.
    pub fn one(&self) -> &[u64] {
        &self.consts().one
    }

    /// The Montgomery form of a number of any length (`wide`, limbs),
    /// `wide R mod m` in `[0, 2m)`, by Horner's rule over `L`-limb chunks.
    /// Constant-time in the values.
    pub fn to_mont_wide(&self, out: &mut [u64], wide: &[u64]) {
        let l = self.len();
        let (mut chunk, mut t, mut sum) = (limbs::secret(l), limbs::secret(l), limbs::secret(l + 1));
        let (mut twice, mut diff) = (limbs::secret(l + 1), limbs::secret(l + 1));
        let mut first = true;
        let chunks = wide.len().div_ceil(l).max(1);
        for c in (0..chunks).rev() {
            chunk.fill(0);
            let start = c * l;
            let end = wide.len().min(start + l);
            if start < end {
                chunk[..end - start].copy_from_slice(&wide[start..end]);
            }
            if first {
                self.to_mont(out, &chunk);
                first = false;
                continue;
            }
            // acc = acc * R + chunk, in Montgomery form: acc*R^2/R... then add.
            self.mul(&mut t, out, &self.consts().r2);
            self.to_mont(out, &chunk);
            // t + out < 4m: add, then subtract 2m once if needed.
            sum[l] = limbs::add(&mut sum[..l], &t, out);
            twice[l] = limbs::add(&mut twice[..l], &self.m, &self.m);
            let borrow = limbs::sub(&mut diff, &sum, &twice);
            limbs::select(&mut sum, &diff, limbs::mask(borrow ^ 1));
            out.copy_from_slice(&sum[..l]);
        }
    }
}

impl Zeroize for Modulus {
    fn zeroize(&mut self) {
        self.m.zeroize();
        if let Some(c) = self.consts.get_mut() {
            c.r2.zeroize();
            c.one.zeroize();
        }
        self.m0.zeroize();
    }
}

impl Drop for Modulus {
    fn drop(&mut self) {
        self.zeroize();
    }
}

/// `sum a[i] * b[n - 1 - i]` over `n = a.len() = b.len()`: one Comba column.
/// Unrolled by four by hand: the release profile optimises for size, and a
/// wasm loop pays a back-edge check per iteration.
#[inline(always)]
fn dot_rev(a: &[u64], b: &[u64]) -> u64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (mut s0, mut s1) = (0u64, 0u64);
    let mut ac = a.chunks_exact(4);
    let mut bc = b.rchunks_exact(4);
    for (x, y) in (&mut ac).zip(&mut bc) {
        s0 += x[0] * y[3] + x[1] * y[2];
        s1 += x[2] * y[1] + x[3] * y[0];
    }
    for (x, y) in ac.remainder().iter().zip(bc.remainder().iter().rev()) {
        s0 += x * y;
    }
    s0 + s1
}

/// `x = 2x mod m` for `x < m`, constant-time.
fn double(x: &mut [u64], m: &[u64], tmp: &mut [u64]) {
    let mut carry = 0u64;
    for l in x.iter_mut() {
        let s = (*l << 1) | carry;
        *l = s & MASK;
        carry = s >> BITS;
    }
    // 2x < 2m: subtract m when 2x >= m, counting the bit that left the top limb.
    let borrow = limbs::sub(tmp, x, m);
    let take = (borrow ^ 1) | carry;
    limbs::select(x, tmp, limbs::mask(take));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limbs_of(v: u128, l: usize) -> Vec<u64> {
        (0..l).map(|i| if i * BITS < 128 { ((v >> (i * BITS)) as u64) & MASK } else { 0 }).collect()
    }
    fn value(x: &[u64]) -> u128 {
        x.iter().rev().fold(0u128, |acc, &l| (acc << BITS) | u128::from(l))
    }

    /// `2^e mod m`.
    fn pow2(e: usize, m: u128) -> u128 {
        (0..e).fold(1u128 % m, |x, _| (x * 2) % m)
    }

    fn random(state: &mut u64, m: u128) -> u128 {
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let hi = u128::from(*state);
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((hi << 64) | u128::from(*state)) % m
    }

    /// Products, squares and `R mod m` against `u128` arithmetic, for moduli
    /// below, at and above multiples of 28 bits, the largest of their size
    /// among them (results then come closest to overflowing the top limb).
    #[test]
    fn small_moduli_against_u128() {
        let mut state = 0x1234_5678_9abc_def0u64;
        for bits in [54, 55, 56, 57, 82, 83, 84, 85, 109, 110] {
            for m in [(1u128 << bits) - 1, (1u128 << bits) - 159, (1u128 << (bits - 1)) + 1, (1u128 << (bits - 1)) + 0x1_0000_0001] {
                let md = Modulus::new(limbs_of(m, 4)).unwrap();
                let l = md.len();
                assert_eq!((md.bits, l), (bits, limbs_for(bits)), "{m:#x}");
                let r = pow2(BITS * l, m);
                assert_eq!(value(md.one()), r, "R mod {m:#x}");
                let mut edges = vec![0, 1, 2, m - 1, m - 2, m >> 1];
                edges.extend((0..200).map(|_| random(&mut state, m)));
                for (i, &a) in edges.iter().enumerate() {
                    let b = edges[(i * 7 + 3) % edges.len()];
                    let (mut am, mut bm) = (vec![0; l], vec![0; l]);
                    md.to_mont(&mut am, &limbs_of(a, l));
                    md.to_mont(&mut bm, &limbs_of(b, l));
                    let (mut p, mut s, mut out) = (vec![0; l], vec![0; l], vec![0; l]);
                    md.mul(&mut p, &am, &bm);
                    md.sqr(&mut s, &am);
                    for x in [&am, &bm, &p, &s] {
                        assert!(x.iter().all(|&v| v <= MASK) && value(x) < 2 * m, "{m:#x}: unnormalised or >= 2m");
                    }
                    md.from_mont(&mut out, &p);
                    assert_eq!(value(&out), mulmod(a, b, m), "{a:#x} {b:#x} mod {m:#x}");
                    md.from_mont(&mut out, &s);
                    assert_eq!(value(&out), mulmod(a, a, m), "{a:#x}^2 mod {m:#x}");
                }
            }
        }
    }

    fn mulmod(a: u128, b: u128, m: u128) -> u128 {
        // Double-and-add: a, b < 2^83, so 2a < 2^84 never overflows.
        let mut r = 0u128;
        let mut a = a % m;
        let mut b = b;
        while b > 0 {
            if b & 1 == 1 {
                r = (r + a) % m;
            }
            a = (a * 2) % m;
            b >>= 1;
        }
        r
    }

    #[test]
    fn rejects_even_and_trivial() {
        assert!(Modulus::new(vec![4]).is_none());
        assert!(Modulus::new(vec![1]).is_none());
        assert!(Modulus::new(vec![]).is_none());
        assert!(Modulus::new(vec![0, 0]).is_none());
        // Zero limbs on top are dropped, and one is added where the bound needs it.
        assert_eq!(Modulus::new(vec![3, 0, 0]).map(|m| m.m.clone()), Some(vec![3]));
        assert_eq!(Modulus::new(vec![MASK]).map(|m| m.m.clone()), Some(vec![MASK, 0]));
    }

    #[test]
    fn wide_values_reduce() {
        let m: u128 = (1u128 << 55) + 27;
        let md = Modulus::new(limbs_of(m, 2)).unwrap();
        assert_eq!(md.len(), 3);
        // A 5-limb number (140 bits): 2^139 + 12345.
        let mut wide = vec![0u64; 5];
        wide[0] = 12345;
        wide[4] = 1 << (139 - 4 * BITS);
        let mut mont = vec![0; 3];
        md.to_mont_wide(&mut mont, &wide);
        let mut out = vec![0; 3];
        md.from_mont(&mut out, &mont);
        let mut want = 1u128;
        for _ in 0..139 {
            want = (want * 2) % m;
        }
        assert_eq!(value(&out), (want + 12345) % m);
    }
}
