//! `crate::rsa` against the `rsa` crate (0.10, RustCrypto; a dev-dependency,
//! never in the .wasm) on keys made by `oracle.mjs`: every modulus size from
//! 1024 to 4096 bits (`every_modulus_size_*`), and random keys of 2048, 3072
//! and 4096 bits, balanced and with primes of unequal sizes, and of 3584 and
//! 4088 bits with equal primes on multiples of 28 bits
//! (`random_keys_against_the_rsa_crate`).
//!
//! Per key: PKCS#1 v1.5 SHA-256 signatures byte for byte (ours and theirs on
//! the same random message); verification agreeing on good, one-bit-changed
//! and other-message signatures; the raw private operation `c^d mod n` on
//! random inputs and at the edges, byte for byte; OAEP (SHA-1) ours to theirs
//! and theirs to ours. The keys are read from PKCS#1 DER by each side's own
//! parser; the rsa crate takes primes of any sizes
//! (`from_components_with_wide_primes`).

use std::process::Command;

use rsa::pkcs1::der::Decode;
use rsa::traits::PublicKeyParts;
use rsa::BoxedUint;
use sha1_011::Sha1;
use wxpay_wasm::crypto;
use wxpay_wasm::keys::{PrivateKey, PublicKey};
use wxpay_wasm::rsa::crt;
use wxpay_wasm::Code;

/// One key on both sides.
pub struct Pair {
    pub label: String,
    pub ours: PrivateKey,
    pub ours_public: PublicKey,
    pub theirs: rsa::PrivateKey,
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    getrandom::getrandom(&mut v).unwrap();
    v
}

fn random_below(bound: usize) -> usize {
    let b = random_bytes(8);
    (u64::from_be_bytes(b.try_into().unwrap()) % bound as u64) as usize
}

fn flip(v: &[u8], bit: usize) -> Vec<u8> {
    let mut v = v.to_vec();
    v[bit / 8] ^= 1 << (bit % 8);
    v
}

/// Runs `node oracle.mjs ARGS` and returns its lines.
pub fn oracle(args: &[&str]) -> Vec<String> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("node").arg(format!("{dir}/tests/rsa/oracle.mjs")).args(args).output().expect("node runs");
    assert!(out.status.success(), "oracle failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect()
}

impl Pair {
    /// Both sides' keys from PKCS#1 `RSAPrivateKey` and SPKI DER.
    pub fn new(label: String, pkcs1_hex: &str, spki_hex: &str) -> Pair {
        let (pkcs1, spki) = (unhex(pkcs1_hex), unhex(spki_hex));
        let ours = PrivateKey::parse(&pkcs1, "test").unwrap_or_else(|e| panic!("{label}: ours refused the key: {e}"));
        let ours_public = PublicKey::parse(&spki, "test").unwrap_or_else(|e| panic!("{label}: ours refused the public key: {e}"));
        let k = rsa::pkcs1::RsaPrivateKeyRef::from_der(&pkcs1).unwrap();
        let uint = |u: rsa::pkcs1::UintRef<'_>| BoxedUint::from_be_slice_vartime(u.as_bytes());
        let theirs = rsa::PrivateKey::from_components_with_wide_primes(
            uint(k.modulus),
            uint(k.public_exponent),
            uint(k.private_exponent),
            vec![uint(k.prime1), uint(k.prime2)],
        )
        .unwrap_or_else(|e| panic!("{label}: the rsa crate refused the key: {e}"));
        Pair { label, ours, ours_public, theirs }
    }

    fn size(&self) -> usize {
        self.theirs.size()
    }

    /// Signs `messages` random messages on both sides and compares them byte
    /// for byte; checks verification, the raw operation and OAEP.
    pub fn check(&self, messages: usize) {
        for _ in 0..messages {
            self.check_signature(true);
        }
        self.check_raw(true);
        self.check_oaep(&[0, 1 + random_below(self.size() - 42), self.size() - 42]);
    }

    /// The sweep's lighter check, mostly on the rsa crate's public operation
    /// (its private operation costs more than ours): one signature, compared
    /// byte for byte with the rsa crate's own on every `compare`th key and
    /// otherwise checked by its verification, which is the same test: `s^e
    /// mod n` is a permutation of `[0, n)`, so exactly one `s < n` verifies,
    /// the signature. One random raw operation, checked the same way; OAEP both
    /// ways for one plaintext length, the empty or the longest in turn.
    pub fn check_sweep(&self, index: usize, compare: usize) {
        self.check_signature(index % compare == 0);
        self.check_raw(false);
        let k = self.size();
        self.check_oaep(&[[0, k - 42, 1 + random_below(k - 42)][index % 3]]);
    }

    fn check_signature(&self, compare: bool) {
        let (label, k) = (&self.label, self.size());
        assert_eq!(self.ours.size(), k, "{label}: size");
        let public = self.theirs.as_public_key();
        let msg = random_bytes(random_below(300));
        let ours = crypto::sign(&self.ours, &msg).unwrap_or_else(|e| panic!("{label}: ours failed to sign: {e}"));
        assert!(public.pkcs1v15_verify::<rsa::sha2::Sha256>(&msg, &ours).is_ok(), "{label}: the rsa crate rejected our signature");
        if compare {
            let theirs = self.theirs.pkcs1v15_sign::<rsa::sha2::Sha256>(&msg).unwrap();
            assert_eq!(hex(&ours), hex(&theirs), "{label}: signature of {}", hex(&msg));
        }
        assert!(crypto::verify(&self.ours_public, &msg, &ours), "{label}: ours rejected a good signature");
        // One bit changed in the signature or the message, or a signature of
        // another message: both reject.
        let bad_sig = flip(&ours, random_below(8 * k));
        let other = random_bytes(32);
        let changed = flip(&[&msg[..], b"x"].concat(), random_below(8 * msg.len() + 8));
        for (m, s) in [(&msg, &bad_sig), (&other, &ours), (&changed, &ours)] {
            let want = public.pkcs1v15_verify::<rsa::sha2::Sha256>(m, s).is_ok();
            assert!(!want, "{label}: the rsa crate accepted a bad signature");
            assert_eq!(crypto::verify(&self.ours_public, m, s), want, "{label}: verification disagrees");
        }
    }

    /// `c^d mod n` for a random `c < n` and, with `edges`, at the edges (0, 1,
    /// n - 1, n - 2), byte for byte with the rsa crate's private operation;
    /// without, checked by its public one (`s^e = c`).
    fn check_raw(&self, edges: bool) {
        let (label, k) = (&self.label, self.size());
        let n = self.theirs.n().as_ref().clone();
        let one = BoxedUint::one_with_precision(n.bits_precision());
        let mut inputs = vec![BoxedUint::from_be_slice_vartime(&random_bytes(k)).rem_vartime(self.theirs.n())];
        if edges {
            inputs.extend([n.wrapping_sub(&one), n.wrapping_sub(&one).wrapping_sub(&one), one.clone(), one.wrapping_sub(&one)]);
        }
        for c in inputs {
            let c_bytes = pad(&c.to_be_bytes_trimmed_vartime(), k);
            let mut ours = vec![0u8; k];
            crt::private_op(self.ours.rsa(), &c_bytes, &mut ours).unwrap_or_else(|e| panic!("{label}: raw: {e}"));
            if edges {
                let theirs = rsa::hazmat::rsa_decrypt_and_check(&self.theirs, Some(&mut getrandom_04::SysRng), &c).unwrap();
                assert_eq!(hex(&ours), hex(&pad(&theirs.to_be_bytes_trimmed_vartime(), k)), "{label}: c = {}", hex(&c_bytes));
            } else {
                let s = BoxedUint::from_be_slice_vartime(&ours);
                let back = rsa::hazmat::rsa_encrypt(self.theirs.as_public_key(), &s).unwrap();
                assert!(s < n, "{label}: raw result not below n");
                assert_eq!(hex(&pad(&back.to_be_bytes_trimmed_vartime(), k)), hex(&c_bytes), "{label}: raw (s^e != c)");
            }
        }
        // n itself is out of range.
        let mut out = vec![0u8; k];
        let err = crt::private_op(self.ours.rsa(), &pad(&n.to_be_bytes_trimmed_vartime(), k), &mut out).unwrap_err();
        assert_eq!(err.code, Code::Crypto);
    }

    /// OAEP SHA-1 (empty label): ours to theirs and theirs to ours, for
    /// plaintexts of the lengths given.
    fn check_oaep(&self, lengths: &[usize]) {
        let (label, k) = (&self.label, self.size());
        let public = self.theirs.as_public_key();
        for &len in lengths {
            let pt = random_bytes(len);
            let ours = crypto::oaep_encrypt(&self.ours_public, &pt).unwrap_or_else(|e| panic!("{label}: OAEP encrypt: {e}"));
            assert_eq!(ours.len(), k);
            let back = self.theirs.oaep_decrypt::<Sha1>(&ours).unwrap_or_else(|e| panic!("{label}: the rsa crate could not decrypt ours ({len} bytes): {e}"));
            assert_eq!(hex(&back), hex(&pt), "{label}: OAEP ours -> theirs");
            let theirs = public.oaep_encrypt::<Sha1>(&pt).unwrap();
            let got = crypto::oaep_decrypt(&self.ours, &theirs).unwrap_or_else(|e| panic!("{label}: ours could not decrypt theirs ({len} bytes): {e}"));
            assert_eq!(hex(&got), hex(&pt), "{label}: OAEP theirs -> ours");
        }
        let err = crypto::oaep_encrypt(&self.ours_public, &vec![0; k - 41]).unwrap_err();
        assert_eq!(err.code, Code::InvalidParam);
    }
}

fn pad(b: &[u8], k: usize) -> Vec<u8> {
    let mut v = vec![0u8; k - b.len()];
    v.extend_from_slice(b);
    v
}

/// Runs `check` over the keys of `oracle.mjs sweep FROM TO`, in two threads.
fn sweep(from: usize, to: usize) {
    let lines = oracle(&["sweep", &from.to_string(), &to.to_string()]);
    assert_eq!(lines.len(), to - from + 1);
    let mut sizes = Vec::new();
    std::thread::scope(|s| {
        let chunks: Vec<_> = lines.chunks(lines.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    let mut seen = Vec::new();
                    for (i, line) in chunk.iter().enumerate() {
                        let f: Vec<&str> = line.split(' ').collect();
                        assert_eq!(f[0], "SWEEP");
                        let label = format!("{}-bit key, {}- and {}-bit primes", f[1], f[2], f[3]);
                        let pair = Pair::new(label, f[4], f[5]);
                        pair.check_sweep(i, 4);
                        let bits = pair.theirs.n().as_ref().bit_width_vartime() as usize;
                        assert_eq!(bits.to_string(), f[1]);
                        seen.push(bits);
                    }
                    seen
                })
            })
            .collect();
        for h in handles {
            sizes.extend(h.join().unwrap());
        }
    });
    sizes.sort();
    assert_eq!(sizes, (from..=to).collect::<Vec<_>>());
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn every_modulus_size_from_1024_to_2559_bits() {
    sweep(1024, 2559);
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn every_modulus_size_from_2560_to_4096_bits() {
    sweep(2560, 4096);
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn random_keys_against_the_rsa_crate() {
    let lines = oracle(&["random"]);
    assert_eq!(lines.len(), 14);
    for line in &lines {
        let f: Vec<&str> = line.split(' ').collect();
        let pair = Pair::new(f[1].to_string(), f[2], f[3]);
        pair.check(env_usize("RSA_REFERENCE_MESSAGES", 24));
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
