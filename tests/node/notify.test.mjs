// Notifications end to end in Node: the sandbox posts real signed, encrypted notifications to
// the example's node:http handler (examples/node/notify.mjs), which parses them with the
// packed package and answers. Plus parse's input shapes, the answer helpers, and the
// AES-256-GCM known answers through the package.
import { runInNewContext } from 'node:vm';
import test, { describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';
import { Wxpay, WxpayError, notifySuccess, notifyFailure } from 'wxpay-wasm';
import { notifyHandler, MAX_NOTIFY_BYTES } from '../../examples/node/notify.mjs';
import { NOTIFY_MODES, encryptResource } from '../sandbox/index.mjs';
import { useSandbox, options, rejectsWith, assertWxpayError } from './helpers.mjs';

const ctx = useSandbox();

const PAYMENT = {
  mchid: '1900000109', appid: 'wxd678efh567hg6787', out_trade_no: 'T-20260427-0001', transaction_id: '4200000000202604270000000001',
  trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'CMC', attach: '会员 🎉 "quoted"',
  success_time: '2026-04-27T10:34:56+08:00', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
};
const CARD_CREATED = {
  event_type: 'MEMBERCARDSP.USER_CARD.CREATE', event_time: '2026-04-27T10:00:00+08:00', card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY',
  user_card_code: '300000001', openid: 'obLatjhnqgy2syxrXVM3MJ5TmTsM', outer_str: '', brand_id: '1001', card_type: 'MEMBER',
};

// What the handler must answer for each misbehaviour, and the code parse rejects with.
const EXPECTED = {
  forged: [401, 'ERR_NOTIFY_SIGNATURE'],
  tampered: [401, 'ERR_NOTIFY_SIGNATURE'],
  signtest: [401, 'ERR_NOTIFY_SIGNATURE'],
  stale: [401, 'ERR_NOTIFY_TIMESTAMP'],
  future: [401, 'ERR_NOTIFY_TIMESTAMP'],
  'bad-timestamp': [401, 'ERR_NOTIFY_TIMESTAMP'],
  'decimal-timestamp': [401, 'ERR_NOTIFY_TIMESTAMP'],
  'unknown-serial': [401, 'ERR_NOTIFY_SERIAL'],
  unsigned: [401, 'ERR_NOTIFY_UNSIGNED'],
  'missing-timestamp': [401, 'ERR_NOTIFY_UNSIGNED'],
  'missing-nonce': [401, 'ERR_NOTIFY_UNSIGNED'],
  'missing-signature': [401, 'ERR_NOTIFY_UNSIGNED'],
  'missing-serial': [401, 'ERR_NOTIFY_UNSIGNED'],
  'wrong-key': [400, 'ERR_NOTIFY_DECRYPT'],
  corrupted: [400, 'ERR_NOTIFY_DECRYPT'],
};

describe('the example node:http handler, fed by the sandbox', () => {
  let server, url, handled, rejected, failed;
  const start = async (wxpay) => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve());
    server = http.createServer(notifyHandler(wxpay, {
      onNotification: (n) => { if (n.resource.fail) throw new Error('cannot store it'); handled.push(n); },
      onRejected: (e) => rejected.push(e),
      onFailed: (e, n) => failed.push([e.message, n.id]),
    }));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/notify`;
  };
  before(() => start(new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key }))));
  beforeEach(() => { handled = []; rejected = []; failed = []; });
  after(() => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }));

  test('a payment notification is accepted: 204, and the handler sees exactly what the sandbox encrypted', async () => {
    const r = await ctx.sb.notify(url, { event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT });
    assert.equal(r.status, 204);
    assert.equal(r.body, '');
    assert.deepEqual(rejected, []);
    assert.equal(handled.length, 1);
    const { envelope } = r.sent;
    assert.deepEqual(handled[0], {
      id: envelope.id,
      create_time: envelope.create_time,
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: PAYMENT,
    });
    assert.deepEqual(Object.keys(handled[0]), ['id', 'create_time', 'resource_type', 'event_type', 'summary', 'resource']);
  });

  test('a member card notification is accepted, signed by the WeChat Pay public key too', async () => {
    await start(new Wxpay(options(ctx.sb, { certs: ctx.sb.certs, apiv3Key: ctx.sb.apiv3Key })));
    for (const answerKey of ['platform', 'pubkey']) {
      ctx.sb.answerKey = answerKey;
      const r = await ctx.sb.notify(url, { event_type: 'MEMBERCARDSP.USER_CARD.CREATE', resource: CARD_CREATED });
      assert.equal(r.status, 204, answerKey);
      assert.equal(r.sent.headers['Wechatpay-Serial'], answerKey === 'pubkey' ? ctx.sb.pubkey.id : ctx.sb.platform.serial);
    }
    assert.deepEqual(handled.map((n) => [n.event_type, n.summary, n.resource]), [
      ['MEMBERCARDSP.USER_CARD.CREATE', '用户开通会员卡通知', CARD_CREATED],
      ['MEMBERCARDSP.USER_CARD.CREATE', '用户开通会员卡通知', CARD_CREATED],
    ]);
    await start(new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key })));
  });

  test('every misbehaviour mode is expected here', () => assert.deepEqual(Object.keys(EXPECTED).sort(), [...NOTIFY_MODES].sort()));

  for (const [mode, [status, code]] of Object.entries(EXPECTED)) {
    test(`${mode}: rejected with ${code}, answered ${status} FAIL, never handled`, async () => {
      const r = await ctx.sb.notify(url, { event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT, misbehave: mode });
      assert.equal(handled.length, 0);
      assert.equal(rejected.length, 1);
      assertWxpayError(rejected[0], code);
      assert.equal(r.status, status);
      assert.equal(r.headers['content-type'], 'application/json');
      // The error's text stays with the merchant (README: it goes to whoever posted).
      assert.deepEqual(r.json, { code: 'FAIL', message: 'rejected' });
      assert.equal(rejected[0].requestId, r.sent.headers['Request-ID']);
    });
  }

  test('a handler that throws answers 500 FAIL, so WeChat Pay retries; its error stays with the merchant', async () => {
    const r = await ctx.sb.notify(url, { event_type: 'TRANSACTION.SUCCESS', resource: { ...PAYMENT, fail: true } });
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, { code: 'FAIL', message: 'not handled' });
    assert.deepEqual(failed, [['cannot store it', r.sent.envelope.id]]);
  });

  test('a client without apiv3Key cannot parse: ERR_INVALID_CONFIG, answered 500', async () => {
    await start(new Wxpay(options(ctx.sb)));
    const r = await ctx.sb.notify(url, { event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT });
    assert.equal(r.status, 500);
    assertWxpayError(rejected[0], 'ERR_INVALID_CONFIG');
    assert.match(rejected[0].message, /options\.apiv3Key/);
    await start(new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key })));
  });

  test('a body over the example\'s limit is answered 413 FAIL unread, and the next one is handled', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(MAX_NOTIFY_BYTES + 1) });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { code: 'FAIL', message: 'body too large' });
    assert.deepEqual([handled, rejected], [[], []]);
    const r = await ctx.sb.notify(url, { event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT });
    assert.equal(r.status, 204);
    assert.equal(handled.length, 1);
  });

  test('GET is answered 405 FAIL', async () => {
    const res = await fetch(url);
    assert.equal(res.status, 405);
    assert.deepEqual(await res.json(), { code: 'FAIL', message: 'POST only' });
  });
});

describe('notifications.parse input shapes', () => {
  let wxpay;
  before(() => { wxpay = new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key })); });
  const make = () => ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT });
  const lower = (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  const upper = (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));

  test('a fetch Request (Node global), read once', async () => {
    const n = make();
    const request = new Request('http://merchant.example/notify', { method: 'POST', headers: n.headers, body: n.body });
    const got = await wxpay.notifications.parse(request);
    assert.deepEqual(got.resource, PAYMENT);
    assert.equal(got.id, n.envelope.id);
    assert.equal(request.bodyUsed, true);
    const again = await rejectsWith(wxpay.notifications.parse(request), 'ERR_INVALID_PARAM');
    assert.match(again.message, /already read/);
  });

  test('an unsigned Request is refused on its headers: its body (one that never ends, here) is not read', async () => {
    const n = make();
    let pulled = 0;
    const endless = new ReadableStream({ pull(c) { pulled++; c.enqueue(new Uint8Array(65536)); } }, { highWaterMark: 0 });
    const { 'Wechatpay-Signature': _, ...unsigned } = n.headers;
    void _;
    const request = new Request('http://merchant.example/notify', { method: 'POST', headers: { ...unsigned, 'Request-ID': 'rid-1' }, body: endless, duplex: 'half' });
    const e = await rejectsWith(wxpay.notifications.parse(request), 'ERR_NOTIFY_UNSIGNED');
    assert.equal(e.message, 'unsigned notification: missing Wechatpay-Signature');
    assert.equal(e.requestId, 'rid-1');
    assert.equal(request.bodyUsed, false);
    assert.ok(pulled <= 1, `the body was read: ${pulled} chunks pulled`);
    // Signed, the same kind of Request is read and verified as before.
    const got = await wxpay.notifications.parse(new Request('http://merchant.example/notify', { method: 'POST', headers: n.headers, body: n.body }));
    assert.deepEqual(got.resource, PAYMENT);
  });

  test('{ headers, body }: Headers or plain objects in any case; body as Buffer, Uint8Array, string, ArrayBuffer', async () => {
    const n = make();
    const bytes = new Uint8Array(n.body);
    const inputs = [
      { headers: new Headers(n.headers), body: n.body },
      { headers: lower(n.headers), body: bytes },
      { headers: upper(n.headers), body: n.body.toString('utf8') },
      { headers: n.headers, body: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      { headers: { ...lower(n.headers), 'wechatpay-nonce': [n.headers['Wechatpay-Nonce']] }, body: n.body },
      // A Map with the names as sent, pairs, and Node's req.rawHeaders (flat names and values).
      { headers: new Map(Object.entries(n.headers)), body: n.body },
      { headers: Object.entries(upper(n.headers)), body: n.body },
      { headers: Object.entries(n.headers).flat(), body: n.body },
    ];
    for (const [i, input] of inputs.entries()) {
      const got = await wxpay.notifications.parse(input);
      assert.deepEqual(got.resource, PAYMENT, `input ${i}`);
    }
  });

  test('the exact bytes count: a body re-serialised differently fails the signature, and the message says what to pass (helper-102)', async () => {
    const n = make();
    const reserialised = JSON.stringify(JSON.parse(n.body.toString('utf8')), null, 1);
    const e = await rejectsWith(wxpay.notifications.parse({ headers: n.headers, body: reserialised }), 'ERR_NOTIFY_SIGNATURE');
    assert.equal(e.message, "signature does not verify (it covers the body's bytes as received: pass the raw body, not one parsed and serialised again)");
    // An answer's failure says only that: its body is the one fetch read.
    ctx.sb.misbehave('tampered', 1);
    await rejectsWith(new Wxpay(options(ctx.sb, { retry: 0 })).v3.sandbox.echo.get(), 'ERR_RESPONSE_SIGNATURE', { message: 'signature does not verify' });
  });

  test('a notification without summary (v3/webhooks does not require it) is verified and decrypted', async () => {
    const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT, summary: null });
    assert.ok(!n.body.toString('utf8').includes('summary'));
    const got = await wxpay.notifications.parse({ headers: n.headers, body: n.body });
    assert.deepEqual(got, { ...n.envelope, resource: PAYMENT });
    assert.equal('summary' in got, false);
  });

  test('unusable input is ERR_INVALID_PARAM, and the client keeps working', async () => {
    const n = make();
    for (const input of [undefined, null, 'body', 42, {}, { headers: n.headers }, { headers: 'x', body: n.body }, { headers: n.headers, body: 42 },
      { headers: ['wechatpay-nonce'], body: n.body }, { headers: [['a', 'b', 'c']], body: n.body }]) {
      await rejectsWith(wxpay.notifications.parse(input), 'ERR_INVALID_PARAM');
    }
    // Every header value is bounded like any text input, before it is copied into wasm memory.
    const huge = await rejectsWith(wxpay.notifications.parse({ headers: { ...n.headers, 'Wechatpay-Nonce': 'n'.repeat((1 << 20) + 1) }, body: n.body }), 'ERR_INVALID_PARAM');
    assert.match(huge.message, /wechatpay-nonce header is longer than 1048576 characters/);
    // A signed header given more than once has no one value: unsigned, never the first or the last
    // one given, however it is given twice: two names in two cases, Node's array, a Headers' join.
    const serial = n.headers['Wechatpay-Serial'];
    const twice = [
      [...Object.entries(n.headers), ['wechatpay-serial', 'OTHER']],
      [...Object.entries(n.headers), ['wechatpay-serial', serial]],
      { ...lower(n.headers), 'wechatpay-serial': [serial, serial] },
      [...Object.entries(n.headers).flat(), 'WECHATPAY-SERIAL', serial],
      new Headers([...Object.entries(n.headers), ['Wechatpay-Serial', serial]]),
      new Map([...Object.entries(n.headers), ['wechatpay-serial', serial]]),
    ];
    const downloads = ctx.sb.requests.length;
    for (const headers of twice) {
      const e = await rejectsWith(wxpay.notifications.parse({ headers, body: n.body }), 'ERR_NOTIFY_UNSIGNED');
      assert.equal(e.message, 'unsigned notification: Wechatpay-Serial given more than once');
      assert.equal(e.requestId, n.headers['Request-ID']);
    }
    // Nothing was downloaded to find a key for "serial, serial".
    assert.equal(ctx.sb.requests.length, downloads);
    // A serial not of a serial's shape is not repeated: the APIv3 key pasted there, say.
    const pasted = await rejectsWith(wxpay.notifications.parse({ headers: { ...n.headers, 'Wechatpay-Serial': ctx.sb.apiv3Key }, body: n.body }), 'ERR_NOTIFY_SERIAL');
    assert.ok(!pasted.message.includes(ctx.sb.apiv3Key), pasted.message);
    assert.match(pasted.message, /^Wechatpay-Serial \(not a serial, 32 bytes\) names none of the known platform keys/);
    const both = await rejectsWith(wxpay.notifications.parse({ headers: { ...lower(n.headers), 'wechatpay-nonce': ['a', 'b'], 'wechatpay-timestamp': ['1', '1'] }, body: n.body }), 'ERR_NOTIFY_UNSIGNED');
    assert.equal(both.message, 'unsigned notification: Wechatpay-Timestamp, Wechatpay-Nonce given more than once');
    // An empty array is no value at all (missing), a Request-ID given twice none of the four.
    assert.equal((await rejectsWith(wxpay.notifications.parse({ headers: { ...lower(n.headers), 'wechatpay-nonce': [] }, body: n.body }), 'ERR_NOTIFY_UNSIGNED')).message,
      'unsigned notification: missing Wechatpay-Nonce');
    assert.deepEqual((await wxpay.notifications.parse({ headers: { ...lower(n.headers), 'request-id': ['a', 'b'] }, body: n.body })).resource, PAYMENT);
    // A Request-ID given twice is no one id, however it came: not carried by an error.
    for (const headers of [{ ...lower(n.headers), 'request-id': ['a', 'b'], 'wechatpay-serial': [serial, serial] },
      new Headers([...Object.entries(n.headers), ['Request-ID', 'second'], ['Wechatpay-Serial', serial]])]) {
      assert.equal((await rejectsWith(wxpay.notifications.parse({ headers, body: n.body }), 'ERR_NOTIFY_UNSIGNED')).requestId, undefined);
    }
    // One longer than 128 characters is not the service's (helper-177: 8,000 of them went into
    // every log line of a refusal): not carried either; 128 are.
    // Nor one with a control or a space (helper-180: a line break forged a log line of its own).
    for (const [id, carried] of [...[[8000, false], [129, false], [128, true]].map(([n, c]) => ['r'.repeat(n), c]), ['rid\nFAKE-LOG-LINE', false], ['rid\u001b[31m', false], ['rid 1', false], ['', false], ['08F78BB5AF0610D302-0', true]]) {
      const length = id.length;
      const forged = await rejectsWith(wxpay.notifications.parse({ headers: { ...n.headers, 'Request-ID': id, 'Wechatpay-Signature': 'AAAA' }, body: n.body }), 'ERR_NOTIFY_SIGNATURE');
      assert.equal(forged.requestId, carried ? id : undefined, `${length} characters`);
      const unsigned = await rejectsWith(wxpay.notifications.parse({ headers: { ...n.headers, 'Request-ID': id, 'Wechatpay-Serial': [serial, serial] }, body: n.body }), 'ERR_NOTIFY_UNSIGNED');
      assert.equal(unsigned.requestId, carried ? id : undefined, `${length} characters`);
      assert.ok(!JSON.stringify(forged).includes('r'.repeat(129)));
    }
    assert.deepEqual((await wxpay.notifications.parse({ headers: n.headers, body: n.body })).resource, PAYMENT);
  });

  test('input that is not yet a notification says what to pass instead: the raw body, the right key, a headers form', async () => {
    const n = make();
    const message = async (input) => (await rejectsWith(wxpay.notifications.parse(input), 'ERR_INVALID_PARAM')).message;
    // express.json()'s parsed body, on a plain object or on req itself (node:http's req, its body
    // not read, is read: tests/node/notify-http.test.mjs).
    const req = new http.IncomingMessage(new net.Socket());
    req.headers = lower(n.headers);
    const parsed = /^notifications\.parse\(input\): input\.body is an object \(a parsed body: express\.json\(\), koa-bodyparser, Fastify's JSON parser, NestJS's @Body\(\)\?\): the signature covers the raw bytes as received, so pass the raw body \(a Buffer or string\) taken before any JSON parser runs \(in NestJS, rawBody: true, then req\.rawBody\)/;
    assert.match(await message({ headers: n.headers, body: JSON.parse(n.body.toString('utf8')) }), parsed);
    req.body = JSON.parse(n.body.toString('utf8'));
    assert.match(await message(req), parsed);
    // No raw body kept (NestJS without rawBody: true, Express with no parser on the route): undefined.
    assert.match(await message({ headers: n.headers, body: undefined }), /^notifications\.parse\(input\): input\.body must be a string or bytes \(Uint8Array, Buffer, ArrayBuffer\), the raw body, got undefined \(no raw body kept\? NestJS: create the app with rawBody: true, then req\.rawBody; Express: express\.raw\(\{ type: 'application\/json' \}\) on the route; Koa: koa-bodyparser's ctx\.request\.rawBody; README, "In Node's frameworks"\)$/);
    assert.match(await message({ headers: n.headers, body: 42 }), /the raw body, got number$/);
    assert.match(await message({ headers: n.headers, body: Readable.from([n.body]) }), /input\.body is a stream: read it to bytes first/);
    assert.match(await message({ headers: n.headers, body: new Blob([n.body]) }), /input\.body is a Blob: pass its bytes \(await body\.arrayBuffer\(\)\)$/);
    // Hono's c.req wraps the Request as `raw` (and has an arrayBuffer of its own, but no headers).
    const request = new Request('http://merchant.example/notify', { method: 'POST', headers: n.headers, body: n.body });
    assert.match(await message({ raw: request, arrayBuffer: () => request.arrayBuffer(), header: () => undefined }), /^notifications\.parse\(input\): input wraps a fetch Request as input\.raw \(Hono's c\.req\): pass that Request \(c\.req\.raw\), its body not read yet$/);
    assert.equal(request.bodyUsed, false);
    // A serverless event's body as the gateway gave it, base64 (isBase64Encoded: true), in each
    // form and wrapped at 76 characters: refused saying so, where it would fail its signature.
    const b64 = n.body.toString('base64');
    const base64 = /^notifications\.parse\(input\): input\.body is base64 text \(it begins eyJ, the base64 of \{"\), not the notification's JSON: a serverless platform's event carries the body so when its isBase64Encoded is true; pass the bytes it encodes, Buffer\.from\(event\.body, 'base64'\)/;
    for (const body of [b64, Buffer.from(b64), b64.replace(/.{76}/g, '$&\r\n')]) assert.match(await message({ headers: n.headers, body }), base64);
    assert.match(await message(new Request('http://merchant.example/notify', { method: 'POST', headers: n.headers, body: b64 })), base64);
    // Decoded, it is the notification; text that only begins like base64 goes on to be verified.
    assert.deepEqual((await wxpay.notifications.parse({ headers: n.headers, body: Buffer.from(b64, 'base64') })).resource, PAYMENT);
    await rejectsWith(wxpay.notifications.parse({ headers: n.headers, body: `${b64}!` }), 'ERR_NOTIFY_SIGNATURE');
    // A misspelt key of { headers, body } is named; a key that is not a short name only by its length.
    assert.match(await message({ header: n.headers, body: n.body }), /^notifications\.parse\(input\): unknown key `header`: expected \{ headers, body \}, or a fetch Request$/);
    assert.match(await message({ headers: n.headers, raw: n.body }), /unknown key `raw`: expected \{ headers, body \}/);
    assert.match(await message({ headers: n.headers, [n.body.toString('utf8')]: 1 }), /unknown key \(\d+ characters, not shown\)/);
    // Every accepted form of headers is listed.
    const headers = await message({ headers: 'Wechatpay-Nonce: x', body: n.body });
    for (const form of ['a Headers', 'a plain object', 'a Map', '[name, value] pairs', 'rawHeaders']) assert.ok(headers.includes(form), `${form}: ${headers}`);
    assert.match(headers, /, got string$/);
    // Another iterable (a generator of pairs, a Set) is none of them: refused, not read as an
    // object without the four headers.
    for (const other of [(function* () { yield* Object.entries(n.headers); })(), new Set(Object.entries(n.headers))]) {
      assert.match(await message({ headers: other, body: n.body }), /^notifications\.parse\(input\): input\.headers must be a Headers, a plain object/);
    }
    // The properties looked at for these messages are read inside the boundary: a getter that throws is the caller's error.
    const throwing = new (class { get headers() { return n.headers; } get pipe() { throw new Error('pipe getter'); } })();
    assert.match(await message(throwing), /^notifications\.parse\(input\): reading input threw: Error: pipe getter$/);
    const proxy = new Proxy({}, { getPrototypeOf() { throw new Error('trap'); } });
    assert.match(await message(proxy), /reading input threw: Error: trap$/);
    assert.deepEqual((await wxpay.notifications.parse({ headers: n.headers, body: n.body })).resource, PAYMENT);
    // A plain Request-like object (headers and arrayBuffer) is no misspelt { headers, body }.
    const bytes = new Uint8Array(n.body);
    assert.deepEqual((await wxpay.notifications.parse({ headers: new Headers(n.headers), arrayBuffer: async () => bytes.slice().buffer })).resource, PAYMENT);
    // Nor is one with more of a Request's keys, or one that also has `on` (a framework's request).
    const requestLike = { headers: new Headers(n.headers), arrayBuffer: async () => bytes.slice().buffer, text: async () => '', method: 'POST', url: '/notify' };
    assert.deepEqual((await wxpay.notifications.parse(requestLike)).resource, PAYMENT);
    assert.deepEqual((await wxpay.notifications.parse({ ...requestLike, on() {}, pipe() {} })).resource, PAYMENT);
  });

  test('a correctly signed body that is not a notification is ERR_NOTIFY_BODY, as is a plaintext that is not a JSON object', async () => {
    const cases = [
      [{ body: '{"id":"x"}' }, 'notification body lacks the field resource'],
      [{ body: '[]' }, 'notification body must be a JSON object, got an array'],
      [{ body: 'oops' }, 'notification body is not JSON: expected value at line 1 column 1'],
      [{ plaintext: 'hello' }, 'resource decrypts to text that is not JSON: expected value at line 1 column 1'],
      [{ plaintext: '[1,2]' }, 'resource decrypts to an array, not a JSON object'],
    ];
    for (const [o, message] of cases) {
      const n = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT, ...o });
      const e = await rejectsWith(wxpay.notifications.parse({ headers: n.headers, body: n.body }), 'ERR_NOTIFY_BODY');
      assert.equal(e.message, message);
    }
    const s = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT, body: JSON.stringify({ ...make().envelope, summary: null }) });
    assert.equal((await rejectsWith(wxpay.notifications.parse({ headers: s.headers, body: s.body }), 'ERR_NOTIFY_BODY')).message, 'notification body field summary must be a string, got null');
    const m = ctx.sb.notification({ event_type: 'TRANSACTION.SUCCESS', plaintext: '{"from":"plaintext"}' });
    assert.deepEqual((await wxpay.notifications.parse({ headers: m.headers, body: m.body })).resource, { from: 'plaintext' });
  });
});

describe('answers WeChat Pay expects', () => {
  let wxpay;
  before(() => { wxpay = new Wxpay(options(ctx.sb, { apiv3Key: ctx.sb.apiv3Key })); });

  test('success(): 204, no body; the same as notifySuccess()', async () => {
    for (const r of [wxpay.notifications.success(), notifySuccess()]) {
      assert.ok(r instanceof Response);
      assert.equal(r.status, 204);
      assert.equal(await r.text(), '');
    }
  });

  test('failure(message, status): JSON {code: FAIL, message}, 500 by default', async () => {
    const cases = [
      [wxpay.notifications.failure('签名错误 "bad"', 401), 401, '签名错误 "bad"'],
      [wxpay.notifications.failure('x'), 500, 'x'],
      [wxpay.notifications.failure(), 500, 'failed'],
      // Never refused over a character: a lone surrogate is answered as U+FFFD.
      [wxpay.notifications.failure('bad \ud800 text'), 500, 'bad \ufffd text'],
      [wxpay.notifications.failure(new Error('\udc00')), 500, '\ufffd'],
      [wxpay.notifications.failure(new WxpayError('ERR_NOTIFY_BODY', 'from an error')), 500, 'from an error'],
      // An Error of another realm (a vm context; Jest runs tests in one).
      [wxpay.notifications.failure(runInNewContext('new Error("db unavailable")')), 500, 'db unavailable'],
      [notifyFailure('no client', 503), 503, 'no client'],
    ];
    for (const [r, status, message] of cases) {
      assert.equal(r.status, status);
      assert.equal(r.headers.get('content-type'), 'application/json');
      const text = await r.text();
      assert.equal(text, JSON.stringify({ code: 'FAIL', message }));
    }
  });

  test('failure with a status outside 400-599 or a bad message throws ERR_INVALID_PARAM', () => {
    for (const args of [['m', 200], ['m', 204], ['m', 399], ['m', 600], ['m', 500.5], ['m', '500'], [42], [{}]]) {
      assert.throws(() => wxpay.notifications.failure(...args), (e) => { assertWxpayError(e, 'ERR_INVALID_PARAM'); return true; }, JSON.stringify(args));
      assert.throws(() => notifyFailure(...args), (e) => e.code === 'ERR_INVALID_PARAM');
    }
  });

  test('wxpay.notifications is one object', () => {
    assert.equal(wxpay.notifications, wxpay.notifications);
  });
});

describe('AEAD_AES_256_GCM known answers through the package (protocol.md)', () => {
  const KEY = '0123456789abcdef0123456789abcdef';
  let wxpay;
  before(() => { wxpay = new Wxpay(options(ctx.sb, { apiv3Key: KEY })); });

  test('the two vectors, and a 12-byte nonce made by node:crypto', async () => {
    assert.equal(await wxpay.decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: 'GvpmmdtYwexXIPhySs9Tlg==', associated_data: '', nonce: '0123456789abcdef' }), '');
    assert.equal(await wxpay.decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: 'APoZlYpivU3HjbAiB4CvW1rAFr8J', associated_data: 'world', nonce: '0123456789abcdef' }), 'hello');
    const r = encryptResource(KEY, '-----BEGIN CERTIFICATE-----\n证书\n', 'certificate');
    assert.equal(r.nonce.length, 12);
    assert.equal(await wxpay.decryptResource(r), '-----BEGIN CERTIFICATE-----\n证书\n');
  });

  test('wrong AAD, nonce, key or ciphertext: ERR_NOTIFY_DECRYPT; bad shapes: ERR_INVALID_PARAM', async () => {
    const good = { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'APoZlYpivU3HjbAiB4CvW1rAFr8J', associated_data: 'world', nonce: '0123456789abcdef' };
    for (const bad of [
      { ...good, associated_data: 'World' }, { ...good, nonce: '0123456789abcdeF' }, { ...good, nonce: '0123' },
      { ...good, ciphertext: 'BPoZlYpivU3HjbAiB4CvW1rAFr8J' }, { ...good, ciphertext: 'AAAA' }, { ...good, ciphertext: '!!' },
      { ...good, algorithm: 'AEAD_AES_128_GCM' },
    ]) {
      await rejectsWith(wxpay.decryptResource(bad), 'ERR_NOTIFY_DECRYPT');
    }
    const other = new Wxpay(options(ctx.sb, { apiv3Key: 'fedcba9876543210fedcba9876543210' }));
    await rejectsWith(other.decryptResource(good), 'ERR_NOTIFY_DECRYPT');
    for (const bad of [null, 'x', {}, { ...good, ciphertext: 1 }, { ...good, nonce: undefined }]) {
      await rejectsWith(wxpay.decryptResource(bad), 'ERR_INVALID_PARAM');
    }
    await rejectsWith(new Wxpay(options(ctx.sb)).decryptResource(good), 'ERR_INVALID_CONFIG');
    assert.equal(await wxpay.decryptResource(good), 'hello', 'still working after every failure');
  });
});
