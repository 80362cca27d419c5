// Bundles the CommonJS file of a package directory: <dir>/wxpay_wasm.cjs from
// scripts/cjs-entry.mjs plus any further entry lines given, resolved in <dir>.
// Usage: node scripts/build-cjs.mjs <dir> [entry-line...]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const [dir, ...extra] = process.argv.slice(2);
const entry = readFileSync(new URL('./cjs-entry.mjs', import.meta.url), 'utf8');
const result = await build({
  stdin: { contents: [entry, ...extra].join('\n'), resolveDir: resolve(dir), sourcefile: 'cjs-entry.mjs' },
  bundle: true,
  format: 'cjs',
  platform: 'neutral',
  logLevel: 'warning',
  define: { 'import.meta.url': 'undefined' },
  outfile: join(dir, 'wxpay_wasm.cjs'),
  banner: { js: '// CommonJS build of wxpay_wasm.js, wxpay.js and error.js, made by esbuild.' },
});
// A warning (printed above) is a defect in what ships: the build fails on it.
if (result.warnings.length > 0) {
  console.error(`build-cjs: esbuild warned ${result.warnings.length} time(s) on ${join(dir, 'wxpay_wasm.cjs')}`);
  process.exit(1);
}
