#!/usr/bin/env bash
# Installs what building and testing need, idempotently: each step is skipped
# when already satisfied, so `make` targets can call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
# wasm-pack drives the build (scripts/build-pkg.sh); pinned, like wasm-bindgen.
WASM_PACK_VERSION=0.15.1
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# npm ci (network and disk) runs while cargo compiles the tools below: when node_modules is
# missing or older than the lockfile.
npm_pid=
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund &
  npm_pid=$!
fi

# --force: each check below has already decided the tool is missing; cargo may remember an
# install whose binary is gone, and would skip it.
# Both tools are built unoptimised (opt-level 0): on this project's 2-core machine that takes
# about 45 s and 50 s instead of 2.5 and 2.3 minutes, the most of a first `make demo`, and neither
# does work that needs the speed (wasm-bindgen writes the same glue and .wasm, 0.3 s a build
# instead of 0.1; wasm-pack only runs the other tools). wasm-bindgen-cli's default feature is
# TLS for wasm-bindgen-test-runner's WebDriver downloads, which nothing here runs.
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  echo "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about a minute, once)" >&2
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
    cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --no-default-features
fi

if [[ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]]; then
  echo "installing wasm-pack $WASM_PACK_VERSION (about a minute, once)" >&2
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
    cargo install --force wasm-pack --locked --version "$WASM_PACK_VERSION"
fi

if [[ -n "$npm_pid" ]]; then
  wait "$npm_pid"
fi
