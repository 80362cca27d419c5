// Files in and out, as the service handles them: uploads (multipart/form-data, signed over the
// text of their `meta` part), bills behind a download_url (plain, GZIP, encrypted sub-merchant
// parts), statements signed over {"sha1":"<Wechatpay-Statement-Sha1>"}, and the unsigned downloads.
import crypto from 'node:crypto';
import zlib from 'node:zlib';

/** The documented upload routes (the 14 that consume multipart/form-data), `{x}` any segment. */
export const UPLOAD_ROUTES = [
  'v3/merchant/media/upload', 'v3/merchant/media/video_upload', 'v3/merchant-service/images/upload',
  'v3/global/merchant-service/images/upload', 'v3/global/merchant-storage/file/upload',
  'v3/marketing/favor/media/image-upload', 'v3/marketing/partner/product-coupon/media/upload-image',
  'v3/marketing/shopping-receipt/shoppingreceipts', 'v3/marketing/bank/packages/{x}/tasks',
  'v3/ecommerce/account/cancel-applications/media', 'v3/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file',
  'v3/taxi-invoice/cards/upload-file', 'v3/mch-manage/submission-files/sub-mchid/{x}/upload',
  'v3/mch-operation-manage/enhanced-due-diligence/{x}/upload',
];
const uploadRe = new RegExp(`^/(?:${UPLOAD_ROUTES.map((r) => r.replace(/[.]/g, '\\.').replace('{x}', '[^/]+')).join('|')})$`);
export const isUpload = (path) => uploadRe.test(path);

/** Parts of a multipart/form-data body: [{ name, filename, type, body }], or null if malformed. */
export function parseMultipart(body, contentType) {
  const m = /^multipart\/form-data;\s*boundary=("?)([^";]+)\1\s*$/i.exec(contentType ?? '');
  if (!m) return null;
  const delim = Buffer.from(`--${m[2]}`);
  const parts = [];
  let at = body.indexOf(delim);
  if (at !== 0) return null;
  for (;;) {
    at += delim.length;
    if (body.subarray(at, at + 4).toString() === '--\r\n') return parts;
    if (body.subarray(at, at + 2).toString() !== '\r\n') return null;
    const headEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd);
    if (headEnd < 0 || next < 0) return null;
    const head = body.subarray(at + 2, headEnd).toString('utf8');
    const disp = /^content-disposition: form-data; name="([^"]*)"(?:; filename="([^"]*)")?$/im.exec(head);
    if (!disp) return null;
    const type = /^content-type: (.*)$/im.exec(head)?.[1];
    parts.push({ name: disp[1], filename: disp[2], type, body: body.subarray(headEnd + 4, next) });
    at = next + 2;
  }
}

/** What an upload's signature covers: the text of its meta part (null when there is none). */
export function signedUploadBody(body, contentType) {
  const parts = parseMultipart(body, contentType);
  return parts?.find((p) => p.name === 'meta')?.body ?? null;
}

const sha = (alg, bytes) => crypto.createHash(alg).update(bytes).digest('hex');

/** A small trade bill (text), `rows` records long. */
export function tradeBill(rows = 3) {
  const lines = ['交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注'];
  for (let i = 0; i < rows; i++) {
    lines.push(['2024-01-02 10:00:00', 'wx2421b1c4370ec43b', '1900000109', '0', '', `42000000002024010200000${String(i).padStart(5, '0')}`,
      `order-${i}`, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', '0.01', '0.00', '0', '0', '0.00', '0.00', '', '',
      '咖啡, 大杯', '', '0.00000', '0.60%', '0.01', '0.00', ''].map((v) => `\`${v}`).join(','));
  }
  lines.push('总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额');
  lines.push(['' + rows, (rows / 100).toFixed(2), '0.00', '0.00', '0.00000', (rows / 100).toFixed(2), '0.00'].map((v) => `\`${v}`).join(','));
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

/** A fund-flow bill (text). */
export function fundFlowBill() {
  return Buffer.from([
    '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号',
    '`2024-01-02 10:00:00,`4200000000202401020000000001,`4200000000202401020000000001,`交易,`交易,`收入,`0.01,`0.01,`system,`缺省,`42000',
    '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
    '`1,`1,`0.01,`0,`0.00',
  ].join('\r\n') + '\r\n', 'utf8');
}

/** A text of `size` bytes shaped like a trade bill (for the bench). */
export function bigBill(size) {
  const one = tradeBill(1).toString('utf8').split('\r\n')[1] + '\r\n';
  const header = tradeBill(0).toString('utf8').split('\r\n')[0] + '\r\n';
  const n = Math.max(0, Math.floor((size - header.length) / Buffer.byteLength(one)));
  return Buffer.concat([Buffer.from(header), Buffer.from(one.repeat(n))]);
}

/**
 * The file routes of one sandbox. `route(req, path, query, body)` answers a file route (or
 * returns undefined); `files` maps download tokens to what they serve.
 */
export function fileRoutes({ baseURL, merchantPublic, signer, billQuery = () => ({}) }) {
  const files = new Map();
  // The images of 消费者投诉 (media_id -> { bytes, type }): uploaded by the merchant, or a payer's.
  const media = new Map();
  const bigBills = new Map();
  const serve = (bytes, type, q) => {
    const token = crypto.randomBytes(12).toString('hex');
    files.set(token, { bytes, type });
    // `foreign`: another host; `service`: WeChat Pay's own, as the service names its files to a
    // client that reaches it through a proxy (its baseURL).
    const host = { foreign: 'https://files.example.com/', service: 'https://api.mch.weixin.qq.com/' }[q.sandbox_host] ?? baseURL();
    return `${host}v3/billdownload/file?token=${token}`;
  };

  function billAnswer(text, q) {
    const gzip = q.tar_type === 'GZIP';
    const bytes = gzip ? zlib.gzipSync(text) : text;
    // The digest covers the bill itself (decompressed); sandbox_hash=compressed gets it wrong on purpose.
    const hashed = q.sandbox_hash === 'compressed' ? bytes : q.sandbox_hash === 'wrong' ? Buffer.concat([text, Buffer.from('x')]) : text;
    const download_url = serve(bytes, gzip ? 'application/x-gzip' : 'text/plain; charset=utf-8', q);
    return { hash_type: 'SHA1', hash_value: sha('sha1', hashed), download_url };
  }

  function encryptedParts(text, q) {
    const half = Math.ceil(text.length / 2);
    const pieces = [text.subarray(0, half), text.subarray(half)];
    const list = pieces.map((plain, i) => {
      const key = crypto.randomBytes(32);
      const nonce = crypto.randomBytes(8).toString('hex'); // 16 characters
      const source = q.tar_type === 'GZIP' ? zlib.gzipSync(plain) : plain;
      const c = crypto.createCipheriv('aes-256-gcm', key, Buffer.from(nonce));
      const sealed = Buffer.concat([c.update(source), c.final(), c.getAuthTag()]);
      const encrypt_key = crypto.publicEncrypt({ key: merchantPublic(), padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key).toString('base64');
      return { bill_sequence: i + 1, download_url: serve(sealed, 'application/octet-stream', q), encrypt_key, hash_type: 'SHA1', hash_value: sha('sha1', plain), nonce };
    });
    // Listed out of order: the client sorts by bill_sequence.
    return { download_bill_count: 2, download_bill_list: list.reverse() };
  }

  function statement(q) {
    const body = Buffer.from(`statement for ${q.date ?? ''}\r\n\`1,\`2\r\n`, 'utf8');
    const sha1 = sha('sha1', q.sandbox_hash === 'wrong' ? Buffer.from('other') : body);
    const s = signer();
    const ts = `${Math.floor(Date.now() / 1000)}`;
    const nonce = crypto.randomBytes(16).toString('hex');
    const message = Buffer.from(`${ts}\n${nonce}\n${JSON.stringify({ sha1 })}\n`);
    const signature = crypto.sign('sha256', message, s.privateKey).toString('base64');
    // sandbox_sign=body signs the body instead: what a client verifying the wrong bytes expects.
    const bodySig = crypto.sign('sha256', Buffer.concat([Buffer.from(`${ts}\n${nonce}\n`), body, Buffer.from('\n')]), s.privateKey).toString('base64');
    return {
      status: 200, body, contentType: 'text/plain; charset=utf-8', unsigned: true,
      headers: { 'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': nonce, 'Wechatpay-Serial': s.serial,
        'Wechatpay-Signature': q.sandbox_sign === 'body' ? bodySig : signature, 'Wechatpay-Statement-Sha1': sha1 },
    };
  }

  function upload(req, path, body) {
    const parts = parseMultipart(body, req.headers['content-type']);
    const error = (message) => ({ status: 400, json: { code: 'PARAM_ERROR', message } });
    if (!parts) return error('the body is not multipart/form-data');
    const metaPart = parts.find((p) => p.name === 'meta');
    if (!metaPart || metaPart.type !== 'application/json') return error('the meta part is missing or not application/json');
    let meta;
    try { meta = JSON.parse(metaPart.body.toString('utf8')); } catch { return error('meta is not JSON'); }
    const file = parts.find((p) => p.filename !== undefined);
    if (!file) return error('no file part');
    const digest = meta.sha256 ?? meta.file_digest;
    if (digest !== undefined && digest.toLowerCase() !== sha('sha256', file.body)) return error('meta.sha256 does not match the file');
    const fields = Object.fromEntries(parts.filter((p) => p.filename === undefined && p.name !== 'meta').map((p) => [p.name, p.body.toString('utf8')]));
    const media_id = `media-${sha('sha256', file.body).slice(0, 16)}`;
    if (path === '/v3/merchant-service/images/upload') {
      // 消费者投诉's images: JPG, BMP or PNG, at most 2 MB (the service's pages).
      if (!/\.(jpe?g|bmp|png)$/i.test(meta.filename ?? '')) return error('meta.filename must end .jpg, .bmp or .png');
      if (file.body.length > 2 * 1024 * 1024) return error('the image is over 2 MB');
      media.set(media_id, { bytes: Buffer.from(file.body), type: file.type ?? 'application/octet-stream' });
    }
    return { status: 200, json: { media_id, filename: file.filename, type: file.type, size: file.body.length, meta, fields } };
  }

  /** @returns {{status:number, json?:object, body?:Buffer, contentType?:string, unsigned?:boolean, headers?:object}|undefined} */
  function route(req, path, q, body) {
    const m = req.method;
    if (m === 'POST' && isUpload(path)) return upload(req, path, body);
    if (m !== 'GET') return undefined;
    // The test knobs set for every bill request (sb.billQuery), under the request's own.
    if (path.startsWith('/v3/bill/')) q = { ...billQuery(), ...q };
    if (path === '/v3/bill/tradebill') {
      if (q.sandbox_size) {
        const size = Number(q.sandbox_size);
        if (!bigBills.has(size)) bigBills.set(size, bigBill(size));
        return { status: 200, json: billAnswer(bigBills.get(size), q) };
      }
      return { status: 200, json: billAnswer(tradeBill(Number(q.sandbox_rows ?? 3)), q) };
    }
    if (path === '/v3/bill/fundflowbill') return { status: 200, json: billAnswer(fundFlowBill(), q) };
    if (path === '/v3/bill/sub-merchant-fundflowbill') return { status: 200, json: encryptedParts(fundFlowBill(), q) };
    if (path === '/v3/statements' || path === '/v3/global/statements') return statement(q);
    if (path === '/v3/billdownload/file') {
      const f = files.get(q.token);
      if (!f) return { status: 404, json: { code: 'RESOURCE_NOT_EXISTS', message: 'no such token' } };
      return { status: 200, body: f.bytes, contentType: f.type, unsigned: true };
    }
    if (path === '/v3/transferdownload/signfile' || path === '/v3/transferdownload/elecvoucherfile') {
      return { status: 200, body: Buffer.from('%PDF-1.4 sandbox receipt\n'), contentType: 'application/pdf', unsigned: true };
    }
    if (/^\/v3\/(global\/)?merchant-service\/images\/[^/]+$/.test(path) && !path.endsWith('/upload')) {
      let id;
      try { id = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)); } catch { id = undefined; }
      const image = media.get(id);
      if (image) return { status: 200, body: image.bytes, contentType: image.type, unsigned: true };
      return { status: 200, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), contentType: 'image/png', unsigned: true };
    }
    return undefined;
  }
  return { route, files, media, encryptedParts };
}
