// The tarball as npm would publish it: exactly the files users need, README and LICENSE included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));

test('npm pack --dry-run lists README.md, LICENSE and every file the entries load', () => {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkg, encoding: 'utf8' }));
  const files = info.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    'LICENSE', 'README.md', 'bill.js', 'boundary.js', 'browser.mjs', 'cli.mjs', 'error.js', 'index.d.cts', 'index.d.ts',
    'node.cjs', 'node.mjs', 'package.json', 'upload.js', 'workerd.mjs', 'wxpay.js', 'wxpay_wasm.cjs', 'wxpay_wasm.d.ts', 'wxpay_wasm.js', 'wxpay_wasm_bg.wasm',
  ]);
  assert.equal(readFileSync(new URL('../../node_modules/wxpay-wasm/README.md', import.meta.url), 'utf8'),
    readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
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
