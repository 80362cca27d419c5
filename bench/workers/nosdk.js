// What a client with no SDK does in a Worker, shared by the bench Workers (../baseline, ../files):
// WebCrypto keys from PEM, and a GET signed as WECHATPAY2-SHA256-RSA2048 with a hex nonce.
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
