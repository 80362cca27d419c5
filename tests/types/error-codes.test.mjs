// The declared WxpayErrorCode union is exactly the set of codes the Rust
// core can produce (src/error.rs), with those the class around it makes
// (pkg-template/wxpay.js), so `switch (e.code)` covers what happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('WxpayErrorCode lists every code of src/error.rs and of the class around it, and only those', () => {
  const rust = readFileSync(new URL('../../src/error.rs', import.meta.url), 'utf8');
  const wrapper = readFileSync(new URL('../../pkg-template/wxpay.js', import.meta.url), 'utf8');
  const dts = readFileSync(new URL('../../pkg-template/index.d.ts', import.meta.url), 'utf8');
  const fromRust = new Set([...rust.matchAll(/=>\s*"(ERR_[A-Z_]+)"/g)].map((m) => m[1]));
  const fromWrapper = [...wrapper.matchAll(/new WxpayError\(\s*'(ERR_[A-Z_]+)'/g)].map((m) => m[1]);
  assert.ok(fromWrapper.includes('ERR_NESTED_CALL'), `read ${fromWrapper} from wxpay.js`);
  for (const code of fromWrapper) fromRust.add(code);
  const union = /export type WxpayErrorCode =([^;]+);/.exec(dts)?.[1] ?? '';
  const declared = new Set([...union.matchAll(/'(ERR_[A-Z_]+)'/g)].map((m) => m[1]));
  assert.ok(fromRust.size >= 10, `read ${fromRust.size} codes from src/error.rs`);
  assert.deepEqual([...declared].sort(), [...fromRust].sort());
});

test("README's error table (section Errors) lists exactly the codes of WxpayErrorCode, each once", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const dts = readFileSync(new URL('../../pkg-template/index.d.ts', import.meta.url), 'utf8');
  const union = /export type WxpayErrorCode =([^;]+);/.exec(dts)?.[1] ?? '';
  const declared = [...union.matchAll(/'(ERR_[A-Z_]+)'/g)].map((m) => m[1]);
  assert.ok(declared.length >= 10, `read ${declared.length} codes from index.d.ts`);
  // The section runs from its heading to the next one of its level; its tables whose first
  // column is headed `code` are the library's codes (the CLI's ERR_USAGE, ERR_OUTPUT are prose
  // under Platform certificates, not in these tables).
  const start = readme.search(/^## Errors$/m);
  assert.ok(start >= 0, 'README has a "## Errors" section');
  const rest = readme.slice(start + 1);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const cells = (line) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const listed = [];
  let tables = 0;
  for (const table of section.match(/(?:^\|.*\n)+/gm) ?? []) {
    const [head, rule, ...rows] = table.trimEnd().split('\n');
    if (cells(head)[0] !== 'code') continue;
    tables++;
    assert.match(rule, /^\|[\s|:-]+\|$/, `the row under the header is the separator: ${rule}`);
    for (const row of rows) {
      // Every row's first cell is one code in backticks; anything else fails here by name.
      const m = /^`([A-Z0-9_]+)`$/.exec(cells(row)[0]);
      assert.ok(m, `a row of the code table whose first cell is not one code: ${row.slice(0, 80)}`);
      listed.push(m[1]);
    }
  }
  assert.ok(tables >= 1 && listed.length >= 10, `read ${listed.length} codes in ${tables} table(s) of the README's Errors section`);
  const twice = listed.filter((c, i) => listed.indexOf(c) !== i);
  assert.deepEqual(twice, [], 'a code listed twice in the README');
  assert.deepEqual(listed.filter((c) => !declared.includes(c)), [], 'in the README table, not in WxpayErrorCode');
  assert.deepEqual(declared.filter((c) => !listed.includes(c)), [], 'in WxpayErrorCode, not in the README table');
});
