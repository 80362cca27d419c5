// Each client alone in a Node process of its own, the processes taking turns: CPU µs a request,
// the median over the runs of each, and each client's ratio to the floor by the medians.
// `fake` (the default): node:crypto's sign and verify stubbed and fetch answering at once, as in
// overhead.mjs, so only the clients' own work and undici's are left; `real`: the sandbox answers.
// Clients in one process share undici's optimised code and its type feedback, so what one client
// hands to fetch can slow other code there (see CONTRIBUTING, "What the package hands to fetch");
// here nothing is shared. Note that `fake`'s fetch builds each answer with `new Response`, which a
// real fetch does not.
//   node bench/profile/alone.mjs [runs=4] [requests=40000] [fake|real] client...
//   node bench/profile/alone.mjs 4 40000 fake .work/pkg-before pkg floor
// (a client as clients.mjs's `client`; 20,000 warm-up requests first with `fake`, 8,000 with `real`).
import { execFileSync } from 'node:child_process';
import { batch } from '../e2e.mjs';
import { median } from '../stats.mjs';
import { client, fakeFetch, floor, sandbox, stubCrypto } from './clients.mjs';

if (process.argv[2] === '--child') {
  const [, , , spec, n, mode] = process.argv;
  const sb = await sandbox();
  const get = await client(sb, spec);
  if (mode === 'fake') {
    await fakeFetch(floor(sb));
    stubCrypto(sb);
  }
  await batch(get, mode === 'fake' ? 20000 : 8000, 10);
  const { cpu } = await batch(get, Number(n), 10);
  console.log(JSON.stringify({ us: cpu * 1000 }));
  await sb.close();
} else {
  const [runs = '4', n = '40000', mode = 'fake', ...specs] = process.argv.slice(2);
  if (mode !== 'fake' && mode !== 'real') throw new Error('the third argument is fake or real');
  if (!specs.length) specs.push('pkg');
  if (!specs.includes('floor')) specs.push('floor');
  const us = Object.fromEntries(specs.map((s) => [s, []]));
  for (let r = 0; r < Number(runs); r++) {
    // The order reversed every other run, so that no client always follows the same one.
    for (const spec of r % 2 ? [...specs].reverse() : specs) {
      const out = execFileSync(process.execPath, [import.meta.filename, '--child', spec, n, mode], { encoding: 'utf8' });
      us[spec].push(JSON.parse(out.trim().split('\n').at(-1)).us);
    }
  }
  console.log(`each client alone in its process, ${mode} fetch${mode === 'fake' ? ' and crypto stubbed' : ''}, ${runs} runs of ${n} requests, 10 in flight: CPU µs a request`);
  const base = median(us.floor);
  for (const spec of specs) {
    const m = median(us[spec]);
    console.log(`${spec.padEnd(24)} median ${m.toFixed(1).padStart(7)}  (${us[spec].map((x) => x.toFixed(1)).join(' ')})  /floor ${(m / base).toFixed(3)}  over ${(m - base).toFixed(1)}`);
  }
}
