// The seed page's two calls (../shared/seed/membercard-open.md), compiled as
// TypeScript against the installed package. The two snippets below the
// declarations are the seed's code exactly as the page writes it.
import { Wxpay } from 'wxpay-wasm';

declare const mchid: string, serial: string, privateKey: string, platformSerial: string, platformPem: string;
declare const card_id: string, code: string;
declare const membership_number: string, background_picture_url: string, level: string, out_request_no: string;
declare const balance_information: { before_balance: number; balance: number; add_balance: number; balance_remark: string };

const wxpay = new Wxpay({ mchid, serial, privateKey, certs: { [platformSerial]: platformPem } });

// ---- seed: 查询用户会员卡信息 (GET), unchanged
wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({
//                                                             ^^^
  card_id,
  code,
})
.then(
  ({ // [!code hl:29]
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
)

// ---- seed: 修改用户会员卡信息 (PATCH), unchanged
wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.patch({
//                                                             ^^^^^
  membership_number,
  background_picture_url,
  level,
  out_request_no,
  balance_information,
}, { card_id, code, })
.then(({ status }) => status === 204) // [!code hl]

// ---- the same two calls as the project's first issue writes them (top-level await, ESM)
const { status, headers, data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id, code });
const ok = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_
  .patch({ membership_number, background_picture_url, level, out_request_no, balance_information }, { card_id, code })
  .then(({ status }) => status === 204);

export { status, headers, data, ok };
