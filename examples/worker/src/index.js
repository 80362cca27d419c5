// GET   /card/:card_id/:code  -> the member card (查询用户会员卡信息)
// PATCH /card/:card_id/:code  -> update it with the JSON body (修改用户会员卡信息), 204
// POST  /notify               -> WeChat Pay notifications (支付/会员卡回调): verified, decrypted,
//                                handled once per id, answered 204 or {"code":"FAIL",...}
import { Wxpay, WxpayError } from 'wxpay-wasm';

// One client per isolate: keys are parsed once, not on every request.
let wxpay;
function client(env) {
  wxpay ??= new Wxpay({
    mchid: env.WXPAY_MCHID,
    serial: env.WXPAY_SERIAL,
    privateKey: env.WXPAY_PRIVATE_KEY,
    certs: { [env.WXPAY_PLATFORM_SERIAL]: env.WXPAY_PLATFORM_CERT },
    apiv3Key: env.WXPAY_APIV3_KEY,
    baseURL: env.WXPAY_BASE_URL || undefined,
    timeout: 10_000,
  });
  return wxpay;
}

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

/** 401 for a notification that is not WeChat Pay's, 400 for one that is but cannot be read. */
const rejectionStatus = (code) =>
  code === 'ERR_NOTIFY_DECRYPT' || code === 'ERR_NOTIFY_BODY' ? 400 : code.startsWith('ERR_NOTIFY_') ? 401 : 500;

/** What this merchant does with each event; what it returns is stored with the notification. */
function handleEvent({ event_type, resource }) {
  switch (event_type) {
    case 'TRANSACTION.SUCCESS':
      return { paid: resource.out_trade_no, amount: resource.amount?.total };
    case 'MEMBERCARDSP.USER_CARD.CREATE':
      return { opened: `${resource.card_id}/${resource.user_card_code}` };
    case 'MEMBERCARDSP.USER_CARD.DELETE':
      return { deleted: `${resource.card_id}/${resource.user_card_code}` };
    default:
      return { ignored: event_type };
  }
}

async function notify(request, env) {
  const notifications = client(env).notifications;
  let notification;
  try {
    // The Request itself: parse reads the raw body, which the signature covers.
    notification = await notifications.parse(request);
  } catch (err) {
    if (!(err instanceof WxpayError)) throw err;
    console.warn(`notification rejected: ${err.code}: ${err.message}`);
    return notifications.failure(err.message, rejectionStatus(err.code));
  }
  // WeChat Pay retries until it gets a success, so the same id can arrive again: handle it once.
  // With a KV namespace bound as NOTIFICATIONS, each handled notification is kept by id.
  const store = env.NOTIFICATIONS;
  if (store && (await store.get(notification.id)) !== null) return notifications.success();
  const outcome = handleEvent(notification);
  await store?.put(notification.id, JSON.stringify({ ...notification, outcome }));
  return notifications.success();
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/notify') {
      if (request.method !== 'POST') return client(env).notifications.failure('POST only', 405);
      return notify(request, env);
    }
    const match = pathname.match(/^\/card\/([^/]+)\/([^/]+)$/);
    if (!match) return json({ code: 'NOT_FOUND', message: 'use /card/:card_id/:code or POST /notify' }, 404);
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
