//! Exports that trap on demand, only with the `test-traps` feature (never in
//! the shipped package): the faults the package must recover from
//! (tests/node/recover.test.mjs, tests/workerd/recover.test.mjs), built into
//! .work/test-pkg by scripts/test-pkg.sh. Panicking is their purpose.
#![allow(clippy::panic)]

use std::hint::black_box;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A Rust panic: with `panic = "abort"`, an `unreachable` instruction.
#[wasm_bindgen(js_name = trapUnreachable)]
pub fn trap_unreachable() {
    panic!("trapUnreachable: a test-only trap");
}

/// An allocation the allocator cannot satisfy: 1 GiB blocks, never written
/// (so no page is touched), until `memory.grow` fails and the allocation
/// error handler aborts.
#[wasm_bindgen(js_name = trapOutOfMemory)]
pub fn trap_out_of_memory() {
    let mut held: Vec<Vec<u8>> = Vec::new();
    loop {
        held.push(Vec::with_capacity(1 << 30));
        black_box(&held);
    }
}

/// Deep recursion with a frame on the shadow stack until it overflows.
#[wasm_bindgen(js_name = trapStackOverflow)]
pub fn trap_stack_overflow() -> u32 {
    deep(u32::MAX)
}

#[inline(never)]
fn deep(n: u32) -> u32 {
    let frame = black_box([n; 64]);
    if n == 0 {
        return 0;
    }
    deep(black_box(n - 1)).wrapping_add(frame[(n % 64) as usize])
}

/// Awaits `promise`, then panics: a trap in a microtask, while nobody is
/// inside an export of the package.
#[wasm_bindgen(js_name = trapAfter)]
pub fn trap_after(promise: JsValue) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let _ = JsFuture::from(js_sys::Promise::resolve(&promise)).await;
        panic!("trapAfter: a test-only trap in a microtask");
    })
}

/// Bytes of the current instance's linear memory.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    buffer.byte_length() as f64
}

/// The current instance's linear memory itself: a test holds it weakly to see
/// that a replaced instance is collected (tests/node/recover-soak.test.mjs).
#[wasm_bindgen(js_name = memoryObject)]
pub fn memory_object() -> JsValue {
    wasm_bindgen::memory()
}

/// A value whose drop panics: released by its finalizer after garbage
/// collection, it traps outside any call of the package.
#[wasm_bindgen(js_name = TrapOnDrop)]
#[derive(Default)]
pub struct TrapOnDrop {
    _held: u8,
}

#[wasm_bindgen(js_class = TrapOnDrop)]
impl TrapOnDrop {
    /// A new one.
    #[wasm_bindgen(constructor)]
    pub fn new() -> TrapOnDrop {
        TrapOnDrop::default()
    }
}

impl Drop for TrapOnDrop {
    fn drop(&mut self) {
        panic!("TrapOnDrop: a test-only trap in a finalizer");
    }
}

/// Reserves 1 GiB buffers the way the package reserves answer bodies
/// (`crate::error::buffer`) until one fails, then frees them all: the number
/// reserved and the failure's code. Not a trap: the allocator answers a
/// failed `memory.grow` with null, which `try_reserve` reports.
#[wasm_bindgen(js_name = reserveUntilFull)]
pub fn reserve_until_full() -> js_sys::Array {
    let mut held: Vec<Vec<u8>> = Vec::new();
    let code = loop {
        match crate::error::buffer(1 << 30) {
            Ok(b) => held.push(b),
            Err(e) => break e.code.as_str(),
        }
        if held.len() > 8 {
            break "none";
        }
    };
    let out = js_sys::Array::of2(&JsValue::from(held.len() as u32), &JsValue::from_str(code));
    drop(black_box(held));
    out
}

/// A panic inside a Rust closure lent to `new Promise` as its executor (as
/// wasm-bindgen-futures does for every pending future): the trap becomes
/// that promise's rejection unless the glue notices it.
#[wasm_bindgen(js_name = trapInExecutor)]
pub fn trap_in_executor() -> js_sys::Promise {
    js_sys::Promise::new(&mut |_, _| panic!("trapInExecutor: a test-only trap"))
}

/// Calls parked in the driver (src/wasm/driver.rs), waiting for JS to resume them.
#[wasm_bindgen(js_name = parkedCount)]
pub fn parked_count() -> u32 {
    super::driver::parked_count()
}
