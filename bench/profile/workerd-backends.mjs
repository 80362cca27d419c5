// Both of ours and both floors in one workerd, with nodejs_compat: ours on WebCrypto and on
// workerd's node:crypto (the probe's /loop?crypto=...), and the floor on crypto.subtle and on
// node:crypto (/floor, /floor?crypto=node). make bench's workerd section runs ours on node:crypto
// and its floor in a process of their own (that backend needs the flag) and ours on WebCrypto in
// another, so it cannot say whether a backend's ratio differs because of the backend or of the
// process; here all four share one process, taking turns in alternating rounds, and the CPU is
// that process's (as in bench/workerd.mjs).
//   node bench/profile/workerd-backends.mjs [cert|key] [rounds=20] [n=300]
import { bundle, start } from '../../tests/workerd/harness.mjs';
import { MODES } from '../e2e.mjs';
import { startSandboxProcess } from '../sandbox-process.mjs';
import { alternateRounds, summarize } from '../stats.mjs';
import { cpuMs, probeMode, workerdPids } from '../workerd.mjs';

const [which = 'cert', rounds = '20', n = '300'] = process.argv.slice(2);
const mode = Object.keys(MODES).find((m) => m.startsWith(which === 'key' ? 'key' : 'certificate'));

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
      const c0 = cpuMs(pids);
      const t0 = performance.now();
      const body = await (await mf.dispatchFetch(`http://probe/${route}&n=${n}`)).json();
      if (body.crypto !== answers || body.n !== Number(n)) throw new Error(JSON.stringify(body));
      return { wall: (performance.now() - t0) / Number(n), cpu: (cpuMs(pids) - c0) / Number(n) };
    });
    const { rows, ratio } = summarize(runs);
    console.log(`${mode}, one workerd with nodejs_compat, ${rounds} rounds of ${n}: CPU and wall ms a request (medians)`);
    for (const row of rows) console.log(`  ${row[0].padEnd(18)} ${row[1]}  ${row[2]}`);
    for (const [a, b] of [['ours (webcrypto)', 'floor (subtle)'], ['ours (node)', 'floor (node)'], ['ours (node)', 'ours (webcrypto)'], ['floor (node)', 'floor (subtle)']]) {
      console.log(`  ${`${a}/${b}`.padEnd(34)} CPU ${ratio(a, b).join('  wall ')}`);
    }
  } finally {
    await mf.dispose();
  }
} finally {
  await sb.close();
}
