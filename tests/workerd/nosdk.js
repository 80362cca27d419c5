// What a client with no SDK does in a Worker: WebCrypto keys from PEM, a GET signed as
// WECHATPAY2-SHA256-RSA2048 with a hex nonce, and the answer's signature checked over its raw
// body. Used by the bench Workers (bench/workers); the probe Worker (./probe) takes its key helpers.
export const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
export const der = (pem) => Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/** `fetch(url)` signed with the merchant's `key` (a CryptoKey), plus `headers`. */
export async function signedGet(env, key, url, headers = {}) {
  const u = new URL(url);
  const ts = Math.floor(Date.now() / 1000);
  const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join(''); // 32 of [0-9a-f]
  const sig = b64(await crypto.subtle.sign(ALG, key, new TextEncoder().encode(`GET\n${u.pathname}${u.search}\n${ts}\n${nonce}\n\n`)));
  return fetch(u, {
    headers: { ...headers, authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${env.WXPAY_MCHID}",serial_no="${env.WXPAY_SERIAL}",timestamp="${ts}",nonce_str="${nonce}",signature="${sig}"` },
  });
}

/** The answer's body bytes, once its signature verifies under `pub` (a CryptoKey); throws otherwise. */
export async function verifiedBody(res, pub) {
  const body = new Uint8Array(await res.arrayBuffer());
  const h = res.headers;
  const head = new TextEncoder().encode(`${h.get('wechatpay-timestamp')}\n${h.get('wechatpay-nonce')}\n`);
  const msg = new Uint8Array(head.length + body.length + 1);
  msg.set(head);
  msg.set(body, head.length);
  msg[msg.length - 1] = 10;
  if (!(await crypto.subtle.verify(ALG, pub, der(h.get('wechatpay-signature')), msg))) throw new Error('unverified');
  return body;
}
