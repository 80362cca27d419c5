// Paths no description types stay usable: untyped nodes take a
// Record<string, unknown>-style config and resolve to unknown data. No
// @ts-ignore anywhere, and typed and untyped nodes compose.
import type { Wxpay, WxpayResponse, ChainNode, RequestConfig } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.js';

declare const wxpay: Wxpay;
declare const signal: AbortSignal;

// A path the descriptions do not cover yet.
const native = await wxpay.v3.pay.transactions.native.post(
  { appid: 'wxd678efh567hg6787', mchid: '1230000109', description: 'Image形象店-深圳腾大-QQ公仔', out_trade_no: '1217752501201407033233368018', notify_url: 'https://www.weixin.qq.com/wxpay/pay.php', amount: { total: 100, currency: 'CNY' } },
  { headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_0114232134912410000000000000' }, signal, timeout: 5000 },
);
type _native = Expect<Equal<typeof native, WxpayResponse<unknown>>>;
type _nativeData = Expect<Equal<typeof native.data, unknown>>;
type _nativeStatus = Expect<Equal<typeof native.status, number>>;

// Bracket access of a raw path, with a query.
const bill = await wxpay.v3['bill/tradebill'].get({ params: { bill_date: '2019-06-11', bill_type: 'ALL' } });
type _bill = Expect<Equal<typeof bill.data, unknown>>;

// Placeholders by name, strings or numbers; every verb; no config at all.
const tx = wxpay.v3.pay.transactions.id._transaction_id_;
await tx.get({ transaction_id: '1217752501201407033233368018', params: { mchid: '1230000109' } });
await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: '1230000109' }, { out_trade_no: 1217752501 });
await wxpay.v3.certificates.get();
await wxpay.v3.ecommerce.profitsharing.receivers.add.post({ type: 'MERCHANT_ID' });
await wxpay.v3.merchant.media.upload.put(new Uint8Array(4));
await wxpay.v3.merchant.media.upload.patch('{"raw":"json"}');
await wxpay.v3.some.node.delete({ id: 1 });
const config: RequestConfig = { card_id: 'c', params: new URLSearchParams({ a: '1' }), headers: new Headers() };
await wxpay.v3.x.get(config);

// The caller may name the data it expects; unknown stays the default.
const typedByHand = await wxpay.v3.pay.transactions.id._transaction_id_.get<{ trade_state: string }>({ transaction_id: '1' });
type _byHand = Expect<Equal<typeof typedByHand.data.trade_state, string>>;

// Typed and untyped compose: below, beside and through typed nodes.
const typed = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;
const below = await typed.someNewChild.get({ card_id: 'c', code: 'x' });
type _below = Expect<Equal<typeof below.data, unknown>>;
const beside = wxpay.v3.marketing.busifavor.stocks;
type _beside = Expect<Equal<typeof beside, ChainNode>>;
// A verb the description does not declare on a typed node stays available, untyped.
const undeclared = await typed.delete({ card_id: 'c', code: 'x' });
type _undeclared = Expect<Equal<typeof undeclared.data, unknown>>;
// Bracket access of a typed segment is typed; a raw path through it is not.
type _bracketTyped = Expect<Equal<typeof wxpay.v3['marketing'], typeof wxpay.v3.marketing>>;
const raw = wxpay.v3['marketing/membercard-open/cards/{card_id}'];
type _raw = Expect<Equal<typeof raw, ChainNode>>;
declare const dynamic: string;
type _dynamic = Expect<Equal<typeof wxpay.v3.pay[typeof dynamic], ChainNode>>;

// Untyped nodes are not thenable either, and coerce to their template.
const node = await wxpay.v3.pay.transactions;
type _node = Expect<Equal<typeof node, ChainNode>>;
const path: string = String(wxpay.v3.pay.transactions) + JSON.stringify(wxpay.v3.pay) + `${wxpay.v3.bill}`;
void path;
export {};
