// An injected `fetch` that misbehaves (issue 10, items 2 and 4): it throws, returns or resolves
// to something that is not a Response, or a Response-like object whose reads throw. Each call
// must reject ERR_NETWORK (a timeout ERR_TIMEOUT, within about the timeout, even when fetch
// ignores init.signal), nothing may escape as an uncaught exception or unhandled rejection,
// and the instance keeps working: LOOPS calls per throwing case, health checks as elsewhere.
import test from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { Wxpay } from 'wxpay-wasm';
import { signedAnswer } from '../sandbox/answer.mjs';
import { keyObjects } from '../sandbox/keys.mjs';
import { useHealth, hostileLoop, rejects, resolves, outcome, settle, options, thrown, isTypeError, LOOPS, BACKENDS, outOfBounds } from './harness.mjs';

const h = useHealth();
const ANSWER = Buffer.from('{"ok":true,"text":"中文"}');

/**
 * A real, correctly signed 200 answer, a fresh Response each call; the signature is reused
 * for a minute (well inside the 300 s window), as signing each of 2,500 answers is slow.
 */
let signed;
function goodResponse() {
  if (!signed || Date.now() - signed.at > 60_000) {
    const { platformPrivate } = keyObjects(h.sb);
    signed = { at: Date.now(), headers: signedAnswer({ status: 200, body: ANSWER }, { privateKey: platformPrivate, serial: h.sb.platform.serial }).headers };
  }
  return new Response(ANSWER, { status: 200, headers: { 'Content-Type': 'application/json', 'Request-ID': 'hostile-fetch', ...signed.headers } });
}

/**
 * A Response-like object that forwards to a real signed Response, but whose `broken` member
 * is replaced (a throwing getter unless `value` is given). `hits.n` counts the broken reads.
 */
function responseLike(broken, err, value, hits) {
  const real = goodResponse();
  const like = {};
  for (const key of ['status', 'statusText', 'ok', 'headers', 'body', 'bodyUsed', 'url', 'redirected', 'type']) {
    Object.defineProperty(like, key, { enumerable: true, configurable: true, get: () => real[key] });
  }
  for (const key of ['arrayBuffer', 'text', 'json', 'blob', 'bytes']) like[key] = (...a) => real[key](...a);
  if (broken) {
    Object.defineProperty(like, broken, value === undefined
      ? { enumerable: true, get() { hits.n++; throw err; } }
      : { enumerable: true, get() { hits.n++; return value; } });
  }
  return like;
}

/**
 * One case: `fetchImpl(hits)` is the client's fetch. While `hits.n` stays 0 for a call,
 * nothing hostile was reached, and the call must resolve with the good answer.
 */
function fetchCase(name, fetchImpl, { n, expect = rejects('ERR_NETWORK'), tracked = false } = {}) {
  test(name, async () => {
    const hits = { n: 0 };
    // retry: 0: each call is one fetch, so the loop counts what the boundary did (retries are tested in tests/node/retry.test.mjs)
    const wxpay = new Wxpay(options(h.sb, { fetch: fetchImpl(hits), retry: 0 }));
    let before = 0;
    try {
      await hostileLoop(name, {
        n,
        call: () => {
          before = hits.n;
          return wxpay.v3.sandbox.echo.get();
        },
        expect: (r) => (tracked && hits.n === before ? resolves(200)(r) : expect(r)),
        health: (label) => h.check(label),
      });
    } finally {
      wxpay.free();
    }
  });
}

test('baseline: the health check passes, and the good Response-like answer is accepted', async () => {
  await h.check('baseline');
  const wxpay = new Wxpay(options(h.sb, { fetch: () => Promise.resolve(responseLike()), retry: 0 }));
  const { status, data } = await wxpay.v3.sandbox.echo.get();
  assert.equal(status, 200);
  assert.deepEqual(data, { ok: true, text: '中文' });
  wxpay.free();
});

fetchCase('fetch throws synchronously', () => () => { throw thrown('fetch'); });
for (const [what, value] of [['null', null], ['undefined', undefined], ['a number', 42], ['a string', 'HTTP/1.1 200 OK'], ['a plain object', {}]]) {
  fetchCase(`fetch returns ${what}`, () => () => value);
  fetchCase(`fetch resolves to ${what}`, () => () => Promise.resolve(value));
}
fetchCase('fetch returns a thenable that throws in then()', () => () => ({ then() { throw thrown('then'); } }));
fetchCase('fetch rejects with null', () => () => Promise.reject(null));

/**
 * A Response-like with no body stream: its body is read by arrayBuffer() (with a stream, and no
 * Content-Length, the package reads the stream and never calls arrayBuffer()).
 */
const bodiless = (like) => Object.defineProperty(like, 'body', { get: () => null });
for (const key of ['status', 'headers', 'arrayBuffer', 'body']) {
  fetchCase(`a Response-like whose \`${key}\` getter throws`, (hits) => () => Promise.resolve(responseLike(key, thrown(`response.${key}`), undefined, hits)), { tracked: true });
}
fetchCase('a Response-like with no body stream whose `arrayBuffer` getter throws', (hits) => () => Promise.resolve(bodiless(responseLike('arrayBuffer', thrown('response.arrayBuffer'), undefined, hits))));
fetchCase('a Response-like whose arrayBuffer() throws', (hits) => () => Promise.resolve(bodiless(responseLike('arrayBuffer', null, () => { throw thrown('arrayBuffer()'); }, hits))));
fetchCase('a Response-like whose arrayBuffer() rejects', (hits) => () => Promise.resolve(bodiless(responseLike('arrayBuffer', null, () => Promise.reject(thrown('arrayBuffer() rejection')), hits))));
// The bytes of the good answer in other holders than a plain ArrayBuffer: read (copied) as they
// are, so the answer verifies; a detached buffer or a Proxy of one is a failed read.
const data = (r) => ('value' in r && r.value?.status === 200 && r.value.data?.text === '中文' ? null : `${outcome(r)}; expected the good answer`);
const holding = (make) => (hits) => () => Promise.resolve(bodiless(responseLike('arrayBuffer', null, () => Promise.resolve(make(new Uint8Array(ANSWER))), hits)));
for (const [what, value] of [['a string', 'abc'], ['null', null], ['a plain object', { byteLength: 8 }], ['a number', 7]]) {
  fetchCase(`a Response-like whose arrayBuffer() resolves to ${what}`, holding(() => value));
}
fetchCase('a Response-like whose arrayBuffer() resolves to a SharedArrayBuffer', holding((b) => {
  const shared = new SharedArrayBuffer(b.length);
  new Uint8Array(shared).set(b);
  return shared;
}), { expect: data });
fetchCase('a Response-like whose arrayBuffer() resolves to a resizable ArrayBuffer', holding((b) => {
  const resizable = new ArrayBuffer(b.length, { maxByteLength: 4 * b.length });
  new Uint8Array(resizable).set(b);
  return resizable;
}), { expect: data });
fetchCase('a Response-like whose arrayBuffer() resolves to a Uint8Array', holding((b) => b), { expect: data });
fetchCase('a Response-like whose arrayBuffer() resolves to a detached ArrayBuffer', holding((b) => {
  const buffer = b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
}));
fetchCase('a Response-like whose arrayBuffer() resolves to a Proxy of an ArrayBuffer', holding((b) => new Proxy(b.buffer.slice(b.byteOffset, b.byteOffset + b.length), {})));
// A chunk out of the bounds of its resizable buffer reads 0 bytes: a failed read, not a short body.
fetchCase('a Response-like whose body stream gives a Uint8Array out of the bounds of its shrunk resizable ArrayBuffer', (hits) => () => {
  const like = responseLike('body', null, new ReadableStream({ pull(c) { hits.n++; c.enqueue(outOfBounds(ANSWER.length)); c.close(); } }), hits);
  return Promise.resolve(like);
}, { expect: rejects('ERR_NETWORK', undefined, /out of the bounds of its resizable ArrayBuffer/) });
fetchCase('a Response-like whose body stream errors (and arrayBuffer() rejects)', (hits) => () => {
  const err = thrown('stream');
  const like = responseLike('body', null, new ReadableStream({ pull(c) { c.enqueue(new Uint8Array([0x7b])); c.error(err); } }), hits);
  like.arrayBuffer = () => { hits.n++; return Promise.reject(err); };
  return Promise.resolve(like);
});
fetchCase('a Response-like whose headers object throws on every read', (hits) => () => {
  const err = thrown('headers read');
  const bad = new Proxy({}, { get() { hits.n++; throw err; }, ownKeys() { hits.n++; throw err; }, getPrototypeOf() { hits.n++; throw err; } });
  return Promise.resolve(responseLike('headers', null, bad, hits));
}, { tracked: true });

// ---- timeouts that fetch ignores ----
async function timeoutCase(name, fetchImpl, calls = 5) {
  test(name, async () => {
    const wxpay = new Wxpay(options(h.sb, { fetch: fetchImpl, timeout: 200, retry: 0 }));
    try {
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        const r = await settle(() => wxpay.v3.sandbox.echo.get(), 3000);
        const elapsed = performance.now() - t0;
        const wrong = rejects('ERR_TIMEOUT')(r);
        assert.equal(wrong, null, `${name}, call ${i + 1}: ${wrong}`);
        assert.ok(elapsed >= 190 && elapsed < 1200, `${name}: settled after ${elapsed.toFixed(0)} ms with timeout 200`);
      }
      // a per-request timeout too
      const t0 = performance.now();
      const r = await settle(() => wxpay.v3.sandbox.echo.get({ timeout: 100 }), 3000);
      assert.equal(rejects('ERR_TIMEOUT')(r), null, outcome(r));
      assert.ok(performance.now() - t0 < 1100);
    } finally {
      wxpay.free();
    }
    await h.check(name);
  });
}
timeoutCase('timeout: fetch never settles and ignores init.signal', () => new Promise(() => {}));
timeoutCase('timeout: arrayBuffer() never settles and the body never ends', () => {
  const like = responseLike('body', null, new ReadableStream({ pull() { return new Promise(() => {}); } }), { n: 0 });
  like.arrayBuffer = () => new Promise(() => {});
  return Promise.resolve(like);
});

// ---- body chunks that lie about themselves ----
// A real Uint8Array whose `length`/`byteLength` a caller overrode (an own getter, a subclass):
// the package reads the chunk through the typed array's own internal slots and hands Rust a copy
// it made, so none of the caller's code runs inside Rust frames and the answer is read as sent.
// Anything that is not a Uint8Array (a Proxy of one, an object made from its prototype) is
// ERR_NETWORK. Before: Rust's copy read the overridden `length`: a trap (ERR_INTERNAL).
function chunkCase(name, makeChunk, expect) {
  test(`a body stream whose only chunk ${name}`, async () => {
    const reads = { n: 0 };
    const wxpay = new Wxpay(options(h.sb, {
      retry: 0,
      fetch: () => Promise.resolve(responseLike('body', null, new ReadableStream({ start(c) { c.enqueue(makeChunk(reads)); c.close(); } }), { n: 0 })),
    }));
    try {
      await hostileLoop(name, { call: () => wxpay.v3.sandbox.echo.get(), expect, health: (label) => h.check(label) });
    } finally {
      wxpay.free();
    }
    assert.equal(reads.n, 0, "the chunk's own length getters were never called");
  });
}
const sameAnswer = (r) => resolves(200)(r) ?? (JSON.stringify(r.value.data) === JSON.stringify({ ok: true, text: '中文' }) ? null : `resolved with other data: ${JSON.stringify(r.value.data)}`);
const lying = (keys) => (reads) => {
  const chunk = new Uint8Array(ANSWER);
  for (const key of keys) Object.defineProperty(chunk, key, { get() { reads.n++; throw thrown(`chunk.${key}`); } });
  return chunk;
};
chunkCase('has a throwing own length getter', lying(['length']), sameAnswer);
chunkCase('has throwing own length, byteLength, byteOffset and buffer getters', lying(['length', 'byteLength', 'byteOffset', 'buffer']), sameAnswer);
chunkCase('is of a Uint8Array subclass whose length grows at each read', (reads) => {
  let n = ANSWER.length;
  class Growing extends Uint8Array {
    get length() { reads.n++; return n++; }
  }
  return new Growing(ANSWER);
}, sameAnswer);
chunkCase('is a Proxy of a Uint8Array', () => new Proxy(new Uint8Array(ANSWER), {}), rejects('ERR_NETWORK', isTypeError));
chunkCase("is an object made from Uint8Array's prototype", () => Object.defineProperty(Object.create(Uint8Array.prototype), 'length', { value: 4 }), rejects('ERR_NETWORK', isTypeError));

// ---- a streamed download whose body is not what it seems ----
// download(data, { stream: true }) hands the answer's body to the file reader unread: a body that
// is not a stream, a reader that throws, or chunks that are not Uint8Arrays reject ERR_NETWORK
// (at download() or while the stream is read), never a bare TypeError, and never reach the
// decompressor or Rust's digest (where a `{ length: -1 }` chunk trapped the instance with crypto
// 'rust', reported as ERR_CRYPTO, the instance not replaced).
const FILE = new Uint8Array([0x61, 0x62, 0x63]);
const fileData = () => ({ download_url: `${h.sb.baseURL}v3/billdownload/file?token=x`, hash_type: 'SHA1', hash_value: 'a9993e364706816aba3e25717850c26c9cd0d89d' });
const chunks = (...list) => new ReadableStream({ start(c) { for (const x of list) c.enqueue(x); c.close(); } });

function downloadCase(name, makeBody, backends = ['node']) {
  for (const crypto of backends) {
    test(`download, streamed: ${name} (crypto ${crypto})`, async () => {
      const recovered = [];
      const onRecover = Wxpay.onRecover;
      Wxpay.onRecover = (info) => recovered.push(info);
      const wxpay = new Wxpay(options(h.sb, { crypto, retry: 0, fetch: () => Promise.resolve({ status: 200, headers: {}, body: makeBody() }) }));
      try {
        await hostileLoop(`${name} (crypto ${crypto})`, {
          n: Math.min(LOOPS, 500),
          call: async () => {
            const stream = await wxpay.download(fileData(), { stream: true });
            for await (const chunk of stream) void chunk;
            return { status: 'read to its end' };
          },
          expect: rejects('ERR_NETWORK'),
          health: (label) => h.check(label, 'node'),
        });
      } finally {
        wxpay.free();
        Wxpay.onRecover = onRecover;
      }
      assert.deepEqual(recovered, [], 'no trap');
    });
  }
}

test('download, streamed: the same fetch with a real stream of the file reads it to its end', async () => {
  const wxpay = new Wxpay(options(h.sb, { crypto: 'rust', retry: 0, fetch: () => Promise.resolve({ status: 200, headers: {}, body: chunks(FILE.subarray(0, 1), FILE.subarray(1)) }) }));
  const stream = await wxpay.download(fileData(), { stream: true });
  const got = [];
  for await (const chunk of stream) got.push(...chunk);
  assert.deepEqual(got, [...FILE]);
  wxpay.free();
});
downloadCase('a body that is a plain object', () => ({}));
downloadCase('a body that is a string', () => 'abc');
downloadCase('a body whose getReader() throws', () => ({ getReader() { throw thrown('getReader'); } }));
downloadCase('a body whose getReader() gives null', () => ({ getReader: () => null }));
downloadCase("a body whose reader's read() throws", () => ({ getReader: () => ({ read() { throw thrown('read'); }, cancel() {} }) }));
downloadCase("a body whose reader's read() resolves to null", () => ({ getReader: () => ({ read: async () => null, cancel() {} }) }));
downloadCase('a body stream with a chunk { length: -1 } after a real one', () => chunks(FILE.subarray(0, 1), { length: -1 }), BACKENDS);
downloadCase('a body stream with a chunk { length: 2 ** 32 - 16 }', () => chunks({ length: 2 ** 32 - 16 }), BACKENDS);
downloadCase('a body stream with a string chunk after a real one', () => chunks(FILE.subarray(0, 1), 'bc'), BACKENDS);
downloadCase('a body stream with a Proxy of a Uint8Array', () => chunks(new Proxy(FILE, {})), BACKENDS);
downloadCase('a GZIP body stream with a chunk { length: -1 } after its first bytes', () => chunks(zlib.gzipSync(FILE).subarray(0, 12), { length: -1 }), BACKENDS);

// ---- answer headers (the boundary audit, items 4 and 8) ----
/** A client whose fetch answers the good signed answer with `extra` headers (pairs) added. */
function withHeaders(extra) {
  return new Wxpay(options(h.sb, {
    retry: 0,
    fetch: async () => {
      const real = goodResponse();
      return { status: 200, statusText: 'OK', headers: [...real.headers, ...extra], body: real.body, arrayBuffer: () => real.arrayBuffer() };
    },
  }));
}

test('answer headers named constructor, __proto__, hasOwnProperty or toString keep their values as own data properties', async () => {
  const wxpay = withHeaders([['constructor', 'c-value'], ['__proto__', 'p-value'], ['hasOwnProperty', 'h-value'], ['toString', 't-value'], ['x-twice', 'a'], ['X-Twice', 'b']]);
  try {
    const { status, headers } = await wxpay.v3.sandbox.echo.get();
    assert.equal(status, 200);
    assert.equal(Object.getPrototypeOf(headers), Object.prototype, 'a plain object');
    for (const [name, value] of [['constructor', 'c-value'], ['__proto__', 'p-value'], ['hasownproperty', 'h-value'], ['tostring', 't-value'], ['x-twice', 'a, b']]) {
      assert.deepEqual(Object.getOwnPropertyDescriptor(headers, name), { value, writable: true, enumerable: true, configurable: true }, name);
    }
  } finally {
    wxpay.free();
  }
  await h.check('after odd header names');
});

// A caller's fetch can answer headers of any size (undici's own stop at 16 KiB): they cross into
// wasm memory and the signature headers are joined into one string, which threw
// `RangeError: Invalid string length` outside any try, taken for a trap. Refused with
// ERR_RESPONSE_TOO_LARGE (the answer's status kept) past 1 M characters in all.
for (const [what, extra] of [
  ['a Wechatpay-Signature of 1 M + 1 characters', () => [['wechatpay-signature', 's'.repeat((1 << 20) + 1)]]],
  ['a header name of 1 M + 1 characters', () => [[`x-${'n'.repeat(1 << 20)}`, 'v']]],
  ['2,000 headers of 1,000 characters', () => Array.from({ length: 2000 }, (_, i) => [`x-h${i}`, 'v'.repeat(1000)])],
]) {
  test(`answer headers: ${what} are refused ERR_RESPONSE_TOO_LARGE, no trap`, async () => {
    const recovered = [];
    const onRecover = Wxpay.onRecover;
    Wxpay.onRecover = (info) => recovered.push(info);
    const wxpay = withHeaders(extra());
    try {
      for (let i = 0; i < 3; i++) {
        const r = await settle(() => wxpay.v3.sandbox.echo.get());
        assert.equal(outcome(r), 'rejected WxpayError ERR_RESPONSE_TOO_LARGE');
        assert.equal(r.error.status, 200);
        assert.match(r.error.message, /headers are longer than 1048576 characters in all/);
      }
      await h.check(`after ${what}`);
    } finally {
      wxpay.free();
      Wxpay.onRecover = onRecover;
    }
    assert.deepEqual(recovered, [], 'no recovery');
  });
}
test('answer headers: a plain-object headers whose array value is huge in all is refused too', async () => {
  const wxpay = new Wxpay(options(h.sb, {
    retry: 0,
    fetch: async () => ({ status: 200, headers: { 'x-list': Array.from({ length: 1100 }, () => 'v'.repeat(1000)) }, body: null, arrayBuffer: async () => new ArrayBuffer(0) }),
  }));
  try {
    const r = await settle(() => wxpay.v3.sandbox.echo.get());
    assert.equal(outcome(r), 'rejected WxpayError ERR_RESPONSE_TOO_LARGE');
  } finally {
    wxpay.free();
  }
  await h.check('after a huge array header');
});
