// Files in and out against the sandbox: uploads signed over meta, bills (plain, GZIP, encrypted
// sub-merchant parts) through wxpay.download with their digest checked, streamed or whole,
// statements, the unsigned downloads and the bill reader.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { format, inspect } from 'node:util';
import { Wxpay, WxpayError, parseBill, readBill, uploadForm } from 'wxpay-wasm';
import { useSandbox, client, options, rejectsWith, within, countingFetch, CARD_ID, CODE } from './helpers.mjs';
import { minorAndMajor, readsUnderGarbage } from '../common/streams.mjs';
import { UPLOAD_ROUTES, parseMultipart, tradeBill, fundFlowBill } from '../sandbox/files.mjs';

const ctx = useSandbox();
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);
const last = () => ctx.sb.requests.at(-1);

async function readAll(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

/**
 * A file host on 127.0.0.1 for what the sandbox does not do (cut connections, stalls, odd
 * chunking): `handler(req, res)` answers every request; closed, its sockets destroyed, after
 * the test. Resolves a client of the sandbox's merchant on it (no retries), its `baseURL`, `file(bytes)`,
 * the download data of a bill whose text is `bytes`, the `server` and its open `sockets`.
 */
async function fileHost(t, handler) {
  const sockets = new Set();
  const server = http.createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  const baseURL = `http://127.0.0.1:${server.address().port}/`;
  const file = (bytes) => ({ download_url: `${baseURL}v3/billdownload/file?token=t`, hash_type: 'SHA1', hash_value: crypto.createHash('sha1').update(bytes).digest('hex') });
  return { wxpay: client(ctx.sb, { baseURL, retry: false }), file, baseURL, server, sockets };
}

test('an upload sends multipart bytes built in Rust, signed over the meta it computed', async () => {
  const form = new FormData();
  form.append('file', new File([JPEG], 'photo.jpg', { type: 'image/jpeg' }));
  const { status, data } = await within(client(ctx.sb).v3.merchant.media.upload.post(form));
  assert.equal(status, 200);
  assert.equal(data.media_id, `media-${sha256(JPEG).slice(0, 16)}`);
  const r = last();
  assert.equal(r.verified, true, r.reason);
  const parts = parseMultipart(r.body, r.headers['content-type']);
  assert.deepEqual(parts.map((p) => [p.name, p.filename, p.type]), [['meta', undefined, 'application/json'], ['file', 'photo.jpg', 'image/jpeg']]);
  assert.equal(parts[0].body.toString(), `{"filename":"photo.jpg","sha256":"${sha256(JPEG)}"}`);
  assert.deepEqual(new Uint8Array(parts[1].body), JPEG);
});

// helper-111: a caller's Content-Type replaced the upload's, whose boundary frames its parts: form-data's
// `getHeaders()` (as wechatpay-axios-plugin's users pass) or a bare `multipart/form-data` went out, and
// the service, finding no meta part, answered SIGN_ERROR. The body's type is the package's.
test("an upload's Content-Type is the package's, whatever the request's headers say; so is a JSON body's", async () => {
  const wxpay = client(ctx.sb);
  for (const given of ['multipart/form-data', 'multipart/form-data; boundary=--------------------------123456789012345678901234', 'application/json']) {
    for (const headers of [{ 'Content-Type': given }, { 'content-type': given, 'X-Trace': 't1' }, new Headers({ 'CONTENT-TYPE': given })]) {
      const form = new FormData();
      form.append('file', new File([JPEG], 'photo.jpg', { type: 'image/jpeg' }));
      const { status } = await within(wxpay.v3.merchant.media.upload.post(form, { headers }));
      assert.equal(status, 200, given);
      const r = last();
      assert.equal(r.verified, true, r.reason);
      assert.match(r.headers['content-type'], /^multipart\/form-data; boundary=[0-9A-Za-z]+$/);
      assert.deepEqual(parseMultipart(r.body, r.headers['content-type']).map((p) => p.name), ['meta', 'file']);
      if (headers['X-Trace']) assert.equal(r.headers['x-trace'], 't1', 'the other headers are sent');
    }
  }
  await within(wxpay.v3.pay.transactions.jsapi.post({ appid: 'wx8888888888888888' }, { headers: { 'Content-Type': 'text/plain' } })).catch(() => {});
  assert.equal(last().headers['content-type'], 'application/json');
  // A request without a body sends none, given or not (README, the request config).
  await within(wxpay.v3.sandbox.echo.post(undefined, { headers: { 'Content-Type': 'application/json' } }));
  assert.deepEqual([last().method, last().headers['content-type'], last().body.length], ['POST', undefined, 0]);
});

test('a given meta is sent as written, with the extra fields an endpoint declares', async () => {
  const meta = `{ "file_name": "id.png", "file_digest": "${sha256(JPEG).toUpperCase()}" }`;
  const form = uploadForm(JPEG, 'id.png', { field: 'submission_file', meta, fields: { item_id: 56, manage_record_id: 'r1' } });
  const { data } = await within(client(ctx.sb).v3['mch-manage/submission-files/sub-mchid/{sub_mchid}/upload'].post(form, { sub_mchid: '1900000109' }));
  assert.deepEqual(data.fields, { item_id: '56', manage_record_id: 'r1' });
  assert.equal(data.type, 'image/png');
  const parts = parseMultipart(last().body, last().headers['content-type']);
  assert.equal(parts[0].body.toString(), meta);
  assert.equal(last().verified, true);
});

test("uploadForm: options.type sets the file's type, for bytes and for a Blob; a Blob keeps its own otherwise", async () => {
  const wxpay = client(ctx.sb);
  const sent = async (form) => {
    const { data } = await within(wxpay.v3.merchant.media.upload.post(form));
    const parts = parseMultipart(last().body, last().headers['content-type']);
    assert.deepEqual(new Uint8Array(parts[1].body), JPEG);
    return [data.type, parts[1].filename];
  };
  assert.deepEqual(await sent(uploadForm(JPEG, 'a.bin', { type: 'image/jpeg' })), ['image/jpeg', 'a.bin']);
  // Before: the Blob went as it was, application/octet-stream.
  assert.deepEqual(await sent(uploadForm(new Blob([JPEG]), 'b.bin', { type: 'image/jpeg' })), ['image/jpeg', 'b.bin']);
  assert.deepEqual(await sent(uploadForm(new File([JPEG], 'c.png', { type: 'image/png' }), 'c.bin', { type: 'image/jpeg' })), ['image/jpeg', 'c.bin']);
  assert.deepEqual(await sent(uploadForm(new Blob([JPEG], { type: 'image/png' }), 'd.bin')), ['image/png', 'd.bin']);
});

test('every documented upload endpoint works, video included', async () => {
  const wxpay = client(ctx.sb);
  for (const route of UPLOAD_ROUTES) {
    const path = route.slice(3).replace('{x}', 'X1');
    const file = route.includes('video') ? new File([new Uint8Array(4096).fill(7)], 'clip.mp4') : new File([JPEG], 'a.jpg');
    const form = new FormData();
    form.append('file', file);
    const { status, data } = await within(wxpay.v3[path].post(form));
    assert.equal(status, 200, path);
    assert.equal(data.media_id, `media-${sha256(new Uint8Array(await file.arrayBuffer())).slice(0, 16)}`, path);
    if (route.includes('video')) assert.equal(data.type, 'video/mp4');
  }
});

test('an upload signed over anything but its meta is refused by the service', async () => {
  // A fetch that changes the meta after signing: the signature no longer covers what is sent.
  const fetch = async (url, init) => {
    const text = Buffer.from(init.body).toString('latin1').replace('"sha256"', '"sha256" ');
    return globalThis.fetch(url, { ...init, body: Buffer.from(text, 'latin1') });
  };
  await rejectsWith(client(ctx.sb, { fetch }).v3.merchant.media.upload.post(uploadForm(JPEG, 'a.jpg')), 'SIGN_ERROR', { status: 401 });
});

test('uploads refuse a file without a name, two files without meta, and meta that is not JSON', async () => {
  const wxpay = client(ctx.sb);
  const noName = new FormData();
  noName.append('file', 'just text');
  await rejectsWith(wxpay.v3.merchant.media.upload.post(noName), 'ERR_INVALID_PARAM');
  // A Blob appended without a filename: FormData calls it "blob" (before: sent as "blob").
  const blob = new FormData();
  blob.append('file', new Blob([JPEG], { type: 'image/jpeg' }));
  assert.equal(blob.get('file').name, 'blob');
  const err = await rejectsWith(wxpay.v3.merchant.media.upload.post(blob), 'ERR_INVALID_PARAM');
  assert.match(err.message, /is named "blob"/);
  const two = new FormData();
  two.append('a', new File([JPEG], 'a.jpg'));
  two.append('b', new File([JPEG], 'b.jpg'));
  await rejectsWith(wxpay.v3.merchant.media.upload.post(two), 'ERR_INVALID_PARAM');
  await rejectsWith(wxpay.v3.merchant.media.upload.post(uploadForm(JPEG, 'a.jpg', { meta: '{nope' })), 'ERR_INVALID_PARAM');
  assert.equal(ctx.sb.requests.length, 0);
});

// helper-113: uploadForm took any key, so a misspelt `fileds` dropped the endpoint's fields in silence.
test('uploadForm refuses an option it does not know, naming it only when it is short and plain', () => {
  assert.throws(() => uploadForm(JPEG, 'a.jpg', { fileds: { item_id: 1 } }), { code: 'ERR_INVALID_PARAM', message: 'uploadForm: unknown option `fileds`: expected field, meta, fields or type' });
  const secret = 'k'.repeat(32);
  assert.throws(() => uploadForm(JPEG, 'a.jpg', { [secret]: 1 }), (e) => e.code === 'ERR_INVALID_PARAM' && !e.message.includes(secret) && /32 characters, not shown/.test(e.message));
  assert.equal(uploadForm(JPEG, 'a.jpg', { field: 'f', meta: {}, fields: {}, type: 'image/jpeg' }).get('f').type, 'image/jpeg');
});

test("bytes handed out are over an ArrayBuffer (WxpayBytes), a caller's fetch giving a SharedArrayBuffer's too", async () => {
  const isArrayBuffer = (u) => Object.prototype.toString.call(u.buffer) === '[object ArrayBuffer]';
  // Its stream's chunks over SharedArrayBuffers.
  const fetch = async (url, init) => {
    const r = await globalThis.fetch(url, init);
    if (!String(url).includes('billdownload')) return r;
    const body = r.body.pipeThrough(new TransformStream({ transform(c, out) { const s = new SharedArrayBuffer(c.byteLength); new Uint8Array(s).set(c); out.enqueue(new Uint8Array(s)); } }));
    return new Response(body, { status: r.status, headers: r.headers });
  };
  const wxpay = client(ctx.sb, { fetch });
  const { data } = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', sandbox_rows: 2000 } });
  const chunks = [];
  for await (const chunk of await within(wxpay.download(data, { stream: true }))) chunks.push(chunk);
  assert.ok(chunks.length > 0 && chunks.every(isArrayBuffer), 'every chunk');
  assert.deepEqual(Buffer.concat(chunks), tradeBill(2000));
  const bytes = await within(wxpay.download(data));
  assert.ok(isArrayBuffer(bytes));
  // A body given as a view of a SharedArrayBuffer (no stream, no arrayBuffer()): the data is a copy.
  const sab = new SharedArrayBuffer(8);
  new Uint8Array(sab).set([1, 2, 3, 4, 5, 6, 7, 8]);
  const viewFetch = async () => ({ status: 200, statusText: 'OK', headers: new Headers({ 'content-type': 'application/octet-stream' }), body: new Uint8Array(sab, 2, 4) });
  const file = await client(ctx.sb, { fetch: viewFetch }).v3.billdownload.file.get({ params: { token: 'abc' } });
  assert.ok(isArrayBuffer(file.data));
  assert.deepEqual([...file.data], [3, 4, 5, 6]);
});

for (const gzip of [false, true]) {
  const params = gzip ? { bill_date: '2024-01-02', tar_type: 'GZIP' } : { bill_date: '2024-01-02' };
  const kind = gzip ? 'GZIP' : 'plain';

  test(`a ${kind} trade bill downloads whole, gunzipped, digest checked`, async () => {
    const wxpay = client(ctx.sb);
    const { data } = await within(wxpay.v3['bill/tradebill'].get({ params }));
    const bytes = await within(wxpay.download(data));
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual(Buffer.from(bytes), tradeBill(3));
    const r = last();
    assert.match(r.url, /^\/v3\/billdownload\/file\?token=[0-9a-f]+$/);
    assert.equal(r.verified, true);
  });

  test(`a ${kind} trade bill streams and matches`, async () => {
    const wxpay = client(ctx.sb);
    const { data } = await wxpay.v3['bill/tradebill'].get({ params: { ...params, sandbox_rows: 2000 } });
    const stream = await within(wxpay.download(data, { stream: true }));
    assert.ok(stream instanceof ReadableStream);
    assert.deepEqual(await within(readAll(stream)), tradeBill(2000));
  });

  test(`a ${kind} bill whose digest does not match rejects, whole and streamed`, async () => {
    const heard = [];
    const wxpay = client(ctx.sb, { onResponse: (info) => heard.push(info) });
    const { data } = await wxpay.v3['bill/tradebill'].get({ params: { ...params, sandbox_hash: 'wrong' } });
    // The last try's error says how many tries were made, as every request's does.
    assert.equal((await rejectsWith(wxpay.download(data), 'ERR_DIGEST_MISMATCH')).attempts, 1);
    // Heard once its digest was checked: a 200 refused, not a success.
    assert.deepEqual(heard.map((i) => [new URL(i.url).pathname, i.status, i.error]), [['/v3/bill/tradebill', 200, undefined], ['/v3/billdownload/file', 200, 'ERR_DIGEST_MISMATCH']]);
    const again = (await wxpay.v3['bill/tradebill'].get({ params: { ...params, sandbox_hash: 'wrong' } })).data;
    const stream = await within(wxpay.download(again, { stream: true }));
    await rejectsWith(readAll(stream), 'ERR_DIGEST_MISMATCH');
  });

  test(`a ${kind} sub-merchant fund-flow bill: encrypted parts decrypted, joined in order`, async () => {
    const wxpay = client(ctx.sb);
    const { data } = await wxpay.v3['bill/sub-merchant-fundflowbill'].get({ params: { ...params, sub_mchid: '1900000001', algorithm: 'AEAD_AES_256_GCM', account_type: 'BASIC' } });
    assert.deepEqual(data.download_bill_list.map((p) => p.bill_sequence), [2, 1]);
    assert.deepEqual(Buffer.from(await within(wxpay.download(data))), fundFlowBill());
    assert.deepEqual(await readAll(await within(wxpay.download(data, { stream: true }))), fundFlowBill());
  });

  test(`a ${kind} sub-merchant fund-flow bill with a part left out or given twice is refused, nothing fetched`, async () => {
    const wxpay = client(ctx.sb);
    const { data } = await wxpay.v3['bill/sub-merchant-fundflowbill'].get({ params: { ...params, sub_mchid: '1900000001', algorithm: 'AEAD_AES_256_GCM', account_type: 'BASIC' } });
    const [a, b] = data.download_bill_list;
    const before = ctx.sb.requests.length;
    const short = await rejectsWith(wxpay.download({ ...data, download_bill_list: [a] }), 'ERR_INVALID_PARAM');
    assert.equal(short.message, 'download(data, options): download_bill_count is 2 but download_bill_list lists 1');
    const twice = await rejectsWith(wxpay.download({ ...data, download_bill_list: [a, { ...b, bill_sequence: a.bill_sequence }] }), 'ERR_INVALID_PARAM');
    assert.equal(twice.message, `download(data, options): download_bill_list has two parts of bill_sequence ${a.bill_sequence}`);
    await rejectsWith(wxpay.download({ ...data, download_bill_count: '2' }), 'ERR_INVALID_PARAM');
    assert.equal(ctx.sb.requests.length, before, 'nothing fetched');
    // A later part that could not be fetched or checked (another host, a digest of another kind
    // or length, an encrypt_key without its nonce) is refused before the first part is fetched.
    // (Before: the parts before it were fetched, signed, then the bad one refused.)
    const later = [
      [{ download_url: 'https://files.example.com/v3/billdownload/file?token=t' }, /download_url is not under this client's baseURL or WeChat Pay's/],
      [{ hash_type: 'MD5' }, /hash_type must be SHA1, SHA256 or SM3/],
      [{ hash_value: a.hash_value.slice(1) }, /hash_value is not the hex digest hash_type names/],
      [{ hash_type: 'SHA256' }, /hash_value is not the hex digest hash_type names/],
      [{ hash_value: `${a.hash_value.slice(1)}g` }, /hash_value is not the hex digest hash_type names/],
      [{ nonce: undefined }, /a download_bill_list entry has an encrypt_key but no nonce/],
      // Around the hex, what Rust's trim takes off (Unicode's White_Space), not JS's trim(): a
      // BOM is not (helper-166: JS took it, Rust refused it at the part's turn).
      [{ hash_value: `\ufeff${a.hash_value}` }, /hash_value is not the hex digest hash_type names/],
    ];
    const [first, second] = [a, b].sort((x, y) => x.bill_sequence - y.bill_sequence);
    for (const [change, message] of later) {
      for (const stream of [false, true]) {
        const bad = await rejectsWith(wxpay.download({ ...data, download_bill_list: [first, { ...second, ...change }] }, { stream }), 'ERR_INVALID_PARAM');
        assert.match(bad.message, message);
        // A digest's error names its part.
        if (/hash_/.test(message.source)) assert.ok(bad.message.endsWith(` (download_bill_list's part of bill_sequence ${second.bill_sequence})`), bad.message);
        assert.equal(ctx.sb.requests.length, before, `nothing fetched: ${JSON.stringify(change)}`);
      }
    }
    // A digest's kind in any case, and its hex in either, as before; White_Space around it (NEL,
    // an ideographic space) as Rust's trim takes it.
    assert.deepEqual(Buffer.from(await within(wxpay.download({ ...data, download_bill_list: [first, { ...second, hash_type: 'sha1', hash_value: second.hash_value.toUpperCase() }] }))), fundFlowBill());
    assert.deepEqual(Buffer.from(await within(wxpay.download({ ...data, download_bill_list: [first, { ...second, hash_value: `\x85 ${second.hash_value}\u3000\n` }] }))), fundFlowBill());
    // Without a count (the field is optional), the parts listed are what is joined.
    const { download_bill_count: _, ...uncounted } = data;
    assert.deepEqual(Buffer.from(await within(wxpay.download(uncounted))), fundFlowBill());
  });
}

// An encrypted bill's encrypt_key is unwrapped by the client's backend, like every other use of
// the merchant key (with crypto 'node', by node:crypto); a part or key that does not decrypt is
// ERR_FILE_DECODE, on every backend.
test("an encrypted bill's key is unwrapped by the client's backend; a part or key that does not decrypt is ERR_FILE_DECODE", async () => {
  const params = { bill_date: '2024-01-02', sub_mchid: '1900000001', algorithm: 'AEAD_AES_256_GCM', account_type: 'BASIC' };
  const node = process.getBuiltinModule('node:crypto');
  const real = node.privateDecrypt;
  let calls = 0;
  node.privateDecrypt = function privateDecrypt(...args) { calls++; return real.apply(this, args); };
  try {
    const wxpay = client(ctx.sb, { crypto: 'node' });
    const { data } = await wxpay.v3['bill/sub-merchant-fundflowbill'].get({ params });
    assert.deepEqual(Buffer.from(await within(wxpay.download(data))), fundFlowBill());
    assert.equal(calls, data.download_bill_list.length, 'one node:crypto unwrap per part');
  } finally {
    node.privateDecrypt = real;
  }
  for (const backend of ['node', 'webcrypto', 'rust']) {
    const wxpay = client(ctx.sb, { crypto: backend });
    const { data } = await wxpay.v3['bill/sub-merchant-fundflowbill'].get({ params });
    const [first, ...rest] = data.download_bill_list;
    const flip = (b64) => { const b = Buffer.from(b64, 'base64'); b[10] ^= 1; return b.toString('base64'); };
    for (const bad of [{ ...first, encrypt_key: flip(first.encrypt_key) }, { ...first, nonce: `${first.nonce.slice(0, -1)}x` }]) {
      const e = await rejectsWith(within(wxpay.download({ ...data, download_bill_list: [bad, ...rest] })), 'ERR_FILE_DECODE');
      assert.match(e.message, /^encrypted bill: /, backend);
    }
    // An SM4_GCM bill wraps a 16-byte SM4 key: not decrypted (README, Files), said so, not misread.
    const merchant = node.createPublicKey(ctx.sb.merchant.privateKeyPkcs8);
    const sm4Key = node.publicEncrypt({ key: merchant, padding: node.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, node.randomBytes(16)).toString('base64');
    const sm4 = await rejectsWith(within(wxpay.download({ ...data, download_bill_list: [{ ...first, encrypt_key: sm4Key }, ...rest] })), 'ERR_FILE_DECODE');
    assert.equal(sm4.message, 'encrypted bill: encrypt_key does not hold a 32-byte key', backend);
    assert.deepEqual(Buffer.from(await within(wxpay.download(data))), fundFlowBill(), `${backend}: still working`);
  }
});

// README (Files): a part's nonce is of 12 or 16 characters; another length is ERR_FILE_DECODE.
// Each part here is sealed properly under its nonce (AES-GCM takes an IV of any length), so a
// client that took any length would decrypt it: only the length refuses it.
test('an encrypted bill part whose nonce is of another length than 12 or 16 characters is ERR_FILE_DECODE, whole and streamed', async (t) => {
  const parts = new Map();
  const { wxpay, baseURL } = await fileHost(t, (req, res) => {
    const sealed = parts.get(new URL(req.url, baseURL).searchParams.get('token'));
    res.writeHead(sealed ? 200 : 404, { 'content-type': 'application/octet-stream' });
    res.end(sealed);
  });
  const merchant = crypto.createPublicKey(ctx.sb.merchant.privateKeyPkcs8);
  const bill = fundFlowBill();
  const sealedBill = (length) => {
    const key = crypto.randomBytes(32);
    const nonce = crypto.randomBytes(length).toString('hex').slice(0, length);
    const c = crypto.createCipheriv('aes-256-gcm', key, Buffer.from(nonce));
    const token = `n${length}-${parts.size}`;
    parts.set(token, Buffer.concat([c.update(bill), c.final(), c.getAuthTag()]));
    const encrypt_key = crypto.publicEncrypt({ key: merchant, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key).toString('base64');
    const part = { bill_sequence: 1, download_url: `${baseURL}v3/billdownload/file?token=${token}`, encrypt_key, hash_type: 'SHA1', hash_value: crypto.createHash('sha1').update(bill).digest('hex'), nonce };
    return { download_bill_count: 1, download_bill_list: [part] };
  };
  for (const length of [12, 16]) {
    assert.deepEqual(Buffer.from(await within(wxpay.download(sealedBill(length)))), bill, `a ${length}-character nonce`);
    assert.deepEqual(await within(readAll(await within(wxpay.download(sealedBill(length), { stream: true })))), bill, `a ${length}-character nonce, streamed`);
  }
  for (const length of [1, 8, 11, 13, 15, 17, 24, 32]) {
    const whole = await rejectsWith(within(wxpay.download(sealedBill(length))), 'ERR_FILE_DECODE');
    assert.match(whole.message, /^encrypted bill: /, `a ${length}-character nonce`);
    const streamed = await rejectsWith(within(wxpay.download(sealedBill(length), { stream: true }).then(readAll)), 'ERR_FILE_DECODE');
    assert.match(streamed.message, /^encrypted bill: /, `a ${length}-character nonce, streamed`);
  }
  assert.deepEqual(Buffer.from(await within(wxpay.download(sealedBill(12)))), bill, 'still working');
});

// The runtime's hash (node:crypto here) or Rust's (crypto 'rust'): both must agree on every
// outcome, for either digest a download may name.
for (const backend of ['node', 'webcrypto', 'rust']) {
  test(`digests checked with crypto '${backend}': SHA1, SHA256 and SM3, plain and GZIP, whole and streamed`, async () => {
    const wxpay = client(ctx.sb, { crypto: backend });
    assert.equal(wxpay.crypto, backend);
    for (const tar of [{}, { tar_type: 'GZIP' }]) {
      const params = { bill_date: '2024-01-02', sandbox_rows: 500, ...tar };
      const bill = tradeBill(500);
      const answer = async (extra = {}) => (await within(wxpay.v3['bill/tradebill'].get({ params: { ...params, ...extra } }))).data;
      assert.deepEqual(Buffer.from(await within(wxpay.download(await answer()))), bill);
      assert.deepEqual(await within(readAll(await within(wxpay.download(await answer(), { stream: true })))), bill);
      // SHA256, and SM3 (some transfer receipts: Rust hashes it on every backend), named in
      // either case; node:crypto is the judge.
      for (const [hashType, algorithm] of [['SHA256', 'sha256'], ['sm3', 'sm3']]) {
        const digest = (bytes) => crypto.createHash(algorithm).update(bytes).digest('hex');
        const as = async (hash) => ({ ...(await answer()), hash_type: hashType, hash_value: hash });
        assert.deepEqual(Buffer.from(await within(wxpay.download(await as(digest(bill).toUpperCase())))), bill, hashType);
        assert.deepEqual(await within(readAll(await within(wxpay.download(await as(digest(bill)), { stream: true })))), bill, hashType);
        const other = digest(Buffer.concat([bill, Buffer.from('x')]));
        await rejectsWith(wxpay.download(await as(other)), 'ERR_DIGEST_MISMATCH');
        await rejectsWith(readAll(await within(wxpay.download(await as(other), { stream: true }))), 'ERR_DIGEST_MISMATCH');
      }
      await rejectsWith(wxpay.download(await answer({ sandbox_hash: 'wrong' })), 'ERR_DIGEST_MISMATCH');
      await rejectsWith(readAll(await within(wxpay.download(await answer({ sandbox_hash: 'wrong' }), { stream: true }))), 'ERR_DIGEST_MISMATCH');
    }
  });
}

test('node:crypto hashes the file unless crypto is rust; a hash that throws rejects ERR_CRYPTO, and the client keeps working', async (t) => {
  const real = process.getBuiltinModule;
  let updates = 0;
  let fail = false;
  // node:crypto as the package finds it: createHash hands out hashes that count, or throw on demand.
  const counted = new Proxy(crypto, {
    get(target, key) {
      if (key !== 'createHash') return Reflect.get(target, key);
      return (algorithm) => {
        const hash = crypto.createHash(algorithm);
        return {
          update(chunk) {
            if (fail) throw new Error('refused');
            updates++;
            hash.update(chunk);
            return this;
          },
          digest: () => hash.digest(),
        };
      };
    },
  });
  process.getBuiltinModule = (id) => (id === 'node:crypto' || id === 'crypto' ? counted : real.call(process, id));
  t.after(() => { process.getBuiltinModule = real; });
  const params = { bill_date: '2024-01-02', sandbox_rows: 300 };
  for (const backend of ['node', 'webcrypto']) {
    updates = 0;
    const wxpay = client(ctx.sb, { crypto: backend });
    const answer = async () => (await within(wxpay.v3['bill/tradebill'].get({ params }))).data;
    assert.deepEqual(Buffer.from(await within(wxpay.download(await answer()))), tradeBill(300));
    assert.ok(updates > 0, `node:crypto hashed the file (crypto ${backend})`);
    fail = true;
    await rejectsWith(readAll(await within(wxpay.download(await answer(), { stream: true }))), 'ERR_CRYPTO');
    await rejectsWith(wxpay.download(await answer()), 'ERR_CRYPTO');
    fail = false;
    assert.deepEqual(Buffer.from(await within(wxpay.download(await answer()))), tradeBill(300));
  }
  // crypto 'rust': Rust hashes, whatever the runtime offers.
  updates = 0;
  fail = true;
  const rust = client(ctx.sb, { crypto: 'rust' });
  const { data } = await within(rust.v3['bill/tradebill'].get({ params }));
  assert.deepEqual(Buffer.from(await within(rust.download(data))), tradeBill(300));
  assert.equal(updates, 0);
});

test('a GZIP bill cut short rejects ERR_FILE_DECODE, whole and streamed, and the client keeps working', async () => {
  // The file's answer loses its last 40 bytes on the way (the GZIP trailer and some deflate data).
  const cut = async (url, init) => {
    const res = await fetch(url, init);
    if (!String(url).includes('/v3/billdownload/file')) return res;
    const bytes = new Uint8Array(await res.arrayBuffer());
    return new Response(bytes.slice(0, bytes.length - 40), { status: res.status, headers: res.headers });
  };
  const wxpay = client(ctx.sb, { fetch: cut });
  const params = { bill_date: '2024-01-02', tar_type: 'GZIP', sandbox_rows: 3000 };
  const { data } = await within(wxpay.v3['bill/tradebill'].get({ params }));
  assert.equal((await rejectsWith(wxpay.download(data), 'ERR_FILE_DECODE')).attempts, 1);
  const again = (await within(wxpay.v3['bill/tradebill'].get({ params }))).data;
  await rejectsWith(readAll(await within(wxpay.download(again, { stream: true }))), 'ERR_FILE_DECODE');
  const whole = (await within(client(ctx.sb).v3['bill/tradebill'].get({ params }))).data;
  assert.deepEqual(Buffer.from(await within(client(ctx.sb).download(whole))), tradeBill(3000));
});

test('the digest covers the decompressed bill: one over the GZIP bytes does not match', async () => {
  const wxpay = client(ctx.sb);
  const { data } = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', tar_type: 'GZIP', sandbox_hash: 'compressed' } });
  await rejectsWith(wxpay.download(data), 'ERR_DIGEST_MISMATCH');
});

test('a download_url on another host is refused before anything is sent', async () => {
  const fetch = countingFetch();
  const wxpay = client(ctx.sb, { fetch });
  const { data } = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', sandbox_host: 'foreign' } });
  const before = fetch.calls.length;
  await rejectsWith(wxpay.download(data), 'ERR_INVALID_PARAM');
  await rejectsWith(wxpay.download({ ...data, download_url: `${ctx.sb.baseURL.replace('127.0.0.1', 'localhost')}v3/billdownload/file?token=x` }), 'ERR_INVALID_PARAM');
  assert.equal(fetch.calls.length, before);
});

test('a download_url on WeChat Pay\'s own host is asked of this client\'s baseURL (a proxy): signed, checked, nothing sent elsewhere', async () => {
  const fetch = countingFetch();
  // The sandbox stands for the proxy: this client's baseURL, and no other host.
  const wxpay = client(ctx.sb, { fetch });
  const { data } = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', tar_type: 'GZIP', sandbox_host: 'service' } });
  assert.ok(data.download_url.startsWith('https://api.mch.weixin.qq.com/v3/billdownload/file?token='), data.download_url);
  const before = fetch.calls.length;
  const bill = await within(wxpay.download(data));
  assert.ok(bill.byteLength > 0);
  const asked = fetch.calls.slice(before).map((c) => String(c.url));
  assert.deepEqual(asked, [`${ctx.sb.baseURL}${data.download_url.slice('https://api.mch.weixin.qq.com/'.length)}`]);
  const sent = ctx.sb.requests.at(-1);
  assert.match(sent.url, /^\/v3\/billdownload\/file\?token=/);
  assert.match(sent.headers.authorization ?? '', /^WECHATPAY2-SHA256-RSA2048 /, 'signed, as any request to this client\'s host');
  // The digest is checked as for any download: a wrong one is refused.
  const { data: wrong } = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', sandbox_host: 'service', sandbox_hash: 'wrong' } });
  await rejectsWith(wxpay.download(wrong), 'ERR_DIGEST_MISMATCH');
  // Only the main host's name is taken: the backup's, or one that merely begins like it, is not.
  for (const other of ['https://api2.mch.weixin.qq.com/', 'https://api.mch.weixin.qq.com.evil.example/', 'http://api.mch.weixin.qq.com/']) {
    const e = await rejectsWith(wxpay.download({ ...data, download_url: data.download_url.replace('https://api.mch.weixin.qq.com/', other) }), 'ERR_INVALID_PARAM');
    assert.equal(e.message, "download(data): download_url is not under this client's baseURL or WeChat Pay's: a signed request goes to no other host");
  }
});

test('a download_url on the backup host is taken, and its path asked of the main host first', async () => {
  const backup = 'http://backup.invalid/';
  const fetch = countingFetch();
  const wxpay = client(ctx.sb, { fetch, backupBaseURL: backup });
  const { data } = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02' } });
  const onBackup = { ...data, download_url: data.download_url.replace(ctx.sb.baseURL, backup) };
  assert.ok(onBackup.download_url.startsWith(backup));
  const bill = await within(wxpay.download(onBackup));
  assert.ok(bill.byteLength > 0);
  assert.ok(String(fetch.calls.at(-1).url).startsWith(`${ctx.sb.baseURL}v3/billdownload/file?`), 'the main host answered');
});

test('download of an answer that names no file (a sub-merchant fund-flow answer without download_bill_list) rejects ERR_INVALID_PARAM, nothing sent', async () => {
  const wxpay = client(ctx.sb);
  for (const data of [{ download_bill_count: 0 }, {}]) {
    const e = await rejectsWith(wxpay.download(data), 'ERR_INVALID_PARAM');
    assert.equal(e.message, 'download(data, options): data has neither download_url (nor url) nor download_bill_list: it names no file to download');
  }
  // A list that is there but empty, or a plain answer without its URL, keeps its own message.
  assert.equal((await rejectsWith(wxpay.download({ download_bill_count: 0, download_bill_list: [] }), 'ERR_INVALID_PARAM')).message, 'download(data, options): download_bill_list must be a non-empty array');
  assert.equal((await rejectsWith(wxpay.download({ download_url: null, hash_type: 'SHA1', hash_value: '00' }), 'ERR_INVALID_PARAM')).message, 'download(data, options): download_url must be a string, got null');
  assert.equal(ctx.sb.requests.length, 0);
});

// helper-106: a 代金券 batch's flow files (use-flow, refund-flow) are answered { url, hash_type,
// hash_value }, which type-checked as download's input and was refused: no download_url.
test('download of a flow file\'s answer ({ url, hash_type, hash_value }): fetched signed, checked, as a bill\'s', async (t) => {
  const bytes = Buffer.from('批次号,优惠id\r\n`9856000,`1\r\n');
  const asked = [];
  const { wxpay, file } = await fileHost(t, (req, res) => {
    asked.push([req.url, req.headers.authorization ?? '']);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(bytes);
  });
  const { download_url: url, hash_type, hash_value } = file(bytes);
  assert.deepEqual(Buffer.from(await within(wxpay.download({ url, hash_type, hash_value }))), bytes);
  assert.deepEqual(await readAll(await within(wxpay.download({ url, hash_type, hash_value }, { stream: true }))), bytes);
  assert.equal(asked.length, 2);
  for (const [path, authorization] of asked) {
    assert.equal(path, '/v3/billdownload/file?token=t');
    assert.match(authorization, /^WECHATPAY2-SHA256-RSA2048 /);
  }
  await rejectsWith(wxpay.download({ url, hash_type, hash_value: '0'.repeat(40) }), 'ERR_DIGEST_MISMATCH');
  // On another host than the client's, as a download_url: refused, nothing sent.
  await rejectsWith(wxpay.download({ url: 'https://example.com/v3/billdownload/file?token=t', hash_type, hash_value }), 'ERR_INVALID_PARAM');
  assert.equal(asked.length, 3);
});

test('download of the whole answer ({ status, headers, data }) instead of its data says to pass .data, nothing sent', async () => {
  const wxpay = client(ctx.sb);
  const answer = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02' } });
  assert.equal(answer.status, 200);
  assert.equal(typeof answer.data.download_url, 'string');
  const sent = ctx.sb.requests.length;
  const e = await rejectsWith(wxpay.download(answer), 'ERR_INVALID_PARAM');
  assert.equal(e.message, "download(data, options): data is a whole answer ({ status, headers, data }): pass the answer's .data (wxpay.download(answer.data))");
  assert.equal(ctx.sb.requests.length, sent);
  assert.ok((await within(wxpay.download(answer.data))).byteLength > 0);
});

test('download options out of range are ERR_INVALID_PARAM (a call\'s input, as a request\'s config), not ERR_INVALID_CONFIG', async () => {
  const wxpay = client(ctx.sb);
  const data = { download_url: `${ctx.sb.baseURL}v3/billdownload/file?token=x`, hash_type: 'SHA1', hash_value: '00'.repeat(20) };
  for (const [options, message] of [
    [{ timeout: 0 }, 'download(data, options): options.timeout must be a whole number of milliseconds from 1 to 2147483647'],
    [{ timeout: 2 ** 31 }, 'download(data, options): options.timeout must be a whole number of milliseconds from 1 to 2147483647'],
    [{ maxBodyBytes: 0.5 }, 'download(data, options): options.maxBodyBytes must be a whole number of bytes from 1 to 1073741824'],
  ]) {
    assert.equal((await rejectsWith(wxpay.download(data, options), 'ERR_INVALID_PARAM')).message, message);
  }
  assert.equal(ctx.sb.requests.length, 0);
});

test('download refuses an unknown hash type and a malformed hash value', async () => {
  const wxpay = client(ctx.sb);
  const download_url = `${ctx.sb.baseURL}v3/billdownload/file?token=x`;
  await rejectsWith(wxpay.download({ download_url, hash_type: 'MD5', hash_value: '00' }), 'ERR_INVALID_PARAM');
  await rejectsWith(wxpay.download({ download_url, hash_type: 'SHA1', hash_value: 'xyz' }), 'ERR_INVALID_PARAM');
  await rejectsWith(wxpay.download({ download_url, hash_type: 'SHA1', hash_value: '00'.repeat(20) }, { strem: true }), 'ERR_INVALID_PARAM');
  assert.equal(ctx.sb.requests.length, 0);
});

test('statements are verified over {"sha1":...} and their body checked against it', async () => {
  const wxpay = client(ctx.sb);
  for (const path of ['statements', 'global/statements']) {
    const { data, headers } = await within(wxpay.v3[path].get({ params: { date: '20240102' } }));
    assert.ok(data instanceof Uint8Array);
    assert.equal(Buffer.from(data).toString(), 'statement for 20240102\r\n`1,`2\r\n');
    assert.equal(headers['wechatpay-statement-sha1'], crypto.createHash('sha1').update(data).digest('hex'));
  }
  await rejectsWith(wxpay.v3.statements.get({ params: { date: '1', sandbox_hash: 'wrong' } }), 'ERR_DIGEST_MISMATCH');
  await rejectsWith(wxpay.v3.statements.get({ params: { date: '1', sandbox_sign: 'body' } }), 'ERR_RESPONSE_SIGNATURE');
});

test('the documented unsigned downloads come back as bytes; nothing else skips verification', async () => {
  const wxpay = client(ctx.sb);
  for (const path of ['transferdownload/signfile', 'transferdownload/elecvoucherfile']) {
    const { data } = await within(wxpay.v3[path].get({ params: { token: 't' } }));
    assert.equal(Buffer.from(data).toString(), '%PDF-1.4 sandbox receipt\n');
  }
  for (const path of ['merchant-service/images/m1', 'global/merchant-service/images/m1']) {
    const { data } = await within(wxpay.v3[path].get({ params: { complaint_id: '1' } }));
    assert.deepEqual([...data.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  }
  // The same unsigned file under a path that is not a documented download is refused.
  ctx.sb.misbehave('unsigned');
  await rejectsWith(wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02' } }), 'ERR_RESPONSE_UNSIGNED');
});

test('parseBill reads a trade bill and a fund-flow bill into rows and a summary', () => {
  const trade = parseBill(tradeBill(2).toString('utf8'));
  assert.equal(trade.rows.length, 2);
  assert.equal(trade.rows[0]['商户订单号'], 'order-0');
  assert.equal(trade.rows[1]['商品名称'], '咖啡, 大杯');
  assert.equal(trade.rows[1]['费率'], '0.60%');
  assert.deepEqual(trade.summary, { '总交易单数': '2', '应结订单总金额': '0.02', '退款总金额': '0.00', '充值券退款总金额': '0.00', '手续费总金额': '0.00000', '订单总金额': '0.02', '申请退款总金额': '0.00' });
  const fund = parseBill(fundFlowBill());
  assert.deepEqual(fund.summary, { '资金流水总笔数': '1', '收入笔数': '1', '收入金额': '0.01', '支出笔数': '0', '支出金额': '0.00' });
  assert.equal(fund.rows[0]['收支金额（元）'], '0.01');
  assert.throws(() => parseBill('a,b\n`1\n'), { code: 'ERR_INVALID_PARAM' });
});

test('readBill streams a downloaded bill row by row, whatever the chunking', async () => {
  const wxpay = client(ctx.sb);
  const { data } = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', tar_type: 'GZIP', sandbox_rows: 5000 } });
  const bill = readBill(await wxpay.download(data, { stream: true }));
  let n = 0;
  for await (const row of bill) {
    assert.equal(row['商户订单号'], `order-${n}`);
    n++;
  }
  assert.equal(n, 5000);
  assert.equal(bill.summary['总交易单数'], '5000');
  // Three bytes at a time: lines and UTF-8 characters cut anywhere.
  const text = fundFlowBill();
  const tiny = readBill((async function* () { for (let i = 0; i < text.length; i += 3) yield text.subarray(i, i + 3); })());
  const rows = [];
  for await (const row of tiny) rows.push(row);
  assert.deepEqual(rows, parseBill(text).rows);
  assert.deepEqual(tiny.summary, parseBill(text).summary);
});

test('a GZIP bill given to parseBill or readBill as it came says it is GZIP and how to read it', async () => {
  const text = tradeBill(2);
  const gz = zlib.gzipSync(text);
  const said = (download) => `the bytes are GZIP (a bill asked for with tar_type GZIP, saved as it came): gunzip them first, or fetch the bill with ${download}, which gunzips and checks it`;
  // Bytes, or those bytes read as UTF-8 text (readFileSync(file, 'utf8') of a .gz).
  // A SharedArrayBuffer, and another realm's ArrayBuffer (a vm context's): bytes the readers take.
  const sab = new SharedArrayBuffer(gz.length);
  new Uint8Array(sab).set(gz);
  const foreign = vm.runInNewContext('new ArrayBuffer(n)', { n: gz.length });
  new Uint8Array(foreign).set(gz);
  assert.ok(!(foreign instanceof ArrayBuffer));
  for (const bytes of [gz, new Uint8Array(gz), gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.length), new DataView(gz.buffer, gz.byteOffset, gz.length), gz.toString('utf8'), sab, new Uint8Array(sab), foreign]) {
    assert.throws(() => parseBill(bytes), (e) => e instanceof WxpayError && e.code === 'ERR_INVALID_PARAM' && e.message === `parseBill: ${said('wxpay.download(data)')}`);
  }
  // A stream is pointed at a streamed download (readBill takes no whole bytes).
  for (const chunks of [[gz], [gz.subarray(0, 2), gz.subarray(2)], [sab], [foreign]]) {
    await assert.rejects(async () => { for await (const row of readBill((async function* () { yield* chunks; })())) void row; }, (e) => e.code === 'ERR_INVALID_PARAM' && e.message === `readBill(source): ${said('wxpay.download(data, { stream: true })')}`);
  }
  // One byte first: the decoder fails on the next, and its message names GZIP as the likely cause.
  await assert.rejects(async () => { for await (const row of readBill((async function* () { yield gz.subarray(0, 1); yield gz.subarray(1); })())) void row; }, { code: 'ERR_INVALID_PARAM', message: 'readBill(source): the bill is not UTF-8 (a GZIP file? fetch it with wxpay.download(data, { stream: true }), which gunzips it)' });
  // Not GZIP: read as before; one byte of it, or a detached buffer, is no GZIP either.
  assert.equal(parseBill(text).rows.length, 2);
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
  for (const bytes of [new Uint8Array([0x1f]), new Uint8Array(0), detached]) {
    assert.throws(() => parseBill(bytes), (e) => e.code === 'ERR_INVALID_PARAM' && !/GZIP/.test(e.message));
  }
});

test('a streamed download dropped unread gives its connection back once it is collected', async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const bill = Buffer.from(`${'交易时间,商户订单号\n'.repeat(12000)}`);
  const { wxpay, file, server, sockets: open } = await fileHost(t, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(bill);
  });
  // The server never closes a connection itself (a file it has handed to the kernel whole would
  // otherwise be an idle keep-alive connection, closed after 5 s).
  server.keepAliveTimeout = 0;
  const data = file(bill);
  // A handler that throws between download() and reading the stream, ten times: the streams are
  // held until all ten are open (a collection meanwhile would close some), then dropped.
  let streams = [];
  for (let i = 0; i < 10; i++) streams.push(await within(wxpay.download(data, { stream: true })));
  assert.equal(open.size, 10, 'each unread body holds its connection');
  streams = null;
  // Collected, cancelled, and closed by undici within a few seconds here; waited for up to 20.
  for (let i = 0; i < 200 && open.size > 0; i++) {
    gc();
    await sleep(100);
  }
  assert.equal(open.size, 0, 'the bodies were cancelled and their connections closed');
  // The client works on: a stream read whole still checks its digest.
  assert.deepEqual(await readAll(await within(wxpay.download(data, { stream: true }))), bill);
});

// The finalizer for streams dropped unread must not fire while a stream is read: the collector
// runs before every read here (in workerd it did fire, tests/workerd/files.test.mjs).
test('streamed GZIP downloads read with a collection before every read are read whole', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const results = await readsUnderGarbage({ Wxpay, options: options(ctx.sb), baseURL: ctx.sb.baseURL, n: 10, collect: minorAndMajor(gc) });
  assert.deepEqual(results, Array(10).fill('read whole'));
});

// A caller's cancel while a read waits: the stream's cancel freed the file's digest, then the
// waiting read, ended by that cancel, finished the digest: the glue's use-after-free error counted
// as a trap, and the recovery failed every call in flight, of every client (ERR_INTERNAL).
test('a streamed download cancelled while a read waits: other calls in flight are untouched', async () => {
  const gz = zlib.gzipSync(crypto.randomBytes(100_000));
  for (const gzip of [false, true]) {
    let cancelled = false;
    let sent = false;
    // One chunk, then nothing until cancelled.
    const body = new ReadableStream({
      async pull(c) {
        if (sent) return new Promise(() => {});
        sent = true;
        c.enqueue(gzip ? gz.subarray(0, 4000) : Buffer.from('交易时间,商户订单号\n'));
      },
      cancel() { cancelled = true; },
    }, { highWaterMark: 0 });
    const wxpay = client(ctx.sb, { fetch: async () => new Response(body) });
    const other = client(ctx.sb);
    const data = { download_url: new URL('v3/billdownload/file?token=c', ctx.sb.baseURL).href, hash_type: 'SHA1', hash_value: '0'.repeat(40) };
    const reader = (await within(wxpay.download(data, { stream: true }))).getReader();
    assert.equal((await within(reader.read())).done, false);
    const waiting = reader.read();
    const inFlight = other.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: CARD_ID, code: CODE });
    await sleep(5);
    await within(reader.cancel('stop'));
    await within(waiting);
    assert.ok(cancelled, 'the body was cancelled');
    assert.equal((await within(inFlight)).status, 200, `${gzip ? 'GZIP' : 'plain'}: the other client's request`);
  }
});

test('a streamed download is not bounded by maxBodyBytes; a whole one is', async () => {
  const wxpay = client(ctx.sb, { maxBodyBytes: 4096 });
  const get = async () => (await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', sandbox_rows: 200 } })).data;
  assert.deepEqual(await readAll(await within(wxpay.download(await get(), { stream: true }))), tradeBill(200));
  await rejectsWith(wxpay.download(await get()), 'ERR_RESPONSE_TOO_LARGE');
});

test('a connection lost mid-file rejects ERR_NETWORK, whole and streamed, plain and GZIP', async (t) => {
  const bill = tradeBill(3000);
  let body;
  const { wxpay, file } = await fileHost(t, async (req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked: no length to check against
    res.write(body.subarray(0, body.length >> 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    req.socket.destroy();
  });
  for (const gzip of [false, true]) {
    body = gzip ? zlib.gzipSync(bill) : bill;
    const kind = gzip ? 'GZIP' : 'plain';
    const whole = await rejectsWith(wxpay.download(file(bill)), 'ERR_NETWORK');
    assert.ok(whole.cause instanceof TypeError, `${kind}, whole: cause is fetch's error`);
    // Before: ERR_FILE_DECODE ("a broken GZIP stream?") when streamed, for a plain file too.
    const streamed = await rejectsWith(readAll(await within(wxpay.download(file(bill), { stream: true }))), 'ERR_NETWORK');
    assert.ok(streamed.cause instanceof TypeError, `${kind}, streamed: cause is fetch's error`);
  }
});

test('ERR_NETWORK names a download by its path: the token in its query is in no message, even where the fetch quotes the URL', async (t) => {
  const token = 'TOKEN-7f3a9c1e';
  const { baseURL, file } = await fileHost(t, (req, res) => res.end());
  const data = { ...file(tradeBill(5)), download_url: `${baseURL}v3/billdownload/file?token=${token}` };
  // Deno's fetch quotes the URL in its error and in the error's cause.
  const quoting = async (url) => {
    throw new TypeError(`error sending request for url (${url}): client error (Connect)`, { cause: new Error(`tcp connect error for ${url}`) });
  };
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closed = `http://127.0.0.1:${server.address().port}/`;
  await new Promise((resolve) => server.close(resolve));
  const cases = [
    ['a fetch that quotes the URL', client(ctx.sb, { baseURL, retry: false, fetch: quoting }), data],
    ['a closed port', client(ctx.sb, { baseURL: closed, retry: false }), { ...data, download_url: `${closed}v3/billdownload/file?token=${token}` }],
  ];
  for (const [label, wxpay, what] of cases) {
    for (const stream of [false, true]) {
      const err = await rejectsWith(wxpay.download(what, { stream }), 'ERR_NETWORK');
      assert.ok(!err.message.includes(token), `${label}, stream ${stream}: ${err.message}`);
      assert.ok(err.message.startsWith(`GET ${new URL(what.download_url).origin}/v3/billdownload/file?… failed: TypeError: `), `${label}: ${err.message}`);
      assert.ok(err.cause instanceof TypeError, `${label}: the fetch's own error is the cause, as it was`);
      assert.ok(!JSON.stringify(err).includes(token), `${label}: ${JSON.stringify(err)}`);
      // Nor in what the package keeps beside it (helper-115: symbol properties held the URL, which
      // `showHidden` and `%o` print; `cause` is the fetch's own error, printed as thrown).
      const kept = inspect(Reflect.ownKeys(err).filter((k) => k !== 'cause').map((k) => err[k]), { showHidden: true, depth: null });
      assert.ok(!kept.includes(token), `${label}: ${kept}`);
      // Node's fetch names no URL in its error: then nothing `%o` prints has it.
      if (label === 'a closed port') assert.ok(!format('%o', err).includes(token), `${label}: ${format('%o', err)}`);
    }
  }
  // A streamed file whose body breaks off, its error naming the URL (helper-115: quoted whole).
  const breaking = client(ctx.sb, { baseURL, retry: false, fetch: async (url) => new Response(new ReadableStream({
    pull(c) { c.error(new TypeError(`terminated reading ${url}`)); },
  }), { status: 200 }) });
  // (Its first read comes before download() resolves.)
  const broken = await rejectsWith(within(breaking.download(data, { stream: true })).then(readAll), 'ERR_NETWORK');
  assert.match(broken.message, /^GET http:\/\/127\.0\.0\.1:\d+\/v3\/billdownload\/file\?… failed: TypeError: terminated reading http:\/\/127\.0\.0\.1:\d+\/v3\/billdownload\/file\?…$/);
  assert.ok(!JSON.stringify(broken).includes(token), JSON.stringify(broken));
  const [, quoted] = cases[0];
  assert.match((await rejectsWith(quoted.download(data), 'ERR_NETWORK')).message, /error sending request for url \(http:\/\/127\.0\.0\.1:\d+\/v3\/billdownload\/file\?…\)/);
});

// helper-139: a streamed file's errors came without the answer's status and Request-ID, which
// README says an error after the answer's headers carries (a whole file's body broken off had them).
test("a streamed file's errors carry its answer's status and Request-ID (and, before download() resolves, attempts): its body broken off, before and after download() resolves, a broken GZIP stream, a digest that does not match", async (t) => {
  const bill = Buffer.from(tradeBill(3000));
  const gz = zlib.gzipSync(bill);
  let mode;
  const { wxpay, file, baseURL } = await fileHost(t, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Request-ID': `rid-${mode}` });
    if (mode === 'cut-early') { res.flushHeaders(); setTimeout(() => res.socket.destroy(), 50); }
    else if (mode === 'stall') res.flushHeaders();
    else if (mode === 'cut-late') { res.write(bill.subarray(0, 20000)); setTimeout(() => res.socket.destroy(), 50); }
    else if (mode === 'gzip-broken') res.end(Buffer.concat([gz.subarray(0, 200), Buffer.alloc(4000, 0x55)]));
    else res.end(bill);
  });
  const cases = [
    ['cut-late', file(bill), 'ERR_NETWORK'],
    ['gzip-broken', file(bill), 'ERR_FILE_DECODE'],
    ['digest', file(Buffer.from('another bill')), 'ERR_DIGEST_MISMATCH'],
  ];
  for (const [m, data, code] of cases) {
    mode = m;
    const err = await rejectsWith(within(wxpay.download(data, { stream: true })).then(readAll), code);
    assert.equal(err.status, 200, m);
    assert.equal(err.requestId, `rid-${m}`, m);
    assert.equal(JSON.parse(JSON.stringify(err)).requestId, `rid-${m}`, m);
    if (code === 'ERR_NETWORK') assert.ok(err.message.startsWith(`GET ${baseURL}v3/billdownload/file?… failed: `), err.message);
  }
  // Broken off after the headers, before any byte: download() itself rejects (its first read
  // comes before it resolves).
  mode = 'cut-early';
  const early = await rejectsWith(within(wxpay.download(file(bill), { stream: true })), 'ERR_NETWORK');
  assert.deepEqual([early.status, early.requestId, early.attempts], [200, 'rid-cut-early', 1]);
  assert.ok(early.message.startsWith(`GET ${baseURL}v3/billdownload/file?… failed: `), early.message);
  // A body that stalls after its headers, until the deadline ends the call.
  mode = 'stall';
  // Both, as download() rejects, say how many tries were made, as a whole file's errors do.
  for (const stream of [true, false]) {
    const stalled = await rejectsWith(within(wxpay.download(file(bill), { stream, timeout: 200 })), 'ERR_TIMEOUT');
    assert.deepEqual([stalled.status, stalled.requestId, stalled.attempts], [200, 'rid-stall', 1], `stream: ${stream}`);
    assert.equal(JSON.parse(JSON.stringify(stalled)).attempts, 1);
  }
  // The client goes on.
  mode = 'ok';
  assert.deepEqual(Buffer.from(await within(readAll(await within(wxpay.download(file(bill), { stream: true }))))), bill);
});

test('a body broken off before its first two bytes is tried again, whole and streamed: nothing was handed out', async (t) => {
  const bill = Buffer.from(tradeBill(300));
  let cuts = 0;
  let seen = 0;
  let sent = 0;
  const { file, baseURL } = await fileHost(t, (req, res) => {
    seen++;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Request-ID': `rid-${seen}` });
    if (cuts > 0) {
      cuts--;
      if (sent > 0) res.write(bill.subarray(0, sent));
      else res.flushHeaders();
      setTimeout(() => res.socket.destroy(), 50);
    } else res.end(bill);
  });
  // The client's retries (GET: 2), no backup host.
  const wxpay = client(ctx.sb, { baseURL });
  // No byte, or one: download() reads two before it resolves (whether the file is GZIP).
  for (const bytes of [0, 1]) {
    sent = bytes;
    for (const stream of [false, true]) {
      const at = `${bytes} byte(s), stream: ${stream}`;
      const read = async (p) => (stream ? readAll(await p) : p);
      // Cut once: the second try's file.
      [cuts, seen] = [1, 0];
      assert.deepEqual(Buffer.from(await within(read(wxpay.download(file(bill), { stream })))), bill, at);
      assert.equal(seen, 2, at);
      // Cut every time: the last try's error, after three. (Streamed, before: one try, ERR_NETWORK.)
      [cuts, seen] = [3, 0];
      const err = await rejectsWith(within(wxpay.download(file(bill), { stream })), 'ERR_NETWORK');
      assert.deepEqual([err.attempts, err.status, err.requestId, seen], [3, 200, 'rid-3', 3], at);
    }
  }
  // A body that is not a stream: the attempt's error, with its answer's status and Request-ID.
  const bodyless = client(ctx.sb, { baseURL, retry: false, fetch: async () => ({ status: 200, headers: new Headers({ 'request-id': 'rid-odd' }), body: 'not a stream' }) });
  const odd = await rejectsWith(within(bodyless.download(file(bill), { stream: true })), 'ERR_NETWORK');
  assert.deepEqual([odd.attempts, odd.status, odd.requestId], [1, 200, 'rid-odd']);
  // Named by its request, its query (the token) left out, as the answer's other ERR_NETWORK are.
  assert.match(odd.message, /^GET http:\/\/127\.0\.0\.1:\d+\/[^?]*\?… failed: the answer's body is not a readable stream: TypeError: /);
  assert.doesNotMatch(odd.message + JSON.stringify(odd), /token=/);
});

test('a 2xx answer without a body is an empty file, whole and streamed; its digest is still checked', async (t) => {
  const empty = new Uint8Array(0);
  const { wxpay, file, baseURL } = await fileHost(t, (req, res) => {
    res.writeHead(204);
    res.end();
  });
  // A fetch that builds its Response with a null body.
  const nullBody = client(ctx.sb, { baseURL, fetch: async () => new Response(null, { status: 200 }) });
  for (const c of [wxpay, nullBody]) {
    assert.deepEqual(await within(c.download(file(empty))), empty);
    // Before: a bare TypeError (reading 'getReader' of undefined).
    const stream = await within(c.download(file(empty), { stream: true }));
    assert.ok(stream instanceof ReadableStream);
    assert.equal((await within(readAll(stream))).length, 0);
    await rejectsWith(readAll(await within(c.download(file(Buffer.from('x')), { stream: true }))), 'ERR_DIGEST_MISMATCH');
  }
});

test('a GZIP file is known by its first two bytes however the body is cut: whole and streamed', async (t) => {
  const bill = tradeBill(50);
  const gz = zlib.gzipSync(bill);
  // Its first TCP write a single byte (before: streamed, the GZIP went out raw and failed ERR_DIGEST_MISMATCH).
  const { wxpay, file, baseURL } = await fileHost(t, async (req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-gzip' });
    res.write(gz.subarray(0, 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    res.end(gz.subarray(1));
  });
  assert.deepEqual(Buffer.from(await within(wxpay.download(file(bill)))), bill);
  assert.deepEqual(await within(readAll(await within(wxpay.download(file(bill), { stream: true })))), bill);
  // A fetch whose body gives an empty chunk, then the magic a byte at a time.
  const cuts = [0, 0, 1, 2, 7, gz.length];
  const pieces = () => new ReadableStream({ start(c) { for (let i = 1; i < cuts.length; i++) c.enqueue(new Uint8Array(gz.subarray(cuts[i - 1], cuts[i]))); c.close(); } });
  const cut = client(ctx.sb, { baseURL, fetch: async () => new Response(pieces(), { status: 200 }) });
  assert.deepEqual(await within(readAll(await within(cut.download(file(bill), { stream: true })))), bill);
  assert.deepEqual(Buffer.from(await within(cut.download(file(bill)))), bill);
  // A file of one byte, GZIP's first, is a plain file.
  const one = Buffer.from([0x1f]);
  const single = client(ctx.sb, { baseURL, fetch: async () => new Response(one, { status: 200 }) });
  assert.deepEqual(await within(readAll(await within(single.download(file(one), { stream: true })))), one);
  assert.deepEqual(Buffer.from(await within(single.download(file(one)))), one);
});

test("a file whose body stalls after its headers ends at the request's deadline, streamed too, whatever fetch does with its signal", async (t) => {
  const { wxpay, file, baseURL } = await fileHost(t, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.flushHeaders(); // and no body, ever
  });
  // A fetch that ignores its signal: only the package's own race can end the wait.
  const deaf = client(ctx.sb, { baseURL, retry: false, fetch: (url, init) => fetch(url, { ...init, signal: undefined }) });
  const data = file(Buffer.from('x'));
  for (const c of [wxpay, deaf]) {
    for (const stream of [false, true]) {
      const t0 = performance.now();
      // Before, streamed: ERR_NETWORK around the timeout, or with the deaf fetch no end at all.
      await rejectsWith(c.download(data, { stream, timeout: 200 }), 'ERR_TIMEOUT');
      assert.ok(performance.now() - t0 < 2000, `stream ${stream}: within about its timeout`);
      const err = await rejectsWith(c.download(data, { stream, signal: AbortSignal.timeout(200) }), 'ERR_ABORTED');
      assert.equal(err.cause?.name, 'TimeoutError', "cause: the signal's reason");
    }
  }
  // The client's own timeout counts the same way.
  await rejectsWith(client(ctx.sb, { baseURL, retry: false, timeout: 200 }).download(data, { stream: true }), 'ERR_TIMEOUT');
});

test('a download whose signal has already fired sends nothing and says so: ERR_ABORTED, attempts 0', async (t) => {
  const { file, baseURL } = await fileHost(t, (req, res) => res.end('x'));
  let calls = 0;
  const wxpay = client(ctx.sb, { baseURL, fetch: (url, init) => { calls++; return fetch(url, init); } });
  for (const stream of [false, true]) {
    const reason = new Error('the page went away');
    const err = await rejectsWith(wxpay.download(file(Buffer.from('x')), { stream, signal: AbortSignal.abort(reason) }), 'ERR_ABORTED');
    assert.equal(err.cause, reason);
    assert.equal(err.attempts, 0);
  }
  assert.equal(calls, 0);
  // And the client downloads as usual after.
  assert.deepEqual(Buffer.from(await within(wxpay.download(file(Buffer.from('x'))))), Buffer.from('x'));
  assert.equal(calls, 1);
});

test('maxBodyBytes bounds the joined file of an encrypted bill, not each part: whole and streamed', async () => {
  const wxpay = client(ctx.sb);
  const params = { bill_date: '2024-01-02', sub_mchid: '1900000001', algorithm: 'AEAD_AES_256_GCM', account_type: 'BASIC' };
  const bill = fundFlowBill();
  const answer = async () => (await within(wxpay.v3['bill/sub-merchant-fundflowbill'].get({ params }))).data;
  // Each part (half the bill) is within the limit, the two together are not: before, the joined bill resolved.
  const limit = bill.length - 1;
  assert.ok(Math.ceil(bill.length / 2) <= limit);
  for (const stream of [false, true]) {
    const err = await rejectsWith(wxpay.download(await answer(), { stream, maxBodyBytes: limit }), 'ERR_RESPONSE_TOO_LARGE');
    assert.match(err.message, new RegExp(`maxBodyBytes \\(${limit} bytes\\)`));
  }
  assert.deepEqual(Buffer.from(await within(wxpay.download(await answer(), { maxBodyBytes: bill.length }))), bill);
  assert.deepEqual(await within(readAll(await within(wxpay.download(await answer(), { stream: true, maxBodyBytes: bill.length })))), bill);
  // The client's own limit counts the same way.
  await rejectsWith(client(ctx.sb, { maxBodyBytes: limit }).download(await answer()), 'ERR_RESPONSE_TOO_LARGE');
});

test('readBill bounds a line, in one chunk or many, and stays linear in a long one', async () => {
  const read = async (chunks) => {
    const bill = readBill((async function* () { yield* chunks; })());
    const rows = [];
    for await (const row of bill) rows.push(row);
    return rows;
  };
  const MAX = 1 << 20;
  // 4 KiB chunks with no line break: before, each chunk rescanned all the text in hand
  // (16 MiB took about 50 s); now the line is refused once it passes the bound.
  const piece = new Uint8Array(4096).fill(0x61);
  const chunks = Array.from({ length: (MAX >> 12) + 2 }, () => piece);
  const err = await rejectsWith(read(chunks), 'ERR_INVALID_PARAM');
  assert.equal(err.message, `readBill(source): a line is longer than ${MAX} characters`);
  // One chunk holding a whole long line, and a long last line with no break after it.
  const long = Buffer.from(`h\n\`${'a'.repeat(MAX)}\n`);
  await rejectsWith(read([long]), 'ERR_INVALID_PARAM');
  await rejectsWith(read([Buffer.from('h\n'), Buffer.from(`\`${'a'.repeat(MAX)}`)]), 'ERR_INVALID_PARAM');
  // A line at the bound is read; chunks cut anywhere give the same rows (a summary after them).
  const atBound = Buffer.from(`h\n\`${'a'.repeat(MAX - 1)}\nn\n\`1\n`);
  assert.deepEqual(await read([atBound]), [{ h: 'a'.repeat(MAX - 1) }]);
  const cut = [];
  for (let i = 0; i < atBound.length; i += 4096) cut.push(atBound.subarray(i, i + 4096));
  assert.deepEqual(await read(cut), [{ h: 'a'.repeat(MAX - 1) }]);
});

// helper-127: a bill cut short before its summary (a file half written, a saved copy of a stream
// that broke), or a text that is no bill (an error page on one line, CR-only line ends), read as a
// bill of fewer rows, or none, with an empty summary and no error.
test('parseBill and readBill refuse a bill that ends without its summary: cut short, or not a bill', async () => {
  const text = tradeBill(3).toString('utf8');
  const lines = text.split('\r\n');
  const summaryAt = lines.findIndex((l, i) => i > 0 && !l.startsWith('`'));
  assert.equal(summaryAt, 4, 'the header, three records, then the summary');
  const streamed = async (input) => {
    const bill = readBill((async function* () { yield Buffer.from(input); })());
    const rows = [];
    const err = await (async () => { for await (const row of bill) rows.push(row); })().then(() => null, (e) => e);
    return { rows, err, summary: bill.summary };
  };
  const MESSAGE = "the bill ends without its summary (the totals' names and values after the records): a bill cut short, or not a bill";
  for (const [what, input, rowsBefore] of [
    ['cut after the last record', lines.slice(0, summaryAt).join('\r\n'), 3],
    ['cut after the summary\'s names', lines.slice(0, summaryAt + 1).join('\r\n'), 3],
    ['empty', '', 0],
    ['an error page on one line', '<html><body><h1>500 Internal Server Error</h1></body></html>', 0],
    ['a JSON error', '{"code":"NO_STATEMENT_EXIST","message":"no bill"}', 0],
    ['CR-only line ends', text.replaceAll('\r\n', '\r'), 0],
  ]) {
    const e = (() => { try { parseBill(input); } catch (err) { return err; } return assert.fail(`${what}: parseBill took it`); })();
    assert.ok(e instanceof WxpayError, what);
    assert.deepEqual([e.code, e.message], ['ERR_INVALID_PARAM', `parseBill: ${MESSAGE}`], what);
    const { rows, err, summary } = await streamed(input);
    assert.deepEqual([err?.code, err?.message], ['ERR_INVALID_PARAM', `readBill(source): ${MESSAGE}`], what);
    assert.equal(rows.length, rowsBefore, what);
    assert.equal(summary, undefined, what);
  }
  // Whole, and with no records at all: read.
  assert.equal(parseBill(text).rows.length, 3);
  const none = [lines[0], ...lines.slice(summaryAt)].join('\r\n');
  assert.deepEqual(parseBill(none).rows, []);
  assert.equal(parseBill(none).summary['总交易单数'], '3');
  const read = await streamed(none);
  assert.deepEqual([read.err, read.rows, read.summary], [null, [], parseBill(none).summary]);
});

// helper-106: a record line that began with a byte order mark (two files joined) was taken for
// the summary's start, and the records after it were left out with no error; bytes given whole
// were refused only at their first number.
test('readBill gives what parseBill does for a bill with a byte order mark mid-bill; a whole bill\'s bytes are refused at once', async () => {
  const lines = tradeBill(5).toString('utf8').split('\r\n');
  // The header, five records, the summary's names and values.
  for (const at of [2, 5]) {
    const marked = Buffer.from(lines.map((l, i) => (i === at ? `\uFEFF${l}` : l)).join('\r\n'));
    const whole = parseBill(marked);
    assert.deepEqual(whole.rows.map((r) => r['商户订单号']), ['order-0', 'order-1', 'order-2', 'order-3', 'order-4']);
    assert.equal(whole.summary['总交易单数'], '5');
    const bill = readBill((async function* () { yield marked; })());
    const rows = [];
    for await (const row of bill) rows.push(row);
    assert.deepEqual(rows, whole.rows, `a mark on line ${at}`);
    assert.deepEqual(bill.summary, whole.summary);
  }
  for (const bytes of [fundFlowBill(), new Uint8Array(fundFlowBill()), fundFlowBill().buffer]) {
    assert.throws(() => readBill(bytes), { name: 'WxpayError', code: 'ERR_INVALID_PARAM', message: /^readBill\(source\): source is a whole bill's bytes: parseBill\(bytes\) reads those/ });
  }
});

test('readBill refuses a bill that is not UTF-8 as parseBill does: ERR_INVALID_PARAM', async () => {
  const text = fundFlowBill();
  const bad = Buffer.concat([text.subarray(0, 200), Buffer.from([0xff]), text.subarray(200)]);
  const cutShort = text.subarray(0, text.indexOf(Buffer.from('交易')) + 1); // ends inside a character
  const read = async (...chunks) => {
    const bill = readBill((async function* () { yield* chunks; })());
    for await (const row of bill) void row;
  };
  assert.throws(() => parseBill(bad), { name: 'WxpayError', code: 'ERR_INVALID_PARAM', message: 'parseBill(text): the bill is not UTF-8' });
  // Before: a bare TypeError (ERR_ENCODING_INVALID_ENCODED_DATA).
  for (const chunks of [[bad], [bad.subarray(0, 201), bad.subarray(201)], [cutShort]]) {
    const err = await rejectsWith(read(...chunks), 'ERR_INVALID_PARAM');
    assert.equal(err.message, 'readBill(source): the bill is not UTF-8 (a GZIP file? fetch it with wxpay.download(data, { stream: true }), which gunzips it)');
    assert.ok(err.cause instanceof TypeError);
  }
  const err = await rejectsWith(read(text.subarray(0, 10), 'text'), 'ERR_INVALID_PARAM');
  assert.equal(err.message, 'readBill(source): the source gave a chunk that is not bytes');
});
