//! `src/request.rs` (with the `src/config.rs` checks that feed it): the signed
//! message and the `Authorization` header.

use proptest::prelude::*;
use wxpay_wasm::request::{authorization, message, Method, SCHEME};
use wxpay_wasm::{base64, config, nonce};

fn method() -> impl Strategy<Value = Method> {
    prop::sample::select(Method::ALL.to_vec())
}

/// The fields of an `Authorization` header, by a strict reading of the
/// documented format: `SCHEME k="v",k="v",...`, no spaces, no escapes.
fn fields(header: &str) -> Option<Vec<(&str, &str)>> {
    let rest = header.strip_prefix(SCHEME)?.strip_prefix(' ')?;
    let mut out = Vec::new();
    for part in rest.split(',') {
        let (k, v) = part.split_once('=')?;
        let v = v.strip_prefix('"')?.strip_suffix('"')?;
        if v.contains('"') {
            return None;
        }
        out.push((k, v));
    }
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Five lines: method, path and query, timestamp, nonce, the body verbatim.
    #[test]
    fn the_message_is_five_lines_with_the_body_verbatim(
        m in method(),
        path in "/[^\n]{0,40}",
        ts in any::<u64>(),
        nonce in "[0-9A-Za-z]{32}",
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let msg = message(m, &path, ts, &nonce, &body).unwrap();
        let head = format!("{}\n{path}\n{ts}\n{nonce}\n", m.as_str());
        prop_assert!(msg.starts_with(head.as_bytes()));
        prop_assert_eq!(&msg[head.len()..msg.len() - 1], &body[..]);
        prop_assert_eq!(msg.last(), Some(&b'\n'));
    }

    /// Whatever the caller gives as `mchid` and `serial`, what the checks let
    /// through reads back from the header unchanged, and the header is a
    /// valid HTTP field value.
    #[test]
    fn the_header_reads_back_field_by_field(
        mchid in prop_oneof![any::<String>(), "[0-9]{10}", " [A-Za-z0-9_\\-\",= ]{1,70} "],
        serial in prop_oneof![any::<String>(), "[0-9A-F]{40}", "[A-Za-z0-9_\\-\",= ]{1,70}"],
        ts in any::<u64>(),
        signature in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let (Ok(mchid), Ok(serial)) = (config::mchid(&mchid), config::serial(&serial)) else {
            return Ok(());
        };
        let nonce = nonce::nonce_from(|b| { b.fill(7); Ok(()) }).unwrap();
        let sig = base64::encode(&signature);
        let header = authorization(&mchid, &serial, ts, &nonce, &sig);
        prop_assert!(header.bytes().all(|b| (0x20..0x7f).contains(&b)), "{}", header);
        let ts = ts.to_string();
        let want = vec![
            ("mchid", mchid.as_str()),
            ("serial_no", serial.as_str()),
            ("timestamp", ts.as_str()),
            ("nonce_str", nonce.as_str()),
            ("signature", sig.as_str()),
        ];
        prop_assert_eq!(fields(&header), Some(want));
        prop_assert_eq!(base64::decode(&sig), Some(signature));
    }

    /// A nonce is 32 characters of `[0-9A-Za-z]` whatever the random bytes.
    #[test]
    fn nonces_are_32_alphanumerics(seed in proptest::collection::vec(any::<u8>(), 1..64)) {
        let mut at = 0;
        let n = nonce::nonce_from(|buf| {
            for b in buf.iter_mut() {
                // Cycle the seed, skipping ahead so all-rejected bytes cannot loop forever.
                *b = seed[at % seed.len()].wrapping_add((at / seed.len()) as u8);
                at += 1;
            }
            Ok(())
        })
        .unwrap();
        prop_assert_eq!(n.len(), nonce::NONCE_LEN);
        prop_assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()), "{}", n);
    }
}
