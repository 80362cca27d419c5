# The README's two commands are `make demo` and `make test`; each sets up what it needs.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup build pack demo test test-rust test-node test-types test-workerd test-browser bench bench-rsa clean

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build-pkg.sh

pack: build
	@bash scripts/pack.sh

demo: pack
	@bash scripts/demo.sh

test: pack test-rust test-node test-types test-workerd test-browser

# The second line: src/rsa against node:crypto on fresh keys (tests/rsa),
# optimised, or bignum code is too slow.
test-rust: setup
	cargo test --quiet
	cargo test --quiet --profile test-opt --test rsa -- --include-ignored

test-node: pack
	node --test --test-concurrency=1 tests/sandbox/ tests/node/

# The package's TypeScript declarations: tsc over tests/types, attw, publint.
test-types: pack
	@bash tests/types/run.sh

test-workerd: pack
	node --test --test-concurrency=1 tests/workerd/

test-browser: pack
	@bash scripts/setup-browser.sh
	node --test --test-concurrency=1 tests/browser/

bench: pack
	@bash bench/run.sh

# RSA sign/verify per operation: ours, the rsa crate 0.10 and node:crypto, in Node and workerd.
bench-rsa: setup
	@bash bench/rsa-pkg.sh
	@node bench/rsa.mjs

clean:
	rm -rf target pkg .work node_modules
