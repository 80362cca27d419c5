// Retries, the backup host and the hooks (issue 14), against the sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import { Wxpay } from 'wxpay-wasm';
import { useSandbox, options, memberCode, rejectsWith, tunnelProxy, signedResponse, CARD_ID, CODE } from './helpers.mjs';
import { closedPort } from '../sandbox/index.mjs';

const ctx = useSandbox();
const get = (wxpay, extra = {}) => memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, ...extra });

/** The Authorization nonces of the recorded requests, in order. */
const nonces = (sb) => sb.requests.map((r) => /nonce_str="([^"]+)"/.exec(r.headers.authorization)?.[1]);

test('503, 503, 200: a GET succeeds on its third attempt, each attempt signed afresh and verified by the sandbox', async () => {
  const { sb } = ctx;
  sb.misbehave('error-503', 2);
  const wxpay = new Wxpay(options(sb));
  const res = await get(wxpay);
  assert.equal(res.status, 200);
  assert.equal(res.data.code, CODE);
  assert.deepEqual(sb.requests.map((r) => r.status), [503, 503, 200]);
  assert.ok(sb.requests.every((r) => r.verified), 'every attempt carries a valid signature');
  assert.equal(new Set(nonces(sb)).size, 3, 'three distinct nonces');
});

test('the error of the last attempt carries attempts; retries stop at the count', async () => {
  const { sb } = ctx;
  sb.misbehave('error-503', 5);
  const wxpay = new Wxpay(options(sb));
  await rejectsWith(get(wxpay), 'SERVICE_UNAVAILABLE', { status: 503, attempts: 3 });
  assert.equal(sb.requests.length, 3);
  sb.reset();
  sb.misbehave('error-503', 5);
  await rejectsWith(get(wxpay, { retry: 1 }), 'SERVICE_UNAVAILABLE', { attempts: 2 });
  assert.equal(sb.requests.length, 2);
  sb.reset();
  sb.misbehave('error-503', 5);
  await rejectsWith(get(new Wxpay(options(sb, { retry: false }))), 'SERVICE_UNAVAILABLE', { attempts: 1 });
  assert.equal(sb.requests.length, 1);
});

test('a dropped connection is retried for a GET', async () => {
  const { sb } = ctx;
  sb.misbehave('reset', 1);
  const res = await get(new Wxpay(options(sb)));
  assert.equal(res.status, 200);
  assert.deepEqual(sb.requests.map((r) => r.status), [0, 200]);
});

test('POST is not retried by default, and is when the request opts in', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  sb.misbehave('error-503', 1);
  await rejectsWith(wxpay.v3.sandbox.echo.post({ a: 1 }), 'SERVICE_UNAVAILABLE', { attempts: 1 });
  assert.equal(sb.requests.length, 1);
  sb.reset();
  sb.misbehave('error-503', 1);
  const res = await wxpay.v3.sandbox.echo.post({ a: 1 }, { retry: true });
  assert.equal(res.status, 200);
  assert.deepEqual(sb.requests.map((r) => r.status), [503, 200]);
  assert.notEqual(nonces(sb)[0], nonces(sb)[1]);
});

test('a forged answer is never retried', async () => {
  const { sb } = ctx;
  sb.misbehave('forged', 1);
  await rejectsWith(get(new Wxpay(options(sb))), 'ERR_RESPONSE_SIGNATURE', { attempts: 1 });
  assert.equal(sb.requests.length, 1);
});

test('4xx answers are not retried; 429 honours Retry-After', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  await rejectsWith(wxpay.v3.sandbox.status._s_.get({ s: '400' }), 'PARAM_ERROR', { attempts: 1 });
  assert.equal(sb.requests.length, 1);
  sb.reset();
  sb.misbehave('error-429', 1);
  const started = Date.now();
  const res = await get(wxpay);
  assert.equal(res.status, 200);
  assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms for Retry-After: 1`);
});

test('a 429 or 5xx larger than maxBodyBytes is retried as its status says; a 4xx is not', async () => {
  const { sb } = ctx;
  const page = '<html>' + 'x'.repeat(4000) + '</html>';
  // A proxy's error page, too large for the limit, for the first `pages` attempts; then the sandbox.
  let pages = 0;
  const proxy = (status, declared) => async (url, init) => {
    if (pages > 0) {
      pages--;
      const headers = { 'content-type': 'text/html', ...(declared ? { 'content-length': String(page.length) } : {}) };
      return new Response(page, { status, headers });
    }
    return fetch(url, init);
  };
  for (const declared of [false, true]) {
    for (const status of [502, 429]) {
      sb.reset();
      pages = 2;
      const wxpay = new Wxpay(options(sb, { fetch: proxy(status, declared), maxBodyBytes: 1000 }));
      const res = await get(wxpay);
      assert.equal(res.status, 200, `${status}, declared ${declared}`);
      assert.equal(pages, 0);
      assert.equal(sb.requests.length, 1, 'the third attempt reached the sandbox');
      // Too large every time: the last attempt's error, after as many attempts as allowed.
      pages = 5;
      await rejectsWith(get(wxpay), 'ERR_RESPONSE_TOO_LARGE', { status, attempts: 3 });
      assert.equal(pages, 2);
      pages = 5;
      await rejectsWith(get(wxpay, { retry: false }), 'ERR_RESPONSE_TOO_LARGE', { status, attempts: 1 });
      assert.equal(pages, 4);
    }
    // A 4xx answer is not retried, whatever its size.
    pages = 5;
    const wxpay = new Wxpay(options(sb, { fetch: proxy(413, declared), maxBodyBytes: 1000 }));
    await rejectsWith(get(wxpay), 'ERR_RESPONSE_TOO_LARGE', { status: 413, attempts: 1 });
    assert.equal(pages, 4);
  }
});

test('a Retry-After that is an HTTP date (IMF-fixdate, RFC 850, asctime) is waited for, as GMT in any time zone', async () => {
  const { sb } = ctx;
  const random = Math.random;
  Math.random = () => 0; // no back-off of its own: only the date makes it wait
  // asctime's form names no zone: Date.parse alone reads it as local time, 8 hours off here.
  const tz = process.env.TZ;
  process.env.TZ = 'Asia/Shanghai';
  try {
    const formats = [
      (d) => d.toUTCString(),
      (d) => d.toUTCString().replace(/^(\w{3}), (\d\d) (\w{3}) \d\d(\d\d)/, (_, day, dd, mon, yy) => `${{ Sun: 'Sunday', Mon: 'Monday', Tue: 'Tuesday', Wed: 'Wednesday', Thu: 'Thursday', Fri: 'Friday', Sat: 'Saturday' }[day]}, ${dd}-${mon}-${yy}`),
      (d) => { const [day, dd, mon, yyyy, time] = d.toUTCString().split(/,? /); return `${day} ${mon} ${String(Number(dd)).padStart(2, ' ')} ${time} ${yyyy}`; },
    ];
    for (const format of formats) {
      // Two whole seconds ahead: at least a second away whenever it is read.
      const at = new Date((Math.floor(Date.now() / 1000) + 2) * 1000);
      const value = format(at);
      let calls = 0;
      const fetch503 = (url, init) => (++calls <= 1
        ? Promise.resolve(new Response('{"code":"SYSTEM_ERROR","message":"busy"}', { status: 503, headers: { 'content-type': 'application/json', 'retry-after': value } }))
        : fetch(url, init));
      assert.equal((await get(new Wxpay(options(sb, { fetch: fetch503 })))).status, 200);
      assert.ok(Date.now() >= at.getTime() - 5, `Retry-After ${value}: retried before it`);
      assert.equal(calls, 2);
    }
  } finally {
    Math.random = random;
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});

test('a Retry-After that is neither seconds nor an HTTP date is ignored: the usual back-off, not none', async () => {
  const { sb } = ctx;
  const random = Math.random;
  Math.random = () => 0.999; // each wait its longest: about 200 ms, then 400 ms
  try {
    // `a 1` and `later 5` are read by Date.parse as dates of 2001: neither is in an HTTP date's shape.
    // So are `Mon: 1`, `Fri 12:00 5` and a date with a numeric zone (no HTTP date has one).
    for (const value of ['-1', '1.5', '+5', '1, 2', 'a 1', 'later 5', 'Mon: 1', 'Fri 12:00 5', 'Mon 5 1:1', 'Mon, 06 Nov 2094 08:49:37 +0800']) {
      let calls = 0;
      const fetch503 = (url, init) => (++calls <= 2
        ? Promise.resolve(new Response('{"code":"SYSTEM_ERROR","message":"busy"}', { status: 503, headers: { 'content-type': 'application/json', 'retry-after': value } }))
        : fetch(url, init));
      const started = Date.now();
      assert.equal((await get(new Wxpay(options(sb, { fetch: fetch503 })))).status, 200);
      assert.ok(Date.now() - started >= 500, `Retry-After ${value}: waited ${Date.now() - started} ms, not the back-off`);
      assert.equal(calls, 3);
    }
  } finally {
    Math.random = random;
  }
});

test('retries stay within the timeout: the whole request settles by it', async () => {
  const { sb } = ctx;
  sb.misbehave('error-429', 5);
  await rejectsWith(get(new Wxpay(options(sb)), { timeout: 300 }), 'ERR_TIMEOUT');
  assert.equal(sb.requests.length, 1, 'the wait for Retry-After was cut by the timeout');
});

test('the backup host takes a request whose connection to the main host never opened, POST included', async () => {
  const { sb } = ctx;
  const dead = `http://127.0.0.1:${await closedPort()}/`;
  const wxpay = new Wxpay(options(sb, { baseURL: dead, backupBaseURL: sb.baseURL }));
  const res = await get(wxpay);
  assert.equal(res.status, 200);
  const posted = await wxpay.v3.sandbox.echo.post({ b: 2 });
  assert.equal(posted.data.body, '{"b":2}');
  assert.equal(sb.requests.length, 2);
  // without a backup the connection error is the answer
  await rejectsWith(get(new Wxpay(options(sb, { baseURL: dead, retry: 0 }))), 'ERR_NETWORK', { attempts: 1 });
  assert.throws(() => new Wxpay(options(sb, { backupBaseURL: 'ftp://x' })), { code: 'ERR_INVALID_CONFIG', message: /^options.backupBaseURL / });
});

test('a try whose connection never opened is followed by one on the backup host, retries used up or none allowed', async () => {
  const { sb } = ctx;
  const dead = `http://127.0.0.1:${await closedPort()}/`;
  const hosts = [];
  const onRequest = ({ url }) => hosts.push(new URL(url).origin);
  // retry: 0 is no retry, but the backup host still takes what the main host never received.
  const none = await get(new Wxpay(options(sb, { baseURL: dead, backupBaseURL: sb.baseURL, retry: 0, onRequest })));
  assert.equal(none.status, 200);
  assert.deepEqual(hosts, [new URL(dead).origin, new URL(sb.baseURL).origin]);
  // Two 503s use up retry: 2; the third try cannot connect; a fourth goes to the backup host
  // (here a name this test's fetch sends to the sandbox too).
  hosts.length = 0;
  const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  let calls = 0;
  const backup = 'http://backup.invalid/';
  const fetch = (url, init) => (++calls === 3 ? Promise.reject(refused) : globalThis.fetch(String(url).replace(backup, sb.baseURL), init));
  sb.misbehave('error-503', 2);
  const random = Math.random;
  Math.random = () => 0; // no back-off waits
  let res;
  try {
    res = await get(new Wxpay(options(sb, { backupBaseURL: backup, fetch, onRequest })));
  } finally {
    Math.random = random;
  }
  assert.equal(res.status, 200);
  const main = new URL(sb.baseURL).origin;
  assert.deepEqual(hosts, [main, main, main, 'http://backup.invalid']);
  assert.equal(calls, 4);
});

test('behind a proxy (undici ProxyAgent): a CONNECT it refuses never opened a connection, so a POST goes to the backup host; messages name the refusal', async (t) => {
  const { sb } = ctx;
  const dead = `http://127.0.0.1:${await closedPort()}/`;
  const proxy = await tunnelProxy();
  const dispatcher = new ProxyAgent(proxy.url);
  t.after(async () => { await dispatcher.close(); await proxy.close(); });
  const fetch = (url, init) => undiciFetch(url, { ...init, dispatcher });
  const hostOf = (base) => new URL(base).host;

  const wxpay = new Wxpay(options(sb, { baseURL: dead, backupBaseURL: sb.baseURL, retry: 0, fetch }));
  const posted = await wxpay.v3.sandbox.echo.post({ b: 2 });
  assert.equal(posted.data.body, '{"b":2}');
  assert.deepEqual(proxy.connects, [[hostOf(dead), 502], [hostOf(sb.baseURL), 200]]);
  assert.equal(sb.requests.length, 1);
  assert.ok(sb.requests[0].verified);

  // Without a backup host the refusal is the answer, named in the message and the JSON (undici
  // has it three causes down, under `fetch failed` and `Request was cancelled.`).
  const alone = new Wxpay(options(sb, { baseURL: dead, backupBaseURL: false, retry: 0, fetch }));
  const err = await rejectsWith(alone.v3.sandbox.echo.post({ b: 3 }), 'ERR_NETWORK', { attempts: 1 });
  assert.match(err.message, /\(Request was cancelled\.; Proxy response \(502\) !== 200 when HTTP Tunneling\)$/);
  assert.equal(JSON.parse(JSON.stringify(err)).cause, 'TypeError: fetch failed (Request was cancelled.; Proxy response (502) !== 200 when HTTP Tunneling)');

  // A proxy that wants credentials refuses both hosts: two tries, nothing sent, 407 named.
  const guarded = await tunnelProxy({ auth: 'Basic dTpw' });
  const agent = new ProxyAgent(guarded.url);
  t.after(async () => { await agent.close(); await guarded.close(); });
  const viaGuarded = (url, init) => undiciFetch(url, { ...init, dispatcher: agent });
  const refused = new Wxpay(options(sb, { baseURL: dead, backupBaseURL: sb.baseURL, retry: 0, fetch: viaGuarded }));
  const denied = await rejectsWith(refused.v3.sandbox.echo.post({ b: 4 }), 'ERR_NETWORK', { attempts: 2 });
  assert.match(denied.message, /Proxy response \(407\) !== 200 when HTTP Tunneling\)$/);
  assert.deepEqual(guarded.connects.map(([, status]) => status), [407, 407]);
  assert.equal(sb.requests.length, 1, 'nothing more reached the sandbox');

  // undici's code alone is an abort's too: a POST whose fetch failed so, in other words, may have
  // been sent, and is not sent again.
  const aborted = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('Request aborted'), { name: 'AbortError', code: 'UND_ERR_ABORTED' }),
  });
  let calls = 0;
  const lost = new Wxpay(options(sb, { baseURL: dead, backupBaseURL: sb.baseURL, retry: 0, fetch: () => { calls++; return Promise.reject(aborted); } }));
  await rejectsWith(lost.v3.sandbox.echo.post({ b: 5 }), 'ERR_NETWORK', { attempts: 1 });
  assert.equal(calls, 1);
});

// helper-109: an unreachable host's code was taken for a connection that never opened wherever
// it came from; Node also raises it from a socket's read (`read EHOSTUNREACH`), once the request
// may have been written: a POST then went to the backup host too.
test('EHOSTUNREACH or ENETUNREACH from a socket\'s read is not a connection that never opened: a POST is not sent again; from connect it is', async () => {
  const { sb } = ctx;
  const failed = (code, syscall) => Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error(`${syscall} ${code}`), { code, syscall, errno: -113 }),
  });
  for (const code of ['EHOSTUNREACH', 'ENETUNREACH']) {
    for (const [syscall, backupSent] of [['read', false], ['write', false], ['connect', true]]) {
      const tried = [];
      const fetch = (url, init) => {
        tried.push(new URL(url).host);
        return tried.length === 1 ? Promise.reject(failed(code, syscall)) : globalThis.fetch(url, init);
      };
      sb.reset();
      const wxpay = new Wxpay(options(sb, { backupBaseURL: sb.baseURL.replace('127.0.0.1', 'localhost'), retry: 0, fetch }));
      const sent = wxpay.v3.sandbox.echo.post({ c: 1 });
      if (backupSent) {
        assert.equal((await sent).status, 200, `${code} ${syscall}`);
        assert.equal(tried.length, 2);
      } else {
        await rejectsWith(sent, 'ERR_NETWORK', { attempts: 1 });
        assert.equal(tried.length, 1, `${code} ${syscall}: not sent again`);
      }
    }
  }
});

test('without baseURL the backup host is https://api2.mch.weixin.qq.com/; backupBaseURL: false turns it off', async () => {
  const { sb } = ctx;
  const urls = [];
  const refused = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }) }));
  const fetch = (url) => { urls.push(String(url)); return refused(); };
  const { baseURL: _, ...rest } = options(sb);
  await rejectsWith(get(new Wxpay({ ...rest, fetch, retry: 0 })), 'ERR_NETWORK', { attempts: 2 });
  assert.deepEqual(urls.map((u) => new URL(u).origin), ['https://api.mch.weixin.qq.com', 'https://api2.mch.weixin.qq.com']);
  urls.length = 0;
  await rejectsWith(get(new Wxpay({ ...rest, fetch, retry: 0, backupBaseURL: false })), 'ERR_NETWORK', { attempts: 1 });
  assert.deepEqual(urls.map((u) => new URL(u).origin), ['https://api.mch.weixin.qq.com']);
  // The default's address given as baseURL is a baseURL given: no backup host unless named (README, Options).
  for (const baseURL of ['https://api.mch.weixin.qq.com/', 'https://api.mch.weixin.qq.com']) {
    urls.length = 0;
    await rejectsWith(get(new Wxpay({ ...rest, baseURL, fetch, retry: 0 })), 'ERR_NETWORK', { attempts: 1 });
    assert.deepEqual(urls.map((u) => new URL(u).origin), ['https://api.mch.weixin.qq.com'], baseURL);
  }
});

test('a Retry-After over 60 s ends the retries: the 429 is the error, at once', async () => {
  // 11 digits and more too (helper-117: they were read as no Retry-After, and retried after the back-off).
  for (const value of ['61', '99999999999', '123456789012345678901234567890']) {
    const calls = [];
    const fetch = async (url) => {
      calls.push(String(url));
      return new Response(JSON.stringify({ code: 'RATELIMIT_EXCEEDED', message: 'slow down' }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': value } });
    };
    const started = Date.now();
    await rejectsWith(get(new Wxpay(options(ctx.sb, { fetch }))), 'RATELIMIT_EXCEEDED', { attempts: 1, status: 429 });
    assert.equal(calls.length, 1, value);
    assert.ok(Date.now() - started < 5000, `settled after ${Date.now() - started} ms`);
  }
});

test('a Retry-After of 60 s is still honoured: the retry comes after 60 s, not before (the clock is mocked)', async (t) => {
  const { sb } = ctx;
  // node:test's setTimeout, which the wait reads as it starts; Date stays real, so the answer
  // signed below is current. Nothing goes to the network: the fetch answers both tries itself.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const flush = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };
  let calls = 0;
  const fetch = async () => (++calls === 1
    ? new Response(JSON.stringify({ code: 'RATELIMIT_EXCEEDED', message: 'slow down' }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '60' } })
    : signedResponse(sb, JSON.stringify({ code: CODE })));
  let outcome;
  get(new Wxpay(options(sb, { fetch }))).then((r) => { outcome = r; }, (e) => { outcome = e; });
  await flush();
  assert.equal(calls, 1);
  assert.equal(outcome, undefined, 'the 429 with Retry-After: 60 is not the error');
  t.mock.timers.tick(59_999);
  await flush();
  assert.equal(calls, 1, 'no retry 1 ms before the 60 s');
  assert.equal(outcome, undefined);
  t.mock.timers.tick(1);
  await flush();
  assert.equal(calls, 2, 'the retry after 60 s');
  assert.equal(outcome?.status, 200, String(outcome));
  assert.equal(outcome.data.code, CODE);
});

test('onRequest and onResponse see each attempt, never keys, signatures or bodies; a throwing hook is ignored', async () => {
  const { sb } = ctx;
  const seen = [];
  const wxpay = new Wxpay(options(sb, {
    onRequest: (info) => { seen.push(['request', info]); throw new Error('a broken logger'); },
    onResponse: (info) => { seen.push(['response', info]); },
  }));
  sb.misbehave('error-503', 1);
  const res = await wxpay.v3.sandbox.echo.post({ secret: 'body-value' }, { retry: 1 });
  assert.equal(res.status, 200);
  assert.deepEqual(seen.map(([k, i]) => [k, i.attempt, i.status]), [
    ['request', 1, undefined], ['response', 1, 503], ['request', 2, undefined], ['response', 2, 200],
  ]);
  const [, last] = seen.at(-1);
  assert.equal(last.method, 'POST');
  assert.equal(last.url, `${sb.baseURL}v3/sandbox/echo`);
  assert.equal(last.requestId, sb.requests.at(-1).requestId);
  assert.equal(typeof last.duration, 'number');
  const text = JSON.stringify(seen);
  for (const secret of ['body-value', 'signature', 'WECHATPAY2', sb.merchant.privateKeyPkcs8.slice(40, 80)]) {
    assert.ok(!text.includes(secret), `hooks saw ${secret}`);
  }
  const failed = [];
  const broken = new Wxpay(options(sb, { fetch: () => { throw new TypeError('no network'); }, retry: 0, onResponse: (i) => failed.push(i) }));
  await rejectsWith(get(broken), 'ERR_NETWORK');
  assert.equal(failed[0].error, 'ERR_NETWORK');
});

// helper-117: the duration was the wall clock's difference, negative when the clock was stepped back
// while the request was out (README's example feeds it to a histogram).
test("onResponse's duration is never negative, the clock stepped back while the request was out", async () => {
  const { sb } = ctx;
  const heard = [];
  const realNow = Date.now;
  const wxpay = new Wxpay(options(sb, {
    onResponse: (info) => heard.push(info.duration),
    // The request is out: NTP steps the clock back an hour (the answer is signed by the right clock).
    fetch: async (url, init) => { const answer = fetch(url, init); Date.now = () => realNow.call(Date) - 3_600_000; return answer; },
  }));
  try {
    await assert.rejects(get(wxpay));
  } finally {
    Date.now = realNow;
  }
  assert.equal(heard.length, 1);
  assert.ok(heard[0] >= 0 && heard[0] < 60_000, String(heard[0]));
});

test('an answer refused for its size carries its status and Request-ID, and onResponse hears both (its headers had come)', async () => {
  const { sb } = ctx;
  // The sandbox's answer as it came (Content-Length), and the same answer streamed without one.
  const chunked = async (url, init) => {
    const res = await fetch(url, init);
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return new Response(res.body, { status: res.status, headers });
  };
  for (const [label, fetchFn] of [['Content-Length', undefined], ['chunked', chunked]]) {
    const seen = [];
    const wxpay = new Wxpay(options(sb, { ...(fetchFn ? { fetch: fetchFn } : {}), maxBodyBytes: 10, retry: 0, onResponse: (info) => seen.push(info) }));
    sb.reset();
    const e = await rejectsWith(get(wxpay), 'ERR_RESPONSE_TOO_LARGE', { status: 200, attempts: 1 });
    // The id the sandbox answered with.
    assert.equal(e.requestId, sb.requests.at(-1).requestId, label);
    assert.match(e.requestId, /^sbx-/, label);
    assert.deepEqual(seen.map((i) => [i.attempt, i.status, i.requestId, i.error]), [[1, 200, e.requestId, 'ERR_RESPONSE_TOO_LARGE']], label);
  }
});

// helper-109: an answer whose headers came and whose body then broke off or stalled lost its
// status and Request-ID: the best evidence that a POST was received, and what support asks for.
test('an answer whose body breaks off or stalls after its headers: ERR_NETWORK / ERR_TIMEOUT carry its status and Request-ID, and onResponse hears them', async (t) => {
  const { sb } = ctx;
  let mode;
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100', 'request-id': `rid-${mode}` });
    res.write('{"partial":');
    if (mode === 'broken') setTimeout(() => res.socket.destroy(), 20);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  const baseURL = `http://127.0.0.1:${server.address().port}/`;
  for (const [m, code] of [['broken', 'ERR_NETWORK'], ['stalled', 'ERR_TIMEOUT']]) {
    mode = m;
    const seen = [];
    const wxpay = new Wxpay(options(sb, { baseURL, backupBaseURL: false, retry: 0, timeout: 500, onResponse: (info) => seen.push(info) }));
    const e = await rejectsWith(wxpay.v3.sandbox.echo.post({ a: 1 }), code, { status: 200, attempts: 1 });
    assert.equal(e.requestId, `rid-${m}`);
    assert.deepEqual(seen.map((i) => [i.status, i.requestId, i.error]), [[200, `rid-${m}`, code]]);
    assert.equal(JSON.parse(JSON.stringify(e)).requestId, `rid-${m}`);
  }
});

test('onResponse hears of the last attempt once its answer is verified: a 200 refused carries the code it was refused with', async () => {
  const { sb } = ctx;
  const seen = [];
  const wxpay = new Wxpay(options(sb, { onResponse: (info) => seen.push(info) }));
  for (const [mode, code] of [['tampered', 'ERR_RESPONSE_SIGNATURE'], ['unknown-serial', 'ERR_RESPONSE_SERIAL'], ['unsigned', 'ERR_RESPONSE_UNSIGNED'], ['signtest', 'ERR_RESPONSE_SIGNATURE']]) {
    seen.length = 0;
    sb.misbehave(mode, 1);
    const e = await rejectsWith(get(wxpay), code);
    assert.deepEqual(seen.map((i) => [i.attempt, i.status, i.error, i.requestId]), [[1, 200, code, e.requestId]], mode);
  }
  // A verified answer, and a service error (its status is the outcome), carry no error.
  seen.length = 0;
  assert.equal((await get(wxpay)).status, 200);
  await rejectsWith(wxpay.v3.sandbox.status['404'].get(), 'RESOURCE_NOT_EXISTS');
  assert.deepEqual(seen.map((i) => [i.status, 'error' in i]), [[200, false], [404, false]]);
  // The attempts that were retried are heard as they end, the last once verified.
  seen.length = 0;
  sb.misbehave('error-503', 1);
  assert.equal((await get(wxpay)).status, 200);
  assert.deepEqual(seen.map((i) => [i.attempt, i.status, 'error' in i]), [[1, 503, false], [2, 200, false]]);
  // The certificate download a client makes is heard alike.
  const downloads = [];
  const fresh = new Wxpay({ ...options(sb, { apiv3Key: sb.apiv3Key, onResponse: (info) => downloads.push(info) }), certs: undefined });
  assert.equal((await get(fresh)).status, 200);
  assert.deepEqual(downloads.map((i) => [new URL(i.url).pathname, i.status, 'error' in i]), [['/v3/certificates', 200, false], [`/v3/marketing/membercard-open/cards/${CARD_ID}/codes/${CODE}`, 200, false]]);
});

test('retry options are checked', () => {
  const { sb } = ctx;
  for (const retry of [-1, 11, 1.5, 'x', true]) {
    assert.throws(() => new Wxpay(options(sb, { retry })), { code: 'ERR_INVALID_CONFIG' }, String(retry));
  }
  assert.throws(() => new Wxpay(options(sb, { onRequest: 1 })), { code: 'ERR_INVALID_CONFIG' });
});

test('a bad per-request retry rejects before anything is sent', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  await rejectsWith(get(wxpay, { retry: 11 }), 'ERR_INVALID_PARAM');
  await rejectsWith(get(wxpay, { retry: 'yes' }), 'ERR_INVALID_PARAM');
  assert.equal(sb.requests.length, 0);
});

test('a POST the main host received (its answer lost: the socket reset) is not sent again, to the backup host or at all; a GET is', async () => {
  const { sb } = ctx;
  const got = [];
  const main = http.createServer((req, res) => { req.resume(); req.on('end', () => { got.push(req.method); req.socket.destroy(); }); });
  await new Promise((resolve) => main.listen(0, '127.0.0.1', resolve));
  try {
    const wxpay = new Wxpay(options(sb, { baseURL: `http://127.0.0.1:${main.address().port}/`, backupBaseURL: sb.baseURL }));
    await rejectsWith(wxpay.v3.sandbox.echo.post({ out_trade_no: 'once-only' }), 'ERR_NETWORK', { attempts: 1 });
    assert.deepEqual(got, ['POST'], 'the main host read it once');
    assert.equal(sb.requests.length, 0, 'the backup host never saw it');
    // A GET may be sent again: its retry goes to the backup host.
    const res = await wxpay.v3.sandbox.echo.get();
    assert.equal(res.status, 200);
    assert.deepEqual(got, ['POST', 'GET']);
    assert.deepEqual(sb.requests.map((r) => r.method), ['GET']);
  } finally {
    await new Promise((resolve) => { main.close(resolve); main.closeAllConnections(); });
  }
});
