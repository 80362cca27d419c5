// The clients' own CPU with the RSA work taken out: node:crypto's `sign` answers with one
// signature made at the start and `verify` with true, for every client alike, and fetch answers
// at once (clients.mjs's fakeFetch). What is left is each client's own work plus undici building
// the answer, so a difference of a few µs a request shows, where the real signature (a few
// hundred µs, and noisy) hides it. Alternating batches, medians; each difference and ratio the
// median of the rounds' own.
//   node bench/profile/overhead.mjs [rounds=12] [per batch=2000] [in flight=10] [client...=pkg]
// (a client as clients.mjs's `client`: a package directory, `<dir>+timeout=<ms>`, `floor+timeout=<ms>`...)
// With DIRECT=1, the first dir's Rust client without the chain too (clients.mjs's `direct`).
// Only for comparing builds: a real request costs far more (see bench/RESULTS.md).
import { resolve } from 'node:path';
import { batch } from '../e2e.mjs';
import { alternateRounds, median, roundRatio } from '../stats.mjs';
import { client, direct, fakeFetch, floor, mini, sandbox, stubCrypto } from './clients.mjs';

const [rounds = '12', perBatch = '2000', inFlight = '10', ...dirs] = process.argv.slice(2);
if (!dirs.length) dirs.push('pkg');
const sb = await sandbox();
const clients = { floor: floor(sb), mini: await mini(sb) };
for (const dir of dirs) clients[dir] = await client(sb, dir);
if (process.env.DIRECT) clients.direct = await direct(sb, resolve(dirs[0]));
await fakeFetch(clients.floor);
stubCrypto(sb);

const names = Object.keys(clients);
const s = await alternateRounds(names, 1, Number(rounds), async (name) => (await batch(clients[name], Number(perBatch), Number(inFlight))).cpu * 1000);
console.log(`crypto stubbed, fetch answering at once; ${rounds} rounds of ${perBatch}, ${inFlight} in flight: CPU µs a request`);
for (const name of names) {
  const over = median(s[name].map((x, i) => x - s.floor[i]));
  console.log(`${name.padEnd(16)} ${median(s[name]).toFixed(1).padStart(7)}   over the floor ${over.toFixed(1).padStart(6)}   x${roundRatio(s[name], s.floor).toFixed(3)}`);
}
await sb.close();
