#!/usr/bin/env bash
# Installs Vite 5, 6, 7 and 8 from npm (pinned in package-lock.json, once) for tests/browser/vite.test.mjs.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
