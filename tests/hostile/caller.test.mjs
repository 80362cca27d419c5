// Caller objects that throw while the package reads them (issue 10, item 1): a request config,
// its `params` and `headers`, and the body. Each verb call must return a promise (never throw
// synchronously) that rejects ERR_INVALID_PARAM with what was thrown as `err.cause`, send
// nothing, and leave the instance working: each case runs LOOPS times (the leak trapped the
// instance after 850-2,300 calls), with a health check every 500 calls and at the end.
//
// A Proxy trap that the package never reaches throws nothing: then the call is an ordinary
// request and must succeed (and reach the server). Either way the case can fail.
import test from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { useHealth, hostileLoop, rejects, resolves, settle, outcome, options, thrown, throwingGetter, trapProxy, TRAPS, revoked, throwingIterable, detachedBuffer, outOfBounds, isTypeError, memberCode, CARD_ID, CODE } from './harness.mjs';

// Node 20's V8 dies (V8_Fatal in Deoptimizer::DoComputeBuiltinContinuation) when optimised code
// that inlined a JS-to-Wasm call is deoptimised while the call runs; these loops reach that. It
// is off here so every case below reports for itself; v8-inlining.test.mjs runs the first cases
// of this file with it on, in a child process, and fails if that process is killed.
if (!process.env.HOSTILE_JS_WASM_INLINING) v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');

const h = useHealth();

/**
 * One case: `make()` builds the hostile value once; `call(client, value)` makes one call.
 * `cause`: the thrown value, or a predicate for an engine's own TypeError, or undefined when
 * nothing need be thrown (a detached buffer, a value the package refuses itself); `message`: a
 * RegExp the rejection's message must match, if given.
 */
function hostileCase(name, make, call) {
  test(name, async () => {
    const { value, hits, cause, message } = make();
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
        return rejects('ERR_INVALID_PARAM', cause, message)(r);
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
// JSON.stringify would throw a TypeError naming no place; the package refuses the BigInt before
// it, naming where it sits (the same refusal, with no exception to keep as the cause).
hostileCase('a body holding a BigInt (refused before JSON.stringify throws, its place named)', () => ({ value: { amount: { total: 1n } }, message: /holds a BigInt, .* at amount\.total$/ }), post);
// A BigInt whose toJSON throws: JSON calls it before the package's check sees the value.
let bigintToJSON;
hostileCase('a body holding a BigInt whose toJSON (BigInt.prototype\'s) throws', () => {
  const err = thrown('BigInt toJSON');
  const hits = { n: 0 };
  bigintToJSON = function () { hits.n++; throw err; };
  return { value: { amount: { total: 1n } }, hits, cause: err };
}, async (client, value) => {
  BigInt.prototype.toJSON = bigintToJSON;
  try { return await post(client, value); } finally { delete BigInt.prototype.toJSON; }
});
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
hostileCase('body: a Uint8Array out of the bounds of its resizable ArrayBuffer, shrunk since (once sent as an empty body)', () => ({ value: outOfBounds(16) }), post);
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

// ---- an upload body: a FormData look-alike whose entries throw (the boundary audit, item 1) ----
// upload() is async and Rust awaits it: a raw error from an entry became the rejection Rust
// returned, which was taken for a trap (ERR_INTERNAL, the instance replaced, every call in
// flight failed). Each must be ERR_INVALID_PARAM with the thrown value as `cause`, nothing sent.
/** A FormData look-alike (its tag is `FormData`) whose `entries()` gives `list`'s items. */
const formLike = (list) => ({ [Symbol.toStringTag]: 'FormData', entries: () => list[Symbol.iterator]() });
const upload = (client, form) => client.v3.sandbox.echo.post(form);
/** A hostile case of an upload: `make(err, hits)` gives the entries; `hits.n` counts what threw. */
function uploadCase(name, make, cause) {
  hostileCase(`upload: ${name}`, () => {
    const err = thrown(`upload ${name}`);
    const hits = { n: 0 };
    const hit = () => {
      hits.n++;
      throw err;
    };
    return { value: formLike(make(hit)), hits: cause ? undefined : hits, cause: cause ?? err };
  }, upload);
}
uploadCase('a text field whose toString throws', (hit) => [['x', { toString: hit }]]);
uploadCase('a field value that is a Proxy whose get trap throws', (hit) => [['x', new Proxy({}, { get: hit })]]);
uploadCase('a field value whose `arrayBuffer` getter throws', (hit) => [['x', { get arrayBuffer() { return hit(); } }]]);
uploadCase('a file whose `name` getter throws', (hit) => [['file', { arrayBuffer: async () => new ArrayBuffer(3), get name() { return hit(); } }]]);
uploadCase('a file whose `type` getter throws', (hit) => [['file', { arrayBuffer: async () => new ArrayBuffer(3), name: 'a.jpg', get type() { return hit(); } }]]);
uploadCase('a file whose `size` getter throws', (hit) => [['file', { arrayBuffer: async () => new ArrayBuffer(3), name: 'a.jpg', get size() { return hit(); } }]]);
uploadCase('a meta part whose text() throws', (hit) => [['meta', { arrayBuffer() {}, text: hit }]]);
uploadCase('an entry whose [0] getter throws', (hit) => [Object.defineProperty(['x', 'v'], 0, { get: hit })]);
uploadCase('an entry that is a Proxy whose iterator read throws', (hit) => [new Proxy(['x', 'v'], { get: hit })]);
uploadCase('an entry that is not a pair (a number)', () => [42], isTypeError);

test('upload: a failed FormData look-alike leaves a call in flight on another client unharmed, and traps nothing', async () => {
  const recovered = [];
  const onRecover = Wxpay.onRecover;
  Wxpay.onRecover = (info) => recovered.push(info);
  const other = new Wxpay(options(h.sb));
  try {
    const slow = settle(() => other.v3.sandbox.slow.get({ params: { ms: '300' } }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const r = await settle(() => upload(h.client, formLike([['x', { toString() { throw thrown('in flight'); } }]])));
    assert.equal(outcome(r), 'rejected WxpayError ERR_INVALID_PARAM');
    assert.equal(outcome(await slow), 'resolved (status 200)', 'the call in flight');
  } finally {
    other.free();
    Wxpay.onRecover = onRecover;
  }
  assert.deepEqual(recovered, [], 'no recovery');
  await h.check('after the upload in flight');
});

// ---- numbers that JS cannot format as written (the boundary audit, item 6) ----
// String(4200000000202401020000000001) is `4.2000000002024013e+27`, String(1234567890123456789)
// `1234567890123456800`: another order, which would be signed and sent. Refused, the key named,
// the value never quoted.
for (const [what, value] of [['a 28-digit id', 4200000000202401020000000001], ['a 19-digit id', 1234567890123456789],
  ['2^53', 2 ** 53], ['a fraction', 1.5], ['NaN', NaN], ['Infinity', Infinity], ['-1e21', -1e21]]) {
  for (const [where, call] of [
    ['path placeholder {card_id}', (client) => memberCode(client).get({ card_id: value, code: CODE })],
    ['params.out_trade_no', (client) => client.v3.sandbox.echo.get({ params: { out_trade_no: value } })],
    ['params.ids (in an array)', (client) => client.v3.sandbox.echo.get({ params: { ids: ['1', value] } })],
  ]) {
    test(`${where}: ${what} is refused, nothing sent`, async () => {
      const sent = h.fetches;
      const r = await settle(() => call(h.client));
      assert.equal(outcome(r), 'rejected WxpayError ERR_INVALID_PARAM');
      assert.match(r.error.message, new RegExp(`${where.split(' ')[0].replace(/[{}.]/g, '\\$&')}.*not a safe integer.*pass ids and large numbers as strings`));
      for (const digits of [String(value), '42000000002024', '1234567890123456']) {
        if (digits.length > 3) assert.ok(!r.error.message.includes(digits), `the message quotes the value: ${r.error.message}`);
      }
      assert.equal(h.fetches, sent, 'nothing sent');
      await h.check(`after ${where}: ${what}`);
    });
  }
}
test('safe integers are still sent as written: 0, -1, 2^53 - 1', async () => {
  const { data } = await h.client.v3.sandbox.echo.get({ params: { a: 0, b: -1, c: Number.MAX_SAFE_INTEGER } });
  assert.deepEqual(data.query, { a: '0', b: '-1', c: '9007199254740991' });
  const seed = await memberCode(h.client).get({ card_id: CARD_ID, code: Number(CODE) });
  assert.equal(seed.data.code, CODE);
  await h.check('after safe integers');
});

// ---- headers that frame the request (the boundary audit, item 7) ----
// The package makes the body: a caller's Content-Length could only be wrong (one too large hung
// the call for ever), and Host, Transfer-Encoding and the like were forwarded or refused by fetch
// as ERR_NETWORK after signing. Refused like Authorization, in any case of the name.
for (const [name, value] of [['Content-Length', '5'], ['content-length', '7'], ['Transfer-Encoding', 'chunked'], ['Host', 'example.com'],
  ['Connection', 'close'], ['Expect', '100-continue'], ['Keep-Alive', 'timeout=5'], ['Upgrade', 'websocket'], ['TE', 'trailers'],
  ['Trailer', 'X-A'], ['Proxy-Authorization', 'Basic eA=='], ['proxy-connection', 'keep-alive']]) {
  test(`headers: ${name} is refused, nothing sent`, async () => {
    const sent = h.fetches;
    const r = await settle(() => h.client.v3.sandbox.echo.post({ a: 1 }, { headers: { [name]: value } }));
    assert.equal(outcome(r), 'rejected WxpayError ERR_INVALID_PARAM');
    assert.match(r.error.message, /must not set .*: the package makes the request's body/);
    assert.equal(h.fetches, sent, 'nothing sent');
    await h.check(`after headers ${name}`);
  });
}
test('headers: an ordinary header and one merely starting like a framing one are still sent', async () => {
  const { data } = await h.client.v3.sandbox.echo.post({ a: 1 }, { headers: { 'Idempotency-Key': 'k1', 'Hosting-Id': 'h', 'X-Content-Length': '3' } });
  assert.equal(data.headers['idempotency-key'], 'k1');
  assert.equal(data.headers['hosting-id'], 'h');
  assert.equal(data.headers['x-content-length'], '3');
});

// ---- strings that crossed into wasm memory unbounded (the boundary audit, items 2 and 3) ----
const OVER = 'x'.repeat((1 << 20) + 1);
/** An upload with one file, `type` its media type, under the field `field`. */
function fileForm({ type = 'image/jpeg', field = 'file', filename = 'a.jpg' } = {}) {
  const form = new FormData();
  form.append('meta', JSON.stringify({ filename: 'a.jpg', sha256: '0'.repeat(64) }));
  form.append(field, new Blob([new Uint8Array(4)], { type }), filename);
  return form;
}
for (const [what, call, message] of [
  ['jsapiParams: a prepay_id of 1 M + 1 characters', (c) => c.jsapiParams({ appId: 'wx1', prepay_id: OVER }), /input\.prepay_id is longer than 1048576 characters/],
  ['appParams: an appid of 1 M + 1 characters', (c) => c.appParams({ appid: OVER, prepay_id: 'wx1' }), /input\.appid is longer than 1048576 characters/],
  ['appParams: a partnerid of 1 M + 1 characters', (c) => c.appParams({ appid: 'wx1', prepay_id: 'wx1', partnerid: OVER }), /input\.partnerid is longer than 1048576 characters/],
  ['upload: a file type of 1 M + 1 characters', (c) => upload(c, fileForm({ type: OVER })), /the type of field `file` is longer than 1048576 characters/],
  ['upload: a field name of 1 M + 1 characters', (c) => upload(c, fileForm({ field: OVER })), /a field name is longer than 1048576 characters/],
  ['upload: names, filenames and types over 1 M characters in all', (c) => {
    const form = fileForm({ type: OVER.slice(0, 600_000) });
    form.append('file2', new Blob([new Uint8Array(4)], { type: OVER.slice(0, 600_000) }), 'b.jpg');
    return upload(c, form);
  }, /longer than 1048576 characters in all/],
  ['chain: a segment of 1 M + 1 characters', (c) => c.v3.sandbox.echo[OVER].get(), /a chain segment is longer than 1048576 characters/],
  ['chain: two segments of 600,000 characters', (c) => c.v3.sandbox[OVER.slice(0, 600_000)][OVER.slice(0, 600_000)].get(), /the chain's path is longer than 1048576 characters/],
]) {
  test(`${what}: refused (ERR_INVALID_PARAM) before it crosses, nothing sent`, async () => {
    const sent = h.fetches;
    const r = await settle(() => call(h.client));
    assert.equal(outcome(r), 'rejected WxpayError ERR_INVALID_PARAM');
    assert.match(r.error.message, message);
    assert.equal(h.fetches, sent, 'nothing sent');
    await h.check(`after ${what}`);
  });
}
test('chain: String(node) of a node whose path is over the limit throws ERR_INVALID_PARAM', async () => {
  assert.throws(() => String(h.client.v3.sandbox[OVER]), (e) => e instanceof WxpayError && e.code === 'ERR_INVALID_PARAM');
  await h.check('after String(node)');
});
test('chain: a chain deeper than the JS stack has its path made in a loop (a recursion overflowed: ERR_INTERNAL)', async () => {
  const recovered = [];
  const onRecover = Wxpay.onRecover;
  Wxpay.onRecover = (info) => recovered.push(info);
  try {
    let node = h.client.v3.sandbox.echo;
    for (let i = 0; i < 30_000; i++) node = node.A;
    assert.equal(String(node).length, 'v3/sandbox/echo'.length + 2 * 30_000);
    await h.check('after a deep chain');
  } finally {
    Wxpay.onRecover = onRecover;
  }
  assert.deepEqual(recovered, [], 'no recovery');
});
test('chain: a chain 200,000 deep (a path of 400k characters, under the limit) holds one copy of its path, not one a node', async () => {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  let node = h.client.v3.sandbox.echo;
  for (let i = 0; i < 200_000; i++) node = node.a;
  const path = String(node);
  assert.equal(path.length, 'v3/sandbox/echo'.length + 2 * 200_000);
  assert.ok(path.endsWith('/a/a'));
  // Each node above kept its own path once: 200,000 paths of 200k characters on average, some 40 GB.
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 512 * 2 ** 20, `the heap grew ${Math.round(grown / 2 ** 20)} MiB`);
  await h.check('after a chain 200,000 deep');
});
