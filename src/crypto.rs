//! RSASSA-PKCS1-v1_5 with SHA-256: signing requests, verifying answers.

use rsa::Pkcs1v15Sign;
use sha2::{Digest, Sha256};

use crate::error::{Code, Error, Result};
use crate::keys::{PrivateKey, PublicKey};

/// Signs `message` with the merchant key, blinded.
pub fn sign(key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>> {
    let digest = Sha256::digest(message);
    key.key
        .sign_with_rng(&mut rsa::rand_core::OsRng, Pkcs1v15Sign::new::<Sha256>(), &digest)
        .map_err(|e| Error::new(Code::Crypto, format!("signing failed: {e}")))
}

/// Whether `signature` is a valid signature of `message` under `key`.
pub fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    let digest = Sha256::digest(message);
    key.key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, signature).is_ok()
}
