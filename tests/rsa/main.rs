//! `crate::rsa` against Node's crypto (OpenSSL), on fresh keys made by
//! `oracle.mjs` for every run: signatures byte for byte, verification and its
//! one-bit-change rejections, raw private operations at the edges of the
//! modulus, OAEP both ways, key conversions, and malformed DER.
//!
//! Bignum code in a debug build is slow, so these tests are `#[ignore]`d in a
//! plain `cargo test`; `make test-rust` runs them optimised:
//! `cargo test --profile test-opt --test rsa -- --include-ignored`.
//! `RSA_KEYS` and `RSA_MESSAGES` (defaults 20 and 500) set the sample size.
//!
//! `reference.rs`: the same against the `rsa` crate 0.10, on a key of every
//! modulus size from 1024 to 4096 bits and on random keys.

mod reference;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use wxpay_wasm::crypto;
use wxpay_wasm::keys::{PrivateKey, PublicKey};
use wxpay_wasm::rsa::{crt, pkcs1v15, RsaPublicKey};
use wxpay_wasm::Code;

struct Key {
    label: String,
    pkcs8: Vec<u8>,
    pkcs1: Vec<u8>,
    spki: Vec<u8>,
    pkcs1_public: Vec<u8>,
    cert: Vec<u8>,
    sigs: Vec<(Vec<u8>, Vec<u8>)>,
    raw: Vec<(Vec<u8>, Vec<u8>)>,
    oaep: Vec<(Vec<u8>, Vec<u8>)>,
}

fn unhex(s: &str) -> Vec<u8> {
    if s == "-" {
        return Vec::new();
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn hex(b: &[u8]) -> String {
    if b.is_empty() {
        return "-".into();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn oracle() -> &'static [Key] {
    static KEYS: OnceLock<Vec<Key>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = env!("CARGO_MANIFEST_DIR");
        let out = Command::new("node")
            .arg(format!("{dir}/tests/rsa/oracle.mjs"))
            .args(["cases", &env("RSA_KEYS", 20).to_string(), &env("RSA_MESSAGES", 500).to_string()])
            .output()
            .expect("node runs");
        assert!(out.status.success(), "oracle failed: {}", String::from_utf8_lossy(&out.stderr));
        let mut keys: Vec<Key> = Vec::new();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let f: Vec<&str> = line.split(' ').collect();
            match f[0] {
                "KEY" => keys.push(Key {
                    label: f[1].into(),
                    pkcs8: unhex(f[2]),
                    pkcs1: unhex(f[3]),
                    spki: unhex(f[4]),
                    pkcs1_public: unhex(f[5]),
                    cert: unhex(f[6]),
                    sigs: vec![],
                    raw: vec![],
                    oaep: vec![],
                }),
                "SIG" => keys.last_mut().unwrap().sigs.push((unhex(f[1]), unhex(f[2]))),
                "RAW" => keys.last_mut().unwrap().raw.push((unhex(f[1]), unhex(f[2]))),
                "OAEP" => keys.last_mut().unwrap().oaep.push((unhex(f[1]), unhex(f[2]))),
                other => panic!("unknown oracle line {other}"),
            }
        }
        keys
    })
}

fn private(k: &Key) -> PrivateKey {
    PrivateKey::parse(&k.pkcs8, "test").unwrap_or_else(|e| panic!("{}: {e}", k.label))
}

fn public(k: &Key) -> PublicKey {
    PublicKey::parse(&k.spki, "test").unwrap()
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn signs_byte_for_byte_like_node() {
    let mut pairs_2048 = 0;
    let mut keys_2048 = 0;
    for k in oracle() {
        let from_pkcs8 = private(k);
        let from_pkcs1 = PrivateKey::parse(&k.pkcs1, "test").unwrap();
        if from_pkcs8.size() == 256 {
            keys_2048 += 1;
        }
        for (i, (msg, want)) in k.sigs.iter().enumerate() {
            let key = if i % 2 == 0 { &from_pkcs8 } else { &from_pkcs1 };
            let got = crypto::sign(key, msg).unwrap();
            assert_eq!(hex(&got), hex(want), "{}: message {}", k.label, hex(msg));
            if key.size() == 256 {
                pairs_2048 += 1;
            }
        }
    }
    let (want_keys, want_pairs) = (env("RSA_KEYS", 20), env("RSA_KEYS", 20) * env("RSA_MESSAGES", 500));
    assert!(keys_2048 > want_keys && pairs_2048 >= want_pairs, "{keys_2048} keys, {pairs_2048} pairs");
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn verifies_node_signatures_from_every_key_format() {
    for k in oracle() {
        let keys = [&k.spki, &k.pkcs1_public, &k.cert].map(|der| PublicKey::parse(der, "test").unwrap());
        for (i, (msg, sig)) in k.sigs.iter().enumerate() {
            assert!(crypto::verify(&keys[i % 3], msg, sig), "{}: {}", k.label, hex(msg));
        }
    }
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn converts_keys_to_the_der_node_exports() {
    for k in oracle() {
        assert_eq!(PrivateKey::parse(&k.pkcs1, "t").unwrap().pkcs8_der(), &k.pkcs8[..], "{}", k.label);
        assert_eq!(private(k).pkcs8_der(), &k.pkcs8[..]);
        for der in [&k.spki, &k.pkcs1_public, &k.cert] {
            assert_eq!(PublicKey::parse(der, "t").unwrap().spki_der(), &k.spki[..], "{}", k.label);
        }
    }
}

/// Flips bit `i` of `v`.
fn flip(v: &[u8], i: usize) -> Vec<u8> {
    let mut v = v.to_vec();
    v[i / 8] ^= 1 << (i % 8);
    v
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn rejects_every_one_bit_change_of_signature_message_or_key() {
    for k in oracle().iter().take(3) {
        let key = public(k);
        let (msg, sig) = &k.sigs[0];
        let msg = if msg.is_empty() { &k.sigs[1].0 } else { msg };
        let sig = if msg == &k.sigs[0].0 { sig } else { &k.sigs[1].1 };
        assert!(crypto::verify(&key, msg, sig));
        for i in 0..sig.len() * 8 {
            assert!(!crypto::verify(&key, msg, &flip(sig, i)), "{}: signature bit {i}", k.label);
        }
        for i in 0..msg.len() * 8 {
            assert!(!crypto::verify(&key, &flip(msg, i), sig), "{}: message bit {i}", k.label);
        }
        // The key: every bit of n and of e.
        let (n, e) = wxpay_wasm::rsa::key::pkcs1_public(&k.pkcs1_public).unwrap();
        for i in 0..n.len() * 8 {
            if let Some(bad) = RsaPublicKey::new(&flip(n, i), e) {
                assert!(!pkcs1v15::verify(&bad, msg, sig), "{}: modulus bit {i}", k.label);
            }
        }
        for i in 0..e.len() * 8 {
            if let Some(bad) = RsaPublicKey::new(n, &flip(e, i)) {
                assert!(!pkcs1v15::verify(&bad, msg, sig), "{}: exponent bit {i}", k.label);
            }
        }
        // Wrong lengths.
        assert!(!crypto::verify(&key, msg, &sig[1..]));
        assert!(!crypto::verify(&key, msg, &[sig.as_slice(), &[0]].concat()));
    }
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn raw_private_operation_at_the_edges_of_the_modulus() {
    for k in oracle() {
        let key = private(k);
        for (c, want) in &k.raw {
            let mut got = vec![0u8; c.len()];
            crt::private_op(key_of(&key), c, &mut got).unwrap();
            assert_eq!(hex(&got), hex(want), "{}: c = {}", k.label, hex(c));
        }
        // c = n and c = 2^(8k) - 1 are out of range.
        let (n, _) = wxpay_wasm::rsa::key::pkcs1_public(&k.pkcs1_public).unwrap();
        let mut out = vec![0u8; n.len()];
        let err = crt::private_op(key_of(&key), n, &mut out).unwrap_err();
        assert_eq!(err.code, Code::Crypto);
        assert!(crt::private_op(key_of(&key), &vec![0xff; n.len()], &mut out).is_err());
    }
}

fn key_of(k: &PrivateKey) -> &wxpay_wasm::rsa::RsaPrivateKey {
    k.rsa()
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn oaep_round_trips_with_node_both_ways() {
    let mut lines = String::new();
    let mut want = Vec::new();
    for k in oracle() {
        let key = private(k);
        for (pt, ct) in &k.oaep {
            assert_eq!(hex(&crypto::oaep_decrypt(&key, ct).unwrap()), hex(pt), "{}", k.label);
            // One bit off anywhere: the same opaque error.
            let err = crypto::oaep_decrypt(&key, &flip(ct, 8 * ct.len() - 1)).unwrap_err();
            assert_eq!((err.code, err.message.as_str()), (Code::Crypto, "OAEP decryption failed"));
            let ours = crypto::oaep_encrypt(&public(k), pt).unwrap();
            assert_eq!(crypto::oaep_decrypt(&key, &ours).unwrap(), *pt);
            lines += &format!("{} {}\n", hex(&k.pkcs8), hex(&ours));
            want.push(hex(pt));
        }
        let too_long = vec![0u8; key.size() - 41];
        assert_eq!(crypto::oaep_encrypt(&public(k), &too_long).unwrap_err().code, Code::InvalidParam);
    }
    let dir = env!("CARGO_MANIFEST_DIR");
    let mut child = Command::new("node")
        .args([&format!("{dir}/tests/rsa/oracle.mjs"), "decrypt"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(lines.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let got: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
    assert_eq!(got, want);
}

#[test]
#[ignore = "needs an optimised build: make test-rust runs it with --profile test-opt"]
fn malformed_der_never_panics() {
    let k = &oracle()[0];
    let message = b"GET\n/v3/certificates\n1554208460\nnonce\n\n";
    for der in [&k.pkcs8, &k.pkcs1] {
        for len in 0..der.len() {
            assert_eq!(PrivateKey::parse(&der[..len], "t").unwrap_err().code, Code::InvalidKey);
        }
        for i in 0..der.len() * 8 {
            match PrivateKey::parse(&flip(der, i), "t") {
                Err(e) => assert_eq!(e.code, Code::InvalidKey),
                // Only a flip in d (unused) parses: a CRT exponent must fit
                // `e`, so the key signs, and its signatures verify.
                Ok(key) => {
                    let sig = crypto::sign(&key, message).unwrap_or_else(|e| panic!("bit {i}: {e}"));
                    assert!(pkcs1v15::verify(key.rsa().public(), message, &sig), "bit {i}");
                }
            }
        }
    }
    for der in [&k.spki, &k.pkcs1_public, &k.cert] {
        for len in 0..der.len() {
            assert_eq!(PublicKey::parse(&der[..len], "t").unwrap_err().code, Code::InvalidKey);
        }
        for i in 0..der.len() * 8 {
            if let Err(e) = PublicKey::parse(&flip(der, i), "t") {
                assert_eq!(e.code, Code::InvalidKey);
            }
        }
    }
}
