// 微信支付分 service orders (支付分订单), a direct merchant's or a partner's sub-merchants' (the
// same calls under /v3/payscore/partner/serviceorder, each naming its sub_mchid, answered 204 with
// no body), under one service (`serviceId`): the payer uses the service first and pays when it ends.
// POST /v3/payscore/serviceorder creates an order (CREATED, answered with the `package` the mini
// program hands to wx.openBusinessView for the payer to confirm; with need_user_confirm false and
// an openid, DOING at once); GET /v3/payscore/serviceorder?out_order_no|query_id&service_id&appid
// answers it; POST .../serviceorder/{out_order_no}/cancel revokes one not yet paid;
// .../complete ends the service with what the payer owes (DOING, MCH_COMPLETE, the payment
// USER_PAYING; DONE at once for 0); .../modify lowers what is owed while it is unpaid; .../pay asks
// WeChat Pay to collect again; .../sync says the payer paid another way (DONE).
// `confirm(out_order_no, { openid })` plays the payer confirming (PAYSCORE.USER_CONFIRM), and
// `collect(out_order_no)` WeChat Pay collecting the money (PAYSCORE.USER_PAID): DONE, with a
// transaction_id that the refund routes take (payments.mjs `payscorePaid`).
// As the service's pages have it: cancel takes an order CREATED, confirmed, or completed and not
// yet paid, and the same cancel again answers the same; an order created without its end time
// names it on completion; total_amount is post_payments' amounts (each line's whole) less
// post_discounts', at most the risk fund unless that is ESTIMATE_ORDER_COST (先享); each modify
// lowers it. The sandbox's own rules: what a state refuses (INVALID_REQUEST with a message); the
// same out_order_no answers the same order and refuses another; complete and modify need each
// line's amount; a payment's out_trade_no is the sandbox's own and neither the ordinary query nor
// a refund by out_trade_no finds it.
import crypto from 'node:crypto';
import { answered, at, beijing, digits, invalid, jsonObject, ok, paramError, str } from './payments.mjs';

const BASE = '/v3/payscore/serviceorder';
const PARTNER_BASE = '/v3/payscore/partner/serviceorder';
/** out_order_no: 1-32 of 0-9 A-Z a-z _ - | * (the service's). */
const OUT_ORDER_NO = /^[0-9A-Za-z_\-|*]{1,32}$/;
const RISK_FUNDS = ['DEPOSIT', 'ADVANCE', 'CASH_DEPOSIT', 'ESTIMATE_ORDER_COST'];
/** yyyyMMdd or yyyyMMddHHmmss */
const TIME = /^(\d{8}|\d{14})$/;
const notFound = () => ({ status: 404, json: { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' } });
const amountOk = (n) => Number.isSafeInteger(n) && n >= 0;
/** Now in Beijing as yyyyMMddHHmmss. */
const compact = () => beijing().slice(0, 19).replace(/[-T:]/g, '');

/**
 * `route(req, path, body, query)` answers these routes (or returns undefined). `mchid` is the
 * signing merchant, `serviceId` its 支付分 service (a partner's, for its sub-merchants too:
 * `subMchids`); `payscorePaid({ transaction_id, total, out_order_no, sub })` (payments.mjs) keeps
 * a collected payment for the refund routes.
 */
export function payscoreRoutes({ mchid, serviceId, subMchids = [], payscorePaid, encryptedParts }) {
  // `<sub_mchid>/<out_order_no>` for a partner's sub-merchant's, `<out_order_no>` for a direct
  // merchant's -> the service order as its query answers it
  const orders = new Map();

  /** The request's sub-merchant (`partner`: required, one of ours), or an answer refusing it. */
  function subOf(partner, sub_mchid, location) {
    if (!partner) return { sub: undefined };
    if (!str(sub_mchid)) return { refused: paramError('sub_mchid is required', 'sub_mchid', location) };
    if (!subMchids.includes(sub_mchid)) return { refused: paramError('sub_mchid is not a sub-merchant of this partner', 'sub_mchid', location) };
    return { sub: sub_mchid };
  }

  /**
   * The order a request names by `out_order_no`, of this service (and a direct merchant's, of its
   * appid; a partner's, of its sub_mchid), or an answer refusing it.
   */
  function named(partner, no, data, location = 'body', serviceOptional = false) {
    if (!(serviceOptional && partner && data.service_id === undefined) && data.service_id !== serviceId) return { refused: paramError('service_id is not this merchant\'s service', 'service_id', location) };
    const { sub, refused } = subOf(partner, data.sub_mchid, location);
    if (refused) return { refused };
    const o = orders.get(at(sub, no));
    if (!o) return { refused: notFound() };
    if (!partner && data.appid !== o.appid) return { refused: paramError('appid is not the order\'s', 'appid', location) };
    return { o };
  }

  /** post_payments (and post_discounts): a list of { name, amount }; the total they make, or an answer refusing them. */
  function lines(data, needed) {
    const { post_payments: pays, post_discounts: cuts = [] } = data;
    if (needed && (!Array.isArray(pays) || pays.length === 0)) return { refused: paramError('post_payments is required', 'post_payments') };
    if (pays !== undefined && (!Array.isArray(pays) || !pays.every((p) => str(p?.name) && amountOk(p.amount))))
      return { refused: paramError('each post_payments item needs a name and an amount in fen', 'post_payments') };
    if (!Array.isArray(cuts) || !cuts.every((p) => str(p?.name) && amountOk(p.amount)))
      return { refused: paramError('each post_discounts item needs a name and an amount in fen', 'post_discounts') };
    const sum = (list) => list.reduce((s, p) => s + p.amount, 0);
    return { total: sum(pays ?? []) - sum(cuts) };
  }

  function create(partner, data) {
    for (const f of ['out_order_no', 'appid', 'service_id', 'service_introduction', 'notify_url'])
      if (!str(data[f])) return paramError(`${f} is required`, f);
    const { sub, refused: notOurs } = subOf(partner, data.sub_mchid, 'body');
    if (notOurs) return notOurs;
    if (!OUT_ORDER_NO.test(data.out_order_no)) return paramError('out_order_no is 1-32 of 0-9 A-Z a-z _ - | *', 'out_order_no');
    if (data.service_id !== serviceId) return paramError('service_id is not this merchant\'s service', 'service_id');
    const start = data.time_range?.start_time;
    if (start !== 'OnAccept' && !TIME.test(start ?? '')) return paramError('time_range.start_time is yyyyMMdd, yyyyMMddHHmmss or OnAccept', 'time_range.start_time');
    if (data.time_range.end_time !== undefined && !TIME.test(data.time_range.end_time)) return paramError('time_range.end_time is yyyyMMdd or yyyyMMddHHmmss', 'time_range.end_time');
    const risk = data.risk_fund;
    if (!RISK_FUNDS.includes(risk?.name)) return paramError(`risk_fund.name is one of ${RISK_FUNDS.join(', ')}`, 'risk_fund.name');
    if (!Number.isSafeInteger(risk.amount) || risk.amount < 1) return paramError('risk_fund.amount must be a positive integer (fen)', 'risk_fund.amount');
    const { refused } = lines(data, false);
    if (refused) return refused;
    const confirm = data.need_user_confirm ?? true;
    if (typeof confirm !== 'boolean') return paramError('need_user_confirm is a boolean', 'need_user_confirm');
    const payer = partner && str(data.sub_openid) ? { sub_openid: data.sub_openid } : str(data.openid) ? { openid: data.openid } : undefined;
    if (!confirm && payer === undefined) return paramError(`openid${partner ? ' or sub_openid' : ''} is required when need_user_confirm is false`, 'openid');
    if (partner && payer?.sub_openid !== undefined && !str(data.sub_appid)) return paramError('sub_appid is required with sub_openid', 'sub_appid');
    const same = orders.get(at(sub, data.out_order_no));
    if (same) {
      const alike = same.appid === data.appid && same.risk_fund.amount === risk.amount && JSON.stringify(same.payer$) === JSON.stringify(payer) && same.confirm$ === confirm;
      return alike ? ok(created(same)) : invalid('商户服务订单号重复');
    }
    const o = {
      appid: data.appid, mchid,
      ...(partner ? { ...(str(data.sub_appid) ? { sub_appid: data.sub_appid } : {}), sub_mchid: sub } : {}),
      out_order_no: data.out_order_no, service_id: serviceId,
      service_introduction: data.service_introduction, state: 'CREATED',
      ...(data.post_payments === undefined ? {} : { post_payments: data.post_payments }),
      ...(data.post_discounts === undefined ? {} : { post_discounts: data.post_discounts }),
      risk_fund: { name: risk.name, amount: risk.amount, ...(risk.description === undefined ? {} : { description: risk.description }) },
      time_range: data.time_range,
      ...(data.location === undefined ? {} : { location: data.location }),
      ...(data.attach === undefined ? {} : { attach: data.attach }),
      notify_url: data.notify_url, order_id: `1000000000${digits(20)}`,
      package$: confirm ? crypto.randomBytes(30).toString('base64url') : undefined,
      payer$: payer, confirm$: confirm, query_id$: undefined, sub$: sub,
    };
    if (!confirm) Object.assign(o, { state: 'DOING', state_description: 'USER_CONFIRM', ...payer });
    orders.set(at(sub, o.out_order_no), o);
    return ok(created(o));
  }

  /** The creation's answer: the order, and its `package` while the payer is to confirm it. */
  const created = (o) => ({ ...answered(o), ...(o.state === 'CREATED' && o.package$ ? { package: o.package$ } : {}) });

  /** A direct merchant's query names the appid; a partner's, the sub_mchid. */
  function query(partner, q) {
    const byNo = q.out_order_no !== undefined;
    if (byNo === (q.query_id !== undefined)) return paramError('one of out_order_no and query_id is required', 'out_order_no', 'query');
    if (!partner && !str(q.appid)) return paramError('appid is required', 'appid', 'query');
    if (q.service_id !== serviceId) return paramError('service_id is not this merchant\'s service', 'service_id', 'query');
    const { sub, refused } = subOf(partner, q.sub_mchid, 'query');
    if (refused) return refused;
    const o = byNo ? orders.get(at(sub, q.out_order_no)) : [...orders.values()].find((x) => x.sub$ === sub && x.query_id$ !== undefined && x.query_id$ === q.query_id);
    if (!o || (!partner && o.appid !== q.appid)) return notFound();
    return ok(answered(o));
  }

  function cancel(partner, no, data) {
    const { o, refused } = named(partner, no, data);
    if (refused) return refused;
    if (!str(data.reason) || [...data.reason].length > 50) return paramError('reason is required: at most 50 characters', 'reason');
    const again = o.state === 'REVOKED' && o.reason$ === data.reason;
    const open = o.state === 'CREATED' || (o.state === 'DOING' && (o.state_description === 'USER_CONFIRM' || paying(o)));
    if (!again && !open) return invalid(`订单状态不允许取消 (${o.state})`);
    Object.assign(o, { state: 'REVOKED', reason$: data.reason });
    delete o.state_description;
    if (o.collection) o.collection = { ...o.collection, paying_amount: 0 };
    return ok(brief(o));
  }

  /** Cancel's and pay's answer: the order's ids. */
  const brief = (o) => ({ appid: o.appid, mchid, ...(o.sub$ === undefined ? {} : { sub_mchid: o.sub$ }), out_order_no: o.out_order_no, service_id: serviceId, order_id: o.order_id });

  /** Complete and modify: the amounts, checked against the risk fund and the lines; the total, or an answer refusing it. */
  function amounts(o, data) {
    const { total, refused } = lines(data, true);
    if (refused) return { refused };
    if (!amountOk(data.total_amount)) return { refused: paramError('total_amount must be an integer (fen)', 'total_amount') };
    if (data.total_amount !== total) return { refused: paramError('total_amount must be post_payments less post_discounts', 'total_amount') };
    // 先免 (a risk fund standing for a deposit) caps the order at it; 先享 (ESTIMATE_ORDER_COST) at the service's limit, not modelled.
    if (o.risk_fund.name !== 'ESTIMATE_ORDER_COST' && total > o.risk_fund.amount) return { refused: paramError('total_amount may not pass risk_fund.amount', 'total_amount') };
    return { total };
  }

  function complete(partner, no, data) {
    const { o, refused } = named(partner, no, data);
    if (refused) return refused;
    if (!(o.state === 'DOING' && o.state_description === 'USER_CONFIRM')) return invalid(`订单状态不允许完结 (${o.state}${o.state_description ? `/${o.state_description}` : ''})`);
    const { total, refused: wrong } = amounts(o, data);
    if (wrong) return wrong;
    const end = data.time_range?.end_time;
    if (end !== undefined && !TIME.test(end)) return paramError('time_range.end_time is yyyyMMdd or yyyyMMddHHmmss', 'time_range.end_time');
    // An order created without its end names it when it is completed.
    if (end === undefined && o.time_range.end_time === undefined) return paramError('time_range.end_time is required: the order was created without it', 'time_range.end_time');
    Object.assign(o, {
      state_description: 'MCH_COMPLETE', post_payments: data.post_payments,
      ...(data.post_discounts === undefined ? {} : { post_discounts: data.post_discounts }),
      time_range: { ...o.time_range, ...(data.time_range ?? {}) },
      ...(data.location?.end_location === undefined ? {} : { location: { ...o.location, end_location: data.location.end_location } }),
      total_amount: total, need_collection: total > 0,
    });
    if (total > 0) o.collection = { state: 'USER_PAYING', total_amount: total, paying_amount: total, paid_amount: 0 };
    else done(o);
    return ok(answered(o));
  }

  /** DONE: `state_description` is a DOING order's only. */
  function done(o) {
    o.state = 'DONE';
    delete o.state_description;
  }

  /** An order WeChat Pay is collecting: completed, owed, not paid. */
  const paying = (o) => o.state === 'DOING' && o.state_description === 'MCH_COMPLETE' && o.collection?.state === 'USER_PAYING';

  function modify(partner, no, data) {
    const { o, refused } = named(partner, no, data, 'body', true);
    if (refused) return refused;
    if (!str(data.reason) || [...data.reason].length > 50) return paramError('reason is required: at most 50 characters', 'reason');
    if (!paying(o)) return invalid('订单状态不允许修改金额');
    const { total, refused: wrong } = amounts(o, data);
    if (wrong) return wrong;
    if (total >= o.total_amount) return invalid('修改后金额须小于原金额');
    Object.assign(o, { post_payments: data.post_payments, total_amount: total });
    if (data.post_discounts !== undefined) o.post_discounts = data.post_discounts;
    else delete o.post_discounts;
    if (total > 0) Object.assign(o.collection, { total_amount: total, paying_amount: total });
    else {
      o.need_collection = false;
      delete o.collection;
      done(o);
    }
    return ok(answered(o));
  }

  function payAgain(partner, no, data) {
    const { o, refused } = named(partner, no, data, 'body', true);
    if (refused) return refused;
    if (!paying(o)) return invalid('订单状态不允许催收');
    return ok(brief(o));
  }

  function sync(partner, no, data) {
    const { o, refused } = named(partner, no, data);
    if (refused) return refused;
    if (data.type !== 'Order_Paid') return paramError('type is Order_Paid', 'type');
    const paid = data.detail?.paid_time;
    if (!/^(\d{8}|\d{14})$/.test(paid ?? '')) return paramError('detail.paid_time is yyyyMMdd or yyyyMMddHHmmss', 'detail.paid_time');
    if (!paying(o)) return invalid('订单状态不允许同步');
    const amount = o.collection.paying_amount;
    done(o);
    o.collection = { state: 'USER_PAID', total_amount: o.total_amount, paying_amount: 0, paid_amount: amount, details: [{ seq: 1, amount, paid_type: 'MCH', paid_time: paid.length === 8 ? `${paid}000000` : paid }] };
    return ok(answered(o));
  }

  const ACTIONS = { cancel, complete, modify, pay: payAgain, sync };
  /** A partner's calls on an order answer 204, no body (the corpus's); a direct merchant's, the order. */
  const bodiless = (answer) => (answer.status === 200 ? { status: 204 } : answer);

  /**
   * 商户申请获取对账单 (GET /v3/payscore/merchant-bill?bill_date&service_id&encryption_algorithm):
   * the day's collected payments of the direct merchant's orders, in parts encrypted for the
   * merchant (as v3/bill/sub-merchant-fundflowbill's). Its columns are the sandbox's own.
   */
  function bill(q) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(q.bill_date ?? '')) return paramError('bill_date is yyyy-MM-dd', 'bill_date', 'query');
    if (q.service_id !== serviceId) return paramError('service_id is not this merchant\'s service', 'service_id', 'query');
    if (q.encryption_algorithm !== 'AEAD_AES_256_GCM') return paramError('encryption_algorithm: the sandbox encrypts with AEAD_AES_256_GCM only', 'encryption_algorithm', 'query');
    const day = q.bill_date.replace(/-/g, '');
    const paid = [...orders.values()].filter((o) => o.sub$ === undefined).flatMap((o) =>
      (o.collection?.details ?? []).filter((d) => d.transaction_id !== undefined && d.paid_time.startsWith(day)).map((d) => ({ o, d })));
    const yuan = (fen) => (fen / 100).toFixed(2);
    const line = (values) => values.map((v) => `\`${v}`).join(',');
    const rows = paid.map(({ o, d }) => line([o.out_order_no, d.transaction_id, d.paid_time, yuan(d.amount)]));
    const total = paid.reduce((sum, { d }) => sum + d.amount, 0);
    const text = ['商户服务订单号,微信支付订单号,扣款时间,扣款金额（元）', ...rows, '总笔数,总金额（元）', line([rows.length, yuan(total)])].join('\r\n');
    return ok(encryptedParts(Buffer.from(`${text}\r\n`, 'utf8'), q));
  }

  function route(req, path, body, q = {}) {
    if (path === '/v3/payscore/merchant-bill' && req.method === 'GET') return bill(q);
    const partner = path.startsWith(PARTNER_BASE);
    const base = partner ? PARTNER_BASE : BASE;
    if (path === base && req.method === 'GET') return query(partner, q);
    const m = path === base ? [] : new RegExp(`^${base}/([^/]+)/(cancel|complete|modify|pay|sync)$`).exec(path);
    if (!m || req.method !== 'POST') return undefined;
    const { data, refused } = jsonObject(body);
    if (refused) return refused;
    if (m.length === 0) return create(partner, data);
    const answer = ACTIONS[m[2]](partner, decodeURIComponent(m[1]), data);
    return partner ? bodiless(answer) : answer;
  }

  /**
   * Plays the payer confirming the order `out_order_no` (CREATED; a partner's sub-merchant's with
   * `sub_mchid`) as `openid`: DOING, USER_CONFIRM.
   * Returns the order as the PAYSCORE.USER_CONFIRM notification's resource, its notify_url, and the
   * query_id the mini program's return carries.
   */
  function confirm(out_order_no, { openid, sub_openid } = {}, sub_mchid) {
    const o = orders.get(at(sub_mchid, out_order_no));
    if (!o) throw new TypeError(`no service order ${out_order_no}`);
    if (o.state !== 'CREATED') throw new TypeError(`service order ${out_order_no} is ${o.state}`);
    const payer = sub_openid !== undefined && o.sub_appid !== undefined ? { sub_openid } : { openid };
    if (!str(Object.values(payer)[0])) throw new TypeError(`confirm needs the payer's openid (or, under a sub_appid, sub_openid)`);
    // total_amount 0 until completed (the service's example of this notification has it).
    Object.assign(o, { state: 'DOING', state_description: 'USER_CONFIRM', ...payer, total_amount: 0, query_id$: `q${digits(30)}` });
    return { resource: answered(o), notify_url: o.notify_url, query_id: o.query_id$ };
  }

  /**
   * Plays WeChat Pay collecting what a completed order owes, in one payment or in the `parts`
   * given (amounts in fen that add up to it): DONE, USER_PAID, one detail (with its own
   * transaction_id) a part. Returns the order as the PAYSCORE.USER_PAID notification's resource
   * and its notify_url.
   */
  function collect(out_order_no, parts, sub_mchid) {
    const o = orders.get(at(sub_mchid, out_order_no));
    if (!o) throw new TypeError(`no service order ${out_order_no}`);
    if (!paying(o)) throw new TypeError(`service order ${out_order_no} is ${o.state}${o.state_description ? `/${o.state_description}` : ''}, not waiting to be paid`);
    const amount = o.collection.paying_amount;
    const amounts = parts ?? [amount];
    if (!Array.isArray(amounts) || !amounts.every((a) => Number.isSafeInteger(a) && a > 0) || amounts.reduce((sum, a) => sum + a, 0) !== amount)
      throw new TypeError(`parts must be positive amounts adding up to the ${amount} fen owed`);
    const paid_time = compact();
    const details = amounts.map((part, i) => ({ seq: i + 1, amount: part, paid_type: 'NEWTON', paid_time, transaction_id: `42000000${digits(20)}` }));
    done(o);
    o.collection = { state: 'USER_PAID', total_amount: o.total_amount, paying_amount: 0, paid_amount: amount, details, bank_type: 'OTHERS' };
    for (const d of details) payscorePaid({ transaction_id: d.transaction_id, total: d.amount, out_order_no, sub: o.sub$ });
    return { resource: answered(o), notify_url: o.notify_url };
  }

  /**
   * The order `out_order_no` (a sub-merchant's with `sub_mchid`), CREATED and never confirmed,
   * lapses: EXPIRED (no notification says so; the query does). Returns it as the query answers it.
   */
  function expire(out_order_no, sub_mchid) {
    const o = orders.get(at(sub_mchid, out_order_no));
    if (!o) throw new TypeError(`no service order ${out_order_no}`);
    if (o.state !== 'CREATED') throw new TypeError(`service order ${out_order_no} is ${o.state}: only an unconfirmed one lapses`);
    o.state = 'EXPIRED';
    return answered(o);
  }

  return { route, orders, confirm, collect, expire, clear: () => orders.clear() };
}
