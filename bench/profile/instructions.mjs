// Instructions, simulated cache misses and mispredicted branches (cachegrind's simple predictor:
// conditional and indirect) per request, under valgrind's cachegrind: a count that
// does not depend on how busy the machine is (bench/profile/run.mjs, the seed GET in certificate
// mode, 10 in flight). Each client runs twice, `from` and `to` requests; the difference over
// `to - from` is the steady state, compilation and start-up left out. About 45 ms of valgrind
// time a request.
//   node bench/profile/instructions.mjs [from=1200] [to=2200] <floor | mini | direct=<dir> | dir>...
// (the clients of run.mjs: `mini` needs bash bench/profile/mini.sh first)
// JIT code (JS and wasm alike) has no symbols under valgrind: it is the `jit` column. Counts are
// not CPU time: the RSA code runs at several instructions a cycle, ours at far fewer. Compare
// clients side by side, and use `.work/cg.*` with cg_diff and cg_annotate for the functions.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const args = process.argv.slice(2);
const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
const [from = 1200, to = 2200] = nums;
const clients = args.filter((a) => !/^\d+$/.test(a));
if (clients.length === 0 || !(to > from)) {
  console.error('usage: node bench/profile/instructions.mjs [from] [to] <floor | mini | direct=<dir> | package dir>...');
  process.exit(2);
}
mkdirSync(`${root}/.work`, { recursive: true });

/** Totals of one cachegrind output: events, and those of code with no symbol (JIT). */
function totals(file) {
  const text = execFileSync('cg_annotate', ['--auto=no', '--show=Ir,I1mr,D1mr,Bcm,Bim', '--sort=Ir', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  // A row's counts: each `1,234 (5.6%)`, or a bare `0` where cachegrind saw none.
  const counts = (line) => [...line.matchAll(/(?:^|\s)([\d,]+)(?: \([^)]*\))?(?=\s)/g)].slice(0, 5).map((m) => Number(m[1].replace(/,/g, '')));
  const total = text.split('\n').find((l) => l.endsWith('PROGRAM TOTALS'));
  const jit = text.split('\n').find((l) => /\?\?\?:\?\?\?\s*$/.test(l));
  if (!total) throw new Error(`cannot read ${file}`);
  const [ir, i1, d1, bcm, bim] = counts(total);
  const j = jit ? counts(jit) : [0, 0, 0, 0, 0];
  return { ir, i1, d1, br: bcm + bim, jit: j[0], jitBr: j[3] + j[4] };
}

function run(client, n) {
  const name = client.startsWith('direct=') ? `direct-${basename(resolve(client.slice(7)))}` : ['floor', 'mini'].includes(client) ? client : basename(resolve(client));
  const tag = `${name}.${n}`;
  const out = `${root}/.work/cg.${tag}`;
  execFileSync('valgrind', ['--tool=cachegrind', '--cache-sim=yes', '--branch-sim=yes', '--smc-check=all-non-file', `--cachegrind-out-file=${out}`,
    process.execPath, `${root}/bench/profile/run.mjs`, client, String(n), 'slow'], { stdio: ['ignore', 'ignore', 'pipe'], cwd: root });
  return totals(out);
}

const rows = [];
for (const client of clients) {
  const a = run(client, from);
  const b = run(client, to);
  const per = (k) => (b[k] - a[k]) / (to - from);
  rows.push({ client, ir: per('ir'), jit: per('jit'), i1: per('i1'), d1: per('d1'), br: per('br'), jitBr: per('jitBr') });
}
const k = (x) => `${(x / 1000).toFixed(1)}k`;
console.log(`per request, steady state (${from} -> ${to} requests):`);
console.log('| client | instructions | of which JIT code (JS, wasm) | I1 misses | D1 misses | mispredicted branches | of which in JIT code |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.client} | ${k(r.ir)} | ${k(r.jit)} | ${k(r.i1)} | ${k(r.d1)} | ${k(r.br)} | ${k(r.jitBr)} |`);
if (rows.length > 1) {
  const [base] = rows;
  for (const r of rows.slice(1)) {
    console.log(`${r.client} - ${base.client}: ${k(r.ir - base.ir)} instructions (${k(r.jit - base.jit)} JIT), ${k(r.i1 - base.i1)} I1 and ${k(r.d1 - base.d1)} D1 misses, ${k(r.br - base.br)} mispredicted branches (${k(r.jitBr - base.jitBr)} JIT)`);
  }
}
