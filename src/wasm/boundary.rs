//! The boundary: every caller-supplied JS value is read by `boundary.js`
//! (beside the glue in the package), inside try/catch, and reaches Rust as
//! plain values our own code built. Each import here is `catch`, so even a
//! bug in that file rejects with an error instead of unwinding a JS
//! exception through Rust frames (which would leak wasm memory and the
//! shadow stack on every occurrence, until the instance dies).
//!
//! Past this module no Rust code holds a caller object; the only JS it calls
//! is the runtime's own (`node:crypto`, `crypto.subtle`, `JSON`) on values it
//! made itself.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use super::driver::wait;
use zeroize::Zeroizing;

use crate::error::{Code, Error};
use crate::request::Method;

#[wasm_bindgen(raw_module = "./boundary.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = requestConfigHeld)]
    fn request_config_js(config: &JsValue, names: &Array) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = bodyHeld)]
    fn body_js(data: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = clientOptionsHeld)]
    fn client_options_js(options: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = resourceHeld)]
    fn resource_js(resource: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = paymentInputHeld)]
    fn payment_input_js(input: &JsValue, method: &str, app_key: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = textHeld)]
    fn text_js(value: &JsValue, what: &str, expected: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = bytesHeld)]
    fn bytes_js(value: &JsValue, what: &str) -> Result<(), JsValue>;
    /// The value of the last `...Held` call (see `holding` in boundary.js).
    fn taken() -> JsValue;
    /// `globalThis.fetch` as it is now when it is a function, else undefined (reading it threw,
    /// too): never throws.
    #[wasm_bindgen(js_name = globalFetch)]
    pub fn global_fetch() -> Option<super::js::Callable>;
    /// A certificate download's promise as its waiters share it (rejects with undefined once
    /// [`abandon`] is called on it): never throws.
    #[wasm_bindgen(js_name = sharedDownload)]
    pub fn shared(download: &Promise) -> Promise;
    /// Ends the waits on a [`shared`] download: never throws.
    #[wasm_bindgen(js_name = abandonDownload)]
    pub fn abandon(shared: &Promise);
    #[wasm_bindgen(catch, js_name = notification)]
    fn notification_js(input: &JsValue) -> Result<Promise, JsValue>;
    /// The deadline of one request (`boundary.js`'s `Guard`).
    pub type Guard;
    #[wasm_bindgen(catch, js_name = guardHeld)]
    fn guard_js(signal: &JsValue, timeout_ms: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = dispose)]
    fn dispose_js(guard: &Guard) -> Result<(), JsValue>;
    /// `guard` is a `Guard`, or undefined for a request with no deadline.
    #[wasm_bindgen(catch, js_name = sleep)]
    fn sleep_js(guard: &JsValue, ms: f64) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = race)]
    fn race_js(guard: &Guard, promise: &Promise) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = stopped)]
    fn stopped_js(guard: &Guard) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = isConnectError)]
    fn is_connect_error_js(error: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_name = pathNamed)]
    fn path_named_js(error: &JsValue, path: &str, template: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = hook)]
    fn hook_js(hook: &JsValue, info: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = send)]
    #[allow(clippy::too_many_arguments)]
    fn send_js(
        guard: &JsValue,
        fetch: &JsValue,
        this: &JsValue,
        url: &str,
        method: u32,
        headers: &[u8],
        body: &JsValue,
        max_bytes: f64,
        streamed: bool,
        sign_crypto: &JsValue,
        sign_algorithm: &JsValue,
        sign_key: &JsValue,
        message: &[u8],
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = downloadInputHeld)]
    fn download_input_js(data: &JsValue, options: &JsValue) -> Result<(), JsValue>;
    /// `guard` as for `sleep`.
    #[wasm_bindgen(catch, js_name = fileBody)]
    fn file_body_js(guard: &JsValue, source: &JsValue, digest: JsValue, streamed: bool, max_bytes: f64, held: f64) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = joinFiles)]
    fn join_files_js(files: &Array, streamed: bool) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = failureMessageHeld)]
    fn failure_message_js(message: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = answerResultHeld)]
    fn answer_result_js(answer: &Array, verified: bool, body: &[u8], bytes: bool) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = errorData)]
    fn error_data_js(body: &Uint8Array) -> Result<JsValue, JsValue>;
    /// The base64 of a signature the runtime made (node:crypto, WebCrypto).
    #[wasm_bindgen(catch, js_name = signatureBase64)]
    pub fn signature_base64(bytes: &Uint8Array) -> Result<String, JsValue>;
    #[wasm_bindgen(catch, js_name = userAgent)]
    fn user_agent_js(base: &str) -> Result<Option<String>, JsValue>;
    #[wasm_bindgen(catch, js_name = describe)]
    fn describe_js(value: &JsValue) -> Result<JsValue, JsValue>;
    /// Sets `key` of an object our code made, as an own data property: no setter that
    /// Object.prototype has for it runs (`own` in boundary.js).
    #[wasm_bindgen(catch)]
    pub fn own(target: &JsValue, key: &str, value: &JsValue) -> Result<(), JsValue>;
    /// `{ status, statusText, headers, data }` (`result` in boundary.js, which cannot throw).
    #[wasm_bindgen(js_name = result)]
    pub fn result_js(status: u16, status_text: &JsValue, headers: &JsValue, data: &JsValue) -> JsValue;
}


/// The value of a `...Held` import's call. Those imports return nothing: with
/// wasm-bindgen 0.2.130 a `catch` import that returns a value leaks one
/// externref table slot each time it throws (its result is stored before the
/// exception is taken), and these throw on bad caller input.
pub(super) fn held<T: JsCast>(called: Result<(), JsValue>) -> Result<T, JsValue> {
    called.map(|()| taken().unchecked_into())
}

/// `base` plus the runtime, where the runtime lets us say it (`userAgent`
/// in `boundary.js`).
pub fn user_agent(base: &str) -> Option<String> {
    user_agent_js(base).ok().flatten()
}

/// A short description of a thrown JS value, for messages.
pub fn describe(value: &JsValue) -> String {
    describe_js(value).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "an exception".into())
}

/// Copies bytes into wasm memory, refusing (never trapping) when the
/// allocation fails. Every length was bounded in JS before this.
pub fn copy_in(bytes: &Uint8Array) -> Result<Vec<u8>, Error> {
    let len = bytes.length() as usize;
    let mut out = Vec::new();
    out.try_reserve_exact(len)
        .map_err(|_| Error::new(Code::OutOfMemory, format!("cannot allocate {len} bytes in WebAssembly memory")))?;
    // Copied into the spare capacity, not over zeros written first: every answer's body comes
    // in here. (js-sys's copy_to_uninit makes the same cast, but reads the length once more.)
    let spare = &mut out.spare_capacity_mut()[..len];
    // SAFETY: as in js-sys's copy_to_uninit: the bytes behind the slice are only written, by
    // copy_to, before anything reads them; copy_to checks that the array has exactly `len`
    // elements and writes them all.
    let dst = unsafe { &mut *(spare as *mut [core::mem::MaybeUninit<u8>] as *mut [u8]) };
    bytes.copy_to(dst);
    // SAFETY: the first `len` elements were just written.
    unsafe { out.set_len(len) };
    Ok(out)
}

fn text_of(v: JsValue) -> Option<String> {
    v.as_string()
}

fn f64_of(v: &JsValue) -> Option<f64> {
    v.as_f64()
}

fn pairs(flat: JsValue) -> Vec<(String, String)> {
    let flat: Array = flat.unchecked_into();
    let len = flat.length();
    let mut out = Vec::with_capacity(len as usize / 2);
    let mut i = 0;
    while i + 1 < len {
        if let (Some(k), Some(v)) = (flat.get(i).as_string(), flat.get(i + 1).as_string()) {
            out.push((k, v));
        }
        i += 2;
    }
    out
}

/// A request config, read once.
pub struct RequestConfig<'a> {
    /// `params` as (name, text) pairs, in order, arrays expanded.
    pub params: Vec<(String, String)>,
    /// The caller's headers as (name, text) pairs.
    pub headers: Vec<(String, String)>,
    /// An `AbortSignal` (checked for shape), or undefined; `None` when the
    /// config set none of the options.
    pub signal: Option<JsValue>,
    /// `timeout`, not yet range-checked.
    pub timeout: Option<f64>,
    /// `maxBodyBytes`, not yet range-checked.
    pub max_body_bytes: Option<f64>,
    /// The value of each placeholder of `names`, in order.
    pub placeholders: Vec<(&'a str, Option<String>)>,
    /// `retry`: a boolean or a number, not yet range-checked, or undefined;
    /// `None` as for `signal`.
    pub retry: Option<JsValue>,
}

/// Reads a request config for a path with these placeholder `names`; a key
/// that is neither an option nor a placeholder is refused.
/// `list` holds the same `names` as a JS array.
pub fn request_config<'a>(config: &JsValue, list: &Array, names: impl Iterator<Item = &'a str>) -> Result<RequestConfig<'a>, JsValue> {
    let snap: Array = held(request_config_js(config, list))?;
    let placeholders: Vec<(&str, Option<String>)> = names.enumerate().map(|(i, n)| (n, text_of(snap.get(i as u32)))).collect();
    let rest = snap.get(placeholders.len() as u32);
    if rest.is_undefined() {
        return Ok(RequestConfig { params: Vec::new(), headers: Vec::new(), signal: None, timeout: None, max_body_bytes: None, placeholders, retry: None });
    }
    let rest: Array = rest.unchecked_into();
    Ok(RequestConfig {
        params: pairs(rest.get(0)),
        headers: pairs(rest.get(1)),
        signal: Some(rest.get(2)),
        timeout: f64_of(&rest.get(3)),
        max_body_bytes: f64_of(&rest.get(4)),
        placeholders,
        retry: Some(rest.get(5)),
    })
}

/// A request body as read at the boundary.
pub enum Body {
    /// No body.
    None,
    /// The exact bytes to send (and sign).
    Bytes(Vec<u8>),
    /// An upload (a `FormData`): the caller's `meta` text if any, and the
    /// other fields in order as (name, filename for a file, media type, bytes).
    Form { meta: Option<String>, fields: Vec<(String, Option<String>, String, Vec<u8>)> },
}

/// A request body: bytes, or the fields of a `FormData` (read asynchronously).
pub async fn body(data: &JsValue) -> Result<Body, JsValue> {
    let v: JsValue = held(body_js(data))?;
    if v.is_undefined() {
        return Ok(Body::None);
    }
    if !v.has_type::<Promise>() {
        return Ok(Body::Bytes(copy_in(v.unchecked_ref())?));
    }
    let a: Array = wait(v.unchecked_into::<Promise>()).await?.unchecked_into();
    let mut fields = Vec::with_capacity(a.length() as usize / 4);
    let mut i = 1;
    while i + 3 < a.length() {
        let name = a.get(i).as_string().unwrap_or_default();
        fields.push((name, a.get(i + 1).as_string(), a.get(i + 2).as_string().unwrap_or_default(), copy_in(a.get(i + 3).unchecked_ref())?));
        i += 4;
    }
    Ok(Body::Form { meta: a.get(0).as_string(), fields })
}

/// What `wxpay.download(data, options)` was given.
pub struct DownloadInput {
    pub stream: bool,
    pub signal: JsValue,
    pub timeout: Option<f64>,
    pub max_body_bytes: Option<f64>,
    /// (download_url, hash_type, hash_value, encrypt_key, nonce), in order.
    pub parts: Vec<[Option<String>; 5]>,
}

/// Reads `download`'s arguments.
pub fn download_input(data: &JsValue, options: &JsValue) -> Result<DownloadInput, JsValue> {
    let a: Array = held(download_input_js(data, options))?;
    let flat: Array = a.get(4).unchecked_into();
    let parts = (0..flat.length() / 5).map(|i| core::array::from_fn(|k| flat.get(i * 5 + k as u32).as_string())).collect();
    Ok(DownloadInput { stream: a.get(0).is_truthy(), signal: a.get(1), timeout: f64_of(&a.get(2)), max_body_bytes: f64_of(&a.get(3)), parts })
}

/// A downloaded file through its gunzip and digest check (`fileBody` in
/// `boundary.js`): its bytes, or with `streamed` a `ReadableStream`. The
/// reads made before it resolves (all of them for bytes, the first ones for a
/// stream) end at `deadline` with the deadline's own error. Bytes are refused
/// once `held` (the earlier parts of the same bill) plus theirs pass `max_bytes`.
pub async fn file_body(deadline: &Deadline, source: &JsValue, digest: JsValue, streamed: bool, max_bytes: u32, held: u32) -> Result<JsValue, JsValue> {
    wait(file_body_js(&deadline.js(), source, digest, streamed, f64::from(max_bytes), f64::from(held))?).await
}

/// Several files as one.
pub fn join_files(files: &Array, streamed: bool) -> Result<JsValue, JsValue> {
    join_files_js(files, streamed)
}

/// The options of `new Wxpay`, their types checked.
pub struct ClientOptions {
    pub mchid: String,
    pub serial: String,
    /// Wiped when dropped, once parsed.
    pub private_key: Zeroizing<Vec<u8>>,
    pub certs: Vec<(String, Vec<u8>)>,
    pub wechatpay_serial: Option<String>,
    /// Wiped when dropped, once parsed.
    pub apiv3_key: Option<Zeroizing<String>>,
    pub base_url: Option<String>,
    pub timeout: Option<f64>,
    pub fetch: Option<JsValue>,
    pub crypto: Option<String>,
    pub max_body_bytes: Option<f64>,
    /// A number, `false` or undefined.
    pub retry: JsValue,
    /// A string, `false` or undefined.
    pub backup_base_url: JsValue,
    pub on_request: Option<JsValue>,
    pub on_response: Option<JsValue>,
    pub certs_refresh_interval: Option<f64>,
}

/// Reads the options of `new Wxpay` (throws `ERR_INVALID_CONFIG` for a
/// wrong type, a throwing getter, an unknown option).
pub fn client_options(options: &JsValue) -> Result<ClientOptions, JsValue> {
    let o: Array = held(client_options_js(options))?;
    // The key's JS copy is ours (made in boundary.js): wipe it once copied, before anything else
    // here may fail (boundary.js wipes it when its own checks fail).
    let key: Uint8Array = o.get(2).unchecked_into();
    let copied = copy_in(&key);
    key.fill(0, 0, key.length());
    let private_key = Zeroizing::new(copied?);
    let bytes = |v: JsValue| copy_in(v.unchecked_ref());
    let flat: Array = o.get(3).unchecked_into();
    let mut certs = Vec::with_capacity(flat.length() as usize / 2);
    let mut i = 0;
    while i + 1 < flat.length() {
        certs.push((flat.get(i).as_string().unwrap_or_default(), bytes(flat.get(i + 1))?));
        i += 2;
    }
    let fetch = o.get(8);
    Ok(ClientOptions {
        mchid: o.get(0).as_string().unwrap_or_default(),
        serial: o.get(1).as_string().unwrap_or_default(),
        private_key,
        certs,
        wechatpay_serial: text_of(o.get(4)),
        apiv3_key: text_of(o.get(5)).map(Zeroizing::new),
        base_url: text_of(o.get(6)),
        timeout: f64_of(&o.get(7)),
        fetch: (!fetch.is_undefined()).then_some(fetch),
        crypto: text_of(o.get(9)),
        max_body_bytes: f64_of(&o.get(10)),
        retry: o.get(11),
        backup_base_url: o.get(12),
        on_request: Some(o.get(13)).filter(|f| !f.is_undefined()),
        on_response: Some(o.get(14)).filter(|f| !f.is_undefined()),
        certs_refresh_interval: f64_of(&o.get(15)),
    })
}

/// The fields of a `decryptResource` argument.
pub fn resource(v: &JsValue) -> Result<crate::notify::Resource, JsValue> {
    let r: Array = held(resource_js(v))?;
    Ok(crate::notify::Resource {
        algorithm: text_of(r.get(0)).unwrap_or_else(|| crate::aead::ALGORITHM.into()),
        ciphertext: text_of(r.get(1)).unwrap_or_default(),
        nonce: text_of(r.get(2)).unwrap_or_default(),
        associated_data: text_of(r.get(3)).unwrap_or_default(),
        original_type: None,
    })
}

/// The `(app id, prepay_id, partnerid)` of `jsapiParams` / `appParams` input.
pub fn payment_input(input: &JsValue, method: &str, app_key: &str) -> Result<(String, String, Option<String>), JsValue> {
    let a: Array = held(payment_input_js(input, method, app_key))?;
    Ok((a.get(0).as_string().unwrap_or_default(), a.get(1).as_string().unwrap_or_default(), a.get(2).as_string()))
}

/// A value that must be a string (`expected` says which, for the message).
pub fn text(v: &JsValue, what: &str, expected: &str) -> Result<String, JsValue> {
    Ok(held::<JsValue>(text_js(v, what, expected))?.as_string().unwrap_or_default())
}

/// A string (as UTF-8) or bytes, copied into wasm memory.
pub fn bytes(v: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    Ok(copy_in(&held::<Uint8Array>(bytes_js(v, what))?)?)
}

/// A notification's signature headers, request id and raw body.
pub struct NotificationInput {
    pub timestamp: Option<String>,
    pub nonce: Option<String>,
    pub signature: Option<String>,
    pub serial: Option<String>,
    pub request_id: Option<String>,
    pub body: Vec<u8>,
}

/// Reads a notification from a fetch `Request` or `{ headers, body }`.
pub async fn notification(input: &JsValue) -> Result<NotificationInput, JsValue> {
    let n: Array = wait(notification_js(input)?).await?.unchecked_into();
    Ok(NotificationInput {
        timestamp: text_of(n.get(0)),
        nonce: text_of(n.get(1)),
        signature: text_of(n.get(2)),
        serial: text_of(n.get(3)),
        request_id: text_of(n.get(4)),
        body: copy_in(n.get(5).unchecked_ref())?,
    })
}

/// One answer, read whole (within its size limit): the array `send`
/// resolved to, read from Rust only where Rust needs a part of it.
pub struct Answer {
    pub status: u16,
    /// `[status, statusText, headers, body, stream, ...the signature
    /// headers]`: see `send` in `boundary.js`.
    raw: Array,
    /// `Wechatpay-Timestamp`, `-Nonce`, `-Signature`, `-Serial`, read with
    /// the answer (every answer verified needs all four): one text, and where
    /// in it each header's value is (`None`: the answer has no such header).
    signed: String,
    spans: [Option<(usize, usize)>; 4],
}

impl Answer {
    /// A header's value by its lower-case name (the four signature headers:
    /// [`Answer::signature_headers`]).
    pub fn header(&self, name: &str) -> Option<String> {
        Reflect::get(&self.headers(), &JsValue::from_str(name)).ok()?.as_string()
    }

    /// `Wechatpay-Timestamp`, `-Nonce`, `-Signature` and `-Serial`, borrowed.
    pub fn signature_headers(&self) -> crate::response::SignatureHeaders<'_> {
        let [timestamp, nonce, signature, serial] = self.spans.map(|span| span.map(|(from, to)| crate::text::sub(&self.signed, from, to)));
        crate::response::SignatureHeaders { timestamp, nonce, signature, serial }
    }

    /// `statusText` (a string).
    pub fn status_text(&self) -> JsValue {
        self.raw.get(1)
    }

    /// A plain object with lower-case names, handed to the caller as is.
    pub fn headers(&self) -> Object {
        self.raw.get(2).unchecked_into()
    }

    /// The body as JS bytes (still outside wasm memory).
    pub fn body(&self) -> Uint8Array {
        self.raw.get(3).unchecked_into()
    }

    /// A streamed 2xx answer's unread body (what the `fetch` gave as `body`,
    /// checked by `fileBody`), else undefined.
    pub fn stream(&self) -> JsValue {
        self.raw.get(4)
    }

    /// `{ status, statusText, headers, data }` of an answer, `data` decoded
    /// in JS (`''` when empty, JSON parsed, text for `text/*`, bytes
    /// otherwise; `ERR_RESPONSE_BODY` when it is not what its content type
    /// says), or with `bytes` the body's bytes whatever its type. `verified`:
    /// the body as its signature was checked, which `data` is made from (JS
    /// reads it through a view of wasm memory before this returns); `None`
    /// for an unsigned download, made from the body `send` read.
    pub fn result(&self, verified: Option<&[u8]>, bytes: bool) -> Result<JsValue, JsValue> {
        held(answer_result_js(&self.raw, verified.is_some(), verified.unwrap_or_default(), bytes))
    }

    /// `data` of an error answer: its JSON, else its text, else its bytes.
    pub fn error_data(&self) -> JsValue {
        let body = self.body();
        error_data_js(&body).unwrap_or_else(|_| body.into())
    }
}

/// A request's deadline (signal and timeout) across all its attempts;
/// dropping it clears the timer and the listener. Without a signal or a
/// timeout there is nothing to watch, and nothing is made in JS.
pub struct Deadline(Option<Guard>);

impl Deadline {
    /// Starts the clock; fails at once for a signal that already fired.
    /// `signal`: an `AbortSignal` or undefined, `None` when surely absent.
    pub fn new(signal: Option<&JsValue>, timeout_ms: Option<u32>) -> Result<Self, JsValue> {
        let signal = signal.filter(|s| !s.is_undefined());
        if signal.is_none() && timeout_ms.is_none() {
            return Ok(Deadline(None));
        }
        let timeout = timeout_ms.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        Ok(Deadline(Some(held::<Guard>(guard_js(signal.unwrap_or(&JsValue::UNDEFINED), &timeout))?)))
    }

    fn js(&self) -> JsValue {
        self.0.as_ref().map_or(JsValue::UNDEFINED, |g| JsValue::clone(g))
    }

    /// `promise`'s outcome, unless the deadline ends first (its error, as
    /// [`Waited::Stopped`]).
    pub async fn within(&self, promise: &Promise) -> Result<JsValue, Waited> {
        let result = wait(self.race(promise).map_err(Waited::Failed)?).await;
        match self.stopped() {
            Some(e) => Err(Waited::Stopped(e)),
            None => result.map_err(Waited::Failed),
        }
    }

    /// `promise`, or the deadline's error if that comes first, as a promise
    /// (a deadline of none: `promise` itself).
    pub fn race(&self, promise: &Promise) -> Result<Promise, JsValue> {
        match &self.0 {
            Some(g) => race_js(g, promise),
            None => Ok(promise.clone()),
        }
    }

    /// The deadline's error once it has ended.
    pub fn stopped(&self) -> Option<JsValue> {
        self.0.as_ref().and_then(|g| stopped_js(g).ok()).filter(|e| !e.is_undefined())
    }

    /// Waits `ms`, or fails with the deadline's error.
    pub async fn sleep(&self, ms: f64) -> Result<(), JsValue> {
        wait(sleep_js(&self.js(), ms)?).await.map(drop)
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(g) = &self.0 {
            let _ = dispose_js(g);
        }
    }
}

/// How [`Deadline::within`] failed.
pub enum Waited {
    /// The deadline ended first: its error.
    Stopped(JsValue),
    /// What was waited for failed.
    Failed(JsValue),
}

/// `error`, an ERR_NETWORK from [`send`], with the request's `path` (as filled) named in its
/// message by its `template`: a placeholder's value (an order number, a ticket) is not repeated.
pub fn path_named(error: JsValue, path: &str, template: &str) -> JsValue {
    let _ = path_named_js(&error, path, template);
    error
}

/// Whether `error` (from [`send`]) is a connection that never opened, so the
/// request never reached the server and may go to another host.
pub fn is_connect_error(error: &JsValue) -> bool {
    is_connect_error_js(error).unwrap_or(false)
}

/// Calls a caller's hook with `info`; what it throws is ignored.
pub fn hook(hook: &JsValue, info: &JsValue) {
    let _ = hook_js(hook, info);
}

/// What `send` needs besides the request itself.
pub struct Transport<'a> {
    pub fetch: &'a JsValue,
    /// The `this` of the call (`None`: `undefined`).
    pub this: Option<&'a JsValue>,
    pub deadline: &'a Deadline,
    pub max_bytes: u32,
    /// Leave a 2xx answer's body unread, for [`file_body`].
    pub stream: bool,
}

/// The names and values of our own headers that cross to `send` as one
/// byte, their index here (`KNOWN` in boundary.js's `headerRecord`, in
/// the same order): a part of one byte below 8 is no name (a token) and
/// no value (controls other than HTAB are refused), so it cannot be taken
/// for a caller's.
const KNOWN: [&str; 6] = ["Accept", "Content-Type", "User-Agent", "Wechatpay-Serial", "Authorization", "application/json"];

/// Starts an attempt: `send` in boundary.js fetches the request and reads its
/// answer, which [`sent`] waits for. The method
/// crosses as its index in [`Method::ALL`] (`METHODS` in boundary.js). The
/// headers cross as one UTF-8 text, `name\nvalue\n...` ([`KNOWN`] parts
/// as their codes), a view of wasm memory that `send` decodes part by part
/// (see `headerRecord` in boundary.js): no name or value has a line feed
/// (names are tokens, the caller's values were checked, ours are ours).
///
/// With a [`Signer`], the last header is `Authorization` up to its
/// `signature="`: `send` signs the message, appends the signature and `"`,
/// and calls `fetch` at once. What node:crypto throws there is this
/// function's error, and nothing was sent (the caller then signs as usual).
/// Without one, nothing throws here.
pub fn begin_send(t: &Transport<'_>, url: &str, method: Method, headers: &[(&str, &str)], body: Option<&[u8]>, signer: Option<&Signer<'_>>) -> Result<Promise, JsValue> {
    let mut list = String::with_capacity(headers.iter().map(|(n, v)| n.len() + v.len() + 2).sum());
    let part = |list: &mut String, text: &str| match KNOWN.iter().position(|k| *k == text) {
        // 1..=6: an ASCII control, one byte.
        Some(i) => list.push(char::from(i as u8 + 1)),
        None => list.push_str(text),
    };
    for (i, (n, v)) in headers.iter().enumerate() {
        if i > 0 {
            list.push('\n');
        }
        part(&mut list, n);
        list.push('\n');
        part(&mut list, v);
    }
    let body = body.map(|b| JsValue::from(Uint8Array::from(b))).unwrap_or(JsValue::UNDEFINED);
    let none = JsValue::UNDEFINED;
    let ([crypto, algorithm, key], message) = match signer {
        Some(s) => (s.with, s.message),
        None => ([&none; 3], &[][..]),
    };
    let this = t.this.unwrap_or(&none);
    send_js(&t.deadline.js(), t.fetch, this, url, method.index(), list.as_bytes(), &body, f64::from(t.max_bytes), t.stream, crypto, algorithm, key, message)
}

/// A request's signature made by `send` in boundary.js, just before its
/// `fetch` (node:crypto only: it signs synchronously): `with` the module,
/// `'sha256'` and the private `KeyObject` (`NodeBackend::signer`), `message`
/// what the signature covers (built here), read at once through a view of
/// wasm memory. Everything but the signature is made before it, and the
/// signature never crosses into wasm: from the signature to `fetch` is then
/// about the bare-fetch client's few µs, where it was 15-20 (CONTRIBUTING,
/// "The signature made in `send`").
pub struct Signer<'a> {
    pub with: [&'a JsValue; 3],
    pub message: &'a [u8],
}

/// The answer `send`'s promise resolves (see [`begin_send`]).
pub async fn sent(promise: Promise) -> Result<Answer, JsValue> {
    let raw: Array = wait(promise).await?.unchecked_into();
    let (signed, spans) = signature_text(&raw);
    Ok(Answer { status: raw.get(0).as_f64().unwrap_or_default() as u16, signed, spans, raw })
}

/// The four signature headers of `send`'s array as one text and the span of
/// each: the joined text as it came (one string across the boundary, no copy
/// of each part), else the values given one by one, put end to end.
fn signature_text(raw: &Array) -> (String, [Option<(usize, usize)>; 4]) {
    let mut spans = [None; 4];
    if let Some(joined) = raw.get(5).as_string() {
        let mut from = 0;
        for (i, part) in joined.splitn(4, '\n').enumerate() {
            spans[i] = Some((from, from + part.len()));
            from += part.len() + 1;
        }
        return (joined, spans);
    }
    let mut text = String::new();
    for (i, span) in spans.iter_mut().enumerate() {
        if let Some(value) = raw.get(6 + i as u32).as_string() {
            *span = Some((text.len(), text.len() + value.len()));
            text.push_str(&value);
        }
    }
    (text, spans)
}

/// The message of `notifications.failure(message)`: a string, an `Error`'s
/// message, or `failed` when absent.
pub fn failure_message(message: &JsValue) -> Result<String, JsValue> {
    Ok(held::<JsValue>(failure_message_js(message))?.as_string().unwrap_or_default())
}
