// Cold start, the baseline: no wxpay-wasm. The same routes as ../ours with what any client must
// do: /construct imports the two keys into WebCrypto; /request signs the seed GET, fetches it,
// verifies the answer's signature over its raw body and parses it.
const der = (pem) => Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

let keys;
export default {
  async fetch(request, env) {
    switch (new URL(request.url).pathname) {
      case '/ping':
        return new Response('ok');
      case '/construct':
        keys = {
          sign: await crypto.subtle.importKey('pkcs8', der(env.WXPAY_PRIVATE_KEY), ALG, false, ['sign']),
          verify: await crypto.subtle.importKey('spki', der(env.WXPAY_PLATFORM_SPKI), ALG, false, ['verify']),
        };
        return new Response('webcrypto');
      case '/request': {
        const path = `/v3/marketing/membercard-open/cards/${env.CARD_ID}/codes/${env.CODE}`;
        const enc = new TextEncoder();
        const ts = Math.floor(Date.now() / 1000);
        const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join(''); // 32 of [0-9a-f]
        const sig = b64(await crypto.subtle.sign(ALG, keys.sign, enc.encode(`GET\n${path}\n${ts}\n${nonce}\n\n`)));
        const res = await fetch(new URL(path, env.WXPAY_BASE_URL), {
          headers: { accept: 'application/json', authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${env.WXPAY_MCHID}",serial_no="${env.WXPAY_SERIAL}",timestamp="${ts}",nonce_str="${nonce}",signature="${sig}"` },
        });
        const body = new Uint8Array(await res.arrayBuffer());
        const h = res.headers;
        const head = enc.encode(`${h.get('wechatpay-timestamp')}\n${h.get('wechatpay-nonce')}\n`);
        const msg = new Uint8Array(head.length + body.length + 1);
        msg.set(head);
        msg.set(body, head.length);
        msg[msg.length - 1] = 10;
        if (!(await crypto.subtle.verify(ALG, keys.verify, der(h.get('wechatpay-signature')), msg))) throw new Error('unverified');
        const data = JSON.parse(new TextDecoder().decode(body));
        return Response.json({ status: res.status, code: data.code });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
