//! `wxpay.notifications`: read a notification from a fetch `Request` or a
//! `{ headers, body }` object, hand it to the core to verify and decrypt, and
//! build the fetch `Response` WeChat Pay expects back.

use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::client::Client;
use super::error::{describe, param_error, Extra};
use super::js::{self, kind};
use super::send::now_secs;
use crate::error::{Code, Error};
use crate::notify;
use crate::response::{header, SignatureHeaders};

/// `wxpay.notifications`: parse notifications, answer them.
#[wasm_bindgen(js_name = WxpayNotifications)]
pub struct Notifications {
    client: Rc<Client>,
}

impl Notifications {
    /// The notifications of one client.
    pub fn new(client: Rc<Client>) -> Self {
        Notifications { client }
    }
}

fn get(obj: &JsValue, key: &str) -> Result<JsValue, Error> {
    Reflect::get(obj, &JsValue::from_str(key)).map_err(|e| param_error(format!("reading input.{key} threw: {}", describe(&e))))
}

/// The request's headers by name, case-insensitively: a `Headers` (anything
/// with a `get` method) or a plain object such as Node's `req.headers`.
enum HeaderSource {
    Fetch(JsValue, Function),
    Plain(Vec<(String, JsValue)>),
}

impl HeaderSource {
    fn read(input: &JsValue) -> Result<Self, Error> {
        let headers = get(input, "headers")?;
        if headers.is_object() {
            let getter = get(&headers, "get")?;
            if let Some(f) = getter.dyn_ref::<Function>() {
                return Ok(HeaderSource::Fetch(headers.clone(), f.clone()));
            }
            let entries = Object::entries(headers.unchecked_ref())
                .iter()
                .filter_map(|pair| {
                    let pair: js_sys::Array = pair.dyn_into().ok()?;
                    Some((pair.get(0).as_string()?, pair.get(1)))
                })
                .collect();
            return Ok(HeaderSource::Plain(entries));
        }
        Err(param_error(format!("notifications.parse(input): input.headers must be a Headers or a plain object, got {}", kind(&headers))))
    }

    fn get(&self, name: &str) -> Option<String> {
        let value = match self {
            HeaderSource::Fetch(headers, get) => get.call1(headers, &JsValue::from_str(name)).ok()?,
            HeaderSource::Plain(entries) => entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?.1.clone(),
        };
        if let Some(s) = value.as_string() {
            return Some(s);
        }
        // Node gives an array for a repeated header; one value is still one value.
        let list = value.dyn_ref::<js_sys::Array>()?;
        if list.length() == 1 {
            list.get(0).as_string()
        } else {
            None
        }
    }
}

/// The raw body bytes: `body` as a string (UTF-8), bytes or `ArrayBuffer`;
/// else the input's `arrayBuffer()` (a fetch `Request`).
async fn body_bytes(input: &JsValue) -> Result<Vec<u8>, Error> {
    let body = get(input, "body")?;
    if let Some(bytes) = js::bytes_of(&body) {
        return Ok(bytes);
    }
    let read = get(input, "arrayBuffer")?;
    let Some(read) = read.dyn_ref::<Function>() else {
        return Err(param_error(format!(
            "notifications.parse(input): input.body must be a string or a Uint8Array (the raw body), got {}",
            kind(&body)
        )));
    };
    let failed = |e: JsValue| param_error(format!("notifications.parse(input): reading the request body failed (was it already read?): {}", describe(&e)));
    let promise = read.call0(input).map_err(failed)?;
    let buffer = JsFuture::from(Promise::resolve(&promise)).await.map_err(failed)?;
    if !buffer.is_instance_of::<js_sys::ArrayBuffer>() {
        return Err(param_error("notifications.parse(input): input.arrayBuffer() did not give an ArrayBuffer".into()));
    }
    Ok(Uint8Array::new(&buffer).to_vec())
}

async fn parse(client: &Client, input: &JsValue) -> Result<JsValue, JsValue> {
    let key = client.config.apiv3_key.as_ref().ok_or_else(|| {
        Error::new(Code::InvalidConfig, "notifications.parse needs options.apiv3Key, the merchant's APIv3 key, to decrypt notifications")
    })?;
    if !input.is_object() {
        return Err(param_error(format!(
            "notifications.parse(input): input must be a fetch Request or {{ headers, body }}, got {}",
            kind(input)
        ))
        .into());
    }
    let headers = HeaderSource::read(input)?;
    let body = body_bytes(input).await?;
    let (ts, nonce, sig, serial) = (
        headers.get(header::TIMESTAMP),
        headers.get(header::NONCE),
        headers.get(header::SIGNATURE),
        headers.get(header::SERIAL),
    );
    let h = SignatureHeaders { timestamp: ts.as_deref(), nonce: nonce.as_deref(), signature: sig.as_deref(), serial: serial.as_deref() };
    let request_id = headers.get(header::REQUEST_ID);
    let with_id = |e: Error| e.into_js_with(Extra { request_id: request_id.clone(), ..Extra::default() });
    let opened = notify::open_with(&client.crypto, &h, &body, now_secs(), &client.config.keyring, key).await.map_err(with_id)?;
    // The core checked both texts are JSON objects, which JSON.parse accepts.
    let unparsable = |_| with_id(Error::new(Code::NotifyBody, "notification body is not JSON"));
    let notification = JSON::parse(&opened.body).map_err(unparsable)?;
    let resource = JSON::parse(&opened.resource).map_err(unparsable)?;
    Reflect::set(&notification, &JsValue::from_str("resource"), &resource)?;
    Ok(notification)
}

/// `204 No Content`: the notification was handled.
pub fn success() -> Result<JsValue, JsValue> {
    let init = Object::new();
    Reflect::set(&init, &"status".into(), &JsValue::from(204))?;
    js::NewResponse::new_response(&JsValue::NULL, &init).map(Into::into).map_err(no_response)
}

fn no_response(e: JsValue) -> JsValue {
    Error::new(Code::InvalidParam, format!("cannot build a fetch Response in this runtime: {}", describe(&e))).into()
}

/// `status` (default 500) with `{"code":"FAIL","message":message}`: WeChat
/// Pay will retry. `message` is a string or an `Error` (its message is used).
pub fn failure(message: JsValue, status: JsValue) -> Result<JsValue, JsValue> {
    let text = if let Some(s) = message.as_string() {
        s
    } else if let Some(e) = message.dyn_ref::<js_sys::Error>() {
        String::from(e.message())
    } else if message.is_undefined() {
        "failed".into()
    } else {
        return Err(param_error(format!("failure(message, status): message must be a string or an Error, got {}", kind(&message))).into());
    };
    let status = match status.as_f64() {
        Some(n) => notify::failure_status(n)?,
        None if status.is_undefined() => 500,
        None => {
            return Err(param_error(format!("failure(message, status): status must be a number from 400 to 599, got {}", kind(&status))).into())
        }
    };
    let init = Object::new();
    let headers = Object::new();
    Reflect::set(&headers, &"content-type".into(), &"application/json".into())?;
    Reflect::set(&init, &"status".into(), &JsValue::from(status))?;
    Reflect::set(&init, &"headers".into(), &headers)?;
    js::NewResponse::new_response(&JsValue::from_str(&notify::failure_body(&text)), &init).map(Into::into).map_err(no_response)
}

#[wasm_bindgen(js_class = WxpayNotifications)]
impl Notifications {
    /// Verifies a notification like an answer (headers, 300 s window, serial,
    /// signature over the raw body), decrypts its `resource` with the APIv3
    /// key, and resolves to the notification with `resource` decrypted.
    /// Rejects with `ERR_NOTIFY_*` (or `ERR_INVALID_CONFIG` without apiv3Key).
    pub fn parse(&self, input: JsValue) -> Promise {
        let client = self.client.clone();
        js::promise(async move { parse(&client, &input).await })
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
