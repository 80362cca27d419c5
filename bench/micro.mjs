// Sign and verify per backend, beside Node's crypto.sign/verify and raw
// WebCrypto, in one process, alternating batches; ms per operation, medians.
import crypto from 'node:crypto';
import { Wxpay } from 'wxpay-wasm';
import { generateKeys } from '../tests/sandbox/index.mjs';
import { fmt, median, table } from './stats.mjs';

export async function micro({ rounds = 15, batch = 40 } = {}) {
  const keys = generateKeys();
  const mk = (c) => new Wxpay({
    mchid: '1900000109', serial: keys.merchant.serial, privateKey: keys.merchant.privateKeyPkcs8,
    certs: { [keys.platform.serial]: keys.platform.certificate }, crypto: c,
  });
  const rust = mk('rust');
  const node = mk('node');
  const web = mk('webcrypto');
  const deflt = mk(undefined);
  // A request message and an answer message of typical sizes.
  const reqMsg = Buffer.from(`GET\n/v3/marketing/membercard-open/cards/pY7xGs0sMdNN9PVCvtJNl-6DJdIY/codes/300000001\n1700000000\n${'N'.repeat(32)}\n\n`);
  const ansMsg = Buffer.from(`1700000000\n${'N'.repeat(32)}\n${JSON.stringify({ card_id: 'x'.repeat(28), nickname: 'y'.repeat(400) })}\n`);
  const ansSig = crypto.sign('sha256', ansMsg, keys.platform.privateKeyPkcs8);
  const ansSigB64 = ansSig.toString('base64');
  const priv = crypto.createPrivateKey(keys.merchant.privateKeyPkcs8);
  const pub = crypto.createPublicKey(keys.platform.publicKeySpki);
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const wcPriv = await crypto.subtle.importKey('pkcs8', priv.export({ type: 'pkcs8', format: 'der' }), alg, false, ['sign']);
  const wcPub = await crypto.subtle.importKey('spki', pub.export({ type: 'spki', format: 'der' }), alg, false, ['verify']);

  const impls = {
    sign: {
      'node crypto.sign': () => crypto.sign('sha256', reqMsg, priv),
      'WebCrypto subtle.sign': () => crypto.subtle.sign('RSASSA-PKCS1-v1_5', wcPriv, reqMsg),
      [`wxpay default (${deflt.crypto})`]: () => deflt.sign(reqMsg),
      'wxpay node': () => node.sign(reqMsg),
      'wxpay webcrypto': () => web.sign(reqMsg),
      'wxpay rust': () => rust.sign(reqMsg),
    },
    verify: {
      'node crypto.verify': () => crypto.verify('sha256', ansMsg, pub, ansSig),
      'WebCrypto subtle.verify': () => crypto.subtle.verify('RSASSA-PKCS1-v1_5', wcPub, ansSig, ansMsg),
      [`wxpay default (${deflt.crypto})`]: () => deflt.verify(ansMsg, ansSigB64, keys.platform.serial),
      'wxpay node': () => node.verify(ansMsg, ansSigB64, keys.platform.serial),
      'wxpay webcrypto': () => web.verify(ansMsg, ansSigB64, keys.platform.serial),
      'wxpay rust': () => rust.verify(ansMsg, ansSigB64, keys.platform.serial),
    },
  };
  // Everything must be right before it is timed.
  for (const f of Object.values(impls.verify)) if ((await f()) !== true) throw new Error('a verifier rejected a good signature');
  const want = crypto.sign('sha256', reqMsg, priv).toString('base64');
  for (const w of [rust, node, web, deflt]) if ((await w.sign(reqMsg)) !== want) throw new Error('signatures differ');

  const out = {};
  for (const [op, fns] of Object.entries(impls)) {
    const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, { wall: [], cpu: [] }]));
    for (let r = 0; r < rounds + 2; r++) {
      for (const [name, f] of Object.entries(fns)) {
        // Rust signing is slow: fewer operations per batch keep rounds comparable in time.
        const n = name.includes('rust') && op === 'sign' ? Math.max(4, batch / 8) : batch;
        const c = process.cpuUsage();
        const t = performance.now();
        for (let i = 0; i < n; i++) await f();
        const wall = (performance.now() - t) / n;
        const { user, system } = process.cpuUsage(c);
        if (r >= 2) { // two warm-up rounds
          samples[name].wall.push(wall);
          samples[name].cpu.push((user + system) / 1000 / n);
        }
      }
    }
    out[op] = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { wall: median(v.wall), cpu: median(v.cpu) }]));
  }
  const base = { sign: out.sign['node crypto.sign'], verify: out.verify['node crypto.verify'] };
  const rows = [];
  for (const op of ['sign', 'verify']) {
    for (const [name, { wall, cpu }] of Object.entries(out[op])) {
      rows.push([op, name, fmt(wall), `${fmt(wall / base[op].wall, 2)}x`, fmt(cpu), `${fmt(cpu / base[op].cpu, 2)}x`]);
    }
  }
  return {
    data: out,
    markdown: `Sequential operations (each awaited before the next), ${rounds} alternating rounds, medians. Wall is the latency one call adds; CPU is process CPU (all threads, so WebCrypto's worker threads count) per operation.\n\n` +
      table(['op', 'implementation', 'wall ms/op', 'wall vs node', 'CPU ms/op', 'CPU vs node'], rows),
  };
}
