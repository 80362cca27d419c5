// Issue 10, item 7: chain nodes for distinct bracket segments (order ids, ...) must not grow
// the heap without bound. 100k distinct ids under one node, each used once and dropped: after
// a full GC the heap may grow by less than 8 MB (it grew by 64.6 MB, linearly, when every child
// was cached on its parent).
import test from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Wxpay } from 'wxpay-wasm';
import { useHealth, options } from './harness.mjs';

// A gc() of our own without a command-line flag: `node --test tests/hostile/` then needs none.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const MB = 1e6;

const h = useHealth();

async function settledHeap() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

test('100k distinct bracket segments: heap growth after GC stays under 8 MB', async (t) => {
  const wxpay = new Wxpay(options(h.sb));
  const parent = wxpay.v3.pay.transactions.outTradeNo;
  // Warm up whatever is created once (the parent's own cache, JIT), then measure.
  for (let i = 0; i < 1000; i++) String(parent[`WARM${i}`]);
  const before = await settledHeap();
  let last = '';
  for (let i = 0; i < 100_000; i++) last = String(parent[`WX${i}ABCdef`]);
  const after = await settledHeap();
  t.diagnostic(`heapUsed growth: ${((after - before) / MB).toFixed(2)} MB for 100k distinct segments`);
  assert.ok(after - before < 8 * MB, `the heap grew by ${((after - before) / MB).toFixed(1)} MB`);
  assert.equal(last, 'v3/pay/transactions/out-trade-no/WX99999ABCdef');
  // The same id still gives a working node, and a repeated segment is still the same path.
  assert.equal(String(parent.WX5ABCdef), String(parent.WX5ABCdef));
  wxpay.free();
  await h.check('chain heap');
});
