//! Core errors become `WxpayError` instances, the class `error.js` defines.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::error::{Code, Error};

#[wasm_bindgen(raw_module = "./error.js")]
extern "C" {
    /// `class WxpayError extends Error` from the package's `error.js`.
    #[wasm_bindgen(extends = js_sys::Error)]
    pub type WxpayError;

    #[wasm_bindgen(constructor)]
    fn new(code: &str, message: &str, props: &JsValue) -> WxpayError;
}

/// Extra fields of a `WxpayError`, all optional.
#[derive(Default)]
pub struct Extra {
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub detail: Option<JsValue>,
    pub response: Option<JsValue>,
    pub cause: Option<JsValue>,
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Defining a data property on a fresh plain object cannot fail.
    let _ = super::boundary::own(target, key, value);
}

/// Builds a `WxpayError` with any code (ours or the service's).
pub fn js_error(code: &str, message: &str, extra: Extra) -> JsValue {
    let props = Object::new();
    if let Some(s) = extra.status {
        set(&props, "status", &JsValue::from(s));
    }
    if let Some(id) = extra.request_id {
        set(&props, "requestId", &JsValue::from_str(&id));
    }
    if let Some(d) = extra.detail {
        set(&props, "detail", &d);
    }
    if let Some(r) = extra.response {
        set(&props, "response", &r);
    }
    if let Some(c) = extra.cause {
        set(&props, "cause", &c);
    }
    WxpayError::new(code, message, &props).into()
}

impl Error {
    /// This error as a `WxpayError`, with extra fields.
    pub fn into_js_with(self, extra: Extra) -> JsValue {
        js_error(self.code.as_str(), &self.message, extra)
    }
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        e.into_js_with(Extra::default())
    }
}

/// A short description of a thrown JS value, for messages (read at the boundary).
pub use super::boundary::describe;

/// `ERR_INVALID_PARAM` shorthand.
pub fn param_error(message: String) -> Error {
    Error::new(Code::InvalidParam, message)
}
