//! The two CRT exponentiations, `c^dp mod p` and `c^dq mod q`.
//!
//! On wasm, when `p` and `q` have the same limb count (every RSA-2048 key), the
//! two run side by side in the two lanes of one vector ([`super::pair`]);
//! otherwise one after the other ([`super::solo`] on wasm, scalar elsewhere).

use super::exp;
use super::key::RsaPrivateKey;
use super::pair;

/// `m1 = cp^dp` (mod p) and `m2 = cq^dq` (mod q), all in Montgomery form.
pub fn pow_pair(key: &RsaPrivateKey, m1: &mut [u64], m2: &mut [u64], cp: &[u64], cq: &[u64]) {
    if exp::VECTOR && key.p.len() == key.q.len() {
        pow_lanes(key, m1, m2, cp, cq);
    } else {
        exp::secret(&key.p, m1, cp, &key.dp, key.p.bits);
        exp::secret(&key.q, m2, cq, &key.dq, key.q.bits);
    }
}

/// The two-lane path, whatever the target (tests call it natively).
pub fn pow_lanes(key: &RsaPrivateKey, m1: &mut [u64], m2: &mut [u64], cp: &[u64], cq: &[u64]) {
    let (a, b) = pair::pow_pair(&key.p, &key.q, [key.p.m0, key.q.m0], cp, cq, &key.dp, &key.dq);
    m1.copy_from_slice(&a);
    m2.copy_from_slice(&b);
}
