// A merchant's day with wxpay-wasm: a JSAPI order and the page's payment parameters (or a Native
// order's QR code link, or one payment of several orders: 合单), the payment's
// notification, the order query, a refund and its notification, the refund query, closing an
// unpaid order, a payout to a user (商家转账) and its notification, and the day's trade bill. Each step is one method of `Shop`, as a service's routes
// would call them; tests/node/shop.test.mjs runs the whole day against the sandbox.
import { parseBill } from 'wxpay-wasm';
import { notifyHandler } from './notify.mjs';
import { Handled, combinedIsOurs, newNumber, sendOnce } from './records.mjs';


export class Shop {
  /**
   * @param {import('wxpay-wasm').Wxpay} wxpay  a client with `apiv3Key` (notifications)
   * @param {{ mchid: string, appid: string, notifyUrl: string, onRejected?: (err) => void }} options
   *   the merchant id the client signs as, the official account's or mini program's appid, this
   *   service's public notification URL, and who hears of notifications refused as not WeChat
   *   Pay's (default: a warning on the console)
   */
  constructor(wxpay, { mchid, appid, notifyUrl, onRejected }) {
    this.wxpay = wxpay;
    this.mchid = mchid;
    this.appid = appid;
    this.notifyUrl = notifyUrl;
    /** out_trade_no -> what we know of the order: { total, state, transaction_id?, combine? } */
    this.orders = new Map();
    /** combine_out_trade_no -> the out_trade_no of each of its sub-orders (合单) */
    this.combines = new Map();
    /** out_refund_no -> { out_trade_no, amount, state } */
    this.refunds = new Map();
    /** out_bill_no -> { openid, amount, state } (payouts, 商家转账) */
    this.payouts = new Map();
    this.handled = new Handled(); // notification ids, for as long as WeChat Pay may send one again
    /** The node:http handler of this.notifyUrl: payments, refunds and payouts. */
    this.notify = notifyHandler(wxpay, { onNotification: (n) => this.#onNotification(n), ...(onRejected ? { onRejected } : {}) });
  }

  #order(out_trade_no) {
    const order = this.orders.get(out_trade_no);
    if (!order) throw new Error(`no order ${out_trade_no} here`);
    return order;
  }

  /** JSAPI下单, then the parameters the page passes to `WeixinJSBridge` / `wx.requestPayment`. */
  async checkout({ openid, total, description }) {
    const out_trade_no = newNumber('o');
    const { data } = await this.wxpay.v3.pay.transactions.jsapi.post({
      appid: this.appid, mchid: this.mchid, description, out_trade_no,
      notify_url: this.notifyUrl, amount: { total, currency: 'CNY' }, payer: { openid },
    });
    this.orders.set(out_trade_no, { total, state: 'NOTPAY' });
    const params = await this.wxpay.jsapiParams({ appId: this.appid, prepay_id: data.prepay_id });
    return { out_trade_no, params };
  }

  /**
   * 合单下单 (JSAPI): one payment of several orders (`parts`: [{ total, description, attach? }]),
   * each an order of its own for the query of its state, its refunds and the bill. A sub-order's
   * `attach` is required: the part's, else its description. The orders are kept before they are
   * placed (their notification can come before the answer; after an answer that never came,
   * `combineClose` can still close them). Resolves the combined order's number, each sub-order's,
   * and the page's parameters.
   */
  async combineCheckout({ openid, parts }) {
    const combine_out_trade_no = newNumber('c');
    const sub_orders = parts.map(({ total, description, attach = description }) => ({
      mchid: this.mchid, out_trade_no: newNumber('o'), description, attach, amount: { total_amount: total, currency: 'CNY' },
    }));
    for (const o of sub_orders) this.orders.set(o.out_trade_no, { total: o.amount.total_amount, state: 'NOTPAY', combine: combine_out_trade_no });
    this.combines.set(combine_out_trade_no, sub_orders.map((o) => o.out_trade_no));
    const { data } = await this.wxpay.v3.combineTransactions.jsapi.post({
      combine_appid: this.appid, combine_mchid: this.mchid, combine_out_trade_no,
      notify_url: this.notifyUrl, sub_orders, combine_payer_info: { openid },
    });
    const params = await this.wxpay.jsapiParams({ appId: this.appid, prepay_id: data.prepay_id });
    return { combine_out_trade_no, out_trade_nos: sub_orders.map((o) => o.out_trade_no), params };
  }

  /** 合单查询订单: each sub-order's state, as WeChat Pay has it. */
  async combineQuery(combine_out_trade_no) {
    const { data } = await this.wxpay.v3.combineTransactions.outTradeNo._combine_out_trade_no_.get({ combine_out_trade_no });
    for (const sub of data.sub_orders ?? []) {
      const order = this.orders.get(sub.out_trade_no);
      if (order?.combine === combine_out_trade_no) Object.assign(order, { state: sub.trade_state, transaction_id: sub.transaction_id });
    }
    return data;
  }

  /** 合单关闭订单: every sub-order of a combined order not paid. Answered 204. */
  async combineClose(combine_out_trade_no) {
    const nos = this.combines.get(combine_out_trade_no);
    if (!nos) throw new Error(`no combined order ${combine_out_trade_no} here`);
    await this.wxpay.v3.combineTransactions.outTradeNo._combine_out_trade_no_.close.post(
      { combine_appid: this.appid, sub_orders: nos.map((out_trade_no) => ({ mchid: this.mchid, out_trade_no })) },
      { combine_out_trade_no },
    );
    for (const no of nos) this.orders.get(no).state = 'CLOSED';
  }

  /** Native下单: for a payer at a computer, who scans `code_url` (shown as a QR code) with WeChat. */
  async nativeCheckout({ total, description }) {
    const out_trade_no = newNumber('o');
    const { data } = await this.wxpay.v3.pay.transactions.native.post({
      appid: this.appid, mchid: this.mchid, description, out_trade_no,
      notify_url: this.notifyUrl, amount: { total, currency: 'CNY' },
    });
    this.orders.set(out_trade_no, { total, state: 'NOTPAY' });
    return { out_trade_no, code_url: data.code_url };
  }

  // Synchronous from the check of `id` to its mark: with a database, make them one step (a
  // unique key on the id), or two deliveries of one notification can both get past the check.
  #onNotification({ id, event_type, resource }) {
    if (this.handled.has(id)) return;
    if (event_type === 'TRANSACTION.SUCCESS' && resource.combine_out_trade_no !== undefined) {
      // A combined order's: trust it only for one of ours, with each of its sub-orders and amounts.
      const nos = this.combines.get(resource.combine_out_trade_no);
      if (!combinedIsOurs(resource, nos, this.orders, (sub) => sub.out_trade_no)) throw new Error(`unexpected payment for ${resource.combine_out_trade_no}`);
      for (const sub of resource.sub_orders) Object.assign(this.orders.get(sub.out_trade_no), { state: sub.trade_state, transaction_id: sub.transaction_id });
    } else if (event_type === 'TRANSACTION.SUCCESS') {
      const order = this.orders.get(resource.out_trade_no);
      // Trust the notification only for an order of ours, for the amount we asked; a sub-order of
      // a combined order is paid only with the others, by its combined order's notification.
      if (!order || order.combine !== undefined || resource.amount.total !== order.total) throw new Error(`unexpected payment for ${resource.out_trade_no}`);
      Object.assign(order, { state: resource.trade_state, transaction_id: resource.transaction_id });
    } else if (event_type.startsWith('REFUND.')) {
      const refund = this.refunds.get(resource.out_refund_no);
      // Trust it only for a refund of ours, of its order and amount.
      if (!refund || resource.out_trade_no !== refund.out_trade_no || resource.amount?.refund !== refund.amount) throw new Error(`unexpected refund ${resource.out_refund_no}`);
      refund.state = resource.refund_status;
    } else if (event_type === 'MCHTRANSFER.BILL.FINISHED') {
      const payout = this.payouts.get(resource.out_bill_no);
      // Trust it only for a payout of ours, to its payee and of its amount.
      if (!payout || resource.transfer_amount !== payout.amount || resource.openid !== payout.openid) throw new Error(`unexpected payout ${resource.out_bill_no}`);
      payout.state = resource.state;
    }
    this.handled.add(id);
  }

  /** 商户订单号查询: what WeChat Pay says of an order (for one whose notification is late). */
  async query(out_trade_no) {
    const combine = this.orders.get(out_trade_no)?.combine;
    if (combine !== undefined) throw new Error(`${out_trade_no} is a sub-order of ${combine}: combineQuery(${combine})`);
    const { data } = await this.wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no, params: { mchid: this.mchid } });
    const order = this.orders.get(out_trade_no);
    if (order) Object.assign(order, { state: data.trade_state, transaction_id: data.transaction_id });
    return data;
  }

  /** 关闭订单: an order not paid, no longer wanted. Answered 204. */
  async close(out_trade_no) {
    const order = this.#order(out_trade_no);
    if (order.combine !== undefined) throw new Error(`${out_trade_no} is a sub-order of ${order.combine}: combineClose(${order.combine})`);
    await this.wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ mchid: this.mchid }, { out_trade_no });
    order.state = 'CLOSED';
  }

  /** A refund number for `refund`: make it once per refund, and keep it with the refund. */
  newRefundNumber() {
    return newNumber('r');
  }

  /**
   * 申请退款: `amount` fen of a paid order, under `out_refund_no` (from `newRefundNumber()`, kept by
   * the caller). WeChat Pay refunds once per `out_refund_no`: after an answer that never came
   * (ERR_NETWORK, ERR_TIMEOUT), call again with the same number, never a new one, or the payer is
   * refunded twice. Resolves the refund as the service answers it.
   */
  async refund(out_trade_no, out_refund_no, amount, reason) {
    const order = this.#order(out_trade_no);
    // Refused (NOT_ENOUGH...): forgotten once the service says it has no such refund (sendOnce).
    const { data, record } = await sendOnce(this.refunds, out_refund_no, { out_trade_no, amount }, {
      send: () => this.wxpay.v3.refund.domestic.refunds.post({
        out_trade_no, out_refund_no, reason, notify_url: this.notifyUrl,
        amount: { refund: amount, total: order.total, currency: 'CNY' },
      }),
      query: () => this.wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no }),
      stateOf: (d) => d.status,
      notFoundCode: 'RESOURCE_NOT_EXISTS',
    });
    record.refund_id = data.refund_id;
    return data;
  }

  /**
   * 发起异常退款: a refund that ended ABNORMAL (REFUND.ABNORMAL: the payer's card refused it) goes
   * again, to a bank card of the payer's (`card`: { bankType, account, name }, the account and the
   * name sent encrypted) or, without `card`, to the merchant's own bank account, for the merchant to
   * pay the payer back another way. PROCESSING again; its notification says when it is done.
   */
  async reapplyRefund(out_refund_no, card) {
    const refund = this.refunds.get(out_refund_no);
    if (!refund) throw new Error(`no refund ${out_refund_no} here`);
    if (refund.refund_id === undefined) await this.refundStatus(out_refund_no);
    const { data } = await this.wxpay.v3.refund.domestic.refunds._refund_id_.applyAbnormalRefund.post(
      card === undefined
        ? { out_refund_no, type: 'MERCHANT_BANK_CARD' }
        : {
          out_refund_no, type: 'USER_BANK_CARD', bank_type: card.bankType,
          bank_account: await this.wxpay.encrypt(card.account), real_name: await this.wxpay.encrypt(card.name),
        },
      { refund_id: refund.refund_id },
    );
    refund.state = data.status;
    return data;
  }

  /** 查询单笔退款 */
  async refundStatus(out_refund_no) {
    const refund = this.refunds.get(out_refund_no);
    if (!refund) throw new Error(`no refund ${out_refund_no} here`);
    const { data } = await this.wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no });
    Object.assign(refund, { state: data.status, refund_id: data.refund_id });
    return data;
  }

  /** A number for `payout`: make it once per payout, and keep it with the payout. */
  newPayoutNumber() {
    return newNumber('t');
  }

  /**
   * 发起转账 (商家转账, 用户确认模式): `amount` fen to the user `openid` (of this.appid), under
   * `out_bill_no` (from `newPayoutNumber()`, kept by the caller: after an answer that never came,
   * call again with the same number, never a new one, or the user is paid twice). `scene` is the
   * transfer scene the merchant has opened (`id`, e.g. '1000' 现金营销) and what it must report
   * (`report`: info_type -> info_content, e.g. { 活动名称, 奖励说明 }). From 2,000 yuan on WeChat
   * Pay needs the payee's name (`userName`): it goes out encrypted under the platform key.
   * Resolves the bill as the service answers it, and while it waits for the user, `confirm`: what
   * the page hands to `wx.requestMerchantTransfer` for the user to accept the money.
   */
  async payout(out_bill_no, { openid, amount, remark, scene, userName }) {
    // As for a refund: forgotten only once the service says it has no such bill (sendOnce).
    const { data } = await sendOnce(this.payouts, out_bill_no, { openid, amount }, {
      send: async () => this.wxpay.v3.fundApp.mchTransfer.transferBills.post({
        appid: this.appid, out_bill_no, openid, transfer_amount: amount, transfer_remark: remark, notify_url: this.notifyUrl,
        transfer_scene_id: scene.id,
        transfer_scene_report_infos: Object.entries(scene.report).map(([info_type, info_content]) => ({ info_type, info_content })),
        ...(userName === undefined ? {} : { user_name: await this.wxpay.encrypt(userName) }),
      }),
      query: () => this.wxpay.v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_.get({ out_bill_no }),
      stateOf: (d) => d.state,
      notFoundCode: 'NOT_FOUND',
    });
    const waiting = data.state === 'WAIT_USER_CONFIRM' && data.package_info !== undefined;
    return { ...data, ...(waiting ? { confirm: { mchId: this.mchid, appId: this.appid, package: data.package_info } } : {}) };
  }

  /** 商户单号查询转账单 */
  async payoutStatus(out_bill_no) {
    const payout = this.payouts.get(out_bill_no);
    if (!payout) throw new Error(`no payout ${out_bill_no} here`);
    const { data } = await this.wxpay.v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_.get({ out_bill_no });
    payout.state = data.state;
    return data;
  }

  /** 撤销转账: a payout the user has not yet accepted. CANCELING, then CANCELLED (its notification says when). */
  async cancelPayout(out_bill_no) {
    const payout = this.payouts.get(out_bill_no);
    if (!payout) throw new Error(`no payout ${out_bill_no} here`);
    const { data } = await this.wxpay.v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_.cancel.post(undefined, { out_bill_no });
    payout.state = data.state;
    return data;
  }

  /**
   * 申请交易账单, downloaded gzipped, unzipped and checked against its SHA-1, and read into rows
   * (every value a string, the backtick WeChat Pay puts before each removed) and the summary.
   */
  async tradeBill(bill_date) {
    const { data } = await this.wxpay.v3.bill.tradebill.get({ params: { bill_date, bill_type: 'ALL', tar_type: 'GZIP' } });
    return parseBill(await this.wxpay.download(data));
  }
}
