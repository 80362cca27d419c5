#!/usr/bin/env bash
# Builds pkg/: the npm package, from pkg-template/ plus the wasm build.
# One .wasm serves every runtime; the JS glue is wasm-bindgen's `web` output,
# wrapped by pkg-template/wxpay.js, plus a CommonJS bundle of both for `require`.
set -euo pipefail
cd "$(dirname "$0")/.."

crate_version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
pkg_version=$(node -p "require('./pkg-template/package.json').version")
if [[ "$crate_version" != "$pkg_version" ]]; then
  echo "version mismatch: Cargo.toml $crate_version, pkg-template/package.json $pkg_version" >&2
  exit 1
fi

cargo build --release --target wasm32-unknown-unknown --lib
rm -rf target/bindgen
# --experimental-reset-state-function: the glue can replace a trapped instance
# (scripts/patch-glue.mjs, pkg-template/wxpay.js; README.md, Reliability).
wasm-bindgen --target web --experimental-reset-state-function --out-dir target/bindgen target/wasm32-unknown-unknown/release/wxpay_wasm.wasm
node scripts/patch-glue.mjs target/bindgen/wxpay_wasm.js

rm -rf pkg
mkdir -p pkg
cp pkg-template/* pkg/
cp target/bindgen/wxpay_wasm.js target/bindgen/wxpay_wasm.d.ts pkg/
# Declarations: the hand-written core plus the endpoint types generated from
# api/ (see CONTRIBUTING.md). One self-contained file, for import and require.
node scripts/gen-types.mjs --out pkg/index.d.ts
cp pkg/index.d.ts pkg/index.d.cts
if [[ "${WASM_OPT:-1}" == 1 ]]; then
  node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers target/bindgen/wxpay_wasm_bg.wasm -o pkg/wxpay_wasm_bg.wasm
else
  cp target/bindgen/wxpay_wasm_bg.wasm pkg/
fi
# `require` gets the same glue, Wxpay class and error class as CommonJS, in one file.
node scripts/build-cjs.mjs pkg
echo "pkg/ built: $(wc -c < pkg/wxpay_wasm_bg.wasm) bytes of wasm"
