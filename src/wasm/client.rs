//! The exported `Wxpay` class and the reading of its options.

use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::chain;
use super::crypto::Crypto;
use super::error::config_error;
use super::js::{self, kind, Callable};
use super::notify::Notifications;
use crate::config::{self, Config};
use crate::crypto::Backend;
use crate::error::{Code, Error};
use crate::url::{BaseUrl, DEFAULT_BASE_URL};

/// What every request of one `Wxpay` shares.
pub struct Client {
    pub config: Config,
    pub crypto: Crypto,
    fetch: Option<Callable>,
    pub user_agent: Option<String>,
}

impl Client {
    /// The injected `fetch`, else the global one, with the `this` to call it with.
    pub fn fetch(&self) -> Result<(Callable, JsValue), JsValue> {
        if let Some(f) = &self.fetch {
            return Ok((f.clone(), JsValue::UNDEFINED));
        }
        let global = js_sys::global();
        let f = Reflect::get(&global, &"fetch".into())?;
        if f.is_function() {
            Ok((f.unchecked_into(), global.into()))
        } else {
            Err(Error::new(Code::Network, "this runtime has no global fetch: pass options.fetch").into())
        }
    }
}

fn option(options: &JsValue, name: &str) -> Result<JsValue, Error> {
    Reflect::get(options, &JsValue::from_str(name)).map_err(|_| config_error(format!("reading options.{name} threw")))
}

fn required_string(options: &JsValue, name: &str) -> Result<String, Error> {
    let v = option(options, name)?;
    v.as_string().ok_or_else(|| {
        if v.is_undefined() {
            config_error(format!("options.{name} is required"))
        } else {
            config_error(format!("options.{name} must be a string, got {}", kind(&v)))
        }
    })
}

/// Key material as bytes: a PEM string, or bytes (a `Buffer` from `readFileSync`).
fn key_bytes(v: &JsValue, what: &str) -> Result<Vec<u8>, Error> {
    if let Some(bytes) = js::bytes_of(v) {
        Ok(bytes)
    } else if v.is_undefined() {
        Err(config_error(format!("{what} is required")))
    } else {
        Err(config_error(format!("{what} must be a PEM string or bytes, got {}", kind(v))))
    }
}

fn read_config(options: &JsValue) -> Result<(Config, Crypto, Option<Callable>), Error> {
    if !options.is_object() {
        return Err(config_error(format!(
            "new Wxpay(options): options must be an object with mchid, serial, privateKey and certs, got {}",
            kind(options)
        )));
    }
    let mchid = config::mchid(&required_string(options, "mchid")?)?;
    let serial = config::serial(&required_string(options, "serial")?)?;
    let key = config::private_key(&key_bytes(&option(options, "privateKey")?, "options.privateKey")?)?;

    let certs = option(options, "certs")?;
    if !certs.is_object() {
        return Err(config_error(if certs.is_undefined() {
            "options.certs is required: an object mapping each platform serial or PUB_KEY_ID_... to its PEM".into()
        } else {
            format!("options.certs must be an object, got {}", kind(&certs))
        }));
    }
    let mut entries = Vec::new();
    for pair in Object::entries(certs.unchecked_ref()).iter() {
        let pair: js_sys::Array = pair.unchecked_into();
        let serial = pair.get(0).as_string().unwrap_or_default();
        let pem = key_bytes(&pair.get(1), &config::certs_entry(&serial)?)?;
        entries.push((serial, pem));
    }
    let keyring = config::keyring(entries.iter().map(|(s, p)| (s.clone(), p.as_slice())))?;

    let wechatpay_serial = option(options, "wechatpaySerial")?;
    let wechatpay_serial = match wechatpay_serial.as_string() {
        Some(s) => config::wechatpay_serial(&keyring, Some(&s))?,
        None if wechatpay_serial.is_undefined() => config::wechatpay_serial(&keyring, None)?,
        None => return Err(config_error(format!("options.wechatpaySerial must be a string, got {}", kind(&wechatpay_serial)))),
    };

    let apiv3_key = option(options, "apiv3Key")?;
    let apiv3_key = match apiv3_key.as_string() {
        Some(s) => Some(config::apiv3_key(&s)?),
        None if apiv3_key.is_undefined() => None,
        None => return Err(config_error(format!("options.apiv3Key must be a string, got {}", kind(&apiv3_key)))),
    };

    let base = option(options, "baseURL")?;
    let base = match base.as_string() {
        Some(s) => BaseUrl::parse(&s)?,
        None if base.is_undefined() => BaseUrl::parse(DEFAULT_BASE_URL)?,
        None => return Err(config_error(format!("options.baseURL must be a string, got {}", kind(&base)))),
    };

    let timeout = option(options, "timeout")?;
    let timeout_ms = match timeout.as_f64() {
        Some(ms) => Some(config::timeout("options.timeout", ms)?),
        None if timeout.is_undefined() => None,
        None => return Err(config_error(format!("options.timeout must be a number, got {}", kind(&timeout)))),
    };

    let fetch = option(options, "fetch")?;
    let fetch = if fetch.is_undefined() {
        None
    } else if fetch.is_function() {
        Some(fetch.unchecked_into())
    } else {
        return Err(config_error(format!("options.fetch must be a function, got {}", kind(&fetch))));
    };
    let crypto = option(options, "crypto")?;
    let crypto = match crypto.as_string() {
        Some(s) => Crypto::choose(Some(&s))?,
        None if crypto.is_undefined() => Crypto::choose(None)?,
        None => return Err(config_error(format!("options.crypto must be a string, got {}", kind(&crypto)))),
    };
    Ok((Config { mchid, serial, key, keyring, base, timeout_ms, wechatpay_serial, apiv3_key }, crypto, fetch))
}

/// `wxpay-wasm/<version>` plus the runtime, where the runtime lets us say it.
fn user_agent() -> Option<String> {
    let base = concat!("wxpay-wasm/", env!("CARGO_PKG_VERSION"));
    let global: JsValue = js_sys::global().into();
    let get = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().filter(|x| !x.is_undefined());
    if let Some(process) = get(&global, "process") {
        let versions = get(&process, "versions");
        let node = versions.as_ref().and_then(|v| get(v, "node")).and_then(|v| v.as_string());
        if let Some(node) = node {
            let os = get(&process, "platform").and_then(|v| v.as_string()).unwrap_or_default();
            let arch = get(&process, "arch").and_then(|v| v.as_string()).unwrap_or_default();
            return Some(format!("{base} node/{node} {os}/{arch}"));
        }
    }
    let ua = get(&global, "navigator").and_then(|n| get(&n, "userAgent")).and_then(|v| v.as_string());
    match ua {
        // Workers, Deno and Bun name themselves; browsers do not let a page set User-Agent.
        Some(ua) if !ua.starts_with("Mozilla/") => Some(format!("{base} {ua}")),
        _ => None,
    }
}

/// A WeChat Pay APIv3 client.
///
/// ```js
/// const wxpay = new Wxpay({ mchid, serial, privateKey, certs: { [platformSerial]: platformPem } });
/// const { data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id, code });
/// ```
#[wasm_bindgen]
pub struct Wxpay {
    v3: JsValue,
    notifications: JsValue,
    client: Rc<Client>,
}

#[wasm_bindgen]
impl Wxpay {
    /// Checks every option and parses every key; throws `WxpayError`
    /// (`ERR_INVALID_CONFIG`, `ERR_INVALID_KEY`) naming the option at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Wxpay, JsValue> {
        let (config, crypto, fetch) = read_config(&options)?;
        let client = Rc::new(Client { config, crypto, fetch, user_agent: user_agent() });
        let notifications = Notifications::new(client.clone()).into();
        Ok(Wxpay { v3: chain::root(client.clone(), "v3"), notifications, client })
    }

    /// The root of the APIv3 chain: `wxpay.v3.pay.transactions.native.post(...)`.
    #[wasm_bindgen(getter)]
    pub fn v3(&self) -> JsValue {
        self.v3.clone()
    }

    /// Notifications WeChat Pay posts to you: `parse(input)`, `success()`,
    /// `failure(message, status)`.
    #[wasm_bindgen(getter)]
    pub fn notifications(&self) -> JsValue {
        self.notifications.clone()
    }

    /// The `certs` entry sent as `Wechatpay-Serial` on every request and used
    /// by `encrypt`.
    #[wasm_bindgen(getter, js_name = wechatpaySerial)]
    pub fn wechatpay_serial(&self) -> String {
        self.client.config.wechatpay_serial.clone()
    }

    /// Encrypts a sensitive field: base64 RSAES-OAEP (SHA-1, MGF1-SHA-1) of the
    /// UTF-8 `text` under the platform key `wechatpaySerial` names.
    pub fn encrypt(&self, text: JsValue) -> js_sys::Promise {
        let client = self.client.clone();
        js::promise(async move {
            let Some(text) = text.as_string() else {
                return Err(Error::new(Code::InvalidParam, format!("encrypt(text): text must be a string, got {}", kind(&text))).into());
            };
            let serial = &client.config.wechatpay_serial;
            let key = client.config.keyring.get(serial).ok_or_else(|| Error::new(Code::InvalidConfig, "wechatpaySerial names no key"))?;
            Ok(JsValue::from_str(&crate::sensitive::encrypt_with(&client.crypto, serial, key, &text).await?))
        })
    }

    /// Decrypts a sensitive field of an answer: base64 RSAES-OAEP (SHA-1)
    /// ciphertext under the merchant key, to its UTF-8 text.
    pub fn decrypt(&self, ciphertext: JsValue) -> js_sys::Promise {
        let client = self.client.clone();
        js::promise(async move {
            let Some(ciphertext) = ciphertext.as_string() else {
                return Err(Error::new(Code::InvalidParam, format!("decrypt(ciphertext): ciphertext must be a base64 string, got {}", kind(&ciphertext))).into());
            };
            Ok(JsValue::from_str(&crate::sensitive::decrypt_with(&client.crypto, &client.config.key, &ciphertext).await?))
        })
    }

    /// Decrypts an `AEAD_AES_256_GCM` resource (`{ algorithm, ciphertext,
    /// nonce, associated_data }`, as notifications and `/v3/certificates`
    /// carry) with the APIv3 key, to its UTF-8 text.
    #[wasm_bindgen(js_name = decryptResource)]
    pub fn decrypt_resource(&self, resource: JsValue) -> js_sys::Promise {
        let client = self.client.clone();
        js::promise(async move {
            let key = client.config.apiv3_key.as_ref().ok_or_else(|| {
                Error::new(Code::InvalidConfig, "decryptResource needs options.apiv3Key, the merchant's APIv3 key")
            })?;
            let r = resource_fields(&resource)?;
            Ok(JsValue::from_str(&crate::notify::decrypt_text(key, &r)?))
        })
    }

    /// The RSA backend in use: `'node'`, `'webcrypto'` or `'rust'`.
    #[wasm_bindgen(getter)]
    pub fn crypto(&self) -> String {
        self.client.crypto.name().to_string()
    }

    /// Signs `message` (a string, as UTF-8, or bytes) with the merchant key:
    /// base64 RSASSA-PKCS1-v1_5 SHA-256, as JSAPI/APP payment parameters
    /// (`paySign`) need.
    pub fn sign(&self, message: JsValue) -> js_sys::Promise {
        let client = self.client.clone();
        js::promise(async move {
            let bytes = message_bytes(&message, "message")?;
            let signature = client.crypto.sign(&client.config.key, &bytes).await?;
            Ok(JsValue::from_str(&crate::base64::encode(&signature)))
        })
    }

    /// Whether `signature` (base64) over `message` verifies under the key
    /// `serial` names in `certs`; rejects `ERR_INVALID_PARAM` for an unknown
    /// serial.
    pub fn verify(&self, message: JsValue, signature: JsValue, serial: JsValue) -> js_sys::Promise {
        let client = self.client.clone();
        js::promise(async move {
            let bytes = message_bytes(&message, "message")?;
            let (Some(signature), Some(serial)) = (signature.as_string(), serial.as_string()) else {
                return Err(Error::new(Code::InvalidParam, "verify(message, signature, serial): signature and serial must be strings").into());
            };
            let key = client.config.keyring.get(&serial).ok_or_else(|| {
                Error::new(Code::InvalidParam, format!("serial {serial:?} is not one of the configured certs"))
            })?;
            let Some(sig) = crate::base64::decode(&signature) else {
                return Ok(JsValue::FALSE);
            };
            Ok(JsValue::from_bool(client.crypto.verify(&serial, key, &bytes, &sig).await?))
        })
    }
}

/// The fields of a resource object given to `decryptResource`.
fn resource_fields(v: &JsValue) -> Result<crate::notify::Resource, Error> {
    let bad = |why: String| Error::new(Code::InvalidParam, format!("decryptResource(resource): {why}"));
    if !v.is_object() {
        return Err(bad(format!("resource must be an object, got {}", kind(v))));
    }
    let field = |name: &str, required: bool| -> Result<Option<String>, Error> {
        let f = Reflect::get(v, &JsValue::from_str(name)).map_err(|_| bad(format!("reading resource.{name} threw")))?;
        match f.as_string() {
            Some(s) => Ok(Some(s)),
            None if (f.is_undefined() || f.is_null()) && !required => Ok(None),
            None => Err(bad(format!("resource.{name} must be a string, got {}", kind(&f)))),
        }
    };
    Ok(crate::notify::Resource {
        algorithm: field("algorithm", false)?.unwrap_or_else(|| crate::aead::ALGORITHM.into()),
        ciphertext: field("ciphertext", true)?.unwrap_or_default(),
        nonce: field("nonce", true)?.unwrap_or_default(),
        associated_data: field("associated_data", false)?.unwrap_or_default(),
        original_type: field("original_type", false)?,
    })
}

/// A string (as UTF-8) or bytes.
fn message_bytes(v: &JsValue, what: &str) -> Result<Vec<u8>, Error> {
    if let Some(bytes) = js::bytes_of(v) {
        Ok(bytes)
    } else {
        Err(Error::new(Code::InvalidParam, format!("{what} must be a string or a Uint8Array, got {}", kind(v))))
    }
}
