// The order query answers, described by hand (api-hand/pay/transactions.json,
// api-hand/pay/partner.json): the corpus builds them from the order request
// (description and notify_url required, no promotion_detail; by id, no payer).
// And the partner JSAPI order: the payer by sp_openid or by sub_openid.
import type { Wxpay, WeChatPay } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

declare const wxpay: Wxpay;
const mchid = '1230000109';
const sp_mchid = '1230000109';
const sub_mchid = '1900000109';
const out_trade_no = '1217752501201407033233368018';
const transaction_id = '4200000000202401011234567890';

type State = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | (string & {});

// GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid
const byNo = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no, params: { mchid } });
// @ts-expect-error TS2339: a query answer carries no description (an order request field)
void byNo.data.description.length;
// @ts-expect-error TS2339: nor notify_url
void byNo.data.notify_url;
type _byNoRequired = Expect<Equal<[typeof byNo.data.appid, typeof byNo.data.mchid, typeof byNo.data.out_trade_no, typeof byNo.data.trade_state_desc], [string, string, string, string]>>;
type _byNoState = Expect<Equal<typeof byNo.data.trade_state, State>>;
type _byNoSuccess = Expect<Equal<typeof byNo.data.success_time, string | undefined>>;
type _byNoPayer = Expect<Equal<NonNullable<typeof byNo.data.payer>['openid'], string | undefined>>;
type _byNoDevice = Expect<Equal<NonNullable<typeof byNo.data.scene_info>['device_id'], string | undefined>>;
type _byNoInstallments = Expect<Equal<NonNullable<typeof byNo.data.installment_info>['selected_installment_number'], number>>;
// promotion_detail, the v3 shape with its goods.
type Promotion = NonNullable<typeof byNo.data.promotion_detail>[number];
type _promotionAmount = Expect<Equal<Promotion['amount'], number | undefined>>;
type _promotionScope = Expect<Equal<Promotion['scope'], 'GLOBAL' | 'SINGLE' | (string & {}) | undefined>>;
type _promotionGoods = Expect<Equal<NonNullable<Promotion['goods_detail']>[number]['goods_id'], string>>;
const discounted = byNo.data.promotion_detail?.reduce((sum, p) => sum + (p.amount ?? 0), 0);
type _discounted = Expect<Equal<typeof discounted, number | undefined>>;

// GET /v3/pay/transactions/id/{transaction_id}?mchid: the same answer, payer and payer_total included.
const byId = await wxpay.v3.pay.transactions.id.$transaction_id$.get({ transaction_id, params: { mchid } });
type _sameAnswer = Expect<Equal<typeof byId.data, typeof byNo.data>>;
type _byIdPayer = Expect<Equal<typeof byId.data.payer, { openid?: string } | undefined>>;
type _byIdPaid = Expect<Equal<NonNullable<typeof byId.data.amount>['payer_total'], number | undefined>>;
type _byIdPaidCurrency = Expect<Equal<NonNullable<typeof byId.data.amount>['payer_currency'], string | undefined>>;
// @ts-expect-error TS18048: amount is absent from some answers: read it with ?.
void byId.data.amount.total;
// @ts-expect-error TS2353: the query has mchid only (the request side as generated)
await wxpay.v3.pay.transactions.id._transaction_id_.get({ transaction_id, params: { mchid, sub_mchid: '1900000109' } });

// The partner twins: GET /v3/pay/partner/transactions/{out-trade-no,id}/...?sp_mchid&sub_mchid
const partnerByNo = await wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.get({ out_trade_no, params: { sp_mchid, sub_mchid } });
const partnerById = await wxpay.v3.pay.partner.transactions.id._transaction_id_.get({ transaction_id, params: { sp_mchid, sub_mchid } });
type _partnerSame = Expect<Equal<typeof partnerById.data, typeof partnerByNo.data>>;
// @ts-expect-error TS2339: a query answer carries no description
void partnerById.data.description.length;
type _partnerRequired = Expect<Equal<[typeof partnerById.data.sp_appid, typeof partnerById.data.sp_mchid, typeof partnerById.data.sub_mchid, typeof partnerById.data.trade_state_desc], [string, string, string, string]>>;
type _partnerState = Expect<Equal<typeof partnerById.data.trade_state, State>>;
type _partnerPayer = Expect<Equal<typeof partnerById.data.payer, { sp_openid?: string; sub_openid?: string } | undefined>>;
type _partnerPaid = Expect<Equal<NonNullable<typeof partnerById.data.amount>['payer_total'], number | undefined>>;
type _partnerPromotion = Expect<Equal<NonNullable<typeof partnerById.data.promotion_detail>[number], Promotion>>;
// @ts-expect-error TS2741: sub_mchid is required in the partner query
await wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.get({ out_trade_no, params: { sp_mchid } });

// POST /v3/pay/partner/transactions/jsapi: the payer by sub_openid alone (with sub_appid) ...
const order = { sp_appid: 'wx8888888888888888', sp_mchid, sub_appid: 'wxd678efh567hg6999', sub_mchid, description: 'd', out_trade_no, notify_url: 'https://e.com/n', amount: { total: 1 } };
const bySub = await wxpay.v3.pay.partner.transactions.jsapi.post({ ...order, payer: { sub_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
type _prepay = Expect<Equal<typeof bySub.data.prepay_id, string>>;
// ... or by sp_openid; the payer itself stays required.
await wxpay.v3.pay.partner.transactions.jsapi.post({ ...order, payer: { sp_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
type _partnerJsapiPayer = WeChatPay.OpenAPI.V3.Pay.Partner.Transactions.Jsapi.PostHttpMethod.JsonDataRequest['payer'];
// One of two payers: sp_openid, or sub_openid (with sub_appid); never neither (tests/types/errors.ts).
type _spOpenid = Expect<Equal<Extract<_partnerJsapiPayer, { sp_openid: string }>['sp_openid'], string>>;
type _subOpenid = Expect<Equal<Extract<_partnerJsapiPayer, { sub_openid: string }>['sub_openid'], string>>;
await wxpay.v3.pay.partner.transactions.jsapi.post({ ...order, sub_appid: undefined, payer: { sp_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
// @ts-expect-error TS2345: payer is required for a JSAPI order
await wxpay.v3.pay.partner.transactions.jsapi.post(order);
export {};
