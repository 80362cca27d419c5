// examples/node run as its README says: `npm install` (the package built from this clone,
// a file: dependency on pkg/), then `node index.mjs <card_id> <code>` with the WXPAY_* variables,
// against the sandbox. (examples/worker is bundled with `wrangler deploy --dry-run` and run in
// workerd by tests/workerd/worker.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
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
