// Per request of the seed GET (certificate mode, 10 in flight): the calls across the JS<->wasm
// boundary by name, the strings and byte arrays that cross it, and the allocations of the Rust
// side, from the counting build of bench/profile/counts.sh:
//   bash bench/profile/counts.sh && node bench/profile/counts.mjs [requests=2000]
import { batch, ours, sandbox } from './clients.mjs';

const n = Number(process.argv[2] ?? 2000);
const counts = new Map();
const bump = (k) => counts.set(k, (counts.get(k) ?? 0) + 1);
// wasm-bindgen's names, without the `__wbg_` prefix and the hash suffix.
const short = (name) => name.replace(/^__wbg_/, '').replace(/_[0-9a-f]{16}$/, '');

// Every import and export of the instance, wrapped to count its calls.
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const wrapped = {};
  for (const [ns, fns] of Object.entries(imports)) {
    wrapped[ns] = {};
    for (const [name, f] of Object.entries(fns)) {
      wrapped[ns][name] = typeof f !== 'function' ? f : (...args) => { bump(`wasm -> JS  ${short(name)}`); return f(...args); };
    }
  }
  const instance = new Instance(module, wrapped);
  const exports = {};
  for (const [name, f] of Object.entries(instance.exports)) {
    exports[name] = typeof f !== 'function' ? f : (...args) => { bump(`JS -> wasm  ${name}`); return f(...args); };
  }
  return { exports };
};
// The glue's string crossings go through these (boundary.js's answer decoding too).
for (const [cls, method] of [[TextEncoder, 'encodeInto'], [TextDecoder, 'decode']]) {
  const f = cls.prototype[method];
  cls.prototype[method] = function (...args) { bump(`text        ${cls.name}.${method}`); return f.apply(this, args); };
}

const sb = await sandbox();
const get = await ours(sb, '.work/count-pkg');
const { allocStats } = await import(`${process.cwd()}/.work/count-pkg/wxpay_wasm.js`);
await batch(get, 500);
counts.clear();
const a0 = allocStats();
await batch(get, n);
const a1 = allocStats();
await sb.close();

const per = (x) => (x / n).toFixed(2).padStart(7);
const rows = [...counts].sort((x, y) => y[1] - x[1]);
const total = (prefix) => rows.filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);
console.log(`${n} requests; per request:`);
for (const [k, v] of rows) console.log(`${per(v)}  ${k}`);
console.log(`${per(total('JS -> wasm') + total('wasm -> JS'))}  crossings in all (${per(total('JS -> wasm')).trim()} into wasm, ${per(total('wasm -> JS')).trim()} out)`);
// The second allocStats() call's own vector counts once in the difference: negligible over n.
const [allocs, reallocs, frees, bytes] = [0, 1, 2, 3].map((i) => a1[i] - a0[i]);
console.log(`${per(allocs)}  Rust allocations (${per(reallocs).trim()} reallocations, ${per(frees).trim()} frees, ${per(bytes).trim()} bytes requested)`);
