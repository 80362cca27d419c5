// Size of what users download and what Workers upload.
import { execFileSync } from 'node:child_process';
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
    // GNU gzip's figure, the one the size budget and the history below use.
    wasmGzipCli: execFileSync('gzip', ['-9', '-n', '-c', resolve(root, 'pkg/wxpay_wasm_bg.wasm')]).length,
    tarball: tgz ? statSync(resolve(root, '.work', tgz)).size : null,
  };
  const kb = (n) => `${n} B (${(n / 1024).toFixed(1)} KiB)`;
  // Before and after each change of issue 11 (crates in place of hand-written
  // code), as recorded when it was committed; the budget is 135 KB gzip.
  const history = JSON.parse(readFileSync(resolve(import.meta.dirname, 'size-history.json'), 'utf8'));
  let previous = null;
  const steps = history.steps.map((s) => {
    const delta = previous === null ? '' : `${s.gzip - previous >= 0 ? '+' : ''}${s.gzip - previous}`;
    previous = s.gzip;
    return [s.commit, s.change, String(s.raw), String(s.gzip), delta];
  });
  const now = data.wasmGzipCli;
  steps.push(['this build', 'measured now', String(data.wasmRaw), String(now), `${now - previous >= 0 ? '+' : ''}${now - previous}`]);
  return {
    data,
    markdown: [
      table(['artifact', 'bytes'], [
        ['`.wasm` raw', kb(data.wasmRaw)],
        ['`.wasm` gzip -9 (zlib)', kb(data.wasmGzip)],
        ['`.wasm` `gzip -9` (GNU gzip)', kb(data.wasmGzipCli)],
        ['packed tarball (`npm pack`)', data.tarball ? kb(data.tarball) : 'not packed'],
      ]),
      `Before and after: ${history.note}`,
      table(['commit', 'change', '`.wasm` bytes', '`gzip -9` bytes', 'delta'], steps),
    ].join('\n\n'),
  };
}
