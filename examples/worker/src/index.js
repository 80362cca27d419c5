// GET   /card/:card_id/:code  -> the member card (查询用户会员卡信息)
// PATCH /card/:card_id/:code  -> update it with the JSON body (修改用户会员卡信息), 204
import { Wxpay, WxpayError } from 'wxpay-wasm';

// One client per isolate: keys are parsed once, not on every request.
let wxpay;
function client(env) {
  wxpay ??= new Wxpay({
    mchid: env.WXPAY_MCHID,
    serial: env.WXPAY_SERIAL,
    privateKey: env.WXPAY_PRIVATE_KEY,
    certs: { [env.WXPAY_PLATFORM_SERIAL]: env.WXPAY_PLATFORM_CERT },
    baseURL: env.WXPAY_BASE_URL || undefined,
    timeout: 10_000,
  });
  return wxpay;
}

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const match = pathname.match(/^\/card\/([^/]+)\/([^/]+)$/);
    if (!match) return json({ code: 'NOT_FOUND', message: 'use /card/:card_id/:code' }, 404);
    const [card_id, code] = match.slice(1).map(decodeURIComponent);
    const memberCode = client(env).v3.marketing.membercardOpen.cards._card_id_.codes._code_;
    try {
      if (request.method === 'GET') {
        const { data } = await memberCode.get({ card_id, code });
        return json(data);
      }
      if (request.method === 'PATCH') {
        const { status } = await memberCode.patch(await request.json(), { card_id, code });
        return new Response(null, { status });
      }
      return json({ code: 'METHOD_NOT_ALLOWED', message: 'GET or PATCH' }, 405);
    } catch (err) {
      if (!(err instanceof WxpayError)) throw err;
      // The service's own 4xx pass through; anything else (verification, network) is a bad gateway.
      const status = err.status >= 400 && err.status < 500 ? err.status : 502;
      return json({ code: err.code, message: err.message, request_id: err.requestId }, status);
    }
  },
};
