//! JS APIs bound by hand: calls on functions of our own or of the runtime,
//! never on a caller's values (those are read in `boundary`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Any callable value.
    #[wasm_bindgen(extends = js_sys::Object)]
    #[derive(Clone)]
    pub type Callable;

    /// `f.call(thisArg, a, b)`, catching what it throws.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub fn call2(this: &Callable, this_arg: &JsValue, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue>;

    /// The global fetch `Response` class, to build answers with.
    #[wasm_bindgen(js_name = Response)]
    pub type NewResponse;
    /// `new Response(body, init)`, catching what it throws (no global `Response`).
    #[wasm_bindgen(constructor, catch, js_class = "Response")]
    pub fn new_response(body: &JsValue, init: &JsValue) -> Result<NewResponse, JsValue>;
}

/// A promise for `future`, settled at once when the future completes without
/// waiting (the `node` and `rust` backends always do): no task, no queued
/// microtask and no closures, which `future_to_promise` costs every call.
/// A future that does wait continues on `future_to_promise`.
#[inline]
pub fn promise<F>(future: F) -> js_sys::Promise
where
    F: core::future::Future<Output = Result<JsValue, JsValue>> + 'static,
{
    // Boxed here, so that everything below exists once in the .wasm, not
    // once per caller's future type.
    promise_boxed(Box::pin(future))
}

#[inline(never)]
fn promise_boxed(
    mut future: core::pin::Pin<Box<dyn core::future::Future<Output = Result<JsValue, JsValue>>>>,
) -> js_sys::Promise {
    use core::task::{Context, Poll, Waker};
    // Not driven, even inside a driven poll: its waits are JsFutures.
    match super::driver::undriven(|| future.as_mut().poll(&mut Context::from_waker(Waker::noop()))) {
        Poll::Ready(Ok(v)) => js_sys::Promise::resolve(&v),
        Poll::Ready(Err(e)) => js_sys::Promise::reject(&e),
        // The executor polls again before anything can settle unobserved,
        // which hands the pending operation its real waker.
        Poll::Pending => wasm_bindgen_futures::future_to_promise(future),
    }
}
