#!/usr/bin/env bash
# Builds .work/test-pkg: the package exactly as scripts/build-pkg.sh builds pkg/
# (same release profile, same wasm-bindgen flags and glue patch, same wasm-opt),
# from the crate with the `test-traps` feature (src/wasm/traps.rs), in its own
# target dir so the shipped build is never touched. Adds traps.mjs (from
# tests/recover/) and a CommonJS bundle that exports it as `traps`.
# Used by the recovery tests (tests/node/recover.test.*, tests/workerd/recover.test.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=.work/test-pkg
target=target/test-traps
CARGO_TARGET_DIR=$target cargo build --quiet --release --target wasm32-unknown-unknown --lib --features test-traps
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --experimental-reset-state-function --out-dir "$out" "$target/wasm32-unknown-unknown/release/wxpay_wasm.wasm"
node scripts/patch-glue.mjs "$out/wxpay_wasm.js"
cp pkg-template/*.js pkg-template/*.mjs pkg-template/*.cjs "$out/"
cp tests/recover/traps.mjs "$out/"
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers "$out/wxpay_wasm_bg.wasm" -o "$out/wxpay_wasm_bg.wasm"
node scripts/build-cjs.mjs "$out" "export * as traps from './traps.mjs';"
echo "test package built in $out"
