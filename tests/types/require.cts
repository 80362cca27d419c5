// The package through `require`: this file is CommonJS, so it resolves the
// "require" condition and its types come from index.d.cts.
import wxpayWasm = require('wxpay-wasm');
import { Wxpay as Named } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

const { Wxpay, WxpayError } = wxpayWasm;
type _same = Expect<Equal<typeof Named, typeof Wxpay>>;

declare const options: wxpayWasm.WxpayOptions;
declare const card_id: string, code: string;
const wxpay = new Wxpay(options);

async function seed() {
  const { status, data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id, code });
  type _status = Expect<Equal<typeof status, 200>>;
  type _balance = Expect<Equal<typeof data.balance, number>>;
  type _valueList = Expect<Equal<typeof data.user_information.custom_field_list[0]['value_list'], string[]>>;
  const ok = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_
    .patch({ out_request_no: '100002322019090134234sfdf' }, { card_id, code })
    .then(({ status }) => status === 204);
  type _ok = Expect<Equal<typeof ok, boolean>>;
  const native = await wxpay.v3.pay.transactions.native.post({ appid: 'wx1', mchid: '1', description: 'd', out_trade_no: 'o', notify_url: 'https://e.com/n', amount: { total: 1 } });
  type _codeUrl = Expect<Equal<typeof native.data.code_url, string>>;
  const untyped = await wxpay.v3['pay/transactions/new-thing'].post({}, {});
  type _untyped = Expect<Equal<typeof untyped.data, unknown>>;
}

function handle(e: unknown) {
  if (e instanceof WxpayError) {
    type _code = Expect<Equal<typeof e.code, wxpayWasm.WxpayErrorCode | (string & {})>>;
    return e.requestId;
  }
}

// @ts-expect-error TS2345: card_id is missing, through require too
void wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ code: 'x' });
// @ts-expect-error TS2551: a typo in the chain, through require too
void wxpay.v3.pay.transactoins;

export = { seed, handle };
