//! The two CRT exponentiations, `c^dp mod p` and `c^dq mod q`.
//!
//! On wasm with SIMD the two run side by side in the two lanes of one vector
//! (see [`super::simd`]); elsewhere, one after the other.

use super::exp;
use super::key::RsaPrivateKey;

/// `m1 = cp^dp` (mod p) and `m2 = cq^dq` (mod q), all in Montgomery form.
pub fn pow_pair(key: &RsaPrivateKey, m1: &mut [u64], m2: &mut [u64], cp: &[u64], cq: &[u64]) {
    exp::pow_secret(&key.p, m1, cp, &key.dp, key.p.bits);
    exp::pow_secret(&key.q, m2, cq, &key.dq, key.q.bits);
}
