//! When a request is tried again, and how long to wait first.
//!
//! By default a `GET` is retried up to [`DEFAULT_RETRIES`] times on a network
//! error, a `429` or a `5xx` answer (one refused as larger than the size limit
//! included); other methods only when the caller opts
//! in for that request. Waits grow exponentially with full jitter (a random
//! wait between zero and the cap, so many clients retrying at once spread
//! out), and a `Retry-After` the service sends is honoured. An answer that
//! fails verification is never retried: it is an attack or a bug, not a fault.

use crate::error::Result;
#[cfg(test)]
use crate::error::Code;
use crate::request::Method;

/// Retries of a `GET` when the client does not say.
pub const DEFAULT_RETRIES: u32 = 2;
/// The most retries a client or a request may ask for.
pub const MAX_RETRIES: u32 = 10;
/// The cap of the first wait, in milliseconds; it doubles with each retry.
pub const BASE_DELAY_MS: f64 = 200.0;
/// The largest cap of a wait, in milliseconds.
pub const MAX_DELAY_MS: f64 = 5_000.0;
/// The longest `Retry-After` honoured, in milliseconds; a longer one ends the retries.
pub const MAX_RETRY_AFTER_MS: f64 = 60_000.0;

/// Validates a retry count (`options.retry`, `config.retry`).
pub fn count(name: &str, n: f64) -> Result<u32> {
    crate::config::whole(name, n, 0, MAX_RETRIES, "a whole number of retries")
}

/// What a request's `retry` config says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Not given: the client's count for `GET`, none for other methods.
    Default,
    /// `true`: the client's count, whatever the method.
    Client,
    /// `false`: none.
    Never,
    /// A number: that many, whatever the method.
    Count(u32),
}

/// How many retries one request may make.
pub fn allowed(method: Method, client_retries: u32, choice: Choice) -> u32 {
    match choice {
        Choice::Default if method == Method::Get => client_retries,
        Choice::Default | Choice::Never => 0,
        Choice::Client => client_retries,
        Choice::Count(n) => n,
    }
}

/// Whether an answer with this status is worth another try.
pub fn retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// The wait before retry number `retry` (1 for the first), given a uniform
/// random number in `[0, 1)`: full jitter under an exponentially growing cap.
pub fn backoff_ms(retry: u32, random: f64) -> f64 {
    let cap = (BASE_DELAY_MS * 2f64.powi(retry.saturating_sub(1).min(16) as i32)).min(MAX_DELAY_MS);
    random.clamp(0.0, 1.0) * cap
}

/// A `Retry-After` in delta-seconds, as milliseconds (an HTTP date is read
/// by the caller, which has a clock).
pub fn retry_after_seconds(value: &str) -> Option<f64> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Digits past u64's range are a wait longer than any: the retries end, as for any past 60 s.
    Some(v.parse::<u64>().map_or(f64::INFINITY, |s| s as f64 * 1000.0))
}

/// The wait before the next try: at least the service's `Retry-After`, else
/// the jittered back-off; `None` when the service asks for longer than
/// [`MAX_RETRY_AFTER_MS`].
pub fn delay_ms(retry: u32, random: f64, retry_after_ms: Option<f64>) -> Option<f64> {
    match retry_after_ms {
        Some(ms) if ms > MAX_RETRY_AFTER_MS => None,
        Some(ms) => Some(ms.max(0.0)),
        None => Some(backoff_ms(retry, random)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_retries_by_default_other_methods_only_when_asked() {
        assert_eq!(allowed(Method::Get, 2, Choice::Default), 2);
        assert_eq!(allowed(Method::Post, 2, Choice::Default), 0);
        assert_eq!(allowed(Method::Post, 2, Choice::Client), 2);
        assert_eq!(allowed(Method::Post, 2, Choice::Count(5)), 5);
        assert_eq!(allowed(Method::Get, 2, Choice::Never), 0);
        assert_eq!(allowed(Method::Get, 0, Choice::Default), 0);
    }

    #[test]
    fn statuses() {
        for s in [429, 500, 502, 503, 504, 599] {
            assert!(retryable_status(s), "{s}");
        }
        for s in [200, 204, 400, 401, 403, 404, 409, 428, 430, 600] {
            assert!(!retryable_status(s), "{s}");
        }
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_cap() {
        assert_eq!(backoff_ms(1, 0.0), 0.0);
        assert_eq!(backoff_ms(1, 0.5), 100.0);
        assert_eq!(backoff_ms(2, 1.0), 400.0);
        assert_eq!(backoff_ms(3, 1.0), 800.0);
        assert_eq!(backoff_ms(10, 1.0), MAX_DELAY_MS);
        assert_eq!(backoff_ms(u32::MAX, 1.0), MAX_DELAY_MS);
        assert_eq!(backoff_ms(1, 7.0), 200.0);
    }

    #[test]
    fn retry_after() {
        assert_eq!(retry_after_seconds("3"), Some(3000.0));
        assert_eq!(retry_after_seconds(" 0 "), Some(0.0));
        assert_eq!(retry_after_seconds("-1"), None);
        assert_eq!(retry_after_seconds("1.5"), None);
        assert_eq!(retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        // Longer than any wait: the retries end (delay_ms), as README says of any past 60 s.
        assert_eq!(retry_after_seconds("99999999999"), Some(99_999_999_999_000.0));
        assert_eq!(retry_after_seconds("123456789012345678901234567890"), Some(f64::INFINITY));
        assert_eq!(delay_ms(1, 0.5, retry_after_seconds("123456789012345678901234567890")), None);
        assert_eq!(delay_ms(1, 0.0, Some(3000.0)), Some(3000.0));
        assert_eq!(delay_ms(1, 0.0, Some(61_000.0)), None);
        assert_eq!(delay_ms(1, 1.0, None), Some(200.0));
    }

    #[test]
    fn counts() {
        assert_eq!(count("options.retry", 0.0).unwrap(), 0);
        assert_eq!(count("config.retry", 10.0).unwrap(), 10);
        assert_eq!(count("options.retry", 11.0).unwrap_err().code, Code::InvalidConfig);
        assert_eq!(count("config.retry", 1.5).unwrap_err().code, Code::InvalidParam);
        assert_eq!(count("config.retry", f64::NAN).unwrap_err().code, Code::InvalidParam);
    }
}
