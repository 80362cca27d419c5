#!/usr/bin/env bash
# Installs Vite 5, 6, 7 and 8 from npm (pinned in package-lock.json, once) for tests/browser/vite.test.mjs.
set -euo pipefail
cd "$(dirname "$0")"
bash ../../../scripts/npm-ci-once.sh .
