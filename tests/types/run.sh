#!/usr/bin/env bash
# `make test-types`: the package's declarations as users get them, from the
# packed tarball installed in node_modules/wxpay-wasm (make pack), under the
# locked TypeScript (5.9), the oldest with module nodenext (4.7) and TypeScript 7.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=node_modules/.bin
start=$SECONDS

# TypeScript 4.7 and 7, installed apart (tests/types/compilers, pinned in its package-lock.json).
compilers=tests/types/compilers
bash scripts/npm-ci-once.sh "$compilers"
tsc47=$compilers/node_modules/typescript-4.7/bin/tsc
tsc7=$compilers/node_modules/typescript-7/bin/tsc

# The generator and the description format; the error codes against src/error.rs; the README's
# blocks (under 5.9 and 7).
node --test tests/types/

# tsc over tests/types: module nodenext (ESM .ts -> index.d.ts, CJS .cts -> index.d.cts) ...
node node_modules/typescript/bin/tsc -p tests/types/tsconfig.json --noEmit --strict
# ... and moduleResolution bundler with the newest lib and exactOptionalPropertyTypes.
node node_modules/typescript/bin/tsc -p tests/types/tsconfig.bundler.json --noEmit --strict
# ... and under noUncheckedIndexedAccess and noPropertyAccessFromIndexSignature (tests/types/indexed).
node node_modules/typescript/bin/tsc -p tests/types/indexed/tsconfig.json --noEmit --strict
# Each @ts-expect-error fails with the code it names, and both declaration files were read: under
# 5.9 (its API), then TypeScript 7 (both configurations) and 4.7 (module nodenext: it has no
# moduleResolution bundler, nor the lib with Symbol.dispose that tsconfig.bundler.json asks for).
node tests/types/expect-errors.mjs tests/types/tsconfig.json
node tests/types/expect-errors.mjs tests/types/tsconfig.bundler.json
node tests/types/expect-errors.mjs tests/types/tsconfig.json --tsc "$tsc7"
node tests/types/expect-errors.mjs tests/types/tsconfig.bundler.json --tsc "$tsc7"
node tests/types/expect-errors.mjs tests/types/tsconfig.json --tsc "$tsc47"

# The tarball's types resolve right for node10, node16 (CJS and ESM) and bundlers.
tarball=.work/wxpay-wasm-$(node -p "require('./pkg/package.json').version").tgz
"$bin/attw" --format ascii "$tarball"
"$bin/publint" --strict pkg

echo "test-types: ok in $((SECONDS - start)) s"
