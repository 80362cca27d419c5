// Platform certificates that download and renew themselves (issue 14), against the sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Wxpay, uploadForm } from 'wxpay-wasm';
import { useSandbox, options, memberCode, rejectsWith, within, signedResponse, CARD_ID, CODE } from './helpers.mjs';
import { randomRsaKeyPair, randomSerial } from '../sandbox/keys.mjs';
import { startSandbox } from '../sandbox/index.mjs';
import { selfSignedCertificate } from '../sandbox/x509.mjs';
import { encryptResource } from '../sandbox/notify.mjs';

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
  // Downloaded before the request went out, which then names the key to answer with.
  assert.deepEqual(sb.requests.map((r) => [r.url.split('/')[2], r.headers['wechatpay-serial']]), [['certificates', undefined], ['marketing', sb.platform.serial]]);
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

test('verify() with nothing but the APIv3 key: a downloaded certificate\'s serial verifies (downloaded first); one none has is ERR_INVALID_PARAM', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  const message = '1554208460\nnonce\n{"a":1}\n';
  const signature = crypto.sign('sha256', Buffer.from(message), sb.platform.privateKeyPkcs8).toString('base64');
  assert.equal(await wxpay.verify(message, signature, sb.platform.serial), true);
  assert.equal(await wxpay.verify(`${message} `, signature, sb.platform.serial), false);
  assert.equal(sb.requests.filter((r) => r.url === '/v3/certificates').length, 1);
  const e = await rejectsWith(wxpay.verify(message, signature, 'ABCDEF'), 'ERR_INVALID_PARAM');
  assert.equal(e.message, 'verify(message, signature, serial): serial names none of the known platform keys');
});

test('concurrent first requests share one download', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  const results = await Promise.all(Array.from({ length: 10 }, () => get(wxpay)));
  assert.ok(results.every((r) => r.status === 200));
  assert.equal(downloads(sb), 1);
  assert.equal(sb.requests[0].url, '/v3/certificates', 'every request waited for it');
  assert.ok(sb.requests.slice(1).every((r) => r.headers['wechatpay-serial'] === sb.platform.serial));
});

test('with nothing in effect, uploads and statements wait for the download too; files and the unsigned downloads do not', async () => {
  const { sb } = ctx;
  const urls = () => sb.requests.map((r) => r.url.split('?')[0]);
  const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  await new Wxpay(bootstrap(sb)).v3.merchant.media.upload.post(uploadForm(JPEG, 'a.jpg'));
  assert.deepEqual(urls(), ['/v3/certificates', '/v3/merchant/media/upload']);
  sb.reset();
  await new Wxpay(bootstrap(sb)).v3.statements.get({ params: { date: '20240102' } });
  assert.deepEqual(urls(), ['/v3/certificates', '/v3/statements']);
  // A bill's file (its data from a client that knows the keys) is never verified: no download.
  const { data } = await new Wxpay(options(sb)).v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02' } });
  sb.reset();
  const fresh = new Wxpay(bootstrap(sb));
  await within(fresh.download(data));
  await within(fresh.download(data, { stream: true }).then(async (stream) => { for await (const _ of stream); }));
  await fresh.v3['transferdownload/signfile'].get({ params: { token: 't' } });
  assert.deepEqual(urls(), ['/v3/billdownload/file', '/v3/billdownload/file', '/v3/transferdownload/signfile']);
});

test('an onRequest hook that calls certificates() shares the download under way', async () => {
  const { sb } = ctx;
  let hooks = 0;
  const nested = [];
  const wxpay = new Wxpay(bootstrap(sb, { onRequest: () => { hooks++; nested.push(wxpay.certificates()); } }));
  assert.equal((await wxpay.certificates()).length, 1);
  assert.equal((await Promise.all(nested)).every((list) => list.length === 1), true);
  assert.equal(hooks, 1, 'one attempt, one hook call');
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

test("an answer is read once: a fetch that rewrites the buffer it gave, while the answer's key downloads, changes no result", async () => {
  const { sb } = ctx;
  let given;
  let rewritten = 0;
  let armed = false;
  // A caller's fetch: the business answer's bytes come from a buffer it keeps, which it rewrites
  // as soon as the certificate download starts (after the answer was handed over, before the
  // answer is verified) into other valid JSON of the same length: `{}` and spaces. Armed once the
  // client knows a certificate and the sandbox has rotated, so that the answer's serial is the
  // one that brings the download.
  const fetch = async (url, init) => {
    const res = await globalThis.fetch(url, init);
    if (!armed) return res;
    if (new URL(url).pathname === '/v3/certificates') {
      if (given !== undefined) {
        const bytes = new Uint8Array(given);
        bytes.fill(0x20);
        bytes.set([0x7b, 0x7d]);
        rewritten++;
      }
      return res;
    }
    const buffer = await res.arrayBuffer();
    given = buffer;
    return { status: res.status, statusText: res.statusText, headers: res.headers, body: null, arrayBuffer: async () => buffer };
  };
  const expected = (await get(new Wxpay(options(sb)))).data;
  const wxpay = new Wxpay(bootstrap(sb, { fetch, certsRefreshInterval: 0 }));
  await get(wxpay);
  sb.rotate();
  armed = true;
  const res = await get(wxpay);
  assert.equal(rewritten, 1, "the answer's buffer was rewritten during the download it needed");
  assert.equal(downloads(sb), 2);
  assert.deepEqual(res.data, expected, 'the data is what was verified, not what the buffer holds now');
  assert.deepEqual(JSON.parse(Buffer.from(given).toString()), {}, 'the buffer itself was changed');
});

test('a request carrying a field encrypted before a rotation names the certificate it was encrypted under', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb, { certsRefreshInterval: 0 }));
  const old = sb.platform;
  const oaep = (key) => ({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' });
  const opens = (key, ciphertext) => crypto.privateDecrypt(oaep(key), Buffer.from(ciphertext, 'base64')).toString('utf8');
  const name = await wxpay.encrypt('张三');
  assert.equal(opens(old.privateKeyPkcs8, name), '张三');
  const fresh = sb.rotate();
  await get(wxpay); // answered under the new serial: the refresh
  assert.equal(wxpay.wechatpaySerial, fresh.serial, 'the newest is the default now');
  const echo = (body, config) => wxpay.v3.sandbox.echo.post(body, config).then(({ data }) => data.headers['wechatpay-serial']);
  assert.equal(await echo({ name, relation_type: 'USER' }), old.serial, 'the certificate the field was encrypted under');
  // Which the service (the sandbox as it) decrypts under, the older certificate still listed.
  const added = await wxpay.v3.profitsharing.receivers.add.post({ appid: 'wx8888888888888888', type: 'PERSONAL_OPENID', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', name, relation_type: 'USER' });
  assert.equal(added.status, 200);
  assert.equal(opens(sb.merchant.privateKeyPkcs8, added.data.name), '张三', 'decrypted under the old certificate, answered under the merchant key');
  assert.equal(await echo({ relation_type: 'USER' }), fresh.serial, 'a body without it: the default');
  const again = await wxpay.encrypt('李四');
  assert.equal(opens(fresh.privateKeyPkcs8, again), '李四');
  assert.equal(await echo({ name: again }), fresh.serial);
  assert.equal(await echo({ name }, { headers: { 'Wechatpay-Serial': fresh.serial } }), fresh.serial, "the caller's own header still decides");
  // Fields under both in one body cannot all be decrypted: refused, nothing sent.
  const sent = sb.requests.length;
  const err = await rejectsWith(wxpay.v3.sandbox.echo.post({ name, again }), 'ERR_INVALID_PARAM');
  assert.ok(err.message.includes(old.serial) && err.message.includes(fresh.serial), err.message);
  assert.equal(sb.requests.length, sent);
  assert.ok(sb.requests.every((r) => r.verified));
});

test('a transfer batch of hundreds of names encrypted before a rotation still names their certificate after hundreds more encrypts', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb, { certsRefreshInterval: 0 }));
  const old = sb.platform;
  const names = [];
  for (let i = 0; i < 300; i++) names.push(await wxpay.encrypt(`用户${i}`));
  const fresh = sb.rotate();
  await get(wxpay);
  assert.equal(wxpay.wechatpaySerial, fresh.serial);
  // More than the 256 an earlier bound remembered, under the new certificate.
  const others = [];
  for (let i = 0; i < 300; i++) others.push(await wxpay.encrypt(`其他${i}`));
  const echo = (body) => wxpay.v3.sandbox.echo.post(body).then(({ data }) => data.headers['wechatpay-serial']);
  const batch = { transfer_detail_list: names.map((user_name, i) => ({ out_detail_no: `d${i}`, user_name })) };
  assert.equal(await echo(batch), old.serial, 'the batch is sent under the certificate its names were encrypted under');
  assert.equal(await echo({ user_name: others[299] }), fresh.serial);
  batch.transfer_detail_list.push({ out_detail_no: 'late', user_name: others[0] });
  const sent = sb.requests.length;
  await rejectsWith(wxpay.v3.sandbox.echo.post(batch), 'ERR_INVALID_PARAM');
  assert.equal(sb.requests.length, sent, 'nothing sent');
});

test('refreshes are limited by certsRefreshInterval: an unknown serial within it is rejected without a download', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  await get(wxpay);
  const rotated = sb.rotate();
  const err = await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL');
  assert.equal(downloads(sb), 1);
  // The message names the serial and where to look: options.certs, and, for a client with
  // apiv3Key as this one, the option that spaces refreshes.
  assert.equal(err.message, `Wechatpay-Serial "${rotated.serial}" names none of the known platform keys (not in options.certs; with apiv3Key, see certsRefreshInterval)`);
});

test('an answer signed by an unknown serial still fails after a refresh', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb, { certsRefreshInterval: 0 }));
  await get(wxpay);
  sb.misbehave('unknown-serial');
  await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL');
  assert.equal(downloads(sb), 2);
});

test('a certificate listed ahead of its notBefore is not the one named or encrypted for', async () => {
  const { sb } = ctx;
  const upcoming = sb.rotate({ upcoming: true });
  const wxpay = new Wxpay(bootstrap(sb));
  const serials = (await wxpay.certificates()).map((c) => c.serial).sort();
  assert.deepEqual(serials, [sb.platform.serial, upcoming.serial].sort(), 'both are listed');
  assert.equal(wxpay.wechatpaySerial, sb.platform.serial, 'the one in effect, though the other is newer');
  const cipher = Buffer.from(await wxpay.encrypt('张三'), 'base64');
  const oaep = (key) => ({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' });
  assert.equal(crypto.privateDecrypt(oaep(sb.platform.privateKeyPkcs8), cipher).toString('utf8'), '张三');
  assert.throws(() => crypto.privateDecrypt(oaep(upcoming.privateKeyPkcs8), cipher));
  assert.equal((await get(wxpay)).status, 200);
  assert.equal(sb.requests.at(-1).headers['wechatpay-serial'], sb.platform.serial, 'sent as Wechatpay-Serial');
});

const oaep = (key) => ({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' });
/** Whether `ciphertext` (base64) decrypts to `text` under the private key `key`. */
const opens = (key, ciphertext, text) => {
  try { return crypto.privateDecrypt(oaep(key), Buffer.from(ciphertext, 'base64')).toString('utf8') === text; } catch { return false; }
};
/** A platform certificate that expired a year ago, which the sandbox no longer lists. */
const expired = () => {
  const [serial, pair] = [randomSerial(), randomRsaKeyPair()];
  const certificate = selfSignedCertificate({ serial, ...pair, notBefore: new Date(Date.now() - 6 * 365 * 86400e3), days: 5 * 365 });
  return { serial, certificate, privateKey: pair.privateKey };
};
const receiver = (name) => ({ appid: 'wx8888888888888888', type: 'PERSONAL_OPENID', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', name, relation_type: 'USER' });

// Audit 2026-12, flows 10: the configured certificate stayed Wechatpay-Serial (the download
// included, which the service then refused) and the key encrypt used, for good.
test('regression: a configured certificate past its notAfter gives way to the current one, downloaded; no request names the expired one', async () => {
  const { sb } = ctx;
  const old = expired();
  for (const pin of [{}, { wechatpaySerial: old.serial }]) {
    sb.reset();
    const wxpay = new Wxpay(options(sb, { certs: { [old.serial]: old.certificate }, apiv3Key: sb.apiv3Key, ...pin }));
    assert.equal(wxpay.wechatpaySerial, undefined, 'an expired certificate is not named, though nothing better is known yet');
    let name;
    if (pin.wechatpaySerial) {
      // encrypt downloads first: never for a key out of effect.
      name = await wxpay.encrypt('张三');
      assert.deepEqual(sb.requests.map((r) => r.url), ['/v3/certificates']);
    } else {
      // Nothing in effect: a request downloads first, then names what the download brought.
      assert.equal((await get(wxpay)).status, 200);
      assert.deepEqual(sb.requests.map((r) => [r.url.split('/')[2], r.headers['wechatpay-serial']]), [['certificates', undefined], ['marketing', sb.platform.serial]]);
      name = await wxpay.encrypt('张三');
    }
    assert.equal(sb.requests.find((r) => r.url === '/v3/certificates').headers['wechatpay-serial'], undefined, 'the download names no platform key');
    assert.equal(wxpay.wechatpaySerial, sb.platform.serial);
    assert.ok(opens(sb.platform.privateKeyPkcs8, name, '张三'), 'encrypted for the current certificate');
    const { data } = await wxpay.v3.profitsharing.receivers.add.post(receiver(name));
    assert.equal(await wxpay.decrypt(data.name), '张三');
    assert.equal((await get(wxpay)).status, 200);
    const after = sb.requests.slice(sb.requests.findIndex((r) => r.url === '/v3/certificates') + 1);
    assert.equal(after.length, pin.wechatpaySerial ? 2 : 3);
    assert.ok(after.every((r) => r.headers['wechatpay-serial'] === sb.platform.serial), 'then every request names the current one');
    assert.ok(sb.requests.every((r) => r.verified && r.status === 200));
    assert.equal(downloads(sb), 1);
  }
  // Without the APIv3 key there is nothing to download: the configured one, as before.
  const alone = new Wxpay(options(sb, { certs: { [old.serial]: old.certificate } }));
  assert.equal(alone.wechatpaySerial, old.serial);
  assert.ok(opens(old.privateKey, await alone.encrypt('张三'), '张三'));
  await rejectsWith(alone.v3.sandbox.echo.get(), 'PARAM_ERROR');
  assert.equal(sb.requests.at(-1).headers['wechatpay-serial'], old.serial, 'named still: the service refuses it, as it says');
  // Configured certificates are used as given (README, Errors): past its notAfter, one still
  // verifies what its key signed, as wechatpay-go's verifier does; a retired one is to be taken out.
  const message = 'a\nb\n';
  const signature = crypto.sign('sha256', Buffer.from(message), old.privateKey).toString('base64');
  assert.equal(await alone.verify(message, signature, old.serial), true);
});

// Audit 2026-12, flows 12: of configured certificates, the latest notBefore was chosen even
// before that date.
test('regression: a configured certificate not yet in effect is not named or encrypted for beside one in effect, pinned or not', async () => {
  const { sb } = ctx;
  const upcoming = sb.rotate({ upcoming: true });
  const certs = { [upcoming.serial]: upcoming.certificate, [sb.platform.serial]: sb.platform.certificate };
  for (const pin of [{}, { wechatpaySerial: upcoming.serial }]) {
    const wxpay = new Wxpay(options(sb, { certs, ...pin }));
    assert.equal(wxpay.wechatpaySerial, sb.platform.serial);
    const name = await wxpay.encrypt('张三');
    assert.ok(opens(sb.platform.privateKeyPkcs8, name, '张三') && !opens(upcoming.privateKeyPkcs8, name, '张三'));
    const { data } = await wxpay.v3.profitsharing.receivers.add.post(receiver(name));
    assert.equal(await wxpay.decrypt(data.name), '张三');
    assert.equal(sb.requests.at(-1).headers['wechatpay-serial'], sb.platform.serial);
  }
});

// Audit 2026-12, flows 13: the listed expire_time (WeChat Pay moves it ahead of notAfter to retire
// a certificate early) was ignored.
test('regression: a downloaded certificate past its listed expire_time is no longer used, though its notAfter is years away', async () => {
  const { sb } = ctx;
  const old = sb.platform;
  const fresh = sb.rotate();
  sb.retire(old.serial, new Date(Date.now() - 60e3));
  const wxpay = new Wxpay(bootstrap(sb));
  assert.deepEqual((await wxpay.certificates()).map((c) => c.serial), [fresh.serial]);
  // Retired later: in use until then, and listed with the time as the service wrote it.
  const tomorrow = new Date(Math.ceil(Date.now() / 1000) * 1000 + 86400e3);
  sb.retire(old.serial, tomorrow);
  const listed = await new Wxpay(bootstrap(sb)).certificates();
  assert.deepEqual(listed.map((c) => c.serial), [old.serial, fresh.serial]);
  assert.equal(new Date(listed[0].expire_time).getTime(), tomorrow.getTime());
  // The one that signs, retired: nothing to verify the list with, as for an expired certificate.
  sb.reset();
  sb.retire(sb.platform.serial, new Date(Date.now() - 60e3));
  const unverified = await rejectsWith(get(new Wxpay(bootstrap(sb))), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(unverified.cause?.code, 'ERR_RESPONSE_SERIAL', "the download's answer could not be verified");
  assert.deepEqual(sb.requests.map((r) => r.url), ['/v3/certificates'], 'the request was not sent');
});

test('with certs configured, a newer downloaded certificate is named, unless wechatpaySerial pins one still in effect', async () => {
  const { sb } = ctx;
  const current = sb.platform.serial;
  const auto = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, certsRefreshInterval: 0 }));
  const pinned = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, certsRefreshInterval: 0, wechatpaySerial: current }));
  const fresh = sb.rotate();
  for (const wxpay of [auto, pinned]) assert.equal((await get(wxpay)).status, 200, 'answered under the new serial: the refresh');
  assert.equal(auto.wechatpaySerial, fresh.serial);
  assert.equal(pinned.wechatpaySerial, current);
});

test('a configured certificate serial is listed in upper case, as the service writes it, whatever case it was given in', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb, { certs: { [sb.platform.serial.toLowerCase()]: sb.platform.certificate } }));
  assert.deepEqual((await wxpay.certificates()).map((c) => c.serial), [sb.platform.serial.toUpperCase()]);
  assert.equal(wxpay.wechatpaySerial, sb.platform.serial.toUpperCase());
  assert.equal((await get(wxpay)).status, 200);
});

test('an expired certificate is not used, even to bootstrap', async () => {
  const { sb } = ctx;
  sb.rotate({ expired: true });
  const wxpay = new Wxpay(bootstrap(sb));
  const err = await rejectsWith(get(wxpay), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(err.cause?.code, 'ERR_RESPONSE_SERIAL', "the download's answer could not be verified");
  assert.deepEqual(sb.requests.map((r) => r.url), ['/v3/certificates'], 'the request was not sent');
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
  // Nothing known yet: the download comes first, and fails, so the request is never sent (no
  // order placed whose answer could not be verified). Why is the cause...
  const err = await rejectsWith(get(wxpay), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(err.status, undefined, 'nothing was answered');
  assert.equal(err.cause?.code, 'ERR_RESPONSE_BODY');
  assert.equal(err.cause?.status, 200, "the download's answer");
  assert.deepEqual(sb.requests.map((r) => r.url), ['/v3/certificates'], 'the request itself was not sent');
  // ...and said in the message, which is what a log shows: a wrong APIv3 key is told there.
  assert.match(err.message, /^the request was not sent: no platform certificate is in use yet, and downloading the platform certificates failed: ERR_RESPONSE_BODY: certificate [0-9A-F]+ does not decrypt under the APIv3 key: .*wrong APIv3 key/);
  assert.ok(!err.message.includes(wrong), 'the key is not quoted');
  await rejectsWith(wxpay.certificates(), 'ERR_RESPONSE_BODY');
  // With a key configured, the request goes out; an answer under a serial it does not know
  // could not be verified: its own code, the download's failure the cause and in the message.
  sb.reset();
  const configured = new Wxpay(options(sb, { apiv3Key: wrong }));
  sb.rotate();
  const unverified = await rejectsWith(get(configured), 'ERR_RESPONSE_SERIAL', { status: 200 });
  assert.equal(unverified.cause?.code, 'ERR_RESPONSE_BODY');
  assert.match(unverified.message, /downloading the platform certificates failed: ERR_RESPONSE_BODY: certificate [0-9A-F]+ does not decrypt under the APIv3 key: .*wrong APIv3 key/);
  assert.ok(!unverified.message.includes(wrong), 'the key is not quoted');
});

test("the chain's own GET /v3/certificates, nothing in effect: one request, checked as the client's download and then used as one", async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  const res = await wxpay.v3.certificates.get();
  assert.equal(res.status, 200);
  assert.deepEqual(res.data.data.map((c) => c.serial_no), [sb.platform.serial]);
  assert.deepEqual(sb.requests.map((r) => r.url), ['/v3/certificates'], 'no download beside it');
  assert.equal(wxpay.wechatpaySerial, sb.platform.serial, 'its certificate is in effect');
  assert.deepEqual((await wxpay.certificates()).map((c) => c.serial), [sb.platform.serial]);
  await get(wxpay);
  assert.deepEqual(sb.requests.map((r) => [r.url.split('/')[2], r.headers['wechatpay-serial']]), [['certificates', undefined], ['marketing', sb.platform.serial]]);
  // A rotation: the list, signed under the new serial, is checked by the certificate it carries.
  const fresh = sb.rotate();
  const again = await wxpay.v3.certificates.get();
  assert.equal(again.headers['wechatpay-serial'], fresh.serial);
  assert.equal(downloads(sb), 2, 'the list itself, nothing more');
  assert.equal(wxpay.wechatpaySerial, fresh.serial);
  // With a query (another algorithm's list), it is an ordinary request: the download comes first.
  sb.reset();
  const other = new Wxpay(bootstrap(sb));
  await other.v3.certificates.get({ params: { algorithm_type: 'RSA' } });
  assert.deepEqual(sb.requests.map((r) => r.url), ['/v3/certificates', '/v3/certificates?algorithm_type=RSA']);
});

test("the chain's own certificate list is trusted only as a download is: forged, under another key, or signed by no listed certificate, it rejects and nothing is kept", async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  sb.misbehave('forged');
  await rejectsWith(wxpay.v3.certificates.get(), 'ERR_RESPONSE_SIGNATURE', { status: 200, attempts: 1 });
  assert.equal(wxpay.wechatpaySerial, undefined, 'nothing trusted from it');
  sb.misbehave('unknown-serial');
  await rejectsWith(wxpay.v3.certificates.get(), 'ERR_RESPONSE_SERIAL', { status: 200, attempts: 1 });
  assert.equal(wxpay.wechatpaySerial, undefined);
  const wrong = new Wxpay(bootstrap(sb, { apiv3Key: 'A'.repeat(32) }));
  const e = await rejectsWith(wrong.v3.certificates.get(), 'ERR_RESPONSE_BODY', { status: 200, attempts: 1 });
  assert.match(e.message, /does not decrypt under the APIv3 key/);
  assert.equal(wrong.wechatpaySerial, undefined);
  assert.equal(downloads(sb), 3, 'each was the one request');
  // The client itself is unharmed: its first request downloads, as ever.
  await get(wxpay);
  assert.equal(wxpay.wechatpaySerial, sb.platform.serial);
  assert.equal(downloads(sb), 4);
});

test("the chain's own certificate list signed by a key already trusted: verified, then its certificates are the client's, as a download's are", async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  await get(wxpay);
  assert.equal(downloads(sb), 1);
  // A certificate listed ahead of its effective time; the list is still signed by the one in effect.
  const upcoming = sb.rotate({ upcoming: true });
  const res = await wxpay.v3.certificates.get();
  assert.equal(res.headers['wechatpay-serial'], sb.platform.serial, 'signed by the certificate already downloaded');
  assert.deepEqual(res.data.data.map((c) => c.serial_no).sort(), [sb.platform.serial, upcoming.serial].sort());
  assert.equal(downloads(sb), 2, 'the list itself, nothing more');
  const listed = await wxpay.certificates();
  assert.deepEqual(listed.map((c) => c.serial).sort(), [sb.platform.serial, upcoming.serial].sort(), 'both are the client\'s');
  assert.equal(listed.find((c) => c.serial === upcoming.serial)?.pem, upcoming.certificate);
  assert.equal(wxpay.wechatpaySerial, sb.platform.serial, 'the one in effect is still named');
  assert.equal(downloads(sb), 2, 'certificates() did not download');
  // Configured certs beside the APIv3 key: the list (signed by a configured one) adds the others.
  const configured = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key }));
  await configured.v3.certificates.get();
  const both = await configured.certificates();
  assert.deepEqual(both.map((c) => [c.serial, c.pem !== undefined]), [[sb.platform.serial, false], [upcoming.serial, true]]);
  assert.equal(downloads(sb), 3);
  // Forged under a trusted serial: refused before anything of it is read, nothing kept.
  sb.misbehave('forged');
  const forged = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key }));
  await rejectsWith(forged.v3.certificates.get(), 'ERR_RESPONSE_SIGNATURE', { status: 200, attempts: 1 });
  assert.deepEqual((await forged.certificates()).map((c) => c.serial).sort(), [sb.platform.serial, upcoming.serial].sort(), 'its own download, after the forged list');
  assert.equal(downloads(sb), 5);
  // A list that verifies but does not decrypt under the client's APIv3 key fails as a download
  // does (the key is wrong: notifications would fail too); the client is unharmed.
  const wrong = new Wxpay(options(sb, { apiv3Key: 'A'.repeat(32) }));
  const e = await rejectsWith(wrong.v3.certificates.get(), 'ERR_RESPONSE_BODY', { status: 200, attempts: 1 });
  assert.match(e.message, /does not decrypt under the APIv3 key/);
  assert.ok(!e.message.includes('A'.repeat(32)), 'the key is not quoted');
  assert.equal((await get(wrong)).status, 200, 'its configured certificate still verifies');
});

/** A fetch that answers `/v3/certificates` with `answer(url, init)`, everything else for real. */
const certificatesBy = (answer) => (url, init) => (String(url).includes('/v3/certificates') ? answer(url, init) : fetch(url, init));
const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("a request's timeout and signal cover the certificate download its answer needs", async () => {
  const { sb } = ctx;
  // The downloads go on after their requests give up (within the clients' 30 s): once this test
  // is over they must not reach the sandbox, which the next tests share and count downloads of.
  let over = false;
  const delayed = (ms) => certificatesBy(async (url, init) => {
    await later(ms);
    if (over) throw new TypeError('the test that made this download is over');
    return fetch(url, init);
  });
  const slow = delayed(3000);
  try {
    // Each signal made when its request is (made together, the second would have fired before
    // its request began: a signal already aborted, which ends a request at once).
    for (const made of [() => ({ timeout: 400 }), () => ({ signal: AbortSignal.timeout(400) })]) {
      const config = made();
      const wxpay = new Wxpay(bootstrap(sb, { fetch: slow }));
      const t0 = Date.now();
      const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, ...config }), config.timeout ? 'ERR_TIMEOUT' : 'ERR_ABORTED');
      assert.ok(Date.now() - t0 < 2000, `settled after ${Date.now() - t0} ms, not within its deadline`);
      assert.equal(err.attempts, 0, 'nothing was sent: it says so');
      // Its message says what it waited for (in workerd, also what likely stopped that download).
      assert.equal(err.message, `${config.timeout ? 'request timed out after 400 ms' : 'request aborted by its signal'} while it waited for the platform certificate download, before anything was sent`);
      assert.ok(!sb.requests.some((r) => r.url.includes('/marketing/')), 'not sent while it waited');
    }
    // A download that never answers: the request still ends at its deadline.
    const stuck = new Wxpay(bootstrap(sb, { fetch: certificatesBy(() => new Promise(() => {})) }));
    await rejectsWith(memberCode(stuck).get({ card_id: CARD_ID, code: CODE, timeout: 300 }), 'ERR_TIMEOUT');
    // With the client's timeout, the wait for the download counts toward it too.
    const client = new Wxpay(bootstrap(sb, { timeout: 600, fetch: async (url, init) => { await later(400); return delayed(400)(url, init); } }));
    await rejectsWith(get(client), 'ERR_TIMEOUT');
  } finally {
    over = true;
  }
});

test('a 2xx answer signed under a serial still unknown, its download outlasting the deadline: the error says the answer came, with its status (helper-175)', async () => {
  const { sb } = ctx;
  let over = false;
  const slow = certificatesBy(async (url, init) => {
    await later(3000);
    if (over) throw new TypeError('the test that made this download is over');
    return fetch(url, init);
  });
  // The certificate it was given, and the APIv3 key: the answer comes under the rotated one.
  const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, fetch: slow }));
  try {
    sb.rotate();
    for (const made of [() => ({ timeout: 400 }), () => ({ signal: AbortSignal.timeout(400) })]) {
      const config = made();
      const err = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, ...config }), config.timeout ? 'ERR_TIMEOUT' : 'ERR_ABORTED', { status: 200, attempts: 1 });
      assert.equal(err.message, `${config.timeout ? 'request timed out after 400 ms' : 'request aborted by its signal'} while it waited for the platform certificate download that verifies its answer`);
    }
  } finally {
    over = true;
  }
});

test('with no timeout anywhere, a download that never answers ends after 30 s, and the request that waited for it is not sent', async (t) => {
  const { sb } = ctx;
  // The clock is node:test's: its setTimeout and Date, which boundary.js's timers and the wasm's
  // clock read. Nothing here goes to the network (the download is the caller's fetch, stuck).
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
  const flush = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };
  let fetched = 0;
  const stuck = new Wxpay(bootstrap(sb, { fetch: certificatesBy(() => { fetched++; return new Promise(() => {}); }) }));
  let outcome;
  get(stuck).then(() => { outcome = 'resolved'; }, (e) => { outcome = e; });
  await flush();
  assert.equal(fetched, 1, 'the download started');
  t.mock.timers.tick(29_999);
  await flush();
  assert.equal(outcome, undefined, 'still waiting 1 ms before the 30 s');
  t.mock.timers.tick(1);
  await flush();
  assert.equal(outcome?.code, 'ERR_CERTIFICATE_DOWNLOAD', String(outcome));
  assert.equal(outcome.cause?.code, 'ERR_TIMEOUT');
  assert.match(outcome.cause.message, /30000 ms/);
  assert.equal(sb.requests.length, 0, 'the request was not sent');
  // The download ended (failed): within the back-off after it, no new one; after it, another.
  get(stuck).catch(() => {});
  await flush();
  assert.equal(fetched, 1);
  t.mock.timers.tick(10_000);
  get(stuck).catch(() => {});
  await flush();
  assert.equal(fetched, 2, 'a download 10 s after the failure');
});

test('a request that gave up waiting for a download leaves nothing behind: the next rotation downloads again', async () => {
  const { sb } = ctx;
  const slow = certificatesBy(async (url, init) => { await later(400); return fetch(url, init); });
  const wxpay = new Wxpay(bootstrap(sb, { fetch: slow, certsRefreshInterval: 0 }));
  await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, timeout: 100 }), 'ERR_TIMEOUT');
  await later(500); // the download ends, with no one waiting for it
  assert.equal((await get(wxpay)).status, 200);
  assert.equal(downloads(sb), 1);
  sb.rotate();
  assert.equal((await get(wxpay)).status, 200, 'the rotation is picked up');
  assert.equal(downloads(sb), 2);
});

test('in Node a download goes on when the request that started it gives up, shared with later requests: one download (workerd, where it dies with that request, starts another: tests/workerd)', async () => {
  const { sb } = ctx;
  let started = 0;
  const slow = certificatesBy(async (url, init) => { started++; await later(400); return fetch(url, init); });
  const wxpay = new Wxpay(bootstrap(sb, { fetch: slow }));
  // Requests giving up one after another while the download is slow: still one download.
  for (let i = 0; i < 3; i++) await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, timeout: 80 }), 'ERR_TIMEOUT');
  assert.equal((await get(wxpay)).status, 200, 'sent once the first download ended');
  assert.deepEqual([started, downloads(sb)], [1, 1]);
});

test("a download that failed in fetch: the message quotes the fetch's error once", async () => {
  const { sb } = ctx;
  // Bun's fetch error, whose text names no cause below it: ERR_NETWORK quotes it, and the
  // ERR_CERTIFICATE_DOWNLOAD around that quotes ERR_NETWORK (helper-176 read it twice there).
  const text = 'ECONNRESET: The socket connection was closed unexpectedly.';
  const wxpay = new Wxpay(bootstrap(sb, { fetch: certificatesBy(async () => { throw new TypeError(text); }), retry: 0, backupBaseURL: false }));
  const err = await rejectsWith(get(wxpay), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(err.cause?.code, 'ERR_NETWORK');
  assert.equal(err.message.split(text).length - 1, 1, err.message);
  assert.match(err.message, /downloading the platform certificates failed: ERR_NETWORK: GET http:\/\/127\.0\.0\.1:\d+\/v3\/certificates failed: TypeError: ECONNRESET: The socket connection was closed unexpectedly\.$/);
  // A text of its own below (undici's `fetch failed` above `connect ECONNREFUSED ...`) is still said.
  const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
  const other = new Wxpay(bootstrap(sb, { fetch: certificatesBy(async () => { throw refused; }), retry: 0, backupBaseURL: false }));
  const e2 = await rejectsWith(get(other), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(e2.message.split('connect ECONNREFUSED 127.0.0.1:9').length - 1, 1, e2.message);
  assert.match(e2.message, /failed: TypeError: fetch failed \(connect ECONNREFUSED 127\.0\.0\.1:9\)$/);
  // helper-180: a text with a line break is quoted escaped, and still once; a cause whose text
  // only occurs inside its parent's ("failed" in "fetch failed") is its own, and said.
  for (const [thrown, end] of [
    [new TypeError('socket hang up\nat line 2'), 'failed: TypeError: socket hang up\\u000aat line 2'],
    [new TypeError('fetch failed', { cause: new Error('failed') }), 'failed: TypeError: fetch failed (failed)'],
  ]) {
    const client = new Wxpay(bootstrap(sb, { fetch: certificatesBy(async () => { throw thrown; }), retry: 0, backupBaseURL: false }));
    const e = await rejectsWith(get(client), 'ERR_CERTIFICATE_DOWNLOAD');
    assert.ok(e.message.endsWith(end), e.message);
  }
});

test('with nothing known, a failed download fails the request unsent: ERR_CERTIFICATE_DOWNLOAD, the download as cause', async () => {
  const { sb } = ctx;
  const failing = certificatesBy(async () => new Response(JSON.stringify({ code: 'SYSTEM_ERROR', message: 'busy' }), { status: 500, headers: { 'content-type': 'application/json', 'request-id': 'REQ-OF-CERTIFICATES' } }));
  const wxpay = new Wxpay(bootstrap(sb, { fetch: failing, retry: 0 }));
  const err = await rejectsWith(get(wxpay), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(err.status, undefined);
  assert.equal(err.requestId, undefined, 'no answer of its own');
  assert.equal(err.attempts, 0);
  assert.equal(err.cause?.code, 'SYSTEM_ERROR');
  assert.equal(err.cause?.requestId, 'REQ-OF-CERTIFICATES');
  assert.match(err.message, /downloading the platform certificates failed: SYSTEM_ERROR: busy/);
  assert.equal(sb.requests.length, 0, 'nothing reached the service: the failing fetch answered the download itself');
  // Within the back-off after the failure: the same code, the last failure still the cause.
  const again = await rejectsWith(get(wxpay), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(again.cause?.code, 'SYSTEM_ERROR');
  assert.notEqual(again, err, 'each request has its own error');
  // certificates() asked for the download itself: its error.
  await rejectsWith(wxpay.certificates(), 'SYSTEM_ERROR');
  // Concurrent requests waiting on one failed download each get their own error.
  const fresh = new Wxpay(bootstrap(sb, { fetch: failing, retry: 0 }));
  const [a, b] = await Promise.all([get(fresh).catch((e) => e), get(fresh).catch((e) => e)]);
  assert.equal(a.code, 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(b.code, 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(a.cause, b.cause, 'one download');
  assert.notEqual(a, b);
  assert.equal(sb.requests.length, 0);
  // A POST, an order say, is not sent either.
  await rejectsWith(wxpay.v3.pay.transactions.native.post({ appid: 'wxd678efh567hg6787', mchid: sb.mchid, description: 'd', out_trade_no: 'NOT-SENT-1', notify_url: 'https://example.com/n', amount: { total: 1 } }), 'ERR_CERTIFICATE_DOWNLOAD');
  assert.equal(sb.requests.length, 0);
  // The unsigned downloads (a bill's file) do not wait for a key, and go out.
  const file = await wxpay.v3.billdownload.file.get({ params: { token: 'none' } }).catch((e) => e);
  assert.deepEqual(sb.requests.map((r) => r.url.split('?')[0]), ['/v3/billdownload/file'], String(file?.code));
});

test('a list signed by a certificate already trusted is verified before it is read: altered, it is refused by its signature, unread', async () => {
  const { sb } = ctx;
  // One character of the list's first ciphertext changed, the answer's signature headers kept:
  // read before it is verified, the list would fail to decrypt, and its signature would go
  // unchecked.
  const altered = certificatesBy(async (url, init) => {
    const res = await fetch(url, init);
    const body = await res.text();
    const ciphertext = JSON.parse(body).data[0].encrypt_certificate.ciphertext;
    const damaged = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
    assert.equal(res.headers.get('wechatpay-serial'), sb.platform.serial, 'signed by the configured certificate');
    return new Response(body.replace(ciphertext, damaged), { status: res.status, headers: res.headers });
  });
  // certificates() rejects with the download's error: the signature's (read first, the list
  // would have failed to decrypt instead). The check itself is seen at crypto.subtle (called
  // through). A request still verifies by the configured certificate alone.
  const { subtle } = globalThis.crypto;
  const checks = [];
  subtle.verify = async function verify(...args) {
    const ok = await SubtleCrypto.prototype.verify.apply(this, args);
    checks.push(ok);
    return ok;
  };
  try {
    const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, fetch: altered, crypto: 'webcrypto' }));
    await rejectsWith(wxpay.certificates(), 'ERR_RESPONSE_SIGNATURE', { status: 200 });
    assert.equal(downloads(sb), 1);
    assert.deepEqual(checks, [false], "the altered list's signature was checked, and failed");
    checks.length = 0;
    assert.equal((await get(wxpay)).status, 200);
    assert.deepEqual(checks, [true], 'answers verify by the configured certificate');
    // The same list unaltered: one check, which passes.
    checks.length = 0;
    const intact = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, crypto: 'webcrypto' }));
    assert.equal((await intact.certificates()).length, 1);
    assert.deepEqual(checks, [true]);
  } finally {
    delete subtle.verify;
  }
});

/**
 * Runs `body(advance)` with `Date.now` (the client's clock) moved forward by `advance(ms)`; the
 * client reads the time through `Date.now` at each call, so this is the clock it sees.
 */
async function withClock(body) {
  const realNow = Date.now;
  let skew = 0;
  Date.now = () => realNow.call(Date) + skew;
  try {
    return await body((ms) => { skew = ms; });
  } finally {
    Date.now = realNow;
  }
}

test('the only certificate known retired early, soon after the download: the next download comes 10 s on, not certsRefreshInterval', async () => {
  const { sb } = ctx;
  for (const [retiredIn, advance, downloadsThen] of [[60_000, 61_000, 2], [5_000, 6_000, 1]]) {
    sb.reset();
    const old = sb.platform;
    // Listed to be retired soon; the client downloads it alone, before its successor is listed.
    sb.retire(old.serial, new Date(Date.now() + retiredIn));
    await withClock(async (skew) => {
      const wxpay = new Wxpay(bootstrap(sb));
      assert.equal((await get(wxpay)).status, 200);
      const fresh = sb.rotate();
      skew(advance);
      // No key in effect now. 10 s after the last download one may start: the successor is
      // downloaded and named. Within them: nothing is sent, and the message says why.
      if (downloadsThen === 2) {
        const res = await get(wxpay);
        assert.equal(res.status, 200);
        assert.equal(sb.requests.at(-1).headers['wechatpay-serial'], fresh.serial);
        assert.equal(wxpay.wechatpaySerial, fresh.serial);
      } else {
        const before = sb.requests.length;
        const err = await rejectsWith(get(wxpay), 'ERR_CERTIFICATE_DOWNLOAD');
        assert.equal(err.cause, undefined);
        assert.match(err.message, /the next download may start only later/);
        assert.equal(sb.requests.length, before, 'nothing sent');
        skew(advance + 10_000);
        assert.equal((await get(wxpay)).status, 200);
        assert.equal(sb.requests.at(-1).headers['wechatpay-serial'], fresh.serial);
      }
      assert.equal(downloads(sb), 2);
    });
  }
});

test('with keys configured, an answer under an unknown serial whose download fails has that failure as its cause', async () => {
  const { sb } = ctx;
  // The client trusts only the public key; the answers come signed by the platform certificate.
  sb.answerKey = 'platform';
  const failing = certificatesBy(async () => new Response(JSON.stringify({ code: 'SYSTEM_ERROR', message: 'busy' }), { status: 500, headers: { 'content-type': 'application/json' } }));
  const wxpay = new Wxpay(options(sb, { certs: { [sb.pubkey.id]: sb.pubkey.publicKeySpki }, apiv3Key: sb.apiv3Key, fetch: failing, retry: 0 }));
  const err = await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL', { status: 200 });
  assert.equal(err.cause?.code, 'SYSTEM_ERROR');
  assert.match(err.message, /downloading the platform certificates failed: SYSTEM_ERROR: busy/);
  // Within the back-off, no download: the last failure is still why.
  const again = await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL', { status: 200 });
  assert.equal(again.cause?.code, 'SYSTEM_ERROR');
  assert.equal(downloads(sb), 0, 'the failing fetch answered both downloads itself');
  // What the configured key signs still verifies.
  sb.answerKey = 'pubkey';
  assert.equal((await get(wxpay)).status, 200);
  // A notification under the unknown serial: ERR_NOTIFY_SERIAL, with the cause.
  sb.answerKey = 'platform';
  const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'N1' } });
  const bad = await rejectsWith(wxpay.notifications.parse({ headers: n.headers, body: n.body }), 'ERR_NOTIFY_SERIAL');
  assert.equal(bad.cause?.code, 'SYSTEM_ERROR');
});

test('with keys configured, certificates() rejects with a failed download\'s error rather than list the configured keys alone', async () => {
  const { sb } = ctx;
  let attempts = 0;
  const failing = certificatesBy(async () => {
    attempts++;
    return new Response(JSON.stringify({ code: 'SYSTEM_ERROR', message: 'busy' }), { status: 500, headers: { 'content-type': 'application/json' } });
  });
  const pub = { [sb.pubkey.id]: sb.pubkey.publicKeySpki };
  const wxpay = new Wxpay(options(sb, { certs: pub, apiv3Key: sb.apiv3Key, fetch: failing, retry: 0 }));
  await rejectsWith(wxpay.certificates(), 'SYSTEM_ERROR');
  assert.equal(attempts, 1);
  // Within the back-off: no download, and the last failure is still what the caller gets.
  await rejectsWith(wxpay.certificates(), 'SYSTEM_ERROR');
  assert.equal(attempts, 1);
  // The configured key still verifies what it signs.
  sb.answerKey = 'pubkey';
  assert.equal((await get(wxpay)).status, 200);
  // Without apiv3Key there is nothing to download: the configured keys are the list.
  const plain = new Wxpay(options(sb, { certs: pub, fetch: failing }));
  assert.deepEqual((await plain.certificates()).map((c) => c.serial), [sb.pubkey.id]);
  assert.equal(attempts, 1);
});

test('after a failed download the next starts only 10 s later, whatever certsRefreshInterval (or sooner, if it is shorter)', async () => {
  const { sb } = ctx;
  for (const [interval, backOff] of [[undefined, 10_000], [60_000, 10_000], [2_000, 2_000]]) {
    sb.reset();
    // The service fails the first download, then answers for real.
    let attempts = 0;
    const flaky = certificatesBy(async (url, init) => {
      attempts++;
      if (attempts > 1) return fetch(url, init);
      return new Response(JSON.stringify({ code: 'SYSTEM_ERROR', message: 'busy' }), { status: 500, headers: { 'content-type': 'application/json' } });
    });
    const extra = interval === undefined ? {} : { certsRefreshInterval: interval };
    await withClock(async (advance) => {
      const wxpay = new Wxpay(bootstrap(sb, { fetch: flaky, retry: 0, ...extra }));
      await rejectsWith(wxpay.certificates(), 'SYSTEM_ERROR');
      assert.equal(attempts, 1);
      // Within the back-off: no new download; the last failure is what the caller gets.
      advance(backOff - 1000);
      await rejectsWith(wxpay.certificates(), 'SYSTEM_ERROR');
      const err = await rejectsWith(get(wxpay), 'ERR_CERTIFICATE_DOWNLOAD');
      assert.equal(err.cause?.code, 'SYSTEM_ERROR');
      assert.equal(attempts, 1, `interval ${interval}: no download ${backOff - 1000} ms after the failure`);
      // After it: the next need downloads again, and the service now answers.
      advance(backOff);
      assert.deepEqual((await wxpay.certificates()).map((c) => c.serial), [sb.platform.serial]);
      assert.equal(attempts, 2, `interval ${interval}: a download ${backOff} ms after the failure`);
      assert.equal(downloads(sb), 1);
      assert.equal((await get(wxpay)).status, 200);
    });
  }
});

test('certsRefreshInterval defaults to 300000 ms: an unknown serial brings no download 299 s after the last, one 301 s after', async () => {
  const { sb } = ctx;
  await withClock(async (advance) => {
    // apiv3Key and no interval given: the README's default.
    const wxpay = new Wxpay(bootstrap(sb));
    assert.equal((await get(wxpay)).status, 200);
    assert.equal(downloads(sb), 1);
    const fresh = sb.rotate();
    advance(299_000);
    const err = await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL');
    assert.match(err.message, /see certsRefreshInterval/);
    assert.equal(downloads(sb), 1, 'no download 299 s after the first');
    advance(301_000);
    assert.equal((await get(wxpay)).status, 200);
    assert.equal(downloads(sb), 2, 'one download 301 s after the first');
    assert.equal(wxpay.wechatpaySerial, fresh.serial);
  });
});

// helper-117: the last download's time was compared with now as if the clock only went forward. A
// request under a clock years ahead (a VM resumed with a bad clock) dated the last download then,
// and once the clock was right again every download waited for that date to come: requests,
// encrypt and notifications failed until a restart.
test('a download made under a clock years ahead holds off no later download once the clock is right', async () => {
  const { sb } = ctx;
  await withClock(async (skew) => {
    const wxpay = new Wxpay(bootstrap(sb));
    assert.equal((await get(wxpay)).status, 200);
    assert.equal(downloads(sb), 1);
    skew(6 * 365 * 86400e3);
    // Every certificate has expired by then: the request downloads again, and fails.
    await assert.rejects(get(wxpay));
    const then = downloads(sb);
    skew(0);
    assert.equal((await get(wxpay)).status, 200);
    assert.equal(downloads(sb), then + 1, 'downloaded again at once');
    assert.ok(wxpay.wechatpaySerial);
    // A day behind (NTP stepping the clock back after a download): the same.
    skew(-86400e3);
    sb.rotate();
    assert.equal((await get(wxpay)).status, 200);
    skew(0);
  });
});

test('unsigned and stale answers are refused before any download to find their key', async () => {
  const { sb } = ctx;
  for (const [mode, code] of [['unsigned', 'ERR_RESPONSE_UNSIGNED'], ['missing-serial', 'ERR_RESPONSE_UNSIGNED'], ['stale', 'ERR_RESPONSE_TIMESTAMP'], ['bad-timestamp', 'ERR_RESPONSE_TIMESTAMP']]) {
    sb.reset();
    // Refreshes allowed at any time; the answers come under a serial the client does not know.
    const wxpay = new Wxpay(bootstrap(sb, { certsRefreshInterval: 0 }));
    await get(wxpay);
    sb.rotate();
    sb.misbehave(mode);
    await rejectsWith(get(wxpay), code);
    assert.equal(downloads(sb), 1, `${mode}: no download`);
    // A signed answer under that serial does bring one.
    assert.equal((await get(wxpay)).status, 200);
    assert.equal(downloads(sb), 2);
  }
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

test('unsigned or stale notifications are refused before any download; a failed download is ERR_NOTIFY_SERIAL', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb));
  for (const [misbehave, code] of [['unsigned', 'ERR_NOTIFY_UNSIGNED'], ['missing-serial', 'ERR_NOTIFY_UNSIGNED'], ['stale', 'ERR_NOTIFY_TIMESTAMP']]) {
    const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'N1' }, misbehave });
    await rejectsWith(wxpay.notifications.parse({ headers: n.headers, body: n.body }), code);
  }
  assert.equal(downloads(sb), 0);
  const failing = new Wxpay(bootstrap(sb, { fetch: certificatesBy(() => Promise.reject(new TypeError('fetch failed'))), retry: 0 }));
  const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'N1' } });
  const err = await rejectsWith(failing.notifications.parse({ headers: n.headers, body: n.body }), 'ERR_NOTIFY_SERIAL');
  assert.equal(err.cause?.code, 'ERR_NETWORK');
});

test('without certs or apiv3Key the options are refused', () => {
  const { sb } = ctx;
  const { certs: _, ...rest } = options(sb);
  assert.throws(() => new Wxpay(rest), { code: 'ERR_INVALID_CONFIG', message: /options.certs is required/ });
});

test('a certificate listed under a serial that is not its own is refused, though the list is signed by its key', async () => {
  const { sb } = ctx;
  const fake = 'ABCDEF'.repeat(6) + '0123';
  const entry = (serial_no) => ({
    serial_no, effective_time: '2020-01-01T00:00:00+08:00', expire_time: '2099-01-01T00:00:00+08:00',
    encrypt_certificate: encryptResource(sb.apiv3Key, sb.platform.certificate, 'certificate'),
  });
  // The list, signed by the certificate's key and naming the serial it lists it under.
  const answer = (serial) => async () => signedResponse(sb, JSON.stringify({ data: [entry(serial)] }), { serial });
  const listed = await new Wxpay(bootstrap(sb, { fetch: answer(sb.platform.serial) })).certificates();
  assert.deepEqual(listed.map((c) => c.serial), [sb.platform.serial], 'the control: listed under its own serial');
  const err = await rejectsWith(new Wxpay(bootstrap(sb, { fetch: answer(fake) })).certificates(), 'ERR_RESPONSE_BODY');
  assert.match(err.message, /is not a certificate with serial/);
});

test('from the APIv3 key alone, what a WeChat Pay public key signs is refused without a download, saying to add that key', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(bootstrap(sb, { certsRefreshInterval: 1000 }));
  assert.equal((await get(wxpay)).status, 200);
  assert.equal(downloads(sb), 1);
  // The service moves to its public key; the refresh interval is over, so a download could start.
  sb.answerKey = 'pubkey';
  await later(1100);
  const message = `Wechatpay-Serial "${sb.pubkey.id}" is a WeChat Pay public key id not in options.certs: add that public key under it`;
  for (let i = 0; i < 3; i++) assert.equal((await rejectsWith(get(wxpay), 'ERR_RESPONSE_SERIAL', { status: 200 })).message, message);
  const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'N1' } });
  assert.equal((await rejectsWith(wxpay.notifications.parse({ headers: n.headers, body: n.body }), 'ERR_NOTIFY_SERIAL')).message, message);
  assert.equal(downloads(sb), 1, 'a certificate list never holds a public key');
  // Given the public key beside the APIv3 key, both verify.
  const both = new Wxpay(options(sb, { certs: { [sb.pubkey.id]: sb.pubkey.publicKeySpki }, apiv3Key: sb.apiv3Key }));
  sb.answerKey = 'pubkey';
  assert.equal((await get(both)).status, 200);
  // A list that is empty (what a merchant with a public key only is answered) says so.
  const empty = certificatesBy(async () => new Response('{"data":[]}', { status: 200, headers: { 'content-type': 'application/json' } }));
  const fresh = new Wxpay(bootstrap(sb, { fetch: empty }));
  const e = await rejectsWith(fresh.certificates(), 'ERR_RESPONSE_BODY');
  assert.equal(e.message, 'the certificate list is empty (with a WeChat Pay public key only, give it in options.certs under its PUB_KEY_ID_...)');
});

test('free() ends a certificate download under way, which would otherwise hold the process to its own deadline', async () => {
  const { sb } = ctx;
  let aborted;
  const reason = new Promise((resolve) => { aborted = resolve; });
  // The service never answers the download; its fetch ends only when its signal fires.
  const hanging = certificatesBy((url, init) => new Promise((resolve, reject) => {
    init.signal.addEventListener('abort', () => { aborted(init.signal.reason); reject(init.signal.reason); });
  }));
  const wxpay = new Wxpay(bootstrap(sb, { fetch: hanging }));
  const e = await rejectsWith(memberCode(wxpay).get({ card_id: CARD_ID, code: CODE, timeout: 100 }), 'ERR_TIMEOUT', { attempts: 0 });
  assert.match(e.message, /timed out after 100 ms/);
  wxpay.free();
  // Fired by free(), not by the download's own 30 s deadline (ERR_TIMEOUT).
  const why = await reason;
  assert.equal(why.code, 'ERR_ABORTED');
  assert.equal(why.cause?.code, 'ERR_CLIENT_FREED');
  assert.equal(downloads(sb), 0);
});

test('a request waiting for the first download when its client is freed rejects ERR_CLIENT_FREED, nothing sent (not a failed download)', async () => {
  const { sb } = ctx;
  let started;
  const downloading = new Promise((resolve) => { started = resolve; });
  const hanging = certificatesBy((url, init) => new Promise((resolve, reject) => {
    started();
    init.signal.addEventListener('abort', () => reject(init.signal.reason));
  }));
  const wxpay = new Wxpay(bootstrap(sb, { fetch: hanging }));
  const waiting = memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
  const certificates = wxpay.certificates();
  await downloading;
  wxpay.free();
  const e = await rejectsWith(waiting, 'ERR_CLIENT_FREED', { attempts: 0 });
  assert.match(e.message, /freed/);
  await rejectsWith(certificates, 'ERR_CLIENT_FREED');
  assert.equal(sb.requests.length, 0, 'nothing sent');
});

test('a request already answered when its client is freed, its answer waiting for a download, is not told unsent: ERR_RESPONSE_SERIAL with its status', async () => {
  const { sb } = ctx;
  let started;
  const downloading = new Promise((resolve) => { started = resolve; });
  let hang = false;
  const fetch = certificatesBy((url, init) => {
    if (!hang) return globalThis.fetch(url, init);
    started();
    return new Promise((resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
  });
  const wxpay = new Wxpay(bootstrap(sb, { fetch, certsRefreshInterval: 0 }));
  await get(wxpay);
  sb.rotate();
  hang = true;
  // Sent and answered under the new serial, whose download hangs until free() ends it.
  const answered = get(wxpay);
  await downloading;
  wxpay.free();
  const e = await rejectsWith(answered, 'ERR_RESPONSE_SERIAL', { status: 200, attempts: 1 });
  assert.equal(e.cause?.code, 'ERR_ABORTED');
  assert.equal(e.cause?.cause?.code, 'ERR_CLIENT_FREED');
});

test("a live client's request aborted with another client's ERR_CLIENT_FREED as its reason is ERR_ABORTED, that reason its cause", async () => {
  const { sb } = ctx;
  const gone = new Wxpay(options(sb));
  gone.free();
  let reason;
  try { gone.v3; } catch (e) { reason = e; }
  assert.equal(reason?.code, 'ERR_CLIENT_FREED');
  const live = new Wxpay(options(sb));
  const controller = new AbortController();
  const call = memberCode(live).get({ card_id: CARD_ID, code: CODE, signal: controller.signal });
  controller.abort(reason);
  const e = await rejectsWith(call, 'ERR_ABORTED');
  assert.equal(e.cause, reason);
  const { status } = await get(live);
  assert.equal(status, 200);
});

// helper-178: a service for many merchants handed one merchant's notification to another
// merchant's client (README, Reliability: a notify_url of each merchant's own).
test("another merchant's notification: ERR_NOTIFY_SERIAL, and one download at most a certsRefreshInterval", async () => {
  const { sb } = ctx;
  const other = await startSandbox();
  try {
    const wxpay = new Wxpay(bootstrap(sb));
    assert.equal((await get(wxpay)).status, 200);
    assert.equal(downloads(sb), 1);
    const n = other.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'OTHER-1' } });
    for (let i = 0; i < 3; i++) {
      const err = await rejectsWith(wxpay.notifications.parse({ headers: n.headers, body: n.body }), 'ERR_NOTIFY_SERIAL');
      assert.ok(!err.message.includes(other.apiv3Key) && !err.message.includes(sb.apiv3Key), err.message);
    }
    assert.equal(downloads(sb), 1, 'within certsRefreshInterval of the first download: none more');
    // Past it, one download to make sure, then none again for as long.
    const short = new Wxpay(bootstrap(sb, { certsRefreshInterval: 1000 }));
    assert.equal((await get(short)).status, 200);
    await later(1100);
    for (let i = 0; i < 3; i++) await rejectsWith(short.notifications.parse({ headers: n.headers, body: n.body }), 'ERR_NOTIFY_SERIAL');
    assert.equal(downloads(sb), 3, 'one for its first request, one for the first of the three notifications');
    // Its own merchant's client parses it.
    const own = new Wxpay(bootstrap(other));
    assert.equal((await own.notifications.parse({ headers: n.headers, body: n.body })).resource.out_trade_no, 'OTHER-1');
  } finally {
    other.close();
  }
});
