#!/usr/bin/env bash
# Builds .work/test-pkg: the package exactly as scripts/build-pkg.sh builds pkg/
# (wasm-pack, the same release profile, wasm-bindgen flags, glue patch and
# wasm-opt flags), from the crate with the `test-traps` feature
# (src/wasm/traps.rs), in its own target dir so the shipped build is never
# touched. Adds traps.mjs (from tests/recover/) and a CommonJS bundle that
# exports it as `traps`. Used by the recovery tests
# (tests/node/recover.test.*, tests/workerd/recover.test.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=.work/test-pkg
rm -rf "$out"
CARGO_TARGET_DIR=target/test-traps PATH="$PWD/scripts/wasm-bindgen-shim:$PWD/node_modules/.bin:$PATH" \
  wasm-pack --quiet build --release --target web --no-pack --mode no-install --out-dir "$out" -- --features test-traps
node scripts/patch-glue.mjs "$out/wxpay_wasm.js"
rm -f "$out/.gitignore"
cp pkg-template/*.js pkg-template/*.mjs pkg-template/*.cjs "$out/"
cp tests/recover/traps.mjs "$out/"
node scripts/build-cjs.mjs "$out" "export * as traps from './traps.mjs';"
echo "test package built in $out"
