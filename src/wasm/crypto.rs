//! The backend `options.crypto` chooses: `'auto'` (default), `'webcrypto'`
//! or `'rust'`.

use super::webcrypto::{subtle, WebCrypto};
use crate::crypto::{Backend, RustCrypto};
use crate::error::{Code, Error, Result};
use crate::keys::{PrivateKey, PublicKey};

/// A client's RSA backend.
pub enum Crypto {
    /// Pure Rust, compiled into the module.
    Rust(RustCrypto),
    /// The runtime's WebCrypto; `auto` falls back to Rust if it fails.
    Web { web: WebCrypto, auto: bool },
}

impl Crypto {
    /// The backend for `options.crypto`.
    pub fn choose(option: Option<&str>) -> Result<Crypto> {
        match option.unwrap_or("auto") {
            "rust" => Ok(Crypto::Rust(RustCrypto)),
            "webcrypto" => subtle()
                .map(|s| Crypto::Web { web: WebCrypto::new(s), auto: false })
                .ok_or_else(|| Error::new(Code::InvalidConfig, "options.crypto is 'webcrypto' but this runtime has no crypto.subtle")),
            "auto" => Ok(match subtle() {
                Some(s) => Crypto::Web { web: WebCrypto::new(s), auto: true },
                None => Crypto::Rust(RustCrypto),
            }),
            other => Err(Error::new(
                Code::InvalidConfig,
                format!("options.crypto must be 'auto', 'webcrypto' or 'rust', got {other:?}"),
            )),
        }
    }

    /// `'webcrypto'` or `'rust'`: what actually runs.
    pub fn name(&self) -> &'static str {
        match self {
            Crypto::Rust(_) => "rust",
            Crypto::Web { .. } => "webcrypto",
        }
    }
}

impl Backend for Crypto {
    async fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
        match self {
            Crypto::Rust(r) => r.sign(key, message).await,
            Crypto::Web { web, auto } => match web.sign(key, message).await {
                Err(_) if *auto => RustCrypto.sign(key, message).await,
                other => other,
            },
        }
    }

    async fn verify(&self, serial: &str, key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<bool> {
        match self {
            Crypto::Rust(r) => r.verify(serial, key, message, signature).await,
            Crypto::Web { web, auto } => match web.verify(serial, key, message, signature).await {
                Err(_) if *auto => RustCrypto.verify(serial, key, message, signature).await,
                other => other,
            },
        }
    }
}
