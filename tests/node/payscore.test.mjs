// 微信支付分's front-end parameters and the APIv2 rule that signs them (payscore.js), judged by
// node:crypto: APIv2's own example of the rule, both kinds of parameters, the WebCrypto path, and
// input that is refused without quoting the key or a value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { payscoreParams, signV2, WxpayError } from 'wxpay-wasm';

// APIv2's example of its rule (its documentation and public SDKs give this value for it).
const EXAMPLE = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
const EXAMPLE_KEY = '192006250b4c09247ec02edce69f6a2d';
const EXAMPLE_SIGN = '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6';
const KEY = 'Kq3vT8xZ1mN5bR7cW2yH4jL6pD9sF0gA';

/** The judge: the rule written out here, the HMAC node:crypto's. */
function judge(fields, key) {
  const text = Object.keys(fields).filter((k) => k !== 'sign' && fields[k] !== '' && fields[k] != null).sort()
    .map((k) => `${k}=${fields[k]}`).join('&');
  return crypto.createHmac('sha256', key).update(`${text}&key=${key}`).digest('hex').toUpperCase();
}

const rejects = async (p, code = 'ERR_INVALID_PARAM') => {
  const err = await p.then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof WxpayError, String(err));
  assert.equal(err.code, code, err.message);
  return err;
};

test('signV2: APIv2\'s own example, and any order of the fields, signs to the documented value', async () => {
  assert.equal(await signV2(EXAMPLE, EXAMPLE_KEY), EXAMPLE_SIGN);
  const reversed = Object.fromEntries(Object.entries(EXAMPLE).reverse());
  assert.equal(await signV2(reversed, EXAMPLE_KEY), EXAMPLE_SIGN);
  // Empty values and `sign` are left out, as the rule says; a safe integer is its decimal text.
  assert.equal(await signV2({ ...EXAMPLE, sign: 'X', attach: '', detail: null, goods: undefined }, EXAMPLE_KEY), EXAMPLE_SIGN);
  assert.equal(await signV2({ ...EXAMPLE, mch_id: 10000100 }, EXAMPLE_KEY), EXAMPLE_SIGN);
  // Values go as they are (no URL encoding), in UTF-8.
  const odd = { a: 'x=1&y=2', b: '中文 é', c: 'Z' };
  assert.equal(await signV2(odd, KEY), judge(odd, KEY));
  // Names sort by their ASCII: upper case before lower, '_' between.
  const mixed = { b: '1', B: '2', a_b: '3', ab: '4', A: '5' };
  assert.equal(await signV2(mixed, KEY), judge(mixed, KEY));
  assert.notEqual(await signV2(mixed, KEY), await signV2({ ...mixed, b: '9' }, KEY));
});

test('payscoreParams: an order to confirm (wxpayScoreUse) and an order\'s details (wxpayScoreDetail), signed by the APIv2 rule', async () => {
  const use = await payscoreParams({ mchid: '1900000109', apiv2Key: KEY, package: 'AAEAAAAA+/=AAAA' });
  assert.equal(use.businessType, 'wxpayScoreUse');
  assert.deepEqual(Object.keys(use.extraData), ['mch_id', 'package', 'timestamp', 'nonce_str', 'sign_type', 'sign']);
  assert.deepEqual([use.extraData.mch_id, use.extraData.package, use.extraData.sign_type], ['1900000109', 'AAEAAAAA+/=AAAA', 'HMAC-SHA256']);
  assert.match(use.extraData.nonce_str, /^[0-9A-Za-z]{32}$/);
  assert.match(use.extraData.timestamp, /^\d{10}$/);
  assert.ok(Math.abs(Number(use.extraData.timestamp) - Date.now() / 1000) <= 1);
  assert.equal(use.extraData.sign, judge(use.extraData, KEY));

  // An order number with | and *: sent and signed as it is (the mini program's extraData is no URL).
  const detail = await payscoreParams({ mchid: '1900000109', apiv2Key: KEY, service_id: '500001', out_order_no: '1234323JKH|DFE*12-43_252', package: null });
  assert.equal(detail.businessType, 'wxpayScoreDetail');
  assert.deepEqual(Object.keys(detail.extraData), ['mch_id', 'service_id', 'out_order_no', 'timestamp', 'nonce_str', 'sign_type', 'sign']);
  assert.deepEqual([detail.extraData.mch_id, detail.extraData.service_id, detail.extraData.out_order_no], ['1900000109', '500001', '1234323JKH|DFE*12-43_252']);
  assert.equal(detail.extraData.sign, judge(detail.extraData, KEY));
  assert.notEqual(detail.extraData.sign, judge(detail.extraData, EXAMPLE_KEY), 'under the key given');

  // The web page's and the app's form: the same fields, each value URL-encoded, in extraData's order.
  assert.equal(use.queryString, Object.keys(use.extraData).map((k) => `${k}=${encodeURIComponent(use.extraData[k])}`).join('&'));
  assert.match(use.queryString, /^mch_id=1900000109&package=AAEAAAAA%2B%2F%3DAAAA&timestamp=\d{10}&nonce_str=[0-9A-Za-z]{32}&sign_type=HMAC-SHA256&sign=[0-9A-F]{64}$/);
  assert.deepEqual(Object.fromEntries(new URLSearchParams(detail.queryString)), detail.extraData);
  assert.match(detail.queryString, /&out_order_no=1234323JKH%7CDFE\*12-43_252&/);

  // A fresh nonce each time, its characters all used.
  const nonces = await Promise.all(Array.from({ length: 200 }, () => payscoreParams({ mchid: '1', apiv2Key: KEY, package: 'p' }).then((p) => p.extraData.nonce_str)));
  assert.equal(new Set(nonces).size, 200);
  assert.equal(new Set(nonces.join('')).size, 62);
});

test('the nonce: 32 characters from crypto.getRandomValues, a byte b giving the (b mod 62)th of 0-9 A-Z a-z, bytes from 248 up dropped (no character likelier than another)', async () => {
  const own = Object.getOwnPropertyDescriptor(globalThis.crypto, 'getRandomValues');
  const seen = [];
  // Bytes 0, 1, ..., 255, 0, 1, ...: 248-255 must be skipped, 62 -> '0' again.
  let next = 0;
  globalThis.crypto.getRandomValues = (array) => { seen.push(array.length); for (let i = 0; i < array.length; i++) array[i] = next++ % 256; return array; };
  try {
    const { extraData } = await payscoreParams({ mchid: '1', apiv2Key: KEY, package: 'p' });
    const CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    assert.equal(extraData.nonce_str, Array.from({ length: 32 }, (_, i) => CHARS[i % 62]).join(''));
    // Where the bytes run out at 248, the next draw starts: 248..255 never reach a character.
    next = 240;
    const again = await payscoreParams({ mchid: '1', apiv2Key: KEY, package: 'p' });
    const bytes = [240, 241, 242, 243, 244, 245, 246, 247, ...Array.from({ length: 24 }, (_, i) => i)];
    assert.equal(again.extraData.nonce_str, bytes.map((b) => CHARS[b % 62]).join(''));
    assert.ok(seen.length >= 2);
  } finally {
    if (own) Object.defineProperty(globalThis.crypto, 'getRandomValues', own);
    else delete globalThis.crypto.getRandomValues; // the prototype's again
  }
});

test('node:crypto makes the HMAC where the runtime has it', async () => {
  const real = process.getBuiltinModule;
  const asked = [];
  process.getBuiltinModule = (id) => { asked.push(id); return real.call(process, id); };
  try {
    assert.equal(await signV2(EXAMPLE, EXAMPLE_KEY), EXAMPLE_SIGN);
  } finally {
    process.getBuiltinModule = real;
  }
  assert.deepEqual(asked, ['node:crypto']);
});

test('refused: a key that is not 32 printable ASCII characters, fields that are not names and strings or safe integers, the wrong inputs; never quoting the key or a value', async () => {
  const SECRET = 'ThisIsTheSecretKeyOf31Character';
  assert.equal(SECRET.length, 31);
  const LEAK = /ThisIsTheSecret|Kq3vT8|MARKER|1\.5|true|\ud800/;
  for (const key of [SECRET, `${KEY}x`, '', `${KEY.slice(1)} `, 'é'.repeat(32), undefined, 32]) {
    const err = await rejects(signV2(EXAMPLE, key));
    assert.doesNotMatch(err.message, LEAK);
  }
  const leaks = await rejects(payscoreParams({ mchid: '1', apiv2Key: SECRET, package: 'p' }));
  assert.doesNotMatch(leaks.message, LEAK);
  assert.match(leaks.message, /apiv2Key must be the merchant's APIv2 key \(API密钥\), 32 characters, got 31$/);
  // The length and a character out of place are told apart.
  for (const [key, message] of [
    [`${KEY}\n`, /32 characters, got 33$/],
    [`${KEY.slice(1)} `, /apiv2Key has a character that is not printable ASCII \(a space, a line break, a control or non-ASCII character\): the APIv2 key \(API密钥\) is 32 printable ASCII characters$/],
    ['é'.repeat(32), /apiv2Key has a character that is not printable ASCII/],
  ]) {
    const err = await rejects(payscoreParams({ mchid: '1', apiv2Key: key, package: 'p' }));
    assert.match(err.message, message);
    assert.doesNotMatch(err.message, /got \d+ characters that are not/);
  }
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  for (const fields of [
    null, 'a=1', [['a', '1']], {}, { sign: 'MARKER', a: '' }, { 'a-b': 'MARKER' }, { '': 'MARKER' }, { ['n'.repeat(65)]: 'MARKER' },
    { a: 1.5 }, { a: 2 ** 53 }, { a: true }, { a: { MARKER: 1 } }, { a: 'MARKER\ud800' }, { a: `MARKER${'x'.repeat(1 << 20)}` }, revoked.proxy,
  ]) {
    const err = await rejects(signV2(fields, KEY));
    assert.doesNotMatch(err.message, LEAK);
  }
  // The longest text signed: 1 MiB of name=value& in all, and not one character more.
  assert.match(await signV2({ a: 'x'.repeat((1 << 20) - 3) }, KEY), /^[0-9A-F]{64}$/);
  await rejects(signV2({ a: 'x'.repeat((1 << 20) - 2) }, KEY));
  // A getter that throws is its cause; the next call works.
  const boom = new Error('boom');
  const err = await rejects(signV2({ get a() { throw boom; } }, KEY));
  assert.equal(err.cause, boom);
  const thrown = await rejects(payscoreParams({ mchid: '1', get apiv2Key() { throw boom; }, package: 'p' }));
  assert.equal(thrown.cause, boom);
  for (const input of [
    null, 'x', { apiv2Key: KEY, package: 'p' }, { mchid: '1', apiv2Key: KEY }, { mchid: '1', apiv2Key: KEY, service_id: 's' },
    { mchid: '1', apiv2Key: KEY, package: '' }, { mchid: '1', apiv2Key: KEY, package: 'MARKER', service_id: 's' }, { mchid: 1, apiv2Key: KEY, package: 'p' },
    // Shapes: signed as they are, an & would read as another field.
    { mchid: '19000001O9', apiv2Key: KEY, package: 'p' }, { mchid: '1', apiv2Key: KEY, package: 'MARKER&mch_id=2' },
    { mchid: '1', apiv2Key: KEY, service_id: '5', out_order_no: 'MARKER&x=1' }, { mchid: '1', apiv2Key: KEY, service_id: 'MARKER&x=1', out_order_no: 'o' },
    { mchid: '1', apiv2Key: KEY, service_id: '5', out_order_no: 'o'.repeat(33) }, { mchid: '1', apiv2Key: KEY, package: `MARKER${'p'.repeat(1019)}` },
  ]) {
    const e = await rejects(payscoreParams(input));
    assert.doesNotMatch(e.message, LEAK);
  }
  // A key it does not take is refused by name (a short one; a long one by its length), nothing signed:
  // APIv2's `mch_id`, a camelCase `serviceId`, a `timestamp` meant to be set.
  for (const [key, shown] of [['mch_id', '`mch_id`'], ['serviceId', '`serviceId`'], ['timestamp', '`timestamp`'], [`${SECRET}MARKER`, '(37 characters, not shown)']]) {
    const e = await rejects(payscoreParams({ mchid: '1', apiv2Key: KEY, package: 'p', [key]: 'MARKER' }));
    assert.equal(e.code, 'ERR_INVALID_PARAM');
    assert.equal(e.message, `payscoreParams(input): unknown key ${shown}: expected apiv2Key, mchid, package, service_id, out_order_no`);
  }
  // Neither package nor service_id and out_order_no: most likely the package of an order made with
  // need_user_confirm false, which has none; said so, not as a missing service_id.
  for (const input of [{ mchid: '1', apiv2Key: KEY, package: undefined }, { mchid: '1', apiv2Key: KEY, package: null }, { mchid: '1', apiv2Key: KEY }]) {
    const e = await rejects(payscoreParams(input));
    assert.equal(e.code, 'ERR_INVALID_PARAM');
    assert.equal(e.message, "payscoreParams(input): give package (the service order's, to confirm; an order made with need_user_confirm false has none, and nothing to confirm) or service_id and out_order_no (its details)");
  }
  // One of service_id and out_order_no: the other is named.
  assert.match((await rejects(payscoreParams({ mchid: '1', apiv2Key: KEY, service_id: '5' }))).message, /out_order_no/);
  assert.match((await rejects(payscoreParams({ mchid: '1', apiv2Key: KEY, out_order_no: 'o' }))).message, /service_id/);
  // Its keys enumerated by a Proxy that throws: that is the cause.
  const enumerated = await rejects(payscoreParams(new Proxy({ mchid: '1', apiv2Key: KEY, package: 'p' }, { ownKeys() { throw boom; } })));
  assert.equal(enumerated.code, 'ERR_INVALID_PARAM');
  assert.equal(enumerated.cause, boom);
  // A package as long as the service's pages allow (theirs is 237 characters long).
  assert.equal((await payscoreParams({ mchid: '1', apiv2Key: KEY, package: 'p'.repeat(1024) })).extraData.package.length, 1024);
  // Each of input's fields is read once.
  const counted = (input) => {
    const reads = {};
    const proxy = new Proxy(input, { get(t, k) { reads[k] = (reads[k] ?? 0) + 1; return t[k]; } });
    return { proxy, reads };
  };
  for (const input of [{ mchid: '1', apiv2Key: KEY, package: 'p' }, { mchid: '1', apiv2Key: KEY, service_id: '5', out_order_no: 'o' }]) {
    const { proxy, reads } = counted(input);
    await payscoreParams(proxy);
    assert.deepEqual(reads, { apiv2Key: 1, mchid: 1, package: 1, service_id: 1, out_order_no: 1 });
  }
  assert.equal(await signV2(EXAMPLE, EXAMPLE_KEY), EXAMPLE_SIGN);
});

test('without node:crypto (a Node without process.getBuiltinModule), WebCrypto makes the same HMAC; with neither, or a WebCrypto that fails, ERR_CRYPTO; and require() gives the same functions', async () => {
  const run = async (prelude) => {
    const script = `
      delete process.getBuiltinModule;
      ${prelude}
      const { signV2, payscoreParams } = await import('wxpay-wasm');
      const out = {};
      try {
        const p = await payscoreParams({ mchid: '1900000109', apiv2Key: '${KEY}', package: 'p' });
        out.v2 = await signV2(${JSON.stringify(EXAMPLE)}, '${EXAMPLE_KEY}');
        out.extraData = p.extraData;
      } catch (e) { out.code = e.code; out.cause = e.cause?.message; }
      console.log(JSON.stringify(out));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    return JSON.parse(stdout);
  };
  const { v2, extraData } = await run('');
  assert.equal(v2, EXAMPLE_SIGN);
  assert.equal(extraData.sign, judge(extraData, KEY));
  assert.deepEqual(await run("crypto.subtle.importKey = async () => { throw new Error('no HMAC here'); };"), { code: 'ERR_CRYPTO', cause: 'no HMAC here' });
  assert.deepEqual(await run("Object.defineProperty(globalThis, 'crypto', { value: { getRandomValues: (a) => a }, configurable: true });"), { code: 'ERR_CRYPTO' });
  const cjs = createRequire(import.meta.url)('wxpay-wasm');
  assert.equal(await cjs.signV2(EXAMPLE, EXAMPLE_KEY), EXAMPLE_SIGN);
  assert.equal(typeof cjs.payscoreParams, 'function');
});
