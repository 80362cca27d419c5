//! `base64`: decoding inverts encoding, and only the one canonical spelling
//! of some bytes decodes (a signature cannot be re-spelt and still accepted).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::base64::{decode, encode};

fuzz_target!(|data: &[u8]| {
    assert_eq!(decode(&encode(data)).as_deref(), Some(data));
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(bytes) = decode(text) {
            assert_eq!(encode(&bytes), text);
        }
    }
});
