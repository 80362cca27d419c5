//! The PEM reader behind both key parsers: a key text means the same with
//! LF, CRLF or literal `\n` line ends (as keys arrive from files, Windows
//! editors and single-line environment variables).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::keys::{PrivateKey, PublicKey};

fn private(text: &str) -> Result<Vec<u8>, String> {
    PrivateKey::parse(text.as_bytes(), "k").map(|k| k.pkcs8_der().to_vec()).map_err(|e| e.to_string())
}

fn public(text: &str) -> Result<Vec<u8>, String> {
    PublicKey::parse(text.as_bytes(), "k").map(|k| k.spki_der().to_vec()).map_err(|e| e.to_string())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // A backslash or carriage return would make the rewritten texts differ
    // in more than their line ends; a leading `0` (0x30) is read as DER.
    if text.contains(['\\', '\r']) || text.starts_with('0') || !text.contains('\n') {
        return;
    }
    let (priv_lf, pub_lf) = (private(text), public(text));
    for other in [text.replace('\n', "\r\n"), text.replace('\n', "\\n"), text.replace('\n', "\\r\\n")] {
        if other.starts_with('0') {
            continue;
        }
        assert_eq!(private(&other), priv_lf, "{other:?}");
        assert_eq!(public(&other), pub_lf, "{other:?}");
    }
});
