// Orders, refunds and sensitive fields: a merchant's day (order, query, close, refund, refund
// query) and what the README's payment and 敏感信息 snippets call.
// POST /v3/pay/transactions/jsapi and /app answer a prepay_id for a well-formed order and keep
// the order, NOTPAY, under its out_trade_no; GET /v3/pay/transactions/out-trade-no/{no} and
// /id/{transaction_id} (?mchid) answer it as the order query does; POST
// /v3/pay/transactions/out-trade-no/{no}/close closes an unpaid one (204). `pay(out_trade_no)`
// plays the payer: the order becomes SUCCESS, with a transaction_id. POST
// /v3/refund/domestic/refunds refunds a paid order (PROCESSING, the order REFUND from then on;
// the same out_refund_no answers the same refund), GET /v3/refund/domestic/refunds/{out_refund_no}
// answers it, and `settleRefund(out_refund_no)` makes it SUCCESS.
// POST /v3/profitsharing/receivers/add takes `name` RSAES-OAEP (SHA-1) encrypted under the
// platform key its Wechatpay-Serial names, and answers it encrypted under the merchant's key.
import crypto from 'node:crypto';

const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
const paramError = (message, field) => ({ status: 400, json: { code: 'PARAM_ERROR', message, detail: { field, location: 'body' } } });
const str = (v) => typeof v === 'string' && v !== '';
const notFound = (code, message) => ({ status: 404, json: { code, message } });
const digits = (n) => Array.from({ length: n }, () => crypto.randomInt(10)).join('');
// RFC 3339 in Beijing time, as the service writes its times.
const beijing = (ms = Date.now()) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';

/**
 * `route(req, path, body, query)` answers these routes (or returns undefined).
 * `decrypter(serial)` is the private key of a platform serial or public key id, or null.
 */
export function paymentRoutes({ mchid, merchantPublic, decrypter }) {
  const prepays = new Map(); // prepay_id -> the order
  const orders = new Map(); // out_trade_no -> the order as the query answers it
  const refunds = new Map(); // out_refund_no -> the refund as its query answers it

  /** A JSAPI order (a payer's openid required) or an APP order (none). */
  function order(kind, order) {
    for (const f of ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url'])
      if (!str(order[f])) return paramError(`${f} is required`, f);
    if (order.mchid !== mchid) return paramError('mchid does not match the signing merchant', 'mchid');
    if (!Number.isSafeInteger(order.amount?.total) || order.amount.total < 1) return paramError('amount.total must be a positive integer', 'amount.total');
    if (kind === 'jsapi' && !str(order.payer?.openid)) return paramError('payer.openid is required', 'payer.openid');
    const known = orders.get(order.out_trade_no);
    if (known?.trade_state === 'CLOSED') return { status: 400, json: { code: 'ORDERCLOSED', message: '订单已关闭' } };
    if (known && known.trade_state !== 'NOTPAY') return { status: 400, json: { code: 'ORDERPAID', message: '订单已支付' } };
    // The same out_trade_no again: only for the same order (a new prepay_id), not another amount.
    if (known && (known.amount.total !== order.amount.total || known.appid !== order.appid)) return { status: 400, json: { code: 'INVALID_REQUEST', message: '商户订单号重复' } };
    const prepay_id = `wx${crypto.randomBytes(16).toString('hex')}`;
    prepays.set(prepay_id, { kind, ...order });
    orders.set(order.out_trade_no, {
      appid: order.appid, mchid: order.mchid, out_trade_no: order.out_trade_no,
      trade_type: kind === 'app' ? 'APP' : 'JSAPI', trade_state: 'NOTPAY', trade_state_desc: '订单未支付',
      ...(order.attach === undefined ? {} : { attach: order.attach }),
      ...(kind === 'jsapi' ? { payer: { openid: order.payer.openid } } : {}),
      amount: { total: order.amount.total, currency: order.amount.currency ?? 'CNY' },
      notify_url$: order.notify_url, refunded$: 0,
    });
    return { status: 200, json: { prepay_id } };
  }

  /** The order as the query answers it: what the service keeps, without the sandbox's own fields. */
  const answered = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => !k.endsWith('$')));

  /** Plays the payer: the order is paid in full. Returns the transaction (the notification's resource). */
  function pay(out_trade_no) {
    const o = orders.get(out_trade_no);
    if (!o) throw new TypeError(`no order ${out_trade_no}`);
    if (o.trade_state !== 'NOTPAY') throw new TypeError(`order ${out_trade_no} is ${o.trade_state}`);
    Object.assign(o, {
      transaction_id: `42000000${digits(20)}`, trade_state: 'SUCCESS', trade_state_desc: '支付成功',
      bank_type: 'OTHERS', success_time: beijing(),
      amount: { ...o.amount, payer_total: o.amount.total, payer_currency: o.amount.currency },
    });
    return answered(o);
  }

  function query(path, q) {
    const m = /^\/v3\/pay\/transactions\/(out-trade-no|id)\/([^/]+)$/.exec(path);
    if (!m) return undefined;
    if (q.mchid !== mchid) return { status: 400, json: { code: 'PARAM_ERROR', message: 'mchid is required and must be the signing merchant', detail: { field: 'mchid', location: 'query' } } };
    const key = decodeURIComponent(m[2]);
    const o = m[1] === 'id' ? [...orders.values()].find((x) => x.transaction_id === key) : orders.get(key);
    return o ? { status: 200, json: answered(o) } : notFound('ORDER_NOT_EXIST', '订单不存在');
  }

  function close(no, data) {
    if (data.mchid !== mchid) return paramError('mchid is required and must be the signing merchant', 'mchid');
    const o = orders.get(no);
    if (!o) return notFound('ORDER_NOT_EXIST', '订单不存在');
    if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') return { status: 400, json: { code: 'ORDERPAID', message: '订单已支付' } };
    Object.assign(o, { trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
    return { status: 204 };
  }

  function refund(data) {
    if (!str(data.out_refund_no)) return paramError('out_refund_no is required', 'out_refund_no');
    const same = refunds.get(data.out_refund_no);
    if (same) return { status: 200, json: answered(same) };
    const o = data.transaction_id !== undefined ? [...orders.values()].find((x) => x.transaction_id === data.transaction_id) : orders.get(data.out_trade_no);
    if (!o) return notFound('RESOURCE_NOT_EXISTS', '订单不存在');
    if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') return { status: 403, json: { code: 'NOT_ENOUGH', message: `order is ${o.trade_state}: nothing to refund` } };
    const a = data.amount ?? {};
    if (a.total !== o.amount.total) return paramError('amount.total must be the order\'s total', 'amount.total');
    if (a.currency !== o.amount.currency) return paramError('amount.currency must be the order\'s currency', 'amount.currency');
    if (!Number.isSafeInteger(a.refund) || a.refund < 1) return paramError('amount.refund must be a positive integer', 'amount.refund');
    if (a.refund > o.amount.total - o.refunded$) return { status: 403, json: { code: 'NOT_ENOUGH', message: '退款金额超过订单可退金额' } };
    o.refunded$ += a.refund;
    // 转入退款: the order says so from its first refund.
    Object.assign(o, { trade_state: 'REFUND', trade_state_desc: '转入退款' });
    const r = {
      refund_id: `50000000${digits(21)}`, out_refund_no: data.out_refund_no,
      transaction_id: o.transaction_id, out_trade_no: o.out_trade_no,
      channel: 'ORIGINAL', user_received_account: '支付用户零钱', create_time: beijing(), status: 'PROCESSING',
      amount: {
        total: o.amount.total, refund: a.refund, payer_total: o.amount.total, payer_refund: a.refund,
        settlement_refund: a.refund, settlement_total: o.amount.total, discount_refund: 0, currency: o.amount.currency,
      },
      notify_url$: data.notify_url, mchid$: o.mchid,
    };
    refunds.set(data.out_refund_no, r);
    return { status: 200, json: answered(r) };
  }

  /**
   * The refund succeeds. Returns the resource of its REFUND.SUCCESS notification (the fields
   * WeChat Pay documents for it) and the URL it goes to (the refund's notify_url, if it gave one).
   */
  function settleRefund(out_refund_no) {
    const r = refunds.get(out_refund_no);
    if (!r) throw new TypeError(`no refund ${out_refund_no}`);
    if (r.status !== 'PROCESSING') throw new TypeError(`refund ${out_refund_no} is ${r.status}`);
    Object.assign(r, { status: 'SUCCESS', success_time: beijing() });
    const resource = {
      mchid: r.mchid$, out_trade_no: r.out_trade_no, transaction_id: r.transaction_id, out_refund_no: r.out_refund_no,
      refund_id: r.refund_id, refund_status: 'SUCCESS', success_time: r.success_time, user_received_account: r.user_received_account,
      amount: { total: r.amount.total, refund: r.amount.refund, payer_total: r.amount.payer_total, payer_refund: r.amount.payer_refund },
    };
    return { resource, notify_url: r.notify_url$ };
  }

  function addReceiver(req, data) {
    for (const f of ['appid', 'type', 'account', 'relation_type']) if (!str(data[f])) return paramError(`${f} is required`, f);
    if (data.name === undefined) return { status: 200, json: { type: data.type, account: data.account, relation_type: data.relation_type } };
    const serial = req.headers['wechatpay-serial'];
    const key = serial === undefined ? null : decrypter(serial);
    if (!key) return paramError('an encrypted field needs the Wechatpay-Serial header of the key that encrypted it', 'Wechatpay-Serial');
    let name;
    try { name = crypto.privateDecrypt({ key, ...OAEP }, Buffer.from(data.name, 'base64')).toString('utf8'); }
    catch { return paramError('name does not decrypt under the platform key', 'name'); }
    // The answer's sensitive field, encrypted for the merchant.
    const sealed = crypto.publicEncrypt({ key: merchantPublic(), ...OAEP }, Buffer.from(name, 'utf8')).toString('base64');
    return { status: 200, json: { type: data.type, account: data.account, relation_type: data.relation_type, name: sealed } };
  }

  function route(req, path, body, q = {}) {
    if (req.method === 'GET') {
      const m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
      if (m) {
        const r = refunds.get(decodeURIComponent(m[1]));
        return r ? { status: 200, json: answered(r) } : notFound('RESOURCE_NOT_EXISTS', '退款单不存在');
      }
      return query(path, q);
    }
    const closing = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(path);
    const routes = ['/v3/pay/transactions/jsapi', '/v3/pay/transactions/app', '/v3/profitsharing/receivers/add', '/v3/refund/domestic/refunds'];
    if (req.method !== 'POST' || !(closing || routes.includes(path))) return undefined;
    let data;
    try { data = JSON.parse(body.toString('utf8')); } catch { return paramError('body is not JSON', ''); }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return paramError('body must be a JSON object', '');
    if (closing) return close(decodeURIComponent(closing[1]), data);
    if (path === '/v3/profitsharing/receivers/add') return addReceiver(req, data);
    if (path === '/v3/refund/domestic/refunds') return refund(data);
    return order(path.endsWith('/app') ? 'app' : 'jsapi', data);
  }
  /** Forgets every order and refund (the sandbox's reset). */
  function clear() {
    prepays.clear();
    orders.clear();
    refunds.clear();
  }
  return { route, prepays, orders, refunds, pay, settleRefund, clear };
}
