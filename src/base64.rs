//! Standard, padded base64 (RFC 4648 §4), as the protocol uses everywhere.

use base64ct::{Base64, Encoding};

/// Encodes bytes.
pub fn encode(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Decodes canonical padded base64; `None` if it is not.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    Base64::decode_vec(text).ok()
}
