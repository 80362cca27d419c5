// The same core cases through `require('wxpay-wasm')`: the seed's GET and PATCH, a
// misbehaving answer, a bad option.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Wxpay, WxpayError } = require('wxpay-wasm');

let sb;
let CARD_ID;
const CODE = '300000001';
test.before(async () => {
  const sandbox = await import('../sandbox/index.mjs');
  CARD_ID = sandbox.CARD_ID;
  sb = await sandbox.startSandbox();
});
test.beforeEach(() => sb.reset());
test.after(() => sb.close());

const options = (extra = {}) => ({
  mchid: sb.mchid,
  serial: sb.merchant.serial,
  privateKey: sb.merchant.privateKeyPkcs1,
  certs: { [sb.platform.serial]: sb.platform.certificate },
  baseURL: sb.baseURL,
  ...extra,
});

test('require gives the Wxpay class and the WxpayError class', () => {
  assert.match(require.resolve('wxpay-wasm'), /node_modules[\\/]wxpay-wasm[\\/]node\.cjs$/);
  assert.equal(typeof Wxpay, 'function');
  assert.equal(typeof WxpayError, 'function');
  assert.ok(new WxpayError('X', 'y') instanceof Error);
  assert.equal(new WxpayError('X', 'y').name, 'WxpayError');
});

test('seed GET through require, destructuring every field', async () => {
  const wxpay = new Wxpay(options());
  const card_id = CARD_ID, code = CODE;
  const { status, headers, data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id, code });
  assert.equal(status, 200);
  assert.equal(headers['request-id'], sb.requests[0].requestId);
  const {
    openid, membership_number, level, nickname, head_image_url, background_picture_url,
    balance, user_card_status, user_information, bonus_value,
  } = data;
  assert.deepEqual(
    { card_id: data.card_id, code: data.code, openid, membership_number, level, nickname, head_image_url, background_picture_url, balance, user_card_status, user_information, bonus_value },
    sb.cards[CARD_ID][CODE],
  );
  assert.equal(openid, 'obLatjhnqgy2syxrXVM3MJ5TmTsM');
  assert.equal(balance, 1000);
  assert.equal(sb.requests[0].verified, true);
});

test('seed PATCH through require resolves true and changes the stored card', async () => {
  const wxpay = new Wxpay(options());
  const ok = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.patch({
    membership_number: '20210077',
    background_picture_url: 'https://wxpaylogo.qpic.cn/sandbox/cjs.png',
    level: 'PLATINUM',
    out_request_no: 'cjs-0001',
    balance_information: { before_balance: 1000, balance: 900, add_balance: -100, balance_remark: '消费' },
  }, { card_id: CARD_ID, code: CODE })
    .then(({ status }) => status === 204);
  assert.equal(ok, true);
  const card = sb.cards[CARD_ID][CODE];
  assert.deepEqual(
    [card.membership_number, card.background_picture_url, card.level, card.balance],
    ['20210077', 'https://wxpaylogo.qpic.cn/sandbox/cjs.png', 'PLATINUM', 900],
  );
  assert.equal(sb.requests[0].verified, true);
});

test('a forged answer through require rejects ERR_RESPONSE_SIGNATURE with the Request-ID', async () => {
  const wxpay = new Wxpay(options());
  sb.misbehave('forged');
  let err;
  await assert.rejects(
    wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: CARD_ID, code: CODE }),
    (e) => { err = e; return true; },
  );
  assert.ok(err instanceof WxpayError, `got ${err && err.constructor && err.constructor.name}`);
  assert.equal(err.name, 'WxpayError');
  assert.equal(err.code, 'ERR_RESPONSE_SIGNATURE');
  assert.equal(err.requestId, sb.requests[0].requestId);
  assert.equal('response' in err, false);
});

test('a bad option through require throws a WxpayError naming it, and the module keeps working', async () => {
  let err;
  assert.throws(() => new Wxpay(options({ privateKey: sb.platform.certificate })), (e) => { err = e; return true; });
  assert.ok(err instanceof WxpayError);
  assert.equal(err.name, 'WxpayError');
  assert.equal(err.code, 'ERR_INVALID_KEY');
  assert.ok(err.message.includes('options.privateKey'), err.message);
  assert.ok(!err.message.includes(sb.platform.certificate.split('\n')[1]));

  assert.throws(() => new Wxpay(options({ mchid: 1900000109 })), (e) => e instanceof WxpayError && e.code === 'ERR_INVALID_CONFIG' && e.message.includes('options.mchid'));

  const { status } = await new Wxpay(options()).v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: CARD_ID, code: CODE });
  assert.equal(status, 200);
});
