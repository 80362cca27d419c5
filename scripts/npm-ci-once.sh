#!/usr/bin/env bash
# `npm ci` in DIR (a test tool's own package-lock.json), only when DIR's node_modules is missing
# or older than that lock: each test target installs its tools once, apart from what make demo
# needs.
set -euo pipefail
cd "$1"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
