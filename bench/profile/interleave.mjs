// How much each client's own work slows when other code runs between its requests, as it does
// with a real network (undici's parser, sockets, timers): fetch answers at once with a recorded
// answer (as ab.mjs's `fake`), and before each request one of these runs, on every client alike:
//   net  - a real fetch to the sandbox (an unsigned GET, its answer read and dropped);
//   data - a write to every cache line of an N MB buffer.
// Its cost, run alone, is taken off each client's; what remains is compared with the same
// clients run plainly, side by side in one process.
//   node bench/profile/interleave.mjs [dir=pkg] [net|data] [MB=32] [rounds=12] [per batch=300]
import { alternate, CARD, direct, fakeFetch, floor, mini, ours, sandbox } from './clients.mjs';
import { median, roundRatio } from '../stats.mjs';

const [dir = 'pkg', mode = 'net', mb = '32', rounds = '12', perBatch = '300'] = process.argv.slice(2);
if (!['net', 'data'].includes(mode)) {
  console.error('usage: node bench/profile/interleave.mjs [dir] [net|data] [MB] [rounds] [per batch]');
  process.exit(2);
}
const sb = await sandbox();
const realFetch = globalThis.fetch;
const url = new URL(`/v3/marketing/membercard-open/cards/${CARD.card_id}/codes/${CARD.code}`, sb.baseURL).href;
const buffer = new Uint32Array((Number(mb) << 20) / 4);
const between = mode === 'net'
  ? async () => { await (await realFetch(url)).arrayBuffer(); }
  : async () => { for (let i = 0; i < buffer.length; i += 16) buffer[i] += 1; };
const plain = { ours: await ours(sb, dir), direct: await direct(sb, dir), mini: await mini(sb), floor: floor(sb) };
await fakeFetch(plain.ours);
const done = { status: 200 };
const clients = { 'between alone': async () => { await between(); return done; } };
for (const [name, get] of Object.entries(plain)) {
  clients[name] = get;
  clients[`${name}, interleaved`] = async () => { await between(); return get(); };
}
const s = await alternate(clients, Number(rounds), Number(perBatch));
const own = (name) => s[`${name}, interleaved`].map((x, i) => x - s['between alone'][i]);
const ratio = (a, b) => roundRatio(a, b).toFixed(3);
console.log(`${mode}${mode === 'data' ? ` ${mb} MB` : ''}: ${median(s['between alone']).toFixed(3)} ms CPU a request alone`);
for (const name of ['ours', 'direct', 'mini']) {
  console.log(`${name}/floor: plain ${ratio(s[name], s.floor)}, interleaved ${ratio(own(name), own('floor'))}`);
}
console.log(`µs a request (plain -> interleaved, own work): ${Object.keys(plain).map((n) => `${n} ${(median(s[n]) * 1000).toFixed(0)} -> ${(median(own(n)) * 1000).toFixed(0)}`).join(', ')}`);
await sb.close();
