// A WeChat Pay notification endpoint (支付/会员卡回调) on node:http with wxpay-wasm.
//   node notify.mjs            listens on $PORT (default 8080): POST /notify
// Configuration comes from the environment (see README.md in this folder), plus
// WXPAY_APIV3_KEY, the merchant's APIv3 key that notifications are encrypted with.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Wxpay, WxpayError } from 'wxpay-wasm';
import { Handled } from './records.mjs';

/** The most a notification body may hold here: WeChat Pay's are a few KB. */
export const MAX_NOTIFY_BYTES = 64 * 1024;

/**
 * The raw request body: the signature covers these exact bytes, so never re-serialise it.
 * Resolves `null` once it passes `limit` bytes (what is left of it is read and dropped), so
 * the public endpoint never holds more than that for one request.
 */
export function rawBody(req, limit = MAX_NOTIFY_BYTES) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : null));
    req.on('error', reject);
  });
}

/** Writes a fetch `Response` (what `notifications.success()` / `.failure()` give) to node:http. */
export async function writeResponse(res, response) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** 401 for a notification that is not WeChat Pay's, 400 for one that is but cannot be read. */
export function rejectionStatus(err) {
  return err.code === 'ERR_NOTIFY_DECRYPT' || err.code === 'ERR_NOTIFY_BODY' ? 400 : err.code?.startsWith('ERR_NOTIFY_') ? 401 : 500;
}

/**
 * A node:http handler for WeChat Pay notifications.
 * @param {Wxpay} wxpay  a client with `apiv3Key`
 * @param {object} hooks
 * @param {(notification) => unknown} hooks.onNotification  handles one verified, decrypted
 *   notification; throw to answer a failure, and WeChat Pay sends it again later
 * @param {(err: WxpayError) => void} [hooks.onRejected]  told about each rejected notification
 * @param {(err: unknown, notification) => void} [hooks.onFailed]  told about each notification
 *   `onNotification` failed to handle (its error stays here: the answer says only "not handled")
 */
export function notifyHandler(wxpay, {
  onNotification,
  onRejected = (e) => console.warn(`notification rejected: ${e.code}: ${e.message}`),
  onFailed = (e, n) => console.error(`notification ${n.id} not handled:`, e),
}) {
  return async (req, res) => {
    if (req.method !== 'POST') return writeResponse(res, wxpay.notifications.failure('POST only', 405));
    const body = await rawBody(req);
    if (body === null) return writeResponse(res, wxpay.notifications.failure('body too large', 413));
    let notification;
    try {
      notification = await wxpay.notifications.parse({ headers: req.headers, body });
    } catch (err) {
      if (!(err instanceof WxpayError)) throw err;
      onRejected(err);
      // A fixed message: the answer goes to whoever posted, and err.message stays in the log.
      return writeResponse(res, wxpay.notifications.failure('rejected', rejectionStatus(err)));
    }
    try {
      await onNotification(notification);
    } catch (err) {
      onFailed(err, notification);
      return writeResponse(res, wxpay.notifications.failure('not handled', 500));
    }
    return writeResponse(res, wxpay.notifications.success());
  };
}

// ---- run as a service ----
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const env = (name) => process.env[name] ?? (() => { throw new Error(`set ${name}`); })();
  const wxpay = new Wxpay({
    mchid: env('WXPAY_MCHID'),
    serial: env('WXPAY_SERIAL'),
    privateKey: readFileSync(env('WXPAY_PRIVATE_KEY_FILE')),
    certs: { [env('WXPAY_PLATFORM_SERIAL')]: readFileSync(env('WXPAY_PLATFORM_CERT_FILE')) },
    apiv3Key: env('WXPAY_APIV3_KEY'),
    // The same host as index.mjs: a rotated platform certificate is downloaded from it.
    baseURL: process.env.WXPAY_BASE_URL || undefined,
    timeout: 10_000,
  });
  // WeChat Pay retries until answered with success, so the same id can come more than once: each
  // is kept for as long as it may come again (records.mjs), then let go.
  const seen = new Handled();
  const handler = notifyHandler(wxpay, {
    onNotification({ id, event_type, summary = event_type, resource }) {
      // summary is optional in the envelope: the event type stands in for it.
      if (seen.has(id)) return;
      switch (event_type) {
        case 'TRANSACTION.SUCCESS':
          console.log(`${summary}: order ${resource.out_trade_no} paid ${resource.amount?.total} ${resource.amount?.currency}`);
          break;
        case 'MEMBERCARDSP.USER_CARD.CREATE':
        case 'MEMBERCARDSP.USER_CARD.DELETE':
          // Not the member's openid: logs are read more widely than the database.
          console.log(`${summary}: card ${resource.card_id} code ${resource.user_card_code}`);
          break;
        default:
          console.log(`${event_type}: ${summary}`);
      }
      seen.add(id);
    },
  });
  const server = http.createServer((req, res) => {
    // The path, in origin form (`/notify`) or absolute form (`http://host/notify`, as a proxy may
    // relay it); a request target no URL parser takes (`http://[`) is a 404 like any other, not an
    // exception that ends the process.
    let path;
    try {
      path = new URL(req.url, 'http://x').pathname;
    } catch {
      return void res.writeHead(404).end();
    }
    if (path !== '/notify') return void res.writeHead(404).end();
    handler(req, res).catch((err) => { console.error(err); if (!res.headersSent) res.writeHead(500); res.end(); });
  });
  // PORT=0: a free port, printed.
  server.listen(Number(process.env.PORT ?? 8080), () => console.log(`POST http://localhost:${server.address().port}/notify`));
}
