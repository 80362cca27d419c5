// 1,000 recoveries in one process (the three trap kinds in turn), each followed by a
// verified request and a signature on a client made before the first: every replaced
// instance is collected and memory must plateau. The test build of the package
// (.work/test-pkg, scripts/test-pkg.sh).
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { Wxpay, WxpayError } from '../../.work/test-pkg/node.mjs';
import * as traps from '../../.work/test-pkg/traps.mjs';
import { useSandbox, options, memberCode, CARD_ID, CODE } from './helpers.mjs';
import { TRAPS } from '../recover/expect.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const ctx = useSandbox();
const MiB = 1024 * 1024;

test('1,000 recoveries: every request verifies, every signature matches; each replaced instance is collected; wasm memory, JS heap and RSS plateau', async (t) => {
  const wxpay = new Wxpay(options(ctx.sb));
  const node = memberCode(wxpay);
  const kinds = Object.keys(TRAPS);
  const message = Buffer.from('soak');
  const expected = crypto.sign('sha256', message, ctx.sb.merchant.privateKeyPkcs8).toString('base64');
  let recovered = 0;
  Wxpay.onRecover = () => recovered++;
  const samples = [];
  // Each instance's linear memory, held weakly: every replaced one must be collected.
  let memory = traps.memoryObject();
  const memories = [new WeakRef(memory)];
  for (let i = 1; i <= 1000; i++) {
    const kind = kinds[i % kinds.length];
    assert.throws(() => traps.kinds[kind](), (e) => e instanceof WxpayError && e.code === 'ERR_INTERNAL' && e.cause.message === TRAPS[kind]);
    const { status, data } = await node.get({ card_id: CARD_ID, code: CODE });
    const next = traps.memoryObject();
    assert.notEqual(next, memory, 'each recovery makes a new instance');
    memory = next;
    memories.push(new WeakRef(memory));
    assert.equal(status, 200);
    assert.equal(data.code, CODE);
    assert.equal(ctx.sb.requests.at(-1).verified, true);
    assert.equal(await wxpay.sign(message), expected);
    if (i % 10 === 0) assert.equal((await memberCode(new Wxpay(options(ctx.sb))).get({ card_id: CARD_ID, code: CODE })).status, 200);
    if (i % 100 === 0) {
      ctx.sb.reset(); // the sandbox's own record of requests is not ours to measure
      gc();
      await sleep(10);
      gc();
      const { rss, heapUsed } = process.memoryUsage();
      samples.push({ i, rss, heapUsed, wasm: traps.memoryBytes() });
    }
  }
  assert.equal(recovered, 1000);
  t.diagnostic(samples.map((s) => `${s.i}: rss ${(s.rss / MiB).toFixed(1)} MiB, heap ${(s.heapUsed / MiB).toFixed(1)} MiB, wasm ${s.wasm / MiB} MiB`).join('; '));
  // 1,001 instances made, one live: every replaced instance was collected, its memory with it.
  memory = null;
  gc();
  await sleep(10);
  gc();
  const live = memories.filter((m) => m.deref() !== undefined);
  assert.equal(live.length, 1, `${live.length} instances' memories still reachable, the live one's only expected`);
  assert.equal(live[0].deref(), traps.memoryObject(), 'the one reachable is the live instance\'s');
  const at = (i) => samples.find((s) => s.i === i);
  // The live instance is as big after the 1,000th recovery as after the 100th: nothing accumulates in it.
  assert.ok(samples.every((s) => s.wasm === samples[0].wasm), 'wasm memory size');
  // One instance (>= 1.1 MiB) or one client kept per recovery would add hundreds of MiB over the
  // second half. RSS also moves by allocator steps that do not come back (a thread's malloc arena
  // growing once by 2-5 MiB, seen under Node 26 at a recovery between the 400th and the 700th,
  // from run to run), so the second half is read as five spans of 100 recoveries and the median
  // span must stay under 1.5 MiB: a leak of 16 KiB a recovery (1.56 MiB a span) or more fails it,
  // as 8 MiB over the 500 did, and two such steps do not. Growth in a few bursts, which the median
  // passes, is bounded by the whole: under 16 MiB over the 500 (two steps of 5 MiB and the drift).
  const spans = [600, 700, 800, 900, 1000].map((i) => at(i).rss - at(i - 100).rss);
  const median = spans.toSorted((a, b) => a - b)[2];
  const spanList = `${spans.map((d) => (d / MiB).toFixed(1)).join(', ')} MiB`;
  assert.ok(median < 1.5 * MiB, `RSS grew by a median ${(median / MiB).toFixed(2)} MiB each 100 recoveries over the last 500 (${spanList})`);
  assert.ok(at(1000).rss - at(500).rss < 16 * MiB, `RSS grew ${((at(1000).rss - at(500).rss) / MiB).toFixed(1)} MiB over the last 500 (${spanList})`);
  assert.ok(at(1000).heapUsed - at(500).heapUsed < 2 * MiB, `JS heap grew ${((at(1000).heapUsed - at(500).heapUsed) / MiB).toFixed(1)} MiB over the last 500`);
});
