//! JS APIs bound by hand: global functions every target runtime has, and
//! plain structural calls on values that may come from another realm or an
//! injected `fetch` (so no `instanceof` checks).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Any callable value.
    #[wasm_bindgen(extends = js_sys::Object)]
    #[derive(Clone)]
    pub type Callable;

    /// `f.bind(thisArg, a)`
    #[wasm_bindgen(method, js_name = bind)]
    pub fn bind1(this: &Callable, this_arg: &JsValue, a: &JsValue) -> Callable;

    /// `f.bind(thisArg, a, b)`
    #[wasm_bindgen(method, js_name = bind)]
    pub fn bind2(this: &Callable, this_arg: &JsValue, a: &JsValue, b: &JsValue) -> Callable;

    /// `f.call(thisArg, a, b)`, catching what it throws.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call2(this: &Callable, this_arg: &JsValue, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue>;

    /// The global `setTimeout`.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &JsValue, ms: i32) -> JsValue;

    /// The global `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    /// A fetch `Response`, used structurally.
    pub type Response;
    #[wasm_bindgen(method, getter, structural)]
    pub fn status(this: &Response) -> u16;
    #[wasm_bindgen(method, getter, structural, js_name = statusText)]
    pub fn status_text(this: &Response) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    pub fn headers(this: &Response) -> JsValue;
    #[wasm_bindgen(method, catch, structural, js_name = arrayBuffer)]
    pub fn array_buffer(this: &Response) -> Result<js_sys::Promise, JsValue>;

    /// The global fetch `Response` class, to build answers with.
    #[wasm_bindgen(js_name = Response)]
    pub type NewResponse;
    /// `new Response(body, init)`, catching what it throws (no global `Response`).
    #[wasm_bindgen(constructor, catch, js_class = "Response")]
    pub fn new_response(body: &JsValue, init: &JsValue) -> Result<NewResponse, JsValue>;

    /// `Object.fromEntries(iterable)`: turns a `Headers` into a plain object
    /// with lower-case names in one call.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = fromEntries)]
    pub fn object_from_entries(entries: &JsValue) -> Result<js_sys::Object, JsValue>;
}

/// The type of a value for messages: `typeof`, with `null` named as such.
pub fn kind(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else {
        v.js_typeof().as_string().unwrap_or_default()
    }
}

/// A promise for `future`, settled at once when the future completes without
/// waiting (the `node` and `rust` backends always do): no task, no queued
/// microtask and no closures, which `future_to_promise` costs every call.
/// A future that does wait continues on `future_to_promise`.
pub fn promise<F>(future: F) -> js_sys::Promise
where
    F: core::future::Future<Output = Result<JsValue, JsValue>> + 'static,
{
    use core::task::{Context, Poll, Waker};
    let mut future = Box::pin(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Ok(v)) => js_sys::Promise::resolve(&v),
        Poll::Ready(Err(e)) => js_sys::Promise::reject(&e),
        // The executor polls again before anything can settle unobserved,
        // which hands the pending operation its real waker.
        Poll::Pending => wasm_bindgen_futures::future_to_promise(future),
    }
}

/// The bytes of a string (UTF-8), an `ArrayBuffer` or any view of one
/// (`Uint8Array`, `Buffer`, `DataView`...); `None` for anything else.
pub fn bytes_of(v: &JsValue) -> Option<Vec<u8>> {
    if let Some(s) = v.as_string() {
        Some(s.into_bytes())
    } else if let Some(a) = v.dyn_ref::<js_sys::Uint8Array>() {
        Some(a.to_vec())
    } else if let Some(b) = v.dyn_ref::<js_sys::ArrayBuffer>() {
        Some(js_sys::Uint8Array::new(b).to_vec())
    } else if js_sys::ArrayBuffer::is_view(v) {
        let view: &js_sys::DataView = v.unchecked_ref();
        let bytes = js_sys::Uint8Array::new_with_byte_offset_and_length(&view.buffer(), view.byte_offset() as u32, view.byte_length() as u32);
        Some(bytes.to_vec())
    } else {
        None
    }
}
