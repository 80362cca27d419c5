// Platform certificates that download and renew themselves (issue 14), against the sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Wxpay } from 'wxpay-wasm';
import { useSandbox, options, memberCode, rejectsWith, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();

/** Options with nothing but the APIv3 key to trust answers by. */
function bootstrap(sb, extra = {}) {
  const { certs: _, ...rest } = options(sb, { apiv3Key: sb.apiv3Key, ...extra });
  return rest;
}
const get = (wxpay) => memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
const downloads = (sb) => sb.requests.filter((r) => r.url === '/v3/certificates').length;

test('from nothing but the APIv3 key: the first request downloads, verifies and uses the certificates', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  assert.equal(wxpay.wechatpaySerial, undefined, 'no certificate known before the download');
  const res = await get(wxpay);
  assert.equal(res.status, 200);
  assert.equal(downloads(sb), 1);
  assert.ok(sb.requests.every((r) => r.verified));
  assert.equal(wxpay.wechatpaySerial, sb.platform.serial);
  const list = await wxpay.certificates();
  assert.equal(list.length, 1);
  assert.equal(list[0].serial, sb.platform.serial);
  assert.equal(list[0].pem, sb.platform.certificate);
  const x = new crypto.X509Certificate(list[0].pem);
  assert.equal(new Date(list[0].expire_time).getTime(), new Date(x.validTo).getTime());
  assert.equal(new Date(list[0].effective_time).getTime(), new Date(x.validFrom).getTime());
  await get(wxpay);
  assert.equal(downloads(sb), 1, 'known certificates are not downloaded again');
  // encrypt() uses the downloaded certificate
  const cipher = await wxpay.encrypt('张三');
  const plain = crypto.privateDecrypt({ key: sb.platform.privateKeyPkcs8, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(cipher, 'base64'));
  assert.equal(plain.toString('utf8'), '张三');
});

test('concurrent first requests share one download', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  const results = await Promise.all(Array.from({ length: 10 }, () => get(wxpay)));
  assert.ok(results.every((r) => r.status === 200));
  assert.equal(downloads(sb), 1);
});

test('rotation mid-run: an answer under a new serial triggers one refresh, then verifies', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb, { certsRefreshInterval: 0 }));
  await get(wxpay);
  const old = sb.platform.serial;
  const fresh = sb.rotate();
  const res = await get(wxpay);
  assert.equal(res.headers['wechatpay-serial'], fresh.serial);
  assert.equal(downloads(sb), 2);
  const serials = (await wxpay.certificates()).map((c) => c.serial).sort();
  assert.deepEqual(serials, [old, fresh.serial].sort());
  assert.equal(wxpay.wechatpaySerial, fresh.serial, 'the newest certificate is sent as Wechatpay-Serial');
});

test('refreshes are limited by certsRefreshInterval: an unknown serial within it is rejected without a download', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  await get(wxpay);
  sb.rotate();
  await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL');
  assert.equal(downloads(sb), 1);
});

test('an answer signed by an unknown serial still fails after a refresh', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb, { certsRefreshInterval: 0 }));
  await get(wxpay);
  sb.misbehave('unknown-serial');
  await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL');
  assert.equal(downloads(sb), 2);
});

test('an expired certificate is not used, even to bootstrap', async () => {
  const { sb } = ctx;
  sb.rotate({ expired: true });
  const wxpay = new Wxpay(bootstrap(sb));
  await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL');
  assert.equal(downloads(sb), 1);
});

test('a forged certificate list is rejected and nothing is trusted from it', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  sb.misbehave('forged');
  await rejectsWith(wxpay.certificates(), 'ERR_RESPONSE_SIGNATURE');
  // the next attempt (after the failure back-off) downloads again and succeeds
  const again = new Wxpay(bootstrap(sb));
  assert.equal((await again.certificates()).length, 1);
});

test('a list encrypted under another APIv3 key is refused', async () => {
  const { sb } = ctx;
  const wrong = 'A'.repeat(32);
  const wxpay = new Wxpay(bootstrap(sb, { apiv3Key: wrong }));
  await rejectsWith(get(wxpay), 'ERR_RESPONSE_BODY');
});

test('configured certs keep working exactly as before beside downloads', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key }));
  await get(wxpay);
  assert.equal(downloads(sb), 0, 'a known serial needs no download');
  sb.answerKey = 'pubkey';
  const pub = new Wxpay(options(sb, { certs: { [sb.pubkey.id]: sb.pubkey.publicKeySpki }, apiv3Key: sb.apiv3Key }));
  assert.equal((await get(pub)).status, 200);
  assert.equal(downloads(sb), 0);
});

test('notifications under an unknown serial trigger the download too', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'N1' } });
  const parsed = await wxpay.notifications.parse({ headers: n.headers, body: n.body });
  assert.equal(parsed.resource.out_trade_no, 'N1');
  assert.equal(downloads(sb), 1);
});

test('without certs or apiv3Key the options are refused', () => {
  const { sb } = ctx;
  const { certs: _, ...rest } = options(sb);
  assert.throws(() => new Wxpay(rest), { code: 'ERR_INVALID_CONFIG', message: /options.certs is required/ });
});
