//! One request, start to finish: read the config at the boundary, build and
//! sign the request in the core, send it through the transport, verify the
//! answer, shape the result.

use std::rc::Weak;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::boundary::{self, Answer, Transport};
use super::client::Client;
use super::error::{js_error, param_error, Extra};
use super::js;
use crate::crypto::Backend;
use crate::error::{Code, Error};
use crate::request::{self, Method};
use crate::response::{self, header, SignatureHeaders, RESPONSE_CODES};
use crate::{config, nonce, path, url};

/// Starts a request for a chain verb; every failure rejects the promise.
pub fn start(client: &Weak<Client>, template: JsValue, method: Method, a: JsValue, b: JsValue) -> Promise {
    let client = client.upgrade();
    js::promise(async move {
        let client = client.ok_or_else(freed)?;
        let template = template.as_string().unwrap_or_default();
        let (data, config) = if method.takes_data() { (a, b) } else { (JsValue::UNDEFINED, a) };
        run(&client, &template, method, &data, &config).await
    })
}

/// The error for a client used after `free()`.
pub fn freed() -> JsValue {
    Error::new(Code::ClientFreed, "this Wxpay was freed: create a new one").into()
}

fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A caller's header, checked before any signing work: a valid name, a
/// value `fetch` can send (Latin-1, no CR/LF/NUL), and never `Authorization`.
fn check_header(name: &str, value: &str) -> Result<(), Error> {
    if !is_token(name) {
        return Err(param_error(format!("headers: {name:?} is not a valid header name")));
    }
    if value.contains(['\r', '\n', '\0']) {
        return Err(param_error(format!("headers[{name:?}] must not contain CR, LF or NUL")));
    }
    if value.chars().any(|c| c as u32 > 0xFF) {
        return Err(param_error(format!(
            "headers[{name:?}] has characters outside Latin-1, which HTTP headers cannot carry: percent-encode it"
        )));
    }
    if name.eq_ignore_ascii_case("authorization") {
        return Err(param_error("headers must not set Authorization: every request is signed for you".into()));
    }
    Ok(())
}

/// The request headers: ours first (`Wechatpay-Serial` included, naming the
/// key the service answers with), the caller's (already passed through
/// [`check_header`]) replacing any of the same name.
fn request_headers<'a>(client: &'a Client, authorization: &'a str, has_body: bool, extra: &'a [(String, String)]) -> Vec<(&'a str, &'a str)> {
    let mut list: Vec<(&str, &str)> = Vec::with_capacity(6 + extra.len());
    list.push(("Accept", "application/json"));
    if has_body {
        list.push(("Content-Type", "application/json"));
    }
    if let Some(ua) = &client.user_agent {
        list.push(("User-Agent", ua));
    }
    list.push(("Wechatpay-Serial", &client.config.wechatpay_serial));
    for (name, value) in extra {
        list.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        list.push((name, value));
    }
    list.push(("Authorization", authorization));
    list
}

/// Unix seconds from the JS clock (`SystemTime` is not available in wasm).
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

fn result_object(answer: &Answer, data: &JsValue) -> JsValue {
    let obj = Object::new();
    for (k, v) in [
        ("status", JsValue::from(answer.status)),
        ("statusText", answer.status_text.clone()),
        ("headers", answer.headers.clone().into()),
        ("data", data.clone()),
    ] {
        // Data properties on a fresh plain object: cannot fail.
        let _ = Reflect::set(&obj, &JsValue::from_str(k), &v);
    }
    obj.into()
}

/// A non-2xx answer as a `WxpayError` carrying the service's code.
fn service_error(answer: &Answer, request_id: Option<String>) -> JsValue {
    let data = answer.error_data();
    // JSON.parse gives plain data: reading it runs no caller code.
    let field = |k: &str| Some(&data).filter(|p| p.is_object()).and_then(|p| Reflect::get(p, &JsValue::from_str(k)).ok());
    let code = field("code").and_then(|c| c.as_string()).filter(|c| !c.is_empty());
    let text = answer.status_text.as_string().unwrap_or_default();
    let status = answer.status;
    let message = field("message")
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| format!("HTTP {status} {text}").trim_end().to_string());
    let detail = field("detail").filter(|d| !d.is_undefined());
    let response = result_object(answer, &data);
    js_error(
        code.as_deref().unwrap_or(Code::HttpStatus.as_str()),
        &message,
        Extra { status: Some(status), request_id, detail, response: Some(response), cause: None },
    )
}

async fn run(client: &Client, template: &str, method: Method, data: &JsValue, config: &JsValue) -> Result<JsValue, JsValue> {
    let cfg = boundary::request_config(config, path::placeholders(template))?;
    for (name, value) in &cfg.headers {
        check_header(name, value)?;
    }
    let timeout_ms = match cfg.timeout {
        Some(ms) => Some(config::timeout("config.timeout", ms)?),
        None => client.config.timeout_ms,
    };
    let max_bytes = match cfg.max_body_bytes {
        Some(n) => config::max_body_bytes("config.maxBodyBytes", n)?,
        None => client.config.max_body_bytes,
    };
    let path = path::render(template, |name| {
        Ok(cfg.placeholders.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.clone()))
    })?;
    let query = url::query(cfg.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (url, signed_path) = client.config.base.join(&path, &query);
    let body = if method.takes_data() { boundary::body(data)? } else { None };

    let timestamp = now_secs();
    let nonce = nonce::nonce()?;
    let message = request::message(method, &signed_path, timestamp, &nonce, body.as_deref().unwrap_or_default())?;
    let signature = client.crypto.sign(&client.config.key, &message).await?;
    let authorization = request::authorization(&client.config.mchid, &client.config.serial, timestamp, &nonce, &signature);
    let headers = request_headers(client, &authorization, body.is_some(), &cfg.headers);

    let (fetch, this) = client.fetch()?;
    let transport = Transport { fetch: &fetch, this: &this, signal: &cfg.signal, timeout_ms, max_bytes };
    let answer = boundary::send(transport, &url, method.as_str(), &headers, body.as_deref()).await?;
    let request_id = answer.header(header::REQUEST_ID);
    let with_status = |e: Error, request_id: Option<String>| e.into_js_with(Extra { status: Some(answer.status), request_id, ..Extra::default() });
    if !(200..300).contains(&answer.status) {
        return Err(service_error(&answer, request_id));
    }
    if !response::is_unsigned_download(method, &path) {
        let bytes = boundary::copy_in(&answer.body).map_err(|e| with_status(e, request_id.clone()))?;
        let (ts, nonce, sig, serial) = (
            answer.header(header::TIMESTAMP),
            answer.header(header::NONCE),
            answer.header(header::SIGNATURE),
            answer.header(header::SERIAL),
        );
        let h = SignatureHeaders {
            timestamp: ts.as_deref(),
            nonce: nonce.as_deref(),
            signature: sig.as_deref(),
            serial: serial.as_deref(),
        };
        response::verify_with(&client.crypto, &h, &bytes, now_secs(), &client.config.keyring, RESPONSE_CODES)
            .await
            .map_err(|e| with_status(e, request_id.clone()))?;
    }
    let data = answer.data(request_id)?;
    Ok(result_object(&answer, &data))
}
