//! From chain property names to path templates, and from templates to paths.
//!
//! `wxpay.v3.marketing.membercardOpen.cards._card_id_` is the template
//! `v3/marketing/membercard-open/cards/{card_id}`; a request fills each
//! `{name}` from its config and percent-encodes it as one path segment.

use crate::error::{Code, Error, Result};
use crate::url::{encode_component, encode_literal_path, is_dot_segment};
use crate::text;

/// The placeholder name inside `_name_` or `$name$`, if `prop` is one.
fn placeholder_name(prop: &str) -> Option<&str> {
    let inner = prop
        .strip_prefix('_')
        .and_then(|p| p.strip_suffix('_'))
        .or_else(|| prop.strip_prefix('$').and_then(|p| p.strip_suffix('$')))?;
    (!inner.is_empty()).then_some(inner)
}

/// Converts one property name of the chain into its path segment:
/// `_x_`/`$x$` -> `{x}`; a lowercase-initial camelCase identifier
/// (`membercardOpen`, `outTradeNo`) -> kebab-case (`membercard-open`);
/// anything else (a capital first letter, digits first, `-`, `_`, `/`, any
/// other character) is sent exactly as written, so `outTradeNo['N123']` asks
/// for order `N123`, not `n123`.
pub fn segment(prop: &str) -> String {
    if let Some(name) = placeholder_name(prop) {
        return format!("{{{name}}}");
    }
    let bytes = prop.as_bytes();
    let camel = bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && bytes.iter().any(u8::is_ascii_uppercase);
    if !camel {
        return prop.to_string();
    }
    let mut out = String::with_capacity(prop.len() + 4);
    for c in prop.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Appends the segment for `prop` to a parent template.
pub fn child(parent: &str, prop: &str) -> String {
    let seg = segment(prop);
    let mut out = String::with_capacity(parent.len() + 1 + seg.len());
    out.push_str(parent);
    if !parent.is_empty() {
        out.push('/');
    }
    out.push_str(&seg);
    out
}

/// The names of the `{placeholders}` of a template, in order.
pub fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template.split('{').skip(1).filter_map(|part| {
        let end = part.find('}')?;
        let name = text::sub(part, 0, end);
        (!name.is_empty() && !name.contains('/')).then_some(name)
    })
}

/// Fills a template: each `{name}` is replaced by `value(name)` encoded as a
/// single path segment; literal text is encoded as a path.
///
/// Fails with `ERR_MISSING_PARAM` when a value is missing (nothing is sent
/// with a literal `{name}` in it) and `ERR_INVALID_PARAM` when a value is
/// empty or a dot segment, or the filled path contains one.
pub fn render<'v, F>(template: &str, mut value: F) -> Result<String>
where
    F: FnMut(&str) -> Result<Option<&'v str>>,
{
    // Room for the usual ids without growing: a seed path is 57 bytes of template, 80 rendered.
    let mut out = String::with_capacity(template.len() + 96);
    // Text between braces at a time: a placeholder's name is looked for within one, so a template
    // of many `{` is read in one pass (a scan to the next `}` for each was quadratic: a minute for
    // 1 M of them).
    let mut parts = template.split('{');
    encode_literal_path(parts.next().unwrap_or_default(), &mut out);
    for part in parts {
        let Some(close) = part.find('}').filter(|&c| c > 0 && !text::sub(part, 0, c).contains('/')) else {
            // A brace that opens no placeholder is literal text.
            encode_literal_path("{", &mut out);
            encode_literal_path(part, &mut out);
            continue;
        };
        let name = text::sub(part, 0, close);
        // A name is the caller's text (a bracket path may carry an id from a form): in a message,
        // escaped and at most 64 characters, as any value quoted there.
        let v = value(name)?.ok_or_else(|| {
            let shown = crate::error::escaped(name);
            Error::new(Code::MissingParam, format!("path placeholder {{{shown}}} has no value: pass `{shown}` in the request config"))
        })?;
        if v.is_empty() || v == "." || v == ".." {
            return Err(Error::new(
                Code::InvalidParam,
                format!("path placeholder {{{}}} must not be empty, '.' or '..'", crate::error::escaped(name)),
            ));
        }
        encode_component(v, &mut out);
        encode_literal_path(text::tail(part, close + 1), &mut out);
    }
    if let Some(dot) = out.split('/').find(|s| is_dot_segment(s)) {
        // Named by its template (the filled path holds the placeholders' values, which are never
        // dot segments: they are encoded) and by the segment, which a long template's cut may hide.
        let q = crate::error::quoted;
        return Err(Error::new(Code::InvalidParam, format!("path {} has a '.' or '..' segment: {}", q(template), q(dot))));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(props: &[&str]) -> String {
        props.iter().fold(String::new(), |acc, p| child(&acc, p))
    }

    #[test]
    fn segment_rules_from_protocol() {
        assert_eq!(segment("membercardOpen"), "membercard-open");
        // Issue 12: a capital first letter is not an identifier of ours but an id, sent as written.
        assert_eq!(segment("MembercardOpen"), "MembercardOpen");
        assert_eq!(segment("N123123"), "N123123");
        assert_eq!(segment("WX20240101ABCdef"), "WX20240101ABCdef");
        assert_eq!(segment("outTradeNo"), "out-trade-no");
        assert_eq!(segment("4abcDef"), "4abcDef");
        assert_eq!(segment("pay/transactions/out-trade-no/N123123"), "pay/transactions/out-trade-no/N123123");
        assert_eq!(segment("ab-Cd"), "ab-Cd");
        assert_eq!(segment("applyment4sub"), "applyment4sub");
        assert_eq!(segment("a_b"), "a_b");
        assert_eq!(segment("_card_id_"), "{card_id}");
        assert_eq!(segment("$code$"), "{code}");
        assert_eq!(segment("bill/tradebill"), "bill/tradebill");
        assert_eq!(segment("outTradeNo"), "out-trade-no");
        assert_eq!(segment("v3"), "v3");
    }

    #[test]
    fn almost_placeholders_stay_literal() {
        assert_eq!(segment("_"), "_");
        assert_eq!(segment("__"), "__");
        assert_eq!(segment("$$"), "$$");
        assert_eq!(segment("_id"), "_id");
        assert_eq!(segment("$id_"), "$id_");
    }

    #[test]
    fn seed_template() {
        let tpl = t(&["v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_"]);
        assert_eq!(tpl, "v3/marketing/membercard-open/cards/{card_id}/codes/{code}");
        assert_eq!(placeholders(&tpl).collect::<Vec<_>>(), ["card_id", "code"]);
    }

    #[test]
    fn render_encodes_values_as_segments() {
        let tpl = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}";
        let got = render(tpl, |n| Ok(Some(if n == "card_id" { "pY7x-6DJ" } else { "a b/c?é" })));
        assert_eq!(got.unwrap(), "v3/marketing/membercard-open/cards/pY7x-6DJ/codes/a%20b%2Fc%3F%C3%A9");
    }

    #[test]
    fn render_missing_placeholder_is_rejected() {
        let e = render("v3/cards/{card_id}/codes/{code}", |n| Ok((n == "card_id").then_some("x")));
        let e = e.unwrap_err();
        assert_eq!(e.code, Code::MissingParam);
        assert!(e.message.contains("{code}"));
    }

    #[test]
    fn render_rejects_traversal_and_empty() {
        for v in ["", ".", ".."] {
            let e = render("v3/a/{x}/b", |_| Ok(Some(v))).unwrap_err();
            assert_eq!(e.code, Code::InvalidParam, "{v:?}");
        }
        // "..." is an ordinary segment, and %2E is what the encoder never emits for a dot.
        assert_eq!(render("v3/{x}", |_| Ok(Some("..."))).unwrap(), "v3/...");
        assert_eq!(render("v3/a/../b", |_| Ok(None)).unwrap_err().code, Code::InvalidParam);
        // Named by its template: a placeholder's value (a ticket, a code) is not repeated.
        let e = render("v3/x/{tok}/../y", |_| Ok(Some("SECRET-7"))).unwrap_err();
        assert_eq!(e.message, "path \"v3/x/{tok}/../y\" has a '.' or '..' segment: \"..\"");
        let long = format!("v3/{}/{{code}}/%2E", "a".repeat(70));
        let e = render(&long, |_| Ok(Some("SECRET-7"))).unwrap_err();
        assert!(e.message.ends_with("...\" has a '.' or '..' segment: \"%2E\"") && !e.message.contains("SECRET"), "{}", e.message);
    }

    #[test]
    fn many_braces_are_literal_text() {
        // Read in one pass (before, each `{` scanned to the end: a minute for this many).
        let many = "{".repeat(1 << 20);
        assert_eq!(render(&many, |_| Ok(None)).unwrap(), "%7B".repeat(1 << 20));
        let nearly = format!("v3/{}x}}", "{".repeat(1000));
        assert_eq!(render(&nearly, |n| Ok((n == "x").then_some("1"))).unwrap(), format!("v3/{}1", "%7B".repeat(999)));
    }

    #[test]
    fn a_name_in_a_message_is_escaped_and_cut() {
        let e = render("v3/{id\r\n2025 INFO paid\u{1b}[2K}", |_| Ok(None)).unwrap_err();
        assert_eq!(e.message, "path placeholder {id\\x0d\\x0a2025 INFO paid\\x1b[2K} has no value: pass `id\\x0d\\x0a2025 INFO paid\\x1b[2K` in the request config");
        let long = format!("v3/{{{}}}", "n".repeat(5000));
        assert!(render(&long, |_| Ok(None)).unwrap_err().message.len() < 200);
        let e = render("v3/{a\nb}", |_| Ok(Some(".."))).unwrap_err();
        assert_eq!(e.message, "path placeholder {a\\x0ab} must not be empty, '.' or '..'");
    }

    #[test]
    fn raw_braces_and_literals() {
        assert_eq!(render("v3/{}/x{", |_| Ok(None)).unwrap(), "v3/%7B%7D/x%7B");
        assert_eq!(render("v3/bill/trade bill", |_| Ok(None)).unwrap(), "v3/bill/trade%20bill");
        assert_eq!(render("v3/a/{id}", |_| Ok(Some("1"))).unwrap(), "v3/a/1");
    }
}
