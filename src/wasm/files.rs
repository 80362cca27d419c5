//! Files out: `wxpay.download(data, options)` fetches the file a bill (or
//! receipt) answer points to, on this client's own host only, gunzips it,
//! decrypts an encrypted bill's parts and checks the digest the answer gave
//! as the bytes stream past; `parseBill` reads a bill's text.

use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::boundary::{self, Deadline};
use super::client::Client;
use super::error::param_error;
use super::send::{exchange, service_error, with_attempts, Named, Prepared};
use crate::config;
use crate::digest::Digest;
use crate::error::{Code, Error};
use crate::request::Method;
use crate::response::header;

/// The digest of one file, fed chunk by chunk from `boundary.js`, or
/// computed there by the runtime's own hash (`node:crypto`, workerd's
/// `crypto.DigestStream`: faster than wasm, see bench/RESULTS.md) unless the client
/// runs on Rust crypto alone. Rust holds the expected value and compares.
#[wasm_bindgen(skip_typescript)]
pub struct FileDigest {
    digest: Option<Digest>,
    /// Whether the runtime may hash (the client's crypto is not `'rust'`).
    native: bool,
}

#[wasm_bindgen]
impl FileDigest {
    /// The SHA the runtime is to compute, if it can: 1 or 256; 0 when Rust
    /// must (or after the end).
    pub fn algorithm(&self) -> u32 {
        match &self.digest {
            Some(d) if self.native => d.sha(),
            _ => 0,
        }
    }

    /// Adds a chunk (when Rust hashes).
    pub fn update(&mut self, bytes: &[u8]) {
        if let Some(d) = &mut self.digest {
            d.update(bytes);
        }
    }

    /// Whether the file matches: the chunks added, or `got`, the digest the
    /// runtime computed of them. Only the first call can say yes.
    pub fn finish(&mut self, got: Option<Vec<u8>>) -> bool {
        self.digest.take().is_some_and(|d| match got {
            Some(got) => d.is_expected(&got),
            None => d.matches(),
        })
    }
}

/// The path and query of a part's `url` to ask of this client's hosts: under its `baseURL` (or
/// backup host), or WeChat Pay's (which name the files, also to a client whose baseURL is a
/// proxy); nowhere else.
fn relative<'a>(config: &crate::config::Config, url: &'a Option<String>) -> Result<&'a str, Error> {
    let url = url.as_deref().unwrap_or_default();
    config
        .base
        .relative(url)
        .or_else(|| config.backup.as_ref().and_then(|b| b.relative(url)))
        .or_else(|| crate::url::service_relative(url))
        .ok_or_else(|| param_error("download(data): download_url is not under this client's baseURL or WeChat Pay's: a signed request goes to no other host".into()))
}

/// `wxpay.download(data, options)`.
pub async fn download(client: &Rc<Client>, data: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let input = boundary::download_input(data, options)?;
    let timeout_ms = match input.timeout {
        Some(ms) => Some(config::timeout("download(data, options): options.timeout", ms)?),
        None => client.config.timeout_ms,
    };
    let max_bytes = match input.max_body_bytes {
        Some(n) => config::max_body_bytes("download(data, options): options.maxBodyBytes", n)?,
        None => client.config.max_body_bytes,
    };
    let deadline = Deadline::new(Some(&input.signal), timeout_ms)?;
    // Encrypted parts are decrypted whole (AES-GCM checks its tag at the end); several parts are joined.
    let whole = input.parts.len() > 1 || input.parts.iter().any(|p| p[3].is_some());
    let files = Array::new();
    // Bytes of the parts held so far: `maxBodyBytes` bounds the joined file, checked as each
    // part arrives (in either mode: the parts are in memory until joined).
    let mut held: u32 = 0;
    let config = &client.config;
    // Every part's host is checked before the first is fetched: a later part elsewhere sends nothing.
    for [url, ..] in &input.parts {
        relative(config, url)?;
    }
    for [url, hash_type, hash_value, encrypt_key, nonce] in &input.parts {
        let digest = Digest::new(hash_type.as_deref().unwrap_or_default(), hash_value.as_deref().unwrap_or_default())?;
        // Checked above; found again rather than kept (a Vec of them cost 336 B more of .wasm gzip).
        let relative = relative(config, url).unwrap_or_default();
        let (path, query) = relative.split_once('?').unwrap_or((relative, ""));
        let request = Prepared {
            method: Method::Get,
            path: path.into(),
            query: query.into(),
            body: None,
            signed: None,
            content_type: None,
            headers: &[],
            retries: config.retries,
            max_bytes,
            stream: input.stream && !whole,
            serial: Named::Current,
        };
        let (answer, attempts, heard) = exchange(client, &request, &deadline).await;
        // Every error of the part, the last try's or the file's, says how many tries were made.
        let file = match &answer {
            Err(e) => Err(e.clone()),
            Ok(answer) if !(200..300).contains(&answer.status) => Err(service_error(answer, answer.header(header::REQUEST_ID))),
            Ok(answer) => {
                // (An encrypt_key without its nonce is refused by boundary.js, downloadInput.)
                let source: Result<JsValue, JsValue> = match (encrypt_key, nonce) {
                    (Some(key), Some(nonce)) => match boundary::copy_in(&answer.body()) {
                        Ok(sealed) => crate::bill::decrypt_part(&client.crypto, &config.key, key, nonce, &sealed).await.map(|plain| Uint8Array::from(&plain[..]).into()).map_err(Into::into),
                        Err(e) => Err(e.into()),
                    },
                    // A 2xx answer without a body stream (a 204, a `Response` built with a null body) was
                    // read whole by `send`: its (empty) bytes.
                    _ if request.stream && !answer.stream().is_undefined() => Ok(answer.stream()),
                    _ => Ok(answer.body().into()),
                };
                match source {
                    Ok(source) => boundary::file_body(&deadline, &source, FileDigest { digest: Some(digest), native: client.crypto.name() != "rust" }.into(), request.stream, max_bytes, held).await,
                    Err(e) => Err(e),
                }
            }
        }
        .map_err(|e| with_attempts(e, attempts));
        // Heard once the file is read and its digest checked (a stream's digest, at its end, comes later).
        if let Some(heard) = heard {
            heard.tell(client, Method::Get, answer.as_ref(), file.as_ref().err());
        }
        let file = file?;
        if !whole {
            return Ok(file);
        }
        held = held.saturating_add(file.unchecked_ref::<Uint8Array>().length());
        files.push(&file);
    }
    boundary::join_files(&files, input.stream)
}

/// Reads a trade or fund-flow bill (a string, or its UTF-8 bytes) into the
/// text of `{ header, rows: [[value]], summary: [[name, value]] }`, which
/// `parseBill` in pkg-template/wxpay.js turns into `{ rows: [{ header: value
/// }], summary: { header: value } }` (each name made once, however many rows).
#[wasm_bindgen(js_name = parseBill, skip_typescript)]
pub fn parse_bill(text: JsValue) -> Result<String, JsValue> {
    let bytes = boundary::bytes(&text, "parseBill(text): text")?;
    let text = core::str::from_utf8(&bytes).map_err(|_| Error::new(Code::InvalidParam, "parseBill(text): the bill is not UTF-8"))?;
    Ok(crate::bill::compact_json(text, MAX_BILL_JSON)?)
}

/// The most JSON `parseBill` makes of one bill (a JS string holds about 512 M characters).
const MAX_BILL_JSON: usize = 256 << 20;
