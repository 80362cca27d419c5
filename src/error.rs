//! One error type for the whole client, with a stable code per failure.

use core::fmt;

/// The stable code of an [`Error`], as JS sees it in `WxpayError.code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code {
    /// An option of `new Wxpay(...)` is missing, of the wrong type or malformed.
    InvalidConfig,
    /// A key or certificate could not be parsed.
    InvalidKey,
    /// A path placeholder has no value in the request config.
    MissingParam,
    /// A request argument (placeholder value, params, headers, body) is unusable.
    InvalidParam,
    /// The caller's `AbortSignal` aborted the request.
    Aborted,
    /// The request took longer than its `timeout`.
    Timeout,
    /// `fetch` failed before an answer arrived.
    Network,
    /// A 2xx answer lacks one of the `Wechatpay-*` signature headers.
    ResponseUnsigned,
    /// A 2xx answer's `Wechatpay-Timestamp` is malformed or more than 300 s off.
    ResponseTimestamp,
    /// A 2xx answer names a `Wechatpay-Serial` that is not in `certs`.
    ResponseSerial,
    /// A 2xx answer's signature does not verify.
    ResponseSignature,
    /// A verified answer's body is not what its content type says.
    ResponseBody,
    /// An answer is larger than `maxBodyBytes`.
    ResponseTooLarge,
    /// A non-2xx answer that carries no service error code.
    HttpStatus,
    /// WebAssembly memory could not hold an input or an answer.
    OutOfMemory,
    /// The client was used after `free()`.
    ClientFreed,
    /// The cryptographic primitive failed (e.g. no random source).
    Crypto,
    /// A notification lacks one of the `Wechatpay-*` signature headers.
    NotifyUnsigned,
    /// A notification's `Wechatpay-Timestamp` is malformed or more than 300 s off.
    NotifyTimestamp,
    /// A notification names a `Wechatpay-Serial` that is not in `certs`.
    NotifySerial,
    /// A notification's signature does not verify.
    NotifySignature,
    /// A notification's `resource` does not decrypt under the APIv3 key.
    NotifyDecrypt,
    /// A verified notification's body (or decrypted resource) is not the documented JSON.
    NotifyBody,
    /// The WebAssembly instance trapped during the call; the package re-instantiates it.
    Internal,
    /// A downloaded file (a bill, a statement) does not match the digest announced for it.
    DigestMismatch,
    /// A file could not be decrypted or decompressed (an encrypted bill part, a GZIP bill).
    FileDecode,
    /// With no platform key in effect, the certificates a request needed could not be
    /// downloaded (or not yet): the request was not sent.
    CertificateDownload,
}

impl Code {
    /// The code string, e.g. `ERR_INVALID_CONFIG`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::InvalidConfig => "ERR_INVALID_CONFIG",
            Code::InvalidKey => "ERR_INVALID_KEY",
            Code::MissingParam => "ERR_MISSING_PARAM",
            Code::InvalidParam => "ERR_INVALID_PARAM",
            Code::Aborted => "ERR_ABORTED",
            Code::Timeout => "ERR_TIMEOUT",
            Code::Network => "ERR_NETWORK",
            Code::ResponseUnsigned => "ERR_RESPONSE_UNSIGNED",
            Code::ResponseTimestamp => "ERR_RESPONSE_TIMESTAMP",
            Code::ResponseSerial => "ERR_RESPONSE_SERIAL",
            Code::ResponseSignature => "ERR_RESPONSE_SIGNATURE",
            Code::ResponseBody => "ERR_RESPONSE_BODY",
            Code::ResponseTooLarge => "ERR_RESPONSE_TOO_LARGE",
            Code::HttpStatus => "ERR_HTTP_STATUS",
            Code::OutOfMemory => "ERR_OUT_OF_MEMORY",
            Code::ClientFreed => "ERR_CLIENT_FREED",
            Code::Crypto => "ERR_CRYPTO",
            Code::NotifyUnsigned => "ERR_NOTIFY_UNSIGNED",
            Code::NotifyTimestamp => "ERR_NOTIFY_TIMESTAMP",
            Code::NotifySerial => "ERR_NOTIFY_SERIAL",
            Code::NotifySignature => "ERR_NOTIFY_SIGNATURE",
            Code::NotifyDecrypt => "ERR_NOTIFY_DECRYPT",
            Code::NotifyBody => "ERR_NOTIFY_BODY",
            Code::Internal => "ERR_INTERNAL",
            Code::DigestMismatch => "ERR_DIGEST_MISMATCH",
            Code::FileDecode => "ERR_FILE_DECODE",
            Code::CertificateDownload => "ERR_CERTIFICATE_DOWNLOAD",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure with a stable [`Code`] and a message for humans.
///
/// Messages name the option or value at fault but never contain key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What kind of failure this is.
    pub code: Code,
    /// What went wrong, in words.
    pub message: String,
}

impl Error {
    /// Builds an error from a code and a message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// `value` in double quotes for a message, at most 64 characters of it, with
/// `"`, `\` and control characters escaped. (Not `{:?}`: Rust's Debug escaping
/// brings Unicode tables into the .wasm for a few messages.)
pub fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(64) + 2);
    out.push('"');
    escape_into(value, &mut out);
    out.push('"');
    out
}

/// `value` escaped as [`quoted`] does, at most 64 characters of it, without the quotes.
pub fn escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(64));
    escape_into(value, &mut out);
    out
}

fn escape_into(value: &str, out: &mut String) {
    for (i, c) in value.chars().enumerate() {
        if i == 64 {
            out.push_str("...");
            break;
        }
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // C0 and C1 controls, DEL, and the two separators JavaScript counts as line breaks
            // (as boundary.js `describe` escapes them).
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) || c == '\u{2028}' || c == '\u{2029}' => {
                let (prefix, digits) = if (c as u32) < 0x100 { ("\\x", 2) } else { ("\\u", 4) };
                out.push_str(prefix);
                for shift in (0..digits).rev() {
                    out.push(char::from_digit((c as u32 >> (4 * shift)) & 15, 16).unwrap_or('0'));
                }
            }
            c => out.push(c),
        }
    }
}

/// An empty buffer with room for `capacity` bytes, or `ERR_OUT_OF_MEMORY`:
/// body-sized buffers are reserved fallibly, so a full wasm memory is an
/// error for one call, never a trap that kills the instance.
pub fn buffer(capacity: usize) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(capacity).map_err(|_| out_of_memory(capacity))?;
    Ok(v)
}

/// Room for `more` bytes in `v`, growing it as a `Vec` does, or `ERR_OUT_OF_MEMORY`.
pub fn reserve(v: &mut Vec<u8>, more: usize) -> Result<()> {
    v.try_reserve(more).map_err(|_| out_of_memory(more))
}

fn out_of_memory(bytes: usize) -> Error {
    Error::new(Code::OutOfMemory, format!("cannot allocate {bytes} bytes in WebAssembly memory"))
}

/// `items` separated by `, ` (`[..].join(", ")` without its generic copy loop).
pub fn listed<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for item in items {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    out
}

/// Result with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::{escaped, quoted};

    #[test]
    fn quoted_escapes_and_bounds() {
        assert_eq!(quoted("abc"), "\"abc\"");
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quoted("a\r\n\u{7f}"), "\"a\\x0d\\x0a\\x7f\"");
        assert_eq!(quoted("中文"), "\"中文\"");
        // C1 controls (a terminal's CSI, U+009B) and JavaScript's line separators too.
        assert_eq!(quoted("a\u{80}\u{9b}31m\u{9f}\u{a0}"), "\"a\\x80\\x9b31m\\x9f\u{a0}\"");
        assert_eq!(quoted("a\u{2028}b\u{2029}"), "\"a\\u2028b\\u2029\"");
        assert_eq!(escaped("Bad \u{1b}[2KGateway\r\n"), "Bad \\x1b[2KGateway\\x0d\\x0a");
        assert_eq!(escaped(&"x".repeat(100)), format!("{}...", "x".repeat(64)));
        assert_eq!(quoted(&"x".repeat(100)), format!("\"{}...\"", "x".repeat(64)));
    }
}
