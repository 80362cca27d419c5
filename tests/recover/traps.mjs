// The test-only exports of the test build (src/wasm/traps.rs), called the way
// the package calls the glue (wxpay.js's run): scripts/test-pkg.sh copies this
// file into .work/test-pkg, next to the glue. Never part of the shipped package.
import * as glue from './wxpay_wasm.js';
import { __run as run } from './wxpay.js';

/** A Rust panic (`unreachable` with panic=abort). */
export const trapUnreachable = () => run(() => glue.trapUnreachable());
/** An allocation that cannot be satisfied. */
export const trapOutOfMemory = () => run(() => glue.trapOutOfMemory());
/** Deep recursion until the stack overflows. */
export const trapStackOverflow = () => run(() => glue.trapStackOverflow());
/** A Rust future that awaits `promise`, then panics in a microtask. Its promise never settles. */
export const trapAfter = (promise) => run(() => glue.trapAfter(promise));
/** A panic in a Rust closure run as a `new Promise` executor. */
export const trapInExecutor = () => run(() => glue.trapInExecutor());
/** Makes a Rust value whose drop panics and lets it go: its finalizer traps after a GC. */
export const trapOnDrop = () => run(() => void new glue.TrapOnDrop());
/** Reserves 1 GiB buffers as answer bodies are reserved until one fails: `[count, code]`. */
export const reserveUntilFull = () => run(() => glue.reserveUntilFull());
/** Bytes of the live instance's linear memory. */
export const memoryBytes = () => run(() => glue.memoryBytes());
/** The live instance's `WebAssembly.Memory`. */
export const memoryObject = () => run(() => glue.memoryObject());
/** Requests the driver holds parked (src/wasm/driver.rs): 0 once none is in flight. */
export const parkedCount = () => run(() => glue.parkedCount());
/** The glue's recovery state (scripts/patch-glue.mjs). */
export const recovery = glue.__wxpay_recovery;

export const kinds = { unreachable: trapUnreachable, 'out of memory': trapOutOfMemory, 'stack overflow': trapStackOverflow };
