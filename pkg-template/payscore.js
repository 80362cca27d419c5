// 微信支付分 (WeChat Pay Score) on the front end: what `wx.openBusinessView` takes to open Pay
// Score's own mini program, on the order to confirm (wxpayScoreUse, with the `package` a service
// order's creation answered) or on an order's details (wxpayScoreDetail). These parameters are
// still signed by the APIv2 rule (`signV2`): HMAC-SHA256 under the merchant's APIv2 key (API密钥,
// not the APIv3 key), over the non-empty fields but `sign`, sorted by name, as `k=v` joined by
// `&`, then `&key=<APIv2 key>`; the digest in upper-case hex. The runtime's own HMAC does it:
// node:crypto where `process.getBuiltinModule` gives it, else WebCrypto (workerd, browsers).
import { WxpayError } from './error.js';
import { guarded as guardedAs, named, nodeCrypto, param, wellFormed } from './boundary.js';

/** The longest text signed (UTF-16 units, all fields); such parameters are a few hundred. */
const MAX_TEXT = 1 << 20;
/** A field's name, as APIv2 names them. */
const NAME = /^[A-Za-z0-9_]{1,64}$/;
/** The APIv2 key: 32 characters, set by the merchant (digits and letters; any printable ASCII taken). */
const KEY = /^[\x21-\x7e]{32}$/;
/**
 * What payscoreParams takes for each field it signs. The values are signed as they are, so an `&`
 * in one would read as another field: a merchant id is digits; an order number what the service
 * allows (1-32 of 0-9 A-Z a-z _ - | *); a service id and a package printable ASCII without `&`.
 */
const SHAPES = {
  mchid: [/^[0-9]{1,32}$/, '1-32 digits'],
  out_order_no: [/^[0-9A-Za-z_\-|*]{1,32}$/, '1-32 of 0-9 A-Z a-z _ - | *'],
  service_id: [/^[\x21-\x25\x27-\x7e]{1,32}$/, '1-32 printable ASCII characters but &'],
  // The service's pages give a package up to 1024 characters (their example's is 237).
  package: [/^[\x21-\x25\x27-\x7e]{1,1024}$/, '1-1024 printable ASCII characters but &'],
};
/** The keys of payscoreParams' input, in the order they are read. */
const INPUT = ['apiv2Key', 'mchid', 'package', 'service_id', 'out_order_no'];
const NONCE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `read()`, its exception (a getter's, a Proxy trap's) ERR_INVALID_PARAM with it as the cause. */
const guarded = (what, read) => guardedAs(what, param, read);

function checkKey(apiv2Key, what) {
  if (typeof apiv2Key !== 'string') throw param(`${what}: apiv2Key must be the merchant's APIv2 key (API密钥), a string, got ${apiv2Key === null ? 'null' : typeof apiv2Key}`);
  // Its length, or the kind of character it should not have: never the key.
  if (apiv2Key.length !== 32) throw param(`${what}: apiv2Key must be the merchant's APIv2 key (API密钥), 32 characters, got ${apiv2Key.length}`);
  if (!KEY.test(apiv2Key)) throw param(`${what}: apiv2Key has a character that is not printable ASCII (a space, a line break, a control or non-ASCII character): the APIv2 key (API密钥) is 32 printable ASCII characters`);
}

/** The text `signV2` signs (`stringA&key=<key>`), from the caller's fields, read once. */
function message(fields, apiv2Key, what) {
  const object = typeof fields === 'object' && fields !== null && !guarded(`${what}: reading fields`, () => Array.isArray(fields));
  if (!object) throw param(`${what}: fields must be an object of names and values`);
  const pairs = guarded(`${what}: reading fields`, () => Object.keys(fields).map((name) => [name, fields[name]]));
  let total = 0;
  const parts = [];
  for (const [name, value] of pairs) {
    if (!NAME.test(name)) throw param(`${what}: a field's name must be 1-64 of A-Z a-z 0-9 _, got one of ${name.length} characters that is not`);
    if (name === 'sign' || value === undefined || value === null || value === '') continue;
    let text;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value);
    else throw param(`${what}: field ${named(name)} must be a string or a safe integer, got ${typeof value === 'number' ? 'another number' : typeof value}`);
    total += name.length + text.length + 2;
    if (total > MAX_TEXT) throw param(`${what}: the fields are longer than ${MAX_TEXT} characters in all`);
    if (!wellFormed(text)) throw param(`${what}: field ${named(name)} has a lone UTF-16 surrogate, which UTF-8 cannot carry`);
    parts.push([name, text]);
  }
  if (parts.length === 0) throw param(`${what}: no field to sign`);
  parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${parts.map(([name, text]) => `${name}=${text}`).join('&')}&key=${apiv2Key}`;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

/** HMAC-SHA256 of `text` under `key`, in upper-case hex; what the runtime's crypto throws is ERR_CRYPTO. */
async function hmac(key, text) {
  const found = nodeCrypto();
  const node = typeof found?.createHmac === 'function' ? found : undefined;
  const subtle = globalThis.crypto?.subtle;
  if (!node && typeof subtle?.importKey !== 'function') throw new WxpayError('ERR_CRYPTO', 'this runtime has neither node:crypto nor WebCrypto to make an HMAC with');
  try {
    if (node) return node.createHmac('sha256', key).update(text, 'utf8').digest('hex').toUpperCase();
    const encoder = new TextEncoder();
    const k = await subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return hex(new Uint8Array(await subtle.sign('HMAC', k, encoder.encode(text))));
  } catch (e) {
    throw new WxpayError('ERR_CRYPTO', 'the runtime\'s HMAC-SHA256 failed', { cause: e });
  }
}

/**
 * The APIv2 signature (HMAC-SHA256) of `fields` under `apiv2Key`: upper-case hex. Values are
 * strings or safe integers; empty ones (`''`, null, undefined) and `sign` are left out, as the rule
 * says. Rejects ERR_INVALID_PARAM for input that is not so (never quoting the key or a value).
 */
export async function signV2(fields, apiv2Key) {
  checkKey(apiv2Key, 'signV2');
  return hmac(apiv2Key, message(fields, apiv2Key, 'signV2'));
}

/** `nonce_str`: 32 of NONCE_CHARS from crypto.getRandomValues; what it throws is ERR_CRYPTO. */
function nonce() {
  const out = [];
  const bytes = new Uint8Array(48);
  while (out.length < 32) {
    try {
      globalThis.crypto.getRandomValues(bytes);
    } catch (e) {
      throw new WxpayError('ERR_CRYPTO', 'payscoreParams: no secure random source for nonce_str: crypto.getRandomValues failed', { cause: e });
    }
    // 62 * 4 = 248: bytes from 248 up are dropped, so that every character is as likely.
    for (const b of bytes) if (b < 248 && out.length < 32) out.push(NONCE_CHARS[b % 62]);
  }
  return out.join('');
}

/** `value` (input.`name`), of the shape SHAPES gives it (never quoted). */
function checked(value, name) {
  const [shape, says] = SHAPES[name];
  if (typeof value !== 'string' || !shape.test(value)) throw param(`payscoreParams: input.${name} must be a string of ${says}`);
  return value;
}

/**
 * The parameters of `openBusinessView` for 微信支付分: with `package` (the service order's
 * creation answered it), `{ businessType: 'wxpayScoreUse', extraData, queryString }` for the payer
 * to confirm the order; with `service_id` and `out_order_no`, `businessType: 'wxpayScoreDetail'`
 * for the order's details. `extraData` (a mini program's `wx.openBusinessView`) holds `mch_id`
 * (input.mchid: a partner's own merchant id for its sub-merchants' orders), those fields,
 * `timestamp`, `nonce_str`, `sign_type: 'HMAC-SHA256'` and `sign` (signV2 under input.apiv2Key);
 * `queryString` (a web page's `wx.invoke('openBusinessView', ...)`, an app's
 * `WXOpenBusinessView.Req` query) is the same fields as `k=v&...`, each value URL-encoded (the
 * signature is over the values themselves). Each of `input`'s fields is read once; `null` is as absent.
 */
export async function payscoreParams(input) {
  if (typeof input !== 'object' || input === null) throw param('payscoreParams(input): input must be an object with mchid, apiv2Key and package (or service_id and out_order_no)');
  // A key it does not take is refused, not passed over: `mch_id` (APIv2's name) or `serviceId`
  // for `service_id`, or a `timestamp` the caller meant to set, would else go unnoticed.
  const unknown = guarded('payscoreParams: reading input', () => Object.keys(input).find((key) => !INPUT.includes(key)));
  if (unknown !== undefined) throw param(`payscoreParams(input): unknown key ${named(unknown)}: expected ${INPUT.join(', ')}`);
  const read = (name) => guarded(`payscoreParams: reading input.${name}`, () => input[name] ?? undefined);
  const [apiv2Key, mchid, pkg, serviceId, outOrderNo] = INPUT.map(read);
  checkKey(apiv2Key, 'payscoreParams');
  const mch_id = checked(mchid, 'mchid');
  let businessType;
  let fields;
  if (pkg !== undefined) {
    if (serviceId !== undefined || outOrderNo !== undefined) throw param('payscoreParams: give package (an order to confirm) or service_id and out_order_no (its details), not both');
    businessType = 'wxpayScoreUse';
    fields = { mch_id, package: checked(pkg, 'package') };
  } else {
    // Neither: most likely a `package` read from an order made with need_user_confirm false,
    // which has none (the payer confirms nothing), not a missing service_id.
    if (serviceId === undefined && outOrderNo === undefined) throw param('payscoreParams(input): give package (the service order\'s, to confirm; an order made with need_user_confirm false has none, and nothing to confirm) or service_id and out_order_no (its details)');
    businessType = 'wxpayScoreDetail';
    fields = { mch_id, service_id: checked(serviceId, 'service_id'), out_order_no: checked(outOrderNo, 'out_order_no') };
  }
  Object.assign(fields, { timestamp: String(Math.floor(Date.now() / 1000)), nonce_str: nonce(), sign_type: 'HMAC-SHA256' });
  const sign = await hmac(apiv2Key, message(fields, apiv2Key, 'payscoreParams'));
  const extraData = { ...fields, sign };
  const queryString = Object.entries(extraData).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return { businessType, extraData, queryString };
}
