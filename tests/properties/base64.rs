//! `src/base64.rs`: standard padded base64, one spelling per byte string.

use proptest::prelude::*;
use wxpay_wasm::base64::{decode, decode_public, encode};

const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_inverts_encode(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = encode(&bytes);
        prop_assert_eq!(text.len(), bytes.len().div_ceil(3) * 4);
        let body = text.trim_end_matches('=');
        prop_assert!(text.len() - body.len() <= 2);
        prop_assert!(body.chars().all(|c| ALPHABET.contains(c)), "{}", text);
        prop_assert_eq!(decode(&text), Some(bytes));
    }

    /// Whatever decodes is the one canonical spelling of its bytes: a
    /// signature header cannot be re-spelt (padding bits, missing `=`,
    /// whitespace) and still be accepted.
    #[test]
    fn only_canonical_text_decodes(text in "[A-Za-z0-9+/=\\- \n]{0,40}") {
        if let Some(bytes) = decode(&text) {
            prop_assert_eq!(encode(&bytes), text);
        }
    }

    #[test]
    fn changing_one_character_of_an_encoding_changes_or_breaks_it(
        bytes in proptest::collection::vec(any::<u8>(), 1..200),
        at in any::<prop::sample::Index>(),
        with in prop::sample::select(ALPHABET.chars().chain("=-_ .".chars()).collect::<Vec<_>>()),
    ) {
        let text = encode(&bytes);
        let i = at.index(text.len());
        let mut changed: Vec<char> = text.chars().collect();
        prop_assume!(changed[i] != with);
        changed[i] = with;
        let changed: String = changed.into_iter().collect();
        prop_assert_ne!(decode(&changed), Some(bytes));
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = decode(&text);
        prop_assert_eq!(decode_public(&text), decode(&text));
    }

    /// The decoder for public text accepts exactly what the constant-time
    /// one does, with the same bytes: on encodings, on encodings with one
    /// character changed, and on text near the alphabet.
    #[test]
    fn decode_public_agrees_with_decode(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        at in any::<prop::sample::Index>(),
        with in prop::sample::select(ALPHABET.chars().chain("=-_ .\n\0".chars()).collect::<Vec<_>>()),
        text in "[A-Za-z0-9+/=\\- \n]{0,40}",
    ) {
        let encoded = encode(&bytes);
        prop_assert_eq!(decode_public(&encoded), Some(bytes));
        if !encoded.is_empty() {
            let i = at.index(encoded.len());
            let mut changed: Vec<char> = encoded.chars().collect();
            changed[i] = with;
            let changed: String = changed.into_iter().collect();
            prop_assert_eq!(decode_public(&changed), decode(&changed), "{}", changed);
        }
        prop_assert_eq!(decode_public(&text), decode(&text), "{}", text);
    }
}
