// Test-only Worker. Routes:
//   POST /sign?crypto=rust|webcrypto      body: message -> { crypto, signature }
//   POST /verify?crypto=...&serial=S&signature=B64   body: message -> { ok }
//   GET  /seed?crypto=...                 the seed GET -> { crypto, status, data }
//   GET  /loop?crypto=...&n=N             N sequential seed GETs -> { n }
//   POST /decrypt-resource?key=K          body: resource JSON -> { plaintext } (APIv3 key K)
//   POST /encrypt                         body: text -> { serial, ciphertext }
//   POST /decrypt                         body: base64 -> { plaintext }
//   GET  /floor?n=N                       N sequential seed GETs with no SDK: crypto.subtle
//                                         sign, fetch, verify, JSON.parse (the bench's floor)
//   GET  /floor?crypto=node&n=N           the same with workerd's node:crypto (nodejs_compat only):
//                                         the floor of ours on its `node` backend
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { ALG, der, signedGet, verifiedBody } from '../../nosdk.js';

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


/** What any client must do per request, with nothing of ours: the floor the bench compares with. */
async function floor(env, n) {
  const key = await crypto.subtle.importKey('pkcs8', der(env.WXPAY_PRIVATE_KEY), ALG, false, ['sign']);
  const pub = await crypto.subtle.importKey('spki', der(env.WXPAY_PLATFORM_SPKI), ALG, false, ['verify']);
  const path = `/v3/marketing/membercard-open/cards/${env.CARD_ID}/codes/${env.CODE}`;
  const url = new URL(path, env.WXPAY_BASE_URL);
  for (let i = 0; i < n; i++) {
    const res = await signedGet(env, key, url, { accept: 'application/json' });
    if (res.status !== 200) throw new Error(`floor: ${res.status} ${await res.text()}`);
    JSON.parse(new TextDecoder().decode(await verifiedBody(res, pub)));
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
  const path = `/v3/marketing/membercard-open/cards/${env.CARD_ID}/codes/${env.CODE}`;
  const url = new URL(path, env.WXPAY_BASE_URL).href;
  for (let i = 0; i < n; i++) {
    const ts = Math.floor(Date.now() / 1000);
    const nonce = node.randomBytes(16).toString('hex');
    const sig = node.sign('sha256', Buffer.from(`GET\n${path}\n${ts}\n${nonce}\n\n`), key).toString('base64');
    const res = await fetch(url, {
      headers: { accept: 'application/json', authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${env.WXPAY_MCHID}",serial_no="${env.WXPAY_SERIAL}",timestamp="${ts}",nonce_str="${nonce}",signature="${sig}"` },
    });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`floor: ${res.status} ${body}`);
    const h = res.headers;
    const msg = Buffer.concat([Buffer.from(`${h.get('wechatpay-timestamp')}\n${h.get('wechatpay-nonce')}\n`), body, Buffer.from('\n')]);
    if (!node.verify('sha256', msg, pub, Buffer.from(h.get('wechatpay-signature'), 'base64'))) throw new Error('unverified');
    JSON.parse(body.toString());
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
