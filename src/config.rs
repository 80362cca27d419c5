//! The validated options of a client: everything checked once, up front.

use crate::error::{Code, Error, Result};
use crate::keys::{Keyring, PrivateKey, PublicKey};
use crate::url::BaseUrl;

/// A client's configuration, every field already validated.
#[derive(Debug)]
pub struct Config {
    /// Merchant id, e.g. `1900000109`.
    pub mchid: String,
    /// Serial of the merchant API certificate.
    pub serial: String,
    /// The merchant private key.
    pub key: PrivateKey,
    /// Keys that may sign answers, by serial.
    pub keyring: Keyring,
    /// Where requests go.
    pub base: BaseUrl,
    /// Default timeout per request, in milliseconds.
    pub timeout_ms: Option<u32>,
}

fn invalid(msg: String) -> Error {
    Error::new(Code::InvalidConfig, msg)
}

/// Checks an identifier that goes inside a quoted Authorization field.
fn identifier(name: &str, value: &str, what: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(format!("options.{name} must not be empty: give {what}")));
    }
    if value.len() > 64 || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return Err(invalid(format!("options.{name} must be letters, digits, '_' or '-' ({what})")));
    }
    Ok(value.to_string())
}

/// Validates `mchid`.
pub fn mchid(value: &str) -> Result<String> {
    identifier("mchid", value, "the merchant id, e.g. \"1900000109\"")
}

/// Validates `serial`.
pub fn serial(value: &str) -> Result<String> {
    identifier("serial", value, "the serial number of the merchant API certificate")
}

/// Validates `timeout` (milliseconds; a positive whole number up to 2^31 - 1).
pub fn timeout(name: &str, ms: f64) -> Result<u32> {
    if ms.is_finite() && ms > 0.0 && ms.fract() == 0.0 && ms <= f64::from(i32::MAX) {
        // In range and whole, so the cast is exact.
        Ok(ms as u32)
    } else {
        Err(Error::new(
            if name.starts_with("options.") { Code::InvalidConfig } else { Code::InvalidParam },
            format!("{name} must be a positive whole number of milliseconds, got {ms}"),
        ))
    }
}

/// Builds the keyring from `certs` entries (serial, key bytes).
pub fn keyring<'a>(entries: impl IntoIterator<Item = (String, &'a [u8])>) -> Result<Keyring> {
    let mut ring = Keyring::default();
    for (serial, pem) in entries {
        let what = certs_entry(&serial)?;
        let key = PublicKey::parse(pem, &what)?;
        ring.insert(serial, key);
    }
    if ring.is_empty() {
        return Err(invalid(
            "options.certs must map at least one platform certificate serial or PUB_KEY_ID_... to its PEM".into(),
        ));
    }
    Ok(ring)
}

/// How messages name the `certs` entry `serial`: `options.certs["SERIAL"]`.
/// A key that is not a serial or key id is refused without being repeated,
/// since it may be a PEM pasted in the wrong place.
pub fn certs_entry(serial: &str) -> Result<String> {
    let valid = !serial.is_empty()
        && serial.len() <= 64
        && serial.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if valid {
        Ok(format!("options.certs[\"{serial}\"]"))
    } else {
        Err(invalid(
            "options.certs has a key that is not a certificate serial (hex) or a PUB_KEY_ID_... id: the map is { [serial]: pem }".into(),
        ))
    }
}

/// Parses the merchant private key.
pub fn private_key(pem: &[u8]) -> Result<PrivateKey> {
    PrivateKey::parse(pem, "options.privateKey")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(mchid(" 1900000109 ").unwrap(), "1900000109");
        assert_eq!(mchid("").unwrap_err().code, Code::InvalidConfig);
        assert!(mchid("19\"00").unwrap_err().message.contains("options.mchid"));
        assert!(serial("a,b").unwrap_err().message.contains("options.serial"));
    }

    #[test]
    fn timeouts() {
        assert_eq!(timeout("options.timeout", 1500.0).unwrap(), 1500);
        for bad in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 3e9] {
            assert_eq!(timeout("options.timeout", bad).unwrap_err().code, Code::InvalidConfig);
        }
        assert_eq!(timeout("config.timeout", 0.0).unwrap_err().code, Code::InvalidParam);
    }

    #[test]
    fn regression_certs_key_holding_a_pem_is_not_echoed() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
        let e = keyring([(pem.to_string(), b"x".as_slice())]).unwrap_err();
        assert_eq!(e.code, Code::InvalidConfig);
        assert!(!e.message.contains("MIIE"), "{}", e.message);
        assert!(certs_entry(&"A".repeat(65)).is_err());
        assert_eq!(certs_entry("PUB_KEY_ID_0112").unwrap(), "options.certs[\"PUB_KEY_ID_0112\"]");
    }

    #[test]
    fn empty_certs() {
        assert_eq!(keyring([]).unwrap_err().code, Code::InvalidConfig);
    }
}
