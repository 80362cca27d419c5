// A full WebAssembly memory is an error for one call, not a trap: the allocator (talc) answers a
// failed memory.grow with null, which the package's fallible reservations report as
// ERR_OUT_OF_MEMORY (the test build's reserveUntilFull reserves exactly as answer bodies are).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Wxpay } from '../../.work/test-pkg/node.mjs';
import * as traps from '../../.work/test-pkg/traps.mjs';
import { useSandbox, options, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();
let recoveries = 0;
Wxpay.onRecover = () => recoveries++;

test('reserving past 4 GiB fails with ERR_OUT_OF_MEMORY, no trap, and the instance keeps working', async () => {
  const wxpay = new Wxpay(options(ctx.sb));
  const [count, code] = traps.reserveUntilFull();
  assert.equal(code, 'ERR_OUT_OF_MEMORY');
  assert.ok(count >= 1 && count <= 3, `${count} GiB reserved before the failure`);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(recoveries, 0, 'no trap, no re-instantiation');
  const { status, data } = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: CARD_ID, code: CODE });
  assert.equal(status, 200);
  assert.equal(data.code, CODE);
  assert.equal(ctx.sb.requests.at(-1).verified, true);
});
