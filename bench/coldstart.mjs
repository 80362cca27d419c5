// Cold start: in a fresh Node process (import the package, construct the client, send the first
// signed and verified request; ours beside the anchor and beside no client at all), and in a
// fresh workerd isolate (Miniflare), ours beside a Worker without wxpay-wasm.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { bundle } from '../tests/workerd/harness.mjs';
import { startSandboxProcess } from './sandbox-process.mjs';
import { workerdPids } from './workerd.mjs';
import { fmt, median, table } from './stats.mjs';

const root = resolve(import.meta.dirname, '..');
const CARD_ID = 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY';
const CODE = '300000001';

/** The script a fresh process runs: import, construct, first request; times in ms. */
const script = (importLine, className) => `
const t0 = performance.now();
${importLine}
const t1 = performance.now();
const sb = JSON.parse(process.argv[1]);
const o = { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL };
const w = new ${className}(o);
const t2 = performance.now();
await w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: '${CARD_ID}', code: '${CODE}' });
const t3 = performance.now();
new ${className}(o);
console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, t3, performance.now() - t3]));`;
const OURS = script("const { Wxpay } = await import('wxpay-wasm');", 'Wxpay');
const ANCHOR = script("const { Wechatpay } = await import('wechatpay-axios-plugin');", 'Wechatpay');
/** No client: node:crypto keys, then sign, the global fetch, verify, JSON.parse by hand. */
const FLOOR = `
const t0 = performance.now();
const crypto = await import('node:crypto');
const t1 = performance.now();
const sb = JSON.parse(process.argv[1]);
const key = crypto.createPrivateKey(sb.merchant.privateKeyPkcs8), pub = crypto.createPublicKey(sb.platform.certificate);
const t2 = performance.now();
const path = '/v3/marketing/membercard-open/cards/${CARD_ID}/codes/${CODE}';
const ts = Math.floor(Date.now() / 1000), nonce = crypto.randomBytes(16).toString('hex');
const sig = crypto.sign('sha256', Buffer.from('GET\\n' + path + '\\n' + ts + '\\n' + nonce + '\\n\\n'), key).toString('base64');
const res = await fetch(new URL(path, sb.baseURL), { headers: { accept: 'application/json', authorization: 'WECHATPAY2-SHA256-RSA2048 mchid="' + sb.mchid + '",serial_no="' + sb.merchant.serial + '",timestamp="' + ts + '",nonce_str="' + nonce + '",signature="' + sig + '"' } });
const body = Buffer.from(await res.arrayBuffer()), h = res.headers;
const msg = Buffer.concat([Buffer.from(h.get('wechatpay-timestamp') + '\\n' + h.get('wechatpay-nonce') + '\\n'), body, Buffer.from('\\n')]);
if (!crypto.verify('sha256', msg, pub, Buffer.from(h.get('wechatpay-signature'), 'base64'))) throw new Error('unverified');
JSON.parse(body);
const t3 = performance.now();
crypto.createPrivateKey(sb.merchant.privateKeyPkcs8), crypto.createPublicKey(sb.platform.certificate);
console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, t3, performance.now() - t3]));`;

async function node(sb, runs) {
  const arg = JSON.stringify(sb);
  const clients = {
    'wxpay-wasm': [OURS, root],
    'wechatpay-axios-plugin@0.9.6': [ANCHOR, resolve(root, '.work/bench-anchor')],
    'no client (node:crypto + fetch)': [FLOOR, root],
  };
  const samples = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, [code, cwd]] of Object.entries(clients)) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', code, arg], { cwd, encoding: 'utf8' });
      samples[name].push(JSON.parse(out));
    }
  }
  const rows = Object.entries(samples).map(([name, s]) => [name, ...[0, 1, 2, 4, 3].map((i) => fmt(median(s.map((x) => x[i])), 1))]);
  return { samples, rows };
}

// workerd's clocks stand still while JavaScript runs (they advance only across I/O), so nothing
// here is timed inside the Worker: every figure is wall time seen by this process, around one
// step each, in a fresh workerd process (one isolate) per run.
const WORKERS = {
  'no wxpay-wasm (WebCrypto + fetch)': 'bench/workers/baseline/wrangler.toml',
  'the .wasm imported, not instantiated': 'bench/workers/wasm-only/wrangler.toml',
  'wxpay-wasm': 'bench/workers/ours/wrangler.toml',
};

/**
 * The bundle in a fresh workerd, its modules listed (the entry first, then the .wasm): given only
 * the entry, Miniflare would parse the bundle in Node to find its imports, a cost of the test
 * tool that grows with our JavaScript and that no deployed isolate pays.
 */
const fresh = (outdir, bindings) => new Miniflare({
  modules: ['index.js', ...readdirSync(outdir).filter((f) => f.endsWith('.wasm'))]
    .map((f) => ({ type: f.endsWith('.wasm') ? 'CompiledWasm' : 'ESModule', path: join(outdir, f) })),
  compatibilityDate: '2026-04-01',
  bindings,
});

/** The workerd process this one started (Miniflare's; one at a time here). */
function workerdPid() {
  const pids = workerdPids();
  if (pids.length !== 1) throw new Error(`expected one workerd process, found ${pids.length}`);
  return pids[0];
}

/** CPU time of a process so far, in ms: the sum over its threads of /proc/.../schedstat (ns on CPU). */
function cpuMs(pid) {
  let ns = 0;
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch { /* thread gone */ }
  }
  return ns / 1e6;
}

async function workerd(sb, runs) {
  const bindings = {
    WXPAY_MCHID: sb.mchid, WXPAY_SERIAL: sb.merchant.serial, WXPAY_PRIVATE_KEY: sb.merchant.privateKeyPkcs8,
    WXPAY_CERTS: JSON.stringify({ [sb.platform.serial]: sb.platform.certificate }), WXPAY_BASE_URL: sb.baseURL,
    WXPAY_PLATFORM_SPKI: sb.platform.publicKeySpki, CARD_ID, CODE,
  };
  const bundles = {};
  for (const [name, toml] of Object.entries(WORKERS)) bundles[name] = await bundle(toml, `coldstart-${toml.split('/')[2]}`);
  const samples = Object.fromEntries(Object.keys(WORKERS).map((k) => [k, []]));
  const step = async (mf, path) => {
    const res = await mf.dispatchFetch(`http://bench${path}`);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
    return text;
  };
  // Each sample: [wall, workerd CPU] per step (start-up, first dispatch, construct, first request).
  for (let i = 0; i < runs; i++) {
    for (const [name, { outdir }] of Object.entries(bundles)) {
      const t0 = performance.now();
      const mf = fresh(outdir, bindings);
      try {
        await mf.ready;
        const pid = workerdPid();
        const marks = [[t0, 0], [performance.now(), cpuMs(pid)]];
        const mark = () => marks.push([performance.now(), cpuMs(pid)]);
        await step(mf, '/ping');
        mark();
        if (!name.startsWith('the .wasm')) {
          await step(mf, '/construct');
          mark();
          const answer = JSON.parse(await step(mf, '/request'));
          mark();
          if (answer.status !== 200 || answer.code !== CODE) throw new Error(`${name}: ${JSON.stringify(answer)}`);
          await step(mf, '/construct');
          mark();
        }
        samples[name].push(marks.slice(1).map(([t, c], k) => [t - marks[k][0], c - marks[k][1]]));
      } finally {
        await mf.dispose();
      }
    }
  }
  const rows = Object.entries(samples).map(([name, s]) => {
    const m = (i) => (s[0].length > i
      ? `${fmt(median(s.map((x) => x[i][0])), 1)} (${fmt(median(s.map((x) => x[i][1])), 1)})`
      : '');
    return [name, m(0), m(1), m(2), m(3), m(4)];
  });
  return { samples, rows, uploads: Object.fromEntries(Object.entries(bundles).map(([k, v]) => [k, v.upload])) };
}

export async function coldstart({ runs = 7 } = {}) {
  const sb = await startSandboxProcess();
  try {
    const n = await node(sb, runs);
    const w = await workerd(sb, runs);
    return {
      data: { node: n.samples, workerd: w.samples },
      markdown: `**Node.** Fresh \`node\` process per run, ${runs} runs each, medians in ms, timed inside the process:
\`import\` is the package's import (the .wasm compiled and instantiated), \`new client\` the constructor, \`first request\`
the seed GET up to its verified answer; \`a second new client\` is the same constructor again, after the request, which
shows how much of the first was the code's first run (V8 compiling the .wasm's functions lazily, and the JavaScript) rather
than work. The last row is no client at all: \`node:crypto\` keys, one signature, the global
\`fetch\` (whose first call loads Node's fetch implementation), one verification, \`JSON.parse\`.

${table(['client', 'import', 'new client', 'first request', 'a second new client', 'process start to first answer'], n.rows)}

**workerd.** A fresh workerd process (Miniflare, one isolate) per run and per Worker, ${runs} runs each, medians in ms.
workerd's clocks only advance across I/O, so nothing is timed inside the Worker: each cell is the wall time measured from
outside around one step and, in brackets, the CPU time the workerd process spent meanwhile (all its threads, from
/proc/<pid>/task/*/schedstat; less disturbed than wall time on a busy machine).
\`start-up\` is \`new Miniflare\` (given the bundle's modules) until ready: the workerd process and the Worker's modules
loaded (the .wasm compiled, the package's JavaScript evaluated, its instance made); \`first dispatch\` a request that does nothing (anything deferred to the first
event); \`construct\` a request that makes the client (\`new Wxpay\`; the baseline imports its two keys into WebCrypto);
\`first request\` a request that sends the seed GET, signed, and verifies its answer (ours with \`crypto: 'auto'\`, i.e.
WebCrypto); \`a second construct\` the construct request again, after the first request. Each step but start-up includes one dispatch from Node into workerd and back; the baseline has the same.

${table(['Worker', 'start-up', 'first dispatch', 'construct', 'first request', 'a second construct'], w.rows)}`,
    };
  } finally {
    await sb.close();
  }
}
