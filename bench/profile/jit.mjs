// Instructions per request in JIT code (JS and wasm), by function: callgrind records each
// instruction's address, and V8's perf map (--perf-basic-prof) names the code at it. Named wasm
// functions need the named build (bash bench/profile/named.sh, .work/profile-pkg).
//   node bench/profile/jit.mjs <floor | mini | direct=<dir> | dir> [requests=1500 | from:to] [group|fn] [misses]
// `group` sums by script (and all wasm together: undici's llhttp parser is wasm too, about 13k
// instructions a request for the floor; and all native code: Node, V8's runtime and builtins,
// libraries); `fn` lists functions, native ones by symbol. With one count, start-up is
// included, spread over the requests: compare clients at the same count. With `from:to` the
// client runs twice and the difference over `to - from` is shown: the steady state.
// `misses` adds callgrind's cache and branch simulation: beside instructions, each row then shows
// simulated L1 instruction and data misses and mispredicted branches (conditional and indirect),
// with the network code of the other requests run in between, as in real use. SORT=I1 (or D1,
// mispredicted) orders the rows by that column. Every row, a request, is also written to
// .work/jit.<client>.tsv (for `sort -t$'\t' -k3 -g -r` and the like). About 45 ms a request, twice
// that with `misses`.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import readline from 'node:readline';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const [client, counts = '1500', mode = 'group', sim] = process.argv.slice(2);
const [from, to] = counts.includes(':') ? counts.split(':').map(Number) : [0, Number(counts)];
if (!client || !(to > from) || !['group', 'fn'].includes(mode) || ![undefined, 'misses'].includes(sim)) {
  console.error('usage: node bench/profile/jit.mjs <floor | mini | direct=<dir> | dir> [requests | from:to] [group|fn] [misses]');
  process.exit(2);
}
mkdirSync(`${root}/.work`, { recursive: true });
const out = `${root}/.work/callgrind.jit.out`;
// Run from .work, where V8's isolate logs land; a package directory passed absolute.
const target = client === 'floor' || client === 'mini' ? client
  : client.startsWith('direct=') ? `direct=${resolve(client.slice(7))}` : resolve(client);
const simFlags = sim === 'misses' ? ['--cache-sim=yes', '--branch-sim=yes'] : [];
// WXPAY_NODE_FLAGS: more flags for node (`--no-liftoff`: every wasm function compiled by TurboFan at
// once, so each is in the perf map under one name, none left unnamed by a later tier-up).
const nodeFlags = (process.env.WXPAY_NODE_FLAGS ?? '').split(' ').filter(Boolean);

function label(name) {
  if (name === undefined) return 'unnamed JIT code';
  // Wasm functions: `JS:<name>-<index>-<tier>`.
  if (/-\d+-(turbofan|liftoff)$/.test(name)) return mode === 'group' ? 'wasm' : `wasm ${name.slice(3).replace(/::h[0-9a-f]{16}-/, '-')}`;
  if (mode !== 'group') return name;
  const file = name.match(/(node:[^: ]+|file:\/\/\S+?\.[cm]?js)/)?.[1];
  return file ? `JS ${file.split('/').at(-1)}` : name.split(':')[0];
}

const add = (into, row, sign = 1) => { for (let i = 0; i < row.length; i++) into[i] = (into[i] ?? 0) + sign * row[i]; };

/** One run of `n` requests under callgrind: its events, and counts by label (all, JIT code, rows). */
async function profile(n) {
  const maps = () => new Set(readdirSync('/tmp').filter((f) => /^perf-\d+\.map$/.test(f)));
  const before = maps();
  execFileSync('valgrind', ['--tool=callgrind', '--dump-instr=yes', ...simFlags, '--smc-check=all-non-file', `--callgrind-out-file=${out}`,
    process.execPath, ...nodeFlags, '--perf-basic-prof', `${root}/bench/profile/run.mjs`, target, String(n), 'slow'], { stdio: ['ignore', 'ignore', 'pipe'], cwd: `${root}/.work` });
  const [mapFile] = [...maps()].filter((f) => !before.has(f));
  if (!mapFile) throw new Error('V8 wrote no perf map');

  // [start, end, name] of each code object, by start.
  const map = readFileSync(`/tmp/${mapFile}`, 'utf8').trim().split('\n').map((l) => {
    const [a, s, ...name] = l.split(' ');
    return [parseInt(a, 16), parseInt(a, 16) + parseInt(s, 16), name.join(' ')];
  }).sort((x, y) => x[0] - y[0]);
  rmSync(`/tmp/${mapFile}`);
  for (const f of readdirSync(`${root}/.work`)) if (/^isolate-.*-v8\.log$/.test(f)) rmSync(`${root}/.work/${f}`);
  function lookup(addr) {
    let lo = 0, hi = map.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (map[mid][0] <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = best; i >= 0 && i > best - 50; i--) if (map[i][0] <= addr && addr < map[i][1]) return map[i][2];
    return undefined;
  }

  // Self cost of code in objects with no file (JIT code), by address. Callgrind's format: `ob=`
  // and `cob=` name objects, position lines are absolute (0x...) or relative (+n, -n, *) to the
  // last one, then one count per event of the `events:` line (missing ones are 0), and the line
  // after `calls=` is a call's inclusive cost, not self cost.
  const names = new Map(), fns = new Map();
  let fn = '', jit = false, last = 0, skip = false, events = [], width = 2;
  const rows = new Map(), total = [], inJit = [];
  for await (const line of readline.createInterface({ input: createReadStream(out) })) {
    if (line.startsWith('positions: ')) { width = line.split(' ').length - 1; continue; }
    if (line.startsWith('events: ')) { events = line.slice(8).split(' '); continue; }
    const ob = line.match(/^c?ob=\((\d+)\)(?: (.*))?$/);
    if (ob) {
      if (ob[2] !== undefined) names.set(ob[1], ob[2]);
      if (line.startsWith('ob=')) jit = ['', '???', undefined].includes(names.get(ob[1]));
      continue;
    }
    const f = line.match(/^c?fn=\((\d+)\)(?: (.*))?$/);
    if (f) {
      if (f[2] !== undefined) fns.set(f[1], f[2]);
      if (line.startsWith('fn=')) fn = fns.get(f[1]);
      continue;
    }
    if (line.startsWith('calls=')) { skip = true; continue; }
    const fields = line.split(' ');
    const p = fields[0];
    if (p.startsWith('0x')) last = parseInt(p, 16);
    else if (p[0] === '+') last += parseInt(p.slice(1), 16);
    else if (p[0] === '-') last -= parseInt(p.slice(1), 16);
    else if (p !== '*') continue;
    if (skip) { skip = false; continue; }
    const row = events.map((_, i) => Number(fields[width + i] ?? 0));
    add(total, row);
    if (jit) add(inJit, row);
    const k = jit ? label(lookup(last)) : mode === 'group' ? 'native code' : `native ${fn}`;
    if (!rows.has(k)) rows.set(k, []);
    add(rows.get(k), row);
  }
  return { events, total, inJit, rows };
}

const b = await profile(to);
const { events } = b;
if (from > 0) {
  const a = await profile(from);
  add(b.total, a.total, -1);
  add(b.inJit, a.inJit, -1);
  for (const [k, row] of a.rows) {
    if (!b.rows.has(k)) b.rows.set(k, []);
    add(b.rows.get(k), row, -1);
  }
}
const n = to - from;
// The columns: instructions, and with `misses` the simulated L1 misses and mispredictions.
const at = (name) => events.indexOf(name);
const columns = [['instructions', ['Ir']], ['I1 misses', ['I1mr']], ['D1 misses', ['D1mr', 'D1mw']], ['mispredicted', ['Bcm', 'Bim']]]
  .filter(([, evs]) => evs.every((e) => at(e) >= 0));
const value = (row, evs) => evs.reduce((sum, e) => sum + (row[at(e)] ?? 0), 0);
const show = (c, x) => (c === 'instructions' ? `${(x / n / 1000).toFixed(1)}k` : (x / n).toFixed(0));
const sortBy = columns.find(([c]) => process.env.SORT && c.startsWith(process.env.SORT)) ?? columns[0];
console.log(`${client}, ${from > 0 ? `${from} -> ${to} requests (steady state)` : `${to} requests (start-up included)`}, a request: `
  + columns.map(([c, evs]) => `${c} ${show(c, value(b.total, evs))} (${show(c, value(b.inJit, evs))} in JIT code)`).join(', '));
console.log(`${columns.map(([c]) => c.padStart(13)).join('')}  code`);
const tag = target.replace(/^direct=/, 'direct-').split('/').filter(Boolean).at(-1);
writeFileSync(`${root}/.work/jit.${tag}.tsv`, [[...columns.map(([c]) => c), 'code'], ...[...b.rows].map(([name, row]) =>
  [...columns.map(([, evs]) => (value(row, evs) / n).toFixed(1)), name])].map((r) => r.join('\t')).join('\n') + '\n');
for (const [name, row] of [...b.rows].sort((x, y) => value(y[1], sortBy[1]) - value(x[1], sortBy[1])).slice(0, 30)) {
  console.log(`${columns.map(([c, evs]) => show(c, value(row, evs)).padStart(13)).join('')}  ${name}`);
}
