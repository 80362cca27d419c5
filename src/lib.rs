//! A WeChat Pay APIv3 client, compiled to WebAssembly for Node, Cloudflare
//! Workers and browsers.
//!
//! The crate is a pure core that knows nothing of JavaScript — paths, the
//! signed message, the `Authorization` header, answer verification, keys,
//! notification decryption —
//! and a thin binding layer ([`wasm`], on `wasm32` only) that exposes the
//! `Wxpay` class and is the single place that calls `fetch`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![warn(missing_docs)]

pub mod aead;
pub mod base64;
pub mod bill;
pub mod certificates;
pub mod config;
pub mod crypto;
pub mod digest;
pub mod error;
pub mod keys;
pub mod multipart;
pub mod nonce;
pub mod notify;
pub mod path;
pub mod payment;
pub mod request;
pub mod response;
pub mod retry;
pub mod rsa;
pub mod sensitive;
pub mod text;
pub mod url;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The allocator of the `.wasm`: talc (see Cargo.toml for why), growing the memory in steps
/// (src/wasm/grow.rs).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics"), not(feature = "alloc-counts")))]
#[global_allocator]
static ALLOCATOR: wasm::grow::Allocator = wasm::grow::allocator();

/// talc, counting (`alloc-counts` only: bench/profile/counts.sh).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics"), feature = "alloc-counts"))]
#[global_allocator]
static ALLOCATOR: wasm::counts::Counting = wasm::counts::Counting(wasm::grow::allocator());

pub use error::{Code, Error, Result};
