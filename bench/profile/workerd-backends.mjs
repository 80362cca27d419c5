// Both of ours and both floors in one workerd, with nodejs_compat: ours on WebCrypto and on
// workerd's node:crypto (the probe's /loop?crypto=...), and the floor on crypto.subtle and on
// node:crypto (/floor, /floor?crypto=node). make bench's workerd section runs ours on node:crypto
// and its floor in a process of their own (that backend needs the flag) and ours on WebCrypto in
// another, so it cannot say whether a backend's ratio differs because of the backend or of the
// process; here all four share one process, taking turns in alternating rounds, and the CPU is
// that process's (as in bench/workerd.mjs). With `threads`, each thread's own CPU as well
// (/proc/<pid>/task/<tid>/schedstat), µs a request by the medians: whether what differs between
// two routes is on the isolate's thread or on V8's helpers.
//   node bench/profile/workerd-backends.mjs [cert|key] [rounds=20] [n=300] [threads]
import { readdirSync, readFileSync } from 'node:fs';
import { bundle, start } from '../../tests/workerd/harness.mjs';
import { MODES } from '../e2e.mjs';
import { startSandboxProcess } from '../sandbox-process.mjs';
import { alternateRounds, median, summarize } from '../stats.mjs';
import { cpuMs, probeMode, workerdPids } from '../workerd.mjs';

const [which = 'cert', rounds = '20', n = '300', byThread] = process.argv.slice(2);
const mode = Object.keys(MODES).find((m) => m.startsWith(which === 'key' ? 'key' : 'certificate'));

/** Each thread's CPU so far, µs, by `name:tid` (none unless `threads` was asked for). */
function threads(pids) {
  const out = {};
  if (byThread !== 'threads') return out;
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        out[`${name}:${tid}`] = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e3;
      } catch { /* the thread ended */ }
    }
  }
  return out;
}

const sb = await startSandboxProcess();
try {
  const probe = await bundle('tests/workerd/probe/wrangler.toml', 'bench-probe');
  const { bindings } = await probeMode(sb, mode);
  const mf = start(probe.outdir, bindings, { compatibilityFlags: ['nodejs_compat'] });
  try {
    await mf.ready;
    const pids = workerdPids();
    // Each route and the `crypto` its answer names.
    const routes = {
      'ours (webcrypto)': ['loop?crypto=webcrypto', 'webcrypto'],
      'floor (subtle)': ['floor?crypto=subtle', 'floor'],
      'ours (node)': ['loop?crypto=node', 'node'],
      'floor (node)': ['floor?crypto=node', 'floor (node)'],
    };
    const runs = await alternateRounds(Object.keys(routes), Math.ceil(6000 / Number(n)), Number(rounds), async (k) => {
      const [route, answers] = routes[k];
      const th0 = threads(pids);
      const c0 = cpuMs(pids);
      const t0 = performance.now();
      const body = await (await mf.dispatchFetch(`http://probe/${route}&n=${n}`)).json();
      if (body.crypto !== answers || body.n !== Number(n)) throw new Error(JSON.stringify(body));
      const sample = { wall: (performance.now() - t0) / Number(n), cpu: (cpuMs(pids) - c0) / Number(n) };
      const th = threads(pids);
      sample.threads = Object.fromEntries(Object.entries(th).map(([t, us]) => [t, (us - (th0[t] ?? 0)) / Number(n)]));
      return sample;
    });
    const { rows, ratio } = summarize(runs);
    console.log(`${mode}, one workerd with nodejs_compat, ${rounds} rounds of ${n}: CPU and wall ms a request (medians)`);
    for (const row of rows) console.log(`  ${row[0].padEnd(18)} ${row[1]}  ${row[2]}`);
    for (const [a, b] of [['ours (webcrypto)', 'floor (subtle)'], ['ours (node)', 'floor (node)'], ['ours (node)', 'ours (webcrypto)'], ['floor (node)', 'floor (subtle)']]) {
      console.log(`  ${`${a}/${b}`.padEnd(34)} CPU ${ratio(a, b).join('  wall ')}`);
    }
    if (byThread === 'threads') {
      const names = Object.keys(routes);
      console.log(`  CPU µs a request by thread (medians; threads under 0.5 µs left out)`);
      console.log(`  ${'thread'.padEnd(26)}${names.map((k) => k.padStart(18)).join('')}`);
      for (const t of [...new Set(names.flatMap((k) => runs[k].flatMap((r) => Object.keys(r.threads))))]) {
        const row = names.map((k) => median(runs[k].map((r) => r.threads[t] ?? 0)));
        if (row.every((v) => v < 0.5)) continue;
        console.log(`  ${t.padEnd(26)}${row.map((v) => v.toFixed(1).padStart(18)).join('')}`);
      }
    }
  } finally {
    await mf.dispose();
  }
} finally {
  await sb.close();
}
