// The package's Wxpay class around the Rust one (pkg-template/wxpay.js): after free() (or
// `using`), every use of the client and of chain nodes taken from it fails with
// ERR_CLIENT_FREED, never wasm-bindgen's plain Error, and other clients are unaffected; it
// forwards every member of the Rust class; the shipped package has no test-only exports.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Wxpay } from 'wxpay-wasm';
import * as glue from '../../node_modules/wxpay-wasm/wxpay_wasm.js';
import { useSandbox, options, memberCode, CARD_ID, CODE, rejectsWith, assertWxpayError } from './helpers.mjs';

const ctx = useSandbox();

function throwsFreed(fn, what) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${what} threw nothing`);
  assertWxpayError(err, 'ERR_CLIENT_FREED');
}

test('every method, getter and chain node of a freed client fails with ERR_CLIENT_FREED', async () => {
  const wxpay = new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key }));
  const node = memberCode(wxpay);
  const root = wxpay.v3;
  const verb = node.get;
  const notifications = wxpay.notifications;
  wxpay.free();

  await rejectsWith(node.get({ card_id: CARD_ID, code: CODE }), 'ERR_CLIENT_FREED');
  await rejectsWith(verb({ card_id: CARD_ID, code: CODE }), 'ERR_CLIENT_FREED');
  await rejectsWith(node.patch({}, { card_id: CARD_ID, code: CODE }), 'ERR_CLIENT_FREED');
  await rejectsWith(wxpay.sign('x'), 'ERR_CLIENT_FREED');
  await rejectsWith(wxpay.verify('x', 'c2ln', ctx.sb.platform.serial), 'ERR_CLIENT_FREED');
  await rejectsWith(wxpay.encrypt('x'), 'ERR_CLIENT_FREED');
  await rejectsWith(wxpay.decrypt('eA=='), 'ERR_CLIENT_FREED');
  await rejectsWith(wxpay.decryptResource({ ciphertext: 'x', nonce: 'y' }), 'ERR_CLIENT_FREED');
  await rejectsWith(notifications.parse({ headers: {}, body: '' }), 'ERR_CLIENT_FREED');
  throwsFreed(() => notifications.success(), 'notifications.success()');
  throwsFreed(() => notifications.failure('no'), 'notifications.failure()');
  throwsFreed(() => wxpay.crypto, 'crypto');
  throwsFreed(() => wxpay.wechatpaySerial, 'wechatpaySerial');
  throwsFreed(() => wxpay.v3, 'v3');
  throwsFreed(() => wxpay.notifications, 'notifications');
  throwsFreed(() => root.pay, 'a segment of a node taken before');
  throwsFreed(() => root.marketing, 'a segment read before the free (kept by its node)');
  throwsFreed(() => root.marketing.membercardOpen.cards, 'a path read before the free');
  throwsFreed(() => String(node), 'String(node)');
  throwsFreed(() => JSON.stringify(node), 'JSON.stringify(node)');
  assert.equal(node.then, undefined, 'still not thenable');
  assert.equal(ctx.sb.requests.length, 0, 'nothing was sent');
  wxpay.free(); // a second free does nothing
});

test('freeing one client leaves the others working; `using` frees at the end of the scope', async () => {
  const a = new Wxpay(options(ctx.sb));
  const b = new Wxpay(options(ctx.sb));
  const nodeB = memberCode(b);
  a.free();
  assert.equal((await nodeB.get({ card_id: CARD_ID, code: CODE })).status, 200);
  let kept;
  {
    const c = new Wxpay(options(ctx.sb));
    kept = c;
    c[Symbol.dispose]();
  }
  await rejectsWith(kept.sign('x'), 'ERR_CLIENT_FREED');
  assert.equal((await b.sign('x')).length, 344);
});

/**
 * Runs `body`, then checks that meanwhile no trap was heard (onRecover) and nothing was left
 * unhandled, and that a new client still sends.
 */
async function withoutTraps(body) {
  const recoveries = [];
  const previous = Wxpay.onRecover;
  Wxpay.onRecover = (info) => recoveries.push(info);
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(recoveries, [], 'no trap');
    assert.deepEqual(unhandled, [], 'nothing unhandled');
    assert.equal((await memberCode(new Wxpay(options(ctx.sb))).get({ card_id: CARD_ID, code: CODE })).status, 200);
  } finally {
    Wxpay.onRecover = previous;
    process.off('unhandledRejection', onUnhandled);
  }
}

test('free() from caller code a call is running (a getter, a hook, fetch) waits for that call: no trap, nothing unhandled, then ERR_CLIENT_FREED', async () => {
  await withoutTraps(async () => {
    const cases = {
      'a config getter': (w) => memberCode(w).get({ card_id: CARD_ID, get code() { w.free(); return CODE; } }),
      'a body toJSON': (w) => w.v3.sandbox.echo.post({ toJSON() { w.free(); return { a: 1 }; } }),
      'a sign() argument': (w) => {
        const message = new Uint8Array(2);
        const { buffer } = message;
        Object.defineProperty(message, 'buffer', { get() { w.free(); return buffer; } });
        return w.sign(message);
      },
      'an onRequest hook': null,
      'fetch, synchronously': null,
    };
    for (const [what, call] of Object.entries(cases)) {
      let w;
      if (what === 'an onRequest hook') w = new Wxpay(options(ctx.sb, { onRequest: () => w.free() }));
      else if (what === 'fetch, synchronously') w = new Wxpay(options(ctx.sb, { fetch: (u, i) => { w.free(); return fetch(u, i); } }));
      else w = new Wxpay(options(ctx.sb));
      const run = call ?? ((c) => memberCode(c).get({ card_id: CARD_ID, code: CODE }));
      await run(w).then(() => {}, (e) => assert.ok(e?.code?.startsWith('ERR_'), `${what}: ${e}`));
      throwsFreed(() => memberCode(w), `${what}: the chain after free()`);
      await rejectsWith(w.sign('x'), 'ERR_CLIENT_FREED');
    }
  });
});

test('a client called again without end from code its call runs (a body toJSON, a placeholder getter, a hook, fetch): the ninth call deep is refused ERR_NESTED_CALL, the eight above it are answered, nothing trapped', async () => {
  await withoutTraps(async () => {
    const seed = (w, extra) => memberCode(w).get({ card_id: CARD_ID, code: CODE, ...extra });
    // Each re-enters `again`, which makes the same call once more, and keeps its promise.
    const cases = {
      'a body toJSON': (w, again) => w.v3.sandbox.echo.post({ toJSON() { again(); return { a: 1 }; } }),
      'a placeholder getter': (w, again) => memberCode(w).get({ card_id: CARD_ID, get code() { again(); return CODE; } }),
      'an onRequest hook': 'onRequest',
      'fetch, synchronously': 'fetch',
    };
    for (const [what, how] of Object.entries(cases)) {
      const calls = [];
      let w;
      const again = () => {
        const call = make();
        call.catch(() => {}); // seen below, once the outer call has settled
        calls.push(call);
      };
      const make = () => (typeof how === 'function' ? how(w, again) : seed(w));
      if (how === 'onRequest') w = new Wxpay(options(ctx.sb, { onRequest: again }));
      else if (how === 'fetch') w = new Wxpay(options(ctx.sb, { fetch: (u, i) => { again(); return fetch(u, i); } }));
      else w = new Wxpay(options(ctx.sb));
      assert.equal((await make()).status, 200, what);
      // In the order they were made: the deepest first, refused; then the seven between it and the
      // outer call, each answered.
      const [deepest, ...between] = await Promise.allSettled(calls);
      assert.equal(deepest.status, 'rejected', what);
      assertWxpayError(deepest.reason, 'ERR_NESTED_CALL');
      assert.match(deepest.reason.message, /, 8 such calls deep: refused$/);
      assert.deepEqual(between.map((r) => r.value?.status), Array(7).fill(200), what);
      // Nothing left borrowed: free() releases the Rust object at once, and the client is freed.
      w.free();
      throwsFreed(() => memberCode(w), `${what}: after free()`);
    }
  });
});

test("the package's Wxpay has exactly the members of wasm-bindgen's Wxpay class, with the chain for `request`", () => {
  const members = (proto) => Object.getOwnPropertyNames(proto).filter((n) => !n.startsWith('__') && n !== 'constructor').sort();
  const rust = members(glue.Wxpay.prototype);
  assert.ok(rust.includes('sign') && rust.includes('request'), `read ${rust}`);
  // `request` is what the chain's verbs call; the package offers the chain (`v3`) instead.
  assert.deepEqual(members(Wxpay.prototype), [...rust.filter((n) => n !== 'request'), 'v3'].sort());
});

test('the shipped .wasm carries no str-slicing panic (src/text.rs keeps it out)', () => {
  // The panic brings core's char Debug formatting and its Unicode tables: ~3.9 KB of the gzipped
  // .wasm. A `&s[a..b]` on a str, or a search for a &str pattern, anywhere in src/ brings it back.
  const wasm = readFileSync(new URL('../../node_modules/wxpay-wasm/wxpay_wasm_bg.wasm', import.meta.url));
  assert.ok(wasm.includes('options.crypto'), 'read the .wasm');
  assert.equal(wasm.includes('is not a char boundary'), false);
});

test('the shipped package has none of the test build\'s trap exports', () => {
  const wasm = new WebAssembly.Module(readFileSync(new URL('../../node_modules/wxpay-wasm/wxpay_wasm_bg.wasm', import.meta.url)));
  const exported = WebAssembly.Module.exports(wasm).map((e) => e.name);
  assert.ok(exported.includes('wxpay_sign'), `read ${exported.length} exports`);
  assert.deepEqual(exported.filter((n) => /trap|memorybytes/i.test(n)), []);
  assert.deepEqual(Object.keys(glue).filter((n) => /trap|memoryBytes/i.test(n)), []);
});

// Global functions the package calls, replaced by code that calls the package again (an
// instrumented clock, a wrapped random source): before, a nonce drawn while the random pool
// was being refilled, and an `encrypt` while a request read the clock for its pinned serial,
// each borrowed a record already borrowed: a trap, failing every call in flight (helper-104).
test('crypto.getRandomValues and Date.now replaced by code that calls the client: the calls complete, no trap', async () => {
  await withoutTraps(async () => {
    const wxpay = new Wxpay(options(ctx.sb));
    const inner = [];
    const { getRandomValues } = globalThis.crypto;
    // Once, at the next refill of the random pool (a nonce takes 32 of its 1,024 bytes).
    let armed = true;
    globalThis.crypto.getRandomValues = function (buf) {
      if (armed) {
        armed = false;
        inner.push(wxpay.appParams({ appid: 'wx8888888888888888', prepay_id: 'wx-inner' }));
        inner.push(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }));
      }
      return getRandomValues.call(this, buf);
    };
    try {
      const outer = [];
      for (let i = 0; i < 40; i++) outer.push(await wxpay.jsapiParams({ appId: 'wx8888888888888888', prepay_id: `wx-${i}` }));
      assert.equal(armed, false, 'the pool was refilled');
      assert.equal(new Set(outer.map((p) => p.nonceStr)).size, 40);
      const [app, { status }] = await Promise.all(inner);
      assert.equal(status, 200);
      assert.equal(app.prepayid, 'wx-inner');
      assert.ok(!outer.some((p) => p.nonceStr === app.noncestr), 'the nested nonce is its own');
    } finally {
      globalThis.crypto.getRandomValues = getRandomValues;
    }

    // The clock, read for a request's pinned serial once the client has encrypted something.
    const cipher = await wxpay.encrypt('张三');
    const realNow = Date.now;
    let once = true;
    const nested = [];
    Date.now = function () {
      if (once) {
        once = false;
        nested.push(wxpay.encrypt('李四'));
      }
      return realNow.call(Date);
    };
    try {
      const { status } = await wxpay.v3.sandbox.echo.post({ name: cipher });
      assert.equal(status, 200);
      assert.equal(once, false, 'the clock was read');
      assert.equal(typeof (await nested[0]), 'string');
    } finally {
      Date.now = realNow;
    }
  });
});
