// The sandbox: an HTTP server on 127.0.0.1 that verifies every API request's signature,
// serves the membercard-open member-code calls plus diagnostic routes, signs every answer,
// and misbehaves on demand. README.md lists routes and modes.
import http from 'node:http';
import crypto from 'node:crypto';
import { verifyRequest } from './auth.mjs';
import { signedAnswer, MODES } from './answer.mjs';
import { generateKeys, keyObjects, randomRsaKeyPair, randomSerial } from './keys.mjs';
import { selfSignedCertificate } from './x509.mjs';
import { seedCards, validatePatch, applyPatch } from './cards.mjs';
import { fileRoutes, signedUploadBody } from './files.mjs';
import { at, jsonObject, paymentRoutes, str } from './payments.mjs';
import { transferRoutes } from './transfers.mjs';
import { payscoreRoutes } from './payscore.mjs';
import { complaintRoutes } from './complaints.mjs';
import { buildNotification, postNotification, randomApiV3Key, encryptResource } from './notify.mjs';

const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const CORS_ALLOW = 'authorization, content-type, accept, wechatpay-serial, user-agent';
const CORS_EXPOSE = 'request-id, wechatpay-timestamp, wechatpay-nonce, wechatpay-signature, wechatpay-serial, wechatpay-statement-sha1';

const ERROR_CODES = {
  400: 'PARAM_ERROR', 401: 'SIGN_ERROR', 403: 'NO_AUTH', 404: 'RESOURCE_NOT_EXISTS',
  429: 'RATELIMIT_EXCEEDED', 500: 'SYSTEM_ERROR', 502: 'SERVICE_UNAVAILABLE', 503: 'SERVICE_UNAVAILABLE',
};

const JSON_UTF8 = 'application/json; charset=utf-8';
const json = (status, value, contentType = JSON_UTF8) =>
  ({ status, body: Buffer.from(JSON.stringify(value), 'utf8'), contentType });
const error = (status, code, message, detail) =>
  json(status, detail ? { code, message, detail } : { code, message }, 'application/json');
const empty = (status = 204) => ({ status, body: Buffer.alloc(0) });
const notFound = (path) => error(404, 'RESOURCE_NOT_EXISTS', `no such resource: ${path}`);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// Query as an object; a repeated key becomes an array of its values.
function queryObject(rawQuery) {
  const out = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) out[k] = k in out ? [].concat(out[k], v) : v;
  return out;
}

/**
 * Start a sandbox (see README.md).
 * @param {object} [opts]
 * @param {number} [opts.port=0]
 * @param {string} [opts.mchid='1900000109']
 * @param {string[]} [opts.subMchids=['1900000110']]  the sub-merchants of this merchant as a partner (服务商)
 * @param {string} [opts.cors]  the one Origin allowed cross-origin access
 * @param {object} [opts.keys]  { mchid, merchant, platform, pubkey, apiv3Key? } from a previous run
 * @param {(entry: object) => void} [opts.onRequest]  called once each API request is answered
 * @param {number} [opts.keepAliveMs]  idle keep-alive before the server closes a connection
 * @param {string} [opts.publicBaseURL]  the host it answers for in download URLs (default: its own
 *   address), e.g. 'https://api.mch.weixin.qq.com/' when the caller's fetch routes that host here
 */
export async function startSandbox(opts = {}) {
  const { port = 0, cors, onRequest } = opts;
  const mchid = opts.mchid ?? opts.keys?.mchid ?? '1900000109';
  const subMchids = opts.subMchids ?? ['1900000110'];
  const keys = opts.keys ? { ...opts.keys, mchid } : generateKeys(mchid);
  const ko = keyObjects(keys);
  // The merchant's APIv3 key: notifications are encrypted with it.
  const apiv3Key = opts.keys?.apiv3Key ?? randomApiV3Key();
  let forgerKey; // made lazily: only 'forged' needs it, and RSA generation is slow
  const forger = () => (forgerKey ??= randomRsaKeyPair().privateKey);

  const requests = [];
  // Uploads, bills, statements, downloads (files.mjs).
  const fileRouting = fileRoutes({ baseURL: () => opts.publicBaseURL ?? sb.baseURL, merchantPublic: () => ko.merchantPublic, signer: () => signer(), billQuery: () => sb.billQuery });
  const fileRoute = fileRouting.route;
  // The private key of a platform serial or public key id (a request's Wechatpay-Serial), or null:
  // as the service, any listed certificate in effect (an older one too, until it expires or is
  // retired), not only the newest.
  const decrypter = (serial) => {
    if (serial === keys.pubkey.id) return ko.pubkeyPrivate;
    const entry = listed.find((c) => c.serial === serial);
    if (!entry) return null;
    const x = new crypto.X509Certificate(entry.certificate);
    const until = Math.min(Date.parse(x.validTo), entry.expireTime ? new Date(entry.expireTime).getTime() : Infinity);
    return Date.parse(x.validFrom) <= Date.now() && Date.now() < until ? entry.privateKey : null;
  };
  // Orders and sensitive fields (payments.mjs).
  const payments = paymentRoutes({
    mchid, subMchids, merchantPublic: () => ko.merchantPublic,
    decrypter,
  });
  // 商家转账 (transfers.mjs).
  const transfers = transferRoutes({
    mchid, merchantPublic: () => ko.merchantPublic,
    decrypter,
  });
  // 微信支付分 service orders (payscore.mjs): one service of the merchant's.
  const serviceId = opts.serviceId ?? `2002${crypto.randomInt(1e9).toString().padStart(9, '0')}${crypto.randomInt(1e9).toString().padStart(9, '0')}`;
  const payscore = payscoreRoutes({ mchid, serviceId, subMchids, payscorePaid: payments.payscorePaid, encryptedParts: fileRouting.encryptedParts });
  // 消费者投诉 (complaints.mjs): about the merchant's paid orders, and its sub-merchants'.
  const complaints = complaintRoutes({
    mchid, subMchids, merchantPublic: () => ko.merchantPublic, baseURL: () => opts.publicBaseURL ?? sb.baseURL, media: fileRouting.media,
    orderOf: (no, sub_mchid) => payments.orders.get(at(sub_mchid, no)),
    refundedOf: (transaction_id) => [...payments.refunds.values()]
      .filter((r) => r.transaction_id === transaction_id && r.status === 'SUCCESS')
      .reduce((sum, r) => sum + r.amount.refund, 0),
  });
  const notifications = []; // one entry per notification posted: { url, event_type, mode, status, body }
  const cards = seedCards();
  const pending = []; // misbehaviour queue: [{ mode, left }]
  let answerKey = 'platform';
  let counter = 0;
  // The platform certificates /v3/certificates lists (newest last), each with its private key;
  // answers are signed by the last.
  const listed = [{ serial: keys.platform.serial, certificate: keys.platform.certificate, privateKey: ko.platformPrivate }];
  const original = { platform: keys.platform, privateKey: ko.platformPrivate };

  /**
   * Rotate the platform certificate: a new key and certificate (valid from now, or already
   * expired with `expired: true`) are listed by /v3/certificates and sign every answer from now on.
   * With `upcoming: true` the new certificate takes effect in 7 days: it is listed, nothing is
   * signed with it, and the current one stays (returned: the new one).
   */
  function rotate({ expired = false, upcoming = false } = {}) {
    const pair = randomRsaKeyPair();
    const serial = randomSerial();
    const notBefore = expired ? new Date(Date.now() - 30 * 86400e3) : upcoming ? new Date(Date.now() + 7 * 86400e3) : new Date(Date.now() - 60e3);
    const certificate = selfSignedCertificate({ serial, ...pair, notBefore, days: expired ? 10 : 5 * 365 });
    if (upcoming) {
      listed.push({ serial, certificate, privateKey: pair.privateKey });
      return { serial, certificate, privateKeyPkcs8: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) };
    }
    keys.platform = {
      serial, certificate,
      privateKeyPkcs8: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      publicKeySpki: pair.publicKey.export({ type: 'spki', format: 'pem' }),
    };
    ko.platformPrivate = pair.privateKey;
    listed.push({ serial, certificate, privateKey: pair.privateKey });
    return keys.platform;
  }

  /**
   * Retire a listed certificate early, as WeChat Pay does ahead of a rotation: its listed
   * `expire_time` becomes `at` (default: now), its PEM (and notAfter) unchanged. reset() undoes it.
   */
  function retire(serial, at = new Date()) {
    const entry = listed.find((c) => c.serial === serial);
    if (!entry) throw new TypeError(`no listed certificate ${serial}`);
    entry.expireTime = at;
  }

  function certificateList() {
    const x = (pem) => new crypto.X509Certificate(pem);
    const rfc3339 = (d) => new Date(new Date(d).getTime() + 8 * 3600e3).toISOString().replace(/\.\d{3}Z$/, '+08:00');
    return {
      data: listed.map(({ serial, certificate, expireTime }) => ({
        serial_no: serial,
        effective_time: rfc3339(x(certificate).validFrom),
        expire_time: rfc3339(expireTime ?? x(certificate).validTo),
        encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', associated_data: 'certificate', ...encryptResource(apiv3Key, certificate, 'certificate') },
      })),
    };
  }

  const signer = () => answerKey === 'pubkey'
    ? { privateKey: ko.pubkeyPrivate, serial: keys.pubkey.id }
    : { privateKey: ko.platformPrivate, serial: keys.platform.serial };

  function misbehave(mode, count = 1) {
    if (!MODES.includes(mode)) throw new TypeError(`unknown misbehaviour mode ${mode}; one of ${MODES.join(', ')}`);
    if (!Number.isSafeInteger(count) || count < 1) throw new TypeError('count must be a positive integer');
    pending.push({ mode, left: count });
  }
  function takeMode() {
    if (!pending.length) return null;
    const head = pending[0];
    if (--head.left === 0) pending.shift();
    return head.mode;
  }
  function reset() {
    requests.length = 0;
    notifications.length = 0;
    pending.length = 0;
    seedCards(cards);
    payments.clear();
    transfers.clear();
    payscore.clear();
    complaints.clear();
    keys.platform = original.platform;
    ko.platformPrivate = original.privateKey;
    listed.splice(0, listed.length, { serial: keys.platform.serial, certificate: keys.platform.certificate, privateKey: ko.platformPrivate });
    sb.billQuery = {};
  }

  // Notifications are signed by the same key as answers (see answerKey).
  const notifyKeys = () => ({ apiv3Key, signer: signer(), forger });
  async function notify(url, o = {}) {
    const result = await postNotification(notifyKeys(), url, o);
    notifications.push({ url, event_type: o.event_type, mode: result.sent.mode, id: result.sent.envelope.id, status: result.status, body: result.body });
    return result;
  }

  /** Posts a complaint's event (complaints.mjs) to the complaint notification URL, if `post` and one is set. */
  async function complaintEvent({ event, complaint_id }, post) {
    const url = complaints.notifyUrl;
    const resource = { complaint_id, action_type: event.action_type };
    const notification = post && url !== undefined ? await notify(url, { event_type: event.event_type, resource }) : undefined;
    return { complaint_id, action_type: event.action_type, notification };
  }

  // ---- API routes (the request is already verified) ----
  async function route(req, res, path, rawQuery, body, entry) {
    const { method } = req;
    const query = queryObject(rawQuery);
    const file = fileRoute(req, path, query, body);
    if (file) return file.json ? json(file.status, file.json) : file;
    let payment;
    try { payment = payments.route(req, path, body, query) ?? transfers.route(req, path, body) ?? payscore.route(req, path, body, query) ?? complaints.route(req, path, body, query); }
    catch (e) {
      if (e instanceof URIError) return error(400, 'PARAM_ERROR', 'malformed percent-encoding in path', { field: 'path', location: 'uri' });
      throw e;
    }
    if (payment) {
      // A complaint's notification of the merchant's own action goes out before the call is answered.
      for (const told of payment.notify ?? []) await complaintEvent(told, true);
      return payment.status === 204 ? empty(204) : json(payment.status, payment.json);
    }
    let m;
    if ((m = /^\/v3\/marketing\/membercard-open\/cards\/([^/]+)\/codes\/([^/]+)$/.exec(path)) && ['GET', 'PATCH'].includes(method)) {
      let cardId, code;
      try { [cardId, code] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])]; }
      catch { return error(400, 'PARAM_ERROR', 'malformed percent-encoding in path', { field: 'path', location: 'uri' }); }
      if (method === 'GET') {
        const card = cards[cardId]?.[code];
        return card ? json(200, card) : error(404, 'RESOURCE_NOT_EXISTS', '会员卡不存在 (no such card code)');
      }
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json')
        return error(400, 'PARAM_ERROR', 'Content-Type must be application/json', { field: 'Content-Type', location: 'header' });
      let data;
      try { data = JSON.parse(body.toString('utf8')); }
      catch (e) { return error(400, 'PARAM_ERROR', `body is not valid JSON: ${e.message}`, { field: '', location: 'body' }); }
      const problem = validatePatch(data);
      if (problem) return error(400, 'PARAM_ERROR', problem.message, { field: problem.field, location: 'body' });
      const card = cards[cardId]?.[code];
      if (!card) return error(404, 'RESOURCE_NOT_EXISTS', '会员卡不存在 (no such card code)');
      applyPatch(card, data);
      return empty(204);
    }
    if (path === '/v3/certificates' && method === 'GET') return json(200, certificateList());
    if ((m = /^\/v3\/brand\/partner\/store\/brandstores\/([^/]+)$/.exec(path)) && method === 'DELETE') {
      // 删除品牌门店: a DELETE whose JSON body names the brand (brand_id), answered 204.
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const { data } = type === 'application/json' ? jsonObject(body) : {};
      if (!str(data?.brand_id)) return error(400, 'PARAM_ERROR', '缺少参数 brand_id (a JSON body naming brand_id is required)', { field: 'brand_id', location: 'body' });
      return empty(204);
    }
    if (/^\/v3\/sandbox\/echo(\/.*)?$/.test(path) && ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
      return json(200, { method, url: req.url, query, body: body.toString('utf8'), headers: req.headers });
    }
    if (path === '/v3/sandbox/status/502-html') {
      // What a gateway in front of the API sends: HTML, no JSON, no signature.
      return { status: 502, contentType: 'text/html', unsigned: true,
        body: Buffer.from('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n') };
    }
    if ((m = /^\/v3\/sandbox\/status\/(\d{3})$/.exec(path))) {
      const status = Number(m[1]);
      if (status === 204 || status === 205) return empty(status);
      if (status >= 200 && status < 300) return json(status, { status });
      if (status >= 400 && status < 600) {
        const code = ERROR_CODES[status] ?? (status < 500 ? 'INVALID_REQUEST' : 'SYSTEM_ERROR');
        return error(status, code, `sandbox status ${status}: ${http.STATUS_CODES[status] ?? ''}`.trim(),
          { field: 'x', value: 'y', issue: 'z', location: 'body' });
      }
      return notFound(path);
    }
    if (path === '/v3/sandbox/slow' && method === 'GET') {
      const ms = Math.min(Math.max(Number(new URLSearchParams(rawQuery).get('ms')) || 0, 0), 120_000);
      let gone = false;
      await new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        // Nothing has been written yet, so 'close' here means the client went away.
        res.once('close', () => { gone = true; clearTimeout(t); resolve(); });
      });
      if (gone) { entry.aborted = true; return null; }
      return json(200, { ok: true });
    }
    return notFound(path);
  }

  // ---- out-of-process control (unsigned, unrecorded) ----
  async function control(req, path, body) {
    const input = () => { try { return JSON.parse(body.toString('utf8') || '{}'); } catch { return {}; } };
    try {
      if (path === '/__sandbox/misbehave' && req.method === 'POST') {
        const { mode, count = 1 } = input();
        misbehave(mode, count);
        return json(200, { ok: true, pending });
      }
      if (path === '/__sandbox/reset' && req.method === 'POST') { reset(); return json(200, { ok: true }); }
      if (path === '/__sandbox/notify' && req.method === 'POST') {
        const { url, ...o } = input();
        if (typeof url !== 'string') throw new TypeError('url must be a string');
        const r = await notify(url, o);
        return json(200, { status: r.status, headers: r.headers, body: r.body,
          sent: { headers: r.sent.headers, body: r.sent.body.toString('utf8'), envelope: r.sent.envelope, plaintext: r.sent.plaintext, mode: r.sent.mode } });
      }
      if (path === '/__sandbox/answer-key' && req.method === 'POST') { sb.answerKey = input().answerKey; return json(200, { ok: true, answerKey }); }
      if (path === '/__sandbox/requests' && req.method === 'GET')
        return json(200, requests.map((r) => ({ ...r, body: r.body.toString('utf8'), bodyBase64: r.body.toString('base64') })));
      if (path === '/__sandbox/cards' && req.method === 'GET') return json(200, cards);
    } catch (e) {
      return error(400, 'PARAM_ERROR', e.message);
    }
    return notFound(path);
  }

  function corsHeaders(req) {
    if (!cors || req.headers.origin !== cors) return {};
    return { 'Access-Control-Allow-Origin': cors, 'Access-Control-Expose-Headers': CORS_EXPOSE, Vary: 'Origin' };
  }

  // Write one answer; `sign` adds the four Wechatpay-* headers, bent by `mode` if given.
  function send(res, requestId, answer, extraHeaders, sign = false, mode = null) {
    const out = sign ? signedAnswer(answer, signer(), mode, forger) : answer;
    const headers = { 'Request-ID': requestId, ...extraHeaders, ...out.headers };
    // 204 carries no body and, per RFC 9110, no Content-Length either.
    if (out.status !== 204 && out.status !== 205) {
      if (out.contentType) headers['Content-Type'] = out.contentType;
      headers['Content-Length'] = String(out.body.length);
    }
    res.writeHead(out.status, headers);
    res.end(out.status === 204 || out.status === 205 ? undefined : out.body);
    return out.status;
  }

  async function handle(req, res) {
    const requestId = `sbx-${++counter}-${crypto.randomBytes(6).toString('hex')}`;
    const body = await readBody(req);
    const q = req.url.indexOf('?');
    const [path, rawQuery] = q < 0 ? [req.url, ''] : [req.url.slice(0, q), req.url.slice(q + 1)];
    const ch = corsHeaders(req);

    if (req.method === 'OPTIONS') { // preflight: neither checked nor recorded
      const pre = cors && req.headers.origin === cors
        ? { ...ch, 'Access-Control-Allow-Methods': CORS_METHODS, 'Access-Control-Allow-Headers': CORS_ALLOW, 'Access-Control-Max-Age': '600' }
        : {};
      return send(res, requestId, empty(204), pre);
    }
    if (path.startsWith('/__sandbox/')) return send(res, requestId, await control(req, path, body), ch);

    const entry = { method: req.method, url: req.url, headers: { ...req.headers }, body, auth: null, verified: false, reason: null, status: null, requestId };
    requests.push(entry);
    // An upload is signed over the text of its meta part, not over the multipart body.
    const type = req.headers['content-type'] ?? '';
    const signed = /^multipart\/form-data/i.test(type) ? signedUploadBody(body, type) ?? Buffer.alloc(0) : body;
    Object.assign(entry, verifyRequest({ method: req.method, url: req.url, headers: req.headers, body: signed },
      { mchid, serial: keys.merchant.serial, publicKey: ko.merchantPublic }));

    let answer;
    const wantSerial = req.headers['wechatpay-serial'];
    if (!entry.verified) answer = error(401, 'SIGN_ERROR', entry.reason);
    else if (wantSerial !== undefined && !listed.some((c) => c.serial === wantSerial) && wantSerial !== keys.pubkey.id)
      answer = error(400, 'PARAM_ERROR', `Wechatpay-Serial ${wantSerial} names no platform certificate or public key`, { field: 'Wechatpay-Serial', location: 'header' });
    else answer = await route(req, res, path, rawQuery, body, entry);
    if (!answer) return onRequest?.(entry); // client went away: nothing to send

    // Misbehaviour only ever replaces answers that would have been 2xx.
    let mode = null;
    if (answer.status >= 200 && answer.status < 300) mode = takeMode();
    entry.misbehaviour = mode;
    if (mode === 'reset') { entry.status = 0; req.socket.destroy(); return onRequest?.(entry); }
    let extra = ch;
    if (mode === 'error-500') [answer, mode] = [error(500, 'SYSTEM_ERROR', 'sandbox misbehaviour error-500: 系统错误'), null];
    if (mode === 'error-503') [answer, mode] = [error(503, 'SERVICE_UNAVAILABLE', 'sandbox misbehaviour error-503'), null];
    if (mode === 'error-429') [answer, mode, extra] = [error(429, 'FREQUENCY_LIMITED', 'sandbox misbehaviour error-429'), null, { ...ch, 'Retry-After': '1' }];
    entry.status = send(res, requestId, answer, extra, !answer.unsigned, mode);
    onRequest?.(entry);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json', 'Request-ID': `sbx-bug-${++counter}` });
      res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: `sandbox bug: ${e.stack ?? e}` }));
    });
  });
  if (opts.keepAliveMs) server.keepAliveTimeout = opts.keepAliveMs;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

  const sb = {
    baseURL: `http://127.0.0.1:${server.address().port}/`,
    mchid,
    merchant: keys.merchant,
    get platform() { return keys.platform; },
    pubkey: keys.pubkey,
    apiv3Key,
    certs: { [keys.platform.serial]: keys.platform.certificate, [keys.pubkey.id]: keys.pubkey.publicKeySpki },
    /** Bill test knobs (`sandbox_size`, `sandbox_rows`, `sandbox_hash`) for every bill request, as if in its query (which wins); reset() empties it. */
    billQuery: {},
    get answerKey() { return answerKey; },
    set answerKey(v) {
      if (v !== 'platform' && v !== 'pubkey') throw new TypeError(`answerKey must be 'platform' or 'pubkey', not ${v}`);
      answerKey = v;
    },
    requests,
    notifications,
    cards,
    /** The sub-merchants (sub_mchid) of this merchant as a partner (服务商): a partner's orders name one. */
    subMchids,
    prepays: payments.prepays,
    orders: payments.orders,
    refunds: payments.refunds,
    receivers: payments.receivers,
    profitSharing: payments.shares,
    /** How long after its payment an order can be shared (default 0): the service refuses sooner (INVALID_REQUEST). */
    get profitSharingDelayMs() { return payments.timing.shareAfterMs; },
    set profitSharingDelayMs(ms) {
      if (!Number.isSafeInteger(ms) || ms < 0) throw new TypeError('profitSharingDelayMs must be a whole number of ms, 0 or more');
      payments.timing.shareAfterMs = ms;
    },
    /**
     * Plays the payer of the unpaid order `out_trade_no` (a partner's sub-merchant's with
     * `sub_mchid`): it becomes SUCCESS, with a transaction_id. With `notify` (the default), posts
     * its TRANSACTION.SUCCESS notification (the order as the query answers it) to the order's
     * notify_url, as notify() does. Resolves { transaction, notification } (notification:
     * notify()'s result, or undefined).
     */
    async pay(out_trade_no, { notify: post = true, sub_mchid } = {}) {
      const { transaction, notify_url } = payments.pay(out_trade_no, sub_mchid);
      const notification = post ? await notify(notify_url, { event_type: 'TRANSACTION.SUCCESS', resource: transaction }) : undefined;
      return { transaction, notification };
    },
    /** 合单: combine_out_trade_no -> the combined order (its sub-orders are in `orders`, as `<sub_mchid>/<no>` for a sub-merchant's). */
    combines: payments.combines,
    /**
     * Plays the payer of the unpaid combined order `combine_out_trade_no`: every sub-order becomes
     * SUCCESS, each with a transaction_id. With `notify` (the default), posts its TRANSACTION.SUCCESS
     * notification (the combined order as its query answers it) to its notify_url. Resolves
     * { resource, notification }.
     */
    async payCombine(combine_out_trade_no, { notify: post = true } = {}) {
      const { resource, notify_url } = payments.payCombine(combine_out_trade_no);
      const notification = post ? await notify(notify_url, { event_type: 'TRANSACTION.SUCCESS', resource }) : undefined;
      return { resource, notification };
    },
    /**
     * The refund `out_refund_no` (PROCESSING; a sub-merchant's with `sub_mchid`) ends `status`:
     * SUCCESS (the default), ABNORMAL or CLOSED. With `notify` (the default) and a notify_url in its
     * request, posts its REFUND.<status> notification there. Resolves { resource, notification }.
     */
    async settleRefund(out_refund_no, { notify: post = true, sub_mchid, status = 'SUCCESS' } = {}) {
      const { resource, notify_url } = payments.settleRefund(out_refund_no, sub_mchid, status);
      const notification = post && notify_url !== undefined ? await notify(notify_url, { event_type: `REFUND.${status}`, resource }) : undefined;
      // A complaint about the order hears of it once the order is refunded in full (complaints.mjs).
      const told = status === 'SUCCESS' ? complaints.refunded(resource.transaction_id) : [];
      const complaintNotifications = [];
      for (const event of told) complaintNotifications.push(await complaintEvent(event, post));
      return { resource, notification, complaintNotifications };
    },
    /**
     * The profit-sharing order `out_order_no` (PROCESSING; a sub-merchant's with `sub_mchid`)
     * finishes: every receiver SUCCESS. Returns it as its query answers it.
     */
    settleProfitSharing: (out_order_no, { sub_mchid } = {}) => payments.settleProfitSharing(out_order_no, sub_mchid),
    /**
     * 微信支付分: the merchant's service (service_id; a partner's, for its sub-merchants too), and
     * out_order_no (`<sub_mchid>/<out_order_no>` for a sub-merchant's) -> the service order as its
     * query answers it.
     */
    serviceId,
    serviceOrders: payscore.orders,
    /**
     * Plays the payer confirming the service order `out_order_no` (CREATED; a sub-merchant's with
     * `sub_mchid`) in WeChat as `openid` (or `sub_openid`, for an order under a sub_appid):
     * DOING, USER_CONFIRM. With `notify` (the default), posts PAYSCORE.USER_CONFIRM (the order as its
     * query answers it) to its notify_url. Resolves { resource, notification, query_id } (query_id:
     * what the mini program's return carries, which the query takes in place of out_order_no).
     */
    async confirmServiceOrder(out_order_no, { openid, sub_openid, notify: post = true, sub_mchid } = {}) {
      const { resource, notify_url, query_id } = payscore.confirm(out_order_no, { openid, sub_openid }, sub_mchid);
      const notification = post ? await notify(notify_url, { event_type: 'PAYSCORE.USER_CONFIRM', resource }) : undefined;
      return { resource, notification, query_id };
    },
    /**
     * Plays WeChat Pay collecting what the completed service order `out_order_no` (a sub-merchant's
     * with `sub_mchid`) owes, in one
     * payment or in `parts` (amounts that add up to it): DONE, USER_PAID, each payment with a
     * transaction_id the refund routes take. With `notify` (the default), posts
     * PAYSCORE.USER_PAID to its notify_url. Resolves { resource, notification }.
     */
    async collectServiceOrder(out_order_no, { notify: post = true, parts, sub_mchid } = {}) {
      const { resource, notify_url } = payscore.collect(out_order_no, parts, sub_mchid);
      const notification = post ? await notify(notify_url, { event_type: 'PAYSCORE.USER_PAID', resource }) : undefined;
      return { resource, notification };
    },
    /** The unconfirmed service order `out_order_no` (a sub-merchant's with `sub_mchid`) lapses: EXPIRED. Returns it. */
    expireServiceOrder: (out_order_no, { sub_mchid } = {}) => payscore.expire(out_order_no, sub_mchid),
    /** 消费者投诉: complaint_id -> the complaint (`$` fields the sandbox's own), and the URL its notifications go to. */
    complaints: complaints.complaints,
    get complaintNotifyUrl() { return complaints.notifyUrl; },
    /**
     * Plays a payer complaining about the merchant's paid order `out_trade_no` (a sub-merchant's
     * with `sub_mchid`) ({ sub_mchid, problem_type, detail, phone, images, apply_refund_amount }:
     * complaints.mjs). With `notify`
     * (the default) and a URL set through complaint-notifications, posts COMPLAINT.CREATE there.
     * Resolves { complaint_id, action_type, notification }.
     */
    async complain(out_trade_no, { notify: post = true, ...how } = {}) {
      return complaintEvent(complaints.complain(out_trade_no, how), post);
    },
    /** Plays the payer writing on the complaint (USER_RESPONSE), posted as complain() posts. Resolves { complaint_id, action_type, notification }. */
    async complaintMessage(complaint_id, text, { notify: post = true } = {}) {
      return complaintEvent(complaints.message(complaint_id, text), post);
    },
    /** 商家转账: out_bill_no -> the transfer bill as its query answers it. */
    transferBills: transfers.bills,
    /**
     * The payee and the bank: the transfer bill `out_bill_no` waiting for the user becomes `state`
     * (SUCCESS, the default, or FAIL with `fail_reason`); a CANCELING one CANCELLED. With `notify`
     * (the default) and a notify_url in its request, posts MCHTRANSFER.BILL.FINISHED there.
     * Resolves { resource, notification }.
     */
    async settleTransfer(out_bill_no, { notify: post = true, ...how } = {}) {
      const { resource, notify_url } = transfers.settle(out_bill_no, how);
      const notification = post && notify_url !== undefined ? await notify(notify_url, { event_type: 'MCHTRANSFER.BILL.FINISHED', resource }) : undefined;
      return { resource, notification };
    },
    /** Build a signed, encrypted notification without sending it: { headers, body, envelope, plaintext, mode }. */
    notification: (o) => buildNotification(notifyKeys(), o),
    /** POST a notification to `url`: { status, headers, body, json, sent }. */
    notify,
    misbehave,
    reset,
    rotate,
    retire,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      });
    },
  };
  return sb;
}
