// What shop.mjs and partner.mjs share: the numbers they make, and how they keep a request whose
// answer did not come back well.
import { WxpayError } from 'wxpay-wasm';

/**
 * A number of our own (order, refund, payout, profit-sharing order): `prefix` (one letter), the
 * time and six random digits, 20 characters of [0-9A-Za-z], which every one of these numbers
 * allows.
 */
export const newNumber = (prefix) => `${prefix}${Date.now()}${Math.floor(Math.random() * 1e6).toString().padStart(6, '0')}`;

/** A 4xx error answer: the service refused this request (a 5xx or a lost answer leaves it unknown). */
export const refused = (err) => err instanceof WxpayError && err.status !== undefined && err.status >= 400 && err.status < 500;

/**
 * After a refusal of the request kept in `records` under `key` (a refund, a payout): this try made
 * nothing, but an earlier one whose answer was lost may have. `query()` asks the service for it
 * by its number: kept if the service has it (its state, `stateOf(data)`, unless a notification
 * has said more already), forgotten only when the service answers 404 with `notFoundCode` (a 404
 * of a proxy, or of another kind, proves nothing: error answers are not signed), kept as it is
 * when the service cannot be asked.
 */
export async function forgetUnlessKnown(records, key, query, stateOf, notFoundCode) {
  try {
    const { data } = await query();
    const record = records.get(key);
    if (record?.state === 'REQUESTED') record.state = stateOf(data);
  } catch (err) {
    // Unless a call beside this one with the same number has heard more of it meanwhile.
    if (err instanceof WxpayError && err.status === 404 && err.code === notFoundCode && records.get(key)?.state === 'REQUESTED') records.delete(key);
  }
}
