#!/usr/bin/env bash
# A copy of pkg/ at .work/count-pkg whose .wasm counts its allocations (the
# `alloc-counts` feature: src/wasm/counts.rs), in its own target dir, for
# bench/profile/counts.mjs. No wasm-opt: it changes no count.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
out=.work/count-pkg tmp=.work/count-glue
cargo build --quiet --release --target wasm32-unknown-unknown --features alloc-counts --target-dir target/alloc-counts
rm -rf "$out" "$tmp" && cp -r pkg "$out"
wasm-bindgen --experimental-reset-state-function --target web --out-dir "$tmp" target/alloc-counts/wasm32-unknown-unknown/release/wxpay_wasm.wasm
node scripts/patch-glue.mjs "$tmp/wxpay_wasm.js"
cp "$tmp/wxpay_wasm.js" "$tmp/wxpay_wasm_bg.wasm" "$out/"
echo "$out: counting build"
