// CPU a request by thread: one client alone in this process (real fetch, 10 in flight), after a
// warm-up; Linux's per-thread counters (/proc/self/task/*/stat) split process.cpuUsage between
// the main thread and V8's helper threads (named `node`: garbage collection helpers and
// background compilers). With `node --single-threaded-gc` the collector's share moves to the
// main thread. One client a process, one after the other: compare runs in both orders. A line
// marks where the measured requests start, for V8's traces in the same output, e.g.
//   node --trace-opt --trace-deopt bench/profile/threads.mjs pkg 8000 6000 | sed -n '/^-- measured/,$p'
//   node bench/profile/threads.mjs <floor | shaped | mini | direct=<dir> | dir> [warm-up=6000] [requests=6000]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { batch, client, sandbox } from './clients.mjs';

const [which = 'floor', warm = '6000', requests = '6000'] = process.argv.slice(2);
const n = Number(requests);
const sb = await sandbox();
const get = await client(sb, which);

/** Clock ticks of user and system time by thread id, with the thread's name. */
function threads() {
  const out = new Map();
  for (const id of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(id, { name: id === String(process.pid) ? 'main' : name, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return out;
}

await batch(get, Number(warm));
console.log(`-- measured from here: ${n} requests (pid ${process.pid})`);
// Under bench/profile/perf.mjs: `perf record` samples the measured requests only.
const perf = (command) => process.env.WXPAY_PERF_CTL && writeFileSync(process.env.WXPAY_PERF_CTL, `${command}\n`);
perf('enable');
const before = threads();
const c0 = process.cpuUsage();
await batch(get, n);
const cpu = process.cpuUsage(c0);
perf('disable');
const byName = {};
for (const [id, { name, ticks }] of threads()) byName[name] = (byName[name] ?? 0) + ticks - (before.get(id)?.ticks ?? 0);
// A clock tick is 10 ms (USER_HZ 100 on Linux).
const perRequest = (ticks) => ((ticks * 10000) / n).toFixed(1);
console.log(`${which}: µs a request: user ${(cpu.user / n).toFixed(1)}, system ${(cpu.system / n).toFixed(1)};`,
  Object.entries(byName).filter(([, t]) => t > 0).map(([k, t]) => `${k} ${perRequest(t)}`).join(', '));
await sb.close();
