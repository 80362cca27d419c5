#!/usr/bin/env bash
# `make test-types`: the package's declarations as users get them, from the
# packed tarball installed in node_modules/wxpay-wasm (make pack).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=node_modules/.bin
start=$SECONDS

# The generator and the description format; the error codes against src/error.rs.
node --test tests/types/

# tsc over tests/types: module nodenext (ESM .ts -> index.d.ts, CJS .cts -> index.d.cts) ...
"$bin/tsc" -p tests/types/tsconfig.json --noEmit --strict
# ... and moduleResolution bundler with the newest lib and exactOptionalPropertyTypes.
"$bin/tsc" -p tests/types/tsconfig.bundler.json --noEmit --strict
# Each @ts-expect-error fails with the code it names, and both declaration files were read.
node tests/types/expect-errors.mjs tests/types/tsconfig.json

# The tarball's types resolve right for node10, node16 (CJS and ESM) and bundlers.
tarball=.work/wxpay-wasm-$(node -p "require('./pkg/package.json').version").tgz
"$bin/attw" --format ascii "$tarball"
"$bin/publint" --strict pkg

echo "test-types: ok in $((SECONDS - start)) s"
