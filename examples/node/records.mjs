// What shop.mjs, partner.mjs and rental.mjs share: the numbers they make, and sendOnce, which sends a request
// that moves money once per number and keeps its record when the answer did not come back well.
import { WxpayError } from 'wxpay-wasm';

/**
 * A number of our own (order, refund, payout, profit-sharing order): `prefix` (one letter), the
 * time and six random digits, 20 characters of [0-9A-Za-z], which every one of these numbers
 * allows.
 */
export const newNumber = (prefix) => `${prefix}${Date.now()}${Math.floor(Math.random() * 1e6).toString().padStart(6, '0')}`;

/**
 * Whether a combined order's payment notification (合单: its resource names
 * `combine_out_trade_no`) is for one of ours, whole: `keys`, the keys in `orders` of the
 * sub-orders we placed under that number (undefined: none of ours), each named once and none
 * more, each at the amount we asked. `keyOf(sub)` is a notified sub-order's key in `orders`.
 */
export function combinedIsOurs(resource, keys, orders, keyOf) {
  const subs = resource.sub_orders ?? [];
  if (keys === undefined || subs.length !== keys.length) return false;
  const named = subs.map(keyOf);
  if (new Set(named).size !== keys.length) return false;
  return subs.every((sub, i) => {
    const order = orders.get(named[i]);
    return keys.includes(named[i]) && order.combine === resource.combine_out_trade_no && sub.amount?.total_amount === order.total;
  });
}

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
async function forgetUnlessKnown(records, key, query, stateOf, notFoundCode) {
  try {
    const { data } = await query();
    const record = records.get(key);
    if (record?.state === 'REQUESTED') record.state = stateOf(data);
  } catch (err) {
    // Unless a call beside this one with the same number has heard more of it meanwhile.
    if (err instanceof WxpayError && err.status === 404 && err.code === notFoundCode && records.get(key)?.state === 'REQUESTED') records.delete(key);
  }
}

/**
 * Sends a request that moves money once per number (a refund, a payout), kept in `records` under
 * `key` as `record` (with a `state`, REQUESTED) from before it is sent: its notification may come
 * before its answer. `send()` resolves the service's answer, whose state (`stateOf(data)`) is kept
 * unless a notification has said more; the record is kept again if a call beside this one with
 * the same number had forgotten it. Refused (a 4xx), it is forgotten only as forgetUnlessKnown
 * says (`query()` asks for it by its number; `notFoundCode` is the service's 404 code); otherwise
 * (a lost answer, a 5xx) it is kept, for the caller to call again with the same number. Resolves
 * `{ data, record }`, the record as kept.
 */
export async function sendOnce(records, key, record, { send, query, stateOf, notFoundCode }) {
  const keep = () => {
    if (!records.has(key)) records.set(key, { ...record, state: 'REQUESTED' });
    return records.get(key);
  };
  keep();
  let data;
  try {
    ({ data } = await send());
  } catch (err) {
    if (refused(err)) await forgetUnlessKnown(records, key, query, stateOf, notFoundCode);
    throw err;
  }
  const kept = keep();
  if (kept.state === 'REQUESTED') kept.state = stateOf(data);
  return { data, record: kept };
}
