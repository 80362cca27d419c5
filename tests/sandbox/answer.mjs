// The answer side: sign what goes on the wire, or deliberately get it wrong (misbehaviour
// modes), so a client's response verification can be judged.
import crypto from 'node:crypto';
import { nonce, unixNow } from './auth.mjs';
import { randomSerial } from './keys.mjs';

export const MODES = [
  'forged', 'tampered', 'stale', 'future', 'bad-timestamp', 'decimal-timestamp', 'unknown-serial',
  'unsigned', 'missing-nonce', 'missing-signature', 'missing-timestamp', 'missing-serial',
  'signtest', 'error-500', 'error-503', 'error-429', 'reset',
];

// Far enough past the 300 s window that clock drift during a test cannot bring it back.
const SKEW = 360;

const MISSING = {
  'missing-timestamp': 'Wechatpay-Timestamp', 'missing-nonce': 'Wechatpay-Nonce',
  'missing-signature': 'Wechatpay-Signature', 'missing-serial': 'Wechatpay-Serial',
};

/** `${ts}\n${nonce}\n${body}\n` over the body's exact bytes. */
export function answerMessage(timestamp, nonceStr, body) {
  return Buffer.concat([Buffer.from(`${timestamp}\n${nonceStr}\n`), body, Buffer.from('\n')]);
}

export const signAnswer = (privateKey, timestamp, nonceStr, body) =>
  crypto.sign('sha256', answerMessage(timestamp, nonceStr, body), privateKey).toString('base64');

// Change exactly one byte, keeping JSON parseable so a client fails on the signature rather
// than on parsing: flip the case of the first ASCII letter (in JSON, a key's first letter).
function tamper(body) {
  const out = Buffer.from(body);
  const i = out.findIndex((b) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
  if (i >= 0) out[i] ^= 0x20;
  else out[out.length - 1] ^= 0x01;
  return out;
}

/**
 * Sign an answer, applying `mode` ('error-500' is handled by the caller: it changes what is
 * answered, not how it is signed).
 * @param {{ status: number, body: Buffer, contentType?: string }} answer
 * @param {{ privateKey: crypto.KeyObject, serial: string }} signer
 * @param {string|null} mode
 * @param {() => crypto.KeyObject} forger  a key that is none of the sandbox's
 * @returns {{ status: number, body: Buffer, contentType?: string, headers: object }}
 */
export function signedAnswer(answer, signer, mode = null, forger = null) {
  let { status, body, contentType } = answer;
  const now = unixNow();
  const ts = { stale: `${now - SKEW}`, future: `${now + SKEW}`, 'bad-timestamp': 'abc', 'decimal-timestamp': `${now}.0` }[mode] ?? `${now}`;
  const n = nonce();
  let signature = signAnswer(mode === 'forged' ? forger() : signer.privateKey, ts, n, body);
  if (mode === 'signtest') signature = 'WECHATPAY/SIGNTEST/' + crypto.randomBytes(256).toString('base64');
  if (mode === 'tampered') {
    if (body.length) body = tamper(body);
    // 204 cannot carry a body; answer 200 with "{}" still signed over the empty body.
    else [status, body, contentType] = [200, Buffer.from('{}'), 'application/json'];
  }
  const headers = {
    'Wechatpay-Timestamp': ts,
    'Wechatpay-Nonce': n,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': mode === 'unknown-serial' ? randomSerial() : signer.serial,
  };
  if (mode === 'unsigned') for (const h of Object.values(MISSING)) delete headers[h];
  if (MISSING[mode]) delete headers[MISSING[mode]];
  return { status, body, contentType, headers };
}
