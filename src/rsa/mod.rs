//! RSA in our own arithmetic: constant-time by construction, blinded, and
//! fault-checked. Replaces the `rsa` crate (slow in wasm, RUSTSEC-2023-0071).
//!
//! - [`limbs`]: numbers as 28-bit limbs in `u64`, constant-time helpers.
//! - [`montgomery`]: Montgomery multiplication and squaring.
//! - [`exp`]: fixed-window (secret) and square-and-multiply (public) powers.
//! - [`lanes`]: which path runs the two CRT halves.
//! - [`pair`]: both halves side by side, one per lane of wasm SIMD.
//! - [`solo`]: one modulus on wasm SIMD (public exponent, unequal halves).
//! - [`v128`]: the vector operations, native on wasm, emulated elsewhere.
//! - [`inverse`]: the (masked) inversion of the blinding factor.
//! - [`crt`]: the private operation: blinding, CRT, recombination, fault check.
//! - [`key`]: key structures, validation and DER (PKCS#1, PKCS#8, SPKI).
//! - [`pkcs1v15`]: RSASSA-PKCS1-v1_5 with SHA-256.
//! - [`oaep`]: RSAES-OAEP with SHA-1.
//!
//! On wasm the exponentiations run on [`pair`] and [`solo`]; natively (where
//! only the tests run) on the scalar [`montgomery`] and [`exp`], which are
//! also the reference the vector code is tested against.

pub mod crt;
pub mod exp;
pub mod inverse;
pub mod key;
pub mod lanes;
pub mod limbs;
pub mod montgomery;
pub mod oaep;
pub mod pair;
pub mod pkcs1v15;
pub mod solo;
pub mod v128;

pub use key::{RsaPrivateKey, RsaPublicKey};
