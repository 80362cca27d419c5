//! A forgiving PEM reader: keys arrive from files, environment variables and
//! secret stores, with CRLF line ends, escaped `\n`, or no armour at all.
//! Every copy it makes of the input (text or decoded bytes) is wiped when
//! dropped: for a private key they are the key.

use crate::base64;
use zeroize::Zeroizing;

/// One decoded PEM block.
pub struct Block {
    /// The label, e.g. `PRIVATE KEY`.
    pub label: String,
    /// The DER bytes.
    pub der: Zeroizing<Vec<u8>>,
    /// Whether the block had RFC 1421 headers (legacy encrypted keys do).
    pub has_headers: bool,
}

/// What a key input turned out to be.
pub enum Input {
    /// A PEM block.
    Pem(Block),
    /// DER bytes, given as such or as bare base64.
    Der(Zeroizing<Vec<u8>>),
    /// Nothing usable.
    Unreadable,
}

/// Reads the first PEM block of `text`, else DER or bare base64.
pub fn read(input: &[u8]) -> Input {
    read_preferring(input, &[])
}

/// [`read`], taking the first block labelled one of `wanted` when the text
/// holds several (`openssl pkcs12 -nodes` writes the certificate before the
/// key), else the first block.
pub fn read_preferring(input: &[u8], wanted: &[&str]) -> Input {
    if input.first() == Some(&0x30) {
        return Input::Der(Zeroizing::new(input.to_vec()));
    }
    let Ok(text) = core::str::from_utf8(input) else {
        return Input::Unreadable;
    };
    let text = unescape(text);
    if let Some(first) = first_block(&text) {
        if wanted.is_empty() || wanted.contains(&first.label.as_str()) {
            return Input::Pem(first);
        }
        // The later blocks, each after the END line of the one before.
        let mut rest: &str = &text;
        while let Some(end) = crate::text::find(rest, "-----END ") {
            rest = crate::text::tail(rest, end + "-----END ".len());
            match first_block(rest) {
                Some(b) if wanted.contains(&b.label.as_str()) => return Input::Pem(b),
                Some(_) => {}
                None => break,
            }
        }
        return Input::Pem(first);
    }
    match decode(text.chars()) {
        Some(der) if der.first() == Some(&0x30) => Input::Der(der),
        _ => Input::Unreadable,
    }
}

/// `text` with the literal `\n` and `\r` of a key pasted into a single-line
/// variable turned into a line end and nothing. One buffer of the input's
/// size: it never grows, so no reallocation leaves an unwiped copy.
fn unescape(text: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(crate::text::sub(rest, 0, i));
        let after = crate::text::tail(rest, i + 1);
        if let Some(tail) = after.strip_prefix('n') {
            out.push('\n');
            rest = tail;
        } else if let Some(tail) = after.strip_prefix('r') {
            rest = tail;
        } else {
            out.push('\\');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Base64-decodes `chars` less whitespace, through wiped buffers.
fn decode(chars: impl Iterator<Item = char> + Clone) -> Option<Zeroizing<Vec<u8>>> {
    let mut compact = Zeroizing::new(String::with_capacity(chars.clone().map(char::len_utf8).sum()));
    compact.extend(chars.filter(|c| !c.is_whitespace()));
    base64::decode(&compact).map(Zeroizing::new)
}

fn first_block(text: &str) -> Option<Block> {
    let start = crate::text::find(text, "-----BEGIN ")? + "-----BEGIN ".len();
    let label_len = crate::text::find(crate::text::tail(text, start), "-----")?;
    let label = crate::text::sub(text, start, start + label_len).trim();
    // An RFC 7468 label is one short line of capitals, digits, spaces and
    // `-`. Anything else is no armour line, and must never be echoed in a
    // message: a BEGIN line without its closing dashes would make the whole
    // key body the "label".
    let is_label = (1..=64).contains(&label.len())
        && label.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ' || b == b'-');
    if !is_label {
        return None;
    }
    let label = label.to_string();
    let body_start = start + label_len + 5;
    let end_rel = crate::text::find(crate::text::tail(text, body_start), "-----END ")?;
    let body = crate::text::sub(text, body_start, body_start + end_rel);
    let has_headers = body.contains(':');
    // Lines split at LF only: a CR left at a line's end is whitespace, which `decode` drops.
    let der = decode(body.split('\n').filter(|l| !l.contains(':')).flat_map(|l| l.chars()))?;
    Some(Block { label, der, has_headers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_wanted_block_of_several() {
        let text = "Bag Attributes\n-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMAMCAQI=\n-----END PRIVATE KEY-----\n";
        let Input::Pem(b) = read_preferring(text.as_bytes(), &["PRIVATE KEY"]) else { panic!("no block") };
        assert_eq!((b.label.as_str(), &b.der[..]), ("PRIVATE KEY", &[0x30, 3, 2, 1, 2][..]));
        let Input::Pem(b) = read(text.as_bytes()) else { panic!("no block") };
        assert_eq!(b.label, "CERTIFICATE");
        // None of them wanted: the first, for its message.
        let Input::Pem(b) = read_preferring(text.as_bytes(), &["RSA PRIVATE KEY"]) else { panic!("no block") };
        assert_eq!(b.label, "CERTIFICATE");
    }

    #[test]
    fn reads_crlf_and_escaped_newlines() {
        for text in [
            "-----BEGIN X-----\r\nMAMCAQE=\r\n-----END X-----\r\n",
            "-----BEGIN X-----\\nMAMC\\nAQE=\\n-----END X-----",
            "junk before\n-----BEGIN X-----\nMAMCAQE=\n-----END X-----\n",
        ] {
            match read(text.as_bytes()) {
                Input::Pem(b) => {
                    assert_eq!(b.label, "X");
                    assert_eq!(*b.der, [0x30, 3, 2, 1, 1]);
                }
                _ => panic!("{text:?}"),
            }
        }
    }

    // Found by fuzz/fuzz_targets/pem.rs: the label ran from `BEGIN ` to the
    // next `-----` across lines, so a BEGIN line missing its closing dashes
    // made the key body the label, which the key parsers quote in messages.
    #[test]
    fn regression_label_spanning_lines_is_not_a_label() {
        let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC";
        for text in [
            format!("-----BEGIN PRIVATE KEY\n{body}\n-----MAMCAQE=\n-----END PRIVATE KEY-----\n"),
            format!("-----BEGIN PRIVATE KEY\r\n{body}\r\n-----MAMCAQE=\r\n-----END PRIVATE KEY-----\r\n"),
            format!("-----BEGIN {body}-----\nMAMCAQE=\n-----END X-----\n"),
        ] {
            assert!(first_block(&text).is_none(), "{text:?}");
            for e in [
                crate::keys::PrivateKey::parse(text.as_bytes(), "k").unwrap_err(),
                crate::keys::PublicKey::parse(text.as_bytes(), "k").unwrap_err(),
            ] {
                assert!(!e.message.contains(body), "{}", e.message);
            }
        }
        for label in ["X509 CRL", "RSA PRIVATE KEY", "NEW CERTIFICATE REQUEST", "PKCS7"] {
            let text = format!("-----BEGIN {label}-----\nMAMCAQE=\n-----END {label}-----\n");
            assert_eq!(first_block(&text).map(|b| b.label), Some(label.to_string()));
        }
    }

    #[test]
    fn reads_bare_base64_and_der() {
        assert!(matches!(read(b"MAMC AQE="), Input::Der(d) if *d == [0x30, 3, 2, 1, 1]));
        assert!(matches!(read(&[0x30, 0]), Input::Der(_)));
        assert!(matches!(read(b"hello"), Input::Unreadable));
        assert!(matches!(read(&[0xff, 0xfe]), Input::Unreadable));
    }

    #[test]
    fn unescape_reads_as_the_two_replaces_did() {
        for text in ["", "a", "\\", "a\\nb\\r\\nc", "\\\\n", "\\x\\n\\", "\\\\r\\n", "end\\", "\\r", "中\\n文"] {
            let want = text.replace("\\n", "\n").replace("\\r", "");
            assert_eq!(*unescape(text), want, "{text:?}");
        }
    }
}
