//! `src/path.rs`: chain properties to templates, templates to paths. A value
//! fills exactly one segment, and the path the WHATWG URL parser (`fetch`)
//! sends is the path that was signed.

use proptest::prelude::*;
use wxpay_wasm::path::{child, placeholders, render, segment};
use wxpay_wasm::Code;

use crate::percent_decode;

/// The path `fetch` would send for `path`, by the WHATWG parser.
fn sent_path(path: &str) -> String {
    ::url::Url::parse(&format!("https://api.mch.weixin.qq.com/{path}")).unwrap().path().to_string()
}

/// Any value a caller could pass, but the three refused ones.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[./%2eE?#&=+ \\\\a-z]{1,8}",
        Just("%2e%2e".to_string()),
        Just("../..".to_string()),
    ]
    .prop_filter("refused values", |v| !["", ".", ".."].contains(&v.as_str()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_value_is_one_encoded_segment_that_decodes_back(v in value()) {
        let path = render("v3/cards/{card_id}/codes", |_| Ok(Some(v.as_str()))).unwrap();
        let seg = path.strip_prefix("v3/cards/").and_then(|p| p.strip_suffix("/codes")).unwrap();
        prop_assert!(
            seg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
            "{:?} -> {:?}", v, seg
        );
        prop_assert_eq!(percent_decode(seg), Some(v.clone()));
        prop_assert_eq!(path.split('/').count(), 4);
        prop_assert_eq!(sent_path(&path), format!("/{path}"));
    }

    #[test]
    fn two_values_fill_their_own_segments(a in value(), b in value()) {
        let tpl = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}";
        let path = render(tpl, |n| Ok(Some(if n == "card_id" { a.as_str() } else { b.as_str() }))).unwrap();
        let segs: Vec<&str> = path.split('/').collect();
        prop_assert_eq!(segs.len(), 7);
        prop_assert_eq!(percent_decode(segs[4]), Some(a));
        prop_assert_eq!(percent_decode(segs[6]), Some(b));
        prop_assert_eq!(sent_path(&path), format!("/{path}"));
    }

    /// Any template (bracket access can carry raw text): refused with a
    /// stable code, or rendered to a path `fetch` sends unchanged.
    #[test]
    fn any_template_renders_to_what_is_sent_or_is_refused(
        tpl in prop_oneof![any::<String>(), "[a-z{}/%.2eE ?#\\\\é]{0,24}"],
        v in value(),
    ) {
        match render(&tpl, |n| Ok((n != "missing").then_some(v.as_str()))) {
            Ok(path) => prop_assert_eq!(sent_path(&path), format!("/{path}"), "template {:?}", tpl),
            Err(e) => prop_assert!(
                matches!(e.code, Code::InvalidParam | Code::MissingParam),
                "{:?}: {:?}", tpl, e
            ),
        }
    }

    #[test]
    fn refused_values_are_invalid_param(v in prop::sample::select(vec!["", ".", ".."])) {
        let e = render("v3/a/{x}/b", |_| Ok(Some(v))).unwrap_err();
        prop_assert_eq!(e.code, Code::InvalidParam);
    }

    #[test]
    fn a_missing_value_is_missing_param_naming_it(name in "[a-z_][a-z0-9_]{0,12}") {
        let e = render(&format!("v3/a/{{{name}}}"), |_| Ok(None)).unwrap_err();
        prop_assert_eq!(e.code, Code::MissingParam);
        let braced = format!("{{{name}}}");
        prop_assert!(e.message.contains(&braced), "{}", e.message);
    }

    /// `_name_` and `$name$` are placeholders whatever the name holds.
    #[test]
    fn placeholder_properties_become_braces(name in "[^/{}]{1,16}", dollar in any::<bool>()) {
        let prop = if dollar { format!("${name}$") } else { format!("_{name}_") };
        prop_assert_eq!(segment(&prop), format!("{{{name}}}"));
        let tpl = child(&child("v3", "cards"), &prop);
        prop_assert_eq!(placeholders(&tpl).collect::<Vec<_>>(), vec![name.as_str()]);
    }

    /// camelCase words become kebab-case segments; lower-case names stay.
    #[test]
    fn camel_case_becomes_kebab_case(words in proptest::collection::vec("[a-z][a-z0-9]{0,6}", 1..4)) {
        let camel: String = words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { w.clone() } else { w[..1].to_ascii_uppercase() + &w[1..] })
            .collect();
        prop_assert_eq!(segment(&camel), words.join("-"));
        prop_assert_eq!(segment(&words.concat()), words.concat());
    }

    #[test]
    fn child_joins_with_one_slash(parent in "[a-z0-9/]{0,16}", prop in "[a-z0-9]{1,8}") {
        let c = child(&parent, &prop);
        if parent.is_empty() {
            prop_assert_eq!(c, prop);
        } else {
            prop_assert_eq!(c, format!("{parent}/{prop}"));
        }
    }
}
