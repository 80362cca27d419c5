//! `src/config.rs`: each option is accepted exactly when it has the
//! documented shape, and no error message repeats a value that could be a
//! secret (a PEM pasted into the wrong option).

use proptest::prelude::*;
use wxpay_wasm::{config, Code};

use crate::{fixture, names_platform_serial, platform_ring, PLATFORM_SERIAL};

/// A merchant id: 1 to 32 ASCII digits.
fn is_mchid(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A secret as it might be pasted (base64 from a PEM body, a whole PEM, an
/// APIv3 key), and its random part, which no message may hold.
fn secret() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        "MII[A-Za-z0-9+/]{20,60}".prop_map(|b| (b.clone(), b)),
        "[A-Za-z0-9+/]{20,40}".prop_map(|b| (format!("-----BEGIN PRIVATE KEY-----\nMIIE{b}\n-----END PRIVATE KEY-----\n"), b)),
        "[A-Za-z0-9]{32}".prop_map(|b| (b.clone(), b)),
    ]
}

/// Whether `message` holds any 10 characters in a row of `secret`.
fn quotes(message: &str, secret: &str) -> bool {
    secret.as_bytes().windows(10).any(|w| std::str::from_utf8(w).is_ok_and(|w| message.contains(w)))
}

fn option_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        " ?[A-Za-z0-9_\\-]{1,66} ?",
        " ?[0-9]{1,34} ?",
        "[A-Za-z0-9_\\-\" ,=\n]{0,10}",
        " ?[0-9A-Fa-f]{1,66} ?",
        // A serial as OpenSSL prints it: `-serial`'s line and `-text`'s byte pairs, and near misses.
        " ?(serial=|serial =|SERIAL=)?[0-9A-Fa-f]{0,44}\n?",
        "([0-9a-f]{2}:){0,21}[0-9a-f]{0,2}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `mchid`: accepted exactly when, trimmed, it is 1 to 32 ASCII digits, and
    /// then as the trimmed text. `serial`: exactly when,
    /// trimmed, with OpenSSL's `serial=` before it and its colons left out, it
    /// is 1 to 40 hex digits, and then as those in upper case.
    #[test]
    fn identifiers_are_accepted_exactly_when_well_formed(v in option_text()) {
        let trimmed = v.trim();
        let digits: String = trimmed.strip_prefix("serial=").unwrap_or(trimmed).chars().filter(|&c| c != ':').collect();
        let serial = !digits.is_empty() && digits.len() <= 40 && digits.bytes().all(|b| b.is_ascii_hexdigit());
        for (got, name, valid, want) in [
            (config::mchid(&v), "mchid", is_mchid(trimmed), trimmed.to_string()),
            (config::serial(&v), "serial", serial, digits.to_ascii_uppercase()),
        ] {
            if valid {
                prop_assert_eq!(got.unwrap(), want);
            } else {
                let e = got.unwrap_err();
                prop_assert_eq!(e.code, Code::InvalidConfig);
                let name = format!("options.{name} ");
                prop_assert!(e.message.starts_with(&name), "{}", e.message);
            }
        }
    }

    /// `timeout`: a whole number of milliseconds from 1 to 2^31 - 1.
    #[test]
    fn timeouts_are_whole_positive_31_bit_numbers(
        ms in prop_oneof![any::<f64>(), (-10i64..=(1i64 << 32)).prop_map(|n| n as f64), (0.0f64..1e10)],
        option in any::<bool>(),
    ) {
        let name = if option { "options.timeout" } else { "config.timeout" };
        let valid = ms.fract() == 0.0 && ms >= 1.0 && ms <= f64::from(i32::MAX);
        match config::timeout(name, ms) {
            Ok(v) => prop_assert!(valid && f64::from(v) == ms, "{} -> {}", ms, v),
            Err(e) => {
                prop_assert!(!valid, "{} refused", ms);
                prop_assert_eq!(e.code, if option { Code::InvalidConfig } else { Code::InvalidParam });
            }
        }
    }

    #[test]
    fn apiv3_keys_are_32_bytes(v in prop_oneof![any::<String>(), "[!-~]{30,34}", "[é!-~]{31,32}", "[ \t\r\n]{0,2}[!-~]{31,33}[ \t\r\n]{0,2}"]) {
        match config::apiv3_key(&v) {
            Ok(_) => prop_assert_eq!(v.trim().len(), 32),
            Err(e) => {
                prop_assert_ne!(v.trim().len(), 32);
                prop_assert_eq!(e.code, Code::InvalidConfig);
            }
        }
    }

    /// `wechatpaySerial` names an entry of `certs`, in any case, with or
    /// without leading zeros, spaces around allowed; it comes out as the
    /// service writes it (upper-case hex).
    #[test]
    fn wechatpay_serial_must_name_a_configured_entry(v in prop_oneof![
        option_text(),
        Just(PLATFORM_SERIAL.to_string()),
        Just(format!(" {} ", PLATFORM_SERIAL.to_lowercase())),
        "[0-9a-fA-F]{40}",
        Just(format!("00{PLATFORM_SERIAL}")),
    ]) {
        match config::wechatpay_serial(platform_ring(), &v) {
            Ok(s) => {
                prop_assert!(names_platform_serial(v.trim().as_bytes()), "{:?}", v);
                prop_assert_eq!(s, PLATFORM_SERIAL);
            }
            Err(e) => {
                prop_assert!(!names_platform_serial(v.trim().as_bytes()), "{:?}", v);
                prop_assert_eq!(e.code, Code::InvalidConfig);
            }
        }
        prop_assert_eq!(config::choose_serial(platform_ring(), None, 0), Some((PLATFORM_SERIAL, false)));
    }

    /// Nothing that could be a secret comes back in a message, whichever
    /// option it was pasted into.
    #[test]
    fn no_message_quotes_a_pasted_secret((s, random) in secret()) {
        let cert = fixture("platform_cert.pem");
        let errors = [
            ("mchid", config::mchid(&s).err()),
            ("serial", config::serial(&s).err()),
            ("apiv3Key", config::apiv3_key(&format!("{s}!")).err()),
            ("certs key", config::certs_entry(&s).err()),
            ("certs", config::keyring([(s.clone(), cert.as_slice())]).err()),
            ("certs value", config::keyring([(PLATFORM_SERIAL.to_string(), s.as_bytes())]).err()),
            ("wechatpaySerial", config::wechatpay_serial(platform_ring(), &s).err()),
            ("privateKey", config::private_key(s.as_bytes()).err()),
        ];
        for (option, e) in errors {
            if let Some(e) = e {
                prop_assert!(!quotes(&e.message, &random), "{}: {}", option, e.message);
            }
        }
    }
}
