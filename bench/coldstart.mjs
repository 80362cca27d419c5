// Cold start in a fresh Node process: import the package, construct the
// client, send the first signed (and verified) request. Ours beside the anchor.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startSandboxProcess } from './sandbox-process.mjs';
import { fmt, median, table } from './stats.mjs';

const root = resolve(import.meta.dirname, '..');
/** The script a fresh process runs: import, construct, first request; times in ms. */
const script = (importLine, className) => `
const t0 = performance.now();
${importLine}
const t1 = performance.now();
const sb = JSON.parse(process.argv[1]);
const w = new ${className}({ mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL });
const t2 = performance.now();
await w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' });
const t3 = performance.now();
console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, performance.now()]));`;
const OURS = script("const { Wxpay } = await import('wxpay-wasm');", 'Wxpay');
const ANCHOR = script("const { Wechatpay } = await import('wechatpay-axios-plugin');", 'Wechatpay');

export async function coldstart({ runs = 7 } = {}) {
  const sb = await startSandboxProcess();
  try {
    const arg = JSON.stringify(sb);
    const clients = { 'wxpay-wasm': [OURS, root], 'wechatpay-axios-plugin@0.9.6': [ANCHOR, resolve(root, '.work/bench-anchor')] };
    const samples = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
    for (let i = 0; i < runs; i++) {
      for (const [name, [code, cwd]] of Object.entries(clients)) {
        const out = execFileSync(process.execPath, ['--input-type=module', '-e', code, arg], { cwd, encoding: 'utf8' });
        samples[name].push(JSON.parse(out));
      }
    }
    const rows = Object.entries(samples).map(([name, s]) => [
      name, ...[0, 1, 2, 3].map((i) => fmt(median(s.map((x) => x[i])), 1)),
    ]);
    return {
      data: samples,
      markdown: `Fresh \`node\` process per run, ${runs} runs each, medians in ms.\n\n` +
        table(['client', 'import', 'new client', 'first request', 'process start to done'], rows),
    };
  } finally {
    await sb.close();
  }
}
