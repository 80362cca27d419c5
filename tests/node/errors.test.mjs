// Non-2xx answers: a WxpayError carrying the service's code and message, the HTTP status,
// the detail, the Request-ID and the answer itself; a gateway's HTML page is ERR_HTTP_STATUS.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { useSandbox, options, memberCode, rejectsWith, signedResponse, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();
const DETAIL = { field: 'x', value: 'y', issue: 'z', location: 'body' };
const REQUEST_ID = /^sbx-\d+-[0-9a-f]{12}$/;

const SERVICE_ERRORS = [
  [400, 'PARAM_ERROR'],
  [401, 'SIGN_ERROR'],
  [403, 'NO_AUTH'],
  [404, 'RESOURCE_NOT_EXISTS'],
  [418, 'INVALID_REQUEST'],
  [429, 'RATELIMIT_EXCEEDED'],
  [500, 'SYSTEM_ERROR'],
  [502, 'SERVICE_UNAVAILABLE'],
  [503, 'SERVICE_UNAVAILABLE'],
];

for (const [status, code] of SERVICE_ERRORS) {
  test(`${status} answer rejects with the service code ${code}, message, status, detail, requestId, response`, async () => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb));
    const message = `sandbox status ${status}: ${http.STATUS_CODES[status]}`;
    const err = await rejectsWith(wxpay.v3.sandbox.status[String(status)].get(), code, { status, message, detail: DETAIL });
    const req = sb.requests.at(-1);
    assert.equal(req.verified, true);
    assert.equal(req.status, status);
    assert.match(err.requestId, REQUEST_ID);
    assert.equal(err.requestId, req.requestId);
    assert.equal(err.response.status, status);
    assert.equal(err.response.statusText, http.STATUS_CODES[status]);
    assert.equal(err.response.headers['request-id'], req.requestId);
    assert.deepEqual(err.response.data, { code, message, detail: DETAIL });
    assert.equal(typeof err.stack, 'string');
  });
}

test('in a log line the code is named: `${err}`, JSON.stringify (its message too, not the answer\'s headers)', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const err = await rejectsWith(wxpay.v3.sandbox.status['404'].get(), 'RESOURCE_NOT_EXISTS');
  const message = 'sandbox status 404: Not Found';
  assert.equal(`${err}`, `WxpayError [RESOURCE_NOT_EXISTS]: ${message}`);
  // The stack is the runtime's, written from name and message when first read.
  assert.equal(err.stack.split('\n')[0], `WxpayError: ${message}`);
  assert.equal(err.name, 'WxpayError');
  const json = JSON.parse(JSON.stringify(err));
  assert.deepEqual(json, { name: 'WxpayError', code: 'RESOURCE_NOT_EXISTS', message, status: 404, requestId: err.requestId, detail: DETAIL, attempts: 1 });
  // Ours alike; a cause is named by its own name and message (or its JSON, if ours).
  const timeout = await rejectsWith(new Wxpay(options(sb, { fetch: () => new Promise(() => {}) })).v3.sandbox.status['404'].get({ timeout: 50 }), 'ERR_TIMEOUT');
  assert.match(`${timeout}`, /^WxpayError \[ERR_TIMEOUT\]: /);
  const caused = new WxpayError('ERR_NETWORK', 'outer', { cause: new WxpayError('SYSTEM_ERROR', 'inner', { status: 500 }) });
  assert.deepEqual(JSON.parse(JSON.stringify(caused)), { name: 'WxpayError', code: 'ERR_NETWORK', message: 'outer', cause: { name: 'WxpayError', code: 'SYSTEM_ERROR', message: 'inner', status: 500 } });
  assert.deepEqual(JSON.parse(JSON.stringify(new WxpayError('ERR_NETWORK', 'x', { cause: new TypeError('fetch failed') }))).cause, 'TypeError: fetch failed');
  // An error whose name or message cannot be read as text: named so, never a throw (its JSON neither).
  const odd = Object.assign(new Error('m'), { name: Symbol('s') });
  assert.equal(JSON.parse(JSON.stringify(new WxpayError('ERR_NETWORK', 'x', { cause: odd }))).cause, 'Symbol(s): m');
  const unreadable = Object.defineProperty(new Error(), 'message', { get() { throw new Error('no'); } });
  assert.equal(JSON.parse(JSON.stringify(new WxpayError('ERR_NETWORK', 'x', { cause: unreadable }))).cause, 'an exception');
  // What README says of structured cloning (postMessage to a worker): its JSON keeps what the clone loses.
  const answer = new WxpayError('ORDER_NOT_EXIST', '订单不存在', { status: 404, requestId: 'R1' });
  const clone = structuredClone(answer);
  assert.deepEqual([clone.constructor, clone.name, clone.message, clone.code, clone.status], [Error, 'Error', '订单不存在', undefined, undefined]);
  assert.deepEqual(structuredClone(JSON.parse(JSON.stringify(answer))), { name: 'WxpayError', code: 'ORDER_NOT_EXIST', message: '订单不存在', status: 404, requestId: 'R1' });
  // A cause crosses whole (helper-115), as thrown: a fetch's error naming the URL, query and all.
  const quoted = structuredClone(new WxpayError('ERR_NETWORK', 'GET https://h/v3/x?… failed', { cause: new TypeError('error sending request for url (https://h/v3/x?token=T)') }));
  assert.deepEqual([quoted.code, quoted.cause?.message], [undefined, 'error sending request for url (https://h/v3/x?token=T)']);
  // Without a message, the code alone; a subclass keeps its own name, set either way.
  assert.equal(String(new WxpayError('ERR_X', '')), 'WxpayError [ERR_X]');
  class Mine extends WxpayError {}
  Mine.prototype.name = 'Mine';
  assert.equal(String(new Mine('ERR_X', 'm')), 'Mine [ERR_X]: m');
  class Declined extends WxpayError { constructor() { super('ERR_X', 'declined'); this.name = 'Declined'; } }
  const declined = new Declined();
  assert.equal(String(declined), 'Declined [ERR_X]: declined');
  assert.equal(declined.stack.split('\n')[0], 'Declined: declined');
  // Only its own fields: never an inherited one, nor a getter of Object.prototype; a cause that
  // is its own cause is written three deep.
  Object.prototype.status = 999;
  Object.defineProperty(Object.prototype, 'detail', { configurable: true, get() { throw new Error('a polluted getter'); } });
  try {
    assert.deepEqual(JSON.parse(JSON.stringify(new WxpayError('ERR_X', 'm'))), { name: 'WxpayError', code: 'ERR_X', message: 'm' });
  } finally {
    delete Object.prototype.status;
    delete Object.prototype.detail;
  }
  const loop = new WxpayError('ERR_X', 'm');
  loop.cause = loop;
  assert.equal(JSON.stringify(loop).match(/"cause"/g).length, 3);
});

test('a status text in our message is escaped and bounded; the answer keeps it as it came', async () => {
  const text = `Bad \u001b[2KGateway\u009b31m ${'x'.repeat(200)}`;
  // A Response refuses such a text; a caller's fetch may answer with any object.
  const fetch = async () => ({ status: 502, statusText: text, headers: new Headers({ 'content-type': 'text/html' }), body: null, arrayBuffer: async () => new ArrayBuffer(0) });
  const err = await rejectsWith(new Wxpay(options(ctx.sb, { fetch, retry: 0 })).v3.sandbox.echo.get(), 'ERR_HTTP_STATUS', { status: 502 });
  assert.equal(err.message, `HTTP 502 Bad \\x1b[2KGateway\\x9b31m ${'x'.repeat(44)}...`);
  assert.equal(err.response.statusText, text);
});

test('a service code spelled as ours (ERR_...) is ERR_HTTP_STATUS: err.code ERR_* is always the client\'s own', async () => {
  const answer = (code) => async () => new Response(JSON.stringify({ code, message: 'm' }), { status: 400, headers: { 'content-type': 'application/json' } });
  for (const code of ['ERR_RESPONSE_SIGNATURE', 'ERR_NETWORK', 'ERR_']) {
    const err = await rejectsWith(new Wxpay(options(ctx.sb, { fetch: answer(code), retry: 0 })).v3.sandbox.echo.get(), 'ERR_HTTP_STATUS', { status: 400, message: 'm' });
    assert.deepEqual(err.response.data, { code, message: 'm' }, 'the body as it came');
  }
  // The control: a service code of the service's own spelling is kept.
  await rejectsWith(new Wxpay(options(ctx.sb, { fetch: answer('ERROR_X'), retry: 0 })).v3.sandbox.echo.get(), 'ERROR_X', { status: 400 });
});

// helpers-100, -108: an error answer is unsigned (a proxy's may say anything), and its code went
// into err.code and `${err}` raw: a forged log line, terminal escapes, any length. The message
// stays as the service wrote it (README, Errors; the next tests).
test('an error answer\'s code is taken only as the service writes one (letters, digits, _, at most 64); else it is in response.data alone, and the code is ERR_HTTP_STATUS', async () => {
  const answer = (body) => async () => new Response(JSON.stringify(body), { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json', 'request-id': 'rid-e' } });
  const get = (body) => new Wxpay(options(ctx.sb, { fetch: answer(body), retry: 0 })).v3.sandbox.echo.get();
  const forged = 'X\n\u001b[31mFAKE ERROR payment ok';
  for (const code of [forged, 'PARAM ERROR', 'A'.repeat(65), '订单不存在', 'ORDER-NOT-EXIST']) {
    const err = await rejectsWith(get({ code, message: 'm' }), 'ERR_HTTP_STATUS', { status: 400, requestId: 'rid-e', message: 'm' });
    assert.equal(err.response.data.code, code, 'the body as it came');
    assert.doesNotMatch(String(err), /[\n\u001b]/);
  }
  for (const code of ['ORDER_NOT_EXIST', 'PARAM_ERROR', 'A'.repeat(64), 'Invalid_Request_2']) {
    await rejectsWith(get({ code, message: '订单不存在' }), code, { status: 400, message: '订单不存在' });
  }
});

test('a 502 HTML page from a gateway rejects ERR_HTTP_STATUS with the status and the page', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const err = await rejectsWith(wxpay.v3.sandbox.status['502-html'].get(), 'ERR_HTTP_STATUS', {
    status: 502,
    message: 'HTTP 502 Bad Gateway',
  });
  assert.equal(err.requestId, sb.requests.at(-1).requestId);
  assert.equal(err.detail, undefined);
  assert.equal(err.response.status, 502);
  assert.equal(err.response.headers['content-type'], 'text/html');
  assert.equal(err.response.data,
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n');
});

test('the sandbox refusing our signature surfaces as 401 SIGN_ERROR with its reason', async () => {
  const { sb } = ctx;
  const cases = [
    [{ serial: '1234567890ABCDEF1234567890ABCDEF12345678' }, 'serial_no 1234567890ABCDEF1234567890ABCDEF12345678 is not the merchant certificate serial'],
    [{ mchid: '1900000110' }, `mchid 1900000110 does not match ${sb.mchid}`],
    [{ privateKey: sb.platform.privateKeyPkcs8 }, 'signature does not verify'],
  ];
  for (const [wrong, message] of cases) {
    const wxpay = new Wxpay(options(sb, wrong));
    const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'SIGN_ERROR', { status: 401, message });
    const req = sb.requests.at(-1);
    assert.equal(req.verified, false);
    assert.equal(err.requestId, req.requestId);
    assert.deepEqual(err.response.data, { code: 'SIGN_ERROR', message });
  }
});

test('with apiv3Key and no certs, a serial not the key\'s fails the first download: ERR_CERTIFICATE_DOWNLOAD, its cause the service\'s SIGN_ERROR (README)', async () => {
  const { sb } = ctx;
  const serial = '1234567890ABCDEF1234567890ABCDEF12345678';
  const { certs: _, ...bootstrap } = options(sb, { apiv3Key: sb.apiv3Key, serial });
  const wxpay = new Wxpay(bootstrap);
  const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(err.cause?.code, 'SIGN_ERROR');
  assert.equal(err.cause.status, 401);
  assert.equal(sb.requests.at(-1).url, '/v3/certificates');
  assert.equal(sb.requests.filter((r) => r.url !== '/v3/certificates').length, 0, 'the request itself was not sent');
});

test('a 500 in place of a success (misbehaviour error-500) is SYSTEM_ERROR', async () => {
  const { sb } = ctx;
  sb.misbehave('error-500');
  // retry: 0 here; the retries of a GET on 5xx are tested in retry.test.mjs
  const wxpay = new Wxpay(options(sb, { retry: 0 }));
  const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'SYSTEM_ERROR', {
    status: 500,
    message: 'sandbox misbehaviour error-500: 系统错误',
  });
  assert.equal(err.requestId, sb.requests.at(-1).requestId);
  // and the next call, answered normally, succeeds
  assert.equal((await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE })).status, 200);
});

test('other 2xx statuses resolve: 201 and 202 with their JSON, 204 with ""', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  for (const status of [201, 202]) {
    const r = await wxpay.v3.sandbox.status[String(status)].post({});
    assert.equal(r.status, status);
    assert.deepEqual(r.data, { status });
  }
  const r = await wxpay.v3.sandbox.status['204'].delete();
  assert.equal(r.status, 204);
  assert.equal(r.data, '');
  assert.equal(sb.requests.length, 3);
});

test('a request config whose getters throw rejects ERR_INVALID_PARAM with what it threw as the cause; nothing is sent', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const before = sb.requests.length;
  const boom = new Error('getter boom');
  const config = new Proxy({}, { get() { throw boom; } });
  const err = await rejectsWith(memberCode(wxpay).get(config), 'ERR_INVALID_PARAM');
  assert.equal(err.cause, boom);
  assert.match(err.message, /getter boom/);
  assert.equal(sb.requests.length, before);
  const { status } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
  assert.equal(status, 200);
});

test("a server's text inside our own messages has its line breaks and controls escaped (no forged log lines, no terminal escapes)", async () => {
  const evil = 'x\r\n2026-01-01 INFO payment 42 SUCCEEDED\u001b[2K\u2028y';
  const fetch = async () => new Response(JSON.stringify({ code: 'SYSTEM_ERROR', message: evil }), { status: 500, headers: { 'content-type': 'application/json', 'request-id': 'r1' } });
  const { certs, ...rest } = options(ctx.sb);
  void certs;
  const wxpay = new Wxpay({ ...rest, apiv3Key: ctx.sb.apiv3Key, retry: 0, fetch });
  const e = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.ok(e.message.includes('x\\u000d\\u000a2026-01-01 INFO payment 42 SUCCEEDED\\u001b[2K\\u2028y'), e.message);
  assert.doesNotMatch(e.message, /[\r\n\u001b\u2028]/);
  // The service's own error, which is the cause, stays as the service wrote it (README, Errors).
  assert.equal(e.cause.message, evil);
});

test("an answer's Content-Type (not signed) is named in a message only as a short media type", async () => {
  const { sb } = ctx;
  // A signed body that is not JSON, under a Content-Type that says JSON.
  const signedAnswer = (contentType) => async () => signedResponse(sb, 'not json', { contentType });
  const get = (contentType) => rejectsWith(memberCode(new Wxpay(options(sb, { fetch: signedAnswer(contentType) }))).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_BODY');
  assert.equal((await get('application/json; charset=utf-8')).message, 'answer says application/json; charset=utf-8 but its body is not valid JSON');
  // JSON media types (so parsed) whose parameters hold what a message must not repeat.
  const escaped = 'application/json; x=\u001b[31mforged\u001b[0m';
  const long = `application/json; x=${'a'.repeat(5000)}`;
  for (const ct of [escaped, long, 'application/json; x=\u009b31m']) {
    const e = await get(ct);
    assert.equal(e.message, `answer says a Content-Type of ${ct.length} characters but its body is not valid JSON`);
  }
});
