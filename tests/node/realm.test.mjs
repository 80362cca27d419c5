// The package inside a `vm` context whose fetch and crypto.subtle are the host's, as edge
// sandboxes run code (Next.js's Edge runtime, @edge-runtime/vm): the promises, ArrayBuffers and
// objects those give belong to another realm than the package's own. Before the realm-agnostic
// checks (wxpay.js `waits`, patch-glue's ArrayBuffer and Promise checks), a WebCrypto promise
// was taken for a call's result: an order resolved to a CryptoKey unsent, and a forged
// notification "parsed" to one.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { useSandbox, options, packageInRealm } from './helpers.mjs';
import { closedPort } from '../sandbox/index.mjs';

const ctx = useSandbox();
const { Wxpay } = packageInRealm().exports;
/** A rejection's code, or a line saying it resolved (with what). */
const outcome = (p) => p.then((v) => `resolved ${Object.prototype.toString.call(v)}`, (e) => e.code);

for (const backend of ['webcrypto', 'rust']) {
  test(`another realm's promises (${backend}): an order is sent, signed and verified; a forged answer or notification rejects`, async () => {
    const sb = ctx.sb;
    const wxpay = new Wxpay({ ...options(sb), crypto: backend, apiv3Key: sb.apiv3Key });
    assert.equal(wxpay.crypto, backend);
    const order = await wxpay.v3.pay.transactions.jsapi.post({
      appid: 'wx8888888888888888', mchid: sb.mchid, description: 'd', out_trade_no: `R${backend}`,
      notify_url: 'https://example.com/n', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'o' },
    });
    assert.equal(order.status, 200);
    assert.match(order.data.prepay_id, /^wx/);
    assert.equal(sb.requests.at(-1).verified, true);

    sb.misbehave('tampered', 1);
    assert.equal(await outcome(wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: `R${backend}`, params: { mchid: sb.mchid } })), 'ERR_RESPONSE_SIGNATURE');
    const queried = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: `R${backend}`, params: { mchid: sb.mchid } });
    assert.equal(queried.data.trade_state, 'NOTPAY');

    const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: `R${backend}`, amount: { total: 100 } } });
    const body = n.body.toString('utf8');
    const parsed = await wxpay.notifications.parse({ headers: n.headers, body });
    assert.equal(parsed.resource.out_trade_no, `R${backend}`);
    assert.equal(await outcome(wxpay.notifications.parse({ headers: n.headers, body: body.replace('TRANSACTION', 'TRANSACTIOM') })), 'ERR_NOTIFY_SIGNATURE');
  });

  test(`another realm's ArrayBuffers (${backend}): encrypt, decrypt, sign and a bill's digest`, async () => {
    const sb = ctx.sb;
    const wxpay = new Wxpay({ ...options(sb), crypto: backend });
    const ciphertext = await wxpay.encrypt('张三');
    const plain = crypto.privateDecrypt({ key: sb.platform.privateKeyPkcs8, oaepHash: 'sha1', padding: crypto.constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from(ciphertext, 'base64'));
    assert.equal(plain.toString('utf8'), '张三');
    const mine = crypto.publicEncrypt({ key: crypto.createPublicKey(sb.merchant.privateKeyPkcs8), oaepHash: 'sha1', padding: crypto.constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from('李四'));
    assert.equal(await wxpay.decrypt(mine.toString('base64')), '李四');
    const signature = await wxpay.sign('a\nb\n');
    assert.equal(crypto.verify('sha256', Buffer.from('a\nb\n'), sb.merchant.privateKeyPkcs8, Buffer.from(signature, 'base64')), true);
    for (const tar_type of [undefined, 'GZIP']) {
      const { data } = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2024-01-02', tar_type } });
      const bytes = await wxpay.download(data);
      assert.match(new TextDecoder().decode(bytes), /^交易时间/);
      assert.equal(await outcome(wxpay.download({ ...data, hash_value: '0'.repeat(40) })), 'ERR_DIGEST_MISMATCH');
    }
  });
}

test("another realm's errors: a fetch that fails (the host's TypeError, as in Jest) is named in the message and the JSON, and its refused connection is seen as one", async () => {
  const sb = ctx.sb;
  const dead = `http://127.0.0.1:${await closedPort()}/`;
  const alone = new Wxpay({ ...options(sb), baseURL: dead, backupBaseURL: false, retry: 0 });
  const err = await alone.v3.sandbox.echo.post({ a: 1 }).then(() => assert.fail('resolved'), (e) => e);
  assert.equal(err.code, 'ERR_NETWORK');
  assert.equal(Object.getPrototypeOf(err.cause), TypeError.prototype, "the host's error, as fetch threw it");
  // Before, `instanceof Error` failed on it: "failed: object".
  assert.match(err.message, /failed: TypeError: fetch failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  assert.match(JSON.parse(JSON.stringify(err)).cause, /^TypeError: fetch failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  const backup = new Wxpay({ ...options(sb), baseURL: dead, backupBaseURL: sb.baseURL, retry: 0 });
  assert.equal((await backup.v3.sandbox.echo.post({ a: 2 })).status, 200, 'the POST went to the backup host');
});

test("another realm's promises: the platform certificates downloaded with apiv3Key alone", async () => {
  const sb = ctx.sb;
  const { certs, ...rest } = options(sb);
  void certs;
  const wxpay = new Wxpay({ ...rest, apiv3Key: sb.apiv3Key, crypto: 'webcrypto' });
  const listed = await wxpay.certificates();
  assert.equal(JSON.stringify(listed.map((c) => c.serial)), JSON.stringify([sb.platform.serial]));
  const card = await wxpay.v3.sandbox.echo.get();
  assert.equal(card.status, 200);
});
