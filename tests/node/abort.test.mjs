// `signal` and `timeout`: an aborted signal sends nothing, aborting mid-flight and timing out
// reject with their own codes, and nothing (timer, listener) outlives a request.
import test from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Wxpay } from 'wxpay-wasm';
import { startSandbox } from '../sandbox/index.mjs';
import { useSandbox, options, countingFetch, rejectsWith, memberCode, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();
const slow = (wxpay, ms, config = {}) => wxpay.v3.sandbox.slow.get({ params: { ms: String(ms) }, ...config });

/** Waits until the sandbox noticed the client hung up on its last request. */
// Polls for up to 3 s, under the slow answers' 5 s: a connection left open is still open then, so
// a client that did not abort fails this however loaded the machine is.
async function sandboxSawAbort() {
  for (let i = 0; i < 150 && !ctx.sb.requests.at(-1)?.aborted; i++) await sleep(20);
  assert.equal(ctx.sb.requests.at(-1)?.aborted, true, 'the sandbox saw the connection go away');
}

test('an already-aborted signal rejects ERR_ABORTED, keeps the reason as cause, sends nothing', async () => {
  const fetch = countingFetch();
  const wxpay = new Wxpay(options(ctx.sb, { fetch }));
  const reason = new Error('user navigated away');
  const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, signal: AbortSignal.abort(reason) }), 'ERR_ABORTED');
  assert.equal(err.cause, reason);
  assert.equal(err.attempts, 0, 'nothing was sent: it says so');
  await sleep(20);
  assert.equal(fetch.calls.length, 0);
  assert.equal(ctx.sb.requests.length, 0);
});

test('an already-aborted signal on a PATCH: nothing sent, the card unchanged', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const ac = new AbortController();
  ac.abort();
  await rejectsWith(
    memberCode(wxpay).patch({ level: 'ABORTED', out_request_no: 'a-1' }, { card_id: CARD_ID, code: CODE, signal: ac.signal }),
    'ERR_ABORTED',
  );
  await sleep(20);
  assert.equal(ctx.sb.requests.length, 0);
  assert.equal(ctx.sb.cards[CARD_ID][CODE].level, 'GOLD');
});

test('aborting mid-flight rejects ERR_ABORTED promptly with the abort reason as cause', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const ac = new AbortController();
  const reason = new Error('changed my mind');
  const t0 = performance.now();
  setTimeout(() => ac.abort(reason), 100);
  const err = await rejectsWith(slow(wxpay, 5000, { signal: ac.signal }), 'ERR_ABORTED');
  const elapsed = performance.now() - t0;
  assert.ok(elapsed >= 90 && elapsed < 2000, `rejected after ${elapsed} ms`);
  assert.equal(err.cause, reason);
  await sandboxSawAbort();
});

test('aborting mid-flight with no reason: ERR_ABORTED, cause is the AbortError', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  const err = await rejectsWith(slow(wxpay, 5000, { signal: ac.signal }), 'ERR_ABORTED');
  assert.equal(err.cause?.name, 'AbortError');
  await sandboxSawAbort();
});

test('a per-request timeout rejects ERR_TIMEOUT', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const t0 = performance.now();
  const err = await rejectsWith(slow(wxpay, 5000, { timeout: 150 }), 'ERR_TIMEOUT');
  const elapsed = performance.now() - t0;
  assert.ok(elapsed >= 140 && elapsed < 2000, `rejected after ${elapsed} ms`);
  assert.match(err.message, /150 ms/);
  await sandboxSawAbort();
});

// helper-139: ERR_TIMEOUT and ERR_ABORTED said only 'request timed out after 300 ms', where
// ERR_NETWORK names its request: a log could not tell which call, or which download behind it.
test('ERR_TIMEOUT and ERR_ABORTED name the request they ended as ERR_NETWORK does: its query and a placeholder\'s value left out', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const timedOut = await rejectsWith(slow(wxpay, 5000, { timeout: 150 }), 'ERR_TIMEOUT');
  assert.equal(timedOut.message, `GET ${sb.baseURL}v3/sandbox/slow?… timed out after 150 ms`);
  assert.ok(!JSON.stringify(timedOut).includes('5000'), JSON.stringify(timedOut));
  await sandboxSawAbort();
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  const aborted = await rejectsWith(slow(wxpay, 5000, { signal: ac.signal }), 'ERR_ABORTED');
  assert.equal(aborted.message, `GET ${sb.baseURL}v3/sandbox/slow?… aborted by its signal`);
  await sandboxSawAbort();
  // A placeholder's value (an order number) is named by the template, as in ERR_NETWORK's message.
  const hanging = new Wxpay(options(sb, { fetch: () => new Promise(() => {}) }));
  const order = await rejectsWith(hanging.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'N20261207ORDER', params: { mchid: sb.mchid }, timeout: 100 }), 'ERR_TIMEOUT');
  assert.equal(order.message, `GET ${sb.baseURL}v3/pay/transactions/out-trade-no/{out_trade_no}?… timed out after 100 ms`);
  assert.ok(!JSON.stringify(order).includes('N20261207ORDER') && !JSON.stringify(order).includes(sb.mchid), JSON.stringify(order));
  // Nothing sent (an aborted signal): as before.
  const early = await rejectsWith(slow(wxpay, 10, { signal: AbortSignal.abort() }), 'ERR_ABORTED');
  assert.equal(early.message, 'request aborted by its signal');
});

// helper-142: a deadline that ended a request after its answer came, while it waited for the
// certificates its answer's serial needs, named the path as filled (the order number): only a
// request in flight is named, its error going through pathNamed.
test("a deadline that ends a request after its answer, in the wait for a certificate download, names no placeholder's value", async (t) => {
  const sb = await startSandbox({});
  t.after(() => sb.close());
  const secret = 'SECRETORDER12345';
  await new Wxpay(options(sb)).v3.pay.transactions.jsapi.post({ appid: 'wxd678efh567hg6787', mchid: sb.mchid, description: 'x', out_trade_no: secret, notify_url: 'https://example.com/n', amount: { total: 1, currency: 'CNY' }, payer: { openid: 'o123' } });
  const certs = { ...sb.certs };
  sb.rotate(); // answers are signed from now on by a certificate the clients below do not have yet
  const slowCertificates = async (url, init) => {
    if (String(url).includes('/v3/certificates')) await sleep(1500);
    return fetch(url, init);
  };
  for (const [code, config] of [['ERR_TIMEOUT', () => ({ timeout: 400 })], ['ERR_ABORTED', () => ({ signal: AbortSignal.timeout(400) })]]) {
    const wxpay = new Wxpay(options(sb, { certs, apiv3Key: sb.apiv3Key, fetch: slowCertificates }));
    const err = await rejectsWith(wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: secret, params: { mchid: sb.mchid }, ...config() }), code);
    assert.equal(err.attempts, 1, 'its answer had come');
    // ...with its status and Request-ID, as an error after the answer's headers has them.
    assert.equal(err.status, 200);
    assert.match(err.requestId, /^sbx-/);
    assert.ok(!err.message.includes(secret) && !JSON.stringify(err).includes(secret), `${code}: ${JSON.stringify(err)}`);
  }
});

// helper-143: a download's deadline is one for all of a bill's parts: the second part's back-off
// wait carried the first part's 200 and its Request-ID.
test("a bill's second part waiting out a 503's Retry-After, ended by the deadline, carries no answer's status or Request-ID (the first part's 200 neither)", async () => {
  const { sb } = ctx;
  const isFile = (url) => String(url).includes('/v3/billdownload/file');
  let files = 0;
  const wxpay = new Wxpay(options(sb, {
    fetch: (url, init) => (isFile(url) && ++files === 2
      ? new Response('{"code":"SYSTEM_ERROR","message":"busy"}', { status: 503, headers: { 'Retry-After': '5', 'Request-ID': 'rid-part2-503', 'Content-Type': 'application/json' } })
      : fetch(url, init)),
  }));
  const { data } = await wxpay.v3.bill.subMerchantFundflowbill.get({ params: { sub_mchid: '1900000100', bill_date: '2024-06-01', account_type: 'BASIC', algorithm: 'AEAD_AES_256_GCM' } });
  assert.ok(data.download_bill_list.length >= 2, 'a bill of several parts');
  for (const [code, config] of [['ERR_TIMEOUT', () => ({ timeout: 1500 })], ['ERR_ABORTED', () => ({ signal: AbortSignal.timeout(1500) })]]) {
    files = 0;
    const err = await rejectsWith(wxpay.download(data, config()), code);
    assert.equal(files, 2, 'the second part was asked for');
    assert.deepEqual([err.status, err.requestId], [undefined, undefined], `${code}: ${JSON.stringify(err)}`);
  }
  files = 10;
  assert.ok((await wxpay.download(data)).length > 0, 'the client goes on');
});

test('the instance timeout option rejects ERR_TIMEOUT, and a per-request timeout overrides it', async () => {
  const wxpay = new Wxpay(options(ctx.sb, { timeout: 150 }));
  const t0 = performance.now();
  await rejectsWith(slow(wxpay, 5000), 'ERR_TIMEOUT');
  assert.ok(performance.now() - t0 < 2000);
  await sandboxSawAbort();
  const { status, data } = await slow(wxpay, 400, { timeout: 3000 });
  assert.equal(status, 200);
  assert.deepEqual(data, { ok: true });
});

test('a request that beats its timeout and signal succeeds and leaves no timer or listener behind', async () => {
  const wxpay = new Wxpay(options(ctx.sb, { timeout: 600_000 }));
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const ac = new AbortController();
  const { status } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, signal: ac.signal });
  assert.equal(status, 200);
  assert.equal(timers(), before, 'the 10-minute timeout timer was cleared');
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0, 'the abort listener was removed');
  ac.abort(); // aborting afterwards does nothing
  await sleep(20);
  assert.equal(ctx.sb.requests.length, 1);
});

/** The names of the process warnings emitted while `run` runs (and just after). */
async function warningsDuring(run) {
  const warnings = [];
  const onWarning = (w) => warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    await run();
    await sleep(10);
    return warnings;
  } finally {
    process.off('warning', onWarning);
  }
}

test('requests sharing one signal add one abort listener to it, not one each (no "possible EventTarget memory leak" warning), and one abort stops them all', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const warnings = await warningsDuring(async () => {
    const ac = new AbortController();
    const done = await Promise.all(Array.from({ length: 20 }, () => memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, signal: ac.signal })));
    assert.deepEqual(done.map((r) => r.status), Array(20).fill(200));
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0, 'taken off with the last request');
    const pending = Array.from({ length: 20 }, () => slow(wxpay, 3000, { signal: ac.signal }));
    await sleep(50);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    ac.abort(new Error('batch cancelled'));
    for (const p of pending) await rejectsWith(p, 'ERR_ABORTED');
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
    // A later request on another signal, and on none, still works.
    assert.equal((await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, signal: new AbortController().signal })).status, 200);
  });
  assert.deepEqual(warnings.filter((n) => n === 'MaxListenersExceededWarning'), []);
});

test('a signal-like object whose addEventListener calls back at once, or starts another request on the same signal, stops its requests and leaves no listener', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const eager = { aborted: false, reason: new Error('eager'), addEventListener(type, f) { f(); }, removeEventListener() {} };
  await rejectsWith(slow(wxpay, 3000, { signal: eager }), 'ERR_ABORTED');
  // Re-entrant: the first request's addEventListener starts a second on the same signal.
  const listeners = new Set();
  let inner;
  const nested = {
    aborted: false,
    addEventListener(type, f) { if (inner === undefined) inner = memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, signal: nested }); listeners.add(f); },
    removeEventListener(type, f) { listeners.delete(f); },
  };
  const outer = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, signal: nested });
  assert.equal(outer.status, 200);
  assert.equal((await inner).status, 200);
  assert.equal(listeners.size, 0, 'every listener taken off');
});

test('a timeout longer than setTimeout takes (2^31 - 1 ms, the largest the option allows) waits, rather than firing at once', async () => {
  // The client's timeout, and a certificate download's wait (the timeout plus a second), would
  // overflow setTimeout, which then fires after 1 ms: every request that waited for a download
  // failed ERR_RESPONSE_SERIAL though its answer had come.
  const warnings = await warningsDuring(async () => {
    const { certs: _, ...rest } = options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key, timeout: 2 ** 31 - 1 });
    const wxpay = new Wxpay(rest);
    const all = await Promise.all(Array.from({ length: 5 }, () => memberCode(wxpay).get({ card_id: CARD_ID, code: CODE })));
    assert.deepEqual(all.map((r) => r.status), Array(5).fill(200));
    assert.equal((await slow(wxpay, 50, { timeout: 2 ** 31 - 1 })).status, 200);
  });
  assert.deepEqual(warnings.filter((n) => n === 'TimeoutOverflowWarning'), []);
});

test('a signal that is not an AbortSignal is ERR_INVALID_PARAM, nothing sent', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  await rejectsWith(wxpay.v3.sandbox.echo.get({ signal: { aborted: 'no' } }), 'ERR_INVALID_PARAM');
  await rejectsWith(wxpay.v3.sandbox.echo.get({ timeout: -5 }), 'ERR_INVALID_PARAM');
  await sleep(20);
  assert.equal(ctx.sb.requests.length, 0);
});
