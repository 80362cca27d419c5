// A 消费者投诉 desk (examples/node/complaints.mjs) against the sandbox, end to end with real fetch
// and a real notification endpoint on node:http: the notification URL set, a payer's complaint
// heard and read afresh (the phone decrypted with the merchant key, judged against what the payer
// gave), its history and images, a reply with an uploaded image, a refund request approved and
// refunded until the complaint ends, another rejected, one completed; the complaints of a period
// read 30 days a request; notifications heard twice, or naming a complaint that is not there.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { Complaints, MAX_IMAGE_BYTES, MAX_SPAN_DATES, beijingDate, mediaIdOf } from '../../examples/node/complaints.mjs';
import { Handled } from '../../examples/node/records.mjs';
import { useSandbox, useNotifyEndpoint, options } from './helpers.mjs';

const ctx = useSandbox();
const APPID = 'wx8888888888888888';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const endpoint = useNotifyEndpoint();
let notifyUrl;
let desk;

before(async () => {
  notifyUrl = await endpoint.ready;
  desk = (more = {}) => {
    const { sb } = ctx;
    const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key }));
    const d = new Complaints(wxpay, { mchid: sb.mchid, notifyUrl, ...more });
    endpoint.handle(d.notify);
    return d;
  };
});

/** A PNG-looking image of `n` random bytes. */
const image = (n = 64) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(n)]);

/** An order placed through the API and paid by the payer (no payment notification): its number. */
async function paidOrder(d, total = 1000) {
  const out_trade_no = `o${Date.now()}${crypto.randomInt(1e6)}`;
  await d.wxpay.v3.pay.transactions.jsapi.post({
    appid: APPID, mchid: ctx.sb.mchid, description: '咖啡', out_trade_no, notify_url: notifyUrl,
    amount: { total, currency: 'CNY' }, payer: { openid: OPENID },
  });
  await ctx.sb.pay(out_trade_no, { notify: false });
  return out_trade_no;
}

/** What the sandbox was asked, as "METHOD path" lines, from request `from` on. */
const asked = (from = 0) => ctx.sb.requests.slice(from).map((r) => `${r.method} ${r.url.split('?')[0]}`);

test('subscribe sets the notification URL once, keeps it, and changes it with PUT', async () => {
  const { sb } = ctx;
  const d = desk();
  assert.equal(await d.subscribe(), notifyUrl);
  assert.deepEqual(asked(), ['GET /v3/merchant-service/complaint-notifications', 'POST /v3/merchant-service/complaint-notifications']);
  assert.equal(sb.complaintNotifyUrl, notifyUrl);
  assert.equal(await d.subscribe(), notifyUrl);
  assert.deepEqual(asked(2), ['GET /v3/merchant-service/complaint-notifications']);
  const other = new Complaints(d.wxpay, { mchid: sb.mchid, notifyUrl: `${notifyUrl}?v=2` });
  assert.equal(await other.subscribe(), `${notifyUrl}?v=2`);
  assert.deepEqual(asked(3), ['GET /v3/merchant-service/complaint-notifications', 'PUT /v3/merchant-service/complaint-notifications']);
  await other.unsubscribe();
  assert.equal(sb.complaintNotifyUrl, undefined);
});

test('a refund request: heard, read with the phone decrypted, answered with an image, approved, refunded, ended', async () => {
  const { sb } = ctx;
  const heard = [];
  const d = desk({ onComplaint: (c, action) => heard.push([c.complaint_id, action, c.complaint_state]) });
  await d.subscribe();
  const out_trade_no = await paidOrder(d, 1000);
  const photo = image();

  const { complaint_id, notification } = await sb.complain(out_trade_no, { problem_type: 'REFUND', phone: '13912345678', images: [photo], apply_refund_amount: 600 });
  assert.equal(notification.status, 204, notification.body?.toString());
  assert.deepEqual(heard, [[complaint_id, 'CREATE_COMPLAINT', 'PENDING']]);
  let c = d.complaints.get(complaint_id);
  // The phone came encrypted under the merchant key: decrypted, it is what the payer gave.
  assert.equal(c.phone, '13912345678');
  assert.equal(c.payer_phone, undefined);
  assert.equal(c.payer_openid, OPENID);
  assert.deepEqual(c.complaint_order_info, [{ transaction_id: sb.orders.get(out_trade_no).transaction_id, out_trade_no, amount: 1000 }]);
  assert.equal(c.apply_refund_amount, 600);
  assert.deepEqual(c.actions, ['CREATE_COMPLAINT']);

  // The same notification again is handled once, and the complaint not read again.
  const reads = sb.requests.length;
  const again = await sb.notify(notifyUrl, { event_type: 'COMPLAINT.CREATE', resource: { complaint_id, action_type: 'CREATE_COMPLAINT' }, id: notification.sent.envelope.id });
  assert.equal(again.status, 204);
  assert.equal(heard.length, 1);
  assert.equal(sb.requests.length, reads);

  // The payer's image, asked of the client's own host by its media id.
  const [url] = c.complaint_media_list[0].media_url;
  assert.deepEqual(Buffer.from(await d.image(url)), photo);
  assert.throws(() => mediaIdOf('https://example.com/other/x'), TypeError);

  // Not answered yet: the service does not take a completion.
  await assert.rejects(d.complete(complaint_id), (err) => err instanceof WxpayError && err.status === 400 && err.code === 'INVALID_REQUEST');

  // A reply with an uploaded image: PROCESSING, in the history with its image.
  const mine = image(32);
  c = await d.reply(complaint_id, '您好，已为您安排退款', { images: [{ bytes: mine, filename: 'receipt.png' }] });
  assert.equal(c.complaint_state, 'PROCESSING');
  const history = await d.history(complaint_id);
  assert.deepEqual(history.map((h) => h.operate_type), ['USER_CREATE_COMPLAINT', 'MERCHANT_RESPONSE']);
  assert.equal(history[1].operate_details, '您好，已为您安排退款');
  assert.deepEqual(Buffer.from(await d.image(history[1].complaint_media_list[0].media_url[0])), mine);
  assert.deepEqual(Buffer.from(await d.image(history[0].complaint_media_list[0].media_url[0])), photo);
  // Images are checked before anything is sent.
  const before = sb.requests.length;
  await assert.rejects(d.reply(complaint_id, 'x', { images: Array.from({ length: 5 }, () => ({ bytes: mine, filename: 'a.png' })) }), TypeError);
  await assert.rejects(d.reply(complaint_id, 'x', { images: [{ bytes: mine, filename: 'a.gif' }] }), TypeError);
  await assert.rejects(d.reply(complaint_id, 'x', { images: [{ bytes: new Uint8Array(2 * 1024 * 1024 + 1), filename: 'big.png' }] }), TypeError);
  await assert.rejects(d.reply(complaint_id, 'x', { images: [{ bytes: new Uint8Array(0), filename: 'empty.png' }] }), TypeError);
  assert.equal(sb.requests.length, before);

  // The payer writes: heard, and the complaint says a message waits.
  const message = await sb.complaintMessage(complaint_id, '什么时候到账？');
  assert.equal(message.notification.status, 204);
  assert.equal(d.complaints.get(complaint_id).incoming_user_response, true);

  // Approved and refunded: the amount the payer asked, once, even when asked twice.
  await d.approveRefund(complaint_id, { days: 0 });
  const [refund] = await d.refund(complaint_id);
  assert.equal(refund.out_refund_no, `C${complaint_id}-1`);
  assert.equal(refund.amount, 600);
  const [twice] = await d.refund(complaint_id);
  assert.equal(twice.out_refund_no, refund.out_refund_no);
  assert.equal([...sb.refunds.values()].filter((r) => r.out_refund_no === refund.out_refund_no).length, 1);
  assert.equal(sb.orders.get(out_trade_no).refunded$, 600);

  // The refund arrives: its own notification, then the complaint's (REFUND_SUCCESS): it has ended.
  const settled = await sb.settleRefund(refund.out_refund_no);
  assert.equal(settled.notification.status, 204);
  assert.equal(d.refunds.get(refund.out_refund_no).state, 'SUCCESS');
  assert.deepEqual(settled.complaintNotifications.map((n) => [n.action_type, n.notification.status]), [['REFUND_SUCCESS', 204]]);
  c = d.complaints.get(complaint_id);
  assert.equal(c.complaint_state, 'PROCESSED');
  // Its own reply and approval were told too.
  assert.deepEqual(c.actions, ['CREATE_COMPLAINT', 'MERCHANT_RESPONSE', 'USER_RESPONSE', 'MERCHANT_APPROVE_REFUND', 'REFUND_SUCCESS']);
  assert.deepEqual(heard.map(([, action]) => action), c.actions);
  // Ended: nothing more is taken.
  await assert.rejects(d.reply(complaint_id, 'x'), (err) => err instanceof WxpayError && err.code === 'INVALID_REQUEST');
});

test('a refund request rejected ends the complaint; another complaint is answered and completed, and cannot be refused a refund', async () => {
  const { sb } = ctx;
  const d = desk();
  await d.subscribe();
  const first = (await sb.complain(await paidOrder(d), { problem_type: 'REFUND' })).complaint_id;
  const c = await d.rejectRefund(first, '商品已使用，不符合退款条件', { images: [{ bytes: image(), filename: 'proof.jpg' }] });
  assert.equal(c.complaint_state, 'PROCESSED');
  assert.deepEqual((await d.history(first)).map((h) => h.operate_type), ['USER_CREATE_COMPLAINT', 'MERCHANT_REFUSE_RERUND']);

  const second = (await sb.complain(await paidOrder(d), { problem_type: 'SERVICE_NOT_WORK' })).complaint_id;
  await assert.rejects(d.approveRefund(second), (err) => err instanceof WxpayError && err.code === 'INVALID_REQUEST');
  await d.reply(second, '已联系您处理');
  assert.equal((await d.complete(second)).complaint_state, 'PROCESSED');
  assert.equal(d.complaints.get(second).complaint_full_refunded, false);
});

test('a full refund of a complained order tells the complaint (SELLER_REFUND), which stays open', async () => {
  const { sb } = ctx;
  const d = desk();
  await d.subscribe();
  const out_trade_no = await paidOrder(d, 500);
  const { complaint_id } = await sb.complain(out_trade_no, { problem_type: 'OTHERS' });
  const [refund] = await d.refund(complaint_id);
  assert.equal(refund.amount, 500);
  const settled = await sb.settleRefund(refund.out_refund_no);
  assert.deepEqual(settled.complaintNotifications.map((n) => [n.action_type, n.notification.status]), [['SELLER_REFUND', 204]]);
  const c = d.complaints.get(complaint_id);
  assert.equal(c.complaint_full_refunded, true);
  assert.equal(c.complaint_state, 'PENDING');
  assert.deepEqual(c.actions, ['CREATE_COMPLAINT', 'SELLER_REFUND']);
});

test('a notification naming a complaint the service does not have is answered with a failure, and not marked handled', async () => {
  const { sb } = ctx;
  const d = desk();
  await d.subscribe();
  const r = await sb.notify(notifyUrl, { event_type: 'COMPLAINT.CREATE', resource: { complaint_id: '200200000000000000000000000', action_type: 'CREATE_COMPLAINT' } });
  assert.equal(r.status, 500);
  assert.ok(d.handled instanceof Handled, 'ids kept for the resend window, then forgotten');
  assert.equal(d.handled.size, 0);
  assert.equal(d.complaints.size, 0);
  // A complaint about another merchant (the service's answer naming it) is not taken either.
  const { complaint_id } = await sb.complain(await paidOrder(d), { notify: false });
  sb.complaints.get(complaint_id).complainted_mchid = '1900000110';
  assert.equal((await sb.notify(notifyUrl, { event_type: 'COMPLAINT.CREATE', resource: { complaint_id, action_type: 'CREATE_COMPLAINT' } })).status, 500);
  assert.equal(d.complaints.size, 0);
  // A refund this desk did not make is not trusted either.
  const forged = await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: { out_refund_no: 'nope', transaction_id: 'x', amount: { refund: 1 } } });
  assert.equal(forged.status, 500);
});

test('sync reads every complaint of a period, 30 days a request, 50 a page', async () => {
  const { sb } = ctx;
  const d = desk();
  // No notification URL: complaints are only read by sync.
  const orders = [];
  for (let i = 0; i < 3; i++) orders.push(await paidOrder(d, 100 + i));
  const ids = [];
  for (const no of orders) ids.push((await sb.complain(no, { notify: false, phone: `1380000000${ids.length}` })).complaint_id);
  const from = sb.requests.length;
  const found = await d.sync(Date.now() - 70 * 86400e3);
  assert.deepEqual(found.sort(), [...ids].sort());
  // 71 dates: three requests, none spanning more than 30 dates, the last ending today.
  const lists = sb.requests.slice(from).map((r) => new URL(r.url, 'http://x').searchParams);
  assert.equal(lists.length, 3);
  for (const q of lists) {
    const span = (Date.parse(q.get('end_date')) - Date.parse(q.get('begin_date'))) / 86400e3;
    assert.ok(span >= 0 && span <= MAX_SPAN_DATES - 1, `${q.get('begin_date')}..${q.get('end_date')}`);
    assert.equal(q.get('limit'), '50');
  }
  for (let i = 1; i < lists.length; i++) assert.equal((Date.parse(lists[i].get('begin_date')) - Date.parse(lists[i - 1].get('end_date'))) / 86400e3, 1);
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  assert.equal(lists.at(-1).get('end_date'), today);
  // Each kept with its phone decrypted; a list leaves out payer_openid.
  assert.deepEqual(ids.map((id) => d.complaints.get(id).phone), ['13800000000', '13800000001', '13800000002']);
  assert.equal(d.complaints.get(ids[0]).payer_openid, undefined);
  await assert.rejects(d.sync(Date.now(), Date.now() - 86400e3), TypeError);
});

test('sync pages through more than one page', async () => {
  const { sb } = ctx;
  const d = desk();
  const no = await paidOrder(d);
  const ids = [];
  for (let i = 0; i < 53; i++) ids.push((await sb.complain(no, { notify: false })).complaint_id);
  const from = sb.requests.length;
  assert.deepEqual((await d.sync(Date.now())).sort(), ids.sort());
  assert.deepEqual(sb.requests.slice(from).map((r) => new URL(r.url, 'http://x').searchParams.get('offset')), ['0', '50']);
});

test('an answer heard after a newer one is not kept: a slow read does not take the complaint back', async () => {
  const { sb } = ctx;
  // A fetch that holds the answers of complaint reads while `hold` is set, until released.
  let hold = false;
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const slow = async (input, init) => {
    const held = hold && /complaints-v2\/\d+$/.test(new URL(input instanceof Request ? input.url : input).pathname);
    const res = await fetch(input, init);
    if (held) await gate;
    return res;
  };
  const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, fetch: slow }));
  const d = new Complaints(wxpay, { mchid: sb.mchid, notifyUrl });
  const { complaint_id } = await sb.complain(await paidOrder(d), { notify: false });
  hold = true;
  const old = d.read(complaint_id); // answered PENDING, heard later
  while (!sb.requests.some((r) => r.method === 'GET' && r.url.endsWith(complaint_id))) await new Promise((r) => setTimeout(r, 5));
  hold = false;
  assert.equal((await d.reply(complaint_id, '您好')).complaint_state, 'PROCESSING');
  release();
  assert.equal((await old).complaint_state, 'PROCESSING');
  assert.equal(d.complaints.get(complaint_id).complaint_state, 'PROCESSING');
  // A list read after it is newer, and is kept.
  await d.sync(Date.now());
  assert.equal(d.complaints.get(complaint_id).complaint_state, 'PROCESSING');
});

test('the same notification heard twice at once is handled once', async () => {
  const { sb } = ctx;
  const heard = [];
  // A slow handler: the second delivery arrives while the first is still being handled.
  const d = desk({ onComplaint: async (c, action) => { heard.push(action); await new Promise((r) => setTimeout(r, 50)); } });
  const { complaint_id } = await sb.complain(await paidOrder(d), { notify: false });
  const resource = { complaint_id, action_type: 'CREATE_COMPLAINT' };
  const first = await sb.notification({ event_type: 'COMPLAINT.CREATE', resource });
  const send = () => fetch(notifyUrl, { method: 'POST', headers: first.headers, body: first.body });
  const answers = await Promise.all([send(), send()]);
  assert.deepEqual(answers.map((a) => a.status), [204, 204]);
  assert.deepEqual(heard, ['CREATE_COMPLAINT']);
  assert.deepEqual(d.complaints.get(complaint_id).actions, ['CREATE_COMPLAINT']);
  assert.equal(d.handled.size, 1);
});

test('Beijing dates: a day begins at 16:00 UTC', () => {
  assert.equal(beijingDate(Date.parse('2024-01-01T15:59:59Z')), '2024-01-01');
  assert.equal(beijingDate(Date.parse('2024-01-01T16:00:00Z')), '2024-01-02');
});

test('a handler that throws answers a failure; the notification heard again is handled then, its action recorded once', async () => {
  const { sb } = ctx;
  const errors = [];
  let fail = true;
  const d = desk({ onComplaint: () => { if (fail) throw new Error('not now'); }, onError: (err) => errors.push(err.message) });
  await d.subscribe();
  const { complaint_id, notification } = await sb.complain(await paidOrder(d));
  assert.equal(notification.status, 500);
  assert.deepEqual(errors, ['not now']);
  assert.deepEqual(d.complaints.get(complaint_id).actions, []);
  fail = false;
  const again = await sb.notify(notifyUrl, { event_type: 'COMPLAINT.CREATE', resource: { complaint_id, action_type: 'CREATE_COMPLAINT' }, id: notification.sent.envelope.id });
  assert.equal(again.status, 204);
  assert.deepEqual(d.complaints.get(complaint_id).actions, ['CREATE_COMPLAINT']);
  // Without an action_type, or for a refund of ours with another payment or amount: a failure.
  assert.equal((await sb.notify(notifyUrl, { event_type: 'COMPLAINT.STATE_CHANGE', resource: { complaint_id } })).status, 500);
  const [refund] = await d.refund(complaint_id);
  for (const resource of [
    { out_refund_no: refund.out_refund_no, transaction_id: 'other', amount: { refund: refund.amount } },
    { out_refund_no: refund.out_refund_no, transaction_id: refund.transaction_id, amount: { refund: refund.amount - 1 } },
  ]) assert.equal((await sb.notify(notifyUrl, { event_type: 'REFUND.SUCCESS', resource: { ...resource, refund_status: 'SUCCESS' } })).status, 500);
  assert.equal(d.refunds.get(refund.out_refund_no).state, 'PROCESSING');
  assert.equal(errors.length, 4);
});

test('a reply, a completion or an approval whose answer was lost is found in the history: done once, no error', async () => {
  const { sb } = ctx;
  // A fetch that loses the answer of each call named in `lose` once the sandbox has taken it.
  const lose = new Set();
  const losing = async (input, init) => {
    const res = await fetch(input, init);
    const path = new URL(input instanceof Request ? input.url : input).pathname;
    const step = path.split('/').pop();
    if (init?.method === 'POST' && lose.delete(step)) throw new TypeError('fetch failed: the answer was lost');
    return res;
  };
  const d = new Complaints(new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, fetch: losing })), { mchid: sb.mchid, notifyUrl });
  const { complaint_id } = await sb.complain(await paidOrder(d), { problem_type: 'REFUND', notify: false });
  lose.add('response');
  assert.equal((await d.reply(complaint_id, '已处理')).complaint_state, 'PROCESSING');
  assert.equal((await d.history(complaint_id)).filter((h) => h.operate_type === 'MERCHANT_RESPONSE').length, 1);
  // The same text again is another reply, sent.
  await d.reply(complaint_id, '已处理');
  assert.equal((await d.history(complaint_id)).filter((h) => h.operate_type === 'MERCHANT_RESPONSE').length, 2);
  lose.add('update-refund-progress');
  await d.approveRefund(complaint_id);
  // Again, after the answer came: the service refuses a second decision, and the history says it was taken.
  await d.approveRefund(complaint_id);
  assert.equal((await d.history(complaint_id)).filter((h) => h.operate_type === 'MERCHANT_APPROVE_REFUND').length, 1);
  // A refused call the history does not show stays an error.
  await assert.rejects(d.rejectRefund(complaint_id, '不同意'), (err) => err instanceof WxpayError && err.code === 'INVALID_REQUEST');
  const other = (await sb.complain(await paidOrder(d), { notify: false })).complaint_id;
  await d.reply(other, '您好');
  lose.add('complete');
  assert.equal((await d.complete(other)).complaint_state, 'PROCESSED');
  assert.equal((await d.complete(other)).complaint_state, 'PROCESSED');
});

test('a refund request is refunded once approved; another amount for a refunded order is refused here', async () => {
  const { sb } = ctx;
  const d = desk();
  const { complaint_id } = await sb.complain(await paidOrder(d, 900), { problem_type: 'REFUND', notify: false, apply_refund_amount: 300 });
  const before = sb.requests.length;
  await assert.rejects(d.refund(complaint_id), /approve/);
  assert.ok(sb.requests.slice(before).every((r) => r.method === 'GET'), 'no refund sent');
  await d.approveRefund(complaint_id, { days: 2 });
  const [refund] = await d.refund(complaint_id);
  assert.equal(refund.amount, 300);
  await assert.rejects(d.refund(complaint_id, { amount: 600 }), /refunded 300 already/);
  await assert.rejects(d.refund(complaint_id, { amount: 0 }), TypeError);
  await assert.rejects(d.approveRefund(complaint_id, { days: -1 }), TypeError);
});

test('images at the bounds: four of exactly 2 MB are sent', async () => {
  const { sb } = ctx;
  const d = desk();
  const { complaint_id } = await sb.complain(await paidOrder(d), { notify: false });
  const big = new Uint8Array(MAX_IMAGE_BYTES).fill(7);
  const c = await d.reply(complaint_id, '见附件', { images: [0, 1, 2, 3].map((i) => ({ bytes: big.map((b, j) => (j === 0 ? i : b)), filename: `p${i}.JPG` })) });
  assert.equal(c.complaint_state, 'PROCESSING');
  assert.equal((await d.history(complaint_id))[1].complaint_media_list[0].media_url.length, 4);
});

test('subscribe passes on an error other than "none set"', async () => {
  const { sb } = ctx;
  const d = desk();
  await d.subscribe();
  // The GET fails (and its retries): not "none set", so nothing is created or changed.
  sb.misbehave('error-500', 3);
  const other = new Complaints(d.wxpay, { mchid: sb.mchid, notifyUrl: `${notifyUrl}?v=3` });
  await assert.rejects(other.subscribe(), (err) => err instanceof WxpayError && err.status === 500);
  assert.equal(sb.complaintNotifyUrl, notifyUrl);
  assert.deepEqual(sb.requests.slice(-3).map((r) => r.method), ['GET', 'GET', 'GET']);
});

test("a partner's desk: a sub-merchant's complaint answered, approved, refunded under its sub_mchid and ended; a desk not serving it leaves it out", async () => {
  const { sb } = ctx;
  const SUB = sb.subMchids[0];
  const errors = [];
  const heard = [];
  const d = desk({ subMchids: [SUB], onError: (e) => errors.push(e.message), onComplaint: (c, action) => heard.push(action) });
  await d.subscribe();
  const { complaint_id, notification } = await sb.complain(await subOrder(d, SUB), { sub_mchid: SUB, problem_type: 'REFUND', apply_refund_amount: 500 });
  assert.equal(notification.status, 204, notification.body?.toString());
  assert.equal(d.complaints.get(complaint_id).complainted_mchid, SUB);
  // The reply and the completion name the sub-merchant (the sandbox refuses any other merchant).
  assert.equal((await d.reply(complaint_id, '已联系您')).complaint_state, 'PROCESSING');
  await d.approveRefund(complaint_id);
  const [refund] = await d.refund(complaint_id);
  assert.equal(refund.amount, 500);
  const sent = sb.requests.find((r) => r.method === 'POST' && r.url === '/v3/refund/domestic/refunds');
  assert.equal(JSON.parse(sent.body).sub_mchid, SUB, "refunded as the partner refunds a sub-merchant's order");
  assert.equal(sb.refunds.get(`${SUB}/${refund.out_refund_no}`)?.amount.refund, 500);
  const settled = await sb.settleRefund(refund.out_refund_no, { sub_mchid: SUB });
  assert.equal(settled.notification.status, 204, 'the refund notification is one of ours');
  assert.deepEqual(settled.complaintNotifications.map((n) => [n.action_type, n.notification.status]), [['REFUND_SUCCESS', 204]]);
  assert.equal(d.complaints.get(complaint_id).complaint_state, 'PROCESSED');
  assert.equal(d.refunds.get(refund.out_refund_no).state, 'SUCCESS');
  assert.deepEqual(heard, ['CREATE_COMPLAINT', 'MERCHANT_RESPONSE', 'MERCHANT_APPROVE_REFUND', 'REFUND_SUCCESS']);
  // One merchant's complaints alone.
  assert.deepEqual(await d.sync(Date.now(), Date.now(), { complainted_mchid: SUB }), [complaint_id]);
  assert.deepEqual(await d.sync(Date.now(), Date.now(), { complainted_mchid: sb.mchid }), []);
  await assert.rejects(d.sync(Date.now(), Date.now(), { complainted_mchid: '1230000109' }), (e) => e.code === 'PARAM_ERROR', 'not a merchant of this partner');
  assert.deepEqual(errors, []);
  // A desk of the partner alone: the sub-merchant's complaint is not kept, and it is told why.
  const alone = desk({ onError: (e) => errors.push(e.message) });
  assert.deepEqual(await alone.sync(Date.now()), []);
  assert.ok(!alone.complaints.has(complaint_id));
  assert.match(errors.at(-1), new RegExp(`complaint ${complaint_id} is not about this merchant or one of its sub-merchants`));
  // A reply naming the partner itself is refused by the service: the desk names the complaint's merchant.
  const wrong = await d.wxpay.v3.merchantService.complaintsV2._complaint_id_.response.post({ complainted_mchid: sb.mchid, response_content: 'x' }, { complaint_id }).catch((e) => e);
  assert.equal(wrong.code, 'PARAM_ERROR');
});

/** A sub-merchant's order placed by the partner and paid (no payment notification): its number. */
async function subOrder(d, SUB, total = 800) {
  const out_trade_no = `p${Date.now()}${crypto.randomInt(1e6)}`;
  await d.wxpay.v3.pay.partner.transactions.jsapi.post({
    sp_appid: APPID, sp_mchid: ctx.sb.mchid, sub_mchid: SUB, description: '茶', out_trade_no, notify_url: notifyUrl,
    amount: { total, currency: 'CNY' }, payer: { sp_openid: OPENID },
  });
  await ctx.sb.pay(out_trade_no, { sub_mchid: SUB, notify: false });
  return out_trade_no;
}

test("a partner's desk completes a sub-merchant's complaint as that merchant", async () => {
  const { sb } = ctx;
  const SUB = sb.subMchids[0];
  const d = desk({ subMchids: [SUB] });
  const { complaint_id } = await sb.complain(await subOrder(d, SUB), { sub_mchid: SUB, notify: false });
  await d.reply(complaint_id, '已处理');
  assert.equal((await d.complete(complaint_id)).complaint_state, 'PROCESSED');
  const sent = sb.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v3/merchant-service/complaints-v2/'));
  assert.deepEqual(sent.map((r) => JSON.parse(r.body).complainted_mchid), [SUB, SUB]);
});

test("a partner's refund taken but its answer refused: the desk asks for it under its sub_mchid, and keeps it", async () => {
  const { sb } = ctx;
  const SUB = sb.subMchids[0];
  // The refund is taken, then sent again altered: the service refuses the second (its signature
  // no longer covers its body), and the desk must find the first by its number.
  const fetchOnce = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (init?.method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') {
      await fetch(input, init);
      return fetch(input, { ...init, body: `${init.body} ` });
    }
    return fetch(input, init);
  };
  const wxpay = new Wxpay(options(sb, { apiv3Key: sb.apiv3Key, fetch: fetchOnce }));
  const d = new Complaints(wxpay, { mchid: sb.mchid, subMchids: [SUB], notifyUrl });
  const { complaint_id } = await sb.complain(await subOrder(d, SUB), { sub_mchid: SUB, notify: false });
  await d.refund(complaint_id).catch(() => {});
  assert.equal(d.refunds.get(`C${complaint_id}-1`)?.state, 'PROCESSING', 'kept: the service has it');
  const asked = sb.requests.filter((r) => r.method === 'GET' && r.url.startsWith('/v3/refund/domestic/refunds/'));
  assert.equal(asked.length, 1);
  assert.equal(new URL(asked[0].url, 'http://x').searchParams.get('sub_mchid'), SUB);
});
