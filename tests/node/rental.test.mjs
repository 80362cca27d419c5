// A 微信支付分 merchant's day (examples/node/rental.mjs) against the sandbox, end to end with real
// fetch and a real notification endpoint on node:http: a service order and the mini program's
// parameters (judged with node:crypto's HMAC), the payer's confirmation and its notification, the
// service ended, the amount lowered, WeChat Pay collecting it and its notification, a refund of the
// payment; an order cancelled unused; one paid another way; forged notifications refused; answers
// lost after the service took the request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Wxpay } from 'wxpay-wasm';
import { Rental } from '../../examples/node/rental.mjs';
import { Handled } from '../../examples/node/records.mjs';
import { useSandbox, useNotifyEndpoint, options, rejectsWith } from './helpers.mjs';

const ctx = useSandbox();
const APPID = 'wx8888888888888888';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const APIV2_KEY = crypto.randomBytes(16).toString('hex');
const endpoint = useNotifyEndpoint();
let notifyUrl;
let rental;
const rejected = [];

before(async () => {
  notifyUrl = await endpoint.ready;
  rental = (extra = {}, more = {}) => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, ...extra }));
    const r = new Rental(wxpay, { mchid: sb.mchid, appid: APPID, serviceId: sb.serviceId, apiv2Key: APIV2_KEY, notifyUrl, onRejected: (e) => rejected.push(e.code), ...more });
    endpoint.handle(r.notify);
    assert.ok(r.handled instanceof Handled, 'ids kept for the resend window, then forgotten');
    return r;
  };
});

/** The APIv2 HMAC-SHA256 of `extraData` (every field but sign), computed here with node:crypto. */
function expectedSign(extraData) {
  const text = Object.keys(extraData).filter((k) => k !== 'sign').sort().map((k) => `${k}=${extraData[k]}`).join('&');
  return crypto.createHmac('sha256', APIV2_KEY).update(`${text}&key=${APIV2_KEY}`).digest('hex').toUpperCase();
}

const FEES = [{ name: '租借费', amount: 300, description: '3 小时', count: 3 }];

/** A service order rented and confirmed by the payer (its notification heard): its number. */
async function confirmed(r, deposit = 9900) {
  const { out_order_no } = await r.rent({ introduction: '充电宝租借', deposit });
  const { notification } = await ctx.sb.confirmServiceOrder(out_order_no, { openid: OPENID });
  assert.equal(notification.status, 204, notification.body?.toString());
  return out_order_no;
}

test("a 支付分 day: rented, confirmed, ended, lowered, collected, queried, refunded", async () => {
  const { sb } = ctx;
  const r = rental();

  // The order, and the mini program's parameters: signed with the APIv2 key over the package the sandbox issued.
  const { out_order_no, params } = await r.rent({ introduction: '充电宝租借', deposit: 9900 });
  assert.match(out_order_no, /^s\d+$/);
  assert.equal(params.businessType, 'wxpayScoreUse');
  assert.equal(params.extraData.package, sb.serviceOrders.get(out_order_no).package$);
  assert.equal(params.extraData.mch_id, sb.mchid);
  assert.equal(params.extraData.sign, expectedSign(params.extraData));
  assert.deepEqual(r.orders.get(out_order_no), { deposit: 9900, state: 'CREATED', lowerings: [], payments: [] });

  // The payer confirms: PAYSCORE.USER_CONFIRM, handled once though sent again.
  const confirm = await sb.confirmServiceOrder(out_order_no, { openid: OPENID });
  assert.equal(confirm.notification.status, 204, confirm.notification.body?.toString());
  assert.deepEqual(r.orders.get(out_order_no), { deposit: 9900, state: 'DOING', detail: 'USER_CONFIRM', openid: OPENID, lowerings: [], payments: [] });
  // Sent again under the same id: answered, and not handled again (the record, marked here, is left alone).
  r.orders.get(out_order_no).openid = 'marked';
  const again = await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_CONFIRM', resource: confirm.resource, id: confirm.notification.sent.envelope.id });
  assert.equal(again.status, 204);
  assert.equal(r.orders.get(out_order_no).openid, 'marked');
  r.orders.get(out_order_no).openid = OPENID;
  // The mini program's return: its query_id names the order.
  assert.equal((await r.returned(confirm.query_id)).out_order_no, out_order_no);

  // The service ends: 300 less a 50 discount owed; then lowered to 200 before it is paid.
  const ended = await r.end(out_order_no, { fees: FEES, discounts: [{ name: '新人', amount: 50 }] });
  assert.deepEqual([ended.state_description, ended.total_amount, ended.collection.state], ['MCH_COMPLETE', 250, 'USER_PAYING']);
  assert.match(ended.time_range.end_time, /^20\d{12}$/, 'the end told now');
  assert.deepEqual([r.orders.get(out_order_no).owed, r.orders.get(out_order_no).detail], [250, 'MCH_COMPLETE']);
  const sent = sb.requests.length;
  for (const amount of [400, 250]) await assert.rejects(r.lower(out_order_no, { fees: [{ name: '租借费', amount }], reason: '改价' }), RangeError);
  assert.equal(sb.requests.length, sent, 'refused here, before anything is sent');
  const lowered = await r.lower(out_order_no, { fees: [{ name: '租借费', amount: 260 }], discounts: [{ name: '满意度补偿', amount: 60 }], reason: '满意度补偿' });
  assert.deepEqual([lowered.total_amount, sb.serviceOrders.get(out_order_no).total_amount], [200, 200]);
  assert.deepEqual([r.orders.get(out_order_no).owed, r.orders.get(out_order_no).lowerings], [200, []]);
  assert.equal((await r.collect(out_order_no)).out_order_no, out_order_no);

  // WeChat Pay collects it: PAYSCORE.USER_PAID, with the payment's transaction_id.
  const paid = await sb.collectServiceOrder(out_order_no);
  assert.equal(paid.notification.status, 204, paid.notification.body?.toString());
  const transaction_id = paid.resource.collection.details[0].transaction_id;
  assert.deepEqual(
    [r.orders.get(out_order_no).state, r.orders.get(out_order_no).detail, r.orders.get(out_order_no).collection, r.orders.get(out_order_no).payments],
    ['DONE', undefined, 'USER_PAID', [{ transaction_id, amount: 200 }]],
  );
  assert.equal((await r.query(out_order_no)).state, 'DONE');
  const details = await r.details(out_order_no);
  assert.deepEqual([details.businessType, details.extraData.out_order_no, details.extraData.service_id], ['wxpayScoreDetail', out_order_no, sb.serviceId]);
  assert.equal(details.extraData.sign, expectedSign(details.extraData));

  // A refund of part of the payment, by its transaction_id, and its notification.
  const no = r.newRefundNumber();
  const refund = await r.refund(out_order_no, no, 80, '少收');
  assert.deepEqual([refund.transaction_id, refund.amount.refund, refund.amount.total], [transaction_id, 80, 200]);
  const settled = await sb.settleRefund(no);
  assert.equal(settled.notification.status, 204, settled.notification.body?.toString());
  assert.equal(r.refunds.get(no).state, 'SUCCESS');
  const tooMuch = r.newRefundNumber();
  await rejectsWith(r.refund(out_order_no, tooMuch, 121), 'NOT_ENOUGH', { status: 403 });
  assert.equal(r.refunds.has(tooMuch), false, 'refused, and the service has no such refund: forgotten');

  // The day's 支付分 bill: in parts encrypted for the merchant, gzipped; the payment is in it.
  const day = paid.resource.collection.details[0].paid_time.replace(/^(\d{4})(\d{2})(\d{2}).*/, '$1-$2-$3');
  const bill = await r.bill(day);
  const row = bill.rows.find((x) => x['微信支付订单号'] === transaction_id);
  assert.deepEqual([row?.['商户服务订单号'], row?.['扣款金额（元）']], [out_order_no, '2.00']);
  assert.deepEqual(bill.summary, { 总笔数: '1', '总金额（元）': '2.00' });
  assert.equal((await r.bill('2000-01-01')).rows.length, 0, 'another day: none');
});

test('支付分: an order cancelled unused or settled another way; one paid another way; one that owes nothing; states the service refuses', async () => {
  const { sb } = ctx;
  const r = rental();
  const unused = await confirmed(r);
  await r.cancel(unused, '用户未使用');
  assert.deepEqual([r.orders.get(unused).state, r.orders.get(unused).detail], ['REVOKED', undefined]);
  assert.equal((await r.query(unused)).state, 'REVOKED');
  await rejectsWith(r.end(unused, { fees: FEES }), 'INVALID_REQUEST', { status: 400 });
  assert.equal(r.orders.get(unused).owed, undefined, 'refused: nothing owed');
  // A cancel whose answer was lost goes again with the same reason.
  const lostCancel = await confirmed(r);
  sb.misbehave('reset');
  await rejectsWith(r.cancel(lostCancel, '用户未使用'), 'ERR_NETWORK');
  assert.equal(r.orders.get(lostCancel).state, 'DOING');
  await r.cancel(lostCancel, '用户未使用');
  assert.equal(r.orders.get(lostCancel).state, 'REVOKED');
  // Completed and not yet paid: still cancelled (to be settled another way).
  const settledElsewhere = await confirmed(r);
  await r.end(settledElsewhere, { fees: FEES });
  await r.cancel(settledElsewhere, '线下结清');
  assert.equal((await r.query(settledElsewhere)).state, 'REVOKED');

  // Never confirmed, it lapses: the query says so, and it is neither confirmed nor cancelled after.
  const { out_order_no: lapsed } = await r.rent({ introduction: '充电宝租借', deposit: 100 });
  sb.expireServiceOrder(lapsed);
  assert.deepEqual([(await r.query(lapsed)).state, r.orders.get(lapsed).state], ['EXPIRED', 'EXPIRED']);
  await rejectsWith(r.cancel(lapsed, '超时'), 'INVALID_REQUEST', { status: 400 });
  await assert.rejects(sb.confirmServiceOrder(lapsed, { openid: OPENID }), /is EXPIRED/);

  const counter = await confirmed(r);
  await r.end(counter, { fees: FEES });
  const synced = await r.paidElsewhere(counter, '20261203101500');
  assert.deepEqual([synced.state, synced.collection.details[0].paid_type], ['DONE', 'MCH']);
  assert.equal(r.orders.get(counter).collection, 'USER_PAID');
  await assert.rejects(r.refund(counter, r.newRefundNumber(), 100), /no payment of WeChat Pay's to refund/);
  await rejectsWith(r.collect(counter), 'INVALID_REQUEST', { status: 400 });
  await rejectsWith(r.cancel(counter, '已支付'), 'INVALID_REQUEST', { status: 400 });

  const free = await confirmed(r);
  const none = await r.end(free, { fees: [{ name: '租借费', amount: 0 }] });
  assert.deepEqual([none.state, r.orders.get(free).state, r.orders.get(free).owed], ['DONE', 'DONE', 0]);

  // Checked here before anything is sent: more than the deposit; a malformed line; raising the amount.
  const small = await confirmed(r, 100);
  const afterSmall = ctx.sb.requests.length;
  await assert.rejects(r.end(small, { fees: [{ name: '租借费', amount: 101 }] }), RangeError);
  await assert.rejects(r.end(small, { fees: [{ name: '租借费', amount: 1.5 }] }), TypeError);
  await assert.rejects(r.end(small, { fees: [{ name: '租借费', amount: 10 }], discounts: [{ name: '券', amount: 11 }] }), RangeError);
  await assert.rejects(r.lower(small, { fees: [{ name: '租借费', amount: 1 }], reason: '未完结' }), RangeError);
  await assert.rejects(r.end('s-not-ours', { fees: FEES }), /no service order/);
  assert.equal(ctx.sb.requests.length, afterSmall);
  // The deposit itself may be owed, and the end time given is the one sent.
  const whole = await r.end(small, { fees: [{ name: '租借费', amount: 100 }], endTime: '20261203180000' });
  assert.deepEqual([whole.total_amount, whole.time_range.end_time], [100, '20261203180000']);
});

test('支付分: notifications not for what we asked are refused, and change nothing', async () => {
  const { sb } = ctx;
  const r = rental();
  // A confirmation of an order of another service, mini program or merchant's number; or not DOING.
  const { out_order_no } = await r.rent({ introduction: '充电宝租借', deposit: 9900 });
  const { resource } = await sb.confirmServiceOrder(out_order_no, { openid: OPENID, notify: false });
  for (const forged of [
    { ...resource, service_id: '2002000000000000000000000000001' }, { ...resource, appid: 'wx0000000000000000' },
    { ...resource, out_order_no: 's-not-ours' }, { ...resource, state: 'CREATED' },
  ]) assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_CONFIRM', resource: forged })).status, 500, JSON.stringify(forged).slice(0, 80));
  assert.equal(r.orders.get(out_order_no).state, 'CREATED');
  assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_CONFIRM', resource })).status, 204);

  // A payment of another amount than the order came to, or not all of it collected.
  await r.end(out_order_no, { fees: FEES });
  const paid = await sb.collectServiceOrder(out_order_no, { notify: false });
  const c = paid.resource.collection;
  for (const forged of [
    { ...paid.resource, total_amount: 301, collection: { ...c, paid_amount: 301 } },
    { ...paid.resource, collection: { ...c, paid_amount: 299 } },
    { ...paid.resource, collection: { ...c, state: 'USER_PAYING' } },
  ]) assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: forged })).status, 500);
  assert.deepEqual([r.orders.get(out_order_no).collection, r.orders.get(out_order_no).payments], ['USER_PAYING', []]);
  // A payment naming no total, for an order never ended (nothing owed yet).
  const unended = await confirmed(r);
  const { total_amount, ...noTotal } = { ...paid.resource, out_order_no: unended, collection: { ...c, paid_amount: undefined } };
  assert.equal(total_amount, 300);
  assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: noTotal })).status, 500);
  assert.deepEqual([r.orders.get(unended).state, r.orders.get(unended).payments], ['DOING', []]);
  // The notification signed by another key is not WeChat Pay's.
  const unsigned = await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: paid.resource, misbehave: 'forged' });
  assert.equal(unsigned.status, 401);
  assert.ok(rejected.includes('ERR_NOTIFY_SIGNATURE'));
  assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: paid.resource })).status, 204);
  assert.deepEqual(r.orders.get(out_order_no).payments, [{ transaction_id: c.details[0].transaction_id, amount: 300 }]);

  // A refund notification of another amount than the refund's.
  const no = r.newRefundNumber();
  await r.refund(out_order_no, no, 30, '少收');
  const { resource: refunded } = await sb.settleRefund(no, { notify: false });
  const forgedRefund = { ...refunded, amount: { ...refunded.amount, refund: 31 } };
  assert.equal((await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: forgedRefund })).status, 500);
  assert.equal(r.refunds.get(no).state, 'PROCESSING');
});

test('支付分: answers lost after the service took the request; a payment heard before the answer', async () => {
  const { sb } = ctx;
  const r = rental();
  // The completion's answer is lost: what it asked for stays what the payer owes, and its payment is ours.
  const { out_order_no: lost } = await r.rent({ introduction: '充电宝租借', deposit: 9900 });
  const late = await sb.confirmServiceOrder(lost, { openid: OPENID, notify: false });
  assert.equal(late.resource.total_amount, 0);
  sb.misbehave('reset');
  await rejectsWith(r.end(lost, { fees: FEES }), 'ERR_NETWORK');
  assert.equal(r.orders.get(lost).owed, 300);
  // The confirmation's notification, heard late, says 0 (not yet completed then): what is owed stays.
  assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_CONFIRM', resource: late.resource })).status, 204);
  assert.deepEqual([r.orders.get(lost).owed, r.orders.get(lost).detail], [300, 'USER_CONFIRM']);
  assert.equal((await sb.collectServiceOrder(lost)).notification.status, 204);
  assert.equal(r.orders.get(lost).collection, 'USER_PAID');

  // A lowering's answer is lost: a payment of the old amount or of the new is ours, until the query says which.
  const lowering = await confirmed(r);
  await r.end(lowering, { fees: FEES });
  sb.misbehave('reset');
  await rejectsWith(r.lower(lowering, { fees: [{ name: '租借费', amount: 120 }], reason: '改价' }), 'ERR_NETWORK');
  assert.deepEqual([r.orders.get(lowering).owed, r.orders.get(lowering).lowerings], [300, [120]]);
  // A second lowering to the same amount is refused (not lower than the last): the first still stands.
  await rejectsWith(r.lower(lowering, { fees: [{ name: '租借费', amount: 120 }], reason: '改价' }), 'INVALID_REQUEST', { status: 400 });
  assert.deepEqual(r.orders.get(lowering).lowerings, [120]);
  await rejectsWith(r.lower(lowering, { fees: [{ name: '租借费', amount: 100 }], reason: 'x'.repeat(51) }), 'PARAM_ERROR', { status: 400 });
  assert.deepEqual(r.orders.get(lowering).lowerings, [120], 'a refusal takes back its own amount only');
  assert.equal((await sb.collectServiceOrder(lowering)).notification.status, 204, 'the new amount, 120');
  assert.deepEqual([r.orders.get(lowering).owed, r.orders.get(lowering).lowerings], [120, []]);

  // Or the query tells: a lowering lost, then the query; an answer sent before it heard after it changes nothing.
  const asked = await confirmed(r);
  await r.end(asked, { fees: FEES });
  const stale = await r.wxpay.v3.payscore.serviceorder.get({ params: { appid: APPID, service_id: sb.serviceId, out_order_no: asked } });
  sb.misbehave('reset');
  await rejectsWith(r.lower(asked, { fees: [{ name: '租借费', amount: 150 }], reason: '改价' }), 'ERR_NETWORK');
  assert.equal((await r.query(asked)).total_amount, 150);
  assert.deepEqual([r.orders.get(asked).owed, r.orders.get(asked).lowerings], [150, []]);
  assert.equal(stale.data.total_amount, 300);
  const old = { ...stale.data, collection: { ...stale.data.collection, state: 'USER_PAID', paid_amount: 300 } };
  assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: old })).status, 500, 'the old amount, once the service has said 150');

  // A lowering refused by the service leaves the old amount alone, and a payment of the new one is refused.
  const kept = await confirmed(r);
  await r.end(kept, { fees: FEES });
  await rejectsWith(r.lower(kept, { fees: [{ name: '租借费', amount: 120 }], reason: 'x'.repeat(51) }), 'PARAM_ERROR', { status: 400 });
  assert.deepEqual([r.orders.get(kept).owed, r.orders.get(kept).lowerings], [300, []]);
  const { resource: owing } = await sb.collectServiceOrder(kept, { notify: false });
  const lowerPaid = { ...owing, total_amount: 120, collection: { ...owing.collection, paid_amount: 120 } };
  assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: lowerPaid })).status, 500);
  assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: owing })).status, 204);

  // A creation whose answer is lost is kept (the service has it); the query finds it.
  sb.misbehave('reset');
  const sizeBefore = r.orders.size;
  await rejectsWith(r.rent({ introduction: '充电宝租借', deposit: 100 }), 'ERR_NETWORK');
  assert.equal(r.orders.size, sizeBefore + 1);
  const lostNo = [...r.orders.keys()].at(-1);
  assert.equal(r.orders.get(lostNo).state, 'REQUESTED');
  assert.equal((await r.query(lostNo)).state, 'CREATED');
  assert.equal(r.orders.get(lostNo).state, 'CREATED');

  // The mini program's return, before the confirmation's notification is heard: learnt from the query.
  const { out_order_no: back } = await r.rent({ introduction: '充电宝租借', deposit: 100 });
  const { query_id } = await sb.confirmServiceOrder(back, { openid: OPENID, notify: false });
  await r.returned(query_id);
  assert.deepEqual([r.orders.get(back).state, r.orders.get(back).openid], ['DOING', OPENID]);

  // A creation the service refused is forgotten.
  const before = r.orders.size;
  await rejectsWith(r.rent({ introduction: '充电宝租借', deposit: 0 }), 'PARAM_ERROR', { status: 400 });
  assert.equal(r.orders.size, before);
});

test("支付分: a confirmation heard before the creation's answer is kept; a query_id or refund not ours is refused", async () => {
  const { sb } = ctx;
  // The client's fetch hands the creation's answer back only after the payer's confirmation was heard.
  let early;
  const r = rental({
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      if (early === undefined && init.method === 'POST' && new URL(url).pathname === '/v3/payscore/serviceorder') early = await sb.confirmServiceOrder(JSON.parse(new TextDecoder().decode(init.body)).out_order_no, { openid: OPENID });
      return res;
    },
  });
  const { out_order_no } = await r.rent({ introduction: '充电宝租借', deposit: 9900 });
  assert.equal(early.notification.status, 204, early.notification.body?.toString());
  assert.deepEqual([r.orders.get(out_order_no).state, r.orders.get(out_order_no).openid], ['DOING', OPENID], 'not taken back to CREATED');

  // An order of another system's records (the same service) is not ours: its query_id is refused.
  const theirs = await r.rent({ introduction: '充电宝租借', deposit: 100 });
  const { query_id } = await sb.confirmServiceOrder(theirs.out_order_no, { openid: OPENID, notify: false });
  await assert.rejects(rental().returned(query_id), /not an order of ours/);

  // A refund notification naming another payment than the refund's is refused.
  const r3 = rental();
  const no = await confirmed(r3);
  await r3.end(no, { fees: FEES });
  await sb.collectServiceOrder(no);
  const refundNo = r3.newRefundNumber();
  await r3.refund(no, refundNo, 10, '少收');
  const { resource } = await sb.settleRefund(refundNo, { notify: false });
  const forged = await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: { ...resource, transaction_id: `42000000${'0'.repeat(20)}` } });
  assert.equal(forged.status, 500);
  assert.equal(r3.refunds.get(refundNo).state, 'PROCESSING');
  assert.equal(r3.refunds.get(refundNo).transaction_id, resource.transaction_id);
  assert.equal((await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource })).status, 204);
  assert.equal(r3.refunds.get(refundNo).state, 'SUCCESS');
});

test('支付分: answers sent before others but heard after them take nothing back; a payment collected in parts is refunded part by part', async () => {
  const { sb } = ctx;
  // The client's fetch holds the answers of queries until released: each is heard after what follows it.
  const held = [];
  const r = rental({
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      if (init.method === 'GET' && new URL(url).pathname === '/v3/payscore/serviceorder') await new Promise((resolve) => held.push(resolve));
      return res;
    },
  });
  const no = await confirmed(r);
  const before = r.query(no); // answered DOING, USER_CONFIRM
  while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await r.end(no, { fees: FEES });
  held.shift()();
  assert.equal((await before).state_description, 'USER_CONFIRM');
  assert.deepEqual([r.orders.get(no).detail, r.orders.get(no).owed], ['MCH_COMPLETE', 300], 'not taken back to USER_CONFIRM');
  const beforeLower = r.query(no); // answered 300
  while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await r.lower(no, { fees: [{ name: '租借费', amount: 180 }], reason: '改价' });
  held.shift()();
  assert.equal((await beforeLower).total_amount, 300);
  assert.equal(r.orders.get(no).owed, 180, 'not taken back to 300');

  // Collected in two payments (heard while a query answered before is held): each refunded by its
  // own transaction_id, of its own amount; the held answer (MCH_COMPLETE) does not take DONE back.
  const beforePaid = r.query(no);
  while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const paid = await sb.collectServiceOrder(no, { parts: [100, 80] });
  assert.equal(paid.notification.status, 204, paid.notification.body?.toString());
  held.shift()();
  assert.equal((await beforePaid).state_description, 'MCH_COMPLETE');
  assert.deepEqual([r.orders.get(no).state, r.orders.get(no).detail, r.orders.get(no).collection], ['DONE', undefined, 'USER_PAID']);
  const [first, second] = paid.resource.collection.details;
  assert.deepEqual(r.orders.get(no).payments, [{ transaction_id: first.transaction_id, amount: 100 }, { transaction_id: second.transaction_id, amount: 80 }]);
  await assert.rejects(r.refund(no, r.newRefundNumber(), 10, '少收'), /collected in 2 payments: name the transaction_id/);
  await assert.rejects(r.refund(no, r.newRefundNumber(), 10, '少收', '4200000000'), /no payment of WeChat Pay's 4200000000 to refund/);
  const refund = await r.refund(no, r.newRefundNumber(), 80, '少收', second.transaction_id);
  assert.deepEqual([refund.transaction_id, refund.amount.total, refund.amount.refund], [second.transaction_id, 80, 80]);
});

test("支付分 for a partner (服务商): a sub-merchant's order through the partner's routes, its notifications trusted only for that sub-merchant, its payment refunded by it", async () => {
  const { sb } = ctx;
  const SUB = sb.subMchids[0];
  const r = rental({}, { subMchid: SUB, subAppid: 'wx7777777777777777' });
  const { out_order_no, params } = await r.rent({ introduction: '充电宝租借', deposit: 9900 });
  const kept = sb.serviceOrders.get(`${SUB}/${out_order_no}`);
  assert.deepEqual([kept.sub_mchid, kept.sub_appid, kept.appid, kept.mchid], [SUB, 'wx7777777777777777', APPID, sb.mchid]);
  assert.equal(sb.serviceOrders.has(out_order_no), false, 'not the partner\'s own order');
  assert.deepEqual([params.extraData.mch_id, params.extraData.package], [sb.mchid, kept.package$], 'signed as the partner');
  assert.equal(params.extraData.sign, expectedSign(params.extraData));
  // Under the sub-merchant's own mini program, the payer is its sub_openid.
  const confirm = await sb.confirmServiceOrder(out_order_no, { sub_openid: 'o-sub-1', sub_mchid: SUB });
  assert.equal(confirm.notification.status, 204, confirm.notification.body?.toString());
  assert.deepEqual([r.orders.get(out_order_no).state, r.orders.get(out_order_no).openid], ['DOING', 'o-sub-1']);
  assert.equal((await r.returned(confirm.query_id)).sub_mchid, SUB);

  // A partner's calls on an order answer 204, no body: the record learns what the call asked for.
  assert.equal(await r.end(out_order_no, { fees: FEES }), '');
  assert.deepEqual([r.orders.get(out_order_no).detail, r.orders.get(out_order_no).owed, r.orders.get(out_order_no).collection], ['MCH_COMPLETE', 300, 'USER_PAYING']);
  assert.equal(await r.lower(out_order_no, { fees: [{ name: '租借费', amount: 250 }], reason: '改价' }), '');
  assert.deepEqual([r.orders.get(out_order_no).owed, r.orders.get(out_order_no).lowerings], [250, []]);
  assert.equal((await r.query(out_order_no)).total_amount, 250);
  const paid = await sb.collectServiceOrder(out_order_no, { sub_mchid: SUB, notify: false });
  // Another sub-merchant's, or no sub-merchant's (a direct merchant's order of that number): not ours.
  for (const forged of [{ ...paid.resource, sub_mchid: '1900000999' }, (({ sub_mchid, ...rest }) => rest)(paid.resource), { ...paid.resource, sub_appid: 'wx0000000000000000' }])
    assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: forged })).status, 500);
  assert.equal((await sb.notify(notifyUrl, { event_type: 'PAYSCORE.USER_PAID', resource: paid.resource })).status, 204);
  assert.deepEqual([r.orders.get(out_order_no).state, (await r.query(out_order_no)).state], ['DONE', 'DONE']);

  const no = r.newRefundNumber();
  const refund = await r.refund(out_order_no, no, 100, '少收');
  assert.deepEqual([refund.amount.refund, refund.amount.total], [100, 250]);
  assert.equal(sb.refunds.get(`${SUB}/${no}`)?.out_refund_no, no, 'the sub-merchant\'s refund');
  const settled = await sb.settleRefund(no, { sub_mchid: SUB });
  assert.equal(settled.notification.status, 204, settled.notification.body?.toString());
  assert.equal(r.refunds.get(no).state, 'SUCCESS');
  // Refused by the service (more than is left), and the service has no such refund of the sub-merchant's: forgotten.
  const tooMuch = r.newRefundNumber();
  await rejectsWith(r.refund(out_order_no, tooMuch, 151), 'NOT_ENOUGH', { status: 403 });
  assert.equal(r.refunds.has(tooMuch), false);
  // Its answer lost, its retry refused (429): asked of the service by the sub-merchant's number, which it has.
  const lost = r.newRefundNumber();
  sb.misbehave('reset');
  await rejectsWith(r.refund(out_order_no, lost, 50, '再退'), 'ERR_NETWORK', { attempts: 1 });
  sb.misbehave('error-429');
  await rejectsWith(r.refund(out_order_no, lost, 50, '再退'), 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal(r.refunds.get(lost)?.state, 'PROCESSING');
});
