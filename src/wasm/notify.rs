//! `wxpay.notifications`: read a notification from a fetch `Request` or a
//! `{ headers, body }` object, hand it to the core to verify and decrypt, and
//! build the fetch `Response` WeChat Pay expects back.

use std::rc::{Rc, Weak};

use js_sys::{Object, JSON};
use wasm_bindgen::prelude::*;

use super::boundary;
use super::certs;
use super::client::Client;
use super::error::{describe, Extra};
use super::js;
use super::send::{freed, now_secs};
use crate::error::{Code, Error};
use crate::notify;
use crate::response::{SignatureHeaders, NOTIFY_CODES};

/// `wxpay.notifications`: parse notifications, answer them.
#[wasm_bindgen(js_name = WxpayNotifications)]
pub struct Notifications {
    client: Weak<Client>,
}

impl Notifications {
    /// The notifications of one client.
    pub fn new(client: Weak<Client>) -> Self {
        Notifications { client }
    }
}

async fn parse(client: &Rc<Client>, input: &JsValue) -> Result<JsValue, JsValue> {
    let key = client.config.apiv3_key.as_ref().ok_or_else(|| {
        Error::new(Code::InvalidConfig, "notifications.parse needs options.apiv3Key, the merchant's APIv3 key, to decrypt notifications")
    })?;
    let n = boundary::notification(input).await?;
    let h = SignatureHeaders {
        timestamp: n.timestamp.as_deref(),
        nonce: n.nonce.as_deref(),
        signature: n.signature.as_deref(),
        serial: n.serial.as_deref(),
    };
    let with_id = |e: Error| e.into_js_with(Extra { request_id: n.request_id.clone(), ..Extra::default() });
    // Unsigned or stale notifications are refused before any download to find their key.
    crate::response::precheck(&h, now_secs(), NOTIFY_CODES).map_err(with_id)?;
    let ring = certs::ring_for(client, n.serial.as_deref(), None)
        .await
        .map_err(|e| e.for_signed(NOTIFY_CODES, Extra { request_id: n.request_id.clone(), ..Extra::default() }))?;
    let opened = notify::open_with(&client.crypto, &h, &n.body, now_secs(), &ring, key).await.map_err(with_id)?;
    // The core checked both texts are JSON objects, which JSON.parse accepts.
    let unparsable = |_| with_id(Error::new(Code::NotifyBody, "notification body is not JSON"));
    let notification = JSON::parse(&opened.body).map_err(unparsable)?;
    let resource = JSON::parse(&opened.resource).map_err(unparsable)?;
    boundary::own(&notification, "resource", &resource)?;
    Ok(notification)
}

/// `204 No Content`: the notification was handled.
pub fn success() -> Result<JsValue, JsValue> {
    let init = Object::new();
    boundary::own(&init, "status", &JsValue::from(204))?;
    js::NewResponse::new_response(&JsValue::NULL, &init).map(Into::into).map_err(no_response)
}

fn no_response(e: JsValue) -> JsValue {
    Error::new(Code::InvalidParam, format!("cannot build a fetch Response in this runtime: {}", describe(&e))).into()
}

/// `status` (default 500) with `{"code":"FAIL","message":message}`: WeChat
/// Pay will retry. `message` is a string or an `Error` (its message is used).
pub fn failure(message: JsValue, status: JsValue) -> Result<JsValue, JsValue> {
    let text = boundary::failure_message(&message)?;
    let status = match status.as_f64() {
        Some(n) => notify::failure_status(n)?,
        None if status.is_undefined() => 500,
        None => return Err(Error::new(Code::InvalidParam, "failure(message, status): status must be a number from 400 to 599").into()),
    };
    let init = Object::new();
    let headers = Object::new();
    boundary::own(&headers, "content-type", &"application/json".into())?;
    boundary::own(&init, "status", &JsValue::from(status))?;
    boundary::own(&init, "headers", &headers)?;
    js::NewResponse::new_response(&JsValue::from_str(&notify::failure_body(&text)), &init).map(Into::into).map_err(no_response)
}

#[wasm_bindgen(js_class = WxpayNotifications)]
impl Notifications {
    /// Verifies a notification like an answer (headers, 300 s window, serial,
    /// signature over the raw body), decrypts its `resource` with the APIv3
    /// key, and resolves to the notification with `resource` decrypted.
    /// Rejects with `ERR_NOTIFY_*` (or `ERR_INVALID_CONFIG` without apiv3Key).
    pub fn parse(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.upgrade();
        super::driver::start(async move { parse(&client.ok_or_else(freed)?, &input).await })
    }

    /// The answer to a handled notification: `204 No Content`.
    #[wasm_bindgen(js_name = success)]
    pub fn success_answer(&self) -> Result<JsValue, JsValue> {
        success()
    }

    /// The answer to a notification that was not handled:
    /// `{"code":"FAIL","message":...}` with `status` (400-599, default 500).
    #[wasm_bindgen(js_name = failure)]
    pub fn failure_answer(&self, message: JsValue, status: JsValue) -> Result<JsValue, JsValue> {
        failure(message, status)
    }
}

/// `notifySuccess()`: `wxpay.notifications.success()` for handlers without a client.
#[wasm_bindgen(js_name = notifySuccess)]
pub fn notify_success() -> Result<JsValue, JsValue> {
    success()
}

/// `notifyFailure(message, status = 500)`: `wxpay.notifications.failure()`
/// for handlers without a client.
#[wasm_bindgen(js_name = notifyFailure)]
pub fn notify_failure(message: JsValue, status: JsValue) -> Result<JsValue, JsValue> {
    failure(message, status)
}
