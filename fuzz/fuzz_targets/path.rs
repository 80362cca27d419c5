//! `path::render`, `path::segment`, `path::child`: any template and values.
//! A rendered path is what `fetch` sends (the WHATWG parser keeps it byte
//! for byte); a value is one segment that decodes back to it; everything
//! else is `ERR_INVALID_PARAM` or `ERR_MISSING_PARAM`.
//! Input: `template 0xFF value 0xFF value ...` (the i-th placeholder gets the
//! i-th value; missing ones are missing).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::path::{child, placeholders, render, segment};
use wxpay_wasm::Code;
use wxpay_wasm_fuzz::{percent_decode, sent_path, text_fields};

fuzz_target!(|data: &[u8]| {
    let Some(f) = text_fields(data) else { return };
    let template = f[0];
    let values = &f[1..];
    let mut calls = 0;
    let rendered = render(template, |_| {
        calls += 1;
        Ok(values.get(calls - 1).copied())
    });
    match rendered {
        Ok(path) => assert_eq!(sent_path(&path), format!("/{path}"), "{template:?}"),
        Err(e) => assert!(matches!(e.code, Code::InvalidParam | Code::MissingParam), "{e:?}"),
    }
    // Each value alone, as one segment.
    for v in values {
        match render("v3/a/{v}/b", |_| Ok(Some(*v))) {
            Ok(path) => {
                let seg = &path["v3/a/".len()..path.len() - "/b".len()];
                assert!(!seg.contains(['/', '?', '#']), "{v:?} -> {seg:?}");
                assert_eq!(percent_decode(seg).as_deref(), Some(*v));
                assert_eq!(sent_path(&path), format!("/{path}"));
            }
            Err(e) => {
                assert!(v.is_empty() || *v == "." || *v == "..", "{v:?}: {e:?}");
                assert_eq!(e.code, Code::InvalidParam);
            }
        }
    }
    // The template as a chain property.
    let seg = segment(template);
    let tpl = child("v3", template);
    assert_eq!(tpl, format!("v3/{seg}"));
    for name in placeholders(&tpl) {
        assert!(!name.is_empty() && !name.contains('/'));
    }
});
