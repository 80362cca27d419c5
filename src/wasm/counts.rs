//! A counting allocator, only with the `alloc-counts` feature (never in the
//! shipped package): the allocations a request makes, for
//! bench/profile/counts.mjs (issue 16).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

use wasm_bindgen::prelude::*;

/// talc, counting every call. The `.wasm` has one thread.
pub struct Counting(pub super::grow::Allocator);

struct Counts {
    allocs: Cell<f64>,
    reallocs: Cell<f64>,
    frees: Cell<f64>,
    bytes: Cell<f64>,
}

// SAFETY: wasm32 without atomics has one thread.
unsafe impl Sync for Counts {}

static COUNTS: Counts = Counts { allocs: Cell::new(0.0), reallocs: Cell::new(0.0), frees: Cell::new(0.0), bytes: Cell::new(0.0) };

fn bump(c: &Cell<f64>, by: f64) {
    c.set(c.get() + by);
}

// SAFETY: every call is talc's, unchanged; the counters only add.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(&COUNTS.allocs, 1.0);
        bump(&COUNTS.bytes, layout.size() as f64);
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        bump(&COUNTS.frees, 1.0);
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(&COUNTS.reallocs, 1.0);
        bump(&COUNTS.bytes, new_size.saturating_sub(layout.size()) as f64);
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

/// `[allocations, reallocations, frees, bytes requested]` since the instance started.
#[wasm_bindgen(js_name = allocStats)]
pub fn alloc_stats() -> Vec<f64> {
    vec![COUNTS.allocs.get(), COUNTS.reallocs.get(), COUNTS.frees.get(), COUNTS.bytes.get()]
}
