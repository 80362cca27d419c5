// A merchant's first integration, as a new user writes it: order, query, close,
// refund, bill, certificates. Every config and answer is typed from the
// generated description (api/pay/transactions.json, api/refund/domestic.json...).
import type { Wxpay, WxpayResponse, WeChatPay, ReservedHeaders, ReservedHeaderName, RequestData, Verbs } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

declare const wxpay: Wxpay;
declare const signal: AbortSignal;
const mchid = '1230000109';
const out_trade_no = '1217752501201407033233368018';

// POST /v3/pay/transactions/jsapi
const order = await wxpay.v3.pay.transactions.jsapi.post(
  { appid: 'wxd678efh567hg6787', mchid, description: 'Image形象店-深圳腾大-QQ公仔', out_trade_no, notify_url: 'https://www.weixin.qq.com/wxpay/pay.php', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } },
  { signal, timeout: 5000, headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_0114232134912410000000000000' } },
);
type _order = Expect<Equal<typeof order, WxpayResponse<WeChatPay.OpenAPI.V3.Pay.Transactions.Jsapi.PostHttpMethod.WellformedResponse, 200>>>;
type _prepay = Expect<Equal<typeof order.data.prepay_id, string>>;
type _jsapiBody = WeChatPay.OpenAPI.V3.Pay.Transactions.Jsapi.PostHttpMethod.JsonDataRequest;
type _identity = Expect<Equal<NonNullable<_jsapiBody['payer']['identity']>['type'], 'IDCARD' | 'HONGKONG_MACAO' | 'HONGKONG_MACAO_RESIDENT' | 'TAIWAN_RESIDENT' | 'FOREIGN_RESIDENT' | 'OVERSEA_PASSPORT' | 'PHONE_NUMBER'>>;
type _installments = Expect<Equal<NonNullable<NonNullable<_jsapiBody['subsidy_info']>['subsidy_detail']>[number]['subsidy_plan'][number]['subsidy_installment_num'], 3 | 6 | 12>>;

// Documented headers by name, or a Headers object when none is required.
await wxpay.v3.pay.transactions.native.post({ appid: 'wx1', mchid, description: 'd', out_trade_no, notify_url: 'https://e.com/n', amount: { total: 1 } }, { headers: new Headers({ 'Wechatpay-Serial': 'PUB_KEY_ID_0114232134912410000000000000' }) });
type _nativeHeaders = Expect<Equal<WeChatPay.OpenAPI.V3.Pay.Transactions.Native.PostHttpMethod.RequestConfig['headers'], WeChatPay.OpenAPI.V3.Pay.Transactions.Native.PostHttpMethod.RequestHeaders | Headers | undefined>>;

// GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid: both placeholder spellings, the same type.
const byOutTradeNo = wxpay.v3.pay.transactions.outTradeNo;
type _spellings = Expect<Equal<typeof byOutTradeNo._out_trade_no_, typeof byOutTradeNo.$out_trade_no$>>;
const queried = await byOutTradeNo.$out_trade_no$.get({ out_trade_no, params: { mchid } });
type _state = Expect<Equal<typeof queried.data.trade_state, 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | (string & {})>>;
type _amount = Expect<Equal<typeof queried.data.amount, { total?: number; payer_total?: number; currency?: string; payer_currency?: string } | undefined>>;

// POST .../close: 204, data ''.
const closed = await byOutTradeNo._out_trade_no_.close.post({ mchid }, { out_trade_no });
type _closed = Expect<Equal<typeof closed, WxpayResponse<'', 204>>>;

// POST /v3/refund/domestic/refunds
const refund = await wxpay.v3.refund.domestic.refunds.post({ out_trade_no, out_refund_no: 'R1', amount: { refund: 1, total: 100, currency: 'CNY' } });
type _refundId = Expect<Equal<typeof refund.data.refund_id, string>>;

// GET /v3/bill/tradebill?bill_date&bill_type: a nullable enum in the query.
const bill = await wxpay.v3.bill.tradebill.get({ params: { bill_date: '2019-06-11', bill_type: 'ALL' } });
type _billUrl = Expect<Equal<typeof bill.data.download_url, string>>;
type _billType = Expect<Equal<WeChatPay.OpenAPI.V3.Bill.Tradebill.GetHttpMethod.QueryParams['bill_type'], 'ALL' | 'SUCCESS' | 'REFUND' | 'RECHARGE_REFUND' | 'ALL_SPECIAL' | 'SUC_SPECIAL' | 'REF_SPECIAL' | null | undefined>>;

// GET /v3/certificates: no config needed.
const certs = await wxpay.v3.certificates.get();
type _serial = Expect<Equal<typeof certs.data.data[number]['serial_no'], string | undefined>>;

// A segment named like a verb (`receivers/delete`) is a typed bracket path.
const removed = await wxpay.v3.profitsharing['receivers/delete'].post({ appid: 'wx8888888888888888', type: 'MERCHANT_ID', account: '86693852' });
type _removed = Expect<Equal<typeof removed.data.account, string>>;
// `receivers.delete` would be the DELETE verb of /v3/profitsharing/receivers, which is not
// documented: typed never, its doc naming the bracket path (scripts/gen-types.mjs).
type _receiversDelete = Expect<Equal<Wxpay['v3']['profitsharing']['receivers']['delete'], never>>;

// The reserved headers, one by one (each with its doc), are exactly the names and their lower case.
type _reserved = Expect<Equal<keyof ReservedHeaders, ReservedHeaderName | Lowercase<ReservedHeaderName>>>;

// A header the API requires (Idempotency-Key) makes `headers` required.
type _partnershipHeaders = WeChatPay.OpenAPI.V3.Marketing.Partnerships.Build.PostHttpMethod.RequestConfig['headers'];
type _idempotency = Expect<Equal<_partnershipHeaders['Idempotency-Key'], string>>;
export {};

// POST /v3/combine-transactions/jsapi: a direct merchant's combined order names no sub-merchant
// (scripts/gen-api.mjs AMENDMENTS); a partner's still may.
await wxpay.v3.combineTransactions.jsapi.post({
  combine_appid: 'wx1', combine_mchid: mchid, combine_out_trade_no: 'C1', notify_url: 'https://e.com/n', combine_payer_info: { openid: 'o' },
  sub_orders: [{ mchid, attach: 'a', amount: { total_amount: 100, currency: 'CNY' }, out_trade_no: 'S1', description: 'd' }],
});
type _combineSub = Expect<Equal<WeChatPay.OpenAPI.V3.CombineTransactions.Jsapi.PostHttpMethod.JsonDataRequest['sub_orders'][number]['sub_mchid'], string | undefined>>;

// POST /v3/transfer/batches: a detail under 2,000 yuan names no payee (user_name), a larger one does (AMENDMENTS).
await wxpay.v3.transfer.batches.post({
  appid: 'wx1', out_batch_no: 'B1', batch_name: 'n', batch_remark: 'r', total_amount: 100, total_num: 1, transfer_scene_id: '1000',
  transfer_detail_list: [{ out_detail_no: 'D1', transfer_amount: 100, transfer_remark: 'r', openid: 'o' }],
});
type _payee = Expect<Equal<WeChatPay.OpenAPI.V3.Transfer.Batches.PostHttpMethod.JsonDataRequest['transfer_detail_list'][number]['user_name'], string | undefined>>;

// GET /v3/profitsharing/orders/{out_order_no}: the corpus's enums sit one field off there; the
// create answer's are taken (AMENDMENTS), so the order's state and each receiver's result read as
// the create answer has them, and fail_reason has its reasons.
const sharing = await wxpay.v3.profitsharing.orders._out_order_no_.get({ out_order_no: 'P1', params: { transaction_id: '4208450740201411110007820472' } });
type _sharingState = Expect<Equal<typeof sharing.data.state, ResponseData<Wxpay['v3']['profitsharing']['orders']['post']>['state']>>;
type _sharingStateValues = Expect<Equal<Extract<typeof sharing.data.state, 'PROCESSING' | 'FINISHED' | 'PENDING'>, 'PROCESSING' | 'FINISHED'>>;
type _sharingReceiver = NonNullable<typeof sharing.data.receivers>[number];
type _sharingResult = Expect<Equal<Extract<_sharingReceiver['result'], 'PENDING' | 'SUCCESS' | 'CLOSED' | 'NO_AUTH'>, 'PENDING' | 'SUCCESS' | 'CLOSED'>>;
type _sharingFail = Expect<Equal<Extract<_sharingReceiver['fail_reason'], 'NO_AUTH' | 'SUCCESS'>, 'NO_AUTH'>>;

// A store named by its id alone; an H5 scene with the payer's IP and its type (AMENDMENTS).
await wxpay.v3.pay.transactions.native.post({
  appid: 'wxd678efh567hg6787', mchid: '1230000109', description: 'd', out_trade_no: 'o3', notify_url: 'https://example.com/notify', amount: { total: 1 },
  scene_info: { payer_client_ip: '14.23.150.211', store_info: { id: '0001' } },
});
await wxpay.v3.pay.partner.transactions.jsapi.post({
  sp_appid: 'wx8888888888888888', sp_mchid: '1230000109', sub_mchid: '1900000109', description: 'd', out_trade_no: 'o4', notify_url: 'https://example.com/notify', amount: { total: 1 },
  payer: { sp_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, scene_info: { payer_client_ip: '14.23.150.211', store_info: { id: '0001' } },
});
await wxpay.v3.pay.transactions.h5.post({
  appid: 'wxd678efh567hg6787', mchid: '1230000109', description: 'd', out_trade_no: 'o5', notify_url: 'https://example.com/notify', amount: { total: 1 },
  scene_info: { payer_client_ip: '14.23.150.211', h5_info: { type: 'Wap' } },
});

// A refund names its order one way or the other (or both); a return its split likewise (AMENDMENTS).
const refundAmount = { refund: 1, total: 1, currency: 'CNY' } as const;
await wxpay.v3.refund.domestic.refunds.post({ out_refund_no: 'R1', out_trade_no: 'o1', amount: refundAmount });
await wxpay.v3.refund.domestic.refunds.post({ out_refund_no: 'R2', transaction_id: '4200000000000000000000000000', amount: refundAmount });
await wxpay.v3.refund.domestic.refunds.post({ out_refund_no: 'R3', transaction_id: '4200000000000000000000000000', out_trade_no: 'o1', amount: refundAmount });
await wxpay.v3.profitsharing.returnOrders.post({ out_order_no: 'P1', out_return_no: 'RT1', return_mchid: '86693852', amount: 1, description: 'd' });

// Each spelling of a placeholder is the same typed node: `_x_`, `$x$` and `['{x}']`.
type _braces = Expect<Equal<typeof wxpay.v3.pay.transactions.id['{transaction_id}'], typeof wxpay.v3.pay.transactions.id._transaction_id_>>;
type _dollars = Expect<Equal<typeof wxpay.v3.pay.transactions.id.$transaction_id$, typeof wxpay.v3.pay.transactions.id._transaction_id_>>;
const byBraces = await wxpay.v3.pay.transactions.id['{transaction_id}'].get({ transaction_id: '4200000000000000000000000000', params: { mchid: '1900000109' } });
type _bracesData = Expect<Equal<typeof byBraces.data, PayTransaction>>;

// Answer fields that come in some states only are optional (AMENDMENTS: the corpus has them
// required, where a sibling operation has them optional): optional is `undefined extends` the field.
type Opt<T, K extends keyof T> = undefined extends T[K] ? 'optional' : 'required';
type _scoreCreate = ResponseData<Wxpay['v3']['payscore']['serviceorder']['post']>;
type _scorePackage = Expect<Equal<Opt<_scoreCreate, 'package'>, 'optional'>>; // need_user_confirm false: none
type _scoreOrderId = Expect<Equal<Opt<_scoreCreate, 'order_id'>, 'required'>>;
type _partnerBill = ResponseData<Wxpay['v3']['fundApp']['mchTransfer']['partner']['transferBills']['post']>;
type _partnerPackage = Expect<Equal<Opt<_partnerBill, 'package_info'>, 'optional'>>; // WAIT_USER_CONFIRM only
type _partnerBillNo = Expect<Equal<Opt<_partnerBill, 'transfer_bill_no'>, 'required'>>;
type _partnerAuth = ResponseData<Wxpay['v3']['fundApp']['mchTransfer']['partner']['userConfirmAuthorizations']['_out_authorization_no_']['get']>;
type _partnerAuthTime = Expect<Equal<Opt<_partnerAuth, 'authorize_time'>, 'optional'>>; // not before the user confirms
type _partnerAuthId = Expect<Equal<Opt<_partnerAuth, 'authorization_id'>, 'optional'>>;
type _partnerAuthState = Expect<Equal<Opt<_partnerAuth, 'state'>, 'required'>>;
type _partnerBatch = ResponseData<Wxpay['v3']['partnerTransfer']['batches']['outBatchNo']['_out_batch_no_']['get']>;
type _partnerDetails = Expect<Equal<Opt<_partnerBatch, 'transfer_detail_list'>, 'optional'>>; // need_query_detail
type _transferDetail = ResponseData<Wxpay['v3']['transfer']['batches']['outBatchNo']['_out_batch_no_']['details']['outDetailNo']['_out_detail_no_']['get']>;
type _detailName = Expect<Equal<Opt<_transferDetail, 'user_name'>, 'optional'>>; // a transfer sent without the name
type _detailOpenid = Expect<Equal<Opt<_transferDetail, 'openid'>, 'required'>>;

// A receiver's fail_reason comes with a CLOSED result only: optional in each answer that lists
// receivers (the corpus has it required in the unfreeze answer and the global ones: AMENDMENTS).
type _unfreezeReceiver = NonNullable<ResponseData<Wxpay['v3']['profitsharing']['orders']['unfreeze']['post']>['receivers']>[number];
type _unfreezeFail = Expect<Equal<undefined extends _unfreezeReceiver['fail_reason'] ? 'optional' : 'required', 'optional'>>;
type _unfreezeResult = Expect<Equal<undefined extends _unfreezeReceiver['result'] ? 'optional' : 'required', 'required'>>;
type _createFail = Expect<Equal<undefined extends NonNullable<ResponseData<Wxpay['v3']['profitsharing']['orders']['post']>['receivers']>[number]['fail_reason'] ? 'optional' : 'required', 'optional'>>;

// POST /v3/marketing/paygiftactivity/unique-threshold-activity: `award_send_rule` is required by
// one part of an allOf and described by another; it stays required.
type _giftBody = WeChatPay.OpenAPI.V3.Marketing.Paygiftactivity.UniqueThresholdActivity.PostHttpMethod.JsonDataRequest;
type _giftRule = Expect<Equal<undefined extends _giftBody['award_send_rule'] ? 'optional' : 'required', 'required'>>;

// 微信支付分 on the front end: the parameters of wx.openBusinessView, signed by the APIv2 rule.
import { payscoreParams, signV2 } from 'wxpay-wasm';
import type { PayscoreDetailInput, PayscoreUseInput, PayTransaction, ResponseData } from 'wxpay-wasm';
declare const serviceOrder: ResponseData<Wxpay['v3']['payscore']['serviceorder']['post']>;
// The create answer's package may be absent (an order made with need_user_confirm false): told
// apart first (passing it unchecked does not compile; the error's code depends on the config).
if (serviceOrder.package === undefined) throw new Error('made without the payer confirming: nothing to confirm');
const use = await payscoreParams({ mchid, apiv2Key: 'k', package: serviceOrder.package });
type _use = Expect<Equal<typeof use.businessType, 'wxpayScoreUse'>>;
type _usePackage = Expect<Equal<typeof use.extraData.package, string>>;
type _signType = Expect<Equal<typeof use.extraData.sign_type, 'HMAC-SHA256'>>;
const scoreDetail = await payscoreParams({ mchid, apiv2Key: 'k', service_id: '500001', out_order_no: 'o1' });
type _detail = Expect<Equal<typeof scoreDetail.businessType, 'wxpayScoreDetail'>>;
type _detailNo = Expect<Equal<typeof scoreDetail.extraData.out_order_no, string>>;
// Either, decided at run time: the union of the two answers, told apart by businessType.
declare const either: PayscoreUseInput | PayscoreDetailInput;
const some = await payscoreParams(either);
if (some.businessType === 'wxpayScoreDetail') { const no: string = some.extraData.out_order_no; void no; }
// @ts-expect-error TS2769: an order to confirm or its details, not both
await payscoreParams({ mchid, apiv2Key: 'k', package: 'p', service_id: 's', out_order_no: 'o' });
// @ts-expect-error TS2769: neither
await payscoreParams({ mchid, apiv2Key: 'k' });
const both = { mchid, apiv2Key: 'k', package: 'p', service_id: 's', out_order_no: 'o' };
// @ts-expect-error TS2769: not both, from a variable either
await payscoreParams(both);
const v2sign: string = await signV2({ a: '1', b: 2, c: undefined, d: null }, 'k');
// Fields typed by an interface of the caller's (no index signature) are taken.
interface Fields { appid: string; mch_id: string; total_fee: number }
declare const typed: Fields;
await signV2(typed, 'k');
// @ts-expect-error TS2322: a boolean is no field value
await signV2({ a: true }, 'k');
void v2sign;

// DELETE /v3/brand/partner/store/brandstores/{store_id}: a DELETE whose API documents a JSON body
// takes it as the config's data, required and typed.
const storeGone = await wxpay.v3.brand.partner.store.brandstores._store_id_.delete({ store_id: '20488000', data: { brand_id: '1234567' } });
type _storeGone = Expect<Equal<typeof storeGone.data, ''>>;
type _storeBody = Expect<Equal<WeChatPay.OpenAPI.V3.Brand.Partner.Store.Brandstores._store_id_.DeleteHttpMethod.RequestConfig['data'], WeChatPay.OpenAPI.V3.Brand.Partner.Store.Brandstores._store_id_.DeleteHttpMethod.JsonDataRequest>>;
// @ts-expect-error TS2345: the body (data) is required
await wxpay.v3.brand.partner.store.brandstores._store_id_.delete({ store_id: '20488000' });
// @ts-expect-error TS2353: the body's fields are checked
await wxpay.v3.brand.partner.store.brandstores._store_id_.delete({ store_id: '20488000', data: { brand_id: '1', brand: 'x' } });

// POST /v3/applyment4sub/applyment/ (提交申请单): a path that ends in a slash, reached as one
// bracket step of its parent, typed; its sections are required.
type ApplymentBody = WeChatPay.OpenAPI.V3.Applyment4sub.Applyment_.PostHttpMethod.JsonDataRequest;
declare const application: ApplymentBody;
const applied = await wxpay.v3.applyment4sub['applyment/'].post(application);
type _applied = Expect<Equal<typeof applied.data.applyment_id, number>>;
type _appliedStatus = Expect<Equal<typeof applied.status, 200>>;
type _ecommerceApplied = Expect<Equal<Awaited<ReturnType<typeof wxpay.v3.ecommerce['applyments/']['post']>>['data']['applyment_id'], number>>;
// @ts-expect-error TS2345: the application's sections are required
await wxpay.v3.applyment4sub['applyment/'].post({ business_code: 'APL1' });
// @ts-expect-error TS2339: no placeholder stands for the slash
void wxpay.v3.applyment4sub.applyment._empty_;
// A subject shows its business licence or its registration certificate (a 小微 one neither): each
// optional (AMENDMENTS; the corpus requires both), subject_type and identity_info still required.
type Subject = ApplymentBody['subject_info'];
type _licence = Expect<Equal<undefined extends Subject['business_license_info'] ? true : false, true>>;
type _certificate = Expect<Equal<undefined extends Subject['certificate_info'] ? true : false, true>>;
type _subjectType = Expect<Equal<undefined extends Subject['subject_type'] ? true : false, false>>;
type _subjectIdentity = Expect<Equal<undefined extends Subject['identity_info'] ? true : false, false>>;

// POST /v3/ecommerce/refunds/apply (收付通's refund): by out_trade_no alone, as its page has it
// (the description's required list joins 个人收款's fields: see AMENDMENTS in scripts/gen-api.mjs).
const ecRefund = await wxpay.v3.ecommerce.refunds.apply.post({ sub_mchid: '1900000109', sp_appid: 'wx8888888888888888', out_trade_no: 'P20150806125346', out_refund_no: 'R1', amount: { refund: 100, total: 100, currency: 'CNY' } });
type _ecRefund = Expect<Equal<typeof ecRefund.status, 200>>;
// @ts-expect-error TS2345: the refund number is still required
await wxpay.v3.ecommerce.refunds.apply.post({ sub_mchid: '1900000109', sp_appid: 'wx8888888888888888', out_trade_no: 'P1', amount: { refund: 100, total: 100, currency: 'CNY' } });

// Optional inputs given as undefined (built from optional values): left out, as the runtime leaves
// them; also under exactOptionalPropertyTypes (tsconfig.bundler.json). Answers stay exact.
declare const maybe: string | undefined;
declare const maybeMs: number | undefined;
declare const WxpayClass: typeof Wxpay;
new WxpayClass({ mchid, serial: 's', privateKey: 'k', apiv3Key: 'k', certs: undefined, baseURL: maybe, timeout: maybeMs, fetch: undefined, retry: undefined, backupBaseURL: maybe, onRequest: undefined, wechatpaySerial: maybe });
await wxpay.v3.pay.transactions.jsapi.post(
  { appid: 'wx1', mchid, description: 'd', out_trade_no, notify_url: 'https://e.com/n', amount: { total: 1, currency: maybe }, payer: { openid: 'o' }, attach: maybe, goods_tag: undefined },
  { timeout: maybeMs, retry: undefined, signal: undefined, headers: undefined },
);
await wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.get({ out_trade_no, params: { sp_mchid: mchid, sub_mchid: mchid }, timeout: maybeMs, maxBodyBytes: undefined });
await wxpay.appParams({ appid: 'wx1', prepay_id: 'p', partnerid: maybe });
declare const billAnswer: { download_url: string; hash_type: string; hash_value: string };
await wxpay.download(billAnswer, { timeout: maybeMs, maxBodyBytes: undefined, signal: undefined });
type _answerExact = Expect<Equal<typeof queried.data.attach, string | undefined>>;
// @ts-expect-error TS2322: a required field is still required
await wxpay.v3.pay.transactions.jsapi.post({ appid: undefined, mchid, description: 'd', out_trade_no, notify_url: 'https://e.com/n', amount: { total: 1 }, payer: { openid: 'o' } });

// RequestData, ResponseData's twin: a body built in a function of its own, typed as the verb takes it.
type _jsapiData = Expect<Equal<RequestData<Wxpay['v3']['pay']['transactions']['jsapi']['post']>, WeChatPay.OpenAPI.V3.Pay.Transactions.Jsapi.PostHttpMethod.JsonDataRequest>>;
type Ubo = NonNullable<RequestData<Wxpay['v3']['applyment4sub']['applyment/']['post']>['subject_info']['ubo_info_list']>[number];
const ubo = (name: string): Partial<Ubo> => ({ ubo_id_doc_name: name });
void ubo;
// A DELETE's body is its config's data; a GET sends none.
type _deleteData = Expect<Equal<RequestData<Wxpay['v3']['brand']['partner']['store']['brandstores']['_store_id_']['delete']>, WeChatPay.OpenAPI.V3.Brand.Partner.Store.Brandstores._store_id_.DeleteHttpMethod.JsonDataRequest>>;
type _getData = Expect<Equal<RequestData<Wxpay['v3']['pay']['transactions']['outTradeNo']['_out_trade_no_']['get']>, never>>;
// A post that sends no body (its data null), a verb typed never (reached by a bracket path): never.
type _nullData = Expect<Equal<RequestData<Wxpay['v3']['apply4subject']['applyment']['_applyment_id_']['cancel']['post']>, never>>;
type _neverVerb = Expect<Equal<RequestData<Wxpay['v3']['brand']['profitsharing']['receivers']['delete']>, never>>;
// An upload's FormData; the untyped chain's delete sends its config's data, whatever it is.
type _upload = Expect<Equal<RequestData<Wxpay['v3']['merchant']['media']['upload']['post']>, FormData>>;
type _untypedDelete = Expect<Equal<RequestData<Verbs['delete']>, unknown>>;
// @ts-expect-error TS2353: a field the body does not have
const wrong: RequestData<Wxpay['v3']['pay']['transactions']['jsapi']['post']> = { appid: 'wx', mchid, description: 'd', out_trade_no, notify_url: 'https://x', amount: { total: 1 }, payer: { openid: 'o' }, not_a_field: 1 };
void wrong;
