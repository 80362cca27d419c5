#!/usr/bin/env bash
# A copy of pkg/ at .work/profile-pkg whose .wasm keeps its name section, so that
# `node --cpu-prof` names wasm functions. Needs `make build` first (it reuses
# target/wasm32-unknown-unknown/release/wxpay_wasm.wasm and the pinned wasm-bindgen).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
out=.work/profile-pkg tmp=.work/profile-glue
rm -rf "$out" "$tmp" && cp -r pkg "$out"
wasm-bindgen --experimental-reset-state-function --target web --out-dir "$tmp" target/wasm32-unknown-unknown/release/wxpay_wasm.wasm
node scripts/patch-glue.mjs "$tmp/wxpay_wasm.js"
# The shipped build's wasm-opt flags (Cargo.toml), less the stripping, plus -g (keep the names).
flags=$(node -e '
  const line = require("fs").readFileSync("Cargo.toml", "utf8").match(/^wasm-opt = (\[.*\])$/m)[1];
  console.log(JSON.parse(line).filter((f) => !f.startsWith("--strip")).join(" "))')
# shellcheck disable=SC2086
wasm-opt -g $flags --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$tmp/wxpay_wasm_bg.wasm" -o "$out/wxpay_wasm_bg.wasm"
cp "$tmp/wxpay_wasm.js" "$out/"
echo "$out: named build"
