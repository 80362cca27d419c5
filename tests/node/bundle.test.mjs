// README, Runtimes, "Bundling for Node": an app bundled with esbuild (the version this project
// pins), wxpay-wasm kept out of the bundle as the README says (`packages: 'external'`, or
// `external: ['wxpay-wasm']`, in ESM and in CommonJS), runs the seed GET against the sandbox from
// its bundle; one that takes the package into its bundle throws at import, naming the file it
// cannot read and the advice. Each bundle runs in a process of its own, as a service would.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { useSandbox, options, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();
const root = resolve(fileURLToPath(import.meta.url), '../../..');
// Inside the repository, so that the bundles' bare `wxpay-wasm` resolves to its node_modules.
mkdirSync(join(root, '.work'), { recursive: true });
const dir = mkdtempSync(join(root, '.work', 'bundle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const APP = `import { Wxpay } from 'wxpay-wasm';
const wxpay = new Wxpay(JSON.parse(process.env.APP_OPTIONS));
const { status, data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: '${CARD_ID}', code: '${CODE}' });
console.log(JSON.stringify({ status, code: data.code }));
`;
const APP_CJS = `const { Wxpay } = require('wxpay-wasm');
const wxpay = new Wxpay(JSON.parse(process.env.APP_OPTIONS));
wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: '${CARD_ID}', code: '${CODE}' })
  .then(({ status, data }) => console.log(JSON.stringify({ status, code: data.code })));
`;

/** Bundles `source` (named `name`) with esbuild into a directory of its own: the output file. */
async function bundle(name, source, settings) {
  const out = join(dir, name);
  mkdirSync(out);
  writeFileSync(join(out, `app.${settings.format === 'cjs' ? 'cjs' : 'mjs'}`), source);
  const outfile = join(out, `bundle.${settings.format === 'cjs' ? 'cjs' : 'mjs'}`);
  await build({ entryPoints: [join(out, `app.${settings.format === 'cjs' ? 'cjs' : 'mjs'}`)], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'silent', ...settings });
  return outfile;
}

function run(file, sb) {
  return new Promise((done) => {
    execFile(process.execPath, [file], { timeout: 30_000, env: { ...process.env, APP_OPTIONS: JSON.stringify(options(sb)) } },
      (error, stdout, stderr) => done({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr }));
  });
}

for (const [name, settings] of [
  ['esm-packages-external', { format: 'esm', packages: 'external' }],
  ['esm-external', { format: 'esm', external: ['wxpay-wasm'] }],
  ['cjs-external', { format: 'cjs', external: ['wxpay-wasm'] }],
]) {
  test(`bundled by esbuild with wxpay-wasm external (${name}): the seed GET, verified`, async () => {
    const { sb } = ctx;
    const file = await bundle(name, settings.format === 'cjs' ? APP_CJS : APP, settings);
    const { code, stdout, stderr } = await run(file, sb);
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { status: 200, code: CODE });
    assert.ok(sb.requests.length === 1 && sb.requests[0].verified && sb.requests[0].status === 200);
  });
}

test('bundled by esbuild with wxpay-wasm inside: the bundle throws at import, naming the file and the advice', async () => {
  const { sb } = ctx;
  const file = await bundle('inside', APP, { format: 'esm' });
  assert.ok(!readdirSync(join(dir, 'inside')).some((f) => f.endsWith('.wasm')), 'esbuild carried no .wasm');
  const { code, stderr } = await run(file, sb);
  assert.notEqual(code, 0);
  assert.match(stderr, /wxpay-wasm: cannot read wxpay_wasm_bg\.wasm beside its entry\. If a bundler \(Next\.js, esbuild, webpack, rollup, Vite's SSR build, bun build\) took the package into a bundle, keep it external \(README, Runtimes\)/);
  assert.equal(sb.requests.length, 0);
});

// helper-105: bundled to CommonJS (esbuild's default output for Node), the ESM entry's
// import.meta is empty; the .wasm's URL was made outside the catch, and the bundle threw a bare
// `TypeError: Invalid URL`, no advice.
test('an ESM import bundled by esbuild to CommonJS with wxpay-wasm inside (its defaults for Node): the same advice', async () => {
  const { sb } = ctx;
  const file = await bundle('inside-cjs', "import { Wxpay } from 'wxpay-wasm';\nconsole.log(typeof Wxpay);\n", { format: 'cjs' });
  const { code, stderr } = await run(file, sb);
  assert.notEqual(code, 0);
  assert.match(stderr, /Error: wxpay-wasm: cannot read wxpay_wasm_bg\.wasm beside its entry\. If a bundler \(Next\.js, esbuild, webpack, rollup, Vite's SSR build, bun build\) took the package into a bundle, keep it external \(README, Runtimes\): /);
  assert.equal(sb.requests.length, 0);
});
