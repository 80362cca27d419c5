// Cold start, the baseline: no wxpay-wasm. The same routes as ../ours with what any client must
// do: /construct imports the two keys into WebCrypto; /request signs the seed GET, fetches it,
// verifies the answer's signature over its raw body and parses it.
import { ALG, der, signedGet, verifiedBody } from '../../../tests/workerd/nosdk.js';

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
        const res = await signedGet(env, keys.sign, new URL(path, env.WXPAY_BASE_URL), { accept: 'application/json' });
        const body = await verifiedBody(res, keys.verify);
        const data = JSON.parse(new TextDecoder().decode(body));
        return Response.json({ status: res.status, code: data.code });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
