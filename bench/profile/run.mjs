// One client, many GETs, for `node --cpu-prof`:
//   node --cpu-prof --cpu-prof-dir=.work/prof-ours bench/profile/run.mjs .work/profile-pkg 8000
//   node --cpu-prof --cpu-prof-dir=.work/prof-floor bench/profile/run.mjs floor 8000
// A third argument, `slow`, keeps idle connections open for 10 minutes (for valgrind, whose
// client is too slow for the server's default keep-alive).
import { batch, client, sandbox } from './clients.mjs';

const [which = 'floor', n = '8000', slow] = process.argv.slice(2);
const sb = await sandbox(slow === 'slow' ? ['--keep-alive-ms', '600000'] : []);
// `floor`, `shaped`, `mini` (bash bench/profile/mini.sh first), `direct=<dir>` (no chain) or a package dir.
const get = await client(sb, which);
console.log(`${which}: ${(await batch(get, Number(n))).toFixed(3)} ms CPU/request`);
await sb.close();
