// The package's browser entry in headless Chromium (Debian's, never a
// downloaded one): a page served from 127.0.0.1 imports 'wxpay-wasm' through
// an import map and runs the seed GET against the sandbox, which allows CORS
// for that origin only. (Test keys only: a real merchant key never goes to a browser.)
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { closeServer, startChromium } from './chromium.mjs';
import { startSandbox } from '../sandbox/index.mjs';
import { TRAPS } from '../recover/expect.mjs';
import { tradeBill, fundFlowBill } from '../sandbox/files.mjs';

const pkgDir = resolve(import.meta.dirname, '../../node_modules/wxpay-wasm');
// The test build with the trap exports (scripts/test-pkg.sh), for the recovery test.
const testPkgDir = resolve(import.meta.dirname, '../../.work/test-pkg');
const COMMON_STREAMS = resolve(import.meta.dirname, '../common/streams.mjs');
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

const PAGE = `<!doctype html>
<script type="importmap">{ "imports": { "wxpay-wasm": "/pkg/browser.mjs" } }</script>
<script type="module">
  import * as wxpay from 'wxpay-wasm';
  window.wxpayReady = wxpay;
</script>`;

// The entry served with its .wasm missing (as a bundler that moved it would leave it: `nowasm`),
// not a module (`badwasm`: bytes that are no wasm, served as application/wasm), or its connection
// dropped (`dropwasm`).
const BROKEN = ['nowasm', 'badwasm', 'dropwasm'];
const brokenPage = (prefix) => `<!doctype html>
<script type="module">
  import * as wxpay from '/${prefix}/browser.mjs';
  window.wxpayReady = wxpay;
</script>`;

const TEST_PAGE = `<!doctype html>
<script type="module">
  import { Wxpay, WxpayError } from '/test-pkg/browser.mjs';
  import * as traps from '/test-pkg/traps.mjs';
  window.wxpayReady = { Wxpay, WxpayError, traps };
</script>`;

let sb, server, browser, origin, chromium;

before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (path === '/test') return res.writeHead(200, { 'content-type': 'text/html' }).end(TEST_PAGE);
    if (path === '/common/streams.mjs') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(COMMON_STREAMS));
    const broken = /^\/page\/(\w+)$/.exec(path)?.[1];
    if (BROKEN.includes(broken)) return res.writeHead(200, { 'content-type': 'text/html' }).end(brokenPage(broken));
    if (path === '/page/octetwasm') return res.writeHead(200, { 'content-type': 'text/html' }).end(brokenPage('octetwasm'));
    const [, prefix, rest] = /^\/(pkg|test-pkg|nowasm|badwasm|dropwasm|octetwasm)\/(.*)$/.exec(path) ?? [];
    const dir = prefix === 'test-pkg' ? testPkgDir : pkgDir;
    const file = normalize(join(dir, rest ?? ''));
    if (!prefix || !file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end();
    if (file.endsWith('.wasm') && prefix === 'nowasm') return res.writeHead(404).end();
    if (file.endsWith('.wasm') && prefix === 'badwasm') return res.writeHead(200, { 'content-type': 'application/wasm' }).end('not wasm');
    if (file.endsWith('.wasm') && prefix === 'dropwasm') return res.socket.destroy();
    if (file.endsWith('.wasm') && prefix === 'octetwasm') return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file));
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  sb = await startSandbox({ cors: origin });
  chromium = await startChromium();
  browser = chromium.browser;
});

after(async () => {
  await chromium?.close();
  await sb?.close();
  if (server) await closeServer(server);
});

test('the seed GET from a page, through the browser entry', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.wxpayReady, null, { timeout: 15_000 });
  const result = await page.evaluate(async ({ mchid, serial, privateKey, certs, baseURL }) => {
    const { Wxpay } = window.wxpayReady;
    const wxpay = new Wxpay({ mchid, serial, privateKey, certs, baseURL });
    const { status, data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({
      card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001',
    });
    return { crypto: wxpay.crypto, status, code: data.code, balance: data.balance, ua: navigator.userAgent };
  }, { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs, baseURL: sb.baseURL });
  assert.deepEqual(errors, []);
  assert.equal(result.status, 200);
  assert.equal(result.code, '300000001');
  assert.equal(result.balance, sb.cards['pY7xGs0sMdNN9PVCvtJNl-6DJdIY']['300000001'].balance);
  assert.equal(result.crypto, 'webcrypto');
  assert.match(result.ua, /HeadlessChrome|Chrome/);
  const seen = sb.requests.at(-1);
  assert.equal(seen.verified, true, seen.reason);
  assert.equal(seen.headers.origin, origin);
  await page.close();
});

test('an entry whose .wasm is missing, is no module or cannot be fetched fails at import, saying which, and where', async () => {
  const advice = "If a bundler or dev server moved this file away from it, keep them together (esbuild, rollup: copy wxpay_wasm_bg.wasm beside the bundle; Vite: optimizeDeps: { exclude: ['wxpay-wasm'] }; README, Runtimes)";
  const expected = {
    nowasm: `wxpay-wasm: ${origin}/nowasm/wxpay_wasm_bg.wasm answered 404 (no content type), not wxpay_wasm_bg.wasm. ${advice}`,
    badwasm: new RegExp(`^wxpay-wasm: cannot instantiate wxpay_wasm_bg\\.wasm from ${origin}/badwasm/wxpay_wasm_bg\\.wasm: WebAssembly\\.instantiateStreaming\\(\\): expected magic word`),
    dropwasm: `wxpay-wasm: cannot fetch wxpay_wasm_bg.wasm from ${origin}/dropwasm/wxpay_wasm_bg.wasm. ${advice}: Failed to fetch`,
  };
  for (const prefix of BROKEN) {
    const page = await browser.newPage();
    try {
      const failed = new Promise((resolve) => page.on('pageerror', (e) => resolve(e.message)));
      await page.goto(`${origin}/page/${prefix}`);
      const message = await failed;
      if (typeof expected[prefix] === 'string') assert.equal(message, expected[prefix], prefix);
      else assert.match(message, expected[prefix], prefix);
      assert.equal(await page.evaluate(() => window.wxpayReady), undefined, prefix);
    } finally {
      await page.close();
    }
  }
});

test('a .wasm served as another type than application/wasm loads from its bytes, with no warning on the console', async () => {
  const page = await browser.newPage();
  try {
    const logged = [];
    page.on('console', (m) => logged.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logged.push(`pageerror: ${e.message}`));
    await page.goto(`${origin}/page/octetwasm`);
    await page.waitForFunction(() => window.wxpayReady, null, { timeout: 15_000 });
    const signature = await page.evaluate(async ({ privateKey, certs }) => {
      const { Wxpay } = window.wxpayReady;
      return new Wxpay({ mchid: '1900000109', serial: 'A'.repeat(40), privateKey, certs }).sign('a\n');
    }, { privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs });
    assert.match(signature, /^[A-Za-z0-9+/]{342}==$/);
    assert.deepEqual(logged, []);
  } finally {
    await page.close();
  }
});

test('a forged answer is rejected in the browser too', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.wxpayReady, null, { timeout: 15_000 });
  sb.misbehave('forged');
  const result = await page.evaluate(async ({ mchid, serial, privateKey, certs, baseURL }) => {
    const { Wxpay, WxpayError } = window.wxpayReady;
    const wxpay = new Wxpay({ mchid, serial, privateKey, certs, baseURL });
    try {
      await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' });
      return { resolved: true };
    } catch (e) {
      return { isWxpayError: e instanceof WxpayError, code: e.code, requestId: e.requestId };
    }
  }, { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs, baseURL: sb.baseURL });
  assert.deepEqual(result, { isWxpayError: true, code: 'ERR_RESPONSE_SIGNATURE', requestId: sb.requests.at(-1).requestId });
  await page.close();
});

test('after a trap of each kind, a client made before and a new client work (test build)', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${origin}/test`);
  await page.waitForFunction(() => window.wxpayReady, null, { timeout: 15_000 });
  sb.reset();
  const result = await page.evaluate(async ({ mchid, serial, privateKey, certs, baseURL }) => {
    const { Wxpay, WxpayError, traps } = window.wxpayReady;
    const heard = [];
    Wxpay.onRecover = (info) => heard.push(info.count);
    const options = { mchid, serial, privateKey, certs, baseURL };
    const wxpay = new Wxpay(options);
    const node = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;
    const seed = async (n) => (await n.get({ card_id: 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY', code: '300000001' })).status;
    const out = [];
    for (const kind of Object.keys(traps.kinds)) {
      let err;
      try {
        traps.kinds[kind]();
      } catch (e) {
        err = e;
      }
      await null;
      const fresh = new Wxpay(options);
      out.push({
        kind,
        isWxpayError: err instanceof WxpayError,
        code: err?.code,
        cause: `${err?.cause?.name}: ${err?.cause?.message}`,
        old: await seed(node),
        fresh: await seed(fresh.v3.marketing.membercardOpen.cards._card_id_.codes._code_),
        signature: await wxpay.sign('browser'),
      });
    }
    return { out, heard };
  }, { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs, baseURL: sb.baseURL });
  assert.deepEqual(errors, []);
  const signature = (await import('node:crypto')).sign('sha256', Buffer.from('browser'), sb.merchant.privateKeyPkcs8).toString('base64');
  assert.deepEqual(result, {
    out: Object.entries(TRAPS).map(([kind, message]) => ({
      kind, isWxpayError: true, code: 'ERR_INTERNAL', cause: `RuntimeError: ${message}`, old: 200, fresh: 200, signature,
    })),
    heard: [1, 2, 3],
  });
  assert.equal(sb.requests.length, 6);
  assert.ok(sb.requests.every((r) => r.verified));
  await page.close();
});

// A stream lives while it is read: the collector, minor and major in turn, runs before every read
// (tests/common/streams.mjs).
test('streamed GZIP downloads read with a collection before every read are read whole', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.wxpayReady, null, { timeout: 15_000 });
  const results = await page.evaluate(async (opts) => {
    const { minorAndMajor, readsUnderGarbage } = await import('/common/streams.mjs');
    return readsUnderGarbage({ Wxpay: window.wxpayReady.Wxpay, options: opts, baseURL: opts.baseURL, n: 10, collect: minorAndMajor(window.gc) });
  }, { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs, baseURL: sb.baseURL });
  assert.deepEqual(results, Array(10).fill('read whole'));
  await page.close();
});

test('files in the browser: an upload, bills plain, GZIP, streamed and encrypted, mismatches, statements', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.wxpayReady, null, { timeout: 15_000 });
  const result = await page.evaluate(async (opts) => {
    const { Wxpay, parseBill, readBill, uploadForm } = window.wxpayReady;
    const w = new Wxpay(opts);
    const text = (b) => new TextDecoder().decode(b);
    const code = (p) => p.then(() => 'resolved', (e) => e.code);
    const out = {};
    const form = new FormData();
    form.append('file', new File([new Uint8Array([0xff, 0xd8, 9])], 'a.jpg', { type: 'image/jpeg' }));
    out.upload = (await w.v3.merchant.media.upload.post(form)).data.meta.filename;
    out.video = (await w.v3.merchant.media.video_upload.post(uploadForm(new Uint8Array(32), 'v.mp4'))).data.type;
    const bill = async (params) => (await w.v3.bill.tradebill.get({ params: { bill_date: '2024-01-02', ...params } })).data;
    out.plain = text(await w.download(await bill({})));
    out.gzip = text(await w.download(await bill({ tar_type: 'GZIP' })));
    out.streamed = text(await new Response(await w.download(await bill({ tar_type: 'GZIP' }), { stream: true })).arrayBuffer());
    out.rows = parseBill(out.gzip).rows.length;
    out.wrong = await code(w.download(await bill({ sandbox_hash: 'wrong' })));
    // Read with a reader: Response(stream) would replace the stream's error with its own TypeError.
    const drain = async (s) => { const r = s.getReader(); while (!(await r.read()).done); };
    out.wrongStream = await code(w.download(await bill({ sandbox_hash: 'wrong' }), { stream: true }).then(drain));
    out.compressed = await code(w.download(await bill({ tar_type: 'GZIP', sandbox_hash: 'compressed' })));
    out.foreign = await code(w.download(await bill({ sandbox_host: 'foreign' })));
    const sub = (await w.v3.bill['sub-merchant-fundflowbill'].get({ params: { sub_mchid: '1', bill_date: '2024-01-02', algorithm: 'AEAD_AES_256_GCM', account_type: 'BASIC', tar_type: 'GZIP' } })).data;
    out.sub = text(await w.download(sub));
    out.statement = text((await w.v3.statements.get({ params: { date: '1' } })).data);
    out.statementWrong = await code(w.v3.statements.get({ params: { date: '1', sandbox_hash: 'wrong' } }));
    out.global = text((await w.v3.global.statements.get({ params: { date: '2' } })).data);
    out.receipt = text((await w.v3.transferdownload.elecvoucherfile.get({ params: { token: 't' } })).data);
    out.image = [...(await w.v3['merchant-service/images/m1'].get({ params: { complaint_id: '1' } })).data.slice(0, 4)];
    const streamed = readBill(await w.download(await bill({ tar_type: 'GZIP', sandbox_rows: 300 }), { stream: true }));
    let n = 0;
    for await (const row of streamed) if (row['商户订单号'] === `order-${n}`) n++;
    out.readBill = [n, streamed.summary['总交易单数']];
    return out;
  }, { mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: sb.certs, baseURL: sb.baseURL });
  assert.deepEqual(errors, []);
  const bill = tradeBill(3).toString('utf8');
  assert.deepEqual(result, {
    upload: 'a.jpg', video: 'video/mp4', plain: bill, gzip: bill, streamed: bill, rows: 3,
    wrong: 'ERR_DIGEST_MISMATCH', wrongStream: 'ERR_DIGEST_MISMATCH', compressed: 'ERR_DIGEST_MISMATCH', foreign: 'ERR_INVALID_PARAM',
    sub: fundFlowBill().toString('utf8'), statement: 'statement for 1\r\n`1,`2\r\n', statementWrong: 'ERR_DIGEST_MISMATCH',
    global: 'statement for 2\r\n`1,`2\r\n', receipt: '%PDF-1.4 sandbox receipt\n', image: [0x89, 0x50, 0x4e, 0x47], readBill: [300, '300'],
  });
  await page.close();
});
