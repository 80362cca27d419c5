// The soak: N seed GETs (default 100k; env SOAK_N) at 200 in flight, per backend, against the
// sandbox in a process of its own, which verifies every request's signature (an unverified
// request is answered 401 and counts as an error here). Throughput, latency percentiles,
// errors, and memory at start, middle and end: RSS and arrayBuffers from process.memoryUsage(),
// and the wasm memory. The package exposes no memory figure; its wasm-bindgen glue does:
// `initSync()` on the already initialised module returns the instance's exports, `memory`
// among them (the glue is imported by file URL, as the package's `exports` hide it).
import { readFileSync } from 'node:fs';
import { Wxpay } from 'wxpay-wasm';
import { startSandboxProcess } from './sandbox-process.mjs';
import { fmt, table } from './stats.mjs';

const CARD = { card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' };
const BACKENDS = ['node', 'webcrypto', 'rust'];
const MiB = 2 ** 20;

let wasmExports;
async function wasmBytes() {
  if (!wasmExports) {
    const glue = new URL('./wxpay_wasm.js', import.meta.resolve('wxpay-wasm'));
    const { initSync } = await import(glue.href);
    wasmExports = initSync({ module: readFileSync(new URL('./wxpay_wasm_bg.wasm', glue)) });
  }
  return wasmExports.memory.buffer.byteLength;
}

async function sample() {
  const m = process.memoryUsage();
  return { rss: m.rss, arrayBuffers: m.arrayBuffers, heapUsed: m.heapUsed, wasm: await wasmBytes() };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** One backend: `n` seed GETs, `inFlight` at a time, against its own sandbox process. */
async function soakOne(backend, n, inFlight) {
  // Node's default 5 s keep-alive races a client whose event loop lags a second on this shared
  // machine: a request sent on a socket the server is closing fails "other side closed".
  // WeChat Pay keeps connections longer; so does the sandbox here.
  const sb = await startSandboxProcess(['--keep-alive-ms', '120000']);
  try {
    const wxpay = new Wxpay({
      mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8,
      certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL, crypto: backend,
    });
    const node = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;
    const latency = new Float64Array(n);
    const errors = new Map();
    let started = 0;
    let done = 0;
    let middle;
    const start = await sample();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (started < n) {
        const i = started++;
        const t = performance.now();
        try {
          const { status, data } = await node.get(CARD);
          if (status !== 200 || data.code !== CARD.code) throw new Error(`answer ${status} ${data?.code}`);
        } catch (e) {
          let root = e;
          while (root?.cause) root = root.cause;
          const key = `${e?.code ?? e?.name}: ${String(e?.message).slice(0, 120)}${root !== e ? ` <- ${root?.code ?? root?.name}: ${root?.message}` : ''}`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
        latency[i] = performance.now() - t;
        if (++done === n >> 1) middle = sample();
      }
    }));
    const wall = (performance.now() - t0) / 1000;
    const end = await sample();
    wxpay.free();
    latency.sort();
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    return {
      backend, n, wall, errors: errorCount, errorKinds: Object.fromEntries(errors),
      rps: n / wall, p50: percentile(latency, 50), p99: percentile(latency, 99),
      memory: { start, middle: await middle, end },
    };
  } finally {
    await sb.close();
  }
}

export async function soak({ n = Number(process.env.SOAK_N ?? 100_000), inFlight = 200 } = {}) {
  const results = [];
  for (const backend of BACKENDS) {
    process.stderr.write(`bench: soak ${backend}, ${n} requests...\n`);
    results.push(await soakOne(backend, n, inFlight));
  }
  const mib = (b) => fmt(b / MiB, 1);
  const trio = (r, k) => `${mib(r.memory.start[k])} / ${mib(r.memory.middle[k])} / ${mib(r.memory.end[k])}`;
  const rows = results.map((r) => [
    r.backend, String(r.n), String(r.errors), fmt(r.rps), fmt(r.p50), fmt(r.p99),
    trio(r, 'rss'), trio(r, 'arrayBuffers'), trio(r, 'wasm'),
  ]);
  const kinds = results.filter((r) => r.errors).map((r) => `- ${r.backend}: ${JSON.stringify(r.errorKinds)}`);
  return {
    data: results,
    markdown: `${n} seed GETs per backend, ${inFlight} in flight, one client per backend, the sandbox in its own process ` +
      'verifying every request signature (a request it cannot verify is answered 401 and counted as an error). ' +
      'Memory at start / middle / end of each run, in MiB: process RSS and arrayBuffers (process.memoryUsage()), ' +
      'and the wasm linear memory (read through the wasm-bindgen glue; the package exposes no figure). ' +
      'All backends share one process and one wasm instance, in this order, so a later run starts where the earlier left off.\n\n' +
      table(['backend', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'RSS MiB', 'arrayBuffers MiB', 'wasm memory MiB'], rows) +
      (kinds.length ? `\n\nErrors:\n${kinds.join('\n')}` : ''),
  };
}
