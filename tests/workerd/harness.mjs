// Runs Workers the way production does: `wrangler deploy --dry-run` bundles
// them exactly as a deploy would, and Miniflare runs the bundle in workerd.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Bundles the Worker of `wranglerToml` into `outdir`; returns wrangler's upload-size line. */
export async function bundle(wranglerToml, name) {
  const outdir = join(root, '.work', 'workerd', name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const { stdout } = await run(
    join(root, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', outdir, '--config', resolve(root, wranglerToml)],
    { env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: '1' }, cwd: root },
  );
  const upload = stdout.match(/Total Upload: .*/)?.[0];
  if (!upload) throw new Error(`wrangler printed no upload size:\n${stdout}`);
  return { outdir, upload };
}

/** Starts the bundle in workerd with `bindings` (strings: vars and secrets alike); `extra`
 * adds Miniflare options (e.g. `kvNamespaces`). */
export function start(outdir, bindings, extra = {}) {
  return new Miniflare({
    ...extra,
    modules: true,
    scriptPath: join(outdir, 'index.js'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    bindings,
  });
}

/** The example Worker's ADMIN_TOKEN secret in the tests, and the header that carries it. */
export const ADMIN_TOKEN = 'test-admin-token-1b7f3c';
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The secrets the example Worker reads, for a sandbox. */
export function secretsFor(sb, extra = {}) {
  return {
    WXPAY_MCHID: sb.mchid,
    WXPAY_SERIAL: sb.merchant.serial,
    WXPAY_PRIVATE_KEY: sb.merchant.privateKeyPkcs8,
    WXPAY_PLATFORM_SERIAL: sb.platform.serial,
    WXPAY_PLATFORM_CERT: sb.platform.certificate,
    WXPAY_BASE_URL: sb.baseURL,
    WXPAY_APIV3_KEY: sb.apiv3Key,
    ADMIN_TOKEN: ADMIN_TOKEN,
    ...extra,
  };
}
