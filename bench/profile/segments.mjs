// Where in a request each client's time goes, one request in flight: wall time from the call to
// node:crypto's `sign`, from the signature to `fetch`, from fetch's answer to node:crypto's
// `verify` (which includes waiting for the body) and from the verification to the result.
// node:crypto's `sign` and `verify` and the global `fetch` are wrapped to note the time (every client calls them; the wrappers cost all clients alike), and
// with one request in flight nothing else runs in between, so each segment is this client's own
// work. `real`: fetch to the sandbox; `fake`: fetch answers at once (clients.mjs's fakeFetch).
// `split` runs the package from an instrumented copy (bench/profile/instrument.mjs) and then prints
// its request as a timeline: each crossing between JS and wasm (and a few points of boundary.js
// and wxpay.js) in order, with the time since the one before it (median and mean over its
// requests). The wrappers cost time of their own: compare split runs with each other (two builds,
// each split), not with another client's segments.
//   node bench/profile/segments.mjs [dir=pkg] [real|fake] [rounds=20] [per batch=300] [split]
import crypto from 'node:crypto';
import { alternateRounds, median } from '../stats.mjs';
import { direct, fakeFetch, floor, mini, ours, sandbox } from './clients.mjs';
import { instrument } from './instrument.mjs';

const [dir = 'pkg', mode = 'real', rounds = '20', perBatch = '300', split] = process.argv.slice(2);
if (!['real', 'fake'].includes(mode) || ![undefined, 'split'].includes(split)) {
  console.error('usage: node bench/profile/segments.mjs [dir] [real|fake] [rounds] [per batch] [split]');
  process.exit(2);
}
const sb = await sandbox();
const oursDir = split ? instrument(dir) : dir;
const clients = { floor: floor(sb), mini: await mini(sb), direct: await direct(sb, dir), ours: await ours(sb, oursDir) };
if (mode === 'fake') await fakeFetch(clients.ours);

const at = { signed: 0, signing: 0, fetch: 0, answer: 0, verifying: 0, verified: 0 };
/** Notes when `event` happened: in `at`, and in the split's timeline when one is being made. */
function note(event) {
  at[event] = performance.now();
  globalThis.__trace?.push(`node: ${event}`, at[event]);
}
/** Wraps the synchronous `crypto[name]` to note when each call starts and ends. */
function timed(name, start, end) {
  const f = crypto[name];
  crypto[name] = function (...args) {
    note(start);
    const result = f.apply(this, args);
    note(end);
    return result;
  };
}
timed('sign', 'signing', 'signed');
timed('verify', 'verifying', 'verified');
const fetch = globalThis.fetch;
globalThis.fetch = function (...args) {
  note('fetch');
  return fetch.apply(this, args).then((r) => {
    note('answer');
    return r;
  });
};

// The split's timelines: label sequence -> { requests, gaps: ms before each label, a list each }.
const timelines = new Map();
function keep(trace) {
  const labels = trace.filter((_, i) => i % 2 === 0);
  const key = labels.join('\n');
  const line = timelines.get(key) ?? timelines.set(key, { labels, requests: 0, gaps: labels.map(() => []) }).get(key);
  line.requests++;
  for (let i = 2; i < trace.length; i += 2) line.gaps[i / 2].push(trace[i + 1] - trace[i - 1]);
}

const SEGMENTS = ['call -> sign', 'sign', 'sign -> fetch', 'answer -> verify', 'verify', 'verify -> result'];
const n = Number(perBatch);
// One round of warm-up; each round resolves a client's µs a request, segment by segment.
const runs = await alternateRounds(Object.keys(clients), 1, Number(rounds), async (name) => {
  const get = clients[name];
  const sums = SEGMENTS.map(() => 0);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const tracing = split && name === 'ours';
    if (tracing) globalThis.__trace = ['call', t0];
    const { status } = await get();
    const end = performance.now();
    if (tracing) {
      keep([...globalThis.__trace, 'result', end]);
      globalThis.__trace = undefined;
    }
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
if (split) {
  // The commonest sequence of the package's requests (others differ by a rare crossing: the
  // nonce's random bytes are drawn in batches).
  const lines = [...timelines.values()].sort((a, b) => b.requests - a.requests);
  const all = lines.reduce((sum, l) => sum + l.requests, 0);
  const [line] = lines;
  console.log(`\nours, split: ${line.requests} of ${all} requests in this order; µs since the line before, median and mean`);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  line.labels.forEach((label, i) => {
    const [m, a] = i === 0 ? [0, 0] : [median(line.gaps[i]), mean(line.gaps[i])];
    console.log(`${(m * 1000).toFixed(2).padStart(9)}${(a * 1000).toFixed(2).padStart(9)}  ${label}`);
  });
}
await sb.close();
