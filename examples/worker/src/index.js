// POST  /checkout             -> a JSAPI order for { openid, item } (JSAPI下单) and the page's
//                                payment parameters; the price is this Worker's, never the caller's
// GET   /card/:card_id/:code  -> the member card (查询用户会员卡信息)
// PATCH /card/:card_id/:code  -> update it with the JSON body (修改用户会员卡信息), 204
//   Both need `Authorization: Bearer <ADMIN_TOKEN>` (a Workers secret): member cards are not
//   for whoever finds the URL. Without the secret set, the routes are off.
// POST  /notify               -> WeChat Pay notifications (支付/会员卡回调): verified, decrypted,
//                                handled once per id, answered 204 or {"code":"FAIL",...}
// Every error answers JSON `{ code, message }` (a refused order `{ code, request_id }`, its
// message kept in the log), never a stack.
// Cron (`scheduled`, see wrangler.toml) -> each night, the platform certificates WeChat Pay lists
//   into the CERTS KV namespace, for the isolates to come, and yesterday's trade bill (交易账单)
//   into the BILLS R2 bucket; each part runs when its binding is bound.
import { Wxpay, WxpayError } from 'wxpay-wasm';

/** The key of CERTS that holds `{ [serial]: pem }`: the platform certificates, kept nightly. */
const CERTS_KEY = 'platform-certificates';

// One client per isolate: keys are parsed once, not on every request. Its platform keys are the
// WXPAY_PLATFORM_* secrets (a certificate, or the WeChat Pay public key and its PUB_KEY_ID_...)
// and the certificates the nightly job kept in CERTS: a new isolate then verifies its first
// answer without waiting for a download (with neither, it downloads them with the APIv3 key).
let wxpay;
async function client(env) {
  if (!wxpay) {
    // Each request that finds no client reads CERTS itself: a read started by another request
    // would end with that request in workerd. The first to get past it makes the client.
    const kept = await keptCertificates(env);
    wxpay ??= makeClient(env, kept);
  }
  return wxpay;
}

/** The secrets' platform key beside `certs` (one entry a serial: the secret's, in any case). */
function withSecret(env, certs) {
  const given = env.WXPAY_PLATFORM_SERIAL;
  if (!given) return certs;
  const others = Object.entries(certs).filter(([serial]) => serial.toUpperCase() !== given.toUpperCase());
  return { ...Object.fromEntries(others), [given]: env.WXPAY_PLATFORM_CERT };
}

function makeClient(env, kept) {
  const make = (more) => {
    const certs = withSecret(env, more);
    return new Wxpay({
      mchid: env.WXPAY_MCHID,
      serial: env.WXPAY_SERIAL,
      privateKey: env.WXPAY_PRIVATE_KEY,
      ...(Object.keys(certs).length > 0 ? { certs } : {}),
      apiv3Key: env.WXPAY_APIV3_KEY,
      baseURL: env.WXPAY_BASE_URL || undefined,
      timeout: 10_000,
    });
  };
  if (Object.keys(kept).length === 0) return make({});
  try {
    return make(kept);
  } catch (err) {
    if (!(err instanceof WxpayError)) throw err;
    // Refused with CERTS and not without it: what CERTS holds is the cause (not a certificate
    // under its serial), and the nightly job writes it again. Refused either way, the secrets
    // are: that error is thrown, and CERTS is not blamed. Messages quote no secret.
    const made = make({});
    console.warn(`CERTS not used: ${err.code}: ${err.message}`);
    return made;
  }
}

/**
 * What the nightly job kept in CERTS, `{ [serial]: pem }`; nothing when it is not bound, cannot be
 * read or holds something else (the next nightly run writes it again).
 */
async function keptCertificates(env) {
  if (!env.CERTS) return {};
  let value;
  try {
    value = await env.CERTS.get(CERTS_KEY, 'json');
  } catch (err) {
    console.warn(`CERTS not read: ${err}`);
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, pem]) => typeof pem === 'string'));
}

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

/** 401 for a notification that is not WeChat Pay's, 400 for one that is but cannot be read. */
const rejectionStatus = (code) =>
  code === 'ERR_NOTIFY_DECRYPT' || code === 'ERR_NOTIFY_BODY' ? 400 : code.startsWith('ERR_NOTIFY_') ? 401 : 500;

// WeChat Pay sends a notification again until it is answered with success, over about 24 h 4 min
// (examples/node/records.mjs); a handled id is kept a little longer than that.
const HANDLED_TTL_SECONDS = 25 * 60 * 60;

/** What this shop sells: the price of an order is set here, never taken from the caller. */
const ITEMS = {
  coffee: { description: '一杯咖啡', total: 2500 },
  cake: { description: '一块蛋糕', total: 1800 },
};

/** An order number of our own: `w`, the time and ten random digits, 24 characters of [0-9a-z]. */
const orderNumber = () => `w${Date.now()}${crypto.getRandomValues(new Uint32Array(1))[0].toString().padStart(10, '0')}`;

/**
 * POST /checkout { openid, item }: JSAPI下单 for the payer `openid` (of WXPAY_APPID) and one item
 * of ITEMS, then the parameters the page hands to WeixinJSBridge / wx.requestPayment. The order is
 * kept in the ORDERS KV namespace: its amount is what a payment's notification must match. (A
 * real shop takes the payer's openid from its own session of them, not from the request body: a
 * wrong one only makes the payment fail, but it is the session that says who is buying.)
 */
async function checkout(request, env) {
  // Without ORDERS no payment could be checked against its order: the route stays off.
  if (!env.WXPAY_APPID || !env.WXPAY_NOTIFY_URL || !env.ORDERS) return json({ code: 'DISABLED', message: 'set WXPAY_APPID and WXPAY_NOTIFY_URL and bind the ORDERS KV namespace to enable /checkout' }, 403);
  let body;
  try {
    body = await request.json();
  } catch {
    return json({ code: 'BAD_REQUEST', message: 'the body must be JSON' }, 400);
  }
  const { openid, item } = typeof body === 'object' && body !== null ? body : {};
  if (typeof openid !== 'string' || !/^[\w-]{1,128}$/.test(openid)) return json({ code: 'BAD_REQUEST', message: 'openid: the payer\'s openid' }, 400);
  const goods = typeof item === 'string' && Object.hasOwn(ITEMS, item) ? ITEMS[item] : undefined;
  if (!goods) return json({ code: 'BAD_REQUEST', message: `item: one of ${Object.keys(ITEMS).join(', ')}` }, 400);
  const wxpay = await client(env);
  const out_trade_no = orderNumber();
  // Kept before it is placed: its payment's notification can come before this request ends.
  await env.ORDERS.put(out_trade_no, JSON.stringify({ total: goods.total, state: 'NOTPAY' }));
  try {
    const { data } = await wxpay.v3.pay.transactions.jsapi.post({
      appid: env.WXPAY_APPID, mchid: env.WXPAY_MCHID, description: goods.description, out_trade_no,
      notify_url: env.WXPAY_NOTIFY_URL, amount: { total: goods.total, currency: 'CNY' }, payer: { openid },
    });
    const params = await wxpay.jsapiParams({ appId: env.WXPAY_APPID, prepay_id: data.prepay_id });
    return json({ out_trade_no, params });
  } catch (err) {
    if (!(err instanceof WxpayError)) throw err;
    // The payer's page gets the code and the request id; the message (which may name the
    // service's host, a network error or the refusal's detail) stays in the log.
    console.warn(`order ${out_trade_no} not placed: ${err.code}: ${err.message}`);
    return json({ code: err.code, request_id: err.requestId }, 502);
  }
}

/** A payment's notification: for an order of ours (when ORDERS is bound) and its amount only. */
async function paid(env, resource) {
  const kept = await env.ORDERS?.get(resource.out_trade_no);
  if (env.ORDERS) {
    const order = kept === null ? null : JSON.parse(kept);
    // Thrown: answered 500, and WeChat Pay sends it again (a bug of ours, or not our order).
    if (!order || order.total !== resource.amount?.total) throw new Error(`unexpected payment for ${resource.out_trade_no}`);
    await env.ORDERS.put(resource.out_trade_no, JSON.stringify({ ...order, state: resource.trade_state, transaction_id: resource.transaction_id }));
  }
  return { paid: resource.out_trade_no, amount: resource.amount?.total };
}

/** What this merchant does with each event; what it returns is stored with the notification. */
async function handleEvent(env, { event_type, resource }) {
  switch (event_type) {
    case 'TRANSACTION.SUCCESS':
      return paid(env, resource);
    case 'MEMBERCARDSP.USER_CARD.CREATE':
      return { opened: `${resource.card_id}/${resource.user_card_code}` };
    case 'MEMBERCARDSP.USER_CARD.DELETE':
      return { deleted: `${resource.card_id}/${resource.user_card_code}` };
    default:
      return { ignored: event_type };
  }
}

async function notify(request, env) {
  const notifications = (await client(env)).notifications;
  let notification;
  try {
    // The Request itself: parse reads the raw body, which the signature covers.
    notification = await notifications.parse(request);
  } catch (err) {
    if (!(err instanceof WxpayError)) throw err;
    console.warn(`notification rejected: ${err.code}: ${err.message}`);
    // A fixed message: the answer goes to whoever posted, and err.message stays in the log.
    return notifications.failure('rejected', rejectionStatus(err.code));
  }
  // WeChat Pay retries until it gets a success, so the same id can arrive again: handle it once.
  // With a KV namespace bound as NOTIFICATIONS, each handled notification is kept by id. KV is
  // not atomic: two deliveries of one id at the same moment can both get past this check, so each
  // handler above is safe to run twice (an order's state set again). An effect that must happen
  // once (goods shipped, points credited) needs a Durable Object or a D1 row keyed by the id.
  const store = env.NOTIFICATIONS;
  if (store && (await store.get(notification.id)) !== null) return notifications.success();
  let outcome;
  try {
    outcome = await handleEvent(env, notification);
  } catch (err) {
    console.error(`notification ${notification.id} not handled: ${err.message}`);
    return notifications.failure('not handled', 500);
  }
  // Kept as long as WeChat Pay may send it again (its retries end within about a day), then
  // dropped: the record holds the payer's openid and amounts, which need not outlive that.
  await store?.put(notification.id, JSON.stringify({ ...notification, outcome }), { expirationTtl: HANDLED_TTL_SECONDS });
  return notifications.success();
}

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time (digests of equal length). */
async function authorized(request, env) {
  const token = env.ADMIN_TOKEN;
  if (!token) return false;
  const given = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
  const digest = async (s) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const [a, b] = await Promise.all([digest(given), digest(token)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

async function cards(request, env, pathname) {
  const match = pathname.match(/^\/card\/([^/]+)\/([^/]+)$/);
  if (!match) return json({ code: 'NOT_FOUND', message: 'use POST /checkout, /card/:card_id/:code or POST /notify' }, 404);
  if (!env.ADMIN_TOKEN) return json({ code: 'DISABLED', message: 'set the ADMIN_TOKEN secret to enable /card' }, 403);
  if (!(await authorized(request, env))) return json({ code: 'UNAUTHORIZED', message: 'Authorization: Bearer <ADMIN_TOKEN> required' }, 401);
  let card_id, code;
  try {
    [card_id, code] = match.slice(1).map(decodeURIComponent);
  } catch {
    return json({ code: 'BAD_REQUEST', message: 'malformed percent-encoding in the path' }, 400);
  }
  const memberCode = (await client(env)).v3.marketing.membercardOpen.cards._card_id_.codes._code_;
  try {
    if (request.method === 'GET') {
      const { data } = await memberCode.get({ card_id, code });
      return json(data);
    }
    if (request.method === 'PATCH') {
      let body;
      try {
        body = await request.json();
      } catch {
        return json({ code: 'BAD_REQUEST', message: 'the body must be JSON' }, 400);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return json({ code: 'BAD_REQUEST', message: 'the body must be a JSON object' }, 400);
      }
      const { status } = await memberCode.patch(body, { card_id, code });
      return new Response(null, { status });
    }
    return json({ code: 'METHOD_NOT_ALLOWED', message: 'GET or PATCH' }, 405);
  } catch (err) {
    if (!(err instanceof WxpayError)) throw err;
    // The service's own 4xx pass through; anything else (verification, network) is a bad gateway.
    const status = err.status >= 400 && err.status < 500 ? err.status : 502;
    return json({ code: err.code, message: err.message, request_id: err.requestId }, status);
  }
}

/**
 * The platform certificates WeChat Pay lists now, kept in CERTS for the isolates to come: each PEM
 * under its serial, none that has expired or been retired (its listed expire_time passed).
 * Resolves the serials kept.
 */
async function keepCertificates(wxpay, env) {
  // The list itself, now, verified as the client's own download is, and taken by the client:
  // `certificates()` alone downloads only while the client holds no downloaded certificate, so a
  // warm isolate would never see a certificate WeChat Pay lists ahead of a rotation.
  const { data } = await wxpay.v3.certificates.get();
  // A serial the client was given (from CERTS, or the secrets) is listed without its PEM: the
  // one given is kept.
  const pems = new Map();
  for (const [serial, pem] of Object.entries(withSecret(env, await keptCertificates(env)))) pems.set(serial.toUpperCase(), pem);
  for (const { serial, pem } of await wxpay.certificates()) if (pem) pems.set(serial.toUpperCase(), pem);
  const now = Date.now();
  const next = {};
  for (const { serial_no, expire_time } of data.data) {
    const serial = serial_no.toUpperCase();
    if (Date.parse(expire_time) > now && pems.has(serial)) next[serial] = pems.get(serial);
  }
  await env.CERTS.put(CERTS_KEY, JSON.stringify(next));
  return Object.keys(next);
}

/** The day before `time` in China (UTC+8), as a bill's `bill_date`: WeChat Pay has it ready from 10:00 there. */
const yesterdayInChina = (time) => new Date(time + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);

/** R2 takes a multipart upload's parts at one size, 5 MiB at least, but the last. */
const PART_BYTES = 5 * 1024 * 1024;

/**
 * The trade bill (交易账单) of `bill_date` into BILLS as `tradebill/<date>.csv`, streamed: the bill
 * is never whole in memory, and its length is not known ahead, so it goes up as a multipart
 * upload. Its digest is known only at its end, where the stream errors ERR_DIGEST_MISMATCH if it
 * does not match: the upload is then aborted, and nothing is kept under the key.
 */
async function keepTradeBill(wxpay, bucket, bill_date) {
  const key = `tradebill/${bill_date}.csv`;
  const { data } = await wxpay.v3.bill.tradebill.get({ params: { bill_date, tar_type: 'GZIP' } });
  const upload = await bucket.createMultipartUpload(key, { httpMetadata: { contentType: 'text/csv; charset=utf-8' } });
  let reader;
  try {
    reader = (await wxpay.download(data, { stream: true })).getReader();
    const parts = [];
    const part = new Uint8Array(PART_BYTES);
    let filled = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      for (let at = 0; at < read.value.length;) {
        const n = Math.min(PART_BYTES - filled, read.value.length - at);
        part.set(read.value.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === PART_BYTES) {
          parts.push(await upload.uploadPart(parts.length + 1, part.slice()));
          filled = 0;
        }
      }
    }
    // The stream ended without an error: the bill is whole and its digest matched.
    if (filled > 0 || parts.length === 0) parts.push(await upload.uploadPart(parts.length + 1, part.slice(0, filled)));
    await upload.complete(parts);
    return key;
  } catch (err) {
    // The bill's own error is the one thrown; the clean-up's are only logged.
    await reader?.cancel().catch(() => {});
    await upload.abort().catch((e) => console.error(`the upload of ${key} was not aborted: ${e}`));
    throw err;
  }
}

/** The nightly jobs, each when its binding is bound; a failed one fails the run (in the log). */
async function nightly(scheduledTime, env) {
  const jobs = [];
  try {
    const wxpay = await client(env);
    if (env.CERTS) jobs.push(keepCertificates(wxpay, env));
    if (env.BILLS) jobs.push(keepTradeBill(wxpay, env.BILLS, yesterdayInChina(scheduledTime)));
  } catch (err) {
    jobs.push(Promise.reject(err));
  }
  const failed = (await Promise.allSettled(jobs)).filter((o) => o.status === 'rejected').map((o) => o.reason);
  for (const err of failed) console.error(`nightly job failed: ${err instanceof WxpayError ? `${err.code}: ${err.message}` : err}`);
  if (failed.length > 0) throw new AggregateError(failed, 'nightly jobs failed');
}

export default {
  // Awaited to its end: workerd ends a scheduled run's I/O with the run.
  async scheduled(controller, env) {
    await nightly(controller.scheduledTime, env);
  },
  async fetch(request, env) {
    try {
      return await route(request, env);
    } catch (err) {
      // Logged for the operator; the caller learns nothing of the internals.
      console.error('unhandled', err);
      return json({ code: 'INTERNAL', message: 'internal error' }, 500);
    }
  },
};

async function route(request, env) {
  const { pathname } = new URL(request.url);
  if (pathname === '/notify') {
    if (request.method !== 'POST') return (await client(env)).notifications.failure('POST only', 405);
    return notify(request, env);
  }
  if (pathname === '/checkout') {
    if (request.method !== 'POST') return json({ code: 'METHOD_NOT_ALLOWED', message: 'POST' }, 405);
    return checkout(request, env);
  }
  return cards(request, env, pathname);
}
