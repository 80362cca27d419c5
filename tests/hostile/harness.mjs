// Shared by the tests/hostile/*.test.mjs suites (not a test file itself): the health check
// that follows every hostile case, the loop that repeats a case until a leak would trap the
// instance, the watcher for anything that escapes as an uncaught exception or unhandled
// rejection, and the hostile objects callers can pass.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, after, beforeEach } from 'node:test';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { startSandbox } from '../sandbox/index.mjs';
import { options, memberCode, within, wasmMemory, CARD_ID, CODE } from '../node/helpers.mjs';

export { options, memberCode, within, CARD_ID, CODE };

export const BACKENDS = ['node', 'webcrypto', 'rust'];
/** Calls per throwing case: the leaks of issue 10 trapped the instance after 850-2,300 calls. */
export const LOOPS = Number(process.env.HOSTILE_LOOPS ?? 2500);
/** A health check every this many calls of a loop, and one at its end. */
export const HEALTH_EVERY = 500;

// ---- what escapes -------------------------------------------------------------------------
// Listening here also keeps the process alive past an uncaught exception, so the test that
// caused it fails with a message instead of the whole file dying.
const escaped = [];
process.on('uncaughtException', (e) => escaped.push(['uncaught exception', e]));
process.on('unhandledRejection', (e) => escaped.push(['unhandled rejection', e]));

const describeValue = (e) => (e instanceof Error || e?.name ? `${e.name}${e.code ? `[${e.code}]` : ''}: ${String(e.message).slice(0, 160)}` : String(e).slice(0, 160));

/** Fails if anything escaped as an uncaught exception or unhandled rejection since the last call. */
export function assertNothingEscaped(what) {
  if (!escaped.length) return;
  const list = escaped.splice(0);
  assert.fail(`${what}: ${list.length} escaped the package: ${list.slice(0, 3).map(([k, e]) => `${k} ${describeValue(e)}`).join(' | ')}`);
}

// ---- calling ------------------------------------------------------------------------------
/**
 * Calls `call()` and reports how it went without throwing: `{ sync }` (threw synchronously),
 * `{ notPromise }`, `{ value }`, `{ error }` or `{ hang }` (not settled within `ms`).
 */
export async function settle(call, ms = 5000) {
  const started = invoke(call);
  if (!('promise' in started)) return started;
  try {
    return { value: await within(started.promise, ms) };
  } catch (e) {
    return e instanceof assert.AssertionError && /did not settle/.test(e.message) ? { hang: e } : { error: e };
  }
}

// The synchronous part of `settle`, kept out of the async function: Node 20's V8 crashed
// (V8_Fatal "unreachable code" in Deoptimizer::DoComputeBuiltinContinuation, a lazy deopt of
// `settle`) when a try/catch around the call sat in the same async function.
function invoke(call) {
  let p;
  try {
    p = call();
  } catch (e) {
    return { sync: e };
  }
  return p instanceof Promise ? { promise: p } : { notPromise: p };
}

/** One line for an outcome of `settle`, used to group a loop's outcomes. */
export function outcome(r) {
  if ('sync' in r) return `threw synchronously ${describeValue(r.sync)}`;
  if ('notPromise' in r) return `returned ${typeof r.notPromise}, not a promise`;
  if ('hang' in r) return 'never settled';
  if ('value' in r) return `resolved (status ${r.value?.status})`;
  if (r.error instanceof WxpayError) return `rejected WxpayError ${r.error.code}`;
  return `rejected with a non-WxpayError ${describeValue(r.error)}`;
}

/**
 * What a hostile call must do: reject with a WxpayError `code`; when `cause` is given, with
 * exactly that value as `err.cause` (a function: a predicate on the cause); when `message` (a
 * RegExp) is given, with a message it matches.
 * Returns null when `r` complies, else what went wrong.
 */
export function rejects(code, cause, message) {
  return (r) => {
    if (!('error' in r) || !(r.error instanceof WxpayError) || r.error.code !== code) return `${outcome(r)}; expected a rejection ${code}`;
    if (message !== undefined && !message.test(r.error.message)) return `rejected ${code} with a message not matching ${message}`;
    if (cause === undefined) return null;
    const ok = typeof cause === 'function' ? cause(r.error.cause) : r.error.cause === cause;
    return ok ? null : `rejected ${code} but err.cause is ${r.error.cause === undefined ? 'undefined' : describeValue(r.error.cause)}`;
  };
}

/** A verb call that is given a well-formed request must resolve with `status`. */
export const resolves = (status) => (r) => ('value' in r && r.value?.status === status ? null : `${outcome(r)}; expected to resolve with ${status}`);

/**
 * Runs `call` `n` times (each call awaited), checking each outcome with `expect(r, i)` (null
 * = fine), a health check every HEALTH_EVERY calls and at the end; fails with every distinct
 * deviation, its count and the first call it happened at. Stops early once the health check
 * fails or three calls never settle: the instance is gone then.
 */
export async function hostileLoop(name, { n = LOOPS, call, expect, health }) {
  const seen = new Map(); // deviation -> { count, first }
  let hangs = 0;
  let healthFailure = null;
  let i = 0;
  for (; i < n; i++) {
    const r = await settle(() => call(i));
    if ('hang' in r) hangs++;
    const wrong = expect(r, i);
    if (wrong) {
      const e = seen.get(wrong) ?? { count: 0, first: i };
      e.count++;
      seen.set(wrong, e);
    }
    if (hangs >= 3) break;
    if ((i + 1) % HEALTH_EVERY === 0 || i === n - 1) {
      try {
        await health(`${name}, after call #${i + 1}`);
      } catch (e) {
        healthFailure = `health check after call #${i + 1} failed: ${e.message}`;
        break;
      }
    }
  }
  const parts = [...seen].map(([what, { count, first }]) => `${count}× ${what} (first at call #${first + 1})`);
  if (healthFailure) parts.push(healthFailure);
  if (hangs >= 3) parts.push(`stopped after call #${i + 1}: ${hangs} calls never settled`);
  try {
    assertNothingEscaped(name);
  } catch (e) {
    parts.push(e.message);
  }
  if (parts.length) assert.fail(`${name}: ${parts.join('; ')}`);
}

// ---- the health check ---------------------------------------------------------------------
/**
 * One sandbox for the calling file plus a `before`-made client per backend, and the health
 * check: the seed GET on that earlier client, verified by the sandbox; `sign` equal byte for
 * byte to node:crypto's RSA-SHA256 with the same key; a fresh client's verified seed GET.
 * The earlier client's fetch counts calls made outside the health check (`h.fetches`), so a
 * case can assert that nothing was sent. `extra`: more options, or a function of the sandbox
 * giving them.
 */
export function useHealth({ backends = ['node'], extra = {} } = {}) {
  const h = { sb: null, clients: {}, fetches: 0, inHealth: false, key: null };
  before(async () => {
    h.sb = await startSandbox();
    h.key = crypto.createPrivateKey(h.sb.merchant.privateKeyPkcs8);
    const fetch = (url, init) => {
      if (!h.inHealth) h.fetches++;
      return globalThis.fetch(url, init);
    };
    const more = typeof extra === 'function' ? extra(h.sb) : extra;
    for (const backend of backends) h.clients[backend] = new Wxpay(options(h.sb, { crypto: backend, fetch, ...more }));
    h.client = h.clients[backends[0]];
  });
  beforeEach(() => {
    h.sb.reset();
    h.sb.answerKey = 'platform';
  });
  after(async () => {
    await h.sb?.close();
  });
  let counter = 0;
  h.check = async (label, backend = backends[0]) => {
    const { sb } = h;
    const client = h.clients[backend];
    h.inHealth = true;
    try {
      const r = await within(memberCode(client).get({ card_id: CARD_ID, code: CODE }), 5000, `${label}: health GET on the earlier ${backend} client`);
      assert.equal(r.status, 200, `${label}: health GET status`);
      assert.equal(r.data.code, CODE, `${label}: health GET data`);
      assert.equal(sb.requests.at(-1)?.verified, true, `${label}: the sandbox verified the health GET`);
      const message = `health ${++counter} ${label} 中文 ${crypto.randomUUID()}`;
      const signature = await within(client.sign(message), 5000, `${label}: health sign()`);
      assert.equal(signature, crypto.sign('sha256', Buffer.from(message, 'utf8'), h.key).toString('base64'), `${label}: sign() equals node:crypto`);
      const fresh = new Wxpay(options(sb, { crypto: backend }));
      try {
        const f = await within(memberCode(fresh).get({ card_id: CARD_ID, code: CODE }), 5000, `${label}: health GET on a new client`);
        assert.equal(f.status, 200);
        assert.equal(f.data.code, CODE);
        assert.equal(sb.requests.at(-1)?.verified, true, `${label}: the sandbox verified the new client's GET`);
      } finally {
        fresh.free();
      }
      if (sb.requests.length > 10_000) sb.requests.length = 0; // loops would otherwise keep every entry
    } finally {
      h.inHealth = false;
    }
    assertNothingEscaped(label);
  };
  return h;
}

// ---- hostile objects ----------------------------------------------------------------------
/** A fresh value to throw, so `err.cause === thrown` proves which one the package kept. */
export const thrown = (what) => new Error(`hostile: ${what}`);

/** `{ key }` whose getter throws `err`; `hits.n` counts the reads. */
export function throwingGetter(key, err, base = {}) {
  const hits = { n: 0 };
  const obj = Object.defineProperty({ ...base }, key, { enumerable: true, configurable: true, get() { hits.n++; throw err; } });
  return { obj, hits };
}

/** A Proxy of `target` whose `trap` throws `err`; `hits.n` counts how often it fired. */
export function trapProxy(trap, err, target = {}) {
  const hits = { n: 0 };
  const proxy = new Proxy(target, { [trap]() { hits.n++; throw err; } });
  return { obj: proxy, hits };
}

export const TRAPS = ['get', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'has'];

/** A revoked Proxy: every operation on it throws a TypeError. */
export function revoked() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An iterable whose iterator's `next` throws `err`. */
export function throwingIterable(err) {
  const hits = { n: 0 };
  return { obj: { [Symbol.iterator]() { return { next() { hits.n++; throw err; } }; } }, hits };
}

/** An ArrayBuffer detached by transferring it away. */
export function detachedBuffer(size = 64) {
  const buf = new ArrayBuffer(size);
  structuredClone(buf, { transfer: [buf] });
  assert.equal(buf.byteLength, 0);
  return buf;
}

/** A Uint8Array of `n` bytes (from offset 8) on a resizable ArrayBuffer shrunk below it since: out of bounds. */
export function outOfBounds(n) {
  const buffer = new ArrayBuffer(n + 8, { maxByteLength: n + 8 });
  const view = new Uint8Array(buffer, 8, n);
  view.fill(1);
  buffer.resize(4);
  return view;
}

export const isTypeError = (c) => c instanceof TypeError;

// ---- memory -------------------------------------------------------------------------------
/** The installed package's wasm memory, in bytes (tests/node/helpers.mjs `wasmMemory`). */
export async function wasmMemoryBytes() {
  return (await wasmMemory())?.buffer.byteLength;
}
