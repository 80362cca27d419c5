// Recovery after a trap of the WebAssembly instance (README, Reliability), on the test
// build of the package: .work/test-pkg (scripts/test-pkg.sh) is the shipped package plus
// exports that trap on demand (src/wasm/traps.rs, tests/recover/traps.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { getEventListeners } from 'node:events';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Wxpay, WxpayError } from '../../.work/test-pkg/node.mjs';
import * as traps from '../../.work/test-pkg/traps.mjs';
import { useSandbox, options, memberCode, within, CARD_ID, CODE, SEED_TEMPLATE } from './helpers.mjs';
import { TRAPS, processFaults } from '../recover/expect.mjs';

const ctx = useSandbox();
const faults = processFaults();
const recoveries = [];
Wxpay.onRecover = (info) => recoveries.push(info);

// Nothing the package does may reach the process as an uncaught exception or unhandled rejection.
test.afterEach(() => assert.deepEqual(faults.take(), [], 'nothing may reach the process unhandled'));

/** `fn` throws a WxpayError ERR_INTERNAL whose cause is the trap, and onRecover hears it. */
async function assertTrap(fn, kind) {
  const before = recoveries.length;
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof WxpayError, `a WxpayError, got ${err}`);
  assert.equal(err.code, 'ERR_INTERNAL');
  assert.ok(err.cause instanceof WebAssembly.RuntimeError, `cause: ${err.cause}`);
  assert.equal(err.cause.message, TRAPS[kind]);
  await sleep(0); // onRecover runs in a microtask, after the instance is replaced
  assert.equal(recoveries.length, before + 1);
  assert.equal(recoveries.at(-1).cause, err.cause);
  if (before > 0) assert.equal(recoveries.at(-1).count, recoveries.at(-2).count + 1);
  return err;
}

/** The seed GET on `wxpay`: 200, the card's data, and the sandbox verified our signature. */
async function assertSeed(wxpay, node = memberCode(wxpay)) {
  const { status, data } = await node.get({ card_id: CARD_ID, code: CODE });
  assert.equal(status, 200);
  assert.equal(data.code, CODE);
  const seen = ctx.sb.requests.at(-1);
  assert.equal(seen.verified, true, seen.reason);
}

async function assertSigns(wxpay) {
  const message = crypto.randomBytes(100);
  assert.equal(await wxpay.sign(message), crypto.sign('sha256', message, ctx.sb.merchant.privateKeyPkcs8).toString('base64'));
}

for (const kind of Object.keys(TRAPS)) {
  test(`after a trap by ${kind}: the client made before works, its chain nodes too, a new client works`, async () => {
    const wxpay = new Wxpay(options(ctx.sb));
    const rust = new Wxpay(options(ctx.sb, { crypto: 'rust' }));
    const node = memberCode(wxpay);
    await assertSeed(wxpay, node);
    const bytes = traps.memoryBytes();

    await assertTrap(traps.kinds[kind], kind);

    await assertSeed(wxpay, node);
    assert.equal(memberCode(wxpay), node, 'the same node object');
    assert.equal(String(node), SEED_TEMPLATE);
    await assertSigns(wxpay);
    await assertSigns(rust);
    assert.equal(rust.crypto, 'rust');
    await assertSeed(new Wxpay(options(ctx.sb)));
    // A fresh instance: none of what the trap grew (out of memory asks for gigabytes) is kept.
    // It may be smaller than the old one, which earlier tests of this file had grown.
    assert.ok(traps.memoryBytes() <= bytes, `the new instance (${traps.memoryBytes()} B) is no bigger than the old one was before the trap (${bytes} B)`);
  });
}

test('a request in flight when the instance traps rejects ERR_INTERNAL; its answer arriving later is ignored', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const slow = wxpay.v3.sandbox.slow.get({ params: { ms: 300 } });
  const signing = new Wxpay(options(ctx.sb, { crypto: 'webcrypto' })).sign('in flight'); // settles in a later task
  traps.trapAfter(Promise.resolve()); // a trap in a microtask, outside any call of ours
  const started = Date.now();
  for (const pending of [slow, signing]) {
    const err = await pending.then(() => assert.fail('resolved'), (e) => e);
    assert.ok(err instanceof WxpayError);
    assert.equal(err.code, 'ERR_INTERNAL');
    assert.equal(err.cause.message, TRAPS.unreachable);
  }
  assert.ok(Date.now() - started < 250, 'rejected at the trap, not when the answer came');
  await sleep(400); // the slow answer arrives for a closure of the dead instance
  await assertSeed(wxpay);
  assert.equal(ctx.sb.requests.filter((r) => r.url.startsWith('/v3/sandbox/slow')).length, 1);
});

test('a trap ends the deadlines of the requests it killed: timers cleared, signal listeners removed, fetches aborted', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const controller = new AbortController();
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const calls = Array.from({ length: 5 }, () => wxpay.v3.sandbox.slow.get({ params: { ms: 300 }, timeout: 60_000, signal: controller.signal }));
  await sleep(50); // the fetches are out
  assert.equal(getEventListeners(controller.signal, 'abort').length, 1, 'one listener for the shared signal');
  const armed = timers();
  traps.trapAfter(Promise.resolve());
  for (const call of calls) assert.equal((await call.then(() => null, (e) => e))?.code, 'ERR_INTERNAL');
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'the dead requests no longer listen');
  assert.ok(timers() <= armed - 5, `their five 60 s timers are cleared: ${armed} then ${timers()}`);
  await sleep(400);
  // Aborted: the sandbox never got to answer them (its log records a client that went away).
  assert.ok(ctx.sb.requests.filter((r) => r.url.startsWith('/v3/sandbox/slow')).every((r) => r.status !== 200));
  await assertSeed(wxpay);
});

test('an answer meant for a request of the dead instance never resumes a request of the new one', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const old = wxpay.v3.sandbox.slow.get({ params: { ms: 300 } });
  traps.trapAfter(Promise.resolve());
  await assert.rejects(old, (e) => e.code === 'ERR_INTERNAL');
  // Parked in the new instance, in the slot the old request had in the dead one.
  const started = Date.now();
  const fresh = await wxpay.v3.sandbox.slow.get({ params: { ms: 700 } });
  assert.equal(fresh.status, 200);
  assert.ok(Date.now() - started >= 650, `resolved by its own answer (after ${Date.now() - started} ms), not by the old one at ~300 ms`);
  assert.equal(traps.parkedCount(), 0);
});

for (const backend of ['node', 'webcrypto', 'rust']) {
  test(`the driver holds a call parked only while it waits: none is left once all have ended (requests and sign; crypto ${backend})`, async () => {
    const wxpay = new Wxpay(options(ctx.sb, { crypto: backend }));
    const failing = new Wxpay(options(ctx.sb, { crypto: backend, retry: 2, fetch: () => Promise.reject(new TypeError('down')) }));
    const requests = [];
    for (let i = 0; i < 20; i++) {
      requests.push(
        memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }),
        wxpay.v3.sandbox.slow.get({ params: { ms: 200 }, timeout: 20 }),
        wxpay.v3.sandbox.nowhere.get(),
        failing.v3.sandbox.slow.get(),
        wxpay.sign(`message ${i}`),
      );
    }
    assert.ok(traps.parkedCount() >= 60, `each request waiting for its fetch or its signature is parked (${traps.parkedCount()})`);
    const outcomes = await Promise.allSettled(requests);
    const codes = outcomes.map((o) => (o.status === 'rejected' ? o.reason.code : typeof o.value === 'string' ? 'signed' : o.value.status));
    assert.deepEqual([...new Set(codes)].sort(), [200, 'ERR_NETWORK', 'ERR_TIMEOUT', 'RESOURCE_NOT_EXISTS', 'signed'].sort());
    const signature = outcomes.at(-1).value;
    assert.ok(crypto.verify('sha256', Buffer.from('message 19'), ctx.sb.merchant.privateKeyPkcs8, Buffer.from(signature, 'base64')), 'the last signature is over its own message');
    assert.ok(outcomes.filter((o) => o.status === 'rejected' && o.reason.code === 'ERR_NETWORK').every((o) => o.reason.attempts === 3));
    assert.equal(traps.parkedCount(), 0);
  });
}

// A call waiting for a promise that can never settle (a fetch that never answers, and no timeout)
// is dropped once that promise is collected; a call whose promise settled is never touched by it,
// though its slot holds another call by then.
test('a call whose fetch never answers is dropped once its promise is collected; calls that settle are untouched', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const collect = async () => {
    for (let i = 0; i < 6 && traps.parkedCount() > 0; i++) {
      gc();
      await sleep(20);
    }
  };
  await collect();
  const base = traps.parkedCount();
  const never = new Wxpay(options(ctx.sb, { fetch: () => new Promise(() => {}) }));
  // Their own promises are not kept either: none is rejected by a later recovery.
  let collected = 0;
  let rejected = 0;
  const outer = new FinalizationRegistry(() => collected++);
  for (let i = 0; i < 300; i++) outer.register(memberCode(never).get({ card_id: CARD_ID, code: CODE }).catch(() => rejected++), i);
  assert.equal(traps.parkedCount(), base + 300, 'each waits for its fetch');
  // Meanwhile calls that wait and settle, the collector run between them: slots are reused.
  const wxpay = new Wxpay(options(ctx.sb));
  const slow = Array.from({ length: 20 }, () => wxpay.v3.sandbox.slow.get({ params: { ms: 400 } }));
  for (let i = 0; i < 30; i++) {
    assert.equal((await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE })).status, 200);
    gc();
  }
  await collect();
  assert.deepEqual((await Promise.all(slow)).map((r) => r.status), Array(20).fill(200));
  assert.equal(traps.parkedCount(), base, 'the 300 calls that could never resume are dropped');
  assert.equal((await memberCode(never).get({ card_id: CARD_ID, code: CODE, timeout: 50 }).catch((e) => e)).code, 'ERR_TIMEOUT');
  assert.equal(traps.parkedCount(), base);
  for (let i = 0; i < 10 && collected < 300; i++) {
    gc();
    await sleep(20);
  }
  assert.equal(collected, 300, 'their promises were let go');
  assert.throws(() => traps.trapUnreachable(), (e) => e.code === 'ERR_INTERNAL');
  await sleep(20);
  assert.equal(rejected, 0);
  never.free();
  wxpay.free();
});

// A wait on a thenable that keeps no reference to itself (here `crypto.subtle` replaced by one
// whose operations answer later through such a thenable) is registered by the promise that adopts
// it: the call lives as long as the thenable can settle, and its slot is its own. Registered on
// the thenable itself, the call was dropped, and its signature resumed the next call in its slot.
test('a call waiting for a thenable that keeps no reference to itself runs to its end', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const real = globalThis.crypto;
  const later = (p) => ({ then(f, r) { setTimeout(() => p.then(f, r), 300); } });
  const subtle = new Proxy(real.subtle, { get: (t, k) => (typeof t[k] === 'function' ? (...a) => later(t[k](...a)) : t[k]) });
  Object.defineProperty(globalThis, 'crypto', { value: { subtle, getRandomValues: (a) => real.getRandomValues(a) }, configurable: true, writable: true });
  let a;
  try {
    a = new Wxpay(options(ctx.sb, { crypto: 'webcrypto' }));
  } finally {
    Object.defineProperty(globalThis, 'crypto', { value: real, configurable: true, writable: true });
  }
  const b = new Wxpay(options(ctx.sb));
  const get = (w) => memberCode(w).get({ card_id: CARD_ID, code: CODE }).then((r) => r.status, (e) => e.code);
  // A's waits after its first (the first is kept by the call's own scope): each 300 ms, the
  // collector run meanwhile, and B's calls taking the slots that come free.
  const first = get(a);
  const others = [];
  for (let i = 0; i < 60; i++) {
    gc();
    others.push(get(b));
    await sleep(25);
  }
  assert.deepEqual(await within(Promise.all([first, ...others]), 10_000, 'A and B'), Array(61).fill(200));
  a.free();
  b.free();
});

test('calls started from inside a driven call (its hooks) are driven on their own: each gets its own answer, none is left parked', async () => {
  const nested = [];
  let depth = 0;
  const hook = (info) => {
    // Each request's hooks start one more request and one signature, two levels deep.
    if (depth >= 2 || info.url.includes('/slow')) return;
    depth++;
    nested.push(wxpay.v3.sandbox.slow.get({ params: { ms: 10 * depth } }), wxpay.sign(`nested ${depth}`));
    nested.push(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }));
  };
  const wxpay = new Wxpay(options(ctx.sb, { onRequest: hook, onResponse: hook }));
  const { status, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
  assert.equal(status, 200);
  assert.equal(data.code, CODE);
  // The nested requests' own hooks start more until depth 2: settle what they started too.
  for (let settled = 0; settled < nested.length; settled = nested.length) await Promise.all(nested.slice(settled));
  const outcomes = await Promise.all(nested);
  assert.equal(outcomes.length, 6);
  // In the order they were pushed: the first level's slow GET and signature; then, from the hook
  // of its card GET (started while that push's arguments are evaluated), the second level's
  // three; then that card GET itself.
  assert.deepEqual(outcomes.map((o) => (typeof o === 'string' ? 'signed' : o.status)), [200, 'signed', 200, 'signed', 200, 200]);
  assert.deepEqual([0, 2].map((i) => outcomes[i].data), [{ ok: true }, { ok: true }]);
  assert.deepEqual([4, 5].map((i) => outcomes[i].data.code), [CODE, CODE]);
  for (const [i, message] of [[1, 'nested 1'], [3, 'nested 2']]) {
    assert.ok(crypto.verify('sha256', Buffer.from(message), ctx.sb.merchant.privateKeyPkcs8, Buffer.from(outcomes[i], 'base64')), message);
  }
  assert.equal(traps.parkedCount(), 0);
});

test('a trap in a Rust closure run as a Promise executor is a trap too: noticed, the instance replaced, nothing unhandled', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  await assertTrap(traps.trapInExecutor, 'unreachable');
  await assertSeed(wxpay);
  await assertSigns(wxpay);
});

test('a trap in a microtask with nothing else running: noticed, and the next call works', async () => {
  const before = recoveries.length;
  const wxpay = new Wxpay(options(ctx.sb));
  traps.trapAfter(Promise.resolve());
  await sleep(10);
  assert.equal(recoveries.length, before + 1);
  assert.equal(recoveries.at(-1).count, recoveries.at(-2).count + 1);
  assert.equal(recoveries.at(-1).cause.message, TRAPS.unreachable);
  await assertSeed(wxpay);
  await assertSigns(wxpay);
});

test('the client rebuilds from its options as first read: later changes to them, or a wiped key buffer, do not count', async () => {
  const key = Buffer.from(ctx.sb.merchant.privateKeyPkcs8);
  const certs = { [ctx.sb.platform.serial]: Buffer.from(ctx.sb.platform.certificate) };
  let reads = 0;
  const opts = { ...options(ctx.sb), privateKey: key, certs, get mchid() { reads++; return ctx.sb.mchid; } };
  const wxpay = new Wxpay(opts);
  const frozen = new Wxpay(Object.freeze({ ...options(ctx.sb), certs: Object.freeze({ ...ctx.sb.certs }) }));
  assert.equal(reads, 1);
  key.fill(0);
  certs[ctx.sb.platform.serial].fill(0);
  opts.baseURL = 'http://127.0.0.1:9/';
  await assertTrap(traps.trapUnreachable, 'unreachable');
  await assertSeed(wxpay);
  await assertSigns(wxpay);
  await assertSeed(frozen);
  assert.equal(reads, 1, 'options are read once, at construction');
});

test('a client freed after a trap frees nothing in the new instance; other clients keep working', async () => {
  const a = new Wxpay(options(ctx.sb));
  const b = new Wxpay(options(ctx.sb));
  await assertTrap(traps.trapUnreachable, 'unreachable');
  a.free();
  await assertSeed(b);
  const c = new Wxpay(options(ctx.sb));
  for (let i = 0; i < 5; i++) await assertSeed(i % 2 ? b : c);
  await assertSigns(c);
  await assert.rejects(a.sign('x'), (e) => e instanceof WxpayError && e.code === 'ERR_CLIENT_FREED');
});

/**
 * Calls nested through a body's toJSON until the JS stack ends, with `frames` frames of the
 * caller's own between each two: `{ outcomes, depth, recovered }`, each outcome 'ok' or what the
 * call failed with; `depth` the calls made; `recovered` the traps heard meanwhile.
 */
async function nestToStackEnd(frames) {
  const pad = (k, f) => (k > 0 ? pad(k - 1, f) : f());
  const w = new Wxpay(options(ctx.sb));
  const before = recoveries.length;
  const inner = [];
  const post = () => w.v3.sandbox.echo.post({
    toJSON() {
      try {
        const call = pad(frames, post);
        call.catch(() => {});
        inner.push(call);
      } catch { /* the caller's own frames reached the stack's end */ }
      return { a: 1 };
    },
  });
  const outer = await post().then(() => 'ok', (e) => e);
  const outcomes = [outer, ...(await Promise.allSettled(inner)).map((r) => (r.status === 'fulfilled' ? 'ok' : r.reason))];
  await sleep(0); // onRecover runs in a microtask
  w.free(); // released at once, or nothing to release in a new instance: never a throw
  return { outcomes, depth: outcomes.length, recovered: recoveries.length - before };
}

test('the JS stack ending inside calls nested through caller code is the caller\'s RangeError or a trap recovered: never a client left borrowed, nor a trap unheard', async () => {
  // Where the stack ends moves with the caller's frames between two calls: in the caller's code,
  // in the glue, or under Rust frames (a trap: the exception unwound through them). Before, an
  // end under Rust frames was caught by the level above as the caller's error, no trap was heard,
  // and the instance ran on with its borrow of the client never released: free() then trapped,
  // failing every call in flight. The frame counts that end it under Rust frames are a few in a
  // few hundred, and move with Node's version: from where the stack first ends before the ninth
  // call (the eighth nested one, which the cap refuses; found in steps of 50), every count is
  // tried until one traps.
  let start = 500;
  while ((await nestToStackEnd(start)).depth === 9) start += 50;
  assert.ok(start > 500, 'the first count already ended the stack: start lower');
  let trapped = 0;
  for (let frames = start - 50; frames < start + 1500 && trapped === 0; frames++) {
    const { outcomes, recovered } = await nestToStackEnd(frames);
    // Answered, or failed as the stack's end made it fail: one of our errors (ERR_NETWORK where
    // fetch itself ran out of stack), or the RangeError where even making that failed.
    for (const o of outcomes) assert.ok(o === 'ok' || o instanceof RangeError || o instanceof WxpayError, `${frames} frames: ${o}`);
    // A trap is heard once, and it is what the calls it ended were failed with.
    const internal = outcomes.filter((o) => o instanceof WxpayError && o.code === 'ERR_INTERNAL').length;
    assert.equal(recovered, internal > 0 ? 1 : 0, `${frames} frames: ${internal} ERR_INTERNAL, ${recovered} traps heard`);
    trapped += recovered;
  }
  assert.equal(trapped, 1, 'no frame count ended the stack under Rust frames: the test covers nothing');
  await assertSeed(new Wxpay(options(ctx.sb)));
});

// helper-124: a call made with the JS stack nearly at its end trapped, and the recovery's own
// listener ran out of stack half-way, after it had taken every call in flight out of its list and
// before it had rejected them: another client's requests, whose fetch then answered, stayed
// pending for good (their own next step found them no longer listed and rejected nothing).
test('a trap at the JS stack\'s end leaves no call of another client in flight pending: each is answered or fails ERR_INTERNAL', async () => {
  const { sb } = ctx;
  // A's calls wait in its fetch while B is called deep; they go on once it answers. B has
  // signed before, so that its call from deep down needs no more stack than signing.
  const slow = (url, init) => sleep(20).then(() => fetch(url, init));
  const a = new Wxpay(options(sb, { fetch: slow, timeout: 3000 }));
  const b = new Wxpay(options(sb));
  await b.sign('warm');
  let trapped = 0;
  // Frames left above the stack's end when B is called: from none (B's call itself cannot be
  // made) to enough (it signs), through those where the stack ends under Rust frames (a trap).
  for (let slack = 0; slack < 60; slack++) {
    const inflight = [memberCode(a).get({ card_id: CARD_ID, code: CODE }), a.sign('q')];
    let left = slack;
    let call;
    function deep() {
      try {
        deep();
      } catch (err) {
        if (left-- > 0) throw err;
        try {
          call = b.sign('x');
        } catch (e) {
          call = Promise.reject(e);
        }
      }
    }
    try {
      deep();
    } catch { /* the stack ended before the call: nothing called */ }
    call?.catch(() => {});
    const outcomes = await within(Promise.allSettled(inflight), 6000, `A's calls in flight (slack ${slack})`);
    for (const o of outcomes) {
      assert.ok(o.status === 'fulfilled' || (o.reason instanceof WxpayError && o.reason.code === 'ERR_INTERNAL'), `slack ${slack}: ${o.reason}`);
      if (o.status === 'rejected') trapped++;
    }
  }
  assert.ok(trapped > 0, 'no call in flight met a trap: the test covers nothing');
  await assertSeed(a);
  await assertSigns(b);
  a.free();
  b.free();
});

// helper-178: one client called with the JS stack at its end trapped the instance while 199 other
// clients' calls were in flight, their promises not yet awaited. They were rejected inside the
// recovery, at the stack's end, where V8's call to the process's rejection tracker failed: a
// trace "Exception in PromiseRejectCallback" on stderr for each. And a POST among them, sent and
// carried out, said nothing of it.
test('a trap with calls of other clients in flight, unawaited: each rejects ERR_INTERNAL, a POST saying it may have been carried out; nothing is printed', async () => {
  const run = (args) => new Promise((resolve) => {
    const started = Date.now();
    execFile(process.execPath, [fileURLToPath(new URL('../recover/deep-trap.mjs', import.meta.url)), ...args], { timeout: 90_000 }, (error, stdout, stderr) => resolve({ error, stdout, stderr, took: Date.now() - started }));
  });
  const maybe = ' (the POST may have been sent and carried out: query it before sending it again, and send it again under the same number)';
  // Where the stack ends moves with the frames below it: at some counts the recovery's listener
  // could not even be called there (helper-179: no recovery heard, the calls rejected only when
  // their answers came, 2 s later, with no cause).
  for (let pad = 0; pad < 16; pad++) {
    const child = await run(['post', String(pad), 'exit']);
    assert.equal(child.error, null, child.stderr);
    assert.doesNotMatch(child.stderr, /PromiseRejectCallback|RangeError|Error/, `${pad} frames: nothing printed`);
    const { recoveries, slowest, outcomes } = JSON.parse(child.stdout);
    assert.deepEqual(recoveries, [1], `${pad} frames: the getter at the stack's end trapped once, and it was heard`);
    assert.ok(slowest < 1000, `${pad} frames: the calls rejected at the trap, not when their answers came (${slowest} ms)`);
    assert.equal(outcomes.length, 40);
    for (const o of outcomes) {
      assert.equal(o.code, 'ERR_INTERNAL', o.message);
      assert.equal(o.message, `the WebAssembly instance failed while this call was under way (in it, or in another call in flight); it is re-instantiated before the next call${o.method === 'POST' ? maybe : ''}`);
    }
  }
  // The getter only until it traps, so that nothing below it reports the trap again: the listener
  // cut short is told in the microtask after the trap, once (helper-181: twice, counting 1 and 2,
  // when a dead call's next step finished it and the re-instantiation told it again).
  for (let pad = 0; pad < 4; pad++) {
    const child = await run(['post', 'lone', String(pad), 'exit']);
    assert.equal(child.error, null, child.stderr);
    assert.doesNotMatch(child.stderr, /PromiseRejectCallback|RangeError|Error/, `lone, ${pad} frames: nothing printed`);
    const { recoveries, slowest, outcomes } = JSON.parse(child.stdout);
    assert.deepEqual(recoveries, [1], `lone, ${pad} frames: heard once`);
    assert.ok(slowest < 1000, `lone, ${pad} frames: the calls rejected at the trap (${slowest} ms)`);
    assert.ok(outcomes.every((o) => o.code === 'ERR_INTERNAL' && o.message.endsWith(o.method === 'POST' ? maybe : 'before the next call')), JSON.stringify(outcomes));
  }
  // Left to exit by itself: the calls' minute-long deadlines were cleared (helper-179: armed, they
  // kept the process a minute), only the sandbox's and the held answers' 2 s timers remain.
  const whole = await run(['post', '0']);
  assert.equal(whole.error, null, whole.stderr);
  assert.ok(whole.took < 30_000, `the process exited after ${whole.took} ms`);
});

// helper-179: a trap in the call's own first step, made by the caller's code the call runs (a
// hook, a getter of its body), where the dead instance's code goes on: the request may still go
// out (it did, and was carried out, without a word of it), and a deadline it made then was armed
// by nothing that would ever end it (its 60 s timer kept the process up after free()).
test("a trap in a call's own first step: a request other than a GET says it may have been sent; the dead instance's code arms no deadline", async () => {
  const { sb } = ctx;
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const boom = () => {
    try {
      traps.trapUnreachable();
    } catch { /* the caller's code goes on */ }
  };
  const maybe = ' (the POST may have been sent and carried out: query it before sending it again, and send it again under the same number)';
  const hooked = new Wxpay(options(sb, { onRequest: boom }));
  const before = sb.requests.length;
  const err = await hooked.v3.sandbox.echo.post({ amount: 1 }).then(() => assert.fail('resolved'), (e) => e);
  assert.equal(err.code, 'ERR_INTERNAL', err.message);
  assert.ok(err.message.endsWith(maybe), err.message);
  await sleep(300);
  assert.ok(sb.requests.length - before <= 1, 'sent at most once');
  // A GET: no such words.
  const got = await hooked.v3.sandbox.echo.get().then(() => assert.fail('resolved'), (e) => e);
  assert.equal(got.code, 'ERR_INTERNAL');
  assert.ok(!got.message.includes('may have been sent'), got.message);
  // A body's getter that traps as the body is read, with a deadline and a signal.
  const armed = timers();
  const controller = new AbortController();
  const wxpay = new Wxpay(options(sb));
  const body = { get x() { boom(); return 1; } };
  const e = await wxpay.v3.sandbox.echo.post(body, { timeout: 60_000, signal: controller.signal }).then(() => assert.fail('resolved'), (x) => x);
  assert.equal(e.code, 'ERR_INTERNAL', e.message);
  assert.ok(e.message.endsWith(maybe), e.message);
  await sleep(50);
  assert.equal(timers(), armed, 'no 60 s timer left armed');
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'no listener left on the signal');
  await assertSeed(wxpay);
  for (const w of [hooked, wxpay]) w.free();
});

// helper-179: each onRecover of traps in a row, before the microtask after the first, read the
// count as it was after the last.
test('three traps in a row: onRecover hears each once, with its own cause and count', async () => {
  const before = recoveries.length;
  const causes = [];
  for (const trap of [traps.trapUnreachable, traps.trapStackOverflow, traps.trapUnreachable]) {
    try {
      trap();
    } catch (e) {
      causes.push(e.cause);
    }
  }
  await sleep(0);
  const heard = recoveries.slice(before);
  assert.equal(heard.length, 3);
  assert.deepEqual(heard.map((r) => r.cause), causes);
  assert.deepEqual(heard.map((r) => r.count - heard[0].count), [0, 1, 2]);
  await assertSeed(new Wxpay(options(ctx.sb)));
});

test('a trap whose report cannot be made where it is caught (the stack at its end) is reported by the call below it: that call fails ERR_INTERNAL, onRecover hears it once', async () => {
  // As at the JS stack's end: the first attempt to report the trap throws a RangeError before it
  // marks anything.
  const trapped = traps.recovery.trapped;
  let refusals = 1;
  traps.recovery.trapped = (e) => {
    if (refusals-- > 0) throw new RangeError('Maximum call stack size exceeded');
    return trapped(e);
  };
  const before = recoveries.length;
  const w = new Wxpay(options(ctx.sb));
  let inner;
  try {
    const outer = memberCode(w).get({
      card_id: CARD_ID,
      get code() {
        try {
          traps.trapUnreachable();
        } catch (e) {
          inner = e;
        }
        return CODE;
      },
    });
    await assert.rejects(outer, (e) => e instanceof WxpayError && e.code === 'ERR_INTERNAL' && e.cause?.message === TRAPS.unreachable);
  } finally {
    traps.recovery.trapped = trapped;
  }
  assert.ok(inner instanceof RangeError, `the nested call's own report failed: ${inner}`);
  await sleep(0);
  assert.equal(recoveries.length, before + 1);
  assert.equal(recoveries.at(-1).cause.message, TRAPS.unreachable);
  await assertSeed(new Wxpay(options(ctx.sb)));
});

test('onRecover: a hook that throws changes nothing', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  Wxpay.onRecover = (info) => {
    recoveries.push(info);
    throw new Error('hook failed');
  };
  try {
    await assertTrap(traps.trapStackOverflow, 'stack overflow');
    await assertSeed(wxpay);
  } finally {
    Wxpay.onRecover = (info) => recoveries.push(info);
  }
});

test('notifySuccess and the constructor work right after a trap (the instance is replaced first)', async () => {
  await assertTrap(traps.trapOutOfMemory, 'out of memory');
  traps.recovery.trapped(new Error('marked dead by the test')); // dead again, not yet replaced
  assert.equal(traps.recovery.dead(), true);
  const { notifySuccess } = await import('../../.work/test-pkg/node.mjs');
  assert.equal(notifySuccess().status, 204);
  assert.equal(traps.recovery.dead(), false);
  await sleep(0);
  await assertSeed(new Wxpay(options(ctx.sb)));
});

test('a trap in Rust drop code run by a finalizer (after GC, outside any call) is noticed and recovered', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const wxpay = new Wxpay(options(ctx.sb));
  const before = recoveries.length;
  traps.trapOnDrop();
  for (let i = 0; i < 50 && recoveries.length === before; i++) {
    gc();
    await sleep(10);
  }
  assert.equal(recoveries.length, before + 1, 'onRecover heard the trap');
  assert.equal(recoveries.at(-1).cause.message, TRAPS.unreachable);
  await assertSeed(wxpay);
  await assertSigns(wxpay);
});

// ---- a download's digest (FileDigest), a Rust object that boundary.js calls from stream callbacks ----
const glue = await import('../../.work/test-pkg/wxpay_wasm.js');
const BILL = { bill_date: '2024-01-02', sandbox_rows: 3000 };

/** Replaces FileDigest's methods for the rest of the test: each call is recorded in `calls`, then `around(name, real, args)` runs. */
function patchDigest(t, around = (name, real, self, args) => real.apply(self, args)) {
  const calls = [];
  const proto = glue.FileDigest.prototype;
  for (const name of ['algorithm', 'update', 'finish', 'free']) {
    const real = proto[name];
    proto[name] = function (...args) {
      calls.push(name);
      return around(name, real, this, args);
    };
    t.after(() => { proto[name] = real; });
  }
  return calls;
}

test("a trap inside a download's digest is a trap: ERR_INTERNAL, the instance replaced, streamed and whole", async (t) => {
  const wxpay = new Wxpay(options(ctx.sb, { crypto: 'rust' }));
  const answer = async () => (await wxpay.v3['bill/tradebill'].get({ params: BILL })).data;
  let armed = false;
  // FileDigest.update traps the instance for real (a Rust panic), as a failed allocation there would.
  patchDigest(t, (name, real, self, args) => {
    if (name === 'update' && armed) {
      armed = false;
      glue.trapUnreachable();
    }
    return real.apply(self, args);
  });
  for (const stream of [true, false]) {
    const before = recoveries.length;
    const data = await answer();
    armed = true;
    // Before: ERR_CRYPTO ("hashing the file failed: RuntimeError: unreachable"), and no recovery.
    const err = await (stream ? wxpay.download(data, { stream: true }).then(async (s) => { for await (const chunk of s) void chunk; }) : wxpay.download(data))
      .then(() => assert.fail('resolved'), (e) => e);
    assert.ok(err instanceof WxpayError, `a WxpayError, got ${err}`);
    assert.equal(err.code, 'ERR_INTERNAL', err.message);
    assert.ok(err.cause instanceof WebAssembly.RuntimeError, `cause: ${err.cause}`);
    assert.equal(err.cause.message, TRAPS.unreachable);
    await sleep(0);
    assert.equal(recoveries.length, before + 1, `stream ${stream}: onRecover heard the trap`);
    assert.equal(recoveries.at(-1).cause, err.cause);
  }
  assert.equal(Buffer.from(await wxpay.download(await answer())).length > 0, true);
  await assertSeed(wxpay);
  await assertSigns(wxpay);
});

for (const crypto of ['rust', 'node']) {
  test(`a streamed download in flight when the instance traps errors ERR_INTERNAL at its next read, touching nothing of the new instance (crypto ${crypto})`, async (t) => {
    const wxpay = new Wxpay(options(ctx.sb, { crypto }));
    const { data } = await wxpay.v3['bill/tradebill'].get({ params: BILL });
    const reader = (await wxpay.download(data, { stream: true })).getReader();
    assert.equal((await reader.read()).done, false);
    const calls = patchDigest(t);
    await assertTrap(traps.trapUnreachable, 'unreachable');
    // Before: read on to the end (crypto node) or failed at the next chunk (crypto rust) with
    // ERR_CRYPTO, then freed its digest's pointer in the new instance.
    const err = await reader.read().then(() => assert.fail('read on after the trap'), (e) => e);
    assert.ok(err instanceof WxpayError, `a WxpayError, got ${err}`);
    assert.equal(err.code, 'ERR_INTERNAL', err.message);
    assert.deepEqual(calls, [], 'no FileDigest method was called after the trap');
    await assertSeed(wxpay);
    const whole = await wxpay.download((await wxpay.v3['bill/tradebill'].get({ params: BILL })).data);
    assert.ok(whole.length > 0);
  });
}

// Last: the recovery it makes is not in `recoveries`, whose counts assertTrap compares.
test('onRecover: an accessor that throws changes nothing either (helper-173: its read escaped as an unhandled rejection)', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  let reads = 0;
  Object.defineProperty(Wxpay, 'onRecover', { configurable: true, get() { reads++; throw new Error('onRecover getter threw'); } });
  try {
    try {
      traps.trapStackOverflow();
      assert.fail('no trap');
    } catch (e) {
      assert.equal(e.code, 'ERR_INTERNAL');
    }
    await sleep(0); // the recovery's microtask, which reads onRecover
    assert.equal(reads, 1);
    await assertSeed(wxpay);
  } finally {
    Object.defineProperty(Wxpay, 'onRecover', { configurable: true, writable: true, value: (info) => recoveries.push(info) });
  }
});
