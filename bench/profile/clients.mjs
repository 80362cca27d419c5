// The seed GET in certificate mode, three ways, against the sandbox in its own process:
// a build of this package (a directory holding node.mjs), and the bare-fetch floor of bench/e2e.mjs.
import crypto from 'node:crypto';
import { resolve } from 'node:path';
import { startSandboxProcess } from '../sandbox-process.mjs';

export const CARD = { card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' };

export async function sandbox() {
  return startSandboxProcess();
}

/** A client of the package in `dir`. */
export async function ours(sb, dir) {
  const { Wxpay } = await import(`${resolve(dir)}/node.mjs`);
  const w = new Wxpay({ mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL });
  return () => w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD);
}

/** Sign, fetch, verify, parse: no SDK. */
export function floor(sb) {
  const key = crypto.createPrivateKey(sb.merchant.privateKeyPkcs8);
  const pub = crypto.createPublicKey(sb.platform.certificate);
  const path = `/v3/marketing/membercard-open/cards/${CARD.card_id}/codes/${CARD.code}`;
  const url = new URL(path, sb.baseURL).href;
  return async () => {
    const ts = Math.floor(Date.now() / 1000);
    const nonce = crypto.randomBytes(16).toString('hex');
    const sig = crypto.sign('sha256', Buffer.from(`GET\n${path}\n${ts}\n${nonce}\n\n`), key).toString('base64');
    const res = await fetch(url, { headers: { accept: 'application/json', authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${sb.mchid}",serial_no="${sb.merchant.serial}",timestamp="${ts}",nonce_str="${nonce}",signature="${sig}"` } });
    const body = Buffer.from(await res.arrayBuffer());
    const h = res.headers;
    const msg = Buffer.concat([Buffer.from(`${h.get('wechatpay-timestamp')}\n${h.get('wechatpay-nonce')}\n`), body, Buffer.from('\n')]);
    if (!crypto.verify('sha256', msg, pub, Buffer.from(h.get('wechatpay-signature'), 'base64'))) throw new Error('unverified');
    return { status: res.status, headers: Object.fromEntries(h), data: JSON.parse(body.toString()) };
  };
}

/** CPU ms per request of `n` GETs, 10 in flight. */
export async function batch(get, n) {
  let next = 0;
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (next++ < n) if ((await get()).status !== 200) throw new Error('bad answer');
  }));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}
