#!/usr/bin/env bash
# Installs Node's web frameworks from npm (pinned in package-lock.json, once) and runs the
# notification handlers README's "In Node's frameworks" gives, against the packed package.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
cd ../..
node --test --test-concurrency=1 tests/frameworks/
