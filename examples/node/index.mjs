// Member card lookup and update with wxpay-wasm, as a Node service would do it.
//   node index.mjs <card_id> <code>
// Configuration comes from the environment (see README.md in this folder).
import { readFileSync } from 'node:fs';
import { Wxpay, WxpayError } from 'wxpay-wasm';

const env = (name) => process.env[name] ?? (() => { throw new Error(`set ${name}`); })();

const wxpay = new Wxpay({
  mchid: env('WXPAY_MCHID'),
  serial: env('WXPAY_SERIAL'),
  privateKey: readFileSync(env('WXPAY_PRIVATE_KEY_FILE')),
  certs: { [env('WXPAY_PLATFORM_SERIAL')]: readFileSync(env('WXPAY_PLATFORM_CERT_FILE')) },
  baseURL: process.env.WXPAY_BASE_URL || undefined, // unset or empty: https://api.mch.weixin.qq.com/
  timeout: 10_000,
});

const [card_id, code] = process.argv.slice(2);
if (!card_id || !code) {
  console.error('usage: node index.mjs <card_id> <code>');
  process.exit(2);
}
const memberCode = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;

try {
  // 查询用户会员卡信息
  const { status, headers, data } = await memberCode.get({ card_id, code });
  console.log(`GET ${status} (Request-ID ${headers['request-id']})`);
  // Not the whole record: it holds the member's openid and personal details (user_information).
  console.log(`card ${data.card_id}, code ${data.code}: level ${data.level}, balance ${data.balance}`);

  // 修改用户会员卡信息: answered by 204 No Content
  const ok = await memberCode
    .patch({
      membership_number: data.membership_number,
      background_picture_url: data.background_picture_url,
      level: 'gold',
      out_request_no: `demo-${Date.now()}`,
      balance_information: {
        before_balance: data.balance,
        balance: data.balance + 100,
        add_balance: 100,
        balance_remark: 'top-up from the demo',
      },
    }, { card_id, code })
    .then(({ status }) => status === 204);
  console.log(`PATCH ${ok ? 'accepted (204)' : 'not accepted'}`);

  const after = await memberCode.get({ card_id, code });
  console.log(`GET again: level ${after.data.level}, balance ${data.balance} -> ${after.data.balance}`);
} catch (err) {
  if (err instanceof WxpayError) {
    console.error(`${err.code}: ${err.message}${err.requestId ? ` (Request-ID ${err.requestId})` : ''}`);
    process.exit(1);
  }
  throw err;
}
