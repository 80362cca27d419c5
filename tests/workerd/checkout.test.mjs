// The example Worker's checkout in workerd (bundled by wrangler as a deploy would): POST
// /checkout places a JSAPI order at the Worker's own price and answers the page's payment
// parameters (judged here with node:crypto), keeps the order in KV; the sandbox then posts the
// payment's notification into the Worker, which trusts it only for an order of its own and its
// amount.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../sandbox/index.mjs';
import { bundle, secretsFor, start } from './harness.mjs';

const APPID = 'wx8888888888888888';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

describe('examples/worker POST /checkout in workerd', () => {
  let sb, mf, orders, off, unset;
  before(async () => {
    sb = await startSandbox({});
    const { outdir } = await bundle('examples/worker/wrangler.toml', 'example-checkout');
    mf = start(outdir, secretsFor(sb, { WXPAY_APPID: APPID, WXPAY_NOTIFY_URL: 'https://shop.example/notify' }), { kvNamespaces: ['ORDERS', 'NOTIFICATIONS'] });
    orders = await mf.getKVNamespace('ORDERS');
    off = start(outdir, secretsFor(sb, { WXPAY_APPID: APPID, WXPAY_NOTIFY_URL: 'https://shop.example/notify' })); // no ORDERS bound
    unset = start(outdir, secretsFor(sb), { kvNamespaces: ['ORDERS'] }); // ORDERS, but neither var
  });
  after(async () => {
    await mf?.dispose();
    await off?.dispose();
    await unset?.dispose();
    await sb?.close();
  });
  const checkout = (body, worker = mf) => worker.dispatchFetch('http://worker/checkout', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

  test('an order at the Worker\'s price, its payment parameters, and its payment notification', async () => {
    sb.reset();
    const res = await checkout({ openid: OPENID, item: 'coffee', total: 1 });
    assert.equal(res.status, 200);
    const { out_trade_no, params } = await res.json();
    // The sandbox took the order at the Worker's price, not the caller's `total`.
    const placed = sb.orders.get(out_trade_no);
    assert.deepEqual([placed?.amount.total, placed?.appid, placed?.payer.openid], [2500, APPID, OPENID]);
    assert.equal(sb.prepays.get(params.package.replace(/^prepay_id=/, ''))?.notify_url, 'https://shop.example/notify');
    assert.ok(sb.requests.every((r) => r.verified));
    const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
    assert.equal(params.signType, 'RSA');
    assert.ok(crypto.verify('sha256', Buffer.from(message), sb.merchant.publicKeySpki, Buffer.from(params.paySign, 'base64')), 'paySign verifies');
    assert.deepEqual(await orders.get(out_trade_no, 'json'), { total: 2500, state: 'NOTPAY' });

    // The payer pays: the notification for this order and amount is handled; another amount, or
    // an order the Worker never made, is answered 500 (WeChat Pay sends it again).
    const { transaction } = await sb.pay(out_trade_no, { notify: false });
    const post = (resource) => sb.notify('http://worker/notify', { fetch: mf.dispatchFetch.bind(mf), event_type: 'TRANSACTION.SUCCESS', resource });
    assert.equal((await post({ ...transaction, amount: { ...transaction.amount, total: 1 } })).status, 500);
    assert.equal((await post({ ...transaction, out_trade_no: 'w-not-ours' })).status, 500);
    assert.equal((await orders.get(out_trade_no, 'json')).state, 'NOTPAY');
    assert.equal((await post(transaction)).status, 204);
    assert.deepEqual(await orders.get(out_trade_no, 'json'), { total: 2500, state: 'SUCCESS', transaction_id: transaction.transaction_id });
  });

  test('bad input is 400, a refused order 502 with the service\'s code, and without ORDERS to check payments against the route is off', async () => {
    sb.reset();
    for (const body of ['not json', 'null', { item: 'coffee' }, { openid: OPENID }, { openid: OPENID, item: 'toString' }, { openid: 'a b', item: 'cake' }]) {
      const res = await checkout(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal((await res.json()).code, 'BAD_REQUEST');
    }
    assert.equal(sb.requests.length, 0, 'nothing sent');
    sb.misbehave('error-500');
    const failed = await checkout({ openid: OPENID, item: 'cake' });
    assert.equal(failed.status, 502);
    const refused = await failed.json();
    assert.equal(refused.code, 'SYSTEM_ERROR');
    // Its message stays in the Worker's log: the answer goes to the payer's page.
    assert.deepEqual(Object.keys(refused).sort(), ['code', 'request_id']);
    for (const worker of [off, unset]) {
      const disabled = await checkout({ openid: OPENID, item: 'cake' }, worker);
      assert.equal(disabled.status, 403);
      assert.equal((await disabled.json()).code, 'DISABLED');
    }
    assert.equal((await mf.dispatchFetch('http://worker/checkout')).status, 405);
  });
});
