// The JS heap a request allocates, garbage included, by script and by function: V8's sampling
// heap profiler (through node:inspector) with objects collected by minor and major GCs kept in
// the profile, one client alone in this process (real fetch, 10 in flight), after a warm-up.
// Sampled (an allocation every 256 bytes on average), so a row is an estimate: compare clients
// by their totals and their largest rows. Script `''` is V8's builtins (JSON.parse, strings...).
//   node bench/profile/alloc.mjs <floor | shaped | mini | direct=<dir> | dir> [warm-up=3000] [requests=4000]
import { Session } from 'node:inspector/promises';
import { batch, client, sandbox } from './clients.mjs';

const [which = 'floor', warm = '3000', requests = '4000'] = process.argv.slice(2);
const n = Number(requests);
const sb = await sandbox();
const get = await client(sb, which);
await batch(get, Number(warm));

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
await batch(get, n);
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();

const byFunction = new Map();
const byScript = new Map();
let total = 0;
const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
const stack = [profile.head];
while (stack.length) {
  const node = stack.pop();
  const { functionName, url, lineNumber } = node.callFrame;
  const script = url.split('/').at(-1);
  if (node.selfSize) {
    total += node.selfSize;
    add(byScript, script, node.selfSize);
    add(byFunction, `${functionName || '(anonymous)'} ${script}:${lineNumber + 1}`, node.selfSize);
  }
  stack.push(...node.children);
}
const rows = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count)
  .map(([k, bytes]) => `  ${(bytes / n).toFixed(0).padStart(6)} B  ${k || "''"}`).join('\n');
console.log(`${which}: ${(total / n / 1024).toFixed(1)} KiB a request (sampled)\nby script:\n${rows(byScript, 12)}\nby function:\n${rows(byFunction, 25)}`);
await sb.close();
