//! One request, start to finish: read the config, build and sign the
//! request in the core, `fetch` it, verify the answer, shape the result.

use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::abort::{network_error, AbortGuard};
use super::client::Client;
use super::error::{js_error, param_error, Extra};
use super::js::{self, kind, Response};
use crate::error::{Code, Error};
use crate::request::{self, Method};
use crate::response::{self, header, SignatureHeaders, RESPONSE_CODES};
use crate::crypto::Backend;
use crate::{config, nonce, path, url};

/// Starts a request for a chain verb; every failure rejects the promise.
pub fn start(client: Rc<Client>, template: JsValue, method: Method, a: JsValue, b: JsValue) -> Promise {
    js::promise(async move {
        let template = template.as_string().unwrap_or_default();
        let (data, config) = if method.takes_data() { (a, b) } else { (JsValue::UNDEFINED, a) };
        run(&client, &template, method, &data, &config).await
    })
}

/// `obj[key]`; a getter or Proxy that throws becomes `ERR_INVALID_PARAM`
/// with what it threw as the cause.
fn prop(obj: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if obj.is_object() || obj.is_function() {
        Reflect::get(obj, &JsValue::from_str(key)).map_err(|e| {
            let msg = format!("reading `{key}` threw: {}", super::error::describe(&e));
            Error::new(Code::InvalidParam, msg).into_js_with(Extra { cause: Some(e), ..Extra::default() })
        })
    } else {
        Ok(JsValue::UNDEFINED)
    }
}

/// A placeholder, query or header value as text: strings, numbers, bigints
/// and booleans; `None` for `undefined`/`null`.
fn scalar(v: &JsValue) -> Option<Result<String, String>> {
    if v.is_undefined() || v.is_null() {
        None
    } else if let Some(s) = v.as_string() {
        Some(Ok(s))
    } else if let Some(b) = v.as_bool() {
        Some(Ok(b.to_string()))
    } else if v.as_f64().is_some() {
        // JS's own number formatting (`1e21`, `0.1`), not Rust's.
        let n: &js_sys::Number = v.unchecked_ref();
        Some(n.to_string_with_radix(10).map(String::from).map_err(|_| "number".into()))
    } else if v.is_bigint() {
        let n: &js_sys::BigInt = v.unchecked_ref();
        Some(n.to_string(10).map(String::from).map_err(|_| "bigint".into()))
    } else {
        Some(Err(kind(v)))
    }
}

/// `[key, value]` pairs of a plain object, or of anything iterable over
/// pairs (`Headers`, `URLSearchParams`, `Map`).
fn entries(v: &JsValue) -> Result<Vec<(String, JsValue)>, JsValue> {
    let list: Array = match js_sys::try_iter(v)? {
        Some(iter) => iter.collect::<Result<Array, _>>()?,
        None => Object::entries(v.unchecked_ref()),
    };
    Ok(list
        .iter()
        .filter_map(|pair| {
            let pair: Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1)))
        })
        .collect())
}

struct RequestConfig {
    query: String,
    headers: Vec<(String, String)>,
    signal: Option<AbortSignal>,
    timeout_ms: Option<u32>,
}

impl RequestConfig {
    fn read(config: &JsValue) -> Result<Self, JsValue> {
        if !(config.is_undefined() || config.is_null() || config.is_object()) {
            return Err(param_error(format!("request config must be an object, got {}", kind(config))).into());
        }
        let params = prop(config, "params")?;
        let mut pairs = Vec::new();
        if params.is_object() {
            for (k, v) in entries(&params)? {
                let values = if Array::is_array(&v) { Array::from(&v).to_vec() } else { vec![v] };
                for v in values {
                    match scalar(&v) {
                        None => {}
                        Some(Ok(s)) => pairs.push((k.clone(), s)),
                        Some(Err(t)) => {
                            return Err(param_error(format!("params.{k} must be a string, number or boolean, got {t}")).into())
                        }
                    }
                }
            }
        } else if !(params.is_undefined() || params.is_null()) {
            return Err(param_error(format!("params must be an object, got {}", kind(&params))).into());
        }
        let query = url::query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));

        let given = prop(config, "headers")?;
        let mut headers = Vec::new();
        if given.is_object() {
            for (name, v) in entries(&given)? {
                let Some(Ok(value)) = scalar(&v) else {
                    if v.is_undefined() || v.is_null() {
                        continue;
                    }
                    return Err(param_error(format!("headers[{name:?}] must be a string")).into());
                };
                check_header(&name, &value)?;
                headers.push((name, value));
            }
        } else if !(given.is_undefined() || given.is_null()) {
            return Err(param_error(format!("headers must be an object, got {}", kind(&given))).into());
        }

        let signal = prop(config, "signal")?;
        let signal = if signal.is_undefined() || signal.is_null() {
            None
        } else if prop(&signal, "aborted")?.as_bool().is_some() && prop(&signal, "addEventListener")?.is_function() {
            Some(signal.unchecked_into::<AbortSignal>())
        } else {
            return Err(param_error("signal must be an AbortSignal".into()).into());
        };

        let timeout = prop(config, "timeout")?;
        let timeout_ms = match timeout.as_f64() {
            Some(ms) => Some(config::timeout("config.timeout", ms)?),
            None if timeout.is_undefined() || timeout.is_null() => None,
            None => return Err(param_error("config.timeout must be a number of milliseconds".into()).into()),
        };
        Ok(RequestConfig { query, headers, signal, timeout_ms })
    }
}

fn placeholder(config: &JsValue, name: &str) -> crate::Result<Option<String>> {
    let v = prop(config, name).map_err(|_| param_error(format!("reading config.{name} threw")))?;
    match scalar(&v) {
        None => Ok(None),
        Some(Ok(s)) => Ok(Some(s)),
        Some(Err(t)) => Err(param_error(format!("path placeholder {{{name}}} must be a string or a number, got {t}"))),
    }
}

/// The exact bytes to send: strings as UTF-8, bytes as given, anything else
/// as its `JSON.stringify`.
fn body_bytes(data: &JsValue) -> Result<Option<Vec<u8>>, JsValue> {
    if data.is_undefined() || data.is_null() {
        return Ok(None);
    }
    if let Some(bytes) = js::bytes_of(data) {
        return Ok(Some(bytes));
    }
    let json = JSON::stringify(data)
        .map_err(|e| Error::new(Code::InvalidParam, format!("data cannot be serialised as JSON: {}", super::error::describe(&e))))?;
    match json.as_string() {
        Some(s) => Ok(Some(s.into_bytes())),
        None => Err(param_error(format!("data of type {} cannot be serialised as JSON", kind(data))).into()),
    }
}

fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A caller's header, checked when the config is read, before any signing
/// work: a valid name, no CR/LF/NUL in the value, and never `Authorization`.
fn check_header(name: &str, value: &str) -> Result<(), Error> {
    if !is_token(name) {
        return Err(param_error(format!("headers: {name:?} is not a valid header name")));
    }
    if value.contains(['\r', '\n', '\0']) {
        return Err(param_error(format!("headers[{name:?}] must not contain CR, LF or NUL")));
    }
    if name.eq_ignore_ascii_case("authorization") {
        return Err(param_error("headers must not set Authorization: every request is signed for you".into()));
    }
    Ok(())
}

/// The request headers: ours first (`Wechatpay-Serial` included, naming the
/// key the service answers with), the caller's (already passed through
/// [`check_header`]) replacing any of the same name.
fn request_headers(client: &Client, authorization: String, has_body: bool, extra: Vec<(String, String)>) -> Result<Object, JsValue> {
    let mut list: Vec<(String, String)> = vec![("Accept".into(), "application/json".into())];
    if has_body {
        list.push(("Content-Type".into(), "application/json".into()));
    }
    if let Some(ua) = &client.user_agent {
        list.push(("User-Agent".into(), ua.clone()));
    }
    list.push(("Wechatpay-Serial".into(), client.config.wechatpay_serial.clone()));
    for (name, value) in extra {
        list.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        list.push((name, value));
    }
    list.push(("Authorization".into(), authorization));
    let obj = Object::new();
    for (n, v) in list {
        Reflect::set(&obj, &JsValue::from_str(&n), &JsValue::from_str(&v))?;
    }
    Ok(obj)
}

/// Unix seconds from the JS clock (`SystemTime` is not available in wasm).
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// The answer's headers as a plain object with lower-case names.
fn headers_object(headers: &JsValue) -> Object {
    if let Ok(obj) = js::object_from_entries(headers) {
        return obj;
    }
    // An injected fetch may answer with plain-object headers.
    let obj = Object::new();
    if let Ok(list) = entries(headers) {
        for (k, v) in list {
            let _ = Reflect::set(&obj, &JsValue::from_str(&k.to_ascii_lowercase()), &v);
        }
    }
    obj
}

fn header_value(headers: &Object, name: &str) -> Option<String> {
    Reflect::get(headers, &JsValue::from_str(name)).ok()?.as_string()
}

/// `data` of a verified answer: `''` when empty, parsed JSON for JSON, text
/// for text, bytes for anything else (downloads).
fn decode_data(content_type: Option<&str>, bytes: &[u8]) -> Result<JsValue, Error> {
    if bytes.is_empty() {
        return Ok(JsValue::from_str(""));
    }
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    let text = core::str::from_utf8(bytes).ok();
    let parse = |t: &str| JSON::parse(t).ok();
    if ct.contains("json") {
        return text
            .and_then(parse)
            .ok_or_else(|| Error::new(Code::ResponseBody, format!("answer says {ct} but its body is not valid JSON")));
    }
    if ct.starts_with("text/") {
        return Ok(JsValue::from_str(&String::from_utf8_lossy(bytes)));
    }
    if ct.is_empty() {
        if let Some(t) = text {
            return Ok(parse(t).unwrap_or_else(|| JsValue::from_str(t)));
        }
    }
    Ok(Uint8Array::from(bytes).into())
}

fn result_object(status: u16, status_text: &JsValue, headers: &Object, data: &JsValue) -> JsValue {
    let obj = Object::new();
    for (k, v) in [
        ("status", JsValue::from(status)),
        ("statusText", status_text.clone()),
        ("headers", headers.into()),
        ("data", data.clone()),
    ] {
        let _ = Reflect::set(&obj, &JsValue::from_str(k), &v);
    }
    obj.into()
}

/// A non-2xx answer as a `WxpayError` carrying the service's code.
fn service_error(status: u16, status_text: &JsValue, headers: &Object, bytes: &[u8], request_id: Option<String>) -> JsValue {
    let parsed = core::str::from_utf8(bytes).ok().and_then(|t| JSON::parse(t).ok());
    let data = match &parsed {
        Some(p) => p.clone(),
        None => JsValue::from_str(&String::from_utf8_lossy(bytes)),
    };
    let field = |k: &str| parsed.as_ref().filter(|p| p.is_object()).and_then(|p| Reflect::get(p, &JsValue::from_str(k)).ok());
    let code = field("code").and_then(|c| c.as_string()).filter(|c| !c.is_empty());
    let text = status_text.as_string().unwrap_or_default();
    let message = field("message")
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| format!("HTTP {status} {text}").trim_end().to_string());
    let detail = field("detail").filter(|d| !d.is_undefined());
    let response = result_object(status, status_text, headers, &data);
    js_error(
        code.as_deref().unwrap_or(Code::HttpStatus.as_str()),
        &message,
        Extra { status: Some(status), request_id, detail, response: Some(response), cause: None },
    )
}

async fn run(client: &Client, template: &str, method: Method, data: &JsValue, config: &JsValue) -> Result<JsValue, JsValue> {
    let cfg = RequestConfig::read(config)?;
    let path = path::render(template, |name| placeholder(config, name))?;
    let (url, signed_path) = client.config.base.join(&path, &cfg.query);
    let body = if method.takes_data() { body_bytes(data)? } else { None };

    let timestamp = now_secs();
    let nonce = nonce::nonce()?;
    let message = request::message(method, &signed_path, timestamp, &nonce, body.as_deref().unwrap_or_default());
    let signature = client.crypto.sign(&client.config.key, &message).await?;
    let authorization = request::authorization(&client.config.mchid, &client.config.serial, timestamp, &nonce, &signature);
    let headers = request_headers(client, authorization, body.is_some(), cfg.headers)?;

    let guard = AbortGuard::new(cfg.signal, cfg.timeout_ms.or(client.config.timeout_ms))?;
    let init = Object::new();
    Reflect::set(&init, &"method".into(), &method.as_str().into())?;
    Reflect::set(&init, &"headers".into(), &headers)?;
    if let Some(b) = &body {
        Reflect::set(&init, &"body".into(), &Uint8Array::from(b.as_slice()))?;
    }
    if let Some(g) = &guard {
        Reflect::set(&init, &"signal".into(), &g.signal())?;
    }
    let fail = |e| network_error(guard.as_ref(), e, &format!("{} {url}", method.as_str()));
    let fetched = client.fetch().and_then(|(f, this)| f.call2(&this, &JsValue::from_str(&url), &init)).map_err(fail)?;
    // `Promise.resolve` only for an injected fetch that returns a non-native thenable.
    let fetched = if fetched.is_instance_of::<Promise>() { fetched.unchecked_into() } else { Promise::resolve(&fetched) };
    let response: Response = JsFuture::from(fetched).await.map_err(fail)?.unchecked_into();
    let status = response.status();
    let status_text = response.status_text();
    let headers = headers_object(&response.headers());
    let read = response.array_buffer().map_err(fail)?;
    let buffer = JsFuture::from(read).await.map_err(fail)?;
    drop(guard);
    let bytes = Uint8Array::new(&buffer).to_vec();
    let request_id = header_value(&headers, header::REQUEST_ID);

    if !(200..300).contains(&status) {
        return Err(service_error(status, &status_text, &headers, &bytes, request_id));
    }
    if !response::is_unsigned_download(method, &path) {
        let (ts, nonce, sig, serial) = (
            header_value(&headers, header::TIMESTAMP),
            header_value(&headers, header::NONCE),
            header_value(&headers, header::SIGNATURE),
            header_value(&headers, header::SERIAL),
        );
        let h = SignatureHeaders {
            timestamp: ts.as_deref(),
            nonce: nonce.as_deref(),
            signature: sig.as_deref(),
            serial: serial.as_deref(),
        };
        response::verify_with(&client.crypto, &h, &bytes, now_secs(), &client.config.keyring, RESPONSE_CODES)
            .await
            .map_err(|e| e.into_js_with(Extra { status: Some(status), request_id: request_id.clone(), ..Extra::default() }))?;
    }
    let data = decode_data(header_value(&headers, "content-type").as_deref(), &bytes)
        .map_err(|e| e.into_js_with(Extra { status: Some(status), request_id, ..Extra::default() }))?;
    Ok(result_object(status, &status_text, &headers, &data))
}

