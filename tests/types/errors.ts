// Mistakes the types must catch. Each `// @ts-expect-error TSnnnn: why` line
// must be followed by a line that fails to compile (tsc checks that), and
// fail with that very code (expect-errors.mjs checks that).
import { Wxpay } from 'wxpay-wasm';

declare const wxpay: Wxpay;
declare const card_id: string, code: string;
const node = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;

// A misspelled field: in the PATCH body, in the config, in the answer.
// @ts-expect-error TS2561: membrship_number is not a field of the body
await node.patch({ membrship_number: '316510891298', out_request_no: 'r1' }, { card_id, code });
// @ts-expect-error TS2561: parmas is not a config key
await node.get({ card_id, code, parmas: { a: 1 } });
const { data } = await node.get({ card_id, code });
// @ts-expect-error TS2551: the answer has balance, not balanse
void data.balanse;

// A missing placeholder.
// @ts-expect-error TS2345: card_id is missing
await node.get({ code });
// @ts-expect-error TS2554: the PATCH config with its placeholders is required
await node.patch({ out_request_no: 'r1' });
// Also in the bracket spelling `['{code}']` (wechatpay-axios-plugin's): the same node, the same config.
// @ts-expect-error TS2345: code is missing
await wxpay.v3.marketing.membercardOpen.cards['{card_id}'].codes['{code}'].get({ card_id });

// A PATCH body without out_request_no.
// @ts-expect-error TS2345: out_request_no is required
await node.patch({ membership_number: '316510891298', level: '钻石会员' }, { card_id, code });

// A number where a string belongs, and the other way round.
// @ts-expect-error TS2322: membership_number is a string
await node.patch({ membership_number: 316510891298, out_request_no: 'r1' }, { card_id, code });
// Placeholders take a string or a number (the runtime formats a number as JS does); nothing else.
await node.get({ card_id: 123, code });
await wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: 1217752501 });
// @ts-expect-error TS2322: a placeholder is a string or a number, not an object
await node.get({ card_id: { id: 123 }, code });
// @ts-expect-error TS2322: balance is a number
const balance: string = data.balance;
void balance;

// Request enums are closed: a misspelled value is caught.
await wxpay.v3.marketing.membercardOpen.cards.post({
  appid: 'wx', brand: { brand_id: '1', display_name: 'b' }, logo_url: 'u', title: 't', background_picture_url: 'u',
  // @ts-expect-error TS2820: QR_CODE is not a code type (QRCODE is)
  description: 'd', code_type: 'QR_CODE', date_information: { type: 'PERMANENT' }, code_mode: 'SYSTEM_ALLOCATE', out_request_no: 'r',
});

// A typed query: required, and typed.
// @ts-expect-error TS2345: params { offset, limit } are required
await wxpay.v3.marketing.membercardOpen.cards.get({});
// @ts-expect-error TS2741: limit is missing from the query
await wxpay.v3.marketing.membercardOpen.cards.get({ params: { offset: 0 } });

// The status of a 204 answer is 204: comparing it with 200 is a mistake.
const { status } = await node.patch({ out_request_no: 'r1' }, { card_id, code });
// @ts-expect-error TS2367: status is 204
if (status === 200) void status;

// A misspelled verb or segment does not exist on a typed node; nodes are not thenable.
// @ts-expect-error TS2551: pacth is neither a verb nor a segment of this node
await node.pacth({ out_request_no: 'r1' }, { card_id, code });
// @ts-expect-error TS2722: then is undefined
wxpay.v3.pay.then(() => {});

// Untyped answers (a bracket path) are unknown until the caller narrows them.
const untyped = await wxpay.v3['pay/transactions/id/{transaction_id}'].get({ transaction_id: '1' });
// @ts-expect-error TS18046: data is unknown
void untyped.data.trade_state;

// Typos in the chain do not compile (issue 12): a segment the description does not have...
// @ts-expect-error TS2551: transactoins is not a segment (transactions is)
void wxpay.v3.pay.transactoins;
// @ts-expect-error TS2551: cardz is not a segment of membercard-open (cards is)
void wxpay.v3.marketing.membercardOpen.cardz;
// @ts-expect-error TS2339: a made-up family
void wxpay.v3.nothingHere.get();
// ... a verb the API does not have (jsapi is POST only) ...
// @ts-expect-error TS2339: jsapi has no GET
void wxpay.v3.pay.transactions.jsapi.get();
// ... a bracket segment without '/': only a path is the escape hatch.
// @ts-expect-error TS7053: one bare segment is not a path
void wxpay.v3['transactoins'];
// ... and a raw id under a typed node: ids go in the config, by name.
// @ts-expect-error TS7053: pass out_trade_no in the config instead
void wxpay.v3.pay.transactions.outTradeNo['N123'];

// The payment endpoints, typed from the corpus: a missing required field...
const mchid = '1230000109';
// @ts-expect-error TS2345: payer is required for a JSAPI order
await wxpay.v3.pay.transactions.jsapi.post({ appid: 'wx1', mchid, description: 'd', out_trade_no: 'o', notify_url: 'https://e.com/n', amount: { total: 1 } });
// @ts-expect-error TS2345: params.mchid is required
await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'o' });
// @ts-expect-error TS2345: the out_trade_no placeholder is required
await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid }, {});
// ... a value outside an enum ...
// @ts-expect-error TS2322: bill_type is ALL, not AL
await wxpay.v3.bill.tradebill.get({ params: { bill_date: '2019-06-11', bill_type: 'AL' } });
// @ts-expect-error TS2322: subsidy installments are 3, 6 or 12
await wxpay.v3.pay.transactions.jsapi.post({ appid: 'wx1', mchid, description: 'd', out_trade_no: 'o', notify_url: 'https://e.com/n', amount: { total: 1 }, payer: { openid: 'o' }, subsidy_info: { subsidy_detail: [{ subsidy_period_type: 'PERIOD', subsidy_plan: [{ subsidy_installment_num: 5, subsidy_percent: 100 }] }] } });
// ... an unknown key in the body, the query, the config ...
// @ts-expect-error TS2353: out_trade_num is not a field of the refund body (out_trade_no is; the body is a union, oneOf, so no suggestion)
await wxpay.v3.refund.domestic.refunds.post({ out_trade_num: 'o', out_refund_no: 'r', amount: { refund: 1, total: 1, currency: 'CNY' } });
// @ts-expect-error TS2353: the query has mchid only
await wxpay.v3.pay.transactions.id._transaction_id_.get({ transaction_id: '1', params: { mchid, appid: 'wx1' } });
// @ts-expect-error TS2353: baseURL is not a request config key
await wxpay.v3.certificates.get({ baseURL: 'https://example.com/' });
// ... a header the API requires ...
// @ts-expect-error TS2741: Idempotency-Key is required
await wxpay.v3.marketing.partnerships.build.post({ partner: { type: 'APPID', appid: 'wx1' }, authorized_data: { business_type: 'FAVOR_STOCK' } }, { headers: {} });
// ... a header the request sets itself (refused at run time, ERR_INVALID_PARAM) ...
// @ts-expect-error TS2322: Authorization is always the client's
await node.get({ card_id, code, headers: { Authorization: 'WECHATPAY2-SHA256-RSA2048 x' } });
// @ts-expect-error TS2322: content-length frames the request, also where the API documents headers
await wxpay.v3.marketing.partnerships.build.post({ partner: { type: 'APPID', appid: 'wx1' }, authorized_data: { business_type: 'FAVOR_STOCK' } }, { headers: { 'Idempotency-Key': 'k', 'content-length': '5' } });
// @ts-expect-error TS2322: so does Proxy-Authorization
await node.get({ card_id, code, headers: { 'Proxy-Authorization': 'Basic x' } });
// Headers made at run time still compile, as a record (the runtime checks their names).
declare const made: Record<string, string>, some: { [name: string]: string | undefined }, part: Partial<Record<string, string>>;
await node.get({ card_id, code, headers: made });
await node.get({ card_id, code, headers: some });
await node.get({ card_id, code, headers: part });
await wxpay.v3.marketing.partnerships.build.post({ partner: { type: 'APPID', appid: 'wx1' }, authorized_data: { business_type: 'FAVOR_STOCK' } }, { headers: { ...made, 'Idempotency-Key': 'k' } });
// ... and a nullable answer field used as if it were always there.
const closed = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ mchid }, { out_trade_no: 'o' });
// @ts-expect-error TS2367: close answers 204 with ''
if (closed.data === 'x') void closed;

// Options of the client.
// @ts-expect-error TS2345: certs (or apiv3Key, to download them) is required
new Wxpay({ mchid: '1900000109', serial: 'S', privateKey: 'pem' });
// @ts-expect-error TS2322: crypto is 'auto', 'webcrypto' or 'rust'
new Wxpay({ mchid: '1900000109', serial: 'S', privateKey: 'pem', certs: {}, crypto: 'openssl' });

// A partner's (服务商) JSAPI order: the payer is sp_openid, or sub_openid with sub_appid.
const partnerOrder = { sp_appid: 'wx8888888888888888', sp_mchid: '1230000109', sub_mchid: '1900000109', description: 'd', out_trade_no: 'o1', notify_url: 'https://example.com/notify', amount: { total: 1 } };
// @ts-expect-error TS2322: the payer names neither sp_openid nor sub_openid
await wxpay.v3.pay.partner.transactions.jsapi.post({ ...partnerOrder, payer: {} });
// @ts-expect-error TS2345: sub_openid without sub_appid
await wxpay.v3.pay.partner.transactions.jsapi.post({ ...partnerOrder, payer: { sub_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });

// A combined JSAPI order's payer: openid or sub_openid, never neither (AMENDMENTS); both compile.
const combined = { combine_appid: 'wx1', combine_mchid: '1900000109', combine_out_trade_no: 'C1', notify_url: 'https://e.com/n', sub_orders: [{ mchid: '1900000109', attach: 'a', amount: { total_amount: 100, currency: 'CNY' }, out_trade_no: 'S1', description: 'd' }] };
// @ts-expect-error TS2322: the payer names neither openid nor sub_openid
await wxpay.v3.combineTransactions.jsapi.post({ ...combined, combine_payer_info: {} });
await wxpay.v3.combineTransactions.jsapi.post({ ...combined, combine_payer_info: { sub_openid: 'o' } });
await wxpay.v3.combineTransactions.jsapi.post({ ...combined, combine_payer_info: { openid: 'o', sub_openid: 'o' } });

// Requests the service refuses, amended from the corpus (scripts/gen-api.mjs, AMENDMENTS).
const h5Order = { appid: 'wxd678efh567hg6787', mchid: '1230000109', description: 'd', out_trade_no: 'o2', notify_url: 'https://example.com/notify', amount: { total: 1 } };
// @ts-expect-error TS2739: an H5 order's scene names the payer's IP and the H5 scene
await wxpay.v3.pay.transactions.h5.post({ ...h5Order, scene_info: {} });
// @ts-expect-error TS2741: the H5 scene names its type
await wxpay.v3.pay.transactions.h5.post({ ...h5Order, scene_info: { payer_client_ip: '14.23.150.211', h5_info: {} } });
// @ts-expect-error TS2741: a store is named by its id
await wxpay.v3.pay.transactions.native.post({ ...h5Order, scene_info: { payer_client_ip: '14.23.150.211', store_info: { name: 's', area_code: '440305', address: 'a' } } });
// @ts-expect-error TS2345: a split names its appid and its receivers
await wxpay.v3.profitsharing.orders.post({ transaction_id: '4208450740201411110007820472', out_order_no: 'P1', unfreeze_unsplit: true });
// @ts-expect-error TS2345: a refund names its order (transaction_id or out_trade_no)
await wxpay.v3.refund.domestic.refunds.post({ out_refund_no: 'R1', amount: { refund: 1, total: 1, currency: 'CNY' } });
