// A merchant's day with wxpay-wasm: a JSAPI order and the page's payment parameters, the payment's
// notification, the order query, a refund and its notification, the refund query, closing an
// unpaid order, and the day's trade bill. Each step is one method of `Shop`, as a service's routes
// would call them; tests/node/shop.test.mjs runs the whole day against the sandbox.
import { parseBill } from 'wxpay-wasm';
import { notifyHandler } from './notify.mjs';

/** An order number of our own: 6 to 32 characters of [0-9A-Za-z_-|*]. */
const orderNumber = (prefix) => `${prefix}${Date.now()}${Math.floor(Math.random() * 1e6).toString().padStart(6, '0')}`;

export class Shop {
  /**
   * @param {import('wxpay-wasm').Wxpay} wxpay  a client with `apiv3Key` (notifications)
   * @param {{ mchid: string, appid: string, notifyUrl: string }} options  the merchant id the
   *   client signs as, the official account's or mini program's appid, and this service's public
   *   notification URL
   */
  constructor(wxpay, { mchid, appid, notifyUrl }) {
    this.wxpay = wxpay;
    this.mchid = mchid;
    this.appid = appid;
    this.notifyUrl = notifyUrl;
    /** out_trade_no -> what we know of the order: { total, state, transaction_id? } */
    this.orders = new Map();
    /** out_refund_no -> { out_trade_no, amount, state } */
    this.refunds = new Map();
    this.handled = new Set(); // notification ids: WeChat Pay sends one again until answered
    /** The node:http handler of this.notifyUrl: payments and refunds. */
    this.notify = notifyHandler(wxpay, { onNotification: (n) => this.#onNotification(n), onRejected: () => {} });
  }

  /** JSAPI下单, then the parameters the page passes to `WeixinJSBridge` / `wx.requestPayment`. */
  async checkout({ openid, total, description }) {
    const out_trade_no = orderNumber('o');
    const { data } = await this.wxpay.v3.pay.transactions.jsapi.post({
      appid: this.appid, mchid: this.mchid, description, out_trade_no,
      notify_url: this.notifyUrl, amount: { total, currency: 'CNY' }, payer: { openid },
    });
    this.orders.set(out_trade_no, { total, state: 'NOTPAY' });
    const params = await this.wxpay.jsapiParams({ appId: this.appid, prepay_id: data.prepay_id });
    return { out_trade_no, params };
  }

  async #onNotification({ id, event_type, resource }) {
    if (this.handled.has(id)) return;
    if (event_type === 'TRANSACTION.SUCCESS') {
      const order = this.orders.get(resource.out_trade_no);
      // Trust the notification only for an order of ours, for the amount we asked.
      if (!order || resource.amount.total !== order.total) throw new Error(`unexpected payment for ${resource.out_trade_no}`);
      Object.assign(order, { state: resource.trade_state, transaction_id: resource.transaction_id });
    } else if (event_type.startsWith('REFUND.')) {
      const refund = this.refunds.get(resource.out_refund_no);
      if (!refund) throw new Error(`unexpected refund ${resource.out_refund_no}`);
      refund.state = resource.refund_status;
    }
    this.handled.add(id);
  }

  /** 商户订单号查询: what WeChat Pay says of an order (for one whose notification is late). */
  async query(out_trade_no) {
    const { data } = await this.wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ out_trade_no, params: { mchid: this.mchid } });
    const order = this.orders.get(out_trade_no);
    if (order) Object.assign(order, { state: data.trade_state, transaction_id: data.transaction_id });
    return data;
  }

  /** 关闭订单: an order not paid, no longer wanted. Answered 204. */
  async close(out_trade_no) {
    await this.wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ mchid: this.mchid }, { out_trade_no });
    this.orders.get(out_trade_no).state = 'CLOSED';
  }

  /** 申请退款: `amount` fen of a paid order. Resolves the refund as the service first answers it. */
  async refund(out_trade_no, amount, reason) {
    const order = this.orders.get(out_trade_no);
    const out_refund_no = orderNumber('r');
    const { data } = await this.wxpay.v3.refund.domestic.refunds.post({
      out_trade_no, out_refund_no, reason, notify_url: this.notifyUrl,
      amount: { refund: amount, total: order.total, currency: 'CNY' },
    });
    this.refunds.set(out_refund_no, { out_trade_no, amount, state: data.status });
    return data;
  }

  /** 查询单笔退款 */
  async refundStatus(out_refund_no) {
    const { data } = await this.wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no });
    this.refunds.get(out_refund_no).state = data.status;
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
