//! The option checks of `config`: each accepts exactly the documented shape,
//! and no message repeats what it was given unless that is a serial.
//! Input: `value 0xFF ...`; every check gets every field.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::{config, Code};
use wxpay_wasm_fuzz::{ring, text_fields, PLATFORM_CERT, PLATFORM_SERIAL};

fn identifier(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fuzz_target!(|data: &[u8]| {
    if data.len() >= 8 {
        let ms = f64::from_le_bytes(data[..8].try_into().unwrap());
        let valid = ms.fract() == 0.0 && ms >= 1.0 && ms <= f64::from(i32::MAX);
        match config::timeout("options.timeout", ms) {
            Ok(v) => assert!(valid && f64::from(v) == ms, "{ms}"),
            Err(e) => assert!(!valid && e.code == Code::InvalidConfig, "{ms}"),
        }
    }
    let Some(f) = text_fields(data) else { return };
    for v in f {
        // mchid and serial: the trimmed value, or one of two fixed messages.
        for (check, name) in [(config::mchid as fn(&str) -> _, "mchid"), (config::serial, "serial")] {
            match check(v) {
                Ok(got) => assert!(identifier(v.trim()) && got == v.trim()),
                Err(e) => {
                    assert!(!identifier(v.trim()));
                    let fixed = [check("").unwrap_err().message, check("\"").unwrap_err().message];
                    assert!(fixed.contains(&e.message), "{name}: {}", e.message);
                }
            }
        }
        match config::apiv3_key(v) {
            Ok(_) => assert_eq!(v.len(), 32),
            // The length is all a message may say of a key.
            Err(e) => assert!(v.len() != 32 && e.message == config::apiv3_key(&"x".repeat(v.len())).unwrap_err().message),
        }
        match config::certs_entry(v) {
            Ok(what) => assert!(identifier(v) && what == format!("options.certs[\"{v}\"]")),
            Err(e) => assert!(!identifier(v) && e.message == config::certs_entry("\"").unwrap_err().message),
        }
        // The certificate is accepted only under its own serial, in any case.
        match config::keyring([(v.to_string(), PLATFORM_CERT)]) {
            Ok(ring) => assert!(v.eq_ignore_ascii_case(PLATFORM_SERIAL) && ring.len() == 1),
            Err(e) => assert!(!v.eq_ignore_ascii_case(PLATFORM_SERIAL) && e.code == Code::InvalidConfig),
        }
        if let Err(e) = config::keyring([(PLATFORM_SERIAL.to_string(), v.as_bytes())]) {
            assert_eq!(e.code, Code::InvalidKey);
        }
        match config::wechatpay_serial(ring(), Some(v)) {
            Ok(s) => assert!(v.trim().eq_ignore_ascii_case(PLATFORM_SERIAL) && s == PLATFORM_SERIAL),
            Err(e) => {
                let g = v.trim();
                let serial_like = identifier(g) && (g.bytes().all(|b| b.is_ascii_hexdigit()) || g.starts_with("PUB_KEY_ID_"));
                let fixed = config::wechatpay_serial(ring(), Some("\"")).unwrap_err().message;
                assert!(serial_like || e.message == fixed, "{}", e.message);
            }
        }
    }
});
