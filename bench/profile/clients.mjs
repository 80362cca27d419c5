// The seed GET in certificate mode, two ways, against the sandbox in its own process:
// a build of this package (a directory holding node.mjs), and the bare-fetch floor of bench/e2e.mjs.
import { resolve } from 'node:path';
import { bareFetchClient } from '../e2e.mjs';
import { startSandboxProcess } from '../sandbox-process.mjs';

export const CARD = { card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' };

/** `args`: more sandbox cli options (instructions.mjs keeps connections open under valgrind). */
export async function sandbox(args = []) {
  return startSandboxProcess(args);
}

/** A client of the package in `dir`. */
export async function ours(sb, dir) {
  const { Wxpay } = await import(`${resolve(dir)}/node.mjs`);
  const w = new Wxpay({ mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL });
  return () => w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD);
}

/** The floor of bench/e2e.mjs (sign, fetch, verify, parse: no SDK), certificate mode. */
export function floor(sb) {
  return bareFetchClient(sb, sb.platform.certificate);
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
