// Size of what users download and what Workers upload.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { table } from './stats.mjs';

export function size() {
  const root = resolve(import.meta.dirname, '..');
  const wasm = readFileSync(resolve(root, 'pkg/wxpay_wasm_bg.wasm'));
  const tgz = readdirSync(resolve(root, '.work')).find((f) => /^wxpay-wasm-.*\.tgz$/.test(f));
  const data = {
    wasmRaw: wasm.length,
    wasmGzip: gzipSync(wasm, { level: 9 }).length,
    tarball: tgz ? statSync(resolve(root, '.work', tgz)).size : null,
  };
  const kb = (n) => `${n} B (${(n / 1024).toFixed(1)} KiB)`;
  return {
    data,
    markdown: table(['artifact', 'bytes'], [
      ['`.wasm` raw', kb(data.wasmRaw)],
      ['`.wasm` gzip -9', kb(data.wasmGzip)],
      ['packed tarball (`npm pack`)', data.tarball ? kb(data.tarball) : 'not packed'],
    ]),
  };
}
