// How long each `crypto.sign` of one client takes, timed call by call (process.hrtime around
// node:crypto's own `sign`, which this wraps before the client is made): one client alone in this
// process, real fetch, 10 in flight, after a warm-up of 2,000 requests. A check on CPU profiles,
// which attribute OpenSSL's time to the JS function that called it (`signOneShot`) by sampling.
//   node bench/profile/sign-time.mjs <floor | shaped | mini | direct=<dir> | dir> [requests=6000]
import crypto from 'node:crypto';
import { batch, client, sandbox } from './clients.mjs';

const [which = 'floor', n = '6000'] = process.argv.slice(2);
const sign = crypto.sign;
let times = [];
crypto.sign = function timedSign(...args) {
  const t0 = process.hrtime.bigint();
  const signature = sign.apply(this, args);
  times.push(Number(process.hrtime.bigint() - t0) / 1000);
  return signature;
};
const sb = await sandbox();
const get = await client(sb, which);
await batch(get, 2000);
times = [];
const ms = await batch(get, Number(n));
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))].toFixed(1);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(`${which}: ${ms.toFixed(3)} ms CPU a request; crypto.sign ${times.length} calls: median ${at(0.5)} µs, mean ${mean.toFixed(1)}, p10 ${at(0.1)}, p90 ${at(0.9)}`);
await sb.close();
