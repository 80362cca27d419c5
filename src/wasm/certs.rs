//! The platform certificates a client trusts: the configured `certs`, plus,
//! when it has the APIv3 key, those it downloads from `GET /v3/certificates`
//! on first need and again when an answer or notification names a serial it
//! does not know (one download at a time, at most once per
//! `certsRefreshInterval`). Downloaded certificates past their `notAfter`
//! (or the listed `expire_time`, if earlier) are not used; configured ones
//! are kept exactly as given.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use super::driver::{self, wait};

use super::boundary::{self, Deadline, Waited};
use super::client::Client;
use super::error::Extra;
use super::send::{self, now_secs};
use crate::certificates::Certificate;
use crate::error::{Code, Error};
use crate::keys::Keyring;
use crate::response::Codes;

/// The default `certsRefreshInterval`: five minutes.
pub const DEFAULT_REFRESH_INTERVAL_MS: f64 = 300_000.0;
/// How long a download may take when the client has no `timeout`.
pub const DOWNLOAD_TIMEOUT_MS: u32 = 30_000;
/// How long past its own limit a download is waited for before it is taken
/// for dead: in workerd, a download started by a request that has ended is
/// cancelled with that request and never settles (its timers die with it).
const DOWNLOAD_GRACE_MS: f64 = 1_000.0;
/// After a failed download, the next may start this much later.
const RETRY_AFTER_FAILURE_MS: f64 = 10_000.0;

/// The keys of one client, configured and downloaded.
pub struct CertStore {
    configured: Keyring,
    downloaded: RefCell<Rc<Vec<Certificate>>>,
    /// `configured` plus the unexpired downloads; replaced whole, so a
    /// verification in progress keeps the ring it started with.
    ring: RefCell<Rc<Keyring>>,
    /// The download under way, and when it started (ms).
    in_flight: RefCell<Option<(Promise, f64)>>,
    /// When the last download ended (ms) and whether it succeeded.
    last: Cell<Option<(f64, bool)>>,
    /// Why the last download failed, for those who need it within the back-off.
    last_error: RefCell<Option<JsValue>>,
    interval_ms: f64,
}

impl CertStore {
    /// A store of the configured keys.
    pub fn new(configured: Keyring, interval_ms: f64) -> Self {
        let ring = RefCell::new(Rc::new(configured.clone()));
        CertStore { configured, downloaded: RefCell::default(), ring, in_flight: RefCell::default(), last: Cell::new(None), last_error: RefCell::default(), interval_ms }
    }

    /// The keys to verify with now: a downloaded certificate that expired
    /// since the last look is dropped.
    pub fn ring(&self) -> Rc<Keyring> {
        // The clock is read only when there are downloads to expire.
        let now = if self.downloaded.borrow().is_empty() { None } else { Some(now_secs()) };
        if let Some(now) = now.filter(|now| self.downloaded.borrow().iter().any(|c| c.expired(*now))) {
            let kept: Vec<Certificate> = self.downloaded.borrow().iter().filter(|c| !c.expired(now)).cloned().collect();
            self.install(kept);
        }
        self.ring.borrow().clone()
    }

    /// The downloaded certificates still in use.
    pub fn downloaded(&self) -> Rc<Vec<Certificate>> {
        self.ring();
        self.downloaded.borrow().clone()
    }

    /// The configured keys.
    pub fn configured(&self) -> &Keyring {
        &self.configured
    }

    /// The ring plus `extra`: the keys an answer of `/v3/certificates` may be
    /// signed with (the bootstrap the service documents).
    pub fn ring_with(&self, extra: &[Certificate]) -> Keyring {
        let mut ring = (*self.ring()).clone();
        for c in extra.iter().filter(|c| !c.expired(now_secs())) {
            ring.insert(c.serial.clone(), c.key.clone());
        }
        ring
    }

    fn install(&self, certs: Vec<Certificate>) {
        let mut ring = self.configured.clone();
        for c in &certs {
            if self.configured.get(&c.serial).is_none() {
                ring.insert(c.serial.clone(), c.key.clone());
            }
        }
        *self.ring.borrow_mut() = Rc::new(ring);
        *self.downloaded.borrow_mut() = Rc::new(certs);
    }

    /// Takes the certificates of a list the caller fetched itself and the client verified as it
    /// does a download's: as if a download had just brought them.
    pub fn adopt(&self, certs: Vec<Certificate>) {
        self.install(certs);
        self.record(None);
    }

    /// Frees the slot of the download started at `started`, if it is still
    /// the one in flight (not taken for dead and replaced); whether it was.
    fn release(&self, started: f64) -> bool {
        let mut slot = self.in_flight.borrow_mut();
        let current = slot.as_ref().is_some_and(|(_, t)| *t == started);
        if current {
            *slot = None;
        }
        current
    }

    /// Records how the last download ended: now, and its error if it failed.
    fn record(&self, error: Option<JsValue>) {
        self.last.set(Some((js_sys::Date::now(), error.is_none())));
        *self.last_error.borrow_mut() = error;
    }

    /// Whether a download may start now. `urgent`: no key is in effect, so nothing can be
    /// sent or verified until one is; then the wait after a success is that after a failure.
    /// A last download dated after now (the clock was stepped back since, or was ahead then)
    /// is no reason to wait: else one download under a wrong clock would hold off every later
    /// one until the clock caught up with it, hours or years.
    fn may_start(&self, urgent: bool) -> bool {
        let now = js_sys::Date::now();
        let short = self.interval_ms.min(RETRY_AFTER_FAILURE_MS);
        match self.last.get() {
            None => true,
            Some((at, ok)) => !(0.0..if ok && !urgent { self.interval_ms } else { short }).contains(&(now - at)),
        }
    }
}

/// Whether the client should download before verifying something signed by
/// `serial` (`None`: before anything at all, e.g. `certificates()`).
fn wanted(client: &Client, serial: Option<&str>) -> bool {
    if client.config.apiv3_key.is_none() {
        return false;
    }
    let ring = client.certs.ring();
    match serial {
        // A WeChat Pay public key is never in the certificate list: nothing to download.
        Some(s) => ring.get(s).is_none() && !s.starts_with(crate::config::PUB_KEY_ID_PREFIX),
        None => client.certs.downloaded.borrow().is_empty(),
    }
}

/// Whether the keys known now cannot verify what `serial` signed; for `None` (the
/// downloads themselves asked for: `certificates()`), whether none is downloaded, though
/// configured `certs` may verify answers meanwhile.
fn unusable(client: &Client, serial: Option<&str>) -> bool {
    match serial {
        Some(s) => client.certs.ring().get(s).is_none(),
        None => client.certs.downloaded().is_empty(),
    }
}

/// Why [`ring_for`] has no keys to give.
pub enum NoRing {
    /// The caller's deadline (`timeout`, `signal`) ended the wait: its error.
    Stopped(JsValue),
    /// The download failed, now or moments ago (its error), or ended moments
    /// ago with nothing usable now (`None`: no error to tell).
    Failed(Option<JsValue>),
}

impl NoRing {
    /// For a caller that asked for the certificates themselves (`certificates()`,
    /// `encrypt`, `verify`): the download's own error, or `ERR_CLIENT_FREED` if the
    /// client was freed while it waited (free() ends the download).
    pub fn into_js(self, client: &Client) -> JsValue {
        if client.was_freed() {
            return super::send::freed();
        }
        match self {
            NoRing::Stopped(e) | NoRing::Failed(Some(e)) => e,
            NoRing::Failed(None) => Error::new(Code::ResponseSerial, format!("no platform certificate is in use yet, and {NONE_YET}")).into(),
        }
    }

    /// For an answer or notification that could not be verified: its own
    /// `serial` code (with `extra`: its status and request id), the download's
    /// error as `cause`; the caller's deadline error as it is.
    pub fn for_signed(self, codes: Codes, extra: Extra) -> JsValue {
        self.error(codes.serial, &format!("the {}'s Wechatpay-Serial names no key known yet", codes.subject), extra)
    }

    /// For a request that waited for a key before it was sent (none was in effect):
    /// `ERR_CERTIFICATE_DOWNLOAD`, the download's error as `cause`; the caller's deadline
    /// error as it is; `ERR_CLIENT_FREED` if the client was freed while it waited. Nothing
    /// was sent.
    pub fn before_send(self, client: &Client) -> JsValue {
        if client.was_freed() {
            return super::send::freed();
        }
        self.error(Code::CertificateDownload, "the request was not sent: no platform certificate is in use yet", Extra::default())
    }

    fn error(self, code: Code, what: &str, extra: Extra) -> JsValue {
        let cause = match self {
            NoRing::Stopped(e) => return e,
            NoRing::Failed(cause) => cause,
        };
        let message = format!("{what}, and {}", match &cause {
            // The download's own error said here too (a wrong APIv3 key is told by it), as
            // boundary.js describes a thrown value: bounded, and ours quote no secret.
            Some(e) => format!("downloading the platform certificates failed: {}", super::boundary::describe(e)),
            None => NONE_YET.to_owned(),
        });
        Error::new(code, message).into_js_with(Extra { cause, ..extra })
    }
}

/// No certificate to use, and none to tell why: the last download ended moments ago (the next
/// may start only after the back-off), and every certificate it gave has expired since.
const NONE_YET: &str = "the next download may start only later; try again";

/// The keys to verify something signed under `serial` with: downloads first
/// when the serial is unknown (or nothing is known yet) and a download may
/// start; shares a download already under way, waiting for it no longer
/// than `deadline` allows (and, when its starter abandons it, for the next).
pub async fn ring_for(client: &Rc<Client>, serial: Option<&str>, deadline: Option<&Deadline>) -> Result<Rc<Keyring>, NoRing> {
    while wanted(client, serial) {
        let limit = f64::from(client.config.timeout_ms.unwrap_or(DOWNLOAD_TIMEOUT_MS)) + DOWNLOAD_GRACE_MS;
        let now = js_sys::Date::now();
        // A download past its limit and grace never ends: the next need starts another (so does
        // one dated after now: the clock was stepped back since it started).
        let pending = client.certs.in_flight.borrow().clone().filter(|(_, started)| (0.0..limit).contains(&(now - started)));
        // Whether this call started the download: if it stops waiting first, in workerd, the
        // download is shared no longer (below).
        let mut mine = false;
        let promise = match pending {
            Some(p) => Some(p),
            None if client.certs.may_start(client.named_serial(now_secs()).is_none()) => {
                mine = true;
                let c = client.clone();
                // Run by the executor, from a microtask: not now, so that its first attempt
                // (its hooks, the caller's fetch) comes once the download is in flight, for a
                // nested call to share.
                let p = boundary::shared(&driver::spawn(async move {
                    let result = send::fetch_certificates(&c).await;
                    // Ended: the next need starts a new download (when the interval allows),
                    // even if every request that waited for this one gave up first. (Unless
                    // it was taken for dead and another is under way.)
                    c.certs.release(now);
                    c.certs.record(result.as_ref().err().cloned());
                    c.certs.install(result?);
                    Ok(JsValue::UNDEFINED)
                }));
                *client.certs.in_flight.borrow_mut() = Some((p.clone(), now));
                Some((p, now))
            }
            None => None,
        };
        if let Some((p, started)) = promise {
            // Never waited for past the download's limit (and grace): if it has not settled by
            // then, it is dead (see DOWNLOAD_GRACE_MS), and counts as failed.
            let left = (started + limit - now).max(1.0).ceil() as u32;
            let cap = Deadline::new(None, Some(left)).map_err(|e| NoRing::Failed(Some(e)))?;
            let capped = cap.race(&p).map_err(|e| NoRing::Failed(Some(e)))?;
            let mut result = match deadline {
                Some(d) => match d.within(&capped).await {
                    Err(Waited::Stopped(e)) => {
                        // In workerd a request's I/O ends with it, so a download whose starter has
                        // gone may never settle: the next need starts its own. (Elsewhere it goes
                        // on, shared, and its certificates are taken when it ends.)
                        if mine && client.io_ends_with_request() {
                            client.certs.release(started);
                            boundary::abandon(&p);
                        }
                        return Err(NoRing::Stopped(e));
                    }
                    Err(Waited::Failed(e)) => Err(e),
                    Ok(v) => Ok(v),
                },
                None => wait(capped).await,
            };
            if result.is_err() && cap.stopped().is_some() {
                let dead: JsValue = Error::new(Code::Timeout, format!("the platform certificate download did not end within {} ms", limit as u64)).into();
                // Failed, and the next may start only after the back-off. Not in workerd: there, one
                // past its limit is most likely one whose request has ended (a call not awaited),
                // its fetch cancelled with it; the next need starts another at once (at most one a
                // limit).
                if client.certs.release(started) && !client.io_ends_with_request() {
                    client.certs.record(Some(dead.clone()));
                }
                result = Err(dead);
            }
            // Its starter gave up on it (workerd, above): wait for the next, or start it.
            if matches!(&result, Err(e) if e.is_undefined()) {
                continue;
            }
            // A failed download fails what needed it when nothing can verify it still: no key
            // under its serial (or, for `certificates()`, nothing downloaded). Its error says
            // why (the `cause`).
            if let Err(e) = result {
                if unusable(client, serial) {
                    return Err(NoRing::Failed(Some(e)));
                }
            }
        } else if unusable(client, serial) {
            // No download may start yet: the last one's failure is why, if it failed (and if
            // nothing at all is known, there is nothing to verify with either way).
            let last = client.certs.last_error.borrow().clone();
            if last.is_some() || client.certs.ring().is_empty() {
                return Err(NoRing::Failed(last));
            }
        }
        break;
    }
    Ok(client.certs.ring())
}

/// One entry of `wxpay.certificates()`.
#[derive(serde::Serialize)]
struct Listed<'a> {
    serial: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pem: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_time: Option<String>,
}

/// The certificates in use as JS objects, for `wxpay.certificates()`.
pub fn list(client: &Client) -> JsValue {
    let iso = |secs: i64| -> String { js_sys::Date::new(&JsValue::from(secs as f64 * 1000.0)).to_iso_string().into() };
    let configured = client.certs.configured();
    let downloaded = client.certs.downloaded();
    let mut out: Vec<Listed> = configured
        .iter()
        .map(|(serial, key)| Listed {
            serial,
            pem: None,
            effective_time: key.validity.map(|(b, _)| iso(b)),
            expire_time: key.validity.map(|(_, a)| iso(a)),
        })
        .collect();
    out.extend(downloaded.iter().filter(|c| configured.get(&c.serial).is_none()).map(|c| Listed {
        serial: &c.serial,
        pem: Some(&c.pem),
        effective_time: Some(c.effective_time.clone()),
        expire_time: Some(c.expire_time.clone()),
    }));
    super::client::to_js(&out)
}
