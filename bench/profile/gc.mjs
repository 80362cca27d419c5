// Garbage collection per request: the package in <dir>, the thinnest wasm client (mini, built by
// mini.sh) and the floor, one process, batches in turn, from PerformanceObserver `gc` entries.
//   node bench/profile/gc.mjs [dir=pkg] [rounds=6] [per batch=2000] [real|fake]
// Prints, per client, CPU µs a request, collections per 1000 requests (minor ones in brackets)
// and µs of collection a request, averaged over the rounds after the first.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { batch, fakeFetch, floor, mini, ours, sandbox } from './clients.mjs';

const [dir = 'pkg', rounds = '6', perBatch = '2000', mode = 'fake'] = process.argv.slice(2);
if (!['real', 'fake'].includes(mode)) {
  console.error('usage: node bench/profile/gc.mjs [dir] [rounds] [per batch] [real|fake]');
  process.exit(2);
}
const sb = await sandbox();
const clients = { ours: await ours(sb, dir), mini: await mini(sb), floor: floor(sb) };
if (mode === 'fake') await fakeFetch(clients.ours);
let entries = [];
new PerformanceObserver((list) => entries.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
const n = Number(perBatch);
const seen = {};
for (let r = 0; r < Number(rounds); r++) {
  for (const [name, get] of Object.entries(clients)) {
    await batch(get, 200);
    entries = [];
    const cpu = await batch(get, n);
    // Entries are delivered after the collection: let the last ones arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const minor = entries.filter((e) => e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR).length;
    const ms = entries.reduce((sum, e) => sum + e.duration, 0);
    if (r > 0) (seen[name] ??= []).push({ cpu: cpu * 1000, count: (entries.length / n) * 1000, minor: (minor / n) * 1000, us: (ms / n) * 1000 });
  }
}
for (const [name, runs] of Object.entries(seen)) {
  const mean = (f) => (runs.reduce((sum, x) => sum + f(x), 0) / runs.length).toFixed(2);
  console.log(`${name}: CPU ${mean((x) => x.cpu)} µs/request, ${mean((x) => x.count)} collections per 1000 (${mean((x) => x.minor)} minor), ${mean((x) => x.us)} µs of collection/request`);
}
await sb.close();
