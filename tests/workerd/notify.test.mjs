// Notifications in workerd: the sandbox posts real signed, encrypted notifications into the
// example Worker (bundled by wrangler as a deploy would) through Miniflare's dispatchFetch; the
// Worker parses them with the package, stores each handled one in KV by id, and answers.
// Plus the AES-256-GCM known answers and OAEP through the package inside workerd (probe Worker).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startSandbox, NOTIFY_MODES } from '../sandbox/index.mjs';
import { bundle, secretsFor, start } from './harness.mjs';

const PAYMENT = {
  mchid: '1900000109', out_trade_no: 'W-20260427-0001', transaction_id: '4200000000202604270000000002', trade_state: 'SUCCESS',
  trade_state_desc: '支付成功', attach: 'worker 🎉', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, amount: { total: 2500, currency: 'CNY' },
};
const CARD = { event_type: 'MEMBERCARDSP.USER_CARD.CREATE', card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', user_card_code: '300000001', openid: 'obLatjhnqgy2syxrXVM3MJ5TmTsM' };

const EXPECTED = {
  forged: [401, 'ERR_NOTIFY_SIGNATURE'], tampered: [401, 'ERR_NOTIFY_SIGNATURE'], signtest: [401, 'ERR_NOTIFY_SIGNATURE'],
  stale: [401, 'ERR_NOTIFY_TIMESTAMP'], future: [401, 'ERR_NOTIFY_TIMESTAMP'], 'bad-timestamp': [401, 'ERR_NOTIFY_TIMESTAMP'],
  'decimal-timestamp': [401, 'ERR_NOTIFY_TIMESTAMP'], 'unknown-serial': [401, 'ERR_NOTIFY_SERIAL'],
  unsigned: [401, 'ERR_NOTIFY_UNSIGNED'], 'missing-timestamp': [401, 'ERR_NOTIFY_UNSIGNED'], 'missing-nonce': [401, 'ERR_NOTIFY_UNSIGNED'],
  'missing-signature': [401, 'ERR_NOTIFY_UNSIGNED'], 'missing-serial': [401, 'ERR_NOTIFY_UNSIGNED'],
  'wrong-key': [400, 'ERR_NOTIFY_DECRYPT'], corrupted: [400, 'ERR_NOTIFY_DECRYPT'],
};

// The messages parse gives for each code (the Worker logs them, and answers a fixed message).
const MESSAGE = {
  ERR_NOTIFY_SIGNATURE: /^signature (does not verify \(it covers the body's bytes as received: pass the raw body, not one parsed and serialised again\)|is a WECHATPAY\/SIGNTEST\/ probe and never verifies)$/,
  ERR_NOTIFY_TIMESTAMP: /^Wechatpay-Timestamp /,
  ERR_NOTIFY_SERIAL: /^Wechatpay-Serial "[0-9A-F]{40}" names none of the known platform keys \(not in options.certs; with apiv3Key, see certsRefreshInterval\)$/,
  ERR_NOTIFY_UNSIGNED: /^unsigned notification: missing Wechatpay-/,
  ERR_NOTIFY_DECRYPT: /^AEAD_AES_256_GCM: the tag does not verify/,
};

describe('examples/worker POST /notify in workerd', () => {
  let sb, mf, kv, logs;
  before(async () => {
    sb = await startSandbox({});
    const { outdir } = await bundle('examples/worker/wrangler.toml', 'example-notify');
    logs = [];
    mf = start(outdir, secretsFor(sb), {
      kvNamespaces: ['NOTIFICATIONS'],
      handleRuntimeStdio: (stdout, stderr) => { for (const s of [stdout, stderr]) s.on('data', (d) => logs.push(String(d))); },
    });
    kv = await mf.getKVNamespace('NOTIFICATIONS');
  });
  after(async () => {
    await mf?.dispose();
    await sb?.close();
  });
  beforeEach(async () => {
    sb.reset();
    for (const { name } of (await kv.list()).keys) await kv.delete(name);
  });
  const post = (o) => sb.notify('http://worker/notify', { fetch: mf.dispatchFetch.bind(mf), ...o });
  const stored = async () => Object.fromEntries(await Promise.all((await kv.list()).keys.map(async ({ name }) => [name, await kv.get(name, 'json')])));

  test('a payment notification: 204, stored by id with exactly what the sandbox encrypted', async () => {
    const r = await post({ event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT });
    assert.equal(r.status, 204);
    assert.equal(r.body, '');
    const { envelope } = r.sent;
    assert.deepEqual(await stored(), {
      [envelope.id]: {
        id: envelope.id, create_time: envelope.create_time, resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS',
        summary: '支付成功', resource: PAYMENT, outcome: { paid: 'W-20260427-0001', amount: 2500 },
      },
    });
    // Kept 25 hours (WeChat Pay's resends end within about 24), then dropped: it holds the payer's
    // openid and the amounts (helper-116: kept for good before).
    const [{ expiration }] = (await kv.list()).keys;
    const left = expiration - Date.now() / 1000;
    assert.ok(left > 25 * 3600 - 120 && left <= 25 * 3600 + 5, `expires in ${left} s`);
  });

  test('a member card notification: 204, handled', async () => {
    const r = await post({ event_type: 'MEMBERCARDSP.USER_CARD.CREATE', resource: CARD });
    assert.equal(r.status, 204);
    const all = await stored();
    assert.deepEqual(all[r.sent.envelope.id].resource, CARD);
    assert.deepEqual(all[r.sent.envelope.id].outcome, { opened: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY/300000001' });
  });

  test('a retried notification (same id) is answered success and handled once', async () => {
    const first = await post({ event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT, id: 'EV-RETRY-1' });
    const again = await post({ event_type: 'TRANSACTION.SUCCESS', resource: { ...PAYMENT, out_trade_no: 'changed' }, id: 'EV-RETRY-1' });
    assert.deepEqual([first.status, again.status], [204, 204]);
    const all = await stored();
    assert.deepEqual(Object.keys(all), ['EV-RETRY-1']);
    assert.equal(all['EV-RETRY-1'].resource.out_trade_no, 'W-20260427-0001');
  });

  test('every misbehaviour mode is expected here', () => assert.deepEqual(Object.keys(EXPECTED).sort(), [...NOTIFY_MODES].sort()));

  for (const [mode, [status, code]] of Object.entries(EXPECTED)) {
    test(`${mode}: rejected with ${code}, answered ${status} FAIL, nothing stored`, async () => {
      logs.length = 0;
      const r = await post({ event_type: 'TRANSACTION.SUCCESS', resource: PAYMENT, misbehave: mode });
      assert.equal(r.status, status);
      assert.equal(r.headers['content-type'], 'application/json');
      // The error's text stays in the Worker's log (README: the answer goes to whoever posted).
      assert.deepEqual(r.json, { code: 'FAIL', message: 'rejected' });
      assert.deepEqual(await stored(), {});
      await new Promise((res) => setTimeout(res, 50)); // let workerd's stderr arrive
      const logged = logs.join('').match(new RegExp(`notification rejected: ${code}: (.*)`))?.[1];
      assert.match(logged ?? '', MESSAGE[code], logs.join(''));
    });
  }

  test('GET /notify is 405 FAIL', async () => {
    const res = await mf.dispatchFetch('http://worker/notify');
    assert.equal(res.status, 405);
    assert.deepEqual(await res.json(), { code: 'FAIL', message: 'POST only' });
  });
});

describe('AES-256-GCM and OAEP inside workerd (probe Worker)', () => {
  let sb, mf;
  before(async () => {
    sb = await startSandbox({});
    const { outdir } = await bundle('tests/workerd/probe/wrangler.toml', 'probe-notify');
    mf = start(outdir, { ...secretsFor(sb), WXPAY_CERTS: JSON.stringify(sb.certs), CARD_ID: 'x', CODE: 'y' });
  });
  after(async () => {
    await mf?.dispose();
    await sb?.close();
  });
  const post = async (path, body) => (await mf.dispatchFetch(`http://probe${path}`, { method: 'POST', body })).json();

  test('protocol.md known answers', async () => {
    const key = '0123456789abcdef0123456789abcdef';
    const r1 = await post(`/decrypt-resource?key=${key}`, JSON.stringify({ algorithm: 'AEAD_AES_256_GCM', ciphertext: 'GvpmmdtYwexXIPhySs9Tlg==', associated_data: '', nonce: '0123456789abcdef' }));
    assert.deepEqual(r1, { plaintext: '' });
    const r2 = await post(`/decrypt-resource?key=${key}`, JSON.stringify({ algorithm: 'AEAD_AES_256_GCM', ciphertext: 'APoZlYpivU3HjbAiB4CvW1rAFr8J', associated_data: 'world', nonce: '0123456789abcdef' }));
    assert.deepEqual(r2, { plaintext: 'hello' });
    const bad = await post(`/decrypt-resource?key=${key}`, JSON.stringify({ ciphertext: 'APoZlYpivU3HjbAiB4CvW1rAFr8J', associated_data: 'World', nonce: '0123456789abcdef' }));
    assert.equal(bad.error.code, 'ERR_NOTIFY_DECRYPT');
  });

  test('OAEP: workerd ciphertext decrypts with node:crypto, node:crypto ciphertext with workerd', async () => {
    const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
    const { serial, ciphertext } = await post('/encrypt', '张三 13800000000');
    assert.equal(serial, sb.pubkey.id);
    assert.equal(crypto.privateDecrypt({ key: sb.pubkey.privateKeyPkcs8, ...OAEP }, Buffer.from(ciphertext, 'base64')).toString(), '张三 13800000000');
    const theirs = crypto.publicEncrypt({ key: sb.merchant.publicKeySpki, ...OAEP }, Buffer.from('李四')).toString('base64');
    assert.deepEqual(await post('/decrypt', theirs), { plaintext: '李四' });
    assert.equal((await post('/decrypt', 'AAAA')).error.code, 'ERR_INVALID_PARAM');
  });
});
