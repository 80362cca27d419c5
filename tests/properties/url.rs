//! `src/url.rs`: query strings and base URLs, against the `url` crate (the
//! WHATWG URL Standard that `fetch` follows) as the reference.

use ::url::{form_urlencoded, Position, Url};
use proptest::prelude::*;
use wxpay_wasm::url::{is_ipv4, is_ipv6, query, BaseUrl};
use wxpay_wasm::Code;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-z0-9&=+%# ?/\\-._~]{0,8}"]
}

fn base() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["https://", "http://", "HTTPS://", "Http://", "ftp://", "", "https:/"]);
    let host = prop_oneof![
        Just("api.mch.weixin.qq.com".to_string()),
        Just("127.0.0.1:8080".to_string()),
        Just("[::1]:443".to_string()),
        "[a-zA-Z0-9.\\-:\\[\\]@ _%]{0,14}",
    ];
    let path = prop_oneof![Just(String::new()), "/[a-z0-9/.%2eE ?#{}é\\\\]{0,14}"];
    (scheme, host, path).prop_map(|(s, h, p)| format!("{s}{h}{p}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every pair comes back out of a form-urlencoded parser exactly, in order.
    #[test]
    fn query_round_trips_through_a_url_parser(pairs in proptest::collection::vec((text(), text()), 0..5)) {
        let q = query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        prop_assert!(q.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)), "{}", q);
        let back: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes()).into_owned().collect();
        prop_assert_eq!(back, pairs);
    }

    /// A parsed `baseURL`, joined with any encoded path and query, is a URL
    /// the WHATWG parser keeps byte for byte from the path on: what is signed
    /// is what is sent.
    #[test]
    fn a_base_url_either_is_refused_or_keeps_the_signed_part(
        input in base(),
        pairs in proptest::collection::vec((text(), text()), 0..3),
        value in "[^/]{1,6}",
    ) {
        let base = match BaseUrl::parse(&input) {
            Ok(b) => b,
            Err(e) => {
                prop_assert_eq!(e.code, Code::InvalidConfig);
                prop_assert!(e.message.starts_with("options.baseURL "), "{}", e.message);
                return Ok(());
            }
        };
        prop_assume!(value != "." && value != "..");
        let path = wxpay_wasm::path::render("v3/x/{v}", |_| Ok(Some(value.as_str()))).unwrap();
        let q = query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let (full, signed) = base.join(&path, &q);
        prop_assert!(full.ends_with(&signed));
        prop_assert!(signed.starts_with('/'));
        let parsed = Url::parse(&full).map_err(|e| TestCaseError::fail(format!("{input:?} accepted, but {full:?}: {e}")))?;
        prop_assert_eq!(&parsed[Position::BeforePath..], signed.as_str(), "base {:?}", input);
        prop_assert!(matches!(parsed.scheme(), "https" | "http"));
    }

    /// The hand-written address checks accept exactly what `std::net` parses.
    #[test]
    fn ip_address_checks_agree_with_std(text in prop_oneof!["[0-9.]{0,16}", "[0-9a-fA-F:.]{0,24}", "([0-9a-f]{1,4}:){0,8}[0-9a-f.]{0,15}", "[0-9a-f:]{0,6}::[0-9a-f:.]{0,16}"]) {
        prop_assert_eq!(is_ipv4(&text), text.parse::<std::net::Ipv4Addr>().is_ok(), "ipv4 {:?}", text);
        prop_assert_eq!(is_ipv6(&text), text.parse::<std::net::Ipv6Addr>().is_ok(), "ipv6 {:?}", text);
    }
}
