// Every ```ts block of README.md, type-checked as pasted against the installed package's
// declarations, with the compiler options of tests/types/tsconfig.json (strict, module nodenext).
//
// Each block becomes one module under .work/readme-ts/ (inside the repository, so `wxpay-wasm`
// resolves to node_modules as in a user's project). A preamble declares what the README leaves
// to the reader (`wxpay`, and the order fields `appid`, `out_trade_no`...); a postamble may use
// what the block declares. The text of a block is never edited. A line whose comment says
// "does not compile" must fail with the error named in the case; every other line must compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { readmeBlocks } from '../readme/blocks.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT = "import type { Wxpay } from 'wxpay-wasm';\ndeclare const wxpay: Wxpay;\n";

/** Per README block id: `preamble`, `postamble`, and the TS error codes the "does not compile" lines expect. */
const CASES = {
  'TypeScript #1': {
    preamble: `${CLIENT}declare const appid: string, mchid: string, out_trade_no: string, notify_url: string, openid: string;\n`,
    failing: [2551], // Property 'transactoins' does not exist ... Did you mean 'transactions'?
  },
  'TypeScript #2': {
    preamble: `${CLIENT}declare const appid: string;\n`,
    postamble: 'export const prepayId$: string = r.data.prepay_id;\n',
  },
  'TypeScript #3': {
    // The merged node is typed: its answer's `id` is a string.
    postamble: "export async function check$(w: import('wxpay-wasm').Wxpay): Promise<string> {\n  return (await w.v3.newFamily.get()).data.id;\n}\n",
  },
};

const blocks = readmeBlocks('ts');

test('README: every ```ts block has a case here, and every case a block', () => {
  assert.deepEqual(blocks.map((b) => b.id).sort(), Object.keys(CASES).sort());
});

test('README: the ```ts blocks type-check as pasted', () => {
  const dir = join(root, '.work', 'readme-ts');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const files = [];
  const expected = new Map(); // `${file}:${line}` -> code
  blocks.forEach((block, i) => {
    const c = CASES[block.id];
    const pre = c.preamble ?? '';
    const file = resolve(dir, `readme-${i + 1}.ts`);
    writeFileSync(file, `${pre}${block.code}${c.postamble ?? ''}`);
    files.push(file);
    const offset = pre.split('\n').length - 1;
    const failing = block.code.split('\n').flatMap((l, n) => (/\/\/.*does not compile/.test(l) ? [offset + n + 1] : []));
    assert.equal(failing.length, (c.failing ?? []).length, `${block.id}: the "does not compile" lines and the codes expected for them`);
    failing.forEach((line, k) => expected.set(`${file}:${line}`, c.failing[k]));
  });

  const configPath = join(root, 'tests/types/tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath));
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const problems = [];
  const seen = new Set();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const where = d.file ? `${d.file.fileName}:${line}` : '(global)';
    if (expected.get(where) === d.code) { seen.add(where); continue; }
    problems.push(`${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  for (const [where, code] of expected) if (!seen.has(where)) problems.push(`${where}: expected TS${code}, but the line compiles`);
  assert.deepEqual(problems, []);
  // The blocks were checked against the package's declarations, not against nothing.
  assert.ok(program.getSourceFiles().some((f) => f.fileName.endsWith('node_modules/wxpay-wasm/index.d.ts')), 'index.d.ts was read');
});
