// A partner's (服务商) day (examples/node/partner.mjs) against the sandbox, end to end with real
// fetch and a real notification endpoint on node:http: a sub-merchant's order kept for profit
// sharing and the page's payment parameters, the sandbox paying it and posting
// TRANSACTION.SUCCESS, the order query, two receivers (one with its name encrypted), a
// profit-sharing order and its query once finished, what is left, unfreezing it, a refund of
// what was not shared and its REFUND.SUCCESS, the refund query, and an unpaid order closed; and
// one payment of two sub-merchants' orders (合单). node:crypto judges the payment parameters; the sandbox verifies every request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Wxpay } from 'wxpay-wasm';
import { Partner } from '../../examples/node/partner.mjs';
import { Handled } from '../../examples/node/records.mjs';
import { useSandbox, useNotifyEndpoint, options, rejectsWith } from './helpers.mjs';

const ctx = useSandbox();
const SP_APPID = 'wx8888888888888888';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
const endpoint = useNotifyEndpoint();
let notifyUrl;
let partner;

before(async () => {
  notifyUrl = await endpoint.ready;
  partner = () => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key }));
    const p = new Partner(wxpay, { spMchid: sb.mchid, spAppid: SP_APPID, notifyUrl, onRejected: (e) => { throw e; } });
    endpoint.handle(p.notify);
    return p;
  };
});

test("a partner's day: a sub-merchant's order, payment, query, profit sharing, unfreeze, refund", async () => {
  const { sb } = ctx;
  const p = partner();
  const sub = sb.subMchids[0];

  // The order, for the sub-merchant, its funds kept for sharing; the page's parameters under the partner's appid.
  const { out_trade_no, params } = await p.checkout({ sub_mchid: sub, openid: OPENID, total: 10000, description: '一份套餐', profitSharing: true });
  const prepay_id = params.package.replace(/^prepay_id=/, '');
  const placed = sb.prepays.get(prepay_id);
  assert.deepEqual([placed?.sub_mchid, placed?.sp_mchid, placed?.out_trade_no, placed?.settle_info], [sub, sb.mchid, out_trade_no, { profit_sharing: true }]);
  assert.equal(params.appId, SP_APPID);
  const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
  assert.ok(crypto.verify('sha256', Buffer.from(message), sb.merchant.publicKeySpki, Buffer.from(params.paySign, 'base64')), 'paySign verifies');
  assert.equal((await p.query(sub, out_trade_no)).trade_state, 'NOTPAY');
  // Sharing an unpaid order is refused here, before anything is sent.
  const before = sb.requests.length;
  await assert.rejects(p.share(sub, out_trade_no, p.newNumber('s'), []), /is not paid/);
  assert.equal(sb.requests.length, before + 1, 'only the query that found it unpaid');

  // The payer pays: TRANSACTION.SUCCESS, the sub-merchant's, to the partner's endpoint.
  const paid = await sb.pay(out_trade_no, { sub_mchid: sub });
  assert.equal(paid.notification.status, 204, paid.notification.body?.toString());
  assert.deepEqual(p.orders.get(`${sub}/${out_trade_no}`), { total: 10000, profitSharing: true, state: 'SUCCESS', transaction_id: paid.transaction.transaction_id });
  const order = await p.query(sub, out_trade_no);
  assert.deepEqual([order.trade_state, order.sub_mchid, order.sp_mchid, order.amount?.payer_total], ['SUCCESS', sub, sb.mchid, 10000]);

  // Two receivers: a person, whose name goes out encrypted under the platform key, and a store.
  await p.addReceiver(sub, { type: 'PERSONAL_OPENID', account: 'oGuide', name: '张三', relation_type: 'STAFF' });
  const kept = sb.receivers.get(`${sub}/PERSONAL_OPENID/oGuide`);
  assert.equal(kept?.name$, '张三', 'the sandbox decrypted the name under the key the request named');
  const store = await p.addReceiver(sub, { type: 'MERCHANT_ID', account: '1900000111', name: '某某餐饮管理有限公司', relation_type: 'STORE' });
  assert.deepEqual([store.sub_mchid, store.account], [sub, '1900000111']);
  assert.equal(sb.receivers.get(`${sub}/MERCHANT_ID/1900000111`)?.name$, '某某餐饮管理有限公司');

  // 分账: 1,000 to the guide (named), 1,500 to the store; PROCESSING, then FINISHED. Too soon
  // after the payment the service refuses (it has not settled); the same number later shares once.
  const shareNo = p.newNumber('s');
  const guideAndStore = [
    { type: 'PERSONAL_OPENID', account: 'oGuide', name: '张三', amount: 1000, description: '导购提成' },
    { type: 'MERCHANT_ID', account: '1900000111', amount: 1500, description: '门店分成' },
  ];
  sb.profitSharingDelayMs = 60_000;
  await rejectsWith(p.share(sub, out_trade_no, shareNo, guideAndStore), 'INVALID_REQUEST', { status: 400 });
  sb.profitSharingDelayMs = 0;
  const shared = await p.share(sub, out_trade_no, shareNo, guideAndStore);
  assert.deepEqual([shared.state, shared.transaction_id, shared.receivers.map((r) => [r.account, r.amount, r.result])],
    ['PROCESSING', paid.transaction.transaction_id, [['oGuide', 1000, 'PENDING'], ['1900000111', 1500, 'PENDING']]]);
  const sentName = JSON.parse(sb.requests.at(-1).body.toString()).receivers[0].name;
  assert.equal(crypto.privateDecrypt({ key: sb.platform.privateKeyPkcs8, ...OAEP }, Buffer.from(sentName, 'base64')).toString(), '张三');
  // More than the 30% the service allows in all is refused with its code.
  await rejectsWith(p.share(sub, out_trade_no, p.newNumber('s'), [{ type: 'MERCHANT_ID', account: '1900000111', amount: 501, description: '再分' }]), 'NOT_ENOUGH', { status: 403 });
  assert.equal(await p.unsplit(sub, out_trade_no), 7500);
  sb.settleProfitSharing(shareNo, { sub_mchid: sub });
  assert.equal(p.shares.get(`${sub}/${shareNo}`).state, 'PROCESSING');
  const done = await p.shareStatus(sub, out_trade_no, shareNo);
  assert.deepEqual([done.state, done.receivers.map((r) => r.result)], ['FINISHED', ['SUCCESS', 'SUCCESS']]);
  assert.equal(p.shares.get(`${sub}/${shareNo}`).state, 'FINISHED', 'kept as last answered');

  // A refund of more than was not shared is refused; of what was not, it goes through.
  // A lost answer, then a 429 on the retry: the service has the refund, so it is kept.
  const lost = p.newNumber('r');
  sb.misbehave('reset');
  await rejectsWith(p.refund(sub, out_trade_no, lost, 500, '退半份'), 'ERR_NETWORK', { attempts: 1 });
  sb.misbehave('error-429');
  await rejectsWith(p.refund(sub, out_trade_no, lost, 500, '退半份'), 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal(p.refunds.get(`${sub}/${lost}`)?.state, 'PROCESSING');
  await sb.settleRefund(lost, { sub_mchid: sub });
  assert.equal(p.refunds.get(`${sub}/${lost}`).state, 'SUCCESS');
  const tooMuch = p.newNumber('r');
  await rejectsWith(p.refund(sub, out_trade_no, tooMuch, 7001, '整单退'), 'NOT_ENOUGH', { status: 403 });
  assert.equal(p.refunds.has(`${sub}/${tooMuch}`), false, 'refused, and the service has no refund of that number: forgotten');
  const refundNo = p.newNumber('r');
  const refund = await p.refund(sub, out_trade_no, refundNo, 2000, '退一份');
  assert.deepEqual([refund.status, refund.amount.refund], ['PROCESSING', 2000]);
  const settled = await sb.settleRefund(refundNo, { sub_mchid: sub });
  assert.equal(settled.notification.status, 204, settled.notification.body?.toString());
  assert.equal(p.refunds.get(`${sub}/${refundNo}`).state, 'SUCCESS');
  assert.equal((await p.refundStatus(sub, refundNo)).status, 'SUCCESS');

  // The rest (10,000 - 2,500 shared - 500 and 2,000 refunded) goes to the sub-merchant; nothing is left to share.
  const unfrozen = await p.unfreeze(sub, out_trade_no, p.newNumber('u'), '解冻剩余资金');
  assert.deepEqual([unfrozen.state, unfrozen.receivers[0].amount, unfrozen.receivers[0].account], ['FINISHED', 5000, sub]);
  assert.equal(await p.unsplit(sub, out_trade_no), 0);
  await rejectsWith(p.share(sub, out_trade_no, p.newNumber('s'), [{ type: 'MERCHANT_ID', account: '1900000111', amount: 1, description: '再分' }]), 'INVALID_REQUEST', { status: 400 });

  // An unpaid order is closed.
  const unpaid = await p.checkout({ sub_mchid: sub, openid: OPENID, total: 100, description: '一杯茶' });
  await p.close(sub, unpaid.out_trade_no);
  assert.equal((await p.query(sub, unpaid.out_trade_no)).trade_state, 'CLOSED');
  await rejectsWith(p.close(sub, out_trade_no), 'ORDERPAID', { status: 400 });

  // Every request the sandbox saw was signed correctly; each notification was handled once.
  assert.ok(sb.requests.every((r) => r.verified));
  assert.deepEqual(sb.notifications.map((n) => [n.event_type, n.status]), [['TRANSACTION.SUCCESS', 204], ['REFUND.SUCCESS', 204], ['REFUND.SUCCESS', 204]]);
  assert.ok(p.handled instanceof Handled, 'ids kept for the resend window, then forgotten');
  assert.equal(p.handled.size, 3);
});

test("a notification for another partner, another amount or another refund is answered with a failure", async () => {
  const { sb } = ctx;
  const p = partner();
  const sub = sb.subMchids[0];
  const { out_trade_no } = await p.checkout({ sub_mchid: sub, openid: OPENID, total: 300, description: '茶' });
  const { transaction } = await sb.pay(out_trade_no, { sub_mchid: sub, notify: false });
  const other = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource: { ...transaction, sp_mchid: '1900000999' } });
  assert.equal(other.status, 500);
  assert.equal(p.orders.get(`${sub}/${out_trade_no}`).state, 'NOTPAY', 'not marked paid');
  const amount = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource: { ...transaction, amount: { ...transaction.amount, total: 3 } } });
  assert.equal(amount.status, 500, 'not the amount of the order');
  assert.equal(p.orders.get(`${sub}/${out_trade_no}`).state, 'NOTPAY');
  const mine = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource: transaction });
  assert.equal(mine.status, 204);
  assert.equal(p.orders.get(`${sub}/${out_trade_no}`).state, 'SUCCESS');
  // A refund's notification is trusted only for a refund of ours, of its amount.
  const no = p.newNumber('r');
  await p.refund(sub, out_trade_no, no, 100, '退款');
  const { resource } = await sb.settleRefund(no, { sub_mchid: sub, notify: false });
  const forged = await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: { ...resource, amount: { ...resource.amount, refund: 300 } } });
  assert.equal(forged.status, 500);
  assert.equal((await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: { ...resource, out_trade_no: 'o-another' } })).status, 500, 'of another order');
  assert.equal((await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: { ...resource, sub_mchid: '1900000999' } })).status, 500, "of another sub-merchant's");
  assert.equal(p.refunds.get(`${sub}/${no}`).state, 'PROCESSING');
  assert.equal((await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource })).status, 204);
  assert.equal(p.refunds.get(`${sub}/${no}`).state, 'SUCCESS');
});

test('a share that unfreezes the rest: sent so, and once it is finished nothing is left to share', async () => {
  const { sb } = ctx;
  const p = partner();
  const sub = sb.subMchids[0];
  const { out_trade_no } = await p.checkout({ sub_mchid: sub, openid: OPENID, total: 1000, description: '一份午餐', profitSharing: true });
  await sb.pay(out_trade_no, { sub_mchid: sub });
  await p.addReceiver(sub, { type: 'MERCHANT_ID', account: '1900000111', name: '某某餐饮管理有限公司', relation_type: 'STORE' });
  const no = p.newNumber('s');
  await p.share(sub, out_trade_no, no, [{ type: 'MERCHANT_ID', account: '1900000111', amount: 100, description: '门店分成' }], { unfreezeRest: true });
  assert.equal(JSON.parse(sb.requests.at(-1).body.toString()).unfreeze_unsplit, true);
  assert.equal(await p.unsplit(sub, out_trade_no), 900);
  sb.settleProfitSharing(no, { sub_mchid: sub });
  assert.equal(await p.unsplit(sub, out_trade_no), 0);
});

test("合单 for a partner: one payment of two sub-merchants' orders, trusted only whole, each shared and refunded by its sub-merchant", async () => {
  const { sb } = ctx;
  const second = '1900000111';
  if (!sb.subMchids.includes(second)) sb.subMchids.push(second);
  const p = partner();
  const [a, b] = [sb.subMchids[0], second];
  const { combine_out_trade_no, sub_orders, params } = await p.combineCheckout({
    openid: OPENID, parts: [{ sub_mchid: a, total: 6000, description: '书', profitSharing: true }, { sub_mchid: b, total: 4000, description: '笔' }],
  });
  const prepay_id = params.package.replace(/^prepay_id=/, '');
  assert.equal(sb.prepays.get(prepay_id)?.combine_out_trade_no, combine_out_trade_no);
  const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
  assert.ok(crypto.verify('sha256', Buffer.from(message), sb.merchant.publicKeySpki, Buffer.from(params.paySign, 'base64')), 'paySign verifies');
  assert.deepEqual(sub_orders.map((o) => o.sub_mchid), [a, b]);
  await assert.rejects(p.query(a, sub_orders[0].out_trade_no), /combineQuery/);

  // Refused: another sub-merchant named for a sub-order, another partner, a sub-order alone.
  const { resource } = await sb.payCombine(combine_out_trade_no, { notify: false });
  const [x, y] = resource.sub_orders;
  for (const forged of [
    { ...resource, sub_orders: [x, { ...y, sub_mchid: a }] },
    { ...resource, combine_mchid: '1900000999' },
    { ...resource, sub_orders: [x, { ...y, amount: { ...y.amount, total_amount: 1 } }] },
    { ...x, sp_mchid: sb.mchid, amount: { total: x.amount.total_amount, currency: 'CNY' }, combine_out_trade_no: undefined },
  ]) {
    const answer = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource: forged });
    assert.equal(answer.status, 500);
  }
  assert.deepEqual(sub_orders.map((o) => p.orders.get(`${o.sub_mchid}/${o.out_trade_no}`).state), ['NOTPAY', 'NOTPAY']);
  const answer = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource });
  assert.equal(answer.status, 204, answer.body?.toString());
  assert.deepEqual(sub_orders.map((o) => p.orders.get(`${o.sub_mchid}/${o.out_trade_no}`).transaction_id), [x.transaction_id, y.transaction_id]);

  // The first sub-merchant shares its sub-order (placed for sharing); the second refunds its own.
  await p.addReceiver(a, { type: 'PERSONAL_OPENID', account: 'o-share', relation_type: 'PARTNER' });
  const shared = await p.share(a, sub_orders[0].out_trade_no, p.newNumber('s'), [{ type: 'PERSONAL_OPENID', account: 'o-share', amount: 600, description: '分成' }]);
  assert.equal(shared.state, 'PROCESSING');
  assert.equal(shared.transaction_id, x.transaction_id);
  const refund = await p.refund(b, sub_orders[1].out_trade_no, p.newNumber('r'), 4000, '缺货');
  assert.deepEqual([refund.status, refund.amount.total, refund.transaction_id], ['PROCESSING', 4000, y.transaction_id]);
  const queried = await p.combineQuery(combine_out_trade_no);
  assert.deepEqual(queried.sub_orders.map((o) => [o.sub_mchid, o.trade_state]), [[a, 'SUCCESS'], [b, 'REFUND']]);

  await rejectsWith(p.combineClose(combine_out_trade_no), 'ORDERPAID', { status: 400 });

  // An unpaid one is closed whole, each sub-order named with its sub-merchant.
  const unpaid = await p.combineCheckout({ openid: OPENID, parts: [{ sub_mchid: a, total: 100, description: 'x' }, { sub_mchid: b, total: 200, description: 'y' }] });
  await p.combineClose(unpaid.combine_out_trade_no);
  assert.deepEqual(unpaid.sub_orders.map((o) => p.orders.get(`${o.sub_mchid}/${o.out_trade_no}`).state), ['CLOSED', 'CLOSED']);
  assert.deepEqual((await p.combineQuery(unpaid.combine_out_trade_no)).sub_orders.map((o) => o.trade_state), ['CLOSED', 'CLOSED']);

  // A share of a sub-order not yet told paid asks the combined query, not the ordinary one.
  const later = await p.combineCheckout({ openid: OPENID, parts: [{ sub_mchid: a, total: 1000, description: 'x', profitSharing: true }] });
  await sb.payCombine(later.combine_out_trade_no, { notify: false });
  const share2 = await p.share(a, later.sub_orders[0].out_trade_no, p.newNumber('s'), [{ type: 'PERSONAL_OPENID', account: 'o-share', amount: 100, description: '分成' }]);
  assert.equal(share2.state, 'PROCESSING');
});

test('提交申请单 (进件) goes to the documented path with its trailing slash, its sensitive field encrypted, then is queried', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key }));
  const node = wxpay.v3.applyment4sub['applyment/'];
  assert.equal(String(node), 'v3/applyment4sub/applyment/');
  const business_code = `APL${Date.now()}`;
  const application = {
    business_code,
    contact_info: { contact_type: 'LEGAL', contact_name: await wxpay.encrypt('张三') },
    subject_info: { subject_type: 'SUBJECT_TYPE_INDIVIDUAL' },
    business_info: { merchant_shortname: '张三餐饮' },
    settlement_info: { settlement_id: '719' },
    bank_account_info: { bank_account_type: 'BANK_ACCOUNT_TYPE_PERSONAL' },
  };
  const { status, data } = await node.post(application);
  assert.equal(status, 200);
  const sent = sb.requests.at(-1);
  assert.deepEqual([sent.method, sent.url, sent.verified], ['POST', '/v3/applyment4sub/applyment/', true]);
  assert.ok(Number.isSafeInteger(data.applyment_id), JSON.stringify(data));
  const state = await wxpay.v3.applyment4sub.applyment.business_code._business_code_.get({ business_code });
  assert.deepEqual([state.data.applyment_id, state.data.applyment_state], [data.applyment_id, 'APPLYMENT_STATE_AUDITING']);
  // The sandbox, as the service, has no route without the slash.
  await rejectsWith(wxpay.v3.applyment4sub.applyment.post(application), 'RESOURCE_NOT_EXISTS', { status: 404 });
});
