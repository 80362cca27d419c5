// A full WebAssembly memory is an error for one call, not a trap: the allocator (talc) answers a
// failed memory.grow with null, which the package's fallible reservations report as
// ERR_OUT_OF_MEMORY (the test build's reserveUntilFull reserves exactly as answer bodies are).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Wxpay } from '../../.work/test-pkg/node.mjs';
import * as traps from '../../.work/test-pkg/traps.mjs';
import { useSandbox, options, wasmMemory, CARD_ID, CODE } from './helpers.mjs';

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

// The memory grows in steps (src/wasm/grow.rs), not by the pages each allocation needs: a process
// holding thousands of clients grew its memory some 400 times for 3,000 (each grow a new
// ArrayBuffer, and past about 64 MiB a full collection in V8 for nearly every one).
test('3,000 clients grow the wasm memory in a few steps, each at least an eighth of it', async () => {
  const { Wxpay: Installed } = await import('wxpay-wasm');
  const o = options(ctx.sb);
  new Installed(o).free(); // the module instantiated
  const memory = await wasmMemory();
  let buffer = memory.buffer;
  const sizes = [];
  const clients = [];
  for (let i = 0; i < 3000; i++) {
    clients.push(new Installed(o));
    if (memory.buffer !== buffer) {
      sizes.push([buffer.byteLength, memory.buffer.byteLength]);
      buffer = memory.buffer;
    }
  }
  assert.ok(buffer.byteLength > 16 << 20, `3,000 clients hold ${buffer.byteLength} bytes`);
  assert.ok(sizes.length >= 2 && sizes.length <= 40, `${sizes.length} grows`);
  for (const [before, after] of sizes) assert.ok(after - before >= Math.max(1 << 20, before / 8), `${before} -> ${after}`);
  for (const c of clients) c.free();
  // Freed, the memory is reused: as many again fit in it, or in one step more.
  const high = buffer.byteLength;
  for (let i = 0; i < 3000; i++) clients[i] = new Installed(o);
  const again = memory.buffer.byteLength;
  assert.ok(again <= high + Math.max(1 << 20, high / 8), `${high} bytes for the first 3,000, ${again} with as many again`);
  for (const c of clients) c.free();
  const { status } = await new Installed(o).v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: CARD_ID, code: CODE });
  assert.equal(status, 200);
});
