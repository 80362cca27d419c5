// A merchant's calls under the index checks of tsconfig.json here: typed nodes compile as they
// are; a bracket path reads ChainNode | undefined, asserted as README's TypeScript section says.
import type { ChainNode, Wxpay } from 'wxpay-wasm';
import type { Equal, Expect } from '../equal.cjs';

declare const wxpay: Wxpay;
const mchid = '1230000109';
const order = await wxpay.v3.pay.transactions.jsapi.post({ appid: 'wx1', mchid, description: 'd', out_trade_no: 'T1', notify_url: 'https://e.com/n', amount: { total: 1 }, payer: { openid: 'o' } });
type _prepay = Expect<Equal<typeof order.data.prepay_id, string>>;
const queried = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no: 'T1', params: { mchid } });
type _state = Expect<Equal<typeof queried.data.out_trade_no, string>>;
const raw = wxpay.v3['pay/transactions/new-thing'];
type _raw = Expect<Equal<typeof raw, ChainNode | undefined>>;
const r = await wxpay.v3['pay/transactions/new-thing']!.post<{ id: string }>({ appid: 'wx1' });
type _r = Expect<Equal<typeof r.data.id, string>>;
export {};
