// The seed's two calls (../shared/seed/membercard-open.md), written exactly as the seed page
// writes them, against the sandbox's stateful member cards.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Wxpay } from 'wxpay-wasm';
import { useSandbox, options, CARD_ID, CODE, ODD_CODE, rejectsWith } from './helpers.mjs';

const ctx = useSandbox();
const AUTH = /^WECHATPAY2-SHA256-RSA2048 mchid="(\d+)",serial_no="([0-9A-F]{40})",timestamp="(\d+)",nonce_str="([0-9A-Za-z]{32})",signature="([A-Za-z0-9+/]{342}==)"$/;

test('GET member code: the seed call, destructuring every field', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const card_id = CARD_ID, code = CODE;
  const expected = structuredClone(sb.cards[CARD_ID][CODE]);

  const got = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({
    card_id,
    code,
  })
  .then(
    ({
      data: {
        card_id,
        code,
        openid,
        membership_number,
        level,
        nickname,
        head_image_url,
        background_picture_url,
        balance,
        user_card_status,
        user_information,
        bonus_value,
      },
    }) => ({
      card_id,
      code,
      openid,
      membership_number,
      level,
      nickname,
      head_image_url,
      background_picture_url,
      balance,
      user_card_status,
      user_information,
      bonus_value,
    })
  );

  assert.deepEqual(got, {
    card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY',
    code: '300000001',
    openid: 'obLatjhnqgy2syxrXVM3MJ5TmTsM',
    membership_number: '20210001',
    level: 'GOLD',
    nickname: 'Tom',
    head_image_url: 'https://wx.qlogo.cn/mmopen/sandbox/head.png',
    background_picture_url: 'https://wxpaylogo.qpic.cn/sandbox/background.png',
    balance: 1000,
    user_card_status: 'EFFECTIVE',
    user_information: {
      common_field_list: [{ name: 'USER_FORM_INFO_FLAG_MOBILE', value: '13800000000' }],
      custom_field_list: [{ name: 'favourite', value: 'tea', value_list: ['tea'] }],
    },
    bonus_value: 88,
  });
  assert.deepEqual(got, expected);

  assert.equal(sb.requests.length, 1);
  const [req] = sb.requests;
  assert.equal(req.method, 'GET');
  assert.equal(req.url, '/v3/marketing/membercard-open/cards/pY7xGs0sMdNN9PVCvtJNl-6DJdIY/codes/300000001');
  assert.equal(req.verified, true, req.reason);
  assert.equal(req.body.length, 0);
  assert.equal(req.headers.accept, 'application/json');
  assert.equal(req.headers['content-type'], undefined, 'a GET has no body, so no Content-Type');
  const m = AUTH.exec(req.headers.authorization);
  assert.ok(m, `Authorization has the documented shape: ${req.headers.authorization}`);
  assert.equal(m[1], sb.mchid);
  assert.equal(m[2], sb.merchant.serial);
  assert.ok(Math.abs(Number(m[3]) - Date.now() / 1000) < 10, 'timestamp is now, in seconds');
  assert.deepEqual(req.auth.order, ['mchid', 'serial_no', 'timestamp', 'nonce_str', 'signature']);
});

test('GET resolves { status, statusText, headers, data } with plain lower-case headers', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const result = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: CARD_ID, code: CODE });
  const { status, statusText, headers, data } = result;
  assert.deepEqual(Object.keys(result).sort(), ['data', 'headers', 'status', 'statusText']);
  assert.equal(status, 200);
  assert.equal(statusText, 'OK');
  assert.equal(Object.getPrototypeOf(headers), Object.prototype, 'headers is a plain object');
  for (const name of Object.keys(headers)) assert.equal(name, name.toLowerCase());
  assert.equal(headers['request-id'], sb.requests[0].requestId);
  assert.equal(headers['wechatpay-serial'], sb.platform.serial);
  assert.equal(headers['content-type'], 'application/json; charset=utf-8');
  assert.match(headers['wechatpay-nonce'], /^[0-9A-Za-z]{32}$/);
  assert.equal(typeof data.balance, 'number');
  assert.equal(data.code, CODE);
});

test('GET a code that needs percent-encoding (space, slash, ?, é) reaches the right card', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const { status, data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: CARD_ID, code: ODD_CODE });
  assert.equal(status, 200);
  assert.deepEqual(data, sb.cards[CARD_ID][ODD_CODE]);
  assert.equal(data.nickname, '微信用户 🎉');
  assert.equal(sb.requests[0].url, '/v3/marketing/membercard-open/cards/pY7xGs0sMdNN9PVCvtJNl-6DJdIY/codes/a%20b%2Fc%3F%C3%A9');
  assert.equal(sb.requests[0].verified, true, sb.requests[0].reason);
});

test('PATCH member code: the seed call resolves true and changes the stored card', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const card_id = CARD_ID, code = CODE;
  const membership_number = '20219999';
  const background_picture_url = 'https://wxpaylogo.qpic.cn/sandbox/新背景.png';
  const level = '钻石 Diamond';
  const out_request_no = 'seed-patch-0001';
  const balance_information = { before_balance: 1000, balance: 1234, add_balance: 234, balance_remark: '充值 top-up' };

  const ok = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.patch({
    membership_number,
    background_picture_url,
    level,
    out_request_no,
    balance_information,
  }, { card_id, code, })
  .then(({ status }) => status === 204);

  assert.equal(ok, true);
  const card = sb.cards[CARD_ID][CODE];
  assert.equal(card.membership_number, '20219999');
  assert.equal(card.background_picture_url, 'https://wxpaylogo.qpic.cn/sandbox/新背景.png');
  assert.equal(card.level, '钻石 Diamond');
  assert.equal(card.balance, 1234);
  assert.equal(card.openid, 'obLatjhnqgy2syxrXVM3MJ5TmTsM', 'fields not patched stay');

  const [req] = sb.requests;
  assert.equal(req.method, 'PATCH');
  assert.equal(req.url, '/v3/marketing/membercard-open/cards/pY7xGs0sMdNN9PVCvtJNl-6DJdIY/codes/300000001');
  assert.equal(req.verified, true, req.reason);
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.body.toString('utf8'), JSON.stringify({ membership_number, background_picture_url, level, out_request_no, balance_information }));
  assert.equal(req.status, 204);

  // and the next GET shows it
  const { data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id, code });
  assert.equal(data.level, '钻石 Diamond');
  assert.equal(data.balance, 1234);
  assert.equal(data.membership_number, '20219999');
});

test('PATCH resolves { status: 204, statusText, headers, data: "" }', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const r = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_
    .patch({ level: 'SILVER', out_request_no: 'seed-patch-0002' }, { card_id: CARD_ID, code: ODD_CODE });
  assert.equal(r.status, 204);
  assert.equal(r.statusText, 'No Content');
  assert.equal(r.data, '');
  assert.equal(r.headers['request-id'], sb.requests[0].requestId);
  assert.equal(sb.cards[CARD_ID][ODD_CODE].level, 'SILVER');
});

test('PATCH the service refuses: PARAM_ERROR with its detail, card unchanged', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const before = structuredClone(sb.cards[CARD_ID][CODE]);
  const err = await rejectsWith(
    wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.patch({ level: 'X' }, { card_id: CARD_ID, code: CODE }),
    'PARAM_ERROR',
    { status: 400, message: 'out_request_no is required and must be a non-empty string', detail: { field: 'out_request_no', location: 'body' } },
  );
  assert.equal(err.requestId, sb.requests[0].requestId);
  assert.deepEqual(sb.cards[CARD_ID][CODE], before);
});

test('GET an unknown code: RESOURCE_NOT_EXISTS 404 with the service message', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const err = await rejectsWith(
    wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: CARD_ID, code: '999' }),
    'RESOURCE_NOT_EXISTS',
    { status: 404, message: '会员卡不存在 (no such card code)' },
  );
  assert.equal(err.requestId, sb.requests[0].requestId);
  assert.equal(err.response.status, 404);
  assert.deepEqual(err.response.data, { code: 'RESOURCE_NOT_EXISTS', message: '会员卡不存在 (no such card code)' });
});
