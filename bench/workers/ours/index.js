// Cold start, ours: the package is imported at module load (the .wasm compiled by workerd and
// instantiated by the package's workerd entry). Routes, each timed from outside by
// bench/coldstart.mjs: /ping (nothing), /construct (`new Wxpay`), /request (the seed GET, signed
// and verified, with the client /construct made).
import { Wxpay } from 'wxpay-wasm';

let wxpay;
export default {
  async fetch(request, env) {
    switch (new URL(request.url).pathname) {
      case '/ping':
        return new Response('ok');
      case '/construct':
        wxpay = new Wxpay({
          mchid: env.WXPAY_MCHID, serial: env.WXPAY_SERIAL, privateKey: env.WXPAY_PRIVATE_KEY,
          certs: JSON.parse(env.WXPAY_CERTS), baseURL: env.WXPAY_BASE_URL,
        });
        return new Response(wxpay.crypto);
      case '/request': {
        const { status, data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: env.CARD_ID, code: env.CODE });
        return Response.json({ status, code: data.code });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
