//! The backend `options.crypto` chooses: `'auto'` (default), `'node'`,
//! `'webcrypto'` or `'rust'`. `auto` takes the fastest the runtime has:
//! `node:crypto` in Node, else `crypto.subtle`, else pure Rust; a call the
//! first refuses falls through to the next, and finally to Rust. The same
//! for signatures, their verification and OAEP (`encrypt`, `decrypt`).

use super::nodecrypto::{node_crypto, NodeBackend};
use super::webcrypto::{subtle, WebCrypto};
use crate::crypto::{Backend, RustCrypto};
use crate::error::{Code, Error, Result};
use crate::keys::{PrivateKey, PublicKey};

/// A platform backend, or none.
pub enum Platform {
    /// `node:crypto`, synchronous.
    Node(NodeBackend),
    /// `crypto.subtle`.
    Web(WebCrypto),
}

/// A client's RSA backend: platform backends tried in order, then Rust.
pub struct Crypto {
    platforms: Vec<Platform>,
    /// Whether a platform failure falls through to the next one and finally
    /// to Rust (`auto`), or is an error (an explicit choice).
    fallback: bool,
}

fn unavailable(what: &str) -> Error {
    Error::new(Code::InvalidConfig, format!("options.crypto is '{what}' but this runtime does not offer it"))
}

/// A wrong `crypto` value, repeated only when it is a short word (a typo),
/// never when it could be a key pasted in the wrong place.
fn shown(value: &str) -> String {
    if !value.is_empty() && value.len() <= 16 && value.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        crate::error::quoted(value)
    } else {
        format!("another string ({} characters)", value.chars().count())
    }
}

impl Crypto {
    /// The backend for `options.crypto`.
    pub fn choose(option: Option<&str>) -> Result<Crypto> {
        let node = || node_crypto().map(|n| Platform::Node(NodeBackend::new(n)));
        let web = || subtle().map(|s| Platform::Web(WebCrypto::new(s)));
        let (platforms, fallback) = match option.unwrap_or("auto") {
            "rust" => (vec![], false),
            "node" => (vec![node().ok_or_else(|| unavailable("node"))?], false),
            "webcrypto" => (vec![web().ok_or_else(|| unavailable("webcrypto"))?], false),
            "auto" => ([node(), web()].into_iter().flatten().collect(), true),
            other => {
                return Err(Error::new(
                    Code::InvalidConfig,
                    format!("options.crypto must be 'auto', 'node', 'webcrypto' or 'rust', got {}", shown(other)),
                ))
            }
        };
        Ok(Crypto { platforms, fallback })
    }

    /// A signature with the merchant key, as base64 (what every caller of
    /// `sign` sends): a platform's encoded by the runtime, ours here. Falls
    /// through as [`Backend::sign`] does.
    pub async fn sign_base64(&self, key: &PrivateKey, message: &[u8]) -> Result<String> {
        for platform in &self.platforms {
            let result = match platform {
                Platform::Node(n) => n.sign_base64(key, message),
                Platform::Web(w) => w.sign_base64(key, message).await,
            };
            if result.is_ok() || !self.fallback {
                return result;
            }
        }
        Ok(crate::base64::encode(&RustCrypto.sign(key, message).await?))
    }

    /// The `node:crypto` backend, when it is the one tried first.
    pub fn node_first(&self) -> Option<&NodeBackend> {
        match self.platforms.first() {
            Some(Platform::Node(n)) => Some(n),
            _ => None,
        }
    }

    /// `'node'`, `'webcrypto'` or `'rust'`: what runs first.
    pub fn name(&self) -> &'static str {
        match self.platforms.first() {
            Some(Platform::Node(_)) => "node",
            Some(Platform::Web(_)) => "webcrypto",
            None => "rust",
        }
    }
}

/// Runs `$method` on each platform backend in order, then on Rust: the first
/// success wins; under `auto` a failure falls through to the next, otherwise
/// it is the answer.
macro_rules! fall_through {
    ($self:ident, $method:ident($($arg:expr),*)) => {{
        for platform in &$self.platforms {
            let result = match platform {
                Platform::Node(n) => n.$method($($arg),*).await,
                Platform::Web(w) => w.$method($($arg),*).await,
            };
            if result.is_ok() || !$self.fallback {
                return result;
            }
        }
        RustCrypto.$method($($arg),*).await
    }};
}

impl Backend for Crypto {
    async fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
        fall_through!(self, sign(key, message))
    }

    async fn verify(&self, serial: &str, key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<bool> {
        fall_through!(self, verify(serial, key, message, signature))
    }

    async fn oaep_encrypt(&self, serial: &str, key: &PublicKey, plaintext: &[u8]) -> Result<Vec<u8>> {
        fall_through!(self, oaep_encrypt(serial, key, plaintext))
    }

    async fn oaep_decrypt(&self, key: &PrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>> {
        fall_through!(self, oaep_decrypt(key, ciphertext))
    }
}
