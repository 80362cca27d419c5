// Input that is cheap to give and dear to hold: params and headers that yield pairs without end
// (or empty pairs, each still two characters of a URL), a FormData of millions of fields, a bill
// that goes on after its summary, and `uploadForm` given what it cannot use. Each is refused with
// ERR_INVALID_PARAM at its bound, while it is read, before anything is sent; the instance keeps
// working. (Found by a hostile review: 20 M empty pairs made a 40 MB URL, 70 M aborted the
// process; 2 M empty fields sent a 162 MB body; 600 MB after a bill's summary were held whole.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { Wxpay, WxpayError, readBill, uploadForm, signV2 } from 'wxpay-wasm';
import { useHealth, settle, outcome, options, wasmMemoryBytes, trapProxy, revoked, thrown } from './harness.mjs';

const h = useHealth();
const MAX_TEXT = 1 << 20;

/** Asserts `r` (a settle() outcome) is an ERR_INVALID_PARAM WxpayError whose message matches `re`. */
function refused(r, re, what) {
  const err = r.sync ?? r.error;
  assert.ok(err instanceof WxpayError && err.code === 'ERR_INVALID_PARAM', `${what}: ${outcome(r)}`);
  if (re) assert.match(err.message, re, what);
  return err;
}

test('params and headers without end, or of empty pairs: refused at 1 M characters in all, separators counted, nothing sent', async () => {
  const c = h.client;
  const sent = h.fetches;
  let yielded = 0;
  const endless = { *[Symbol.iterator]() { for (;;) { yielded++; yield ['', '']; } } };
  refused(await settle(() => c.v3.sandbox.echo.get({ params: endless })), /pairs|characters/, 'endless params');
  assert.ok(yielded <= MAX_TEXT, `read ${yielded} pairs`);
  yielded = 0;
  refused(await settle(() => c.v3.sandbox.echo.get({ headers: endless })), /pairs|characters/, 'endless headers');
  assert.ok(yielded <= MAX_TEXT, `read ${yielded} pairs`);
  // Half a million empty values of one key: a URL of a million `&=` characters.
  refused(await settle(() => c.v3.sandbox.echo.get({ params: { '': new Array(MAX_TEXT / 2 + 1).fill('') } })), /characters in all/, 'empty params');
  // One key's values just under the bound go (each `k=v&`: 1 + 1 + 2 characters).
  const fine = await c.v3.sandbox.echo.get({ params: { k: new Array(1000).fill('v') } });
  assert.equal(fine.status, 200);
  // The same header name again and again, each replacing the last: bounded as read.
  let n = 0;
  const repeated = { *[Symbol.iterator]() { for (;;) { n++; yield ['x-a', 'b']; } } };
  refused(await settle(() => c.v3.sandbox.echo.get({ headers: repeated })), /pairs|characters/, 'repeated header');
  assert.ok(n <= MAX_TEXT, `read ${n} headers`);
  assert.equal(h.fetches, sent + 1, 'only the request within the bound was sent');
  await h.check('after params and headers without end');
});

test('an upload of more than 1024 fields is refused while its FormData is read, nothing sent', async () => {
  const c = h.client;
  const sent = h.fetches;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(4)]), 'a.jpg');
  for (let i = 0; i < 1024; i++) form.append('', '');
  refused(await settle(() => c.v3.merchant.media.upload.post(form)), /more than 1024 fields/, 'many fields');
  // A look-alike whose entries never end stops at the bound too.
  let read = 0;
  const endless = { [Symbol.toStringTag]: 'FormData', *entries() { for (;;) { read++; yield ['', '']; } } };
  const r = await settle(() => c.v3.merchant.media.upload.post(endless));
  refused(r, /more than 1024 fields/, 'endless look-alike');
  assert.ok(read <= 1025, `read ${read} entries`);
  assert.equal(h.fetches, sent);
  await h.check('after many fields');
});

test('readBill: lines without end after a summary, a source that is not one or that throws: ERR_INVALID_PARAM at once', async () => {
  const enc = new TextEncoder();
  let pulled = 0;
  async function* bill() {
    yield enc.encode('交易时间,商户订单号\r\n`2024-01-02 10:00:00,`o1\r\n总交易单数,总金额\r\n`1,`0.01\r\n');
    for (;;) { pulled++; yield enc.encode('junk,after,the,summary\r\n'); }
  }
  const rows = [];
  const r = await settle(async () => { for await (const row of readBill(bill())) rows.push(row); });
  refused(r, /after the records/, 'after the summary');
  assert.equal(rows.length, 1);
  assert.ok(pulled < 100, `pulled ${pulled} chunks`);
  for (const source of [null, undefined, 42, 'text', {}]) refused(await settle(() => readBill(source)), /source must be/, `readBill(${String(source)})`);
  const getter = Object.defineProperty({}, Symbol.asyncIterator, { get() { throw new Error('hostile'); } });
  refused(await settle(() => readBill(getter)), /source must be/, 'a throwing iterator getter');
  const cause = new Error('hostile source');
  const throwing = { async *[Symbol.asyncIterator]() { yield enc.encode('a,b\n'); throw cause; } };
  const err = refused(await settle(async () => { for await (const row of readBill(throwing)) void row; }), /reading the source failed/, 'a throwing source');
  assert.equal(err.cause, cause);
  // A chunk whose traps throw (its prototype, as `instanceof` asks) is not bytes; its error stays in.
  const { obj: trapped } = trapProxy('getPrototypeOf', thrown('chunk prototype'));
  for (const chunk of [trapped, revoked()]) {
    refused(await settle(async () => { for await (const row of readBill((async function* () { yield chunk; })())) void row; }), /not bytes|reading the source failed/, 'a Proxy chunk');
  }
});

test('uploadForm given what it cannot use: ERR_INVALID_PARAM, the thrown value as cause', async () => {
  const cyclic = {};
  cyclic.self = cyclic;
  const cause = new Error('hostile getter');
  for (const [what, call] of [
    ['no file', () => uploadForm(undefined, 'a.jpg')],
    ['a string file', () => uploadForm('text', 'a.jpg')],
    ['no filename', () => uploadForm(new Uint8Array(1), '')],
    ['options null', () => uploadForm(new Uint8Array(1), 'a.jpg', null)],
    ['a cyclic meta', () => uploadForm(new Uint8Array(1), 'a.jpg', { meta: cyclic })],
    ['a BigInt meta', () => uploadForm(new Uint8Array(1), 'a.jpg', { meta: { n: 1n } })],
    ['a function meta', () => uploadForm(new Uint8Array(1), 'a.jpg', { meta: () => 1 })],
    ['a throwing options getter', () => uploadForm(new Uint8Array(1), 'a.jpg', Object.defineProperty({}, 'meta', { get() { throw cause; } }))],
    ['a field whose toString throws', () => uploadForm(new Uint8Array(1), 'a.jpg', { fields: { a: { toString() { throw cause; } } } })],
    ['a field name that is not text', () => uploadForm(new Uint8Array(1), 'a.jpg', { field: 5 })],
    ['fields null', () => uploadForm(new Uint8Array(1), 'a.jpg', { fields: null })],
    // A file whose traps throw while its kind is asked (its tag, its prototype), or revoked.
    ['a throwing file: get trap', () => uploadForm(trapProxy('get', cause).obj, 'a.jpg')],
    ['a throwing file: getPrototypeOf trap', () => uploadForm(trapProxy('getPrototypeOf', cause).obj, 'a.jpg')],
    ['a revoked file', () => uploadForm(revoked(), 'a.jpg')],
  ]) {
    const err = refused(await settle(call), undefined, what);
    if (what.startsWith('a throwing') || what.startsWith('a field whose')) assert.equal(err.cause, cause, what);
  }
  assert.ok(uploadForm(new Uint8Array(1), 'a.jpg') instanceof FormData);
  // Bytes and Blobs of another realm are bytes and Blobs too.
  const { buffer, blob } = runInNewContext('({ buffer: new ArrayBuffer(3), blob: new Blob(["abc"]) })', { Blob });
  assert.ok(uploadForm(buffer, 'a.jpg') instanceof FormData);
  const other = runInNewContext('new ArrayBuffer(2)');
  assert.equal((await uploadForm(other, 'b.jpg').get('file').arrayBuffer()).byteLength, 2);
  assert.ok(uploadForm(blob, 'c.jpg') instanceof FormData);
  await h.check('after uploadForm');
});

// Found by a hostile review of the boundary (2026-12-05): each of these escaped its bound, trapped
// the instance, held the event loop or quoted a secret before.

/** A client whose fetch is `fetch` (every other option as the health client's). */
const clientWith = (fetch, extra = {}) => new Wxpay(options(h.sb, { fetch, retry: 0, ...extra }));

test("an answer's status text is kept to 1024 characters: not copied into wasm memory whole, and quoted in the message to 64", async () => {
  const long = 'x'.repeat(1 << 24);
  const before = await wasmMemoryBytes();
  const c = clientWith(async () => ({ status: 500, statusText: long, headers: {}, body: null, arrayBuffer: async () => new ArrayBuffer(0) }));
  const r = await settle(() => c.v3.sandbox.echo.get());
  const err = r.error;
  assert.ok(err instanceof WxpayError && err.code === 'ERR_HTTP_STATUS', outcome(r));
  assert.equal(err.message, `HTTP 500 ${'x'.repeat(64)}...`);
  assert.equal(err.response.statusText.length, 1024);
  const grown = (await wasmMemoryBytes()) - before;
  assert.ok(grown < 4 << 20, `wasm memory grew ${grown} bytes`);
  await h.check('after a long status text');
});

test("an answer's headers without end, all empty: refused at 1 M characters, separators counted, and the call settles", async () => {
  let pairs = 0;
  const headers = { *[Symbol.iterator]() { for (;;) { pairs++; yield ['', '']; } } };
  const c = clientWith(async () => ({ status: 200, statusText: 'OK', headers, body: null, arrayBuffer: async () => new ArrayBuffer(0) }));
  const r = await settle(() => c.v3.sandbox.echo.get({ timeout: 1000 }));
  assert.ok(r.error instanceof WxpayError && r.error.code === 'ERR_RESPONSE_TOO_LARGE', outcome(r));
  assert.ok(pairs <= (1 << 20) / 4 + 1, `read ${pairs} pairs`);
  await h.check('after endless answer headers');
});

test('a body of endless empty chunks, or of more than 262144 chunks: ERR_NETWORK at the bound, timers still fire', async () => {
  const answer = (pull) => async () => new Response(new ReadableStream({ pull }), { status: 200 });
  const empty = clientWith(answer((c) => c.enqueue(new Uint8Array(0))));
  let fired = false;
  setTimeout(() => { fired = true; }, 1);
  const r = await settle(() => empty.v3.sandbox.echo.get({ timeout: 2000 }));
  assert.ok(r.error instanceof WxpayError && r.error.code === 'ERR_NETWORK', outcome(r));
  assert.match(r.error.message, /more than 4096 empty chunks/);
  // One byte a chunk: each chunk held is an object of its own, so their number is bounded too.
  const tiny = clientWith(answer((c) => c.enqueue(new Uint8Array(1))));
  const t = await settle(() => tiny.v3.sandbox.echo.get({ timeout: 30000 }), 30000);
  assert.ok(t.error instanceof WxpayError && t.error.code === 'ERR_NETWORK', outcome(t));
  assert.match(t.error.message, /more than 262144 chunks/);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(fired, 'a timer set before the reads fired');
  // A notification's body, read the same way (its signature headers given: without them it is
  // refused unread, ERR_NOTIFY_UNSIGNED; what they say is checked after the body is read).
  const parser = new Wxpay(options(h.sb, { apiv3Key: h.sb.apiv3Key }));
  const signed = { 'Wechatpay-Timestamp': '1', 'Wechatpay-Nonce': 'n', 'Wechatpay-Signature': 's', 'Wechatpay-Serial': h.sb.platform.serial };
  const request = new Request('http://127.0.0.1/notify', { method: 'POST', headers: signed, body: new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(0)) }), duplex: 'half' });
  refused(await settle(() => parser.notifications.parse(request)), /empty chunks/, 'a notification of empty chunks');
  await h.check('after bodies of empty and tiny chunks');
});

test('a Map without end as options.certs, or as a notification\'s headers (or an array of too many): refused at its bound', async () => {
  let read = 0;
  const endless = (pair) => {
    const m = new Map();
    m[Symbol.iterator] = function* () { for (;;) { read++; yield pair; } };
    return m;
  };
  const r = await settle(() => new Wxpay(options(h.sb, { certs: endless([h.sb.platform.serial, h.sb.platform.certificate]) })));
  assert.ok(r.sync instanceof WxpayError && r.sync.code === 'ERR_INVALID_CONFIG', outcome(r));
  assert.match(r.sync.message, /options\.certs has more than 1024 entries/);
  assert.ok(read <= 3 * 1025, `read ${read} entries`);
  read = 0;
  const parser = new Wxpay(options(h.sb, { apiv3Key: h.sb.apiv3Key }));
  refused(await settle(() => parser.notifications.parse({ headers: endless(['x', 'y']), body: '{}' })), /more than 524288 headers/, 'endless notification headers');
  assert.ok(read <= 524289, `read ${read} headers`);
  // Arrays are bounded alike: of pairs, or of names and values (Node's req.rawHeaders).
  const pairs = Array.from({ length: 524289 }, () => ['x', 'y']);
  refused(await settle(() => parser.notifications.parse({ headers: pairs, body: '{}' })), /more than 524288 headers/, 'too many pairs');
  const flat = new Array(2 * 524288 + 2).fill('x');
  refused(await settle(() => parser.notifications.parse({ headers: flat, body: '{}' })), /more than 524288 headers/, 'too many names and values');
  await h.check('after endless Maps');
});

// The whitespace around a header's value is taken off (boundary.js, fieldValue); a value with a
// long run of spaces inside and one at its end is read once from each end. (A regular expression
// did it in time quadratic in the run: 64 K spaces took 3 s, the megabyte below about 12 minutes,
// synchronously. This test shows the outcome; it measures no time, so such a regression would
// show only in how long the suite runs.)
test('a header value of a megabyte of inner spaces and a trailing one: an answer and a notification are refused', async () => {
  const inner = `a${' '.repeat(MAX_TEXT - 200)}b `;
  const padded = new Wxpay(options(h.sb, { apiv3Key: h.sb.apiv3Key, retry: 0, fetch: async () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json', 'wechatpay-timestamp': String(Math.floor(Date.now() / 1000)), 'wechatpay-nonce': inner, 'wechatpay-signature': 'c2ln', 'wechatpay-serial': h.sb.platform.serial } }) }));
  try {
    const r = await settle(() => padded.v3.sandbox.echo.get());
    assert.ok(r.error instanceof WxpayError && r.error.code === 'ERR_RESPONSE_SIGNATURE', outcome(r));
    const n = h.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'o1' } });
    const headers = Object.fromEntries(Object.entries(n.headers).map(([k, v]) => [k, k.toLowerCase() === 'wechatpay-nonce' ? inner : v]));
    const q = await settle(() => padded.notifications.parse({ headers, body: n.body }));
    assert.ok(q.error instanceof WxpayError && q.error.code === 'ERR_NOTIFY_SIGNATURE', outcome(q));
  } finally {
    padded.free();
  }
  await h.check('after a megabyte of inner spaces');
});

test("a streamed download hashed by Rust (crypto: 'rust'): a chunk of 128 MiB is hashed in slices, not copied into wasm memory whole", async () => {
  const big = new Uint8Array(128 << 20);
  const { data } = await new Wxpay(options(h.sb)).v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02' } });
  const c = new Wxpay(options(h.sb, {
    crypto: 'rust',
    fetch: async (url, init) => (String(url).includes('/v3/billdownload/file')
      ? new Response(new ReadableStream({ start(ctl) { ctl.enqueue(big); ctl.close(); } }), { status: 200 })
      : fetch(url, init)),
  }));
  const before = await wasmMemoryBytes();
  const stream = await c.download(data, { stream: true });
  const r = await settle(async () => { for await (const chunk of stream) void chunk; }, 30000);
  assert.ok(r.error instanceof WxpayError && r.error.code === 'ERR_DIGEST_MISMATCH', outcome(r));
  const grown = (await wasmMemoryBytes()) - before;
  assert.ok(grown < 8 << 20, `wasm memory grew ${grown} bytes`);
  await h.check('after a 128 MiB chunk hashed by Rust');
});

test('a key pasted as a params key or a signV2 field name is never quoted', async () => {
  const pem = h.sb.merchant.privateKeyPkcs8;
  const apiv3 = h.sb.apiv3Key;
  for (const [what, params] of [['a PEM', { [pem]: {} }], ['an APIv3 key', { [apiv3]: [1.5] }]]) {
    const err = refused(await settle(() => h.client.v3.sandbox.echo.get({ params })), /^params\[\(\d+ characters, not shown\)\]/, what);
    assert.ok(!err.message.includes(what === 'a PEM' ? 'PRIVATE KEY' : apiv3), err.message);
  }
  // A short name is shown as it was.
  refused(await settle(() => h.client.v3.sandbox.echo.get({ params: { limit: {} } })), /^params\.limit must be/, 'a short name');
  const err = refused(await settle(() => signV2({ mch_id: '1900000109', [apiv3]: {} }, 'k'.repeat(32))), /field \(32 characters, not shown\)/, 'signV2');
  assert.ok(!err.message.includes(apiv3));
  refused(await settle(() => signV2({ mch_id: {} }, 'k'.repeat(32))), /field `mch_id` must be/, 'signV2, a short name');
});
