// Every endpoint of the membercard-open family (api/marketing/membercard-open.json)
// is typed: its config, body, status and answer.
import type { Wxpay, WxpayResponse } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

declare const wxpay: Wxpay;
declare const card_id: string, code: string, activate_ticket: string, openid: string;
const family = wxpay.v3.marketing.membercardOpen;
const card = family.cards._card_id_;
const userCard = card.codes._code_;

// POST /cards: create a card template.
const created = await family.cards.post({
  appid: 'wxea9c30890f48d5ae',
  brand: { brand_id: '1004', display_name: '微信支付' },
  logo_url: 'https://wxpaylogo.qpic.cn/wxpaylogo/xxxxx/0',
  title: '微信支付测试卡',
  background_picture_url: 'https://wxpaylogo.qpic.cn/wxpaylogo/xxxxx/0',
  description: '使用须知',
  code_type: 'BAR_CODE_AND_QRCODE',
  date_information: { type: 'PERMANENT' },
  code_mode: 'SYSTEM_ALLOCATE',
  out_request_no: '100002322019090134234sfdf',
  user_information_form: { common_field_list: ['USER_FORM_FLAG_MOBILE'], custom_field_list: [{ type: 'SELECT', name: '喜欢的运动', values: ['篮球'] }] },
});
type _created = Expect<Equal<typeof created.status, 200>>;
type _createdId = Expect<Equal<typeof created.data.card_id, string>>;
type _createdRemain = Expect<Equal<typeof created.data.remain_quantity, number | undefined>>;

// GET /cards?offset&limit: the query is typed and required.
const list = await family.cards.get({ params: { offset: 0, limit: 10, brand_id: '1004' } });
type _listTotal = Expect<Equal<typeof list.data.total_count, number>>;
type _listItem = Expect<Equal<NonNullable<typeof list.data.data>[number]['card_id'], string>>;

// GET | PATCH | DELETE /cards/{card_id}
const one = await card.get({ card_id });
type _one = Expect<Equal<typeof one.data.title, string>>;
type _oneStatus = Expect<Equal<typeof one.data.status, 'NOT_APPROVE' | 'APPROVE_FAIL' | 'APPROVED' | 'DELETED' | (string & {}) | undefined>>;
const edited = await card.patch({ title: '新卡名', date_information: { type: 'FIX_TERM', wait_days_after_receive: 2 } }, { card_id });
type _edited = Expect<Equal<typeof edited, WxpayResponse<'', 204>>>;
const deleted = await card.delete({ card_id });
type _deleted = Expect<Equal<typeof deleted, WxpayResponse<'', 204>>>;

// POST /cards/{card_id}/codes/{code}/activate, .../unavailable; PATCH .../rights
const activated = await userCard.activate.post({ membership_number: '316510891298' }, { card_id, code });
type _activated = Expect<Equal<typeof activated.status, 204>>;
const voided = await userCard.unavailable.post({ reason: '用户违反会员条例' }, { card_id, code });
type _voided = Expect<Equal<typeof voided.status, 204>>;
const rights = await userCard.rights.patch({ bonus_value: 600, add_bonus_value: 100, before_bonus_value: 500, out_request_no: 'r1' }, { card_id, code });
// The fields the description documents besides (rights: the notice and the member's guide; a card's
// code type and mode, and dynamic codes) are taken too.
await userCard.rights.patch({ out_request_no: 'r2', need_inform_bonus: true, member_price_word: '会员价', fapiao_jump_word: '开票', guide: { staff_name: '何小明', phone_number: '0755-12345677' } }, { card_id, code });
await card.patch({ code_type: 'QRCODE', code_mode: 'REAL_TIME', need_dynamic_code: true }, { card_id });
// @ts-expect-error TS2322: a code type the API does not list
await card.patch({ code_type: 'PDF417' }, { card_id });
type _rights = Expect<Equal<typeof rights.status, 204>>;

// POST /cards/{card_id}/codes/deposit
const deposit = await card.codes.deposit.post({ code: ['478515832665'] }, { card_id });
type _depositResult = Expect<Equal<NonNullable<typeof deposit.data.data>[number]['result'], 'SUCCESS' | 'DUPLICATE' | 'FAIL' | (string & {}) | undefined>>;

// GET /activate-informations/{activate_ticket}
const info = await family.activateInformations._activate_ticket_.get({ activate_ticket });
type _infoList = Expect<Equal<NonNullable<typeof info.data.user_information>['custom_field_list'][number]['value_list'], string[]>>;

// GET | PATCH /callback: no placeholder, so the config is optional.
const callback = await family.callback.get();
type _callback = Expect<Equal<typeof callback.data.notify_url, string>>;
const callbackSet = await family.callback.patch({ notify_url: 'https://example.com/notify' });
type _callbackSet = Expect<Equal<typeof callbackSet.data.mchid, string | undefined>>;

// GET /user/cards?openid&offset&limit
const mine = await family.user.cards.get({ params: { openid, offset: 0, limit: 20 }, timeout: 5000 });
type _mine = Expect<Equal<NonNullable<typeof mine.data.data>[number]['code'], string | undefined>>;

// Hover shows the title, the request line and the documentation link (checked in gen-types.test.mjs).
export {};
