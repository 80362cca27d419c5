// Recovery after a trap (README, Reliability): the hook and the two codes of the JS layer.
import { Wxpay, WxpayError } from 'wxpay-wasm';
import type { WxpayErrorCode, WxpayRecovery } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

Wxpay.onRecover = (info) => {
  type _info = Expect<Equal<typeof info, WxpayRecovery>>;
  type _count = Expect<Equal<typeof info.count, number>>;
  type _cause = Expect<Equal<typeof info.cause, unknown>>;
};
Wxpay.onRecover = null;
// @ts-expect-error TS2322: the hook is called with one argument, not a string
Wxpay.onRecover = (info: string) => void info;

declare const e: WxpayError;
if (e.code === 'ERR_INTERNAL' || e.code === 'ERR_CLIENT_FREED') {
  type _codes = Expect<Equal<Extract<WxpayErrorCode, 'ERR_INTERNAL' | 'ERR_CLIENT_FREED'>, 'ERR_INTERNAL' | 'ERR_CLIENT_FREED'>>;
}
export {};
