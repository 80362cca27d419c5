// Instructions per request in JIT code (JS and wasm), by function: callgrind records each
// instruction's address, and V8's perf map (--perf-basic-prof) names the code at it. Named wasm
// functions need the named build (bash bench/profile/named.sh, .work/profile-pkg).
//   node bench/profile/jit.mjs <floor | mini | direct=<dir> | dir> [requests=1500] [group|fn]
// `group` sums by script (and all wasm together: undici's llhttp parser is wasm too, about 13k
// instructions a request for the floor); `fn` lists functions. Start-up is included, spread over
// the requests: compare clients at the same count. About 45 ms a request.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import readline from 'node:readline';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const [client, n = '1500', mode = 'group'] = process.argv.slice(2);
if (!client) {
  console.error('usage: node bench/profile/jit.mjs <floor | mini | direct=<dir> | dir> [requests] [group|fn]');
  process.exit(2);
}
mkdirSync(`${root}/.work`, { recursive: true });
const out = `${root}/.work/callgrind.jit.out`;
const maps = () => new Set(readdirSync('/tmp').filter((f) => /^perf-\d+\.map$/.test(f)));
const before = maps();
// Run from .work, where V8's isolate logs land; a package directory passed absolute.
const target = client === 'floor' || client === 'mini' ? client
  : client.startsWith('direct=') ? `direct=${resolve(client.slice(7))}` : resolve(client);
execFileSync('valgrind', ['--tool=callgrind', '--dump-instr=yes', '--smc-check=all-non-file', `--callgrind-out-file=${out}`,
  process.execPath, '--perf-basic-prof', `${root}/bench/profile/run.mjs`, target, n, 'slow'], { stdio: ['ignore', 'ignore', 'pipe'], cwd: `${root}/.work` });
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
function label(name) {
  if (name === undefined) return 'unnamed JIT code';
  // Wasm functions: `JS:<name>-<index>-<tier>`.
  if (/-\d+-(turbofan|liftoff)$/.test(name)) return mode === 'group' ? 'wasm' : `wasm ${name.slice(3).replace(/::h[0-9a-f]{16}-/, '-')}`;
  if (mode !== 'group') return name;
  const file = name.match(/(node:[^: ]+|file:\/\/\S+?\.[cm]?js)/)?.[1];
  return file ? `JS ${file.split('/').at(-1)}` : name.split(':')[0];
}

// Self cost of code in objects with no file (JIT code), by address. Callgrind's format: `ob=`
// and `cob=` name objects, position lines are absolute (0x...) or relative (+n, -n, *) to the
// last one, and the line after `calls=` is a call's inclusive cost, not self cost.
const names = new Map();
let jit = false, last = 0, skip = false, total = 0, inJit = 0;
const costs = new Map();
for await (const line of readline.createInterface({ input: createReadStream(out) })) {
  const ob = line.match(/^c?ob=\((\d+)\)(?: (.*))?$/);
  if (ob) {
    if (ob[2] !== undefined) names.set(ob[1], ob[2]);
    if (line.startsWith('ob=')) jit = ['', '???', undefined].includes(names.get(ob[1]));
    continue;
  }
  if (line.startsWith('calls=')) { skip = true; continue; }
  const p = line.split(' ')[0];
  if (p.startsWith('0x')) last = parseInt(p, 16);
  else if (p[0] === '+') last += parseInt(p.slice(1), 16);
  else if (p[0] === '-') last -= parseInt(p.slice(1), 16);
  else if (p !== '*') continue;
  const cost = Number(line.split(' ')[2] ?? 0);
  if (skip) { skip = false; continue; }
  total += cost;
  if (!jit) continue;
  inJit += cost;
  const k = label(lookup(last));
  costs.set(k, (costs.get(k) ?? 0) + cost);
}
const k = (x) => `${(x / Number(n) / 1000).toFixed(1)}k`;
console.log(`${client}, ${n} requests: ${k(total)} instructions a request, ${k(inJit)} in JIT code (start-up included)`);
for (const [name, c] of [...costs].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(k(c).padStart(8), name);
