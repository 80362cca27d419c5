// make bench: every section side by side in one run; prints the figures and
// writes bench/RESULTS.md with the machine and the command.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { coldstart } from './coldstart.mjs';
import { e2e } from './e2e.mjs';
import { files } from './files.mjs';
import { layers } from './layers.mjs';
import { micro } from './micro.mjs';
import { rsa } from './rsa-section.mjs';
import { size } from './size.mjs';
import { types } from './types.mjs';
import { soak } from './soak.mjs';
import { workerd } from './workerd.mjs';

const sections = [
  ['Sign and verify, one process (Node)', micro],
  ['End to end: the seed GET, ours vs wechatpay-axios-plugin', e2e],
  ['Layers: where the Node overhead sits', layers],
  ['Inside workerd (Miniflare)', workerd],
  ['The pure-Rust signer (`crypto: \'rust\'`)', rsa],
  ['Cold start (Node, workerd)', coldstart],
  ['Files: a 100 MB bill streamed (Node, workerd)', files],
  ['Size', size],
  ['Types: declarations and the cost of a type check', types],
  ['Soak: 100k requests at 200 in flight, per backend', soak],
];
const only = process.argv.slice(2);
// Under another Node than the machine's (`WXPAY_BENCH_NODE=26 bash bench/run.sh e2e`), each
// section is one of its own, named with the version, and RESULTS.md keeps the others.
const other = process.env.WXPAY_BENCH_NODE ? ` (Node ${process.version})` : '';
/** The commit measured, read once: each section's stamp and the file's header name it. */
const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
const parts = [];
for (const [title, run] of sections) {
  if (only.length && !only.some((o) => run.name === o)) continue;
  process.stderr.write(`bench: ${title}${other}...\n`);
  const { markdown } = await run();
  // A section re-run alone (`node bench/main.mjs e2e`) says when and at which commit.
  const stamp = only.length || other ? `_This section: ${new Date().toISOString().slice(0, 10)}, commit ${commit}._\n\n` : '';
  const part = `## ${title}${other}\n\n${stamp}${markdown}\n`;
  console.log(part);
  parts.push(part);
}
if (!only.length && !other) {
  const dirty = execSync('git status --porcelain -- src pkg-template Cargo.toml', { encoding: 'utf8' }).trim() ? ' (with uncommitted changes)' : '';
  const header = `# Benchmark results

Written by \`make bench\` (bench/main.mjs) on ${new Date().toISOString().slice(0, 10)}, commit ${commit}${dirty}.
Machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.
The machine is shared and noisy: compare the rows of one table (measured side by side, in
alternating batches), not figures across runs. A section re-run alone since carries its own date
and commit.
`;
  writeFileSync(resolve(import.meta.dirname, 'RESULTS.md'), [header, ...parts].join('\n'));
  process.stderr.write('bench: wrote bench/RESULTS.md\n');
} else if (existsSync(resolve(import.meta.dirname, 'RESULTS.md'))) {
  // `bash bench/run.sh types`: replace (or add) just these sections in RESULTS.md.
  const file = resolve(import.meta.dirname, 'RESULTS.md');
  let text = readFileSync(file, 'utf8');
  for (const part of parts) {
    const title = part.slice(0, part.indexOf('\n'));
    const at = text.indexOf(`${title}\n`);
    const end = at < 0 ? -1 : text.indexOf('\n## ', at + title.length);
    text = at < 0 ? `${text.trimEnd()}\n\n${part}` : `${text.slice(0, at)}${part}${end < 0 ? '' : text.slice(end)}`;
  }
  writeFileSync(file, text);
  process.stderr.write('bench: updated these sections of bench/RESULTS.md\n');
}
