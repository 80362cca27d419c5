#!/usr/bin/env bash
# make bench: prints figures and writes bench/RESULTS.md. A benchmark, not a
# test: nothing here passes or fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
anchor=.work/bench-anchor
if [[ ! -f $anchor/node_modules/wechatpay-axios-plugin/package.json ]]; then
  mkdir -p "$anchor"
  echo '{ "private": true, "description": "the bench anchor, installed for the bench only" }' > "$anchor/package.json"
  (cd "$anchor" && npm install --no-audit --no-fund --no-save wechatpay-axios-plugin@0.9.6 >/dev/null)
fi
node bench/main.mjs "$@"
