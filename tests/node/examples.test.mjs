// examples/node run as its README says: `npm install` (the package built from this clone,
// a file: dependency on pkg/), then `node index.mjs <card_id> <code>` with the WXPAY_* variables,
// against the sandbox. (examples/worker is bundled with `wrangler deploy --dry-run` and run in
// workerd by tests/workerd/worker.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, writeFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useSandbox, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();
const dir = fileURLToPath(new URL('../../examples/node/', import.meta.url));
const run = (cmd, args, env = {}) => new Promise((resolve) => {
  execFile(cmd, args, { cwd: dir, env: { ...process.env, ...env } }, (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stdout, stderr }));
});

test('examples/node: npm install, then the GET, PATCH, GET of its README, against the sandbox', async (t) => {
  const { sb } = ctx;
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock']);
  assert.equal(install.code, 0, install.stderr);
  assert.equal(realpathSync(join(dir, 'node_modules/wxpay-wasm')), realpathSync(fileURLToPath(new URL('../../pkg', import.meta.url))));
  const keys = mkdtempSync(join(tmpdir(), 'wxpay-example-'));
  t.after(() => rmSync(keys, { recursive: true, force: true }));
  writeFileSync(join(keys, 'apiclient_key.pem'), sb.merchant.privateKeyPkcs8);
  writeFileSync(join(keys, 'wechatpay_platform.pem'), sb.platform.certificate);
  const before = sb.cards[CARD_ID][CODE].balance;
  const r = await run('node', ['index.mjs', CARD_ID, CODE], {
    WXPAY_MCHID: sb.mchid,
    WXPAY_SERIAL: sb.merchant.serial,
    WXPAY_PRIVATE_KEY_FILE: join(keys, 'apiclient_key.pem'),
    WXPAY_PLATFORM_SERIAL: sb.platform.serial,
    WXPAY_PLATFORM_CERT_FILE: join(keys, 'wechatpay_platform.pem'),
    WXPAY_BASE_URL: sb.baseURL,
  });
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^GET 200 \(Request-ID sbx-/m);
  assert.match(r.stdout, /^PATCH accepted \(204\)$/m);
  assert.match(r.stdout, new RegExp(`balance ${before} -> ${before + 100}$`, 'm'));
  assert.equal(sb.requests.length, 3);
  assert.ok(sb.requests.every((q) => q.verified));
});

// helper-116: run as a service, notify.mjs left out WXPAY_BASE_URL, so a notification signed by a
// rotated platform certificate had it downloaded from api.mch.weixin.qq.com, not the configured host.
test('examples/node/notify.mjs as a service, as its README runs it: a notification under a rotated certificate is verified with one downloaded from WXPAY_BASE_URL', async (t) => {
  const { sb } = ctx;
  const keys = mkdtempSync(join(tmpdir(), 'wxpay-example-'));
  t.after(() => rmSync(keys, { recursive: true, force: true }));
  writeFileSync(join(keys, 'apiclient_key.pem'), sb.merchant.privateKeyPkcs8);
  writeFileSync(join(keys, 'wechatpay_platform.pem'), sb.platform.certificate);
  const child = spawn('node', ['notify.mjs'], {
    cwd: dir,
    env: {
      ...process.env, PORT: '0', WXPAY_MCHID: sb.mchid, WXPAY_SERIAL: sb.merchant.serial,
      WXPAY_PRIVATE_KEY_FILE: join(keys, 'apiclient_key.pem'), WXPAY_PLATFORM_SERIAL: sb.platform.serial,
      WXPAY_PLATFORM_CERT_FILE: join(keys, 'wechatpay_platform.pem'), WXPAY_APIV3_KEY: sb.apiv3Key, WXPAY_BASE_URL: sb.baseURL,
    },
  });
  t.after(() => child.kill());
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', () => { const m = /^POST (http:\/\/localhost:\d+\/notify)$/m.exec(out); if (m) resolve(m[1]); });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  sb.rotate();
  const r = await sb.notify(url, { event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'N-ROTATED-1', amount: { total: 1, currency: 'CNY' } } });
  assert.equal(r.status, 204, out);
  assert.deepEqual(sb.requests.map((q) => `${q.method} ${q.url}`), ['GET /v3/certificates']);
  assert.ok(sb.requests[0].verified);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.match(out, /order N-ROTATED-1 paid 1 CNY/);
  // A request target no URL parser takes ended the process (helper-118): a 404, and it goes on.
  const { port } = new URL(url);
  const raw = await rawRequest(port, 'POST http://[ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
  assert.match(raw, /^HTTP\/1\.1 404 /);
  // The absolute form a proxy may relay is the same request (helper-122: a 404 for a while).
  const absolute = await rawRequest(port, 'POST http://mch.example.com/notify?a=b HTTP/1.1\r\nHost: mch.example.com\r\nContent-Length: 0\r\n\r\n');
  assert.match(absolute, /^HTTP\/1\.1 401 /, 'reached the handler: unsigned');
  const again = await sb.notify(url, { event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'N-ROTATED-2', amount: { total: 2, currency: 'CNY' } } });
  assert.equal(again.status, 204, out);
  assert.equal(child.exitCode, null, out);
});

/** The answer's text to `request`, written as it is to 127.0.0.1:`port`. */
function rawRequest(port, request) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request));
    let text = '';
    socket.on('data', (d) => { text += d; });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}
