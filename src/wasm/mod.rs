//! The binding layer: the only code that knows about JavaScript.
//!
//! - [`client`]: the exported `Wxpay` class and its options.
//! - [`chain`]: `wxpay.v3....` nodes, built on `Proxy`.
//! - [`send`]: one request: sign, `fetch`, verify, shape the answer.
//! - [`notify`]: `wxpay.notifications`: parse notifications, answer them.
//! - [`abort`]: `signal` and `timeout` for a request.
//! - [`error`]: core errors as `WxpayError` instances.
//! - [`crypto`], [`nodecrypto`], [`webcrypto`]: the RSA backend `options.crypto` picks.
//! - [`js`]: the handful of JS APIs bound by hand.

mod abort;
mod chain;
mod client;
mod crypto;
mod error;
mod js;
mod nodecrypto;
mod notify;
mod send;
mod webcrypto;
#[cfg(feature = "bench")]
mod bench;
#[cfg(feature = "test-traps")]
mod traps;
