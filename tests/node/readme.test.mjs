// Every ```js block of README.md, run as pasted against the sandbox, so the README never rots.
//
// Each snippet runs in a fresh `node` process, as a user's module would: its working directory is
// a temp dir holding what the snippets read (apiclient_key.pem, pub_key.pem, logo.png,
// licence.pdf) and a node_modules/wxpay-wasm link to the installed package; WXPAY_APIV3_KEY is
// set; tests/readme/route-fetch.mjs, preloaded, routes https://api.mch.weixin.qq.com (and api2)
// to the sandbox and refuses any other host. The sandbox plays this merchant's account: mchid
// 1900000109, merchant serial 1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C (the README's placeholders), its
// own platform certificate (downloaded by the client with the APIv3 key) and its download URLs on
// https://api.mch.weixin.qq.com/.
//
// The snippet's text is never edited. A snippet that is a fragment gets a preamble (what the
// README defined earlier, e.g. the `wxpay` client of its first snippet, or what a handler is
// given, e.g. `req`); every case may add a postamble that reports the snippet's variables
// (`report$`). Both are listed below, per snippet; names ending in `$` are ours. Each case then
// asserts what a user would notice: the values the snippet got, and what the sandbox received
// and verified.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, generateKeys, CARD_ID } from '../sandbox/index.mjs';
import { tunnelProxy } from './helpers.mjs';
import { tradeBill, parseMultipart } from '../sandbox/files.mjs';
import { readmeBlocks } from '../readme/blocks.mjs';
import { Wxpay } from 'wxpay-wasm';

const MCHID = '1900000109';
const SERIAL = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
const PKG = realpathSync(fileURLToPath(new URL('../../node_modules/wxpay-wasm', import.meta.url)));
// What a snippet installs besides the package (`npm install undici`): this workspace's copy.
const UNDICI = realpathSync(fileURLToPath(new URL('../../node_modules/undici', import.meta.url)));
const PRELOAD = fileURLToPath(new URL('../readme/route-fetch.mjs', import.meta.url));
const MEMBER_PATH = `/v3/marketing/membercard-open/cards/${CARD_ID}/codes/300000001`;
// A tiny PNG and PDF, the files the upload snippet reads.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n% licence\n%%EOF\n');
/** The merchant's APIv2 key the snippets read from WXPAY_APIV2_KEY. */
const APIV2_KEY = 'Kq3vT8xZ1mN5bR7cW2yH4jL6pD9sF0gA';

let sb, proxy;
before(async () => {
  const keys = generateKeys(MCHID);
  keys.merchant.serial = SERIAL;
  sb = await startSandbox({ keys, publicBaseURL: 'https://api.mch.weixin.qq.com/' });
  proxy = await tunnelProxy();
});
beforeEach(() => { sb.reset(); proxy.connects.length = 0; });
after(() => Promise.all([sb?.close(), proxy?.close()]));

// ---- preambles ----
const REPORT = "const report$ = (o) => console.log('README-RESULT ' + JSON.stringify(o));\n";
/** The client of the README's first snippet (Use), for the snippets that use `wxpay`. */
const CLIENT = `import { readFileSync as readFileSync$ } from 'node:fs';
import * as wxpayWasm$ from 'wxpay-wasm';
const wxpay = new wxpayWasm$.Wxpay({
  mchid: '${MCHID}', serial: '${SERIAL}', privateKey: readFileSync$('apiclient_key.pem'), apiv3Key: process.env.WXPAY_APIV3_KEY,
});
`;
/** A notification the sandbox signed and encrypted, written to notification.json by the case. */
/** The reader's `options`: the client options of the first snippet, for the snippets that spread them. */
const OPTIONS = `import { readFileSync } from 'node:fs';
import { Wxpay } from 'wxpay-wasm';
const options = { mchid: '${MCHID}', serial: '${SERIAL}', privateKey: readFileSync('apiclient_key.pem'), apiv3Key: process.env.WXPAY_APIV3_KEY };
`;
const NOTIFICATION = "const notification$ = JSON.parse(readFileSync$('notification.json', 'utf8'));\n";
/** The sandbox's sub-merchant, and the order number of the README's partner snippets. */
const SUB_MCHID = '1900000110';
const PARTNER_ORDER = '1217752501201407033233368020';
const RESOURCE = { mchid: MCHID, appid: 'wx8888888888888888', out_trade_no: 'readme-order-1', transaction_id: '4200000000202406010000000001', trade_state: 'SUCCESS', amount: { total: 100, currency: 'CNY' } };

const only = (path) => sb.requests.filter((r) => r.url.split('?')[0] === path);
function assertAllVerified() {
  assert.ok(sb.requests.length > 0, 'the sandbox saw no request');
  for (const r of sb.requests) assert.ok(r.verified, `${r.method} ${r.url}: ${r.reason}`);
}
const verifies = (message, signature) =>
  crypto.verify('sha256', Buffer.from(message), sb.merchant.publicKeySpki, Buffer.from(signature, 'base64'));

/**
 * Per README block id: `preamble`, `postamble`, `setup(dir)` (files beyond the common ones, and
 * what the sandbox must hold first; awaited) and
 * `check({ result, stdout, stderr, dir })`.
 */
const CASES = {
  'Use #1': {
    // A whole program: no preamble.
    postamble: 'report$({ status, headers, data, ok });',
    check({ result }) {
      assert.equal(result.status, 200);
      assert.match(result.headers['request-id'], /^sbx-/);
      assert.equal(result.data.code, '300000001');
      assert.equal(result.data.balance, 1000);
      assert.equal(result.ok, true);
      const card = sb.cards[CARD_ID]['300000001'];
      assert.equal(card.balance, 1100);
      assert.equal(card.level, 'GOLD');
      // The platform certificate was downloaded with the APIv3 key; every request signed and verified.
      assert.equal(only('/v3/certificates').length, 1);
      assert.deepEqual(only(MEMBER_PATH).map((r) => [r.method, r.status]), [['GET', 200], ['PATCH', 204]]);
      assertAllVerified();
    },
  },
  'Payment parameters for the front end #1': {
    preamble: CLIENT,
    postamble: 'report$({ prepay_id: data.prepay_id, app_prepay_id: appOrder.prepay_id, params, appParams });',
    check({ result: { prepay_id, app_prepay_id, params, appParams } }) {
      assert.ok(sb.prepays.has(prepay_id), 'the prepay_id the sandbox issued');
      assert.equal(sb.prepays.get(prepay_id).kind, 'jsapi');
      assert.equal(sb.prepays.get(app_prepay_id)?.kind, 'app', 'the APP parameters are for an APP order');
      assert.equal(appParams.appid, sb.prepays.get(app_prepay_id).appid, "under the APP order's appid");
      assert.equal(sb.prepays.get(prepay_id).payer.openid, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
      assert.deepEqual(Object.keys(params).sort(), ['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
      assert.equal(params.package, `prepay_id=${prepay_id}`);
      assert.equal(params.signType, 'RSA');
      assert.ok(verifies(`${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`, params.paySign), 'paySign');
      assert.equal(appParams.prepayid, app_prepay_id);
      assert.equal(appParams.partnerid, MCHID);
      assert.equal(appParams.package, 'Sign=WXPay');
      assert.ok(verifies(`${appParams.appid}\n${appParams.timestamp}\n${appParams.noncestr}\n${appParams.prepayid}\n`, appParams.sign), 'APP sign');
      assertAllVerified();
    },
  },
  'Payment parameters for the front end #2': {
    // `serviceOrder`: the answer of 创建支付分订单 (the sandbox does not serve 支付分).
    preamble: "const serviceOrder = { package: 'AAEAAAAAAAAAAA1bGxs/AAAAAAAAAAAAAA==' };\n",
    postamble: 'report$({ scoreParams });',
    check({ result: { scoreParams } }) {
      const { businessType, extraData } = scoreParams;
      assert.equal(businessType, 'wxpayScoreUse');
      assert.deepEqual(Object.keys(extraData).sort(), ['mch_id', 'nonce_str', 'package', 'sign', 'sign_type', 'timestamp']);
      assert.deepEqual([extraData.mch_id, extraData.package, extraData.sign_type], [MCHID, 'AAEAAAAAAAAAAA1bGxs/AAAAAAAAAAAAAA==', 'HMAC-SHA256']);
      assert.match(extraData.nonce_str, /^[0-9A-Za-z]{32}$/);
      assert.ok(Math.abs(Number(extraData.timestamp) - Date.now() / 1000) < 60);
      // node:crypto judges the APIv2 rule: sorted k=v&..., then &key=, HMAC-SHA256 under the key.
      const { sign, ...fields } = extraData;
      const text = `${Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('&')}&key=${APIV2_KEY}`;
      assert.equal(sign, crypto.createHmac('sha256', APIV2_KEY).update(text).digest('hex').toUpperCase());
      assert.equal(sb.requests.length, 0, 'nothing sent: the parameters are made here');
    },
  },
  'Payment parameters for the front end #3': {
    postamble: 'report$({ sign, send_coupon_params, send_coupon_merchant });',
    check({ result: { sign, send_coupon_params, send_coupon_merchant } }) {
      // node:crypto judges the 小程序发券插件's string as its page writes it: the numbered fields
      // and send_coupon_merchant sorted, then &key=, HMAC-SHA256 under the APIv2 key.
      const [{ stock_id, out_request_no }] = send_coupon_params;
      const text = `out_request_no0=${out_request_no}&send_coupon_merchant=${send_coupon_merchant}&stock_id0=${stock_id}&key=${APIV2_KEY}`;
      assert.equal(sign, crypto.createHmac('sha256', APIV2_KEY).update(text).digest('hex').toUpperCase());
      assert.equal(sb.requests.length, 0, 'nothing sent: the sign is made here');
    },
  },
  'Partners (服务商) #1': {
    // The README's first client: its mchid (1900000109) is the partner's, the sandbox's sub-merchant 1900000110.
    preamble: CLIENT,
    postamble: 'report$({ prepay_id: data.prepay_id, params, order });',
    check({ result: { prepay_id, params, order } }) {
      const placed = sb.prepays.get(prepay_id);
      assert.equal(placed?.kind, 'jsapi', 'the prepay_id the sandbox issued');
      assert.deepEqual([placed.sp_appid, placed.sp_mchid, placed.sub_mchid, placed.payer], ['wx8888888888888888', MCHID, SUB_MCHID, { sp_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }]);
      assert.deepEqual(only('/v3/pay/partner/transactions/jsapi').map((r) => [r.method, r.status]), [['POST', 200]]);
      // The page's parameters, under the partner's key, for sp_appid.
      assert.equal(params.appId, 'wx8888888888888888');
      assert.equal(params.package, `prepay_id=${prepay_id}`);
      assert.ok(verifies(`${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`, params.paySign), 'paySign');
      // The query: both merchants in its query string; the order as placed, not paid.
      const [query] = only(`/v3/pay/partner/transactions/out-trade-no/${PARTNER_ORDER}`);
      assert.equal(query.method, 'GET');
      assert.equal(query.url, `/v3/pay/partner/transactions/out-trade-no/${PARTNER_ORDER}?sp_mchid=${MCHID}&sub_mchid=${SUB_MCHID}`);
      assert.deepEqual([order.sp_mchid, order.sub_mchid, order.out_trade_no, order.trade_state, 'mchid' in order], [MCHID, SUB_MCHID, PARTNER_ORDER, 'NOTPAY', false]);
      assertAllVerified();
    },
  },
  'Partners (服务商) #2': {
    // The sub-merchant's order, placed and paid (the sandbox plays the payer) before the snippet
    // runs; its notification as WeChat Pay posts it; the reader's own record of the order. Then
    // the refund and its query are the snippet's.
    async setup(dir) {
      const partner = new Wxpay({ mchid: MCHID, serial: SERIAL, privateKey: sb.merchant.privateKeyPkcs8, apiv3Key: sb.apiv3Key, baseURL: sb.baseURL });
      await partner.v3.pay.partner.transactions.jsapi.post({
        sp_appid: 'wx8888888888888888', sp_mchid: MCHID, sub_mchid: SUB_MCHID, description: 'x', out_trade_no: PARTNER_ORDER,
        notify_url: 'https://example.com/notify', amount: { total: 100, currency: 'CNY' }, payer: { sp_openid: 'o' },
      });
      const { transaction } = await sb.pay(PARTNER_ORDER, { notify: false, sub_mchid: SUB_MCHID });
      const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: transaction });
      writeFileSync(join(dir, 'notification.json'), JSON.stringify({ headers: n.headers, body: n.body.toString('base64') }));
      sb.requests.length = 0;
    },
    preamble: `${CLIENT}${NOTIFICATION}const request = new Request('https://merchant.example/notify', { method: 'POST', headers: notification$.headers, body: Buffer.from(notification$.body, 'base64') });
const sp_mchid = '${MCHID}';
const orders = new Map([['${SUB_MCHID}/${PARTNER_ORDER}', { total: 100 }]]);
`,
    postamble: 'report$({ resource, refund, status });',
    check({ result: { resource, refund, status } }) {
      assert.deepEqual([resource.sp_mchid, resource.sub_mchid, resource.out_trade_no, resource.trade_state, resource.amount.total], [MCHID, SUB_MCHID, PARTNER_ORDER, 'SUCCESS', 100]);
      const [post] = only('/v3/refund/domestic/refunds');
      assert.equal(post.status, 200);
      const body = JSON.parse(post.body);
      assert.deepEqual([body.sub_mchid, body.out_trade_no, body.amount], [SUB_MCHID, PARTNER_ORDER, { refund: 100, total: 100, currency: 'CNY' }]);
      assert.equal(refund.out_refund_no, '1217752501201407033233368021');
      assert.equal(refund.status, 'PROCESSING');
      const [query] = only('/v3/refund/domestic/refunds/1217752501201407033233368021');
      assert.equal(query.url, `/v3/refund/domestic/refunds/1217752501201407033233368021?sub_mchid=${SUB_MCHID}`);
      assert.deepEqual([status.out_refund_no, status.out_trade_no, status.status], [refund.out_refund_no, PARTNER_ORDER, 'PROCESSING']);
      assertAllVerified();
    },
  },
  'Retries, the backup host and hooks #1': {
    // `options`, `log` and `metrics` are the reader's: the client options of the first snippet, a
    // logger and a metrics sink that print what they are given.
    preamble: `${OPTIONS}const logged$ = [], observed$ = [];
const log = { debug: (...args) => logged$.push(args) };
const metrics = { observe: (...args) => observed$.push(args) };
`,
    postamble: `await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: '${CARD_ID}', code: '300000001' });
report$({ logged: logged$, observed: observed$ });`,
    check({ result: { logged, observed } }) {
      const url = `https://api.mch.weixin.qq.com${MEMBER_PATH}`;
      const certs = 'https://api.mch.weixin.qq.com/v3/certificates';
      // No platform key known yet: the certificates are downloaded first, then the GET goes out.
      assert.deepEqual(logged, [['wxpay ->', 'GET', certs, 1], ['wxpay ->', 'GET', url, 1]]);
      assert.deepEqual(observed.map(([name, labels]) => [name, labels]), [
        ['wxpay', { method: 'GET', status: 200, attempt: 1 }], ['wxpay', { method: 'GET', status: 200, attempt: 1 }]]);
      for (const [, , duration] of observed) assert.ok(Number.isFinite(duration) && duration >= 0, `duration ${duration}`);
      assertAllVerified();
    },
  },
  'Runtimes #1': {
    // `options` is the first snippet's. The runtime's fetch (routed to the sandbox) first gets no
    // answer for the member card, as on a connection that died silently: the snippet's deadline
    // ends that try, and the retry is answered, well within the request's timeout. Then an
    // answer whose headers come at once and whose body takes 3 s, longer than that deadline: read
    // in its one try (the deadline covers the wait for the headers only).
    preamble: `${OPTIONS}const fetch$ = globalThis.fetch;
let silent$ = 1, slow$ = 0, tries$ = 0;
globalThis.fetch = async (url, init) => {
  if (!String(url).includes('/membercard-open/')) return fetch$(url, init);
  tries$++;
  if (silent$-- > 0) return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true }));
  const answer = await fetch$(url, init);
  if (slow$-- <= 0) return answer;
  const body = new Uint8Array(await answer.arrayBuffer());
  // The body's bytes 3 s after its headers, unless the signal the try was given ends it first.
  const late = new ReadableStream({
    start(c) {
      const timer = setTimeout(() => { c.enqueue(body); c.close(); }, 3000);
      init.signal?.addEventListener('abort', () => { clearTimeout(timer); c.error(init.signal.reason); }, { once: true });
    },
  });
  return new Response(late, { status: answer.status, headers: answer.headers });
};
`,
    postamble: `const member$ = () => wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: '${CARD_ID}', code: '300000001' });
let started$ = Date.now();
const first$ = await member$();
const firstTook$ = Date.now() - started$, firstTries$ = tries$;
slow$ = 1;
started$ = Date.now();
const second$ = await member$();
report$({ first: [first$.status, firstTook$, firstTries$], second: [second$.status, Date.now() - started$, tries$ - firstTries$] });`,
    check({ result: { first, second } }) {
      assert.equal(first[0], 200);
      assert.ok(first[1] >= 2400 && first[1] < 8000, `took ${first[1]} ms`);
      assert.equal(first[2], 2, 'the first try got no answer, the second was answered');
      assert.equal(second[0], 200);
      assert.ok(second[1] >= 2900 && second[1] < 8000, `took ${second[1]} ms`);
      assert.equal(second[2], 1, 'the slow body was read in its one try');
      assert.equal(only(MEMBER_PATH).length, 2, 'the sandbox answered the two that were sent');
      assertAllVerified();
    },
  },
  'Testing your code #1': {
    // A whole program: its own keys and fetch; nothing reaches the sandbox.
    postamble: 'report$({ data, sent: wxpay.crypto, paid });',
    check({ result }) {
      assert.deepEqual(result.data, { prepay_id: 'wx201410272009395522657a690389285100' });
      // The notification it made verifies and decrypts in the client it made.
      assert.equal(result.paid.event_type, 'TRANSACTION.SUCCESS');
      assert.deepEqual(result.paid.resource, { out_trade_no: '1217752501201407033233368018', trade_state: 'SUCCESS' });
      assert.equal(sb.requests.length, 0);
    },
  },
  'Behind a proxy #1': {
    // The reader's `options` (the first snippet's) with the sandbox as baseURL: the proxy, a local
    // one of CONNECT tunnels, reaches no other host. Its address comes as HTTPS_PROXY.
    get preamble() {
      return `import { readFileSync } from 'node:fs';
import { Wxpay } from 'wxpay-wasm';
process.env.HTTPS_PROXY = '${proxy.url}';
const options = { mchid: '${MCHID}', serial: '${SERIAL}', privateKey: readFileSync('apiclient_key.pem'), apiv3Key: process.env.WXPAY_APIV3_KEY, baseURL: process.env.WXPAY_README_SANDBOX };
`;
    },
    postamble: `const { status } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: '${CARD_ID}', code: '300000001' });
await dispatcher.close();
report$({ status });`,
    check({ result }) {
      assert.equal(result.status, 200);
      // The certificate download and the GET, through the proxy's tunnel(s) to the sandbox.
      assert.deepEqual(sb.requests.map((r) => r.url.split('?')[0]), ['/v3/certificates', MEMBER_PATH]);
      assertAllVerified();
      assert.ok(proxy.connects.length > 0, 'nothing went through the proxy');
      assert.deepEqual(new Set(proxy.connects.map(([target, status]) => `${target} ${status}`)), new Set([`${new URL(sb.baseURL).host} 200`]));
    },
  },
  'Notifications (回调通知) #1': {
    // `markPaid` is the reader's; the postamble hands `onNotify` a Request as Workers would.
    preamble: `${CLIENT}${NOTIFICATION}const paid$ = [];
let down$ = false;
const markPaid = async (out_trade_no) => { if (down$) throw new Error('database down'); paid$.push(out_trade_no); };
console.error = () => {};
`,
    // Then the same body with one byte changed: answered 401, nothing marked paid; then the
    // same notification while the reader's store is down: answered 500, the error not in it.
    postamble: `const post$ = (body) => new Request('https://merchant.example/notify', { method: 'POST', headers: notification$.headers, body });
const body$ = Buffer.from(notification$.body, 'base64');
const response$ = await onNotify(post$(body$));
const tampered$ = Buffer.from(body$); tampered$[tampered$.indexOf('TRANSACTION')] ^= 0x20;
const forged$ = await onNotify(post$(tampered$));
down$ = true;
const failed$ = await onNotify(post$(body$));
report$({ status: response$.status, paid: paid$, forged: [forged$.status, await forged$.json()], failed: [failed$.status, await failed$.json()] });`,
    notification: true,
    check({ result }) {
      assert.equal(result.status, 204);
      assert.deepEqual(result.paid, ['readme-order-1']);
      assert.deepEqual(result.forged, [401, { code: 'FAIL', message: 'rejected' }]);
      assert.deepEqual(result.failed, [500, { code: 'FAIL', message: 'not handled' }]);
    },
  },
  'Notifications (回调通知) #2': {
    // What a node:http handler has: its request, a Readable whose body is not read yet, with
    // \`req.headers\` (lower-case names). (A real server's: tests/node/notify-http.test.mjs.)
    preamble: `${CLIENT}${NOTIFICATION}const { Readable: Readable$ } = await import('node:stream');
const req = Object.assign(Readable$.from([Buffer.from(notification$.body, 'base64')], { objectMode: false }), { headers: Object.fromEntries(Object.entries(notification$.headers).map(([k, v]) => [k.toLowerCase(), v])) });
`,
    postamble: 'report$({ notification });',
    notification: true,
    check({ result: { notification } }) {
      assert.equal(notification.event_type, 'TRANSACTION.SUCCESS');
      assert.equal(notification.resource_type, 'encrypt-resource');
      assert.deepEqual(notification.resource, RESOURCE);
    },
  },
  "In Node's frameworks #1": {
    // The serverless handler, given events of each platform's documented shape: AWS Lambda's API
    // Gateway REST (v1: headers as sent, a text body) and HTTP API or function URL (v2: lower-case
    // names, a base64 body), Tencent SCF's API Gateway trigger (a text body) and function URL (no
    // isBase64Encoded), Alibaba FC 3.0's
    // HTTP trigger (the event as JSON bytes, a base64 body); then a forged one, and one whose
    // base64 body a handler forgot to decode.
    preamble: `${CLIENT}${NOTIFICATION}const paid$ = [];
const markPaid = async (out_trade_no) => { paid$.push(out_trade_no); };
const logged$ = [];
console.error = (err) => logged$.push(err?.code);
`,
    postamble: `const raw$ = Buffer.from(notification$.body, 'base64');
const lower$ = Object.fromEntries(Object.entries(notification$.headers).map(([k, v]) => [k.toLowerCase(), v]));
const events$ = {
  awsRest: { resource: '/notify', httpMethod: 'POST', headers: notification$.headers, multiValueHeaders: Object.fromEntries(Object.entries(notification$.headers).map(([k, v]) => [k, [v]])), body: raw$.toString('utf8'), isBase64Encoded: false },
  awsHttp: { version: '2.0', routeKey: 'POST /notify', rawPath: '/notify', headers: lower$, body: raw$.toString('base64'), isBase64Encoded: true },
  scf: { httpMethod: 'POST', path: '/notify', headers: lower$, body: raw$.toString('utf8'), isBase64Encoded: false },
  scfUrl: { headers: lower$, body: raw$.toString('utf8') },
  fc3: Buffer.from(JSON.stringify({ version: 'v1', rawPath: '/notify', headers: notification$.headers, body: raw$.toString('base64'), isBase64Encoded: true })),
};
const answers$ = {};
for (const [name, event] of Object.entries(events$)) answers$[name] = await handler(event);
const forged$ = Buffer.from(raw$); forged$[forged$.indexOf('TRANSACTION')] ^= 0x20;
answers$.forged = await handler({ headers: lower$, body: forged$.toString('utf8') });
answers$.undecoded = await handler({ headers: lower$, body: raw$.toString('base64') });
report$({ answers: answers$, paid: paid$, logged: logged$ });`,
    notification: true,
    check({ result: { answers, paid, logged } }) {
      const handled = { statusCode: 204, headers: {}, body: '' };
      for (const name of ['awsRest', 'awsHttp', 'scf', 'scfUrl', 'fc3']) assert.deepEqual(answers[name], handled, name);
      assert.deepEqual(paid, Array(5).fill('readme-order-1'));
      assert.deepEqual(answers.forged, { statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"code":"FAIL","message":"rejected"}' });
      assert.deepEqual(answers.undecoded, { statusCode: 500, headers: { 'content-type': 'application/json' }, body: '{"code":"FAIL","message":"not handled"}' });
      assert.deepEqual(logged, ['ERR_NOTIFY_SIGNATURE', 'ERR_INVALID_PARAM']);
    },
  },
  'Sensitive fields (敏感信息加密) #1': {
    preamble: CLIENT,
    postamble: 'report$({ name, data, serial: wxpay.wechatpaySerial });',
    check({ result }) {
      assert.equal(result.name, '张三');
      assert.equal(result.serial, sb.platform.serial);
      const [add] = only('/v3/profitsharing/receivers/add');
      assert.equal(add.status, 200);
      assert.equal(add.headers['wechatpay-serial'], sb.platform.serial);
      assert.notEqual(JSON.parse(add.body).name, '张三');
      assertAllVerified();
    },
  },
  'Uploads (图片/视频上传) #1': {
    preamble: CLIENT,
    postamble: 'report$({ data });',
    check({ result: { data } }) {
      assert.equal(data.filename, 'logo.png');
      assert.equal(data.size, PNG.length);
      assert.deepEqual(data.meta, { filename: 'logo.png', sha256: crypto.createHash('sha256').update(PNG).digest('hex') });
      const [media] = only('/v3/merchant/media/upload');
      assert.equal(media.status, 200);
      const [sub] = only('/v3/mch-manage/submission-files/sub-mchid/1900000110/upload');
      assert.equal(sub.status, 200);
      const parts = parseMultipart(sub.body, sub.headers['content-type']);
      assert.deepEqual(parts.map((p) => p.name), ['meta', 'submission_file', 'item_id', 'manage_record_id']);
      assert.deepEqual(parts[1].body, PDF);
      assert.deepEqual(parts.slice(2).map((p) => p.body.toString()), ['56', 'r1']);
      assertAllVerified();
    },
  },
  'Downloads, bills and statements (账单下载) #1': {
    preamble: CLIENT,
    check({ stdout, dir }) {
      assert.match(stdout, /^order-0 3$/m);
      assert.deepEqual(readFileSync(join(dir, 'tradebill.csv')), tradeBill(3));
      assert.deepEqual(only('/v3/bill/tradebill').map((r) => r.url), ['/v3/bill/tradebill?bill_date=2024-06-01&tar_type=GZIP']);
      assert.equal(only('/v3/billdownload/file').length, 2);
      assertAllVerified();
    },
  },
  'Downloads, bills and statements (账单下载) #2': {
    // `data` is the tradebill answer of the block above.
    preamble: `${CLIENT}const { data } = await wxpay.v3.bill.tradebill.get({ params: { bill_date: '2024-06-01', tar_type: 'GZIP' } });\n`,
    check({ stdout }) {
      assert.match(stdout, /^3 3$/m); // three rows of 0.01 yuan: 3 fen
      assert.equal(only('/v3/billdownload/file').length, 1);
    },
  },
  'Errors #1': {
    // `WxpayError`, `card_id` and `code` come from the first snippet; this code is not seeded.
    preamble: `${CLIENT}import { WxpayError } from 'wxpay-wasm';
const card_id = '${CARD_ID}', code = '404000404';
`,
    check({ stderr }) {
      assert.match(stderr, /^RESOURCE_NOT_EXISTS 会员卡不存在 \(no such card code\) 404 sbx-\d+-[0-9a-f]+ undefined$/m);
      assert.equal(only(`/v3/marketing/membercard-open/cards/${CARD_ID}/codes/404000404`)[0].status, 404);
    },
  },
};

function run(dir, file) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', PRELOAD, file], {
      cwd: dir, timeout: 30_000,
      env: { ...process.env, WXPAY_APIV3_KEY: sb.apiv3Key, WXPAY_APIV2_KEY: APIV2_KEY, WXPAY_README_SANDBOX: sb.baseURL },
    }, (error, stdout, stderr) => resolve({ code: error ? error.code ?? error.signal : 0, stdout, stderr }));
  });
}

const blocks = readmeBlocks('js');

test('README: every ```js block has a case here, and every case a block', () => {
  assert.deepEqual(blocks.map((b) => b.id).sort(), Object.keys(CASES).sort());
});

for (const block of blocks) {
  const c = CASES[block.id];
  if (!c) continue;
  test(`README (line ${block.line}): ${block.id}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxpay-readme-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(PKG, join(dir, 'node_modules/wxpay-wasm'), 'dir');
      symlinkSync(UNDICI, join(dir, 'node_modules/undici'), 'dir');
      writeFileSync(join(dir, 'apiclient_key.pem'), sb.merchant.privateKeyPkcs8);
      writeFileSync(join(dir, 'pub_key.pem'), sb.pubkey.publicKeySpki);
      writeFileSync(join(dir, 'logo.png'), PNG);
      writeFileSync(join(dir, 'licence.pdf'), PDF);
      await c.setup?.(dir);
      if (c.notification) {
        const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: RESOURCE });
        writeFileSync(join(dir, 'notification.json'), JSON.stringify({ headers: n.headers, body: n.body.toString('base64') }));
      }
      const source = `${REPORT}${c.preamble ?? ''}${block.code}${c.postamble ?? ''}\n`;
      writeFileSync(join(dir, 'snippet.mjs'), source);
      const { code, stdout, stderr } = await run(dir, 'snippet.mjs');
      assert.equal(code, 0, `the snippet failed (exit ${code}):\n${stderr}\n--- snippet.mjs ---\n${source}`);
      const line = stdout.split('\n').find((l) => l.startsWith('README-RESULT '));
      const result = line && JSON.parse(line.slice('README-RESULT '.length));
      if (c.postamble?.includes('report$')) assert.ok(result, `no result reported:\n${stdout}`);
      c.check({ result, stdout, stderr, dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
