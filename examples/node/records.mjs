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
 * by its number: kept with its state (`stateOf(data)`) if the service has it, forgotten only when
 * the service says it has none (404), kept as it is when the service cannot be asked.
 */
export async function forgetUnlessKnown(records, key, query, stateOf) {
  try {
    const { data } = await query();
    const record = records.get(key);
    if (record) record.state = stateOf(data);
  } catch (err) {
    if (err instanceof WxpayError && err.status === 404) records.delete(key);
  }
}
