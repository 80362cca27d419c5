// What shop.mjs, partner.mjs, rental.mjs and complaints.mjs share: the numbers they make, the
// notification ids they handled (Handled), and sendOnce, which sends a request that moves money
// once per number and keeps its record when the answer did not come back well.
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

/**
 * How long WeChat Pay may send a notification again: until it is answered with success, 15 times
 * over 24 h 4 min (15 s, 15 s, 30 s, 3 min, 10 min, 20 min, 30 min x3, 60 min, 3 h x3, 6 h x2), and
 * a quarter of an hour to spare.
 */
export const RESEND_WINDOW_MS = (24 * 60 + 4 + 15) * 60_000;

/**
 * The notification ids handled, each kept for the resend window from when it was handled, then
 * forgotten: a long-running process holds only the last day's, not every id it ever heard. (With
 * a database, a unique key on the id, and a sweep of old rows, do this.) `now` is the clock.
 */
export class Handled {
  #at = new Map(); // id -> when it was last handled (ms)
  #queue = []; // [id, when], in the order handled: an id handled again has a later entry too
  #head = 0; // the first entry of #queue not yet looked at
  #windowMs;
  #now;

  constructor({ windowMs = RESEND_WINDOW_MS, now = Date.now } = {}) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  has(id) {
    this.#forget();
    return this.#at.has(id);
  }

  add(id) {
    const now = this.#forget();
    this.#at.set(id, now);
    this.#queue.push([id, now]);
    return this;
  }

  get size() {
    this.#forget();
    return this.#at.size;
  }

  /** The entries the queue holds, those looked at and not yet let go included. */
  get queued() {
    return this.#queue.length;
  }

  /**
   * Drops the ids last handled longer ago than the window, oldest first, stopping at the first
   * entry still in it: each entry is looked at once (a Map deleted from its front would be
   * walked over its holes every time). Returns the time it read.
   */
  #forget() {
    const now = this.#now();
    const since = now - this.#windowMs;
    const q = this.#queue;
    while (this.#head < q.length && q[this.#head][1] <= since) {
      const [id, at] = q[this.#head++];
      if (this.#at.get(id) === at) this.#at.delete(id);
    }
    if (this.#head > 1024 && this.#head * 2 > q.length) {
      q.splice(0, this.#head);
      this.#head = 0;
    }
    return now;
  }
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
