// The seed GET inside workerd (Miniflare), per backend. Time inside a Worker
// only advances on I/O, so CPU is read from outside: the workerd process's
// utime+stime (/proc) around a loop of sequential requests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { bundle, start } from '../tests/workerd/harness.mjs';
import { MODES } from './e2e.mjs';
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
export function cpuMs(pids) {
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

const ANCHOR = 'wechatpay-axios-plugin@0.9.6';
// Ours as a Worker with nodejs_compat gets it: `auto` picks workerd's node:crypto there.
const NODE = 'node, nodejs_compat';
// The floor beside it, in the same workerd: no SDK, workerd's node:crypto (the probe's /floor?crypto=node).
const NODE_FLOOR = 'floor (node, nodejs_compat)';

/**
 * The backends measured in a key mode (bench/e2e.mjs's MODES), in the order a round runs them
 * (every other round the other way round): each ratio the targets ask for is of two backends that
 * run one right after the other, so the machine's drift within a round falls on both alike
 * (ours on WebCrypto beside the floor, the floor beside the floor again, ours on node:crypto beside
 * its floor). The pure-Rust signer runs in certificate mode only: its cost is the signature, the
 * same in both. The floor twice: the second's ratio to the first (A/A) shows how far this run's
 * ratios stray.
 */
const backendsFor = (answerKey) => [...(answerKey === 'platform' ? ['rust'] : []), ANCHOR, NODE, NODE_FLOOR, 'webcrypto', 'floor', 'floor again'];

/** The order of the table's rows. */
const SHOWN = ['rust', 'webcrypto', NODE, ANCHOR, 'floor', NODE_FLOOR, 'floor again'];

/**
 * Puts the sandbox in key mode `mode` (bench/e2e.mjs's MODES) and makes the probe Worker's
 * bindings for it: resolves `{ answerKey, bindings }`.
 */
export async function probeMode(sb, mode) {
  const { answerKey, certs, spki } = MODES[mode](sb);
  const set = await fetch(new URL('__sandbox/answer-key', sb.baseURL), { method: 'POST', body: JSON.stringify({ answerKey }) });
  if (!set.ok) throw new Error(`sandbox answer-key: ${set.status}`);
  const bindings = {
    WXPAY_MCHID: sb.mchid, WXPAY_SERIAL: sb.merchant.serial, WXPAY_PRIVATE_KEY: sb.merchant.privateKeyPkcs8,
    WXPAY_CERTS: JSON.stringify(certs), WXPAY_BASE_URL: sb.baseURL, WXPAY_PLATFORM_SPKI: spki,
    CARD_ID: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', CODE: '300000001',
  };
  return { answerKey, bindings };
}

// As in bench/e2e.mjs, the rounds start once the JITs have settled: 8,000 requests a backend first.
// Ours and the floor run in the probe Worker (tests/workerd/probe), the anchor in a Worker of its
// own (bench/workers/anchor: it needs nodejs_compat, which the probe goes without), and ours again
// in a second probe with nodejs_compat (NODE), each in its own workerd process; a backend's CPU is
// its process's.
export async function workerd({ rounds = 25, n = 300, warmup = 8000 } = {}) {
  const warm = Math.ceil(warmup / n);
  const sb = await startSandboxProcess();
  const probe = await bundle('tests/workerd/probe/wrangler.toml', 'bench-probe');
  const anchorBundle = await bundle('bench/workers/anchor/wrangler.toml', 'bench-anchor');
  const data = { upload: probe.upload, anchorUpload: anchorBundle.upload };
  const sections = [];
  try {
    for (const mode of Object.keys(MODES)) {
      const { answerKey, bindings } = await probeMode(sb, mode);
      const backends = backendsFor(answerKey);
      const mf = start(probe.outdir, bindings);
      let anchorMf;
      let nodeMf;
      try {
        await mf.ready;
        const pids = workerdPids();
        anchorMf = start(anchorBundle.outdir, bindings, { compatibilityFlags: ['nodejs_compat'] });
        await anchorMf.ready;
        const anchorPids = workerdPids().filter((pid) => !pids.includes(pid));
        nodeMf = start(probe.outdir, bindings, { compatibilityFlags: ['nodejs_compat'] });
        await nodeMf.ready;
        const nodePids = workerdPids().filter((pid) => !pids.includes(pid) && !anchorPids.includes(pid));
        if (pids.length === 0 || anchorPids.length === 0 || nodePids.length === 0) throw new Error('no workerd process found');
        // Each backend: its Miniflare, its workerd processes, its route, and the `crypto` it answers.
        const where = (backend) => {
          if (backend === ANCHOR) return [anchorMf, anchorPids, `http://anchor/loop?n=${n}`, 'anchor'];
          if (backend === NODE) return [nodeMf, nodePids, `http://probe/loop?crypto=auto&n=${n}`, 'node'];
          if (backend === NODE_FLOOR) return [nodeMf, nodePids, `http://probe/floor?crypto=node&n=${n}`, 'floor (node)'];
          if (backend.startsWith('floor')) return [mf, pids, `http://probe/floor?n=${n}`, 'floor'];
          return [mf, pids, `http://probe/loop?crypto=${backend}&n=${n}`, backend];
        };
        const runs = await alternateRounds(backends, warm, rounds, async (backend) => {
          const [worker, own, url, answers] = where(backend);
          const c0 = cpuMs(own);
          const t0 = performance.now();
          const body = await (await worker.dispatchFetch(url)).json();
          if (body.crypto !== answers || body.n !== n) throw new Error(JSON.stringify(body));
          return { wall: (performance.now() - t0) / n, cpu: (cpuMs(own) - c0) / n };
        });
        // Each ratio is the median of the rounds' ratios, their quartiles beside it (summarize, as in bench/e2e.mjs).
        const { m, rows: measured, ratio } = summarize(runs);
        const rows = SHOWN.filter((k) => k in runs).map((k) => measured[Object.keys(runs).indexOf(k)]);
        rows.push(['**ours (webcrypto)/floor**', ...ratio('webcrypto', 'floor')]);
        rows.push(['**ours (webcrypto)/anchor**', ...ratio('webcrypto', ANCHOR)]);
        rows.push([`**ours (${NODE})/${NODE_FLOOR}**`, ...ratio(NODE, NODE_FLOOR)]);
        rows.push([`ours (${NODE})/floor`, ...ratio(NODE, 'floor')]);
        rows.push([`ours (${NODE})/anchor`, ...ratio(NODE, ANCHOR)]);
        rows.push(['floor/anchor', ...ratio('floor', ANCHOR)]);
        rows.push([`${NODE_FLOOR}/floor`, ...ratio(NODE_FLOOR, 'floor')]);
        if (backends.includes('rust')) rows.push(['ratio rust/webcrypto', ...ratio('rust', 'webcrypto')]);
        rows.push(['floor again/floor (A/A: the spread of this run)', ...ratio('floor again', 'floor')]);
        data[mode] = { ...m, pids: pids.length, anchorPids: anchorPids.length, nodePids: nodePids.length };
        sections.push(`### ${mode}\n\n${table(['backend', 'workerd CPU ms/request', 'wall ms/request'], rows)}`);
      } finally {
        await nodeMf?.dispose();
        await anchorMf?.dispose();
        await mf.dispose();
      }
    }
    return {
      data,
      markdown: `Probe Worker bundled by \`wrangler deploy --dry-run\` (${probe.upload}), run by Miniflare; ${rounds} alternating rounds of ${n} sequential seed GETs per backend, after ${warm} warm-up rounds (${warm * n} requests a backend), each inside one Worker invocation, in each key mode; in a round, the two backends of each ratio the targets ask for run one right after the other. CPU is the backend's workerd process's, all threads (/proc schedstat, nanoseconds), per request, so it includes workerd's own HTTP work; medians, and each ratio the median of the rounds' ratios, with their first and third quartiles in brackets.\n\n` +
        `floor: the same requests with no SDK in the same Worker, step for step as the Node floor (since 2026-12-05): crypto.subtle sign, fetch, verify, the answer's headers as a plain object and its JSON parsed (tests/workerd/probe). ${NODE_FLOOR}: the same with workerd's node:crypto (KeyObjects, \`sign\`, \`verify\`, Buffers, as the Node floor), in the probe with nodejs_compat, beside ours on that backend. ${ANCHOR}: in a Worker of its own (bench/workers/anchor, ${anchorBundle.upload}), under nodejs_compat, which it needs; its class imported from lib/wechatpay.js (the package's entry throws at start-up in a Worker's strict mode) and its debug log off, as under Node without NODE_DEBUG. ${NODE}: the probe again, in a workerd of its own with nodejs_compat, where \`crypto: 'auto'\` picks workerd's node:crypto (the crypto.subtle floor runs without the flag). Targets (issue 16): ours/floor at most 1.10 here, each backend against the floor of its crypto; ours/anchor at most 0.8 is the Node target, shown here beside it.\n\n` +
        sections.join('\n\n'),
    };
  } finally {
    await sb.close();
  }
}
