// wechatpay-axios-plugin@0.9.6 inside workerd, beside the probe Worker's backends
// (bench/workerd.mjs). Its package entry does not load in a Worker: wrangler bundles it as an ES
// module (strict mode), where its `module.exports.default = module.exports` assigns to the
// getter-only static `default` of its class and throws a TypeError at start-up. The class itself,
// from lib/wechatpay.js, is what the entry exports under `Wechatpay`.
//   GET /loop?n=N   N sequential seed GETs -> { crypto: 'anchor', n }
import Wechatpay from '../../../.work/bench-anchor/node_modules/wechatpay-axios-plugin/lib/wechatpay.js';

let anchor;
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== '/loop') return new Response('not found', { status: 404 });
    anchor ??= new Wechatpay({
      mchid: env.WXPAY_MCHID, serial: env.WXPAY_SERIAL, privateKey: env.WXPAY_PRIVATE_KEY,
      certs: JSON.parse(env.WXPAY_CERTS), baseURL: env.WXPAY_BASE_URL,
    });
    const n = Number(url.searchParams.get('n'));
    for (let i = 0; i < n; i++) {
      const { status, data } = await anchor.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: env.CARD_ID, code: env.CODE });
      if (status !== 200 || data.code !== env.CODE) throw new Error(`anchor: ${status}`);
    }
    return Response.json({ crypto: 'anchor', n });
  },
};
