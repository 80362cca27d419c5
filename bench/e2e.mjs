// The seed GET against the sandbox (its own process): our package beside
// wechatpay-axios-plugin@0.9.6, alternating batches, 10 requests in flight.
// Client CPU (process.cpuUsage) and wall time per request, medians.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Wxpay } from 'wxpay-wasm';
import { startSandboxProcess } from './sandbox-process.mjs';
import { fmt, median, roundRatio, table } from './stats.mjs';

const require = createRequire(resolve(import.meta.dirname, '../.work/bench-anchor/package.json'));
const CARD = { card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' };

async function batch(get, n, inFlight) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < n) {
      const { status, data } = await get();
      if (status !== 200 || data.code !== CARD.code) throw new Error(`bad answer ${status}`);
    }
  }));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1000 / n, wall: wall / n };
}

/**
 * The least any fetch-based client must do: sign with node:crypto, fetch,
 * read the body, verify, parse. No SDK; a reference for what the transport costs.
 */
export function bareFetchClient(sb, verifyingKey) {
  const key = crypto.createPrivateKey(sb.merchant.privateKeyPkcs8);
  const pub = crypto.createPublicKey(verifyingKey);
  const path = `/v3/marketing/membercard-open/cards/${CARD.card_id}/codes/${CARD.code}`;
  const url = new URL(path, sb.baseURL).href;
  return async () => {
    const ts = Math.floor(Date.now() / 1000);
    const nonce = crypto.randomBytes(16).toString('hex');
    const sig = crypto.sign('sha256', Buffer.from(`GET\n${path}\n${ts}\n${nonce}\n\n`), key).toString('base64');
    const res = await fetch(url, {
      headers: {
        accept: 'application/json',
        authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${sb.mchid}",serial_no="${sb.merchant.serial}",timestamp="${ts}",nonce_str="${nonce}",signature="${sig}"`,
      },
    });
    const body = Buffer.from(await res.arrayBuffer());
    const h = res.headers;
    const msg = Buffer.concat([Buffer.from(`${h.get('wechatpay-timestamp')}\n${h.get('wechatpay-nonce')}\n`), body, Buffer.from('\n')]);
    if (!crypto.verify('sha256', msg, pub, Buffer.from(h.get('wechatpay-signature'), 'base64'))) throw new Error('unverified');
    return { status: res.status, headers: Object.fromEntries(h), data: JSON.parse(body.toString()) };
  };
}

/** The two ways answers are signed: a platform certificate (X.509), or the WeChat Pay public key. */
const MODES = {
  'certificate mode (X.509)': (sb) => ({ answerKey: 'platform', certs: { [sb.platform.serial]: sb.platform.certificate }, verifyingKey: sb.platform.certificate }),
  'key mode (PUB_KEY_ID + SPKI)': (sb) => ({ answerKey: 'pubkey', certs: { [sb.pubkey.id]: sb.pubkey.publicKeySpki }, verifyingKey: sb.pubkey.publicKeySpki }),
};

export async function e2e({ rounds = 15, perBatch = 200, inFlight = 10 } = {}) {
  const sb = await startSandboxProcess();
  try {
    const { Wechatpay } = require('wechatpay-axios-plugin');
    const parts = [];
    const data = {};
    for (const [mode, setup] of Object.entries(MODES)) {
      const { answerKey, certs, verifyingKey } = setup(sb);
      await fetch(new URL('__sandbox/answer-key', sb.baseURL), { method: 'POST', body: JSON.stringify({ answerKey }) });
      const common = { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs, baseURL: sb.baseURL };
      // Each its own copy: the anchor turns privateKey into a KeyObject in the object it is given.
      const anchor = new Wechatpay({ ...common, certs: { ...certs } });
      const ours = new Wxpay({ ...common, certs: { ...certs } });
      const clients = {
        [`wxpay-wasm (${ours.crypto})`]: () => ours.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD),
        'wechatpay-axios-plugin@0.9.6': () => anchor.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD),
        'floor: bare fetch + node:crypto (no SDK)': bareFetchClient(sb, verifyingKey),
        // The same floor again: its ratio to the first (A/A) shows how far this run's ratios
        // stray when nothing differs.
        'floor again (A/A)': bareFetchClient(sb, verifyingKey),
      };
      const samples = Object.fromEntries(Object.keys(clients).map((k) => [k, { cpu: [], wall: [] }]));
      for (let r = 0; r < rounds + 1; r++) {
        const order = r % 2 ? Object.entries(clients).reverse() : Object.entries(clients);
        for (const [name, get] of order) {
          const s = await batch(get, perBatch, inFlight);
          if (r > 0) { // round 0 warms up JITs and connections
            samples[name].cpu.push(s.cpu);
            samples[name].wall.push(s.wall);
          }
        }
      }
      const [oursName, anchorName, floorName, againName] = Object.keys(clients);
      const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { cpu: median(v.cpu), wall: median(v.wall) }]));
      const rows = Object.entries(m).map(([k, v]) => [k, fmt(v.cpu), fmt(v.wall)]);
      // A ratio is the median of the rounds' ratios (roundRatio).
      const perRound = (a, b, what) => roundRatio(samples[a][what], samples[b][what]);
      const ratio = (a, b) => [`${fmt(perRound(a, b, 'cpu'), 2)}x`, `${fmt(perRound(a, b, 'wall'), 2)}x`];
      rows.push(['**ours/floor**', ...ratio(oursName, floorName)]);
      rows.push(['**ours/anchor**', ...ratio(oursName, anchorName)]);
      rows.push(['floor/anchor', ...ratio(floorName, anchorName)]);
      rows.push(['floor again/floor (A/A: the spread of this run)', ...ratio(againName, floorName)]);
      data[mode] = m;
      parts.push(`### ${mode}\n\n${table(['client', 'client CPU ms/request', 'wall ms/request'], rows)}`);
    }
    return {
      data,
      markdown: `N = ${perBatch} seed GETs a batch, ${inFlight} in flight, ${rounds} alternating rounds (after one warm-up round) per key mode, sandbox in its own process; client CPU is process.cpuUsage, medians; each ratio is the median of the rounds' ratios. Targets (issue 16): ours/floor at most 1.05, ours/anchor at most 0.8.\n\n` +
        parts.join('\n\n'),
    };
  } finally {
    await sb.close();
  }
}
