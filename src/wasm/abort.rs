//! `signal` and `timeout` for one request, as an RAII guard: dropping it
//! clears the timer and the listener, so no callback outlives the request.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{AbortController, AbortSignal};

use super::error::{describe, Extra};
use super::js;
use crate::error::{Code, Error};

/// Aborts a fetch when the caller's signal fires or the timeout passes.
pub struct AbortGuard {
    controller: AbortController,
    user: Option<(AbortSignal, Closure<dyn FnMut()>)>,
    timer: Option<(JsValue, Closure<dyn FnMut()>)>,
    timed_out: Rc<Cell<bool>>,
    timeout_ms: Option<u32>,
}

/// The error for a signal that has fired, its reason kept as the cause.
pub fn aborted(signal: &AbortSignal) -> JsValue {
    Error::new(Code::Aborted, "request aborted by its signal")
        .into_js_with(Extra { cause: Some(signal.reason()), ..Extra::default() })
}

impl AbortGuard {
    /// A guard for this signal and timeout, or `None` when there is neither.
    /// Fails at once (nothing is sent) when the signal has already fired.
    pub fn new(signal: Option<AbortSignal>, timeout_ms: Option<u32>) -> Result<Option<Self>, JsValue> {
        if let Some(s) = &signal {
            if s.aborted() {
                return Err(aborted(s));
            }
        }
        if signal.is_none() && timeout_ms.is_none() {
            return Ok(None);
        }
        let controller = AbortController::new()?;
        let timed_out = Rc::new(Cell::new(false));
        let user = match signal {
            Some(s) => {
                let c = controller.clone();
                let on_abort = Closure::<dyn FnMut()>::new(move || c.abort());
                s.add_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref())?;
                Some((s, on_abort))
            }
            None => None,
        };
        let timer = timeout_ms.map(|ms| {
            let (c, flag) = (controller.clone(), timed_out.clone());
            let on_timeout = Closure::<dyn FnMut()>::new(move || {
                flag.set(true);
                c.abort();
            });
            // `ms` was validated to fit in an i32.
            let id = js::set_timeout(on_timeout.as_ref(), i32::try_from(ms).unwrap_or(i32::MAX));
            (id, on_timeout)
        });
        Ok(Some(AbortGuard { controller, user, timer, timed_out, timeout_ms }))
    }

    /// The signal to hand to `fetch`.
    pub fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    /// Turns a rejection of `fetch` or of reading the body into our error:
    /// `ERR_TIMEOUT`, `ERR_ABORTED`, or `None` when the guard did not cause it.
    pub fn cause_of_failure(&self) -> Option<JsValue> {
        if self.timed_out.get() {
            let ms = self.timeout_ms.unwrap_or_default();
            return Some(Error::new(Code::Timeout, format!("request timed out after {ms} ms")).into());
        }
        match &self.user {
            Some((s, _)) if s.aborted() => Some(aborted(s)),
            _ => None,
        }
    }
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        if let Some((id, _)) = &self.timer {
            js::clear_timeout(id);
        }
        if let Some((s, on_abort)) = &self.user {
            let _ = s.remove_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
        }
    }
}

/// The error for a failed `fetch` or body read.
pub fn network_error(guard: Option<&AbortGuard>, err: JsValue, what: &str) -> JsValue {
    if let Some(e) = guard.and_then(AbortGuard::cause_of_failure) {
        return e;
    }
    let msg = format!("{what} failed: {}", describe(&err));
    Error::new(Code::Network, msg).into_js_with(Extra { cause: Some(err), ..Extra::default() })
}
