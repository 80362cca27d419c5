#!/usr/bin/env bash
# Installs Bun and Deno from npm (pinned in package-lock.json, once) and runs the runtime suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/npm-ci-once.sh tests/runtimes
node --test --test-concurrency=1 tests/runtimes/
