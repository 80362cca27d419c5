// Two builds of the package and the floor side by side in one process, alternating batches:
//   node bench/profile/ab.mjs <dir A> <dir B> [rounds=15] [per batch=300] [real|fake]
// Medians of CPU per request, and each ratio as the median of the rounds' ratios. `fake`: every
// client's fetch answers at once with an answer the sandbox gave (recorded at warm-up), so only
// the clients' own work is measured, none of the network's. The same build as A and B (A/A)
// shows how far a ratio strays when nothing differs.
import { median } from '../stats.mjs';
import { batch, fakeFetch, floor, ours, sandbox } from './clients.mjs';

const [dirA, dirB, rounds = '15', perBatch = '300', mode = 'real'] = process.argv.slice(2);
if (!dirB || !['real', 'fake'].includes(mode)) {
  console.error('usage: node bench/profile/ab.mjs <dir A> <dir B> [rounds] [per batch] [real|fake]');
  process.exit(2);
}
const sb = await sandbox();
const clients = { A: await ours(sb, dirA), B: await ours(sb, dirB), floor: floor(sb) };
if (mode === 'fake') await fakeFetch(clients.A);
const s = { A: [], B: [], floor: [] };
for (let r = 0; r <= Number(rounds); r++) {
  const order = r % 2 ? Object.entries(clients).reverse() : Object.entries(clients);
  for (const [k, get] of order) {
    const v = await batch(get, Number(perBatch));
    if (r > 0) s[k].push(v);
  }
}
const ratio = (p, q) => median(s[p].map((x, i) => x / s[q][i])).toFixed(3);
console.log(`${mode}: A ${median(s.A).toFixed(3)}  B ${median(s.B).toFixed(3)}  floor ${median(s.floor).toFixed(3)} ms CPU/request`);
console.log(`A/floor ${ratio('A', 'floor')}  B/floor ${ratio('B', 'floor')}  B/A ${ratio('B', 'A')}`);
await sb.close();
