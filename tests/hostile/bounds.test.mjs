// Input that is cheap to give and dear to hold: params and headers that yield pairs without end
// (or empty pairs, each still two characters of a URL), a FormData of millions of fields, a bill
// that goes on after its summary, and `uploadForm` given what it cannot use. Each is refused with
// ERR_INVALID_PARAM at its bound, while it is read, before anything is sent; the instance keeps
// working. (Found by a hostile review: 20 M empty pairs made a 40 MB URL, 70 M aborted the
// process; 2 M empty fields sent a 162 MB body; 600 MB after a bill's summary were held whole.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { WxpayError, readBill, uploadForm } from 'wxpay-wasm';
import { useHealth, settle, outcome } from './harness.mjs';

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
