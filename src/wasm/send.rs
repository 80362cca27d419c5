//! One request, start to finish: read the config at the boundary, build and
//! sign the request in the core, send it through the transport, verify the
//! answer, shape the result.

use std::rc::{Rc, Weak};

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use super::boundary::{self, Answer, Deadline, Transport};
use super::certs;
use super::driver;
use super::client::{to_js, Client};
use super::error::{js_error, param_error, Extra};
use crate::error::{Code, Error};
use crate::request::{self, Method};
use crate::response::{self, header, RESPONSE_CODES};
use crate::certificates::{self, Certificate};
use crate::keys::Keyring;
use crate::url::BaseUrl;
use crate::{config, nonce, path, retry, url};

/// Starts a request for a chain verb, driven from JS (see [`driver`]): its
/// result, or a promise to wait for (`driver::start`). `names` are the
/// template's placeholder names, as a JS array.
pub fn start(client: &Weak<Client>, template: JsValue, method: Method, names: Array, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
    let client = client.upgrade();
    driver::start(async move {
        let client = client.ok_or_else(freed)?;
        let template = template.as_string().unwrap_or_default();
        // A DELETE's body comes as `a` with its config as `b` (wxpay.js takes it from the config's
        // `data`); `get(config)` and a DELETE without one pass the config alone.
        let (data, config) = if method.takes_data() || !b.is_undefined() { (a, b) } else { (JsValue::UNDEFINED, a) };
        run(&client, &template, &names, method, &data, &config).await
    })
}

/// The error for a client used after `free()`.
pub fn freed() -> JsValue {
    Error::new(Code::ClientFreed, "this Wxpay was freed: create a new one").into()
}

/// The request headers: ours first (`Wechatpay-Serial` included, if any, naming
/// the key the service answers with), the caller's (already passed through
/// `boundary.js`'s `readConfig`, one a name) replacing any of ours of the same
/// name: one pass over the caller's for each of ours, however many they are.
fn request_headers<'a>(
    client: &'a Client,
    wechatpay_serial: Option<&'a str>,
    authorization: &'a str,
    content_type: Option<&'a str>,
    extra: &'a [(String, String)],
) -> Vec<(&'a str, &'a str)> {
    let mut list: Vec<(&str, &str)> = Vec::with_capacity(6 + extra.len());
    list.push(("Accept", "application/json"));
    if let Some(ct) = content_type {
        list.push(("Content-Type", ct));
    }
    if let Some(ua) = &client.user_agent {
        list.push(("User-Agent", ua));
    }
    if let Some(serial) = wechatpay_serial {
        list.push(("Wechatpay-Serial", serial));
    }
    list.retain(|(n, _)| !extra.iter().any(|(name, _)| n.eq_ignore_ascii_case(name)));
    list.extend(extra.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    list.push(("Authorization", authorization));
    list
}

/// Unix seconds from the JS clock (`SystemTime` is not available in wasm).
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

pub(super) fn result_object(answer: &Answer, data: &JsValue) -> JsValue {
    // Made in JS as a literal: one call, and no setter of Object.prototype runs.
    boundary::result_js(answer.status, &answer.status_text(), &answer.headers().into(), data)
}

/// A non-2xx answer as a `WxpayError` carrying the service's code.
pub(super) fn service_error(answer: &Answer, request_id: Option<String>) -> JsValue {
    let data = answer.error_data();
    // JSON.parse gives plain data: reading it runs no caller code.
    let field = |k: &str| Some(&data).filter(|p| p.is_object()).and_then(|p| Reflect::get(p, &JsValue::from_str(k)).ok());
    // `ERR_...` codes are ours alone: a service's spelled so is reported as ERR_HTTP_STATUS. The
    // answer is unsigned (a proxy's may say anything): a code is taken only as the service writes
    // them (`ORDER_NOT_EXIST`: letters, digits, `_`, at most 64), else it is in `response.data`
    // alone. The message is the service's as it wrote it (README, Errors).
    let code = field("code")
        .and_then(|c| c.as_string())
        .filter(|c| (1..=64).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !c.starts_with("ERR_"));
    let text = answer.status_text().as_string().unwrap_or_default();
    let status = answer.status;
    let message = field("message")
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        // The status as a u32: u16's own Display would be in the .wasm for this message alone.
        // The status text escaped and bounded: a server's (or a caller's fetch's) text in our message.
        .unwrap_or_else(|| format!("HTTP {} {}", u32::from(status), crate::error::escaped(&text)).trim_end().to_string());
    let detail = field("detail").filter(|d| !d.is_undefined());
    let response = result_object(answer, &data);
    js_error(
        code.as_deref().unwrap_or(Code::HttpStatus.as_str()),
        &message,
        Extra { status: Some(status), request_id, detail, response: Some(response), cause: None },
    )
}

/// The request as the core built it, before each attempt signs it.
pub(super) struct Prepared<'a> {
    pub method: Method,
    pub path: String,
    pub query: String,
    pub body: Option<Vec<u8>>,
    /// What the signature covers when it is not the body: an upload's `meta`.
    pub signed: Option<String>,
    /// The body's media type (`application/json` unless an upload's).
    pub content_type: Option<String>,
    pub headers: &'a [(String, String)],
    pub retries: u32,
    pub max_bytes: u32,
    /// Leave a 2xx answer's body unread (a streamed download).
    pub stream: bool,
    /// The `Wechatpay-Serial` it sends.
    pub serial: Named,
}

/// The `Wechatpay-Serial` a request sends.
pub(super) enum Named {
    /// The client's choice at each attempt, at its timestamp ([`Client::named_serial`]).
    Current,
    /// The certificate its body's encrypted fields were made under.
    Pinned(String),
    /// None: `GET /v3/certificates` names no platform key (nor do WeChat Pay's own SDKs),
    /// so a stale one cannot fail the download that would replace it.
    Nothing,
}

/// An upload's multipart body, its `meta` (the caller's, checked, or
/// `{"filename","sha256"}` of its one file) and its media type.
fn upload(meta: Option<String>, fields: &[(String, Option<String>, String, Vec<u8>)]) -> Result<(Vec<u8>, String, String), Error> {
    let meta = match meta {
        Some(m) => {
            crate::multipart::check_meta(&m)?;
            m
        }
        None => match fields.iter().filter(|f| f.1.is_some()).collect::<Vec<_>>()[..] {
            [(_, Some(name), _, bytes)] => crate::multipart::meta(name, bytes),
            _ => return Err(param_error("the upload has no meta part, and one is computed only for exactly one file: add meta".into())),
        },
    };
    let parts: Vec<crate::multipart::Part> = fields
        .iter()
        .map(|(name, filename, ct, body)| crate::multipart::Part { name, filename: filename.as_deref(), content_type: ct, body })
        .collect();
    let boundary = nonce::nonce()?;
    let body = crate::multipart::body(&boundary, &meta, &parts)?;
    Ok((body, meta, crate::multipart::content_type(&boundary)))
}

async fn run(client: &Rc<Client>, template: &str, names: &Array, method: Method, data: &JsValue, config: &JsValue) -> Result<JsValue, JsValue> {
    let cfg = boundary::request_config(config, names, path::placeholders(template))?;
    let timeout_ms = match cfg.timeout {
        Some(ms) => Some(config::timeout("config.timeout", ms)?),
        None => client.config.timeout_ms,
    };
    let max_bytes = match cfg.max_body_bytes {
        Some(n) => config::max_body_bytes("config.maxBodyBytes", n)?,
        None => client.config.max_body_bytes,
    };
    let choice = match cfg.retry.as_ref().map(|r| (r.as_bool(), r.as_f64())) {
        Some((Some(true), _)) => retry::Choice::Client,
        Some((Some(false), _)) => retry::Choice::Never,
        Some((_, Some(n))) => retry::Choice::Count(retry::count("config.retry", n)?),
        _ => retry::Choice::Default,
    };
    let retries = retry::allowed(method, client.config.retries, choice);
    let path = path::render(template, |name| {
        Ok(cfg.placeholders.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.as_deref()))
    })?;
    let query = url::query(cfg.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (body, signed, content_type) = match if data.is_undefined() { boundary::Body::None } else { boundary::body(data).await? } {
        boundary::Body::None => (None, None, None),
        boundary::Body::Bytes(b) => (Some(b), None, Some("application/json".into())),
        boundary::Body::Form { meta, fields } => {
            let (body, meta, ct) = upload(meta, &fields)?;
            (Some(body), Some(meta), Some(ct))
        }
    };
    let serial = match &body {
        Some(b) => client.pinned_serial(b)?.map_or(Named::Current, Named::Pinned),
        None => Named::Current,
    };
    let request = Prepared { method, path, query, body, signed, content_type, headers: &cfg.headers, retries, max_bytes, stream: false, serial };
    let deadline = Deadline::new(cfg.signal.as_ref(), timeout_ms)?;
    // The chain's own `GET /v3/certificates` needs no download first: its answer is checked as
    // the download's is, and serves as one (see `finish`).
    if client.config.apiv3_key.is_some() && !response::is_unsigned_download(method, &request.path) && !lists_certificates(&request) && client.named_serial(now_secs()).is_none() {
        // No platform key in effect yet: the certificates are downloaded before the request goes
        // out (within its deadline), so that a wrong APIv3 key or a failed download fails it
        // unsent (an order is not placed whose answer could not be verified), and the request
        // names the key to answer with.
        // `attempts: 0`: nothing was sent (its deadline's error too, if it ended the wait).
        certs::ring_for(client, None, Some(&deadline)).await.map_err(|e| with_attempts(e.before_send(client), 0))?;
    }
    let (answer, attempts, heard) = exchange(client, &request, &deadline).await;
    let finished = match &answer {
        Ok(a) => finish(client, &request, a, &deadline).await,
        Err(e) if template.contains('{') => Err(boundary::path_named(e.clone(), &request.path, template)),
        Err(e) => Err(e.clone()),
    };
    // Heard once the answer is verified (or refused): a forged or unverifiable 200 is no success.
    if let Some(heard) = heard {
        heard.tell(client, method, answer.as_ref(), finished.as_ref().err());
    }
    finished.map_err(|e| with_attempts(e, attempts))
}

/// Downloads, decrypts and verifies the platform certificates (for
/// [`super::certs`]): the answer must be signed by a key the client trusts or
/// by one of the certificates it carries, the one its `Wechatpay-Serial` names.
pub async fn fetch_certificates(client: &Rc<Client>) -> Result<Vec<Certificate>, JsValue> {
    let key = client.config.apiv3_key.as_ref().ok_or_else(|| Error::new(Code::InvalidConfig, "downloading certificates needs options.apiv3Key"))?;
    let request = Prepared {
        method: Method::Get,
        path: certificates::PATH.into(),
        query: String::new(),
        body: None,
        signed: None,
        content_type: None,
        headers: &[],
        retries: client.config.retries,
        // Read no further than a list can be (certificates::MAX_LIST_BYTES): it is unsigned until read.
        max_bytes: client.config.max_body_bytes.min(certificates::MAX_LIST_BYTES),
        stream: false,
        serial: Named::Nothing,
    };
    // Requests wait for this download within their own deadlines; the download itself ends
    // within the client's timeout, or DOWNLOAD_TIMEOUT_MS, so a stuck one never blocks the next,
    // and at once when the client is freed. (Not in workerd, which ends a request's I/O with it,
    // and refuses a request the signal another request made: the client's was made with it.)
    let freed = Some(&client.freed).filter(|_| !client.io_ends_with_request());
    let deadline = Deadline::new(freed, Some(client.config.timeout_ms.unwrap_or(certs::DOWNLOAD_TIMEOUT_MS)))?;
    let (answer, attempts, heard) = exchange(client, &request, &deadline).await;
    let result = async {
        let answer = answer.as_ref().map_err(Clone::clone)?;
        let request_id = answer.header(header::REQUEST_ID);
        if !(200..300).contains(&answer.status) {
            return Err(service_error(&answer, request_id));
        }
        let with_status = |e: Error| e.into_js_with(Extra { status: Some(answer.status), request_id: request_id.clone(), ..Extra::default() });
        let bytes = boundary::copy_in(&answer.body()).map_err(with_status)?;
        checked_list(client, answer, &bytes, key).await.map_err(with_status)
    }
    .await;
    if let Some(heard) = heard {
        heard.tell(client, Method::Get, answer.as_ref(), result.as_ref().err());
    }
    result.map_err(|e| with_attempts(e, attempts))
}

/// The certificates of a certificate list (`bytes`, the answer's body), once the answer is
/// verified: the client's download and the chain's own `GET /v3/certificates` alike.
async fn checked_list(client: &Client, answer: &Answer, bytes: &[u8], key: &crate::aead::ApiV3Key) -> Result<Vec<Certificate>, Error> {
    // Signed by a key already trusted: checked before anything of the body is read, so an
    // altered list is ERR_RESPONSE_SIGNATURE. Otherwise (the bootstrap) only a certificate
    // the list carries can check it, so the list is read first.
    let known = client.certs.ring();
    if answer.signature_headers().serial.is_some_and(|s| known.get(s).is_some()) {
        verify(client, answer, bytes, &known, now_secs()).await?;
        certificates::parse(bytes, key, listed_time)
    } else {
        bootstrap(client, answer, bytes, key).await
    }
}

/// The bootstrap the service documents, for a certificate list signed under a serial no trusted
/// key has: the list is decrypted with the APIv3 key, and the answer must verify under the
/// certificate it carries for that serial (unexpired). Its certificates, once it does.
async fn bootstrap(client: &Client, answer: &Answer, bytes: &[u8], key: &crate::aead::ApiV3Key) -> Result<Vec<Certificate>, Error> {
    let certs = certificates::parse(bytes, key, listed_time)?;
    verify(client, answer, bytes, &client.certs.ring_with(&certs), now_secs()).await?;
    Ok(certs)
}

/// Whether a request is the plain certificate list, `GET /v3/certificates` with no query (the
/// one the client downloads itself).
fn lists_certificates(r: &Prepared<'_>) -> bool {
    r.method == Method::Get && r.query.is_empty() && r.path.trim_start_matches('/') == certificates::PATH
}

/// A time of the certificate list (RFC 3339) in Unix seconds, read by the JS `Date`.
fn listed_time(text: &str) -> Option<i64> {
    let ms = js_sys::Date::parse(text);
    ms.is_finite().then(|| (ms / 1000.0) as i64)
}

/// The signature check of an answer, against `ring`.
async fn verify(client: &Client, answer: &Answer, bytes: &[u8], ring: &Keyring, now: u64) -> Result<(), Error> {
    response::verify_with(&client.crypto, &answer.signature_headers(), bytes, now, ring, RESPONSE_CODES).await
}

/// Sends a prepared request, retrying as its policy allows, within the
/// deadline: the final answer (any status) or the last error, and the
/// number of attempts made.
pub(super) async fn exchange(client: &Client, request: &Prepared<'_>, deadline: &Deadline) -> (Result<Answer, JsValue>, u32, Option<Heard>) {
    let (fetch, this) = match client.fetch() {
        Ok(f) => f,
        Err(e) => return (Err(e), 0, None),
    };
    let transport = Transport { fetch: &fetch, this, deadline, max_bytes: request.max_bytes, stream: request.stream };
    let mut base = &client.config.base;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let mut heard = None;
        let answer = attempt_once(client, &transport, base, request, attempt, &mut heard).await;
        let retry_left = attempt <= request.retries;
        let wait = match &answer {
            Err(e) if error_code(e).as_deref() == Some(Code::Network.as_str()) => {
                // The next try goes to the backup host, at once: when a retry is
                // allowed anyway, or when the connection never opened (nothing was
                // sent), which only some runtimes' fetch can tell (Node's can,
                // workerd's cannot).
                let backup = client.config.backup.as_ref().filter(|b| !core::ptr::eq(*b, base));
                if let Some(b) = backup.filter(|_| retry_left || boundary::is_connect_error(e)) {
                    if let Some(h) = heard {
                        h.tell(client, request.method, answer.as_ref(), None);
                    }
                    base = b;
                    continue;
                }
                retry_left.then(|| retry::backoff_ms(attempt, js_sys::Math::random()))
            }
            Ok(a) if retry_left && retry::retryable_status(a.status) => {
                let after = a.header("retry-after").and_then(|v| retry_after_ms(&v));
                retry::delay_ms(attempt, js_sys::Math::random(), after)
            }
            // An answer refused for its size is retried as its status says: a 5xx (a proxy's
            // error page, say) is a fault of the moment whatever its length.
            Err(e) if retry_left && error_code(e).as_deref() == Some(Code::ResponseTooLarge.as_str()) && error_status(e).is_some_and(retry::retryable_status) => {
                retry::delay_ms(attempt, js_sys::Math::random(), None)
            }
            _ => None,
        };
        match wait {
            Some(ms) => {
                if let Some(h) = heard {
                    h.tell(client, request.method, answer.as_ref(), None);
                }
                if let Err(e) = deadline.sleep(ms).await {
                    return (Err(e), attempt, None);
                }
            }
            None => return (answer, attempt, heard),
        }
    }
}

/// `Retry-After` as milliseconds from now: delta-seconds or an HTTP date, in
/// one of its three shapes (RFC 9110 5.6.7), GMT whatever the time zone here.
/// Anything else is no date: `Date.parse` also takes `-1`, `1.5`, `a 1` or
/// `Mon: 1` as dates long past, which would turn the back-off off.
fn retry_after_ms(value: &str) -> Option<f64> {
    retry::retry_after_seconds(value).or_else(|| {
        let b = value.as_bytes();
        // RFC 850's day name is whole (`Sunday`): letters up to its comma.
        let rfc850 = b.iter().position(|&c| c == b',').is_some_and(|i| {
            i >= 6 && b.iter().take(i).all(u8::is_ascii_alphabetic) && shaped(b.get(i..).unwrap_or_default(), b", dd-aaa-dd dd:dd:dd GMT")
        });
        let at = if rfc850 || shaped(b, b"aaa, dd aaa dddd dd:dd:dd GMT") {
            js_sys::Date::parse(value)
        } else if shaped(b, b"aaa aaa _d dd:dd:dd dddd") {
            // asctime's names no zone, and is GMT: Date.parse would read it as local time.
            js_sys::Date::parse(&format!("{value} GMT"))
        } else {
            return None;
        };
        at.is_finite().then(|| (at - js_sys::Date::now()).max(0.0))
    })
}

/// Whether `text` has the shape of `pattern`: `a` a letter, `d` a digit, `_`
/// a digit or a space, any other byte itself.
fn shaped(text: &[u8], pattern: &[u8]) -> bool {
    text.len() == pattern.len()
        && text.iter().zip(pattern).all(|(&c, &p)| match p {
            b'a' => c.is_ascii_alphabetic(),
            b'd' => c.is_ascii_digit(),
            b'_' => c == b' ' || c.is_ascii_digit(),
            _ => c == p,
        })
}

/// The `code` of an error we made (a `WxpayError`: plain data, no getters).
fn error_code(e: &JsValue) -> Option<String> {
    Reflect::get(e, &JsValue::from_str("code")).ok()?.as_string()
}

/// The `status` of one of our errors (ERR_RESPONSE_TOO_LARGE carries it); `as` saturates, so
/// no out-of-range number reads as a status `retryable_status` takes.
fn error_status(e: &JsValue) -> Option<u16> {
    Reflect::get(e, &JsValue::from_str("status")).ok()?.as_f64().map(|s| s as u16)
}

/// Marks the error of the last attempt with how many attempts were made.
pub(super) fn with_attempts(e: JsValue, attempts: u32) -> JsValue {
    if e.is_object() {
        let _ = boundary::own(&e, "attempts", &JsValue::from(attempts));
    }
    e
}

/// What `onResponse` is to hear of an attempt, once its outcome is known: for an attempt that
/// is retried, its answer or error; for the last, also whether its answer verified.
pub(super) struct Heard {
    url: String,
    attempt: u32,
    started: Option<f64>,
}

impl Heard {
    /// Tells `onResponse` (if any) of the attempt: its answer's status and `Request-ID`, and
    /// the code of `error` (the answer refused: unverified, say), or the error it ended with.
    #[inline(never)]
    pub(super) fn tell(&self, client: &Client, method: Method, answer: Result<&Answer, &JsValue>, error: Option<&JsValue>) {
        let Some(h) = &client.on_response else { return };
        // Never negative, if the clock was stepped back meanwhile.
        let duration = self.started.map(|s| (js_sys::Date::now() - s).max(0.0));
        let (status, request_id, error) = match answer {
            // A 2xx refused (unverified, unreadable) is heard with the code it was refused with.
            Ok(a) => (Some(a.status), a.header(header::REQUEST_ID), error.filter(|_| (200..300).contains(&a.status)).and_then(error_code)),
            // An error after the answer's headers came (too large, its body broken off or stalled)
            // carries its status and id.
            Err(e) => (error_status(e), Reflect::get(e, &JsValue::from_str("requestId")).ok().and_then(|v| v.as_string()), error_code(e)),
        };
        let info = HookInfo { method: method.as_str(), url: &self.url, attempt: self.attempt, duration, status, request_id, error };
        boundary::hook(h, &to_js(&info));
    }
}

/// One attempt, signed afresh (new timestamp and nonce), with `onRequest`; with `onResponse`,
/// what it is to hear of the attempt is left in `heard` (see [`Heard`]).
async fn attempt_once(client: &Client, t: &Transport<'_>, base: &BaseUrl, r: &Prepared<'_>, attempt: u32, heard: &mut Option<Heard>) -> Result<Answer, JsValue> {
    let (url, signed_path) = base.join(&r.path, &r.query);
    {
        let timestamp = now_secs();
        let nonce = nonce::nonce()?;
        let signed = r.signed.as_ref().map(|m| m.as_bytes()).or(r.body.as_deref()).unwrap_or_default();
        let message = request::message(r.method, &signed_path, timestamp, &nonce, signed)?;
        let serial = match &r.serial {
            Named::Current => client.named_serial(timestamp),
            Named::Pinned(serial) => Some(serial.clone()),
            Named::Nothing => None,
        };
        let authorized = |signature: &str| request::authorization(&client.config.mchid, &client.config.serial, timestamp, &nonce, signature);
        let start = |authorization: &str, signer: Option<&boundary::Signer<'_>>| {
            let headers = request_headers(client, serial.as_deref(), authorization, r.content_type.as_deref(), r.headers);
            boundary::begin_send(t, &url, r.method, &headers, r.body.as_deref(), signer)
        };
        let info = |duration, status, request_id, error| HookInfo { method: r.method.as_str(), url: &url, attempt, duration, status, request_id, error };
        // With node:crypto first, `send` signs just before its fetch (see `boundary::Signer`), unless
        // a hook is to hear of the attempt: it does once the request is signed, timed from then.
        let hooked = client.on_request.is_some() || client.on_response.is_some();
        let signer = client.crypto.node_first().filter(|_| !hooked).and_then(|node| node.signer(&client.config.key).ok());
        let deferred = signer.and_then(|with| {
            let mut authorization = authorized("");
            authorization.pop(); // the closing quote, which `send` writes after the signature
            let signer = boundary::Signer { with, message: &message };
            // What `send` throws with a signer is node:crypto refusing to sign: nothing was sent.
            start(&authorization, Some(&signer)).ok()
        });
        let mut started = None;
        let sending = match deferred {
            Some(promise) => Ok(promise),
            // Signed here: by a backend that waits, for a hook, or after node:crypto refused in
            // `send` (`auto` then falls through to the next backend; else this fails as it did).
            None => {
                let signature = client.crypto.sign_base64(&client.config.key, &message).await?;
                let authorization = authorized(&signature);
                if let Some(h) = &client.on_request {
                    boundary::hook(h, &to_js(&info(None, None, None, None)));
                }
                started = client.on_response.as_ref().map(|_| js_sys::Date::now());
                start(&authorization, None)
            }
        };
        let answer = match sending {
            Ok(promise) => boundary::sent(promise).await,
            Err(e) => Err(e),
        };
        if client.on_response.is_some() {
            *heard = Some(Heard { url, attempt, started });
        }
        answer
    }
}

/// What a hook sees: method, URL, attempt and, after it, the duration and
/// the status or error. Never keys, signatures or bodies.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct HookInfo<'a> {
    method: &'a str,
    url: &'a str,
    attempt: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// A final answer: an error answer becomes a `WxpayError`; a 2xx is verified
/// (unless it is a documented unsigned download) and shaped.
async fn finish(client: &Rc<Client>, r: &Prepared<'_>, answer: &Answer, deadline: &Deadline) -> Result<JsValue, JsValue> {
    if !(200..300).contains(&answer.status) {
        return Err(service_error(&answer, answer.header(header::REQUEST_ID)));
    }
    // The request id is read from the answer only for an error.
    let with_status = |e: Error| e.into_js_with(Extra { status: Some(answer.status), request_id: answer.header(header::REQUEST_ID), ..Extra::default() });
    let file = response::is_unsigned_download(r.method, &r.path);
    let statement = response::is_statement(r.method, &r.path);
    if file {
        // A documented unsigned download: its bytes as read, whatever their type.
        return answer.result(None, true);
    }
    // The result is made from this copy, as verified: not from the body in JS, which the fetch
    // that read it may hold and change while the verification waits (a key download, WebCrypto).
    let body = boundary::copy_in(&answer.body()).map_err(with_status)?;
    // A statement is signed over {"sha1":"<its SHA-1 header>"}, once its body matches that.
    let statement_signed = if statement {
        Some(response::statement_message(answer.header(response::STATEMENT_SHA1).as_deref(), &body).map_err(with_status)?)
    } else {
        None
    };
    // Unsigned or stale answers are refused before any download to find their key.
    let now = now_secs();
    response::precheck(&answer.signature_headers(), now, RESPONSE_CODES).map_err(with_status)?;
    // The chain's own certificate list: checked as the client's download is (the bootstrap
    // included), and then its certificates are the client's, as a download's would be,
    // whichever key signed it. No second request for them.
    if let Some(key) = client.config.apiv3_key.as_ref().filter(|_| lists_certificates(r)) {
        let listed = checked_list(client, &answer, &body, key).await.map_err(with_status)?;
        client.certs.adopt(listed);
        return answer.result(Some(&body), false);
    }
    let ring = certs::ring_for(client, answer.signature_headers().serial, Some(deadline)).await.map_err(|e| {
        e.for_signed(RESPONSE_CODES, Extra { status: Some(answer.status), request_id: answer.header(header::REQUEST_ID), ..Extra::default() })
    })?;
    verify(client, &answer, statement_signed.as_deref().unwrap_or(&body), &ring, now).await.map_err(with_status)?;
    // A statement, like a download, is handed back as bytes.
    answer.result(Some(&body), statement)
}
