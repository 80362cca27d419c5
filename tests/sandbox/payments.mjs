// Orders, refunds, profit sharing and sensitive fields: a merchant's day and a partner's (服务商)
// (order, query, close, refund, refund query, 分账) and what the README's payment and 敏感信息
// snippets call.
//
// A direct merchant (mchid) and a partner's sub-merchants (sub_mchid, one of `subMchids`) each
// number their own orders and refunds: the maps below key a partner's order `<sub_mchid>/<no>`,
// a direct merchant's `<no>` (an out_trade_no has no '/').
//
// POST /v3/pay/transactions/jsapi, /app, /native and /h5 (and the same under
// /v3/pay/partner/transactions) answer a prepay_id (a code_url, an h5_url) for a well-formed order
// and keep the order, NOTPAY; GET
// /v3/pay/transactions/out-trade-no/{no} and /id/{transaction_id} (?mchid; the partner's:
// ?sp_mchid&sub_mchid) answer it as the order query does; POST .../out-trade-no/{no}/close closes
// an unpaid one (204). `pay(out_trade_no, sub_mchid?)` plays the payer: the order becomes
// SUCCESS, with a transaction_id. POST /v3/refund/domestic/refunds (sub_mchid for a partner's)
// refunds a paid order (PROCESSING, the order REFUND from then on; the same out_refund_no answers
// the same refund), GET /v3/refund/domestic/refunds/{out_refund_no} answers it, and
// `settleRefund(out_refund_no, sub_mchid?, status?)` ends it SUCCESS, ABNORMAL or CLOSED, and
// POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund sends an ABNORMAL one again.
// 合单 (combine): POST /v3/combine-transactions/jsapi (mini programs too), /app, /native and /h5
// take one payment of several sub-orders (each the signing merchant's, or a partner's
// sub-merchant's with sub_mchid), kept as orders of their own for refunds and sharing; GET
// /v3/combine-transactions/out-trade-no/{no} answers the whole, POST .../out-trade-no/{no}/close
// closes every sub-order, and `payCombine(no)` plays the payer. (/miniprogram and /id/{...} in the
// corpus are 个人收款's, another product, not served.) The sandbox's own rule, not the corpus's: a
// sub-order is not an order of the ordinary query and close (ORDER_NOT_EXIST there), so that a
// merchant's code that reaches for them is seen to.
// 分账: POST /v3/profitsharing/receivers/add and /delete keep a merchant's receivers; POST
// /v3/profitsharing/orders shares a paid order placed with settle_info.profit_sharing among them
// (at most MAX_RATIO of its total in all; PROCESSING until `settleProfitSharing(out_order_no,
// sub_mchid?)`), GET /v3/profitsharing/orders/{out_order_no} answers it, POST
// /v3/profitsharing/orders/unfreeze hands the rest to the merchant, and GET
// /v3/profitsharing/transactions/{transaction_id}/amounts says what is left to share.
// A receiver's `name` goes in RSAES-OAEP (SHA-1) encrypted under the platform key its
// Wechatpay-Serial names; receivers/add answers it encrypted under the merchant's key.
import crypto from 'node:crypto';

export const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
/** The share of an order's total that its profit sharing may take, in all (the service's default, 30%). */
export const MAX_RATIO = 0.3;
export const paramError = (message, field, location = 'body') => ({ status: 400, json: { code: 'PARAM_ERROR', message, detail: { field, location } } });
export const invalid = (message) => ({ status: 400, json: { code: 'INVALID_REQUEST', message } });
export const str = (v) => typeof v === 'string' && v !== '';
/** The most sub-orders in one combined order (the corpus: 合单下单's description, 合单关单's maxItems). */
export const MAX_SUB_ORDERS = 50;
/** The characters WeChat Pay allows in a merchant's order number (the sandbox checks no length). */
const ORDER_NUMBER = /^[0-9A-Za-z_\-*]+$/;
/** ... and in a refund's or a profit-sharing order's number. */
const NUMBER = /^[0-9A-Za-z_\-|*@]+$/;
const notFound = (code, message) => ({ status: 404, json: { code, message } });
export const ok = (json) => ({ status: 200, json });
export const digits = (n) => Array.from({ length: n }, () => crypto.randomInt(10)).join('');
// RFC 3339 in Beijing time, as the service writes its times.
export const beijing = (ms = Date.now()) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';
/** An order's `trade_type` by the route it was placed on. */
const TRADE_TYPES = { jsapi: 'JSAPI', app: 'APP', native: 'NATIVE', h5: 'MWEB' };
/** The key of a merchant's own number: `<sub_mchid>/<no>` for a partner's sub-merchant, `<no>` for a direct merchant. */
export const at = (sub_mchid, no) => (sub_mchid === undefined ? no : `${sub_mchid}/${no}`);
/** An object as the service answers it: without the sandbox's own fields (`...$`). */
/** A POST's body: { data } (a JSON object), or { refused } (an answer naming what it is not). */
export function jsonObject(body) {
  let data;
  try { data = JSON.parse(body.toString('utf8')); } catch { return { refused: paramError('body is not JSON', '') }; }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { refused: paramError('body must be a JSON object', '') };
  return { data };
}

export const answered = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => !k.endsWith('$')));

/**
 * A request's sensitive field, RSAES-OAEP (SHA-1) under the key its Wechatpay-Serial names
 * (`decrypter(serial)`: that private key, or null): { value }, or { refused } (an answer: no such
 * key, or the field does not decrypt under it).
 */
export function decryptedField(decrypter, req, field, value) {
  const serial = req.headers['wechatpay-serial'];
  const key = serial === undefined ? null : decrypter(serial);
  if (!key) return { refused: paramError('an encrypted field needs the Wechatpay-Serial header of the key that encrypted it', 'Wechatpay-Serial', 'header') };
  try { return { value: crypto.privateDecrypt({ key, ...OAEP }, Buffer.from(value, 'base64')).toString('utf8') }; }
  catch { return { refused: paramError(`${field} does not decrypt under the platform key`, field) }; }
}

/**
 * `route(req, path, body, query)` answers these routes (or returns undefined).
 * `mchid` is the signing merchant (a direct merchant, or the partner: sp_mchid); `subMchids` its
 * sub-merchants. `decrypter(serial)` is the private key of a platform serial or public key id, or null.
 */
export function paymentRoutes({ mchid, subMchids = [], merchantPublic, decrypter }) {
  /** `shareAfterMs`: how long after its payment an order can be shared (the sandbox's `profitSharingDelayMs`). */
  const timing = { shareAfterMs: 0 };
  const prepays = new Map(); // prepay_id -> the order
  const orders = new Map(); // at(sub_mchid, out_trade_no) -> the order as the query answers it
  const refunds = new Map(); // at(sub_mchid, out_refund_no) -> the refund as its query answers it
  const receivers = new Map(); // at(sub_mchid, `${type}/${account}`) -> the receiver
  const shares = new Map(); // at(sub_mchid, out_order_no) -> the profit-sharing order as its query answers it
  const combines = new Map(); // combine_out_trade_no -> the combined order: its sub-orders are in `orders`
  const applyments = new Map(); // business_code -> a sub-merchant application (进件) as its query answers it

  /** The request's sub-merchant: undefined (a direct merchant's), a known sub_mchid, or an answer refusing it. */
  function subMerchant(sub_mchid, location = 'body') {
    if (sub_mchid === undefined) return { sub: undefined };
    if (!subMchids.includes(sub_mchid)) return { refused: paramError('sub_mchid is not a sub-merchant of this partner', 'sub_mchid', location) };
    return { sub: sub_mchid };
  }

  /**
   * An order, a direct merchant's or (`partner`) a partner's: `kind` 'jsapi' (a payer's openid
   * required; mini programs too), 'app', 'native' (answered a `code_url` for a QR code) or 'h5'
   * (answered an `h5_url`; `scene_info.payer_client_ip` and `scene_info.h5_info.type` required).
   */
  function order(kind, partner, data) {
    const ids = partner ? ['sp_appid', 'sp_mchid', 'sub_mchid'] : ['appid', 'mchid'];
    for (const f of [...ids, 'description', 'out_trade_no', 'notify_url'])
      if (!str(data[f])) return paramError(`${f} is required`, f);
    if (!ORDER_NUMBER.test(data.out_trade_no)) return paramError('out_trade_no may hold only 0-9 A-Z a-z _ - *', 'out_trade_no');
    if (data[ids[1]] !== mchid) return paramError(`${ids[1]} does not match the signing merchant`, ids[1]);
    const { sub, refused } = subMerchant(partner ? data.sub_mchid : undefined);
    if (refused) return refused;
    if (!Number.isSafeInteger(data.amount?.total) || data.amount.total < 1) return paramError('amount.total must be a positive integer', 'amount.total');
    if (kind === 'h5' && !str(data.scene_info?.payer_client_ip)) return paramError('scene_info.payer_client_ip is required', 'scene_info.payer_client_ip');
    if (kind === 'h5' && !str(data.scene_info.h5_info?.type)) return paramError('scene_info.h5_info.type is required', 'scene_info.h5_info.type');
    let payer;
    if (kind === 'jsapi' && !partner) {
      if (!str(data.payer?.openid)) return paramError('payer.openid is required', 'payer.openid');
      payer = { openid: data.payer.openid };
    } else if (kind === 'jsapi') {
      // A partner's payer: the openid under sp_appid, or under sub_appid (which the order then names).
      const { sp_openid, sub_openid } = data.payer ?? {};
      if (!str(sp_openid) && !str(sub_openid)) return paramError('payer.sp_openid or payer.sub_openid is required', 'payer.sp_openid');
      if (str(sub_openid) && !str(data.sub_appid)) return paramError('sub_appid is required with payer.sub_openid', 'sub_appid');
      payer = { ...(str(sp_openid) ? { sp_openid } : {}), ...(str(sub_openid) ? { sub_openid } : {}) };
    }
    const key = at(sub, data.out_trade_no);
    const known = orders.get(key);
    if (known?.combine$ !== undefined) return invalid('商户订单号重复');
    if (known?.trade_state === 'CLOSED') return { status: 400, json: { code: 'ORDERCLOSED', message: '订单已关闭' } };
    if (known && known.trade_state !== 'NOTPAY') return { status: 400, json: { code: 'ORDERPAID', message: '订单已支付' } };
    const appid = partner ? data.sp_appid : data.appid;
    // The same out_trade_no again: only for the same order (a new prepay_id), not another amount.
    if (known && (known.amount.total !== data.amount.total || known.appid$ !== appid)) return invalid('商户订单号重复');
    const prepay_id = `wx${crypto.randomBytes(16).toString('hex')}`;
    prepays.set(prepay_id, { kind, ...data });
    orders.set(key, {
      ...(partner
        ? { sp_appid: data.sp_appid, sp_mchid: data.sp_mchid, ...(str(data.sub_appid) ? { sub_appid: data.sub_appid } : {}), sub_mchid: data.sub_mchid }
        : { appid: data.appid, mchid: data.mchid }),
      out_trade_no: data.out_trade_no,
      trade_type: TRADE_TYPES[kind], trade_state: 'NOTPAY', trade_state_desc: '订单未支付',
      ...(data.attach === undefined ? {} : { attach: data.attach }),
      ...(payer ? { payer } : {}),
      amount: { total: data.amount.total, currency: data.amount.currency ?? 'CNY' },
      appid$: appid, sub$: sub, notify_url$: data.notify_url, refunded$: 0,
      // 分账: the order's funds are frozen for sharing; shared$ is what its sharing orders took.
      profit_sharing$: data.settle_info?.profit_sharing === true, shared$: 0, unfrozen$: false,
    });
    if (kind === 'native') return ok({ code_url: `weixin://wxpay/bizpayurl?pr=${crypto.randomBytes(6).toString('base64url')}` });
    if (kind === 'h5') return ok({ h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepay_id}&package=${crypto.randomInt(1e9, 1e10)}` });
    return ok({ prepay_id });
  }

  /**
   * Plays the payer: the order is paid in full. Returns the transaction (the notification's
   * resource) and the URL its notification goes to (the order's notify_url).
   */
  function pay(out_trade_no, sub_mchid) {
    const o = orders.get(at(sub_mchid, out_trade_no));
    if (!o) throw new TypeError(`no order ${at(sub_mchid, out_trade_no)}`);
    if (o.combine$ !== undefined) throw new TypeError(`order ${out_trade_no} is a sub-order of ${o.combine$}: payCombine pays it`);
    if (o.trade_state !== 'NOTPAY') throw new TypeError(`order ${out_trade_no} is ${o.trade_state}`);
    Object.assign(o, {
      transaction_id: `42000000${digits(20)}`, trade_state: 'SUCCESS', trade_state_desc: '支付成功',
      bank_type: 'OTHERS', success_time: beijing(), paid_at$: Date.now(),
      amount: { ...o.amount, payer_total: o.amount.total, payer_currency: o.amount.currency },
    });
    return { transaction: answered(o), notify_url: o.notify_url$ };
  }

  /**
   * 合单下单: `kind` 'jsapi' (combine_payer_info.openid or, a partner's, .sub_openid required),
   * 'app', 'native' (a `code_url`) or 'h5' (scene_info.payer_client_ip, .device_id and
   * .h5_info.type required). Every sub-order is the signing merchant's (`mchid`), or a
   * sub-merchant's (`sub_mchid`) of this partner; each becomes an order, NOTPAY, numbered by its
   * merchant as any order is. At least one sub-order: the sandbox's bound, not the corpus's.
   */
  function combine(kind, data) {
    for (const f of ['combine_appid', 'combine_mchid', 'combine_out_trade_no', 'notify_url'])
      if (!str(data[f])) return paramError(`${f} is required`, f);
    if (!ORDER_NUMBER.test(data.combine_out_trade_no)) return paramError('combine_out_trade_no may hold only 0-9 A-Z a-z _ - *', 'combine_out_trade_no');
    if (data.combine_mchid !== mchid) return paramError('combine_mchid does not match the signing merchant', 'combine_mchid');
    const payer = data.combine_payer_info;
    if (kind === 'jsapi' && !str(payer?.openid) && !str(payer?.sub_openid)) return paramError('combine_payer_info.openid is required', 'combine_payer_info.openid');
    if (kind === 'h5') {
      for (const f of ['payer_client_ip', 'device_id'])
        if (!str(data.scene_info?.[f])) return paramError(`scene_info.${f} is required`, `scene_info.${f}`);
      if (!str(data.scene_info.h5_info?.type)) return paramError('scene_info.h5_info.type is required', 'scene_info.h5_info.type');
    }
    const list = data.sub_orders;
    if (!Array.isArray(list) || list.length < 1 || list.length > MAX_SUB_ORDERS) return paramError(`sub_orders must hold 1 to ${MAX_SUB_ORDERS} sub-orders`, 'sub_orders');
    const keys = [];
    for (const [i, so] of list.entries()) {
      const field = (f) => `sub_orders[${i}].${f}`;
      if (so === null || typeof so !== 'object') return paramError(`${field('mchid')} is required`, field('mchid'));
      for (const f of ['mchid', 'attach', 'out_trade_no', 'description']) if (!str(so[f])) return paramError(`${field(f)} is required`, field(f));
      if (so.mchid !== mchid) return paramError(`${field('mchid')} does not match the signing merchant`, field('mchid'));
      const { sub, refused } = subMerchant(so.sub_mchid);
      if (refused) return paramError(`${field('sub_mchid')} is not a sub-merchant of this partner`, field('sub_mchid'));
      if (!ORDER_NUMBER.test(so.out_trade_no)) return paramError(`${field('out_trade_no')} may hold only 0-9 A-Z a-z _ - *`, field('out_trade_no'));
      if (!Number.isSafeInteger(so.amount?.total_amount) || so.amount.total_amount < 1) return paramError(`${field('amount.total_amount')} must be a positive integer`, field('amount.total_amount'));
      if (!str(so.amount.currency)) return paramError(`${field('amount.currency')} is required`, field('amount.currency'));
      const key = at(sub, so.out_trade_no);
      if (keys.includes(key)) return paramError(`${field('out_trade_no')} repeats another sub-order's`, field('out_trade_no'));
      keys.push(key);
    }
    const known = combines.get(data.combine_out_trade_no);
    if (known) {
      const states = known.subs$.map((o) => o.trade_state);
      if (states.includes('CLOSED')) return { status: 400, json: { code: 'ORDERCLOSED', message: '订单已关闭' } };
      if (states.some((t) => t !== 'NOTPAY')) return { status: 400, json: { code: 'ORDERPAID', message: '订单已支付' } };
      // The same combine_out_trade_no again: only for the same payment (a new prepay_id). The code
      // and message are the sandbox's, as for an ordinary order's number (not in the corpus).
      const same = known.combine_appid === data.combine_appid && known.kind$ === kind && known.subs$.length === list.length &&
        known.subs$.every((o, i) => o.key$ === keys[i] && o.amount.total === list[i].amount.total_amount);
      if (!same) return invalid('合单商户订单号重复');
    } else {
      // A sub-order's number is its merchant's: taken by any order or sub-order before.
      if (keys.some((k) => orders.has(k))) return invalid('商户订单号重复');
      const subs = list.map((so, i) => {
        const sub = so.sub_mchid;
        const o = {
          ...(sub === undefined
            ? { appid: data.combine_appid, mchid }
            : { sp_appid: data.combine_appid, sp_mchid: mchid, ...(str(so.sub_appid) ? { sub_appid: so.sub_appid } : {}), sub_mchid: sub }),
          out_trade_no: so.out_trade_no,
          trade_type: TRADE_TYPES[kind], trade_state: 'NOTPAY', trade_state_desc: '订单未支付',
          attach: so.attach,
          ...(str(payer?.openid) || str(payer?.sub_openid)
            ? { payer: sub === undefined ? { openid: payer.openid } : { ...(str(payer.openid) ? { sp_openid: payer.openid } : {}), ...(str(payer.sub_openid) ? { sub_openid: payer.sub_openid } : {}) } }
            : {}),
          amount: { total: so.amount.total_amount, currency: so.amount.currency },
          appid$: data.combine_appid, sub$: sub, key$: keys[i], notify_url$: data.notify_url, refunded$: 0,
          // settle_info.profit_sharing outweighs the sub-order's own profit_sharing (the corpus).
          profit_sharing$: (so.settle_info?.profit_sharing ?? so.profit_sharing) === true, shared$: 0, unfrozen$: false,
          combine$: data.combine_out_trade_no,
        };
        orders.set(keys[i], o);
        return o;
      });
      combines.set(data.combine_out_trade_no, {
        combine_appid: data.combine_appid, combine_mchid: mchid, combine_out_trade_no: data.combine_out_trade_no,
        combine_transaction_id: `1217752501${digits(18)}`,
        ...(str(data.scene_info?.device_id) ? { scene_info: { device_id: data.scene_info.device_id } } : {}),
        ...(str(payer?.openid) ? { combine_payer_info: { openid: payer.openid } } : {}),
        subs$: subs, notify_url$: data.notify_url, kind$: kind,
      });
    }
    const prepay_id = `wx${crypto.randomBytes(16).toString('hex')}`;
    prepays.set(prepay_id, { kind: `combine/${kind}`, ...data });
    if (kind === 'native') return ok({ code_url: `weixin://wxpay/bizpayurl?pr=${crypto.randomBytes(6).toString('base64url')}` });
    if (kind === 'h5') return ok({ h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepay_id}&package=${crypto.randomInt(1e9, 1e10)}` });
    return ok({ prepay_id });
  }

  /** A combined order as its query answers it (and its TRANSACTION.SUCCESS notification's resource). */
  function combined(c) {
    const { subs$, notify_url$, kind$, ...whole } = c;
    return {
      ...whole,
      sub_orders: subs$.map((o) => ({
        mchid, ...(o.sub$ === undefined ? {} : { sub_mchid: o.sub$ }), ...(o.sub_appid === undefined ? {} : { sub_appid: o.sub_appid }),
        trade_type: o.trade_type, trade_state: o.trade_state,
        ...(o.bank_type === undefined ? {} : { bank_type: o.bank_type }),
        attach: o.attach,
        ...(o.success_time === undefined ? {} : { success_time: o.success_time, transaction_id: o.transaction_id }),
        out_trade_no: o.out_trade_no,
        // payer_amount is required by the corpus: 0 until paid (the sandbox's reading).
        amount: {
          total_amount: o.amount.total, currency: o.amount.currency, payer_amount: o.amount.payer_total ?? 0,
          ...(o.amount.payer_total === undefined ? {} : { payer_currency: o.amount.payer_currency }),
        },
      })),
    };
  }

  function combineQuery(no) {
    const c = combines.get(no);
    return c ? ok(combined(c)) : notFound('ORDER_NOT_EXIST', '订单不存在');
  }

  /** 合单关单: `sub_orders` names every sub-order ({ mchid, out_trade_no, sub_mchid? }); none may be paid. */
  function combineClose(no, data) {
    const c = combines.get(no);
    if (!c) return notFound('ORDER_NOT_EXIST', '订单不存在');
    if (data.combine_appid !== c.combine_appid) return paramError('combine_appid is not the combined order\'s', 'combine_appid');
    const list = data.sub_orders;
    const named = Array.isArray(list) && list.length === c.subs$.length &&
      c.subs$.every((o) => list.some((so) => so?.mchid === mchid && so.out_trade_no === o.out_trade_no && so.sub_mchid === o.sub$));
    if (!named) return paramError('sub_orders must name every sub-order of the combined order: mchid, out_trade_no (and sub_mchid)', 'sub_orders');
    if (c.subs$.some((o) => o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND')) return { status: 400, json: { code: 'ORDERPAID', message: '订单已支付' } };
    for (const o of c.subs$) Object.assign(o, { trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
    return { status: 204 };
  }

  /**
   * Plays the payer of the combined order `combine_out_trade_no`: every sub-order is paid in full.
   * Returns the combined order as its notification's resource, and the URL it goes to.
   */
  function payCombine(combine_out_trade_no) {
    const c = combines.get(combine_out_trade_no);
    if (!c) throw new TypeError(`no combined order ${combine_out_trade_no}`);
    const state = c.subs$.find((o) => o.trade_state !== 'NOTPAY')?.trade_state;
    if (state) throw new TypeError(`combined order ${combine_out_trade_no} is ${state}`);
    const now = Date.now();
    for (const o of c.subs$) {
      Object.assign(o, {
        transaction_id: `42000000${digits(20)}`, trade_state: 'SUCCESS', trade_state_desc: '支付成功',
        bank_type: 'OTHERS', success_time: beijing(now), paid_at$: now,
        amount: { ...o.amount, payer_total: o.amount.total, payer_currency: o.amount.currency },
      });
    }
    return { resource: combined(c), notify_url: c.notify_url$ };
  }

  /**
   * A 支付分 payment WeChat Pay collected (payscore.mjs): kept as a paid order of the direct
   * merchant's (or of the sub-merchant `sub`) for the refund routes, by its transaction_id. Its out_trade_no is the sandbox's own:
   * neither the order query nor a refund by out_trade_no finds it (the sandbox's rule).
   */
  function payscorePaid({ transaction_id, total, out_order_no, sub }) {
    orders.set(`payscore$/${transaction_id}`, {
      ...(sub === undefined ? { mchid } : { sp_mchid: mchid, sub_mchid: sub }), out_trade_no: `ps${digits(20)}`, transaction_id, trade_state: 'SUCCESS', trade_state_desc: '支付成功',
      amount: { total, currency: 'CNY', payer_total: total, payer_currency: 'CNY' },
      sub$: sub, refunded$: 0, shared$: 0, profit_sharing$: false, unfrozen$: false, payscore$: out_order_no,
    });
  }

  const byTransaction = (sub, id) => [...orders.values()].find((x) => x.sub$ === sub && x.transaction_id === id);

  function query(path, q) {
    const m = /^\/v3\/pay\/(partner\/)?transactions\/(out-trade-no|id)\/([^/]+)$/.exec(path);
    if (!m) return undefined;
    const partner = m[1] !== undefined;
    const owner = partner ? 'sp_mchid' : 'mchid';
    if (q[owner] !== mchid) return paramError(`${owner} is required and must be the signing merchant`, owner, 'query');
    let sub;
    if (partner) {
      if (!str(q.sub_mchid)) return paramError('sub_mchid is required', 'sub_mchid', 'query');
      const s = subMerchant(q.sub_mchid, 'query');
      if (s.refused) return s.refused;
      sub = s.sub;
    }
    const no = decodeURIComponent(m[3]);
    const o = m[2] === 'id' ? byTransaction(sub, no) : orders.get(at(sub, no));
    return o && o.combine$ === undefined && o.payscore$ === undefined ? ok(answered(o)) : notFound('ORDER_NOT_EXIST', '订单不存在');
  }

  function close(partner, no, data) {
    const owner = partner ? 'sp_mchid' : 'mchid';
    if (data[owner] !== mchid) return paramError(`${owner} is required and must be the signing merchant`, owner);
    if (partner && !str(data.sub_mchid)) return paramError('sub_mchid is required', 'sub_mchid');
    const { sub, refused } = subMerchant(partner ? data.sub_mchid : undefined);
    if (refused) return refused;
    const o = orders.get(at(sub, no));
    if (!o || o.combine$ !== undefined) return notFound('ORDER_NOT_EXIST', '订单不存在');
    if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') return { status: 400, json: { code: 'ORDERPAID', message: '订单已支付' } };
    Object.assign(o, { trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
    return { status: 204 };
  }

  /** What is left of a paid order's funds: neither refunded nor shared. */
  const left = (o) => o.amount.total - o.refunded$ - o.shared$;

  function refund(data) {
    if (!str(data.out_refund_no) || !NUMBER.test(data.out_refund_no)) return paramError('out_refund_no is required: 0-9 A-Z a-z _ - | * @', 'out_refund_no');
    const { sub, refused } = subMerchant(data.sub_mchid);
    if (refused) return refused;
    const same = refunds.get(at(sub, data.out_refund_no));
    if (same) return ok(answered(same));
    const o = data.transaction_id !== undefined ? byTransaction(sub, data.transaction_id) : orders.get(at(sub, data.out_trade_no));
    if (!o) return notFound('RESOURCE_NOT_EXISTS', '订单不存在');
    if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') return { status: 403, json: { code: 'NOT_ENOUGH', message: `order is ${o.trade_state}: nothing to refund` } };
    const a = data.amount ?? {};
    if (a.total !== o.amount.total) return paramError('amount.total must be the order\'s total', 'amount.total');
    if (a.currency !== o.amount.currency) return paramError('amount.currency must be the order\'s currency', 'amount.currency');
    if (!Number.isSafeInteger(a.refund) || a.refund < 1) return paramError('amount.refund must be a positive integer', 'amount.refund');
    // What was shared has left the merchant (分账回退 would bring it back; the sandbox has none).
    if (a.refund > left(o)) return { status: 403, json: { code: 'NOT_ENOUGH', message: '退款金额超过订单可退金额' } };
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
      notify_url$: data.notify_url, sub$: sub, order$: o,
    };
    refunds.set(at(sub, data.out_refund_no), r);
    return ok(answered(r));
  }

  /**
   * The refund (PROCESSING) ends `status`: SUCCESS; ABNORMAL (the payer's card refused it: the
   * merchant asks for it again another way, apply-abnormal-refund); or CLOSED (its amount can be
   * refunded again). Returns the resource of its REFUND.<status> notification (the fields WeChat Pay
   * documents for it: a partner's names sp_mchid and sub_mchid, not mchid) and the URL it goes to
   * (the refund's notify_url, if it gave one).
   */
  function settleRefund(out_refund_no, sub_mchid, status = 'SUCCESS') {
    const r = refunds.get(at(sub_mchid, out_refund_no));
    if (!r) throw new TypeError(`no refund ${at(sub_mchid, out_refund_no)}`);
    if (r.status !== 'PROCESSING') throw new TypeError(`refund ${out_refund_no} is ${r.status}`);
    if (!['SUCCESS', 'ABNORMAL', 'CLOSED'].includes(status)) throw new TypeError(`a refund ends SUCCESS, ABNORMAL or CLOSED, not ${status}`);
    r.status = status;
    if (status === 'SUCCESS') r.success_time = beijing();
    if (status === 'CLOSED') r.order$.refunded$ -= r.amount.refund;
    const resource = {
      ...(r.sub$ === undefined ? { mchid } : { sp_mchid: mchid, sub_mchid: r.sub$ }),
      out_trade_no: r.out_trade_no, transaction_id: r.transaction_id, out_refund_no: r.out_refund_no,
      refund_id: r.refund_id, refund_status: status, ...(status === 'SUCCESS' ? { success_time: r.success_time } : {}),
      user_received_account: r.user_received_account,
      amount: { total: r.amount.total, refund: r.amount.refund, payer_total: r.amount.payer_total, payer_refund: r.amount.payer_refund },
    };
    return { resource, notify_url: r.notify_url$ };
  }

  /**
   * 发起异常退款: an ABNORMAL refund goes again, to the payer's bank card (USER_BANK_CARD:
   * bank_type, and bank_account and real_name encrypted under the key the Wechatpay-Serial names)
   * or to the merchant's (MERCHANT_BANK_CARD). PROCESSING again.
   */
  function abnormal(req, refund_id, data) {
    if (!str(data.out_refund_no)) return paramError('out_refund_no is required', 'out_refund_no');
    if (data.type !== 'USER_BANK_CARD' && data.type !== 'MERCHANT_BANK_CARD') return paramError('type must be USER_BANK_CARD or MERCHANT_BANK_CARD', 'type');
    const { sub, refused } = subMerchant(data.sub_mchid);
    if (refused) return refused;
    const r = refunds.get(at(sub, data.out_refund_no));
    if (!r || r.refund_id !== refund_id) return notFound('RESOURCE_NOT_EXISTS', '退款单不存在');
    if (r.status !== 'ABNORMAL') return invalid(`the refund is ${r.status}, not ABNORMAL`);
    let account = '商户基本账户';
    if (data.type === 'USER_BANK_CARD') {
      if (!str(data.bank_type)) return paramError('bank_type is required for USER_BANK_CARD', 'bank_type');
      const fields = {};
      for (const f of ['bank_account', 'real_name']) {
        if (!str(data[f])) return paramError(`${f} is required for USER_BANK_CARD`, f);
        const plain = decrypted(req, f, data[f]);
        if (plain.refused) return plain.refused;
        fields[f] = plain.value;
      }
      account = `${data.bank_type} ${fields.bank_account.slice(-4)}`;
    }
    Object.assign(r, { status: 'PROCESSING', user_received_account: account });
    return ok(answered(r));
  }

  const decrypted = (req, field, value) => decryptedField(decrypter, req, field, value);

  function addReceiver(req, data) {
    for (const f of ['appid', 'type', 'account', 'relation_type']) if (!str(data[f])) return paramError(`${f} is required`, f);
    const { sub, refused } = subMerchant(data.sub_mchid);
    if (refused) return refused;
    // A merchant receiver is named (its full name); a sub_openid belongs to the sub_appid given.
    if (data.type === 'MERCHANT_ID' && data.name === undefined) return paramError('name (the merchant\'s full name, encrypted) is required for MERCHANT_ID', 'name');
    if (data.type === 'PERSONAL_SUB_OPENID' && !str(data.sub_appid)) return paramError('sub_appid is required for PERSONAL_SUB_OPENID', 'sub_appid');
    const plain = { ...(sub === undefined ? {} : { sub_mchid: sub }), type: data.type, account: data.account, relation_type: data.relation_type };
    if (data.name === undefined) {
      receivers.set(at(sub, `${data.type}/${data.account}`), { ...plain });
      return ok(plain);
    }
    const name = decrypted(req, 'name', data.name);
    if (name.refused) return name.refused;
    receivers.set(at(sub, `${data.type}/${data.account}`), { ...plain, name$: name.value });
    // The answer's sensitive field, encrypted for the merchant.
    const sealed = crypto.publicEncrypt({ key: merchantPublic(), ...OAEP }, Buffer.from(name.value, 'utf8')).toString('base64');
    return ok({ ...plain, name: sealed });
  }

  /**
   * 提交申请单 (`POST /v3/applyment4sub/applyment/`, the slash included: the path without it is not
   * routed): the sections the service requires, the super administrator's name encrypted under the
   * key the request's Wechatpay-Serial names; answered its `applyment_id`. Only `business_code`
   * may be sent again (the same application), as the service has it.
   */
  function applyment(req, data) {
    if (!str(data.business_code)) return paramError('business_code is required', 'business_code');
    for (const f of ['contact_info', 'subject_info', 'business_info', 'settlement_info', 'bank_account_info'])
      if (data[f] === null || typeof data[f] !== 'object') return paramError(`${f} is required`, f);
    if (!str(data.contact_info.contact_name)) return paramError('contact_info.contact_name is required', 'contact_info.contact_name');
    const name = decrypted(req, 'contact_info.contact_name', data.contact_info.contact_name);
    if (name.refused) return name.refused;
    const known = applyments.get(data.business_code);
    if (known) return ok({ applyment_id: known.applyment_id });
    const applyment_id = 2000000000000000 + applyments.size + 1;
    applyments.set(data.business_code, { business_code: data.business_code, applyment_id, applyment_state: 'APPLYMENT_STATE_AUDITING', applyment_state_msg: '审核中', contact_name$: name.value });
    return ok({ applyment_id });
  }

  function deleteReceiver(data) {
    for (const f of ['appid', 'type', 'account']) if (!str(data[f])) return paramError(`${f} is required`, f);
    const { sub, refused } = subMerchant(data.sub_mchid);
    if (refused) return refused;
    receivers.delete(at(sub, `${data.type}/${data.account}`));
    return ok({ ...(sub === undefined ? {} : { sub_mchid: sub }), type: data.type, account: data.account });
  }

  /** A paid order of the merchant that can be shared (or unfrozen): { o }, or { refused }. */
  function shareable(sub, transaction_id) {
    const o = byTransaction(sub, transaction_id);
    if (!o) return { refused: notFound('RESOURCE_NOT_EXISTS', '订单不存在') };
    if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') return { refused: invalid(`order is ${o.trade_state}: not paid`) };
    if (!o.profit_sharing$) return { refused: invalid('订单不需要分账: it was placed without settle_info.profit_sharing') };
    // The service shares a payment only once it has settled, some time after it was paid.
    if (Date.now() - o.paid_at$ < timing.shareAfterMs) return { refused: invalid('订单处理中,暂时无法分账: the payment has not settled yet') };
    if (o.unfrozen$) return { refused: invalid('订单已解冻: nothing is left to share') };
    if ([...shares.values()].some((s) => s.order$ === o && s.state === 'PROCESSING' && s.unfreeze$))
      return { refused: invalid('分账处理中: a sharing order that unfreezes the rest is in progress') };
    return { o };
  }

  /**
   * What a profit-sharing order and an unfreeze first check: their `fields`, the sub-merchant, the
   * same out_order_no again (the same answer), the order shared. Returns { sub, o } or { answer }.
   */
  function sharing(data, fields) {
    for (const f of fields) if (!str(data[f])) return { answer: paramError(`${f} is required`, f) };
    if (!NUMBER.test(data.out_order_no)) return { answer: paramError('out_order_no may hold only 0-9 A-Z a-z _ - | * @', 'out_order_no') };
    const { sub, refused } = subMerchant(data.sub_mchid);
    if (refused) return { answer: refused };
    const same = shares.get(at(sub, data.out_order_no));
    if (same) return { answer: same.transaction_id === data.transaction_id ? ok(answered(same)) : invalid('商户分账单号重复') };
    const { o, refused: no } = shareable(sub, data.transaction_id);
    return no ? { answer: no } : { sub, o };
  }

  function share(req, data) {
    if (typeof data.unfreeze_unsplit !== 'boolean') return paramError('unfreeze_unsplit must be a boolean', 'unfreeze_unsplit');
    const { sub, o, answer } = sharing(data, ['transaction_id', 'out_order_no']);
    if (answer) return answer;
    if (!Array.isArray(data.receivers) || data.receivers.length === 0) return paramError('receivers must name at least one receiver', 'receivers');
    if (data.receivers.some((r) => r?.type === 'PERSONAL_SUB_OPENID') && !str(data.sub_appid)) return paramError('sub_appid is required for a PERSONAL_SUB_OPENID receiver', 'sub_appid');
    let total = 0;
    for (const [i, r] of data.receivers.entries()) {
      const field = `receivers[${i}]`;
      if (!str(r?.type) || !str(r.account) || !str(r.description)) return paramError(`${field} needs type, account and description`, field);
      if (!Number.isSafeInteger(r.amount) || r.amount < 1) return paramError(`${field}.amount must be a positive integer`, `${field}.amount`);
      const known = receivers.get(at(sub, `${r.type}/${r.account}`));
      if (!known) return invalid(`分账接收方不存在: ${r.type} ${r.account} was not added (receivers/add)`);
      if (r.name !== undefined) {
        const name = decrypted(req, `${field}.name`, r.name);
        if (name.refused) return name.refused;
        if (name.value !== known.name$) return paramError(`${field}.name is not the receiver's name`, `${field}.name`);
      }
      total += r.amount;
    }
    if (o.shared$ + total > Math.floor(o.amount.total * MAX_RATIO)) return { status: 403, json: { code: 'NOT_ENOUGH', message: '分账金额超出最大分账比例' } };
    if (total > left(o)) return { status: 403, json: { code: 'NOT_ENOUGH', message: '分账金额超出订单可分金额' } };
    o.shared$ += total;
    const created = beijing();
    const s = {
      ...(sub === undefined ? {} : { sub_mchid: sub }),
      transaction_id: o.transaction_id, out_order_no: data.out_order_no, order_id: `30000000${digits(20)}`, state: 'PROCESSING',
      receivers: data.receivers.map((r) => ({
        amount: r.amount, description: r.description, type: r.type, account: r.account,
        result: 'PENDING', detail_id: `36000000${digits(15)}`, create_time: created,
      })),
      unfreeze$: data.unfreeze_unsplit, order$: o,
    };
    shares.set(at(sub, data.out_order_no), s);
    return ok(answered(s));
  }

  /** A PROCESSING profit-sharing order finishes: each receiver SUCCESS; with unfreeze_unsplit, the rest goes to the merchant. */
  function settleProfitSharing(out_order_no, sub_mchid) {
    const s = shares.get(at(sub_mchid, out_order_no));
    if (!s) throw new TypeError(`no profit-sharing order ${at(sub_mchid, out_order_no)}`);
    if (s.state !== 'PROCESSING') throw new TypeError(`profit-sharing order ${out_order_no} is ${s.state}`);
    const finished = beijing();
    s.state = 'FINISHED';
    for (const r of s.receivers) Object.assign(r, { result: 'SUCCESS', finish_time: finished });
    if (s.unfreeze$) s.order$.unfrozen$ = true;
    return answered(s);
  }

  function shareQuery(no, q) {
    const { sub, refused } = subMerchant(q.sub_mchid, 'query');
    if (refused) return refused;
    if (!str(q.transaction_id)) return paramError('transaction_id is required', 'transaction_id', 'query');
    const s = shares.get(at(sub, no));
    return s && s.transaction_id === q.transaction_id ? ok(answered(s)) : notFound('RESOURCE_NOT_EXISTS', '分账单不存在');
  }

  function unfreeze(data) {
    const { sub, o, answer } = sharing(data, ['transaction_id', 'out_order_no', 'description']);
    if (answer) return answer;
    if ([...shares.values()].some((s) => s.order$ === o && s.state === 'PROCESSING')) return invalid('分账处理中: wait for the order\'s sharing to finish');
    o.unfrozen$ = true;
    const now = beijing();
    const s = {
      ...(sub === undefined ? {} : { sub_mchid: sub }),
      transaction_id: o.transaction_id, out_order_no: data.out_order_no, order_id: `30000000${digits(20)}`, state: 'FINISHED',
      receivers: [{
        amount: Math.max(0, left(o)), description: data.description, type: 'MERCHANT_ID', account: sub ?? mchid,
        result: 'SUCCESS', detail_id: `36000000${digits(15)}`, create_time: now, finish_time: now,
      }],
      unfreeze$: true, order$: o,
    };
    shares.set(at(sub, data.out_order_no), s);
    return ok(answered(s));
  }

  function unsplit(id) {
    const o = [...orders.values()].find((x) => x.transaction_id === id);
    if (!o) return notFound('RESOURCE_NOT_EXISTS', '订单不存在');
    return ok({ transaction_id: id, unsplit_amount: o.profit_sharing$ && !o.unfrozen$ ? Math.max(0, left(o)) : 0 });
  }

  const POSTS = {
    ...Object.fromEntries(Object.keys(TRADE_TYPES).flatMap((kind) => [
      [`/v3/pay/transactions/${kind}`, (req, data) => order(kind, false, data)],
      [`/v3/pay/partner/transactions/${kind}`, (req, data) => order(kind, true, data)],
    ])),
    ...Object.fromEntries(['jsapi', 'app', 'native', 'h5'].map((kind) => [`/v3/combine-transactions/${kind}`, (req, data) => combine(kind, data)])),
    '/v3/refund/domestic/refunds': (req, data) => refund(data),
    '/v3/profitsharing/receivers/add': addReceiver,
    '/v3/profitsharing/receivers/delete': (req, data) => deleteReceiver(data),
    '/v3/profitsharing/orders': share,
    '/v3/profitsharing/orders/unfreeze': (req, data) => unfreeze(data),
    '/v3/applyment4sub/applyment/': applyment,
  };

  function route(req, path, body, q = {}) {
    let m;
    if (req.method === 'GET') {
      if ((m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path))) {
        const { sub, refused } = subMerchant(q.sub_mchid, 'query');
        if (refused) return refused;
        const r = refunds.get(at(sub, decodeURIComponent(m[1])));
        return r ? ok(answered(r)) : notFound('RESOURCE_NOT_EXISTS', '退款单不存在');
      }
      if ((m = /^\/v3\/profitsharing\/orders\/([^/]+)$/.exec(path))) return shareQuery(decodeURIComponent(m[1]), q);
      if ((m = /^\/v3\/profitsharing\/transactions\/([^/]+)\/amounts$/.exec(path))) return unsplit(decodeURIComponent(m[1]));
      if ((m = /^\/v3\/combine-transactions\/out-trade-no\/([^/]+)$/.exec(path))) return combineQuery(decodeURIComponent(m[1]));
      if ((m = /^\/v3\/applyment4sub\/applyment\/business_code\/([^/]+)$/.exec(path))) {
        const a = applyments.get(decodeURIComponent(m[1]));
        return a ? ok(answered(a)) : notFound('RESOURCE_NOT_EXISTS', '申请单不存在');
      }
      return query(path, q);
    }
    const closing = /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)\/close$/.exec(path);
    const reapplying = /^\/v3\/refund\/domestic\/refunds\/([^/]+)\/apply-abnormal-refund$/.exec(path);
    const combineClosing = /^\/v3\/combine-transactions\/out-trade-no\/([^/]+)\/close$/.exec(path);
    if (req.method !== 'POST' || !(closing || reapplying || combineClosing || Object.hasOwn(POSTS, path))) return undefined;
    const { data, refused } = jsonObject(body);
    if (refused) return refused;
    if (closing) return close(closing[1] !== undefined, decodeURIComponent(closing[2]), data);
    if (reapplying) return abnormal(req, decodeURIComponent(reapplying[1]), data);
    if (combineClosing) return combineClose(decodeURIComponent(combineClosing[1]), data);
    return POSTS[path](req, data);
  }
  /** Forgets every order (combined ones too), refund, receiver, profit-sharing order and application, and the sharing delay (the sandbox's reset). */
  function clear() {
    for (const map of [prepays, orders, refunds, receivers, shares, combines, applyments]) map.clear();
    timing.shareAfterMs = 0;
  }
  return { route, prepays, orders, refunds, receivers, shares, combines, timing, pay, payCombine, payscorePaid, settleRefund, settleProfitSharing, clear };
}
