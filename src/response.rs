//! Verifying an answer: the `Wechatpay-*` headers, the time window, the
//! serial and the signature over the raw body.

use crate::crypto::Backend;
use crate::error::{Code, Error, Result};
use crate::keys::Keyring;
use crate::request::Method;

/// Header names, lower case as `fetch` gives them.
pub mod header {
    /// Unix seconds when the answer was signed.
    pub const TIMESTAMP: &str = "wechatpay-timestamp";
    /// The answer's nonce.
    pub const NONCE: &str = "wechatpay-nonce";
    /// Base64 RSA signature.
    pub const SIGNATURE: &str = "wechatpay-signature";
    /// Serial (or `PUB_KEY_ID_...`) of the key that signed.
    pub const SERIAL: &str = "wechatpay-serial";
    /// The service's request id, to quote in support requests.
    pub const REQUEST_ID: &str = "request-id";
}

/// How far an answer's timestamp may be from now, in seconds.
pub const MAX_SKEW_SECS: u64 = 300;

/// The prefix of the deliberately wrong signatures the service sends to
/// check that merchants verify.
pub const SIGNTEST_PREFIX: &str = "WECHATPAY/SIGNTEST/";

/// The four signature headers of an answer (or notification), as received.
#[derive(Clone, Copy, Debug, Default)]
pub struct SignatureHeaders<'a> {
    /// `Wechatpay-Timestamp`
    pub timestamp: Option<&'a str>,
    /// `Wechatpay-Nonce`
    pub nonce: Option<&'a str>,
    /// `Wechatpay-Signature`
    pub signature: Option<&'a str>,
    /// `Wechatpay-Serial`
    pub serial: Option<&'a str>,
}

/// Which failure codes to use: answers and notifications share the rules.
#[derive(Clone, Copy, Debug)]
pub struct Codes {
    /// What is verified, for messages: `answer` or `notification`.
    pub subject: &'static str,
    /// A header is missing.
    pub unsigned: Code,
    /// The timestamp is malformed or outside the window.
    pub timestamp: Code,
    /// The serial is not configured.
    pub serial: Code,
    /// The signature is wrong.
    pub signature: Code,
}

/// The codes for answers to our requests.
pub const RESPONSE_CODES: Codes = Codes {
    subject: "answer",
    unsigned: Code::ResponseUnsigned,
    timestamp: Code::ResponseTimestamp,
    serial: Code::ResponseSerial,
    signature: Code::ResponseSignature,
};

/// The codes for notifications (callbacks) WeChat Pay posts to the merchant.
pub const NOTIFY_CODES: Codes = Codes {
    subject: "notification",
    unsigned: Code::NotifyUnsigned,
    timestamp: Code::NotifyTimestamp,
    serial: Code::NotifySerial,
    signature: Code::NotifySignature,
};

/// A signed message whose headers passed every check but the signature itself.
#[derive(Debug)]
pub struct Signed<'a> {
    /// The serial naming the verifying key.
    pub serial: &'a str,
    /// `timestamp\nnonce\nbody\n`
    pub message: Vec<u8>,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
}

/// The checks that need no key: all four headers present, the timestamp
/// an integer within the window. Run before anything is downloaded to find
/// the key, so an unsigned or stale message never causes a download.
pub fn precheck(h: &SignatureHeaders<'_>, now: u64, codes: Codes) -> Result<()> {
    signed_headers(h, now, codes).map(drop)
}

/// The four headers of [`precheck`], present and in the window.
fn signed_headers<'a>(h: &SignatureHeaders<'a>, now: u64, codes: Codes) -> Result<(&'a str, &'a str, &'a str, &'a str)> {
    let (Some(ts), Some(nonce), Some(sig), Some(serial)) = (h.timestamp, h.nonce, h.signature, h.serial) else {
        let fields = [
            ("Wechatpay-Timestamp", h.timestamp),
            ("Wechatpay-Nonce", h.nonce),
            ("Wechatpay-Signature", h.signature),
            ("Wechatpay-Serial", h.serial),
        ];
        let missing = fields.iter().filter(|(_, v)| v.is_none()).map(|(n, _)| *n);
        return Err(Error::new(codes.unsigned, format!("unsigned {}: missing {}", codes.subject, crate::error::listed(missing))));
    };
    let when = parse_timestamp(ts)
        .ok_or_else(|| Error::new(codes.timestamp, format!("Wechatpay-Timestamp {} is not an integer", crate::error::quoted(ts))))?;
    if now.abs_diff(when) > MAX_SKEW_SECS {
        return Err(Error::new(
            codes.timestamp,
            format!("Wechatpay-Timestamp {when} is {} s from now; at most {MAX_SKEW_SECS} s is accepted", now.abs_diff(when)),
        ));
    }
    Ok((ts, nonce, sig, serial))
}

/// Checks the headers (presence, time window, SIGNTEST, base64, known serial)
/// and builds the message the signature must cover.
pub fn signed<'a>(
    h: &SignatureHeaders<'a>,
    body: &[u8],
    now: u64,
    keyring: &Keyring,
    codes: Codes,
) -> Result<Signed<'a>> {
    let (ts, nonce, sig, serial) = signed_headers(h, now, codes)?;
    if keyring.get(serial).is_none() {
        // Both ways a key becomes known: `options.certs`, and with `apiv3Key` the downloads,
        // where a refresh for an unknown serial runs at most once per `certsRefreshInterval`
        // (the usual reason a new platform certificate is not known yet).
        let shown = shown_serial(serial);
        return Err(Error::new(
            codes.serial,
            if serial.starts_with(crate::config::PUB_KEY_ID_PREFIX) {
                // Never downloaded: the merchant platform shows the public key and its id.
                format!("Wechatpay-Serial {shown} is a WeChat Pay public key id not in options.certs: add that public key under it")
            } else {
                format!("Wechatpay-Serial {shown} names none of the known platform keys (not in options.certs; with apiv3Key, see certsRefreshInterval)")
            },
        ));
    }
    if sig.starts_with(SIGNTEST_PREFIX) {
        return Err(Error::new(codes.signature, "signature is a WECHATPAY/SIGNTEST/ probe and never verifies"));
    }
    let signature =
        crate::base64::decode_public(sig).ok_or_else(|| Error::new(codes.signature, "Wechatpay-Signature is not valid base64"))?;
    let mut message = crate::error::buffer(ts.len() + nonce.len() + body.len() + 3)?;
    for part in [ts.as_bytes(), nonce.as_bytes(), body] {
        message.extend_from_slice(part);
        message.push(b'\n');
    }
    Ok(Signed { serial, message, signature })
}

/// A serial from a server (or a notification's sender), repeated in messages only when it has
/// a serial's shape as options' serials are shown (`PUB_KEY_ID_` and digits, or 33 to 40 hex
/// digits): never an APIv3 key's 32 characters.
fn shown_serial(serial: &str) -> String {
    if crate::config::shown_serial(serial) {
        crate::error::quoted(serial)
    } else {
        format!("(not a serial, {} bytes)", serial.len())
    }
}

/// Runs every check, the RSA verification by `backend` included.
pub async fn verify_with<B: Backend>(
    backend: &B,
    h: &SignatureHeaders<'_>,
    body: &[u8],
    now: u64,
    keyring: &Keyring,
    codes: Codes,
) -> Result<()> {
    let s = signed(h, body, now, keyring, codes)?;
    // The serial as the ring holds it: a backend caches keys by it, whatever case the header used.
    let (serial, key) = keyring.entry(s.serial).ok_or_else(|| Error::new(codes.serial, "unknown serial"))?;
    if backend.verify(serial, key, &s.message, &s.signature).await? {
        Ok(())
    } else {
        // A notification's usual cause: a framework's parsed body serialised again for `parse`.
        Err(Error::new(
            codes.signature,
            if codes.signature == Code::NotifySignature {
                "signature does not verify (it covers the body's bytes as received: pass the raw body, not one parsed and serialised again)"
            } else {
                "signature does not verify"
            },
        ))
    }
}

/// [`verify_with`] on the pure-Rust backend, synchronously.
pub fn verify(h: &SignatureHeaders<'_>, body: &[u8], now: u64, keyring: &Keyring, codes: Codes) -> Result<()> {
    crate::crypto::ready(verify_with(&crate::crypto::RustCrypto, h, body, now, keyring, codes))?
}

fn parse_timestamp(ts: &str) -> Option<u64> {
    if ts.is_empty() || ts.len() > 12 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ts.parse().ok()
}

/// The documented file downloads whose answers carry no signature: the
/// `GET` routes the service documents as producing a file (bills,
/// electronic receipts and vouchers), the routes its `download_url` values
/// name, and the fapiao file download. Matched exactly, relative to the base
/// URL, query excluded.
pub const UNSIGNED_DOWNLOADS: [&str; 7] = [
    "v3/billdownload/file",
    "v3/bill/downloadurl",
    "v3/payscore/bill/downloadurl",
    "v3/transferdownload/signfile",
    "v3/transferdownload/elecvoucherfile",
    "v3/transferbilldownload/elecvoucherfile",
    "v3/new-tax-control-fapiao/download",
];

/// The image downloads (complaint images), followed by a media id.
pub const UNSIGNED_IMAGE_PREFIXES: [&str; 2] = ["v3/merchant-service/images/", "v3/global/merchant-service/images/"];

/// The statements, signed over `{"sha1":"<Wechatpay-Statement-Sha1>"}`
/// instead of their body.
pub const STATEMENTS: [&str; 2] = ["v3/statements", "v3/global/statements"];

/// The header a statement's SHA-1 comes in.
pub const STATEMENT_SHA1: &str = "wechatpay-statement-sha1";

fn route(path: &str) -> &str {
    path.split('?').next().unwrap_or(path).trim_start_matches('/')
}

/// Whether answers to this request are documented as unsigned (file
/// downloads), so verification is skipped: a `GET` of one of
/// [`UNSIGNED_DOWNLOADS`] or of an image under [`UNSIGNED_IMAGE_PREFIXES`]
/// (not the `upload` route). `path` is relative to the base URL. Only a path
/// that is a download route qualifies, so no other answer can be exempted
/// by a path that merely contains one.
pub fn is_unsigned_download(method: Method, path: &str) -> bool {
    let path = route(path);
    method == Method::Get
        && (UNSIGNED_DOWNLOADS.contains(&path)
            || UNSIGNED_IMAGE_PREFIXES.iter().any(|p| path.strip_prefix(p).is_some_and(|id| !id.is_empty() && !id.contains('/'))))
}

/// Whether this request fetches a statement (see [`STATEMENTS`]).
pub fn is_statement(method: Method, path: &str) -> bool {
    method == Method::Get && STATEMENTS.contains(&route(path))
}

/// What a statement's signature covers, given its `Wechatpay-Statement-Sha1`
/// and its body: `{"sha1":"<header>"}`, once the body's SHA-1 matches the
/// header (hex, either case); `ERR_RESPONSE_UNSIGNED` without the header,
/// `ERR_DIGEST_MISMATCH` when the body does not match it.
pub fn statement_message(sha1_header: Option<&str>, body: &[u8]) -> Result<Vec<u8>> {
    use sha1::{Digest, Sha1};
    let value = sha1_header.ok_or_else(|| Error::new(Code::ResponseUnsigned, "unsigned statement: missing Wechatpay-Statement-Sha1"))?;
    if crate::digest::unhex(value).as_deref() != Some(&Sha1::digest(body)[..]) {
        return Err(Error::new(Code::DigestMismatch, "the statement's body does not match its Wechatpay-Statement-Sha1"));
    }
    let quoted = serde_json::to_string(value).unwrap_or_default();
    Ok(format!("{{\"sha1\":{quoted}}}").into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1554208460"), Some(1554208460));
        for bad in ["", "-1", "1.5", "1e9", " 1", "abc", "1554208460 ", "9999999999999"] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    // Review 2026-12-06: any 64 alphanumerics were repeated, an APIv3 key's 32 among them (one
    // pasted as a notification's serial).
    #[test]
    fn regression_a_serial_is_shown_only_with_a_serials_shape() {
        assert_eq!(shown_serial("5157F09EFDC096DE15EBE81A47057A7232F1B8E1"), "\"5157F09EFDC096DE15EBE81A47057A7232F1B8E1\"");
        assert_eq!(shown_serial("PUB_KEY_ID_0114232134912410000000000000"), "\"PUB_KEY_ID_0114232134912410000000000000\"");
        for (hidden, len) in [("Kzr3VyKMoS9UkOm6y6XLhKWW8OOyB6uK", 32), ("0123456789abcdef0123456789abcdef", 32), ("X", 1), ("5157F09E-FDC0", 13)] {
            assert_eq!(shown_serial(hidden), format!("(not a serial, {len} bytes)"));
        }
    }

    #[test]
    fn downloads_are_recognised() {
        let get = |p| is_unsigned_download(Method::Get, p);
        assert!(get("v3/billdownload/file?token=x"));
        assert!(get("v3/billdownload/file"));
        assert!(get("v3/merchant-service/images/abc"));
        assert!(get("v3/global/merchant-service/images/abc"));
        assert!(!get("v3/merchant-service/images/"));
        assert!(!get("v3/merchant-service/images/a/b"));
        for p in UNSIGNED_DOWNLOADS {
            assert!(get(p), "{p}");
        }
        assert!(!get("v3/billdownload/files"));
        assert!(!get("v3/bill/tradebill"));
        assert!(!get("v3/marketing/membercard-open/cards"));
        // Uploading an image is an ordinary signed call.
        assert!(!is_unsigned_download(Method::Post, "v3/merchant-service/images/upload"));
    }

    #[test]
    fn statements() {
        assert!(is_statement(Method::Get, "v3/statements?date=20240101"));
        assert!(is_statement(Method::Get, "/v3/global/statements"));
        assert!(!is_statement(Method::Post, "v3/statements"));
        assert!(!is_statement(Method::Get, "v3/statements/x"));
        // SHA-1("abc")
        let h = "A9993E364706816ABA3E25717850C26C9CD0D89D";
        assert_eq!(statement_message(Some(h), b"abc").unwrap(), format!("{{\"sha1\":\"{h}\"}}").into_bytes());
        assert_eq!(statement_message(Some(h), b"abd").unwrap_err().code, Code::DigestMismatch);
        assert_eq!(statement_message(None, b"abc").unwrap_err().code, Code::ResponseUnsigned);
    }

    #[test]
    fn regression_download_route_inside_another_path_is_verified() {
        assert!(!is_unsigned_download(Method::Get, "v3/sandbox/echo/v3/billdownload/file"));
        assert!(!is_unsigned_download(Method::Get, "v3/x/v3/merchant-service/images/a"));
    }
}
