// Notifications and sensitive fields as a TypeScript user sees them: parse takes a fetch
// Request or Node's { headers, body }, resolves to the envelope with a typed resource; the
// answers are fetch Responses; encrypt/decrypt/decryptResource resolve to strings.
import { Wxpay, notifySuccess, notifyFailure } from 'wxpay-wasm';
import type { CombineNotification, ComplaintNotification, CombineTransaction, EncryptedResource, FavorCoupon, Notification, NotificationEventType, NotificationInput, NotificationOriginalType, PartnerPayTransaction, PartnerProfitSharingNotification, PartnerRefundNotification, PayTransaction, ProfitSharingNotification, PayscoreServiceOrder, RefundNotification, ResponseData, TransferBillNotification, WeChatPay, WxpayErrorCode } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

declare const request: Request;
declare const nodeHeaders: Record<string, string | string[] | undefined>;
declare const raw: Uint8Array;

const wxpay = new Wxpay({ mchid: '1900000109', serial: 'A', privateKey: 'pem', certs: { A: 'pem' }, apiv3Key: '0123456789abcdef0123456789abcdef', wechatpaySerial: 'A' });

interface Paid { out_trade_no: string; amount: { total: number } }
const paid = await wxpay.notifications.parse<Paid>(request);
type _paid = Expect<Equal<typeof paid, Notification<Paid>>>;
type _total = Expect<Equal<typeof paid.resource.amount.total, number>>;
type _id = Expect<Equal<typeof paid.id, string>>;
// v3/webhooks does not require summary, and parse resolves without it.
type _summary = Expect<Equal<typeof paid.summary, string | undefined>>;

// event_type: the types WeChat Pay's description lists (generated from it, each with its pages),
// and any later one; a handler's switch is checked against the list.
type _eventType = Expect<Equal<typeof paid.event_type, NotificationEventType | (string & {})>>;
const events: NotificationEventType[] = ['TRANSACTION.SUCCESS', 'REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED', 'PROFITSHARING', 'COUPON.SEND', 'MEMBERCARDSP.USER_CARD.CREATE', 'COMPLAINT.STATE_CHANGE'];
// @ts-expect-error TS2820: a misspelt event type is not one of them ("Did you mean 'TRANSACTION.SUCCESS'?")
const misspelt: NotificationEventType = 'TRANSACTION.SUCESS';
const later: Notification['event_type'] = 'A_LATER.EVENT';
switch (paid.event_type) {
  case 'TRANSACTION.SUCCESS':
  case 'REFUND.SUCCESS':
    break;
  default:
}
type _originalType = Expect<Equal<EncryptedResource['original_type'], NotificationOriginalType | (string & {}) | undefined>>;
const kinds: NotificationOriginalType[] = ['refund', 'coupon', 'membercard', 'profitsharing'];
void events, misspelt, later, kinds;

// A payment's notification carries the order as the order query answers it.
const order = await wxpay.notifications.parse<PayTransaction>(request);
type _state = Expect<Equal<typeof order.resource.trade_state, Awaited<ReturnType<Wxpay['v3']['pay']['transactions']['outTradeNo']['_out_trade_no_']['get']>>['data']['trade_state']>>;
const paidTotal: number | undefined = order.resource.amount?.payer_total;
// @ts-expect-error TS2339: a query answer (and the notification) has no notify_url
void order.resource.notify_url;
const partnerOrder = await wxpay.notifications.parse<PartnerPayTransaction>(request);
const subMchid: string = partnerOrder.resource.sub_mchid;
type _refund = Expect<Equal<ResponseData<Wxpay['v3']['refund']['domestic']['refunds']['post']>, Awaited<ReturnType<Wxpay['v3']['refund']['domestic']['refunds']['post']>>['data']>>;
void paidTotal, subMchid;

// A refund's notification: the fields WeChat Pay documents for it, fewer than the refund query's.
const refunded = await wxpay.notifications.parse<RefundNotification>(request);
// A response enum stays open (CONTRIBUTING): the three documented values, and any later one.
type _refundStatus = Expect<Equal<typeof refunded.resource.refund_status, 'SUCCESS' | 'CLOSED' | 'ABNORMAL' | (string & {})>>;
type _refundAmount = Expect<Equal<typeof refunded.resource.amount.payer_refund, number>>;
type _refundTime = Expect<Equal<typeof refunded.resource.success_time, string | undefined>>;
// @ts-expect-error TS2339: the notification has no funds_account (the query's answer has)
void refunded.resource.funds_account;
const partnerRefund = await wxpay.notifications.parse<PartnerRefundNotification>(request);
const refundSub: string = partnerRefund.resource.sub_mchid;
// @ts-expect-error TS2339: a partner's refund notification names sp_mchid and sub_mchid, not mchid
void partnerRefund.resource.mchid;
void refundSub;

// A payout's notification (商家转账): the bill query's fields it carries, not the merchant's.
const payout = await wxpay.notifications.parse<TransferBillNotification>(request);
const billNo: string = payout.resource.out_bill_no;
type _payoutState = Expect<Equal<typeof payout.resource.state, ResponseData<Wxpay['v3']['fundApp']['mchTransfer']['transferBills']['outBillNo']['_out_bill_no_']['get']>['state']>>;
type _payoutFail = Expect<Equal<typeof payout.resource.fail_reason, string | undefined>>;
// @ts-expect-error TS2339: the notification does not carry the remark (the query's answer does)
void payout.resource.transfer_remark;
// The merchant id under either name, each optional: checked with no cast.
type _payoutMchid = Expect<Equal<typeof payout.resource.mch_id, string | undefined>>;
const payoutOurs: boolean = (payout.resource.mch_id ?? payout.resource.mchid) === '1900000109';
void billNo, payoutOurs;

// A profit-sharing notification (分账动账通知): one receiver's movement, in fen.
const shared = await wxpay.notifications.parse<ProfitSharingNotification>(request);
const sharedNo: string = shared.resource.out_order_no;
type _sharedAmount = Expect<Equal<typeof shared.resource.receiver.amount, number>>;
type _sharedType = Expect<Equal<Extract<typeof shared.resource.receiver.type, 'MERCHANT_ID' | 'PERSONAL_OPENID'>, 'MERCHANT_ID' | 'PERSONAL_OPENID'>>;
// @ts-expect-error TS2551: the notification names one receiver, not the order's list
void shared.resource.receivers;
const partnerShared = await wxpay.notifications.parse<PartnerProfitSharingNotification>(request);
const sharedSub: string = partnerShared.resource.sub_mchid;
// @ts-expect-error TS2339: a partner's notification names sp_mchid and sub_mchid, not mchid
void partnerShared.resource.mchid;
void sharedNo, sharedSub;

// One notify URL for payments and refunds: parse the union, tell them apart by a field only a
// refund's resource has (TypeScript narrows on `in`), no cast.
const either = await wxpay.notifications.parse<PayTransaction | RefundNotification>(request);
if ('out_refund_no' in either.resource) {
  type _isRefund = Expect<Equal<typeof either.resource, RefundNotification>>;
  const refundNo: string = either.resource.out_refund_no;
  void refundNo;
} else {
  type _isPayment = Expect<Equal<typeof either.resource, PayTransaction>>;
  const tradeNo: string = either.resource.out_trade_no;
  void tradeNo;
}

// A combined order's notification (合单): the combined order, its sub-orders each with its own state.
const combined = await wxpay.notifications.parse<CombineNotification>(request);
const combineNo: string = combined.resource.combine_out_trade_no;
for (const sub of combined.resource.sub_orders ?? []) {
  const subNo: string = sub.out_trade_no;
  const subTotal: number = sub.amount!.total_amount;
  type _subState = Expect<Equal<typeof sub.trade_state, NonNullable<ResponseData<Wxpay['v3']['combineTransactions']['outTradeNo']['_combine_out_trade_no_']['get']>['sub_orders']>[number]['trade_state']>>;
  void subNo, subTotal;
}
type _combineId = Expect<Equal<typeof combined.resource.combine_transaction_id, string | undefined>>;
type _combineQueryId = Expect<Equal<CombineTransaction['combine_transaction_id'], string>>;
// @ts-expect-error TS2339: a combined order names combine_mchid, not an ordinary order's mchid
void combined.resource.mchid;
void combineNo;

// A 微信支付分 service order's notification: the order as its query answers it.
const score = await wxpay.notifications.parse<PayscoreServiceOrder>(request);
const scoreNo: string = score.resource.out_order_no;
type _scoreState = Expect<Equal<typeof score.resource.state, 'CREATED' | 'DOING' | 'DONE' | 'REVOKED' | 'EXPIRED' | (string & {})>>;
const collected: number | undefined = score.resource.collection?.paid_amount;
const scoreTransaction: string | undefined = score.resource.collection?.details?.[0]?.transaction_id;
// @ts-expect-error TS2551: a service order has no out_trade_no (its payments have transaction_ids)
void score.resource.out_trade_no;
void scoreNo, collected, scoreTransaction;

// A used 代金券's notification (COUPON.USE): the coupon as its query answers it, with what used it.
const used = await wxpay.notifications.parse<FavorCoupon>(request);
const couponId: string | undefined = used.resource.coupon_id;
const usedBy: string | undefined = used.resource.consume_information?.transaction_id;
type _couponQuery = Expect<Equal<FavorCoupon, ResponseData<Wxpay['v3']['marketing']['favor']['users']['_openid_']['coupons']['_coupon_id_']['get']>>>;
// @ts-expect-error TS2339: a coupon names its stock_id, not an order's out_trade_no
void used.resource.out_trade_no;
void couponId, usedBy;

// A complaint's notification: the complaint's id and what happened, nothing more.
const complaint = await wxpay.notifications.parse<ComplaintNotification>(request);
const complaintId: string = complaint.resource.complaint_id;
if (complaint.resource.action_type === 'REFUND_SUCCESS') void complaintId;
const detail = await wxpay.v3.merchantService.complaintsV2._complaint_id_.get({ complaint_id: complaintId });
type _complaintState = Expect<Equal<typeof detail.data.complaint_state, 'PENDING' | 'PROCESSING' | 'PROCESSED' | (string & {})>>;
// @ts-expect-error TS2339: the notification does not carry the complaint's state (its query does)
void complaint.resource.complaint_state;

const fromNode = await wxpay.notifications.parse({ headers: nodeHeaders, body: raw });
// Node's request itself, as @types/node declares node:http's IncomingMessage (its `on` overloads
// ending in the catch-all one; `headers` an index of strings and string arrays), without
// @types/node here: the package's declarations do not need it.
declare class IncomingMessageLike {
  headers: { [header: string]: string | string[] | undefined; 'set-cookie'?: string[] | undefined };
  on(event: 'close', listener: () => void): this;
  on(event: 'data', listener: (chunk: any) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
  removeListener(event: 'close', listener: () => void): this;
  removeListener(event: string | symbol, listener: (...args: any[]) => void): this;
  resume(): this;
}
declare const req: IncomingMessageLike;
const fromReq = await wxpay.notifications.parse<Paid>(req);
type _fromReq = Expect<Equal<typeof fromReq, Notification<Paid>>>;
// @ts-expect-error TS2345: headers alone are not a request (no body, no events to read one from)
await wxpay.notifications.parse({ headers: nodeHeaders });
type _untyped = Expect<Equal<typeof fromNode.resource, Record<string, unknown>>>;
await wxpay.notifications.parse({ headers: new Headers(), body: '{}' });
// A serverless event's headers and multi-value headers as @types/aws-lambda types them, and the
// read-only forms of each shape, compile as they run (helper-158).
declare const eventHeaders: { [name: string]: string | undefined };
declare const multiValueHeaders: { [name: string]: string[] | undefined };
declare const frozenHeaders: Readonly<Record<string, readonly string[]>>;
declare const listMap: Map<string, string[]>;
declare const frozenPairs: readonly (readonly [string, string])[];
declare const frozenRaw: readonly string[];
await wxpay.notifications.parse({ headers: eventHeaders, body: raw });
await wxpay.notifications.parse({ headers: multiValueHeaders, body: raw });
await wxpay.notifications.parse({ headers: frozenHeaders, body: raw });
await wxpay.notifications.parse({ headers: listMap, body: raw });
await wxpay.notifications.parse({ headers: frozenPairs, body: raw });
await wxpay.notifications.parse({ headers: frozenRaw, body: raw });
// @ts-expect-error TS2322: a header's value is text (a number is not one)
await wxpay.notifications.parse({ headers: { 'Wechatpay-Nonce': 1 }, body: raw });
const input: NotificationInput = { headers: { 'Wechatpay-Nonce': 'n' }, body: new ArrayBuffer(0) };
await wxpay.notifications.parse(input);

type _success = Expect<Equal<ReturnType<typeof wxpay.notifications.success>, Response>>;
const failed: Response = wxpay.notifications.failure('失败', 500);
const failed2: Response = notifyFailure(new Error('x'));
const ok: Response = notifySuccess();

type _encrypt = Expect<Equal<Awaited<ReturnType<typeof wxpay.encrypt>>, string>>;
type _decrypt = Expect<Equal<Awaited<ReturnType<typeof wxpay.decrypt>>, string>>;
const pem: string = await wxpay.decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: 'c', nonce: 'n', associated_data: 'certificate' });
// The documented input: an encrypt_certificate of GET /v3/certificates as it is (every field optional there).
const listed = await wxpay.v3.certificates.get();
for (const c of listed.data.data) {
  if (c.encrypt_certificate) {
    const certificate: string = await wxpay.decryptResource(c.encrypt_certificate);
  }
}
const serial: string | undefined = wxpay.wechatpaySerial;
const code: WxpayErrorCode = 'ERR_NOTIFY_DECRYPT';

// v3/webhooks describes what WeChat Pay posts to you: no call of the chain (INBOUND in gen-api.mjs).
// @ts-expect-error TS2339: webhooks is not in the chain
void wxpay.v3.webhooks;

// @ts-expect-error TS2345: parse needs a Request or { headers, body }
await wxpay.notifications.parse({ body: '{}' });
// @ts-expect-error TS2322: apiv3Key is a string
new Wxpay({ mchid: '1', serial: 'A', privateKey: 'pem', certs: {}, apiv3Key: new Uint8Array(32) });
// @ts-expect-error TS2540: wechatpaySerial is read-only
wxpay.wechatpaySerial = 'B';
// @ts-expect-error TS2559: decryptResource takes the resource object, not its ciphertext
await wxpay.decryptResource('c');
// @ts-expect-error TS2561: a misspelt field is not a resource field
await wxpay.decryptResource({ ciphertxt: 'c', nonce: 'n' });
// @ts-expect-error TS2322: ciphertext is base64 text
await wxpay.decryptResource({ ciphertext: new Uint8Array(1), nonce: 'n' });
// @ts-expect-error TS2345: encrypt takes text
await wxpay.encrypt(new Uint8Array(1));

export { failed, failed2, ok, pem, serial, code };

// A resource's optional fields given as undefined (exactOptionalPropertyTypes in tsconfig.bundler.json).
declare const maybeAad: string | undefined;
const decryptedText: string = await wxpay.decryptResource({ ciphertext: 'c', nonce: 'n', associated_data: maybeAad });
void decryptedText;
