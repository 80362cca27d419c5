// Test-only Worker. Routes:
//   POST /sign?crypto=rust|webcrypto      body: message -> { crypto, signature }
//   POST /verify?crypto=...&serial=S&signature=B64   body: message -> { ok }
//   GET  /seed?crypto=...                 the seed GET -> { crypto, status, data }
//   GET  /loop?crypto=...&n=N             N sequential seed GETs -> { n }
//   POST /decrypt-resource?key=K          body: resource JSON -> { plaintext } (APIv3 key K)
//   POST /encrypt                         body: text -> { serial, ciphertext }
//   POST /decrypt                         body: base64 -> { plaintext }
//   GET  /floor?n=N                       N sequential seed GETs with no SDK: crypto.subtle
//                                         sign, fetch, verify, the headers object and JSON.parse
//                                         (the bench's floor, step for step as the Node floor)
//   GET  /floor?crypto=node&n=N           the same with workerd's node:crypto (nodejs_compat only):
//                                         the floor of ours on its `node` backend
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { ALG, der } from '../../nosdk.js';

const options = (env, crypto) => ({
  mchid: env.WXPAY_MCHID,
  serial: env.WXPAY_SERIAL,
  privateKey: env.WXPAY_PRIVATE_KEY,
  certs: JSON.parse(env.WXPAY_CERTS),
  baseURL: env.WXPAY_BASE_URL,
  crypto,
});
const clients = new Map();
function client(env, crypto) {
  if (!clients.has(crypto)) {
    clients.set(crypto, new Wxpay(options(env, crypto)));
  }
  return clients.get(crypto);
}

const seed = (w, env) => w.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: env.CARD_ID, code: env.CODE });


// The floors: what a client with no SDK does per request, step for step as bench/e2e.mjs's Node
// floor (`bareFetchClient`) does it, so that ours/floor means the same in Node and here: the URL
// made once, a hex nonce, the message signed and its signature in base64, `fetch` with `Accept`
// and `Authorization`, the body read whole, the signature checked over `timestamp\nnonce\nbody\n`,
// and `{ status, headers, data }` made (the headers as a plain object, the body's JSON parsed), as
// ours hands back. Nothing done twice that a careful client does once (no URL parsed, encoder made
// or PEM regex run per request).

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The seed GET's path and URL, once. */
function seedUrl(env) {
  const path = `/v3/marketing/membercard-open/cards/${env.CARD_ID}/codes/${env.CODE}`;
  return [path, new URL(path, env.WXPAY_BASE_URL).href];
}

const authorization = (env, ts, nonce, sig) =>
  `WECHATPAY2-SHA256-RSA2048 mchid="${env.WXPAY_MCHID}",serial_no="${env.WXPAY_SERIAL}",timestamp="${ts}",nonce_str="${nonce}",signature="${sig}"`;

/** The floor on crypto.subtle (the bench's floor): what any client must do, with nothing of ours. */
async function floor(env, n) {
  const key = await crypto.subtle.importKey('pkcs8', der(env.WXPAY_PRIVATE_KEY), ALG, false, ['sign']);
  const pub = await crypto.subtle.importKey('spki', der(env.WXPAY_PLATFORM_SPKI), ALG, false, ['verify']);
  const [path, url] = seedUrl(env);
  const request = async () => {
    const ts = Math.floor(Date.now() / 1000);
    const random = crypto.getRandomValues(new Uint8Array(16));
    let nonce = '';
    for (let i = 0; i < 16; i++) nonce += HEX[random[i]];
    const signed = new Uint8Array(await crypto.subtle.sign(ALG, key, encoder.encode(`GET\n${path}\n${ts}\n${nonce}\n\n`)));
    const sig = btoa(String.fromCharCode.apply(null, signed));
    const res = await fetch(url, { headers: { accept: 'application/json', authorization: authorization(env, ts, nonce, sig) } });
    const body = new Uint8Array(await res.arrayBuffer());
    const h = res.headers;
    const head = encoder.encode(`${h.get('wechatpay-timestamp')}\n${h.get('wechatpay-nonce')}\n`);
    const msg = new Uint8Array(head.length + body.length + 1);
    msg.set(head);
    msg.set(body, head.length);
    msg[msg.length - 1] = 10;
    const text = atob(h.get('wechatpay-signature'));
    const signature = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) signature[i] = text.charCodeAt(i);
    if (!(await crypto.subtle.verify(ALG, pub, signature, msg))) throw new Error('unverified');
    return { status: res.status, headers: Object.fromEntries(h), data: JSON.parse(decoder.decode(body)) };
  };
  for (let i = 0; i < n; i++) {
    const { status, data } = await request();
    if (status !== 200) throw new Error(`floor: ${status} ${JSON.stringify(data)}`);
  }
  return { crypto: 'floor', n };
}

/**
 * The floor with node:crypto, as bench/e2e.mjs's Node floor does it (KeyObjects, `crypto.sign`,
 * `crypto.verify`, Buffers): what a client with no SDK does in a Worker with nodejs_compat, where
 * ours picks node:crypto too. Throws without nodejs_compat.
 */
async function floorNode(env, n) {
  const node = globalThis.process?.getBuiltinModule?.('node:crypto');
  const { Buffer } = globalThis.process?.getBuiltinModule?.('node:buffer') ?? {};
  if (typeof node?.sign !== 'function' || typeof Buffer !== 'function') throw new Error('floor: no node:crypto here (nodejs_compat is off)');
  const key = node.createPrivateKey(env.WXPAY_PRIVATE_KEY);
  const pub = node.createPublicKey(env.WXPAY_PLATFORM_SPKI);
  const [path, url] = seedUrl(env);
  const request = async () => {
    const ts = Math.floor(Date.now() / 1000);
    const nonce = node.randomBytes(16).toString('hex');
    const sig = node.sign('sha256', Buffer.from(`GET\n${path}\n${ts}\n${nonce}\n\n`), key).toString('base64');
    const res = await fetch(url, { headers: { accept: 'application/json', authorization: authorization(env, ts, nonce, sig) } });
    const body = Buffer.from(await res.arrayBuffer());
    const h = res.headers;
    const msg = Buffer.concat([Buffer.from(`${h.get('wechatpay-timestamp')}\n${h.get('wechatpay-nonce')}\n`), body, Buffer.from('\n')]);
    if (!node.verify('sha256', msg, pub, Buffer.from(h.get('wechatpay-signature'), 'base64'))) throw new Error('unverified');
    return { status: res.status, headers: Object.fromEntries(h), data: JSON.parse(body.toString()) };
  };
  for (let i = 0; i < n; i++) {
    const { status, data } = await request();
    if (status !== 200) throw new Error(`floor: ${status} ${JSON.stringify(data)}`);
  }
  return { crypto: 'floor (node)', n };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/floor') {
      const n = Number(url.searchParams.get('n'));
      return Response.json(url.searchParams.get('crypto') === 'node' ? await floorNode(env, n) : await floor(env, n));
    }
    const crypto = url.searchParams.get('crypto') ?? 'auto';
    try {
      const w = client(env, crypto);
      switch (url.pathname) {
        case '/sign':
          return Response.json({ crypto: w.crypto, signature: await w.sign(new Uint8Array(await request.arrayBuffer())) });
        case '/verify': {
          const ok = await w.verify(new Uint8Array(await request.arrayBuffer()), url.searchParams.get('signature'), url.searchParams.get('serial'));
          return Response.json({ crypto: w.crypto, ok });
        }
        case '/seed': {
          const { status, data } = await seed(w, env);
          return Response.json({ crypto: w.crypto, status, data });
        }
        case '/loop': {
          const n = Number(url.searchParams.get('n'));
          for (let i = 0; i < n; i++) await seed(w, env);
          return Response.json({ crypto: w.crypto, n });
        }
        case '/decrypt-resource': {
          const k = new Wxpay({ ...options(env, crypto), apiv3Key: url.searchParams.get('key') });
          return Response.json({ plaintext: await k.decryptResource(await request.json()) });
        }
        case '/encrypt':
          return Response.json({ serial: w.wechatpaySerial, ciphertext: await w.encrypt(await request.text()) });
        case '/decrypt':
          return Response.json({ plaintext: await w.decrypt(await request.text()) });
        default:
          return new Response('not found', { status: 404 });
      }
    } catch (err) {
      if (!(err instanceof WxpayError)) throw err;
      return Response.json({ error: { code: err.code, message: err.message, requestId: err.requestId } }, { status: 500 });
    }
  },
};
