// A 100 MB bill streamed through `wxpay.download(data, { stream: true })` (plain and GZIP),
// beside a plain signed `fetch` of the same file read chunk by chunk: peak RSS and heap growth
// above the baseline, and MB/s. Each run is a fresh Node process (--expose-gc), so one run's
// garbage does not count against the next; the sandbox serves the bill from its own process.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundle, start } from '../tests/workerd/harness.mjs';
import { startSandboxProcess } from './sandbox-process.mjs';
import { workerdPids } from './workerd.mjs';
import { fmt, median, table } from './stats.mjs';

const SIZE = 100e6;
const RUNS = 3;
const self = fileURLToPath(import.meta.url);

export async function files() {
  const sb = await startSandboxProcess();
  try {
    const rows = [];
    // The last rows collect garbage every 4 chunks (gc(), a minor collection): what is left is
    // what the process keeps, not chunks waiting for the collector. The 300 MB row shows whether
    // the growth follows the size of the bill.
    for (const [label, mode, gzip, collect, size] of [['plain `fetch`, body read and dropped', 'fetch', false],
      ['`download({ stream: true })`', 'stream', false], ['`download({ stream: true })`, GZIP bill', 'stream', true],
      ['plain `fetch`, `gc()` every 4 chunks', 'fetch', false, true], ['`download({ stream: true })`, `gc()` every 4 chunks', 'stream', false, true],
      ['`download({ stream: true })`, a 300 MB bill', 'stream', false, false, 3 * SIZE]]) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const args = JSON.stringify({ sb, mode, gzip, collect, size: size ?? SIZE });
        const out = execFileSync(process.execPath, ['--expose-gc', self, args], { encoding: 'utf8', maxBuffer: 1 << 20 });
        runs.push(JSON.parse(out.trim().split('\n').at(-1)));
      }
      const m = (k) => median(runs.map((r) => r[k]));
      rows.push([label, fmt(m('mbps')), fmt(m('rss')), fmt(m('heap')), fmt(m('external'))]);
    }
    const markdown = `A ${SIZE / 1e6} MB trade bill (the sandbox's, in its own process), read to the end and dropped;
medians of ${RUNS} fresh processes. Growth is the peak (sampled every 5 ms) above the baseline taken
after creating the client and \`gc()\`; the target for streaming is under 16 MB. RSS and external
growth count chunks already read and dropped but not yet collected (plain \`fetch\` shows the same);
heap growth is what stays reachable. With garbage collected every 4 chunks, external memory falls
to about 1 MB, and the RSS that remains (plain \`fetch\` alike, and the same for a 300 MB bill) is
memory Node's allocator keeps after reading from the socket, not the bill.

${table(['read', 'MB/s', 'peak RSS growth (MB)', 'peak heap growth (MB)', 'peak external growth (MB)'], rows)}

Inside workerd (Miniflare; bench/workers/files, one Worker, ${RUNS} runs per row, alternating, medians): the
same ${SIZE / 1e6} MB bill read inside the Worker and dropped chunk by chunk, the workerd process's
RSS (/proc VmRSS) sampled every 5 ms from outside; growth above the RSS just before the run
(after a warm-up run of each route). MB/s counts the whole route (the small tradebill request too).

${table(['read (in the Worker)', 'MB/s', 'peak RSS growth (MB)'], await inWorkerd(sb))}`;
    return { markdown };
  } finally {
    await sb.close();
  }
}

const rssOf = (pids) => pids.reduce((sum, pid) => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return sum + (m ? Number(m[1]) * 1024 : 0);
}, 0);

/** The bill streamed inside workerd: rows of [label, MB/s, peak RSS growth MB]. */
async function inWorkerd(sb) {
  const { outdir } = await bundle('bench/workers/files/wrangler.toml', 'bench-files');
  const mf = start(outdir, {
    WXPAY_MCHID: sb.mchid, WXPAY_SERIAL: sb.merchant.serial, WXPAY_PRIVATE_KEY: sb.merchant.privateKeyPkcs8,
    WXPAY_CERTS: JSON.stringify({ [sb.platform.serial]: sb.platform.certificate }), WXPAY_BASE_URL: sb.baseURL,
  });
  try {
    await mf.ready;
    const pids = workerdPids();
    if (pids.length === 0) throw new Error('no workerd process found');
    const routes = { 'plain `fetch`, body read and dropped': '/fetch?', '`download({ stream: true })`': '/stream?', '`download({ stream: true })`, GZIP bill': '/stream?gzip&', 'plain `fetch` of the GZIP bill, `.pipeThrough(new DecompressionStream("gzip"))`': '/gz?gzip&' };
    const samples = Object.fromEntries(Object.keys(routes).map((k) => [k, { mbps: [], rss: [] }]));
    const seen = {};
    for (let r = 0; r <= RUNS; r++) {
      for (const [label, route] of Object.entries(routes)) {
        const base = rssOf(pids);
        let peak = 0;
        const timer = setInterval(() => { peak = Math.max(peak, rssOf(pids) - base); }, 5);
        const t0 = performance.now();
        const res = await mf.dispatchFetch(`http://bench${route}size=${r === 0 ? 1e6 : SIZE}`);
        const body = await res.json();
        const seconds = (performance.now() - t0) / 1000;
        clearInterval(timer);
        peak = Math.max(peak, rssOf(pids) - base);
        // Every route reads the same bill (gunzipped where GZIP): the same byte count.
        const size = r === 0 ? 1e6 : SIZE;
        if (!(Math.abs(body.bytes - size) < 0.01 * size) || (seen[size] ??= body.bytes) !== body.bytes) throw new Error(`${route}: ${JSON.stringify(body)}`);
        if (r > 0) {
          samples[label].mbps.push(body.bytes / 1e6 / seconds);
          samples[label].rss.push(peak / 2 ** 20);
        }
      }
    }
    return Object.entries(samples).map(([label, v]) => [label, fmt(median(v.mbps)), fmt(median(v.rss))]);
  } finally {
    await mf.dispose();
  }
}

async function child({ sb, mode, gzip, collect, size = SIZE }) {
  const { Wxpay } = await import('wxpay-wasm');
  const wxpay = new Wxpay({ mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs, baseURL: sb.baseURL, timeout: 120_000 });
  const params = { bill_date: '2024-01-02', sandbox_size: size, ...(gzip ? { tar_type: 'GZIP' } : {}) };
  const { data } = await wxpay.v3.bill.tradebill.get({ params, timeout: 120_000 });
  globalThis.gc();
  const base = process.memoryUsage();
  const peak = { rss: 0, heapUsed: 0, external: 0 };
  const sample = () => {
    const u = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], u[k] - base[k]);
  };
  const timer = setInterval(sample, 5);
  const t0 = performance.now();
  let bytes = 0;
  let body;
  if (mode === 'fetch') {
    const key = crypto.createPrivateKey(sb.merchant.privateKeyPkcs8);
    const url = new URL(data.download_url);
    const ts = Math.floor(Date.now() / 1000);
    const nonce = crypto.randomBytes(16).toString('hex');
    const signature = crypto.sign('sha256', Buffer.from(`GET\n${url.pathname}${url.search}\n${ts}\n${nonce}\n\n`), key).toString('base64');
    const authorization = `WECHATPAY2-SHA256-RSA2048 mchid="${sb.mchid}",serial_no="${sb.merchant.serial}",timestamp="${ts}",nonce_str="${nonce}",signature="${signature}"`;
    body = (await fetch(url, { headers: { authorization } })).body;
  } else {
    body = await wxpay.download(data, { stream: true });
  }
  let chunks = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (collect && ++chunks % 4 === 0) globalThis.gc({ type: 'minor' });
    sample();
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  sample();
  const mb = (x) => x / 2 ** 20;
  console.log(JSON.stringify({ bytes, mbps: bytes / 1e6 / seconds, rss: mb(peak.rss), heap: mb(peak.heapUsed), external: mb(peak.external) }));
}

if (process.argv[1] === self && process.argv[2]) await child(JSON.parse(process.argv[2]));
