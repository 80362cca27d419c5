// Run by Node 16 and 18 (tests/nodes/run.sh): the package refuses them at import, by `import` and
// by `require`, saying what it needs, where it would otherwise fail later and unclearly (Node 16:
// WebAssembly's CompileError for externref; Node 18's ES modules: ERR_CRYPTO at every signature,
// having no global crypto). Exits 1 unless both ways refuse so.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const want = `wxpay-wasm: needs Node 20 or later, and this is Node ${process.versions.node} (README, Install)`;
const seen = [];
try {
  await import('wxpay-wasm');
  seen.push('import: loaded');
} catch (e) {
  seen.push(`import: ${e.message}`);
}
try {
  require('wxpay-wasm');
  seen.push('require: loaded');
} catch (e) {
  seen.push(`require: ${e.message}`);
}
console.log(seen.join('\n'));
process.exit(seen.every((line) => line.includes(want)) ? 0 : 1);
