// Caller objects that throw while the package reads them (issue 10, item 1): a request config,
// its `params` and `headers`, and the body. Each verb call must return a promise (never throw
// synchronously) that rejects ERR_INVALID_PARAM with what was thrown as `err.cause`, send
// nothing, and leave the instance working: each case runs LOOPS times (the leak trapped the
// instance after 850-2,300 calls), with a health check every 500 calls and at the end.
//
// A Proxy trap that the package never reaches throws nothing: then the call is an ordinary
// request and must succeed (and reach the server). Either way the case can fail.
import test from 'node:test';
import v8 from 'node:v8';
import { useHealth, hostileLoop, rejects, resolves, thrown, throwingGetter, trapProxy, TRAPS, revoked, throwingIterable, detachedBuffer, isTypeError, memberCode, CARD_ID, CODE } from './harness.mjs';

// Node 20's V8 dies (V8_Fatal in Deoptimizer::DoComputeBuiltinContinuation) when optimised code
// that inlined a JS-to-Wasm call is deoptimised while the call runs; these loops reach that. It
// is off here so every case below reports for itself; v8-inlining.test.mjs runs the first cases
// of this file with it on, in a child process, and fails if that process is killed.
if (!process.env.HOSTILE_JS_WASM_INLINING) v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');

const h = useHealth();

/**
 * One case: `make()` builds the hostile value once; `call(client, value)` makes one call.
 * `cause`: the thrown value, or a predicate for an engine's own TypeError, or undefined when
 * nothing need be thrown (a detached buffer).
 */
function hostileCase(name, make, call) {
  test(name, async () => {
    const { value, hits, cause } = make();
    let before = 0;
    let fetchesBefore = 0;
    await hostileLoop(name, {
      call: () => {
        before = hits ? hits.n : 0;
        fetchesBefore = h.fetches;
        return call(h.client, value);
      },
      expect: (r) => {
        const fired = !hits || hits.n > before;
        const sent = h.fetches - fetchesBefore;
        if (!fired) return resolves(200)(r);
        if (sent) return `sent ${sent} request(s) though reading the input threw`;
        return rejects('ERR_INVALID_PARAM', cause)(r);
      },
      health: (label) => h.check(label),
    });
  });
}

const get = (client, config) => client.v3.sandbox.echo.get(config);
const post = (client, data) => client.v3.sandbox.echo.post(data);
const getOf = (key) => (client, value) => client.v3.sandbox.echo.get({ [key]: value });

test('baseline: the health check passes before any hostile case', () => h.check('baseline'));

// ---- the request config itself ----
for (const key of ['params', 'headers', 'signal', 'timeout', 'maxBodyBytes']) {
  hostileCase(`config with a throwing \`${key}\` getter`, () => {
    const err = thrown(`config.${key}`);
    const { obj, hits } = throwingGetter(key, err);
    return { value: obj, hits, cause: err };
  }, get);
}
hostileCase('a path placeholder (config.card_id) whose getter throws', () => {
  const err = thrown('config.card_id');
  const { obj, hits } = throwingGetter('card_id', err, { code: CODE });
  return { value: obj, hits, cause: err };
}, (client, config) => memberCode(client).get(config));
for (const trap of TRAPS) {
  hostileCase(`config: a Proxy whose ${trap} trap throws`, () => {
    const err = thrown(`config ${trap}`);
    const { obj, hits } = trapProxy(trap, err, { params: { a: '1' } });
    return { value: obj, hits, cause: err };
  }, get);
}
hostileCase('config: a revoked Proxy', () => ({ value: revoked(), cause: isTypeError }), get);

// ---- params and headers ----
// (headers get values that are valid header text, so only the hostility can fail them)
for (const key of ['params', 'headers']) {
  hostileCase(`${key} with a throwing getter`, () => {
    const err = thrown(`${key} getter`);
    const { obj, hits } = throwingGetter('x-a', err, { 'x-b': '1' });
    return { value: obj, hits, cause: err };
  }, getOf(key));
  for (const trap of TRAPS) {
    hostileCase(`${key}: a Proxy whose ${trap} trap throws`, () => {
      const err = thrown(`${key} ${trap}`);
      const { obj, hits } = trapProxy(trap, err, { 'x-a': '1' });
      return { value: obj, hits, cause: err };
    }, getOf(key));
  }
  hostileCase(`${key}: a revoked Proxy`, () => ({ value: revoked(), cause: isTypeError }), getOf(key));
  hostileCase(`${key}: an iterable whose iterator throws`, () => {
    const err = thrown(`${key} iterator`);
    const { obj, hits } = throwingIterable(err);
    return { value: obj, hits, cause: err };
  }, getOf(key));
  hostileCase(`${key}: an object whose Symbol.iterator getter throws`, () => {
    const err = thrown(`${key} Symbol.iterator`);
    const hits = { n: 0 };
    const value = Object.defineProperty({ 'x-a': '1' }, Symbol.iterator, { get() { hits.n++; throw err; } });
    return { value, hits, cause: err };
  }, getOf(key));
  hostileCase(`${key}: an iterable yielding a pair whose reads throw`, () => {
    const err = thrown(`${key} pair`);
    const { obj: pair, hits } = trapProxy('get', err, ['x-a', '1']);
    return { value: { *[Symbol.iterator]() { yield pair; } }, hits, cause: err };
  }, getOf(key));
  hostileCase(`${key}: an array value whose element getter throws`, () => {
    const err = thrown(`${key} element`);
    const hits = { n: 0 };
    const list = Object.defineProperty(['1'], 0, { get() { hits.n++; throw err; } });
    return { value: { 'x-a': list }, hits, cause: err };
  }, getOf(key));
}

// ---- the body ----
hostileCase('body whose toJSON throws', () => {
  const err = thrown('toJSON');
  const hits = { n: 0 };
  return { value: { a: 1, toJSON() { hits.n++; throw err; } }, hits, cause: err };
}, post);
hostileCase('body with a nested getter that throws', () => {
  const err = thrown('nested getter');
  const { obj, hits } = throwingGetter('b', err, { a: 1 });
  return { value: { outer: [obj] }, hits, cause: err };
}, post);
hostileCase('a cyclic body', () => {
  const value = { a: 1 };
  value.self = { back: value };
  return { value, cause: isTypeError };
}, post);
hostileCase('a body holding a BigInt (JSON.stringify throws)', () => ({ value: { amount: 1n }, cause: isTypeError }), post);
for (const trap of TRAPS) {
  hostileCase(`body: a Proxy whose ${trap} trap throws`, () => {
    const err = thrown(`body ${trap}`);
    const { obj, hits } = trapProxy(trap, err, { a: 1 });
    return { value: obj, hits, cause: err };
  }, post);
}
hostileCase('body: a revoked Proxy', () => ({ value: revoked(), cause: isTypeError }), post);
hostileCase('body: a detached ArrayBuffer', () => ({ value: detachedBuffer() }), post);
hostileCase('body: a Uint8Array on a detached ArrayBuffer', () => {
  const buf = new ArrayBuffer(16);
  const view = new Uint8Array(buf, 4, 8);
  detach(buf);
  return { value: view };
}, post);
hostileCase('body: a DataView on a detached ArrayBuffer', () => {
  const buf = new ArrayBuffer(16);
  const view = new DataView(buf);
  detach(buf);
  return { value: view };
}, post);

function detach(buf) {
  structuredClone(buf, { transfer: [buf] });
}

test('placeholders still work after every case', async () => {
  await h.check('after all caller cases');
  const { status, data } = await memberCode(h.client).get({ card_id: CARD_ID, code: CODE });
  if (status !== 200 || data.code !== CODE) throw new Error(`seed GET: ${status}`);
});
