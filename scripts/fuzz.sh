#!/usr/bin/env bash
# `make fuzz`: runs every cargo-fuzz target of fuzz/ for a bounded time and
# prints executions and findings per target. Installs what it needs, once.
#
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_TARGETS  space-separated subset (default: all of `cargo fuzz list`)
#
# Corpus: fuzz/seeds/<target> (committed, read-only) plus fuzz/corpus/<target>
# (what a run finds, not committed). Crashes land in fuzz/artifacts/<target>.
# Built with debug assertions and overflow checks, like the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}

# libFuzzer's instrumentation and AddressSanitizer need nightly. Without a
# nightly toolchain (none can be fetched), stable with RUSTC_BOOTSTRAP=1 and
# no sanitizer still gives coverage-guided fuzzing with Rust's own checks.
TOOLCHAIN=(+nightly)
SANITIZER=()
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  if ! rustup toolchain install nightly --profile minimal >/dev/null 2>&1; then
    echo "fuzz: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1, no sanitizer" >&2
    export RUSTC_BOOTSTRAP=1
    TOOLCHAIN=()
    SANITIZER=(--sanitizer none)
  fi
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz (a few minutes, once)" >&2
  cargo install cargo-fuzz --locked
fi

cd fuzz
read -r -a targets <<< "${FUZZ_TARGETS:-$(cargo "${TOOLCHAIN[@]}" fuzz list | tr '\n' ' ')}"
status=0
summary=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log="target/fuzz-$t.log"
  if nice -n 10 cargo "${TOOLCHAIN[@]}" fuzz run --debug-assertions "${SANITIZER[@]}" "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -print_final_stats=1 > "$log" 2>&1; then
    found=none
  else
    found="CRASH: see fuzz/$log and fuzz/artifacts/$t"
    status=1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  summary+=("$(printf '%-12s %10s execs  cov %-5s %s' "$t" "$execs" "${cov:-?}" "$found")")
done
printf '%s\n' "fuzz: ${SECONDS_PER_TARGET}s per target" "${summary[@]}"
exit $status
