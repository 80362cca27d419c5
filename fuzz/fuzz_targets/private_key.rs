//! `keys::PrivateKey::parse` on anything: PEM (PKCS#8, PKCS#1), DER, bare
//! base64, escaped `\n`. A key that parses is the same key again from the
//! PKCS#8 DER it gives WebCrypto; anything else is `ERR_INVALID_KEY`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::keys::PrivateKey;
use wxpay_wasm::Code;

fuzz_target!(|data: &[u8]| {
    match PrivateKey::parse(data, "options.privateKey") {
        Ok(key) => {
            let again = PrivateKey::parse(key.pkcs8_der(), "again").expect("the PKCS#8 DER of a parsed key parses");
            assert_eq!(again.pkcs8_der(), key.pkcs8_der());
            assert_eq!(again.size(), key.size());
        }
        Err(e) => {
            assert_eq!(e.code, Code::InvalidKey);
            assert!(e.message.starts_with("options.privateKey "), "{}", e.message);
        }
    }
});
