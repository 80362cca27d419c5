// What the recovery tests expect, shared by tests/node/recover*.test.* and tests/workerd/recover.test.mjs.

/** The test-only traps (src/wasm/traps.rs) and the message of the `WebAssembly.RuntimeError`
 * each raises in V8 (Node and workerd): a panic and a failed allocation both abort through
 * `unreachable`; the recursion runs the shadow stack below address 0. */
export const TRAPS = {
  unreachable: 'unreachable',
  'out of memory': 'unreachable',
  'stack overflow': 'memory access out of bounds',
};

/** Records what reaches the process unhandled; `take()` returns it and starts again. */
export function processFaults() {
  let seen = [];
  process.on('uncaughtException', (e) => seen.push(`uncaught ${e?.name}: ${e?.message}`));
  process.on('unhandledRejection', (e) => seen.push(`unhandled rejection ${e?.name}: ${e?.message}`));
  return {
    take() {
      const out = seen;
      seen = [];
      return out;
    },
  };
}
