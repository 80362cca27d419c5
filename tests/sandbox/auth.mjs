// The request side of APIv3 signing: parse the Authorization header strictly and verify it
// against the merchant's public key, over the exact bytes received.
import crypto from 'node:crypto';

export const SCHEME = 'WECHATPAY2-SHA256-RSA2048';
export const FIELDS = ['mchid', 'serial_no', 'timestamp', 'nonce_str', 'signature'];
export const MAX_SKEW = 300; // seconds, either way

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 characters from [0-9A-Za-z], CSPRNG. */
export const nonce = () => Array.from({ length: 32 }, () => ALNUM[crypto.randomInt(62)]).join('');
export const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * Parse `WECHATPAY2-SHA256-RSA2048 k="v",k="v",...`: that scheme, one space, the five known
 * fields each exactly once, values in double quotes, separated by a bare comma.
 * Field order is tolerated but recorded in `order`.
 * @returns {{ fields: object, order: string[] } | { error: string }}
 */
export function parseAuthorization(header) {
  if (typeof header !== 'string' || header === '') return { error: 'missing Authorization header' };
  if (!header.startsWith(SCHEME + ' ')) return { error: `scheme is not ${SCHEME}` };
  const rest = header.slice(SCHEME.length + 1);
  const re = /([a-z_]+)="([^"]*)"/y;
  const fields = {}, order = [];
  for (let i = 0; ;) {
    re.lastIndex = i;
    const m = re.exec(rest);
    if (!m) return { error: `malformed Authorization parameters at offset ${i}` };
    const [, key, value] = m;
    if (!FIELDS.includes(key)) return { error: `unknown Authorization field ${key}` };
    if (key in fields) return { error: `duplicate Authorization field ${key}` };
    fields[key] = value;
    order.push(key);
    i = re.lastIndex;
    if (i === rest.length) break;
    if (rest[i] !== ',') return { error: `expected "," at offset ${i} of Authorization parameters` };
    i += 1;
  }
  const missing = FIELDS.filter((f) => !(f in fields));
  if (missing.length) return { error: `missing Authorization field ${missing.join(', ')}` };
  return { fields, order };
}

/** The signed message, as bytes: the body goes in verbatim, never re-encoded. */
export function requestMessage(method, url, timestamp, nonceStr, body) {
  return Buffer.concat([
    Buffer.from(`${method}\n${url}\n${timestamp}\n${nonceStr}\n`, 'utf8'),
    body ?? Buffer.alloc(0),
    Buffer.from('\n'),
  ]);
}

/**
 * Check one request. `url` is the request-target exactly as received (req.url).
 * @returns {{ auth: object|null, verified: boolean, reason: string|null }}
 */
export function verifyRequest({ method, url, headers, body }, { mchid, serial, publicKey, now = unixNow() }) {
  const parsed = parseAuthorization(headers.authorization);
  if (parsed.error) return { auth: null, verified: false, reason: parsed.error };
  const f = parsed.fields;
  const auth = { ...f, order: parsed.order };
  const fail = (reason) => ({ auth, verified: false, reason });
  if (f.mchid !== mchid) return fail(`mchid ${f.mchid} does not match ${mchid}`);
  if (f.serial_no !== serial) return fail(`serial_no ${f.serial_no} is not the merchant certificate serial`);
  if (!/^\d{1,12}$/.test(f.timestamp)) return fail('timestamp is not an integer of seconds');
  if (Math.abs(now - Number(f.timestamp)) > MAX_SKEW) return fail(`timestamp ${f.timestamp} is more than ${MAX_SKEW}s from ${now}`);
  if (!/^[0-9A-Za-z]{32}$/.test(f.nonce_str)) return fail('nonce_str is not 32 characters of [0-9A-Za-z]');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(f.signature) || f.signature === '')
    return fail('signature is not padded standard base64');
  const message = requestMessage(method, url, f.timestamp, f.nonce_str, body);
  const ok = crypto.verify('sha256', message, publicKey, Buffer.from(f.signature, 'base64'));
  return ok ? { auth, verified: true, reason: null } : fail('signature does not verify');
}
