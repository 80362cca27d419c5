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
