// What goes on the wire: placeholder values percent-encoded as one path segment, `params` as
// the query string, bodies byte-exact; every one of them signed as sent (the sandbox verifies
// the signature over the exact request-target and bytes it received).
import test from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import { Wxpay } from 'wxpay-wasm';
import { useSandbox, options, memberCode, countingFetch, within, rejectsWith, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();
const wx = () => new Wxpay(options(ctx.sb));

function lastRequest() {
  const req = ctx.sb.requests.at(-1);
  assert.ok(req, 'the sandbox received the request');
  assert.equal(req.verified, true, `sandbox: ${req.reason}`);
  return req;
}

// ---- placeholders ----

const SEGMENTS = [
  ['a b', 'a%20b'],
  ['x/y', 'x%2Fy'],
  ['q?r', 'q%3Fr'],
  ['h#f', 'h%23f'],
  ['100%', '100%25'],
  ['%41', '%2541'],
  ['+&=;,', '%2B%26%3D%3B%2C'],
  ["!*'()", '%21%2A%27%28%29'],
  ['~._-', '~._-'],
  ['é', '%C3%A9'],
  ['会员卡', '%E4%BC%9A%E5%91%98%E5%8D%A1'],
  ['🎉', '%F0%9F%8E%89'],
  ['...', '...'],
  ['a b/c?é', 'a%20b%2Fc%3F%C3%A9'],
  // Strings longer than 32 UTF-16 units cross into wasm by TextEncoder.encodeInto (see
  // scripts/patch-glue.mjs); these sit on either side of that length, with what is not ASCII
  // first or last. `é`, 31 ASCII, then `b` fills as many UTF-8 bytes as the string has units
  // before its last character: a glue that took encodeInto's byte count as done loses the `b`.
  ['a'.repeat(32), 'a'.repeat(32)],
  ['a'.repeat(33), 'a'.repeat(33)],
  [`${'a'.repeat(31)}é`, `${'a'.repeat(31)}%C3%A9`],
  [`${'a'.repeat(32)}é`, `${'a'.repeat(32)}%C3%A9`],
  [`é${'a'.repeat(32)}`, `%C3%A9${'a'.repeat(32)}`],
  [`é${'a'.repeat(31)}b`, `%C3%A9${'a'.repeat(31)}b`],
  [`🎉${'a'.repeat(31)}`, `%F0%9F%8E%89${'a'.repeat(31)}`],
  ['会'.repeat(40), '%E4%BC%9A'.repeat(40)],
];

test('string placeholder values are percent-encoded as one path segment, and signed as sent', async () => {
  const wxpay = wx();
  for (const [value, encoded] of SEGMENTS) {
    const { data } = await wxpay.v3.sandbox.echo._id_.tail.get({ id: value });
    const want = `/v3/sandbox/echo/${encoded}/tail`;
    assert.equal(data.url, want, JSON.stringify(value));
    assert.equal(lastRequest().url, want);
  }
  assert.equal(ctx.sb.requests.length, SEGMENTS.length);
});

test('two placeholders in one path, both encoded', async () => {
  // no such card: the sandbox verifies, then answers 404; what it received is what counts
  await rejectsWith(memberCode(wx()).get({ card_id: 'c d', code: 'e/f' }), 'RESOURCE_NOT_EXISTS', { status: 404 });
  assert.equal(lastRequest().url, '/v3/marketing/membercard-open/cards/c%20d/codes/e%2Ff');
});

test('numeric placeholder values: a safe integer is sent as its decimal text', async () => {
  const wxpay = wx();
  for (const [value, text] of [[7, '7'], [0, '0'], [300000001, '300000001'], [-2, '-2'], [Number.MAX_SAFE_INTEGER, '9007199254740991']]) {
    const { data } = await within(wxpay.v3.sandbox.echo._id_.get({ id: value }), 2000, `get({ id: ${value} })`);
    assert.equal(data.url, `/v3/sandbox/echo/${text}`);
    lastRequest();
  }
});

test('numeric placeholder values: any other number is refused, nothing sent (JS would send 1234567890123456789 as 1234567890123456800)', async () => {
  for (const value of [1.5, 1234567890123456789, 4200000000202401020000000001, NaN]) {
    const err = await assertRejectedUnsent((w) => w.v3.sandbox.echo._id_.get({ id: value }), 'ERR_INVALID_PARAM', '{id}');
    assert.match(err.message, /not a safe integer \(a whole number of at most 2\^53 - 1, which JS formats as written\): pass ids and large numbers as strings/);
    assert.ok(!err.message.includes('12345678901234'), 'the value is not quoted');
  }
});

test('the seed GET with a numeric code reaches the card', async () => {
  const { data } = await within(memberCode(wx()).get({ card_id: CARD_ID, code: 300000001 }), 2000, 'get({ code: 300000001 })');
  assert.equal(data.code, CODE);
  assert.equal(lastRequest().url, `/v3/marketing/membercard-open/cards/${CARD_ID}/codes/300000001`);
});

// ---- missing and unusable placeholders: rejected before anything is sent ----

async function assertRejectedUnsent(send, code, mention) {
  const fetch = countingFetch();
  const wxpay = new Wxpay(options(ctx.sb, { fetch }));
  const err = await rejectsWith(send(wxpay), code);
  if (mention) assert.ok(err.message.includes(mention), `message names ${mention}: ${err.message}`);
  await sleep(20);
  assert.equal(fetch.calls.length, 0, 'fetch was not called');
  assert.equal(ctx.sb.requests.length, 0, 'the sandbox received nothing');
  return err;
}

test('a missing placeholder rejects ERR_MISSING_PARAM and nothing is sent', async () => {
  await assertRejectedUnsent((w) => memberCode(w).get({ card_id: CARD_ID }), 'ERR_MISSING_PARAM', '{code}');
  await assertRejectedUnsent((w) => memberCode(w).get({ code: CODE }), 'ERR_MISSING_PARAM', '{card_id}');
  await assertRejectedUnsent((w) => memberCode(w).get(), 'ERR_MISSING_PARAM', '{card_id}');
  await assertRejectedUnsent((w) => memberCode(w).get({ card_id: CARD_ID, code: undefined }), 'ERR_MISSING_PARAM', '{code}');
  await assertRejectedUnsent((w) => memberCode(w).get({ card_id: CARD_ID, code: null }), 'ERR_MISSING_PARAM', '{code}');
  await assertRejectedUnsent((w) => memberCode(w).get({ card_id: CARD_ID, params: { code: CODE } }), 'ERR_MISSING_PARAM', '{code}');
});

test('PATCH with the placeholders in the data instead of the config: ERR_MISSING_PARAM, nothing sent', async () => {
  const data = { card_id: CARD_ID, code: CODE, level: 'X', out_request_no: 'n-1' };
  await assertRejectedUnsent((w) => memberCode(w).patch(data), 'ERR_MISSING_PARAM', '{card_id}');
  await assertRejectedUnsent((w) => memberCode(w).patch(data, { card_id: CARD_ID }), 'ERR_MISSING_PARAM', '{code}');
  assert.equal(ctx.sb.cards[CARD_ID][CODE].level, 'GOLD');
});

test('an empty, "." or ".." placeholder value is ERR_INVALID_PARAM and nothing is sent', async () => {
  for (const code of ['', '.', '..']) {
    await assertRejectedUnsent((w) => memberCode(w).get({ card_id: CARD_ID, code }), 'ERR_INVALID_PARAM', '{code}');
  }
});

test('a chain segment that is a dot segment once percent-decoded (%2e%2e, .%2E, %2e) is ERR_INVALID_PARAM and nothing is sent', async () => {
  // fetch's URL parser would resolve it and send another path than the one signed.
  for (const segment of ['%2e%2e', '.%2E', '%2E.', '%2e']) {
    await assertRejectedUnsent((w) => w.v3.sandbox.echo.x[segment].get(), 'ERR_INVALID_PARAM');
  }
  // Only whole segments: %2e inside a longer one is a literal.
  const { data } = await wx().v3.sandbox.echo['a%2e%2eb'].get();
  assert.equal(data.url, '/v3/sandbox/echo/a%2e%2eb');
});

// ---- params: the query string ----

test('params become the query string: keys and values encoded, arrays repeated, undefined and null skipped', async () => {
  const { data } = await wx().v3.sandbox.echo.get({
    params: { q: 'a b&c=d/é?', list: ['x', 'y z'], skipped: undefined, none: null, empty: '', '键 k': '值' },
  });
  const want = '/v3/sandbox/echo?q=a%20b%26c%3Dd%2F%C3%A9%3F&list=x&list=y%20z&empty=&%E9%94%AE%20k=%E5%80%BC';
  assert.equal(data.url, want);
  assert.deepEqual(data.query, { q: 'a b&c=d/é?', list: ['x', 'y z'], empty: '', '键 k': '值' });
  assert.equal(lastRequest().url, want);
});

test('params as URLSearchParams keep order and repeats', async () => {
  const { data } = await wx().v3.sandbox.echo.get({ params: new URLSearchParams([['b', '2'], ['a', '1'], ['b', '3 4']]) });
  assert.equal(data.url, '/v3/sandbox/echo?b=2&a=1&b=3%204');
  lastRequest();
});

test('params with numbers (and booleans) are sent as their text', async () => {
  const wxpay = wx();
  const { data } = await within(wxpay.v3.sandbox.echo.get({ params: { offset: 0, limit: 10, ids: [1, 2] } }), 2000, 'get({ params: { offset: 0 } })');
  assert.equal(data.url, '/v3/sandbox/echo?offset=0&limit=10&ids=1&ids=2');
  lastRequest();
  const r = await within(wxpay.v3.sandbox.echo.get({ params: { need_inform: true } }), 2000, 'get({ params: { need_inform: true } })');
  assert.equal(r.data.url, '/v3/sandbox/echo?need_inform=true');
  lastRequest();
});

test("the README's params row says what is sent: booleans and bigints too, undefined and null skipped", async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const row = readme.split('\n').find((l) => l.startsWith('| `params` |'));
  assert.ok(row, 'the chain table has a params row');
  for (const words of ['strings', 'safe integers', 'bigints', 'booleans', 'arrays repeat the key', '`undefined` and `null` are skipped']) assert.ok(row.includes(words), `${words}: ${row}`);
  const { data } = await within(wx().v3.sandbox.echo.get({ params: { a: false, b: 10n, c: null, d: undefined, e: 's' } }), 2000, 'get(params)');
  assert.equal(data.url, '/v3/sandbox/echo?a=false&b=10&e=s');
  lastRequest();
});

test('params and placeholders together, on a POST', async () => {
  const { data } = await wx().v3.sandbox.echo._id_.post({ k: 'v' }, { id: 'a b', params: { x: 'y' } });
  assert.equal(data.url, '/v3/sandbox/echo/a%20b?x=y');
  assert.equal(lastRequest().body.toString(), '{"k":"v"}');
});

// ---- bodies, signed byte for byte ----

test('a unicode JSON body is sent as its JSON, UTF-8, and signed as sent', async () => {
  const body = { level: '白金 Platinum', nickname: '微信用户 🎉', quote: 'say "hi"\n', n: 1.5, list: [true, null] };
  const { data } = await wx().v3.sandbox.echo.post(body);
  const req = lastRequest();
  assert.deepEqual(req.body, Buffer.from(JSON.stringify(body), 'utf8'));
  assert.equal(data.body, JSON.stringify(body));
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers['content-length'], String(Buffer.byteLength(JSON.stringify(body))));
});

test('a string body is sent verbatim (not JSON-quoted) and signed as sent', async () => {
  const text = '{"pre":"serialised","金额":100}\n  trailing spaces  ';
  await wx().v3.sandbox.echo.put(text);
  assert.deepEqual(lastRequest().body, Buffer.from(text, 'utf8'));
  await wx().v3.sandbox.echo.post('plain 文本');
  assert.deepEqual(lastRequest().body, Buffer.from('plain 文本', 'utf8'));
});

test('a Uint8Array body (not valid UTF-8) is sent byte-exact and signed over those bytes', async () => {
  const bytes = new Uint8Array([0x7b, 0x00, 0xff, 0xfe, 0x80, 0x0a, 0x0d, 0x22, 0x7d]);
  await wx().v3.sandbox.echo.post(bytes);
  assert.deepEqual(lastRequest().body, Buffer.from(bytes));
  const view = new Uint8Array(new Uint8Array([9, 9, 1, 2, 3, 9]).buffer, 2, 3); // an offset view
  await wx().v3.sandbox.echo.patch(view);
  assert.deepEqual(lastRequest().body, Buffer.from([1, 2, 3]));
  await wx().v3.sandbox.echo.post(Buffer.from('buffer ✓'));
  assert.deepEqual(lastRequest().body, Buffer.from('buffer ✓'));
});

test('no data: no body, no Content-Type, and the signed message has an empty body line', async () => {
  await wx().v3.sandbox.echo.post();
  const req = lastRequest();
  assert.equal(req.body.length, 0);
  assert.equal(req.headers['content-type'], undefined);
});

test('a baseURL with a path prefix: the prefix is sent and signed as part of the path', async () => {
  const wxpay = new Wxpay(options(ctx.sb, { baseURL: `${ctx.sb.baseURL}v3/sandbox/echo/pre%20fix` }));
  const { data } = await wxpay.v3.marketing.membercardOpen._id_.get({ id: 'a b', params: { q: '1 2' } });
  assert.equal(data.url, '/v3/sandbox/echo/pre%20fix/v3/marketing/membercard-open/a%20b?q=1%202');
  assert.equal(lastRequest().url, data.url);
});

// ---- what is signed is what is sent (an audit of the request bytes) ----

test('a lone UTF-16 surrogate in a placeholder, params, a header or a string body is ERR_INVALID_PARAM, nothing sent (it would go out as U+FFFD, another value)', async () => {
  const wxpay = wx();
  const before = ctx.sb.requests.length;
  for (const call of [
    () => wxpay.v3.sandbox.echo._id_.get({ id: 'N1\ud800' }),
    () => wxpay.v3.sandbox.echo.get({ params: { a: 'x\udc00' } }),
    () => wxpay.v3.sandbox.echo.get({ headers: { 'x-a': 'x\ud800' } }),
    () => wxpay.v3.sandbox.echo.post('{"a":"\ud800"}'),
  ]) {
    const e = await rejectsWith(call(), 'ERR_INVALID_PARAM');
    assert.match(e.message, /lone UTF-16 surrogate/);
  }
  assert.equal(ctx.sb.requests.length, before);
  // As JSON (an object), a lone surrogate is escaped, so it goes out as written.
  assert.equal((await wxpay.v3.sandbox.echo.post({ a: 'x\ud800' })).data.body, '{"a":"x\\ud800"}');
  lastRequest();
});

test('a lone UTF-16 surrogate anywhere else text is signed, sent or encrypted is ERR_INVALID_PARAM too, nothing sent', async () => {
  const wxpay = wx();
  const before = ctx.sb.requests.length;
  const { serial } = ctx.sb.platform;
  for (const [what, call] of [
    ['a params key', () => wxpay.v3.sandbox.echo.get({ params: { ['k\ud800']: 'v' } })],
    ['a chain segment', () => wxpay.v3.sandbox['seg\ud800'].get()],
    ['sign(message)', () => wxpay.sign('a\ud800')],
    ['verify(message, signature, serial)', () => wxpay.verify('a\udfff', 'AAAA', serial)],
    // A sensitive field would be encrypted as another name.
    ['encrypt(text)', () => wxpay.encrypt('张\ud800')],
    ['jsapiParams(input)', () => wxpay.jsapiParams({ appId: 'wx\ud800', prepay_id: 'wx201410272009395522657a690389285100' })],
  ]) {
    const e = await rejectsWith((async () => call())(), 'ERR_INVALID_PARAM');
    assert.match(e.message, /lone UTF-16 surrogate, which UTF-8 cannot carry/, what);
  }
  assert.equal(ctx.sb.requests.length, before);
  // (FormData itself stores its strings with U+FFFD for a lone surrogate: an upload's meta never has one.)
  // Paired surrogates are text: '𠮷' is sent and signed as its four UTF-8 bytes.
  const { data } = await wxpay.v3.sandbox.echo.get({ params: { ['𠮷']: '𠮷' } });
  assert.equal(data.url, '/v3/sandbox/echo?%F0%A0%AE%B7=%F0%A0%AE%B7');
  lastRequest();
});

test('header values with control characters other than HTAB, and a header named __proto__, are ERR_INVALID_PARAM, nothing sent', async () => {
  const wxpay = wx();
  const before = ctx.sb.requests.length;
  for (const value of ['a\x01b', 'a\x1fb', 'a\x7fb', 'a\rb', 'a\0b']) {
    await rejectsWith(wxpay.v3.sandbox.echo.get({ headers: { 'x-trace': value } }), 'ERR_INVALID_PARAM');
  }
  assert.equal(ctx.sb.requests.length, before);
  const { data } = await wxpay.v3.sandbox.echo.get({ headers: { 'x-tab': 'a\tb' } });
  assert.equal(data.headers['x-tab'], 'a\tb');
  lastRequest();
  // A header named __proto__ cannot go through fetch's headers record: refused, not dropped.
  const e = await rejectsWith(wxpay.v3.sandbox.echo.get({ headers: JSON.parse('{"__proto__":"p"}') }), 'ERR_INVALID_PARAM');
  assert.match(e.message, /__proto__ is not a header fetch can send/);
});

test('a redirect is answered as it is, never followed with a signature made for another request', async () => {
  const seen = [];
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(302, { location: '/v3/elsewhere', 'content-type': 'text/plain' }).end('moved');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const wxpay = new Wxpay(options(ctx.sb, { baseURL: `http://127.0.0.1:${server.address().port}/`, retry: 0 }));
    for (const call of [() => wxpay.v3.sandbox.echo.get(), () => wxpay.v3.sandbox.echo.post({ a: 1 })]) {
      await rejectsWith(call(), 'ERR_HTTP_STATUS', { status: 302 });
    }
    assert.deepEqual(seen, ['GET /v3/sandbox/echo', 'POST /v3/sandbox/echo']);
  } finally {
    server.close();
  }
});

test("a download_url is signed as fetch sends it (encoded, dot segments resolved); one that leaves baseURL's prefix once resolved is refused", async () => {
  const wxpay = wx();
  const token = (await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02' } })).data;
  for (const extra of ["&x=a'b", '&x=a b', '&x=é', '&x=a"b#frag']) {
    await wxpay.download({ ...token, download_url: token.download_url + extra }).catch(() => {});
    lastRequest(); // the sandbox verified the signature over what it received
  }
  const prefixed = new Wxpay(options(ctx.sb, { baseURL: `${ctx.sb.baseURL}gw/` }));
  const before = ctx.sb.requests.length;
  const escaped = { ...token, download_url: `${ctx.sb.baseURL}gw/../v3/billdownload/file?token=x` };
  await rejectsWith(prefixed.download(escaped), 'ERR_INVALID_PARAM');
  assert.equal(ctx.sb.requests.length, before);
});

test('an unknown option or config key is quoted when it looks like a misspelling, never when it could be a key', async () => {
  const pem = ctx.sb.merchant.privateKeyPkcs8;
  assert.throws(() => new Wxpay({ ...options(ctx.sb), baseUrl: 'x' }), { code: 'ERR_INVALID_CONFIG', message: /unknown option `baseUrl`/ });
  for (const key of [pem, 'wxpayWasmTestApiV3Key0123456789a']) {
    assert.throws(() => new Wxpay({ ...options(ctx.sb), [key]: 1 }), (e) => e.code === 'ERR_INVALID_CONFIG' && !e.message.includes(key.slice(0, 20)) && /characters, not shown/.test(e.message));
    const e = await rejectsWith(wx().v3.sandbox.echo.get({ [key]: 1 }), 'ERR_INVALID_PARAM');
    assert.ok(!e.message.includes(key.slice(0, 20)), e.message);
  }
});

test('a header\'s name is quoted in a message when short and plain, never when it could be a key', async () => {
  const wxpay = wx();
  const before = ctx.sb.requests.length;
  const key = 'wxpayWasmTestApiV3Key0123456789a';
  for (const [name, value] of [[key, 'a\nb'], [key, 'é€'], [`${key}:`, 'v'], [ctx.sb.merchant.privateKeyPkcs8, 'v']]) {
    const e = await rejectsWith(wxpay.v3.sandbox.echo.get({ headers: { [name]: value } }), 'ERR_INVALID_PARAM');
    assert.ok(!e.message.includes(name.slice(0, 12)), e.message);
    assert.match(e.message, new RegExp(`\\(${name.length} characters, not shown\\)`));
  }
  for (const [name, value, message] of [
    ['X-Trace-Id', 'a\rb', /headers\["X-Trace-Id"\] must not contain control characters/],
    ['Idempotency-Key', '幂等', /headers\["Idempotency-Key"\] has characters outside Latin-1/],
    ['x y', 'v', /headers: \(3 characters, not shown\) is not a valid header name/],
  ]) {
    await rejectsWith(wxpay.v3.sandbox.echo.get({ headers: { [name]: value } }), 'ERR_INVALID_PARAM', {}).then((e) => assert.match(e.message, message));
  }
  assert.equal(ctx.sb.requests.length, before);
});

test('where the runtime has no String.prototype.isWellFormed (older browsers), lone surrogates are refused all the same', async () => {
  const { execFileSync } = await import('node:child_process');
  const script = `
    delete String.prototype.isWellFormed;
    const { Wxpay } = await import('wxpay-wasm');
    const o = JSON.parse(process.env.WXPAY_TEST_OPTIONS);
    let sent = 0;
    const wxpay = new Wxpay({ ...o, fetch: async () => { sent++; throw new Error('not sent here'); }, retry: 0 });
    const code = (p) => p.then(() => 'resolved', (e) => e.code);
    console.log(JSON.stringify({
      has: typeof String.prototype.isWellFormed,
      lone: await code(wxpay.sign('x\\ud800')),
      low: await code(wxpay.v3.sandbox.echo.get({ params: { a: 'x\\udc00' } })),
      pair: await code(wxpay.sign('x\\ud83d\\ude00')),
      sent,
    }));`;
  const { fetch: _, ...o } = options(ctx.sb);
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, WXPAY_TEST_OPTIONS: JSON.stringify(o) } });
  assert.deepEqual(JSON.parse(out), { has: 'undefined', lone: 'ERR_INVALID_PARAM', low: 'ERR_INVALID_PARAM', pair: 'resolved', sent: 0 });
});

test('a body with no JSON form (a Blob, Map, Error, RegExp, Headers, iterator... a built-in or host object whose JSON is {}) rejects ERR_INVALID_PARAM and nothing is sent; the caller\'s own objects go out as their JSON', async () => {
  const w = wx();
  const bodies = {
    Blob: new Blob(['x']), Map: new Map([['a', 1]]), Set: new Set([1]), WeakMap: new WeakMap(), Promise: Promise.resolve(1),
    Error: new Error('e'), TypeError: new TypeError('t'), RegExp: /x/, WeakRef: new WeakRef({}), URLSearchParams: new URLSearchParams('a=1'),
    Response: new Response('x'), ReadableStream: new ReadableStream(),
    // Not on the package's list, but their JSON is {} all the same.
    Headers: new Headers({ a: '1' }), DOMException: new DOMException('d'), AbortSignal: AbortSignal.abort(),
    iterator: new Map([[1, 2]]).entries(), generator: (function* g() { yield 1; })(),
  };
  const before = ctx.sb.requests.length;
  for (const [name, body] of Object.entries(bodies)) {
    const err = await rejectsWith(w.v3.sandbox.echo.post(body), 'ERR_INVALID_PARAM');
    assert.match(err.message, /has no JSON form/, name);
  }
  assert.equal(ctx.sb.requests.length, before, 'nothing sent');
  // What has a JSON form (its own fields, or toJSON) goes out as JSON.
  class Order { constructor() { this.out_trade_no = 'o1'; } }
  assert.equal((await w.v3.sandbox.echo.post(new Order())).data.body, '{"out_trade_no":"o1"}');
  assert.equal((await w.v3.sandbox.echo.post({ at: new Date(0) })).data.body, '{"at":"1970-01-01T00:00:00.000Z"}');
  const withToJSON = Object.assign(new Map(), { toJSON: () => ({ m: 1 }) });
  assert.equal((await w.v3.sandbox.echo.post(withToJSON)).data.body, '{"m":1}');
  // An object of the caller's whose JSON is {} is what it says: plain, from another realm, of a
  // prototype of its own, or a class whose fields are undefined or private.
  const { runInNewContext } = await import('node:vm');
  for (const empty of [{}, Object.create(null), Object.create({}), Object.create(Object.create(null)), runInNewContext('({})'), structuredClone({}), new (class { a = undefined; })(), new (class { #b = 1; })()])
    assert.equal((await w.v3.sandbox.echo.post(empty)).data.body, '{}');
});

test('inside a body, what JSON would change without a word (a Map, Set, Headers, bytes, NaN, an infinity, an invalid Date, a BigInt) rejects ERR_INVALID_PARAM naming its place, never its value, and nothing is sent', async () => {
  const w = wx();
  const before = ctx.sb.requests.length;
  const invalidDate = new Date('not a date');
  const cases = [
    [{ tags: new Set(['a']) }, 'a Set, which has no JSON form (it would go as {}) at tags'],
    [{ amount: { total: NaN, currency: 'CNY' } }, 'NaN, which JSON sends as null at amount.total'],
    [{ amount: { total: 1 / 0 } }, 'Infinity, which JSON sends as null at amount.total'],
    [{ amount: { total: -1 / 0 } }, '-Infinity, which JSON sends as null at amount.total'],
    [{ amount: { total: new Number(NaN) } }, 'a boxed non-finite number, which JSON sends as null at amount.total'],
    [{ amount: { total: 10n } }, 'a BigInt, which JSON cannot carry: send a number or a string at amount.total'],
    [{ time_expire: invalidDate }, 'an invalid Date, which JSON sends as null at time_expire'],
    [invalidDate, 'an invalid Date, which JSON sends as null'],
    [{ detail: { goods_detail: [{ n: 1 }, { n: 2 }, { extra: new Map([['k', 'v']]) }] } }, 'a Map, which has no JSON form (it would go as {}) at detail.goods_detail[2].extra'],
    // A Map or an Error with fields of its own is refused all the same: its JSON is not what it holds.
    [{ m: Object.assign(new Map([['k', 'v']]), { size_hint: 1 }) }, 'a Map, which has no JSON form (it would go as {}) at m'],
    [{ e: Object.assign(new Error('x'), { code: 'E' }) }, 'an Error, which has no JSON form (it would go as {}) at e'],
    [{ scene_info: { device: new Headers({ a: '1' }) } }, 'a Headers, which has no JSON form (it would go as {}) at scene_info.device'],
    [{ attach: new Uint8Array([1, 2]) }, 'bytes, which JSON cannot carry: encode them (base64, as the API asks; a file to upload goes in a FormData, see uploadForm) at attach'],
    // A Buffer's own toJSON ({ type, data }) is no way to send bytes either.
    [{ attach: Buffer.from('x') }, 'bytes, which JSON cannot carry: encode them (base64, as the API asks; a file to upload goes in a FormData, see uploadForm) at attach'],
    [{ attach: Buffer.from('x').buffer }, 'bytes, which JSON cannot carry: encode them (base64, as the API asks; a file to upload goes in a FormData, see uploadForm) at attach'],
    [{ attach: new DataView(new ArrayBuffer(2)) }, 'bytes, which JSON cannot carry: encode them (base64, as the API asks; a file to upload goes in a FormData, see uploadForm) at attach'],
    [[1, [2, [NaN]]], 'NaN, which JSON sends as null at [1][1][0]'],
    [{ 'a-b': { 'x y': NaN } }, 'NaN, which JSON sends as null at [(3 characters)][(3 characters)]'],
    [{ a: { '': { b: NaN } } }, 'NaN, which JSON sends as null at a[(0 characters)].b'],
    [{ '': NaN }, 'NaN, which JSON sends as null at [(0 characters)]'],
    // What a toJSON answers is checked too.
    [{ when: { toJSON: () => new Set([1]) } }, 'a Set, which has no JSON form (it would go as {}) at when'],
    [{ it: new Map([[1, 2]]).keys() }, 'a Map Iterator, which has no JSON form (it would go as {}) at it'],
    [{ t: new (class { get [Symbol.toStringTag]() { return 'T'.repeat(40); } })() }, 'an object tagged 40 characters long, which has no JSON form (it would go as {}) at t'],
  ];
  for (const [body, message] of cases) {
    const err = await rejectsWith(w.v3.sandbox.echo.post(body), 'ERR_INVALID_PARAM');
    assert.equal(err.message, `the request body holds ${message}`);
    assert.equal(err.cause, undefined, 'refused by the package: nothing was thrown');
  }
  // The place is named by keys only: no value, even one that sits beside the refused one; a key
  // that is not a short field name (an openid as a key) by its length only.
  const secret = await rejectsWith(w.v3.sandbox.echo.post({ password: 'hunter2-secret', n: NaN }), 'ERR_INVALID_PARAM');
  assert.doesNotMatch(secret.message, /hunter2/);
  const keyed = await rejectsWith(w.v3.sandbox.echo.post({ payers: { oUpF8uMuAJO_M2pxb1Q9zNjWeS6o: { total: NaN } } }), 'ERR_INVALID_PARAM');
  assert.equal(keyed.message, 'the request body holds NaN, which JSON sends as null at payers[(28 characters)].total');
  // A deep place is cut to its innermost 16 keys.
  let deep = { v: NaN };
  for (let i = 0; i < 40; i++) deep = { d: deep };
  const cut = await rejectsWith(w.v3.sandbox.echo.post(deep), 'ERR_INVALID_PARAM');
  assert.equal(cut.message, `the request body holds NaN, which JSON sends as null at ${'d.'.repeat(15)}v (the last 16 keys of its place)`);
  assert.equal(ctx.sb.requests.length, before, 'nothing sent');

  // What JSON writes as it holds goes out byte for byte as JSON.stringify writes it.
  class Goods { constructor() { this.name = 'g'; this.price = 100; } }
  const fine = {
    at: new Date(0), goods: [new Goods(), Object.create(null)], boxed: [new Number(1), new String('s'), new Boolean(false)],
    zero: -0, big: Number.MAX_SAFE_INTEGER, gone: undefined, fn() {}, nothing: null, holes: [undefined, () => 1, null],
    own: Object.assign(new Map(), { toJSON: () => ({ m: 1 }) }), args: (function () { return arguments; })(1, 2),
    // Bytes of the caller's whose own toJSON says what to send: as it says.
    encoded: Object.assign(new Uint8Array([104, 105]), { toJSON() { return Buffer.from(this).toString('base64'); } }),
    tagged: new (class { get [Symbol.toStringTag]() { return 'Money'; } constructor() { this.total = 1; } })(), empty: {}, list: [],
    get computed() { return { total: 1 }; },
  };
  assert.equal((await w.v3.sandbox.echo.post(fine)).data.body, JSON.stringify(fine));
  // A getter that throws inside the body rejects ERR_INVALID_PARAM, and the client goes on.
  const err = await rejectsWith(w.v3.sandbox.echo.post({ a: { get b() { throw new Error('boom'); } } }), 'ERR_INVALID_PARAM');
  assert.match(err.message, /cannot be serialised as JSON: Error: boom/);
  const tagThrows = { a: { get [Symbol.toStringTag]() { throw new Error('tag'); } } };
  await rejectsWith(w.v3.sandbox.echo.post(tagThrows), 'ERR_INVALID_PARAM');
  // A getter runs once: the check reads what JSON read, never the property again.
  let reads = 0;
  assert.equal((await w.v3.sandbox.echo.post({ get n() { reads++; return null; } })).data.body, '{"n":null}');
  assert.equal(reads, 1);
  assert.equal((await w.v3.sandbox.echo.post({ ok: 1 })).data.body, '{"ok":1}');
});

test('a string body is bounded by its UTF-8 bytes (64 MiB), not by the 1 M characters of a string option', async () => {
  const body = `{"s":"${'é'.repeat(1_500_000)}"}`;
  assert.ok(body.length > 1 << 20);
  const { data } = await wx().v3.sandbox.echo.post(body);
  assert.equal(Buffer.byteLength(data.body), Buffer.byteLength(body));
  assert.equal(lastRequest().body.length, Buffer.byteLength(body), 'sent byte-exact');
});
