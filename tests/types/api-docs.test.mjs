// docs/api.md is what scripts/gen-api-docs.mjs makes of pkg-template/index.d.ts today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generate } from '../../scripts/gen-api-docs.mjs';

test('docs/api.md is current (make docs)', () => {
  const committed = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  assert.equal(committed, generate(), 'run `make docs` and commit docs/api.md');
});

test('docs/api.md documents the client, its errors and helpers', () => {
  const md = generate();
  for (const name of ['class `Wxpay`', 'class `WxpayError`', 'function `notifySuccess`', 'interface `WxpayClientOptions`', 'type `WxpayErrorCode`', 'interface `JsapiPaymentParams`']) {
    assert.ok(md.includes(`## ${name}`), name);
  }
});
