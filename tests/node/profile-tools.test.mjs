// The profiling tools edit a copy of the package at fixed lines (bench/profile/instrument.mjs, for
// `segments.mjs ... split`): when boundary.js or wxpay.js changes under them they stop working,
// and nothing else would say so until someone profiles. This runs the instrumented copy of the
// built package against the sandbox and checks its timeline has every point the tools read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instrument } from '../../bench/profile/instrument.mjs';
import { CARD, ours, sandbox } from '../../bench/profile/clients.mjs';

test('bench/profile/instrument.mjs: the instrumented package answers, and notes every point of its timeline', async (t) => {
  const sb = await sandbox();
  t.after(() => sb.close());
  const get = await ours(sb, instrument('pkg'));
  const trace = [];
  globalThis.__trace = trace;
  try {
    const r = await get();
    assert.equal(r.status, 200);
    assert.equal(r.data.card_id, CARD.card_id);
  } finally {
    delete globalThis.__trace;
  }
  const labels = trace.filter((_, i) => i % 2 === 0);
  for (const label of ['JS->wasm wxpay_request', 'wasm->JS send', 'js: send resumed', 'js: status read', 'js: headers read', 'js: body read', 'js: drive resumes', 'JS->wasm resume']) {
    assert.ok(labels.includes(label), `the timeline has ${label}: ${labels.join(', ')}`);
  }
  // Each label is followed by its time, in order.
  const times = trace.filter((_, i) => i % 2 === 1);
  assert.ok(times.every((at, i) => typeof at === 'number' && (i === 0 || at >= times[i - 1])));
});
