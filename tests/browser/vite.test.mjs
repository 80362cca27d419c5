// The browser entry taken into an app by Vite, as a merchant's page takes it: Vite 5, 6, 7 and 8
// (pinned in tests/browser/vite/package-lock.json), `vite build` served as static files and the
// dev server, each page loaded in headless Chromium. With what the README says each major needs
// (Runtimes, "Bundling for browsers"), the page's client signs as node:crypto does; without it,
// what the README says fails fails, and the entry's own error names the advice where it can.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { closeServer, startChromium } from './chromium.mjs';

const VITE = resolve(import.meta.dirname, 'vite/node_modules');
const pkgDir = resolve(import.meta.dirname, '../../node_modules/wxpay-wasm');

/** What the README asks of each Vite major (Runtimes, "Bundling for browsers"). */
const EXCLUDE = { optimizeDeps: { exclude: ['wxpay-wasm'] } };
const ADVICE = {
  5: { build: { target: 'es2022' }, ...EXCLUDE },
  6: { build: { target: 'es2022' }, ...EXCLUDE },
  7: EXCLUDE,
  8: {},
};

// A merchant's page: the package imported as any dependency is.
const INDEX = '<!doctype html>\n<script type="module" src="./main.js"></script>\n';
const MAIN = "import { Wxpay, WxpayError } from 'wxpay-wasm';\nwindow.wxpayReady = { Wxpay, WxpayError };\n";

let chromium, appDir, keys;

before(async () => {
  assert.ok(existsSync(join(VITE, 'vite8')), 'tests/browser/vite has no node_modules: make test-browser installs them');
  // The app, outside this repository, with the package installed in its own node_modules.
  appDir = mkdtempSync(join(tmpdir(), 'wxpay-vite-'));
  writeFileSync(join(appDir, 'package.json'), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(appDir, 'index.html'), INDEX);
  writeFileSync(join(appDir, 'main.js'), MAIN);
  mkdirSync(join(appDir, 'node_modules'));
  cpSync(pkgDir, join(appDir, 'node_modules/wxpay-wasm'), { recursive: true });
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  keys = {
    privateKey,
    options: {
      mchid: '1900000109',
      serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      certs: { PUB_KEY_ID_0114232134912410000000000000: publicKey.export({ type: 'spki', format: 'pem' }) },
    },
  };
  chromium = await startChromium();
});

after(async () => {
  await chromium?.close();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

/** Vite `major`'s Node entry, as a file: URL (imported here, and by the child process below). */
const viteEntry = (major) => pathToFileURL(join(VITE, `vite${major}`, 'dist/node/index.js')).href;
const vite = (major) => import(viteEntry(major));

/** `vite build` of the app with `config`, into a directory of its own. */
async function build(major, config, name) {
  const { build: viteBuild } = await vite(major);
  const outDir = join(appDir, `dist-${name}`);
  await viteBuild({ root: appDir, configFile: false, logLevel: 'silent', cacheDir: join(appDir, `.vite-${name}`), ...config, build: { ...config.build, outDir } });
  return outDir;
}

/** Serves `dir` as static files on 127.0.0.1: `{ url, close }`. */
async function serve(dir) {
  const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => closeServer(server) };
}

/** Vite's dev server on the app with `config`: `{ url, close }`. */
async function dev(major, config, name) {
  const { createServer: viteServer } = await vite(major);
  const server = await viteServer({ root: appDir, configFile: false, logLevel: 'silent', cacheDir: join(appDir, `.vite-${name}`), ...config, server: { host: '127.0.0.1', port: 0, strictPort: false } });
  await server.listen();
  return { url: server.resolvedUrls.local[0], close: () => server.close() };
}

/**
 * Loads `url` in Chromium: `{ signature }` (a client of the page, made with the test keys, signs
 * 'vite'), or `{ failed }` (the page's first uncaught error).
 */
async function visit(url) {
  const page = await chromium.browser.newPage();
  try {
    const failed = new Promise((resolve) => page.on('pageerror', (e) => resolve({ failed: e.message })));
    const ready = page.waitForFunction(() => window.wxpayReady, null, { timeout: 30_000 }).then(() => page.evaluate(async (options) => {
      const { Wxpay } = window.wxpayReady;
      return { signature: await new Wxpay(options).sign('vite') };
    }, keys.options));
    ready.catch(() => {}); // once the page has failed, its wait ends when the page closes
    await page.goto(url);
    return await Promise.race([ready, failed]);
  } finally {
    await page.close();
  }
}

/** `visit` of a site (`serve`'s or `dev`'s), which is closed after. */
async function visitOnce(site) {
  try {
    return await visit(site.url);
  } finally {
    await site.close();
  }
}

const expected = () => ({ signature: crypto.sign('sha256', Buffer.from('vite'), keys.privateKey).toString('base64') });

for (const major of [5, 6, 7, 8]) {
  test(`Vite ${major}: vite build, with the README's configuration, signs in Chromium`, async () => {
    assert.deepEqual(await visitOnce(await serve(await build(major, ADVICE[major], `${major}-build`))), expected());
  });

  test(`Vite ${major}: the dev server, with the README's configuration, signs in Chromium`, async () => {
    assert.deepEqual(await visitOnce(await dev(major, ADVICE[major], `${major}-dev`)), expected());
  });
}

test('Vite 8 needs no configuration, to build or to serve', async () => {
  assert.deepEqual(await visitOnce(await serve(await build(8, {}, '8-bare-build'))), expected());
  assert.deepEqual(await visitOnce(await dev(8, {}, '8-bare-dev')), expected());
});

test("Vite 7 builds with no configuration; its dev server, without the exclusion, fails at import with the entry's advice", async () => {
  assert.deepEqual(await visitOnce(await serve(await build(7, {}, '7-bare-build'))), expected());
  const { failed } = await visitOnce(await dev(7, {}, '7-bare-dev'));
  assert.match(failed, /^wxpay-wasm: http:\/\/127\.0\.0\.1:\d+\/\S*wxpay_wasm_bg\.wasm answered \d+ \(text\/html[^)]*\), not wxpay_wasm_bg\.wasm\. If a bundler or dev server moved this file away from it, keep them together \(esbuild, rollup: copy wxpay_wasm_bg\.wasm beside the bundle; Vite: optimizeDeps: \{ exclude: \['wxpay-wasm'\] \}; README, Runtimes\)$/);
});

for (const major of [5, 6]) {
  test(`Vite ${major}: vite build without build.target es2022 fails on the entry's top-level await`, async () => {
    await assert.rejects(build(major, EXCLUDE, `${major}-target-build`), /Top-level await is not available in the configured target environment/);
  });

  test(`Vite ${major}: the dev server without the exclusion dies on the entry's top-level await`, async () => {
    // Its dependency pre-bundling throws where nothing can catch it: in a process of its own.
    const script = `
      const { createServer } = await import(${JSON.stringify(viteEntry(major))});
      const server = await createServer({ root: ${JSON.stringify(appDir)}, configFile: false, logLevel: 'silent',
        cacheDir: ${JSON.stringify(join(appDir, `.vite-${major}-bare-dev`))}, server: { host: '127.0.0.1', port: 0 } });
      await server.listen();
      await (await fetch(new URL('main.js', server.resolvedUrls.local[0]))).text();
      await new Promise((r) => setTimeout(r, 10_000));
      console.log('still serving');
      await server.close();`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.notEqual(code, 0, stdout);
    assert.doesNotMatch(stdout, /still serving/);
    assert.match(stderr, /Top-level await is not available in the configured target environment/);
  });
}
