#!/usr/bin/env bash
# Builds pkg/: the npm package, from pkg-template/ plus wasm-pack's build.
# One .wasm serves every runtime; the JS glue is wasm-bindgen's `web` output,
# plus a CommonJS copy of it for `require`, wrapped by pkg-template/wxpay.js.
# What wasm-pack does not do stays here: the version check, the glue patch,
# pkg-template/, the types, the CommonJS bundle.
set -euo pipefail
cd "$(dirname "$0")/.."

crate_version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
pkg_version=$(node -p "require('./pkg-template/package.json').version")
if [[ "$crate_version" != "$pkg_version" ]]; then
  echo "version mismatch: Cargo.toml $crate_version, pkg-template/package.json $pkg_version" >&2
  exit 1
fi

# wasm-pack builds the .wasm and its glue: `cargo build --release` for
# wasm32, the wasm-bindgen CLI (`web` output), then wasm-opt with the flags of
# [package.metadata.wasm-pack.profile.release] in Cargo.toml. `--mode
# no-install` makes it use the tools on PATH and never download any: the
# pinned wasm-bindgen from scripts/setup.sh, and npm's binaryen wasm-opt, put
# first on PATH here. WASM_OPT=0 skips wasm-opt (for debugging).
out=target/wasm-pack
opt=()
[[ "${WASM_OPT:-1}" == 1 ]] || opt=(--no-opt)
# Panic locations in dependencies name their sources under this machine's cargo home: each
# registry index's folder is remapped to `crates`, so the .wasm carries no local path (cargo
# merges these flags with .cargo/config.toml's; it splits them at spaces, so a folder whose
# path has one is left as it is).
remap=()
for index in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [[ -d "$index" && "$index" != *[[:space:]]* ]] && remap+=("--remap-path-prefix=${index%/}=crates")
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} ${remap[*]}"
# scripts/wasm-bindgen-shim adds --experimental-reset-state-function, which
# wasm-pack cannot pass: the glue can replace a trapped instance (README.md,
# Reliability); scripts/patch-glue.mjs makes it do so.
PATH="$PWD/scripts/wasm-bindgen-shim:$PWD/node_modules/.bin:$PATH" \
  wasm-pack --quiet build --release --target web --no-pack --mode no-install --out-dir "$out" "${opt[@]}"
node scripts/patch-glue.mjs "$out/wxpay_wasm.js"

rm -rf pkg
mkdir -p pkg
cp pkg-template/* pkg/
# What users read in node_modules and on the package page.
cp LICENSE pkg/
# Their links to the repository's other files made absolute (the package does not carry those).
for md in README.md README.zh-CN.md SECURITY.md; do node scripts/pkg-readme.mjs "$md" "pkg/$md"; done
cp "$out"/wxpay_wasm.js "$out"/wxpay_wasm_bg.wasm pkg/
# The license texts of the crates the .wasm is built from (MIT and BSD ask for them in copies).
node scripts/notices.mjs pkg/THIRD_PARTY_NOTICES
# Declarations: the hand-written core plus the endpoint types generated from
# api/ (see CONTRIBUTING.md), in one file: index.d.cts, which `require`
# resolves. index.d.ts, which `import` resolves, re-exports it (an ES module
# may take types from a CommonJS one, not the other way round before
# TypeScript 5.3), so the 2.3 MB ship once.
node scripts/gen-types.mjs --out pkg/index.d.cts
cat > pkg/index.d.ts <<'DTS'
// The package's declarations are in index.d.cts, one copy for `import` and `require`.
export * from './index.cjs';
DTS
# `require` gets the same glue, Wxpay class and error class as CommonJS, in one file.
node scripts/build-cjs.mjs pkg
echo "pkg/ built: $(wc -c < pkg/wxpay_wasm_bg.wasm) bytes of wasm"
