//! Where the allocator's memory comes from: talc's `WasmGrowAndExtend`, but
//! growing the wasm memory in steps of an eighth of its size (1 MiB at
//! least), not by the pages one allocation needs. Each `memory.grow` makes
//! the engine replace the memory's `ArrayBuffer`; grown 64 KiB at a time, a
//! process holding thousands of clients grew hundreds of times, and past
//! about 64 MiB V8 ran a full collection for nearly every grow (a second and
//! more a thousand clients). Unused, it holds at most an eighth of the memory
//! (or 1 MiB, while the memory is under 8 MiB).

use core::alloc::Layout;
use core::arch::wasm32::{memory_grow, memory_size};
use core::ptr::NonNull;

use talc::base::binning::Binning;
use talc::base::{Talc, CHUNK_UNIT};
use talc::cell::TalcSyncCell;
use talc::wasm::WasmBinning;

/// The allocator of the `.wasm` (lib.rs).
pub type Allocator = TalcSyncCell<GrowInSteps, WasmBinning>;

/// The allocator, its memory not yet grown.
pub const fn allocator() -> Allocator {
    TalcSyncCell::new_wasm(GrowInSteps { end: None })
}

const PAGE: usize = 64 << 10;
/// The least a grow adds: 1 MiB.
const MIN_STEP_PAGES: usize = 16;

/// The pages to grow by for `layout`: what it needs (more than talc's chunk
/// and claim overhead: the size, the alignment and four chunk units), an
/// eighth of the memory, or 1 MiB, whichever is most.
fn step(layout: Layout, pages_now: usize) -> (usize, usize) {
    let needed = layout.size().saturating_add(layout.align()).saturating_add(4 * CHUNK_UNIT).div_ceil(PAGE);
    (needed, needed.max(pages_now / 8).max(MIN_STEP_PAGES))
}

/// talc's source of memory: `memory.grow` in steps; `end` is the heap's end
/// once there is one, to extend it when the memory grows right after it.
#[derive(Debug)]
pub struct GrowInSteps {
    end: Option<NonNull<u8>>,
}

// SAFETY: as talc's WasmGrowAndExtend, whose body this is but for the size
// of the grow: it claims or extends by exactly the memory `memory.grow`
// added, invokes no allocator, and returns Ok only when memory was added.
unsafe impl talc::source::Source for GrowInSteps {
    fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
        let (needed, wanted) = step(layout, memory_size::<0>());
        // Near the 4 GiB limit a whole step may not fit where what is needed does.
        let (prev, pages) = match memory_grow::<0>(wanted) {
            usize::MAX => (memory_grow::<0>(needed), needed),
            prev => (prev, wanted),
        };
        if prev == usize::MAX {
            return Err(());
        }
        let base = (prev * PAGE) as *mut u8;
        // The memory's end, 4 GiB at most (the last byte's address, saturated, as talc's own source).
        let end = (base as usize).saturating_add(pages * PAGE) as *mut u8;
        if let Some(old_end) = talc.source.end.take() {
            if old_end.as_ptr() == base {
                // SAFETY: the memory from old_end to end was just added, and is the heap's.
                talc.source.end = Some(unsafe { talc.extend(old_end, end) });
                return Ok(());
            }
        }
        // SAFETY: the memory from base to end was just added, and nothing else uses it.
        talc.source.end = unsafe { talc.claim(base, pages * PAGE) };
        Ok(())
    }
}
