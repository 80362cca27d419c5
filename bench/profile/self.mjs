// Self time per request from a .cpuprofile, by script (or wasm module), and the top
// functions of those whose URL contains `filter`:
//   node bench/profile/self.mjs <file.cpuprofile> <requests> [filter]
import { readFileSync } from 'node:fs';

const [file, n, filter] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(p.nodes.map((x) => [x.id, x.callFrame]));
const by = (key) => {
  const out = new Map();
  p.samples.forEach((id, i) => {
    const k = key(nodes.get(id));
    if (k !== undefined) out.set(k, (out.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  return [...out].sort((a, b) => b[1] - a[1]);
};
const us = (t) => (t / Number(n)).toFixed(2).padStart(8);
for (const [k, t] of by((f) => (f.url ? f.url.split('/').at(-1) : f.functionName)).slice(0, 20)) console.log(us(t), 'us', k);
if (filter) {
  console.log(`--- ${filter}`);
  for (const [k, t] of by((f) => (f.url.includes(filter) ? `${f.functionName}:${f.lineNumber}`.slice(0, 120) : undefined)).slice(0, 25)) console.log(us(t), 'us', k);
}
