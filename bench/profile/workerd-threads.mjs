// CPU by thread inside one workerd with nodejs_compat, for both of ours and both floors (as
// workerd-backends.mjs runs them, taking turns in alternating rounds): each thread's own CPU
// (/proc/<pid>/task/<tid>/schedstat) over each batch, µs a request, the medians of the rounds.
// Says whether what differs between two routes is on the isolate's thread or on V8's helpers.
//   node bench/profile/workerd-threads.mjs [cert|key] [rounds=16] [n=300]
import { readdirSync, readFileSync } from 'node:fs';
import { bundle, start } from '../../tests/workerd/harness.mjs';
import { MODES } from '../e2e.mjs';
import { startSandboxProcess } from '../sandbox-process.mjs';
import { probeMode, workerdPids } from '../workerd.mjs';

const [which = 'cert', rounds = '16', n = '300'] = process.argv.slice(2);
const mode = Object.keys(MODES).find((m) => m.startsWith(which === 'key' ? 'key' : 'certificate'));
const WARM = 4;

/** Each thread's CPU so far, µs, by `name:tid`. */
function threads(pids) {
  const out = {};
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

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

const sb = await startSandboxProcess();
try {
  const probe = await bundle('tests/workerd/probe/wrangler.toml', 'bench-probe');
  const { bindings } = await probeMode(sb, mode);
  const mf = start(probe.outdir, bindings, { compatibilityFlags: ['nodejs_compat'] });
  try {
    await mf.ready;
    const pids = workerdPids();
    const routes = {
      'ours (webcrypto)': 'loop?crypto=webcrypto',
      'floor (subtle)': 'floor?crypto=subtle',
      'ours (node)': 'loop?crypto=node',
      'floor (node)': 'floor?crypto=node',
    };
    const names = Object.keys(routes);
    const seen = Object.fromEntries(names.map((k) => [k, {}]));
    for (let r = 0; r < Number(rounds) + WARM; r++) {
      for (const k of r % 2 ? [...names].reverse() : names) {
        const before = threads(pids);
        const body = await (await mf.dispatchFetch(`http://probe/${routes[k]}&n=${n}`)).json();
        if (body.n !== Number(n)) throw new Error(JSON.stringify(body));
        const after = threads(pids);
        if (r < WARM) continue;
        for (const [t, us] of Object.entries(after)) (seen[k][t] ??= []).push((us - (before[t] ?? 0)) / Number(n));
      }
    }
    console.log(`${mode}, one workerd with nodejs_compat, ${rounds} rounds of ${n}: CPU µs a request by thread (medians)`);
    console.log(`  ${'thread'.padEnd(26)}${names.map((k) => k.padStart(18)).join('')}`);
    for (const t of [...new Set(names.flatMap((k) => Object.keys(seen[k])))]) {
      const row = names.map((k) => (seen[k][t] ? median(seen[k][t]) : 0));
      if (row.every((v) => v < 0.5)) continue;
      console.log(`  ${t.padEnd(26)}${row.map((v) => v.toFixed(1).padStart(18)).join('')}`);
    }
  } finally {
    await mf.dispose();
  }
} finally {
  await sb.close();
}
