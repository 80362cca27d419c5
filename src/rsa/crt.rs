//! The private-key operation `c^d mod n`: blinded, by the Chinese remainder
//! theorem, and checked with the public exponent before anything leaves.

use super::exp;
use super::inverse;
use super::key::{RsaPrivateKey, RsaPublicKey};
use super::limbs::{self, Secret, BITS};
use super::montgomery::Modulus;
use crate::error::{Code, Error, Result};

/// How many times to draw blinding values before giving up (each draw fails
/// only with probability about 2^-1000 for a real key).
const BLINDING_TRIES: usize = 8;

fn crypto(message: &str) -> Error {
    Error::new(Code::Crypto, message)
}

/// `c^e mod n` on big-endian `k`-byte input, into `out` (`k` bytes).
/// `None` when `c >= n`.
pub fn public_op(key: &RsaPublicKey, c: &[u8], out: &mut [u8]) -> Option<()> {
    // `c` may be secret: an OAEP encoding holds the plaintext.
    let n = &key.n;
    let mut x = limbs::secret(n.len());
    if !limbs::from_be_bytes(c, &mut x) || !less_than(&x, &n.m) {
        return None;
    }
    let y = public_limbs(key, &x);
    limbs::to_be_bytes(&y, out);
    Some(())
}

/// `x^e mod n` for `x < n`, fully reduced.
fn public_limbs(key: &RsaPublicKey, x: &[u64]) -> Vec<u64> {
    let n = &key.n;
    let (mut xm, mut ym) = (limbs::secret(n.len()), limbs::secret(n.len()));
    n.to_mont(&mut xm, x);
    exp::public(n, &mut ym, &xm, key.e);
    let mut y = vec![0u64; n.len()];
    n.from_mont(&mut y, &ym);
    y
}

/// `a < b`, same length (constant-time).
fn less_than(a: &[u64], b: &[u64]) -> bool {
    let mut tmp = limbs::secret(a.len());
    limbs::sub(&mut tmp, a, b) == 1
}

/// `c^d mod n` on big-endian `k`-byte input, into `out` (`k` bytes).
///
/// The input is blinded with a fresh random `r` (`c r^e`), both halves are
/// exponentiated in constant time, recombined without branches, unblinded, and
/// the result is raised to `e` and compared with `c`: a fault anywhere (a
/// glitch, a bug, an inconsistent key) yields an error, never a wrong output
/// that would leak a prime.
pub fn private_op(key: &RsaPrivateKey, c: &[u8], out: &mut [u8]) -> Result<()> {
    // Every buffer here is a `Secret`, wiped on every return: `t` ends as
    // the unblinded result (an OAEP decryption's plaintext).
    let n = &key.public.n;
    let l = n.len();
    let mut x = limbs::secret(l);
    if !limbs::from_be_bytes(c, &mut x) || !less_than(&x, &n.m) {
        return Err(crypto("input out of range for the key"));
    }
    let blinding = Blinding::new(key)?;
    // c r^e mod n.
    let (mut xm, mut t, mut blinded) = (limbs::secret(l), limbs::secret(l), limbs::secret(l));
    n.to_mont(&mut xm, &x);
    n.mul(&mut t, &xm, &blinding.re);
    n.from_mont(&mut blinded, &t);

    let s = crt(key, &blinded);
    // s r r^-1: `unblind` is r^-1 R, so one multiplication lands in plain form.
    n.mul(&mut t, &s, &blinding.unblind);
    n.reduce(&mut t);

    if limbs::eq_mask(&public_limbs(&key.public, &t), &x) == 0 {
        return Err(crypto(
            "the RSA result failed its check with the public exponent (a fault, or a p or q not prime); nothing was released",
        ));
    }
    limbs::to_be_bytes(&t, out);
    Ok(())
}

/// `m2 + q ((m1 - m2) qinv mod p)` with `m1 = c^dp mod p`, `m2 = c^dq mod q`.
fn crt(key: &RsaPrivateKey, c: &[u64]) -> Secret {
    let (p, q) = (&key.p, &key.q);
    let (mut cp, mut cq) = (limbs::secret(p.len()), limbs::secret(q.len()));
    p.to_mont_wide(&mut cp, c);
    q.to_mont_wide(&mut cq, c);
    let (mut m1m, mut m2m) = (limbs::secret(p.len()), limbs::secret(q.len()));
    super::lanes::pow_pair(key, &mut m1m, &mut m2m, &cp, &cq);
    let (mut m1, mut m2) = (limbs::secret(p.len()), limbs::secret(q.len()));
    p.from_mont(&mut m1, &m1m);
    q.from_mont(&mut m2, &m2m);
    recombine(key, &m1, &m2)
}

/// The masked CRT recombination.
fn recombine(key: &RsaPrivateKey, m1: &[u64], m2: &[u64]) -> Secret {
    let (p, q) = (&key.p, &key.q);
    let lp = p.len();
    // m2 mod p (q may be larger than p), in plain form.
    let (mut t, mut m2p) = (limbs::secret(lp), limbs::secret(lp));
    p.to_mont_wide(&mut t, m2);
    p.from_mont(&mut m2p, &t);
    // (m1 - m2) mod p: subtract, add p back under the borrow mask.
    let (mut diff, mut back) = (limbs::secret(lp), limbs::secret(lp));
    let borrow = limbs::sub(&mut diff, m1, &m2p);
    limbs::add(&mut back, &diff, &p.m);
    limbs::select(&mut diff, &back, limbs::mask(borrow));
    // h = diff qinv mod p (qinv is in Montgomery form, so the R cancels).
    let mut h = limbs::secret(lp);
    p.mul(&mut h, &diff, &key.qinv);
    p.reduce(&mut h);
    // m2 + h q < p q = n.
    let mut s = limbs::secret(lp + q.len() + 1);
    limbs::mul_wide(&mut s[..lp + q.len()], &h, &q.m);
    let mut carry = 0u64;
    for (i, limb) in s.iter_mut().enumerate() {
        let v = *limb + m2.get(i).copied().unwrap_or(0) + carry;
        *limb = v & limbs::MASK;
        carry = v >> BITS;
    }
    // n's limb count is at most lp + lq (see montgomery::limbs_for), and the
    // value is below n: nothing is lost.
    let l = key.public.n.len();
    let mut out = limbs::secret(l);
    for (o, &v) in out.iter_mut().zip(s.iter()) {
        *o = v;
    }
    out
}

/// The blinding pair of one operation: `r^e R` and `r^-1 R` modulo `n`,
/// wiped when dropped.
struct Blinding {
    re: Secret,
    unblind: Secret,
}

impl Blinding {
    fn new(key: &RsaPrivateKey) -> Result<Self> {
        let n = &key.public.n;
        for _ in 0..BLINDING_TRIES {
            let Some(r) = random_below(n)? else { continue };
            let Some(k) = random_below(n)? else { continue };
            let (mut rm, mut re, mut w) = (limbs::secret(n.len()), limbs::secret(n.len()), limbs::secret(n.len()));
            n.to_mont(&mut rm, &r);
            exp::public(n, &mut re, &rm, key.public.e);
            // w = r k mod n, inverted in variable time: w is independent of r.
            n.mul(&mut w, &rm, &k);
            n.reduce(&mut w);
            let Some(unblind) = invert_masked(n, &w, &k) else { continue };
            return Ok(Blinding { re, unblind });
        }
        Err(crypto("could not draw a blinding factor"))
    }
}

/// `w^-1 k R mod n` (= `r^-1 R` when `w = r k`).
fn invert_masked(n: &Modulus, w: &[u64], k: &[u64]) -> Option<Secret> {
    let l = n.len();
    let (w64, n64) = (Secret::new(to_words(w)), to_words(&n.m));
    let (x64, shift) = inverse::almost_inverse(&w64, &n64)?;
    let x64 = Secret::new(x64);
    let mut x = limbs::secret(l);
    from_words(&x64, &mut x);
    // x = w^-1 2^shift. Multiply by 2^(56L - shift) R, then by k: the two
    // Montgomery divisions by R leave w^-1 k 2^(56L - shift - 28L + ...):
    // x 2^(56L-shift) k / R = w^-1 k 2^(28L) = w^-1 k R.
    let total = 2 * BITS * l;
    let e = total.checked_sub(shift)?;
    let mut pow2 = vec![0u64; 2 * l];
    pow2[e / BITS] = 1 << (e % BITS);
    let mut t = vec![0u64; l];
    n.to_mont_wide(&mut t, &pow2);
    let (mut y, mut out) = (limbs::secret(l), limbs::secret(l));
    n.mul(&mut y, &x, &t);
    n.mul(&mut out, &y, k);
    Some(out)
}

/// A uniformly random number of `bits(n) - 1` bits (so below `n`); `None`
/// when it is zero.
fn random_below(n: &Modulus) -> Result<Option<Secret>> {
    let mut bytes = zeroize::Zeroizing::new(vec![0u8; n.bits.div_ceil(8)]);
    crate::nonce::fill_random(&mut bytes)?;
    let keep = (n.bits - 1) % 8;
    bytes[0] &= if keep == 0 { 0 } else { (1u8 << keep) - 1 };
    let mut x = limbs::secret(n.len());
    limbs::from_be_bytes(&bytes, &mut x);
    Ok((limbs::eq_mask(&x, &vec![0; n.len()]) == 0).then_some(x))
}

/// 28-bit limbs to 64-bit words (little-endian), through the exact bit stream.
fn to_words(x: &[u64]) -> Vec<u64> {
    let mut out = vec![0u64; (x.len() * BITS).div_ceil(64)];
    for (i, &limb) in x.iter().enumerate() {
        let bit = i * BITS;
        let (w, off) = (bit / 64, bit % 64);
        out[w] |= limb << off;
        if off + BITS > 64 {
            out[w + 1] |= limb >> (64 - off);
        }
    }
    out
}

fn from_words(x: &[u64], out: &mut [u64]) {
    for (i, limb) in out.iter_mut().enumerate() {
        let bit = i * BITS;
        let (w, off) = (bit / 64, bit % 64);
        let lo = x.get(w).copied().unwrap_or(0) >> off;
        let hi = if off + BITS > 64 { x.get(w + 1).copied().unwrap_or(0) << (64 - off) } else { 0 };
        *limb = (lo | hi) & limbs::MASK;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check with `e` releases nothing when a CRT half is wrong. (A key
    /// parsed with a wrong `dp` is refused now, so the fault is made here,
    /// after parsing, as a glitch in memory would.)
    #[test]
    fn a_faulty_crt_half_releases_nothing() {
        let pem = include_bytes!("../../tests/fixtures/merchant_key.pkcs8.pem");
        let mut key = crate::keys::PrivateKey::parse(pem, "t").unwrap();
        let mut c = vec![0u8; key.size()];
        c[1..9].copy_from_slice(b"abcdefgh");
        let (mut good, mut bad) = (vec![0u8; key.size()], vec![0u8; key.size()]);
        private_op(&key.key, &c, &mut good).unwrap();
        key.key.dp[0] ^= 2;
        let e = private_op(&key.key, &c, &mut bad).unwrap_err();
        assert!(e.message.contains("failed its check with the public exponent (a fault, or a p or q not prime)"), "{}", e.message);
        assert!(bad.iter().all(|&b| b == 0), "nothing released");
        key.key.dp[0] ^= 2;
        let mut again = vec![0u8; key.size()];
        private_op(&key.key, &c, &mut again).unwrap();
        assert_eq!(again, good);
    }
}
