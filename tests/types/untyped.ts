// The escape hatches for an endpoint newer than the description, none needing
// @ts-ignore: a bracket path (a string with a '/') is an untyped ChainNode whose
// verbs take any config and resolve to unknown data, or the data type the caller
// names; declaration merging adds a typed node of one's own.
import type { Wxpay, WxpayResponse, ChainNode, RequestConfig, TypedNode } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

// Declaration merging: a family the description does not have yet, typed by hand.
declare module 'wxpay-wasm' {
  namespace WeChatPay.OpenAPI {
    interface V3 {
      /** 新接口 (typed by the caller) */
      readonly newFamily: TypedNode<{ thing: TypedNode<{ get(config?: RequestConfig): Promise<WxpayResponse<{ id: string }, 200>> }> }>;
    }
  }
}

declare const wxpay: Wxpay;
declare const signal: AbortSignal;

const merged = await wxpay.v3.newFamily.thing.get();
type _merged = Expect<Equal<typeof merged.data.id, string>>;

// A raw path from v3, with a query.
const raw = await wxpay.v3['bill/some-new-bill'].get({ params: { bill_date: '2019-06-11', bill_type: 'ALL' } });
type _raw = Expect<Equal<typeof raw, WxpayResponse<unknown>>>;
type _rawData = Expect<Equal<typeof raw.data, unknown>>;
type _rawStatus = Expect<Equal<typeof raw.status, number>>;

// Below a typed node; every verb; placeholders by name, strings or numbers; no config at all.
const below = wxpay.v3.pay.transactions['out-trade-no/{out_trade_no}/new-action'];
type _below = Expect<Equal<typeof below, ChainNode>>;
await below.post({ mchid: '1230000109' }, { out_trade_no: 1217752501, headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_0114232134912410000000000000' }, signal, timeout: 5000 });
await below.put(new Uint8Array(4));
await below.patch('{"raw":"json"}');
await below.delete({ id: 1 });
await below.get();
const config: RequestConfig = { card_id: 'c', params: new URLSearchParams({ a: '1' }), headers: new Headers() };
await wxpay.v3['x/y'].get(config);

// Untyped nodes take any further segment, dotted or bracketed.
const deeper = wxpay.v3['marketing/new-family'].cards._card_id_.whatever;
type _deeper = Expect<Equal<typeof deeper, ChainNode>>;
declare const dynamic: string;
type _dynamic = Expect<Equal<(typeof wxpay.v3)[`${typeof dynamic}/${typeof dynamic}`], ChainNode>>;

// The caller may name the data it expects: post<T>(); unknown stays the default.
const byHand = await wxpay.v3['pay/transactions/new-thing'].post<{ prepay_id: string }>({ appid: 'wx1' });
type _byHand = Expect<Equal<typeof byHand.data.prepay_id, string>>;

// Bracket access of a typed segment is typed.
type _bracketTyped = Expect<Equal<typeof wxpay.v3['marketing'], typeof wxpay.v3.marketing>>;

// Nodes are not thenable, and coerce to their template.
const node = await wxpay.v3['pay/transactions'];
type _node = Expect<Equal<typeof node, ChainNode>>;
const typedNode = await wxpay.v3.pay.transactions;
type _typedNode = Expect<Equal<typeof typedNode, typeof wxpay.v3.pay.transactions>>;
const path: string = String(wxpay.v3.pay.transactions) + JSON.stringify(wxpay.v3.pay) + `${wxpay.v3.bill}`;
void path;
export {};
