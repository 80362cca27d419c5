//! The validated options of a client: everything checked once, up front.

use crate::aead::ApiV3Key;
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
    /// Where a request goes when `base` cannot be reached.
    pub backup: Option<BaseUrl>,
    /// Retries of a `GET` by default (other methods opt in per request).
    pub retries: u32,
    /// Default timeout per request, in milliseconds.
    pub timeout_ms: Option<u32>,
    /// Default limit of an answer's body, in bytes.
    pub max_body_bytes: u32,
    /// `wechatpaySerial`: the `certs` entry to send as `Wechatpay-Serial` and
    /// to `encrypt` for while it is in effect (see [`choose_serial`]).
    pub wechatpay_serial: Option<String>,
    /// The APIv3 key, needed to decrypt notifications.
    pub apiv3_key: Option<ApiV3Key>,
}

fn invalid(msg: String) -> Error {
    Error::new(Code::InvalidConfig, msg)
}

/// Validates `mchid`: a merchant id is digits, and it goes inside a quoted
/// `Authorization` field. Anything else (an APIv3 key in the wrong variable,
/// say: 32 letters and digits) would be sent in every request, and refused there.
pub fn mchid(value: &str) -> Result<String> {
    let what = "the merchant id, e.g. \"1900000109\"";
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(format!("options.mchid must not be empty: give {what}")));
    }
    if value.len() > 32 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(format!("options.mchid must be digits, at most 32: {what}")));
    }
    Ok(value.to_string())
}

/// Validates `serial`: a certificate serial is hex, sent in upper case, as the
/// merchant platform and OpenSSL show it (and as the service's own serials are
/// written). Anything else (an APIv3 key in the wrong variable, say) would be
/// sent in every `Authorization` header, and refused there. What OpenSSL prints
/// is taken as printed: `serial=` before it (`-serial`), or its bytes
/// between colons (`-text`).
pub fn serial(value: &str) -> Result<String> {
    let what = "the serial number of the merchant API certificate (openssl x509 -noout -serial -in apiclient_cert.pem)";
    let value = value.trim();
    let value = value.strip_prefix("serial=").unwrap_or(value);
    let serial: String = value.chars().filter(|&c| c != ':').collect();
    if serial.is_empty() {
        return Err(invalid(format!("options.serial must not be empty: give {what}")));
    }
    if !serial.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid(format!("options.serial must be hex, {what}")));
    }
    // An X.509 serial is at most 20 bytes: more digits are its decimal form.
    if serial.len() > 40 {
        return Err(invalid(format!("options.serial has more than 40 digits (a serial in decimal?): give it in hex, {what}")));
    }
    Ok(serial.to_ascii_uppercase())
}

/// Refuses a certificate under the merchant's serial among the platform's: the
/// merchant's own (kept, it would be named in `Wechatpay-Serial`, which the
/// service refuses, and it signs no answer), or a platform serial given as
/// `options.serial`; the message suits both.
pub fn not_merchant_certificate(keyring: &Keyring, serial: &str) -> Result<()> {
    match keyring.entry(serial) {
        Some((name, key)) if key.certificate_serial.is_some() => Err(invalid(format!(
            "options.certs[{}] is a certificate under the serial given as options.serial: certs takes the WeChat Pay platform certificates or public key, which sign the answers, and options.serial the merchant API certificate's serial (apiclient_cert.pem)",
            crate::error::quoted(name)
        ))),
        _ => Ok(()),
    }
}

/// A whole number from `min` to `max` given as option `name` (`options.x`:
/// `ERR_INVALID_CONFIG`; a request's `config.x`: `ERR_INVALID_PARAM`), or the
/// error saying `what` it must be.
pub fn whole(name: &str, n: f64, min: u32, max: u32, what: &str) -> Result<u32> {
    if n.is_finite() && n.fract() == 0.0 && n >= f64::from(min) && n <= f64::from(max) {
        // In range and whole, so the cast is exact.
        Ok(n as u32)
    } else {
        Err(Error::new(
            if name.starts_with("options.") { Code::InvalidConfig } else { Code::InvalidParam },
            // No `{n}`: formatting a float costs the .wasm 6 KB gzip.
            format!("{name} must be {what} from {min} to {max}"),
        ))
    }
}

/// Validates `timeout` (milliseconds; a positive whole number up to 2^31 - 1).
pub fn timeout(name: &str, ms: f64) -> Result<u32> {
    whole(name, ms, 1, i32::MAX as u32, "a whole number of milliseconds")
}

/// The default `maxBodyBytes`: 32 MiB, far above any JSON answer of the API.
pub const DEFAULT_MAX_BODY_BYTES: u32 = 32 << 20;
/// The largest `maxBodyBytes` accepted: 1 GiB (wasm memory is 4 GiB at most).
pub const MAX_BODY_BYTES_LIMIT: u32 = 1 << 30;

/// Validates `maxBodyBytes` (a whole number of bytes from 1 to 1 GiB).
pub fn max_body_bytes(name: &str, n: f64) -> Result<u32> {
    whole(name, n, 1, MAX_BODY_BYTES_LIMIT, "a whole number of bytes")
}

/// Builds the keyring from `certs` entries (serial, key bytes).
pub fn keyring<'a>(entries: impl IntoIterator<Item = (String, &'a [u8])>) -> Result<Keyring> {
    keyring_or_download(entries, false)
}

/// [`keyring`], allowed to be empty when the client can download the
/// platform certificates (it has the APIv3 key).
pub fn keyring_or_download<'a>(entries: impl IntoIterator<Item = (String, &'a [u8])>, can_download: bool) -> Result<Keyring> {
    let mut ring = Keyring::default();
    for (serial, pem) in entries {
        let what = certs_entry(&serial)?;
        let key = PublicKey::parse(pem, &what)?;
        // A certificate kept under another serial would verify answers that name that serial
        // (and encrypt under a key the Wechatpay-Serial sent with it does not name).
        if let Some(own) = key.certificate_serial.as_deref().filter(|own| !crate::keys::same_serial(own, &serial)) {
            // Its own serial is repeated only when it has a serial's shape, like every other.
            let mut message = what;
            message.push_str(" is a certificate whose serial ");
            if shown_serial(own) {
                message.push_str(&crate::error::quoted(own));
                message.push(' ');
            }
            message.push_str("differs from the key it is given under");
            return Err(invalid(message));
        }
        // A bare public key has no serial of its own to check its name against: it is named by
        // its id as the merchant platform shows it, or by a certificate's serial (hex; decimal
        // digits alone are an id that lost its prefix). Misnamed, it would be refused only once
        // the service signs with it.
        if key.certificate_serial.is_none() && !public_key_name(&serial) {
            let mut message = what;
            message.push_str(" is a public key under a name that is not a WeChat Pay public key id (PUB_KEY_ID_ and digits) or a certificate serial (hex)");
            return Err(invalid(message));
        }
        // A certificate is kept under its own serial, as it writes it (two hex digits a byte,
        // upper case), whichever spelling keyed it; a public key under its key in upper case if
        // hex, and a `PUB_KEY_ID_...` as given. Lookups match in any case, and hex with or
        // without leading zeros.
        let name = key.certificate_serial.clone().unwrap_or_else(|| canonical(&serial));
        ring.insert(name, key);
    }
    if ring.is_empty() && !can_download {
        return Err(invalid(
            "options.certs must map at least one platform certificate serial or PUB_KEY_ID_... to its PEM (or leave certs out and give options.apiv3Key: the platform certificates are then downloaded)".into(),
        ));
    }
    Ok(ring)
}

/// Validates `apiv3Key`: the 32 bytes of a 32-character string, whitespace
/// at either end left out as for `mchid` and `serial` (a key is letters and
/// digits; one read from a file ends with a line break). The message gives
/// the length only, never the value.
pub fn apiv3_key(value: &str) -> Result<ApiV3Key> {
    let value = value.trim();
    ApiV3Key::new(value).ok_or_else(|| {
        invalid(format!(
            "options.apiv3Key must be the 32-character APIv3 key set in the merchant platform (32 bytes), got {} bytes",
            value.len()
        ))
    })
}

/// The prefix of WeChat Pay public key ids.
pub const PUB_KEY_ID_PREFIX: &str = "PUB_KEY_ID_";

/// A serial as sent in `Wechatpay-Serial`: hex certificate serials in upper
/// case, as the service writes them; ids as configured.
fn canonical(serial: &str) -> String {
    if serial.bytes().all(|b| b.is_ascii_hexdigit()) {
        serial.to_ascii_uppercase()
    } else {
        serial.to_string()
    }
}

/// Validates `wechatpaySerial`: it must name an entry of `certs`; that
/// entry's serial, as kept.
pub fn wechatpay_serial(keyring: &Keyring, given: &str) -> Result<String> {
    let given = given.trim();
    match keyring.entry(given) {
        Some((serial, _)) => Ok(canonical(serial)),
        None => {
            let serials = crate::error::listed(keyring.serials());
            // Quote only what has the shape of a serial or key id: any
            // other text may be a secret pasted into the wrong option.
            Err(invalid(if shown_serial(given) {
                format!("options.wechatpaySerial {} is not one of the configured certs ({serials})", crate::error::quoted(given))
            } else {
                format!("options.wechatpaySerial is not a certificate serial (hex) or PUB_KEY_ID_... id of the configured certs ({serials})")
            }))
        }
    }
}

/// The key to name in `Wechatpay-Serial` and to `encrypt` for at `now`, chosen
/// at each use from `keyring` (the configured keys and the downloaded
/// certificates), and whether it is in effect: `pinned` (`wechatpaySerial`)
/// while it is in effect; else the `PUB_KEY_ID_...` entry; else the
/// certificate in effect with the latest `notBefore`; else a bare key. Only
/// when none is in effect, one not yet in effect (`pinned` first), then an
/// expired one. Of equals, the first.
pub fn choose_serial<'a>(keyring: &'a Keyring, pinned: Option<&str>, now: i64) -> Option<(&'a str, bool)> {
    let mut best: Option<(&str, (u8, bool, bool, i64))> = None;
    for (serial, key) in keyring.iter() {
        let (from, to) = key.validity.unwrap_or((i64::MIN, i64::MAX));
        // 2 in effect (a bare key has no validity to leave), 1 not yet, 0 expired.
        let standing = if now > to { 0 } else if now < from { 1 } else { 2 };
        let rank = (standing, pinned == Some(serial), serial.starts_with(PUB_KEY_ID_PREFIX), from);
        if best.is_none_or(|(_, b)| rank > b) {
            best = Some((serial, rank));
        }
    }
    best.map(|(serial, (standing, ..))| (serial, standing == 2))
}

/// How messages name the `certs` entry `serial`: `options.certs["SERIAL"]`.
/// A key that is not a serial or key id is refused without being repeated,
/// since it may be a PEM pasted in the wrong place.
pub fn certs_entry(serial: &str) -> Result<String> {
    let valid = !serial.is_empty()
        && serial.len() <= 64
        && serial.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if valid && shown_serial(serial) {
        Ok(format!("options.certs[\"{serial}\"]"))
    } else if valid {
        Ok(format!("options.certs[a key of {} characters]", serial.len()))
    } else {
        Err(invalid(
            "options.certs has a key that is not a certificate serial (hex) or a PUB_KEY_ID_... id: the map is { [serial]: pem }".into(),
        ))
    }
}

/// Whether a serial the caller gave may be repeated in a message: a
/// `PUB_KEY_ID_` and digits, or a certificate serial (hex, 33 to 40
/// characters). Anything else could be a secret in the wrong place: an APIv3
/// key is 32 characters, and may be all hex.
pub(crate) fn shown_serial(serial: &str) -> bool {
    key_id(serial) || ((33..=40).contains(&serial.len()) && serial.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether a bare public key may be kept under `serial`: its id, or hex that is
/// not decimal digits alone.
fn public_key_name(serial: &str) -> bool {
    key_id(serial) || (serial.bytes().all(|b| b.is_ascii_hexdigit()) && !serial.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `serial` is a WeChat Pay public key id: `PUB_KEY_ID_` and digits.
fn key_id(serial: &str) -> bool {
    serial.strip_prefix(PUB_KEY_ID_PREFIX).is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
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
        // An APIv3 key (32 letters and digits) given as the merchant id is refused, unquoted.
        let key = "4HAloXQ2JZIcc8WEwdowzZIjl9lbV4d1";
        let err = mchid(key).unwrap_err();
        assert_eq!(err.code, Code::InvalidConfig);
        assert!(!err.message.contains(key), "{}", err.message);
        assert_eq!(mchid(&"1".repeat(32)).unwrap(), "1".repeat(32));
        assert_eq!(mchid(&"1".repeat(33)).unwrap_err().code, Code::InvalidConfig);
        assert_eq!(mchid("19000001O9").unwrap_err().code, Code::InvalidConfig);
        assert!(serial("a,b").unwrap_err().message.contains("options.serial"));
        // A serial typed in lower case is sent as the platform shows it.
        assert_eq!(serial(" 3775b6a45acd588826d15e583a95f5dd ").unwrap(), "3775B6A45ACD588826D15E583A95F5DD");
    }

    #[test]
    fn serials_as_openssl_prints_them() {
        let hex = "0A50C7F2B1E3D4A5968778695A4B3C2D1E0F1A2B";
        // `openssl x509 -noout -serial`, its line break kept; `-text`'s byte pairs.
        assert_eq!(serial("serial=0A50C7F2B1E3D4A5968778695A4B3C2D1E0F1A2B\n").unwrap(), hex);
        assert_eq!(serial("0a:50:c7:f2:b1:e3:d4:a5:96:87:78:69:5a:4b:3c:2d:1e:0f:1a:2b").unwrap(), hex);
        // Forty hex digits at most (20 bytes); a decimal serial has more.
        assert_eq!(serial(&"F".repeat(40)).unwrap().len(), 40);
        let decimal = serial("57420134766396012381327513416419584547302640427").unwrap_err();
        assert_eq!(decimal.code, Code::InvalidConfig);
        assert!(decimal.message.starts_with("options.serial has more than 40 digits (a serial in decimal?)"), "{}", decimal.message);
        for empty in ["", "  ", "serial=", ":"] {
            assert!(serial(empty).unwrap_err().message.starts_with("options.serial must not be empty"), "{empty:?}");
        }
        for bad in ["0x0A50", "serial = 0A50", "0A50 C7F2", "SERIAL=0A50", "m1nRnhmjDeI6bpECoUZN13X8xbWzNfvH"] {
            let e = serial(bad).unwrap_err();
            assert!(e.message.starts_with("options.serial must be hex, the serial number"), "{bad:?}: {}", e.message);
            assert!(!e.message.contains(bad), "{bad:?} is not quoted");
        }
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
        // An APIv3 key (32 characters, here all hex) in a serial's place is never repeated.
        let key = "abcdef0123456789abcdef0123456789";
        assert_eq!(certs_entry(key).unwrap(), "options.certs[a key of 32 characters]");
        let e = wechatpay_serial(&Keyring::default(), key).unwrap_err();
        assert!(!e.message.contains(key), "{}", e.message);
        let serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
        assert_eq!(certs_entry(serial).unwrap(), format!("options.certs[\"{serial}\"]"));
    }

    // Found by tests/properties/config.rs (and issue 10, item 5).
    #[test]
    fn regression_wechatpay_serial_holding_a_secret_is_not_echoed() {
        let mut ring = Keyring::default();
        let cert = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/platform_cert.pem")).unwrap();
        ring.insert("5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01".into(), PublicKey::parse(&cert, "certs").unwrap());
        for secret in [
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
            "wxpayWasmTestApiV3Key0123456789a",
        ] {
            let e = wechatpay_serial(&ring, secret).unwrap_err();
            assert_eq!(e.code, Code::InvalidConfig);
            assert_eq!(
                e.message,
                "options.wechatpaySerial is not a certificate serial (hex) or PUB_KEY_ID_... id of the configured certs (5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01)"
            );
        }
        // A serial or key id is named, to show which one is missing.
        let e = wechatpay_serial(&ring, " PUB_KEY_ID_0 ").unwrap_err();
        assert_eq!(e.message, "options.wechatpaySerial \"PUB_KEY_ID_0\" is not one of the configured certs (5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01)");
        let other = "7E57F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";
        let e = wechatpay_serial(&ring, other).unwrap_err();
        assert!(e.message.starts_with(&format!("options.wechatpaySerial \"{other}\" is not")), "{}", e.message);
        // Hex of an APIv3 key's length (32) could be one: not repeated.
        let e = wechatpay_serial(&ring, "7e57f04e6c9a5e7a5b6a1c2f3e4d5c6b").unwrap_err();
        assert!(!e.message.contains("7e57f04e"), "{}", e.message);
    }

    #[test]
    fn regression_certificate_under_another_serial_is_refused() {
        let fixture = |name: &str| std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let (cert, public) = (fixture("platform_cert.pem"), fixture("platform_pub.pem"));
        let own = "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";
        // Under its own serial, in either case: kept, as the service writes it.
        for key in [own.to_string(), own.to_lowercase()] {
            let ring = keyring([(key, cert.as_slice())]).unwrap();
            assert_eq!(ring.serials().collect::<Vec<_>>(), [own]);
        }
        let other = "7E57F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";
        let e = keyring([(own.to_string(), cert.as_slice()), (other.to_string(), cert.as_slice())]).unwrap_err();
        assert_eq!(e.code, Code::InvalidConfig);
        assert_eq!(e.message, format!("options.certs[\"{other}\"] is a certificate whose serial \"{own}\" differs from the key it is given under"));
        let e = keyring([("PUB_KEY_ID_0112".to_string(), cert.as_slice())]).unwrap_err();
        assert_eq!(e.message, format!("options.certs[\"PUB_KEY_ID_0112\"] is a certificate whose serial \"{own}\" differs from the key it is given under"));
        // A key that could be an APIv3 key is still not repeated.
        let key = "abcdef0123456789abcdef0123456789";
        let e = keyring([(key.to_string(), cert.as_slice())]).unwrap_err();
        assert_eq!(e.message, format!("options.certs[a key of 32 characters] is a certificate whose serial \"{own}\" differs from the key it is given under"));
        // A bare public key has no serial of its own: under a certificate's serial or an id.
        assert!(keyring([(other.to_string(), public.as_slice()), ("PUB_KEY_ID_0112".to_string(), public.as_slice())]).is_ok());
    }

    #[test]
    fn regression_public_key_under_a_mistyped_id_is_refused() {
        let public = std::fs::read(format!("{}/tests/fixtures/platform_pub.pem", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let tail = " is a public key under a name that is not a WeChat Pay public key id (PUB_KEY_ID_ and digits) or a certificate serial (hex)";
        // A name of its own, the id in lower case, without its prefix (decimal digits), with no digits.
        for (name, shown) in [
            ("my-key", "a key of 6 characters".to_string()),
            ("wechatpay-pubkey", "a key of 16 characters".to_string()),
            ("pub_key_id_0115588915912025020800337100001553", "a key of 45 characters".to_string()),
            ("0115588915912025020800337100001553", "\"0115588915912025020800337100001553\"".to_string()),
            ("PUB_KEY_ID_", "a key of 11 characters".to_string()),
            ("PUB_KEY_ID_01x", "a key of 14 characters".to_string()),
        ] {
            let e = keyring([(name.to_string(), public.as_slice())]).unwrap_err();
            assert_eq!(e.code, Code::InvalidConfig);
            assert_eq!(e.message, format!("options.certs[{shown}]{tail}"));
        }
        for name in ["PUB_KEY_ID_0115588915912025020800337100001553", "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01", "5157f04e6c9a5e7a5b6a1c2f3e4d5c6b7a8f9e01", "0A"] {
            assert!(keyring([(name.to_string(), public.as_slice())]).is_ok(), "{name}");
        }
    }

    #[test]
    fn regression_serial_matches_with_or_without_its_leading_zero() {
        let cert = std::fs::read(format!("{}/tests/fixtures/cert_serial_0a.pem", env!("CARGO_MANIFEST_DIR"))).unwrap();
        // Its serial is 0A1B...: as OpenSSL and Go print it, and as Java's BigInteger does.
        let (even, java) = ("0A1B2C3D4E5F60718293A4B5C6D7E8F901234567", "A1B2C3D4E5F60718293A4B5C6D7E8F901234567");
        for configured in [even, java, &java.to_lowercase()] {
            let ring = keyring([(configured.to_string(), cert.as_slice())]).unwrap();
            for named in [even, java] {
                assert!(ring.get(named).is_some(), "{configured} / {named}");
            }
            assert!(ring.get("0B1B2C3D4E5F60718293A4B5C6D7E8F901234567").is_none());
        }
        // Kept under the certificate's own spelling, which Wechatpay-Serial then sends; two
        // spellings of one serial are one entry.
        for configured in [even, java] {
            assert_eq!(choose_serial(&keyring([(configured.to_string(), cert.as_slice())]).unwrap(), None, 0), Some((even, false)));
        }
        let ring = keyring([(even.to_string(), cert.as_slice()), (java.to_string(), cert.as_slice())]).unwrap();
        assert_eq!(ring.serials().collect::<Vec<_>>(), [even]);
        assert_eq!(wechatpay_serial(&ring, java).unwrap(), even);
    }

    /// A ring of the fixture's key under each serial, with the validity given
    /// (`None`: a bare key).
    fn ring_of(entries: &[(&str, Option<(i64, i64)>)]) -> Keyring {
        let cert = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/platform_cert.pem")).unwrap();
        let mut ring = Keyring::default();
        for (serial, validity) in entries {
            let mut key = PublicKey::parse(&cert, "certs").unwrap();
            key.validity = *validity;
            ring.insert(serial.to_string(), key);
        }
        ring
    }

    const OLD: &str = "5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01";
    const NEW: &str = "6157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E02";
    const NEXT: &str = "7157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E03";

    // Audit 2026-12 (flows 10): the configured certificate stayed `Wechatpay-Serial` and the
    // key `encrypt` used after it expired, beside a downloaded one in effect.
    #[test]
    fn regression_an_expired_certificate_gives_way_to_one_in_effect() {
        let ring = ring_of(&[(OLD, Some((0, 100))), (NEW, Some((50, 1000)))]);
        assert_eq!(choose_serial(&ring, None, 80), Some((NEW, true)), "the latest notBefore, both in effect");
        assert_eq!(choose_serial(&ring, Some(OLD), 80), Some((OLD, true)), "a pin is kept while in effect");
        for pinned in [None, Some(OLD), Some(NEW)] {
            assert_eq!(choose_serial(&ring, pinned, 101), Some((NEW, true)), "{pinned:?}");
        }
        // Nothing else: the expired one, as the best there is, said to be out of effect.
        let ring = ring_of(&[(OLD, Some((0, 100)))]);
        assert_eq!(choose_serial(&ring, None, 101), Some((OLD, false)));
        assert_eq!(choose_serial(&ring, Some(OLD), 101), Some((OLD, false)));
        // A bare key (no validity to outlive) stands in for an expired certificate.
        let ring = ring_of(&[(OLD, Some((0, 100))), ("AAAA", None)]);
        assert_eq!(choose_serial(&ring, None, 101), Some(("AAAA", true)));
        assert_eq!(choose_serial(&ring, None, 99), Some((OLD, true)));
    }

    // Audit 2026-12 (flows 12): the configured certificate with the latest notBefore was
    // chosen even before that date.
    #[test]
    fn regression_a_certificate_not_yet_in_effect_is_not_chosen_beside_one_in_effect() {
        let ring = ring_of(&[(NEW, Some((0, 1000))), (NEXT, Some((500, 2000)))]);
        assert_eq!(choose_serial(&ring, None, 300), Some((NEW, true)));
        assert_eq!(choose_serial(&ring, Some(NEXT), 300), Some((NEW, true)), "a pin not yet in effect waits");
        assert_eq!(choose_serial(&ring, None, 500), Some((NEXT, true)), "from its notBefore on");
        assert_eq!(choose_serial(&ring, Some(NEW), 600), Some((NEW, true)));
        // None in effect: one not yet in effect before an expired one, the pin first among equals.
        let ring = ring_of(&[(OLD, Some((0, 100))), (NEXT, Some((500, 2000)))]);
        assert_eq!(choose_serial(&ring, None, 300), Some((NEXT, false)));
        assert_eq!(choose_serial(&ring, Some(OLD), 300), Some((NEXT, false)));
        let ring = ring_of(&[(NEW, Some((500, 2000))), (NEXT, Some((600, 2000)))]);
        assert_eq!(choose_serial(&ring, Some(NEW), 300), Some((NEW, false)));
    }

    #[test]
    fn a_public_key_id_is_chosen_over_certificates_and_a_pin_in_effect_over_it() {
        let ring = ring_of(&[(OLD, Some((0, 1000))), ("PUB_KEY_ID_0112", None), (NEW, Some((50, 1000)))]);
        assert_eq!(choose_serial(&ring, None, 80), Some(("PUB_KEY_ID_0112", true)));
        assert_eq!(choose_serial(&ring, Some(OLD), 80), Some((OLD, true)));
        assert_eq!(choose_serial(&ring, Some(OLD), 1001), Some(("PUB_KEY_ID_0112", true)));
        assert_eq!(choose_serial(&Keyring::default(), None, 0), None);
    }

    #[test]
    fn empty_certs() {
        assert_eq!(keyring([]).unwrap_err().code, Code::InvalidConfig);
    }
}
