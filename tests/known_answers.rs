//! Known answers against the public Rust API: signatures that Node's
//! `crypto.sign` produced for a committed test key, the exact Authorization
//! header, every answer-verification failure, and the path rules.
//! The fixtures and the commands that made them are in `tests/fixtures/`.

use wxpay_wasm::keys::{Keyring, PrivateKey, PublicKey};
use wxpay_wasm::request::{authorization, message, Method};
use wxpay_wasm::response::{verify, SignatureHeaders, RESPONSE_CODES};
use der::Decode;
use wxpay_wasm::{base64, crypto, path, Code};

const MCHID: &str = "1900000109";
const MERCHANT_SERIAL: &str = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";
const TS: u64 = 1554208460;
const NONCE: &str = "593BEC0C930BF1AFEB40B4A08C8FB242";
const GET_PATH: &str = "/v3/marketing/membercard-open/cards/pY7xGs0sMdNN9PVCvtJNl-6DJdIY/codes/300000001";
const PATCH_PATH: &str =
    "/v3/marketing/membercard-open/cards/pY7xGs0sMdNN9PVCvtJNl-6DJdIY/codes/a%20b%2Fc%3F%C3%A9?lang=zh_CN";
const PATCH_BODY: &str = r#"{"membership_number":"20210002","level":"白金 Platinum","out_request_no":"sbx-0001","balance_information":{"before_balance":0,"balance":100,"add_balance":100,"balance_remark":"充值 top-up"}}"#;

// Answers signed by Node with platform_key.pem.
const ANSWER_TS: &str = "1554208460";
const ANSWER_NONCE: &str = "NwJfk3gJr0Y5cLNqZc9oWQ8Hhh5dxUg7";
const PLATFORM_SERIAL: &str = "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";
const PUB_KEY_ID: &str = "PUB_KEY_ID_0119000001092019040200000000000001";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

/// A `.sig` file: Node's base64 and a trailing newline.
fn node_signature(name: &str) -> String {
    fixture_text(name).trim_end().to_string()
}

fn merchant(name: &str) -> PrivateKey {
    PrivateKey::parse(&fixture(name), "options.privateKey").unwrap()
}

fn platform_ring() -> Keyring {
    let mut ring = Keyring::default();
    ring.insert(PLATFORM_SERIAL.into(), PublicKey::parse(&fixture("platform_cert.pem"), "certs").unwrap());
    ring
}

// ---- request signatures, byte for byte with Node ----

#[test]
fn request_messages_match_the_fixture_bytes() {
    assert_eq!(message(Method::Get, GET_PATH, TS, NONCE, b"").unwrap(), fixture("request_get.txt"));
    assert_eq!(message(Method::Patch, PATCH_PATH, TS, NONCE, PATCH_BODY.as_bytes()).unwrap(), fixture("request_patch.txt"));
}

#[test]
fn pkcs8_signature_equals_nodes() {
    let key = merchant("merchant_key.pkcs8.pem");
    assert_eq!(key.size(), 256);
    for name in ["request_get", "request_patch"] {
        let sig = crypto::sign(&key, &fixture(&format!("{name}.txt"))).unwrap();
        assert_eq!(sig.len(), 256);
        assert_eq!(base64::encode(&sig), node_signature(&format!("{name}.pkcs8.sig")), "{name}");
    }
}

#[test]
fn pkcs1_signature_equals_nodes() {
    let key = merchant("merchant_key.pkcs1.pem");
    for name in ["request_get", "request_patch"] {
        let sig = crypto::sign(&key, &fixture(&format!("{name}.txt"))).unwrap();
        assert_eq!(base64::encode(&sig), node_signature(&format!("{name}.pkcs1.sig")), "{name}");
    }
}

#[test]
fn key_with_crlf_or_escaped_newlines_signs_the_same() {
    let pem = fixture_text("merchant_key.pkcs8.pem");
    let want = node_signature("request_get.pkcs8.sig");
    for text in [pem.replace('\n', "\r\n"), pem.replace('\n', "\\n")] {
        let key = PrivateKey::parse(text.as_bytes(), "options.privateKey").unwrap();
        assert_eq!(base64::encode(&crypto::sign(&key, &fixture("request_get.txt")).unwrap()), want);
    }
}

#[test]
fn authorization_header_is_exact() {
    let key = merchant("merchant_key.pkcs8.pem");
    let msg = message(Method::Get, GET_PATH, TS, NONCE, b"").unwrap();
    let header = authorization(MCHID, MERCHANT_SERIAL, TS, NONCE, &base64::encode(&crypto::sign(&key, &msg).unwrap()));
    assert_eq!(
        header,
        format!(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\",serial_no=\"408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB\",timestamp=\"1554208460\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",signature=\"{}\"",
            node_signature("request_get.pkcs8.sig")
        )
    );
}

#[test]
fn garbage_and_wrong_kind_of_key_are_invalid_key_without_key_material() {
    let cert = fixture_text("platform_cert.pem");
    let body_line = cert.lines().nth(1).unwrap();
    for input in [
        cert.as_bytes().to_vec(),
        fixture("platform_pub.pem"),
        b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n".to_vec(),
        b"not a key".to_vec(),
    ] {
        let e = PrivateKey::parse(&input, "options.privateKey").unwrap_err();
        assert_eq!(e.code, Code::InvalidKey);
        assert!(e.message.starts_with("options.privateKey "), "{}", e.message);
        assert!(!e.message.contains(body_line) && !e.message.contains("MIIE"), "{}", e.message);
    }
}

#[test]
fn der_that_is_not_a_two_prime_key_exactly_is_invalid_key() {
    let pem = fixture_text("merchant_key.pkcs1.pem");
    let der = base64::decode(&pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>()).unwrap();
    assert!(PrivateKey::parse(&der, "k").is_ok());
    // RSAPrivateKey ::= SEQUENCE { version INTEGER (0: two primes) ...
    assert_eq!(der[4..7], [2, 1, 0]);
    let mut multi = der.clone();
    multi[6] = 1;
    let mut trailing = der.clone();
    trailing.push(0);
    let mut negative = der.clone();
    let n = 7 + 4; // the modulus INTEGER's content: 00 then the top byte
    assert_eq!(negative[n], 0);
    negative[n] = 0xff;
    for (name, input) in [("multi-prime version", multi), ("trailing byte", trailing), ("negative modulus", negative)] {
        let e = PrivateKey::parse(&input, "options.privateKey").unwrap_err();
        assert_eq!(e.code, Code::InvalidKey, "{name}");
    }
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let e = PrivateKey::parse(encrypted.as_bytes(), "options.privateKey").unwrap_err();
    assert_eq!(e.message, "options.privateKey is an encrypted PKCS#8 key; export the key without a passphrase");
}

/// `der` armoured as PEM under `label`, 64 characters a line.
fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|l| std::str::from_utf8(l).unwrap()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

/// The DER of a one-block PEM fixture.
fn pem_der(name: &str) -> Vec<u8> {
    let text = fixture_text(name);
    base64::decode(&text.lines().filter(|l| !l.starts_with("-----")).collect::<String>()).unwrap()
}

/// A private key in every encoding the parser reads: PKCS#8 and PKCS#1, each
/// as PEM, DER and bare base64.
fn private_encodings(pkcs8: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let pkcs1 = pkcs8::PrivateKeyInfoRef::from_der(pkcs8).unwrap().private_key.as_bytes().to_vec();
    vec![
        ("PKCS#8 PEM", pem("PRIVATE KEY", pkcs8).into_bytes()),
        ("PKCS#1 PEM", pem("RSA PRIVATE KEY", &pkcs1).into_bytes()),
        ("PKCS#8 DER", pkcs8.to_vec()),
        ("PKCS#1 DER", pkcs1.clone()),
        ("PKCS#8 base64", base64::encode(pkcs8).into_bytes()),
        ("PKCS#1 base64", base64::encode(&pkcs1).into_bytes()),
    ]
}

fn assert_refused(result: Result<impl std::fmt::Debug, wxpay_wasm::Error>, want: &str, name: &str) {
    let e = result.unwrap_err();
    assert_eq!((e.code, e.message.as_str()), (Code::InvalidKey, want), "{name}");
}

/// `pkcs8` refused, in every encoding, naming the size limit.
fn assert_refused_for_size(pkcs8: &[u8]) {
    for (name, input) in private_encodings(pkcs8) {
        let want = "options.privateKey is an RSA key of unsupported size; keys of 512 to 4096 bits are supported";
        assert_refused(PrivateKey::parse(&input, "options.privateKey"), want, name);
    }
}

// An RSA key of a size outside the supported range was refused as "not an RSA private key".
#[test]
fn regression_oversize_private_key_is_refused_naming_the_size_limit() {
    let pkcs8 = pem_der("key_4608.pkcs8.pem");
    assert_refused_for_size(&pkcs8);
}

#[test]
fn regression_undersize_private_key_is_refused_naming_the_size_limit() {
    use der::asn1::UintRef;
    use der::Encode;
    // The textbook key: p = 61, q = 53, n = 3233 (12 bits), e = 17, d = 2753.
    let key = pkcs1::RsaPrivateKeyRef {
        modulus: UintRef::new(&[0x0c, 0xa1]).unwrap(),
        public_exponent: UintRef::new(&[17]).unwrap(),
        private_exponent: UintRef::new(&[0x0a, 0xc1]).unwrap(),
        prime1: UintRef::new(&[61]).unwrap(),
        prime2: UintRef::new(&[53]).unwrap(),
        exponent1: UintRef::new(&[53]).unwrap(),
        exponent2: UintRef::new(&[49]).unwrap(),
        coefficient: UintRef::new(&[38]).unwrap(),
        other_prime_infos: None,
    };
    let pkcs1 = key.to_der().unwrap();
    let pkcs8 = pkcs8::PrivateKeyInfoRef::new(pkcs1::ALGORITHM_ID, der::asn1::OctetStringRef::new(&pkcs1).unwrap()).to_der().unwrap();
    assert_refused_for_size(&pkcs8);
}

// A three-prime key (openssl's rsa_keygen_primes) was refused as "not an RSA private key".
#[test]
fn regression_multi_prime_private_key_is_refused_as_such() {
    let pkcs8 = pem_der("key_3prime.pkcs8.pem");
    for (name, input) in private_encodings(&pkcs8) {
        let want = "options.privateKey is a multi-prime RSA key; only two-prime keys are supported";
        assert_refused(PrivateKey::parse(&input, "options.privateKey"), want, name);
    }
    // Other DER that starts with version 1 is no multi-prime key: a SEC1 EC
    // key (then an OCTET STRING), a PKCS#8 v2 (then a SEQUENCE).
    for (name, input) in [("SEC1", [0x30, 6, 2, 1, 1, 4, 1, 0]), ("PKCS#8 v2", [0x30, 6, 2, 1, 1, 0x30, 1, 0])] {
        let e = PrivateKey::parse(&input, "options.privateKey").unwrap_err();
        assert!(e.message.starts_with("options.privateKey is not an RSA private key"), "{name}: {}", e.message);
    }
}

/// `bytes` (big-endian) plus `delta`, at the same length.
fn plus(bytes: &[u8], delta: i16) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut carry = delta;
    for b in out.iter_mut().rev() {
        let v = i16::from(*b) + carry;
        *b = v.rem_euclid(256) as u8;
        carry = v.div_euclid(256);
    }
    out
}

/// The fixture key with one of its integers replaced, as PKCS#8 DER.
fn altered_key(field: &str, value: &[u8]) -> Vec<u8> {
    use der::asn1::UintRef;
    use der::Encode;
    let pkcs8 = pem_der("merchant_key.pkcs8.pem");
    let pkcs1 = pkcs8::PrivateKeyInfoRef::from_der(&pkcs8).unwrap().private_key.as_bytes().to_vec();
    let mut key = pkcs1::RsaPrivateKeyRef::from_der(&pkcs1).unwrap();
    let v = UintRef::new(value).unwrap();
    match field {
        "e" => key.public_exponent = v,
        "d" => key.private_exponent = v,
        "dp" => key.exponent1 = v,
        "dq" => key.exponent2 = v,
        "qinv" => key.coefficient = v,
        _ => unreachable!(),
    }
    let pkcs1 = key.to_der().unwrap();
    pkcs8::PrivateKeyInfoRef::new(pkcs1::ALGORITHM_ID, der::asn1::OctetStringRef::new(&pkcs1).unwrap()).to_der().unwrap()
}

// A key whose CRT exponents did not belong to its `e` (a CRT exponent changed,
// or another `e` stored) was taken: OpenSSL then signed with it (with a wrong
// `e`, signatures the service refused), WebCrypto in workerd refused it at
// the first request, the Rust backend failed every signature.
#[test]
fn regression_private_key_whose_numbers_disagree_is_refused_at_parse() {
    let pkcs8 = pem_der("merchant_key.pkcs8.pem");
    let pkcs1 = pkcs8::PrivateKeyInfoRef::from_der(&pkcs8).unwrap().private_key.as_bytes().to_vec();
    let key = pkcs1::RsaPrivateKeyRef::from_der(&pkcs1).unwrap();
    let (dp, dq, qinv) = (key.exponent1.as_bytes(), key.exponent2.as_bytes(), key.coefficient.as_bytes());
    let want = "options.privateKey is an RSA private key whose numbers do not agree (n, p, q, the CRT exponents); export the key again";
    for (name, field, value) in [
        ("dp + 2", "dp", plus(dp, 2)),
        ("dp - 2", "dp", plus(dp, -2)),
        ("dq + 2", "dq", plus(dq, 2)),
        ("dq with one bit flipped", "dq", { let mut v = dq.to_vec(); v[dq.len() / 2] ^= 0x10; v }),
        ("e = 3, d for 65537", "e", vec![3]),
        ("e = 65539", "e", vec![1, 0, 3]),
        ("qinv + 1", "qinv", plus(qinv, 1)),
    ] {
        for (encoding, input) in private_encodings(&altered_key(field, &value)) {
            assert_refused(PrivateKey::parse(&input, "options.privateKey"), want, &format!("{name}, {encoding}"));
        }
    }
    // `d` is not used (the CRT exponents are): a changed one still parses.
    PrivateKey::parse(&altered_key("d", &plus(key.private_exponent.as_bytes(), 2)), "t").unwrap();
    // The fixture as it is, re-encoded the same way, parses.
    PrivateKey::parse(&altered_key("dp", dp), "t").unwrap();
}

// A key whose public exponent is above 2^33 - 1 (refused, as the `rsa` crate
// did) was refused as "not an RSA private key".
#[test]
fn regression_unsupported_exponent_is_refused_naming_the_exponent() {
    use der::Encode;
    let e = [2, 0, 0, 0, 1]; // 2^33 + 1
    let want = |what: &str| format!("{what} is an RSA key of unsupported public exponent; odd exponents of 3 to 2^33-1 are supported");
    for (name, input) in private_encodings(&altered_key("e", &e)) {
        assert_refused(PrivateKey::parse(&input, "options.privateKey"), &want("options.privateKey"), name);
    }
    let pkcs8 = pem_der("merchant_key.pkcs8.pem");
    let pkcs1 = pkcs8::PrivateKeyInfoRef::from_der(&pkcs8).unwrap().private_key.as_bytes().to_vec();
    let private = pkcs1::RsaPrivateKeyRef::from_der(&pkcs1).unwrap();
    let mut public = private.public_key();
    for e in [&[2u8, 0, 0, 0, 1][..], &[1, 0, 0], &[1]] {
        public.public_exponent = der::asn1::UintRef::new(e).unwrap();
        let der = public.to_der().unwrap();
        assert_refused(PublicKey::parse(&der, "certs"), &want("certs"), &format!("public, e {e:?}"));
        assert_refused(PublicKey::parse(pem("RSA PUBLIC KEY", &der).as_bytes(), "certs"), &want("certs"), &format!("public PEM, e {e:?}"));
    }
}

#[test]
fn regression_oversize_public_key_is_refused_naming_the_size_limit() {
    use der::Encode;
    let pkcs8 = pem_der("key_4608.pkcs8.pem");
    let private = pkcs8::PrivateKeyInfoRef::from_der(&pkcs8).unwrap().private_key.as_bytes().to_vec();
    let private = pkcs1::RsaPrivateKeyRef::from_der(&private).unwrap();
    let pkcs1 = private.public_key().to_der().unwrap();
    let bits = der::asn1::BitStringRef::from_bytes(&pkcs1).unwrap();
    let spki = spki::SubjectPublicKeyInfoRef { algorithm: pkcs1::ALGORITHM_ID, subject_public_key: bits }.to_der().unwrap();
    let cert = pem_der("cert_4608.pem");
    for (name, input) in [
        ("certificate PEM", fixture("cert_4608.pem")),
        ("certificate DER", cert.clone()),
        ("certificate base64", base64::encode(&cert).into_bytes()),
        ("SPKI PEM", pem("PUBLIC KEY", &spki).into_bytes()),
        ("SPKI DER", spki.clone()),
        ("PKCS#1 PEM", pem("RSA PUBLIC KEY", &pkcs1).into_bytes()),
        ("PKCS#1 DER", pkcs1.clone()),
    ] {
        let want = "certs is an RSA key of unsupported size; keys of 512 to 4096 bits are supported";
        assert_refused(PublicKey::parse(&input, "certs"), want, name);
    }
}

// ---- verifying keys ----

#[test]
fn every_public_key_format_verifies_nodes_answer() {
    let body = fixture("answer_body.json");
    let msg = [ANSWER_TS.as_bytes(), b"\n", ANSWER_NONCE.as_bytes(), b"\n", &body, b"\n"].concat();
    let sig = base64::decode(&node_signature("answer_body.sig")).unwrap();
    for name in ["platform_cert.pem", "platform_pub.pem", "platform_pub.pkcs1.pem"] {
        let key = PublicKey::parse(&fixture(name), "certs").unwrap();
        assert!(crypto::verify(&key, &msg, &sig), "{name}");
        let mut bad = msg.clone();
        bad[30] ^= 1;
        assert!(!crypto::verify(&key, &bad, &sig), "{name}");
    }
}

#[test]
fn certificate_serial_is_read_from_the_certificate() {
    let key = PublicKey::parse(&fixture("platform_cert.pem"), "certs").unwrap();
    assert_eq!(key.certificate_serial.as_deref(), Some(PLATFORM_SERIAL));
    let spki = PublicKey::parse(&fixture("platform_pub.pem"), "certs").unwrap();
    assert_eq!(spki.certificate_serial, None);
}

#[test]
fn private_key_given_as_public_key_is_refused() {
    let e = PublicKey::parse(&fixture("merchant_key.pkcs8.pem"), "options.certs[\"X\"]").unwrap_err();
    assert_eq!(e.code, Code::InvalidKey);
    assert!(e.message.starts_with("options.certs[\"X\"] "), "{}", e.message);
    assert!(!e.message.contains("MII"), "{}", e.message);
}

// ---- answer verification ----

struct Answer {
    ts: Option<String>,
    nonce: Option<String>,
    sig: Option<String>,
    serial: Option<String>,
    body: Vec<u8>,
}

fn answer() -> Answer {
    Answer {
        ts: Some(ANSWER_TS.into()),
        nonce: Some(ANSWER_NONCE.into()),
        sig: Some(node_signature("answer_body.sig")),
        serial: Some(PLATFORM_SERIAL.into()),
        body: fixture("answer_body.json"),
    }
}

fn check(a: &Answer, now: u64, ring: &Keyring) -> Result<(), wxpay_wasm::Error> {
    let h = SignatureHeaders {
        timestamp: a.ts.as_deref(),
        nonce: a.nonce.as_deref(),
        signature: a.sig.as_deref(),
        serial: a.serial.as_deref(),
    };
    verify(&h, &a.body, now, ring, RESPONSE_CODES)
}

fn code_of(a: &Answer, now: u64) -> Code {
    check(a, now, &platform_ring()).unwrap_err().code
}

#[test]
fn nodes_answer_verifies_within_the_window() {
    for now in [TS, TS - 300, TS + 300] {
        check(&answer(), now, &platform_ring()).unwrap_or_else(|e| panic!("now={now}: {e}"));
    }
}

#[test]
fn empty_204_answer_verifies() {
    let a = Answer { body: fixture("answer_empty.txt"), sig: Some(node_signature("answer_empty.sig")), ..answer() };
    assert!(a.body.is_empty());
    check(&a, TS, &platform_ring()).unwrap();
    // the same signature does not cover a non-empty body
    let a = Answer { body: b"{}".to_vec(), ..a };
    assert_eq!(code_of(&a, TS), Code::ResponseSignature);
}

#[test]
fn serial_matches_in_any_case_and_public_key_ids_work() {
    let mut ring = Keyring::default();
    ring.insert(PLATFORM_SERIAL.to_lowercase(), PublicKey::parse(&fixture("platform_cert.pem"), "c").unwrap());
    check(&answer(), TS, &ring).unwrap();

    let mut ring = Keyring::default();
    ring.insert(PUB_KEY_ID.into(), PublicKey::parse(&fixture("platform_pub.pem"), "c").unwrap());
    let a = Answer { serial: Some(PUB_KEY_ID.into()), ..answer() };
    check(&a, TS, &ring).unwrap();
    // both kinds configured at once, as during a switch-over
    ring.insert(PLATFORM_SERIAL.into(), PublicKey::parse(&fixture("platform_cert.pem"), "c").unwrap());
    check(&a, TS, &ring).unwrap();
    check(&answer(), TS, &ring).unwrap();
}

#[test]
fn each_missing_header_is_unsigned() {
    type Remove = fn(&mut Answer);
    let cases: [(&str, Remove); 4] = [
        ("Wechatpay-Timestamp", |a| a.ts = None),
        ("Wechatpay-Nonce", |a| a.nonce = None),
        ("Wechatpay-Signature", |a| a.sig = None),
        ("Wechatpay-Serial", |a| a.serial = None),
    ];
    for (header, remove) in cases {
        let mut a = answer();
        remove(&mut a);
        let e = check(&a, TS, &platform_ring()).unwrap_err();
        assert_eq!(e.code, Code::ResponseUnsigned, "{header}");
        assert!(e.message.contains(header), "{header}: {}", e.message);
    }
    let a = Answer { ts: None, nonce: None, sig: None, serial: None, ..answer() };
    assert_eq!(code_of(&a, TS), Code::ResponseUnsigned);
}

#[test]
fn stale_and_future_timestamps_fail() {
    assert_eq!(code_of(&answer(), TS + 301), Code::ResponseTimestamp, "stale");
    assert_eq!(code_of(&answer(), TS - 301), Code::ResponseTimestamp, "future");
    assert_eq!(code_of(&answer(), 0), Code::ResponseTimestamp);
}

#[test]
fn non_integer_timestamps_fail() {
    for ts in ["1554208460.0", "abc", "", " 1554208460", "1554208460 ", "+1554208460", "-1", "1.5e9", "0x5CA2E8CC"] {
        let a = Answer { ts: Some(ts.into()), ..answer() };
        assert_eq!(code_of(&a, TS), Code::ResponseTimestamp, "{ts:?}");
    }
}

#[test]
fn unknown_serial_fails() {
    let a = Answer { serial: Some("1DDE55AD98ED71D6EDD4A0B1B2C3D4E5F6A7B8C9".into()), ..answer() };
    let e = check(&a, TS, &platform_ring()).unwrap_err();
    assert_eq!(e.code, Code::ResponseSerial);
    assert!(e.message.contains("1DDE55AD98ED71D6EDD4A0B1B2C3D4E5F6A7B8C9"), "{}", e.message);
    // an empty keyring knows no serial either
    assert_eq!(check(&answer(), TS, &Keyring::default()).unwrap_err().code, Code::ResponseSerial);
}

#[test]
fn signtest_signature_fails() {
    // valid base64 after the prefix, and even a valid signature after it, still fails
    for sig in ["WECHATPAY/SIGNTEST/".to_string() + &"A".repeat(344), format!("WECHATPAY/SIGNTEST/{}", node_signature("answer_body.sig"))] {
        let a = Answer { sig: Some(sig), ..answer() };
        assert_eq!(code_of(&a, TS), Code::ResponseSignature);
    }
}

#[test]
fn bad_base64_signature_fails() {
    let good = node_signature("answer_body.sig");
    for sig in ["!!!!".to_string(), good.trim_end_matches('=').to_string(), format!("{good}AAAA="), good.replace('+', "-")] {
        let a = Answer { sig: Some(sig.clone()), ..answer() };
        assert_eq!(code_of(&a, TS), Code::ResponseSignature, "{sig}");
    }
}

#[test]
fn wrong_signature_fails() {
    // a real Node signature, of another message, by another key
    let a = Answer { sig: Some(node_signature("request_get.pkcs8.sig")), ..answer() };
    assert_eq!(code_of(&a, TS), Code::ResponseSignature);
    // the empty answer's signature on the full body
    let a = Answer { sig: Some(node_signature("answer_empty.sig")), ..answer() };
    assert_eq!(code_of(&a, TS), Code::ResponseSignature);
}

#[test]
fn tampered_body_nonce_or_timestamp_fails() {
    let mut a = answer();
    a.body[2] ^= 0x20; // "card_id" -> "Card_id": still JSON, no longer signed
    assert_eq!(code_of(&a, TS), Code::ResponseSignature);
    let mut a = answer();
    a.body.push(b' ');
    assert_eq!(code_of(&a, TS), Code::ResponseSignature);
    let a = Answer { nonce: Some("NwJfk3gJr0Y5cLNqZc9oWQ8Hhh5dxUg8".into()), ..answer() };
    assert_eq!(code_of(&a, TS), Code::ResponseSignature);
    let a = Answer { ts: Some("1554208461".into()), ..answer() };
    assert_eq!(code_of(&a, TS), Code::ResponseSignature);
}

// ---- path rules (protocol.md) ----

fn template(props: &[&str]) -> String {
    props.iter().fold(String::new(), |acc, p| path::child(&acc, p))
}

#[test]
fn segment_rules() {
    for (prop, seg) in [
        ("membercardOpen", "membercard-open"),
        // Only a lowercase-initial camelCase identifier is kebab-cased (issue 12).
        ("MembercardOpen", "MembercardOpen"),
        ("N123123", "N123123"),
        ("applyment4sub", "applyment4sub"),
        ("a_b", "a_b"),
        ("_card_id_", "{card_id}"),
        ("$code$", "{code}"),
        ("bill/tradebill", "bill/tradebill"),
        ("outTradeNo", "out-trade-no"),
    ] {
        assert_eq!(path::segment(prop), seg, "{prop}");
    }
}

#[test]
fn seed_template_and_rendering() {
    let tpl = template(&["v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_"]);
    assert_eq!(tpl, "v3/marketing/membercard-open/cards/{card_id}/codes/{code}");
    let value = |n: &str| -> wxpay_wasm::Result<Option<&str>> {
        Ok(Some(if n == "card_id" { "pY7xGs0sMdNN9PVCvtJNl-6DJdIY" } else { "a b/c?é" }))
    };
    // the PATCH fixture's path is what rendering gives
    assert_eq!(format!("/{}?lang=zh_CN", path::render(&tpl, value).unwrap()), PATCH_PATH);
}

#[test]
fn placeholder_values_are_encoded_as_one_segment() {
    for (v, enc) in [
        ("a b", "a%20b"),
        ("x/y", "x%2Fy"),
        ("q?r#s", "q%3Fr%23s"),
        ("中文", "%E4%B8%AD%E6%96%87"),
        ("~._-AZaz09", "~._-AZaz09"),
        ("%41+&=", "%2541%2B%26%3D"),
        ("12345", "12345"),
    ] {
        assert_eq!(path::render("v3/x/{id}", |_| Ok(Some(v))).unwrap(), format!("v3/x/{enc}"), "{v}");
    }
}

#[test]
fn missing_placeholder_is_missing_param() {
    let e = path::render("v3/cards/{card_id}/codes/{code}", |n| Ok((n == "card_id").then_some("c"))).unwrap_err();
    assert_eq!(e.code, Code::MissingParam);
    assert!(e.message.contains("{code}"), "{}", e.message);
}
