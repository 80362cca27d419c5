// Payment parameters for the front end (issue 14): each field as documented, the signature
// verified with node:crypto over the documented message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { useSandbox, options, rejectsWith } from './helpers.mjs';
import { Wxpay } from 'wxpay-wasm';

const ctx = useSandbox();
const APP_ID = 'wx8888888888888888';
const PREPAY = 'wx201410272009395522657a690389285100';

function verifies(sb, message, signature) {
  const key = crypto.createPublicKey(crypto.createPrivateKey(sb.merchant.privateKeyPkcs8));
  return crypto.verify('sha256', Buffer.from(message), key, Buffer.from(signature, 'base64'));
}

for (const backend of ['node', 'webcrypto', 'rust']) {
  test(`jsapiParams (${backend}): the documented fields, paySign over appId\\ntimeStamp\\nnonceStr\\npackage\\n`, async () => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb, { crypto: backend }));
    const before = Math.floor(Date.now() / 1000);
    const p = await wxpay.jsapiParams({ appId: APP_ID, prepay_id: PREPAY });
    assert.deepEqual(Object.keys(p), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']);
    assert.equal(p.appId, APP_ID);
    assert.equal(p.package, `prepay_id=${PREPAY}`);
    assert.equal(p.signType, 'RSA');
    assert.match(p.timeStamp, /^\d{10}$/);
    assert.ok(Math.abs(Number(p.timeStamp) - before) <= 2);
    assert.match(p.nonceStr, /^[0-9A-Za-z]{32}$/);
    assert.ok(verifies(sb, `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`, p.paySign));
    assert.ok(!verifies(sb, `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\nprepay_id=other\n`, p.paySign));
    const again = await wxpay.jsapiParams({ appId: APP_ID, prepay_id: PREPAY });
    assert.notEqual(again.nonceStr, p.nonceStr, 'a fresh nonce each time');
  });

  test(`appParams (${backend}): the documented fields, sign over appid\\ntimestamp\\nnoncestr\\nprepayid\\n`, async () => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb, { crypto: backend }));
    const p = await wxpay.appParams({ appid: APP_ID, prepay_id: PREPAY });
    assert.deepEqual(Object.keys(p), ['appid', 'partnerid', 'prepayid', 'package', 'noncestr', 'timestamp', 'sign']);
    assert.equal(p.partnerid, sb.mchid);
    assert.equal(p.prepayid, PREPAY);
    assert.equal(p.package, 'Sign=WXPay');
    assert.ok(verifies(sb, `${p.appid}\n${p.timestamp}\n${p.noncestr}\n${p.prepayid}\n`, p.sign));
    const partner = await wxpay.appParams({ appid: APP_ID, prepay_id: PREPAY, partnerid: '1900000110' });
    assert.equal(partner.partnerid, '1900000110');
  });
}

test('bad input rejects ERR_INVALID_PARAM, naming the field; throwing getters too', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  await rejectsWith(wxpay.jsapiParams(), 'ERR_INVALID_PARAM');
  await rejectsWith(wxpay.jsapiParams({ appId: APP_ID }), 'ERR_INVALID_PARAM', { message: 'jsapiParams(input): input.prepay_id must be a string, got undefined' });
  await rejectsWith(wxpay.jsapiParams({ appId: `${APP_ID}\n1`, prepay_id: PREPAY }), 'ERR_INVALID_PARAM');
  // The JSAPI package given for the prepay_id would be signed as prepay_id=prepay_id=...
  for (const call of [(p) => wxpay.jsapiParams({ appId: APP_ID, prepay_id: p }), (p) => wxpay.appParams({ appid: APP_ID, prepay_id: p })]) {
    for (const id of [`prepay_id=${PREPAY}`, 'wx1=', 'a=b']) {
      await rejectsWith(call(id), 'ERR_INVALID_PARAM', { message: 'prepay_id has a `=`: give the order\'s prepay_id itself, not `prepay_id=...`' });
    }
  }
  await rejectsWith(wxpay.jsapiParams({ appid: APP_ID, prepay_id: PREPAY }), 'ERR_INVALID_PARAM', { message: 'jsapiParams(input): unknown key `appid`: expected appId, prepay_id' });
  await rejectsWith(wxpay.appParams({ appId: APP_ID, prepay_id: PREPAY }), 'ERR_INVALID_PARAM');
  await rejectsWith(wxpay.appParams({ appid: APP_ID, get prepay_id() { throw new Error('boom'); } }), 'ERR_INVALID_PARAM');
  assert.ok((await wxpay.jsapiParams({ appId: APP_ID, prepay_id: PREPAY })).paySign);
});
