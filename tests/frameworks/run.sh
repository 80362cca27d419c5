#!/usr/bin/env bash
# Installs Node's web frameworks from npm (pinned in package-lock.json, once) and runs the
# notification handlers README's "In Node's frameworks" gives, against the packed package.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/npm-ci-once.sh tests/frameworks
node --test --test-concurrency=1 tests/frameworks/
