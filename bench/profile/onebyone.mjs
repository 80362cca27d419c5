// Builds of the package beside the floor (and `mini`, `direct=<dir>`, `floor` again), real fetch,
// one request at a time and interleaved request by request (bench/e2e.mjs's `oneByOne`): each
// request's own CPU, so the machine's drift falls on all alike. Prints each client's mean and
// median, and its ratio to the floor (of the means, with the least and the most over the run's
// tenths, and of the medians). Put `floor` among the clients for an A/A row; `shaped` is the floor
// sending the package's request (its headers, method and redirect mode: clients.mjs).
//   node bench/profile/onebyone.mjs [requests a client=2500] [warm-up=1500] client...
//   node bench/profile/onebyone.mjs 2500 1500 .work/pkg-before pkg floor
import { oneByOne, timedHere } from '../e2e.mjs';
import { client, floor, sandbox } from './clients.mjs';

const [n = '2500', warm = '1500', ...specs] = process.argv.slice(2);
if (!specs.length) specs.push('pkg');
const sb = await sandbox();
const clients = { floor: floor(sb) };
for (const spec of specs) {
  const name = spec in clients ? `${spec} again` : spec;
  clients[name] = await client(sb, spec);
}
for (let i = 0; i < Number(warm); i++) for (const get of Object.values(clients)) await get();
const r = await oneByOne(timedHere(clients), Number(n));
console.log(`real fetch, one in flight, ${n} requests a client interleaved: CPU µs a request`);
for (const [name, v] of Object.entries(r)) {
  const { mean, range, medians } = v.ratio('floor');
  console.log(`${name.padEnd(24)} mean ${v.mean.toFixed(1).padStart(7)}  median ${v.median.toFixed(1).padStart(7)}   /floor ${mean.toFixed(3)} (${range.map((x) => x.toFixed(2)).join('-')})  medians ${medians.toFixed(3)}`);
}
await sb.close();
