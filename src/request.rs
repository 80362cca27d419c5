//! Signing a request: the message and the `Authorization` header.

/// The authorization scheme WeChat Pay APIv3 uses.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// An HTTP method of the chain's verbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `get(config)`
    Get,
    /// `post(data, config)`
    Post,
    /// `put(data, config)`
    Put,
    /// `patch(data, config)`
    Patch,
    /// `delete(config)`
    Delete,
}

impl Method {
    /// All verbs, in the order the chain exposes them.
    pub const ALL: [Method; 5] = [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete];

    /// Its index in [`Method::ALL`].
    pub fn index(self) -> u32 {
        Method::ALL.iter().position(|m| *m == self).unwrap_or_default() as u32
    }

    /// The method as sent and signed, upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The chain's verb name, lower case.
    pub const fn verb(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Patch => "patch",
            Method::Delete => "delete",
        }
    }

    /// The method for a verb name, if it is one.
    pub fn from_verb(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.verb() == name)
    }

    /// Whether the verb takes a `data` argument.
    pub const fn takes_data(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }
}

/// The message a request signature covers, five lines each ending in `\n`:
/// method, path and query as sent, timestamp, nonce, body (may be empty).
pub fn message(method: Method, path_and_query: &str, timestamp: u64, nonce: &str, body: &[u8]) -> crate::Result<Vec<u8>> {
    let ts = timestamp.to_string();
    let mut m = crate::error::buffer(16 + path_and_query.len() + ts.len() + nonce.len() + body.len())?;
    for part in [method.as_str().as_bytes(), path_and_query.as_bytes(), ts.as_bytes(), nonce.as_bytes(), body] {
        m.extend_from_slice(part);
        m.push(b'\n');
    }
    Ok(m)
}

/// The `Authorization` header value, fields in the documented order with no
/// spaces after the commas; `signature` is already base64.
pub fn authorization(mchid: &str, serial: &str, timestamp: u64, nonce: &str, signature: &str) -> String {
    use core::fmt::Write;
    // Sized once (the fixed text is under 96 bytes, a u64 at most 20 digits): `format!` would
    // start small and grow the header, about 600 bytes, three times.
    let mut out = String::with_capacity(96 + 20 + mchid.len() + serial.len() + nonce.len() + signature.len());
    let _ = write!(
        out,
        "{SCHEME} mchid=\"{mchid}\",serial_no=\"{serial}\",timestamp=\"{timestamp}\",nonce_str=\"{nonce}\",signature=\"{signature}\""
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_message_ends_with_empty_body_line() {
        let m = message(Method::Get, "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", b"").unwrap();
        assert_eq!(m, b"GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
    }

    #[test]
    fn body_bytes_are_signed_verbatim() {
        let body = "{\"level\":\"金卡\"}".as_bytes();
        let m = message(Method::Patch, "/v3/a?b=1", 1, "n", body).unwrap();
        let mut want = b"PATCH\n/v3/a?b=1\n1\nn\n".to_vec();
        want.extend_from_slice(body);
        want.push(b'\n');
        assert_eq!(m, want);
    }

    #[test]
    fn authorization_format() {
        let h = authorization("1900000109", "ABC", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", "+/8=");
        assert_eq!(
            h,
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\",serial_no=\"ABC\",timestamp=\"1554208460\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",signature=\"+/8=\""
        );
    }

    #[test]
    fn verbs() {
        assert_eq!(Method::from_verb("patch"), Some(Method::Patch));
        assert_eq!(Method::from_verb("PATCH"), None);
        assert!(Method::Post.takes_data() && !Method::Delete.takes_data());
    }
}
