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
# WXPAY_BENCH_NODE=24 (22, 24 or 26): the sections under that Node from npm (tests/nodes), written
# to RESULTS.md as sections of their own, named with the version; the machine's Node otherwise.
if [[ -n ${WXPAY_BENCH_NODE:-} ]]; then
  bash tests/nodes/install.sh
  bin="$PWD/tests/nodes/node_modules/node$WXPAY_BENCH_NODE/bin"
  [[ -x $bin/node ]] || { echo "bench: no Node $WXPAY_BENCH_NODE in tests/nodes (22, 24 or 26)" >&2; exit 1; }
  PATH="$bin:$PATH" node bench/main.mjs "$@"
else
  node bench/main.mjs "$@"
fi
