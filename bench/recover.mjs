// make bench-recover: what a recovery after a trap costs (README, Reliability), on the
// test build of the package (.work/test-pkg, scripts/test-pkg.sh) in Node. A benchmark,
// not a test: nothing here passes or fails on a number.
//
// - re-instantiation: from the trap's throw to the end of the microtask that replaces the
//   instance (when Wxpay.onRecover runs), before any further call;
// - trap to the next successful call: from the trap's throw until the seed GET on a client
//   made before the trap has resolved (the client is rebuilt, its key parsed again, first);
//   beside it, the same GET with no trap before it;
// - memory: process RSS and the live instance's linear memory over 1,000 recoveries.
import v8 from 'node:v8';
import vm from 'node:vm';
import { Wxpay } from '../.work/test-pkg/node.mjs';
import * as traps from '../.work/test-pkg/traps.mjs';
import { startSandbox, CARD_ID } from '../tests/sandbox/index.mjs';
import { median, fmt, table } from './stats.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const MiB = 2 ** 20;
const sb = await startSandbox();
const options = { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs, baseURL: sb.baseURL };
const wxpay = new Wxpay(options);
const node = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;
const seed = () => node.get({ card_id: CARD_ID, code: '300000001' });
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

let reinstantiated = 0;
Wxpay.onRecover = () => {
  reinstantiated = performance.now();
};

for (let i = 0; i < 50; i++) await seed(); // warm up
const rounds = 150;
const rows = [];
const baseline = [];
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  await seed();
  baseline.push(performance.now() - t0);
}
rows.push(['no trap (baseline)', '-', '-', fmt(median(baseline)), fmt(p95(baseline))]);
for (const [kind, trap] of Object.entries(traps.kinds)) {
  const trapMs = [];
  const resetMs = [];
  const nextMs = [];
  for (let i = 0; i < rounds; i++) {
    if (sb.requests.length > 1000) sb.reset();
    const t0 = performance.now();
    try {
      trap();
    } catch {
      // ERR_INTERNAL, as the tests check
    }
    const t1 = performance.now();
    await null; // the instance is replaced in a microtask queued at the trap, before this one
    await seed();
    nextMs.push(performance.now() - t1);
    resetMs.push(reinstantiated - t1);
    trapMs.push(t1 - t0);
  }
  rows.push([kind, fmt(median(trapMs)), fmt(median(resetMs)), fmt(median(nextMs)), fmt(p95(nextMs))]);
}
const timing = table(['before the seed GET', 'the trap itself, ms', 're-instantiation, ms', 'trap to next successful call, median ms', 'p95 ms'], rows);

const kinds = Object.values(traps.kinds);
const memory = [];
const sample = (i) => {
  gc();
  memory.push([i, process.memoryUsage().rss / MiB, process.memoryUsage().heapUsed / MiB, traps.memoryBytes() / MiB]);
};
sample(0);
for (let i = 1; i <= 1000; i++) {
  try {
    kinds[i % kinds.length]();
  } catch {
    // ERR_INTERNAL
  }
  await seed();
  await wxpay.sign('bench');
  if (i % 100 === 0) sb.reset();
  if (i % 250 === 0) sample(i);
}
const mem = table(['recoveries', 'RSS, MiB', 'JS heap, MiB', 'wasm memory, MiB'], memory.map(([i, r, h, w]) => [i, fmt(r, 1), fmt(h, 1), fmt(w, 3)]));
console.log(`## Recovery after a trap (Node ${process.version})\n\n${timing}\n\n${mem}\n`);
await sb.close();
