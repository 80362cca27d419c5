// The chain: cached nodes, not thenable, coercion sends nothing, path templates, bracket
// access of raw segments and paths, and the five verbs.
import test from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Wxpay } from 'wxpay-wasm';
import { useSandbox, options, memberCode, countingFetch, SEED_TEMPLATE, rejectsWith, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();

/** A client whose every fetch is counted, so "sends nothing" is checked at the source. */
function counted() {
  const fetch = countingFetch();
  return { wxpay: new Wxpay(options(ctx.sb, { fetch })), fetch };
}

async function assertNothingSent(fetch) {
  await sleep(50); // a request started by mistake would have reached fetch and the sandbox by now
  assert.equal(fetch.calls.length, 0, `fetch was called: ${fetch.calls.map((c) => `${c.init?.method} ${c.url}`).join(', ')}`);
  assert.equal(ctx.sb.requests.length, 0);
}

test('nodes are cached: the same property gives the same node, and verbs are cached too', () => {
  const { wxpay } = counted();
  assert.equal(wxpay.v3, wxpay.v3);
  assert.equal(wxpay.v3.marketing, wxpay.v3.marketing);
  assert.equal(memberCode(wxpay), memberCode(wxpay));
  assert.equal(memberCode(wxpay).get, memberCode(wxpay).get);
  assert.equal(wxpay.v3['bill/tradebill'], wxpay.v3['bill/tradebill']);
  assert.notEqual(wxpay.v3.a, wxpay.v3.b);
  const other = new Wxpay(options(ctx.sb));
  assert.notEqual(other.v3.marketing, wxpay.v3.marketing, 'nodes belong to their client');
});

test('a node keeps its first 64 children and its verbs as its own hidden properties; more are made afresh', async () => {
  const { wxpay, fetch } = counted();
  const ids = wxpay.v3.pay.transactions.outTradeNo;
  const first = Array.from({ length: 64 }, (_, i) => ids[`N${i}`]);
  first.forEach((node, i) => assert.equal(ids[`N${i}`], node, `child ${i} is kept`));
  assert.notEqual(ids.N64, ids.N64, 'the 65th child is made at each read');
  assert.equal(String(ids.N64), 'v3/pay/transactions/out-trade-no/N64');
  assert.equal(ids.get, ids.get);
  // Kept, yet nothing a caller lists or serialises changes.
  assert.deepEqual(Object.keys(ids), []);
  assert.equal(JSON.stringify(ids), JSON.stringify('v3/pay/transactions/out-trade-no'));
  assert.equal(ids.then, undefined);
  await assertNothingSent(fetch);
});

test('assigning a child (or any name but a verb) to a node throws ERR_INVALID_PARAM and changes nothing; freezing it changes no read', async () => {
  const { wxpay, fetch } = counted();
  const node = wxpay.v3.marketing.membercardOpen;
  const cards = node.cards;
  const get = node.get;
  // Ignored in silence, a test's stub put there would have let the test send real requests.
  for (const [name, assign] of [['cards', () => { node.cards = 'replaced'; }], ['fresh', () => { node.fresh = 'replaced'; }], ['pay', () => { wxpay.v3.pay = {}; }]]) {
    assert.throws(assign, { name: 'WxpayError', code: 'ERR_INVALID_PARAM', message: `a chain node's \`${name}\` cannot be assigned: only its verbs (get, post, put, patch, delete) can be replaced` }, name);
  }
  assert.throws(() => { node['-----BEGIN PRIVATE KEY-----'] = 1; }, { message: /^a chain node's \(27 characters, not shown\) cannot/ });
  assert.equal(node.cards, cards);
  assert.equal(String(node.fresh), 'v3/marketing/membercard-open/fresh');
  assert.equal(node.get, get);
  Object.freeze(node);
  const late = node.late; // a new child of a frozen node: made, though it cannot be kept
  assert.equal(String(late), 'v3/marketing/membercard-open/late');
  assert.equal(typeof node.post, 'function');
  assert.equal(node.cards, cards);
  assert.equal((await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE })).status, 200, 'the client still sends');
  assert.equal(fetch.calls.length, 1);
});

test("a verb is the node's own method, which a test may replace or spy on (assignment; node:test's mock.method, as sinon.stub, jest.spyOn and vi.spyOn, before it was read or after); restored, it sends again", async (t) => {
  const { wxpay, fetch } = counted();
  const answer = { status: 200, statusText: 'OK', headers: {}, data: { prepay_id: 'wx201410272009395522657a690389285100' } };
  // Assigned before it was ever read, and after.
  const jsapi = wxpay.v3.pay.transactions.jsapi;
  jsapi.post = async () => answer;
  assert.equal(await jsapi.post({}), answer);
  const code = memberCode(wxpay);
  const original = code.get;
  code.get = async () => answer;
  assert.equal(await code.get({ card_id: CARD_ID, code: CODE }), answer);
  code.get = original;
  // node:test's mock.method (as jest.spyOn and vi.spyOn, it replaces the node's own property).
  const spy = t.mock.method(code, 'get', async () => answer);
  assert.equal(await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE }), answer, 'the same node, reached again');
  assert.equal(spy.mock.callCount(), 1);
  spy.mock.restore();
  assert.equal(code.get, original);
  // A spy made before the verb was ever read: it is looked for down the prototype chain.
  const native = wxpay.v3.pay.transactions.native;
  const early = t.mock.method(native, 'post', async () => answer);
  assert.equal(await native.post({}), answer);
  assert.equal(early.mock.callCount(), 1);
  early.mock.restore();
  assert.equal(typeof native.post, 'function');
  // A spy asks first whether the node has the verb (sinon's `in`), or looks for it down the
  // prototype chain; asking the prototype leaves a verb the node has as it is.
  const refund = wxpay.v3.refund.domestic.refunds;
  assert.equal('post' in refund, true);
  assert.equal('fresh' in refund, false);
  refund.post = async () => answer;
  assert.equal(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(refund), 'post').value, refund.post);
  assert.equal(await refund.post({}), answer, 'the stub is still in place');
  // A node the parent does not keep (past 64 children) is made afresh at each read: a verb put on
  // it would be lost, and a real request sent, so putting it there fails.
  const ids = wxpay.v3.pay.transactions.outTradeNo;
  for (let i = 0; i < 64; i++) void ids[`ORDER${i}`];
  const unkept = ids.ORDER_STUBBED;
  assert.notEqual(ids.ORDER_STUBBED, unkept, 'made afresh');
  assert.throws(() => { unkept.get = async () => answer; }, {
    name: 'WxpayError', code: 'ERR_INVALID_PARAM',
    message: "a chain node's `get` cannot be replaced on a node that keeps nothing: frozen, or made afresh at each read (its parent keeps 64 children)",
  });
  // As a spy puts its own there (not by node:test's mock.method here: after one that failed so,
  // the test never ended).
  assert.throws(() => Object.defineProperty(unkept, 'get', { value: async () => answer, configurable: true }), TypeError);
  assert.equal(String(unkept), 'v3/pay/transactions/out-trade-no/ORDER_STUBBED', 'still a node');
  // A frozen prototype answers as an object's: no descriptor made for it, and nothing throws.
  const frozen = wxpay.v3.pay.partner;
  Object.freeze(Object.getPrototypeOf(frozen));
  assert.equal(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(frozen), 'post'), undefined);
  assert.equal(typeof frozen.post, 'function');
  // Not enumerable, as before: nothing a caller lists or serialises changes.
  assert.deepEqual(Object.keys(code), []);
  assert.equal(fetch.calls.length, 0, 'nothing sent while stubbed');
  assert.equal((await code.get({ card_id: CARD_ID, code: CODE })).status, 200);
  assert.equal(fetch.calls.length, 1);
});

test('a node is not thenable: `await node` settles to the node itself and sends nothing', async () => {
  const { wxpay, fetch } = counted();
  const node = memberCode(wxpay);
  assert.equal(node.then, undefined);
  assert.equal(await node, node);
  assert.equal(await wxpay.v3, wxpay.v3);
  assert.equal(await Promise.resolve(node), node);
  const fromAsync = await (async () => node)();
  assert.equal(fromAsync, node);
  const [settled] = await Promise.allSettled([node]);
  assert.deepEqual(settled, { status: 'fulfilled', value: node });
  await assertNothingSent(fetch);
});

test('String(node) is the documented path template', () => {
  const { wxpay } = counted();
  assert.equal(String(memberCode(wxpay)), 'v3/marketing/membercard-open/cards/{card_id}/codes/{code}');
  assert.equal(String(memberCode(wxpay)), SEED_TEMPLATE);
  assert.equal(String(wxpay.v3), 'v3');
  assert.equal(String(wxpay.v3.marketing.membercardOpen), 'v3/marketing/membercard-open');
});

test('coercing a node sends nothing: String, template literal, JSON.stringify, + "", Object.keys, inspect, console.log', async () => {
  const { wxpay, fetch } = counted();
  const node = memberCode(wxpay);
  assert.equal(String(node), SEED_TEMPLATE);
  assert.equal(`${node}`, SEED_TEMPLATE);
  assert.equal(`GET ${node}?x`, `GET ${SEED_TEMPLATE}?x`);
  assert.equal(node + '', SEED_TEMPLATE);
  assert.equal(node.toString(), SEED_TEMPLATE);
  assert.equal(JSON.stringify(node), JSON.stringify(SEED_TEMPLATE));
  assert.equal(JSON.stringify({ path: node }), `{"path":${JSON.stringify(SEED_TEMPLATE)}}`);
  assert.ok(node == SEED_TEMPLATE); // eslint-disable-line eqeqeq -- loose equality coerces too
  assert.deepEqual(Object.keys(node), []);
  assert.deepEqual(Object.entries(node), []);
  assert.equal(typeof util.inspect(node), 'string');
  assert.equal(typeof util.inspect(node, { showHidden: true, depth: 5 }), 'string');
  assert.equal(typeof util.format('%s %o %O %j', node, node, node, node), 'string');
  let printed = '';
  const sink = new Writable({ write(chunk, _enc, cb) { printed += chunk; cb(); } });
  const out = new Console({ stdout: sink, stderr: sink });
  out.log(node);
  out.log('%s', node);
  out.dir(node);
  out.error(wxpay.v3);
  // Node inspects a Proxy's target without running its traps, so this prints what the target holds
  assert.ok(printed.length > 0);
  await assertNothingSent(fetch);
});

test('segment rules through the chain', () => {
  const { wxpay } = counted();
  // Only a lowercase-initial camelCase identifier is kebab-cased; a capital first letter is sent as written.
  assert.equal(String(wxpay.v3.marketing.MembercardOpen), 'v3/marketing/MembercardOpen');
  assert.equal(String(wxpay.v3.pay.transactions.outTradeNo.N123123), 'v3/pay/transactions/out-trade-no/N123123');
  assert.equal(String(wxpay.v3.pay.transactions.outTradeNo['WX20240101ABCdef']), 'v3/pay/transactions/out-trade-no/WX20240101ABCdef');
  assert.equal(String(wxpay.v3['pay/transactions/out-trade-no/N123123']), 'v3/pay/transactions/out-trade-no/N123123');
  assert.equal(String(wxpay.v3.ecommerce.applyment4sub), 'v3/ecommerce/applyment4sub');
  assert.equal(String(wxpay.v3.a_b), 'v3/a_b');
  assert.equal(String(wxpay.v3.pay.transactions.outTradeNo._out_trade_no_), 'v3/pay/transactions/out-trade-no/{out_trade_no}');
  assert.equal(String(wxpay.v3.cards.$card_id$.codes.$code$), 'v3/cards/{card_id}/codes/{code}');
});

test('bracket access takes a raw segment or path verbatim', () => {
  const { wxpay } = counted();
  assert.equal(String(wxpay.v3['bill/tradebill']), 'v3/bill/tradebill');
  assert.equal(String(wxpay.v3['marketing/membercard-open'].cards), 'v3/marketing/membercard-open/cards');
  assert.equal(String(wxpay.v3.merchant['media/upload']), 'v3/merchant/media/upload');
  assert.equal(String(wxpay.v3['pay/transactions/id/{transaction_id}']), 'v3/pay/transactions/id/{transaction_id}');
});

test('bracket paths are sent as written (literal spaces encoded) and signed', async () => {
  const { sb } = ctx;
  const wxpay = new Wxpay(options(sb));
  const cases = [
    [() => wxpay.v3['sandbox/echo'].get(), '/v3/sandbox/echo'],
    [() => wxpay.v3.sandbox['echo/a/b'].get(), '/v3/sandbox/echo/a/b'],
    [() => wxpay.v3.sandbox.echo['raw seg'].get(), '/v3/sandbox/echo/raw%20seg'],
    [() => wxpay.v3['sandbox/echo/{id}/x'].get({ id: 'a/b' }), '/v3/sandbox/echo/a%2Fb/x'],
    [() => wxpay.v3.sandbox.echo.outTradeNo._out_trade_no_.get({ out_trade_no: 'T-1' }), '/v3/sandbox/echo/out-trade-no/T-1'],
    [() => wxpay.v3.sandbox.echo.$id$.get({ id: 'z' }), '/v3/sandbox/echo/z'],
    // `['{id}']` alone in brackets: the placeholder (wechatpay-axios-plugin's spelling, typed too).
    [() => wxpay.v3.sandbox.echo['{id}'].get({ id: 'y z' }), '/v3/sandbox/echo/y%20z'],
  ];
  for (const [send, url] of cases) {
    const { data } = await send();
    assert.equal(data.url, url);
    const req = sb.requests.at(-1);
    assert.equal(req.url, url);
    assert.equal(req.verified, true, req.reason);
  }
});

test('the five verbs: get(config), delete(config), post/put/patch(data, config)', async () => {
  const { sb } = ctx;
  const echo = new Wxpay(options(sb)).v3.sandbox.echo;
  const results = {
    GET: await echo.get({ params: { v: 'g' } }),
    DELETE: await echo.delete({ params: { v: 'd' } }),
    POST: await echo.post({ n: 'p' }, { params: { v: 'p' } }),
    PUT: await echo.put({ n: 'u' }, { params: { v: 'u' } }),
    PATCH: await echo.patch({ n: 'a' }, { params: { v: 'a' } }),
  };
  assert.deepEqual(sb.requests.map((r) => [r.method, r.url, r.body.toString(), r.verified]), [
    ['GET', '/v3/sandbox/echo?v=g', '', true],
    ['DELETE', '/v3/sandbox/echo?v=d', '', true],
    ['POST', '/v3/sandbox/echo?v=p', '{"n":"p"}', true],
    ['PUT', '/v3/sandbox/echo?v=u', '{"n":"u"}', true],
    ['PATCH', '/v3/sandbox/echo?v=a', '{"n":"a"}', true],
  ]);
  for (const [method, r] of Object.entries(results)) {
    assert.equal(r.status, 200);
    assert.equal(r.data.method, method);
  }
});

test('an argument past a verb\'s own rejects ERR_INVALID_PARAM naming the verb and its count, and sends nothing', async () => {
  const { wxpay, fetch } = counted();
  const echo = wxpay.v3.sandbox.echo;
  const extra = { params: { v: 'x' } };
  const cases = [
    ['get', () => echo.get({}, extra), /^get\(config\) takes one argument, the request config: /],
    ['delete', () => echo.delete(undefined, extra), /^delete\(config\) takes one argument, the request config: /],
    ['post', () => echo.post({ n: 1 }, {}, extra), /^post\(data, config\) takes two arguments, the body and the request config: /],
    ['put', () => echo.put({ n: 1 }, undefined, null), /^put\(data, config\) takes two arguments, /],
    ['patch', () => echo.patch('x', {}, 0), /^patch\(data, config\) takes two arguments, /],
  ];
  for (const [verb, send, message] of cases) {
    let p;
    assert.doesNotThrow(() => { p = send(); }, verb);
    assert.ok(p instanceof Promise, verb);
    const e = await rejectsWith(p, 'ERR_INVALID_PARAM');
    assert.match(e.message, message);
  }
  await assertNothingSent(fetch);
  // An explicit undefined is no argument: these are sent.
  const wx = new Wxpay(options(ctx.sb));
  assert.equal((await wx.v3.sandbox.echo.get({ params: { v: 'g' } }, undefined)).status, 200);
  assert.equal((await wx.v3.sandbox.echo.post({ n: 'p' }, undefined, undefined)).status, 200);
  assert.deepEqual(ctx.sb.requests.map((r) => [r.method, r.url]), [['GET', '/v3/sandbox/echo?v=g'], ['POST', '/v3/sandbox/echo']]);
});

test('a config key the path half names as a placeholder (`_out_trade_no`, `$card_id`) rejects saying how a placeholder is written, and sends nothing', async () => {
  const { wxpay, fetch } = counted();
  const byNo = wxpay.v3.pay.transactions.outTradeNo;
  const unknown = /^unknown request config key `out_trade_no`: expected params, headers, signal, timeout, maxBodyBytes or retry; /;
  const cases = [
    [byNo._out_trade_no.get({ out_trade_no: 'T1', params: { mchid: '1' } }), unknown, '`_out_trade_no`: a placeholder is written `_out_trade_no_`'],
    [byNo.out_trade_no_.get({ out_trade_no: 'T1' }), unknown, '`out_trade_no_`: a placeholder is written `_out_trade_no_`'],
    [byNo.$out_trade_no.get({ out_trade_no: 'T1' }), unknown, '`$out_trade_no`: a placeholder is written `$out_trade_no$`'],
    [wxpay.v3.marketing.membercardOpen.cards['card_id$'].post({}, { card_id: 'c' }), /^unknown request config key `card_id`: /, '`card_id$`: a placeholder is written `$card_id$`'],
  ];
  for (const [p, start, tail] of cases) {
    const e = await rejectsWith(p, 'ERR_INVALID_PARAM');
    assert.match(e.message, start);
    assert.ok(e.message.endsWith(`; this path has the literal segment ${tail}`), e.message);
  }
  // A key too long for the message to show (an APIv3 key as a name) is not shown in the hint either.
  const long = 'Ab3dEf7hIj9kLm1nOp2qRs4tUv6wXy8z';
  const hidden = await rejectsWith(wxpay.v3.sandbox[`_${long}`].get({ [long]: 1 }), 'ERR_INVALID_PARAM');
  assert.equal(hidden.message, 'unknown request config key (32 characters, not shown): expected params, headers, signal, timeout, maxBodyBytes or retry');
  // Nor by what console.log prints of the error (helper-115: the key was kept on it under an
  // enumerable symbol, which util.inspect shows), nor by anything kept on it at all.
  for (const shown of [util.inspect(hidden), util.inspect(hidden, { showHidden: true }), util.format('%o', hidden)]) {
    assert.ok(!shown.includes(long), shown);
  }
  // An unknown key the path does not half name: the message as it was, no hint.
  const plain = await rejectsWith(byNo._out_trade_no.get({ out_trade: 'T1' }), 'ERR_INVALID_PARAM');
  assert.equal(plain.message, 'unknown request config key `out_trade`: expected params, headers, signal, timeout, maxBodyBytes or retry');
  // Written right, the placeholder is one: the key is taken.
  const named = await rejectsWith(byNo._out_trade_no_.get({ out_trade_no: 'T1', parmas: {} }), 'ERR_INVALID_PARAM');
  assert.match(named.message, /^unknown request config key `parmas`: .*, or a placeholder of this path \(out_trade_no\)$/);
  await assertNothingSent(fetch);
  // The client still works.
  assert.equal((await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE })).status, 200);
});

// helper-119: a placeholder's name is the caller's text too (a bracket path may carry an id from a
// form): it went into messages raw and whole, CR, LF and escape sequences included.
test("a placeholder's name in a message is escaped and bounded, never raw", async () => {
  const { wxpay, fetch } = counted();
  const forged = '{id\r\n2025-06-01T00:00:00Z INFO order 42 paid\u001b[2K}';
  const node = wxpay.v3.pay.transactions.outTradeNo[forged];
  const missing = await rejectsWith(node.get(), 'ERR_MISSING_PARAM');
  const unknown = await rejectsWith(node.get({ bogus: 1 }), 'ERR_INVALID_PARAM');
  const wrong = await rejectsWith(node.get({ ['id\r\n2025-06-01T00:00:00Z INFO order 42 paid\u001b[2K']: {} }), 'ERR_INVALID_PARAM');
  for (const e of [missing, unknown, wrong]) assert.doesNotMatch(e.message, /[\r\n\u001b]/, e.message);
  assert.match(missing.message, /^path placeholder \{id\\x0d\\x0a2025/);
  assert.match(unknown.message, /, or a placeholder of this path \(\(47 characters, not shown\)\)$/);
  assert.match(wrong.message, /^path placeholder \{\(47 characters, not shown\)\} must be /);
  const long = await rejectsWith(wxpay.v3.x[`{${'n'.repeat(5000)}}`].get(), 'ERR_MISSING_PARAM');
  assert.ok(long.message.length < 200, long.message.length);
  await assertNothingSent(fetch);
});

// helper-120: `outTradeNo['']`, an id left empty, sent GET .../out-trade-no/ (and POST .../out-trade-no//close).
test('an empty chain segment is refused, nothing sent; the documented paths that end in / still work', async () => {
  const { wxpay, fetch } = counted();
  for (const p of [
    () => wxpay.v3.pay.transactions.outTradeNo[''].get({ params: { mchid: '1900000109' } }),
    () => wxpay.v3.pay.transactions.outTradeNo[''].close.post({ mchid: '1900000109' }),
    () => wxpay.v3[''].get(),
  ]) {
    const e = await rejectsWith(p(), 'ERR_INVALID_PARAM');
    assert.match(e.message, /^a chain segment is empty/);
  }
  await assertNothingSent(fetch);
  assert.equal(String(wxpay.v3.applyment4sub['applyment/']), 'v3/applyment4sub/applyment/');
});

test('a verb always returns a Promise, even when it will fail', async () => {
  const { wxpay, fetch } = counted();
  let p;
  assert.doesNotThrow(() => { p = memberCode(wxpay).get({}); });
  assert.ok(p instanceof Promise);
  await rejectsWith(p, 'ERR_MISSING_PARAM');
  await assertNothingSent(fetch);
});

test("delete: a body the API documents goes as the config's data, signed as sent; without data none goes", async () => {
  const { wxpay } = counted();
  const stores = wxpay.v3.brand.partner.store.brandstores;
  const gone = await stores._store_id_.delete({ store_id: '20488000', data: { brand_id: '1234567' } });
  assert.equal(gone.status, 204);
  assert.equal(gone.data, '');
  let seen = ctx.sb.requests.at(-1);
  assert.equal(seen.method, 'DELETE');
  assert.equal(seen.url, '/v3/brand/partner/store/brandstores/20488000');
  assert.equal(seen.verified, true, 'the sandbox verified the signature over this body');
  assert.equal(seen.body.toString('utf8'), '{"brand_id":"1234567"}');
  assert.equal(seen.headers['content-type'], 'application/json');
  // Without data: no body, no Content-Type, and the service's own answer.
  await rejectsWith(stores._store_id_.delete({ store_id: '20488000' }), 'PARAM_ERROR', { status: 400 });
  seen = ctx.sb.requests.at(-1);
  assert.equal(seen.body.length, 0);
  assert.equal(seen.headers['content-type'], undefined);
  // data: undefined is no body; a string or bytes go as they are, as post's data does.
  await rejectsWith(stores._store_id_.delete({ store_id: '1', data: undefined }), 'PARAM_ERROR');
  assert.equal(ctx.sb.requests.at(-1).body.length, 0);
  const echoed = await wxpay.v3.sandbox.echo.delete({ data: 'raw text', params: { a: 1 } });
  assert.equal(echoed.data.body, 'raw text');
  assert.equal(echoed.data.method, 'DELETE');
  assert.equal(echoed.data.url, '/v3/sandbox/echo?a=1');
  // A placeholder named data stays a placeholder: the path takes it, no body goes.
  const placed = await wxpay.v3['sandbox/echo/{data}'].delete({ data: 'x y' });
  assert.equal(placed.data.url, '/v3/sandbox/echo/x%20y');
  assert.equal(placed.data.body, '');
  // The other verbs take their body as an argument: data in their config is an unknown key that says so.
  assert.match((await rejectsWith(wxpay.v3.sandbox.echo.post({}, { data: {} }), 'ERR_INVALID_PARAM')).message, /unknown request config key `data`.*first argument of post, put and patch, and the config's data of delete only/);
  assert.match((await rejectsWith(wxpay.v3.sandbox.echo.get({ data: {} }), 'ERR_INVALID_PARAM')).message, /unknown request config key `data`/);
});

test("delete: a config whose data getter or own-key trap throws rejects ERR_INVALID_PARAM, nothing sent, and the client works on", async () => {
  const { wxpay, fetch } = counted();
  const node = wxpay.v3.sandbox.echo;
  const boom = new Error('getter');
  const getter = Object.defineProperty({}, 'data', { enumerable: true, get() { throw boom; } });
  const e1 = await rejectsWith(node.delete(getter), 'ERR_INVALID_PARAM');
  assert.match(e1.message, /reading the request config threw/);
  assert.equal(e1.cause, boom);
  const trap = new Proxy({}, { getOwnPropertyDescriptor() { throw new Error('trap'); } });
  assert.match((await rejectsWith(node.delete(trap), 'ERR_INVALID_PARAM')).message, /reading the request config threw/);
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  await rejectsWith(node.delete(proxy), 'ERR_INVALID_PARAM');
  // A data that is not JSON-able is refused as post's would be.
  assert.match((await rejectsWith(node.delete({ data: new Map() }), 'ERR_INVALID_PARAM')).message, /has no JSON form/);
  assert.equal(fetch.calls.length, 0);
  const ok = await node.delete({ data: { a: 1 } });
  assert.equal(ok.data.body, '{"a":1}');
});
