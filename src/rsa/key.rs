//! RSA key structures: PKCS#1 and PKCS#8 private keys, PKCS#1 and SPKI public
//! keys, their validation, and the re-wrapping WebCrypto needs (PKCS#1 ->
//! PKCS#8, PKCS#1 public -> SPKI).

use zeroize::Zeroize;

use super::limbs;
use super::montgomery::{limbs_for, Modulus};
use der::asn1::AnyRef;
use der::{Decode, Encode, Header, Length, Tag};
use pkcs1::{RsaPrivateKeyRef, RsaPublicKeyRef, ALGORITHM_OID};
use pkcs8::PrivateKeyInfoRef;
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

/// The smallest modulus accepted, in bits.
pub const MIN_BITS: usize = 512;
/// The largest modulus accepted, in bits (as the `rsa` crate did).
pub const MAX_BITS: usize = 4096;
/// The largest public exponent accepted (as the `rsa` crate did).
pub const MAX_EXPONENT: u64 = (1 << 33) - 1;

/// The size of the big-endian modulus `n` in bits, when within
/// `MIN_BITS..=MAX_BITS`.
pub fn modulus_bits(n: &[u8]) -> Option<usize> {
    let bits = limbs::bit_len_bytes(n);
    (MIN_BITS..=MAX_BITS).contains(&bits).then_some(bits)
}

/// The big-endian public exponent as a number, when it is one this code
/// takes: odd, from 3 to [`MAX_EXPONENT`].
pub fn exponent(e: &[u8]) -> Option<u64> {
    if e.len() > 8 {
        return None;
    }
    let e = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    (e >= 3 && e % 2 == 1 && e <= MAX_EXPONENT).then_some(e)
}

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
        let bits = modulus_bits(n)?;
        let e = exponent(e)?;
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
    /// `dq < q`, `e dp = 1 mod (p - 1)`, `e dq = 1 mod (q - 1)`,
    /// `qinv q = 1 mod p`. (The private exponent `d` itself is not needed.)
    /// `None` when a check fails.
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
        // The CRT exponents belong to `e`: else every signature would fail
        // its check with `e` here, and another backend (OpenSSL, WebCrypto)
        // would sign with them or refuse the key only at its first use.
        if !inverts(public.e, &dp, &p) || !inverts(public.e, &dq, &q) {
            return None;
        }
        // qinv q = 1 (mod p), then keep qinv in Montgomery form.
        let mut q_mont = limbs::secret(p.len());
        p.to_mont_wide(&mut q_mont, &q.m);
        // Wiped too: for a refused key it is not 1.
        let mut check = limbs::secret(p.len());
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

/// Whether `e d = 1 (mod p - 1)`, for `d < p`. The quotient of `e d` by
/// `p - 1` is below 2^34 (`e < 2^33`), so 35 steps of a binary long
/// division (subtract `(p - 1) 2^i` when it fits, for `i` from 34 down to 0)
/// leave the remainder, without branching on the values.
fn inverts(e: u64, d: &[u64], p: &Modulus) -> bool {
    const STEPS: usize = 35;
    const SHIFT: usize = STEPS - 1 - limbs::BITS;
    const _: () = assert!(MAX_EXPONENT < 1 << (STEPS - 2) && SHIFT < limbs::BITS);
    let l = p.len() + 2;
    let mut r = limbs::secret(l);
    limbs::mul_wide(&mut r, d, &[e & limbs::MASK, e >> limbs::BITS]);
    // (p - 1) 2^34: p is odd, and its lowest bit lands on bit SHIFT of limb 1.
    let mut t = limbs::secret(l);
    limbs::mul_wide(&mut t, &p.m, &[0, 1 << SHIFT]);
    t[1] ^= 1 << SHIFT;
    let mut tmp = limbs::secret(l);
    for _ in 0..STEPS {
        limbs::reduce_once(&mut r, &t, &mut tmp);
        let mut above = 0;
        for x in t.iter_mut().rev() {
            let low = *x & 1;
            *x = (*x >> 1) | (above << (limbs::BITS - 1));
            above = low;
        }
    }
    // r = 1: its lowest limb 1, the others 0 (read whole, as everything here).
    r[0] ^= 1;
    r.iter().fold(0, |acc, &x| acc | x) == 0
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
    let key = RsaPrivateKeyRef::from_der(der).ok()?;
    if key.other_prime_infos.is_some() {
        return None;
    }
    Some(Components {
        n: key.modulus.as_bytes(),
        e: key.public_exponent.as_bytes(),
        p: key.prime1.as_bytes(),
        q: key.prime2.as_bytes(),
        dp: key.exponent1.as_bytes(),
        dq: key.exponent2.as_bytes(),
        qinv: key.coefficient.as_bytes(),
    })
}

/// Whether `der` declares itself a PKCS#1 `RSAPrivateKey` of more than two
/// primes: a SEQUENCE of `version INTEGER 1` then an INTEGER (the modulus;
/// SEC1 EC keys and PKCS#8 v2 also start with version 1, then an OCTET
/// STRING or a SEQUENCE). Only asked of what [`pkcs1_private`] refused
/// (`pkcs1` without `alloc` does not decode `otherPrimeInfos`), to say why
/// in the message. Read by hand: der's decoders here cost more of the `.wasm`.
pub fn is_multi_prime(der: &[u8]) -> bool {
    // SEQUENCE, its length (short form, or long: 0x80 + the count of length bytes), then the version.
    let skip = match der.get(1) {
        Some(&len) if len > 0x80 => usize::from(len - 0x80),
        _ => 0,
    };
    der.first() == Some(&0x30) && matches!(der.get(2 + skip..), Some([2, 1, 1, 2, ..]))
}

/// Whether an `AlgorithmIdentifier` is `rsaEncryption` with NULL (or absent) parameters.
fn is_rsa(algorithm: &AlgorithmIdentifierRef<'_>) -> bool {
    algorithm.oid == ALGORITHM_OID && algorithm.parameters.is_none_or(AnyRef::is_null)
}

/// The PKCS#1 key inside a PKCS#8 `PrivateKeyInfo` for `rsaEncryption`.
pub fn pkcs8_private(der: &[u8]) -> Option<&[u8]> {
    let info = PrivateKeyInfoRef::from_der(der).ok()?;
    is_rsa(&info.algorithm).then_some(info.private_key.as_bytes())
}

/// The DER of `pkcs1::ALGORITHM_ID` (`rsaEncryption`, NULL parameters), as
/// bytes: the two wrappings below are fixed apart from lengths, and writing
/// them from parts keeps der's generic encoders out of the `.wasm`.
const RSA_ALGORITHM_ID: &[u8] = &[0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
/// `version INTEGER 0` of a PKCS#8 `PrivateKeyInfo`.
const PKCS8_V1: &[u8] = &[0x02, 0x01, 0x00];

/// The DER header of a `tag` element of `len` content bytes.
fn header(tag: Tag, len: usize, buf: &mut [u8; 8]) -> Option<&[u8]> {
    Header::new(tag, Length::try_from(len).ok()?).encode_to_slice(buf).ok()
}

/// `SEQUENCE { head..., inner_tag { inner_head, body } }` as DER, written
/// into one vector of the exact size: no reallocation leaves a copy of key
/// material behind.
fn wrap(head: &[&[u8]], inner_tag: Tag, inner_head: &[u8], body: &[u8]) -> Option<Vec<u8>> {
    let (mut inner_buf, mut outer_buf) = ([0u8; 8], [0u8; 8]);
    let inner = header(inner_tag, inner_head.len() + body.len(), &mut inner_buf)?;
    let parts = [head, &[inner, inner_head, body]].concat();
    let len = parts.iter().map(|p| p.len()).sum();
    let outer = header(Tag::Sequence, len, &mut outer_buf)?;
    let mut out = Vec::with_capacity(outer.len() + len);
    out.extend_from_slice(outer);
    parts.iter().for_each(|p| out.extend_from_slice(p));
    Some(out)
}

/// Wraps a PKCS#1 private key into PKCS#8 `PrivateKeyInfo` DER.
pub fn pkcs8_from_pkcs1(pkcs1: &[u8]) -> Option<Vec<u8>> {
    wrap(&[PKCS8_V1, RSA_ALGORITHM_ID], Tag::OctetString, &[], pkcs1)
}

/// Reads a PKCS#1 `RSAPublicKey`: `(n, e)`.
pub fn pkcs1_public(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let key = RsaPublicKeyRef::from_der(der).ok()?;
    Some((key.modulus.as_bytes(), key.public_exponent.as_bytes()))
}

/// The PKCS#1 public key inside a `SubjectPublicKeyInfo` for `rsaEncryption`.
pub fn spki(der: &[u8]) -> Option<&[u8]> {
    let info = SubjectPublicKeyInfoRef::from_der(der).ok()?;
    if !is_rsa(&info.algorithm) {
        return None;
    }
    info.subject_public_key.as_bytes()
}

/// Wraps a PKCS#1 public key into `SubjectPublicKeyInfo` DER.
pub fn spki_from_pkcs1(pkcs1: &[u8]) -> Option<Vec<u8>> {
    // BIT STRING content: 0 unused bits, then the key.
    wrap(&[RSA_ALGORITHM_ID], Tag::BitString, &[0], pkcs1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::{BitStringRef, OctetStringRef};

    /// `inverts` against u128 arithmetic, for primes of one to three limbs
    /// (61, 2^31 - 1, 2^61 - 1) and exponents up to `MAX_EXPONENT`: every
    /// inverse found by brute force, and its neighbours.
    #[test]
    fn inverts_agrees_with_wide_arithmetic() {
        fn inverse(e: u64, m: u64) -> Option<u64> {
            let (mut r0, mut r1, mut s0, mut s1) = (i128::from(m), i128::from(e % m), 0i128, 1i128);
            while r1 != 0 {
                let q = r0 / r1;
                (r0, r1) = (r1, r0 - q * r1);
                (s0, s1) = (s1, s0 - q * s1);
            }
            (r0 == 1).then(|| s0.rem_euclid(i128::from(m)) as u64)
        }
        let mut checked = 0;
        for p in [61u64, (1 << 31) - 1, (1 << 61) - 1] {
            let mut limbs = vec![0u64; limbs_for(64 - p.leading_zeros() as usize)];
            assert!(limbs::from_be_bytes(&p.to_be_bytes(), &mut limbs));
            let modulus = Modulus::new(limbs).unwrap();
            for e in [3u64, 7, 17, 65537, (1 << 32) + 15, MAX_EXPONENT] {
                let Some(d) = inverse(e, p - 1) else { continue };
                for d in [d, d.wrapping_sub(1), d + 1, d ^ 2, 0, 1, p - 2, p - 1] {
                    if d >= p {
                        continue;
                    }
                    let mut x = vec![0u64; modulus.len()];
                    assert!(limbs::from_be_bytes(&d.to_be_bytes(), &mut x));
                    let want = u128::from(e) * u128::from(d) % u128::from(p - 1) == 1;
                    assert_eq!(inverts(e, &x, &modulus), want, "p {p} e {e} d {d}");
                    checked += usize::from(want);
                }
            }
        }
        assert!(checked >= 10, "only {checked} inverses checked");
    }

    #[test]
    fn wrappings_equal_what_der_encodes() {
        assert_eq!(pkcs1::ALGORITHM_ID.to_der().unwrap(), RSA_ALGORITHM_ID);
        for len in [0usize, 1, 100, 127, 128, 200, 255, 256, 1200, 2400, 70_000] {
            let key: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let info = PrivateKeyInfoRef::new(pkcs1::ALGORITHM_ID, OctetStringRef::new(&key).unwrap());
            assert_eq!(pkcs8_from_pkcs1(&key).unwrap(), info.to_der().unwrap(), "{len}");
            assert_eq!(pkcs8_private(&pkcs8_from_pkcs1(&key).unwrap()), Some(&key[..]));
            let bits = BitStringRef::from_bytes(&key).unwrap();
            let spki_der = SubjectPublicKeyInfoRef { algorithm: pkcs1::ALGORITHM_ID, subject_public_key: bits }.to_der().unwrap();
            assert_eq!(spki_from_pkcs1(&key).unwrap(), spki_der, "{len}");
            assert_eq!(spki(&spki_der), Some(&key[..]));
        }
    }
}
