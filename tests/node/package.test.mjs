// The tarball as npm would publish it: exactly the files users need, README and LICENSE included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packedMarkdown, relativeLinks, REPOSITORY } from '../../scripts/pkg-readme.mjs';

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));

test('npm pack --dry-run lists README.md, README.zh-CN.md, SECURITY.md, LICENSE, THIRD_PARTY_NOTICES and every file the entries load, and nothing else', () => {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkg, encoding: 'utf8' }));
  const files = info.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    'LICENSE', 'README.md', 'README.zh-CN.md', 'SECURITY.md', 'bill.js', 'boundary.js', 'browser.mjs', 'cli.mjs', 'error.js', 'index.d.cts', 'index.d.ts',
    'node.cjs', 'node.mjs', 'package.json', 'payscore.js', 'THIRD_PARTY_NOTICES', 'upload.js', 'workerd.mjs', 'wxpay.js', 'wxpay_wasm.cjs', 'wxpay_wasm.js', 'wxpay_wasm_bg.wasm',
  ].sort());
  // wasm-bindgen's declarations of the glue's internals are not shipped, nor named by the glue.
  assert.doesNotMatch(readFileSync(join(pkg, 'wxpay_wasm.js'), 'utf8'), /wxpay_wasm\.d\.ts/);
  // README and SECURITY.md as written, but for their links to the repository's files the package
  // does not carry (scripts/pkg-readme.mjs): README sends its readers to SECURITY.md (the RSA, what
  // is verified, what is never logged), to examples/ and docs/.
  for (const md of ['README.md', 'README.zh-CN.md', 'SECURITY.md']) {
    const given = readFileSync(new URL(`../../${md}`, import.meta.url), 'utf8');
    const shipped = readFileSync(new URL(`../../node_modules/wxpay-wasm/${md}`, import.meta.url), 'utf8');
    assert.equal(shipped, packedMarkdown(given), md);
    // Every relative link left leads to a file the package has.
    for (const path of relativeLinks(shipped)) assert.ok(files.includes(path), `${md}: ${path}`);
  }
  // Code is not touched, nor images or links that go up (helper-142); `./` is the same path.
  const code = 'Call `handlers[name](event)`:\n```js\nconst f = table[kind](payload);\n```\n![d](docs/d.png) [u](../x.md) [q](docs/api.md?plain=1)';
  assert.equal(packedMarkdown(code), code);
  assert.equal(packedMarkdown('[a](./docs/api.md) [`b`](examples/node#top) [s](SECURITY.md)'),
    `[a](${REPOSITORY}/blob/main/docs/api.md) [\`b\`](${REPOSITORY}/tree/main/examples/node#top) [s](SECURITY.md)`);
  const readme = readFileSync(new URL('../../node_modules/wxpay-wasm/README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(`](${REPOSITORY}/tree/main/examples/node)`) && readme.includes(`](${REPOSITORY}/blob/main/docs/api.md)`) && readme.includes('](SECURITY.md)'));
  assert.equal(REPOSITORY, 'https://github.com/wxpay-wasm/wxpay-wasm');
  assert.match(readFileSync(new URL('../../node_modules/wxpay-wasm/LICENSE', import.meta.url), 'utf8'), /^MIT License/);
});

test('the declarations ship once: index.d.ts (import) re-exports index.d.cts (require)', () => {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkg, encoding: 'utf8' }));
  const size = Object.fromEntries(info.files.map((f) => [f.path, f.size]));
  const esm = readFileSync(new URL('index.d.ts', `file://${pkg}`), 'utf8');
  assert.deepEqual(esm.split('\n').filter((l) => l && !l.startsWith('//')), ["export * from './index.cjs';"]);
  assert.ok(size['index.d.cts'] > 1_000_000, `index.d.cts holds the declarations (${size['index.d.cts']} B)`);
  assert.ok(size['index.d.ts'] < 200, `index.d.ts is only the re-export (${size['index.d.ts']} B)`);
});

test('an entry moved without its .wasm (a bundler took it in) fails naming the package, the file and what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-nowasm-'));
  try {
    cpSync(pkg, dir, { recursive: true, filter: (src) => !src.endsWith('.wasm') });
    for (const [entry, load] of [['node.mjs', `import(${JSON.stringify(join(dir, 'node.mjs'))})`], ['node.cjs', `Promise.resolve().then(() => require(${JSON.stringify(join(dir, 'node.cjs'))}))`]]) {
      const out = execFileSync(process.execPath, ['-e', `${load}.then(() => console.log('loaded'), (e) => console.log(e.message + ' | cause: ' + e.cause?.code))`], { encoding: 'utf8' });
      assert.match(out, /^wxpay-wasm: cannot read wxpay_wasm_bg\.wasm beside its entry\. If a bundler .* keep it external \(README, Runtimes\): .*ENOENT.* \| cause: ENOENT$/m, entry);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Node's permission model refusing the .wasm (every other file of the package allowed) is told so, with the flag and directory that allow it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-permission-'));
  try {
    cpSync(pkg, dir, { recursive: true });
    const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    const allowed = readdirSync(dir).filter((f) => !f.endsWith('.wasm')).map((f) => `--allow-fs-read=${join(dir, f)}`);
    for (const [entry, load] of [['node.mjs', `import(${JSON.stringify(join(dir, 'node.mjs'))})`], ['node.cjs', `Promise.resolve().then(() => require(${JSON.stringify(join(dir, 'node.cjs'))}))`]]) {
      const out = execFileSync(process.execPath, [flag, ...allowed, '--no-warnings', '-e', `${load}.then(() => console.log('loaded'), (e) => console.log(e.message + ' | cause: ' + e.cause?.code))`], { encoding: 'utf8' });
      const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(out, new RegExp(`^wxpay-wasm: Node's permission model refused to read wxpay_wasm_bg\\.wasm: allow its directory too, --allow-fs-read=${escaped} \\(README, Runtimes\\): .* \\| cause: ERR_ACCESS_DENIED$`, 'm'), entry);
      assert.doesNotMatch(out, /bundler/, entry);
    }
    // Allowed, the same entries load.
    const out = execFileSync(process.execPath, [flag, `--allow-fs-read=${dir}`, '--no-warnings', '-e', `import(${JSON.stringify(join(dir, 'node.mjs'))}).then(() => console.log('loaded'), (e) => console.log(e.message))`], { encoding: 'utf8' });
    assert.equal(out.trim(), 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Node's permission model with the package behind a symlink (pnpm, npm's linked strategy, Bun's isolated linker): the link and its target both allowed", () => {
  // pnpm's layout: node_modules/wxpay-wasm links to node_modules/.pnpm/.../node_modules/wxpay-wasm.
  const app = mkdtempSync(join(tmpdir(), 'wxpay-linked-'));
  try {
    const real = join(app, 'node_modules/.pnpm/wxpay-wasm@0.1.0/node_modules/wxpay-wasm');
    cpSync(pkg, real, { recursive: true });
    symlinkSync(real, join(app, 'node_modules/wxpay-wasm'), 'dir');
    writeFileSync(join(app, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(app, 'app.js'), "import('wxpay-wasm').then((m) => console.log('loaded ' + typeof m.Wxpay), (e) => console.log(e.code + ': ' + e.message));\n");
    const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    const run = (...dirs) => execFileSync(process.execPath, [flag, `--allow-fs-read=${join(app, 'app.js')}`, `--allow-fs-read=${join(app, 'package.json')}`, ...dirs.map((d) => `--allow-fs-read=${d}`), '--no-warnings', join(app, 'app.js')], { encoding: 'utf8', cwd: app }).trim();
    // The link alone, or its target alone, is refused by Node, before the package runs (no
    // wxpay-wasm message: the package's own, for a refused .wasm, is tested above).
    for (const alone of [join(app, 'node_modules/wxpay-wasm'), real]) {
      const out = run(alone);
      assert.match(out, /^ERR_ACCESS_DENIED: /, alone);
      assert.doesNotMatch(out, /wxpay-wasm:/, alone);
    }
    assert.equal(run(join(app, 'node_modules/wxpay-wasm'), real), 'loaded function');
    assert.equal(run(join(app, 'node_modules')), 'loaded function');
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});

test('the browser entry loaded in Node (a bundler resolved it without the node condition) says so, not the Vite advice', () => {
  const out = execFileSync(process.execPath, ['-e', `import(${JSON.stringify(join(pkg, 'browser.mjs'))}).then(() => console.log('loaded'), (e) => console.log(e.message))`], { encoding: 'utf8' });
  assert.match(out, /^wxpay-wasm: cannot fetch wxpay_wasm_bg\.wasm from file:\/\/.*\/wxpay_wasm_bg\.wasm\. This is the browser entry, loaded in Node: a bundler or a test environment \(Jest's jsdom, happy-dom\) resolved wxpay-wasm without the node condition \(rollup: nodeResolve\(\{ exportConditions: \['node'\] \}\); Jest: the node test environment\); better, keep the package external \(README, Runtimes; Testing your code\): /m);
  assert.doesNotMatch(out, /optimizeDeps/);
});

test('the browser entry given a Response the host cannot compile as it streams (another realm\'s or fetch\'s: EdgeRuntime, undici from npm) compiles its bytes', () => {
  // undici from npm: its Response is not the one Node's WebAssembly.compileStreaming takes, as
  // Vercel's EdgeRuntime's is not (helper-145). Served as application/wasm; with the global
  // Response the host's (the glue does not stream it) and then undici's too (the glue streams it,
  // and the host refuses it).
  const undici = fileURLToPath(new URL('../../node_modules/undici/index.js', import.meta.url));
  for (const global of [false, true]) {
    const script = `
      import { Response } from ${JSON.stringify(undici)};
      import { readFileSync } from 'node:fs';
      import { generateKeyPairSync } from 'node:crypto';
      const bytes = readFileSync(${JSON.stringify(join(pkg, 'wxpay_wasm_bg.wasm'))});
      if (${global}) globalThis.Response = Response;
      let fetched = 0;
      globalThis.fetch = async () => (fetched++, new Response(bytes, { headers: { 'content-type': 'application/wasm' } }));
      try {
        const { Wxpay } = await import(${JSON.stringify(join(pkg, 'browser.mjs'))});
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
        const wxpay = new Wxpay({ mchid: '1900000109', serial: 'A1B2C3', privateKey, apiv3Key: 'k'.repeat(32) });
        console.log('signed ' + (await wxpay.sign('x')).length + ', fetched ' + fetched);
      } catch (e) { console.log(e.message); }`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(out.trim(), 'signed 344, fetched 1', `global Response undici's: ${global}`);
  }
});

test('the .wasm carries no path of the machine that built it (dependencies\' panic locations are remapped)', () => {
  const wasm = readFileSync(join(pkg, 'wxpay_wasm_bg.wasm')).toString('latin1');
  for (const local of ['/.cargo/registry/', `${process.env.CARGO_HOME ?? join(process.env.HOME ?? '/nonexistent', '.cargo')}/`, process.cwd() + '/'])
    assert.ok(!wasm.includes(local), `the .wasm names ${local}`);
  assert.ok(wasm.includes('crates/der-'), 'the remapped locations are there, shorter');
});

test('THIRD_PARTY_NOTICES carries the license text of every crate the .wasm names, and of the Rust standard library', () => {
  const notices = readFileSync(new URL('../../node_modules/wxpay-wasm/THIRD_PARTY_NOTICES', import.meta.url), 'utf8');
  // The crates the .wasm itself names (its panic locations: `crates/<name>-<version>/src/...`),
  // read from the binary, not from the cargo tree the notices were made from.
  const wasm = readFileSync(join(pkg, 'wxpay_wasm_bg.wasm')).toString('latin1');
  const named = [...new Set([...wasm.matchAll(/crates\/([A-Za-z0-9_-]+?)-(\d+\.\d+\.\d+)\//g)].map((m) => `${m[1]} ${m[2]}`))];
  assert.ok(named.length >= 15, `the .wasm names ${named.length} crates`);
  const sections = notices.split(/\n-{78}\n/);
  // And three the .wasm does not name (no panic location): the binding layer, the allocator, and
  // the one under BSD-3-Clause; any version.
  for (const crate of [...named.map((c) => `${c} (`), 'subtle ', 'wasm-bindgen ', 'talc ']) {
    const section = sections.find((s) => s.split('\n\n')[0].split('\n').some((l) => l.startsWith(crate)));
    assert.ok(section, `no notice for ${crate}`);
    // Its license text follows the names: MIT's grant, or BSD's conditions.
    assert.match(section, /Permission is hereby granted, free of charge|Redistribution and use in source and binary forms/, crate);
  }
  assert.match(wasm, /\/library\/core\//);
  assert.match(notices, /^The Rust standard library \(core, alloc, std; rustc [^)]+\), MIT OR Apache-2\.0, used under MIT:\n\nMIT License\n\nCopyright \(c\) The Rust Project Contributors\n/m);
});
