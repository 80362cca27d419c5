// 1,000 recoveries in one process (the three trap kinds in turn), each followed by a
// verified request and a signature on a client made before the first: memory must
// plateau. The test build of the package (.work/test-pkg, scripts/test-pkg.sh).
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

test('1,000 recoveries: every request verifies, every signature matches; wasm memory, JS heap and RSS plateau', async (t) => {
  const wxpay = new Wxpay(options(ctx.sb));
  const node = memberCode(wxpay);
  const kinds = Object.keys(TRAPS);
  const message = Buffer.from('soak');
  const expected = crypto.sign('sha256', message, ctx.sb.merchant.privateKeyPkcs8).toString('base64');
  let recovered = 0;
  Wxpay.onRecover = () => recovered++;
  const samples = [];
  for (let i = 1; i <= 1000; i++) {
    const kind = kinds[i % kinds.length];
    assert.throws(() => traps.kinds[kind](), (e) => e instanceof WxpayError && e.code === 'ERR_INTERNAL' && e.cause.message === TRAPS[kind]);
    const { status, data } = await node.get({ card_id: CARD_ID, code: CODE });
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
  const at = (i) => samples.find((s) => s.i === i);
  // The live instance is as big after the 1,000th recovery as after the 100th: nothing accumulates in it.
  assert.ok(samples.every((s) => s.wasm === samples[0].wasm), 'wasm memory size');
  // One instance (>= 1.1 MiB) or one client kept per recovery would add hundreds of MiB over
  // the second half; what remains is allocator and JIT noise.
  assert.ok(at(1000).rss - at(500).rss < 8 * MiB, `RSS grew ${((at(1000).rss - at(500).rss) / MiB).toFixed(1)} MiB over the last 500`);
  assert.ok(at(1000).heapUsed - at(500).heapUsed < 2 * MiB, `JS heap grew ${((at(1000).heapUsed - at(500).heapUsed) / MiB).toFixed(1)} MiB over the last 500`);
});
