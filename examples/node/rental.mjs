// A 微信支付分 merchant's day with wxpay-wasm (先用后付: a power bank, a bike, a room): a service
// order the payer confirms in the mini program (`wx.openBusinessView`), its confirmation's
// notification, the service ended with what the payer owes, WeChat Pay collecting it and its
// notification, the order query (by number, or by the query_id the mini program's return carries),
// a lower amount before it is paid, an order cancelled unused, a payment made another way, and a
// refund of a collected payment. Each step is one method of `Rental`;
// tests/node/rental.test.mjs runs the day against the sandbox.
import { parseBill, payscoreParams } from 'wxpay-wasm';
import { notifyHandler } from './notify.mjs';
import { Handled, newNumber, refused, sendOnce } from './records.mjs';

/** A list of lines ({ name, amount, description?, count? }), each amount an integer in fen, 0 or more. */
function checkLines(lines, what) {
  if (!Array.isArray(lines) || !lines.every((l) => typeof l?.name === 'string' && l.name !== '' && Number.isSafeInteger(l.amount) && l.amount >= 0))
    throw new TypeError(`${what} must list { name, amount } with amounts in fen`);
  return lines.reduce((sum, l) => sum + l.amount, 0);
}

/**
 * What the payer owes for `fees` less `discounts` (checked), and the fields of a completion or a
 * modification that say so.
 */
function owing(fees, discounts) {
  const total = checkLines(fees, 'fees') - (discounts === undefined ? 0 : checkLines(discounts, 'discounts'));
  return { total, lines: { post_payments: fees, ...(discounts === undefined ? {} : { post_discounts: discounts }), total_amount: total } };
}

/** How far along each state of a service order is: an answer never takes a record back. */
const RANK = { REQUESTED: 0, CREATED: 1, DOING: 2, DONE: 4, REVOKED: 4, EXPIRED: 4 };
/** An order's state and, while DOING, whether it is completed (MCH_COMPLETE), as one rank. */
const rank = (state, detail) => (RANK[state] ?? 0) + (state === 'DOING' && detail === 'MCH_COMPLETE' ? 1 : 0);

/** Whether a call's answer carries the order: a direct merchant's does; a partner's is 204, no body. */
const answered = (data) => typeof data === 'object' && data !== null && typeof data.state === 'string';

/** What a completion (or a lowering) the service took says, when its answer has no body: the amount owed. */
const ended = (total) => (total > 0
  ? { state: 'DOING', state_description: 'MCH_COMPLETE', total_amount: total, collection: { state: 'USER_PAYING' } }
  : { state: 'DONE', total_amount: 0 });

/** Now in Beijing time as yyyyMMddHHmmss, as 支付分 writes times. */
export const beijingNow = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 19).replace(/[-T:]/g, '');

export class Rental {
  /**
   * @param {import('wxpay-wasm').Wxpay} wxpay  a client with `apiv3Key` (notifications)
   * @param {{ mchid: string, appid: string, serviceId: string, apiv2Key: string, notifyUrl: string, subMchid?: string, subAppid?: string, onRejected?: (err) => void }} options
   *   the merchant id the client signs as, the mini program's appid, the 支付分 service's id, the
   *   merchant's APIv2 key (it signs the mini program's parameters, nothing else), this service's
   *   public notification URL, and who hears of notifications refused as not WeChat Pay's. A
   *   partner (服务商) renting for a sub-merchant gives its own merchant id, appid, service and
   *   APIv2 key, and the sub-merchant's `subMchid` (and `subAppid`, its own mini program's appid,
   *   if the order is under it): the partner's routes (`v3.payscore.partner.serviceorder`) name it.
   */
  constructor(wxpay, { mchid, appid, serviceId, apiv2Key, notifyUrl, subMchid, subAppid, onRejected }) {
    this.wxpay = wxpay;
    Object.assign(this, { mchid, appid, serviceId, notifyUrl, subMchid, subAppid });
    this.#apiv2Key = apiv2Key;
    /**
     * out_order_no -> { deposit, state, detail?, openid?, owed?, lowerings, collection?, payments }:
     * `detail` USER_CONFIRM or MCH_COMPLETE while DOING; `owed` what the order comes to once
     * completed; `lowerings` lower amounts asked for whose answers were not heard; `collection`
     * USER_PAYING or USER_PAID; `payments` what WeChat Pay collected ({ transaction_id, amount }).
     */
    this.orders = new Map();
    /** out_refund_no -> { out_order_no, transaction_id, amount, state, refund_id? } */
    this.refunds = new Map();
    this.handled = new Handled(); // notification ids, for as long as WeChat Pay may send one again
    /** The node:http handler of this.notifyUrl: confirmations, payments and refunds. */
    this.notify = notifyHandler(wxpay, { onNotification: (n) => this.#onNotification(n), ...(onRejected ? { onRejected } : {}) });
  }

  #apiv2Key;

  #order(out_order_no) {
    const order = this.orders.get(out_order_no);
    if (!order) throw new Error(`no service order ${out_order_no} here`);
    return order;
  }

  /** The service order routes: a direct merchant's, or a partner's for a sub-merchant. */
  get #orders() {
    return this.subMchid === undefined ? this.wxpay.v3.payscore.serviceorder : this.wxpay.v3.payscore.partner.serviceorder;
  }

  /**
   * What every call on an order names beside its number (in the path or the query): the service,
   * and the appid (a direct merchant's) or the sub-merchant (a partner's).
   */
  #ids() {
    return this.subMchid === undefined ? { appid: this.appid, service_id: this.serviceId } : { service_id: this.serviceId, sub_mchid: this.subMchid };
  }

  /** A refund's and a refund query's: the sub-merchant's, for a partner. */
  #refundIds() {
    return this.subMchid === undefined ? {} : { sub_mchid: this.subMchid };
  }

  /**
   * 创建支付分订单: the payer is to confirm the service (the risk fund `deposit`, in fen: the most
   * the order may come to), from `start` on (default `OnAccept`: when they confirm; else
   * yyyyMMddHHmmss), its end told when it ends (`end`). Resolves the order's number and the
   * parameters the mini program hands to `wx.openBusinessView`.
   */
  async rent({ introduction, deposit, start = 'OnAccept' }) {
    const out_order_no = newNumber('s');
    // Kept before it is sent (its confirmation can come before the answer); forgotten if refused.
    this.orders.set(out_order_no, { deposit, state: 'REQUESTED', lowerings: [], payments: [] });
    let data;
    try {
      ({ data } = await this.#orders.post({
        ...this.#ids(), appid: this.appid, ...(this.subAppid === undefined ? {} : { sub_appid: this.subAppid }), out_order_no, service_introduction: introduction, notify_url: this.notifyUrl,
        time_range: { start_time: start }, risk_fund: { name: 'DEPOSIT', amount: deposit }, need_user_confirm: true,
      }));
    } catch (err) {
      if (refused(err)) this.orders.delete(out_order_no);
      throw err;
    }
    this.#learn(out_order_no, data);
    const params = await payscoreParams({ mchid: this.mchid, apiv2Key: this.#apiv2Key, package: data.package });
    return { out_order_no, params };
  }

  /** The parameters that open an order's details in 支付分's mini program (`wxpayScoreDetail`). */
  details(out_order_no) {
    this.#order(out_order_no);
    return payscoreParams({ mchid: this.mchid, apiv2Key: this.#apiv2Key, service_id: this.serviceId, out_order_no });
  }

  /**
   * What an answer (or a notification trusted as ours) says of an order: kept on its record, never
   * taking it back (an answer sent before another but heard after it).
   */
  #learn(out_order_no, data) {
    const order = this.orders.get(out_order_no);
    if (!order || rank(data.state, data.state_description) < rank(order.state, order.detail)) return;
    order.state = data.state;
    if (data.state_description === undefined) delete order.detail;
    else order.detail = data.state_description;
    const openid = data.openid ?? data.sub_openid;
    if (openid !== undefined) order.openid = openid;
    // What is owed counts once the order is completed (a confirmed order says 0 until then; a
    // revoked or lapsed one owes nothing to be collected).
    const completed = data.state === 'DONE' || (data.state === 'DOING' && data.state_description === 'MCH_COMPLETE');
    if (completed && Number.isSafeInteger(data.total_amount)) {
      // Once completed an amount only goes down: the lowest heard is the newest. A lowering the
      // service has passed (at or above what it says) is settled; a lower one may still be on its way.
      order.owed = order.owed === undefined ? data.total_amount : Math.min(order.owed, data.total_amount);
      order.lowerings = order.lowerings.filter((amount) => amount < order.owed);
    }
    for (const d of data.collection?.details ?? [])
      if (d.transaction_id !== undefined && !order.payments.some((p) => p.transaction_id === d.transaction_id))
        order.payments.push({ transaction_id: d.transaction_id, amount: d.amount });
    if (data.collection?.state !== undefined) order.collection = data.collection.state;
  }

  /** 查询支付分订单, by our number. */
  async query(out_order_no) {
    this.#order(out_order_no);
    const { data } = await this.#orders.get({ params: { ...this.#ids(), out_order_no } });
    this.#learn(out_order_no, data);
    return data;
  }

  /**
   * The mini program came back with a `query_id` (the payer confirmed, or not): the order it names,
   * queried by it. Resolves the order as the service answers it; one not ours is an error.
   */
  async returned(query_id) {
    const { data } = await this.#orders.get({ params: { ...this.#ids(), query_id } });
    if (!this.orders.has(data.out_order_no)) throw new Error(`the query_id names ${data.out_order_no}, not an order of ours`);
    this.#learn(data.out_order_no, data);
    return data;
  }

  /**
   * 完结支付分订单: the service has ended (at `endTime`, yyyyMMddHHmmss; default now); the payer
   * owes `fees` less `discounts` (lines of { name, amount, description?, count? }, each amount the
   * line's whole in fen), at most the deposit. WeChat Pay then collects it (PAYSCORE.USER_PAID says
   * when); 0 owed ends the order at once. Resolves the order as the service answers it (a
   * partner's answer has no body: `''`).
   */
  async end(out_order_no, { fees, discounts, endTime = beijingNow() }) {
    const order = this.#order(out_order_no);
    const { total, lines } = owing(fees, discounts);
    if (total < 0 || total > order.deposit) throw new RangeError(`fees less discounts must come to 0 to ${order.deposit} fen, not ${total}`);
    // Kept before it is sent: the payment's notification can come before the answer. Put back
    // only if the service refused it; after an answer that never came, `query` tells.
    const before = order.owed;
    order.owed = total;
    try {
      const { data } = await this.#orders._out_order_no_.complete.post({
        ...this.#ids(), ...lines, time_range: { end_time: endTime },
      }, { out_order_no });
      this.#learn(out_order_no, answered(data) ? data : ended(total));
      return data;
    } catch (err) {
      if (refused(err) && order.owed === total) order.owed = before;
      throw err;
    }
  }

  /**
   * 修改订单金额: a completed order not yet paid now owes less (`fees` less `discounts`; each
   * change lower than the last), for `reason` (at most 50 characters). Resolves the order as the
   * service answers it (a partner's: `''`).
   */
  async lower(out_order_no, { fees, discounts, reason }) {
    const order = this.#order(out_order_no);
    const { total, lines } = owing(fees, discounts);
    if (order.owed === undefined || total < 0 || total >= order.owed) throw new RangeError(`a completed order's amount only goes down: 0 to ${order.owed === undefined ? '?' : order.owed - 1} fen, not ${total}`);
    // Until the service says which, a payment of the old amount or of the new one is ours: a
    // refusal takes back this call's amount; an answer that never came leaves it, until `query` tells.
    order.lowerings.push(total);
    try {
      const { data } = await this.#orders._out_order_no_.modify.post({
        ...this.#ids(), ...lines, reason,
      }, { out_order_no });
      this.#learn(out_order_no, answered(data) ? data : ended(total));
      return data;
    } catch (err) {
      const at = order.lowerings.indexOf(total);
      if (refused(err) && at !== -1) order.lowerings.splice(at, 1);
      throw err;
    }
  }

  /**
   * 取消支付分订单: an order not yet paid (not used, or to be settled another way), for `reason`
   * (at most 50 characters). After an answer that never came, call again with the same reason.
   */
  async cancel(out_order_no, reason) {
    this.#order(out_order_no);
    const { data } = await this.#orders._out_order_no_.cancel.post({ ...this.#ids(), reason }, { out_order_no });
    this.#learn(out_order_no, { state: 'REVOKED' });
    return data;
  }

  /** 商户发起催收扣款: WeChat Pay tries again to collect a completed order's amount. */
  async collect(out_order_no) {
    this.#order(out_order_no);
    const { data } = await this.#orders._out_order_no_.pay.post(this.#ids(), { out_order_no });
    return data;
  }

  /**
   * 同步服务订单信息: the payer paid a completed order another way (at the counter), at
   * `paidTime` (yyyyMMddHHmmss, Beijing time). WeChat Pay stops collecting it: DONE.
   */
  async paidElsewhere(out_order_no, paidTime) {
    this.#order(out_order_no);
    const { data } = await this.#orders._out_order_no_.sync.post(
      { ...this.#ids(), type: 'Order_Paid', detail: { paid_time: paidTime } }, { out_order_no },
    );
    this.#learn(out_order_no, answered(data) ? data : { state: 'DONE', collection: { state: 'USER_PAID' } });
    return data;
  }

  // Synchronous from the check of `id` to its mark, as in Shop.
  #onNotification({ id, event_type, resource }) {
    if (this.handled.has(id)) return;
    if (event_type.startsWith('PAYSCORE.')) {
      const order = this.orders.get(resource.out_order_no);
      // Trust it only for an order of ours, of our service, mini programs and sub-merchant (or none).
      if (!order || resource.service_id !== this.serviceId || resource.appid !== this.appid || resource.sub_mchid !== this.subMchid || resource.sub_appid !== this.subAppid) throw new Error(`unexpected ${event_type} for ${resource.out_order_no}`);
      if (event_type === 'PAYSCORE.USER_CONFIRM' && resource.state !== 'DOING') throw new Error(`unexpected confirmation of ${resource.out_order_no}: ${resource.state}`);
      if (event_type === 'PAYSCORE.USER_PAID') {
        // Paid: the amount we asked (or are lowering it to), all of it collected.
        const c = resource.collection;
        const total = resource.total_amount;
        const asked = Number.isSafeInteger(total) && (total === order.owed || order.lowerings.includes(total));
        if (!asked || c?.state !== 'USER_PAID' || c.paid_amount !== resource.total_amount) throw new Error(`unexpected payment for ${resource.out_order_no}`);
      }
      if (event_type === 'PAYSCORE.USER_CONFIRM' || event_type === 'PAYSCORE.USER_PAID') this.#learn(resource.out_order_no, resource);
    } else if (event_type.startsWith('REFUND.')) {
      const refund = this.refunds.get(resource.out_refund_no);
      // Trust it only for a refund of ours, of its payment and amount.
      if (!refund || resource.transaction_id !== refund.transaction_id || resource.amount?.refund !== refund.amount) throw new Error(`unexpected refund ${resource.out_refund_no}`);
      refund.state = resource.refund_status;
    }
    this.handled.add(id);
  }

  /**
   * 商户申请获取对账单: the day's 支付分 bill (`bill_date` yyyy-MM-dd, a direct merchant's), in parts
   * encrypted for the merchant, downloaded gzipped, decrypted, checked and joined by
   * `wxpay.download`, and read into rows and the summary.
   */
  async bill(bill_date) {
    if (this.subMchid !== undefined) throw new Error('the 支付分 bill is a direct merchant\'s');
    const { data } = await this.wxpay.v3.payscore.merchantBill.get({
      params: { bill_date, service_id: this.serviceId, encryption_algorithm: 'AEAD_AES_256_GCM', tar_type: 'GZIP' },
    });
    return parseBill(await this.wxpay.download(data));
  }

  /** A refund number for `refund`: make it once per refund, and keep it with the refund. */
  newRefundNumber() {
    return newNumber('r');
  }

  /**
   * 申请退款 of a collected order: `amount` fen of one payment WeChat Pay collected for it (its
   * `transaction_id`; the only one unless the order was collected in several), under
   * `out_refund_no` (from `newRefundNumber()`; after an answer that never came, call again with the
   * same number). A payment made another way (`paidElsewhere`) is not WeChat Pay's to refund.
   */
  async refund(out_order_no, out_refund_no, amount, reason, transaction_id) {
    const order = this.#order(out_order_no);
    const [payment, more] = transaction_id === undefined ? order.payments : order.payments.filter((p) => p.transaction_id === transaction_id);
    if (!payment) throw new Error(`service order ${out_order_no} has no payment of WeChat Pay's${transaction_id === undefined ? '' : ` ${transaction_id}`} to refund`);
    if (more) throw new Error(`service order ${out_order_no} was collected in ${order.payments.length} payments: name the transaction_id to refund`);
    const { data, record } = await sendOnce(this.refunds, out_refund_no, { out_order_no, transaction_id: payment.transaction_id, amount }, {
      send: () => this.wxpay.v3.refund.domestic.refunds.post({
        ...this.#refundIds(), transaction_id: payment.transaction_id, out_refund_no, reason, notify_url: this.notifyUrl,
        amount: { refund: amount, total: payment.amount, currency: 'CNY' },
      }),
      query: () => this.wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no, params: this.#refundIds() }),
      stateOf: (d) => d.status,
      notFoundCode: 'RESOURCE_NOT_EXISTS',
    });
    record.refund_id = data.refund_id;
    return data;
  }
}
