// The sandbox's order and sensitive-field routes (payments.mjs), and download URLs on the host it
// answers for (publicBaseURL), judged with node:crypto alone.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { startSandbox } from './server.mjs';
import { requestMessage, nonce } from './auth.mjs';

let sb;
before(async () => { sb = await startSandbox({ publicBaseURL: 'https://api.mch.weixin.qq.com/' }); });
after(async () => { await sb.close(); });

const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };

async function call(method, path, data, headers = {}) {
  const body = data === undefined ? '' : JSON.stringify(data);
  const ts = Math.floor(Date.now() / 1000);
  const n = nonce();
  const sig = crypto.sign('sha256', requestMessage(method, path, ts, n, Buffer.from(body)), sb.merchant.privateKeyPkcs8).toString('base64');
  const r = await fetch(new URL(path, sb.baseURL), {
    method, body: data === undefined ? undefined : body,
    headers: { ...headers, 'content-type': 'application/json', authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${sb.mchid}",serial_no="${sb.merchant.serial}",timestamp="${ts}",nonce_str="${n}",signature="${sig}"` },
  });
  return { status: r.status, json: r.status === 204 ? undefined : await r.json() };
}

const ORDER = { appid: 'wx8888888888888888', mchid: '1900000109', description: 'x', out_trade_no: 'o1', notify_url: 'https://example.com/n', amount: { total: 1 }, payer: { openid: 'op' } };

test('a JSAPI order answers a prepay_id; a malformed one PARAM_ERROR naming the field', async () => {
  const ok = await call('POST', '/v3/pay/transactions/jsapi', ORDER);
  assert.equal(ok.status, 200);
  assert.match(ok.json.prepay_id, /^wx[0-9a-f]{32}$/);
  assert.equal(sb.prepays.get(ok.json.prepay_id).out_trade_no, 'o1');
  const bad = await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, payer: {} });
  assert.deepEqual([bad.status, bad.json.code, bad.json.detail.field], [400, 'PARAM_ERROR', 'payer.openid']);
  const other = await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, mchid: '1900000110' });
  assert.deepEqual([other.status, other.json.detail.field], [400, 'mchid']);
});

test('a receiver name encrypted under the platform key is answered encrypted under the merchant key', async () => {
  const name = crypto.publicEncrypt({ key: sb.platform.publicKeySpki, ...OAEP }, Buffer.from('张三')).toString('base64');
  const receiver = { appid: 'wx8888888888888888', type: 'PERSONAL_OPENID', account: 'op', relation_type: 'USER', name };
  const ok = await call('POST', '/v3/profitsharing/receivers/add', receiver, { 'wechatpay-serial': sb.platform.serial });
  assert.equal(ok.status, 200);
  assert.equal(crypto.privateDecrypt({ key: sb.merchant.privateKeyPkcs8, ...OAEP }, Buffer.from(ok.json.name, 'base64')).toString(), '张三');
  const noSerial = await call('POST', '/v3/profitsharing/receivers/add', receiver);
  assert.deepEqual([noSerial.status, noSerial.json.detail.field], [400, 'Wechatpay-Serial']);
  const plain = await call('POST', '/v3/profitsharing/receivers/add', { ...receiver, name: '张三' }, { 'wechatpay-serial': sb.platform.serial });
  assert.deepEqual([plain.status, plain.json.detail.field], [400, 'name']);
});

test('with publicBaseURL, download URLs are on that host', async () => {
  const answer = await call('GET', '/v3/bill/tradebill?bill_date=2024-01-02');
  assert.match(answer.json.download_url, /^https:\/\/api\.mch\.weixin\.qq\.com\/v3\/billdownload\/file\?token=[0-9a-f]{24}$/);
});

test('an order is kept NOTPAY, queried by out_trade_no (mchid required), paid by pay(), refunded once per out_refund_no', async () => {
  const order = { ...ORDER, out_trade_no: 'day1', amount: { total: 500 } };
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', order)).status, 200);
  const q = await call('GET', `/v3/pay/transactions/out-trade-no/day1?mchid=${sb.mchid}`);
  assert.deepEqual([q.status, q.json.trade_state, q.json.amount.total, q.json.payer.openid], [200, 'NOTPAY', 500, 'op']);
  assert.ok(!('notify_url' in q.json) && !Object.keys(q.json).some((k) => k.endsWith('$')), 'only what the service answers');
  assert.deepEqual((await call('GET', '/v3/pay/transactions/out-trade-no/day1')).json.detail, { field: 'mchid', location: 'query' });
  assert.equal((await call('GET', `/v3/pay/transactions/out-trade-no/nope?mchid=${sb.mchid}`)).json.code, 'ORDER_NOT_EXIST');
  const refundOf = (out_refund_no, refund) => call('POST', '/v3/refund/domestic/refunds', { out_trade_no: 'day1', out_refund_no, amount: { refund, total: 500, currency: 'CNY' } });
  assert.deepEqual([(await refundOf('r0', 1)).status, (await refundOf('r0', 1)).json.code], [403, 'NOT_ENOUGH'], 'an unpaid order has nothing to refund');
  const { transaction, notification } = await sb.pay('day1', { notify: false });
  assert.equal(notification, undefined);
  const byId = await call('GET', `/v3/pay/transactions/id/${transaction.transaction_id}?mchid=${sb.mchid}`);
  assert.deepEqual([byId.json.trade_state, byId.json.out_trade_no, byId.json.amount.payer_total], ['SUCCESS', 'day1', 500]);
  const wrongTotal = await call('POST', '/v3/refund/domestic/refunds', { out_trade_no: 'day1', out_refund_no: 'rx', amount: { refund: 1, total: 499, currency: 'CNY' } });
  assert.deepEqual([wrongTotal.status, wrongTotal.json.detail.field], [400, 'amount.total'], "the order's total, not another");
  const r1 = await refundOf('r1', 200);
  assert.deepEqual([r1.status, r1.json.status, r1.json.amount.refund], [200, 'PROCESSING', 200]);
  assert.equal((await refundOf('r1', 200)).json.refund_id, r1.json.refund_id, 'the same out_refund_no: the same refund');
  assert.equal((await refundOf('r2', 301)).json.code, 'NOT_ENOUGH', '200 of 500 refunded: 300 left');
  const { resource } = await sb.settleRefund('r1');
  assert.deepEqual([resource.refund_status, resource.mchid, resource.amount.payer_refund], ['SUCCESS', sb.mchid, 200]);
  assert.equal((await call('GET', '/v3/refund/domestic/refunds/r1')).json.status, 'SUCCESS');
  assert.equal((await call('GET', '/v3/refund/domestic/refunds/r9')).status, 404);
  const close = await call('POST', '/v3/pay/transactions/out-trade-no/day1/close', { mchid: sb.mchid });
  assert.deepEqual([close.status, close.json.code], [400, 'ORDERPAID']);
});

test('an out_trade_no again: the same order gets a new prepay_id; another amount INVALID_REQUEST; a closed one ORDERCLOSED', async () => {
  const order = { ...ORDER, out_trade_no: 'again1', amount: { total: 700 } };
  const first = await call('POST', '/v3/pay/transactions/jsapi', order);
  const second = await call('POST', '/v3/pay/transactions/jsapi', order);
  assert.deepEqual([first.status, second.status], [200, 200]);
  assert.notEqual(first.json.prepay_id, second.json.prepay_id);
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...order, amount: { total: 1 } })).json.code, 'INVALID_REQUEST');
  assert.equal(sb.orders.get('again1').amount.total, 700, 'the order kept');
  const closing = await fetch(new URL('/v3/pay/transactions/out-trade-no/again1/close', sb.baseURL), { method: 'POST' });
  assert.equal(closing.status, 401, 'unsigned: refused');
  sb.orders.get('again1').trade_state = 'CLOSED';
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', order)).json.code, 'ORDERCLOSED');
});

const SUB = '1900000110';
const PARTNER_ORDER = {
  sp_appid: 'wx8888888888888888', sp_mchid: '1900000109', sub_mchid: SUB, description: 'x',
  notify_url: 'https://example.com/n', amount: { total: 1000 }, payer: { sp_openid: 'sp-op' },
  settle_info: { profit_sharing: true },
};

test("a partner's order: its sub-merchant's numbers, queried with sp_mchid and sub_mchid, refunded with sub_mchid", async () => {
  const placed = await call('POST', '/v3/pay/partner/transactions/jsapi', { ...PARTNER_ORDER, out_trade_no: 'p1' });
  assert.equal(placed.status, 200);
  for (const [change, field] of [[{ sub_mchid: '1900000999' }, 'sub_mchid'], [{ sp_mchid: '1900000110' }, 'sp_mchid'], [{ payer: {} }, 'payer.sp_openid'], [{ payer: { sub_openid: 'so' } }, 'sub_appid'], [{ sp_appid: '' }, 'sp_appid']]) {
    const bad = await call('POST', '/v3/pay/partner/transactions/jsapi', { ...PARTNER_ORDER, out_trade_no: 'p-bad', ...change });
    assert.deepEqual([bad.status, bad.json.code, bad.json.detail.field], [400, 'PARAM_ERROR', field], JSON.stringify(change));
  }
  // A direct order of the same number is another order: the sub-merchant numbers its own.
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'p1', amount: { total: 3 } })).status, 200);
  const q = `sp_mchid=${sb.mchid}&sub_mchid=${SUB}`;
  const got = await call('GET', `/v3/pay/partner/transactions/out-trade-no/p1?${q}`);
  assert.deepEqual([got.status, got.json.sub_mchid, got.json.sp_appid, got.json.trade_state, got.json.amount.total, got.json.payer], [200, SUB, PARTNER_ORDER.sp_appid, 'NOTPAY', 1000, { sp_openid: 'sp-op' }]);
  assert.ok(!('mchid' in got.json) && !Object.keys(got.json).some((k) => k.endsWith('$')));
  assert.equal((await call('GET', `/v3/pay/partner/transactions/out-trade-no/p1?sp_mchid=${sb.mchid}`)).json.detail.field, 'sub_mchid');
  assert.equal((await call('GET', `/v3/pay/transactions/out-trade-no/p1?mchid=${sb.mchid}`)).json.amount.total, 3, 'the direct order');
  const { transaction } = await sb.pay('p1', { sub_mchid: SUB, notify: false });
  assert.deepEqual([transaction.sub_mchid, transaction.trade_state], [SUB, 'SUCCESS']);
  assert.equal((await call('GET', `/v3/pay/partner/transactions/id/${transaction.transaction_id}?${q}`)).json.out_trade_no, 'p1');
  assert.equal((await call('GET', `/v3/pay/transactions/id/${transaction.transaction_id}?mchid=${sb.mchid}`)).status, 404, "not the direct merchant's");
  assert.equal((await call('POST', '/v3/pay/partner/transactions/out-trade-no/p1/close', { sp_mchid: sb.mchid })).json.detail.field, 'sub_mchid');
  const closed = await call('POST', '/v3/pay/partner/transactions/out-trade-no/p1/close', { sp_mchid: sb.mchid, sub_mchid: SUB });
  assert.deepEqual([closed.status, closed.json.code], [400, 'ORDERPAID']);
  const refund = { out_trade_no: 'p1', out_refund_no: 'pr1', amount: { refund: 100, total: 1000, currency: 'CNY' }, notify_url: 'https://example.com/r' };
  assert.equal((await call('POST', '/v3/refund/domestic/refunds', refund)).status, 403, 'without sub_mchid: the direct order (unpaid)');
  const r = await call('POST', '/v3/refund/domestic/refunds', { ...refund, sub_mchid: SUB });
  assert.deepEqual([r.status, r.json.status, r.json.amount.refund], [200, 'PROCESSING', 100]);
  assert.equal((await call('GET', `/v3/refund/domestic/refunds/pr1?sub_mchid=${SUB}`)).json.refund_id, r.json.refund_id);
  assert.equal((await call('GET', '/v3/refund/domestic/refunds/pr1')).status, 404, 'the direct merchant has no refund pr1');
  assert.equal((await call('POST', '/v3/refund/domestic/refunds', { ...refund, sub_mchid: SUB })).json.refund_id, r.json.refund_id, 'the same out_refund_no: the same refund');
  // The direct merchant's out_refund_no pr1 is another refund, of its own order.
  await sb.pay('p1', { notify: false });
  const direct = await call('POST', '/v3/refund/domestic/refunds', { ...refund, amount: { refund: 1, total: 3, currency: 'CNY' } });
  assert.deepEqual([direct.status, direct.json.amount.total], [200, 3]);
  assert.notEqual(direct.json.refund_id, r.json.refund_id);
  const { resource } = await sb.settleRefund('pr1', { sub_mchid: SUB, notify: false });
  assert.deepEqual([resource.sp_mchid, resource.sub_mchid, 'mchid' in resource], [sb.mchid, SUB, false]);
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: `${SUB}/p1` })).json.detail.field, 'out_trade_no', "no '/': a direct number never reads as a sub-merchant's");
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'p|1' })).json.detail.field, 'out_trade_no', "'|' is a refund number's, not an order's");
  const unpaid = await call('POST', '/v3/pay/partner/transactions/app', { ...PARTNER_ORDER, out_trade_no: 'p2', payer: undefined });
  assert.equal(unpaid.status, 200);
  assert.equal((await call('POST', '/v3/pay/partner/transactions/out-trade-no/p2/close', { sp_mchid: sb.mchid, sub_mchid: SUB })).status, 204);
});

const COMBINE = {
  combine_appid: 'wx8888888888888888', combine_mchid: '1900000109', notify_url: 'https://example.com/c',
  combine_payer_info: { openid: 'op-c' },
  sub_orders: [
    { mchid: '1900000109', attach: 'a', out_trade_no: 'c1-a', description: 'x', amount: { total_amount: 300, currency: 'CNY' } },
    { mchid: '1900000109', attach: 'b', out_trade_no: 'c1-b', description: 'y', amount: { total_amount: 200, currency: 'CNY' } },
  ],
};

test('合单: one payment of several sub-orders, queried whole, each sub-order refunded as an order; not an order of the ordinary query and close', async () => {
  const placed = await call('POST', '/v3/combine-transactions/jsapi', { ...COMBINE, combine_out_trade_no: 'c1' });
  assert.equal(placed.status, 200);
  assert.match(placed.json.prepay_id, /^wx[0-9a-f]{32}$/);
  const sub = (i, change) => ({ ...COMBINE, combine_out_trade_no: 'c-bad', sub_orders: COMBINE.sub_orders.map((o, j) => (j === i ? { ...o, out_trade_no: `c-bad-${j}`, ...change } : { ...o, out_trade_no: `c-bad-${j}` })) });
  for (const [body, field, path = 'jsapi'] of [
    [{ ...COMBINE, combine_out_trade_no: 'c-bad', combine_payer_info: {} }, 'combine_payer_info.openid'],
    [{ ...COMBINE, combine_out_trade_no: 'c-bad' }, 'scene_info.payer_client_ip', 'h5'],
    [{ ...COMBINE, combine_out_trade_no: 'c-bad', scene_info: { payer_client_ip: '1.2.3.4', h5_info: { type: 'Wap' } } }, 'scene_info.device_id', 'h5'],
    [{ ...COMBINE, combine_out_trade_no: 'c-bad', scene_info: { payer_client_ip: '1.2.3.4', device_id: 'd' } }, 'scene_info.h5_info.type', 'h5'],
    [{ ...COMBINE, combine_out_trade_no: 'c-bad', combine_mchid: '1900000110' }, 'combine_mchid'],
    [{ ...COMBINE, combine_out_trade_no: 'c|bad' }, 'combine_out_trade_no'],
    [{ ...COMBINE, combine_out_trade_no: 'c-bad', sub_orders: [] }, 'sub_orders'],
    [{ ...COMBINE, combine_out_trade_no: 'c-bad', sub_orders: Array.from({ length: 51 }, (_, i) => ({ ...COMBINE.sub_orders[0], out_trade_no: `c-bad-${i}` })) }, 'sub_orders'],
    [sub(1, { mchid: '1900000110' }), 'sub_orders[1].mchid'],
    [sub(0, { attach: undefined }), 'sub_orders[0].attach'],
    [sub(1, { amount: { total_amount: 0, currency: 'CNY' } }), 'sub_orders[1].amount.total_amount'],
    [sub(1, { amount: { total_amount: 1 } }), 'sub_orders[1].amount.currency'],
    [sub(1, { out_trade_no: 'c-bad-0' }), 'sub_orders[1].out_trade_no'],
    [sub(0, { sub_mchid: '1900000999' }), 'sub_orders[0].sub_mchid'],
  ]) {
    const bad = await call('POST', `/v3/combine-transactions/${path}`, body);
    assert.deepEqual([bad.status, bad.json.code, bad.json.detail.field], [400, 'PARAM_ERROR', field], `${path} ${field}`);
  }
  assert.equal((await call('POST', '/v3/combine-transactions/miniprogram', { ...COMBINE, combine_out_trade_no: 'c-mp' })).json.code, 'RESOURCE_NOT_EXISTS', "个人收款's route: not served");
  const h5 = await call('POST', '/v3/combine-transactions/h5', { ...COMBINE, combine_out_trade_no: 'c-h5', scene_info: { payer_client_ip: '1.2.3.4', device_id: 'd', h5_info: { type: 'Wap' } }, sub_orders: COMBINE.sub_orders.map((o) => ({ ...o, out_trade_no: `h5-${o.attach}` })) });
  assert.match(h5.json.h5_url, /^https:\/\/wx\.tenpay\.com\//);
  // The same combine_out_trade_no: the same payment again, or nothing.
  assert.equal((await call('POST', '/v3/combine-transactions/jsapi', { ...COMBINE, combine_out_trade_no: 'c1' })).status, 200);
  for (const [what, other, kind = 'jsapi'] of [
    ['another amount', { sub_orders: [COMBINE.sub_orders[0], { ...COMBINE.sub_orders[1], amount: { total_amount: 201, currency: 'CNY' } }] }],
    ['fewer sub-orders', { sub_orders: [COMBINE.sub_orders[0]] }],
    ['another appid', { combine_appid: 'wx9999999999999999' }],
    ['another kind', {}, 'native'],
  ]) assert.equal((await call('POST', `/v3/combine-transactions/${kind}`, { ...COMBINE, combine_out_trade_no: 'c1', ...other })).json.code, 'INVALID_REQUEST', what);
  // A sub-order's number is taken: by another combined order, and by an ordinary order.
  assert.equal((await call('POST', '/v3/combine-transactions/app', { ...COMBINE, combine_out_trade_no: 'c2' })).json.code, 'INVALID_REQUEST');
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'c1-a', amount: { total: 300 } })).json.code, 'INVALID_REQUEST');
  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'c-bad-0' })).status, 200, 'a refused combined order keeps no sub-order');

  const got = await call('GET', '/v3/combine-transactions/out-trade-no/c1');
  assert.equal(got.status, 200);
  assert.deepEqual([got.json.combine_mchid, got.json.combine_appid, got.json.combine_payer_info], [sb.mchid, COMBINE.combine_appid, { openid: 'op-c' }]);
  assert.deepEqual(got.json.sub_orders.map((o) => [o.mchid, o.out_trade_no, o.trade_state, o.trade_type, o.attach, o.amount]),
    [[sb.mchid, 'c1-a', 'NOTPAY', 'JSAPI', 'a', { total_amount: 300, currency: 'CNY', payer_amount: 0 }], [sb.mchid, 'c1-b', 'NOTPAY', 'JSAPI', 'b', { total_amount: 200, currency: 'CNY', payer_amount: 0 }]]);
  assert.deepEqual(sb.orders.get('c1-a').payer, { openid: 'op-c' });
  assert.ok(!JSON.stringify(got.json).includes('$'));
  assert.match(got.json.combine_transaction_id, /^\d{28}$/);
  assert.equal((await call('GET', `/v3/combine-transactions/id/${got.json.combine_transaction_id}`)).json.code, 'RESOURCE_NOT_EXISTS', "个人收款's route: not served");
  assert.equal((await call('GET', '/v3/combine-transactions/out-trade-no/nope')).json.code, 'ORDER_NOT_EXIST');
  assert.equal((await call('GET', `/v3/pay/transactions/out-trade-no/c1-a?mchid=${sb.mchid}`)).json.code, 'ORDER_NOT_EXIST', 'a sub-order is not an ordinary order');
  assert.equal((await call('POST', '/v3/pay/transactions/out-trade-no/c1-a/close', { mchid: sb.mchid })).json.code, 'ORDER_NOT_EXIST');
  await assert.rejects(sb.pay('c1-a', { notify: false }), /sub-order of c1/);

  const { resource } = await sb.payCombine('c1', { notify: false });
  assert.deepEqual(resource.sub_orders.map((o) => [o.trade_state, o.bank_type, o.amount.payer_amount, o.amount.payer_currency]), [['SUCCESS', 'OTHERS', 300, 'CNY'], ['SUCCESS', 'OTHERS', 200, 'CNY']]);
  assert.ok(resource.sub_orders.every((o) => /^42000000\d{20}$/.test(o.transaction_id) && o.success_time));
  assert.deepEqual((await call('GET', '/v3/combine-transactions/out-trade-no/c1')).json, resource, 'the notification\'s resource is the query\'s answer');
  await assert.rejects(sb.payCombine('c1', { notify: false }), /is SUCCESS/);
  const closing = { combine_appid: COMBINE.combine_appid, sub_orders: COMBINE.sub_orders.map(({ mchid, out_trade_no }) => ({ mchid, out_trade_no })) };
  assert.equal((await call('POST', '/v3/combine-transactions/out-trade-no/c1/close', closing)).json.code, 'ORDERPAID');
  assert.equal((await call('POST', '/v3/combine-transactions/jsapi', { ...COMBINE, combine_out_trade_no: 'c1' })).json.code, 'ORDERPAID');

  // A sub-order is refunded as an order: its own total, its own transaction.
  const refund = { transaction_id: resource.sub_orders[1].transaction_id, out_refund_no: 'cr1', amount: { refund: 200, total: 200, currency: 'CNY' } };
  const r = await call('POST', '/v3/refund/domestic/refunds', refund);
  assert.deepEqual([r.status, r.json.out_trade_no, r.json.amount.total], [200, 'c1-b', 200]);
  assert.equal((await call('POST', '/v3/refund/domestic/refunds', { ...refund, out_refund_no: 'cr2', amount: { refund: 1, total: 500, currency: 'CNY' } })).json.detail.field, 'amount.total', 'not the combined total');
  assert.equal((await call('GET', '/v3/combine-transactions/out-trade-no/c1')).json.sub_orders[1].trade_state, 'REFUND');
  assert.equal((await call('POST', '/v3/combine-transactions/out-trade-no/c1/close', closing)).json.code, 'ORDERPAID', 'refunded is paid');
  assert.equal((await call('GET', `/v3/profitsharing/transactions/${resource.sub_orders[0].transaction_id}/amounts`)).json.unsplit_amount, 0, 'placed without sharing: nothing to share');

  // Closing names every sub-order; then all are CLOSED, and the number answers ORDERCLOSED.
  await call('POST', '/v3/combine-transactions/native', { ...COMBINE, combine_out_trade_no: 'c3', sub_orders: COMBINE.sub_orders.map((o) => ({ ...o, out_trade_no: `c3-${o.attach}` })) });
  const closing3 = { combine_appid: COMBINE.combine_appid, sub_orders: [{ mchid: sb.mchid, out_trade_no: 'c3-a' }, { mchid: sb.mchid, out_trade_no: 'c3-b' }] };
  assert.equal((await call('POST', '/v3/combine-transactions/out-trade-no/c3/close', { ...closing3, sub_orders: closing3.sub_orders.slice(1) })).json.detail.field, 'sub_orders');
  assert.equal((await call('POST', '/v3/combine-transactions/out-trade-no/c3/close', { ...closing3, sub_orders: [...closing3.sub_orders, { mchid: sb.mchid, out_trade_no: 'c1-a' }] })).json.detail.field, 'sub_orders', 'another order named too');
  assert.equal((await call('POST', '/v3/combine-transactions/out-trade-no/c3/close', { ...closing3, combine_appid: 'wx0' })).json.detail.field, 'combine_appid');
  assert.equal((await call('POST', '/v3/combine-transactions/out-trade-no/c3/close', closing3)).status, 204);
  assert.deepEqual((await call('GET', '/v3/combine-transactions/out-trade-no/c3')).json.sub_orders.map((o) => [o.trade_state, o.trade_type]), [['CLOSED', 'NATIVE'], ['CLOSED', 'NATIVE']]);
  assert.equal((await call('POST', '/v3/combine-transactions/native', { ...COMBINE, combine_out_trade_no: 'c3', sub_orders: closing3.sub_orders.map((o, i) => ({ ...COMBINE.sub_orders[i], ...o })) })).json.code, 'ORDERCLOSED');
  await assert.rejects(sb.payCombine('c3', { notify: false }), /is CLOSED/);
});

test("合单 for a partner: each sub-order a sub-merchant's, numbered by it, refunded with sub_mchid", async () => {
  const body = {
    ...COMBINE, combine_out_trade_no: 'pc1',
    // The first by settle_info, the second by the sub-order's own field (settle_info's outweighs it).
    sub_orders: COMBINE.sub_orders.map((o, i) => ({ ...o, sub_mchid: SUB, sub_appid: 'wx_sub', ...(i === 0 ? { settle_info: { profit_sharing: true }, profit_sharing: false } : { profit_sharing: true }) })),
  };
  const jsapi = await call('POST', '/v3/combine-transactions/jsapi', { ...body, combine_out_trade_no: 'pc0', combine_payer_info: { sub_openid: 'sub-op' }, sub_orders: body.sub_orders.map((o) => ({ ...o, out_trade_no: `pc0-${o.attach}` })) });
  assert.equal(jsapi.status, 200);
  assert.deepEqual(sb.orders.get(`${SUB}/pc0-a`).payer, { sub_openid: 'sub-op' });
  await call('POST', '/v3/combine-transactions/jsapi', { ...body, combine_out_trade_no: 'pc00', sub_orders: body.sub_orders.map((o) => ({ ...o, out_trade_no: `pc00-${o.attach}` })) });
  assert.deepEqual(sb.orders.get(`${SUB}/pc00-a`).payer, { sp_openid: 'op-c' }, "the partner's payer: openid under combine_appid");
  // A sub-merchant's sub-order is closed by its number with its sub_mchid.
  const pcClose = { combine_appid: COMBINE.combine_appid, sub_orders: ['pc0-a', 'pc0-b'].map((out_trade_no) => ({ mchid: sb.mchid, out_trade_no })) };
  assert.equal((await call('POST', '/v3/combine-transactions/out-trade-no/pc0/close', pcClose)).json.detail.field, 'sub_orders');
  assert.equal((await call('POST', '/v3/combine-transactions/out-trade-no/pc0/close', { ...pcClose, sub_orders: pcClose.sub_orders.map((o) => ({ ...o, sub_mchid: SUB })) })).status, 204);
  assert.equal((await call('POST', '/v3/combine-transactions/app', { ...body, combine_payer_info: undefined })).status, 200);
  assert.ok(sb.orders.has(`${SUB}/c1-a`) && sb.orders.get(`${SUB}/c1-a`).combine$ === 'pc1', "the sub-merchant's own number c1-a, beside the direct c1-a");
  const { resource } = await sb.payCombine('pc1', { notify: false });
  assert.deepEqual(resource.sub_orders.map((o) => [o.mchid, o.sub_mchid, o.sub_appid, o.trade_type]), [[sb.mchid, SUB, 'wx_sub', 'APP'], [sb.mchid, SUB, 'wx_sub', 'APP']]);
  assert.equal('combine_payer_info' in resource, false, 'an APP order names no payer');
  const refund = { sub_mchid: SUB, out_trade_no: 'c1-a', out_refund_no: 'pcr1', amount: { refund: 10, total: 300, currency: 'CNY' } };
  assert.equal((await call('POST', '/v3/refund/domestic/refunds', refund)).json.out_trade_no, 'c1-a');
  assert.equal((await call('GET', `/v3/profitsharing/transactions/${resource.sub_orders[0].transaction_id}/amounts`)).json.unsplit_amount, 290, 'a sub-order placed for sharing can be shared');
  assert.equal((await call('GET', `/v3/profitsharing/transactions/${resource.sub_orders[1].transaction_id}/amounts`)).json.unsplit_amount, 200, "by the sub-order's own profit_sharing too");
});

test('profit sharing: added receivers only, at most 30% in all, PROCESSING until settled, then unfreeze the rest', async () => {
  await call('POST', '/v3/pay/partner/transactions/jsapi', { ...PARTNER_ORDER, out_trade_no: 'ps1' });
  const { transaction } = await sb.pay('ps1', { sub_mchid: SUB, notify: false });
  const tid = transaction.transaction_id;
  const seal = (text) => crypto.publicEncrypt({ key: sb.platform.publicKeySpki, ...OAEP }, Buffer.from(text)).toString('base64');
  const name = seal('张三');
  const serial = { 'wechatpay-serial': sb.platform.serial };
  const share = (out_order_no, receivers, more = {}) => call('POST', '/v3/profitsharing/orders', { sub_mchid: SUB, appid: PARTNER_ORDER.sp_appid, transaction_id: tid, out_order_no, receivers, unfreeze_unsplit: false, ...more }, serial);
  const alice = { type: 'PERSONAL_OPENID', account: 'alice', amount: 100, description: '分给张三', name };
  assert.equal((await share('s1', [alice])).json.code, 'INVALID_REQUEST', 'not yet a receiver');
  const added = await call('POST', '/v3/profitsharing/receivers/add', { sub_mchid: SUB, appid: PARTNER_ORDER.sp_appid, type: 'PERSONAL_OPENID', account: 'alice', relation_type: 'PARTNER', name }, serial);
  assert.deepEqual([added.status, added.json.sub_mchid], [200, SUB]);
  const shop = { type: 'MERCHANT_ID', account: '1900000111', amount: 150, description: '分给门店' };
  const store = { sub_mchid: SUB, appid: PARTNER_ORDER.sp_appid, type: 'MERCHANT_ID', account: '1900000111', relation_type: 'STORE' };
  assert.equal((await call('POST', '/v3/profitsharing/receivers/add', store)).json.detail.field, 'name', "a merchant receiver's full name is required");
  assert.equal((await call('POST', '/v3/profitsharing/receivers/add', { ...store, type: 'PERSONAL_SUB_OPENID', name: undefined })).json.detail.field, 'sub_appid');
  assert.equal((await call('POST', '/v3/profitsharing/receivers/add', { ...store, name: seal('某某门店有限公司') }, serial)).status, 200);
  assert.equal((await share('s1', [{ ...alice, name: seal('李四') }])).json.detail.field, 'receivers[0].name');
  assert.equal((await share('s/1', [alice])).json.detail.field, 'out_order_no', 'a number of the allowed characters only');
  assert.equal((await share('s1', [{ ...alice, type: 'PERSONAL_SUB_OPENID', name: undefined }])).json.detail.field, 'sub_appid', "a sub_openid is the sub_appid's");
  // Too soon after the payment: the service has not settled it.
  sb.profitSharingDelayMs = 60_000;
  assert.equal((await share('s1', [alice, shop])).json.code, 'INVALID_REQUEST');
  sb.profitSharingDelayMs = 0;
  const s1 = await share('s1', [alice, shop]);
  assert.deepEqual([s1.status, s1.json.state, s1.json.receivers.map((r) => r.result)], [200, 'PROCESSING', ['PENDING', 'PENDING']]);
  assert.equal((await share('s1', [alice, shop])).json.order_id, s1.json.order_id, 'the same out_order_no: the same order');
  assert.equal((await share('s1', [alice, shop], { transaction_id: '4200000000000000000000000001' })).json.code, 'INVALID_REQUEST', 'not for another order');
  // At most 300 (30% of 1000) in all: 250 shared, 51 more refused, exactly 50 more taken.
  assert.equal((await share('s2', [{ ...shop, amount: 51 }])).json.code, 'NOT_ENOUGH');
  assert.equal((await share('s2', [{ ...shop, amount: 50 }])).status, 200);
  const amounts = await call('GET', `/v3/profitsharing/transactions/${tid}/amounts`);
  assert.equal(amounts.json.unsplit_amount, 700);
  assert.equal((await call('POST', '/v3/profitsharing/orders/unfreeze', { sub_mchid: SUB, transaction_id: tid, out_order_no: 'u1', description: '解冻' })).json.code, 'INVALID_REQUEST', 'not while s1 is processing');
  sb.settleProfitSharing('s1', { sub_mchid: SUB });
  sb.settleProfitSharing('s2', { sub_mchid: SUB });
  const q = await call('GET', `/v3/profitsharing/orders/s1?sub_mchid=${SUB}&transaction_id=${tid}`);
  assert.deepEqual([q.json.state, q.json.receivers.map((r) => r.result)], ['FINISHED', ['SUCCESS', 'SUCCESS']]);
  assert.equal((await call('GET', `/v3/profitsharing/orders/s1?sub_mchid=${SUB}`)).json.detail.field, 'transaction_id');
  assert.equal((await call('GET', `/v3/profitsharing/orders/s1?sub_mchid=${SUB}&transaction_id=42000000000000000000000000000`)).status, 404, "another order's");
  assert.equal((await call('GET', `/v3/profitsharing/orders/s1?transaction_id=${tid}`)).status, 404, "not the direct merchant's");
  const refund = { sub_mchid: SUB, out_trade_no: 'ps1', amount: { refund: 701, total: 1000, currency: 'CNY' } };
  assert.equal((await call('POST', '/v3/refund/domestic/refunds', { ...refund, out_refund_no: 'psr1' })).json.code, 'NOT_ENOUGH', '300 of 1000 shared: 700 left');
  const u = await call('POST', '/v3/profitsharing/orders/unfreeze', { sub_mchid: SUB, transaction_id: tid, out_order_no: 'u1', description: '解冻' });
  assert.deepEqual([u.json.state, u.json.receivers[0].amount, u.json.receivers[0].account], ['FINISHED', 700, SUB]);
  assert.equal((await share('s3', [{ ...shop, amount: 1 }])).json.code, 'INVALID_REQUEST', 'unfrozen: nothing to share');
  assert.equal((await call('GET', `/v3/profitsharing/transactions/${tid}/amounts`)).json.unsplit_amount, 0);
  // An order placed without settle_info.profit_sharing is not shared.
  await call('POST', '/v3/pay/partner/transactions/jsapi', { ...PARTNER_ORDER, out_trade_no: 'ps2', settle_info: undefined });
  const plain = await sb.pay('ps2', { sub_mchid: SUB, notify: false });
  assert.equal((await share('s4', [shop], { transaction_id: plain.transaction.transaction_id })).json.code, 'INVALID_REQUEST');
  // A share that unfreezes the rest: no other share while it is processing, none after it.
  await call('POST', '/v3/pay/partner/transactions/jsapi', { ...PARTNER_ORDER, out_trade_no: 'ps3' });
  const third = (await sb.pay('ps3', { sub_mchid: SUB, notify: false })).transaction.transaction_id;
  assert.equal((await share('s5', [shop], { transaction_id: third, unfreeze_unsplit: true })).json.state, 'PROCESSING');
  assert.equal((await share('s6', [{ ...shop, amount: 1 }], { transaction_id: third })).json.code, 'INVALID_REQUEST');
  sb.settleProfitSharing('s5', { sub_mchid: SUB });
  assert.equal((await call('GET', `/v3/profitsharing/transactions/${third}/amounts`)).json.unsplit_amount, 0);
  assert.equal((await share('s6', [{ ...shop, amount: 1 }], { transaction_id: third })).json.code, 'INVALID_REQUEST');
  // What was refunded is no longer there to share: 800 of 1000 refunded, 250 (within 30%) is more than is left.
  await call('POST', '/v3/pay/partner/transactions/jsapi', { ...PARTNER_ORDER, out_trade_no: 'ps5' });
  const fifth = (await sb.pay('ps5', { sub_mchid: SUB, notify: false })).transaction.transaction_id;
  assert.equal((await call('POST', '/v3/refund/domestic/refunds', { sub_mchid: SUB, out_trade_no: 'ps5', out_refund_no: 'ps5r', amount: { refund: 800, total: 1000, currency: 'CNY' } })).status, 200);
  const overLeft = await share('s8', [{ ...shop, amount: 250 }], { transaction_id: fifth });
  assert.deepEqual([overLeft.status, overLeft.json.code], [403, 'NOT_ENOUGH']);
  assert.equal((await share('s8', [{ ...shop, amount: 200 }], { transaction_id: fifth })).status, 200, 'what is left, it shares');
  // A receiver deleted is no longer shared with.
  await call('POST', '/v3/pay/partner/transactions/jsapi', { ...PARTNER_ORDER, out_trade_no: 'ps4' });
  const fourth = (await sb.pay('ps4', { sub_mchid: SUB, notify: false })).transaction.transaction_id;
  assert.equal((await call('POST', '/v3/profitsharing/receivers/delete', { sub_mchid: SUB, appid: PARTNER_ORDER.sp_appid, type: 'MERCHANT_ID', account: '1900000111' })).status, 200);
  assert.equal((await share('s7', [shop], { transaction_id: fourth })).json.code, 'INVALID_REQUEST');
  assert.equal((await share('s7', [alice], { transaction_id: fourth })).status, 200, 'the other still is');
  sb.profitSharingDelayMs = 5;
  sb.reset();
  assert.deepEqual([sb.prepays, sb.orders, sb.refunds, sb.receivers, sb.profitSharing, sb.transferBills].map((m) => m.size), [0, 0, 0, 0, 0, 0]);
  assert.equal(sb.profitSharingDelayMs, 0);
});

test('malformed percent-encoding in an order, refund, sharing or transfer path is PARAM_ERROR, not a crash', async () => {
  for (const path of [`/v3/pay/partner/transactions/out-trade-no/%E0?sp_mchid=${sb.mchid}&sub_mchid=${SUB}`, '/v3/profitsharing/orders/%E0?transaction_id=1', '/v3/profitsharing/transactions/%E0/amounts', '/v3/refund/domestic/refunds/%E0', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/%E0']) {
    const r = await call('GET', path);
    assert.deepEqual([r.status, r.json.code, r.json.detail?.field], [400, 'PARAM_ERROR', 'path'], path);
  }
  const close = await call('POST', '/v3/pay/partner/transactions/out-trade-no/%E0/close', { sp_mchid: sb.mchid, sub_mchid: SUB });
  assert.deepEqual([close.status, close.json.code], [400, 'PARAM_ERROR']);
});

test('商家转账: a bill waits for the user, is queried both ways, names its payee from 2,000 yuan on, and ends SUCCESS, FAIL or CANCELLED', async () => {
  const BILL = {
    appid: 'wx8888888888888888', openid: 'op', transfer_amount: 300, transfer_remark: '奖励', transfer_scene_id: '1000',
    transfer_scene_report_infos: [{ info_type: '活动名称', info_content: '开业' }, { info_type: '奖励说明', info_content: '抽奖' }],
    notify_url: 'https://example.com/t',
  };
  const create = (bill, headers) => call('POST', '/v3/fund-app/mch-transfer/transfer-bills', bill, headers);
  const first = await create({ ...BILL, out_bill_no: 't1' });
  assert.deepEqual([first.status, first.json.state, typeof first.json.package_info], [200, 'WAIT_USER_CONFIRM', 'string']);
  assert.equal((await create({ ...BILL, out_bill_no: 't1' })).json.transfer_bill_no, first.json.transfer_bill_no, 'the same out_bill_no: the same bill');
  assert.equal((await create({ ...BILL, out_bill_no: 't1', transfer_amount: 301 })).json.code, 'INVALID_REQUEST');
  assert.equal((await create({ ...BILL, out_bill_no: 't1', openid: 'another' })).json.code, 'INVALID_REQUEST', 'nor to another payee');
  for (const [change, field] of [[{ openid: '' }, 'openid'], [{ transfer_amount: 1.5 }, 'transfer_amount'], [{ transfer_scene_report_infos: [] }, 'transfer_scene_report_infos'], [{ transfer_amount: 200000 }, 'user_name']])
    assert.deepEqual((await create({ ...BILL, out_bill_no: 'tbad', ...change })).json.detail?.field, field, JSON.stringify(change));
  assert.equal((await create({ ...BILL, out_bill_no: 't-1' })).json.detail?.field, 'out_bill_no', 'digits and letters only');
  const name = crypto.publicEncrypt({ key: sb.platform.publicKeySpki, ...OAEP }, Buffer.from('张三')).toString('base64');
  assert.equal((await create({ ...BILL, out_bill_no: 't2', transfer_amount: 200000, user_name: name })).json.detail?.field, 'Wechatpay-Serial');
  assert.equal((await create({ ...BILL, out_bill_no: 't2', transfer_amount: 200000, user_name: name }, { 'wechatpay-serial': sb.platform.serial })).status, 200);
  const q = await call('GET', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/t2');
  assert.deepEqual([q.json.mch_id, q.json.state, q.json.transfer_amount], [sb.mchid, 'WAIT_USER_CONFIRM', 200000]);
  assert.equal(crypto.privateDecrypt({ key: sb.merchant.privateKeyPkcs8, ...OAEP }, Buffer.from(q.json.user_name, 'base64')).toString(), '张三', 'the name, for the merchant');
  assert.equal((await call('GET', `/v3/fund-app/mch-transfer/transfer-bills/transfer-bill-no/${first.json.transfer_bill_no}`)).json.out_bill_no, 't1');
  assert.deepEqual([(await call('GET', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/nope')).status], [404]);
  // The user accepts t1; t2 is cancelled; a third fails.
  const { resource } = await sb.settleTransfer('t1', { notify: false });
  const ended = await create({ ...BILL, out_bill_no: 't1' });
  assert.deepEqual([ended.json.state, 'package_info' in ended.json], ['SUCCESS', false], 'no package_info once the user cannot confirm');
  assert.deepEqual([resource.state, resource.out_bill_no, resource.transfer_amount, resource.openid], ['SUCCESS', 't1', 300, 'op']);
  assert.equal((await call('POST', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/t1/cancel')).json.code, 'INVALID_REQUEST', 'too late');
  const c = await call('POST', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/t2/cancel');
  assert.deepEqual([c.status, c.json.state], [200, 'CANCELING']);
  assert.equal((await sb.settleTransfer('t2', { notify: false })).resource.state, 'CANCELLED');
  await create({ ...BILL, out_bill_no: 't3' });
  const failed = await sb.settleTransfer('t3', { notify: false, state: 'FAIL', fail_reason: 'PAYEE_ACCOUNT_ABNORMAL' });
  assert.deepEqual([failed.resource.state, failed.resource.fail_reason], ['FAIL', 'PAYEE_ACCOUNT_ABNORMAL']);
  assert.equal((await call('GET', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/t3')).json.fail_reason, 'PAYEE_ACCOUNT_ABNORMAL');
  sb.reset();
  assert.equal(sb.transferBills.size, 0);
});

test('a Native order answers a code_url, an H5 order an h5_url (the payer\'s IP and the H5 type required); the query names their trade_type', async () => {
  const { payer: _, ...base } = ORDER;
  const native = await call('POST', '/v3/pay/transactions/native', { ...base, out_trade_no: 'n1' });
  assert.equal(native.status, 200);
  assert.match(native.json.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=[\w-]+$/);
  assert.equal(native.json.prepay_id, undefined);
  const h5 = { ...base, out_trade_no: 'h1', scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } } };
  assert.equal((await call('POST', '/v3/pay/transactions/h5', { ...h5, scene_info: { h5_info: { type: 'Wap' } } })).json.detail.field, 'scene_info.payer_client_ip');
  assert.equal((await call('POST', '/v3/pay/transactions/h5', { ...h5, scene_info: { payer_client_ip: '203.0.113.7' } })).json.detail.field, 'scene_info.h5_info.type');
  assert.match((await call('POST', '/v3/pay/transactions/h5', h5)).json.h5_url, /^https:\/\/wx\.tenpay\.com\/cgi-bin\/mmpayweb-bin\/checkmweb\?prepay_id=wx[0-9a-f]{32}&package=\d+$/);
  const types = [];
  for (const no of ['n1', 'h1']) types.push((await call('GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${sb.mchid}`)).json.trade_type);
  assert.deepEqual(types, ['NATIVE', 'MWEB']);
  const partner = await call('POST', '/v3/pay/partner/transactions/native', { ...PARTNER_ORDER, payer: undefined, out_trade_no: 'pn1' });
  assert.match(partner.json.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
});

test('发起异常退款: only an ABNORMAL refund, of that refund_id; to the payer\'s card with its account and name encrypted', async () => {
  await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'ab1', amount: { total: 100 } });
  await sb.pay('ab1', { notify: false });
  const r = await call('POST', '/v3/refund/domestic/refunds', { out_trade_no: 'ab1', out_refund_no: 'abr1', amount: { refund: 100, total: 100, currency: 'CNY' } });
  const path = `/v3/refund/domestic/refunds/${r.json.refund_id}/apply-abnormal-refund`;
  assert.equal((await call('POST', path, { out_refund_no: 'abr1', type: 'MERCHANT_BANK_CARD' })).json.code, 'INVALID_REQUEST', 'PROCESSING, not ABNORMAL');
  const { resource } = await sb.settleRefund('abr1', { status: 'ABNORMAL', notify: false });
  assert.deepEqual([resource.refund_status, 'success_time' in resource], ['ABNORMAL', false]);
  assert.equal((await call('POST', '/v3/refund/domestic/refunds/50000000000000000000000000000/apply-abnormal-refund', { out_refund_no: 'abr1', type: 'MERCHANT_BANK_CARD' })).status, 404);
  assert.equal((await call('POST', path, { out_refund_no: 'abr1', type: 'CASH' })).json.detail.field, 'type');
  const seal = (text) => crypto.publicEncrypt({ key: sb.platform.publicKeySpki, ...OAEP }, Buffer.from(text)).toString('base64');
  const card = { out_refund_no: 'abr1', type: 'USER_BANK_CARD', bank_type: 'ICBC_DEBIT', bank_account: seal('6222020000001234'), real_name: seal('张三') };
  assert.equal((await call('POST', path, { ...card, real_name: undefined }, { 'wechatpay-serial': sb.platform.serial })).json.detail.field, 'real_name');
  assert.equal((await call('POST', path, card)).json.detail.field, 'Wechatpay-Serial');
  const again = await call('POST', path, card, { 'wechatpay-serial': sb.platform.serial });
  assert.deepEqual([again.status, again.json.status, again.json.user_received_account], [200, 'PROCESSING', 'ICBC_DEBIT 1234']);
});

test('reset forgets combined orders and their sub-orders', async () => {
  const placed = await call('POST', '/v3/combine-transactions/app', { ...COMBINE, combine_out_trade_no: 'c-reset', sub_orders: COMBINE.sub_orders.map((o) => ({ ...o, out_trade_no: `reset-${o.attach}` })) });
  assert.equal(placed.status, 200);
  sb.reset();
  assert.equal(sb.combines.size, 0);
  assert.equal((await call('GET', '/v3/combine-transactions/out-trade-no/c-reset')).json.code, 'ORDER_NOT_EXIST');
  assert.equal((await call('POST', '/v3/pay/transactions/app', { ...ORDER, payer: undefined, out_trade_no: 'reset-a' })).status, 200, 'its sub-order numbers are free again');
});

// ---- 微信支付分 service orders (payscore.mjs) ----
const SERVICE = () => ({ appid: 'wx8888888888888888', service_id: sb.serviceId });
const ENDED = { time_range: { end_time: '20261203120000' } };
const serviceOrder = (out_order_no, extra = {}) => ({
  ...SERVICE(), out_order_no, service_introduction: '充电宝租借', notify_url: 'https://example.com/n',
  time_range: { start_time: 'OnAccept' }, risk_fund: { name: 'DEPOSIT', amount: 9900 }, ...extra,
});
const BASE = '/v3/payscore/serviceorder';
const queryOf = (o) => `${BASE}?${new URLSearchParams({ ...SERVICE(), ...o })}`;

test('支付分: created, confirmed, completed, collected; each state answered as the query has it', async () => {
  const made = await call('POST', BASE, serviceOrder('ps1'));
  assert.equal(made.status, 200);
  assert.deepEqual([made.json.state, made.json.mchid, made.json.out_order_no], ['CREATED', sb.mchid, 'ps1']);
  assert.match(made.json.package, /^[A-Za-z0-9_-]{40}$/);
  assert.equal(made.json.state_description, undefined);
  // The same order again answers the same package; another under its number is refused.
  assert.equal((await call('POST', BASE, serviceOrder('ps1'))).json.package, made.json.package);
  const twin = await call('POST', BASE, serviceOrder('ps1', { risk_fund: { name: 'DEPOSIT', amount: 1 } }));
  assert.deepEqual([twin.status, twin.json.code], [400, 'INVALID_REQUEST']);
  // Not completed before the payer confirms.
  const early = await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), post_payments: [{ name: '租借费', amount: 300 }], total_amount: 300 });
  assert.deepEqual([early.status, early.json.code], [400, 'INVALID_REQUEST']);

  const { resource, query_id } = await sb.confirmServiceOrder('ps1', { openid: 'op', notify: false });
  assert.deepEqual([resource.state, resource.state_description, resource.openid], ['DOING', 'USER_CONFIRM', 'op']);
  const byId = await call('GET', queryOf({ query_id }));
  assert.deepEqual([byId.status, byId.json.out_order_no, byId.json.package], [200, 'ps1', undefined]);

  // What is owed: the lines less the discounts, at most the risk fund.
  const pays = [{ name: '租借费', amount: 300, description: '3 小时', count: 3 }];
  // Created without its end time: the completion names it.
  const endless = await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), post_payments: pays, total_amount: 300 });
  assert.deepEqual([endless.status, endless.json.detail.field], [400, 'time_range.end_time']);
  const badEnd = await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), time_range: { end_time: 'now' }, post_payments: pays, total_amount: 300 });
  assert.deepEqual([badEnd.status, badEnd.json.detail.field], [400, 'time_range.end_time']);
  const wrong = await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), ...ENDED, post_payments: pays, total_amount: 301 });
  assert.deepEqual([wrong.status, wrong.json.detail.field], [400, 'total_amount']);
  const over = await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), ...ENDED, post_payments: [{ name: '租借费', amount: 9901 }], total_amount: 9901 });
  assert.deepEqual([over.status, over.json.detail.field], [400, 'total_amount']);
  const otherService = await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), ...ENDED, service_id: '2002000000000000000000000000001', post_payments: pays, total_amount: 300 });
  assert.deepEqual([otherService.status, otherService.json.detail.field], [400, 'service_id']);
  const noLines = await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), ...ENDED, total_amount: 0 });
  assert.deepEqual([noLines.status, noLines.json.detail.field], [400, 'post_payments']);
  // Not modified, collected again or synced before it is completed.
  for (const action of ['modify', 'pay', 'sync']) {
    const r = await call('POST', `${BASE}/ps1/${action}`, { ...SERVICE(), post_payments: pays, total_amount: 100, reason: '改价', type: 'Order_Paid', detail: { paid_time: '20261203' } });
    assert.deepEqual([r.status, r.json.code], [400, 'INVALID_REQUEST'], action);
  }
  const done = await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), ...ENDED, post_payments: pays, post_discounts: [{ name: '新人', amount: 50 }], total_amount: 250 });
  assert.equal(done.status, 200, JSON.stringify(done.json));
  assert.deepEqual([done.json.state, done.json.state_description, done.json.total_amount, done.json.need_collection], ['DOING', 'MCH_COMPLETE', 250, true]);
  assert.deepEqual(done.json.collection, { state: 'USER_PAYING', total_amount: 250, paying_amount: 250, paid_amount: 0 });
  assert.deepEqual([done.json.time_range.end_time, done.json.state_description], ['20261203120000', 'MCH_COMPLETE']);
  // Completed: not completed twice; each modify lower than the last (not equal); collected again on asking.
  assert.equal((await call('POST', `${BASE}/ps1/complete`, { ...SERVICE(), ...ENDED, post_payments: pays, total_amount: 300 })).status, 400);
  for (const amount of [400, 250]) {
    const up = await call('POST', `${BASE}/ps1/modify`, { ...SERVICE(), post_payments: [{ name: '租借费', amount }], total_amount: amount, reason: '改价' });
    assert.deepEqual([up.status, up.json.code], [400, 'INVALID_REQUEST'], String(amount));
  }
  const noReason = await call('POST', `${BASE}/ps1/modify`, { ...SERVICE(), post_payments: [{ name: '租借费', amount: 200 }], total_amount: 200 });
  assert.deepEqual([noReason.status, noReason.json.detail.field], [400, 'reason']);
  const down = await call('POST', `${BASE}/ps1/modify`, { ...SERVICE(), post_payments: [{ name: '租借费', amount: 200 }], total_amount: 200, reason: '改价' });
  assert.deepEqual([down.status, down.json.total_amount, down.json.post_discounts, down.json.collection.paying_amount], [200, 200, undefined, 200]);
  assert.deepEqual((await call('POST', `${BASE}/ps1/pay`, SERVICE())).json.order_id, made.json.order_id);

  const paid = await sb.collectServiceOrder('ps1', { notify: false });
  assert.equal(paid.resource.state, 'DONE');
  const [detail] = paid.resource.collection.details;
  assert.deepEqual([paid.resource.collection.state, paid.resource.collection.paid_amount, detail.amount, detail.paid_type], ['USER_PAID', 200, 200, 'NEWTON']);
  assert.match(detail.transaction_id, /^42000000\d{20}$/);
  assert.match(detail.paid_time, /^\d{14}$/);
  assert.equal(paid.resource.state_description, undefined, 'a DOING order\'s only');
  assert.deepEqual((await call('GET', queryOf({ out_order_no: 'ps1' }))).json, paid.resource);
  assert.equal((await call('POST', `${BASE}/ps1/pay`, SERVICE())).status, 400);
  assert.equal((await call('POST', `${BASE}/ps1/cancel`, { ...SERVICE(), reason: '已支付' })).status, 400, 'paid: not cancelled');
  const otherApp = await call('GET', queryOf({ out_order_no: 'ps1', appid: 'wx0000000000000000' }));
  assert.equal(otherApp.status, 404);

  // Its payment is refunded by transaction_id; the order query does not answer it.
  const refund = await call('POST', '/v3/refund/domestic/refunds', { transaction_id: detail.transaction_id, out_refund_no: 'psr1', amount: { refund: 50, total: 200, currency: 'CNY' } });
  assert.deepEqual([refund.status, refund.json.status, refund.json.amount.refund], [200, 'PROCESSING', 50]);
  const more = await call('POST', '/v3/refund/domestic/refunds', { transaction_id: detail.transaction_id, out_refund_no: 'psr2', amount: { refund: 151, total: 200, currency: 'CNY' } });
  assert.deepEqual([more.status, more.json.code], [403, 'NOT_ENOUGH']);
  assert.equal((await call('GET', `/v3/pay/transactions/id/${detail.transaction_id}?mchid=${sb.mchid}`)).status, 404);
});

test('支付分: revoked before completion; nothing owed is DONE at once; paid another way (sync); refusals name the field', async () => {
  await call('POST', BASE, serviceOrder('ps2'));
  const noReason = await call('POST', `${BASE}/ps2/cancel`, SERVICE());
  assert.deepEqual([noReason.status, noReason.json.detail.field], [400, 'reason']);
  const revoked = await call('POST', `${BASE}/ps2/cancel`, { ...SERVICE(), reason: '用户未使用' });
  assert.deepEqual([revoked.status, Object.keys(revoked.json).sort()], [200, ['appid', 'mchid', 'order_id', 'out_order_no', 'service_id']]);
  // The same cancel again (its answer lost) answers the same; another reason is refused.
  assert.deepEqual(await call('POST', `${BASE}/ps2/cancel`, { ...SERVICE(), reason: '用户未使用' }), revoked);
  assert.equal((await call('POST', `${BASE}/ps2/cancel`, { ...SERVICE(), reason: '另一个' })).status, 400);
  assert.equal((await call('GET', queryOf({ out_order_no: 'ps2' }))).json.state, 'REVOKED');
  await assert.rejects(sb.confirmServiceOrder('ps2', { openid: 'op' }), /ps2 is REVOKED/);

  // Without the payer's confirmation (免确认): DOING at once, with the openid it names.
  const direct = await call('POST', BASE, serviceOrder('ps3', { need_user_confirm: false, openid: 'op' }));
  assert.deepEqual([direct.json.state, direct.json.state_description, direct.json.package], ['DOING', 'USER_CONFIRM', undefined]);
  const none = await call('POST', `${BASE}/ps3/complete`, { ...SERVICE(), ...ENDED, post_payments: [{ name: '租借费', amount: 0 }], total_amount: 0 });
  assert.deepEqual([none.json.state, none.json.state_description, none.json.need_collection, none.json.collection], ['DONE', undefined, false, undefined]);

  // Completed and unpaid: cancelled (to be settled another way); lowered to nothing: DONE.
  for (const no of ['ps6', 'ps7']) {
    await call('POST', BASE, serviceOrder(no, { need_user_confirm: false, openid: 'op', time_range: { start_time: '20261203', end_time: '20261204' } }));
    assert.equal((await call('POST', `${BASE}/${no}/complete`, { ...SERVICE(), post_payments: [{ name: '租借费', amount: 100 }], total_amount: 100 })).status, 200);
  }
  assert.equal((await call('POST', `${BASE}/ps6/cancel`, { ...SERVICE(), reason: '线下结清' })).status, 200);
  assert.deepEqual([sb.serviceOrders.get('ps6').state, sb.serviceOrders.get('ps6').collection.paying_amount], ['REVOKED', 0]);
  const zero = await call('POST', `${BASE}/ps7/modify`, { ...SERVICE(), post_payments: [{ name: '租借费', amount: 0 }], total_amount: 0, reason: '免单' });
  assert.deepEqual([zero.json.state, zero.json.state_description, zero.json.need_collection, zero.json.collection], ['DONE', undefined, false, undefined]);

  await call('POST', BASE, serviceOrder('ps4', { need_user_confirm: false, openid: 'op' }));
  await call('POST', `${BASE}/ps4/complete`, { ...SERVICE(), ...ENDED, post_payments: [{ name: '租借费', amount: 100 }], total_amount: 100 });
  const badType = await call('POST', `${BASE}/ps4/sync`, { ...SERVICE(), type: 'Order_Refunded', detail: { paid_time: '20261203' } });
  assert.deepEqual([badType.status, badType.json.detail.field], [400, 'type']);
  const badTime = await call('POST', `${BASE}/ps4/sync`, { ...SERVICE(), type: 'Order_Paid', detail: { paid_time: '2026-12-03' } });
  assert.deepEqual([badTime.status, badTime.json.detail.field], [400, 'detail.paid_time']);
  const synced = await call('POST', `${BASE}/ps4/sync`, { ...SERVICE(), type: 'Order_Paid', detail: { paid_time: '20261203' } });
  assert.deepEqual([synced.json.state, synced.json.collection.state, synced.json.collection.details[0].paid_type, synced.json.collection.details[0].paid_time], ['DONE', 'USER_PAID', 'MCH', '20261203000000']);
  assert.equal(synced.json.collection.details[0].transaction_id, undefined);
  assert.equal((await call('POST', `${BASE}/ps4/sync`, { ...SERVICE(), type: 'Order_Paid', detail: { paid_time: '20261203' } })).status, 400, 'synced once');

  const longReason = await call('POST', `${BASE}/ps4/cancel`, { ...SERVICE(), reason: 'x'.repeat(51) });
  assert.deepEqual([longReason.status, longReason.json.detail.field], [400, 'reason']);
  // The same number again: the same order only (its payer, its confirmation); no package once confirmed.
  assert.equal((await call('POST', BASE, serviceOrder('ps3', { need_user_confirm: false, openid: 'op2' }))).json.code, 'INVALID_REQUEST');
  assert.equal((await call('POST', BASE, serviceOrder('ps3'))).json.code, 'INVALID_REQUEST');
  assert.equal((await call('POST', BASE, serviceOrder('ps1'))).json.package, undefined, 'ps1 is done: no package');
  for (const [extra, field] of [
    [{ time_range: { start_time: 'OnAccept', end_time: 'now' } }, 'time_range.end_time'],
    [{ service_id: 'x' }, 'service_id'], [{ out_order_no: 'a&b' }, 'out_order_no'], [{ time_range: { start_time: 'now' } }, 'time_range.start_time'],
    [{ risk_fund: { name: 'BOND', amount: 1 } }, 'risk_fund.name'], [{ risk_fund: { name: 'DEPOSIT', amount: 0 } }, 'risk_fund.amount'],
    [{ need_user_confirm: false }, 'openid'], [{ notify_url: '' }, 'notify_url'],
  ]) {
    const r = await call('POST', BASE, serviceOrder('ps5', extra));
    assert.deepEqual([r.status, r.json.code, r.json.detail.field], [400, 'PARAM_ERROR', field], JSON.stringify(extra));
  }
  const unknown = await call('GET', queryOf({ out_order_no: 'nope' }));
  assert.deepEqual([unknown.status, unknown.json.code], [404, 'RESOURCE_NOT_EXISTS']);
  const both = await call('GET', queryOf({ out_order_no: 'ps2', query_id: 'q' }));
  assert.deepEqual([both.status, both.json.detail.field], [400, 'out_order_no']);
  const otherApp = await call('POST', `${BASE}/ps4/pay`, { ...SERVICE(), appid: 'wx0000000000000000' });
  assert.deepEqual([otherApp.status, otherApp.json.detail.field], [400, 'appid']);
});

test('支付分: the risk fund caps a 先免 order, not a 先享 one (ESTIMATE_ORDER_COST); reset() forgets service orders', async () => {
  await call('POST', BASE, serviceOrder('ps8', { need_user_confirm: false, openid: 'op', risk_fund: { name: 'ESTIMATE_ORDER_COST', amount: 100 } }));
  const over = await call('POST', `${BASE}/ps8/complete`, { ...SERVICE(), ...ENDED, post_payments: [{ name: '餐费', amount: 150 }], total_amount: 150 });
  assert.deepEqual([over.status, over.json.total_amount], [200, 150]);
  assert.ok(sb.serviceOrders.size > 0);
  sb.reset();
  assert.equal(sb.serviceOrders.size, 0);
  assert.equal((await call('GET', queryOf({ out_order_no: 'ps8' }))).status, 404);
});

test('支付分 for a partner (服务商): a sub-merchant\'s service orders, numbered by it, named by sub_mchid in every call', async () => {
  const SUB = sb.subMchids[0];
  const PBASE = '/v3/payscore/partner/serviceorder';
  const order = serviceOrder('pp1', { sub_mchid: SUB, sub_appid: 'wx7777777777777777' });
  for (const [extra, field] of [[{ sub_mchid: undefined }, 'sub_mchid'], [{ sub_mchid: '1900000999' }, 'sub_mchid']]) {
    const r = await call('POST', PBASE, { ...order, ...extra });
    assert.deepEqual([r.status, r.json.detail.field], [400, field]);
  }
  const made = await call('POST', PBASE, order);
  assert.deepEqual([made.status, made.json.mchid, made.json.sub_mchid, made.json.sub_appid, made.json.state], [200, sb.mchid, SUB, 'wx7777777777777777', 'CREATED']);
  // The direct merchant's number space is its own: pp1 is not the partner's own order.
  assert.equal((await call('GET', queryOf({ out_order_no: 'pp1' }))).status, 404);
  const q = (o) => `${PBASE}?${new URLSearchParams({ service_id: sb.serviceId, sub_mchid: SUB, ...o })}`;
  assert.equal((await call('GET', q({ out_order_no: 'pp1' }))).json.out_order_no, 'pp1');
  assert.deepEqual((await call('GET', q({ out_order_no: 'pp1', sub_mchid: '1900000999' }))).json.detail.field, 'sub_mchid');

  const { query_id, resource } = await sb.confirmServiceOrder('pp1', { sub_openid: 'sop', notify: false, sub_mchid: SUB });
  assert.deepEqual([resource.sub_openid, resource.openid, resource.total_amount], ['sop', undefined, 0]);
  // Without the payer's confirmation: sub_openid (under a sub_appid) in place of openid.
  const noSub = await call('POST', PBASE, serviceOrder('pp2', { sub_mchid: SUB, need_user_confirm: false, sub_openid: 'sop' }));
  assert.deepEqual([noSub.status, noSub.json.detail.field], [400, 'sub_appid']);
  const direct = await call('POST', PBASE, serviceOrder('pp2', { sub_mchid: SUB, sub_appid: 'wx7777777777777777', need_user_confirm: false, sub_openid: 'sop' }));
  assert.deepEqual([direct.status, direct.json.state, direct.json.sub_openid], [200, 'DOING', 'sop']);
  assert.equal((await call('GET', q({ query_id }))).json.out_order_no, 'pp1');
  const ids = { service_id: sb.serviceId, sub_mchid: SUB };
  assert.equal((await call('POST', `${PBASE}/pp1/complete`, { service_id: sb.serviceId, ...ENDED, post_payments: [{ name: '租借费', amount: 300 }], total_amount: 300 })).json.detail.field, 'sub_mchid');
  // A partner's calls on an order answer 204 with no body; the query tells the rest.
  const done = await call('POST', `${PBASE}/pp1/complete`, { ...ids, ...ENDED, post_payments: [{ name: '租借费', amount: 300 }], total_amount: 300 });
  assert.deepEqual([done.status, done.json], [204, undefined]);
  assert.equal((await call('GET', q({ out_order_no: 'pp1' }))).json.state_description, 'MCH_COMPLETE');
  // service_id is optional in a partner's modify and pay (required elsewhere).
  const lowered = await call('POST', `${PBASE}/pp1/modify`, { sub_mchid: SUB, post_payments: [{ name: '租借费', amount: 250 }], total_amount: 250, reason: '改价' });
  assert.equal(lowered.status, 204);
  assert.equal((await call('POST', `${PBASE}/pp1/pay`, { sub_mchid: SUB })).status, 204);
  assert.equal((await call('POST', `${PBASE}/pp1/pay`, { sub_mchid: SUB, service_id: 'x' })).status, 400);
  const paid = await sb.collectServiceOrder('pp1', { notify: false, sub_mchid: SUB });
  const { transaction_id } = paid.resource.collection.details[0];
  // Refunded by the sub-merchant; not by the direct merchant.
  const refund = { transaction_id, out_refund_no: 'ppr1', amount: { refund: 100, total: 250, currency: 'CNY' } };
  assert.equal((await call('POST', '/v3/refund/domestic/refunds', refund)).status, 404);
  const r = await call('POST', '/v3/refund/domestic/refunds', { ...refund, sub_mchid: SUB });
  assert.deepEqual([r.status, r.json.transaction_id, r.json.amount.refund], [200, transaction_id, 100]);
});

test('支付分 bill: the day\'s collected payments, in parts encrypted for the merchant; refusals name the field', async () => {
  const q = (o) => `/v3/payscore/merchant-bill?${new URLSearchParams({ bill_date: '2026-12-03', service_id: sb.serviceId, encryption_algorithm: 'AEAD_AES_256_GCM', ...o })}`;
  const ok = await call('GET', q({}));
  assert.equal(ok.status, 200);
  assert.equal(ok.json.download_bill_count, ok.json.download_bill_list.length);
  for (const p of ok.json.download_bill_list) assert.deepEqual(Object.keys(p).sort(), ['bill_sequence', 'download_url', 'encrypt_key', 'hash_type', 'hash_value', 'nonce']);
  for (const [o, field] of [[{ bill_date: '20261203' }, 'bill_date'], [{ service_id: 'x' }, 'service_id'], [{ encryption_algorithm: 'SM4_GCM' }, 'encryption_algorithm']]) {
    const r = await call('GET', q(o));
    assert.deepEqual([r.status, r.json.detail.field], [400, field], JSON.stringify(o));
  }
});

test('消费者投诉: the notification URL, a complaint with its phone under the merchant key, its list, history, reply, completion and refund decision', async () => {
  const N = '/v3/merchant-service/complaint-notifications';
  assert.deepEqual([(await call('GET', N)).status, (await call('GET', N)).json.code], [400, 'RESOURCE_NOT_EXISTS']);
  assert.equal((await call('PUT', N, { url: 'https://example.com/c' })).json.code, 'RESOURCE_NOT_EXISTS');
  assert.equal((await call('POST', N, { url: 'http://example.com/c' })).json.detail.field, 'url');
  assert.deepEqual((await call('POST', N, { url: 'https://example.com/c' })).json, { mchid: sb.mchid, url: 'https://example.com/c' });
  assert.equal((await call('POST', N, { url: 'https://example.com/d' })).json.code, 'INVALID_REQUEST');
  assert.equal((await call('PUT', N, { url: 'https://example.com/d' })).json.url, 'https://example.com/d');
  assert.equal((await call('DELETE', N)).status, 204);

  assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'cp1', amount: { total: 800 } })).status, 200);
  await sb.pay('cp1', { notify: false });
  const { complaint_id } = await sb.complain('cp1', { problem_type: 'REFUND', phone: '13700000000', images: [crypto.randomBytes(40)] });
  assert.match(complaint_id, /^\d{27}$/);
  const base = `/v3/merchant-service/complaints-v2/${complaint_id}`;
  const detail = (await call('GET', base)).json;
  assert.equal(crypto.privateDecrypt({ key: sb.merchant.privateKeyPkcs8, ...OAEP }, Buffer.from(detail.payer_phone, 'base64')).toString(), '13700000000');
  assert.deepEqual([detail.complaint_state, detail.complainted_mchid, detail.problem_type, detail.apply_refund_amount, detail.complaint_full_refunded, detail.incoming_user_response],
    ['PENDING', sb.mchid, 'REFUND', 800, false, false]);
  const [url] = detail.complaint_media_list[0].media_url;
  assert.match(url, /^https:\/\/api\.mch\.weixin\.qq\.com\/v3\/merchant-service\/images\/complaint-[0-9a-f]{16}$/);

  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const list = (await call('GET', `/v3/merchant-service/complaints-v2?begin_date=${today}&end_date=${today}&limit=5`)).json;
  assert.deepEqual([list.total_count, list.limit, list.offset, list.data[0].complaint_id, 'payer_openid' in list.data[0]], [1, 5, 0, complaint_id, false]);
  const longAgo = new Date(Date.now() + 8 * 3600e3 - 31 * 86400e3).toISOString().slice(0, 10);
  assert.equal((await call('GET', `/v3/merchant-service/complaints-v2?begin_date=${longAgo}&end_date=${today}`)).json.detail.field, 'end_date');
  assert.equal((await call('GET', `/v3/merchant-service/complaints-v2?begin_date=${today}&end_date=${today}&limit=51`)).json.detail.field, 'limit');
  assert.equal((await call('GET', '/v3/merchant-service/complaints-v2')).json.detail.field, 'begin_date');

  // Not answered: no completion. A reply (its image uploaded here) takes it to PROCESSING.
  assert.equal((await call('POST', `${base}/complete`, { complainted_mchid: sb.mchid })).json.code, 'INVALID_REQUEST');
  assert.equal((await call('POST', `${base}/response`, { complainted_mchid: sb.mchid, response_content: 'x', response_images: ['media-nope'] })).json.detail.field, 'response_images');
  assert.equal((await call('POST', `${base}/response`, { complainted_mchid: '1900000110', response_content: 'x' })).json.detail.field, 'complainted_mchid');
  assert.equal((await call('POST', `${base}/response`, { complainted_mchid: sb.mchid, response_content: 'x', jump_url: 'https://example.com' })).json.detail.field, 'jump_url');
  assert.equal((await call('POST', `${base}/response`, { complainted_mchid: sb.mchid, response_content: '您好' })).status, 204);
  assert.equal((await call('GET', base)).json.complaint_state, 'PROCESSING');
  const first = (await call('GET', `${base}/negotiation-historys?limit=1`)).json;
  assert.deepEqual([first.total_count, first.data.length, first.data[0].operate_type], [2, 1, 'USER_CREATE_COMPLAINT']);
  const second = (await call('GET', `${base}/negotiation-historys?limit=1&offset=1`)).json;
  assert.deepEqual(['total_count' in second, second.data[0].operate_type, second.data[0].operate_details], [false, 'MERCHANT_RESPONSE', '您好']);

  // A refund decision: APPROVE names its day; REJECT its reason, and ends the complaint.
  assert.equal((await call('POST', `${base}/update-refund-progress`, { action: 'APPROVE' })).json.detail.field, 'launch_refund_day');
  assert.equal((await call('POST', `${base}/update-refund-progress`, { action: 'MAYBE' })).json.detail.field, 'action');
  assert.equal((await call('POST', `${base}/update-refund-progress`, { action: 'REJECT', reject_reason: '不符合' })).status, 204);
  assert.equal((await call('GET', base)).json.complaint_state, 'PROCESSED');
  assert.equal((await call('POST', `${base}/response`, { complainted_mchid: sb.mchid, response_content: 'x' })).json.code, 'INVALID_REQUEST');
  assert.equal((await call('POST', `${base}/complete`, { complainted_mchid: sb.mchid })).json.code, 'INVALID_REQUEST');
  assert.equal((await call('GET', '/v3/merchant-service/complaints-v2/200200000000000000000000000')).status, 404);
});

test('消费者投诉 bounds and refund rules: 4 images, 500 characters, limits, the URL, decisions, REFUND_SUCCESS and SELLER_REFUND', async () => {
  const N = '/v3/merchant-service/complaint-notifications';
  await call('DELETE', N);
  // 'https://example.com/' is 20 characters: 256 in all is refused, 255 taken.
  assert.equal((await call('POST', N, { url: `https://example.com/${'a'.repeat(236)}` })).json.detail.field, 'url');
  assert.equal((await call('POST', N, { url: `https://example.com/${'a'.repeat(235)}` })).status, 200);
  await call('DELETE', N);

  const paid = async (no, total) => {
    assert.equal((await call('POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: no, amount: { total } })).status, 200);
    await sb.pay(no, { notify: false });
    return sb.orders.get(no).transaction_id;
  };
  const refund = async (transaction_id, no, amount, total) => {
    assert.equal((await call('POST', '/v3/refund/domestic/refunds', { transaction_id, out_refund_no: no, amount: { refund: amount, total, currency: 'CNY' } })).status, 200);
    return (await sb.settleRefund(no)).complaintNotifications.map((n) => n.action_type);
  };
  const t1 = await paid('cb1', 1000);
  const { complaint_id } = await sb.complain('cb1', { problem_type: 'REFUND', apply_refund_amount: 600, images: Array.from({ length: 5 }, () => crypto.randomBytes(8)), notify: false });
  const base = `/v3/merchant-service/complaints-v2/${complaint_id}`;
  const ids = (await call('GET', base)).json.complaint_media_list[0].media_url.map((u) => decodeURIComponent(u.split('/').pop()));
  const reply = (extra) => call('POST', `${base}/response`, { complainted_mchid: sb.mchid, response_content: '您好', ...extra });
  assert.equal((await reply({ response_images: ids })).json.detail.field, 'response_images');
  assert.equal((await reply({ response_content: 'x'.repeat(501) })).json.detail.field, 'response_content');
  assert.equal((await reply({ jump_url: 'http://example.com', jump_url_text: '看看' })).json.detail.field, 'jump_url');
  assert.equal((await reply({ mini_program_jump_info: { appid: 'wx1', path: 'p' } })).json.detail.field, 'mini_program_jump_info');
  await sb.complaintMessage(complaint_id, '在吗', { notify: false });
  assert.equal((await call('GET', base)).json.incoming_user_response, true);
  assert.equal((await reply({ response_content: 'x'.repeat(500), response_images: ids.slice(0, 4), jump_url: 'https://example.com', jump_url_text: '看看' })).status, 204);
  assert.equal((await call('GET', base)).json.incoming_user_response, false);
  assert.equal((await call('GET', `${base}/negotiation-historys?limit=300`)).status, 200);
  assert.equal((await call('GET', `${base}/negotiation-historys?limit=301`)).json.detail.field, 'limit');
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  assert.equal((await call('GET', `/v3/merchant-service/complaints-v2?begin_date=${today}&end_date=${today}&limit=0`)).json.detail.field, 'limit');
  const d29 = new Date(Date.now() + 8 * 3600e3 - 29 * 86400e3).toISOString().slice(0, 10);
  assert.equal((await call('GET', `/v3/merchant-service/complaints-v2?begin_date=${d29}&end_date=${today}`)).status, 200);

  // Approved: a refund short of what it asked tells nothing; the rest ends it (REFUND_SUCCESS).
  assert.equal((await call('POST', `${base}/update-refund-progress`, { action: 'APPROVE', launch_refund_day: 0 })).status, 204);
  assert.equal((await call('POST', `${base}/update-refund-progress`, { action: 'REJECT' })).json.code, 'INVALID_REQUEST');
  assert.deepEqual(await refund(t1, 'cbr1', 400, 1000), []);
  assert.equal((await call('GET', base)).json.complaint_state, 'PROCESSING');
  assert.deepEqual(await refund(t1, 'cbr2', 200, 1000), ['REFUND_SUCCESS']);
  assert.equal((await call('GET', base)).json.complaint_state, 'PROCESSED');
  assert.equal((await call('POST', `${base}/update-refund-progress`, { action: 'REJECT' })).json.code, 'INVALID_REQUEST');
  // Ended: a further refund tells it nothing.
  assert.deepEqual(await refund(t1, 'cbr3', 400, 1000), []);

  // Refunded (in full: SELLER_REFUND) before the approval: the approval ends it.
  const t2 = await paid('cb2', 500);
  const second = (await sb.complain('cb2', { problem_type: 'REFUND', notify: false })).complaint_id;
  assert.deepEqual(await refund(t2, 'cbr4', 500, 500), ['SELLER_REFUND']);
  assert.equal((await call('POST', `/v3/merchant-service/complaints-v2/${second}/update-refund-progress`, { action: 'APPROVE', launch_refund_day: 1 })).status, 204);
  assert.equal((await call('GET', `/v3/merchant-service/complaints-v2/${second}`)).json.complaint_state, 'PROCESSED');

  // Not a refund request: a partial refund tells nothing, the full one SELLER_REFUND; a rejection needs no reason.
  const t3 = await paid('cb3', 300);
  const third = (await sb.complain('cb3', { problem_type: 'OTHERS', notify: false })).complaint_id;
  assert.deepEqual(await refund(t3, 'cbr5', 100, 300), []);
  assert.deepEqual(await refund(t3, 'cbr6', 200, 300), ['SELLER_REFUND']);
  assert.equal((await call('GET', `/v3/merchant-service/complaints-v2/${third}`)).json.complaint_full_refunded, true);
  const t4 = await paid('cb4', 300);
  const fourth = (await sb.complain('cb4', { problem_type: 'REFUND', notify: false })).complaint_id;
  assert.equal((await call('POST', `/v3/merchant-service/complaints-v2/${fourth}/update-refund-progress`, { action: 'REJECT' })).status, 204);
  assert.equal((await call('GET', `/v3/merchant-service/complaints-v2/${fourth}`)).json.complaint_state, 'PROCESSED');
  assert.deepEqual(await refund(t4, 'cbr7', 300, 300), []);
});
