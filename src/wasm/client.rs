//! The exported `Wxpay` class and the reading of its options.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::boundary;
use super::certs::{self, CertStore};
use super::crypto::Crypto;
use super::driver;
use super::js::Callable;
use super::notify::Notifications;
use super::send;
use crate::request::Method;
use crate::config::{self, Config};
use crate::crypto::Backend;
use crate::error::{Code, Error};
use crate::{nonce, payment, retry};
use crate::url::{BaseUrl, DEFAULT_BACKUP_BASE_URL, DEFAULT_BASE_URL};

/// What every request of one `Wxpay` shares.
pub struct Client {
    pub config: Config,
    pub crypto: Crypto,
    fetch: Option<Callable>,
    /// `globalThis`, the `this` of the global `fetch`: without `options.fetch` that is read at
    /// each request (it may be replaced).
    global: JsValue,
    pub user_agent: Option<String>,
    /// `options.onRequest`, called before each attempt.
    pub on_request: Option<JsValue>,
    /// `options.onResponse`, called after each attempt.
    pub on_response: Option<JsValue>,
    /// The platform keys: configured and downloaded.
    pub certs: CertStore,
    /// The serial each recent `encrypt` used (see [`Client::pinned_serial`]).
    pub encrypted: RefCell<crate::sensitive::Recent>,
    /// The `AbortSignal` `free()` fires (wxpay.js), or undefined: it ends a certificate download
    /// under way, which would otherwise keep a process alive to its end.
    pub freed: JsValue,
}

impl Client {
    /// Whether `free()` has fired this client's signal (never, where it has none).
    pub fn was_freed(&self) -> bool {
        js_sys::Reflect::get(&self.freed, &JsValue::from_str("aborted")).ok().and_then(|v| v.as_bool()).unwrap_or(false)
    }

    /// Whether the runtime ends the I/O a request started when that request ends: workerd's,
    /// which names itself in `navigator.userAgent` (boundary.js `userAgent`), nodejs_compat too.
    pub fn io_ends_with_request(&self) -> bool {
        self.user_agent.as_deref().is_some_and(|ua| ua.ends_with(" Cloudflare-Workers"))
    }

    /// The serial sent as `Wechatpay-Serial` and used by `encrypt`, chosen at
    /// `now` (Unix seconds) among the configured keys and the downloaded
    /// certificates (see [`config::choose_serial`]), and whether its key is in
    /// effect.
    pub fn serial_choice(&self, now: u64) -> (Option<String>, bool) {
        let ring = self.certs.ring();
        match config::choose_serial(&ring, self.config.wechatpay_serial.as_deref(), now as i64) {
            Some((serial, in_effect)) => (Some(serial.to_owned()), in_effect),
            None => (None, false),
        }
    }

    /// The `Wechatpay-Serial` a request sends at `now` (its timestamp), which `encrypt` uses
    /// and `wxpay.wechatpaySerial` tells: the choice then, unless that is a certificate out of
    /// effect (the configured one has expired) and the client can download: then none (a
    /// stale serial would have the request refused), and a request downloads first.
    pub fn named_serial(&self, now: u64) -> Option<String> {
        let (serial, in_effect) = self.serial_choice(now);
        serial.filter(|_| in_effect || self.config.apiv3_key.is_none())
    }

    /// [`Client::named_serial`] now.
    pub fn wechatpay_serial(&self) -> Option<String> {
        self.named_serial(send::now_secs())
    }

    /// The `Wechatpay-Serial` a request whose body is `body` must send instead of
    /// [`Client::named_serial`]: the certificate its fields were encrypted under,
    /// when a rotation has moved the default on since. Nothing to look at (and no
    /// clock read) until the client has encrypted something.
    pub fn pinned_serial(&self, body: &[u8]) -> Result<Option<String>, Error> {
        if self.encrypted.borrow().is_empty() {
            return Ok(None);
        }
        // The clock is read (`Date.now`, which a caller may have replaced with code that calls
        // `encrypt` again) before the record is borrowed.
        let named = self.named_serial(send::now_secs());
        self.encrypted.borrow().pinned(body, named.as_deref())
    }

    /// The injected `fetch`, else the global one, with the `this` to call it with.
    /// (`None`: `undefined`.)
    pub fn fetch(&self) -> Result<(Callable, Option<&JsValue>), JsValue> {
        if let Some(f) = &self.fetch {
            return Ok((f.clone(), None));
        }
        match boundary::global_fetch() {
            Some(f) => Ok((f, Some(&self.global))),
            None => Err(Error::new(Code::Network, "this runtime has no global fetch (or reading it threw): pass options.fetch").into()),
        }
    }
}

fn read_client(options: &JsValue, freed: JsValue) -> Result<Client, JsValue> {
    let o = boundary::client_options(options)?;
    let mchid = config::mchid(&o.mchid)?;
    let serial = config::serial(&o.serial)?;
    let key = config::private_key(&o.private_key)?;
    let apiv3_key = o.apiv3_key.as_deref().map(|k| config::apiv3_key(k)).transpose()?;
    let keyring = config::keyring_or_download(o.certs.iter().map(|(s, p)| (s.clone(), p.as_slice())), apiv3_key.is_some())?;
    config::not_merchant_certificate(&keyring, &serial)?;
    let wechatpay_serial = match o.wechatpay_serial.as_deref() {
        Some(_) if keyring.is_empty() => {
            return Err(Error::new(Code::InvalidConfig, "options.wechatpaySerial names an entry of options.certs, which is empty").into());
        }
        Some(given) => Some(config::wechatpay_serial(&keyring, given)?),
        None => None,
    };
    let refresh_ms = match o.certs_refresh_interval {
        Some(ms) if ms.is_finite() && ms >= 0.0 => ms,
        Some(_) => return Err(Error::new(Code::InvalidConfig, "options.certsRefreshInterval must be a number of milliseconds, 0 or more").into()),
        None => certs::DEFAULT_REFRESH_INTERVAL_MS,
    };
    let base = BaseUrl::parse(o.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
    let timeout_ms = o.timeout.map(|ms| config::timeout("options.timeout", ms)).transpose()?;
    let max_body_bytes = match o.max_body_bytes {
        Some(n) => config::max_body_bytes("options.maxBodyBytes", n)?,
        None => config::DEFAULT_MAX_BODY_BYTES,
    };
    let retries = match o.retry.as_f64() {
        Some(n) => retry::count("options.retry", n)?,
        None if o.retry.is_falsy() && !o.retry.is_undefined() => 0,
        None => retry::DEFAULT_RETRIES,
    };
    // The documented backup domain only stands in for the documented main one.
    let backup = match o.backup_base_url.as_string() {
        Some(url) => Some(BaseUrl::parse_option(&url, "options.backupBaseURL")?),
        None if o.backup_base_url.is_undefined() && o.base_url.is_none() => Some(BaseUrl::parse(DEFAULT_BACKUP_BASE_URL)?),
        None => None,
    };
    let crypto = Crypto::choose(o.crypto.as_deref())?;
    let fetch = o.fetch.map(JsCast::unchecked_into);
    let config = Config { mchid, serial, key, keyring, base, backup, timeout_ms, max_body_bytes, retries, wechatpay_serial, apiv3_key };
    let certs = CertStore::new(config.keyring.clone(), refresh_ms);
    // Headers cross to `fetch` as lines (boundary::send): a runtime's name with a line break in it is not sent.
    let user_agent = boundary::user_agent(concat!("wxpay-wasm/", env!("CARGO_PKG_VERSION"))).filter(|ua| !ua.contains(['\r', '\n', '\0']));
    let global = js_sys::global().into();
    Ok(Client { config, crypto, fetch, global, user_agent, on_request: o.on_request, on_response: o.on_response, certs, encrypted: RefCell::default(), freed })
}

/// A WeChat Pay APIv3 client.
///
/// ```js
/// const wxpay = new Wxpay({ mchid, serial, privateKey, certs: { [platformSerial]: platformPem } });
/// const { data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id, code });
/// ```
#[wasm_bindgen]
pub struct Wxpay {
    notifications: JsValue,
    client: Rc<Client>,
}

#[wasm_bindgen]
impl Wxpay {
    /// Checks every option and parses every key; throws `WxpayError`
    /// (`ERR_INVALID_CONFIG`, `ERR_INVALID_KEY`) naming the option at fault.
    /// `freed`: the `AbortSignal` wxpay.js fires on `free()` (see [`Client::freed`]).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, freed: JsValue) -> Result<Wxpay, JsValue> {
        let client = Rc::new(read_client(&options, freed)?);
        // Requests and the notifications hold the client weakly: `free()`
        // drops it (and wipes its key) once no request is in flight.
        let notifications = Notifications::new(Rc::downgrade(&client)).into();
        Ok(Wxpay { notifications, client })
    }

    /// One request of the chain (`wxpay.v3....get(...)`, built in
    /// pkg-template/wxpay.js): `template` the node's path template (see
    /// [`chainPart`]), `method` the verb's index in `get post put patch
    /// delete`, `names` the template's placeholder names (see
    /// [`placeholderNames`]), `a` and `b` what the verb was called with.
    /// Its result, or a promise that `drive` in pkg-template/wxpay.js
    /// awaits (see src/wasm/driver.rs); throws its error.
    pub fn request(&self, template: JsValue, method: u32, names: js_sys::Array, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
        let method = Method::ALL.get(method as usize).copied().unwrap_or(Method::Get);
        send::start(&Rc::downgrade(&self.client), template, method, names, a, b)
    }

    /// Notifications WeChat Pay posts to you: `parse(input)`, `success()`,
    /// `failure(message, status)`.
    #[wasm_bindgen(getter)]
    pub fn notifications(&self) -> JsValue {
        self.notifications.clone()
    }

    /// The key chosen now: the one `encrypt` uses and requests name in
    /// `Wechatpay-Serial` (see [`Client::named_serial`]).
    #[wasm_bindgen(getter, js_name = wechatpaySerial)]
    pub fn wechatpay_serial(&self) -> Option<String> {
        self.client.wechatpay_serial()
    }

    /// The platform certificates in use: `[{ serial, pem, effective_time,
    /// expire_time }]`, the configured ones first (`pem` absent for a public
    /// key, times absent where unknown). With `apiv3Key`, downloads them first
    /// if none were downloaded yet, and rejects with the download's error when
    /// that failed, `certs` configured or not.
    pub fn certificates(&self) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move {
            if client.config.apiv3_key.is_some() {
                certs::ring_for(&client, None, None).await.map_err(|e| e.into_js(&client))?;
            }
            Ok(certs::list(&client))
        })
    }

    /// Encrypts a sensitive field: base64 RSAES-OAEP (SHA-1, MGF1-SHA-1) of the
    /// UTF-8 `text` under the platform key `wechatpaySerial` names.
    pub fn encrypt(&self, text: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move {
            let text = boundary::text(&text, "encrypt(text): text", "a string")?;
            // None in effect (or none at all): downloaded first when the client can; a download
            // that fails rejects, rather than encrypt for a key the service no longer decrypts with.
            if !client.serial_choice(send::now_secs()).1 {
                certs::ring_for(&client, None, None).await.map_err(|e| e.into_js(&client))?;
            }
            let serial = client.wechatpay_serial().unwrap_or_default();
            let ring = client.certs.ring();
            let key = ring.get(&serial).ok_or_else(|| Error::new(Code::InvalidConfig, "no platform certificate to encrypt with"))?;
            let ciphertext = crate::sensitive::encrypt_with(&client.crypto, &serial, key, &text).await?;
            client.encrypted.borrow_mut().record(&ciphertext, &serial);
            Ok(JsValue::from_str(&ciphertext))
        })
    }

    /// Decrypts a sensitive field of an answer: base64 RSAES-OAEP (SHA-1)
    /// ciphertext under the merchant key, to its UTF-8 text.
    pub fn decrypt(&self, ciphertext: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move {
            let ciphertext = boundary::text(&ciphertext, "decrypt(ciphertext): ciphertext", "a base64 string")?;
            Ok(JsValue::from_str(&crate::sensitive::decrypt_with(&client.crypto, &client.config.key, &ciphertext).await?))
        })
    }

    /// Decrypts an `AEAD_AES_256_GCM` resource (`{ algorithm, ciphertext,
    /// nonce, associated_data }`, as notifications and `/v3/certificates`
    /// carry) with the APIv3 key, to its UTF-8 text.
    #[wasm_bindgen(js_name = decryptResource)]
    pub fn decrypt_resource(&self, resource: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move {
            let key = client.config.apiv3_key.as_ref().ok_or_else(|| {
                Error::new(Code::InvalidConfig, "decryptResource needs options.apiv3Key, the merchant's APIv3 key")
            })?;
            let r = boundary::resource(&resource)?;
            Ok(JsValue::from_str(&crate::notify::decrypt_text(key, &r)?))
        })
    }

    /// Fetches the file a bill or receipt answer points to (`{ download_url,
    /// hash_type, hash_value }`, or the encrypted `download_bill_list`),
    /// signed, on this client's host only; gunzips it, checks its digest and
    /// resolves its bytes, or with `{ stream: true }` a `ReadableStream`
    /// that errors with `ERR_DIGEST_MISMATCH` at its end on a mismatch.
    pub fn download(&self, data: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move { super::files::download(&client, &data, &options).await })
    }

    /// The RSA backend in use: `'node'`, `'webcrypto'` or `'rust'`.
    #[wasm_bindgen(getter)]
    pub fn crypto(&self) -> String {
        self.client.crypto.name().to_string()
    }

    /// Signs `message` (a string, as UTF-8, or bytes) with the merchant key:
    /// base64 RSASSA-PKCS1-v1_5 SHA-256, as JSAPI/APP payment parameters
    /// (`paySign`) need.
    pub fn sign(&self, message: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move {
            let bytes = boundary::bytes(&message, "sign(message): message")?;
            Ok(JsValue::from_str(&client.crypto.sign_base64(&client.config.key, &bytes).await?))
        })
    }

    /// The parameters a JSAPI page or a mini program passes to the WeChat
    /// client after an order returned `prepay_id`: `{ appId, timeStamp,
    /// nonceStr, package: 'prepay_id=...', signType: 'RSA', paySign }`, signed
    /// over `appId\ntimeStamp\nnonceStr\npackage\n`.
    #[wasm_bindgen(js_name = jsapiParams)]
    pub fn jsapi_params(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move {
            let (app_id, prepay_id, _) = boundary::payment_input(&input, "jsapiParams", "appId")?;
            payment::check("appId", &app_id, 32)?;
            payment::check_prepay_id(&prepay_id)?;
            let (timestamp, nonce) = (super::send::now_secs().to_string(), nonce::nonce()?);
            let package = payment::jsapi_package(&prepay_id);
            let message = payment::jsapi_message(&app_id, &timestamp, &nonce, &package);
            let sign = client.crypto.sign_base64(&client.config.key, message.as_bytes()).await?;
            Ok(to_js(&JsapiParams {
                app_id: &app_id,
                time_stamp: &timestamp,
                nonce_str: &nonce,
                package: &package,
                sign_type: payment::SIGN_TYPE,
                pay_sign: &sign,
            }))
        })
    }

    /// The parameters an APP passes to the WeChat SDK after an order returned
    /// `prepay_id`: `{ appid, partnerid, prepayid, package: 'Sign=WXPay',
    /// noncestr, timestamp, sign }`, signed over
    /// `appid\ntimestamp\nnoncestr\nprepayid\n`.
    #[wasm_bindgen(js_name = appParams)]
    pub fn app_params(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move {
            let (app_id, prepay_id, partner_id) = boundary::payment_input(&input, "appParams", "appid")?;
            let partner_id = partner_id.unwrap_or_else(|| client.config.mchid.clone());
            payment::check("appid", &app_id, 32)?;
            payment::check("partnerid", &partner_id, 32)?;
            payment::check_prepay_id(&prepay_id)?;
            let (timestamp, nonce) = (super::send::now_secs().to_string(), nonce::nonce()?);
            let message = payment::app_message(&app_id, &timestamp, &nonce, &prepay_id);
            let sign = client.crypto.sign_base64(&client.config.key, message.as_bytes()).await?;
            Ok(to_js(&AppParams {
                appid: &app_id,
                partnerid: &partner_id,
                prepayid: &prepay_id,
                package: payment::APP_PACKAGE,
                noncestr: &nonce,
                timestamp: &timestamp,
                sign: &sign,
            }))
        })
    }

    /// Whether `signature` (base64) over `message` verifies under the key
    /// `serial` names, configured or downloaded (an unknown serial brings a
    /// download, with `apiv3Key`); rejects `ERR_INVALID_PARAM` for a serial
    /// none of them has.
    pub fn verify(&self, message: JsValue, signature: JsValue, serial: JsValue) -> Result<JsValue, JsValue> {
        let client = self.client.clone();
        driver::start(async move {
            let bytes = boundary::bytes(&message, "verify(message, signature, serial): message")?;
            let signature = boundary::text(&signature, "verify(message, signature, serial): signature", "a base64 string")?;
            let serial = boundary::text(&serial, "verify(message, signature, serial): serial", "a string")?;
            let ring = certs::ring_for(&client, Some(&serial), None).await.map_err(|e| e.into_js(&client))?;
            let (serial, key) = ring.entry(&serial).ok_or_else(|| {
                // Not repeated: a caller may pass anything here.
                Error::new(Code::InvalidParam, "verify(message, signature, serial): serial names none of the known platform keys")
            })?;
            let Some(sig) = crate::base64::decode_public(&signature) else {
                return Ok(JsValue::FALSE);
            };
            // The serial as the ring holds it: the backend caches keys by it.
            Ok(JsValue::from_bool(client.crypto.verify(serial, key, &bytes, &sig).await?))
        })
    }
}

/// `jsapiParams()`, field names as the front end takes them.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsapiParams<'a> {
    app_id: &'a str,
    time_stamp: &'a str,
    nonce_str: &'a str,
    package: &'a str,
    sign_type: &'a str,
    pay_sign: &'a str,
}

/// `appParams()`, field names as the APP SDK takes them.
#[derive(serde::Serialize)]
struct AppParams<'a> {
    appid: &'a str,
    partnerid: &'a str,
    prepayid: &'a str,
    package: &'a str,
    noncestr: &'a str,
    timestamp: &'a str,
    sign: &'a str,
}

/// A plain JS object of a Rust value (serde-wasm-bindgen); values we build
/// from strings always serialise.
pub fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}

/// `chainPart(prop)`: the path segment of a chain property (`membercardOpen` ->
/// `membercard-open`, `_card_id_` -> `{card_id}`): the segment rule of
/// src/path.rs, for pkg-template/wxpay.js, which joins the segments.
#[wasm_bindgen(js_name = chainPart)]
pub fn chain_part(prop: &str) -> String {
    crate::path::segment(prop)
}

/// `placeholderNames(template)`: the `{names}` of a path template, in order.
#[wasm_bindgen(js_name = placeholderNames)]
pub fn placeholder_names(template: &str) -> js_sys::Array {
    crate::path::placeholders(template).map(JsValue::from_str).collect()
}
