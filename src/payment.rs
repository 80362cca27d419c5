//! Payment parameters for the front end: what JSAPI, mini programs and APP
//! payments hand to the WeChat client after an order returns its `prepay_id`,
//! and the exact messages `paySign` / `sign` cover.

use crate::error::{Code, Error, Result};

/// The `package` of JSAPI and mini-program payments: `prepay_id=...`.
pub fn jsapi_package(prepay_id: &str) -> String {
    format!("prepay_id={prepay_id}")
}

/// The `package` of APP payments, fixed by the service.
pub const APP_PACKAGE: &str = "Sign=WXPay";

/// The `signType` of JSAPI and mini-program payments under APIv3.
pub const SIGN_TYPE: &str = "RSA";

/// What `paySign` covers: `appId\ntimeStamp\nnonceStr\npackage\n`.
pub fn jsapi_message(app_id: &str, timestamp: &str, nonce: &str, package: &str) -> String {
    format!("{app_id}\n{timestamp}\n{nonce}\n{package}\n")
}

/// What an APP payment's `sign` covers: `appid\ntimestamp\nnoncestr\nprepayid\n`.
pub fn app_message(app_id: &str, timestamp: &str, nonce: &str, prepay_id: &str) -> String {
    format!("{app_id}\n{timestamp}\n{nonce}\n{prepay_id}\n")
}

/// A `prepay_id` as an order answered it: [`check`]ed, and not the JSAPI
/// `package` (`prepay_id=...`) given in its place, which would be signed as
/// `prepay_id=prepay_id=...` and refused by the WeChat client only at payment.
pub fn check_prepay_id(value: &str) -> Result<()> {
    check("prepay_id", value, 128)?;
    if value.contains('=') {
        return Err(Error::new(Code::InvalidParam, "prepay_id has a `=`: give the order's prepay_id itself, not `prepay_id=...`"));
    }
    Ok(())
}

/// Checks an app id (`wx...`) and a `prepay_id` before they go into a signed
/// message: a line break would let one field pose as the next.
pub fn check(field: &str, value: &str, max: usize) -> Result<()> {
    let ok = !value.is_empty() && value.len() <= max && value.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            Code::InvalidParam,
            format!("{field} must be 1 to {max} visible ASCII characters (no spaces or line breaks)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_as_documented() {
        assert_eq!(
            jsapi_message("wx8888888888888888", "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", &jsapi_package("wx201410272009395522657a690389285100")),
            "wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n"
        );
        assert_eq!(
            app_message("wx8888888888888888", "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "WX1217752501201407033233368018"),
            "wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nWX1217752501201407033233368018\n"
        );
    }

    #[test]
    fn fields_cannot_smuggle_lines() {
        assert!(check("appId", "wx8888888888888888", 32).is_ok());
        for bad in ["", "wx\n1", "a b", "é", &"x".repeat(33)] {
            assert_eq!(check("appId", bad, 32).unwrap_err().code, Code::InvalidParam, "{bad:?}");
        }
    }
}
