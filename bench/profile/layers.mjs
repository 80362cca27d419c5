// The seed GET through four clients, side by side in one process (alternating batches,
// certificate mode, 10 in flight): where our overhead over the floor sits.
//   floor   bare fetch + node:crypto, no SDK (bench/e2e.mjs)
//   mini    the thinnest wasm client (bench/profile/mini): Authorization and the check in Rust
//   direct  the package's Rust client called straight (glue `Wxpay.request`), no JS chain
//   ours    the package as users call it: wxpay.v3.marketing....get({ card_id, code })
// With `fake`, fetch answers at once with a recorded answer (no network: what is left is the
// clients' own work, with warm caches).
//   bash bench/profile/mini.sh && node bench/profile/layers.mjs [real|fake] [rounds=15] [perBatch=300]
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { median } from '../stats.mjs';
import { batch, CARD, floor, ours, sandbox } from './clients.mjs';

const [mode = 'real', rounds = '15', perBatch = '300'] = process.argv.slice(2);
const root = resolve(import.meta.dirname, '../..');
const mini = await import(`${root}/.work/mini-pkg/wxpay_mini.js`);
mini.initSync({ module: readFileSync(`${root}/.work/mini-pkg/wxpay_mini_bg.wasm`) });
const sb = await sandbox();
const oursGet = await ours(sb, `${root}/pkg`);
const glue = await import(`${root}/pkg/wxpay_wasm.js`); // the instance pkg/node.mjs started
const options = { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL };
const inner = new glue.Wxpay(options);
const template = 'v3/marketing/membercard-open/cards/{card_id}/codes/{code}';
const names = glue.placeholderNames(template);
const direct = () => inner.request(template, 0, names, CARD, undefined);

const m = new mini.Mini(crypto, crypto.createPrivateKey(sb.merchant.privateKeyPkcs8), crypto.createPublicKey(sb.platform.certificate), sb.mchid, sb.merchant.serial);
const path = `/v3/marketing/membercard-open/cards/${CARD.card_id}/codes/${CARD.code}`;
const url = new URL(path, sb.baseURL).href;
const utf8 = new TextDecoder();
const miniGet = async () => {
  const res = await fetch(url, { headers: { accept: 'application/json', authorization: m.authorize('GET', path, '') } });
  const body = new Uint8Array(await res.arrayBuffer());
  const h = res.headers;
  if (!m.check(h.get('wechatpay-timestamp'), h.get('wechatpay-nonce'), h.get('wechatpay-signature'), body)) throw new Error('unverified');
  return { status: res.status, headers: Object.fromEntries(h), data: JSON.parse(utf8.decode(body)) };
};

if (mode === 'fake') {
  const real = globalThis.fetch;
  let answer;
  globalThis.fetch = async (u, init) => {
    const r = await real(u, init);
    answer = { headers: [...r.headers], body: new Uint8Array(await r.arrayBuffer()) };
    return new Response(answer.body, { status: r.status, headers: answer.headers });
  };
  await direct();
  // The request's headers are still validated, as fetch does; the answer is the recorded one.
  globalThis.fetch = async (_, init) => {
    new Headers(init.headers);
    return new Response(answer.body, { status: 200, headers: answer.headers });
  };
}

const clients = { floor: floor(sb), mini: miniGet, direct, ours: oursGet };
const s = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
for (let r = 0; r <= Number(rounds); r++) {
  for (const [k, get] of r % 2 ? Object.entries(clients).reverse() : Object.entries(clients)) {
    const cpu = await batch(get, Number(perBatch));
    if (r > 0) s[k].push(cpu);
  }
}
await sb.close();
const ratio = (a, b) => median(s[a].map((x, i) => x / s[b][i])).toFixed(3);
console.log(`${mode}: ${Object.keys(s).map((k) => `${k} ${median(s[k]).toFixed(3)}`).join('  ')} ms CPU/request`);
console.log(`mini/floor ${ratio('mini', 'floor')}  direct/floor ${ratio('direct', 'floor')}  ours/floor ${ratio('ours', 'floor')}  direct/mini ${ratio('direct', 'mini')}  ours/direct ${ratio('ours', 'direct')}`);
