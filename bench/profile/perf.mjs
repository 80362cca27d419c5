// Where a request's CPU goes, by sampling (Linux `perf record`, the software cpu-clock event: no
// hardware counters needed), for two clients side by side: each alone in its own process
// (bench/profile/threads.mjs: real fetch, 10 in flight), sampled over its measured requests only,
// JIT code named through V8's perf map (`--perf-basic-prof`). Unlike instructions.mjs (simulated
// instructions and cache misses) this is time as the machine spent it, cold caches included.
// Prints µs a request by area (our wasm, the JS<->wasm stubs, our JS, undici, OpenSSL, V8's
// builtins, collector and compilers, the kernel...) and the symbols that differ most.
//   node bench/profile/perf.mjs [A=floor] [B=pkg] [warm-up=7000] [requests=8000] [symbols=30] [rounds=1]
// With rounds > 1 the clients take turns (A B, B A, ...), a fresh process each, and the samples
// of all rounds are pooled: the machine's drift falls on both alike.
// A and B as for threads.mjs: floor, shaped, mini, direct=<dir>, or a package directory
// (bash bench/profile/named.sh gives .work/profile-pkg, whose wasm functions have names).
// Needs `perf` and kernel.perf_event_paranoid <= 2 (it samples its own children only).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [a = 'floor', b = 'pkg', warm = '7000', requests = '8000', top = '30', rounds = '1'] = process.argv.slice(2);
const HZ = 4999;
const dir = mkdtempSync(join(tmpdir(), 'wxpay-perf-'));
const threads = resolve(import.meta.dirname, 'threads.mjs');
/** V8's perf maps of the clients (`--perf-basic-prof` writes them to /tmp), removed at the end. */
const maps = [];

/** Samples of one client's measured requests: the perf data file and the client's pid. */
async function record(client, name) {
  const ctl = join(dir, `${name}.ctl`);
  const data = join(dir, `${name}.data`);
  execFileSync('mkfifo', [ctl]);
  const spec = /^(floor|shaped|mini)$/.test(client) ? client : client.startsWith('direct=') ? `direct=${resolve(client.slice(7))}` : resolve(client);
  const child = spawn('perf', ['record', '-q', '-D', '-1', '--control', `fifo:${ctl}`, '-e', 'cpu-clock', '-F', String(HZ), '-o', data,
    '--', process.execPath, '--perf-basic-prof', threads, spec, warm, requests], { cwd: dir, env: { ...process.env, WXPAY_PERF_CTL: ctl }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const code = await new Promise((ok) => child.on('close', ok));
  if (code !== 0) throw new Error(`perf record for ${client} exited with ${code}`);
  const pid = out.match(/\(pid (\d+)\)/)?.[1];
  if (!pid) throw new Error(`no pid in threads.mjs's output: ${out}`);
  console.log(out.trim().split('\n').at(-1));
  maps.push(`/tmp/perf-${pid}.map`);
  return { data, pid };
}

/** The area a sampled symbol belongs to. */
function area(sym, dso) {
  if (dso.startsWith('[kernel')) return 'kernel';
  if (dso.includes('/tmp/perf-')) {
    if (/wasm-to-js|js-to-wasm|externref shim/.test(sym)) return 'JS<->wasm stubs';
    if (/-(turbofan|liftoff)$/.test(sym)) return /^JS:wasm-function\[/.test(sym) ? 'wasm, unnamed (llhttp; ours without names)' : 'our wasm (named)';
    if (/boundary\.js|wxpay\.js|wxpay_wasm\.js|error\.js|bill\.js|upload\.js/.test(sym)) return 'our JS (boundary, chain, glue)';
    if (/undici/.test(sym)) return 'undici (fetch)';
    if (/node:internal\/(streams|webstreams)/.test(sym)) return 'Node streams';
    if (/bench\//.test(sym)) return 'bench harness';
    if (/node:/.test(sym)) return 'Node JS, other';
    return 'JIT, other';
  }
  if (/^(ossl_|bn_|BN_|RSA|rsa_|EVP_|evp_|sha256|SHA256|CRYPTO_|ecp_|x509|X509|ASN1|asn1|OPENSSL|__bn|OSSL|ossl)/.test(sym)) return 'OpenSSL';
  if (/Scaveng|Heap|Mark|Sweep|Evacuat|Compactor|GC|Remembered|Slot/.test(sym)) return 'V8 garbage collector';
  if (/compiler::|wasm::|Maglev|maglev|Baseline|interpreter::|Parser|Scanner|Zone/.test(sym) && !/^Builtins_/.test(sym)) return 'V8 compilers';
  if (/^Builtins_/.test(sym)) return 'V8 builtins (ICs, calls, promises)';
  if (/^(node::|uv_|llhttp)/.test(sym)) return 'Node C++ and libuv';
  if (/^v8::/.test(sym)) return 'V8 runtime, other';
  if (/libc|libstdc|ld-linux|libm|libgcc/.test(dso)) return 'libc and C++ runtime';
  return 'other native';
}

/** A client's samples by symbol and by area, pooled over its processes. */
const tallies = () => ({ bySymbol: new Map(), byArea: new Map(), areaOf: new Map(), total: 0 });

/** Adds the samples of `pid` only (the sandbox, a child, is sampled too) to `into`. */
function tally({ data, pid }, into) {
  const text = execFileSync('perf', ['script', '-i', data, '-F', 'pid,ip,sym,dso', '-G'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*(\d+)\s+[0-9a-f]+\s+(.*) \(([^)]*)\)$/);
    if (!m || m[1] !== pid) continue;
    const sym = m[2].replace(/::h[0-9a-f]{16}/g, '');
    const where = area(sym, m[3]);
    into.bySymbol.set(sym, (into.bySymbol.get(sym) ?? 0) + 1);
    into.areaOf.set(sym, where);
    into.byArea.set(where, (into.byArea.get(where) ?? 0) + 1);
    into.total++;
  }
}

try {
  const ra = tallies();
  const rb = tallies();
  for (let r = 0; r < Number(rounds); r++) {
    const order = r % 2 === 0 ? [[a, ra, 'a'], [b, rb, 'b']] : [[b, rb, 'b'], [a, ra, 'a']];
    for (const [client, into, name] of order) {
      const run = await record(client, `${name}${r}`);
      tally(run, into);
      rmSync(run.data, { force: true });
    }
  }
  const us = (samples) => (samples * 1e6) / HZ / Number(requests) / Number(rounds);
  const row = (label, x, y) => console.log(`${label.padEnd(44).slice(0, 44)} ${us(x).toFixed(1).padStart(8)} ${us(y).toFixed(1).padStart(8)} ${(us(y) - us(x) >= 0 ? '+' : '') + (us(y) - us(x)).toFixed(1).padStart(7)}`);
  console.log(`\nµs a request (samples at ${HZ} Hz over ${requests} requests a process, ${rounds} process(es) a client)`);
  console.log(`${'area'.padEnd(44)} ${'A'.padStart(8)} ${'B'.padStart(8)} ${'B-A'.padStart(8)}    A = ${a}, B = ${b}`);
  const areas = [...new Set([...ra.byArea.keys(), ...rb.byArea.keys()])];
  areas.sort((x, y) => (rb.byArea.get(y) ?? 0) - (ra.byArea.get(y) ?? 0) - ((rb.byArea.get(x) ?? 0) - (ra.byArea.get(x) ?? 0)));
  for (const k of areas) row(k, ra.byArea.get(k) ?? 0, rb.byArea.get(k) ?? 0);
  row('all', ra.total, rb.total);
  console.log(`\nsymbols that differ most (B-A, µs a request)`);
  const syms = [...new Set([...ra.bySymbol.keys(), ...rb.bySymbol.keys()])];
  const diff = (k) => (rb.bySymbol.get(k) ?? 0) - (ra.bySymbol.get(k) ?? 0);
  syms.sort((x, y) => Math.abs(diff(y)) - Math.abs(diff(x)));
  for (const k of syms.slice(0, Number(top))) row(k.replace(/^JS:/, '').replace(/file:\/\/\/.*\//, ''), ra.bySymbol.get(k) ?? 0, rb.bySymbol.get(k) ?? 0);
  // WXPAY_PERF_AREAS (areas joined by `;`) lists B's first symbols of other areas too, by B-A.
  const more = (process.env.WXPAY_PERF_AREAS ?? '').split(';').filter(Boolean);
  for (const where of more) {
    const mine = syms.filter((k) => (rb.areaOf.get(k) ?? ra.areaOf.get(k)) === where).sort((x, y) => diff(y) - diff(x));
    console.log(`\n${where}: the 15 symbols B spends most more on, of ${mine.length} (A, B, B-A)`);
    for (const k of mine.slice(0, 15)) row(k.replace(/^JS:/, '').replace(/file:\/\/\/.*\//, ''), ra.bySymbol.get(k) ?? 0, rb.bySymbol.get(k) ?? 0);
  }
  for (const where of ['our wasm (named)', 'our JS (boundary, chain, glue)', 'JS<->wasm stubs']) {
    const mine = [...rb.bySymbol.entries()].filter(([k]) => rb.areaOf.get(k) === where).sort((x, y) => y[1] - x[1]);
    if (mine.length === 0) continue;
    console.log(`\nB's ${where}: the first 15 of ${mine.length} symbols`);
    for (const [k, n] of mine.slice(0, 15)) console.log(`${k.replace(/^JS:/, '').replace(/file:\/\/\/.*\//, '').slice(0, 100).padEnd(100)} ${us(n).toFixed(2).padStart(6)}`);
  }
} finally {
  // The run's directory is the clients' working directory too: V8's log (isolate-*.log) goes there.
  for (const f of [dir, ...maps]) rmSync(f, { recursive: true, force: true });
}
