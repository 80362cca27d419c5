# The README's two commands are `make demo` and `make test`; each sets up what it needs.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup api docs build pack test-pkg demo test test-rust test-node test-hostile test-types test-workerd test-browser test-runtimes test-frameworks test-nodes bench bench-rsa bench-recover fuzz clean

setup:
	@bash scripts/setup.sh

# api/** and docs/endpoints.md from the WeChat Pay description in ../shared/openapi
# (scripts/gen-api.mjs; api-hand/ overrides); tests/types checks they are current.
api: setup
	node scripts/gen-api.mjs

build: setup
	@bash scripts/build-pkg.sh

pack: build
	@bash scripts/pack.sh

# .work/test-pkg: the package plus exports that trap on demand, for the recovery
# tests (tests/node/recover*, tests/workerd/recover.test.mjs); never shipped.
test-pkg: setup
	@bash scripts/test-pkg.sh

demo: pack
	@bash scripts/demo.sh

test: pack test-rust test-node test-hostile test-types test-workerd test-browser test-runtimes test-frameworks test-nodes

# The second line: src/rsa against node:crypto on fresh keys (tests/rsa) and
# the RSA-signing property tests (tests/properties),
# optimised, or bignum code is too slow.
test-rust: setup
	cargo test --quiet
	cargo test --quiet --profile test-opt --test rsa --test properties -- --include-ignored

test-node: pack test-pkg
	node --test --test-concurrency=1 tests/sandbox/ tests/node/

# Hostile callers, fetches and servers, each case followed by a health check (tests/hostile).
test-hostile: pack
	node --test --test-concurrency=1 tests/hostile/

# The package's TypeScript declarations: tsc over tests/types, attw, publint.
test-types: pack
	@bash tests/types/run.sh

# A test (or suite) still running after 5 minutes fails, named, instead of holding CI to its limit.
test-workerd: pack test-pkg
	node --test --test-concurrency=1 --test-timeout=300000 tests/workerd/

# Debian's Chromium; Vite 5 to 8 (from npm, pinned in tests/browser/vite/package-lock.json) build and
# serve a page that imports the package (tests/browser/vite.test.mjs).
test-browser: pack test-pkg
	@bash scripts/setup-browser.sh
	@bash tests/browser/vite/install.sh
	node --test --test-concurrency=1 tests/browser/

# Bun and Deno (from npm, pinned in tests/runtimes/package-lock.json) run tests/runtimes/suite.mjs.
test-runtimes: pack
	@bash tests/runtimes/run.sh

# Notifications in Express 4 and 5, Koa 2 and 3, Fastify 4 and 5, Hono, NestJS and Egg.js (from npm, pinned in
# tests/frameworks/package-lock.json), as README's "In Node's frameworks" gives them.
test-frameworks: pack
	@bash tests/frameworks/run.sh

# Node 22, 24 and 26 (from npm, pinned in tests/nodes/package-lock.json) run the suites test-node
# and test-hostile run under the machine's Node; Node 16 and 18 must refuse the package at import.
test-nodes: pack test-pkg
	@bash tests/nodes/run.sh

# docs/api.md from the hand-written declarations (checked current by make test-types).
docs:
	node scripts/gen-api-docs.mjs

bench: pack
	@bash bench/run.sh

# RSA sign/verify per operation: ours, the rsa crate 0.10 and node:crypto, in Node and workerd.
bench-rsa: setup
	@bash bench/rsa-pkg.sh
	@node bench/rsa.mjs

# cargo-fuzz targets of the pure core (fuzz/), FUZZ_SECONDS each (default 60).
# Nightly; not part of `make test`.
fuzz:
	@bash scripts/fuzz.sh

# What a recovery after a trap costs: time and memory (the test build, bench/recover.mjs).
bench-recover: test-pkg
	@node bench/recover.mjs

clean:
	rm -rf target pkg .work node_modules
