//! Calls driven from JS: the future of a chain request (or of another method
//! that resolves later) is polled by calls from `pkg-template/wxpay.js`
//! (`drive`), and each promise it waits for (the `fetch` of an attempt, a
//! WebCrypto operation, a back-off, a shared certificate download) is
//! awaited there (a `then` on it), its outcome handed back by [`resume`].
//!
//! Under `wasm-bindgen-futures` the same future cost, per wait, a
//! `Promise.then` with two Rust closures (JS functions, each registered for
//! finalization) and, per request, a task, a queued microtask for each wake
//! and a promise for the result: 11 of the 49.8 JS/wasm crossings of a seed
//! GET (bench/profile/counts.mjs). CONTRIBUTING ("The request driven from
//! JS") has what it changed in time.
//!
//! [`wait`] is what every such wait goes through: while a future is being
//! driven it leaves its promise here for the driver and parks; otherwise it
//! is a `JsFuture`. A future pending on anything else (a waker of ours)
//! continues on `future_to_promise`. Waits inside one driven future are
//! sequential (no `join`): one parked promise at a time.

use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::{Code, Error};

type Task = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// What [`parked`] says of a promise that is the result's own: nothing to resume.
pub const HANDED_OFF: u32 = u32::MAX;

thread_local! {
    /// Whether the future being polled is driven from JS.
    static DRIVING: Cell<bool> = const { Cell::new(false) };
    /// The promise a driven future waits for, left by [`wait`].
    static WAITING: RefCell<Option<Promise>> = const { RefCell::new(None) };
    /// Its outcome, handed back by [`resume`] for [`wait`] to take.
    static OUTCOME: RefCell<Option<Result<JsValue, JsValue>>> = const { RefCell::new(None) };
    /// Parked futures, by slot; `free` lists the empty slots. A future that
    /// is resumed leaves its slot; if it waits again, it takes a free one.
    static PARKED: RefCell<Slots> = const { RefCell::new(Slots { tasks: Vec::new(), free: Vec::new() }) };
    /// The slot of the future the last step parked, or [`HANDED_OFF`].
    static LAST: Cell<u32> = const { Cell::new(HANDED_OFF) };
}

struct Slots {
    tasks: Vec<Option<Task>>,
    free: Vec<u32>,
}

/// Waits for `promise`: parked for the driver when the future is driven,
/// else through `JsFuture`.
pub fn wait(promise: Promise) -> Wait {
    if DRIVING.get() {
        Wait::Driven(Some(promise))
    } else {
        Wait::Js(JsFuture::from(promise))
    }
}

/// What [`wait`] gives: a `JsFuture`, or (driven) a promise left for the
/// driver at the first poll, then pending until [`resume`] hands its
/// outcome back.
pub enum Wait {
    Js(JsFuture),
    Driven(Option<Promise>),
}

impl Future for Wait {
    type Output = Result<JsValue, JsValue>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Wait::Js(f) => Pin::new(f).poll(cx),
            Wait::Driven(promise) => match promise.take() {
                Some(p) => {
                    WAITING.set(Some(p));
                    Poll::Pending
                }
                None => OUTCOME.take().map_or(Poll::Pending, Poll::Ready),
            },
        }
    }
}

/// Runs `future` until it ends or waits. Its result when it ended; else a
/// promise: the one it waits for (the driver awaits it and calls [`resume`]
/// with the slot [`parked`] gives), or, [`parked`] being [`HANDED_OFF`], the
/// promise of its result.
pub fn start<F>(future: F) -> Result<JsValue, JsValue>
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    step(Box::pin(future))
}

#[inline(never)]
fn step(mut task: Task) -> Result<JsValue, JsValue> {
    let outer = DRIVING.replace(true);
    let poll = task.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    DRIVING.set(outer);
    let waiting = WAITING.take();
    // An outcome nobody took (cannot happen: each resume is one wait's) must not reach the next.
    OUTCOME.take();
    match poll {
        Poll::Ready(result) => result,
        Poll::Pending => match waiting {
            Some(promise) => {
                LAST.set(park(task));
                Ok(promise.into())
            }
            None => {
                // Waiting on a waker of ours: the executor polls it again before anything can
                // settle unobserved, which hands the pending operation its real waker.
                LAST.set(HANDED_OFF);
                Ok(wasm_bindgen_futures::future_to_promise(task).into())
            }
        },
    }
}

fn park(task: Task) -> u32 {
    PARKED.with_borrow_mut(|s| match s.free.pop() {
        Some(i) => {
            s.tasks[i as usize] = Some(task);
            i
        }
        None => {
            s.tasks.push(Some(task));
            (s.tasks.len() - 1) as u32
        }
    })
}

/// `parked()`: the slot of the future the last step left waiting, or
/// `HANDED_OFF` (`0xffffffff`) when its promise is the result's own.
#[wasm_bindgen]
pub fn parked() -> u32 {
    LAST.get()
}

/// `resume(slot, value, ok)`: hands the parked future in `slot` the outcome
/// of what it waited for (`ok`: fulfilled with `value`, else rejected with
/// it) and runs it on, as [`start`].
#[wasm_bindgen]
pub fn resume(slot: u32, value: JsValue, ok: bool) -> Result<JsValue, JsValue> {
    let task = unpark(slot).ok_or_else(|| Error::new(Code::Internal, "resume: no call waits in this slot"))?;
    OUTCOME.set(Some(if ok { Ok(value) } else { Err(value) }));
    step(task)
}

/// `discard(slot)`: drops the call parked in `slot`, whose promise was collected unsettled (the
/// caller's `fetch` that never answers, workerd's I/O of a request that has ended): it can never
/// resume, and would hold its client and buffers for good. Called by wxpay.js's finalizer, which
/// is unregistered once the promise settles (a settled promise's slot may hold another call by
/// then). Nothing when the slot is empty.
#[wasm_bindgen]
pub fn discard(slot: u32) {
    // Dropped outside the borrow: its drops (a deadline's timer and listeners) call into JS.
    drop(unpark(slot));
}

/// Takes the future parked in `slot` out of it, which leaves the slot free; none if it is empty.
fn unpark(slot: u32) -> Option<Task> {
    PARKED.with_borrow_mut(|s| {
        let task = s.tasks.get_mut(slot as usize).and_then(Option::take);
        if task.is_some() {
            s.free.push(slot);
        }
        task
    })
}

/// Parked futures right now (the test build's `parkedCount`: none is left behind).
#[cfg(feature = "test-traps")]
pub fn parked_count() -> u32 {
    PARKED.with_borrow(|s| (s.tasks.len() - s.free.len()) as u32)
}

/// A promise for `future`, which the executor polls from a microtask: never
/// now, so never as part of a driven poll (the certificate download that
/// several calls share: its waits are `JsFuture`s).
pub fn spawn<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    let task: Task = Box::pin(future);
    wasm_bindgen_futures::future_to_promise(task)
}
