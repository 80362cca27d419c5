// Orders and sensitive fields: what the README's payment and 敏感信息 snippets call.
// POST /v3/pay/transactions/jsapi and /app answer a prepay_id for a well-formed order;
// POST /v3/profitsharing/receivers/add takes `name` RSAES-OAEP (SHA-1) encrypted under the
// platform key its Wechatpay-Serial names, and answers it encrypted under the merchant's key.
import crypto from 'node:crypto';

const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
const paramError = (message, field) => ({ status: 400, json: { code: 'PARAM_ERROR', message, detail: { field, location: 'body' } } });
const str = (v) => typeof v === 'string' && v !== '';

/**
 * `route(req, path, body)` answers these two routes (or returns undefined).
 * `decrypter(serial)` is the private key of a platform serial or public key id, or null.
 */
export function paymentRoutes({ mchid, merchantPublic, decrypter }) {
  const prepays = new Map(); // prepay_id -> the order

  /** A JSAPI order (a payer's openid required) or an APP order (none). */
  function order(kind, order) {
    for (const f of ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url'])
      if (!str(order[f])) return paramError(`${f} is required`, f);
    if (order.mchid !== mchid) return paramError('mchid does not match the signing merchant', 'mchid');
    if (!Number.isSafeInteger(order.amount?.total) || order.amount.total < 1) return paramError('amount.total must be a positive integer', 'amount.total');
    if (kind === 'jsapi' && !str(order.payer?.openid)) return paramError('payer.openid is required', 'payer.openid');
    const prepay_id = `wx${crypto.randomBytes(16).toString('hex')}`;
    prepays.set(prepay_id, { kind, ...order });
    return { status: 200, json: { prepay_id } };
  }

  function addReceiver(req, data) {
    for (const f of ['appid', 'type', 'account', 'relation_type']) if (!str(data[f])) return paramError(`${f} is required`, f);
    if (data.name === undefined) return { status: 200, json: { type: data.type, account: data.account, relation_type: data.relation_type } };
    const serial = req.headers['wechatpay-serial'];
    const key = serial === undefined ? null : decrypter(serial);
    if (!key) return paramError('an encrypted field needs the Wechatpay-Serial header of the key that encrypted it', 'Wechatpay-Serial');
    let name;
    try { name = crypto.privateDecrypt({ key, ...OAEP }, Buffer.from(data.name, 'base64')).toString('utf8'); }
    catch { return paramError('name does not decrypt under the platform key', 'name'); }
    // The answer's sensitive field, encrypted for the merchant.
    const sealed = crypto.publicEncrypt({ key: merchantPublic(), ...OAEP }, Buffer.from(name, 'utf8')).toString('base64');
    return { status: 200, json: { type: data.type, account: data.account, relation_type: data.relation_type, name: sealed } };
  }

  function route(req, path, body) {
    const routes = ['/v3/pay/transactions/jsapi', '/v3/pay/transactions/app', '/v3/profitsharing/receivers/add'];
    if (req.method !== 'POST' || !routes.includes(path)) return undefined;
    let data;
    try { data = JSON.parse(body.toString('utf8')); } catch { return paramError('body is not JSON', ''); }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return paramError('body must be a JSON object', '');
    if (path === '/v3/profitsharing/receivers/add') return addReceiver(req, data);
    return order(path.endsWith('/app') ? 'app' : 'jsapi', data);
  }
  return { route, prepays };
}
