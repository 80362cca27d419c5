//! `keys::PublicKey::parse` on anything: SPKI, PKCS#1, X.509 certificates, as
//! PEM, DER or bare base64. A key that parses is the same key again from the
//! SPKI DER it gives WebCrypto; anything else is `ERR_INVALID_KEY`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::keys::PublicKey;
use wxpay_wasm::Code;

fuzz_target!(|data: &[u8]| {
    match PublicKey::parse(data, "certs") {
        Ok(key) => {
            let again = PublicKey::parse(key.spki_der(), "again").expect("the SPKI DER of a parsed key parses");
            assert_eq!(again.spki_der(), key.spki_der());
            assert_eq!(again.size(), key.size());
            if let Some(serial) = &key.certificate_serial {
                assert!(serial.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)), "{serial}");
            }
        }
        Err(e) => {
            assert_eq!(e.code, Code::InvalidKey);
            assert!(e.message.starts_with("certs "), "{}", e.message);
        }
    }
});
