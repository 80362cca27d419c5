// The seed GET inside workerd (Miniflare), per backend. Time inside a Worker
// only advances on I/O, so CPU is read from outside: the workerd process's
// utime+stime (/proc) around a loop of sequential requests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { bundle, start } from '../tests/workerd/harness.mjs';
import { startSandboxProcess } from './sandbox-process.mjs';
import { alternateRounds, summarize, table } from './stats.mjs';

/** The workerd processes this process started (Miniflare's), by /proc. */
export function workerdPids() {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'workerd'
        && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(process.pid);
    } catch { return false; }
  });
}

/**
 * CPU milliseconds the processes `pids` have used, all their threads: the first field of each
 * thread's /proc/<pid>/task/<tid>/schedstat, in nanoseconds (utime+stime in /proc/<pid>/stat
 * counts 10 ms ticks, too coarse for a batch of a few hundred ms: only where schedstat is missing).
 */
function cpuMs(pids) {
  let ms = 0;
  for (const pid of pids) {
    if (!existsSync(`/proc/${pid}/schedstat`)) {
      // A kernel without schedstat (no CONFIG_SCHED_INFO): the ticks, then.
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ms += (Number(f[11]) + Number(f[12])) * 10;
      continue;
    }
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ms += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
      } catch { /* the thread ended */ }
    }
  }
  return ms;
}

// As in bench/e2e.mjs, the rounds start once the JITs have settled: 8,000 requests a backend first.
export async function workerd({ rounds = 13, n = 600, warmup = 8000 } = {}) {
  const warm = Math.ceil(warmup / n);
  const sb = await startSandboxProcess();
  const { outdir, upload } = await bundle('tests/workerd/probe/wrangler.toml', 'bench-probe');
  const mf = start(outdir, {
    WXPAY_MCHID: sb.mchid, WXPAY_SERIAL: sb.merchant.serial, WXPAY_PRIVATE_KEY: sb.merchant.privateKeyPkcs8,
    WXPAY_CERTS: JSON.stringify({ [sb.platform.serial]: sb.platform.certificate }), WXPAY_BASE_URL: sb.baseURL,
    WXPAY_PLATFORM_SPKI: sb.platform.publicKeySpki,
    CARD_ID: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', CODE: '300000001',
  });
  try {
    await mf.ready;
    const pids = workerdPids();
    // The floor twice: the second's ratio to the first (A/A) shows how far this run's ratios stray.
    const backends = ['rust', 'webcrypto', 'floor', 'floor again'];
    const runs = await alternateRounds(backends, warm, rounds, async (backend) => {
      const c0 = cpuMs(pids);
      const t0 = performance.now();
      const floor = backend.startsWith('floor');
      const res = await mf.dispatchFetch(floor ? `http://probe/floor?n=${n}` : `http://probe/loop?crypto=${backend}&n=${n}`);
      const body = await res.json();
      if (body.crypto !== (floor ? 'floor' : backend) || body.n !== n) throw new Error(JSON.stringify(body));
      return { wall: (performance.now() - t0) / n, cpu: (cpuMs(pids) - c0) / n };
    });
    // Each ratio is the median of the rounds' ratios, their quartiles beside it (summarize, as in bench/e2e.mjs).
    const { m, rows, ratio } = summarize(runs);
    rows.push(['**ours (webcrypto)/floor**', ...ratio('webcrypto', 'floor')]);
    rows.push(['ratio rust/webcrypto', ...ratio('rust', 'webcrypto')]);
    rows.push(['floor again/floor (A/A: the spread of this run)', ...ratio('floor again', 'floor')]);
    return {
      data: { ...m, upload, pids: pids.length },
      markdown: `Probe Worker bundled by \`wrangler deploy --dry-run\` (${upload}), run by Miniflare; ${rounds} alternating rounds of ${n} sequential seed GETs per backend, after ${warm} warm-up rounds (${warm * n} requests a backend), each inside one Worker invocation. CPU is the workerd process's, all threads (/proc schedstat, nanoseconds), per request, so it includes workerd's own HTTP work; medians, and each ratio the median of the rounds' ratios, with their first and third quartiles in brackets.\n\n` +
        table(['backend', 'workerd CPU ms/request', 'wall ms/request'], rows) +
        '\n\nfloor: the same requests with no SDK in the same Worker (crypto.subtle sign, fetch, verify, JSON.parse). Target (issue 16): ours/floor at most 1.10.',
    };
  } finally {
    await mf.dispose();
    await sb.close();
  }
}
