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
