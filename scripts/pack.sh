#!/usr/bin/env bash
# Packs pkg/ with `npm pack` and installs the tarball into ./node_modules, as
# a user would: the tests and examples import 'wxpay-wasm' from there.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .work
rm -f .work/wxpay-wasm-*.tgz
tarball=$(cd pkg && npm pack --silent --pack-destination ../.work | tail -1)
rm -rf node_modules/wxpay-wasm
npm install --no-save --no-audit --no-fund --ignore-scripts ".work/$tarball" >/dev/null
cmp -s pkg/wxpay_wasm_bg.wasm node_modules/wxpay-wasm/wxpay_wasm_bg.wasm || { echo "installed package differs from pkg/" >&2; exit 1; }
echo "packed and installed .work/$tarball ($(wc -c < ".work/$tarball") bytes)"
