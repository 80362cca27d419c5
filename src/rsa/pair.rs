//! Two Montgomery exponentiations in lockstep, one per 64-bit vector lane:
//! `c^dp mod p` in lane 0 and `c^dq mod q` in lane 1 (`p` and `q` of one limb
//! count). Same algorithm as [`super::montgomery`] and [`super::exp`]; each
//! vector instruction does the work of two scalar ones.
//!
//! Storage: a number pair is `u32`s interleaved limb by limb,
//! `[p0, q0, p1, q1, ...]` ("forward"), and for a right-hand operand also
//! from the top limb down ("reversed"): a column of a Comba product,
//! `sum a_i b_(k-i)`, is then two forward streams, and one 128-bit load of
//! each gives four products with one `extmul_low` and one `extmul_high`.
//!
//! Every buffer starts with one zero limb pair. A column's terms start at
//! `i0 = max(0, k + 1 - L)`, so either `a` (`i0 = 0`) or `b` (`k - i0 = L - 1`)
//! is at its first limb there: one more term below the first reads that zero
//! pad, which lets every column run in whole pairs of terms.

use zeroize::{Zeroize, Zeroizing};

use super::exp::{window, WINDOW};
use super::limbs::{self, MASK};
use super::montgomery::Modulus;
use super::v128::V;

/// The `u32` index of limb (or reversed position) `i`, after the zero pad.
#[inline(always)]
const fn at(i: usize) -> usize {
    2 * i + 2
}

/// `u32`s of storage for a pair of `L`-limb numbers: the pad, the limbs, room
/// for a 128-bit load at the last limb, rounded to whole vectors.
fn width(l: usize) -> usize {
    (at(l) + 2).next_multiple_of(4)
}

/// A pair of numbers of `L` limbs each, both orders; wiped when dropped.
#[derive(Clone)]
struct Pair {
    fwd: Vec<u32>,
    rev: Vec<u32>,
}

impl Pair {
    fn new(l: usize) -> Self {
        Pair { fwd: vec![0; width(l)], rev: vec![0; width(l)] }
    }

    fn from_lanes(x: &[u64], y: &[u64]) -> Self {
        let l = x.len();
        let mut p = Pair::new(l);
        for i in 0..l {
            p.fwd[at(i)] = x[i] as u32;
            p.fwd[at(i) + 1] = y[i] as u32;
        }
        p.mirror(l);
        p
    }

    /// Fills `rev` from `fwd`.
    #[inline(always)]
    fn mirror(&mut self, l: usize) {
        for j in 0..l {
            let i = l - 1 - j;
            self.rev[at(j)] = self.fwd[at(i)];
            self.rev[at(j) + 1] = self.fwd[at(i) + 1];
        }
    }

    fn lanes(&self, l: usize) -> (Zeroizing<Vec<u64>>, Zeroizing<Vec<u64>>) {
        let (a, b) = (0..l).map(|i| (u64::from(self.fwd[at(i)]), u64::from(self.fwd[at(i) + 1]))).unzip();
        (Zeroizing::new(a), Zeroizing::new(b))
    }

}

impl Drop for Pair {
    fn drop(&mut self) {
        self.fwd.zeroize();
        self.rev.zeroize();
    }
}

/// The two moduli, interleaved.
struct Moduli {
    l: usize,
    /// Both moduli, reversed (the right-hand side of `m_i n_(k-i)`).
    n_rev: Vec<u32>,
    /// `[n0_p, n0_q, .., ..]`: the low limbs, packed.
    n0: V,
    /// `-n^-1 mod 2^28` per lane, as `u64` lanes.
    m0: V,
    mask: V,
    /// Zero, from data: see [`mul_low_only`].
    zero: V,
}

impl Drop for Moduli {
    fn drop(&mut self) {
        self.n_rev.zeroize();
    }
}

impl Moduli {
    fn new(p: &Modulus, q: &Modulus, m0: [u64; 2]) -> Self {
        let l = p.len();
        let mut n = Pair::from_lanes(&p.m, &q.m);
        let n_rev = core::mem::take(&mut n.rev);
        Moduli {
            l,
            n_rev,
            n0: V::u64s(p.m[0] | q.m[0] << 32, 0),
            m0: V::u64s(m0[0], m0[1]),
            mask: V::u64s(MASK, MASK),
            // Limbs are below 2^28: zero, though no compiler can prove it.
            zero: V::u64s(p.m[0] >> 40, q.m[0] >> 40),
        }
    }
}

/// `[x0 y0, x1 y1]`, computed so that LLVM cannot narrow it: when only the low
/// half of a vector is demanded, LLVM rewrites `extmul_low` into a 64-bit
/// zero-extending load and `i64x2.mul`, which V8 emulates with three
/// multiplies per lane. Using the high half too (masked by a zero LLVM cannot
/// see through) keeps the native instruction.
#[inline(always)]
fn mul_low_only(x: V, y: V, zero: V) -> V {
    x.mul_lo(y).add(x.mul_hi(y).and(zero))
}

/// `sum a_(i0+t) b_(k-i0-t)` for `t < count`, per lane: `a` forward from limb
/// `i0`, `b` reversed from position `j0 = L - 1 - k + i0`. An odd count
/// starts one term lower, on the zero pad (see the module notes).
#[inline(always)]
fn dot(a: &[u32], i0: usize, b: &[u32], j0: usize, count: usize) -> V {
    let odd = count & 1;
    let (mut ia, mut ib) = (at(i0) - 2 * odd, at(j0) - 2 * odd);
    let (mut s0, mut s1) = (V::zero(), V::zero());
    for _ in 0..count.div_ceil(2) {
        let x = V::load(a, ia);
        let y = V::load(b, ib);
        s0 = s0.add(x.mul_lo(y));
        s1 = s1.add(x.mul_hi(y));
        ia += 4;
        ib += 4;
    }
    s0.add(s1)
}

/// The Montgomery step of one column with sum `s1 + s2` and incoming carry.
/// A low column (`k < L`) makes the digit `m_k` and returns it packed; a high
/// one returns result limb `k - L`, packed. Both return the next carry.
#[inline(always)]
fn column(m: &Moduli, s1: V, s2: V, carry: V, low: bool) -> (V, V) {
    let lo = s1.and(m.mask).add(s2.and(m.mask)).add(carry.and(m.mask));
    let hi = s1.shr28().add(s2.shr28()).add(carry.shr28());
    if low {
        // digit = lo m0 mod 2^28: a 32-bit product is enough.
        let digit = lo.mul32(m.m0).and(m.mask).pack();
        // `n0` is loop-invariant: LLVM would hoist its zero-extension and
        // then emit i64x2.mul. OR-ing in `s1 >> 63` (zero: column sums stay
        // below 2^62, which no compiler can see) keeps it in the loop.
        let n0 = m.n0.or(s1.shr63());
        (hi.add(lo.add(mul_low_only(digit, n0, m.zero)).shr28()), digit)
    } else {
        (hi.add(lo.shr28()), lo.and(m.mask).pack())
    }
}

/// `out = a b / R` in each lane (forward `a`, reversed `b`).
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn mul(m: &Moduli, out: &mut Pair, digits: &mut [u32], a: &[u32], b: &[u32]) {
    let l = m.l;
    let mut carry = V::zero();
    for k in 0..l {
        let s1 = dot(a, 0, b, l - 1 - k, k + 1);
        let s2 = dot(digits, 0, &m.n_rev, l - 1 - k, k);
        let (c, d) = column(m, s1, s2, carry, true);
        d.store2(digits, at(k));
        carry = c;
    }
    for k in l..2 * l - 1 {
        let from = k + 1 - l;
        let s1 = dot(a, from, b, 0, l - from);
        let s2 = dot(digits, from, &m.n_rev, 0, l - from);
        let (c, r) = column(m, s1, s2, carry, false);
        r.store2(&mut out.fwd, at(k - l));
        carry = c;
    }
    carry.pack().store2(&mut out.fwd, at(l - 1));
    out.mirror(l);
}

/// `out = a^2 / R` in each lane.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn sqr(m: &Moduli, out: &mut Pair, digits: &mut [u32], scratch: &mut Scratch, a: &Pair) {
    let l = m.l;
    // 2a, so that each cross product is computed once, and the squares of the
    // limbs, which even columns add.
    for i in (0..at(l)).step_by(4) {
        let x = V::load(&a.fwd, i);
        x.add32(x).store4(&mut scratch.twice, i);
        x.mul_lo(x).store_u64(&mut scratch.squares, i);
        x.mul_hi(x).store_u64(&mut scratch.squares, i + 2);
    }
    // squares[at(h)..at(h) + 2] holds a_h^2 of both lanes.
    let twice = &scratch.twice;
    let squares = &scratch.squares;
    let mut carry = V::zero();
    for k in 0..l {
        // i < j = k - i: `twice` forward from 0, `a` reversed from L - 1 - k.
        let mut s1 = dot(twice, 0, &a.rev, l - 1 - k, k.div_ceil(2));
        if k % 2 == 0 {
            s1 = s1.add(V::load_u64(squares, at(k / 2)));
        }
        let s2 = dot(digits, 0, &m.n_rev, l - 1 - k, k);
        let (c, d) = column(m, s1, s2, carry, true);
        d.store2(digits, at(k));
        carry = c;
    }
    for k in l..2 * l - 1 {
        let from = k + 1 - l;
        let mut s1 = dot(twice, from, &a.rev, 0, k.div_ceil(2) - from);
        if k % 2 == 0 {
            s1 = s1.add(V::load_u64(squares, at(k / 2)));
        }
        let s2 = dot(digits, from, &m.n_rev, 0, l - from);
        let (c, r) = column(m, s1, s2, carry, false);
        r.store2(&mut out.fwd, at(k - l));
        carry = c;
    }
    carry.pack().store2(&mut out.fwd, at(l - 1));
    out.mirror(l);
}

/// Buffers [`sqr`] reuses; wiped when dropped.
struct Scratch {
    twice: Vec<u32>,
    /// The squares of the limbs, as `u64` lanes: limb `h` at `at(h)`.
    squares: Vec<u64>,
}

impl Scratch {
    fn new(l: usize) -> Self {
        Scratch { twice: vec![0; width(l)], squares: vec![0; width(l) + 2] }
    }

}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.twice.zeroize();
        self.squares.zeroize();
    }
}

/// Table entry `idx` of each lane, selected by reading every entry under
/// per-lane masks (reversed order only: entries are right-hand operands).
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn select(out: &mut [u32], table: &[Pair], idx: [usize; 2]) {
    let hit = |j: usize, i: usize| {
        let d = (j ^ i) as u64;
        limbs::mask(((d | d.wrapping_neg()) >> 63) ^ 1) & 0xffff_ffff
    };
    // u32 lanes [p, q, p, q]: a 32-bit mask per lane and entry.
    let mut masks = [V::zero(); 1 << WINDOW];
    for (j, m) in masks.iter_mut().enumerate().take(table.len()) {
        let both = hit(j, idx[0]) | hit(j, idx[1]) << 32;
        *m = V::u64s(both, both);
    }
    for i in (0..out.len()).step_by(4) {
        let mut acc = V::zero();
        for (entry, &mask) in table.iter().zip(&masks) {
            acc = acc.or(V::load(&entry.rev, i).and(mask));
        }
        acc.store4(out, i);
    }
}

/// `(cp^dp mod p, cq^dq mod q)`, inputs and outputs in Montgomery form below
/// twice the modulus; `p` and `q` have the same limb count. Constant-time: the
/// sequence of operations and memory accesses depends on the bit lengths only.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
pub fn pow_pair(p: &Modulus, q: &Modulus, m0: [u64; 2], cp: &[u64], cq: &[u64], dp: &[u64], dq: &[u64]) -> (Zeroizing<Vec<u64>>, Zeroizing<Vec<u64>>) {
    let l = p.len();
    let m = Moduli::new(p, q, m0);
    let mut digits = Zeroizing::new(vec![0u32; width(l)]);
    let mut scratch = Scratch::new(l);
    let mut table = vec![Pair::new(l); 1 << WINDOW];
    table[0] = Pair::from_lanes(p.one(), q.one());
    table[1] = Pair::from_lanes(cp, cq);
    for i in 2..table.len() {
        let mut t = Pair::new(l);
        if i % 2 == 0 {
            sqr(&m, &mut t, &mut digits, &mut scratch, &table[i / 2]);
        } else {
            mul(&m, &mut t, &mut digits, &table[i - 1].fwd, &table[1].rev);
        }
        table[i] = t;
    }
    let bits = p.bits.max(q.bits);
    let windows = bits.div_ceil(WINDOW).max(1);
    let top = (bits - (windows - 1) * WINDOW).max(1);
    let mut acc = Pair::new(l);
    let mut tmp = Pair::new(l);
    let mut entry = Zeroizing::new(vec![0u32; width(l)]);
    let w = (windows - 1) * WINDOW;
    select(&mut entry, &table, [window(dp, w, top), window(dq, w, top)]);
    // The entry is reversed; turn it back into a full pair.
    for j in 0..l {
        let i = l - 1 - j;
        acc.fwd[at(i)] = entry[at(j)];
        acc.fwd[at(i) + 1] = entry[at(j) + 1];
    }
    acc.mirror(l);
    for w in (0..windows - 1).rev() {
        for _ in 0..WINDOW {
            sqr(&m, &mut tmp, &mut digits, &mut scratch, &acc);
            core::mem::swap(&mut tmp, &mut acc);
        }
        let pos = w * WINDOW;
        select(&mut entry, &table, [window(dp, pos, WINDOW), window(dq, pos, WINDOW)]);
        mul(&m, &mut tmp, &mut digits, &acc.fwd, &entry);
        core::mem::swap(&mut tmp, &mut acc);
    }
    // Everything here is wiped as it is dropped.
    acc.lanes(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rsa::exp::pow_secret;
    use crate::rsa::limbs::{count, BITS};

    fn random_limbs(state: &mut u64, bits: usize) -> Vec<u64> {
        let mut x: Vec<u64> = (0..count(bits))
            .map(|_| {
                *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (*state >> 20) & MASK
            })
            .collect();
        let top = bits - (x.len() - 1) * BITS;
        let last = x.len() - 1;
        x[last] &= (1 << top) - 1;
        x[last] |= 1 << (top - 1);
        x
    }

    #[test]
    fn lanes_match_the_scalar_path() {
        let mut state = 7;
        // Prime sizes at and next to multiples of 28 (1036 = 37 x 28) need a spare limb.
        for (pbits, qbits) in [(1024, 1024), (1024, 1023), (1009, 1030), (60, 57), (29, 33), (1036, 1035), (1030, 1034), (1035, 1062), (1064, 1063), (56, 55), (84, 83)] {
            let mut pm = random_limbs(&mut state, pbits);
            let mut qm = random_limbs(&mut state, qbits);
            pm[0] |= 1;
            qm[0] |= 1;
            let (p, q) = (Modulus::new(pm).unwrap(), Modulus::new(qm).unwrap());
            assert_eq!(p.len(), q.len(), "{pbits} {qbits}");
            let l = p.len();
            let mut cp = random_limbs(&mut state, pbits - 1);
            let mut cq = random_limbs(&mut state, qbits - 1);
            cp.resize(l, 0);
            cq.resize(l, 0);
            let mut dp = random_limbs(&mut state, pbits - 3);
            let mut dq = random_limbs(&mut state, qbits - 2);
            dp.resize(l, 0);
            dq.resize(l, 0);
            let (a, b) = pow_pair(&p, &q, [p.m0, q.m0], &cp, &cq, &dp, &dq);
            let mut want = vec![0; l];
            let mut got = vec![0; l];
            pow_secret(&p, &mut want, &cp, &dp, p.bits);
            p.from_mont(&mut got, &a);
            let mut w = vec![0; l];
            p.from_mont(&mut w, &want);
            assert_eq!(got, w, "p lane, {pbits} bits");
            pow_secret(&q, &mut want, &cq, &dq, q.bits);
            q.from_mont(&mut got, &b);
            q.from_mont(&mut w, &want);
            assert_eq!(got, w, "q lane, {qbits} bits");
        }
    }
}
