// The payment lifecycle features (issue 14) inside workerd, against the sandbox: certificates
// bootstrapped from the APIv3 key and rotated mid-run, one download for concurrent first
// requests, an expired certificate ignored, retries (503-503-200, POST not by default, a forged
// answer never), the backup host, and payment parameters checked with node:crypto.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../sandbox/index.mjs';
import { bundle, secretsFor, start } from './harness.mjs';

const CARD_ID = 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY';
const CODE = '300000001';

describe('the payment lifecycle in workerd', () => {
  let sb, mf, outdir;
  before(async () => {
    sb = await startSandbox({});
    ({ outdir } = await bundle('tests/workerd/lifecycle/wrangler.toml', 'lifecycle'));
    mf = start(outdir, { ...secretsFor(sb), CARD_ID, CODE });
  });
  after(async () => {
    await mf?.dispose();
    await sb?.close();
  });
  const call = async (path, init) => (await mf.dispatchFetch(`http://lifecycle${path}`, init)).json();
  const downloads = () => sb.requests.filter((r) => r.url === '/v3/certificates').length;

  test('bootstrap from the APIv3 key: 8 concurrent first requests, one download, all verified', async () => {
    sb.reset();
    const r = await call('/bootstrap?client=a&n=8');
    assert.deepEqual(r.statuses, Array(8).fill(200));
    assert.equal(downloads(), 1);
    assert.equal(r.serial, sb.platform.serial);
    assert.deepEqual(r.certificates, [sb.platform.serial]);
    assert.ok(sb.requests.every((q) => q.verified));
  });

  test('a client made in the global scope (no I/O, timers or AbortController there) downloads and verifies in a request', async () => {
    sb.reset();
    assert.deepEqual(await call('/early'), { status: 200, certificates: 1 });
    assert.equal(downloads(), 1);
    assert.ok(sb.requests.every((q) => q.verified));
  });

  test('rotation mid-run: the new serial is downloaded once and verifies', async () => {
    sb.reset();
    await call('/bootstrap?client=b');
    const fresh = sb.rotate();
    const r = await call('/bootstrap?client=b');
    assert.deepEqual(r.statuses, [200]);
    assert.equal(downloads(), 2);
    assert.equal(r.serial, fresh.serial);
  });

  test('an expired certificate is ignored', async () => {
    sb.reset();
    sb.rotate({ expired: true });
    const r = await call('/bootstrap?client=c');
    // The download's answer is signed by the expired one only: nothing to trust, and the request
    // that waited for it was not sent.
    assert.deepEqual(r.statuses, ['ERR_CERTIFICATE_DOWNLOAD']);
    assert.ok(sb.requests.every((q) => q.url === '/v3/certificates'), 'only downloads (certificates() after it makes one more)');
  });

  test('503, 503, 200: three distinct signed attempts; POST is not retried by default; a forged answer never', async () => {
    sb.reset();
    sb.misbehave('error-503', 2);
    assert.deepEqual(await call('/seed'), { status: 200 });
    assert.deepEqual(sb.requests.map((q) => q.status), [503, 503, 200]);
    assert.ok(sb.requests.every((q) => q.verified));
    assert.equal(new Set(sb.requests.map((q) => q.auth.nonce_str)).size, 3);
    sb.reset();
    sb.misbehave('error-503', 1);
    assert.deepEqual(await call('/echo', { method: 'POST' }), { error: { code: 'SERVICE_UNAVAILABLE', attempts: 1 } });
    sb.reset();
    sb.misbehave('error-503', 1);
    assert.deepEqual(await call('/echo?retry=true', { method: 'POST' }), { status: 200 });
    sb.reset();
    sb.misbehave('forged', 1);
    assert.deepEqual(await call('/seed'), { error: { code: 'ERR_RESPONSE_SIGNATURE', attempts: 1 } });
  });

  test('the backup host after a connection error', async () => {
    sb.reset();
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dead = `http://127.0.0.1:${server.address().port}/`;
    await new Promise((resolve) => server.close(resolve));
    const r = await call(`/backup?dead=${encodeURIComponent(dead)}&why`);
    assert.deepEqual(r, { status: 200 });
    assert.equal(sb.requests.length, 1);
  });

  test('a download cancelled with the request that started it (workerd ends its I/O) is shared no longer: the next request downloads again at once', async () => {
    sb.reset();
    // The first request gives up at 300 ms; workerd then cancels the download it started, which
    // never settles (the Worker's fetch holds it 1.5 s on a timer of that request). A request
    // right after it starts its own download instead of waiting for the dead one.
    assert.equal((await call('/slowcerts?client=e&delay=1500&timeout=300')).error?.code, 'ERR_TIMEOUT');
    assert.deepEqual(await call('/slowcerts?client=e'), { status: 200 });
    assert.equal(downloads(), 1, 'the cancelled download never reached the service; the new one did');
  });

  test('requests already waiting for that download when its starter gives up move on: one starts the next download, the others share it', async () => {
    sb.reset();
    // Two requests join the first one's download (held 1.5 s) at 100 ms; their own downloads are
    // not held (`delay` is read when a download's fetch is made). When the first gives up at
    // 300 ms, they download again at once, once, well within their own timeout (the client's 1 s).
    const later = () => new Promise((resolve) => setTimeout(resolve, 100)).then(() => call('/slowcerts?client=f'));
    const [first, ...waiting] = await Promise.all([call('/slowcerts?client=f&delay=1500&timeout=300'), later(), later()]);
    assert.equal(first.error?.code, 'ERR_TIMEOUT');
    assert.deepEqual(waiting, [{ status: 200 }, { status: 200 }]);
    assert.equal(downloads(), 1, 'the abandoned download never reached the service; the next did, once');
    assert.deepEqual(await call('/slowcerts?client=f'), { status: 200 });
    assert.equal(downloads(), 1);
  });

  test('a download whose starter was answered without awaiting it is waited for within each request\'s own timeout, then started again', async () => {
    sb.reset();
    // The first request is answered at once and its download (held 1.5 s on its timer) ends with
    // it, unsettled: no code of the client runs when it ends. The next requests wait for it until
    // their own timeout (the client's 1 s); once its limit (1 s plus 1 s) has passed, the next
    // need downloads again. Their errors say what they waited for, and what likely stopped it.
    assert.deepEqual(await call('/slowcerts?client=i&delay=1500&detach'), { detached: true });
    const waiting = await Promise.all([call('/slowcerts?client=i&why'), call('/slowcerts?client=i&why')]);
    assert.deepEqual(waiting.map((r) => r.error?.code), ['ERR_TIMEOUT', 'ERR_TIMEOUT']);
    assert.deepEqual(waiting.map((r) => r.error.message), Array(2).fill('request timed out after 1000 ms while it waited for the platform '
      + 'certificate download, before anything was sent (in a Worker, one started by a call another request did not await nor hand to ctx.waitUntil ends with that request, unfinished)'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.deepEqual(await call('/slowcerts?client=i'), { status: 200 });
    assert.equal(downloads(), 1);
  });

  test('a request that waits out such a download\'s limit fails unsent, and the next starts a download at once (no back-off in workerd)', async () => {
    sb.reset();
    // Its own timeout (5 s) is past the download's limit (the client's 1 s plus 1 s): it waits
    // until then and fails, the download taken for dead. Elsewhere a dead download counts as a
    // failure, and the next may start only after the back-off (10 s); in workerd it is most likely
    // one cancelled with its request, as here: the next request downloads at once.
    assert.deepEqual(await call('/slowcerts?client=j&delay=1500&detach'), { detached: true });
    const waited = await call('/slowcerts?client=j&timeout=5000&why');
    assert.equal(waited.error?.code, 'ERR_CERTIFICATE_DOWNLOAD');
    assert.equal(waited.error.attempts, 0);
    assert.match(waited.error.message, /did not end within 2000 ms/);
    assert.deepEqual(await call('/slowcerts?client=j'), { status: 200 });
    assert.equal(downloads(), 1, 'the cancelled download never reached the service; the next did');
  });

  // The client knows workerd by navigator.userAgent, or by WebSocketPair where a Worker turned
  // navigator off: without that, a client reused across requests passed the signal of the request
  // that made it to later ones' downloads, which workerd refused (the rotated serial was never
  // downloaded: ERR_RESPONSE_SERIAL), and it waited for a download cancelled with its request.
  test('with navigator turned off (no_global_navigator) too: rotation across requests, a cancelled download not waited for', async () => {
    const bare = start(outdir, { ...secretsFor(sb), CARD_ID, CODE }, { compatibilityFlags: ['no_global_navigator'] });
    const callBare = async (path) => (await bare.dispatchFetch(`http://lifecycle${path}`)).json();
    try {
      sb.reset();
      assert.deepEqual((await callBare('/bootstrap?client=g')).statuses, [200]);
      const fresh = sb.rotate();
      const r = await callBare('/bootstrap?client=g');
      assert.deepEqual(r.statuses, [200]);
      assert.equal(r.serial, fresh.serial);
      assert.equal(downloads(), 2);
      assert.ok(sb.requests.every((q) => q.headers['user-agent'] === 'wxpay-wasm/0.1.0 Cloudflare-Workers'));
      sb.reset();
      assert.equal((await callBare('/slowcerts?client=h&delay=1500&timeout=300')).error?.code, 'ERR_TIMEOUT');
      assert.deepEqual(await callBare('/slowcerts?client=h'), { status: 200 });
      assert.equal(downloads(), 1);
    } finally {
      await bare.dispose();
    }
  });

  test('payment parameters verify with node:crypto over the documented messages', async () => {
    const { jsapi, app } = await call('/params', { method: 'POST', body: JSON.stringify({ appId: 'wx8888888888888888', prepay_id: 'wx2014' }) });
    const key = crypto.createPublicKey(crypto.createPrivateKey(sb.merchant.privateKeyPkcs8));
    const ok = (m, s) => crypto.verify('sha256', Buffer.from(m), key, Buffer.from(s, 'base64'));
    assert.equal(jsapi.package, 'prepay_id=wx2014');
    assert.ok(ok(`${jsapi.appId}\n${jsapi.timeStamp}\n${jsapi.nonceStr}\n${jsapi.package}\n`, jsapi.paySign));
    assert.equal(app.partnerid, sb.mchid);
    assert.ok(ok(`${app.appid}\n${app.timestamp}\n${app.noncestr}\n${app.prepayid}\n`, app.sign));
  });

  test('微信支付分 parameters: the APIv2 HMAC by WebCrypto, the official example\'s signature, and node:crypto agrees', async () => {
    // APIv2's own example of its rule: these fields under this key sign to this value.
    const fields = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
    const apiv2Key = '192006250b4c09247ec02edce69f6a2d';
    const input = { mchid: sb.mchid, apiv2Key, service_id: '500001', out_order_no: 'score-1' };
    const { v2, params, bad, node } = await call('/payscore', { method: 'POST', body: JSON.stringify({ fields, apiv2Key, input }) });
    assert.equal(node, 'undefined', 'no node:crypto in this Worker');
    assert.equal(v2, '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
    assert.equal(bad, 'ERR_INVALID_PARAM');
    assert.equal(params.businessType, 'wxpayScoreDetail');
    const { sign, ...rest } = params.extraData;
    assert.deepEqual([rest.mch_id, rest.service_id, rest.out_order_no, rest.sign_type], [sb.mchid, '500001', 'score-1', 'HMAC-SHA256']);
    const text = `${Object.keys(rest).sort().map((k) => `${k}=${rest[k]}`).join('&')}&key=${apiv2Key}`;
    assert.equal(sign, crypto.createHmac('sha256', apiv2Key).update(text).digest('hex').toUpperCase());
    assert.deepEqual(Object.fromEntries(new URLSearchParams(params.queryString)), params.extraData);
  });

  test('segments keep their case, unknown config keys and bodies with no JSON form are refused (issue 12)', async () => {
    sb.reset();
    const r = await call('/runtime');
    assert.deepEqual(r.templates, [
      'v3/pay/transactions/out-trade-no/N123123',
      'v3/pay/transactions/out-trade-no/WX20240101ABCdef',
      'v3/pay/transactions/out-trade-no/N123123',
      'v3/marketing/membercard-open',
    ]);
    assert.equal(r.sent, '/v3/sandbox/echo/N123123/Abc');
    assert.deepEqual(r.codes, ['ERR_INVALID_PARAM', 'ERR_INVALID_PARAM', 'ERR_INVALID_PARAM', 'ERR_INVALID_PARAM']);
    assert.equal(sb.requests.length, 1, 'only the echo was sent');
  });
});
