// How often the wasm memory grows while N clients are made, and how long that takes: each build
// in a process of its own, one after the other, so run it twice in both orders.
//
//   node bench/profile/grow.mjs 3000 .work/pkg-before pkg
//
// The package exposes no memory figure; its wasm-bindgen glue does (`initSync()` on the module
// instance the package runs returns its exports), as tests/hostile/harness.mjs reads it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [n, ...dirs] = process.argv.slice(2);
if (process.env.WXPAY_GROW_CHILD) {
  const dir = pathToFileURL(`${resolve(dirs[0])}/`);
  const { generateKeys } = await import('../../tests/sandbox/index.mjs');
  const glue = await import(new URL('wxpay_wasm.js', dir).href);
  const { Wxpay } = await import(new URL('node.mjs', dir).href);
  const keys = generateKeys('1900000109');
  const options = { mchid: '1900000109', serial: keys.merchant.serial, privateKey: keys.merchant.privateKeyPkcs8, certs: { [keys.platform.serial]: keys.platform.certificate } };
  new Wxpay(options).free();
  const { memory } = glue.initSync({ module: readFileSync(new URL('wxpay_wasm_bg.wasm', dir)) });
  let buffer = memory.buffer;
  let grows = 0;
  const kept = [];
  const start = performance.now();
  for (let i = 0; i < Number(n); i++) {
    kept.push(new Wxpay(options));
    if (memory.buffer !== buffer) { grows++; buffer = memory.buffer; }
  }
  const ms = performance.now() - start;
  console.log(`${dirs[0]}: ${n} clients, ${grows} grows, ${(buffer.byteLength / 2 ** 20).toFixed(1)} MiB, ${ms.toFixed(0)} ms`);
} else {
  for (const dir of dirs) {
    process.stdout.write(execFileSync(process.execPath, [import.meta.filename, n, dir], { env: { ...process.env, WXPAY_GROW_CHILD: '1' } }));
  }
}
