// Two builds of the package and the floor side by side in one process, alternating batches:
//   node bench/profile/ab.mjs <dir A> <dir B> [rounds=15] [per batch=300] [real|fake]
// Medians of CPU per request, and each ratio as the median of the rounds' ratios. `fake`: every
// client's fetch answers at once with an answer the sandbox gave (recorded at warm-up), so only
// the clients' own work is measured, none of the network's. A copy of A's build runs beside them
// as 'A again' (its own module and wasm instance, as B has): its ratio to A (A/A) shows how far
// this run's ratios stray when nothing differs, to read B/A against.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, roundRatio } from '../stats.mjs';
import { alternate, fakeFetch, floor, ours, sandbox } from './clients.mjs';

const [dirA, dirB, rounds = '15', perBatch = '300', mode = 'real'] = process.argv.slice(2);
if (!dirB || !['real', 'fake'].includes(mode)) {
  console.error('usage: node bench/profile/ab.mjs <dir A> <dir B> [rounds] [per batch] [real|fake]');
  process.exit(2);
}
const sb = await sandbox();
const scratch = mkdtempSync(join(tmpdir(), 'ab-'));
const copyOfA = join(scratch, 'pkg');
cpSync(dirA, copyOfA, { recursive: true });
const clients = { A: await ours(sb, dirA), B: await ours(sb, dirB), 'A again': await ours(sb, copyOfA), floor: floor(sb) };
if (mode === 'fake') await fakeFetch(clients.A);
const s = await alternate(clients, Number(rounds), Number(perBatch));
const ratio = (p, q) => roundRatio(s[p], s[q]).toFixed(3);
console.log(`${mode}: A ${median(s.A).toFixed(3)}  B ${median(s.B).toFixed(3)}  floor ${median(s.floor).toFixed(3)} ms CPU/request`);
console.log(`A/floor ${ratio('A', 'floor')}  B/floor ${ratio('B', 'floor')}  B/A ${ratio('B', 'A')}  (A again/A ${ratio('A again', 'A')})`);
await sb.close();
rmSync(scratch, { recursive: true, force: true });
