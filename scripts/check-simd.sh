#!/usr/bin/env bash
# The pure-Rust signer's speed rests on one wasm SIMD instruction:
# i64x2.extmul_{low,high}_i32x4_u (two 32x32->64 products). LLVM rewrites it
# into i64x2.mul when it can prove half a vector is zero, and V8 emulates
# i64x2.mul with three multiplies per lane: the signer silently gets slower.
# This fails if the built module lost the former or gained the latter.
#   bash scripts/check-simd.sh [module.wasm]      (default: pkg/wxpay_wasm_bg.wasm)
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=${1:-pkg/wxpay_wasm_bg.wasm}
[[ -f "$wasm" ]] || { echo "check-simd: $wasm not found (run make pack)" >&2; exit 1; }
wat=$(node_modules/.bin/wasm-dis "$wasm")
extmul=$(grep -c 'i64x2\.extmul_\(low\|high\)_i32x4_u' <<<"$wat" || true)
mul=$(grep -c '(i64x2\.mul$\|(i64x2\.mul ' <<<"$wat" || true)
if (( extmul < 8 )); then
  echo "check-simd: FAIL: $wasm has $extmul i64x2.extmul_*_i32x4_u (expected at least 8): the SIMD RSA path is gone or was rewritten" >&2
  exit 1
fi
if (( mul > 0 )); then
  echo "check-simd: FAIL: $wasm has $mul i64x2.mul: LLVM narrowed an extmul (see src/rsa/pair.rs, mul_low_only)" >&2
  exit 1
fi
echo "check-simd: ok: $extmul i64x2.extmul_*_i32x4_u, no i64x2.mul in $wasm"
