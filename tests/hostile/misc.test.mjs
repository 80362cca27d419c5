// Issue 10, items 5, 7 and 8: no error message quotes key material, bracket segments keep their
// case, a header value that is not Latin-1 is refused before fetch, and a freed client answers
// ERR_CLIENT_FREED while the others keep working. (`certs: [pem]`: construct.test.mjs.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Wxpay, WxpayError, payscoreParams } from 'wxpay-wasm';
import { useHealth, hostileLoop, rejects, outcome, settle, options, memberCode, thrown, CARD_ID, CODE } from './harness.mjs';

const h = useHealth();

// ---- secrets in messages ----
/** The base64 body of a PEM, in one line. */
const base64Of = (pem) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

function assertNoSecret(text, pems, what) {
  assert.ok(!/BEGIN/.test(text), `${what}: the message contains "BEGIN": it quotes a PEM`);
  for (const pem of pems) {
    const b64 = base64Of(pem);
    for (let i = 0; i + 20 <= b64.length; i++) {
      // (the failure names the offset, not the text: a test report must not leak it either)
      if (text.includes(b64.slice(i, i + 20))) assert.fail(`${what}: the message quotes the key's base64 at offset ${i}`);
    }
  }
}

/** What `call` threw or rejected with: a WxpayError whose message and stack hold no key. */
async function assertQuiet(what, call, pems, code) {
  const r = await settle(call);
  const err = r.sync ?? r.error;
  if (err === undefined) return { accepted: true, value: r.notPromise ?? r.value };
  assert.ok(err instanceof WxpayError, `${what}: ${outcome(r)}`);
  if (code) assert.equal(err.code, code, `${what}: code`);
  assertNoSecret(String(err.message), pems, what);
  assertNoSecret(String(err.stack), pems, `${what} (stack)`);
  return { accepted: false, err };
}

test('a private key PEM in the wrong option is never quoted in the error', async () => {
  const { sb } = h;
  const pems = [sb.merchant.privateKeyPkcs8, sb.merchant.privateKeyPkcs1];
  const leaks = [];
  const quiet = async (what, call, code, mustRefuse = true) => {
    try {
      const r = await assertQuiet(what, call, pems, code);
      r.value?.free?.();
      if (mustRefuse) assert.equal(r.accepted, false, `${what}: accepted`);
    } catch (e) {
      leaks.push(e.message.split('\n')[0]);
    }
  };
  for (const [label, pem] of [['PKCS#8', pems[0]], ['PKCS#1', pems[1]]]) {
    for (const key of ['wechatpaySerial', 'crypto', 'mchid', 'serial', 'baseURL', 'apiv3Key', 'timeout']) {
      await quiet(`${label}: options.${key} = the private key`, () => new Wxpay(options(sb, { [key]: pem })), 'ERR_INVALID_CONFIG');
    }
    await quiet(`${label}: certs keyed by the private key`, () => new Wxpay(options(sb, { certs: { [pem]: sb.platform.certificate } })), 'ERR_INVALID_CONFIG');
    await quiet(`${label}: the private key given as a cert`, () => new Wxpay(options(sb, { certs: { [sb.platform.serial]: pem } })));
    // An option the package does not know: if it is refused at all, the refusal must not quote it.
    await quiet(`${label}: an unknown option holding the private key`, () => new Wxpay(options(sb, { privatekey: pem, secret: pem })), undefined, false);
    // Per call: a serial, a header value, a timeout.
    await quiet(`${label}: verify(..., serial = the private key)`, () => h.client.verify('m', 'c2ln', pem), 'ERR_INVALID_PARAM');
    await quiet(`${label}: a header value = the private key`, () => h.client.v3.sandbox.echo.get({ headers: { 'X-Key': pem } }), 'ERR_INVALID_PARAM');
    await quiet(`${label}: config.timeout = the private key`, () => h.client.v3.sandbox.echo.get({ timeout: pem }), 'ERR_INVALID_PARAM');
  }
  assert.deepEqual(leaks, []);
  await h.check('secrets');
});

// ---- path segments ----
test('segments keep their case; only a lowercase-initial camelCase identifier is kebab-cased', async () => {
  const { sb, client } = h;
  const cases = [
    [() => client.v3.pay.transactions.outTradeNo['N123123'], 'v3/pay/transactions/out-trade-no/N123123'],
    [() => client.v3['pay/transactions/out-trade-no/N123123'], 'v3/pay/transactions/out-trade-no/N123123'],
    [() => client.v3.pay.transactions.outTradeNo['WX20240101ABCdef'], 'v3/pay/transactions/out-trade-no/WX20240101ABCdef'],
    [() => client.v3.pay.transactions.outTradeNo.ABCdef, 'v3/pay/transactions/out-trade-no/ABCdef'],
    [() => client.v3.marketing.membercardOpen.cards, 'v3/marketing/membercard-open/cards'],
    [() => client.v3.pay.transactions.id['4200000000202604270000000002'], 'v3/pay/transactions/id/4200000000202604270000000002'],
  ];
  for (const [node, template] of cases) assert.equal(String(node()), template);
  for (const [node, template] of cases) {
    const r = await settle(() => node().get({ params: { mchid: sb.mchid } }));
    // A signed 404, after verifying the request: the sandbox has no such order (its order query
    // routes), or no such route.
    const code = template.startsWith('v3/pay/transactions/') ? 'ORDER_NOT_EXIST' : 'RESOURCE_NOT_EXISTS';
    assert.equal(rejects(code)(r), null, `${template}: ${outcome(r)}`);
    assert.equal(r.error.status, 404);
    const seen = sb.requests.at(-1);
    assert.equal(seen.url, `/${template}?mchid=${sb.mchid}`);
    assert.equal(seen.verified, true, seen.reason);
  }
  await h.check('segments');
});

// ---- a header value that is not Latin-1 ----
test('a header value with non-Latin-1 characters is ERR_INVALID_PARAM before fetch is called', async () => {
  let calls = 0;
  const wxpay = new Wxpay(options(h.sb, { fetch: (...a) => { calls++; return fetch(...a); } }));
  try {
    for (const value of ['中文', 'caf\u0100', 'emoji 🎉']) {
      const r = await settle(() => wxpay.v3.sandbox.echo.get({ headers: { 'X-Note': value } }));
      assert.equal(rejects('ERR_INVALID_PARAM')(r), null, `${JSON.stringify(value)}: ${outcome(r)}`);
    }
    assert.equal(calls, 0, 'fetch was called');
    assert.equal(h.sb.requests.length, 0);
  } finally {
    wxpay.free();
  }
  await h.check('non-Latin-1 header');
});

// ---- after free() ----
test('after free(), every use is ERR_CLIENT_FREED (thrown or rejected), and other clients keep working', async () => {
  const { sb } = h;
  const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key }));
  const node = wxpay.v3.sandbox.echo;
  const { status } = await node.get();
  assert.equal(status, 200);
  wxpay.free();
  const freed = (r) => {
    const e = r.sync ?? r.error;
    return e instanceof WxpayError && e.code === 'ERR_CLIENT_FREED' ? null : `${outcome(r)}; expected ERR_CLIENT_FREED`;
  };
  const uses = {
    'wxpay.v3...get()': () => wxpay.v3.sandbox.echo.get(),
    'a node obtained before free(): get()': () => node.get(),
    'a node obtained before free(): post()': () => node.post({ a: 1 }),
    'wxpay.sign()': () => wxpay.sign('m'),
    'wxpay.verify()': () => wxpay.verify('m', 'c2ln', sb.platform.serial),
    'wxpay.encrypt()': () => wxpay.encrypt('m'),
    'wxpay.decryptResource()': () => wxpay.decryptResource({ ciphertext: 'AA==', nonce: '0123456789ab' }),
  };
  const before = sb.requests.length;
  for (const [name, call] of Object.entries(uses)) {
    await hostileLoop(`after free(): ${name}`, { n: 2500, call, expect: freed, health: (label) => h.check(label) });
  }
  assert.equal(sb.requests.slice(before).filter((r) => r.url.startsWith('/v3/sandbox/echo')).length, 0, 'a freed client sent a request');
});

// ---- a polluted realm (the boundary audit, item 5) ----
// A throwing getter on Object.prototype for a field of WxpayError: `new WxpayError` read the
// inherited getter while Rust built an error answer's error (an import without `catch`), the
// exception unwound through Rust frames, and the recovery listener threw on the same getter:
// the call and every call in flight never settled, and the instance was never replaced.
// The answers are Responses made before the getter is defined: Node's own fetch reads
// `status` of an inherited-looking object of its own and never settles under that getter.
const errorAnswer = () => new Response(JSON.stringify({ code: 'RESOURCE_NOT_EXISTS', message: 'no such thing', detail: { field: 'x', issue: 'y' } }),
  { status: 404, headers: { 'Content-Type': 'application/json', 'Request-ID': 'polluted-realm' } });
for (const key of ['detail', 'requestId', 'response', 'status', 'cause', 'code']) {
  test(`a throwing getter on Object.prototype.${key}: an error answer still rejects, a call in flight settles, no trap`, async () => {
    const recovered = [];
    const onRecover = Wxpay.onRecover;
    Wxpay.onRecover = (info) => recovered.push(info);
    const now = errorAnswer();
    const later = errorAnswer();
    let answerLater;
    const client = new Wxpay(options(h.sb, { retry: 0, fetch: async () => now }));
    const other = new Wxpay(options(h.sb, { retry: 0, fetch: () => new Promise((resolve) => { answerLater = () => resolve(later); }) }));
    let r;
    let inFlight;
    try {
      const pending = settle(() => other.v3.sandbox.echo.get(), 3000);
      Object.defineProperty(Object.prototype, key, { get() { throw new Error(`polluted ${key}`); }, configurable: true });
      try {
        r = await settle(() => client.v3.sandbox.echo.get(), 3000);
        answerLater?.();
        inFlight = await pending;
      } finally {
        delete Object.prototype[key];
      }
    } finally {
      client.free();
      other.free();
      Wxpay.onRecover = onRecover;
    }
    for (const [what, got] of [['the error answer', r], ['the call in flight', inFlight]]) {
      assert.ok('error' in got && got.error instanceof WxpayError && got.error.code === 'RESOURCE_NOT_EXISTS', `${what}: ${outcome(got)}`);
    }
    assert.deepEqual(recovered, [], 'no recovery');
    await h.check(`after Object.prototype.${key}`);
  });
}

// A throwing setter on Object.prototype for a key of an object Rust fills:
// payment parameters, a certificate list, a hook's info and a request's result (serde-wasm-bindgen
// and js-sys stores through glue imports without `catch`), a Response's init, a WxpayError's
// fields, node:crypto's and WebCrypto's options. An assignment ran the setter: its exception
// unwound through Rust frames (a trap: every call in flight failed, ERR_INTERNAL) or, through
// Reflect.set, left the property out (a request failed ERR_NETWORK or ERR_CRYPTO). Rust's
// objects get own data properties now, and no setter runs.
const SET_KEYS = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign', 'appid', 'partnerid', 'prepayid', 'noncestr', 'timestamp', 'sign',
  'serial', 'effective_time', 'expire_time', 'status', 'statusText', 'headers', 'data', 'method', 'url', 'attempt', 'requestId', 'detail', 'key', 'format',
  'type', 'padding', 'oaepHash', 'name', 'hash', 'content-type', 'attempts',
  // A descriptor that inherited these would be an accessor's: the definition would throw.
  'get', 'set'];
test('throwing setters on Object.prototype for the keys Rust fills: every call as without them, no trap', async () => {
  const { sb } = h;
  const recovered = [];
  const onRecover = Wxpay.onRecover;
  Wxpay.onRecover = (info) => recovered.push(info);
  // A signed answer of the sandbox, heard once: each polluted request is handed a copy made
  // before the setter is defined (Node's own Response sets `status` and `statusText` as it is
  // made, so one made under such a setter is broken before the package sees it).
  let recorded;
  await new Wxpay(options(sb, { fetch: async (...args) => { const r = await fetch(...args); recorded = r.clone(); return r; } })).v3.sandbox.echo.get();
  const next = {};
  const ready = () => Object.assign(next, {
    answer: recorded.clone(),
    error: new Response(JSON.stringify({ code: 'RESOURCE_NOT_EXISTS', message: 'no' }), { status: 404, headers: { 'Content-Type': 'application/json' } }),
  });
  const certificates = await new Wxpay(options(sb, { apiv3Key: sb.apiv3Key })).certificates();
  const clients = Object.fromEntries(['node', 'webcrypto', 'rust'].map((crypto) => [crypto, new Wxpay(options(sb, { crypto, retry: 0, onRequest() {}, onResponse() {}, fetch: async () => next.answer }))]));
  const failing = new Wxpay(options(sb, { retry: 0, fetch: async () => next.error }));
  const certClient = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key }));
  // Node's own Response cannot be made under a setter for these (new Response and Headers assign
  // them): success() and failure(), which make one, are left out under them. Nor can a fetched
  // one be read under `status` or `statusText` (undici answers its filtered response's fields by
  // `key in state`, which an accessor on Object.prototype satisfies: undefined): a request's
  // result is left out under those two.
  // Nor under Object.prototype's `get` or `set` (its Response defines properties with
  // descriptors that would inherit them: "Invalid property descriptor").
  const RUNTIME = new Set(['status', 'statusText', 'headers', 'content-type', 'get', 'set']);
  const FETCHED = new Set(['status', 'statusText']);
  const calls = {
    jsapiParams: async () => { const p = await clients.node.jsapiParams({ appId: 'wx1', prepay_id: 'p' }); return Object.hasOwn(p, 'paySign') && Object.hasOwn(p, 'timeStamp'); },
    appParams: async () => { const p = await clients.node.appParams({ appid: 'wx1', prepay_id: 'p' }); return Object.hasOwn(p, 'sign') && Object.hasOwn(p, 'partnerid'); },
    certificates: async () => { const list = await certClient.certificates(); return list.length === certificates.length && Object.hasOwn(list[0], 'serial') && Object.hasOwn(list[0], 'expire_time'); },
    success: async (key) => RUNTIME.has(key) || certClient.notifications.success().status === 204,
    failure: async (key) => RUNTIME.has(key) || (() => { const r = certClient.notifications.failure('x', 503); return r.status === 503 && r.headers.get('content-type') === 'application/json'; })(),
    error: async () => { try { await failing.v3.sandbox.echo.get(); return false; } catch (e) { return e instanceof WxpayError && e.code === 'RESOURCE_NOT_EXISTS' && Object.hasOwn(e, 'status') && e.status === 404; } },
    ...Object.fromEntries(Object.entries(clients).map(([crypto, c]) => [`request (${crypto})`, async (key) => {
      if (FETCHED.has(key)) return true;
      const r = await c.v3.sandbox.echo.get();
      return r.status === 200 && Object.hasOwn(r, 'status') && Object.hasOwn(r, 'data') && Object.hasOwn(r, 'headers') && r.data.method === 'GET';
    }])),
    encrypt: async () => typeof (await clients.webcrypto.encrypt('张三')) === 'string' && typeof (await clients.node.encrypt('张三')) === 'string',
  };
  const wrong = [];
  try {
    for (const key of SET_KEYS) {
      for (const [name, call] of Object.entries(calls)) {
        ready();
        Object.defineProperty(Object.prototype, key, { set() { throw new Error(`polluted ${key}`); }, configurable: true });
        let r;
        try {
          r = await settle(() => call(key), 3000);
        } finally {
          delete Object.prototype[key];
        }
        if (!('value' in r) || r.value !== true) wrong.push(`${name} under a setter for ${key}: ${outcome(r)}`);
      }
    }
  } finally {
    Wxpay.onRecover = onRecover;
  }
  // `get` and `set` as plain functions on Object.prototype (a polyfill's, say): the same.
  try {
    Wxpay.onRecover = (info) => recovered.push(info);
    for (const key of ['get', 'set']) {
      for (const [name, call] of Object.entries(calls)) {
        ready();
        Object.defineProperty(Object.prototype, key, { value() {}, writable: true, configurable: true });
        let r;
        try {
          r = await settle(() => call(key), 3000);
        } finally {
          delete Object.prototype[key];
        }
        if (!('value' in r) || r.value !== true) wrong.push(`${name} under Object.prototype.${key} a function: ${outcome(r)}`);
      }
    }
  } finally {
    Wxpay.onRecover = onRecover;
  }
  assert.deepEqual(wrong, []);
  assert.deepEqual(recovered, [], 'no recovery');
  await h.check('after the setters');
});

// A runtime whose crypto.getRandomValues throws (a broken polyfill, a host that forbids it). Every
// random byte the package uses comes from it: a request's nonce (drawn 1,024 bytes at a time, 40
// or more a nonce), and with `crypto: 'rust'` the OAEP seed and the RSA blinding; payscoreParams'
// nonce_str too. Each call that needs some rejects ERR_CRYPTO saying why (getrandom's own
// message is not shipped), nothing is sent, nothing traps; once it works again, so does all.
test('a crypto.getRandomValues that throws: what needs random bytes rejects ERR_CRYPTO saying why, nothing is sent, no trap; then all works', async () => {
  const own = Object.getOwnPropertyDescriptor(globalThis.crypto, 'getRandomValues');
  const node = new Wxpay(options(h.sb, { retry: 0 }));
  const rust = new Wxpay(options(h.sb, { retry: 0, crypto: 'rust' }));
  const get = (client) => memberCode(client).get({ card_id: CARD_ID, code: CODE });
  const failed = thrown('getRandomValues');
  const requests = [];
  let sent, encrypted, signed, payscore;
  globalThis.crypto.getRandomValues = () => { throw failed; };
  try {
    const before = h.sb.requests.length;
    for (let i = 0; i < 40; i++) requests.push(await settle(() => get(node)));
    sent = h.sb.requests.length - before;
    encrypted = await settle(() => rust.encrypt('张三'));
    signed = await settle(() => rust.sign('message'));
    payscore = await settle(() => payscoreParams({ mchid: '1900000109', apiv2Key: 'a'.repeat(32), package: 'p' }));
  } finally {
    if (own) Object.defineProperty(globalThis.crypto, 'getRandomValues', own);
    else delete globalThis.crypto.getRandomValues;
  }
  try {
    const dry = requests.findIndex((r) => !('value' in r));
    assert.ok(dry >= 0 && dry <= 25, `the bytes drawn before last at most 25 nonces (the first failure: #${dry + 1})`);
    assert.equal(sent, dry, 'the requests before it were sent, none from it on');
    for (const r of requests.slice(0, dry)) assert.equal(r.value?.status, 200, outcome(r));
    const says = /^no secure random source: crypto\.getRandomValues failed$/;
    for (const [what, r] of [...requests.slice(dry).map((r, i) => [`request #${dry + i + 1}`, r]), ['encrypt', encrypted], ['sign', signed]]) {
      assert.equal(rejects('ERR_CRYPTO', undefined, says)(r), null, what);
    }
    assert.equal(rejects('ERR_CRYPTO', failed, /^payscoreParams: no secure random source for nonce_str/)(payscore), null, 'payscoreParams');
    assert.equal((await get(node)).status, 200);
    assert.equal((await get(rust)).status, 200);
    assert.match(await rust.encrypt('张三'), /^[A-Za-z0-9+/]{342}==$/);
    assert.equal((await payscoreParams({ mchid: '1900000109', apiv2Key: 'a'.repeat(32), package: 'p' })).extraData.nonce_str.length, 32);
  } finally {
    node.free();
    rust.free();
  }
  await h.check('after crypto.getRandomValues threw');
});

// A runtime with no `crypto` global at all, from the start (the random source is looked up once,
// on first use, so this runs in a process of its own): a request rejects ERR_CRYPTO saying so.
test('a runtime without crypto.getRandomValues: a request rejects ERR_CRYPTO saying so, nothing is sent', () => {
  const script = `
    import { startSandbox } from './tests/sandbox/server.mjs';
    import { options, memberCode, CARD_ID, CODE } from './tests/node/helpers.mjs';
    const sb = await startSandbox();
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    const { Wxpay } = await import('wxpay-wasm');
    const out = {};
    try {
      await memberCode(new Wxpay(options(sb))).get({ card_id: CARD_ID, code: CODE });
    } catch (e) {
      Object.assign(out, { code: e.code, message: e.message });
    }
    out.sent = sb.requests.length;
    await sb.close();
    console.log(JSON.stringify(out));`;
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const cwd = new URL('../../', import.meta.url);
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), { code: 'ERR_CRYPTO', message: 'no secure random source: the runtime has no crypto.getRandomValues', sent: 0 });
});
