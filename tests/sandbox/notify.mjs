// Notifications (callbacks) the sandbox posts to a merchant's URL, as WeChat Pay does: the
// resource encrypted with AEAD_AES_256_GCM under the merchant's APIv3 key, the body signed like
// an answer, and the ways to get either wrong (misbehaviour modes).
import crypto from 'node:crypto';
import { MODES as ANSWER_MODES, signedAnswer } from './answer.mjs';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const alnum = (n) => Array.from({ length: n }, () => ALNUM[crypto.randomInt(62)]).join('');

/** A fresh APIv3 key: 32 characters of [0-9A-Za-z], as the merchant platform makes them. */
export const randomApiV3Key = () => alnum(32);

/**
 * Signature modes are the answer modes (but `error-500`); `wrong-key` encrypts under another
 * APIv3 key and `corrupted` flips one bit of the ciphertext, both then signed correctly.
 */
export const NOTIFY_MODES = [...ANSWER_MODES.filter((m) => !m.startsWith('error-') && m !== 'reset'), 'wrong-key', 'corrupted'];

/** What each event looks like on the wire: summary, original_type and associated_data. */
export const EVENTS = {
  'TRANSACTION.SUCCESS': { summary: '支付成功', original_type: 'transaction', associated_data: 'transaction' },
  'REFUND.SUCCESS': { summary: '退款成功', original_type: 'refund', associated_data: 'refund' },
  'MEMBERCARDSP.USER_CARD.CREATE': { summary: '用户开通会员卡通知', original_type: 'membercard', associated_data: 'membercard' },
  'MEMBERCARDSP.USER_CARD.DELETE': { summary: '用户删除会员卡通知', original_type: 'membercard', associated_data: 'membercard' },
  // 消费者投诉 (complaints.mjs): the second summary is the sandbox's own.
  'COMPLAINT.CREATE': { summary: '产生新投诉', original_type: 'complaint', associated_data: '' },
  'COMPLAINT.STATE_CHANGE': { summary: '投诉单状态变化', original_type: 'complaint', associated_data: '' },
};

/** AES-256-GCM of `plaintext` (bytes or string): `{ algorithm, ciphertext, associated_data, nonce }`. */
export function encryptResource(apiv3Key, plaintext, associatedData, nonce = alnum(12)) {
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(apiv3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: sealed.toString('base64'), associated_data: associatedData, nonce };
}

/** The reverse, for checking what the sandbox sent; throws if the tag does not verify. */
export function decryptResource(apiv3Key, { ciphertext, associated_data = '', nonce }) {
  const sealed = Buffer.from(ciphertext, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', Buffer.from(apiv3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  decipher.setAAD(Buffer.from(associated_data, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
}

// RFC 3339 in Beijing time, as the service writes create_time: 2015-05-20T13:29:35+08:00.
function beijingTime(ms = Date.now()) {
  return new Date(ms + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';
}

/**
 * Build one notification.
 * @param {{ apiv3Key: string, signer: { privateKey, serial }, forger: () => crypto.KeyObject }} keys
 * @param {object} o
 * @param {string} o.event_type  e.g. 'TRANSACTION.SUCCESS'
 * @param {object} o.resource  the plain resource object to encrypt
 * @param {string|null} [o.summary]  the summary (default: the event's); null leaves the field out,
 *   as v3/webhooks allows (it requires id, create_time, event_type, resource_type, resource only)
 * @param {string|null} [o.misbehave]  one of NOTIFY_MODES
 * @param {string} [o.plaintext]  encrypt this text instead of JSON.stringify(resource)
 * @param {string|Buffer} [o.body]  sign and send exactly this body instead of the envelope
 *   (for malformed notifications that are nonetheless correctly signed)
 * @returns {{ headers: object, body: Buffer, envelope: object, plaintext: string, mode: string|null }}
 */
export function buildNotification(keys, { event_type, resource, misbehave = null, id, summary, create_time, associated_data, plaintext: text, body } = {}) {
  if (misbehave !== null && !NOTIFY_MODES.includes(misbehave))
    throw new TypeError(`unknown notification mode ${misbehave}; one of ${NOTIFY_MODES.join(', ')}`);
  if (typeof event_type !== 'string' || event_type === '') throw new TypeError('event_type must be a non-empty string');
  if (text === undefined && (resource === null || typeof resource !== 'object')) throw new TypeError('resource must be a plain object');
  const known = EVENTS[event_type] ?? { summary: event_type, original_type: event_type.split('.')[0].toLowerCase(), associated_data: '' };
  const plaintext = text ?? JSON.stringify(resource);
  const aad = associated_data ?? known.associated_data;
  const encrypted = encryptResource(misbehave === 'wrong-key' ? randomApiV3Key() : keys.apiv3Key, plaintext, aad);
  if (misbehave === 'corrupted') {
    const sealed = Buffer.from(encrypted.ciphertext, 'base64');
    sealed[0] ^= 0x01;
    encrypted.ciphertext = sealed.toString('base64');
  }
  const envelope = {
    id: id ?? crypto.randomUUID(),
    create_time: create_time ?? beijingTime(),
    resource_type: 'encrypt-resource',
    event_type,
    ...(summary === null ? {} : { summary: summary ?? known.summary }),
    resource: { original_type: known.original_type, ...encrypted },
  };
  const signatureMode = ANSWER_MODES.includes(misbehave) ? misbehave : null;
  const bytes = Buffer.from(body ?? JSON.stringify(envelope), 'utf8');
  const signed = signedAnswer({ status: 200, body: bytes }, keys.signer, signatureMode, keys.forger);
  const headers = {
    'Content-Type': 'application/json',
    'Request-ID': `sbx-notify-${crypto.randomBytes(6).toString('hex')}`,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    ...signed.headers,
  };
  return { headers, body: signed.body, envelope, plaintext, mode: misbehave };
}

/**
 * POST a notification to `url` and read the merchant's answer.
 * @param {object} keys  as for buildNotification
 * @param {string} url
 * @param {object} o  as for buildNotification, plus `fetch` (default: the global one), e.g.
 *   Miniflare's `mf.dispatchFetch.bind(mf)` to post into a Worker
 * @returns {Promise<{ status: number, headers: object, body: string, json: any, sent: object }>}
 */
export async function postNotification(keys, url, o = {}) {
  const { fetch: doFetch = globalThis.fetch, ...rest } = o;
  const sent = buildNotification(keys, rest);
  const res = await doFetch(url, { method: 'POST', headers: sent.headers, body: sent.body });
  const body = await res.text();
  let json;
  try { json = JSON.parse(body); } catch {}
  return { status: res.status, headers: Object.fromEntries(res.headers), body, json, sent };
}
