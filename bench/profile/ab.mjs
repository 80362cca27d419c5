// Two builds of the package and the floor side by side in one process, alternating batches:
//   node bench/profile/ab.mjs <dir A> <dir B> [rounds=15] [per batch=300]
// Medians of CPU per request, and each ratio as the median of the rounds' ratios.
import { median } from '../stats.mjs';
import { batch, floor, ours, sandbox } from './clients.mjs';

const [dirA, dirB, rounds = '15', perBatch = '300'] = process.argv.slice(2);
const sb = await sandbox();
const clients = { A: await ours(sb, dirA), B: await ours(sb, dirB), floor: floor(sb) };
const s = { A: [], B: [], floor: [] };
for (let r = 0; r <= Number(rounds); r++) {
  const order = r % 2 ? Object.entries(clients).reverse() : Object.entries(clients);
  for (const [k, get] of order) {
    const v = await batch(get, Number(perBatch));
    if (r > 0) s[k].push(v);
  }
}
const ratio = (p, q) => median(s[p].map((x, i) => x / s[q][i])).toFixed(3);
console.log(`A ${median(s.A).toFixed(3)}  B ${median(s.B).toFixed(3)}  floor ${median(s.floor).toFixed(3)} ms CPU/request`);
console.log(`A/floor ${ratio('A', 'floor')}  B/floor ${ratio('B', 'floor')}  B/A ${ratio('B', 'A')}`);
await sb.close();
