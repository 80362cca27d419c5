//! `url::BaseUrl` and `url::query`: a base URL is refused
//! (`ERR_INVALID_CONFIG`) or, joined with any path and query, gives a URL
//! whose path and query the WHATWG parser keeps byte for byte (what is
//! signed is what is sent); a query string gives back its pairs.
//! Input: `baseURL 0xFF key 0xFF value 0xFF key ...`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use url::{form_urlencoded, Position, Url};
use wxpay_wasm::url::{query, BaseUrl};
use wxpay_wasm::Code;
use wxpay_wasm_fuzz::text_fields;

fuzz_target!(|data: &[u8]| {
    let Some(f) = text_fields(data) else { return };
    let pairs: Vec<(&str, &str)> = f[1..].chunks(2).map(|c| (c[0], c.get(1).copied().unwrap_or(""))).collect();
    let q = query(pairs.iter().copied());
    let back: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes()).into_owned().collect();
    let want: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(back, want);
    match BaseUrl::parse(f[0]) {
        Ok(base) => {
            let (full, signed) = base.join("v3/x", &q);
            let parsed = Url::parse(&full).unwrap_or_else(|e| panic!("{:?} accepted, but {full:?}: {e}", f[0]));
            assert_eq!(&parsed[Position::BeforePath..], signed);
            assert!(matches!(parsed.scheme(), "https" | "http"));
        }
        Err(e) => {
            assert_eq!(e.code, Code::InvalidConfig);
            assert!(e.message.starts_with("options.baseURL "));
        }
    }
});
