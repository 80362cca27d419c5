//! `src/keys`: every accepted encoding of a key is the same key, and nothing
//! else (random bytes, bit flips, truncations) panics or is taken for a key
//! with a different meaning.

use proptest::prelude::*;
use wxpay_wasm::keys::{PrivateKey, PublicKey};
use wxpay_wasm::{base64, crypto, Code};

use crate::{fixture, fixture_text, pem_der};

/// PEM text re-wrapped as keys arrive from files, variables and secret
/// stores: any line width, line end, surrounding junk.
#[derive(Clone, Debug)]
struct Wrapping {
    width: usize,
    eol: &'static str,
    before: String,
    after: String,
}

fn wrapping() -> impl Strategy<Value = Wrapping> {
    (
        1usize..100,
        prop::sample::select(vec!["\n", "\r\n", "\\n", "\\r\\n", "\n\n", " \n", "\n\t"]),
        prop_oneof![Just(String::new()), "[a-zA-Z :\n]{0,20}"],
        prop_oneof![Just(String::new()), "\n[a-zA-Z :\n]{0,20}"],
    )
        .prop_map(|(width, eol, before, after)| Wrapping { width, eol, before, after })
}

fn wrap(label: &str, der: &[u8], w: &Wrapping) -> String {
    let b64 = base64::encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(w.width).map(|c| std::str::from_utf8(c).unwrap()).collect();
    let eol = w.eol;
    format!("{}-----BEGIN {label}-----{eol}{}{eol}-----END {label}-----{eol}{}", w.before, lines.join(eol), w.after)
}

/// Base64 without armour, broken into lines with any whitespace.
fn bare(der: &[u8], w: &Wrapping) -> String {
    let b64 = base64::encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(w.width).map(|c| std::str::from_utf8(c).unwrap()).collect();
    lines.join(if w.eol.contains('\\') { "\n" } else { w.eol })
}

/// The key as WebCrypto gets it: equal for equal keys.
fn private_id(input: &[u8]) -> Result<Vec<u8>, Code> {
    PrivateKey::parse(input, "options.privateKey").map(|k| k.pkcs8_der().to_vec()).map_err(|e| e.code)
}

fn public_id(input: &[u8]) -> Result<Vec<u8>, Code> {
    PublicKey::parse(input, "certs").map(|k| k.spki_der().to_vec()).map_err(|e| e.code)
}

/// One change to a valid key: flip bits of one byte, truncate, or drop a byte.
#[derive(Clone, Debug)]
enum Change {
    Flip(prop::sample::Index, u8),
    Truncate(prop::sample::Index),
    Remove(prop::sample::Index),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (any::<prop::sample::Index>(), 1u8..=255).prop_map(|(i, x)| Change::Flip(i, x)),
        1 => any::<prop::sample::Index>().prop_map(Change::Truncate),
        1 => any::<prop::sample::Index>().prop_map(Change::Remove),
    ]
}

fn apply(c: &Change, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match c {
        Change::Flip(i, x) => out[i.index(bytes.len())] ^= x,
        Change::Truncate(i) => out.truncate(i.index(bytes.len())),
        Change::Remove(i) => {
            out.remove(i.index(bytes.len()));
        }
    }
    out
}

const PRIVATE: [(&str, &str); 2] = [("merchant_key.pkcs8.pem", "PRIVATE KEY"), ("merchant_key.pkcs1.pem", "RSA PRIVATE KEY")];
const PUBLIC: [(&str, &str); 3] =
    [("platform_pub.pem", "PUBLIC KEY"), ("platform_pub.pkcs1.pem", "RSA PUBLIC KEY"), ("platform_cert.pem", "CERTIFICATE")];

/// An error message that holds none of the key's text.
fn no_key_material(message: &str, der: &[u8]) -> bool {
    let b64 = base64::encode(der);
    !(0..b64.len().saturating_sub(12)).step_by(6).any(|i| message.contains(&b64[i..i + 12])) && !message.contains("MII")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_encoding_of_the_merchant_key_is_the_same_key(w in wrapping(), which in 0usize..2) {
        let (name, label) = PRIVATE[which];
        let der = pem_der(name);
        let want = private_id(&fixture(name)).unwrap();
        prop_assert_eq!(private_id(wrap(label, &der, &w).as_bytes()), Ok(want.clone()));
        prop_assert_eq!(private_id(bare(&der, &w).as_bytes()), Ok(want.clone()));
        prop_assert_eq!(private_id(&der), Ok(want.clone()));
        // PKCS#1 and PKCS#8 of one key are one key.
        prop_assert_eq!(private_id(&pem_der(PRIVATE[1 - which].0)), Ok(want));
    }

    #[test]
    fn every_encoding_of_the_platform_key_is_the_same_key(w in wrapping(), which in 0usize..3) {
        let (name, label) = PUBLIC[which];
        let der = pem_der(name);
        let want = public_id(&fixture("platform_pub.pem")).unwrap();
        prop_assert_eq!(public_id(wrap(label, &der, &w).as_bytes()), Ok(want.clone()));
        prop_assert_eq!(public_id(bare(&der, &w).as_bytes()), Ok(want.clone()));
        prop_assert_eq!(public_id(&der), Ok(want));
    }

    #[test]
    fn arbitrary_bytes_are_not_a_key(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..400),
            // DER-looking: a SEQUENCE tag and anything after it.
            proptest::collection::vec(any::<u8>(), 0..400).prop_map(|mut v| { v.insert(0, 0x30); v }),
            any::<String>().prop_map(String::into_bytes),
        ],
    ) {
        prop_assert_eq!(private_id(&bytes).map(|_| ()), Err(Code::InvalidKey));
        prop_assert_eq!(public_id(&bytes).map(|_| ()), Err(Code::InvalidKey));
    }

    /// A damaged public key, DER or PEM: `ERR_INVALID_KEY` without key
    /// material in the message, or (a change the format does not cover, such
    /// as a certificate's signature, or a modulus that is still a modulus)
    /// a key. Never a panic.
    #[test]
    fn a_damaged_public_key_is_refused_cleanly(which in 0usize..3, c in change(), as_pem in any::<bool>()) {
        let (name, _) = PUBLIC[which];
        let input = if as_pem { fixture(name) } else { pem_der(name) };
        let damaged = apply(&c, &input);
        if let Err(e) = PublicKey::parse(&damaged, "certs") {
            prop_assert_eq!(e.code, Code::InvalidKey);
            prop_assert!(no_key_material(&e.message, &pem_der(name)), "{}", e.message);
        }
    }

    /// Whatever stands where the label goes (a pasted piece of the key, any
    /// text), or however the armour lines are cut, the key body is never
    /// quoted back in a message.
    #[test]
    fn a_key_with_damaged_armour_is_never_quoted(
        which in 0usize..5,
        label in prop_oneof![
            (any::<prop::sample::Index>(), 12usize..40).prop_map(|(at, len)| Err((at, len))),
            "[^-]{1,40}".prop_map(Ok),
        ],
        cut in (any::<prop::sample::Index>(), 1usize..12),
        end in any::<bool>(),
    ) {
        let name = [PRIVATE[0].0, PRIVATE[1].0, PUBLIC[0].0, PUBLIC[1].0, PUBLIC[2].0][which];
        let der = pem_der(name);
        let b64 = base64::encode(&der);
        // A label holding key material.
        let label = label.unwrap_or_else(|(at, len)| {
            let from = at.index(b64.len() - len);
            b64[from..from + len].to_string()
        });
        let relabelled = format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n");
        // An armour line cut anywhere.
        let text = fixture_text(name);
        let line = if end { text.trim_end().rfind('\n').unwrap() + 1 } else { 0 };
        let line_len = text[line..].find('\n').unwrap_or(text.len() - line) + 1;
        let from = line + cut.0.index(line_len);
        let to = (from + cut.1).min(text.len());
        let cut = format!("{}{}", &text[..from], &text[to..]);
        for input in [relabelled, cut] {
            for e in [PrivateKey::parse(input.as_bytes(), "k").err(), PublicKey::parse(input.as_bytes(), "k").err()].into_iter().flatten() {
                prop_assert_eq!(e.code, Code::InvalidKey);
                prop_assert!(no_key_material(&e.message, &der), "{:?}: {}", input, e.message);
            }
        }
    }

    /// A damaged private key: `ERR_INVALID_KEY` without key material in the
    /// message, or (see the optimised twin for what it must then do) a key of
    /// the same size.
    #[test]
    fn a_damaged_private_key_is_refused_cleanly(which in 0usize..2, c in change(), as_pem in any::<bool>()) {
        let (name, _) = PRIVATE[which];
        let input = if as_pem { fixture(name) } else { pem_der(name) };
        match PrivateKey::parse(&apply(&c, &input), "options.privateKey") {
            Err(e) => {
                prop_assert_eq!(e.code, Code::InvalidKey);
                prop_assert!(no_key_material(&e.message, &pem_der(name)), "{}", e.message);
            }
            Ok(k) => prop_assert_eq!(k.size(), 256),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A damaged private key that still parses never signs wrongly: it signs
    /// exactly as the original (the change was in a field signing does not
    /// use, such as `d`), or the check with the public exponent refuses the
    /// result (`ERR_CRYPTO`). (Keys whose `dp` or `dq` do not match `e` parse
    /// today and fail only there, at the first request: this property found
    /// it; refusing them at parse time is left to the RSA key checks.)
    /// RSA signing: optimised only.
    #[test]
    #[ignore = "RSA signing; make test-rust runs it optimised"]
    fn a_damaged_private_key_never_signs_wrongly(which in 0usize..2, c in change()) {
        let (name, _) = PRIVATE[which];
        let message = fixture("request_get.txt");
        let want = fixture_text("request_get.pkcs8.sig");
        if let Ok(k) = PrivateKey::parse(&apply(&c, &pem_der(name)), "options.privateKey") {
            match crypto::sign(&k, &message) {
                Ok(sig) => prop_assert_eq!(base64::encode(&sig), want.trim_end(), "{:?}", c),
                Err(e) => prop_assert_eq!(e.code, Code::Crypto, "{:?}", c),
            }
        }
    }
}
