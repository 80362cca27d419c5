//! RSA key structures: PKCS#1 and PKCS#8 private keys, PKCS#1 and SPKI public
//! keys, their validation, and the re-wrapping WebCrypto needs (PKCS#1 ->
//! PKCS#8, PKCS#1 public -> SPKI).

use zeroize::Zeroize;

use super::limbs;
use super::montgomery::{limbs_for, Modulus};
use crate::keys::der;

/// The smallest modulus accepted, in bits.
pub const MIN_BITS: usize = 512;
/// The largest modulus accepted, in bits (as the `rsa` crate did).
pub const MAX_BITS: usize = 4096;
/// The largest public exponent accepted (as the `rsa` crate did).
pub const MAX_EXPONENT: u64 = (1 << 33) - 1;

/// An RSA public key, ready for the public operation.
#[derive(Clone)]
pub struct RsaPublicKey {
    /// The modulus.
    pub(crate) n: Modulus,
    /// The public exponent.
    pub(crate) e: u64,
    /// The modulus length in bytes, `k`.
    pub(crate) size: usize,
}

impl RsaPublicKey {
    /// Builds a key from the big-endian modulus and exponent; `None` when they
    /// are not a usable RSA key.
    pub fn new(n: &[u8], e: &[u8]) -> Option<Self> {
        let bits = limbs::bit_len_bytes(n);
        if !(MIN_BITS..=MAX_BITS).contains(&bits) || e.len() > 8 {
            return None;
        }
        let e = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        if e < 3 || e % 2 == 0 || e > MAX_EXPONENT {
            return None;
        }
        let mut limbs = vec![0; limbs_for(bits)];
        limbs::from_be_bytes(n, &mut limbs).then_some(())?;
        Some(RsaPublicKey { n: Modulus::new(limbs)?, e, size: bits.div_ceil(8) })
    }

    /// The modulus length in bytes (256 for RSA-2048).
    pub fn size(&self) -> usize {
        self.size
    }
}

/// An RSA private key with its CRT parameters, ready for signing.
pub struct RsaPrivateKey {
    /// The public half.
    pub(crate) public: RsaPublicKey,
    /// The first prime.
    pub(crate) p: Modulus,
    /// The second prime.
    pub(crate) q: Modulus,
    /// `d mod (p - 1)`, in `p`'s limb count.
    pub(crate) dp: Vec<u64>,
    /// `d mod (q - 1)`, in `q`'s limb count.
    pub(crate) dq: Vec<u64>,
    /// `q^-1 mod p`, in Montgomery form modulo `p`.
    pub(crate) qinv: Vec<u64>,
}

/// The integers of a PKCS#1 `RSAPrivateKey`, big-endian.
pub struct Components<'a> {
    /// modulus
    pub n: &'a [u8],
    /// publicExponent
    pub e: &'a [u8],
    /// prime1
    pub p: &'a [u8],
    /// prime2
    pub q: &'a [u8],
    /// exponent1
    pub dp: &'a [u8],
    /// exponent2
    pub dq: &'a [u8],
    /// coefficient
    pub qinv: &'a [u8],
}

impl RsaPrivateKey {
    /// Builds and checks a key: `n = p q`, both primes odd, `dp < p`,
    /// `dq < q`, `qinv q = 1 mod p`. (The private exponent `d` itself is not
    /// needed.) `None` when a check fails.
    pub fn new(c: &Components<'_>) -> Option<Self> {
        let public = RsaPublicKey::new(c.n, c.e)?;
        let p = prime(c.p)?;
        let q = prime(c.q)?;
        // n = p q, compared at full width.
        let mut pq = vec![0u64; p.len() + q.len()];
        limbs::mul_wide(&mut pq, &p.m, &q.m);
        let mut n = vec![0u64; pq.len().max(public.n.len())];
        n[..public.n.len()].copy_from_slice(&public.n.m);
        pq.resize(n.len(), 0);
        if limbs::eq_mask(&pq, &n) == 0 {
            return None;
        }
        // Secrets in `Zeroizing`: wiped on every return, a refused key's too.
        let mut dp = below(c.dp, &p)?;
        let mut dq = below(c.dq, &q)?;
        let qinv = below(c.qinv, &p)?;
        // qinv q = 1 (mod p), then keep qinv in Montgomery form.
        let mut q_mont = limbs::secret(p.len());
        p.to_mont_wide(&mut q_mont, &q.m);
        let mut check = vec![0u64; p.len()];
        p.mul(&mut check, &qinv, &q_mont);
        p.reduce(&mut check);
        let mut unit = vec![0u64; p.len()];
        unit[0] = 1;
        if limbs::eq_mask(&check, &unit) == 0 {
            return None;
        }
        let mut qinv_mont = vec![0u64; p.len()];
        p.to_mont(&mut qinv_mont, &qinv);
        let (dp, dq) = (core::mem::take(&mut *dp), core::mem::take(&mut *dq));
        Some(RsaPrivateKey { public, p, q, dp, dq, qinv: qinv_mont })
    }

    /// The public half.
    pub fn public(&self) -> &RsaPublicKey {
        &self.public
    }
}

impl Drop for RsaPrivateKey {
    fn drop(&mut self) {
        // `p` and `q` wipe themselves (`Modulus` is dropped zeroized).
        self.dp.zeroize();
        self.dq.zeroize();
        self.qinv.zeroize();
    }
}

fn prime(bytes: &[u8]) -> Option<Modulus> {
    let bits = limbs::bit_len_bytes(bytes);
    if bits < 2 {
        return None;
    }
    // Its working length at once: `Modulus::new` then never reallocates
    // (which would leave a copy of the prime behind), and wipes it if refused.
    let mut x = vec![0; limbs_for(bits)];
    if !limbs::from_be_bytes(bytes, &mut x) {
        x.zeroize();
        return None;
    }
    Modulus::new(x)
}

/// `bytes` as limbs of `m`'s length, when below `m`.
fn below(bytes: &[u8], m: &Modulus) -> Option<limbs::Secret> {
    let mut x = limbs::secret(m.len());
    limbs::from_be_bytes(bytes, &mut x).then_some(())?;
    let mut tmp = limbs::secret(m.len());
    (limbs::sub(&mut tmp, &x, &m.m) == 1).then_some(x)
}

/// Reads a PKCS#1 `RSAPrivateKey` (two primes only).
pub fn pkcs1_private(der: &[u8]) -> Option<Components<'_>> {
    let (seq, trailing) = der::expect(der, der::SEQUENCE)?;
    if !trailing.is_empty() {
        return None;
    }
    let (version, rest) = der::unsigned(seq.content)?;
    if !version.is_empty() {
        return None; // version 1 is multi-prime
    }
    let (n, rest) = der::unsigned(rest)?;
    let (e, rest) = der::unsigned(rest)?;
    let (_d, rest) = der::unsigned(rest)?;
    let (p, rest) = der::unsigned(rest)?;
    let (q, rest) = der::unsigned(rest)?;
    let (dp, rest) = der::unsigned(rest)?;
    let (dq, rest) = der::unsigned(rest)?;
    let (qinv, rest) = der::unsigned(rest)?;
    rest.is_empty().then_some(Components { n, e, p, q, dp, dq, qinv })
}

/// The PKCS#1 key inside a PKCS#8 `PrivateKeyInfo` for `rsaEncryption`.
pub fn pkcs8_private(der: &[u8]) -> Option<&[u8]> {
    let (seq, trailing) = der::expect(der, der::SEQUENCE)?;
    if !trailing.is_empty() {
        return None;
    }
    let (version, rest) = der::unsigned(seq.content)?;
    if version.len() > 1 || version.first().is_some_and(|&v| v > 1) {
        return None;
    }
    let rest = der::rsa_algorithm(rest)?;
    let (key, _attributes) = der::expect(rest, der::OCTET_STRING)?;
    Some(key.content)
}

/// Wraps a PKCS#1 private key into PKCS#8 `PrivateKeyInfo` DER.
pub fn pkcs8_from_pkcs1(pkcs1: &[u8]) -> Vec<u8> {
    let mut body = der::write(der::INTEGER, &[0]);
    body.extend(der::rsa_algorithm_identifier());
    body.extend(der::write(der::OCTET_STRING, pkcs1));
    der::write(der::SEQUENCE, &body)
}

/// Reads a PKCS#1 `RSAPublicKey`: `(n, e)`.
pub fn pkcs1_public(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (seq, trailing) = der::expect(der, der::SEQUENCE)?;
    if !trailing.is_empty() {
        return None;
    }
    let (n, rest) = der::unsigned(seq.content)?;
    let (e, rest) = der::unsigned(rest)?;
    rest.is_empty().then_some((n, e))
}

/// The PKCS#1 public key inside a `SubjectPublicKeyInfo` for `rsaEncryption`.
pub fn spki(der: &[u8]) -> Option<&[u8]> {
    let (seq, trailing) = der::expect(der, der::SEQUENCE)?;
    if !trailing.is_empty() {
        return None;
    }
    let rest = der::rsa_algorithm(seq.content)?;
    let (bits, rest) = der::expect(rest, der::BIT_STRING)?;
    match (bits.content.split_first(), rest.is_empty()) {
        (Some((0, key)), true) => Some(key),
        _ => None,
    }
}

/// Wraps a PKCS#1 public key into `SubjectPublicKeyInfo` DER.
pub fn spki_from_pkcs1(pkcs1: &[u8]) -> Vec<u8> {
    let mut bits = Vec::with_capacity(pkcs1.len() + 1);
    bits.push(0);
    bits.extend_from_slice(pkcs1);
    let mut body = der::rsa_algorithm_identifier();
    body.extend(der::write(der::BIT_STRING, &bits));
    der::write(der::SEQUENCE, &body)
}
