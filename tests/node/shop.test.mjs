// A merchant's day (examples/node/shop.mjs) against the sandbox, end to end with real fetch and a
// real notification endpoint on node:http: the order and the page's payment parameters, the
// sandbox paying it and posting TRANSACTION.SUCCESS, the order query, a partial refund, its
// REFUND.SUCCESS, the refund query, a second refund of the rest, an unpaid order closed, and the
// day's bill, a platform certificate rotated mid-day; and a payout to a user (商家转账). node:crypto judges the payment parameters; the
// sandbox verifies every request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Wxpay } from 'wxpay-wasm';
import { Shop } from '../../examples/node/shop.mjs';
import { Handled } from '../../examples/node/records.mjs';
import { useSandbox, useNotifyEndpoint, options, rejectsWith } from './helpers.mjs';

const ctx = useSandbox();
const APPID = 'wx8888888888888888';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const endpoint = useNotifyEndpoint();
let notifyUrl;
let shop;
const rejected = [];

before(async () => {
  notifyUrl = await endpoint.ready;
  shop = (extra = {}) => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, ...extra }));
    const s = new Shop(wxpay, { mchid: sb.mchid, appid: APPID, notifyUrl, onRejected: (e) => rejected.push(e.code) });
    endpoint.handle(s.notify);
    return s;
  };
});

test("a merchant's day: order, payment parameters, notification, query, refunds, refund query, bill", async () => {
  const { sb } = ctx;
  const s = shop();

  // The order, and the page's parameters: signed with the merchant key over the prepay_id the sandbox issued.
  const { out_trade_no, params } = await s.checkout({ openid: OPENID, total: 2500, description: '一杯咖啡' });
  assert.match(out_trade_no, /^o\d+$/);
  const prepay_id = params.package.replace(/^prepay_id=/, '');
  assert.equal(sb.prepays.get(prepay_id)?.out_trade_no, out_trade_no);
  assert.equal(params.appId, APPID);
  const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
  assert.ok(crypto.verify('sha256', Buffer.from(message), sb.merchant.publicKeySpki, Buffer.from(params.paySign, 'base64')), 'paySign verifies');
  assert.equal((await s.query(out_trade_no)).trade_state, 'NOTPAY');

  // The payer pays: the sandbox posts TRANSACTION.SUCCESS to the shop's endpoint, which answers 204.
  const paid = await sb.pay(out_trade_no);
  assert.equal(paid.notification.status, 204, paid.notification.body?.toString());
  assert.deepEqual(s.orders.get(out_trade_no), { total: 2500, state: 'SUCCESS', transaction_id: paid.transaction.transaction_id });
  // WeChat Pay sends a notification again until answered: the same id is answered and handled once.
  const again = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource: paid.transaction, id: paid.notification.sent.envelope.id });
  assert.equal(again.status, 204);
  assert.ok(s.handled instanceof Handled, 'ids kept for the resend window, then forgotten');
  assert.equal(s.handled.size, 1);

  const order = await s.query(out_trade_no);
  assert.equal(order.trade_state, 'SUCCESS');
  assert.equal(order.transaction_id, paid.transaction.transaction_id);
  assert.equal(order.amount?.payer_total, 2500);

  // A partial refund: PROCESSING, then REFUND.SUCCESS to the endpoint, then the query says SUCCESS.
  const first = await s.refund(out_trade_no, s.newRefundNumber(), 1000, '少了一份奶');
  assert.equal(first.status, 'PROCESSING');
  assert.deepEqual([first.amount.refund, first.amount.total, first.out_trade_no], [1000, 2500, out_trade_no]);
  const settled = await sb.settleRefund(first.out_refund_no);
  assert.equal(settled.notification.status, 204, settled.notification.body?.toString());
  assert.equal(s.refunds.get(first.out_refund_no).state, 'SUCCESS');
  const queried = await s.refundStatus(first.out_refund_no);
  assert.deepEqual([queried.status, queried.refund_id], ['SUCCESS', first.refund_id]);
  assert.equal((await s.query(out_trade_no)).trade_state, 'REFUND', '转入退款 from the first refund');

  // More than is left is refused by the service, with its code. The rest: its answer is lost
  // (the connection reset after the service took it), and the same number again refunds once.
  const tooMuch = s.newRefundNumber();
  await rejectsWith(s.refund(out_trade_no, tooMuch, 1501), 'NOT_ENOUGH', { status: 403 });
  assert.equal(s.refunds.has(tooMuch), false, 'refused, and the service has no such refund: forgotten');
  const restNo = s.newRefundNumber();
  sb.misbehave('reset');
  await rejectsWith(s.refund(out_trade_no, restNo, 1500), 'ERR_NETWORK', { attempts: 1 });
  assert.equal(s.refunds.get(restNo).state, 'REQUESTED');
  const rest = await s.refund(out_trade_no, restNo, 1500);
  assert.equal(rest.out_refund_no, restNo);
  assert.equal(sb.refunds.size, 2, 'two refunds, not three');
  assert.equal([...sb.refunds.values()].reduce((sum, r) => sum + r.amount.refund, 0), 2500);
  await sb.settleRefund(rest.out_refund_no);
  assert.equal(s.refunds.get(restNo).state, 'SUCCESS');
  assert.equal((await s.query(out_trade_no)).trade_state, 'REFUND');

  // An order never paid is closed; paying it is then impossible, and closing a paid one is refused.
  const unpaid = await s.checkout({ openid: OPENID, total: 100, description: '一块蛋糕' });
  await s.close(unpaid.out_trade_no);
  assert.equal((await s.query(unpaid.out_trade_no)).trade_state, 'CLOSED');
  await rejectsWith(s.close(out_trade_no), 'ORDERPAID', { status: 400 });
  // Orders and refunds the shop never made are refused before anything is sent.
  const sent = sb.requests.length;
  await assert.rejects(s.close('o-unknown'), /no order o-unknown here/);
  await assert.rejects(s.refund('o-unknown', s.newRefundNumber(), 1), /no order o-unknown here/);
  await assert.rejects(s.refundStatus('r-unknown'), /no refund r-unknown here/);
  assert.equal(sb.requests.length, sent);

  // WeChat Pay rotates its platform certificate mid-day: answers and notifications come signed
  // under the new one, which the client downloads (GET /v3/certificates, with the APIv3 key) on
  // the first answer that names it, and trusts from then on.
  const downloads = () => sb.requests.filter((r) => r.url === '/v3/certificates').length;
  assert.equal(downloads(), 0, 'the configured certificate served until now');
  const next = sb.rotate();
  // A payer at a computer: a Native order's code_url, paid by scanning it.
  const scanned = await s.nativeCheckout({ total: 800, description: '一袋咖啡豆' });
  assert.match(scanned.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  assert.equal(downloads(), 1, 'the new certificate, downloaded once');
  const scannedPaid = await sb.pay(scanned.out_trade_no);
  assert.equal(scannedPaid.notification.sent.headers['Wechatpay-Serial'], next.serial);
  assert.equal(scannedPaid.notification.status, 204, 'a notification under the new certificate');
  assert.equal(s.orders.get(scanned.out_trade_no).state, 'SUCCESS');
  assert.equal((await s.query(scanned.out_trade_no)).trade_type, 'NATIVE');

  // The day's bill, gzipped, checked and read into rows.
  const bill = await s.tradeBill('2024-06-01');
  assert.ok(bill.rows.length > 0);
  assert.ok(Object.keys(bill.summary).length > 0);

  // Every request the sandbox saw was signed correctly; the endpoint handled each notification id once.
  assert.ok(sb.requests.every((r) => r.verified));
  assert.deepEqual(sb.notifications.map((n) => [n.event_type, n.status]), [
    ['TRANSACTION.SUCCESS', 204], ['TRANSACTION.SUCCESS', 204], ['REFUND.SUCCESS', 204], ['REFUND.SUCCESS', 204], ['TRANSACTION.SUCCESS', 204],
  ]);
  assert.equal(s.handled.size, 4);
});

test('a payment notification for an amount other than the order\'s is answered with a failure, and WeChat Pay will send it again', async () => {
  const { sb } = ctx;
  const s = shop();
  const { out_trade_no } = await s.checkout({ openid: OPENID, total: 300, description: '茶' });
  const { transaction } = await sb.pay(out_trade_no, { notify: false });
  const forgedAmount = { ...transaction, amount: { ...transaction.amount, total: 3 } };
  const answer = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource: forgedAmount });
  assert.equal(answer.status, 500);
  assert.equal(answer.json.code, 'FAIL');
  assert.equal(s.orders.get(out_trade_no).state, 'NOTPAY', 'not marked paid');
  // A notification not signed by WeChat Pay is refused (401) before the shop sees it.
  const forged = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource: transaction, misbehave: 'forged' });
  assert.equal(forged.status, 401);
  assert.deepEqual(rejected, ['ERR_NOTIFY_SIGNATURE'], 'and heard of');
  assert.equal(s.orders.get(out_trade_no).state, 'NOTPAY');
  // The query tells the truth.
  assert.equal((await s.query(out_trade_no)).trade_state, 'SUCCESS');
  assert.equal(s.orders.get(out_trade_no).state, 'SUCCESS');
  // A refund's notification likewise, for a refund of ours and its amount only.
  const no = s.newRefundNumber();
  await s.refund(out_trade_no, no, 100, '退款');
  const { resource } = await sb.settleRefund(no, { notify: false });
  const more = await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: { ...resource, amount: { ...resource.amount, refund: 300 } } });
  assert.equal(more.status, 500);
  const other = await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: { ...resource, out_trade_no: 'o-another' } });
  assert.equal(other.status, 500);
  assert.equal(s.refunds.get(no).state, 'PROCESSING');
});

test('合单: one payment of two orders, the page\'s parameters, its notification trusted only whole, the combined query, a sub-order refunded, an unpaid one closed', async () => {
  const { sb } = ctx;
  const s = shop();
  const { combine_out_trade_no, out_trade_nos, params } = await s.combineCheckout({
    openid: OPENID, parts: [{ total: 1200, description: '书' }, { total: 800, description: '笔', attach: 'pen' }],
  });
  assert.match(combine_out_trade_no, /^c\d+$/);
  assert.equal(out_trade_nos.length, 2);
  const prepay_id = params.package.replace(/^prepay_id=/, '');
  assert.equal(sb.prepays.get(prepay_id)?.combine_out_trade_no, combine_out_trade_no);
  const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
  assert.ok(crypto.verify('sha256', Buffer.from(message), sb.merchant.publicKeySpki, Buffer.from(params.paySign, 'base64')), 'paySign verifies');
  // A sub-order is queried and closed with its combined order, not alone.
  await assert.rejects(s.query(out_trade_nos[0]), new RegExp(`sub-order of ${combine_out_trade_no}`));
  await assert.rejects(s.close(out_trade_nos[0]), /combineClose/);

  // Paid: a notification that names another amount, or leaves out a sub-order, is refused (500).
  const { resource } = await sb.payCombine(combine_out_trade_no, { notify: false });
  const [a, b] = resource.sub_orders;
  for (const forged of [
    { ...resource, sub_orders: [a, { ...b, amount: { ...b.amount, total_amount: 8 } }] },
    { ...resource, sub_orders: [a] },
    { ...resource, sub_orders: [a, a] },
    { ...resource, combine_out_trade_no: 'c-another' },
    // One sub-order as if it were an ordinary order's payment.
    { ...a, mchid: sb.mchid, appid: APPID, amount: { total: a.amount.total_amount, currency: 'CNY' }, combine_out_trade_no: undefined, sub_orders: [a] },
  ]) {
    const answer = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource: forged });
    assert.equal(answer.status, 500, JSON.stringify(forged.sub_orders.map((o) => o.amount)));
  }
  assert.deepEqual(out_trade_nos.map((no) => s.orders.get(no).state), ['NOTPAY', 'NOTPAY'], 'nothing marked paid');
  const answer = await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource });
  assert.equal(answer.status, 204, answer.body?.toString());
  // Sent again (same id): answered, and handled once.
  const handled = s.handled.size;
  assert.equal((await sb.notify(notifyUrl, { event_type: 'TRANSACTION.SUCCESS', resource, id: answer.sent.envelope.id })).status, 204);
  assert.equal(s.handled.size, handled);
  assert.deepEqual(out_trade_nos.map((no) => s.orders.get(no)), [
    { total: 1200, state: 'SUCCESS', transaction_id: a.transaction_id, combine: combine_out_trade_no },
    { total: 800, state: 'SUCCESS', transaction_id: b.transaction_id, combine: combine_out_trade_no },
  ]);

  // One sub-order refunded in part, as any order: its own total; the combined query shows it.
  const no = s.newRefundNumber();
  const refund = await s.refund(out_trade_nos[1], no, 300, '笔坏了');
  assert.deepEqual([refund.status, refund.amount.total, refund.transaction_id], ['PROCESSING', 800, b.transaction_id]);
  assert.equal((await sb.settleRefund(no)).notification.status, 204);
  assert.equal(s.refunds.get(no).state, 'SUCCESS');
  const queried = await s.combineQuery(combine_out_trade_no);
  assert.deepEqual(queried.sub_orders.map((o) => o.trade_state), ['SUCCESS', 'REFUND']);
  assert.deepEqual(out_trade_nos.map((n) => s.orders.get(n).state), ['SUCCESS', 'REFUND']);
  await rejectsWith(s.combineClose(combine_out_trade_no), 'ORDERPAID', { status: 400 });

  // Another, paid: the sandbox posts its notification to the shop, which marks both paid.
  const second = await s.combineCheckout({ openid: OPENID, parts: [{ total: 50, description: 'x' }, { total: 60, description: 'y' }] });
  const paid = await sb.payCombine(second.combine_out_trade_no);
  assert.equal(paid.notification.status, 204, paid.notification.body?.toString());
  assert.deepEqual(second.out_trade_nos.map((n) => s.orders.get(n).state), ['SUCCESS', 'SUCCESS']);

  // Another combined order, never paid, is closed whole.
  const unpaid = await s.combineCheckout({ openid: OPENID, parts: [{ total: 100, description: 'x' }, { total: 200, description: 'y' }] });
  await s.combineClose(unpaid.combine_out_trade_no);
  assert.deepEqual(unpaid.out_trade_nos.map((n) => s.orders.get(n).state), ['CLOSED', 'CLOSED']);
  assert.deepEqual((await s.combineQuery(unpaid.combine_out_trade_no)).sub_orders.map((o) => o.trade_state), ['CLOSED', 'CLOSED']);
});

test('a payout (商家转账): the user confirms it, a lost answer is retried under the same number, a large one names the payee, another is cancelled', async () => {
  const { sb } = ctx;
  const s = shop();
  const scene = { id: '1000', report: { 活动名称: '新会员有礼', 奖励说明: '注册会员抽奖一等奖' } };

  // The bill waits for the user: the page gets what wx.requestMerchantTransfer takes.
  const no = s.newPayoutNumber();
  const bill = await s.payout(no, { openid: OPENID, amount: 500, remark: '新会员开通有礼', scene });
  assert.equal(bill.state, 'WAIT_USER_CONFIRM');
  assert.deepEqual(bill.confirm, { mchId: sb.mchid, appId: APPID, package: sb.transferBills.get(no).package_info$ });
  const sent = JSON.parse(sb.requests.at(-1).body.toString());
  assert.deepEqual(sent.transfer_scene_report_infos, [{ info_type: '活动名称', info_content: '新会员有礼' }, { info_type: '奖励说明', info_content: '注册会员抽奖一等奖' }]);
  assert.equal(sent.user_name, undefined, 'no name below 2,000 yuan');
  // The user accepts: MCHTRANSFER.BILL.FINISHED to the endpoint; the query agrees.
  // A notification is trusted only for a payout of ours, to its payee and of its amount.
  const { resource: early } = await sb.settleTransfer(no, { notify: false });
  for (const forged of [{ ...early, transfer_amount: 5000 }, { ...early, openid: 'o-another' }])
    assert.equal((await sb.notify(notifyUrl, { event_type: 'MCHTRANSFER.BILL.FINISHED', resource: forged })).status, 500);
  assert.equal(s.payouts.get(no).state, 'WAIT_USER_CONFIRM');
  const done = { notification: await sb.notify(notifyUrl, { event_type: 'MCHTRANSFER.BILL.FINISHED', resource: early }) };
  assert.equal(done.notification.status, 204, done.notification.body?.toString());
  assert.equal(s.payouts.get(no).state, 'SUCCESS');
  assert.equal((await s.payoutStatus(no)).state, 'SUCCESS');

  // An answer lost after the service took the bill: the same number again, one bill.
  const lostNo = s.newPayoutNumber();
  sb.misbehave('reset');
  await rejectsWith(s.payout(lostNo, { openid: OPENID, amount: 800, remark: '邀请奖励', scene }), 'ERR_NETWORK', { attempts: 1 });
  assert.equal(s.payouts.get(lostNo)?.state, 'REQUESTED', 'kept: the service may have it');
  const again = await s.payout(lostNo, { openid: OPENID, amount: 800, remark: '邀请奖励', scene });
  assert.equal(again.transfer_bill_no, sb.transferBills.get(lostNo).transfer_bill_no);
  const posts = sb.requests.filter((r) => r.method === 'POST' && r.url === '/v3/fund-app/mch-transfer/transfer-bills' && JSON.parse(r.body.toString()).out_bill_no === lostNo);
  assert.equal(posts.length, 2, 'the service took it twice');
  assert.equal([...sb.transferBills.values()].filter((b) => b.transfer_amount === 800).length, 1, 'and holds one bill');

  // From 2,000 yuan on, the payee's name: refused without it, sent encrypted with it.
  const unnamed = s.newPayoutNumber();
  await rejectsWith(s.payout(unnamed, { openid: OPENID, amount: 200000, remark: '年度大奖', scene }), 'PARAM_ERROR', { status: 400 });
  assert.equal(s.payouts.has(unnamed), false, 'refused: nothing is kept');
  const bigNo = s.newPayoutNumber();
  await s.payout(bigNo, { openid: OPENID, amount: 200000, remark: '年度大奖', scene, userName: '张三' });
  assert.equal(sb.transferBills.get(bigNo).name$, '张三', 'the sandbox decrypted the name under the key the request named');
  assert.equal(sb.requests.at(-1).headers['wechatpay-serial'], sb.platform.serial);

  // A notification that never came: the query says where the payout is.
  const quiet = s.newPayoutNumber();
  await s.payout(quiet, { openid: OPENID, amount: 100, remark: '签到', scene });
  await sb.settleTransfer(quiet, { notify: false });
  assert.equal(s.payouts.get(quiet).state, 'WAIT_USER_CONFIRM');
  assert.equal((await s.payoutStatus(quiet)).state, 'SUCCESS');
  assert.equal(s.payouts.get(quiet).state, 'SUCCESS');

  // Cancelled before the user accepts: CANCELING, then CANCELLED with its notification.
  const cancelled = await s.cancelPayout(bigNo);
  assert.equal(cancelled.state, 'CANCELING');
  assert.equal(s.payouts.get(bigNo).state, 'CANCELING');
  await sb.settleTransfer(bigNo);
  assert.equal(s.payouts.get(bigNo).state, 'CANCELLED');
  await rejectsWith(s.cancelPayout(no), 'INVALID_REQUEST', { status: 400 });
  await assert.rejects(s.payoutStatus('t-unknown'), /no payout t-unknown here/);
  assert.ok(sb.requests.every((r) => r.verified));
});

test('a refund the payer\'s card refused (REFUND.ABNORMAL) goes again, to the payer\'s bank card or the merchant\'s', async () => {
  const { sb } = ctx;
  const s = shop();
  const { out_trade_no } = await s.checkout({ openid: OPENID, total: 1000, description: '两杯咖啡' });
  await sb.pay(out_trade_no);
  const toCard = s.newRefundNumber();
  await s.refund(out_trade_no, toCard, 400, '退一杯');
  const abnormal = await sb.settleRefund(toCard, { status: 'ABNORMAL' });
  assert.equal(abnormal.notification.status, 204, abnormal.notification.body?.toString());
  assert.equal(s.refunds.get(toCard).state, 'ABNORMAL');
  // Again, to a card of the payer's: its number and the name go out encrypted under the platform key.
  const again = await s.reapplyRefund(toCard, { bankType: 'ICBC_DEBIT', account: '6222020000001234', name: '张三' });
  assert.deepEqual([again.status, again.user_received_account], ['PROCESSING', 'ICBC_DEBIT 1234']);
  assert.equal(s.refunds.get(toCard).state, 'PROCESSING');
  // The REFUND.ABNORMAL notification again (WeChat Pay resends until answered): handled once, so
  // it does not take the refund back to ABNORMAL.
  assert.equal((await sb.notify(notifyUrl, { event_type: 'REFUND.ABNORMAL', resource: abnormal.resource, id: abnormal.notification.sent.envelope.id })).status, 204);
  assert.equal(s.refunds.get(toCard).state, 'PROCESSING');
  const sent = JSON.parse(sb.requests.at(-1).body.toString());
  assert.equal(sent.type, 'USER_BANK_CARD');
  assert.equal(crypto.privateDecrypt({ key: sb.platform.privateKeyPkcs8, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(sent.bank_account, 'base64')).toString(), '6222020000001234');
  assert.equal(sb.requests.at(-1).url, `/v3/refund/domestic/refunds/${s.refunds.get(toCard).refund_id}/apply-abnormal-refund`);
  await sb.settleRefund(toCard);
  assert.equal(s.refunds.get(toCard).state, 'SUCCESS');
  // Or to the merchant's own account; and only an ABNORMAL refund goes again.
  const toMerchant = s.newRefundNumber();
  await s.refund(out_trade_no, toMerchant, 100, '再退');
  await rejectsWith(s.reapplyRefund(toMerchant), 'INVALID_REQUEST', { status: 400 });
  await sb.settleRefund(toMerchant, { status: 'ABNORMAL' });
  const merchant = await s.reapplyRefund(toMerchant);
  assert.deepEqual([merchant.status, JSON.parse(sb.requests.at(-1).body.toString()).type], ['PROCESSING', 'MERCHANT_BANK_CARD']);
  // A refund CLOSED gives its amount back to refund.
  const closed = s.newRefundNumber();
  await s.refund(out_trade_no, closed, 500, '全退');
  await sb.settleRefund(closed, { status: 'CLOSED' });
  assert.equal(s.refunds.get(closed).state, 'CLOSED');
  assert.equal((await s.refund(out_trade_no, s.newRefundNumber(), 500, '再来')).status, 'PROCESSING', '400 + 100 refunded, 500 left again');
  assert.deepEqual(sb.notifications.map((n) => n.event_type).filter((e) => e.startsWith('REFUND.')), ['REFUND.ABNORMAL', 'REFUND.ABNORMAL', 'REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED']);
  // A refund whose answer was lost (no refund_id heard) and whose notification says ABNORMAL: it
  // goes again under the refund_id the refund query gives.
  const other = (await s.checkout({ openid: OPENID, total: 300, description: '一杯茶' })).out_trade_no;
  await sb.pay(other);
  const lost = s.newRefundNumber();
  sb.misbehave('reset');
  await rejectsWith(s.refund(other, lost, 200, '丢了应答'), 'ERR_NETWORK');
  assert.deepEqual(s.refunds.get(lost), { out_trade_no: other, amount: 200, state: 'REQUESTED' });
  assert.equal((await sb.settleRefund(lost, { status: 'ABNORMAL' })).notification.status, 204);
  assert.equal(s.refunds.get(lost).state, 'ABNORMAL');
  assert.equal(s.refunds.get(lost).refund_id, undefined, 'the notification named no refund_id to keep');
  const reapplied = await s.reapplyRefund(lost);
  assert.equal(reapplied.status, 'PROCESSING');
  assert.equal(sb.requests.at(-1).url, `/v3/refund/domestic/refunds/${sb.refunds.get(lost).refund_id}/apply-abnormal-refund`);
  assert.equal(s.refunds.get(lost).refund_id, sb.refunds.get(lost).refund_id);
});

test('a refund whose answer was lost and whose retry is refused (429) is kept: the service has it, and its notification is handled', async () => {
  const { sb } = ctx;
  const s = shop();
  const { out_trade_no } = await s.checkout({ openid: OPENID, total: 600, description: '三块饼干' });
  await sb.pay(out_trade_no);
  const no = s.newRefundNumber();
  sb.misbehave('reset');
  await rejectsWith(s.refund(out_trade_no, no, 200, '退两块'), 'ERR_NETWORK', { attempts: 1 });
  sb.misbehave('error-429');
  await rejectsWith(s.refund(out_trade_no, no, 200, '退两块'), 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal(s.refunds.get(no)?.state, 'PROCESSING', 'asked of the service, which has it');
  const { notification } = await sb.settleRefund(no);
  assert.equal(notification.status, 204);
  assert.equal(s.refunds.get(no).state, 'SUCCESS');
  // While the service cannot be asked, the number is kept as it was.
  const other = s.newRefundNumber();
  sb.misbehave('reset');
  await rejectsWith(s.refund(out_trade_no, other, 100, '再退'), 'ERR_NETWORK', { attempts: 1 });
  sb.misbehave('error-429', 1);
  sb.misbehave('reset', 3); // the query, and its two retries
  await rejectsWith(s.refund(out_trade_no, other, 100, '再退'), 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal(s.refunds.get(other)?.state, 'REQUESTED');
  assert.equal(sb.refunds.size, 2, 'two refunds, each once');
});

/**
 * A Shop whose fetch a test steers: `route.to(url, init)` may answer in the service's place (a
 * Response) or hold a request (a promise); undefined lets it through to the sandbox.
 */
function steeredShop() {
  const route = { to: () => undefined };
  const fetch = async (url, init) => (await route.to(String(url), init)) ?? globalThis.fetch(url, init);
  return { s: shop({ fetch }), route };
}

/** An error answer as the service sends one (JSON, unsigned). */
const serviceError = (status, code, message) => new Response(JSON.stringify({ code, message }), { status, headers: { 'content-type': 'application/json' } });

test('a refused refund is forgotten only on the service\'s own 404 of that number, and two calls with one number never lose it', async () => {
  const { sb } = ctx;
  const { s, route } = steeredShop();
  const { out_trade_no } = await s.checkout({ openid: OPENID, total: 900, description: '三杯茶' });
  await sb.pay(out_trade_no, { notify: false });
  await s.query(out_trade_no);
  const queryOf = (no) => (url, init) => init.method === 'GET' && url.endsWith(`/v3/refund/domestic/refunds/${no}`);

  // A lost answer, a 429 on the retry, and a 404 of a proxy to the query: kept.
  const proxied = s.newRefundNumber();
  sb.misbehave('reset');
  await rejectsWith(s.refund(out_trade_no, proxied, 100, '退一杯'), 'ERR_NETWORK', { attempts: 1 });
  sb.misbehave('error-429');
  route.to = (url, init) => (queryOf(proxied)(url, init) ? new Response('<html>Not Found</html>', { status: 404, headers: { 'content-type': 'text/html' } }) : undefined);
  await rejectsWith(s.refund(out_trade_no, proxied, 100, '退一杯'), 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal(s.refunds.get(proxied)?.state, 'REQUESTED', 'a 404 that is not the service\'s RESOURCE_NOT_EXISTS proves nothing');
  route.to = () => undefined;

  // A 429 of the service's that took nothing (this test answers it in the service's place).
  const limited = () => serviceError(429, 'FREQUENCY_LIMITED', '频率超限');
  const postOf = (no) => (url, init) => init.method === 'POST' && url.endsWith('/v3/refund/domestic/refunds') && JSON.parse(Buffer.from(init.body).toString()).out_refund_no === no;

  // A is refused and its query finds nothing yet; B, with the same number, goes through while
  // A's query is answered: A does not forget what B has heard.
  const both = s.newRefundNumber();
  let b;
  let refusedOnce = false;
  route.to = async (url, init) => {
    if (postOf(both)(url, init) && !refusedOnce) {
      refusedOnce = true;
      return limited();
    }
    if (!queryOf(both)(url, init) || b) return undefined;
    const answer = await globalThis.fetch(url, init); // 404: nothing under that number yet
    b = s.refund(out_trade_no, both, 100, '退一杯');
    await b;
    return answer;
  };
  await rejectsWith(s.refund(out_trade_no, both, 100, '退一杯'), 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal((await b).status, 'PROCESSING');
  assert.equal(s.refunds.get(both)?.state, 'PROCESSING');

  // A forgets first (the service's own 404), then B's answer comes: B keeps it again.
  const later = s.newRefundNumber();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let posts = 0;
  route.to = async (url, init) => {
    if (!postOf(later)(url, init)) return undefined;
    if (++posts === 1) return limited();
    await held; // B's request waits until A has forgotten the number
    return undefined;
  };
  const a = s.refund(out_trade_no, later, 100, '退一杯');
  const second = s.refund(out_trade_no, later, 100, '退一杯');
  await rejectsWith(a, 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal(s.refunds.has(later), false, 'A forgot it: the service had none of that number');
  release();
  assert.equal((await second).status, 'PROCESSING');
  assert.deepEqual(s.refunds.get(later), { out_trade_no, amount: 100, state: 'PROCESSING', refund_id: sb.refunds.get(later).refund_id });
  const { notification } = await sb.settleRefund(later);
  assert.equal(notification.status, 204, 'its notification is handled');
  route.to = () => undefined;
});

test('a payout whose answer was lost and whose retry is refused is kept, as the service has it', async () => {
  const { sb } = ctx;
  const s = shop();
  const scene = { id: '1000', report: { 活动名称: '会员日', 奖励说明: '签到奖励' } };
  const no = s.newPayoutNumber();
  sb.misbehave('reset');
  await rejectsWith(s.payout(no, { openid: OPENID, amount: 300, remark: '签到', scene }), 'ERR_NETWORK', { attempts: 1 });
  sb.misbehave('error-429');
  await rejectsWith(s.payout(no, { openid: OPENID, amount: 300, remark: '签到', scene }), 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal(s.payouts.get(no)?.state, 'WAIT_USER_CONFIRM');
  assert.equal((await sb.settleTransfer(no)).notification.status, 204);
  assert.equal(s.payouts.get(no).state, 'SUCCESS');
});

test('a notification that comes before its request\'s answer keeps what it said; a 5xx is no refusal; a 400 naming no refund proves nothing', async () => {
  const { sb } = ctx;
  const { s, route } = steeredShop();
  const { out_trade_no } = await s.checkout({ openid: OPENID, total: 1000, description: '十块饼干' });
  await sb.pay(out_trade_no);
  const isPost = (path) => (url, init) => init.method === 'POST' && new URL(url).pathname === path;

  // The refund succeeds, and its notification is handled, before its answer (PROCESSING) arrives.
  const first = s.newRefundNumber();
  route.to = async (url, init) => {
    if (!isPost('/v3/refund/domestic/refunds')(url, init)) return undefined;
    const answer = await globalThis.fetch(url, init);
    assert.equal((await sb.settleRefund(first)).notification.status, 204);
    return answer;
  };
  assert.equal((await s.refund(out_trade_no, first, 100, '退一块')).status, 'PROCESSING');
  assert.equal(s.refunds.get(first).state, 'SUCCESS', 'the notification said more than the answer');

  // The same for a payout.
  const scene = { id: '1000', report: { 活动名称: '会员日', 奖励说明: '签到奖励' } };
  const payoutNo = s.newPayoutNumber();
  route.to = async (url, init) => {
    if (!isPost('/v3/fund-app/mch-transfer/transfer-bills')(url, init)) return undefined;
    const answer = await globalThis.fetch(url, init);
    assert.equal((await sb.settleTransfer(payoutNo)).notification.status, 204);
    return answer;
  };
  assert.equal((await s.payout(payoutNo, { openid: OPENID, amount: 100, remark: '签到', scene })).state, 'WAIT_USER_CONFIRM');
  assert.equal(s.payouts.get(payoutNo).state, 'SUCCESS');

  // A 500 from the service is no refusal: the refund is kept, and nothing is asked.
  const unknown = s.newRefundNumber();
  const asked = [];
  route.to = (url, init) => {
    if (init.method === 'GET') asked.push(url);
    if (!isPost('/v3/refund/domestic/refunds')(url, init)) return undefined;
    return serviceError(500, 'SYSTEM_ERROR', '系统错误');
  };
  await rejectsWith(s.refund(out_trade_no, unknown, 100, '退一块'), 'SYSTEM_ERROR', { status: 500 });
  assert.deepEqual([s.refunds.get(unknown)?.state, asked.length], ['REQUESTED', 0]);

  // A refusal, then a query answered 400 with the not-found code: no proof the refund is not there.
  const odd = s.newRefundNumber();
  route.to = (url, init) => {
    if (isPost('/v3/refund/domestic/refunds')(url, init)) return serviceError(429, 'FREQUENCY_LIMITED', '频率超限');
    if (init.method === 'GET' && url.endsWith(`/v3/refund/domestic/refunds/${odd}`)) return serviceError(400, 'RESOURCE_NOT_EXISTS', '?');
    return undefined;
  };
  await rejectsWith(s.refund(out_trade_no, odd, 100, '退一块'), 'FREQUENCY_LIMITED', { status: 429 });
  assert.equal(s.refunds.get(odd)?.state, 'REQUESTED');
  route.to = () => undefined;
});
