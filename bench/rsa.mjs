// RSA-2048 PKCS#1 v1.5 SHA-256, per operation, side by side in one process:
// our `rust` backend (blinded, fault-checked) against the `rsa` crate 0.10 compiled to wasm
// (blinded, its default) and Node's crypto.sign / crypto.verify (OpenSSL);
// then the same inside workerd (Miniflare), where WebCrypto stands in for node:crypto.
// A benchmark: it prints figures and never fails on them.
//
//   bash bench/rsa-pkg.sh && node bench/rsa.mjs        (or: make bench-rsa)
//   ROUNDS=15 node bench/rsa.mjs                       more rounds, steadier medians
//   WORKERD=0 node bench/rsa.mjs                       Node only
//
// Method: alternating batches (one batch of each implementation per round, order rotated
// each round), median of the per-operation times over the rounds. Everything is warmed
// up first. The machine is shared: look at the ratios more than at the absolute figures.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, '.work/bench-pkg');
const wasmPath = path.join(pkgDir, 'wxpay_wasm_bg.wasm');
if (!fs.existsSync(wasmPath)) {
  console.error('missing .work/bench-pkg: run `bash bench/rsa-pkg.sh` first');
  process.exit(1);
}
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const glue = await import(path.join(pkgDir, 'wxpay_wasm.js'));
glue.initSync({ module: fs.readFileSync(wasmPath) });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Runs each case `batch` times per round; returns median ms/op per case.
function measure(cases, rounds) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const names = Object.keys(cases);
  for (let r = -1; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + Math.max(r, 0)) % names.length];
      const { fn, batch } = cases[name];
      const t0 = performance.now();
      for (let j = 0; j < batch; j++) fn(j);
      const dt = (performance.now() - t0) / batch;
      if (r >= 0) times[name].push(dt); // round -1 is the warm-up
    }
  }
  return Object.fromEntries(names.map((k) => [k, median(times[k])]));
}

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
const spki = publicKey.export({ type: 'spki', format: 'der' });
const key = new glue.BenchKey(pkcs8, spki);
const messages = Array.from({ length: 64 }, () => crypto.randomBytes(200));
const signatures = messages.map((m) => crypto.sign('sha256', m, privateKey));

// Sanity: every implementation gives Node's bytes and accepts Node's signatures.
for (let i = 0; i < 8; i++) {
  const want = signatures[i].toString('hex');
  for (const [name, got] of [['rust', key.sign_rust(messages[i])], ['rsa 0.10', key.sign_rsa_crate(messages[i])]]) {
    if (Buffer.from(got).toString('hex') !== want) throw new Error(`${name} signature differs from Node's`);
  }
  if (!key.verify_rust(messages[i], signatures[i]) || !key.verify_rsa_crate(messages[i], signatures[i])) {
    throw new Error('a verifier rejected a good signature');
  }
}

const pick = (fn) => (j) => fn(messages[j % messages.length], signatures[j % signatures.length]);
const sign = measure({
  rust: { batch: 20, fn: pick((m) => key.sign_rust(m)) },
  'rsa 0.10': { batch: 4, fn: pick((m) => key.sign_rsa_crate(m)) },
  'node crypto': { batch: 40, fn: pick((m) => crypto.sign('sha256', m, privateKey)) },
}, ROUNDS);
const verify = measure({
  rust: { batch: 200, fn: pick((m, s) => key.verify_rust(m, s)) },
  'rsa 0.10': { batch: 20, fn: pick((m, s) => key.verify_rsa_crate(m, s)) },
  'node crypto': { batch: 400, fn: pick((m, s) => crypto.verify('sha256', m, publicKey, s)) },
}, ROUNDS);

const fmt = (ms) => ms.toFixed(ms < 0.1 ? 4 : 3).padStart(8);
function table(title, results) {
  const ours = results.rust;
  console.log(`\n${title}`);
  console.log('  implementation     sign ms/op   ours/this    verify ms/op   ours/this');
  for (const name of Object.keys(results.sign)) {
    const s = results.sign[name], v = results.verify[name];
    console.log(`  ${name.padEnd(18)} ${fmt(s)}     ${(ours.sign / s).toFixed(2).padStart(6)}      ${v === undefined ? '     n/a' : fmt(v)}     ${v === undefined ? '   n/a' : (ours.verify / v).toFixed(2).padStart(6)}`);
  }
}

console.log(`RSA-2048, PKCS#1 v1.5 SHA-256; ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}, ${ROUNDS} rounds, medians`);
console.log(`wasm: ${fs.statSync(wasmPath).size} bytes (bench build: ours + the rsa crate 0.10)`);
table('Node', { sign, verify, rust: { sign: sign.rust, verify: verify.rust } });

if (process.env.WORKERD !== '0') {
  try {
    await workerd();
  } catch (e) {
    console.log(`\nworkerd: not measured (${e.message.split('\n')[0]})`);
  }
}

// Inside workerd, timers do not advance during synchronous code, so time is taken from
// outside: each request runs `n` operations; per-op = (t(n) - t(0)) / n, medians.
async function workerd() {
  const { Miniflare } = await import(path.join(root, 'node_modules/miniflare/dist/src/index.js'));
  const script = `
    import { initSync, BenchKey } from './wxpay_wasm.js';
    import wasm from './wxpay_wasm_bg.wasm';
    initSync({ module: wasm });
    const hex = (s) => new Uint8Array(s.match(/../g).map((b) => parseInt(b, 16)));
    const pkcs8 = hex('${pkcs8.toString('hex')}');
    const spki = hex('${spki.toString('hex')}');
    const key = new BenchKey(pkcs8, spki);
    const msgs = [${messages.slice(0, 8).map((m) => `hex('${m.toString('hex')}')`).join(',')}];
    const sigs = [${signatures.slice(0, 8).map((s) => `hex('${s.toString('hex')}')`).join(',')}];
    let subtle;
    export default {
      async fetch(request) {
        const u = new URL(request.url);
        const op = u.searchParams.get('op'), n = Number(u.searchParams.get('n'));
        subtle ??= {
          priv: await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']),
          pub: await crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']),
        };
        let ok = 0;
        for (let i = 0; i < n; i++) {
          const m = msgs[i % 8], s = sigs[i % 8];
          if (op === 'sign_rust') ok += key.sign_rust(m).length > 0;
          else if (op === 'sign_rsa_crate') ok += key.sign_rsa_crate(m).length > 0;
          else if (op === 'verify_rust') ok += key.verify_rust(m, s);
          else if (op === 'verify_rsa_crate') ok += key.verify_rsa_crate(m, s);
          else if (op === 'sign_webcrypto') ok += (await crypto.subtle.sign('RSASSA-PKCS1-v1_5', subtle.priv, m)).byteLength > 0;
          else if (op === 'verify_webcrypto') ok += await crypto.subtle.verify('RSASSA-PKCS1-v1_5', subtle.pub, s, m);
        }
        return new Response(String(ok));
      },
    };`;
  const mf = new Miniflare({
    compatibilityDate: '2025-01-01',
    modules: [
      { type: 'ESModule', path: path.join(pkgDir, 'worker.mjs'), contents: script },
      { type: 'ESModule', path: path.join(pkgDir, 'wxpay_wasm.js') },
      { type: 'ESModule', path: path.join(pkgDir, 'error.js') },
      { type: 'ESModule', path: path.join(pkgDir, 'boundary.js') },
      { type: 'CompiledWasm', path: path.join(pkgDir, 'wxpay_wasm_bg.wasm') },
    ],
  });
  try {
    const run = async (op, n) => {
      const t0 = performance.now();
      const res = await mf.dispatchFetch(`http://bench/?op=${op}&n=${n}`);
      const ok = Number(await res.text());
      if (ok !== n) throw new Error(`${op}: ${ok} of ${n} succeeded`);
      return performance.now() - t0;
    };
    const cases = {
      sign: { rust: ['sign_rust', 10], 'rsa 0.10': ['sign_rsa_crate', 3], webcrypto: ['sign_webcrypto', 20] },
      verify: { rust: ['verify_rust', 100], 'rsa 0.10': ['verify_rsa_crate', 10], webcrypto: ['verify_webcrypto', 100] },
    };
    const results = { sign: {}, verify: {} };
    for (const kind of ['sign', 'verify']) {
      const names = Object.keys(cases[kind]);
      const times = Object.fromEntries(names.map((k) => [k, []]));
      for (let r = -1; r < ROUNDS; r++) {
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + Math.max(r, 0)) % names.length];
          const [op, n] = cases[kind][name];
          const empty = await run(op, 0);
          const full = await run(op, n);
          if (r >= 0) times[name].push(Math.max(full - empty, 0) / n);
        }
      }
      for (const k of names) results[kind][k] = median(times[k]);
    }
    table('workerd (Miniflare; webcrypto = crypto.subtle, the default backend there)', { ...results, rust: { sign: results.sign.rust, verify: results.verify.rust } });
  } finally {
    await mf.dispose();
  }
}
