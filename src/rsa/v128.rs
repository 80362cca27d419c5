//! The handful of 128-bit vector operations the two-lane arithmetic uses.
//!
//! Layout: four `u32` lanes `[x0, x1, x2, x3]`, which as two `u64` lanes are
//! `[x0 + 2^32 x1, x2 + 2^32 x3]` (little-endian). On wasm these are single
//! SIMD instructions; elsewhere a plain emulation with the same meaning, so
//! the algorithm built on them is tested natively too.
//!
//! The instruction that matters is `i64x2.extmul_low_i32x4_u` (and `_high_`):
//! two 32x32->64 products per instruction, native on every engine.
//! `i64x2.mul` would be emulated with three multiplies per lane by V8;
//! `scripts/check-simd.sh` fails the build if the former disappears.

#[cfg(target_arch = "wasm32")]
#[allow(clippy::should_implement_trait)] // `add` is a lane-wise sum, by value, kept short
mod imp {
    use core::arch::wasm32::*;

    /// One vector.
    #[derive(Clone, Copy)]
    pub struct V(v128);

    impl V {
        /// All zero.
        #[inline(always)]
        pub fn zero() -> V {
            V(u64x2_splat(0))
        }
        /// Two `u64` lanes.
        #[inline(always)]
        pub fn u64s(a: u64, b: u64) -> V {
            V(u64x2(a, b))
        }
        /// `s[i..i + 4]`.
        #[inline(always)]
        pub fn load(s: &[u32], i: usize) -> V {
            debug_assert!(i + 4 <= s.len());
            // SAFETY: callers index within storage padded for whole vectors
            // (pair.rs `width`); the same index arithmetic runs bounds-checked
            // in the native emulation below, under the tests. Wasm loads need
            // no alignment. Unchecked because a bounds check per load doubled
            // the cost of the inner loop.
            V(unsafe { v128_load(s.as_ptr().add(i) as *const v128) })
        }
        /// `s[i..i + 2]` as `u64` lanes.
        #[inline(always)]
        pub fn load_u64(s: &[u64], i: usize) -> V {
            debug_assert!(i + 2 <= s.len());
            // SAFETY: as for `load`.
            V(unsafe { v128_load(s.as_ptr().add(i) as *const v128) })
        }
        /// Stores the `u64` lanes to `s[i..i + 2]`.
        #[inline(always)]
        pub fn store_u64(self, s: &mut [u64], i: usize) {
            debug_assert!(i + 2 <= s.len());
            // SAFETY: as for `load`.
            unsafe { v128_store(s.as_mut_ptr().add(i) as *mut v128, self.0) }
        }
        /// `s[i..i + 2]`, the upper half zero.
        #[inline(always)]
        pub fn load2(s: &[u32], i: usize) -> V {
            let s = &s[i..i + 2];
            // SAFETY: exactly 8 readable bytes.
            V(unsafe { v128_load64_zero(s.as_ptr() as *const u64) })
        }
        /// Stores lanes 0 and 1 (as `u32`) to `s[i..i + 2]`.
        #[inline(always)]
        pub fn store2(self, s: &mut [u32], i: usize) {
            debug_assert!(i + 2 <= s.len());
            // SAFETY: as for `load`.
            unsafe { v128_store64_lane::<0>(self.0, s.as_mut_ptr().add(i) as *mut u64) }
        }
        /// Stores all four lanes to `s[i..i + 4]`.
        #[inline(always)]
        pub fn store4(self, s: &mut [u32], i: usize) {
            debug_assert!(i + 4 <= s.len());
            // SAFETY: as for `load`.
            unsafe { v128_store(s.as_mut_ptr().add(i) as *mut v128, self.0) }
        }
        /// `[x0 y0, x1 y1]` as `u64` lanes: `i64x2.extmul_low_i32x4_u`.
        #[inline(always)]
        pub fn mul_lo(self, y: V) -> V {
            V(u64x2_extmul_low_u32x4(self.0, y.0))
        }
        /// `[x2 y2, x3 y3]` as `u64` lanes: `i64x2.extmul_high_i32x4_u`.
        #[inline(always)]
        pub fn mul_hi(self, y: V) -> V {
            V(u64x2_extmul_high_u32x4(self.0, y.0))
        }
        /// Lane-wise `u32` product, low 32 bits.
        #[inline(always)]
        pub fn mul32(self, y: V) -> V {
            V(i32x4_mul(self.0, y.0))
        }
        /// `u64` lane-wise sum.
        #[inline(always)]
        pub fn add(self, y: V) -> V {
            V(i64x2_add(self.0, y.0))
        }
        /// `u32` lane-wise sum.
        #[inline(always)]
        pub fn add32(self, y: V) -> V {
            V(i32x4_add(self.0, y.0))
        }
        /// Bitwise and.
        #[inline(always)]
        pub fn and(self, y: V) -> V {
            V(v128_and(self.0, y.0))
        }
        /// Bitwise or.
        #[inline(always)]
        pub fn or(self, y: V) -> V {
            V(v128_or(self.0, y.0))
        }
        /// `u64` lanes shifted right by 28.
        #[inline(always)]
        pub fn shr28(self) -> V {
            V(u64x2_shr(self.0, 28))
        }
        /// `u64` lanes shifted right by 63.
        #[inline(always)]
        pub fn shr63(self) -> V {
            V(u64x2_shr(self.0, 63))
        }
        /// The low `u32` of each `u64` lane, packed: `[x0, x2, x0, x2]`.
        #[inline(always)]
        pub fn pack(self) -> V {
            V(u32x4_shuffle::<0, 2, 0, 2>(self.0, self.0))
        }
        /// The `u64` lanes.
        #[inline(always)]
        pub fn lanes(self) -> [u64; 2] {
            [u64x2_extract_lane::<0>(self.0), u64x2_extract_lane::<1>(self.0)]
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[allow(missing_docs)] // the same operations as above, documented there
#[allow(clippy::should_implement_trait)]
mod imp {
    /// One vector, emulated.
    #[derive(Clone, Copy)]
    pub struct V([u32; 4]);

    fn from64(a: u64, b: u64) -> V {
        V([a as u32, (a >> 32) as u32, b as u32, (b >> 32) as u32])
    }

    impl V {
        pub fn zero() -> V {
            V([0; 4])
        }
        pub fn u64s(a: u64, b: u64) -> V {
            from64(a, b)
        }
        pub fn load(s: &[u32], i: usize) -> V {
            V([s[i], s[i + 1], s[i + 2], s[i + 3]])
        }
        pub fn load2(s: &[u32], i: usize) -> V {
            V([s[i], s[i + 1], 0, 0])
        }
        pub fn load_u64(s: &[u64], i: usize) -> V {
            from64(s[i], s[i + 1])
        }
        pub fn store_u64(self, s: &mut [u64], i: usize) {
            [s[i], s[i + 1]] = self.lanes();
        }
        pub fn store2(self, s: &mut [u32], i: usize) {
            s[i] = self.0[0];
            s[i + 1] = self.0[1];
        }
        pub fn store4(self, s: &mut [u32], i: usize) {
            s[i..i + 4].copy_from_slice(&self.0);
        }
        pub fn mul_lo(self, y: V) -> V {
            from64(u64::from(self.0[0]) * u64::from(y.0[0]), u64::from(self.0[1]) * u64::from(y.0[1]))
        }
        pub fn mul_hi(self, y: V) -> V {
            from64(u64::from(self.0[2]) * u64::from(y.0[2]), u64::from(self.0[3]) * u64::from(y.0[3]))
        }
        pub fn mul32(self, y: V) -> V {
            V(core::array::from_fn(|i| self.0[i].wrapping_mul(y.0[i])))
        }
        pub fn add(self, y: V) -> V {
            let [a, b] = self.lanes();
            let [c, d] = y.lanes();
            from64(a.wrapping_add(c), b.wrapping_add(d))
        }
        pub fn add32(self, y: V) -> V {
            V(core::array::from_fn(|i| self.0[i].wrapping_add(y.0[i])))
        }
        pub fn and(self, y: V) -> V {
            V(core::array::from_fn(|i| self.0[i] & y.0[i]))
        }
        pub fn or(self, y: V) -> V {
            V(core::array::from_fn(|i| self.0[i] | y.0[i]))
        }
        pub fn shr28(self) -> V {
            let [a, b] = self.lanes();
            from64(a >> 28, b >> 28)
        }
        pub fn shr63(self) -> V {
            let [a, b] = self.lanes();
            from64(a >> 63, b >> 63)
        }
        pub fn pack(self) -> V {
            V([self.0[0], self.0[2], self.0[0], self.0[2]])
        }
        pub fn lanes(self) -> [u64; 2] {
            [u64::from(self.0[0]) | u64::from(self.0[1]) << 32, u64::from(self.0[2]) | u64::from(self.0[3]) << 32]
        }
    }
}

pub use imp::V;
