//! Uploads: the `multipart/form-data` body of a media upload and the `meta`
//! JSON its signature covers. WeChat Pay signs an upload over the text of its
//! `meta` part only, so that text is built (or taken as written) here and put
//! in the body byte for byte: what is signed is what is sent.

use sha2::{Digest, Sha256};

use crate::error::{Code, Error, Result};

/// The form field whose JSON text the request signature covers.
pub const META: &str = "meta";

/// One form field: text (`filename` `None`) or a file.
#[derive(Clone, Copy, Debug)]
pub struct Part<'a> {
    /// The field name.
    pub name: &'a str,
    /// The file name, for a file part.
    pub filename: Option<&'a str>,
    /// The file's media type; guessed from the name when empty.
    pub content_type: &'a str,
    /// The bytes.
    pub body: &'a [u8],
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// The default `meta`: `{"filename":"...","sha256":"<hex>"}`.
pub fn meta(filename: &str, file: &[u8]) -> String {
    let name = serde_json::to_string(filename).unwrap_or_default();
    format!("{{\"filename\":{name},\"sha256\":\"{}\"}}", hex(&Sha256::digest(file)))
}

/// File extensions and their media types, for a file whose `Blob` has no type.
const MEDIA_TYPES: [(&str, &str); 18] = [
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("bmp", "image/bmp"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("mp4", "video/mp4"),
    ("avi", "video/x-msvideo"),
    ("wmv", "video/x-ms-wmv"),
    ("mpeg", "video/mpeg"),
    ("mov", "video/quicktime"),
    ("mkv", "video/x-matroska"),
    ("flv", "video/x-flv"),
    ("3gp", "video/3gpp"),
    ("pdf", "application/pdf"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("zip", "application/zip"),
];

/// The media type of a file by its extension, as the service expects for
/// images and videos; `application/octet-stream` otherwise.
pub fn media_type(filename: &str) -> &'static str {
    let ext = filename.as_bytes().iter().rposition(|&b| b == b'.').map_or(&b""[..], |i| &filename.as_bytes()[i + 1..]);
    MEDIA_TYPES.iter().find(|(e, _)| e.as_bytes().eq_ignore_ascii_case(ext)).map_or("application/octet-stream", |(_, t)| t)
}

/// A name or file name inside `Content-Disposition`'s quotes: `"`, CR and LF
/// percent-encoded, as browsers do, so no part header can be forged.
fn quoted(value: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for b in value.bytes() {
        match b {
            b'"' => out.extend_from_slice(b"%22"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// `multipart/form-data; boundary=...` for the body [`body`] builds.
pub fn content_type(boundary: &str) -> String {
    format!("multipart/form-data; boundary={boundary}")
}

/// The multipart body: the `meta` JSON first (`Content-Type:
/// application/json`), then `parts` in order. `boundary` must not occur in
/// any part: it is random (32 alphanumerics) and checked here.
pub fn body(boundary: &str, meta: &str, parts: &[Part<'_>]) -> Result<Vec<u8>> {
    let size = parts.iter().map(|p| p.body.len() + p.name.len() + p.filename.map_or(0, str::len) + 160).sum::<usize>() + meta.len() + 256;
    let mut out = crate::error::buffer(size)?;
    let meta_part = Part { name: META, filename: None, content_type: "application/json", body: meta.as_bytes() };
    for p in core::iter::once(&meta_part).chain(parts) {
        if p.body.windows(boundary.len()).any(|w| w == boundary.as_bytes()) {
            return Err(Error::new(Code::InvalidParam, "the upload contains its multipart boundary: try again"));
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=");
        quoted(p.name, &mut out);
        let ct = match p.filename {
            Some(f) => {
                out.extend_from_slice(b"; filename=");
                quoted(f, &mut out);
                Some(if p.content_type.is_empty() { media_type(f) } else { p.content_type })
            }
            None => Some(p.content_type).filter(|c| !c.is_empty()),
        };
        if let Some(ct) = ct {
            out.extend_from_slice(b"\r\nContent-Type: ");
            out.extend_from_slice(ct.as_bytes());
        }
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(p.body);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    Ok(out)
}

/// Checks a caller's `meta` text: a JSON object (the service parses it).
pub fn check_meta(meta: &str) -> Result<()> {
    match serde_json::from_slice::<serde_json::Value>(meta.as_bytes()) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        _ => Err(Error::new(Code::InvalidParam, "the upload's meta part must be the text of a JSON object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_meta_names_the_file_and_its_sha256() {
        assert_eq!(
            meta("a\"b.png", b"abc"),
            "{\"filename\":\"a\\\"b.png\",\"sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}"
        );
    }

    #[test]
    fn body_bytes() {
        let parts = [
            Part { name: "file", filename: Some("x.jpg"), content_type: "", body: b"\xff\xd8" },
            Part { name: "item_id", filename: None, content_type: "", body: b"56" },
        ];
        let b = body("BOUNDARY", "{\"m\":1}", &parts).unwrap();
        let want = b"--BOUNDARY\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"m\":1}\r\n\
--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\r\n\
--BOUNDARY\r\nContent-Disposition: form-data; name=\"item_id\"\r\n\r\n56\r\n--BOUNDARY--\r\n";
        assert_eq!(b, want.to_vec());
        assert_eq!(content_type("BOUNDARY"), "multipart/form-data; boundary=BOUNDARY");
    }

    #[test]
    fn names_cannot_break_out_of_their_quotes() {
        let parts = [Part { name: "file", filename: Some("a\"\r\nX: y.png"), content_type: "image/png", body: b"" }];
        let b = body("B", "{}", &parts).unwrap();
        let text = String::from_utf8(b).unwrap();
        assert!(text.contains("filename=\"a%22%0D%0AX: y.png\"\r\nContent-Type: image/png\r\n"));
    }

    #[test]
    fn a_boundary_inside_a_part_is_refused() {
        let parts = [Part { name: "file", filename: Some("a"), content_type: "", body: b"xxBOUNDxx" }];
        assert_eq!(body("BOUND", "{}", &parts).unwrap_err().code, Code::InvalidParam);
    }

    #[test]
    fn meta_must_be_an_object() {
        assert!(check_meta("{\"filename\":\"a\"}").is_ok());
        for bad in ["", "[]", "{", "\"x\""] {
            assert_eq!(check_meta(bad).unwrap_err().code, Code::InvalidParam);
        }
    }

    #[test]
    fn media_types() {
        assert_eq!(media_type("A.JPG"), "image/jpeg");
        assert_eq!(media_type("v.mp4"), "video/mp4");
        assert_eq!(media_type("noext"), "application/octet-stream");
    }
}
