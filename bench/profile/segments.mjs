// Where in a request each client's time goes, one request in flight: wall time from the call to
// node:crypto's `sign`, from the signature to `fetch`, from fetch's answer to node:crypto's
// `verify` (which includes waiting for the body) and from the verification to the result.
// node:crypto's `sign` and `verify` and the global `fetch` are wrapped to note the time (every client calls them; the wrappers cost all clients alike), and
// with one request in flight nothing else runs in between, so each segment is this client's own
// work. `real`: fetch to the sandbox; `fake`: fetch answers at once (clients.mjs's fakeFetch).
//   node bench/profile/segments.mjs [dir=pkg] [real|fake] [rounds=20] [per batch=300]
import crypto from 'node:crypto';
import { alternateRounds, median } from '../stats.mjs';
import { direct, fakeFetch, floor, mini, ours, sandbox } from './clients.mjs';

const [dir = 'pkg', mode = 'real', rounds = '20', perBatch = '300'] = process.argv.slice(2);
if (!['real', 'fake'].includes(mode)) {
  console.error('usage: node bench/profile/segments.mjs [dir] [real|fake] [rounds] [per batch]');
  process.exit(2);
}
const sb = await sandbox();
const clients = { floor: floor(sb), mini: await mini(sb), direct: await direct(sb, dir), ours: await ours(sb, dir) };
if (mode === 'fake') await fakeFetch(clients.ours);

const at = { signed: 0, signing: 0, fetch: 0, answer: 0, verifying: 0, verified: 0 };
/** Wraps the synchronous `crypto[name]` to note when each call starts and ends. */
function timed(name, start, end) {
  const f = crypto[name];
  crypto[name] = function (...args) {
    at[start] = performance.now();
    const result = f.apply(this, args);
    at[end] = performance.now();
    return result;
  };
}
timed('sign', 'signing', 'signed');
timed('verify', 'verifying', 'verified');
const fetch = globalThis.fetch;
globalThis.fetch = function (...args) {
  at.fetch = performance.now();
  return fetch.apply(this, args).then((r) => {
    at.answer = performance.now();
    return r;
  });
};

const SEGMENTS = ['call -> sign', 'sign', 'sign -> fetch', 'answer -> verify', 'verify', 'verify -> result'];
const n = Number(perBatch);
// One round of warm-up; each round resolves a client's µs a request, segment by segment.
const runs = await alternateRounds(Object.keys(clients), 1, Number(rounds), async (name) => {
  const get = clients[name];
  const sums = SEGMENTS.map(() => 0);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const { status } = await get();
    const end = performance.now();
    if (status !== 200) throw new Error(`bad answer ${status}`);
    sums[0] += at.signing - t0;
    sums[1] += at.signed - at.signing;
    sums[2] += at.fetch - at.signed;
    sums[3] += at.verifying - at.answer;
    sums[4] += at.verified - at.verifying;
    sums[5] += end - at.verified;
  }
  return sums.map((x) => (x / n) * 1000);
});
console.log(`${mode}, ${rounds} rounds of ${perBatch}, one in flight: µs a request (medians of the rounds)`);
console.log(['client'.padEnd(8), ...SEGMENTS.map((s) => s.padStart(17))].join(''));
for (const [name, measured] of Object.entries(runs)) {
  console.log([name.padEnd(8), ...SEGMENTS.map((_, j) => median(measured.map((r) => r[j])).toFixed(1).padStart(17))].join(''));
}
await sb.close();
