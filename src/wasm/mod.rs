//! The binding layer: the only code that knows about JavaScript.
//!
//! - [`client`]: the exported `Wxpay` class and its options.
//! - [`boundary`]: every caller-supplied value and everything `fetch` returns,
//!   read by `boundary.js` inside try/catch; the transport (timeout race,
//!   bounded body reader).
//! - [`send`]: one request: sign, send, verify, shape the answer.
//! - [`notify`]: `wxpay.notifications`: parse notifications, answer them.
//! - [`error`]: core errors as `WxpayError` instances.
//! - [`crypto`], [`nodecrypto`], [`webcrypto`]: the RSA backend `options.crypto` picks.
//! - [`driver`]: calls polled from JS, their waits awaited there.
//! - [`js`]: the handful of JS APIs bound by hand.
//! - [`grow`]: where the allocator's memory comes from.

mod boundary;
mod certs;
mod client;
mod crypto;
mod driver;
mod error;
mod files;
pub mod grow;
mod js;
mod nodecrypto;
mod notify;
mod send;
mod webcrypto;
#[cfg(feature = "bench")]
mod bench;
#[cfg(feature = "test-traps")]
mod traps;
#[cfg(feature = "alloc-counts")]
pub(crate) mod counts;
