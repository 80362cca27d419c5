// Recovery after a trap through `require`: the CommonJS bundle of the test build
// (.work/test-pkg/wxpay_wasm.cjs, scripts/test-pkg.sh), which has its own glue,
// instance and Wxpay class.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { Wxpay, WxpayError } = require('../../.work/test-pkg/node.cjs');
const { traps } = require('../../.work/test-pkg/wxpay_wasm.cjs');

let sb, CARD_ID, TRAPS;
const CODE = '300000001';
test.before(async () => {
  const sandbox = await import('../sandbox/index.mjs');
  ({ TRAPS } = await import('../recover/expect.mjs'));
  CARD_ID = sandbox.CARD_ID;
  sb = await sandbox.startSandbox();
});
test.after(() => sb.close());

const options = () => ({
  mchid: sb.mchid,
  serial: sb.merchant.serial,
  privateKey: sb.merchant.privateKeyPkcs1,
  certs: { [sb.platform.serial]: sb.platform.certificate },
  baseURL: sb.baseURL,
});
const seed = (node) => node.get({ card_id: CARD_ID, code: CODE });

test('after each trap kind: the client made before, its chain node, its signature and a new client all work', async () => {
  const wxpay = new Wxpay(options());
  const node = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;
  const heard = [];
  Wxpay.onRecover = (info) => heard.push(info.cause);
  for (const [kind, message] of Object.entries(TRAPS)) {
    let err;
    try {
      traps.kinds[kind]();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof WxpayError, kind);
    assert.equal(err.code, 'ERR_INTERNAL');
    assert.ok(err.cause instanceof WebAssembly.RuntimeError);
    assert.equal(err.cause.message, message);
    await new Promise(setImmediate);
    assert.equal(heard.at(-1), err.cause, 'onRecover heard it');

    const { status, data } = await seed(node);
    assert.equal(status, 200);
    assert.equal(data.code, CODE);
    assert.equal(sb.requests.at(-1).verified, true);
    const m = crypto.randomBytes(64);
    assert.equal(await wxpay.sign(m), crypto.sign('sha256', m, sb.merchant.privateKeyPkcs8).toString('base64'));
    assert.equal((await seed(new Wxpay(options()).v3.marketing.membercardOpen.cards._card_id_.codes._code_)).status, 200);
  }
  assert.equal(heard.length, 3);
});
