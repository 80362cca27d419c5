// The seed GET against the sandbox (its own process): our package beside
// wechatpay-axios-plugin@0.9.6, alternating batches, 10 requests in flight.
// Client CPU (process.cpuUsage) and wall time per request, medians.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Wxpay } from 'wxpay-wasm';
import { startSandboxProcess } from './sandbox-process.mjs';
import { fmt, median, table } from './stats.mjs';

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
function bareFetchClient(sb) {
  const key = crypto.createPrivateKey(sb.merchant.privateKeyPkcs8);
  const pub = crypto.createPublicKey(sb.platform.certificate);
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

export async function e2e({ rounds = 10, perBatch = 200, inFlight = 10 } = {}) {
  const sb = await startSandboxProcess();
  try {
    const { Wechatpay } = require('wechatpay-axios-plugin');
    const anchor = new Wechatpay({
      mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8,
      certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL,
    });
    const ours = new Wxpay({
      mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8,
      certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL,
    });
    const floor = bareFetchClient(sb);
    const clients = {
      [`wxpay-wasm (${ours.crypto})`]: () => ours.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD),
      'wechatpay-axios-plugin@0.9.6': () => anchor.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD),
      'reference: bare fetch + node:crypto (no SDK)': floor,
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
    const [oursName, anchorName, floorName] = Object.keys(clients);
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { cpu: median(v.cpu), wall: median(v.wall) }]));
    const rows = Object.entries(m).map(([k, v]) => [k, fmt(v.cpu), fmt(v.wall)]);
    rows.push(['ratio reference/anchor', `${fmt(m[floorName].cpu / m[anchorName].cpu, 2)}x`, `${fmt(m[floorName].wall / m[anchorName].wall, 2)}x`]);
    rows.push(['ratio ours/anchor', `${fmt(m[oursName].cpu / m[anchorName].cpu, 2)}x`, `${fmt(m[oursName].wall / m[anchorName].wall, 2)}x`]);
    return {
      data: m,
      markdown: `${rounds} alternating batches of ${perBatch} seed GETs each, ${inFlight} in flight, sandbox in its own process.\n\n` +
        table(['client', 'client CPU ms/request', 'wall ms/request'], rows),
    };
  } finally {
    await sb.close();
  }
}
