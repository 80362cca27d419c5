#!/usr/bin/env bash
# Builds .work/bench-pkg: the crate with the `bench` feature (our RSA and the
# `rsa` crate side by side, src/wasm/bench.rs), optimised like pkg/ (the same
# release profile and inline threshold; wasm-opt -Os, without the shipped
# build's other flags), in its own target dir so the shipped build is never
# touched. Used by bench/rsa.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=.work/bench-pkg
CARGO_TARGET_DIR=target/bench cargo build --quiet --release --target wasm32-unknown-unknown --lib --features bench
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" target/bench/wasm32-unknown-unknown/release/wxpay_wasm.wasm
cp pkg-template/error.js pkg-template/boundary.js "$out/"  # the glue imports WxpayError and the caller-value readers from them
node_modules/.bin/wasm-opt -Os --strip-debug --strip-producers "$out/wxpay_wasm_bg.wasm" -o "$out/wxpay_wasm_bg.wasm"
echo "bench package built in $out"
