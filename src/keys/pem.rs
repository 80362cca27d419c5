//! A forgiving PEM reader: keys arrive from files, environment variables and
//! secret stores, with CRLF line ends, escaped `\n`, or no armour at all.

use crate::base64;

/// One decoded PEM block.
pub struct Block {
    /// The label, e.g. `PRIVATE KEY`.
    pub label: String,
    /// The DER bytes.
    pub der: Vec<u8>,
    /// Whether the block had RFC 1421 headers (legacy encrypted keys do).
    pub has_headers: bool,
}

/// What a key input turned out to be.
pub enum Input {
    /// A PEM block.
    Pem(Block),
    /// DER bytes, given as such or as bare base64.
    Der(Vec<u8>),
    /// Nothing usable.
    Unreadable,
}

/// Reads the first PEM block of `text`, else DER or bare base64.
pub fn read(input: &[u8]) -> Input {
    if input.first() == Some(&0x30) {
        return Input::Der(input.to_vec());
    }
    let Ok(text) = core::str::from_utf8(input) else {
        return Input::Unreadable;
    };
    // Keys pasted into a single-line variable often carry a literal `\n`.
    let text = text.replace("\\n", "\n").replace("\\r", "");
    if let Some(block) = first_block(&text) {
        return Input::Pem(block);
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match base64::decode(&compact) {
        Some(der) if der.first() == Some(&0x30) => Input::Der(der),
        _ => Input::Unreadable,
    }
}

fn first_block(text: &str) -> Option<Block> {
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let label_len = text[start..].find("-----")?;
    let label = text[start..start + label_len].trim();
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
    let end_rel = text[body_start..].find("-----END ")?;
    let body = &text[body_start..body_start + end_rel];
    let has_headers = body.contains(':');
    let compact: String = body.lines().filter(|l| !l.contains(':')).flat_map(|l| l.chars()).filter(|c| !c.is_whitespace()).collect();
    let der = base64::decode(&compact)?;
    Some(Block { label, der, has_headers })
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    assert_eq!(b.der, [0x30, 3, 2, 1, 1]);
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
        assert!(matches!(read(b"MAMC AQE="), Input::Der(d) if d == [0x30, 3, 2, 1, 1]));
        assert!(matches!(read(&[0x30, 0]), Input::Der(_)));
        assert!(matches!(read(b"hello"), Input::Unreadable));
        assert!(matches!(read(&[0xff, 0xfe]), Input::Unreadable));
    }
}
