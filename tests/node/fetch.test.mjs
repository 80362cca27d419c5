// The transport: the injected `fetch` is used instead of the global one, a network failure is
// ERR_NETWORK with its cause, `headers` adds headers but never Authorization, and the
// User-Agent names the package.
import test from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { useSandbox, options, countingFetch, rejectsWith, within, memberCode, signedResponse, CARD_ID, CODE } from './helpers.mjs';
import { closedPort } from '../sandbox/index.mjs';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const ctx = useSandbox();

test('the injected fetch is used, the global one is not', async (t) => {
  const { sb } = ctx;
  const realFetch = globalThis.fetch;
  let globalCalls = 0;
  globalThis.fetch = (...args) => { globalCalls++; return realFetch(...args); };
  t.after(() => { globalThis.fetch = realFetch; });

  const injected = [];
  const wxpay = new Wxpay(options(sb, { fetch: (url, init) => { injected.push({ url, init }); return realFetch(url, init); } }));
  const { data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
  await wxpay.v3.sandbox.echo.post({ a: 1 });
  assert.equal(data.code, CODE);
  assert.equal(injected.length, 2);
  assert.equal(globalCalls, 0, 'the global fetch was not called');
  assert.equal(sb.requests.length, 2);

  const [get, post] = injected;
  assert.equal(get.url, `${sb.baseURL}v3/marketing/membercard-open/cards/${CARD_ID}/codes/${CODE}`);
  assert.equal(get.init.method, 'GET');
  assert.equal(get.init.body, undefined);
  assert.equal(post.init.method, 'POST');
  assert.deepEqual(Buffer.from(post.init.body), Buffer.from('{"a":1}'));
  assert.equal(post.init.headers.Authorization ?? post.init.headers.authorization, sb.requests[1].headers.authorization);
});

test('without the fetch option the global fetch is used', async (t) => {
  const { sb } = ctx;
  const realFetch = globalThis.fetch;
  let globalCalls = 0;
  globalThis.fetch = (...args) => { globalCalls++; return realFetch(...args); };
  t.after(() => { globalThis.fetch = realFetch; });
  const wxpay = new Wxpay(options(sb));
  await wxpay.v3.sandbox.echo.get();
  assert.equal(globalCalls, 1);
});

test('without the fetch option, a global fetch that is missing, not a function or throws is ERR_NETWORK before any attempt; the client works once it is back', async (t) => {
  const { sb } = ctx;
  const own = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  t.after(() => Object.defineProperty(globalThis, 'fetch', own));
  const wxpay = new Wxpay(options(sb));
  const seen = sb.requests.length;
  const missing = [
    () => { delete globalThis.fetch; },
    () => { globalThis.fetch = 'fetch'; },
    () => Object.defineProperty(globalThis, 'fetch', { configurable: true, get() { throw new Error('a secret in a getter'); } }),
  ];
  for (const make of missing) {
    make();
    const err = await rejectsWith(wxpay.v3.sandbox.echo.get(), 'ERR_NETWORK');
    assert.match(err.message, /no global fetch.*pass options\.fetch/);
    assert.ok(!err.message.includes('secret'), err.message);
    assert.equal(err.attempts, 0);
    Object.defineProperty(globalThis, 'fetch', own);
  }
  assert.equal(sb.requests.length, seen, 'nothing was sent');
  const { status } = await wxpay.v3.sandbox.echo.get();
  assert.equal(status, 200);
});

test('a closed port rejects ERR_NETWORK with the fetch failure kept as cause', async () => {
  const port = await closedPort();
  const wxpay = new Wxpay(options(ctx.sb, { baseURL: `http://127.0.0.1:${port}/` }));
  const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'ERR_NETWORK');
  assert.ok(err.cause instanceof TypeError, `cause: ${err.cause}`);
  assert.equal(err.cause.message, 'fetch failed');
  assert.equal(err.cause.cause?.code, 'ECONNREFUSED');
  assert.ok(err.message.includes(`127.0.0.1:${port}`), err.message);
  assert.equal(err.status, undefined);
  assert.equal(err.response, undefined);
});

test('ERR_NETWORK names the path by its template: a placeholder\'s value is in no message, even where the fetch quotes the URL', async () => {
  const port = await closedPort();
  const secret = 'TICKET-4c2e9a';
  const quoting = async (url) => {
    throw new TypeError(`error sending request for url (${url})`);
  };
  for (const extra of [{ baseURL: `http://127.0.0.1:${port}/` }, { fetch: quoting }]) {
    const wxpay = new Wxpay(options(ctx.sb, { ...extra, retry: false }));
    const err = await rejectsWith(wxpay.v3.marketing.membercardOpen.activateInformations._activate_ticket_.get({ activate_ticket: secret }), 'ERR_NETWORK');
    assert.ok(!err.message.includes(secret), err.message);
    assert.match(err.message, /^GET http:\/\/127\.0\.0\.1:\d+\/v3\/marketing\/membercard-open\/activate-informations\/\{activate_ticket\} failed: TypeError: /);
    if (extra.fetch) assert.match(err.message, /\(http:\/\/127\.0\.0\.1:\d+\/v3\/marketing\/membercard-open\/activate-informations\/\{activate_ticket\}\)$/);
    // Nor in the error's JSON, whose cause is the fetch's error (untouched: as thrown).
    assert.ok(!JSON.stringify(err).includes(secret), JSON.stringify(err));
    if (extra.fetch) assert.ok(err.cause.message.includes(secret), 'the cause is the error as thrown');
    // A path with no placeholder is shown as it was.
    const plain = await rejectsWith(wxpay.v3.sandbox.echo.get(), 'ERR_NETWORK');
    assert.match(plain.message, /^GET http:\/\/127\.0\.0\.1:\d+\/v3\/sandbox\/echo failed: /);
  }
  // A fetch error long enough to be cut: the value is left out before the cut, not after it.
  const long = async (url) => {
    // Cut 1,000 characters in, within the value ("TypeError: ", 905 x, " (", then the URL).
    throw new TypeError(`${'x'.repeat(905)} (${url})`);
  };
  const cut = await rejectsWith(new Wxpay(options(ctx.sb, { fetch: long, retry: false })).v3.marketing.membercardOpen.activateInformations._activate_ticket_.get({ activate_ticket: secret }), 'ERR_NETWORK');
  assert.ok(!cut.message.includes('TICK'), cut.message);
  assert.match(cut.message, /…$/);
  // A WxpayError a caller's fetch throws is passed on as it is, never rewritten.
  const own = new WxpayError('ERR_NETWORK', `circuit open for /v3/marketing/membercard-open/activate-informations/${secret}`);
  const rethrowing = new Wxpay(options(ctx.sb, { fetch: async () => { throw own; }, retry: false }));
  const passed = await rejectsWith(rethrowing.v3.marketing.membercardOpen.activateInformations._activate_ticket_.get({ activate_ticket: secret }), 'ERR_NETWORK');
  assert.equal(passed, own);
  assert.equal(own.message, `circuit open for /v3/marketing/membercard-open/activate-informations/${secret}`);
});

test('ERR_NETWORK hides a query where it follows its `?`: the same text elsewhere in the fetch\'s error stays', async () => {
  const quoting = async (url) => {
    throw new TypeError(`limit=1 reached for (${url})`);
  };
  const wxpay = new Wxpay(options(ctx.sb, { fetch: quoting, retry: false }));
  const err = await rejectsWith(wxpay.v3.sandbox.echo.get({ params: { limit: 1 } }), 'ERR_NETWORK');
  assert.match(err.message, /^GET http:\/\/127\.0\.0\.1:\d+\/v3\/sandbox\/echo\?… failed: TypeError: limit=1 reached for \(http:\/\/127\.0\.0\.1:\d+\/v3\/sandbox\/echo\?…\)$/);
  assert.match(JSON.stringify(err), /"cause":"TypeError: limit=1 reached for \(http:[^"]*\/echo\?…\)"/);
});

test('an injected fetch that throws or rejects is ERR_NETWORK with that error as cause', async () => {
  const boom = new Error('proxy down');
  for (const fetch of [() => { throw boom; }, async () => { throw boom; }]) {
    const wxpay = new Wxpay(options(ctx.sb, { fetch }));
    const err = await rejectsWith(wxpay.v3.sandbox.echo.get(), 'ERR_NETWORK');
    assert.equal(err.cause, boom);
  }
  assert.equal(ctx.sb.requests.length, 0);
});

test("an error's message quotes at most three causes below the error it names: L0 (L1; L2; L3), not L4", async () => {
  // A cause chain five deep, as undici's can be (fetch failed, then its reasons).
  let thrown;
  for (const level of ['L4', 'L3', 'L2', 'L1', 'L0']) thrown = new Error(level, thrown ? { cause: thrown } : undefined);
  const wxpay = new Wxpay(options(ctx.sb, { fetch: async () => { throw thrown; }, retry: false }));
  const err = await rejectsWith(wxpay.v3.sandbox.echo.get(), 'ERR_NETWORK');
  assert.match(err.message, /failed: Error: L0 \(L1; L2; L3\)$/);
  assert.ok(!err.message.includes('L4'), err.message);
  assert.equal(JSON.parse(JSON.stringify(err)).cause, 'Error: L0 (L1; L2; L3)');
  // The cause itself is the error as thrown, its whole chain kept.
  assert.equal(err.cause, thrown);
  assert.equal(err.cause.cause.cause.cause.cause.message, 'L4');
  // Three deep or less: every cause quoted.
  const short = new Error('M0', { cause: new Error('M1', { cause: new Error('M2') }) });
  const shortErr = await rejectsWith(new Wxpay(options(ctx.sb, { fetch: async () => { throw short; }, retry: false })).v3.sandbox.echo.get(), 'ERR_NETWORK');
  assert.match(shortErr.message, /failed: Error: M0 \(M1; M2\)$/);
  assert.equal(ctx.sb.requests.length, 0);
});

test('the package loads where reading the global fetch throws, and works with the fetch option', () => {
  const script = `
    Object.defineProperty(globalThis, 'fetch', { configurable: true, get() { throw new Error('no fetch here'); } });
    const { Wxpay } = await import('wxpay-wasm');
    const own = (await import('node:http')).default;
    const wxpay = new Wxpay(${JSON.stringify(options(ctx.sb))});
    try { await wxpay.v3.sandbox.echo.get(); } catch (e) { console.log(e.code); }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  assert.equal(out.trim(), 'ERR_NETWORK');
});

test('a caller\'s fetch whose answer body is no web stream (node-fetch\'s Node Readable) is read by arrayBuffer(), framed or not', async () => {
  for (const chunked of [false, true]) {
    const nodeFetchLike = async (url, init) => {
      const res = await fetch(url, init);
      const bytes = await res.arrayBuffer();
      const headers = new Headers(res.headers);
      if (chunked) headers.delete('content-length');
      else headers.set('content-length', String(bytes.byteLength));
      return { status: res.status, statusText: res.statusText, headers, body: Readable.from([Buffer.from(bytes)]), arrayBuffer: async () => bytes };
    };
    const wxpay = new Wxpay(options(ctx.sb, { fetch: nodeFetchLike }));
    const { status, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
    assert.equal(status, 200, `chunked ${chunked}`);
    assert.equal(data.code, CODE);
    // Measured once read: over maxBodyBytes is still refused.
    const small = new Wxpay(options(ctx.sb, { fetch: nodeFetchLike, maxBodyBytes: 10, retry: 0 }));
    await rejectsWith(memberCode(small).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_TOO_LARGE');
  }
});

test('a caller\'s fetch answer without a stream or arrayBuffer(): a string or bytes body is read as it is, no body is empty, anything else is ERR_NETWORK', async () => {
  // The answer's headers as the sandbox signed them, its body given in another form.
  const swapped = (as) => async (url, init) => {
    const res = await fetch(url, init);
    const text = await res.text();
    return { status: res.status, statusText: res.statusText, headers: new Headers(res.headers), body: as(text) };
  };
  for (const as of [(t) => t, (t) => Buffer.from(t), (t) => new TextEncoder().encode(t).buffer]) {
    const wxpay = new Wxpay(options(ctx.sb, { fetch: swapped(as), retry: 0 }));
    const { status, data } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
    assert.equal(status, 200);
    assert.equal(data.code, CODE);
    // Still bounded by maxBodyBytes.
    const small = new Wxpay(options(ctx.sb, { fetch: swapped(as), retry: 0, maxBodyBytes: 10 }));
    await rejectsWith(memberCode(small).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_TOO_LARGE');
  }
  for (const body of [42, { text: 'x' }]) {
    const wxpay = new Wxpay(options(ctx.sb, { fetch: swapped(() => body), retry: 0 }));
    const e = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'ERR_NETWORK');
    assert.match(e.message, new RegExp(`failed: TypeError: the answer's body is ${typeof body}, not a stream, bytes or a string, and it has no arrayBuffer\\(\\)$`));
  }
  // Without a body (null or left out), the answer is empty: here its signature, over the sandbox's
  // body, then does not verify.
  for (const body of [null, undefined]) {
    const wxpay = new Wxpay(options(ctx.sb, { fetch: swapped(() => body), retry: 0 }));
    await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_SIGNATURE');
  }
});

test('a caller\'s fetch whose body runs past its Content-Length is counted as it arrives: refused at maxBodyBytes, and cancelled when the deadline ends the call', async () => {
  const MiB = 1 << 20;
  const body = (state, mib, ms = 0) => new ReadableStream({
    async pull(c) {
      await (ms ? sleep(ms) : new Promise((r) => setImmediate(r)));
      if (state.produced >= mib) return c.close();
      state.produced++;
      c.enqueue(new Uint8Array(MiB));
    },
    cancel() { state.cancelled = true; },
  });
  // It declares 10 bytes and sends 300 MiB: before, it was read whole, then compared.
  const big = { produced: 0, cancelled: false };
  const lying = new Wxpay(options(ctx.sb, { fetch: async () => new Response(body(big, 300), { status: 200, headers: { 'content-length': '10' } }), retry: 0, maxBodyBytes: MiB }));
  await rejectsWith(memberCode(lying).get({ card_id: CARD_ID, code: CODE }), 'ERR_RESPONSE_TOO_LARGE');
  assert.ok(big.produced <= 3, `read ${big.produced} MiB`);
  assert.equal(big.cancelled, true);
  // An endless one, with a timeout: the read stops with the call.
  const endless = { produced: 0, cancelled: false };
  const slow = new Wxpay(options(ctx.sb, { fetch: async () => new Response(body(endless, Infinity, 10), { status: 200, headers: { 'content-length': '10' } }), retry: 0 }));
  await rejectsWith(memberCode(slow).get({ card_id: CARD_ID, code: CODE, timeout: 200 }), 'ERR_TIMEOUT');
  await sleep(50);
  assert.equal(endless.cancelled, true);
  const at = endless.produced;
  await sleep(200);
  assert.ok(endless.produced <= at + 1, `still reading: ${at} then ${endless.produced} MiB`);
});

test('headers adds request headers, and may replace Accept', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  await wxpay.v3.sandbox.echo.get({ headers: { 'X-Trace-Id': 'trace-42', 'Accept-Language': 'zh-CN' } });
  let req = sb.requests.at(-1);
  assert.equal(req.verified, true);
  assert.equal(req.headers['x-trace-id'], 'trace-42');
  assert.equal(req.headers['accept-language'], 'zh-CN');
  assert.equal(req.headers.accept, 'application/json');

  await wxpay.v3.sandbox.echo.post({}, { headers: new Headers({ 'Wechatpay-Serial': sb.pubkey.id, Accept: 'application/json;q=0.9' }) });
  req = sb.requests.at(-1);
  assert.equal(req.verified, true);
  assert.equal(req.status, 200, 'the sandbox accepted the Wechatpay-Serial header');
  assert.equal(req.headers['wechatpay-serial'], sb.pubkey.id);
  assert.equal(req.headers.accept, 'application/json;q=0.9');
});

test('a header given twice in different cases is sent once, the later value; one of ours named in any case is replaced', async () => {
  const { sb } = ctx;
  const seen = [];
  const fetch = (url, init) => { seen.push(Object.entries(init.headers)); return globalThis.fetch(url, init); };
  const wxpay = new Wxpay(options(sb, { fetch }));
  await wxpay.v3.sandbox.echo.get({ headers: { 'X-Dup': 'first', 'ACCEPT': 'text/plain;q=0.1', 'x-dup': 'second', 'X-Other': 'o' } });
  const req = sb.requests.at(-1);
  assert.equal(req.verified, true);
  assert.equal(req.headers['x-dup'], 'second', 'not "first, second"');
  // An array is one header, its values joined by ", " (README, The chain).
  await wxpay.v3.sandbox.echo.get({ headers: { 'X-List': ['a', 'b'], 'X-One': [1] } });
  assert.equal(sb.requests.at(-1).verified, true);
  assert.equal(sb.requests.at(-1).headers['x-list'], 'a, b');
  assert.equal(sb.requests.at(-1).headers['x-one'], '1');
  assert.equal(req.headers.accept, 'text/plain;q=0.1');
  const names = seen[0].map(([k]) => k.toLowerCase());
  assert.equal(names.filter((k) => k === 'x-dup').length, 1);
  assert.equal(names.filter((k) => k === 'accept').length, 1);
  // The caller's in the order they were last given, after ours; Authorization last.
  assert.deepEqual(names.filter((k) => ['accept', 'x-dup', 'x-other'].includes(k)), ['accept', 'x-dup', 'x-other']);
  assert.equal(names.at(-1), 'authorization');
});

test('header values reach the server as given: Latin-1 characters, an empty value, a long one, many headers', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  // A value that is also one of ours (application/json), and one-character values.
  const headers = { 'X-Latin': 'caf\u00e9 \u00ff\u00a0end', 'X-Empty': '', 'X-Long': 'v'.repeat(4000), 'X-Json': 'application/json', 'X-One': '1', 'X-Tab': '\t' };
  for (let i = 0; i < 20; i++) headers[`X-Many-${i}`] = `value ${i}`;
  await wxpay.v3.sandbox.echo.get({ headers });
  let req = sb.requests.at(-1);
  assert.equal(req.verified, true);
  // node:http reads header bytes as Latin-1: each character went out as its one byte.
  for (const [name, value] of Object.entries(headers)) assert.equal(req.headers[name.toLowerCase()], value.trim(), name);
  assert.equal(req.headers.accept, 'application/json');
  assert.match(req.headers['user-agent'], /^wxpay-wasm\//);
  assert.equal(req.headers['wechatpay-serial'], sb.platform.serial);
  await wxpay.v3.sandbox.echo.post({ a: 1 }, { headers: { 'X-Trace': 'Authorization' } });
  req = sb.requests.at(-1);
  assert.equal(req.verified, true);
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers['x-trace'], 'Authorization');
});

test('headers may not set Authorization, in any case: ERR_INVALID_PARAM, nothing sent', async () => {
  const fetch = countingFetch();
  const wxpay = new Wxpay(options(ctx.sb, { fetch }));
  for (const name of ['Authorization', 'authorization', 'AUTHORIZATION']) {
    const err = await rejectsWith(wxpay.v3.sandbox.echo.get({ headers: { [name]: 'WECHATPAY2-SHA256-RSA2048 forged' } }), 'ERR_INVALID_PARAM');
    assert.match(err.message, /Authorization/);
  }
  await sleep(20);
  assert.equal(fetch.calls.length, 0);
  assert.equal(ctx.sb.requests.length, 0);
});

test('User-Agent starts with wxpay-wasm/<version> and names the runtime', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
  const ua = sb.requests[0].headers['user-agent'];
  assert.ok(ua.startsWith('wxpay-wasm/'), ua);
  assert.match(ua, /^wxpay-wasm\/\d+\.\d+\.\d+\S* /);
  assert.ok(ua.includes(`node/${process.versions.node}`), ua);
  // A polyfilled WebSocketPair (a workerd global) does not make this workerd.
  globalThis.WebSocketPair = function WebSocketPair() {};
  try {
    await memberCode(new Wxpay(options(sb))).get({ card_id: CARD_ID, code: CODE });
  } finally {
    delete globalThis.WebSocketPair;
  }
  assert.ok(sb.requests[1].headers['user-agent'].includes(`node/${process.versions.node}`), sb.requests[1].headers['user-agent']);
});

test('a numeric header value (a Scalar, per index.d.ts) is sent as its text', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  await within(wxpay.v3.sandbox.echo.get({ headers: { 'X-Retry': 2 } }), 2000, "get({ headers: { 'X-Retry': 2 } })");
  assert.equal(sb.requests.at(-1).headers['x-retry'], '2');
});

test('a thrown value is quoted in at most 1,000 characters: a huge message is cut, kept whole as the cause', async () => {
  const { sb } = ctx;
  const huge = `boom ${'x'.repeat(5_000_000)}`;
  const wxpay = new Wxpay(options(sb, { fetch: async () => { throw new Error(huge); }, retry: 0 }));
  const err = await rejectsWith(wxpay.v3.sandbox.echo.get(), 'ERR_NETWORK');
  assert.ok(err.message.includes('Error: boom xxx'), err.message.slice(0, 200));
  assert.ok(err.message.length < 1200, `the message is ${err.message.length} characters`);
  assert.ok(err.message.includes('x…'), 'cut, and says so');
  assert.equal(err.cause.message, huge);
  assert.equal((await wxpay.v3.sandbox.echo.get({ params: {} }).catch((e) => e)).code, 'ERR_NETWORK', 'the client keeps working');
});

test('a verified answer is parsed as JSON only for a JSON media type (application/json, text/json, +json), not for any type naming json', async () => {
  const { sb } = ctx;
  const json = Buffer.from('{"a":1}');
  const answer = (contentType, body = json) => async () => signedResponse(sb, body, { contentType });
  const dataOf = async (type, body) => (await new Wxpay(options(sb, { fetch: answer(type, body) })).v3.sandbox.echo.get()).data;
  for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'text/json', 'application/problem+json', 'application/vnd.wx+json; v=1', 'application/+json',
    // Given twice (Headers joins them): the last media type is the answer's.
    'application/json, application/json; charset=utf-8', 'text/html, application/json', 'application/json; x="a,b"']) {
    assert.deepEqual(await dataOf(type), { a: 1 }, type);
  }
  for (const type of ['application/octet-stream; name=bill.json', 'application/octet-stream; note=json', 'image/json', 'application/jsonx', 'application/json, application/octet-stream']) {
    const data = await dataOf(type);
    assert.ok(data instanceof Uint8Array, `${type}: bytes, not parsed`);
    assert.deepEqual(Buffer.from(data), json, type);
  }
  assert.equal(await dataOf('text/plain; note=json'), '{"a":1}', 'text/* is text');
  // As README says: text/* is read as UTF-8 whatever its charset, a byte that is not UTF-8 as U+FFFD.
  assert.equal(await dataOf('text/plain; charset=ISO-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9])), 'caf\ufffd');
  assert.equal(await dataOf('text/plain', Buffer.from('支付成功')), '支付成功');
});
