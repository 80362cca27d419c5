// A partner's (服务商) day with wxpay-wasm, for its sub-merchants (特约商户): a JSAPI order placed
// for a sub-merchant with its funds kept for profit sharing (or one payment of several
// sub-merchants' orders: 合单), the page's payment parameters, the payment's notification, the
// order query, 分账 (receivers, a profit-sharing order, its query,
// what is left, unfreezing the rest), a refund and its notification, and the refund query. Each
// step is one method of `Partner`, as a service's routes would call them;
// tests/node/partner.test.mjs runs the whole day against the sandbox.
//
// The client signs as the partner: its `mchid` is the partner's (sp_mchid), its key and
// certificate the partner's. Every call names the sub-merchant it is for (sub_mchid).
import { notifyHandler } from './notify.mjs';
import { Handled, combinedIsOurs, newNumber, sendOnce } from './records.mjs';


export class Partner {
  /**
   * @param {import('wxpay-wasm').Wxpay} wxpay  a client of the partner, with `apiv3Key` (notifications)
   * @param {{ spMchid: string, spAppid: string, notifyUrl: string, onRejected?: (err) => void }} options
   *   the partner's merchant id (the client's `mchid`), the partner's official account or mini
   *   program the payers pay in, this service's public notification URL, and who hears of
   *   notifications refused as not WeChat Pay's (default: a warning on the console)
   */
  constructor(wxpay, { spMchid, spAppid, notifyUrl, onRejected }) {
    this.wxpay = wxpay;
    this.spMchid = spMchid;
    this.spAppid = spAppid;
    this.notifyUrl = notifyUrl;
    // Each sub-merchant numbers its own orders and refunds: the maps key them `<sub_mchid>/<no>`.
    /** -> what we know of the order: { total, profitSharing, state, transaction_id?, combine? } */
    this.orders = new Map();
    /** combine_out_trade_no -> the `<sub_mchid>/<out_trade_no>` of each of its sub-orders (合单) */
    this.combines = new Map();
    /** -> { out_trade_no, amount, state } */
    this.refunds = new Map();
    /** -> the profit-sharing order as last answered */
    this.shares = new Map();
    this.handled = new Handled(); // notification ids, for as long as WeChat Pay may send one again
    /** The node:http handler of this.notifyUrl: payments and refunds. */
    this.notify = notifyHandler(wxpay, { onNotification: (n) => this.#onNotification(n), ...(onRejected ? { onRejected } : {}) });
  }

  #order(sub_mchid, out_trade_no) {
    const order = this.orders.get(`${sub_mchid}/${out_trade_no}`);
    if (!order) throw new Error(`no order ${out_trade_no} of ${sub_mchid} here`);
    return order;
  }

  /** A number for `refund`, `share` or `unfreeze`: make it once per refund or share, and keep it with it. */
  newNumber(prefix = 'n') {
    return newNumber(prefix);
  }

  /**
   * JSAPI下单 (服务商) for a sub-merchant, then the page's parameters for `WeixinJSBridge` /
   * `wx.requestPayment`. `openid` is the payer's under the partner's appid (sp_openid). With
   * `profitSharing`, the funds are kept for 分账 until shared or unfrozen.
   */
  async checkout({ sub_mchid, openid, total, description, profitSharing = false }) {
    const out_trade_no = newNumber('o');
    const { data } = await this.wxpay.v3.pay.partner.transactions.jsapi.post({
      sp_appid: this.spAppid, sp_mchid: this.spMchid, sub_mchid, description, out_trade_no,
      notify_url: this.notifyUrl, amount: { total, currency: 'CNY' }, payer: { sp_openid: openid },
      settle_info: { profit_sharing: profitSharing },
    });
    this.orders.set(`${sub_mchid}/${out_trade_no}`, { total, profitSharing, state: 'NOTPAY' });
    // The appid of the page that pays: here the partner's (a sub_appid's page would give sub_appid).
    const params = await this.wxpay.jsapiParams({ appId: this.spAppid, prepay_id: data.prepay_id });
    return { out_trade_no, params };
  }

  /**
   * 合单下单 (服务商, JSAPI): one payment of several sub-merchants' orders (`parts`: [{ sub_mchid,
   * total, description, attach?, profitSharing? }]), each an order of its sub-merchant's for its
   * query in the combined order, its refunds and 分账. The orders are kept before they are placed.
   * Resolves the combined order's number, each sub-order's, and the page's parameters.
   */
  async combineCheckout({ openid, parts }) {
    const combine_out_trade_no = newNumber('c');
    const sub_orders = parts.map(({ sub_mchid, total, description, attach = description, profitSharing = false }) => ({
      mchid: this.spMchid, sub_mchid, out_trade_no: newNumber('o'), description, attach,
      amount: { total_amount: total, currency: 'CNY' }, settle_info: { profit_sharing: profitSharing },
    }));
    const keys = sub_orders.map((o) => `${o.sub_mchid}/${o.out_trade_no}`);
    sub_orders.forEach((o, i) => this.orders.set(keys[i], { total: o.amount.total_amount, profitSharing: o.settle_info.profit_sharing, state: 'NOTPAY', combine: combine_out_trade_no }));
    this.combines.set(combine_out_trade_no, keys);
    const { data } = await this.wxpay.v3.combineTransactions.jsapi.post({
      combine_appid: this.spAppid, combine_mchid: this.spMchid, combine_out_trade_no,
      notify_url: this.notifyUrl, sub_orders, combine_payer_info: { openid },
    });
    const params = await this.wxpay.jsapiParams({ appId: this.spAppid, prepay_id: data.prepay_id });
    return { combine_out_trade_no, sub_orders: sub_orders.map(({ sub_mchid, out_trade_no }) => ({ sub_mchid, out_trade_no })), params };
  }

  /** 合单查询订单 (服务商): each sub-order's state, as WeChat Pay has it. */
  async combineQuery(combine_out_trade_no) {
    const { data } = await this.wxpay.v3.combineTransactions.outTradeNo._combine_out_trade_no_.get({ combine_out_trade_no });
    for (const sub of data.sub_orders ?? []) {
      const order = this.orders.get(`${sub.sub_mchid}/${sub.out_trade_no}`);
      if (order?.combine === combine_out_trade_no) Object.assign(order, { state: sub.trade_state, transaction_id: sub.transaction_id });
    }
    return data;
  }

  /** 合单关闭订单 (服务商): every sub-order of a combined order not paid, each named with its sub-merchant. Answered 204. */
  async combineClose(combine_out_trade_no) {
    const keys = this.combines.get(combine_out_trade_no);
    if (!keys) throw new Error(`no combined order ${combine_out_trade_no} here`);
    const sub_orders = keys.map((key) => {
      const [sub_mchid, out_trade_no] = key.split('/');
      return { mchid: this.spMchid, sub_mchid, out_trade_no };
    });
    await this.wxpay.v3.combineTransactions.outTradeNo._combine_out_trade_no_.close.post({ combine_appid: this.spAppid, sub_orders }, { combine_out_trade_no });
    for (const key of keys) this.orders.get(key).state = 'CLOSED';
  }

  // Synchronous from the check of `id` to its mark: with a database, make them one step (a
  // unique key on the id), or two deliveries of one notification can both get past the check.
  #onNotification({ id, event_type, resource }) {
    if (this.handled.has(id)) return;
    if (event_type === 'TRANSACTION.SUCCESS' && resource.combine_out_trade_no !== undefined) {
      // A combined order's: ours as a whole (every sub-order, each sub-merchant's, at its amount), or nothing.
      const keys = this.combines.get(resource.combine_out_trade_no);
      const keyOf = (sub) => `${sub.sub_mchid}/${sub.out_trade_no}`;
      if (resource.combine_mchid !== this.spMchid || !combinedIsOurs(resource, keys, this.orders, keyOf)) throw new Error(`unexpected payment for ${resource.combine_out_trade_no}`);
      for (const sub of resource.sub_orders) Object.assign(this.orders.get(keyOf(sub)), { state: sub.trade_state, transaction_id: sub.transaction_id });
      this.handled.add(id);
      return;
    }
    if (resource.sp_mchid !== this.spMchid) throw new Error(`notification ${id} is not for partner ${this.spMchid}`);
    if (event_type === 'TRANSACTION.SUCCESS') {
      const order = this.orders.get(`${resource.sub_mchid}/${resource.out_trade_no}`);
      // Trust the notification only for an order of ours, for the amount we asked; a sub-order of
      // a combined order is paid only with the others, by its combined order's notification.
      if (!order || order.combine !== undefined || resource.amount.total !== order.total) throw new Error(`unexpected payment for ${resource.out_trade_no}`);
      Object.assign(order, { state: resource.trade_state, transaction_id: resource.transaction_id });
    } else if (event_type.startsWith('REFUND.')) {
      const refund = this.refunds.get(`${resource.sub_mchid}/${resource.out_refund_no}`);
      // Trust it only for a refund of ours, of its order and amount.
      if (!refund || resource.out_trade_no !== refund.out_trade_no || resource.amount?.refund !== refund.amount) throw new Error(`unexpected refund ${resource.out_refund_no}`);
      refund.state = resource.refund_status;
    }
    this.handled.add(id);
  }

  /** 查询订单 (服务商): what WeChat Pay says of a sub-merchant's order. */
  async query(sub_mchid, out_trade_no) {
    const combine = this.orders.get(`${sub_mchid}/${out_trade_no}`)?.combine;
    if (combine !== undefined) throw new Error(`${out_trade_no} is a sub-order of ${combine}: combineQuery(${combine})`);
    const { data } = await this.wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.get({
      out_trade_no, params: { sp_mchid: this.spMchid, sub_mchid },
    });
    const order = this.orders.get(`${sub_mchid}/${out_trade_no}`);
    if (order) Object.assign(order, { state: data.trade_state, transaction_id: data.transaction_id });
    return data;
  }

  /** 关闭订单 (服务商): an order not paid, no longer wanted. Answered 204. */
  async close(sub_mchid, out_trade_no) {
    const order = this.#order(sub_mchid, out_trade_no);
    if (order.combine !== undefined) throw new Error(`${out_trade_no} is a sub-order of ${order.combine}: closed with it`);
    await this.wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.close.post({ sp_mchid: this.spMchid, sub_mchid }, { out_trade_no });
    order.state = 'CLOSED';
  }

  /**
   * 添加分账接收方 for a sub-merchant. `name` goes out encrypted under the platform key (`encrypt`;
   * the request names that key's serial): a merchant's (`MERCHANT_ID`) full name is required, a
   * person's (`PERSONAL_OPENID`) name optional (checked against the account if given).
   */
  async addReceiver(sub_mchid, { type, account, name, relation_type }) {
    const { data } = await this.wxpay.v3.profitsharing.receivers.add.post({
      sub_mchid, appid: this.spAppid, type, account, relation_type,
      ...(name === undefined ? {} : { name: await this.wxpay.encrypt(name) }),
    });
    return data;
  }

  /** A paid order's transaction_id, asked of WeChat Pay if no notification has told us yet. */
  async #paid(sub_mchid, out_trade_no) {
    const order = this.#order(sub_mchid, out_trade_no);
    if (order.transaction_id === undefined) await (order.combine === undefined ? this.query(sub_mchid, out_trade_no) : this.combineQuery(order.combine));
    if (order.transaction_id === undefined) throw new Error(`order ${out_trade_no} of ${sub_mchid} is not paid`);
    return order.transaction_id;
  }

  /**
   * 请求分账: shares a paid order's funds among receivers added before (`addReceiver`), under
   * `out_order_no` (from `newNumber()`, kept by the caller: after a lost answer, the same number
   * again shares once). `receivers`: [{ type, account, amount, description, name? }]. With
   * `unfreezeRest`, what is not shared goes to the sub-merchant once this order finishes.
   * Answered PROCESSING: `shareStatus` says when it has FINISHED. WeChat Pay shares a payment only
   * once it has settled, some time after it was paid (before that: INVALID_REQUEST): share from a
   * queue that tries again later, not inside the payment's notification.
   */
  async share(sub_mchid, out_trade_no, out_order_no, receivers, { unfreezeRest = false } = {}) {
    const transaction_id = await this.#paid(sub_mchid, out_trade_no);
    const sealed = await Promise.all(receivers.map(async ({ name, ...r }) => (name === undefined ? r : { ...r, name: await this.wxpay.encrypt(name) })));
    const { data } = await this.wxpay.v3.profitsharing.orders.post({
      sub_mchid, appid: this.spAppid, transaction_id, out_order_no, receivers: sealed, unfreeze_unsplit: unfreezeRest,
    });
    this.shares.set(`${sub_mchid}/${out_order_no}`, data);
    return data;
  }

  /** 查询分账结果 */
  async shareStatus(sub_mchid, out_trade_no, out_order_no) {
    const transaction_id = await this.#paid(sub_mchid, out_trade_no);
    const { data } = await this.wxpay.v3.profitsharing.orders._out_order_no_.get({ out_order_no, params: { sub_mchid, transaction_id } });
    this.shares.set(`${sub_mchid}/${out_order_no}`, data);
    return data;
  }

  /** 查询剩余待分金额: fen still kept for sharing. */
  async unsplit(sub_mchid, out_trade_no) {
    const transaction_id = await this.#paid(sub_mchid, out_trade_no);
    const { data } = await this.wxpay.v3.profitsharing.transactions._transaction_id_.amounts.get({ transaction_id });
    return data.unsplit_amount;
  }

  /** 解冻剩余资金: what is left of a paid order's funds goes to the sub-merchant; nothing more is shared. */
  async unfreeze(sub_mchid, out_trade_no, out_order_no, description) {
    const transaction_id = await this.#paid(sub_mchid, out_trade_no);
    const { data } = await this.wxpay.v3.profitsharing.orders.unfreeze.post({ sub_mchid, transaction_id, out_order_no, description });
    this.shares.set(`${sub_mchid}/${out_order_no}`, data);
    return data;
  }

  /**
   * 申请退款 (服务商): `amount` fen of a sub-merchant's paid order, under `out_refund_no` (from
   * `newNumber()`, kept by the caller: after an answer that never came, call again with the same
   * number, never a new one, or the payer is refunded twice). What was shared is no longer the
   * sub-merchant's to refund. Resolves the refund as the service answers it.
   */
  async refund(sub_mchid, out_trade_no, out_refund_no, amount, reason) {
    const order = this.#order(sub_mchid, out_trade_no);
    // Refused (NOT_ENOUGH...): forgotten once the service says it has no such refund (sendOnce).
    const { data } = await sendOnce(this.refunds, `${sub_mchid}/${out_refund_no}`, { out_trade_no, amount }, {
      send: () => this.wxpay.v3.refund.domestic.refunds.post({
        sub_mchid, out_trade_no, out_refund_no, reason, notify_url: this.notifyUrl,
        amount: { refund: amount, total: order.total, currency: 'CNY' },
      }),
      query: () => this.wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no, params: { sub_mchid } }),
      stateOf: (d) => d.status,
      notFoundCode: 'RESOURCE_NOT_EXISTS',
    });
    return data;
  }

  /** 查询单笔退款 (服务商) */
  async refundStatus(sub_mchid, out_refund_no) {
    const refund = this.refunds.get(`${sub_mchid}/${out_refund_no}`);
    if (!refund) throw new Error(`no refund ${out_refund_no} of ${sub_mchid} here`);
    const { data } = await this.wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no, params: { sub_mchid } });
    refund.state = data.status;
    return data;
  }
}
