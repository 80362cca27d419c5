// The sandbox's file routes, judged with node:crypto alone (never the project's code): uploads
// verified over meta, bills (plain, GZIP, encrypted parts) and their digests, statements.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';
import { startSandbox } from './server.mjs';
import { requestMessage, nonce } from './auth.mjs';
import { tradeBill, fundFlowBill } from './files.mjs';

let sb;
before(async () => { sb = await startSandbox(); });
after(async () => { await sb.close(); });

const sha = (alg, b) => crypto.createHash(alg).update(b).digest('hex');

/** A signed request, the signature over `signed` (the body unless given). */
async function call(method, path, { body, type, signed = body } = {}) {
  const ts = Math.floor(Date.now() / 1000);
  const n = nonce();
  const sig = crypto.sign('sha256', requestMessage(method, path, ts, n, signed), sb.merchant.privateKeyPkcs8).toString('base64');
  const headers = { authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${sb.mchid}",serial_no="${sb.merchant.serial}",timestamp="${ts}",nonce_str="${n}",signature="${sig}"` };
  if (type) headers['content-type'] = type;
  const r = await fetch(new URL(path, sb.baseURL), { method, headers, body });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

function multipart(meta, file) {
  const b = 'XyZ0123456789';
  const body = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n${meta}\r\n`),
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
    file, Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${b}` };
}

test('an upload is verified over its meta: signed so it is answered, signed over the body it is refused', async () => {
  const file = Buffer.from('png bytes');
  const meta = JSON.stringify({ filename: 'a.png', sha256: sha('sha256', file) });
  const m = multipart(meta, file);
  const ok = await call('POST', '/v3/merchant/media/upload', { ...m, signed: Buffer.from(meta) });
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body).media_id, `media-${sha('sha256', file).slice(0, 16)}`);
  const bad = await call('POST', '/v3/merchant/media/upload', m);
  assert.equal(bad.status, 401);
  assert.equal(JSON.parse(bad.body).code, 'SIGN_ERROR');
  const wrongSha = multipart(JSON.stringify({ filename: 'a.png', sha256: sha('sha256', Buffer.from('x')) }), file);
  const mismatch = await call('POST', '/v3/merchant/media/upload', { ...wrongSha, signed: Buffer.from(JSON.stringify({ filename: 'a.png', sha256: sha('sha256', Buffer.from('x')) })) });
  assert.equal(mismatch.status, 400);
});

test('a GZIP bill is served gzipped with the SHA-1 of the bill itself', async () => {
  const answer = JSON.parse((await call('GET', '/v3/bill/tradebill?bill_date=2024-01-02&tar_type=GZIP')).body);
  const url = new URL(answer.download_url);
  assert.equal(url.origin, new URL(sb.baseURL).origin);
  const file = await call('GET', url.pathname + url.search);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('wechatpay-signature'), null);
  const plain = zlib.gunzipSync(file.body);
  assert.deepEqual(plain, tradeBill(3));
  assert.equal(answer.hash_value, sha('sha1', plain));
});

test('encrypted sub-merchant parts decrypt with the merchant key', async () => {
  const answer = JSON.parse((await call('GET', '/v3/bill/sub-merchant-fundflowbill?sub_mchid=1&bill_date=2024-01-02&algorithm=AEAD_AES_256_GCM&account_type=BASIC')).body);
  const parts = [...answer.download_bill_list].sort((a, b) => a.bill_sequence - b.bill_sequence);
  const plain = [];
  for (const p of parts) {
    const url = new URL(p.download_url);
    const sealed = (await call('GET', url.pathname + url.search)).body;
    const key = crypto.privateDecrypt({ key: sb.merchant.privateKeyPkcs8, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(p.encrypt_key, 'base64'));
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(p.nonce));
    d.setAuthTag(sealed.subarray(-16));
    const part = Buffer.concat([d.update(sealed.subarray(0, -16)), d.final()]);
    assert.equal(p.hash_value, sha('sha1', part));
    plain.push(part);
  }
  assert.deepEqual(Buffer.concat(plain), fundFlowBill());
});

test('a statement is signed over {"sha1":...}', async () => {
  const r = await call('GET', '/v3/statements?date=20240102');
  const sha1 = r.headers.get('wechatpay-statement-sha1');
  assert.equal(sha1, sha('sha1', r.body));
  const message = `${r.headers.get('wechatpay-timestamp')}\n${r.headers.get('wechatpay-nonce')}\n{"sha1":"${sha1}"}\n`;
  assert.ok(crypto.verify('sha256', Buffer.from(message), sb.platform.certificate, Buffer.from(r.headers.get('wechatpay-signature'), 'base64')));
});

test('消费者投诉 images: .jpg, .bmp or .png of at most 2 MB, served back by media_id', async () => {
  const up = async (filename, file) => {
    const meta = JSON.stringify({ filename, sha256: sha('sha256', file) });
    const { body, type } = multipart(meta, file);
    return call('POST', '/v3/merchant-service/images/upload', { body, type, signed: Buffer.from(meta) });
  };
  const exact = crypto.randomBytes(2 * 1024 * 1024);
  const ok = await up('proof.PNG', exact);
  assert.equal(ok.status, 200);
  const { media_id } = JSON.parse(ok.body);
  const back = await call('GET', `/v3/merchant-service/images/${media_id}`);
  assert.deepEqual([back.status, back.body.equals(exact)], [200, true]);
  assert.equal((await up('proof.png', Buffer.concat([exact, Buffer.from('x')]))).status, 400);
  assert.equal((await up('proof.gif', Buffer.from('gif'))).status, 400);
  // Other upload routes keep their own rules: a .gif goes to media/upload.
  const meta = JSON.stringify({ filename: 'a.gif', sha256: sha('sha256', Buffer.from('gif')) });
  const { body, type } = multipart(meta, Buffer.from('gif'));
  assert.equal((await call('POST', '/v3/merchant/media/upload', { body, type, signed: Buffer.from(meta) })).status, 200);
});
