#!/usr/bin/env bash
# Builds bench/profile/mini (the thinnest wasm client of the seed GET) into
# .work/mini-pkg, with the pinned wasm-bindgen, for bench/profile/layers.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --quiet --release --target wasm32-unknown-unknown --manifest-path bench/profile/mini/Cargo.toml --target-dir target/mini
rm -rf .work/mini-pkg
wasm-bindgen --target web --out-dir .work/mini-pkg target/mini/wasm32-unknown-unknown/release/wxpay_mini.wasm
echo ".work/mini-pkg: built"
