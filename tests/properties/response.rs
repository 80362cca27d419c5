//! `src/response.rs`: a signed answer (Node's, `tests/fixtures/answer_body.*`)
//! verifies, and no single-byte change to it does, each with its own code.

use proptest::prelude::*;
use wxpay_wasm::response::{verify, Codes, SignatureHeaders, MAX_SKEW_SECS, NOTIFY_CODES, RESPONSE_CODES};
use wxpay_wasm::{Code, Error};

use crate::{fixture, fixture_text, names_platform_serial, platform_ring, PLATFORM_SERIAL};

const TS: &str = "1554208460";
const NOW: u64 = 1554208460;
const NONCE: &str = "NwJfk3gJr0Y5cLNqZc9oWQ8Hhh5dxUg7";

/// The four headers and the body, as bytes so any byte can change.
fn answer() -> [Vec<u8>; 5] {
    [
        TS.into(),
        NONCE.into(),
        fixture_text("answer_body.sig").trim_end().into(),
        PLATFORM_SERIAL.into(),
        fixture("answer_body.json"),
    ]
}

fn check(a: &[Vec<u8>; 5], now: u64, codes: Codes) -> Result<(), Error> {
    // Headers arrive as strings: a change that breaks UTF-8 cannot reach us.
    let s = |b: &Vec<u8>| String::from_utf8_lossy(b).into_owned();
    let (ts, nonce, sig, serial) = (s(&a[0]), s(&a[1]), s(&a[2]), s(&a[3]));
    let h = SignatureHeaders {
        timestamp: Some(&ts),
        nonce: Some(&nonce),
        signature: Some(&sig),
        serial: Some(&serial),
    };
    verify(&h, &a[4], now, platform_ring(), codes)
}

/// The code a changed answer must fail with, or `None` if the change is one
/// that must be accepted (the same serial spelled otherwise).
fn expected(field: usize, changed: &[u8], codes: Codes) -> Option<Code> {
    match field {
        0 => {
            let ts = std::str::from_utf8(changed).ok().filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
            match ts.and_then(|t| t.parse::<u64>().ok()) {
                Some(t) if t.abs_diff(NOW) <= MAX_SKEW_SECS => Some(codes.signature),
                _ => Some(codes.timestamp),
            }
        }
        3 if names_platform_serial(changed) => None,
        3 => Some(codes.serial),
        _ => Some(codes.signature),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn any_single_byte_change_is_rejected_with_its_code(
        field in 0usize..5,
        at in any::<prop::sample::Index>(),
        xor in 1u8..=255,
        notify in any::<bool>(),
    ) {
        let codes = if notify { NOTIFY_CODES } else { RESPONSE_CODES };
        let mut a = answer();
        let i = at.index(a[field].len());
        a[field][i] ^= xor;
        prop_assume!(std::str::from_utf8(&a[field]).is_ok() || field == 4);
        match (expected(field, &a[field], codes), check(&a, NOW, codes)) {
            (None, got) => prop_assert!(got.is_ok(), "{:?}", got),
            (Some(want), got) => prop_assert_eq!(got.map_err(|e| e.code), Err(want), "field {} byte {} ^ {:#x}", field, i, xor),
        }
    }

    #[test]
    fn any_insertion_or_deletion_is_rejected(
        field in 0usize..5,
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        insert in any::<bool>(),
    ) {
        let mut a = answer();
        if insert {
            let i = at.index(a[field].len() + 1);
            a[field].insert(i, byte);
        } else {
            let i = at.index(a[field].len());
            a[field].remove(i);
        }
        prop_assume!(std::str::from_utf8(&a[field]).is_ok() || field == 4);
        match (expected(field, &a[field], RESPONSE_CODES), check(&a, NOW, RESPONSE_CODES)) {
            // A `0` put before the serial: the same number, the same key.
            (None, got) => prop_assert!(got.is_ok(), "{:?}", got),
            (Some(want), got) => prop_assert_eq!(got.map_err(|e| e.code), Err(want)),
        }
    }

    /// The serial with leading zeros put before it, in any case, names the
    /// same certificate; with any other digit before it, none.
    #[test]
    fn the_serial_matches_as_a_number(zeros in 0usize..4, lower in any::<bool>(), other in "[1-9A-Fa-f]") {
        let mut a = answer();
        let serial = if lower { PLATFORM_SERIAL.to_ascii_lowercase() } else { PLATFORM_SERIAL.to_string() };
        a[3] = format!("{}{serial}", "0".repeat(zeros)).into_bytes();
        prop_assert_eq!(check(&a, NOW, RESPONSE_CODES), Ok(()));
        a[3] = format!("{}{other}{serial}", "0".repeat(zeros)).into_bytes();
        prop_assert_eq!(check(&a, NOW, RESPONSE_CODES).map_err(|e| e.code), Err(Code::ResponseSerial));
    }

    /// The window is 300 s either way, no more.
    #[test]
    fn the_untouched_answer_verifies_only_inside_the_window(offset in -1000i64..1000) {
        let now = NOW.checked_add_signed(offset).unwrap();
        let got = check(&answer(), now, RESPONSE_CODES).map_err(|e| e.code);
        if offset.unsigned_abs() <= MAX_SKEW_SECS {
            prop_assert_eq!(got, Ok(()));
        } else {
            prop_assert_eq!(got, Err(Code::ResponseTimestamp));
        }
    }

    /// Arbitrary headers and body: never a panic, never accepted.
    #[test]
    fn arbitrary_input_is_rejected(
        ts in prop::option::of(prop_oneof![any::<String>(), Just(TS.to_string())]),
        nonce in prop::option::of(any::<String>()),
        sig in prop::option::of(prop_oneof![any::<String>(), "[A-Za-z0-9+/]{342}==", "WECHATPAY/SIGNTEST/.*"]),
        serial in prop::option::of(prop_oneof![any::<String>(), Just(PLATFORM_SERIAL.to_string())]),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let h = SignatureHeaders {
            timestamp: ts.as_deref(),
            nonce: nonce.as_deref(),
            signature: sig.as_deref(),
            serial: serial.as_deref(),
        };
        let e = verify(&h, &body, NOW, platform_ring(), RESPONSE_CODES).unwrap_err();
        prop_assert!(matches!(
            e.code,
            Code::ResponseUnsigned | Code::ResponseTimestamp | Code::ResponseSerial | Code::ResponseSignature
        ));
    }
}
