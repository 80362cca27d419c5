// One process, both copies of the package (ESM import and CommonJS require, as when a
// dependency uses `require`): a WxpayError from either is `instanceof` the other's class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { useSandbox, options } from './helpers.mjs';

const require = createRequire(import.meta.url);
const cjs = require('wxpay-wasm');
const ctx = useSandbox();

test('the two copies are distinct classes', () => {
  assert.notEqual(cjs.WxpayError, WxpayError);
  assert.notEqual(cjs.Wxpay, Wxpay);
});

test('errors of either copy are instanceof both classes, for thrown and rejected errors', async () => {
  const { sb } = ctx;
  const fromCjs = await new cjs.Wxpay(options(sb)).v3.marketing.membercardOpen.cards._card_id_.codes._code_
    .get({ card_id: 'x' }).catch((e) => e);
  const fromEsm = await new Wxpay(options(sb)).v3.marketing.membercardOpen.cards._card_id_.codes._code_
    .get({ card_id: 'x' }).catch((e) => e);
  let thrown;
  try { new cjs.Wxpay({}); } catch (e) { thrown = e; }
  for (const e of [fromCjs, fromEsm, thrown]) {
    assert.ok(e instanceof WxpayError, 'instanceof the ESM class');
    assert.ok(e instanceof cjs.WxpayError, 'instanceof the CommonJS class');
    assert.ok(e instanceof Error);
  }
  assert.equal(fromCjs.code, 'ERR_MISSING_PARAM');
  assert.equal(thrown.code, 'ERR_INVALID_CONFIG');
});

test('the brand does not make other errors or subclasses match', () => {
  assert.ok(!(new Error('x') instanceof WxpayError));
  assert.ok(!({ code: 'ERR_X' } instanceof WxpayError));
  assert.ok(!(null instanceof WxpayError));
  class Mine extends WxpayError {}
  assert.ok(new Mine('E', 'm') instanceof Mine);
  assert.ok(new Mine('E', 'm') instanceof WxpayError);
  assert.ok(!(new WxpayError('E', 'm') instanceof Mine), 'a subclass keeps the prototype check');
  const hostile = new Proxy({}, { get() { throw new Error('trap'); } });
  assert.equal(hostile instanceof WxpayError, false);
});
